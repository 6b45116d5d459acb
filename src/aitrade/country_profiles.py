"""Country profiles, generated from the catalogue: an index and one page per WTO Member.

One page per WTO Member economy and one for the European Union gathers, for that
economy, its World Bank classification, its WTO membership, its participation in the
Information Technology Agreement (ITA), the ITA Expansion and the Joint Statement
Initiative (JSI) on e-commerce, and a few AI and digital-trade indicators, each with its
year, its rank among the WTO Members that have data, and the dataset it comes from.

Every value is read with :func:`aitrade.data.load` and every label mapped with
:mod:`aitrade.countries`. ``python -m aitrade profiles pages`` writes the pages; a test
fails when the pages on disk differ from what the data produce.

Conventions:

- **Missing is missing.** An economy absent from a dataset, or with an empty cell, shows
  "no data in <dataset>" and gets no rank. Only a zero the data record is a zero.
- **Ranks** count only the WTO Members (not the EU) with a value, largest value first.
  Equal values share the best rank (competition ranking, "1224"): two Members tied for
  third are both "joint 3rd", and the next is 5th.
- **"Not identified"**: the WTO fact tables list only the participants their sources
  name (37 of 56 ITA participants, 6 of 24 ITA Expansion participants, part of the 91 JSI
  participants). A Member absent from a table may be one of the unnamed participants, so
  the pages never say "not a participant".
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from aitrade import charts, countries, data
from aitrade.dataset_pages import escape, licence_cell

PAGES_DIR = data.PROJECT_DIR / "book" / "country-profiles"
INDEX_PAGE = PAGES_DIR / "index.md"
INDEX_DOC = "book/country-profiles/index.md"
FILTER_SCRIPT = "country-profiles/filter.js"
EU_CODE = "EUU"
EU_SLUG = "eu"
WORLD_CODE = "WLD"

CLASSIFICATION = "wb-class-economies"
EU_COMPOSITION = "wb-class-compositions"
MEMBERS = "wto-members"
ITA = "wto-ita-participants"
ITA_EXPANSION = "wto-ita-expansion-participants"
JSI = "wto-jsi-ecommerce-participants"
AIPI = "imf-ai-preparedness-2023"
INTERNET = "wdi-internet-users"
DIFFUSION = "ms-ai-diffusion"
ICT_EXPORTS = "wdi-ict-service-exports"
MODELS = "epoch-notable-ai-models"
CLUSTERS = "epoch-gpu-clusters"

# Every dataset the profiles read (their catalogue usedBy lists the index page).
DATASETS = (
    CLASSIFICATION, EU_COMPOSITION, MEMBERS, ITA, ITA_EXPANSION, JSI,
    AIPI, INTERNET, DIFFUSION, ICT_EXPORTS, MODELS, CLUSTERS,
)

# The internet-use chart starts here (a presentation choice: earlier values are near zero).
CHART_FIRST_YEAR = 2000

# Participation statuses: the code in the table, and the short text of the index.
PARTICIPANT, THROUGH_EU, THROUGH_OTHER, NOT_ESTABLISHED, NOT_IDENTIFIED = (
    "participant", "through-eu", "through-other", "not-established", "not-identified",
)
STATUS_SHORT = {
    PARTICIPANT: "Participant",
    THROUGH_EU: "Through the EU",
    THROUGH_OTHER: "Through another participant",
    NOT_ESTABLISHED: "Not established",
    NOT_IDENTIFIED: "Not identified",
}


class ProfileError(ValueError):
    """The data cannot be turned into profiles as they stand (the message says why)."""


# ---------------------------------------------------------------------------------------
# Mapping labels to profiles


@functools.cache
def members() -> pd.DataFrame:
    """One row per WTO Member (the EU included), indexed by ISO3 (``EUU`` for the EU).

    Columns: ``name``, ``slug``, ``is_eu``, ``wto_membership_date``, ``original_member``,
    ``income_group``, ``region``, ``eu_member_state``.
    """
    table = data.load(MEMBERS)
    labels = countries.economies(table["member"], kind="name")
    if labels["iso3"].isna().any() or labels["iso3"].duplicated().any():
        raise ProfileError(f"{MEMBERS}: every Member must map to one distinct code.")
    original = dict(zip(table["member"].str.strip(), table["original_member"]))
    frame = pd.DataFrame(
        {
            "name": labels["name"].to_numpy(),
            "is_eu": (labels["iso3"] == EU_CODE).to_numpy(),
            "wto_membership_date": labels["wto_membership_date"].to_numpy(),
            "original_member": labels["label"].map(original).astype(bool).to_numpy(),
            "income_group": labels["income_group"].to_numpy(),
            "region": labels["region"].to_numpy(),
        },
        index=pd.Index(labels["iso3"].astype(str), name="iso3"),
    )
    if frame["is_eu"].sum() != 1:
        raise ProfileError(f"{MEMBERS}: expected the European Union once among the Members.")
    frame["slug"] = [EU_SLUG if is_eu else code.lower() for code, is_eu in zip(frame.index, frame["is_eu"])]
    frame["eu_member_state"] = frame.index.isin(countries.eu_member_states())
    return frame.sort_values("name", kind="mergesort")


def profile_keys(labels: pd.Series, kind: str, separator: str | None = None) -> pd.Series:
    """For each label, its profile key: the ISO3 code of an economy, ``EUU`` for the
    European Union, or missing for any other group or former economy."""
    table = countries.economies(labels, kind=kind, separator=separator)
    key = table["iso3"].where(table["kind"] == countries.ECONOMY)
    key = key.mask(table["name"] == countries.display_name(EU_CODE), EU_CODE)
    mapping = dict(zip(table["label"], key))
    return labels.map(lambda label: mapping.get(str(label).strip()) if pd.notna(label) else None)


# ---------------------------------------------------------------------------------------
# Numeric indicators: each reader returns one row per profile key with data, with
# columns value (float), year (text shown as the vintage) and detail (text or empty).


def latest_wide_values(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A World Bank wide file: (latest value and year per key, the full year table by key)."""
    table = data.load(name)
    table["key"] = profile_keys(table["Country Code"], kind="code")
    years = [column for column in table.columns if column.isdigit()]
    wide = table.set_index("Country Code")[years].astype("float64")
    keyed = table[table["key"].notna()].set_index("key")[years].astype("float64")
    if keyed.index.duplicated().any():
        raise ProfileError(f"{name}: two rows map to the same economy.")
    latest_year = keyed.notna().iloc[:, ::-1].idxmax(axis=1).where(keyed.notna().any(axis=1))
    present = latest_year.dropna()
    values = [keyed.at[key, year] for key, year in present.items()]
    frame = pd.DataFrame({"value": values, "year": present.astype(str)}, index=present.index)
    return frame, wide


