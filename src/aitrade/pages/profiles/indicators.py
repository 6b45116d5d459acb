"""The profiles' numeric indicators: one reader per dataset, ranks among WTO Members.

Each reader returns one row per profile key with data (the economy's ISO3 code, ``EUU`` for
the EU), with columns ``value`` (float), ``year`` (text shown as the vintage) and
``detail`` (text or empty). **Missing is missing**: an economy absent from a dataset, or
with an empty cell, has no row, so it shows "no data" and gets no rank; only a zero the
data record is a zero. **Ranks** count only the WTO Members (not the EU) with a value,
largest value first; equal values share the best rank (competition ranking, "1224").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from aitrade import countries, data
from aitrade.analysis import coverage, policy_entries, services

WORLD_CODE = "WLD"
AIPI = "imf-ai-preparedness-2023"
INTERNET = "wdi-internet-users"
DIFFUSION = "ms-ai-diffusion"
ICT_EXPORTS = "wdi-ict-service-exports"
MODELS = "epoch-notable-ai-models-2026"
CLUSTERS = "epoch-gpu-clusters"
LPI = "wb-lpi-2010-2023"
DIGITAL_SERVICES = "unctad-digitally-deliverable-services"
POLICY_ENTRIES = policy_entries.DATASET


class ProfileError(ValueError):
    """The data cannot be turned into profiles as they stand (the message says why)."""


def latest_wide_values(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A World Bank wide file: (latest value and year per key, the full year table by key)."""
    table = data.load(name)
    table["key"] = countries.economy_codes(table["Country Code"], kind="code")
    years = [column for column in table.columns if column.isdigit()]
    wide = table.set_index("Country Code")[years].astype("float64")
    keyed = table[table["key"].notna()].set_index("key")[years].astype("float64")
    if keyed.index.duplicated().any():
        raise ProfileError(f"{name}: two rows map to the same economy.")
    present = coverage.last_year_with_value(keyed).dropna().astype(str)
    values = [keyed.at[key, year] for key, year in present.items()]
    frame = pd.DataFrame({"value": values, "year": present.astype(str)}, index=present.index)
    return frame, wide


def read_aipi() -> pd.DataFrame:
    """IMF AI Preparedness Index, 2023 (0-1)."""
    table = data.load(AIPI)
    column = next(column for column in table.columns if column.startswith("aipi_overall_"))
    table["key"] = countries.economy_codes(table["code"], kind="code")
    table = table[table["key"].notna() & table[column].notna()]
    return pd.DataFrame(
        {"value": table[column].astype("float64").to_numpy(),
         "year": column.rsplit("_", 1)[1], "detail": ""},
        index=pd.Index(table["key"], name="key"),
    )


def read_internet() -> pd.DataFrame:
    """Individuals using the Internet, % of population, latest year per economy."""
    frame, _ = latest_wide_values(INTERNET)
    return frame.assign(detail="")


def read_diffusion() -> pd.DataFrame:
    """Microsoft AI diffusion, % of the working-age population, latest period."""
    table = data.load(DIFFUSION)
    column = [column for column in table.columns if column.endswith("AI Diffusion")][-1]
    table["key"] = countries.economy_codes(table["Economy"], kind="name")
    table = table[table["key"].notna() & table[column].notna()]
    return pd.DataFrame(
        {"value": table[column].astype("float64").to_numpy(),
         "year": column.removesuffix(" AI Diffusion"), "detail": ""},
        index=pd.Index(table["key"], name="key"),
    )


def read_ict_exports() -> pd.DataFrame:
    """ICT service exports, current US$, latest year, with the share of the world total."""
    frame, wide = latest_wide_values(ICT_EXPORTS)
    world = wide.loc[WORLD_CODE] if WORLD_CODE in wide.index else pd.Series(dtype="float64")
    return frame.assign(detail=world_shares(frame["value"], frame["year"], world, "the world total"))


def world_shares(values, years, world: pd.Series, total_name: str) -> list[str]:
    """Each value as a share of the world total of its year (``world`` indexed by year)."""
    details = []
    for value, year in zip(values, years):
        total = world.get(year)
        details.append(
            f"{value / total:.2%} of {total_name}" if total is not None and pd.notna(total) and total > 0
            else "world total not available for that year"
        )
    return details


def notable_model_credits() -> pd.DataFrame:
    """One row per notable AI model and economy of a developing organisation, with the
    chapter's rule (:func:`aitrade.countries.fractional_credits`): a model developed in
    *k* economies gives 1/*k* to each. Columns: ``Model``, ``key`` (ISO3), ``fractional``."""
    credits = countries.fractional_credits(data.load(MODELS), "Model", data.resource(MODELS)["countries"]["field"])
    return credits.rename(columns={"iso3": "key"})[["Model", "key", "fractional"]].reset_index(drop=True)


