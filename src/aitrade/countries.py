"""Countries and economies: the one place where a dataset's labels become ISO3 codes.

:func:`economies` takes the names or codes a dataset prints and returns one row per
label with its ISO3 code, the name the handbook prints, what kind of entity it is
(``economy``, ``aggregate`` or ``former economy``), WTO membership and date (from the
committed ``wto-members`` fact table), and the World Bank income group and region (from
the ``wb-class-economies`` classification).

Matching is explicit: ISO 3166 through ``pycountry``, then the tables below for labels
ISO does not cover or that datasets print differently. Aggregates (the European Union,
World Bank regions and income groups, IMF and OWID groupings) and former economies (the
USSR, Yugoslavia...) are flagged, never mixed with economies. A label that matches
nothing raises :class:`CountryMatchError` listing every unmatched label, so nothing
drops out silently. There is no fuzzy matching.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import pandas as pd
import pycountry

from aitrade import data
from aitrade.analysis import concentration
from aitrade.data.cache import cached_on


class CountryMatchError(ValueError):
    """One or more labels match no economy; the message lists them all."""


ECONOMY, AGGREGATE, FORMER = "economy", "aggregate", "former economy"

# Economies outside ISO 3166 that the World Bank codes.
NON_ISO_ECONOMIES = {
    "XKX": "Kosovo",
    "CHI": "Channel Islands",
}

# Display names where the handbook follows WTO usage rather than ISO's short name.
DISPLAY_NAMES = {
    "TWN": "Chinese Taipei",
    "HKG": "Hong Kong, China",
    "MAC": "Macao, China",
    "USA": "United States",
    "RUS": "Russian Federation",
    "KOR": "Korea, Republic of",
    "EUU": "European Union",
    **NON_ISO_ECONOMIES,
}

# Names datasets print for single economies that pycountry does not resolve.
ALIASES = {
    "china (people\u2019s republic of)": "CHN",  # OECD.AI, with a typographic apostrophe
    "u.s.": "USA",
    "us": "USA",
    "united states of america": "USA",
    "eu": "EUU",
    "european union": "EUU",
    "european communities (now european union)": "EUU",
    "russia": "RUS",
    "chinese taipei": "TWN",
    "taiwan": "TWN",
    "taipei": "TWN",
    "chinese taipei (separate customs territory of taiwan, penghu, kinmen and matsu)": "TWN",
    "separate customs territory of taiwan, penghu, kinmen and matsu (chinese taipei)": "TWN",
    "separate customs territory of taiwan, penghu, kinmen and matsu": "TWN",
    "hong kong, china": "HKG",
    "hong kong china": "HKG",
    "hong kong": "HKG",
    "macao, china": "MAC",
    "macau": "MAC",
    "macau (macao, china)": "MAC",
    "kosovo": "XKX",
    "turkey": "TUR",
    "turkey (türkiye)": "TUR",
    "korea": "KOR",
    "south korea": "KOR",
    "republic of korea": "KOR",
    "korea (republic of)": "KOR",
    "congo, democratic republic of the": "COD",
    "congo (drc)": "COD",
    "congo, republic of the": "COG",
    "cote d'ivoire": "CIV",
    "lao pdr": "LAO",
    "the former yugoslav republic of macedonia": "MKD",
    "uae": "ARE",
    "iran (islamic republic of)": "IRN",
    "philippines (the)": "PHL",
    "switzerland (on behalf of the customs union of switzerland and liechtenstein)": "CHE",
    "brunei": "BRN",
    "cape verde": "CPV",
    "east timor": "TLS",
    "micronesia (country)": "FSM",
    "vatican": "VAT",
    "curacao": "CUW",
    "faeroe islands": "FRO",
    "aland islands": "ALA",
    "bonaire sint eustatius and saba": "BES",
    "cocos islands": "CCK",
    "democratic republic of congo": "COD",
    "zaire": "COD",
    "congo, republic of": "COG",
    "falkland islands": "FLK",
    "palestine": "PSE",
    "reunion": "REU",
    "saint barthelemy": "BLM",
    "saint helena": "SHN",
    "united states virgin islands": "VIR",
    "timor": "TLS",
    "the gambia": "GMB",
    "guinea bissau": "GNB",
    "myanmar, union of": "MMR",
    "swaziland, kingdom of": "SWZ",
    "bahrain, kingdom of": "BHR",
    "kuwait, the state of": "KWT",
    "saudi arabia, kingdom of": "SAU",
    "aruba, the netherlands with respect to": "ABW",
    "sao tomé and principe": "STP",
    # WTO Regional Trade Agreements Database.
    "democratic republic of the congo": "COD",
    "kosovo (under unsc res. 1244)": "XKX",
    "falkland islands (islas malvinas)": "FLK",
    "netherlands, kingdom of, with respect to aruba": "ABW",
    "british overseas territory of saint helena, ascension and tristan da cunha": "SHN",
    "wallis and futuna islands": "WLF",
    # World Bank economy names (Logistics Performance Index file, 2010-2023 editions).
    "bahamas, the": "BHS",
    "congo, dem. rep.": "COD",
    "congo, dem, rep.": "COD",  # sic, 2016 edition of the LPI file
    "congo, rep.": "COG",
    "egypt, arab rep.": "EGY",
    "gambia, the": "GMB",
    "hong kong sar, china": "HKG",
    "iran, islamic rep.": "IRN",
    "korea, rep.": "KOR",
    "macedonia, fyr": "MKD",
    "são tomé and principe": "STP",
    "taiwan, china": "TWN",
    "venezuela, rb": "VEN",
    "yemen, rep.": "YEM",
}

# Codes datasets use for single economies that are not their ISO3 code.
CODE_ALIASES = {
    "MAL": "MYS",  # CSET/ETO semiconductor data
    "ROM": "ROU",  # Romania's code before 2002 (structural-gravity data)
    "ZAR": "COD",  # Zaire, the DR Congo's code until 1997 (CEPII GeoDist)
    "TMP": "TLS",  # East Timor, Timor-Leste's code until 2002 (CEPII GeoDist)
    "PAL": "PSE",  # Palestine's code in CEPII GeoDist (ISO PSE)
}

# Group names datasets print (lower case), with the World Bank code where the group is
# the World Bank's own (OWID republishes its regions and income groups), else None.
AGGREGATE_NAMES: dict[str, str | None] = {
    "world": "WLD",
    "european union (27)": "EUU",
    "high income": "HIC",
    "high-income countries": "HIC",
    "upper middle income": "UMC",
    "upper-middle-income countries": "UMC",
    "lower middle income": "LMC",
    "lower-middle-income countries": "LMC",
    "low income": "LIC",
    "low-income countries": "LIC",
    "middle income": "MIC",
    "middle-income countries": "MIC",
    "low and middle income": "LMY",
    "east asia and pacific (wb)": "EAS",
    "europe and central asia (wb)": "ECS",
    "latin america and caribbean (wb)": "LCN",
    "middle east and north africa (wb)": "MEA",
    "north america (wb)": "NAC",
    "south asia (wb)": "SAS",
    "sub-saharan africa (wb)": "SSF",
    # Continents and other groupings with no World Bank equivalent.
    "africa": None,
    "asia": None,
    "europe": None,
    "north america": None,
    "south america": None,
    "oceania": None,
    "east asia and pacific": None,
    "europe and central asia": None,
    "latin america and caribbean": None,
    "middle east and north africa": None,
    "south asia": None,
    "sub-saharan africa": None,
    # CSET groupings (via Our World in Data).
    "africa (cset)": None,
    "asia (cset)": None,
    "europe (cset)": None,
    "oceania (cset)": None,
    "north america and the caribbean (cset)": None,
    "south and central america (cset)": None,
    "asean (association of southeast asian nations) (cset)": None,
    "european union (27) (cset)": None,
    "five eyes (australia, canada, new zealand, uk, and the us) (cset)": None,
    "global partnership on artificial intelligence (cset)": None,
    "nato (cset)": None,
    "oecd (cset)": None,
    "quad (australia, india, japan and the us) (cset)": None,
    "eurasian patent organization (cset)": None,
    "european patent organization (cset)": None,
    "international bureau of wipo (cset)": None,
    "world intellectual property organization (wipo) (cset)": None,
    # Epoch AI: models by developers from several countries, and the all-country total.
    "multinational": None,
    "all large-scale ai systems": None,
    # Blocs that are parties to agreements in the WTO Regional Trade Agreements Database.
    "asean free trade area (afta)": None,
    "central american common market (cacm)": None,
    "eurasian economic union (eaeu)": None,
    "european free trade association (efta)": None,
    "gulf cooperation council (gcc)": None,
    "southern african customs union (sacu)": None,
    "southern common market (mercosur)": None,
    # International bodies that are jurisdictions of OECD.AI policy entries.
    "oecd/gpai": None,
    "the united nations educational, scientific and cultural organization": None,
    "united nations": None,
    "african union": None,
    "association of southeast asian nations": None,
    "g7": None,
    "inter-american development bank": None,
}

# World Bank income groups, richest first, and the codes of their aggregate rows in WDI files.
INCOME_GROUPS = ("High income", "Upper middle income", "Lower middle income", "Low income")
INCOME_GROUP_CODES = {
    "High income": "HIC",
    "Upper middle income": "UMC",
    "Lower middle income": "LMC",
    "Low income": "LIC",
}

# Group codes outside the World Bank classification file.
GROUP_CODES = {
    # IMF DataMapper groups (AI Preparedness Index).
    "ADVEC": "Advanced economies",
    "EME": "Emerging market economies",
    "LIC": "Low-income countries",
    "APQ": "Asia and Pacific",
    "EUQ": "Europe",
    "NMQ": "North Africa, Middle East (IMF)",
    "WE": "Western Europe (IMF)",
    "MECA": "Middle East and Central Asia",
    "SSQ": "Sub-Saharan Africa",
    "EURO": "Euro area",
    "MAE": "Major advanced economies (G7)",
    "EU": "European Union",
    "AS5": "ASEAN-5",
    # World Development Indicators: economies the World Bank has not classified.
    "INX": "Not classified",
}

# Economies that no longer exist, by the codes datasets use (ISO 3166-3 and WTO).
FORMER_CODES = {
    "SUN": "USSR",
    "CSK": "Czechoslovakia",
    "YUG": "Yugoslavia",
    "SCG": "Serbia and Montenegro",
    "DDR": "German Democratic Republic",
    "ANT": "Netherlands Antilles",
    "BLX": "Belgium-Luxembourg",
}

# Economies that no longer exist, by the names datasets print.
FORMER_ECONOMIES = {
    "USSR", "Czechoslovakia", "Czech and Slovak Federal Republic", "Yugoslavia",
    "Yugoslavia, Socialist Federal Republic of", "Serbia and Montenegro", "East Germany",
    "German Democratic Republic", "West Germany", "Germany, Federal Republic of",
    "Netherlands Antilles", "Belgium-Luxembourg", "Ethiopia (former)", "Ethiopia (+ Eritrea)",
    "Sudan (former)", "Pakistan (former)", "Korea (former)", "Yemen Arab Republic",
    "Yemen People's Republic", "Republic of Vietnam", "Democratic Republic of Vietnam",
    "Austria-Hungary", "Federal Republic of Central America", "Great Colombia",
    "Orange Free State", "Duchy of Modena and Reggio", "Duchy of Parma and Piacenza",
    "Grand Duchy of Baden", "Grand Duchy of Tuscany", "Kingdom of Bavaria",
    "Kingdom of Sardinia", "Kingdom of Saxony", "Kingdom of Wurttemberg",
    "Kingdom of the Two Sicilies",
}


@cached_on("wb-class-economies", "wto-members")
def reference() -> pd.DataFrame:
    """One row per code the World Bank classifies, with WTO membership added.

    Columns: ``iso3``, ``wb_name``, ``kind``, ``income_group``, ``region``,
    ``wto_member``, ``wto_membership_date``.
    """
    wb = data.load("wb-class-economies")
    wb = wb[wb["Code"].notna()]
    table = pd.DataFrame(
        {
            "iso3": wb["Code"].astype(str),
            "wb_name": wb["Economy"],
            "kind": wb["Region"].isna().map({True: AGGREGATE, False: ECONOMY}),
            "income_group": wb["Income group"],
            "region": wb["Region"],
        }
    )
    members = data.load("wto-members")
    membership = pd.DataFrame(
        {"iso3": to_iso3(members["member"]), "wto_membership_date": members["membership_date"]}
    )
    table = table.merge(membership, on="iso3", how="outer")
    table["kind"] = table["kind"].fillna(ECONOMY)
    table["wto_member"] = table["wto_membership_date"].notna()
    return table.set_index("iso3")


@cached_on("wb-class-economies", "wto-members")
def world_bank_aggregates() -> frozenset[str]:
    """Codes of the World Bank's regional, income and lending groups."""
    table = reference()
    return frozenset(table.index[table["kind"] == AGGREGATE])