def read_aipi() -> pd.DataFrame:
    """IMF AI Preparedness Index, 2023 (0-1)."""
    table = data.load(AIPI)
    column = next(column for column in table.columns if column.startswith("aipi_overall_"))
    table["key"] = profile_keys(table["code"], kind="code")
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
    table["key"] = profile_keys(table["Economy"], kind="name")
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
    details = []
    for value, year in zip(frame["value"], frame["year"]):
        total = world.get(year)
        details.append(
            f"{value / total:.2%} of the world total" if total is not None and pd.notna(total) and total > 0
            else "world total not available for that year"
        )
    return frame.assign(detail=details)


def notable_model_credits() -> pd.DataFrame:
    """One row per notable AI model and economy of a developing organisation, with the
    chapter's rule (:func:`aitrade.countries.fractional_credits`): a model developed in
    *k* economies gives 1/*k* to each. Columns: ``Model``, ``key`` (ISO3), ``fractional``."""
    credits = countries.fractional_credits(data.load(MODELS), "Model", "Country (from Organization)")
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


def read_clusters() -> pd.DataFrame:
    """H100 equivalents of the GPU clusters in Epoch's standard analysis set, by country."""
    clusters = data.load(CLUSTERS)
    standard = clusters[clusters["Include in Standard Analysis"].fillna(False).astype(bool)].copy()
    standard["key"] = profile_keys(standard["Country"], kind="name")
    usable = standard[standard["key"].notna() & standard["H100 equivalents"].notna()]
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
    Indicator("aipi", "AI Preparedness Index", AIPI, "score from 0 to 1",
              "IMF index of digital infrastructure, human capital, innovation and regulation; higher is better prepared.",
              read_aipi, lambda value: f"{value:.3f}"),
    Indicator("internet", "Internet use", INTERNET, "% of population",
              "Share of the population that used the Internet in the last three months (ITU estimates); latest year with a value.",
              read_internet, lambda value: f"{value:.1f}%"),
    Indicator("diffusion", "AI diffusion", DIFFUSION, "% of working-age population",
              "Share of the working-age population using generative-AI products, modelled by Microsoft from telemetry; latest period.",
              read_diffusion, lambda value: f"{value:.1f}%"),
    Indicator("ict_exports", "ICT services exports", ICT_EXPORTS, "current US$",
              "Exports of computer, telecommunications and information services (balance of payments); latest year with a value.",
              read_ict_exports, us_dollars),
    Indicator("models", "Notable AI models", MODELS, "fractional count",
              "Models in Epoch AI's database with a developing organisation here; a model developed in k economies counts 1/k for each.",
              read_models, lambda value: f"{value:,.1f}"),
    Indicator("compute", "GPU-cluster compute", CLUSTERS, "H100 equivalents",
              "Performance of the GPU clusters located here in Epoch AI's standard analysis set, in Nvidia H100 equivalents.",
              read_clusters, lambda value: f"{value:,.0f}"),
)


