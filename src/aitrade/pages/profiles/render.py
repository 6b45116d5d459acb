"""The country profiles' Markdown: one page per profile, the index, the internet-use chart.

The participation texts follow the statuses of :mod:`aitrade.wto`; the indicator rows
follow :mod:`aitrade.pages.profiles.indicators`. Every dataset is linked to its page in
the datasets appendix.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import altair as alt
import pandas as pd

from aitrade import charts, countries, data, paths, wto
from aitrade.data.catalogue import resource
from aitrade.pages import markdown
from aitrade.pages.markdown import escape, front_matter, licence_cell
from aitrade.pages.profiles.indicators import INDICATORS, INTERNET, Indicator

PAGES_DIR = paths.PROFILE_PAGES_DIR
INDEX_PAGE = PAGES_DIR / "index.md"
FILTER_SCRIPT = "country-profiles/filter.js"
EU_SLUG = "eu"
CLASSIFICATION = "wb-class-economies"
EU_COMPOSITION = "wb-class-compositions"

# Every dataset the profiles read (their catalogue usedBy lists the index page).
DATASETS = tuple(dict.fromkeys((CLASSIFICATION, EU_COMPOSITION, wto.MEMBERS, wto.ITA, wto.ITA_EXPANSION,
                                 wto.JSI, *(indicator.dataset for indicator in INDICATORS))))

# The internet-use chart starts here (a presentation choice: earlier values are near zero).
CHART_FIRST_YEAR = 2000


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st..."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def long_date(value) -> str:
    """1 January 1995."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def slug_of(code: str) -> str:
    """A profile's page name: the ISO3 code in lower case, ``eu`` for the European Union."""
    return EU_SLUG if code == wto.EU_CODE else code.lower()


def eu_link() -> str:
    """A {doc} link to the EU's profile."""
    return f"{{doc}}`European Union <{EU_SLUG}>`"


def profile_link(table: pd.DataFrame, key: str) -> str:
    """A {doc} link to another profile."""
    return f"{{doc}}`{escape(table.at[key, 'name'])} <{table.at[key, 'slug']}>`"


def dataset_doc(name: str, text: str | None = None) -> str:
    """A {doc} link to a dataset's appendix page."""
    return markdown.dataset_doc(resource(name), text)


# Why a Member absent from an agreement's fact table is "not identified", per table.
UNNAMED_PARTICIPANTS = {
    wto.ITA: "not among the participants named in the fact table, which does not list every current participant",
    wto.ITA_EXPANSION: "the fact table names only some of the participants of the Nairobi declaration",
    wto.JSI: ("the fact table names only some of the participants (the Buenos Aires list breaks off "
              "and several later joiners are unnamed)"),
}


def status_texts(agreement: str, participation: pd.DataFrame,
                 writers: dict[str, Callable[[pd.Series], str]]) -> pd.Series:
    """The sentence each profile shows for one agreement (a fact table of :mod:`aitrade.wto`):
    "not identified" explained by :data:`UNNAMED_PARTICIPANTS`, other statuses by their writer."""

    def sentence(row: pd.Series) -> str:
        if row["status"] == wto.NOT_IDENTIFIED:
            return f"Not identified: {UNNAMED_PARTICIPANTS[agreement]}; it may be one of the unnamed ones."
        return writers[row["status"]](row)

    return pd.Series([sentence(row) for _, row in participation.iterrows()], index=participation.index, dtype="object")


def ita_texts(table: pd.DataFrame, participation: pd.DataFrame) -> pd.Series:
    """The ITA sentence of every profile."""
    eu = participation.loc[wto.EU_CODE]

    def through_eu(row: pd.Series) -> str:
        own = ""
        if row["own_row"] and row["covered_through_ec"]:
            own = f" Covered since {escape(row['joined'])}: {escape(row['joined_basis'])}."
        elif row["own_row"]:
            own = (f" It was a participant in its own right (joined: {escape(row['joined'])}) "
                   "until its schedule was covered through the EU's.")
        return (f"Participant through the {eu_link()} (the EU joined: {escape(eu['joined'])}, "
                f"{escape(eu['joined_basis'])}).{own}")

    return status_texts(wto.ITA, participation, {
        wto.THROUGH_EU: through_eu,
        wto.PARTICIPANT: lambda row: f"Participant; joined: {escape(row['joined'])} ({escape(row['joined_basis'])}).",
        wto.THROUGH_OTHER: lambda row: f"Covered through the participation of {profile_link(table, row['covered_by'])}.",
    })


def ita_expansion_texts(participation: pd.DataFrame) -> pd.Series:
    """The ITA Expansion sentence of every profile."""
    later = " (joined after the Nairobi declaration)"
    return status_texts(wto.ITA_EXPANSION, participation, {
        wto.NOT_ESTABLISHED: lambda row: f"Not established: {escape(row['detail'])}.",
        wto.PARTICIPANT: lambda row: f"Participant{later if row['later_joiner'] else ''}: {escape(row['detail'])}.",
        wto.THROUGH_EU: lambda row: f"Participant through the {eu_link()}, which the fact table names as a participant.",
    })


