"""Which rows an analysis keeps, and why it leaves out each of the others.

A notebook screens a table with ordered checks, each a reason and the rows that pass it.
:func:`screen` keeps the rows that pass every check and reports each other row once,
under the first check it fails, so that every economy that drops out of a comparison is
accounted for. :meth:`Coverage.by_reason` counts the excluded rows per reason, and
:func:`missing_value_reasons` words the most common reason, a value missing in the year
compared (with the latest year that has one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

REASON = "reason"


@dataclass(frozen=True)
class Coverage:
    """The rows a screen keeps, and those it excludes with their reason."""

    kept: pd.DataFrame
    excluded: pd.DataFrame  # the other rows, in the table's order, with column ``reason``
    reasons: tuple[str, ...]  # every reason that excludes a row, in the order of the checks

    def by_reason(self, names: str, title: str = "Economies") -> pd.DataFrame:
        """One row per reason, in the order of the checks: ``Reason``, ``Count`` and
        ``title``, the sorted values of the excluded rows' column ``names``, comma-separated."""
        rows = []
        for reason in self.reasons:
            listed = sorted(self.excluded.loc[self.excluded[REASON] == reason, names])
            rows.append({"Reason": reason, "Count": len(listed), title: ", ".join(listed)})
        return pd.DataFrame(rows, columns=["Reason", "Count", title])


def passing_rows(passes: pd.Series, index: pd.Index, number: int) -> pd.Series:
    """A check's boolean Series on ``index``; a row the check does not list fails it."""
    if not isinstance(passes, pd.Series) or not pd.api.types.is_bool_dtype(passes):
        raise TypeError(
            f"Check {number}: the rows that pass must be a boolean Series aligned with the "
            f"table, got {type(passes).__name__} of dtype {getattr(passes, 'dtype', None)}."
        )
    passes = passes.reindex(index, fill_value=False)
    if passes.isna().any():
        undecided = index[passes.isna().to_numpy()].tolist()
        raise ValueError(f"Check {number} neither passes nor fails the rows {undecided}: fill its missing values.")
    return passes.astype(bool)


def screen(frame: pd.DataFrame, checks: Iterable[tuple[str | pd.Series, pd.Series]]) -> Coverage:
    """Keep the rows of ``frame`` that pass every check; exclude each other row with the
    reason of the first check it fails.

    Each check is ``(reason, passes)``: ``passes`` a boolean Series on the frame's index
    (a row it does not list fails), ``reason`` a text, or a Series of texts on the same
    index when the reason differs by row (see :func:`missing_value_reasons`).
    """
    if not frame.index.is_unique:
        raise ValueError("Cannot screen a table whose index repeats labels: give each row its own label first.")
    if REASON in frame.columns:
        raise ValueError(f"screen() adds the column {REASON!r}, which the table already has: rename it first.")
    reason = pd.Series(None, index=frame.index, dtype="object")
    reasons: list[str] = []
    for number, (why, passes) in enumerate(checks, start=1):
        fails = reason.isna() & ~passing_rows(passes, frame.index, number)
        texts = why.reindex(frame.index) if isinstance(why, pd.Series) else pd.Series(why, index=frame.index)
        unexplained = frame.index[(fails & texts.isna()).to_numpy()].tolist()
        if unexplained:
            raise ValueError(f"Check {number} gives no reason for the rows it excludes: {unexplained}.")
        reason = reason.mask(fails, texts)
        reasons.extend(sorted(set(texts[fails])))
    left_out = reason.notna()
    return Coverage(
        kept=frame[~left_out],
        excluded=frame[left_out].assign(**{REASON: reason[left_out].astype("str")}),
        reasons=tuple(dict.fromkeys(reasons)),
    )


def last_year_with_value(values: pd.DataFrame) -> pd.Series:
    """For each row of a wide table with one column per year (``"2023"`` or 2023), the
    latest year that has a value, as an integer; missing where no year has one."""
    years = pd.Index([int(column) for column in values.columns])
    observed = values.notna().to_numpy()
    latest = [years[row].max() if row.any() else None for row in observed]
    return pd.Series(latest, index=values.index, dtype="Int64")


def missing_value_reasons(codes: pd.Series, last_years: pd.Series, what: str, year: int) -> pd.Series:
    """For each code, why it has no ``what`` for ``year``: ``"no {what} for {year}
    (latest: {last})"`` where ``last_years`` (code to latest year with a value) knows the
    code, else ``"no {what} in any year"``. Aligned with ``codes``."""
    if not last_years.index.is_unique:
        repeated = sorted(last_years.index[last_years.index.duplicated()].unique())
        raise ValueError(f"last_years lists several years for {repeated}: give one latest year per code.")
    last = codes.map(last_years)
    return pd.Series(
        [f"no {what} for {year} (latest: {int(latest)})" if pd.notna(latest) else f"no {what} in any year"
         for latest in last],
        index=codes.index,
        dtype="str",
    )


def repeated_values(values: pd.Series) -> pd.Series:
    """True for each row whose exact value another row also has; False for unique values
    and missing ones.

    In a modelled dataset, economies that share one exact value usually received a
    regional or group estimate rather than a measurement of their own (the AI-diffusion
    data give twelve West African economies the same value, for instance): the flag marks
    such rows as likely imputed, so that a result can be shown without them.
    """
    present = values.notna()
    return present & values.duplicated(keep=False)