@cached_on("wb-class-economies", "wto-members")
def world_bank_group_names() -> MappingProxyType:
    """The World Bank's name of each of its group codes (read-only)."""
    table = reference()
    return MappingProxyType(table.loc[table["kind"] == AGGREGATE, "wb_name"].to_dict())


@functools.cache
def known_label(label: str, kind: str = "name") -> tuple[str | None, str | None]:
    """(code, entity kind) for one label from the tables above, ISO 3166 and pycountry
    alone; (None, None) when they do not know it. Reads no dataset, so it is cached."""
    text = str(label).strip()
    if kind == "code":
        code = CODE_ALIASES.get(text, text)
        if code in GROUP_CODES:
            return code, AGGREGATE
        if code in FORMER_CODES:
            return code, FORMER
        if code in NON_ISO_ECONOMIES or pycountry.countries.get(alpha_3=code) is not None:
            return code, ECONOMY
        return None, None
    key = text.lower()
    if key in ALIASES:
        code = ALIASES[key]
        return code, AGGREGATE if code == "EUU" else ECONOMY
    if key in AGGREGATE_NAMES:
        return AGGREGATE_NAMES[key], AGGREGATE
    if text in FORMER_ECONOMIES:
        return None, FORMER
    try:
        return pycountry.countries.lookup(text).alpha_3, ECONOMY
    except LookupError:
        return None, None


