"""Concentration measures: shares, Herfindahl-Hirschman index, top-k share, Lorenz curve, Gini,
their summary per distribution or per market (with a rest-of-the-world entry), and
zero-filled panels of economies by year.

All functions take non-negative amounts (spend, exports, counts) indexed by economy and
refuse input that has no meaning as a distribution: empty, all missing, negative, or
summing to zero. Zeros are valid members of a distribution: an economy recorded with
nothing counts towards ``n`` and raises the Gini coefficient, so every measure depends on
which economies the input includes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd


def split_labels(frame: pd.DataFrame, column: str, separator: str = ",") -> pd.DataFrame:
    """One row per label that ``column`` lists (``separator``-separated), in a new column
    ``label``: labels stripped, empty labels and rows with none dropped."""
    rows = frame.assign(label=frame[column].str.split(separator)).explode("label")
    rows["label"] = rows["label"].str.strip()
    return rows[rows["label"].notna() & (rows["label"] != "")]


def fractional(rows: pd.DataFrame, item: str, key: str) -> pd.DataFrame:
    """Credit each ``item`` 1/k to each of its k distinct ``key`` values (a key named twice
    for one item counts once), in a new column ``fractional``."""
    rows = rows.drop_duplicates([item, key]).copy()
    rows["fractional"] = 1 / rows.groupby(item)[key].transform("size")
    return rows


def shares(amounts: pd.Series) -> pd.Series:
    """Each entry's share of the total (fractions summing to 1), same index as ``amounts``."""
    values = pd.to_numeric(amounts, errors="raise").astype("float64")
    if values.empty:
        raise ValueError("Cannot compute shares of an empty series.")
    if values.isna().any():
        missing = list(values[values.isna()].index)
        raise ValueError(
            f"Cannot compute shares: missing amounts for {missing}. Drop or fill them "
            "explicitly before computing concentration."
        )
    if (values < 0).any():
        negative = list(values[values < 0].index)
        raise ValueError(f"Cannot compute shares: negative amounts for {negative}.")
    total = values.sum()
    if total == 0:
        raise ValueError("Cannot compute shares: the amounts sum to zero.")
    return values / total


def hhi(amounts: pd.Series) -> float:
    """Herfindahl-Hirschman index on the 0-1 scale: the sum of squared shares.

    1/n for n equal shares, 1 for a monopoly. Multiply by 10,000 for the
    competition-authority scale (shares in percent).
    """
    return float((shares(amounts) ** 2).sum())


def equivalent_number(amounts: pd.Series) -> float:
    """Number of equal-sized economies that would give the same HHI (1/HHI)."""
    return 1.0 / hhi(amounts)


