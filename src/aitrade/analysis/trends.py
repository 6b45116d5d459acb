"""Exponential trends over time: growth rates, doubling times, and a tested break.

A quantity that grows exponentially is a straight line in logs: ``log10(y) = a + b t``
with ``t`` in years, so it doubles every ``12 log10(2) / b`` months. Whether the line
bends at some date (a new era) is tested rather than assumed:

- :func:`break_search` fits two separate lines, before and after each candidate break,
  and picks the break with the least squared error (the least-squares break estimate);
- :func:`sup_f_test` compares the best two-line fit with one line (the sup-F statistic of
  Andrews, 1993) and takes its p-value from a wild bootstrap under the one-line null, so
  no tabulated critical values (which assume a trimmed share of observations) are needed;
- :func:`bootstrap_break` resamples the observations and estimates the break and the two
  slopes again, giving percentile intervals that include the uncertainty of the break date.

The fits use running sums over the observations sorted by ``t``, so every candidate break
costs one vector operation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

LOG10_2 = math.log10(2)


def decimal_year(dates: pd.Series) -> pd.Series:
    """Dates as decimal years (2012-07-02 gives about 2012.5), by the day of the year."""
    dates = pd.to_datetime(dates)
    start = pd.to_datetime(dates.dt.year.astype("int64").astype(str) + "-01-01")
    length = np.where(dates.dt.is_leap_year, 366.0, 365.0)
    return dates.dt.year + (dates - start).dt.days / length


def doubling_months(slope: float) -> float:
    """Months to double for a growth of ``slope`` in log10 units per year (inf if not growing)."""
    return 12 * LOG10_2 / slope if slope > 0 else math.inf


def annual_multiple(slope: float) -> float:
    """The factor by which the quantity grows in one year: 10 ** slope."""
    return 10 ** slope


def _sorted(t, y) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(t, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if t.shape != y.shape or t.ndim != 1:
        raise ValueError("t and y must be one-dimensional and of the same length.")
    if np.isnan(t).any() or np.isnan(y).any():
        raise ValueError("t and y must not hold missing values: drop and report them first.")
    order = np.argsort(t, kind="stable")
    return t[order], y[order]


def _segment_sse(n, st, sy, stt, sty, syy):
    """Residual sum of squares of a least-squares line from running sums (any shape)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        sxx = stt - st * st / n
        sxy = sty - st * sy / n
        syy_c = syy - sy * sy / n
        return syy_c - np.where(sxx > 0, sxy * sxy / sxx, 0.0)