def match(labels: Iterable[str], kind: str = "name") -> list[tuple[str | None, str | None]]:
    """(code, entity kind) for each label, in order; (None, None) when nothing matches.

    ``kind`` says whether the dataset prints names or codes. A code the tables do not
    know is looked up among the World Bank's group codes (read once per call).
    """
    labels = list(labels)
    found = [known_label(label, kind) for label in labels]
    if kind == "code" and any(entity is None for _, entity in found):
        aggregates = world_bank_aggregates()
        found = [
            (code, entity) if entity is not None
            else (str(label).strip(), AGGREGATE) if str(label).strip() in aggregates
            else (None, None)
            for label, (code, entity) in zip(labels, found)
        ]
    return found


def lookup(label: str, kind: str = "name") -> tuple[str | None, str | None]:
    """(code, entity kind) for one label; (None, None) when nothing matches."""
    return match([label], kind)[0]


def split_labels(labels: Iterable, separator: str | None) -> list[str]:
    """Distinct non-empty labels, splitting cells that list several economies."""
    found = []
    for cell in labels:
        if cell is None or pd.isna(cell) or str(cell).strip() == "":
            continue
        parts = str(cell).split(separator) if separator else [str(cell)]
        found.extend(part.strip() for part in parts if part.strip())
    return list(dict.fromkeys(found))


