"""Country and economy names: the one place where a dataset's labels become ISO3 codes.

Names are matched through ``pycountry`` (ISO 3166), after an explicit table of the
labels that ISO does not cover or that datasets print differently (``U.S.``, ``EU``,
``Chinese Taipei``, ``Kosovo``...). Aggregates such as the European Union get a code
and are flagged, so they are never mixed with countries by accident. A label that
matches nothing raises :class:`CountryMatchError` listing every unmatched label:
nothing drops out silently.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pycountry


class CountryMatchError(ValueError):
    """One or more labels match no economy; the message lists them all."""


# Aggregates: World Bank-style codes, never ISO 3166 countries.
AGGREGATES = {
    "EUU": "European Union",
}

# Economies outside ISO 3166 or named differently by the WTO.
NON_ISO_ECONOMIES = {
    "XKX": "Kosovo",
}

# Display names where the handbook follows WTO usage rather than ISO's short name.
DISPLAY_NAMES = {
    "TWN": "Chinese Taipei",
    "HKG": "Hong Kong, China",
    "MAC": "Macao, China",
    "USA": "United States",
    "RUS": "Russian Federation",
    "KOR": "Korea, Republic of",
    **AGGREGATES,
    **NON_ISO_ECONOMIES,
}

# Labels that datasets print and pycountry does not resolve (or resolves ambiguously).
ALIASES = {
    "u.s.": "USA",
    "us": "USA",
    "united states of america": "USA",
    "eu": "EUU",
    "european union": "EUU",
    "russia": "RUS",
    "chinese taipei": "TWN",
    "taiwan": "TWN",
    "hong kong, china": "HKG",
    "hong kong": "HKG",
    "macao, china": "MAC",
    "macau": "MAC",
    "kosovo": "XKX",
    "turkey": "TUR",
    "korea": "KOR",
    "south korea": "KOR",
}


def lookup_iso3(label: str) -> str | None:
    """ISO3 (or aggregate) code for one label, or None if nothing matches."""
    key = label.strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    code = label.strip().upper()
    if code in AGGREGATES or code in NON_ISO_ECONOMIES:
        return code
    try:
        return pycountry.countries.lookup(label.strip()).alpha_3
    except LookupError:
        return None


def to_iso3(labels: Iterable[str]) -> list[str]:
    """ISO3 codes for ``labels``, in order; raise if any label matches nothing."""
    labels = list(labels)
    codes = [lookup_iso3(label) for label in labels]
    unmatched = sorted({label for label, code in zip(labels, codes) if code is None})
    if unmatched:
        raise CountryMatchError(
            f"{len(unmatched)} label(s) match no economy: {unmatched}. Add each to "
            "ALIASES in src/aitrade/countries.py with its ISO3 code, or fix the data."
        )
    return codes


def display_name(iso3: str) -> str:
    """The name the handbook prints for an ISO3 or aggregate code."""
    if iso3 in DISPLAY_NAMES:
        return DISPLAY_NAMES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise CountryMatchError(f"{iso3!r} is not an ISO3 code or a known aggregate.")
    return getattr(country, "common_name", None) or country.name


def is_aggregate(iso3: str) -> bool:
    """True for groups of economies (e.g. the European Union), False for single economies."""
    return iso3 in AGGREGATES


def economies(labels: Iterable[str]) -> pd.DataFrame:
    """One row per distinct label: ``label``, ``iso3``, ``name``, ``is_aggregate``."""
    distinct = list(dict.fromkeys(labels))
    codes = to_iso3(distinct)
    return pd.DataFrame(
        {
            "label": distinct,
            "iso3": codes,
            "name": [display_name(code) for code in codes],
            "is_aggregate": [is_aggregate(code) for code in codes],
        }
    )