def _line(t: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Intercept and slope of the least-squares line of y on t."""
    slope, intercept = np.polyfit(t, y, 1)
    return float(intercept), float(slope)


def _break_sse(t: np.ndarray, ys: np.ndarray, breaks: np.ndarray, min_segment: int):
    """SSE of the two-line fit at every break for each column of ``ys`` (t sorted).

    Returns (sse array of shape (len(breaks), columns), number before each break); breaks
    leaving fewer than ``min_segment`` observations on a side get infinite SSE.
    """
    n = len(t)
    ys = ys.reshape(n, -1)
    before = np.searchsorted(t, breaks, side="left")  # observations with t < break
    zero = np.zeros((1, ys.shape[1]))

    def running(values):
        return np.vstack([zero, np.cumsum(values, axis=0)])

    ct = np.concatenate([[0.0], np.cumsum(t)])[:, None]
    ctt = np.concatenate([[0.0], np.cumsum(t * t)])[:, None]
    cy, cty, cyy = running(ys), running(t[:, None] * ys), running(ys * ys)
    k = before
    left = _segment_sse(k[:, None].astype("float64"), ct[k], cy[k], ctt[k], cty[k], cyy[k])
    right = _segment_sse((n - k)[:, None].astype("float64"), ct[n] - ct[k], cy[n] - cy[k],
                         ctt[n] - ctt[k], cty[n] - cty[k], cyy[n] - cyy[k])
    sse = left + right
    too_small = (k < min_segment) | (n - k < min_segment)
    sse[too_small] = np.inf
    return sse, before


@dataclass(frozen=True)
class BreakFit:
    """Two separate lines, before and after a break date, and one line for comparison."""

    break_at: float
    intercept_before: float
    slope_before: float
    intercept_after: float
    slope_after: float
    n_before: int
    n_after: int
    sse: float
    sse_one_line: float
    sup_f: float
    profile: pd.DataFrame  # break, sse, f: the criterion at every candidate break

    @property
    def n(self) -> int:
        return self.n_before + self.n_after


def break_search(t, y, breaks, min_segment: int = 20) -> BreakFit:
    """Least-squares break: the candidate in ``breaks`` that minimises the SSE of two lines.

    Each segment needs at least ``min_segment`` observations; candidates that leave fewer
    are skipped. The F statistic at each break compares the two lines (4 parameters) with
    one line (2): ``((SSE1 - SSE2) / 2) / (SSE2 / (n - 4))``; ``sup_f`` is its maximum.
    """
    t, y = _sorted(t, y)
    breaks = np.asarray(breaks, dtype="float64")
    n = len(t)
    sse, before = _break_sse(t, y, breaks, min_segment)
    sse = sse[:, 0]
    if not np.isfinite(sse).any():
        raise ValueError(f"No candidate break leaves {min_segment} observations on each side.")
    sse_one = float(_segment_sse(float(n), t.sum(), y.sum(), (t * t).sum(), (t * y).sum(), (y * y).sum()))
    with np.errstate(divide="ignore", invalid="ignore"):
        f = ((sse_one - sse) / 2) / (sse / (n - 4))
    best = int(np.argmin(sse))
    k = int(before[best])
    a1, b1 = _line(t[:k], y[:k])
    a2, b2 = _line(t[k:], y[k:])
    return BreakFit(
        break_at=float(breaks[best]), intercept_before=a1, slope_before=b1,
        intercept_after=a2, slope_after=b2, n_before=k, n_after=n - k,
        sse=float(sse[best]), sse_one_line=sse_one, sup_f=float(np.max(f[np.isfinite(sse)])),
        profile=pd.DataFrame({"break": breaks, "sse": sse, "f": np.where(np.isfinite(sse), f, np.nan)}),
    )


@dataclass(frozen=True)
class SupFTest:
    """The sup-F test of one line against two, with a wild-bootstrap p-value."""

    sup_f: float
    p_value: float
    critical_95: float
    replications: int


def sup_f_test(t, y, breaks, min_segment: int = 20, replications: int = 999, seed: int = 0) -> SupFTest:
    """Test "no break" against "a break at some candidate date" (sup-F, Andrews 1993).

    The null distribution of sup-F comes from a wild bootstrap of the one-line fit:
    y* = fitted + residual x v with v = +1 or -1 at random (Rademacher), which keeps any
    heteroskedasticity of the residuals. p = (1 + #{sup-F* >= sup-F}) / (1 + replications).
    """
    t, y = _sorted(t, y)
    observed = break_search(t, y, breaks, min_segment).sup_f
    a, b = _line(t, y)
    fitted = a + b * t
    residuals = y - fitted
    rng = np.random.default_rng(seed)
    signs = rng.choice(np.array([-1.0, 1.0]), size=(len(t), replications))
    ys = fitted[:, None] + residuals[:, None] * signs
    sup = _sup_f_columns(t, ys, np.asarray(breaks, dtype="float64"), min_segment)
    p_value = (1 + int((sup >= observed).sum())) / (1 + replications)
    return SupFTest(sup_f=observed, p_value=p_value, critical_95=float(np.quantile(sup, 0.95)),
                    replications=replications)


def _sup_f_columns(t: np.ndarray, ys: np.ndarray, breaks: np.ndarray, min_segment: int) -> np.ndarray:
    """sup-F of each column of ``ys`` (t sorted)."""
    n = len(t)
    sse, _ = _break_sse(t, ys, breaks, min_segment)
    st, stt = t.sum(), (t * t).sum()
    sse_one = _segment_sse(float(n), st, ys.sum(axis=0), stt, (t[:, None] * ys).sum(axis=0), (ys * ys).sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        f = ((sse_one[None, :] - sse) / 2) / (sse / (n - 4))
    f[~np.isfinite(sse)] = -np.inf
    return f.max(axis=0)


def bootstrap_break(t, y, breaks, min_segment: int = 20, replications: int = 999, seed: int = 0) -> pd.DataFrame:
    """Re-estimate the break and both slopes on ``replications`` resamples of the observations
    (drawn with replacement, pairs bootstrap). One row per resample: break, slope_before,
    slope_after. Percentiles of the columns give confidence intervals that carry the
    uncertainty of the break date into the slopes."""
    t, y = _sorted(t, y)
    breaks = np.asarray(breaks, dtype="float64")
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(replications):
        pick = np.sort(rng.integers(0, len(t), size=len(t)))  # t stays sorted
        tb, yb = t[pick], y[pick]
        sse, before = _break_sse(tb, yb, breaks, min_segment)
        if not np.isfinite(sse).any():
            continue
        best = int(np.argmin(sse[:, 0]))
        k = int(before[best])
        rows.append((float(breaks[best]), _line(tb[:k], yb[:k])[1], _line(tb[k:], yb[k:])[1]))
    return pd.DataFrame(rows, columns=["break", "slope_before", "slope_after"])


def percentile_interval(values: pd.Series, confidence: float = 0.95) -> tuple[float, float]:
    """The central ``confidence`` percentile interval of ``values``."""
    tail = (1 - confidence) / 2
    low, high = np.quantile(np.asarray(values, dtype="float64"), [tail, 1 - tail])
    return float(low), float(high)


def doubling_interval(slope_low: float, slope_high: float) -> tuple[float, float]:
    """Doubling times (months) for a slope interval: the higher slope gives the shorter time."""
    return doubling_months(slope_high), doubling_months(slope_low)
