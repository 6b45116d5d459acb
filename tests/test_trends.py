"""aitrade.analysis.trends: doubling times, the least-squares break, its sup-F test and
bootstrap, and fractional credit among labels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aitrade.analysis import trends

BREAKS = np.arange(1992, 2018.01, 0.5)


def broken_line(noise: float = 0.2, seed: int = 1):
    """Yearly points 1980-2030 (4 a year): slope 0.15 before 2005, 0.6 after, with a jump."""
    rng = np.random.default_rng(seed)
    t = np.arange(1980, 2030, 0.25)
    y = np.where(t < 2005, 1 + 0.15 * (t - 1980), 6 + 0.6 * (t - 2005)) + rng.normal(0, noise, len(t))
    return t, y


def test_doubling_months_of_a_tenfold_yearly_growth():
    assert trends.doubling_months(1.0) == pytest.approx(12 * math.log10(2))
    assert trends.doubling_months(math.log10(2)) == pytest.approx(12.0)
    assert trends.doubling_months(0.0) == math.inf
    assert trends.doubling_interval(0.2, 0.4) == (trends.doubling_months(0.4), trends.doubling_months(0.2))


def test_decimal_year_counts_days_into_the_year():
    years = trends.decimal_year(pd.Series(pd.to_datetime(["2012-01-01", "2012-07-02", "2013-12-31"])))
    assert years.tolist() == pytest.approx([2012.0, 2012 + 183 / 366, 2013 + 364 / 365])


def test_break_search_finds_the_break_and_both_slopes():
    t, y = broken_line()
    fit = trends.break_search(t, y, BREAKS)
    assert fit.break_at == 2005.0
    assert fit.slope_before == pytest.approx(0.15, abs=0.02)
    assert fit.slope_after == pytest.approx(0.6, abs=0.02)
    assert fit.n_before == int((t < 2005).sum()) and fit.n == len(t)
    # The two-line SSE at the break equals two separate least-squares fits.
    before, after = t < 2005, t >= 2005
    sse = sum(float(np.sum((y[m] - np.polyval(np.polyfit(t[m], y[m], 1), t[m])) ** 2)) for m in (before, after))
    assert fit.sse == pytest.approx(sse)


def test_break_search_does_not_depend_on_the_order_of_the_rows():
    t, y = broken_line()
    order = np.random.default_rng(3).permutation(len(t))
    shuffled = trends.break_search(t[order], y[order], BREAKS)
    assert shuffled.break_at == trends.break_search(t, y, BREAKS).break_at


def test_candidate_breaks_need_enough_observations_on_each_side():
    t, y = broken_line()
    fit = trends.break_search(t, y, BREAKS, min_segment=90)
    assert fit.n_before >= 90 and fit.n_after >= 90
    with pytest.raises(ValueError, match="No candidate break"):
        trends.break_search(t, y, [1981.0], min_segment=20)


def test_sup_f_rejects_one_line_for_a_broken_one_and_not_for_a_straight_one():
    t, y = broken_line()
    assert trends.sup_f_test(t, y, BREAKS, replications=199).p_value == pytest.approx(1 / 200)
    rng = np.random.default_rng(5)
    straight = 1 + 0.3 * (t - 1980) + rng.normal(0, 0.5, len(t))
    test = trends.sup_f_test(t, straight, BREAKS, replications=199)
    assert test.p_value > 0.05
    assert test.sup_f < test.critical_95


def test_bootstrap_break_intervals_cover_the_true_slopes():
    t, y = broken_line()
    draws = trends.bootstrap_break(t, y, BREAKS, replications=199)
    assert len(draws) == 199
    low, high = trends.percentile_interval(draws["slope_after"])
    assert low < 0.6 < high
    low, high = trends.percentile_interval(draws["slope_before"])
    assert low < 0.15 < high
    assert trends.bootstrap_break(t, y, BREAKS, replications=20, seed=4).equals(
        trends.bootstrap_break(t, y, BREAKS, replications=20, seed=4))


def test_missing_values_are_refused():
    t, y = broken_line()
    y[3] = np.nan
    with pytest.raises(ValueError, match="missing"):
        trends.break_search(t, y, BREAKS)
