"""Two groups' trends over time compared: a line for each, the gap between them at a date,
and how far one group's best item trails the other's.

:func:`group_lines` fits one least-squares regression with a separate intercept and slope
for each of two groups, ``y = a + b t + c D + d D t`` with ``D = 1`` for the compared group
and ``t`` centred, with heteroskedasticity-robust (HC3 by default) errors. The reference
group's slope is ``b`` and the compared group's ``b + d``; the gap at a date ``t`` is
``c + d t``, with its interval from the same covariance matrix. On a log10 scale the gap
is a factor (``10 ** gap``) and the slopes are growth rates (see
:mod:`aitrade.analysis.trends` for doubling times).

:func:`frontier_lags` asks the question without a line: each time the following group
releases an item better than any of its earlier ones, how long before had the leading
group first released an item at least as good?
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from aitrade.analysis.statistics import StatisticsError, missing_rows


@dataclass(frozen=True)
class GroupLines:
    """Two lines fitted in one regression (see the module docstring)."""

    reference: str
    compared: str
    centre: float            # the t subtracted before fitting
    params: np.ndarray       # a, b, c, d
    cov: np.ndarray          # robust covariance of params
    df_resid: float
    confidence: float
    slopes: pd.DataFrame     # index: group; estimate, std_error, ci_low, ci_high, n
    slope_difference: pd.Series  # estimate, std_error, ci_low, ci_high, p_value (compared minus reference)

    def gap(self, at) -> pd.DataFrame:
        """The compared group's line minus the reference group's at each ``t`` in ``at``:
        ``at``, ``gap``, ``std_error``, ``ci_low``, ``ci_high``."""
        at = np.atleast_1d(np.asarray(at, dtype="float64"))
        design = np.column_stack([np.zeros_like(at), np.zeros_like(at), np.ones_like(at), at - self.centre])
        gap = design @ self.params
        se = np.sqrt(np.einsum("ij,jk,ik->i", design, self.cov, design))
        half = stats.t.ppf(0.5 + self.confidence / 2, self.df_resid) * se
        return pd.DataFrame({"at": at, "gap": gap, "std_error": se, "ci_low": gap - half, "ci_high": gap + half})


def group_lines(frame: pd.DataFrame, t: str, y: str, group: str, reference: str,
                cov_type: str = "HC3", confidence: float = 0.95) -> GroupLines:
    """Fit a line of ``y`` on ``t`` for each of the two groups in ``frame[group]`` in one
    regression; ``reference`` names the group whose line the other is compared with.

    Refuses missing values, a group other than two, and a group with fewer than three rows
    or a single value of ``t``.
    """
    missing = missing_rows(frame, [t, y, group])
    if missing:
        raise StatisticsError(f"Cannot fit {y} on {t} by {group}: rows {missing} have a missing value; "
                              "drop them explicitly and report them.")
    groups = sorted(frame[group].unique().tolist())
    if len(groups) != 2 or reference not in groups:
        raise StatisticsError(f"group_lines needs exactly two groups including {reference!r}; got {groups}.")
    compared = groups[0] if groups[1] == reference else groups[1]
    for name in groups:
        rows = frame[frame[group] == name]
        if len(rows) < 3 or rows[t].nunique() < 2:
            raise StatisticsError(f"Group {name!r} has {len(rows)} row(s) and {rows[t].nunique()} distinct "
                                  f"{t}: a line with standard errors needs at least three rows and two dates.")
    time = frame[t].astype("float64").to_numpy()
    centre = float(np.mean(time))
    time = time - centre
    dummy = (frame[group] == compared).to_numpy().astype("float64")
    design = np.column_stack([np.ones_like(time), time, dummy, dummy * time])
    result = sm.OLS(frame[y].astype("float64").to_numpy(), design).fit(cov_type=cov_type)
    params, cov = np.asarray(result.params), np.asarray(result.cov_params())
    quantile = stats.t.ppf(0.5 + confidence / 2, result.df_resid)
    rows = {}
    for name, weights in ((reference, np.array([0.0, 1.0, 0.0, 0.0])), (compared, np.array([0.0, 1.0, 0.0, 1.0]))):
        estimate, se = float(weights @ params), float(np.sqrt(weights @ cov @ weights))
        rows[name] = {"estimate": estimate, "std_error": se, "ci_low": estimate - quantile * se,
                      "ci_high": estimate + quantile * se, "n": int((frame[group] == name).sum())}
    d, d_se = float(params[3]), float(np.sqrt(cov[3, 3]))
    difference = pd.Series({"estimate": d, "std_error": d_se, "ci_low": d - quantile * d_se,
                            "ci_high": d + quantile * d_se,
                            "p_value": float(2 * stats.t.sf(abs(d / d_se), result.df_resid))})
    return GroupLines(reference=reference, compared=compared, centre=centre, params=params, cov=cov,
                      df_resid=float(result.df_resid), confidence=confidence,
                      slopes=pd.DataFrame.from_dict(rows, orient="index").rename_axis(group),
                      slope_difference=difference)


def frontier_lags(frame: pd.DataFrame, t: str, y: str, group: str, leader: str, follower: str,
                  label: str | None = None) -> pd.DataFrame:
    """For each item of the ``follower`` group that beats every earlier follower item (its
    records, in order of ``t``; ties in ``t`` keep the best), the earliest ``t`` at which a
    ``leader`` item was at least as good, and the lag ``t - leader_t`` (missing where no
    leader item is that good). Columns: ``label`` (if given), ``t``, ``y``, ``leader_label``,
    ``leader_t``, ``leader_y``, ``lag``.
    """
    missing = missing_rows(frame, [t, y, group])
    if missing:
        raise StatisticsError(f"frontier_lags: rows {missing} have a missing value; drop and report them.")
    columns = [t, y] + ([label] if label else [])
    leading = frame.loc[frame[group] == leader, columns].sort_values([t, y], ascending=[True, False])
    following = frame.loc[frame[group] == follower, columns].sort_values([t, y], ascending=[True, False])
    if leading.empty or following.empty:
        raise StatisticsError(f"frontier_lags needs items of both {leader!r} and {follower!r}.")
    records = following[following[y] > following[y].cummax().shift(fill_value=-np.inf)]
    rows = []
    for _, item in records.iterrows():
        reached = leading[leading[y] >= item[y]]
        first = reached.iloc[0] if len(reached) else None
        rows.append({
            **({"label": item[label]} if label else {}),
            "t": float(item[t]), "y": float(item[y]),
            "leader_label": (first[label] if label and first is not None else None),
            "leader_t": float(first[t]) if first is not None else np.nan,
            "leader_y": float(first[y]) if first is not None else np.nan,
            "lag": float(item[t] - first[t]) if first is not None else np.nan,
        })
    result = pd.DataFrame(rows)
    return result if label else result.drop(columns="leader_label")
