"""aitrade.analysis.growth: average annual growth with its interval and a shape test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aitrade.analysis.growth import annual_growth
from aitrade.analysis.statistics import StatisticsError

YEARS = range(2015, 2021)


def test_a_constant_rate_is_recovered_with_a_tight_interval():
    noise = np.array([1.0, 1.01, 0.99, 1.0, 1.01, 0.99])
    values = pd.Series([100 * 1.5 ** k * noise[k] for k in range(6)], index=YEARS)
    result = annual_growth(values)
    assert result["rate"] == pytest.approx(0.5, abs=0.01)
    assert result["low"] < result["rate"] < result["high"]
    assert result["high"] - result["low"] < 0.05
    assert result["last_change"] == pytest.approx(1.5 * 0.99 / 1.01 - 1)
    assert (result["first_year"], result["last_year"], result["n"]) == (2015, 2020, 6)


def test_slowing_growth_gives_a_negative_significant_curvature():
    # growth of 100%, 80%, 50%, 20%, 5% a year
    values = pd.Series(np.cumprod([100, 2.0, 1.8, 1.5, 1.2, 1.05]), index=YEARS)
    result = annual_growth(values)
    assert result["curvature"] < 0
    assert result["curvature_p"] < 0.05
    assert result["last_change"] == pytest.approx(0.05)


def test_the_rate_matches_the_log_slope_by_hand():
    values = pd.Series([3.0, 5.0, 4.0, 9.0, 8.0], index=range(2016, 2021))
    slope = np.polyfit(np.arange(2016, 2021), np.log(values.to_numpy()), 1)[0]
    assert annual_growth(values)["rate"] == pytest.approx(np.exp(slope) - 1)


@pytest.mark.parametrize("values, message", [
    (pd.Series([1.0, 2.0, None, 4.0, 5.0], index=YEARS[:5]), "missing values"),
    (pd.Series([1.0, 0.0, 3.0, 4.0, 5.0], index=YEARS[:5]), "positive"),
    (pd.Series([1.0, 2.0, 3.0], index=YEARS[:3]), "at least four years"),
])
def test_refuses_what_it_cannot_fit(values, message):
    with pytest.raises(StatisticsError, match=message):
        annual_growth(values)
