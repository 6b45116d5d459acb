"""aitrade.analysis.intervals: t-intervals for a mean and a difference of means."""

import math

import pandas as pd
import pytest
from scipy import stats

from aitrade.analysis.intervals import IntervalError, difference_interval, mean_interval


def test_mean_interval_matches_the_textbook_t_interval():
    values = pd.Series([2.0, 4.0, 4.0, 5.0, 7.0])
    result = mean_interval(values)
    half = stats.t.ppf(0.975, df=4) * values.std(ddof=1) / math.sqrt(5)
    assert result["mean"] == pytest.approx(4.4)
    assert result["low"] == pytest.approx(4.4 - half)
    assert result["high"] == pytest.approx(4.4 + half)
    assert result["n"] == 5


def test_a_wider_confidence_gives_a_wider_interval():
    values = pd.Series([1.0, 2.0, 3.0, 4.0])
    narrow, wide = mean_interval(values, 0.80), mean_interval(values, 0.99)
    assert wide["low"] < narrow["low"] < narrow["high"] < wide["high"]


def test_difference_interval_is_welch():
    first = pd.Series([3.1, 3.5, 3.9, 4.2, 3.3, 3.8])
    second = pd.Series([2.0, 2.6, 2.2])
    result = difference_interval(first, second)
    welch = stats.ttest_ind(first, second, equal_var=False)
    ci = welch.confidence_interval(0.95)
    assert result["difference"] == pytest.approx(first.mean() - second.mean())
    assert (result["low"], result["high"]) == pytest.approx((ci.low, ci.high))


def test_missing_values_are_refused_and_named():
    with pytest.raises(IntervalError, match=r"\['b'\]"):
        mean_interval(pd.Series([1.0, None, 2.0], index=["a", "b", "c"]))


def test_one_value_is_refused():
    with pytest.raises(IntervalError, match="at least two"):
        difference_interval(pd.Series([1.0, 2.0]), pd.Series([3.0]))
