"""Numbers, years and meetings as the handbook's fact tables state them in text.

The fact tables keep a figure in the words of its source ("more than 70; 70% notified
in the last three years", "74 (Colombia = 74th)", "2017 / 2019 / 2020-10-30"), so that
nothing is rounded or reworded on the way in. These helpers read the number or the years
back out of such text: :func:`stated_number` refuses text without one, the others return
None or an empty list.

Every row of a fact table carries a confidence in one vocabulary (:data:`CONFIDENCE`,
defined in the catalogue's description): ``primary`` (read in the primary document),
``secondary`` (read in a source citing it) or ``unverified`` (no source read states it).
:func:`verified` keeps the rows a headline count may use.
"""

from __future__ import annotations

import re

import pandas as pd

PRIMARY, SECONDARY, UNVERIFIED = "primary", "secondary", "unverified"
CONFIDENCE = (PRIMARY, SECONDARY, UNVERIFIED)

_STATED = re.compile(r"(?P<qualifier>[a-z ]*?)\s*(?P<number>\d[\d,]*)$")
_LEADING = re.compile(r"\s*(\d+)")


def stated_number(value: str) -> tuple[str, int]:
    """The qualifier and the number a reported value opens with, up to its first ";".

    "more than 70; 70% notified in the last three years" gives ("more than", 70); a bare
    "1,200" gives ("exactly", 1200). Raises ValueError when the text before the first ";"
    is not a lower-case qualifier followed by a number.
    """
    first = str(value).split(";")[0].strip()
    match = _STATED.match(first)
    if not match:
        raise ValueError(
            f"No stated number in {value!r}: expected a qualifier and a number before any ';', "
            "such as 'more than 70'."
        )
    return match["qualifier"] or "exactly", int(match["number"].replace(",", ""))


def leading_number(cell) -> int | None:
    """The whole number a text cell starts with ("74 (Colombia = 74th)" gives 74).

    None for a missing cell or one that does not start with a digit.
    """
    if pd.isna(cell):
        return None
    match = _LEADING.match(str(cell))
    return int(match.group(1)) if match else None


def count_years(year, date) -> list[int]:
    """The year(s) a stated count refers to: ``year`` when given, else each year of a
    ``date`` listing several ("2017 / 2019 / 2020-10-30" gives [2017, 2019, 2020]).

    An empty list when neither says (an undated count such as "after 2012-08").
    """
    if pd.notna(year):
        return [int(year)]
    if " / " in str(date):
        return [int(part[:4]) for part in str(date).split(" / ")]
    return []


def meetings(rows: pd.DataFrame) -> str:
    """Meetings as "MC12 Geneva (2022), MC13 Abu Dhabi (2024)", in order of year.

    ``rows`` has the columns ``ministerial``, ``place`` and ``conference_year`` (the
    ``wto-ecommerce-moratorium`` fact table); rows of one year keep their order.
    """
    ordered = rows.sort_values("conference_year", kind="stable")
    return ", ".join(f"{row['ministerial']} {row['place']} ({int(row['conference_year'])})"
                     for _, row in ordered.iterrows())


def verified(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of a fact table whose confidence is primary or secondary: what a headline
    count may include. Refuses a table with a confidence outside :data:`CONFIDENCE`."""
    unknown = sorted(set(rows["confidence"]) - set(CONFIDENCE))
    if unknown:
        raise ValueError(f"Confidence {unknown} is not one of {list(CONFIDENCE)}: "
                         "use the vocabulary defined in data/datapackage.json.")
    return rows[rows["confidence"] != UNVERIFIED]
