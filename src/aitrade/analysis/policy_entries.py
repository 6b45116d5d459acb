"""National AI policy entries (OECD.AI): who has entries, since when, and how many.

The ``oecd-ai-policy-entries`` dataset lists AI policy initiatives by jurisdiction and
start year. Its jurisdictions are economies, the European Union and international bodies;
:func:`entries` keys each entry to the handbook's country layer (ISO3 code, ``EUU`` for the
EU, World Bank income group and region), never to the intermediary's own joins, which the
loader drops. The other functions count what a page or a country profile needs:

- :func:`per_economy`: per ISO3 code, the number of entries and the span of start years
  (the country profiles' "national AI policy entries");
- :func:`first_years`: the start year of each jurisdiction's first entry;
- :func:`by_year`: entries and jurisdictions with at least one entry, per year and
  cumulated;
- :func:`by_group`: per income group (or region), how many economies have entries, and
  the economy that weighs most in the group's count.

Entries without a start year are never dropped silently: the counts by year leave them out
and :func:`per_economy` counts them apart.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from aitrade import countries, data

DATASET = "oecd-ai-policy-entries"
ECONOMY, EUROPEAN_UNION, INTERNATIONAL, UNSTATED = "economy", "European Union", "international body", "no jurisdiction"

# OECD.AI jurisdictions that are international bodies, not economies (groups to the
# country layer, which also knows "World" or "High income": those are refused here).
INTERNATIONAL_BODIES = frozenset({
    "OECD/GPAI",
    "The United Nations Educational, Scientific and Cultural Organization",
    "United Nations",
    "African Union",
    "Association of Southeast Asian Nations",
    "G7",
    "Inter-American Development Bank",
})

ENTRY_COLUMNS = ["entry_id", "title", "jurisdiction", "year"]


class PolicyEntriesError(ValueError):
    """The entries cannot be keyed or counted as asked; the message says why."""


def entries(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per entry, keyed to the country layer.

    ``table`` is the loaded dataset (default: ``data.load("oecd-ai-policy-entries")``).
    Adds ``kind`` (economy, European Union, international body, no jurisdiction),
    ``iso3`` (``EUU`` for the EU; empty for bodies and entries with no jurisdiction),
    ``name`` (the handbook's name), ``income_group`` and ``region`` (World Bank, economies
    only). A label that is neither a known economy, the EU nor a listed international body
    raises :class:`aitrade.countries.CountryMatchError` (from the country layer) or
    :class:`PolicyEntriesError`: nothing drops out silently.
    """
    table = data.load(DATASET) if table is None else table
    missing = [column for column in ENTRY_COLUMNS if column not in table.columns]
    if missing:
        raise PolicyEntriesError(f"The entries table lacks the column(s) {missing}.")
    frame = table[ENTRY_COLUMNS].copy()
    labels = frame["jurisdiction"].astype("string").str.strip()
    stated = labels.notna() & (labels != "")
    keyed = countries.tag(
        pd.DataFrame({"label": labels[stated].astype(str)}, index=frame.index[stated]),
        "label", columns=["iso3", "kind", "name", "income_group", "region"],
        rename={"kind": "layer_kind"},
    )
    eu = keyed["iso3"] == "EUU"
    body = keyed["label"].isin(INTERNATIONAL_BODIES) & ~eu
    other = keyed[(keyed["layer_kind"] != countries.ECONOMY) & ~eu & ~body]
    if not other.empty:
        raise PolicyEntriesError(
            f"Jurisdiction(s) {sorted(other['label'].unique())} are neither an economy, the EU "
            "nor a listed international body: add a body to INTERNATIONAL_BODIES (and to "
            "AGGREGATE_NAMES in src/aitrade/countries.py), or map an economy's name in ALIASES."
        )
    economy = keyed.index[(~eu & ~body).to_numpy()]
    frame["kind"] = UNSTATED
    frame.loc[keyed.index[body.to_numpy()], "kind"] = INTERNATIONAL
    frame.loc[keyed.index[eu.to_numpy()], "kind"] = EUROPEAN_UNION
    frame.loc[economy, "kind"] = ECONOMY
    for column in ("iso3", "income_group", "region"):
        frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
        frame.loc[economy, column] = keyed.loc[economy, column]
    frame.loc[keyed.index[eu.to_numpy()], "iso3"] = "EUU"
    frame["name"] = labels.astype("string")
    frame.loc[economy, "name"] = keyed.loc[economy, "name"]
    frame.loc[keyed.index[eu.to_numpy()], "name"] = keyed.loc[eu, "name"]
    return frame