def jsi_texts(participation: pd.DataFrame) -> pd.Series:
    """The JSI e-commerce sentence of every profile."""
    return status_texts(wto.JSI, participation, {
        wto.PARTICIPANT: lambda row: "Participant: " + "; ".join(f"{escape(event)}, {escape(date)}" for event, date in row["events"]) + ".",
        wto.THROUGH_EU: lambda row: f"Participant through the {eu_link()}, which signs for its member States.",
    })


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



def internet_years() -> tuple[pd.DataFrame, pd.Series]:
    """(internet use by profile key and year from CHART_FIRST_YEAR, median of the WTO
    Member economies for the years in which at least half of them have a value)."""
    table = data.load(INTERNET)
    table["key"] = countries.economy_codes(table["Country Code"], kind="code")
    years = [column for column in table.columns if column.isdigit() and int(column) >= CHART_FIRST_YEAR]
    keyed = table[table["key"].notna()].set_index("key")[years].astype("float64")
    member_table = wto.members()
    economies = keyed.loc[keyed.index.isin(member_table.index[~member_table["is_eu"]])]
    enough = economies.notna().sum() >= (~member_table["is_eu"]).sum() / 2
    median = economies.loc[:, enough].median()
    return keyed, median


def internet_chart(table: pd.DataFrame, key: str, internet: tuple[pd.DataFrame, pd.Series]) -> str | None:
    """The chart's HTML for one profile from :func:`internet_years`, or None when the
    economy has no internet data."""
    keyed, median = internet
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
            # Colour and dash share one scale domain, so Vega-Lite draws one legend for both.
            color=charts.ordered_colour("series:N", [name, median_label], title=None),
            strokeDash=alt.StrokeDash("series:N", title=None, sort=[name, median_label],
                                      scale=alt.Scale(domain=[name, median_label])),
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



def missing_text(name: str) -> str:
    """What a page prints for a missing value."""
    return f"no data in `{name}`"


def membership_text(row: pd.Series) -> str:
    """'since 1 January 1995 (original Member)'."""
    text = f"Member since {long_date(row['wto_membership_date'])}"
    return text + (" (original Member)" if row["original_member"] else "")


def render_profile(table: pd.DataFrame, key: str, internet: tuple[pd.DataFrame, pd.Series]) -> str:
    """The Markdown page of one profile (``internet``: :func:`internet_years`)."""
    row = table.loc[key]
    name, slug, is_eu = row["name"], row["slug"], bool(row["is_eu"])
    used = [wto.MEMBERS, wto.ITA, wto.ITA_EXPANSION, wto.JSI]
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
    lines.append(f"| WTO membership | {membership_text(row)} | {dataset_doc(wto.MEMBERS)} |")
    lines.append(f"| Information Technology Agreement (ITA) | {row['ita_text']} | {dataset_doc(wto.ITA)} |")
    lines.append(f"| ITA Expansion (ITA II, 2015) | {row['ita2_text']} | {dataset_doc(wto.ITA_EXPANSION)} |")
    lines.append(f"| Joint Statement Initiative on e-commerce | {row['jsi_text']} | {dataset_doc(wto.JSI)} |")
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
    chart = internet_chart(table, key, internet)
    if chart is None:
        lines += [f"No chart: {missing_text(INTERNET)} for {escape(name)}.", ""]
    else:
        lines += ["```{raw} html", chart, "```", ""]

    lines += ["## Sources", ""]
    for dataset in dict.fromkeys(used):
        entry = resource(dataset)
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


def in_sentence(label: str) -> str:
    """An indicator's label as it reads inside a sentence: a common noun loses its capital
    ('Internet use' -> 'internet use'); a name ('Logistics Performance Index') or a label
    that starts with an acronym ('GPU-cluster compute') keeps it."""
    first, *rest = label.split()
    is_name = any(word[0].isupper() and not word.isupper() for word in rest)
    if is_name or first[:2].isupper():
        return label
    return label[0].lower() + label[1:]


INDEX_INTRO = """\
One page per WTO Member, and one for the European Union, gathers what the handbook's
datasets say about that economy: its World Bank income group and region, its WTO
membership, its participation in the Information Technology Agreement (ITA), the ITA
Expansion and the Joint Statement Initiative (JSI) on e-commerce, and AI and
digital-trade indicators ({indicators}). Every value links to the page of the
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
        *(f"<td>{wto.STATUS_LABELS[row[f'{prefix}_status']]}</td>" for prefix in ("ita", "ita2", "jsi")),
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
        f'<caption>WTO Members and the European Union: <span id="country-profiles-caption-count">{total} profiles</span>, by name. ITA, ITA '
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
        INDEX_INTRO.format(
            example=rank_example(table),
            indicators=", ".join(in_sentence(indicator.label) for indicator in INDICATORS),
        ),
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
