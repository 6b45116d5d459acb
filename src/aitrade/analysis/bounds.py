"""The share held by an agreement's participants when some participants are unidentified.

The fact tables name only the participants their sources name: an agreement may count
more participants than the table identifies. The share of a total (world exports, world
GDP...) held by the participants is then known only between two bounds:

- the **lower bound** counts the identified participants alone;
- the **upper bound** adds, for each unidentified participant, the largest economy among
  the candidates (typically the WTO Members not identified), the most the unknown
  participants could hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class ShareBounds:
    """Lower and upper bound of a share, and the candidates the upper bound adds."""

    lower: float
    upper: float
    assumed: tuple[str, ...]  # the candidates counted in the upper bound, largest first


def share_bounds(values: pd.Series, identified: Iterable[str], candidates: Iterable[str],
                 unidentified: int, total: float) -> ShareBounds:
    """Bounds of the share of ``total`` held by the participants.

    ``values`` holds one value per economy, indexed by code (missing values are left
    out). ``identified`` are the codes of the identified participants; the upper bound
    adds the ``unidentified`` largest values among ``candidates``. Codes absent from
    ``values`` count for nothing. Raises ValueError for a negative ``unidentified`` or a
    total that is not positive.
    """
    if unidentified < 0:
        raise ValueError(f"unidentified must be 0 or more, not {unidentified}: "
                         "more participants are identified than the count states.")
    if not total > 0:
        raise ValueError(f"The total must be positive to give a share, not {total}.")
    present = values.reindex(sorted(identified)).dropna()
    added = values.reindex(sorted(candidates)).dropna().nlargest(unidentified)
    lower = present.sum()
    return ShareBounds(
        lower=float(lower / total),
        upper=float((lower + added.sum()) / total),
        assumed=tuple(added.index),
    )


def rate_bounds(identified: pd.Series, members: pd.Series, unidentified: int) -> pd.DataFrame:
    """Bounds of each group's participation rate when ``unidentified`` participants are unknown.

    ``identified`` and ``members`` are aligned by group: the identified participants and
    the Members of each group. The lower bound counts the identified alone; the upper
    bound puts every unidentified participant in that group (capped at its Members), so a
    lower bound of 0 with a positive upper bound is not evidence of no participation.
    Columns ``Lower bound`` and ``Upper bound``, rounded to three decimals.
    """
    if unidentified < 0:
        raise ValueError(f"unidentified must be 0 or more, not {unidentified}.")
    if (identified > members).any():
        raise ValueError("A group has more identified participants than Members: "
                         f"{sorted(identified.index[identified > members])}.")
    upper = (identified + unidentified).clip(upper=members)
    return pd.DataFrame({"Lower bound": (identified / members).round(3),
                         "Upper bound": (upper / members).round(3)})
