"""Concentration measures: shares, Herfindahl-Hirschman index, top-k share.

All functions take non-negative amounts (spend, exports, counts) indexed by economy and
refuse input that has no meaning as a distribution: empty, all missing, negative, or
summing to zero.
"""

from __future__ import annotations

import pandas as pd


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