def matched(labels: Iterable[str], kind: str = "name") -> list[tuple[str | None, str | None]]:
    """:func:`match`, raising :class:`CountryMatchError` listing every label that matches nothing."""
    labels = list(labels)
    found = match(labels, kind)
    unmatched = sorted({str(label) for label, (_, entity) in zip(labels, found) if entity is None})
    if unmatched:
        raise CountryMatchError(
            f"{len(unmatched)} label(s) match no economy or group: {unmatched}. Add each to "
            "the tables in src/aitrade/countries.py (ALIASES or CODE_ALIASES with its ISO3 "
            "code, AGGREGATE_NAMES, GROUP_CODES, FORMER_ECONOMIES or FORMER_CODES), or fix the data."
        )
    return found


def to_iso3(labels: Iterable[str], kind: str = "name") -> list[str | None]:
    """Codes for ``labels``, in order (None for groups with no code); raise if any is unknown."""
    return [code for code, _ in matched(labels, kind)]


def display_name(iso3: str, group_names: Mapping[str, str] | None = None) -> str:
    """The name the handbook prints for an ISO3 or group code (``group_names``: the World
    Bank's group names, :func:`world_bank_group_names`, passed by callers that name many)."""
    if iso3 in DISPLAY_NAMES:
        return DISPLAY_NAMES[iso3]
    if iso3 in GROUP_CODES:
        return GROUP_CODES[iso3]
    if iso3 in FORMER_CODES:
        return FORMER_CODES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is not None:
        return getattr(country, "common_name", None) or country.name
    names = world_bank_group_names() if group_names is None else group_names
    if iso3 in names:
        return names[iso3]
    raise CountryMatchError(f"{iso3!r} is not an ISO3 code or a known group code.")


