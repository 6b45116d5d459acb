"""Revealed comparative advantage (Balassa) and what goes with it: the symmetric index,
who gained or lost an advantage between two years, and a rank correlation with a
bootstrap confidence interval.

Balassa's index for economy i and product group k is

    RCA_ik = (X_ik / X_i) / (X_wk / X_w),

the share of k in i's exports over the share of k in the exports of the whole set of
economies w. Here the "world" is always the set of economies passed in (those with both
values), so the index says how an economy compares with the others in the same table,
and an RCA of 1 is that set's average. A missing value stays missing and that economy
counts towards no world total; an economy that exports nothing of k has RCA 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

GAINED, LOST, KEPT, NEVER = "gained", "lost", "kept", "never"
TRANSITIONS = (KEPT, GAINED, LOST, NEVER)


def balassa(product: pd.Series, total: pd.Series) -> pd.Series:
    """Balassa's RCA of each economy in one product group, world totals from the same economies.

    ``product`` holds each economy's exports of the group (X_ik), ``total`` its exports of
    everything the denominator covers (X_i), both indexed by economy. An economy missing in
    either, or with a total of zero, gets a missing RCA and is left out of both world sums.
    Refuses negative values, a product larger than its total, and a set of economies with
    no exports of the group at all.
    """
    product, total = product.astype("float64").align(total.astype("float64"), join="outer")
    negative = product.index[(product < 0) | (total < 0)].tolist()
    if negative:
        raise ValueError(f"Negative exports for {negative}.")
    larger = product.index[(product > total)].tolist()
    if larger:
        raise ValueError(f"Exports of the group exceed total exports for {larger}: the group must be part of the total.")
    counted = product.notna() & total.notna() & (total > 0)
    if not counted.any():
        raise ValueError("No economy has both exports of the group and a positive total.")
    world_share = product[counted].sum() / total[counted].sum()
    if world_share == 0:
        raise ValueError("No economy in the set exports the group: its world share is zero.")
    rca = (product / total).where(counted) / world_share
    return rca.rename("rca")


def balassa_by(frame: pd.DataFrame, by: str, product: str, total: str) -> pd.Series:
    """:func:`balassa` within each group of ``frame[by]`` (e.g. each year), same index as ``frame``."""
    if frame.index.has_duplicates:
        raise ValueError("The frame's index must be unique (one row per economy and group).")
    parts = [balassa(rows[product], rows[total]) for _, rows in frame.groupby(by, sort=True)]
    return pd.concat(parts).reindex(frame.index)


def symmetric(rca: pd.Series) -> pd.Series:
    """Symmetric RCA, (RCA - 1) / (RCA + 1): from -1 (no exports) through 0 (RCA 1) towards +1.

    Bounded and symmetric around the neutral value, unlike RCA itself, which runs from 0 to
    1 for a disadvantage and from 1 to infinity for an advantage. Missing stays missing.
    """
    values = rca.astype("float64")
    if (values < 0).any():
        raise ValueError(f"Negative RCA for {values.index[values < 0].tolist()}.")
    return (values - 1) / (values + 1)


def transitions(start: pd.Series, end: pd.Series, threshold: float = 1.0) -> pd.Series:
    """For each economy with a value in both years: kept, gained, lost or never (RCA > threshold).

    Economies missing in either year are left out, never counted as a loss or a gain.
    """
    both = pd.concat({"start": start, "end": end}, axis=1).dropna()
    above_start, above_end = both["start"] > threshold, both["end"] > threshold
    labels = np.select(
        [above_start & above_end, ~above_start & above_end, above_start & ~above_end],
        [KEPT, GAINED, LOST],
        default=NEVER,
    )
    return pd.Series(labels, index=both.index, name="transition")


@dataclass(frozen=True)
class RankCorrelation:
    """Spearman's rank correlation with a percentile bootstrap interval."""

    estimate: float
    ci_low: float
    ci_high: float
    n: int
    draws: int
    confidence: float


def spearman(x: pd.Series, y: pd.Series) -> float:
    """Spearman's rank correlation (Pearson correlation of average ranks) of two aligned series."""
    rx, ry = x.rank().to_numpy(), y.rank().to_numpy()
    rx, ry = rx - rx.mean(), ry - ry.mean()
    denominator = np.sqrt((rx ** 2).sum() * (ry ** 2).sum())
    if denominator == 0:
        raise ValueError("Spearman's correlation is undefined when one series is constant.")
    return float((rx * ry).sum() / denominator)


def rank_correlation(x: pd.Series, y: pd.Series, draws: int = 2000, seed: int = 0,
                     confidence: float = 0.95) -> RankCorrelation:
    """Spearman's correlation of ``x`` and ``y`` (aligned on the index) with a bootstrap CI.

    The interval is the percentile interval of the correlation over ``draws`` resamples of
    economies with replacement (seeded, so it is reproducible); resamples in which one
    series is constant are drawn again. Refuses missing values and fewer than 4 economies.
    """
    if not x.index.equals(y.index):
        raise ValueError("x and y must have the same index.")
    pairs = pd.concat({"x": x, "y": y}, axis=1)
    missing = pairs.index[pairs.isna().any(axis=1)].tolist()
    if missing:
        raise ValueError(f"Missing values for {missing}: drop them explicitly and report them.")
    n = len(pairs)
    if n < 4:
        raise ValueError(f"Too few economies for a rank correlation: {n}.")
    rng = np.random.default_rng(seed)
    values = pairs.reset_index(drop=True)
    estimates = []
    while len(estimates) < draws:
        sample = values.iloc[rng.integers(0, n, n)]
        if sample["x"].nunique() < 2 or sample["y"].nunique() < 2:
            continue
        estimates.append(spearman(sample["x"], sample["y"]))
    tail = (1 - confidence) / 2
    low, high = np.quantile(estimates, [tail, 1 - tail])
    return RankCorrelation(spearman(pairs["x"], pairs["y"]), float(low), float(high), n, draws, confidence)


def balanced_panel(product: pd.DataFrame, total: pd.DataFrame, years) -> pd.DataFrame:
    """:func:`balassa` for each of ``years`` over the economies that have both values in every one.

    ``product`` and ``total`` are economy x year tables (columns are years). Keeping the same
    economies in every year means an economy's RCA changes only through trade, not through
    other economies entering or leaving the set that defines the world. Returns economy x
    year RCA for the balanced set (sorted by economy).
    """
    years = list(years)
    absent = [year for year in years if year not in product.columns or year not in total.columns]
    if absent:
        raise ValueError(f"No column for the year(s) {absent} in both tables.")
    both = product[years].notna() & total.reindex(product.index)[years].notna()
    keep = sorted(both.index[both.all(axis=1)])
    if not keep:
        raise ValueError(f"No economy has both values in every one of {years}.")
    return pd.DataFrame({year: balassa(product.loc[keep, year], total.loc[keep, year]) for year in years},
                        index=pd.Index(keep, name=product.index.name)).rename_axis(columns="year")
