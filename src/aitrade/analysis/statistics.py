"""Statistics the notebooks share: a least-squares line with robust errors, weighted means.

Both functions refuse what they cannot compute honestly (empty input, missing values,
missing or zero weights) with an error that names the offending rows, so a notebook
must drop and report such rows itself before calling them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm


class StatisticsError(ValueError):
    """The input cannot give the statistic asked for; the message says why."""


@dataclass(frozen=True)
class OLSFit:
    """A fitted line: tidy coefficients, R², observations, and per-row residuals."""

    coefficients: pd.DataFrame  # index: term; estimate, std_error, ci_low, ci_high, p_value
    r_squared: float
    n: int
    cov_type: str
    confidence: float
    fitted: pd.Series
    residuals: pd.Series

    def estimate(self, term: str) -> float:
        return float(self.coefficients.loc[term, "estimate"])


def missing_rows(frame: pd.DataFrame, columns: list[str]) -> list:
    """Index labels of rows with a missing value in any of ``columns``."""
    return frame.index[frame[columns].isna().any(axis=1).to_numpy()].tolist()


def ols(frame: pd.DataFrame, y: str, x: str, cov_type: str = "HC3",
        confidence: float = 0.95) -> OLSFit:
    """Regress column ``y`` on a constant and column ``x`` by ordinary least squares.

    Standard errors and confidence intervals use the heteroskedasticity-robust
    estimator ``cov_type`` (statsmodels: HC0-HC3). Terms are ``const`` and ``x``.
    """
    if frame.empty:
        raise StatisticsError(f"Cannot fit {y} on {x}: the table has no rows.")
    missing = missing_rows(frame, [y, x])
    if missing:
        raise StatisticsError(
            f"Cannot fit {y} on {x}: {len(missing)} row(s) have a missing value: {missing}. "
            "Drop them explicitly and report them."
        )
    if len(frame) < 3:
        raise StatisticsError(f"Cannot fit {y} on {x} with standard errors from {len(frame)} row(s).")
    if frame[x].nunique() < 2:
        raise StatisticsError(f"Cannot fit {y} on {x}: {x} takes a single value.")
    exog = sm.add_constant(frame[[x]].astype("float64").to_numpy())
    endog = frame[y].astype("float64").to_numpy()
    result = sm.OLS(endog, exog).fit(cov_type=cov_type)
    low, high = np.asarray(result.conf_int(alpha=1 - confidence)).T
    coefficients = pd.DataFrame(
        {
            "estimate": result.params,
            "std_error": result.bse,
            "ci_low": low,
            "ci_high": high,
            "p_value": result.pvalues,
        },
        index=pd.Index(["const", x], name="term"),
    )
    return OLSFit(
        coefficients=coefficients,
        r_squared=float(result.rsquared),
        n=int(result.nobs),
        cov_type=cov_type,
        confidence=confidence,
        fitted=pd.Series(result.fittedvalues, index=frame.index, name="fitted"),
        residuals=pd.Series(result.resid, index=frame.index, name="residual"),
    )


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """The mean of ``values`` weighted by ``weights`` (e.g. population), aligned on the index.

    Refuses empty input, missing values or weights, negative weights and a zero total.
    """
    if len(values) == 0:
        raise StatisticsError("Cannot take a weighted mean of no values.")
    if not values.index.equals(weights.index):
        only_values = values.index.difference(weights.index).tolist()
        only_weights = weights.index.difference(values.index).tolist()
        raise StatisticsError(
            f"Values and weights cover different rows: values only {only_values}, "
            f"weights only {only_weights}."
        )
    missing_values = values.index[values.isna().to_numpy()].tolist()
    if missing_values:
        raise StatisticsError(f"Missing values for {missing_values}: drop them explicitly and report them.")
    missing_weights = weights.index[weights.isna().to_numpy()].tolist()
    if missing_weights:
        raise StatisticsError(f"Missing weights for {missing_weights}: drop them explicitly and report them.")
    negative = weights.index[(weights < 0).to_numpy()].tolist()
    if negative:
        raise StatisticsError(f"Negative weights for {negative}.")
    w = weights.astype("float64").to_numpy()
    if w.sum() == 0:
        raise StatisticsError("The weights sum to zero.")
    return float((values.astype("float64").to_numpy() * w).sum() / w.sum())


@dataclass(frozen=True)
class FunctionalFormTest:
    """Whether a straight line is the right shape: a quadratic term and Ramsey's RESET."""

    quadratic_estimate: float   # coefficient of x² in y = a + b x + c x²
    quadratic_std_error: float  # its robust standard error
    quadratic_p_value: float
    reset_statistic: float      # RESET F statistic (powers 2 and 3 of the fitted values)
    reset_p_value: float
    n: int


def functional_form(frame: pd.DataFrame, y: str, x: str, cov_type: str = "HC3") -> FunctionalFormTest:
    """Test the straight line of :func:`ols` against curvature, two ways.

    A quadratic term: regress ``y`` on ``x`` and ``x²`` and test the ``x²`` coefficient with
    robust standard errors (``cov_type``). Ramsey's RESET: add the squared and cubed fitted
    values of the straight line and test them jointly (F test, robust covariance). Small
    p-values say the line misses a curve; large ones do not prove it is straight.
    """
    from statsmodels.stats.diagnostic import linear_reset

    line = ols(frame, y, x, cov_type=cov_type)  # refuses what it cannot fit
    values = frame[x].astype("float64").to_numpy()
    endog = frame[y].astype("float64").to_numpy()
    quadratic = sm.OLS(endog, sm.add_constant(np.column_stack([values, values ** 2]))).fit(cov_type=cov_type)
    straight = sm.OLS(endog, sm.add_constant(values)).fit()
    reset = linear_reset(straight, power=3, test_type="fitted", use_f=True, cov_type=cov_type)
    return FunctionalFormTest(
        quadratic_estimate=float(quadratic.params[2]),
        quadratic_std_error=float(quadratic.bse[2]),
        quadratic_p_value=float(quadratic.pvalues[2]),
        reset_statistic=float(np.squeeze(reset.fvalue)),
        reset_p_value=float(np.squeeze(reset.pvalue)),
        n=line.n,
    )