def top_share(amounts: pd.Series, k: int) -> float:
    """Combined share of the ``k`` largest entries."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}.")
    return float(shares(amounts).nlargest(k).sum())


def lorenz_curve(amounts: pd.Series) -> pd.DataFrame:
    """Points of the Lorenz curve, from (0, 0) to (1, 1).

    Economies are sorted from the smallest amount to the largest (ties broken by label,
    so the result is deterministic). Row ``i`` gives the cumulative share of economies
    (``i / n``, column ``economy_share``) and the cumulative share of the total amount
    they hold (column ``amount_share``); column ``economy`` names the economy added at
    that point (missing in the first row, the origin). With equal amounts the points lie
    on the diagonal; the further the curve sags below it, the more concentrated the
    amounts.
    """
    share = shares(amounts)
    order = pd.DataFrame({"label": [str(label) for label in share.index], "share": share.to_numpy()})
    order["economy"] = list(share.index)
    order = order.sort_values(["share", "label"], kind="mergesort")
    n = len(order)
    return pd.DataFrame(
        {
            "economy": [pd.NA, *order["economy"]],
            "economy_share": [i / n for i in range(n + 1)],
            "amount_share": [0.0, *order["share"].cumsum().clip(upper=1.0)],
        }
    )


def gini(amounts: pd.Series) -> float:
    """Gini coefficient of the amounts across economies, on the 0-1 scale.

    Definition: one minus twice the area under the Lorenz curve, with the curve drawn as
    straight lines between its points. With amounts ``x_1 <= ... <= x_n`` sorted in
    ascending order this is::

        G = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n

    It is 0 when all economies hold equal amounts and (n - 1) / n when one economy holds
    everything (a monopoly among n economies), so its maximum depends on ``n``. Zeros are
    valid members: adding economies with nothing raises the coefficient, so a Gini is only
    meaningful together with the set of economies it covers. Empty, all-missing,
    partly missing, negative and all-zero input is refused (see :func:`shares`).
    """
    share = shares(amounts).sort_values(kind="mergesort").to_numpy()
    n = len(share)
    ranks = range(1, n + 1)
    weighted = sum(rank * value for rank, value in zip(ranks, share))
    return float(2 * weighted / n - (n + 1) / n)


def summary(amounts: pd.Series) -> pd.Series:
    """The handbook's concentration summary of one distribution across economies.

    Entries: ``economies`` (n, zeros included), ``top1_share``, ``top3_share`` (the
    combined share of the three largest, or of all economies if fewer than three),
    ``hhi`` (0-1 scale), ``equivalent_number`` (1/HHI) and ``gini``.
    """
    values = shares(amounts)
    return pd.Series(
        {
            "economies": float(len(values)),
            "top1_share": top_share(values, 1),
            "top3_share": top_share(values, 3),
            "hhi": hhi(values),
            "equivalent_number": equivalent_number(values),
            "gini": gini(values),
        }
    )


def summary_by(frame: pd.DataFrame, by: str, amount: str, economy: str | None = None) -> pd.DataFrame:
    """:func:`summary` of ``frame[amount]`` within each value of ``frame[by]`` (e.g. year).

    One row per group, sorted by the group value; ``economies`` is an integer column.
    ``economy`` names the column that labels the economies in error messages. Raises
    ValueError naming the group when one group's amounts cannot be summarised (e.g. all
    missing or all zero in that year).
    """
    if frame.empty:
        raise ValueError("Cannot summarise concentration: the frame has no rows.")
    for column in (by, amount, *([economy] if economy else [])):
        if column not in frame.columns:
            raise ValueError(f"Cannot summarise concentration: no column {column!r}.")
    rows = {}
    for group, part in frame.groupby(by, sort=True):
        try:
            values = part.set_index(economy)[amount] if economy else part[amount]
            rows[group] = summary(values)
        except ValueError as error:
            raise ValueError(f"{by} = {group!r}: {error}") from error
    result = pd.DataFrame(rows).T
    result.index.name = by
    result["economies"] = result["economies"].astype("int64")
    return result


def summaries(distributions: Mapping[str, pd.Series]) -> pd.DataFrame:
    """:func:`summary` of each named distribution, one row per name, with ``largest``:
    the label of its largest amount (the first in index order if several tie)."""
    table = pd.DataFrame({name: summary(amounts) for name, amounts in distributions.items()}).T
    table["largest"] = [amounts.idxmax() for amounts in distributions.values()]
    return table


def summary_table(table: pd.DataFrame, counted: Mapping[str, str]) -> pd.DataFrame:
    """:func:`summaries` as the handbook prints them: one column per distribution, one
    row per statistic (HHI on the 0-10,000 scale), with ``counted[name]`` saying what each
    distribution counts."""
    missing = [name for name in table.index if name not in counted]
    if missing:
        raise ValueError(f"summary_table() needs what each distribution counts: counted lacks {missing}.")
    shown = pd.DataFrame(
        {
            "What is counted": [counted[name] for name in table.index],
            "Economies covered": table["economies"].astype(int).map("{:,}".format),
            "Largest economy": table["largest"],
            "Largest economy's share": table["top1_share"].map("{:.1%}".format),
            "Top-3 share": table["top3_share"].map("{:.1%}".format),
            "HHI (0-10,000)": (table["hhi"] * 10_000).map("{:,.0f}".format),
            "Equivalent number of economies": table["equivalent_number"].map("{:.1f}".format),
            "Gini coefficient": table["gini"].map("{:.2f}".format),
        },
        index=table.index,
    ).T
    shown.index.name = "Statistic"
    shown.columns.name = None
    return shown


def market_summary(amounts: pd.Series, residual: str | None = None) -> pd.Series:
    """Concentration of one market across economies, where ``residual`` labels an entry
    that stands for the rest of the world (a source's "Various" or "Other").

    The residual counts towards the total, the HHI and the equivalent number as one
    entry, but is never ranked as an economy. Entries: ``total`` (the amounts' sum as
    given, e.g. printed percentages adding up to 98), ``economies`` (their number),
    ``leaders`` (a tuple of the economies with the largest amount, sorted), ``leader_amount``,
    ``top3_share`` (the share of the total held by the three largest economies, ties
    broken by label), ``hhi`` (0-1 scale), ``residual_hhi`` (the residual's part of it,
    0 without one) and ``equivalent_number``.
    """
    values = pd.to_numeric(amounts, errors="raise").astype("float64")
    share = shares(values)
    economy_share = share.drop(residual, errors="ignore") if residual is not None else share
    if economy_share.empty:
        raise ValueError("Cannot summarise a market that lists no economy besides the residual.")
    ranked = economy_share.rename("share").rename_axis("economy").reset_index().sort_values(
        ["share", "economy"], ascending=[False, True])
    leaders = ranked.loc[ranked["share"] == ranked["share"].iloc[0], "economy"]
    return pd.Series({
        "total": float(values.sum()),
        "economies": int(len(economy_share)),
        "leaders": tuple(leaders),
        "leader_amount": float(values[leaders.iloc[0]]),
        "top3_share": float(ranked["share"].head(3).sum()),
        "hhi": hhi(values),
        "residual_hhi": float(share.get(residual, 0.0) ** 2) if residual is not None else 0.0,
        "equivalent_number": equivalent_number(values),
    })


def zero_filled(frame: pd.DataFrame, economy: str, year: str, amount: str, years: Iterable[int]) -> pd.DataFrame:
    """Amounts per economy and year, over every economy ``frame`` names and every one of
    ``years``, zero where the frame records none; rows of other years are dropped.

    Columns ``year``, ``economy``, ``amount``, sorted by year, then economy. Concentration
    depends on which economies it covers (see the module docstring): a panel like this
    keeps the same economies in every year.
    """
    grid = frame.groupby([year, economy])[amount].sum().unstack(fill_value=0.0)
    grid = grid.reindex(list(years), fill_value=0.0)
    return grid.stack().rename("amount").reset_index().rename(columns={year: "year", economy: "economy"})


def largest_members(start: pd.Series, end: pd.Series, groups: pd.Series, order: Iterable | None = None,
                    name: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Each group's growth with and without its largest member (the largest at ``end``).

    ``start`` and ``end`` hold one value per economy (indexed alike), ``groups`` the group of
    each economy. One row per group: ``largest`` (its code), ``largest_end`` and ``total_end``
    (the member's and the group's value at ``end``), ``largest_share`` (their ratio),
    ``multiple`` (the group's end total over its start total) and ``multiple_without`` (the
    same without the largest member; missing when it is the only member). A group whose
    result is driven by one economy shows a large share and two different multiples.
    ``order`` puts the rows in that order of groups; ``name`` (a code to the name printed,
    such as ``countries.display_name``) adds the largest member's name as ``name``.
    """
    rows = {}
    for group, members in groups.groupby(groups):
        codes = members.index
        largest = end.reindex(codes).idxmax()
        rest = codes.drop(largest)
        rows[group] = {
            "largest": largest,
            "largest_end": float(end[largest]),
            "total_end": float(end.reindex(codes).sum()),
            "largest_share": float(end[largest] / end.reindex(codes).sum()),
            "multiple": float(end.reindex(codes).sum() / start.reindex(codes).sum()),
            "multiple_without": float(end.reindex(rest).sum() / start.reindex(rest).sum()) if len(rest) else float("nan"),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    if order is not None:
        table = table.reindex(list(order))
    if name is not None:
        table["name"] = table["largest"].map(name)
    return table