def per_economy(frame: pd.DataFrame | None = None, include_eu: bool = True) -> pd.DataFrame:
    """Per ISO3 code (``EUU`` for the EU unless ``include_eu`` is False): ``name``,
    ``entries`` (all of its entries), ``dated`` (entries with a start year), ``first_year``
    and ``last_year`` (the span of start years, empty if none is dated), ``income_group``
    and ``region``. Sorted by entries, most first, then by code. Only economies (and the
    EU) with at least one entry have a row: an economy absent here is not listed by
    OECD.AI, which is not the same as having no AI policy.
    """
    frame = entries() if frame is None else frame
    kinds = [ECONOMY, EUROPEAN_UNION] if include_eu else [ECONOMY]
    keyed = frame[frame["kind"].isin(kinds)]
    grouped = keyed.groupby("iso3")
    result = pd.DataFrame({
        "name": grouped["name"].first(),
        "entries": grouped.size().astype("int64"),
        "dated": grouped["year"].count().astype("int64"),
        "first_year": grouped["year"].min().astype("Int64"),
        "last_year": grouped["year"].max().astype("Int64"),
        "income_group": grouped["income_group"].first(),
        "region": grouped["region"].first(),
    })
    result.index.name = "iso3"
    return result.reset_index().sort_values(["entries", "iso3"], ascending=[False, True]).set_index("iso3")


def first_years(frame: pd.DataFrame, key: str = "jurisdiction") -> pd.Series:
    """The start year of the first dated entry of each value of ``key`` (undated entries
    are ignored; a jurisdiction with none has no first year)."""
    dated = frame[frame["year"].notna()]
    return dated.groupby(key)["year"].min().astype("int64").rename("first_year")


def by_year(frame: pd.DataFrame, years: Iterable[int], key: str = "jurisdiction") -> pd.DataFrame:
    """Per year of ``years``: ``entries`` starting that year, ``cumulative_entries`` (all
    dated entries up to that year, earlier years included), ``new_jurisdictions`` (values of
    ``key`` whose first entry starts that year) and ``jurisdictions`` (with at least one
    entry up to that year). Undated entries are left out; the caller reports them."""
    years = list(years)
    if not years or years != sorted(set(years)):
        raise PolicyEntriesError("by_year() needs the years in increasing order, each once.")
    dated = frame[frame["year"].notna()].astype({"year": "int64"})
    counts = dated.groupby("year").size()
    first = first_years(dated, key).value_counts()
    before = int(counts[counts.index < years[0]].sum())
    firsts_before = int(first[first.index < years[0]].sum())
    result = pd.DataFrame(index=pd.Index(years, name="year"))
    result["entries"] = counts.reindex(years, fill_value=0).astype("int64")
    result["cumulative_entries"] = before + result["entries"].cumsum()
    result["new_jurisdictions"] = first.reindex(years, fill_value=0).astype("int64")
    result["jurisdictions"] = firsts_before + result["new_jurisdictions"].cumsum()
    return result


def by_group(counts: pd.DataFrame, classified: pd.Series, order: Iterable[str] | None = None) -> pd.DataFrame:
    """Per group (e.g. World Bank income group): how many economies have entries.

    ``counts`` is :func:`per_economy` without the EU (one row per ISO3 with ``entries`` and
    ``name``); ``classified`` gives the group of every economy classified (ISO3 index),
    so that a group's economies without entries count too. Columns: ``economies`` (in the
    group), ``with_entries``, ``share_with_entries``, ``entries``, ``entries_per_economy``
    (over the economies with entries), ``largest`` (the name of the economy with the most
    entries, ties broken by name), ``largest_entries``, ``largest_share`` (of the group's
    entries) and ``entries_per_economy_without_largest``. Economies in ``counts`` but not
    in ``classified`` raise :class:`PolicyEntriesError`, naming them.
    """
    if "EUU" in counts.index:
        raise PolicyEntriesError("by_group() counts economies: pass per_economy(include_eu=False).")
    unknown = sorted(set(counts.index) - set(classified.dropna().index))
    if unknown:
        raise PolicyEntriesError(
            f"Economies with entries but no group: {unknown}; report them and drop them first."
        )
    groups = classified.dropna()
    rows = {}
    for group in (list(order) if order is not None else sorted(groups.unique())):
        members = groups.index[groups == group]
        present = counts[counts.index.isin(members)].sort_values(["entries", "name"], ascending=[False, True])
        total = int(present["entries"].sum())
        row = {"economies": len(members), "with_entries": len(present),
               "share_with_entries": len(present) / len(members) if len(members) else float("nan"),
               "entries": total}
        if len(present):
            row.update({
                "entries_per_economy": total / len(present),
                "largest": present["name"].iloc[0],
                "largest_entries": int(present["entries"].iloc[0]),
                "largest_share": present["entries"].iloc[0] / total,
                "entries_per_economy_without_largest": (
                    (total - present["entries"].iloc[0]) / (len(present) - 1) if len(present) > 1 else float("nan")
                ),
            })
        rows[group] = row
    result = pd.DataFrame.from_dict(rows, orient="index")
    result.index.name = "group"
    return result
