"""Average annual growth of a yearly count, with its interval and a test of its shape.

A count that grows at a constant rate is a straight line in logs: ``ln(y) = a + b t`` with
``t`` in years, so it grows by ``exp(b) - 1`` a year. :func:`annual_growth` fits that line by
least squares and turns the slope's t-interval into an interval for the rate. With the few
yearly points such series have (often five to ten), heteroskedasticity-robust errors are
unreliable, so the interval uses the classical errors and the t distribution.

Whether the rate was constant is tested rather than assumed: a quadratic term in ``t``
(:func:`aitrade.analysis.statistics.functional_form`) is negative and significant when
growth slowed. The last year-on-year change is returned beside the average so that a
reader can see how far the recent pace departs from it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from aitrade.analysis.statistics import StatisticsError, functional_form, ols


def annual_growth(values: pd.Series, confidence: float = 0.95) -> pd.Series:
    """Average annual growth of ``values`` (index: year) from the line of ``ln(values)`` on year.

    Returns ``rate``, ``low``, ``high`` (the rate and its interval, as fractions: 0.5 is
    50% a year), ``n``, ``first_year``, ``last_year``, ``curvature`` (coefficient of the
    squared year in ``ln(values)``; negative when growth slowed) with ``curvature_p`` (its
    p-value), and ``last_change`` (the change from the second-last to the last year).
    Refuses missing, zero or negative values and fewer than four years (the curvature test
    needs a residual degree of freedom).
    """
    if values.isna().any():
        raise StatisticsError(f"annual_growth: missing values for years {values.index[values.isna()].tolist()}; "
                              "drop them explicitly and report them.")
    if (values <= 0).any():
        raise StatisticsError(f"annual_growth: values must be positive to take logs; years "
                              f"{values.index[values <= 0].tolist()} are not.")
    if len(values) < 4:
        raise StatisticsError(f"annual_growth needs at least four years, got {len(values)}.")
    ordered = values.sort_index()
    frame = pd.DataFrame({"year": ordered.index.astype("float64"),
                          "log_value": np.log(ordered.astype("float64").to_numpy())})
    line = ols(frame, "log_value", "year", cov_type="nonrobust", confidence=confidence)
    slope = line.coefficients.loc["year"]
    shape = functional_form(frame, "log_value", "year", cov_type="nonrobust")
    return pd.Series({
        "rate": math.expm1(float(slope["estimate"])),
        "low": math.expm1(float(slope["ci_low"])),
        "high": math.expm1(float(slope["ci_high"])),
        "n": len(ordered),
        "first_year": int(ordered.index[0]),
        "last_year": int(ordered.index[-1]),
        "curvature": shape.quadratic_estimate,
        "curvature_p": shape.quadratic_p_value,
        "last_change": float(ordered.iloc[-1] / ordered.iloc[-2] - 1),
    })