# Names that take the definite article inside a sentence ("the United States holds ...").
NAMES_WITH_ARTICLE = frozenset({
    "United States", "United Kingdom", "Netherlands", "Philippines", "United Arab Emirates",
    "Russian Federation", "Czech Republic", "Dominican Republic", "Central African Republic",
    "Gambia", "Bahamas", "Comoros", "Maldives", "European Union", "Republic of Korea",
    "Democratic Republic of the Congo", "Slovak Republic", "Kyrgyz Republic",
})


def in_sentence(name: str, first: bool = False) -> str:
    """A display name as a sentence needs it: with "the" where English puts one
    (:data:`NAMES_WITH_ARTICLE`), capitalised when it opens the sentence (``first``)."""
    phrase = f"the {name}" if name in NAMES_WITH_ARTICLE else name
    return phrase[0].upper() + phrase[1:] if first else phrase


def economies(labels: Iterable[str], kind: str = "name", separator: str | None = None) -> pd.DataFrame:
    """One row per distinct label, with its code, name, kind and classifications.

    Columns: ``label``, ``iso3``, ``name``, ``kind`` (economy, aggregate, former
    economy), ``is_aggregate``, ``wto_member``, ``wto_membership_date``,
    ``income_group``, ``region``. Raises :class:`CountryMatchError` listing every label
    that matches nothing.
    """
    distinct = split_labels(labels, separator)
    found = matched(distinct, kind)
    codes = [code for code, _ in found]
    kinds = [entity for _, entity in found]
    table = pd.DataFrame({"label": distinct, "iso3": codes, "kind": kinds})
    group_names = world_bank_group_names()
    table["name"] = [
        display_name(code, group_names) if code else label for label, code in zip(distinct, codes)
    ]
    table["is_aggregate"] = table["kind"] == AGGREGATE
    attributes = reference()[["wto_member", "wto_membership_date", "income_group", "region"]]
    table = table.join(attributes, on="iso3")
    table["wto_member"] = table["wto_member"].fillna(False).astype(bool)
    return table[
        ["label", "iso3", "name", "kind", "is_aggregate", "wto_member",
         "wto_membership_date", "income_group", "region"]
    ]


ATTRIBUTES = ("iso3", "name", "kind", "is_aggregate", "wto_member", "wto_membership_date",
              "income_group", "region")
TAG_COLUMNS = ("iso3", "kind", "name", "income_group", "region")