def read_models() -> pd.DataFrame:
    """Notable AI models credited to each economy (fractional count), all years."""
    models = data.load(MODELS)
    dates = models["Publication date"].dropna()
    period = f"{dates.min().year}-{dates.max():%b %Y}"
    credits = notable_model_credits()
    grouped = credits.groupby("key").agg(value=("fractional", "sum"), models=("Model", "nunique"))
    return pd.DataFrame(
        {"value": grouped["value"].astype("float64"), "year": period,
         "detail": [f"{count:,} model{'s' if count != 1 else ''} with a developer here"
                    for count in grouped["models"]]},
        index=grouped.index.rename("key"),
    )


def standard_clusters() -> pd.DataFrame:
    """The GPU clusters in Epoch's standard analysis set that name an economy, with ``key``."""
    clusters = data.load(CLUSTERS)
    standard = clusters[clusters["Include in Standard Analysis"].fillna(False).astype(bool)].copy()
    standard["key"] = countries.economy_codes(standard["Country"], kind="name")
    return standard[standard["key"].notna()]


def read_clusters() -> pd.DataFrame:
    """H100 equivalents of the GPU clusters in Epoch's standard analysis set, by country."""
    usable = standard_clusters()
    usable = usable[usable["H100 equivalents"].notna()]
    dates = usable["First Operational Date"].dropna()
    period = f"first operational to {dates.max():%b %Y}"
    grouped = usable.groupby("key").agg(
        value=("H100 equivalents", "sum"), clusters=("H100 equivalents", "size")
    )
    return pd.DataFrame(
        {"value": grouped["value"].astype("float64"), "year": period,
         "detail": [f"{count:,} cluster{'s' if count != 1 else ''}" for count in grouped["clusters"]]},
        index=grouped.index.rename("key"),
    )


def read_cluster_power() -> pd.DataFrame:
    """Power capacity in MW of the GPU clusters in Epoch's standard analysis set, by country:
    Epoch's 'Power Capacity (MW)', the reported figure where there is one, else Epoch's
    calculation; clusters without either are left out and the detail says how many count."""
    usable = standard_clusters()
    usable = usable[usable["Power Capacity (MW)"].notna()].copy()
    usable["reported"] = usable["Reported Power Capacity (MW)"].notna()
    dates = usable["First Operational Date"].dropna()
    period = f"first operational to {dates.max():%b %Y}"
    grouped = usable.groupby("key").agg(
        value=("Power Capacity (MW)", "sum"), clusters=("reported", "size"), reported=("reported", "sum")
    )
    details = [
        f"{count:,} cluster{'s' if count != 1 else ''} with a power figure: {reported:,} reported, "
        f"{count - reported:,} calculated by Epoch"
        for count, reported in zip(grouped["clusters"], grouped["reported"])
    ]
    return pd.DataFrame(
        {"value": grouped["value"].astype("float64"), "year": period, "detail": details},
        index=grouped.index.rename("key"),
    )


def read_lpi() -> pd.DataFrame:
    """World Bank Logistics Performance Index, latest edition only (1-5). Earlier editions
    are not shown for economies the latest one does not score: the 2023 edition is not
    established as comparable with earlier ones, so a 2018 score is not a stand-in."""
    table = data.load(LPI)
    latest = int(table["Current_Year"].max())
    table = table[(table["Current_Year"] == latest) & table["LPI_Score"].notna()].copy()
    table["key"] = countries.economy_codes(table["Economy"], kind="name")
    table = table[table["key"].notna()]
    return pd.DataFrame(
        {"value": table["LPI_Score"].astype("float64").to_numpy(), "year": str(latest), "detail": ""},
        index=pd.Index(table["key"], name="key"),
    )


def read_digital_services() -> pd.DataFrame:
    """UNCTAD digitally deliverable services exports, US$, latest year with a value, with
    the share of UNCTAD's world total of that year."""
    values = services.digitally_deliverable_exports()
    values = values[values["usd"].notna()].copy()
    values["key"] = countries.economy_codes(values["code"], kind="code")
    values = values[values["key"].notna()]
    latest = values.sort_values("year").groupby("key").tail(1).set_index("key")
    details = world_shares(latest["usd"], latest["year"], services.world_total("exports"), "UNCTAD's world total")
    return pd.DataFrame(
        {"value": latest["usd"].astype("float64"), "year": latest["year"].astype(str), "detail": details},
        index=latest.index.rename("key"),
    )


def read_policy_entries() -> pd.DataFrame:
    """National AI policy initiatives listed by the OECD.AI Policy Observatory (entry
    metadata only), with the span of their start years."""
    counts = policy_entries.per_economy()
    spans = [
        "" if pd.isna(first) else f"start years {first}" if first == last else f"start years {first}-{last}"
        for first, last in zip(counts["first_year"], counts["last_year"])
    ]
    undated = counts["entries"] - counts["dated"]
    details = [span + (f"; {missing:,} without a start year" if missing else "") for span, missing in zip(spans, undated)]
    return pd.DataFrame(
        {"value": counts["entries"].astype("float64"), "year": "as copied in Jan 2026", "detail": details},
        index=counts.index.rename("key"),
    )