def competition_ranks(values: pd.Series) -> pd.Series:
    """Ranks, largest first; equal values share the best rank (1, 2, 2, 4). Missing: no rank."""
    present = values.dropna()
    return present.rank(method="min", ascending=False).astype("int64").reindex(values.index).astype("Int64")


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st..."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# ---------------------------------------------------------------------------------------
# Participation in the ITA, the ITA Expansion and the JSI on e-commerce


def long_date(value) -> str:
    """1 January 1995."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def ita_statuses(table: pd.DataFrame) -> pd.DataFrame:
    """ITA status of every profile: columns status, text."""
    ita = data.load(ITA)
    ita["key"] = profile_keys(ita["participant"], kind="name")
    rows = ita.set_index("key")
    # Members covered through another participant, e.g. Liechtenstein through Switzerland:
    # the names in parentheses of "2 (Switzerland + Liechtenstein)".
    covered_by = {}
    for key, row in rows.iterrows():
        if key == EU_CODE or pd.isna(row["wto_members_covered_now"]) or row["wto_members_covered_now"] <= 1:
            continue
        inside = re.search(r"\((.*)\)", str(row["wto_members_covered"]))
        names = [name.strip() for name in inside.group(1).split("+")] if inside else []
        for other in profile_keys(pd.Series(names, dtype="object"), kind="name").dropna():
            if other != key:
                covered_by[other] = key
    eu_row = rows.loc[EU_CODE] if EU_CODE in rows.index else None
    statuses, texts = [], []
    for key, profile in table.iterrows():
        row = rows.loc[key] if key in rows.index else None
        if profile["eu_member_state"] and eu_row is not None:
            own = ""
            if row is not None and "through the EC" in str(row["wto_members_covered"]):
                own = f" Covered since {escape(row['joined'])}: {escape(row['joined_basis'])}."
            elif row is not None:
                own = (f" It was a participant in its own right (joined: {escape(row['joined'])}) "
                       "until its schedule was covered through the EU's.")
            statuses.append(THROUGH_EU)
            texts.append(f"Participant through the {eu_link()} (the EU joined: {escape(eu_row['joined'])}, "
                         f"{escape(eu_row['joined_basis'])}).{own}")
        elif row is not None:
            basis = escape(row["joined_basis"])
            statuses.append(PARTICIPANT)
            texts.append(f"Participant; joined: {escape(row['joined'])} ({basis}).")
        elif key in covered_by:
            other = covered_by[key]
            statuses.append(THROUGH_OTHER)
            texts.append(f"Covered through the participation of {profile_link(table, other)}.")
        else:
            statuses.append(NOT_IDENTIFIED)
            texts.append(
                "Not identified: not among the participants named in the fact table, which does "
                "not list every current participant; it may be one of the unnamed ones."
            )
    return pd.DataFrame({"status": statuses, "text": texts}, index=table.index)


def ita_expansion_statuses(table: pd.DataFrame) -> pd.DataFrame:
    """ITA Expansion (ITA II) status of every profile: columns status, text."""
    expansion = data.load(ITA_EXPANSION)
    expansion["key"] = profile_keys(expansion["participant"], kind="name")
    rows = expansion.set_index("key")
    eu_row = rows.loc[EU_CODE] if EU_CODE in rows.index else None
    statuses, texts = [], []
    for key, profile in table.iterrows():
        row = rows.loc[key] if key in rows.index else None
        if row is not None and row["participation_status"] == "not-established":
            statuses.append(NOT_ESTABLISHED)
            texts.append(f"Not established: {escape(row['status'])}.")
        elif row is not None:
            later = " (joined after the Nairobi declaration)" if row["participation_status"] == "later-joiner" else ""
            statuses.append(PARTICIPANT)
            texts.append(f"Participant{later}: {escape(row['status'])}.")
        elif profile["eu_member_state"] and eu_row is not None and eu_row["participation_status"] == "participant":
            statuses.append(THROUGH_EU)
            texts.append(f"Participant through the {eu_link()}, which the fact table names as a participant.")
        else:
            statuses.append(NOT_IDENTIFIED)
            texts.append(
                "Not identified: the fact table names only some of the participants of the "
                "Nairobi declaration; it may be one of the unnamed ones."
            )
    return pd.DataFrame({"status": statuses, "text": texts}, index=table.index)


def jsi_statuses(table: pd.DataFrame) -> pd.DataFrame:
    """JSI e-commerce status of every profile: columns status, text."""
    jsi = data.load(JSI)
    jsi["key"] = profile_keys(jsi["participant"], kind="name")
    statuses, texts = [], []
    for key, profile in table.iterrows():
        rows = jsi[jsi["key"] == key]
        if not rows.empty:
            # Every row of the fact table is an event of a participant, including the
            # participants that did not join the 2024 statement on the stabilised text.
            events = [f"{escape(event)}, {escape(date)}" for event, date in zip(rows["event"], rows["date"])]
            statuses.append(PARTICIPANT)
            texts.append("Participant: " + "; ".join(events) + ".")
        elif profile["eu_member_state"] and (jsi["key"] == EU_CODE).any():
            statuses.append(THROUGH_EU)
            texts.append(f"Participant through the {eu_link()}, which signs for its member States.")
        else:
            statuses.append(NOT_IDENTIFIED)
            texts.append(
                "Not identified: the fact table names only some of the participants (the "
                "Buenos Aires list breaks off and several later joiners are unnamed); it may "
                "be one of the unnamed ones."
            )
    return pd.DataFrame({"status": statuses, "text": texts}, index=table.index)


def eu_link() -> str:
    """A {doc} link to the EU's profile."""
    return f"{{doc}}`European Union <{EU_SLUG}>`"