def tag(frame: pd.DataFrame, column: str, kind: str = "name",
        columns: Iterable[str] = TAG_COLUMNS, rename: dict[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with, on each row, what :func:`economies` says of the label in ``column``.

    ``columns`` picks the attributes to add (any of :data:`ATTRIBUTES`; by default the
    ISO3 code, kind, display name, income group and region) and ``rename`` gives one a
    column name of its own (``{"name": "economy"}``). A label that matches nothing raises
    :class:`CountryMatchError`; an empty cell gets empty attributes. The frame is not
    changed; a column it already holds is refused rather than overwritten.
    """
    columns = list(columns)
    unknown = [attribute for attribute in columns if attribute not in ATTRIBUTES]
    if unknown:
        raise ValueError(f"tag(columns=...) names {unknown}; the attributes are {list(ATTRIBUTES)}.")
    names = {attribute: (rename or {}).get(attribute, attribute) for attribute in columns}
    clashes = sorted(set(names.values()) & set(frame.columns))
    if clashes:
        raise ValueError(
            f"tag() would overwrite the columns {clashes} of the frame: drop them first, or "
            "pass rename={attribute: new_name}."
        )
    table = economies(frame[column], kind).set_index("label")
    labels = frame[column].map(lambda label: str(label).strip() if pd.notna(label) else None)
    return frame.assign(**{names[attribute]: labels.map(table[attribute]) for attribute in columns})


def economy_codes(labels: pd.Series, kind: str = "name", separator: str | None = None) -> pd.Series:
    """For each label, the ISO3 code of a single economy, ``EUU`` for the European Union,
    or missing for any other group or former economy (aligned with ``labels``)."""
    table = economies(labels, kind=kind, separator=separator)
    key = table["iso3"].where(table["kind"] == ECONOMY)
    # By name: the EU has several codes across datasets (EUU, the IMF's EU).
    key = key.mask(table["name"] == display_name("EUU"), "EUU")
    mapping = dict(zip(table["label"], key))
    return labels.map(lambda label: mapping.get(str(label).strip()) if pd.notna(label) else None)


def dataset_economies(name: str) -> pd.DataFrame:
    """:func:`economies` for the column the catalogue names as a dataset's economies."""
    declared = data.resource(name).get("countries")
    if not declared:
        raise CountryMatchError(
            f"Dataset {name!r} declares no economy column ('countries' in data/datapackage.json)."
        )
    table = data.load(name)
    return economies(table[declared["field"]], declared["kind"], declared.get("separator"))


@cached_on("wb-class-compositions")
def eu_member_states() -> tuple[str, ...]:
    """ISO3 codes of the European Union's member States, sorted.

    Taken from the World Bank's group compositions (group ``EUU``, fiscal year 2025), so
    the list is today's 27; it does not know who was a member in earlier years (the
    United Kingdom until 2020, say). Use it to expand the EU, which is a WTO Member and
    a participant in its own right, into the economies it covers without counting the EU
    twice.
    """
    groups = data.load("wb-class-compositions")
    codes = groups.loc[groups["WB_Group_Code"] == "EUU", "WB_Country_Code"].astype(str)
    if codes.empty:
        raise CountryMatchError("The World Bank group compositions list no member of EUU.")
    return tuple(sorted(codes))


def fractional_credits(frame: pd.DataFrame, item: str, column: str, separator: str = ",") -> pd.DataFrame:
    """Credit each item of ``frame`` to the economies its ``column`` names, 1/k each.

    ``column`` may hold several labels separated by ``separator`` (Epoch AI's "Country
    (from Organization)", for example). Each label is mapped with :func:`economies`;
    labels that are not economies (groups such as "Multinational") get no credit, and an
    economy named twice for one item counts once. Returns one row per item and economy:
    the frame's columns plus ``label``, ``iso3``, ``economy`` (display name) and
    ``fractional`` (1/k for an item credited to k economies). The labels left without
    credit are listed, sorted, in ``.attrs["uncredited"]``.
    """
    rows = tag(concentration.split_labels(frame, column, separator), "label", columns=["iso3", "kind", "name"], rename={"name": "economy", "kind": "label_kind"})
    is_economy = rows["label_kind"] == ECONOMY
    uncredited = sorted(rows.loc[~is_economy, "label"].unique())
    rows = concentration.fractional(rows[is_economy].drop(columns="label_kind"), item, "iso3")
    rows.attrs["uncredited"] = uncredited
    return rows