def us_dollars(value: float) -> str:
    """An amount in US$ with a readable unit."""
    for size, unit in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(value) >= size:
            return f"US$ {value / size:,.1f} {unit}"
    return f"US$ {value:,.0f}"


@dataclass(frozen=True)
class Indicator:
    """One numeric indicator of the profiles."""

    key: str
    label: str
    dataset: str
    unit: str
    note: str
    read: Callable[[], pd.DataFrame]
    format: Callable[[float], str]


INDICATORS = (
    Indicator("aipi", "AI Preparedness Index", AIPI, "score from 0 to 1", "IMF index of digital infrastructure, human capital, innovation and regulation; higher is better prepared.", read_aipi, "{:.3f}".format),
    Indicator("internet", "Internet use", INTERNET, "% of population", "Share of the population that used the Internet in the last three months (ITU estimates); latest year with a value.", read_internet, "{:.1f}%".format),
    Indicator("diffusion", "AI diffusion", DIFFUSION, "% of working-age population", "Share of the working-age population using generative-AI products, modelled by Microsoft from telemetry; latest period.", read_diffusion, "{:.1f}%".format),
    Indicator("ict_exports", "ICT services exports", ICT_EXPORTS, "current US$", "Exports of computer, telecommunications and information services (balance of payments); latest year with a value.", read_ict_exports, us_dollars),
    Indicator("digital_services", "Digitally deliverable services exports", DIGITAL_SERVICES, "current US$", "Exports of services that can be delivered remotely over computer networks (UNCTAD estimates); latest year with a value (2023 is incomplete, so some economies show an earlier year).", read_digital_services, us_dollars),
    Indicator("lpi", "Logistics Performance Index", LPI, "score from 1 to 5", "World Bank survey of logistics professionals rating customs, infrastructure, shipments, logistics services, tracking and timeliness; higher is better. Latest edition (2023, published with one decimal) only: an economy scored only in earlier editions shows no data, as the editions are not established as comparable.", read_lpi, "{:.1f}".format),
    Indicator("models", "Notable AI models", MODELS, "fractional count", "Models in Epoch AI's database with a developing organisation here; a model developed in k economies counts 1/k for each.", read_models, "{:,.1f}".format),
    Indicator("compute", "GPU-cluster compute", CLUSTERS, "H100 equivalents", "Performance of the GPU clusters located here in Epoch AI's standard analysis set, in Nvidia H100 equivalents.", read_clusters, "{:,.0f}".format),
    Indicator("cluster_power", "GPU-cluster power capacity", CLUSTERS, "megawatts", "Power capacity of the GPU clusters located here in Epoch AI's standard analysis set: the reported figure where there is one, otherwise Epoch's estimate from the chips installed.", read_cluster_power, "{:,.1f}".format),
    Indicator("policy_entries", "National AI policy entries", POLICY_ENTRIES, "entries", "AI policy initiatives (strategies, laws, bodies, programmes) that the OECD.AI Policy Observatory lists for this economy; a count of what OECD.AI collected, not a measure of how strong or binding the policies are. An economy OECD.AI does not list shows no data.", read_policy_entries, "{:,.0f}".format),
)


def competition_ranks(values: pd.Series) -> pd.Series:
    """Ranks, largest first; equal values share the best rank (1, 2, 2, 4). Missing: no rank."""
    present = values.dropna()
    return present.rank(method="min", ascending=False).astype("int64").reindex(values.index).astype("Int64")


def indicator_columns(codes: pd.Index, is_eu: pd.Series) -> pd.DataFrame:
    """For each indicator of :data:`INDICATORS` and each code: ``<key>`` (value, missing
    when the dataset has none), ``<key>_year``, ``<key>_detail``, ``<key>_rank`` (among
    the WTO Members with a value; missing for the EU and for missing values) and
    ``<key>_n`` (how many Members have a value)."""
    table = pd.DataFrame(index=codes)
    economies = ~is_eu
    for indicator in INDICATORS:
        frame = indicator.read()
        if frame.index.duplicated().any():
            raise ProfileError(f"{indicator.dataset}: two rows map to the same economy.")
        frame = frame.reindex(codes)
        table[indicator.key] = frame["value"].astype("Float64")
        table[f"{indicator.key}_year"] = frame["year"].astype("string")
        table[f"{indicator.key}_detail"] = frame["detail"].astype("string")
        ranked = table.loc[economies, indicator.key].astype("float64")
        table[f"{indicator.key}_rank"] = competition_ranks(ranked).reindex(codes)
        table[f"{indicator.key}_n"] = int(ranked.notna().sum())
    return table