def profile_link(table: pd.DataFrame, key: str) -> str:
    """A {doc} link to another profile."""
    return f"{{doc}}`{escape(table.at[key, 'name'])} <{table.at[key, 'slug']}>`"


# ---------------------------------------------------------------------------------------
# The table of every profile


@functools.cache
def profile_table() -> pd.DataFrame:
    """One row per WTO Member and the EU (index: ISO3, ``EUU`` for the EU), sorted by name.

    Columns: the classification and membership of :func:`members`; for the ITA, the ITA
    Expansion and the JSI, ``<agreement>_status`` and ``<agreement>_text``; for each
    indicator of :data:`INDICATORS`, ``<key>`` (value, missing when the dataset has
    none), ``<key>_year``, ``<key>_detail``, ``<key>_rank`` (among WTO Members with a
    value, missing for the EU and for missing values) and ``<key>_n`` (how many Members
    have a value).
    """
    table = members().copy()
    for prefix, statuses in (("ita", ita_statuses), ("ita2", ita_expansion_statuses), ("jsi", jsi_statuses)):
        found = statuses(table)
        table[f"{prefix}_status"] = found["status"]
        table[f"{prefix}_text"] = found["text"]
    economies = ~table["is_eu"]
    for indicator in INDICATORS:
        frame = indicator.read()
        if frame.index.duplicated().any():
            raise ProfileError(f"{indicator.dataset}: two rows map to the same economy.")
        frame = frame.reindex(table.index)
        table[indicator.key] = frame["value"].astype("Float64")
        table[f"{indicator.key}_year"] = frame["year"].astype("string")
        table[f"{indicator.key}_detail"] = frame["detail"].astype("string")
        ranked = table.loc[economies, indicator.key].astype("float64")
        table[f"{indicator.key}_rank"] = competition_ranks(ranked).reindex(table.index)
        table[f"{indicator.key}_n"] = int(ranked.notna().sum())
    return table


