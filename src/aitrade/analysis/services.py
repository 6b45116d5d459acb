"""Digitally deliverable services trade, selected from UNCTAD's raw Data360 file.

The catalogue's ``unctad-digitally-deliverable-services`` is UNCTAD's long SDMX-CSV as
World Bank Data360 distributes it: one row per geography x indicator x year, trade values
in US dollars times ``10**UNIT_MULT`` (millions), ICT-use indicators in the same file, and
two aggregates (WLD, SSF) among the economies. :func:`trade_values` makes the one
selection the notebooks share: one flow, values in US dollars, the observation status
kept (a missing value stays a row, with status ``O`` and no value), economies and
aggregates told apart. :func:`digitally_deliverable_exports` and
:func:`digitally_deliverable_imports` apply it to the catalogue's file; :func:`world_total`
gives UNCTAD's own world row; :func:`wide` turns the long table into economy x year.
"""

from __future__ import annotations

import pandas as pd

DATASET = "unctad-digitally-deliverable-services"
INDICATORS = {
    "exports": "UNCTAD_DE_DIG_SERVTRADE_ANN_EXP",
    "imports": "UNCTAD_DE_DIG_SERVTRADE_ANN_IMP",
}
WORLD = "WLD"
COLUMNS = ["code", "label", "year", "usd", "status"]
MISSING_STATUS = "O"


def trade_values(raw: pd.DataFrame, flow: str = "exports") -> pd.DataFrame:
    """One row per geography and year of ``flow`` ("exports" or "imports") in ``raw`` (the
    dataset as loaded): ``code`` (REF_AREA), ``label``, ``year``, ``usd`` (current US
    dollars: OBS_VALUE x 10**UNIT_MULT; missing where the status is ``O``) and ``status``
    (OBS_STATUS: ``A`` normal value, ``O`` missing value), sorted by code and year.

    Refuses an unknown flow, a flow absent from ``raw``, a unit other than US dollars, a
    value with status ``O`` and a geography-year given twice.
    """
    if flow not in INDICATORS:
        raise ValueError(f"flow must be one of {sorted(INDICATORS)}, got {flow!r}.")
    indicator = INDICATORS[flow]
    rows = raw[raw["INDICATOR"] == indicator]
    if rows.empty:
        raise ValueError(f"The table has no rows of indicator {indicator} ({flow}).")
    units = sorted(rows["UNIT_MEASURE"].dropna().unique())
    if units != ["USD"]:
        raise ValueError(f"{indicator} should be in USD, but its units are {units}.")
    missing = rows["OBS_STATUS"] == MISSING_STATUS
    valued_missing = missing & rows["OBS_VALUE"].notna()
    if valued_missing.any():
        raise ValueError(
            f"{indicator}: {int(valued_missing.sum())} row(s) have status {MISSING_STATUS} "
            f"(missing value) but hold a value, e.g. {rows.loc[valued_missing, 'REF_AREA'].head(3).tolist()}."
        )
    duplicated = rows.duplicated(["REF_AREA", "TIME_PERIOD"], keep=False)
    if duplicated.any():
        raise ValueError(
            f"{indicator}: geography-years given twice: "
            f"{rows.loc[duplicated, ['REF_AREA', 'TIME_PERIOD']].drop_duplicates().head(5).values.tolist()}."
        )
    multiplier = 10.0 ** rows["UNIT_MULT"].astype("float64")
    table = pd.DataFrame({
        "code": rows["REF_AREA"].astype(str),
        "label": rows["REF_AREA_LABEL"].astype("string"),
        "year": rows["TIME_PERIOD"].astype("int64"),
        "usd": rows["OBS_VALUE"].astype("float64") * multiplier,
        "status": rows["OBS_STATUS"].astype(str),
    })
    return table.sort_values(["code", "year"]).reset_index(drop=True)[COLUMNS]


def with_kind(values: pd.DataFrame) -> pd.DataFrame:
    """``values`` with ``kind`` ("economy" or "aggregate") from :mod:`aitrade.countries`."""
    from aitrade import countries  # reads the classification snapshots: imported when needed

    kinds = countries.economies(values["code"].unique(), kind="code").set_index("label")["kind"]
    return values.assign(kind=values["code"].map(kinds))


def digitally_deliverable_trade(flow: str = "exports", aggregates: bool = False) -> pd.DataFrame:
    """:func:`trade_values` of the catalogue's UNCTAD file, economies only unless
    ``aggregates`` (then with a ``kind`` column telling them apart)."""
    from aitrade import data

    values = with_kind(trade_values(data.load(DATASET), flow))
    if aggregates:
        return values
    return values[values["kind"] == "economy"].drop(columns="kind").reset_index(drop=True)


def digitally_deliverable_exports(aggregates: bool = False) -> pd.DataFrame:
    """Exports of digitally deliverable services by economy and year, in US dollars."""
    return digitally_deliverable_trade("exports", aggregates)


def digitally_deliverable_imports(aggregates: bool = False) -> pd.DataFrame:
    """Imports of digitally deliverable services by economy and year, in US dollars."""
    return digitally_deliverable_trade("imports", aggregates)


def world_total(flow: str = "exports") -> pd.Series:
    """UNCTAD's own world row (WLD) of ``flow``, in US dollars, by year."""
    from aitrade import data

    values = trade_values(data.load(DATASET), flow)
    world = values[values["code"] == WORLD]
    if world.empty:
        raise ValueError(f"The UNCTAD file has no world row ({WORLD}) for {flow}.")
    return world.set_index("year")["usd"].rename(f"world_{flow}_usd")


def wide(values: pd.DataFrame) -> pd.DataFrame:
    """Economy (code) x year of ``usd``; a missing value, or a year an economy lacks, is NaN."""
    return values.pivot(index="code", columns="year", values="usd").rename_axis(index="code", columns="year")
