"""Confidence intervals for a mean and for a difference of two means (t-intervals).

Used where a notebook averages scores over economies: the interval says how precisely a
group's average is known given how much its economies differ, nothing about the
measurement error of each value. Missing values are refused, not dropped: a notebook
drops and reports them itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW


class IntervalError(ValueError):
    """The values cannot give the interval asked for; the message says why."""


def _values(values: pd.Series, what: str) -> np.ndarray:
    missing = values.index[values.isna().to_numpy()].tolist()
    if missing:
        raise IntervalError(f"{what}: missing values for {missing}; drop them explicitly and report them.")
    if len(values) < 2:
        raise IntervalError(f"{what}: an interval needs at least two values, got {len(values)}.")
    return values.astype("float64").to_numpy()


def mean_interval(values: pd.Series, confidence: float = 0.95) -> pd.Series:
    """The mean of ``values`` with its t-interval: ``mean``, ``low``, ``high``, ``n``."""
    stats = DescrStatsW(_values(values, "mean_interval"))
    low, high = stats.tconfint_mean(alpha=1 - confidence)
    return pd.Series({"mean": float(stats.mean), "low": float(low), "high": float(high), "n": len(values)})


def difference_interval(first: pd.Series, second: pd.Series, confidence: float = 0.95) -> pd.Series:
    """``mean(first) - mean(second)`` with Welch's t-interval (unequal variances):
    ``difference``, ``low``, ``high``."""
    a = _values(first, "difference_interval (first)")
    b = _values(second, "difference_interval (second)")
    low, high = CompareMeans(DescrStatsW(a), DescrStatsW(b)).tconfint_diff(alpha=1 - confidence, usevar="unequal")
    return pd.Series({"difference": float(a.mean() - b.mean()), "low": float(low), "high": float(high)})