def rank_text(table: pd.DataFrame, key: str, indicator: Indicator) -> str:
    """'12th of 140 Members with data', 'joint 3rd of ...', or why there is no rank."""
    row = table.loc[key]
    if row["is_eu"]:
        return "not ranked (a group of WTO Members)"
    if pd.isna(row[indicator.key]):
        return "no rank (no data)"
    rank = int(row[f"{indicator.key}_rank"])
    ties = int((table.loc[~table["is_eu"], f"{indicator.key}_rank"] == rank).sum())
    joint = "joint " if ties > 1 else ""
    return f"{joint}{ordinal(rank)} of {row[f'{indicator.key}_n']} Members with data"


# ---------------------------------------------------------------------------------------
# The chart: internet use over time, the economy against the median WTO Member


@functools.cache
def internet_years() -> tuple[pd.DataFrame, pd.Series]:
    """(internet use by profile key and year from CHART_FIRST_YEAR, median of the WTO
    Member economies for the years in which at least half of them have a value)."""
    table = data.load(INTERNET)
    table["key"] = profile_keys(table["Country Code"], kind="code")
    years = [column for column in table.columns if column.isdigit() and int(column) >= CHART_FIRST_YEAR]
    keyed = table[table["key"].notna()].set_index("key")[years].astype("float64")
    member_table = members()
    economies = keyed.loc[keyed.index.isin(member_table.index[~member_table["is_eu"]])]
    enough = economies.notna().sum() >= (~member_table["is_eu"]).sum() / 2
    median = economies.loc[:, enough].median()
    return keyed, median


def internet_chart(table: pd.DataFrame, key: str) -> str | None:
    """The chart's HTML for one profile, or None when the economy has no internet data."""
    keyed, median = internet_years()
    if key not in keyed.index or keyed.loc[key].isna().all():
        return None
    name = table.at[key, "name"]
    own = keyed.loc[key].dropna()
    median_label = "Median of WTO Members"
    rows = pd.concat([
        pd.DataFrame({"year": own.index.astype(int), "series": name, "value": own.to_numpy()}),
        pd.DataFrame({"year": median.index.astype(int), "series": median_label, "value": median.to_numpy()}),
    ], ignore_index=True)
    last_year = own.index[-1]
    compare_year = last_year if last_year in median.index else median.index[-1]
    subject = "the EU" if table.at[key, "is_eu"] else name
    finding = (
        f"In {last_year}, {own[last_year]:.0f}% of people in {subject} used the Internet; "
        f"the median WTO Member: {median[compare_year]:.0f}% in {compare_year}"
    )
    description = (
        f"Line chart of the share of the population using the Internet, in percent, by year. "
        f"{name}: {own.iloc[0]:.1f}% in {own.index[0]} and {own.iloc[-1]:.1f}% in {last_year}. "
        f"Median of the WTO Member economies with data: {median.iloc[0]:.1f}% in {median.index[0]} "
        f"and {median.iloc[-1]:.1f}% in {median.index[-1]} (years in which at least half of them have a value)."
    )
    chart = (
        alt.Chart(rows)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("value:Q", title="Internet users (% of population)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("series:N", title=None, sort=[name, median_label]),
            strokeDash=alt.StrokeDash("series:N", title=None, sort=[name, median_label]),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("value:Q", title="Internet users (%)", format=".1f"),
            ],
        )
        .properties(width=440, height=240, title=charts.title(finding, "Individuals using the Internet, % of population"))
    )
    annotated = charts.annotate(chart, description=description, datasets=[INTERNET], digits={"value": 4})
    # The spec was built by Altair's own classes: skip its slow schema validation.
    return charts.render_html(annotated.to_dict(validate=False))


# ---------------------------------------------------------------------------------------
# Pages


@functools.cache
def catalogue_entry(name: str) -> dict:
    """A dataset's catalogue entry, read once per run (cleared by :func:`expected_pages`)."""
    return data.resource(name, whole_catalogue())


@functools.cache
def whole_catalogue() -> dict:
    """The catalogue, read once per run."""
    return data.read_catalogue()


def dataset_doc(name: str, text: str | None = None) -> str:
    """A {doc} link to a dataset's appendix page."""
    label = text or catalogue_entry(name)["shortTitle"]
    return f"{{doc}}`{escape(label)} </book/appendix/datasets/{name}>`"


def missing_text(name: str) -> str:
    """What a page prints for a missing value."""
    return f"no data in `{name}`"


def page_path(slug: str) -> Path:
    """Where a profile page lives."""
    return PAGES_DIR / f"{slug}.md"


def front_matter(description: str, orphan: bool = False) -> list[str]:
    """The page's YAML front matter with its meta description.

    Profiles are ``orphan`` pages: outside the table of contents, reached from the index's
    table. Listing 166 of them in every page's sidebar would triple the build time and
    the weight of every page, for a list nobody reads in that form.
    """
    lines = ["---"] + (["orphan: true"] if orphan else [])
    return lines + ["myst:", "  html_meta:", f"    description: {json.dumps(description, ensure_ascii=False)}", "---"]


def membership_text(row: pd.Series) -> str:
    """'since 1 January 1995 (original Member)'."""
    text = f"Member since {long_date(row['wto_membership_date'])}"
    return text + (" (original Member)" if row["original_member"] else "")


def render_profile(table: pd.DataFrame, key: str) -> str:
    """The Markdown page of one profile."""
    row = table.loc[key]
    name, slug, is_eu = row["name"], row["slug"], bool(row["is_eu"])
    used = [MEMBERS, ITA, ITA_EXPANSION, JSI]
    used = ([EU_COMPOSITION] if is_eu else [CLASSIFICATION]) + used
    summary_bits = [membership_text(row).replace("Member since", "WTO Member since")]
    if not is_eu:
        summary_bits.append(f"{row['income_group'] if pd.notna(row['income_group']) else 'income group not classified'}, "
                            f"{row['region']}")
    summary = (
        f"Country profile of {name}: " + "; ".join(summary_bits) + ". Participation in the ITA, the "
        "ITA Expansion and the JSI on e-commerce, and AI and digital-trade indicators, each with "
        "its year, rank among WTO Members and source."
    )
    lines = front_matter(summary, orphan=True) + [f"(profile-{slug})=", f"# {escape(name)}", ""]
    if is_eu:
        states = [code for code in countries.eu_member_states() if code in table.index]
        lines += [
            "The European Union is a WTO Member in its own right, alongside its "
            f"{len(states)} member States, each of which is also a Member "
            f"({dataset_doc(EU_COMPOSITION, 'World Bank group compositions')}): "
            + ", ".join(profile_link(table, code) for code in sorted(states, key=lambda code: table.at[code, 'name']))
            + ".",
            "",
            "It takes part in the ITA, the ITA Expansion and the JSI on e-commerce for all "
            "of them. It is **not ranked** among WTO Members: ranks compare economies, and "
            "the EU is a group of them. Values below are EU aggregates where a dataset "
            "publishes one (they add up the member States, trade between them included), "
            "and no data otherwise.",
            "",
        ]
    else:
        eu_note = (f" It is a member State of the {eu_link()}, which takes part in WTO "
                   "agreements on its behalf.") if row["eu_member_state"] else ""
        lines += [
            f"This page gathers, for {escape(name)}, its WTO participation and the handbook's "
            "AI and digital-trade indicators. Each value comes with its year, its rank among "
            "the WTO Members that have data, and the dataset it comes from; a missing value "
            f"is shown as missing, never as zero.{eu_note} How ranks are counted and what "
            "\"not identified\" means is explained in {doc}`the index of profiles <index>`.",
            "",
        ]

    lines += ["## WTO membership and participation", "",
              ":::{container} profile-wto",
              "| Item | Status | Source |", "|---|---|---|"]
    if is_eu:
        lines.append(f"| Income group and region | not applicable: a group of economies | {dataset_doc(CLASSIFICATION)} |")
    else:
        income = row["income_group"] if pd.notna(row["income_group"]) else f"not classified ({missing_text(CLASSIFICATION)})"
        lines.append(f"| Income group (FY2025) | {escape(income)} | {dataset_doc(CLASSIFICATION)} |")
        lines.append(f"| Region | {escape(row['region'])} | {dataset_doc(CLASSIFICATION)} |")
    lines.append(f"| WTO membership | {membership_text(row)} | {dataset_doc(MEMBERS)} |")
    lines.append(f"| Information Technology Agreement (ITA) | {row['ita_text']} | {dataset_doc(ITA)} |")
    lines.append(f"| ITA Expansion (ITA II, 2015) | {row['ita2_text']} | {dataset_doc(ITA_EXPANSION)} |")
    lines.append(f"| Joint Statement Initiative on e-commerce | {row['jsi_text']} | {dataset_doc(JSI)} |")
    lines += [":::", ""]

    lines += ["## AI and digital-trade indicators", "",
              ":::{container} profile-indicators",
              "| Indicator | Value | Year | Rank | Source |", "|---|---|---|---|---|"]
    for indicator in INDICATORS:
        used.append(indicator.dataset)
        value = row[indicator.key]
        if pd.isna(value):
            shown, year = missing_text(indicator.dataset), "not applicable"
        else:
            shown = indicator.format(float(value))
            detail = row[f"{indicator.key}_detail"]
            if pd.notna(detail) and detail:
                shown += f" ({detail})"
            year = row[f"{indicator.key}_year"]
        lines.append(
            f"| {indicator.label} ({indicator.unit}) | {escape(shown)} | {escape(year)} | "
            f"{rank_text(table, key, indicator)} | {dataset_doc(indicator.dataset)} |"
        )
    lines += [":::", ""]
    lines += ["What the indicators measure:", ""]
    lines += [f"- **{indicator.label}**: {escape(indicator.note)}" for indicator in INDICATORS]
    lines.append("")

    lines += ["## Internet use over time", ""]
    chart = internet_chart(table, key)
    if chart is None:
        lines += [f"No chart: {missing_text(INTERNET)} for {escape(name)}.", ""]
    else:
        lines += ["```{raw} html", chart, "```", ""]

    lines += ["## Sources", ""]
    for dataset in dict.fromkeys(used):
        entry = catalogue_entry(dataset)
        lines.append(
            f"- {dataset_doc(dataset)}: {escape(entry['citation'])} Licence: {licence_cell(entry)} "
            f"Vintage: {escape(entry.get('vintage', 'not stated'))}."
        )
    lines += [
        "",
        "This page is generated by `python -m aitrade profiles pages` from the catalogue "
        "datasets above, read through `aitrade.data` (which checks each snapshot against its "
        "declared checksum) and mapped to economies with `aitrade.countries`.",
    ]
    return "\n".join(lines) + "\n"


INDEX_INTRO = """\
One page per WTO Member, and one for the European Union, gathers what the handbook's
datasets say about that economy: its World Bank income group and region, its WTO
membership, its participation in the Information Technology Agreement (ITA), the ITA
Expansion and the Joint Statement Initiative (JSI) on e-commerce, and AI and
digital-trade indicators (AI preparedness, internet use, AI diffusion, ICT services
exports, notable AI models, GPU-cluster compute). Every value links to the page of the
dataset it comes from, with its licence and vintage.

**Ranks** compare only WTO Members that have a value (the EU, a group of Members, is
not ranked), largest value first: {example}. Members with equal
values share the best rank and are marked "joint". For internet use and ICT services
exports, each Member's latest year with a value is used, so the years compared can
differ; the year is shown beside each value. **A missing value is shown as missing**
("no data in" the dataset) and has no rank: it is never counted as zero.

**"Not identified"** means that the fact table of an agreement does not name the Member
among its participants. These tables list only the participants their sources name
(the ITA table, for example, lacks part of the current participants): a Member not named may still be
one of the unnamed participants, so the pages never rule a Member out.
"Through the EU" marks the EU member States, which take part through the European
Union.
"""


def index_row(row: pd.Series) -> str:
    """One <tr> of the index table."""
    region = "" if pd.isna(row["region"]) else row["region"]
    income = "" if row["is_eu"] else ("Not classified" if pd.isna(row["income_group"]) else row["income_group"])
    aipi = "no data" if pd.isna(row["aipi"]) else f"{float(row['aipi']):.3f}"
    cells = [
        f'<th scope="row"><a href="{row["slug"]}.html">{html.escape(row["name"])}</a></th>',
        f"<td>{html.escape(region) or 'not applicable'}</td>",
        f"<td>{html.escape(income) or 'not applicable'}</td>",
        *(f"<td>{STATUS_SHORT[row[f'{prefix}_status']]}</td>" for prefix in ("ita", "ita2", "jsi")),
        f"<td>{aipi}</td>",
    ]
    return (f'<tr data-region="{html.escape(region, quote=True)}" '
            f'data-income="{html.escape(income, quote=True)}">' + "".join(cells) + "</tr>")


def select_html(identifier: str, label: str, everything: str, options: list[str]) -> str:
    """A labelled <select> whose first option shows everything."""
    choices = "".join(f'<option value="{html.escape(option, quote=True)}">{html.escape(option)}</option>' for option in options)
    return (f'<label for="{identifier}">{label}</label> '
            f'<select id="{identifier}"><option value="">{everything}</option>{choices}</select>')


def rank_example(table: pd.DataFrame) -> str:
    """A real rank to show how ranks read: the first Member, by name, with an AI preparedness value."""
    indicator = INDICATORS[0]
    key = table.index[~table["is_eu"] & table[indicator.key].notna()][0]
    return (f"{escape(table.at[key, 'name'])}'s {indicator.label} ranks "
            f"\"{rank_text(table, key, indicator)}\"")


def render_index(table: pd.DataFrame) -> str:
    """The index page: the introduction, the filter controls and the table of profiles."""
    total = len(table)
    regions = sorted(table["region"].dropna().unique())
    incomes = [group for group in countries.INCOME_GROUPS if (table["income_group"] == group).any()]
    if (table["income_group"].isna() & ~table["is_eu"]).any():
        incomes.append("Not classified")
    members_only = int((~table["is_eu"]).sum())
    description = (
        f"Country profiles of the {members_only} WTO Member economies and the European Union: "
        "ITA, ITA Expansion and JSI e-commerce participation, AI preparedness and other AI and "
        "digital-trade indicators, each with its year, rank and source; filter by region and income group."
    )
    header = ["Economy", "Region", "Income group", "ITA", "ITA Expansion", "JSI e-commerce", "AI preparedness (2023)"]
    html_lines = [
        f'<script src="../../_static/{FILTER_SCRIPT}" defer></script>',
        '<div class="country-profiles-filter" id="country-profiles-filter" hidden>',
        select_html("country-profiles-region", "Region", "All regions", regions),
        select_html("country-profiles-income", "Income group", "All income groups", incomes),
        '<button type="button" id="country-profiles-reset">Show all</button>',
        "</div>",
        f'<p id="country-profiles-count" aria-live="polite">Showing {total} of {total} economies</p>',
        '<table class="table" id="country-profiles-table">',
        f"<caption>WTO Members and the European Union: {total} profiles, by name. ITA, ITA "
        "Expansion and JSI columns give participation as the fact tables establish it; "
        "AI preparedness is the IMF index (0 to 1).</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{cell}</th>' for cell in header) + "</tr></thead>",
        "<tbody>",
        *(index_row(row) for _, row in table.iterrows()),
        "</tbody>",
        "</table>",
    ]
    sources = "; ".join(dataset_doc(name) for name in DATASETS)
    lines = front_matter(description) + [
        "(country-profiles)=",
        "# Country profiles",
        "",
        INDEX_INTRO.format(example=rank_example(table)),
        f"The table lists the {total} profiles ({members_only} WTO Member economies and the "
        "European Union). Choose a region or an income group to narrow it; without JavaScript "
        "every row shows.",
        "",
        "```{raw} html",
        *html_lines,
        "```",
        "",
        f"Sources: {sources}. The pages are generated by `python -m aitrade profiles pages` "
        "from these catalogue datasets.",
        "",
    ]
    return "\n".join(lines)


def expected_pages() -> dict[Path, str]:
    """Every generated page, keyed by its path."""
    whole_catalogue.cache_clear()
    catalogue_entry.cache_clear()
    table = profile_table()
    pages = {INDEX_PAGE: render_index(table)}
    pages.update({page_path(table.at[key, "slug"]): render_profile(table, key) for key in table.index})
    return pages


def stale_pages() -> list[Path]:
    """Pages that differ from what the data produce, are missing, or belong to no profile."""
    expected = expected_pages()
    stale = [path for path, text in expected.items() if not path.is_file() or path.read_text(encoding="utf-8") != text]
    stale += [path for path in sorted(PAGES_DIR.glob("*.md")) if path not in expected]
    return stale


def write_pages() -> list[Path]:
    """Write changed pages, delete pages of no profile; return what changed."""
    expected = expected_pages()
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    changed = []
    for path, text in expected.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in sorted(PAGES_DIR.glob("*.md")):
        if path not in expected:
            path.unlink()
            changed.append(path)
    return changed
