"""WTO membership, and participation in the ITA, the ITA Expansion and the JSI on e-commerce.

The rules are written once here, for the country profiles and the notebooks alike:

- **Members** come from the committed ``wto-members`` fact table; the European Union is a
  Member in its own right, alongside its member States (:func:`members`).
- **Through the EU**: an EU member State takes part through the European Union when the
  fact table names the EU as a participant.
- **Through another participant**: a Member covered by another participant's schedule,
  e.g. Liechtenstein through Switzerland ("2 (Switzerland + Liechtenstein)" in the ITA table).
- **Not identified**: the fact tables list only the participants their sources name, so a
  Member absent from a table may be one of the unnamed participants; no rule here ever
  concludes "not a participant".
- **Not established** (ITA Expansion): the table names the Member but its participation is
  not established by the sources.
- **Unverified rows** (confidence ``unverified``: no source read states the fact) are left
  out: a Member named only by such a row stays "not identified".

Each ``*_participation`` function takes economy codes (ISO3, ``EUU`` for the EU) and returns
one row per code with its ``status`` (one of :data:`STATUS_LABELS`) and the facts behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from aitrade import countries, data, facts

MEMBERS = "wto-members"
ITA = "wto-ita-participants"
ITA_EXPANSION = "wto-ita-expansion-participants"
JSI = "wto-jsi-ecommerce-participants"
EU_CODE = "EUU"

PARTICIPANT, THROUGH_EU, THROUGH_OTHER, NOT_ESTABLISHED, NOT_IDENTIFIED, NOT_MEMBER = (
    "participant", "through-eu", "through-other", "not-established", "not-identified", "not-member",
)
STATUS_LABELS = {
    PARTICIPANT: "Participant",
    THROUGH_EU: "Through the EU",
    THROUGH_OTHER: "Through another participant",
    NOT_ESTABLISHED: "Not established",
    NOT_IDENTIFIED: "Not identified",
    NOT_MEMBER: "Not a WTO Member",
}
# Statuses under which an economy's trade is covered by the agreement, as the tables establish it.
COVERED = (PARTICIPANT, THROUGH_EU, THROUGH_OTHER)


class MembershipError(ValueError):
    """The membership table cannot be read as the rules expect (the message says why)."""


def members() -> pd.DataFrame:
    """One row per WTO Member (the EU included), indexed by ISO3 (``EUU`` for the EU), by name.

    Columns: ``name``, ``is_eu``, ``wto_membership_date``, ``original_member``,
    ``income_group``, ``region``, ``eu_member_state``.
    """
    table = data.load(MEMBERS)
    labels = countries.economies(table["member"], kind="name")
    if labels["iso3"].isna().any() or labels["iso3"].duplicated().any():
        raise MembershipError(f"{MEMBERS}: every Member must map to one distinct code.")
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
        raise MembershipError(f"{MEMBERS}: expected the European Union once among the Members.")
    frame["eu_member_state"] = frame.index.isin(countries.eu_member_states())
    return frame.sort_values("name", kind="mergesort")


def keyed(name: str) -> pd.DataFrame:
    """The verified rows of a participation fact table (:func:`aitrade.facts.verified`), with
    a ``key`` column: the economy code, ``EUU`` for the EU."""
    table = facts.verified(data.load(name))
    return table.assign(key=countries.economy_codes(table["participant"]))


def one_row_per_participant(name: str) -> pd.DataFrame:
    """A participation fact table indexed by ``key``; refused when a participant has two rows."""
    table = keyed(name)
    rows = table[table["key"].notna()].set_index("key")
    if rows.index.duplicated().any():
        raise MembershipError(f"{name}: two rows map to {sorted(set(rows.index[rows.index.duplicated()]))}.")
    return rows


def baseline(codes: Iterable[str]) -> tuple[pd.Index, pd.Series, pd.Series]:
    """(the codes, whether each is a WTO Member, whether each is an EU member State)."""
    index = pd.Index(list(codes), name="iso3")
    member_table = members()
    is_member = pd.Series(index.isin(member_table.index), index=index)
    is_eu_state = pd.Series(index.isin(countries.eu_member_states()), index=index)
    return index, is_member, is_eu_state


def covered_through_others(ita: pd.DataFrame) -> dict[str, str]:
    """Members covered by another ITA participant's schedule: {covered code: participant code}.

    Read from the names in parentheses of ``wto_members_covered``, e.g. "2 (Switzerland +
    Liechtenstein)" for Switzerland's row.
    """
    covered_by = {}
    for key, row in ita[ita["key"].notna()].set_index("key").iterrows():
        if key == EU_CODE or pd.isna(row["wto_members_covered_now"]) or row["wto_members_covered_now"] <= 1:
            continue
        inside = re.search(r"\((.*)\)", str(row["wto_members_covered"]))
        names = [name.strip() for name in inside.group(1).split("+")] if inside else []
        for other in countries.economy_codes(pd.Series(names, dtype="object")).dropna():
            if other != key:
                covered_by[other] = key
    return covered_by


def ita_participation(codes: Iterable[str]) -> pd.DataFrame:
    """ITA status of each code: columns ``status``; ``own_row`` (the table has a row for the
    economy) with that row's ``joined`` and ``joined_basis`` (missing without one); ``covered_through_ec`` (its own row says it is
    covered through the EC); ``covered_by`` (the participant covering it, for
    :data:`THROUGH_OTHER`). The EU's own row is the row of ``EUU``."""
    index, is_member, is_eu_state = baseline(codes)
    ita = keyed(ITA)
    rows = one_row_per_participant(ITA)
    eu_participates = EU_CODE in rows.index
    covered_by = covered_through_others(ita)
    frame = pd.DataFrame(index=index)
    own = rows.reindex(index)
    frame["joined"] = own["joined"]
    frame["joined_basis"] = own["joined_basis"]
    frame["covered_through_ec"] = own["wto_members_covered"].astype("string").str.contains("through the EC").fillna(False)
    frame["covered_by"] = [covered_by.get(code) for code in index]
    has_row = index.isin(rows.index)
    frame["own_row"] = has_row
    frame["status"] = [
        NOT_MEMBER if not member
        else THROUGH_EU if eu_state and eu_participates
        else PARTICIPANT if row
        else THROUGH_OTHER if pd.notna(by)
        else NOT_IDENTIFIED
        for member, eu_state, row, by in zip(is_member, is_eu_state, has_row, frame["covered_by"])
    ]
    return frame


def ita_expansion_participation(codes: Iterable[str]) -> pd.DataFrame:
    """ITA Expansion status of each code: columns ``status``, ``detail`` (the table's status
    text, missing without a row) and ``later_joiner`` (joined after the Nairobi declaration)."""
    index, is_member, is_eu_state = baseline(codes)
    rows = one_row_per_participant(ITA_EXPANSION)
    eu_participates = EU_CODE in rows.index and rows.at[EU_CODE, "participation_status"] == "participant"
    own = rows.reindex(index)
    frame = pd.DataFrame(index=index)
    frame["detail"] = own["status"]
    frame["later_joiner"] = (own["participation_status"] == "later-joiner").to_numpy()
    has_row = index.isin(rows.index)
    frame["status"] = [
        NOT_MEMBER if not member
        else NOT_ESTABLISHED if row and kind == "not-established"
        else PARTICIPANT if row
        else THROUGH_EU if eu_state and eu_participates
        else NOT_IDENTIFIED
        for member, eu_state, row, kind in zip(is_member, is_eu_state, has_row, own["participation_status"])
    ]
    return frame


def jsi_participation(codes: Iterable[str]) -> pd.DataFrame:
    """JSI e-commerce status of each code: columns ``status`` and ``events`` (the economy's
    rows of the fact table as (event, date) pairs, in table order; empty without one).

    Every row of the table is an event of a participant, including the participants that
    did not join the 2024 statement on the stabilised text.
    """
    index, is_member, is_eu_state = baseline(codes)
    jsi = keyed(JSI)
    events = {key: list(zip(rows["event"], rows["date"])) for key, rows in jsi.groupby("key", sort=False)}
    eu_participates = EU_CODE in events
    frame = pd.DataFrame(index=index)
    frame["events"] = [events.get(code, []) for code in index]
    frame["status"] = [
        NOT_MEMBER if not member
        else PARTICIPANT if own
        else THROUGH_EU if eu_state and eu_participates
        else NOT_IDENTIFIED
        for member, eu_state, own in zip(is_member, is_eu_state, frame["events"])
    ]
    return frame


def participation_by_group(groups: pd.Series, participates: pd.Series, label: str,
                           order: Iterable[str] | None = None) -> pd.DataFrame:
    """Participation of WTO Members by group (income group, region...), one row per group.

    ``groups`` and ``participates`` are aligned, one entry per Member: its group and
    whether it participates. Columns: ``WTO members``; ``label`` (the participants among
    them); ``Participation rate`` (participants over Members); ``Share of participants``
    and ``Share of WTO members`` (the group's share of all participants, of all Members);
    rates and shares rounded to three decimals. Rows follow ``order`` (the groups present),
    else the number of Members, largest first. The index is named after ``groups``
    ("income_group" gives "Income group"); Members without a group are left out.
    """
    if label in ("WTO members", "Participation rate", "Share of participants", "Share of WTO members"):
        raise ValueError(f"participation_by_group(label={label!r}) names a column it computes; pick another label.")
    frame = pd.DataFrame({"group": groups, "participates": participates})
    grouped = frame.groupby("group").agg(
        **{"WTO members": ("participates", "size"), label: ("participates", "sum")})
    grouped[label] = grouped[label].astype(int)
    grouped["Participation rate"] = (grouped[label] / grouped["WTO members"]).round(3)
    grouped["Share of participants"] = (grouped[label] / grouped[label].sum()).round(3)
    grouped["Share of WTO members"] = (grouped["WTO members"] / grouped["WTO members"].sum()).round(3)
    if order is not None:
        grouped = grouped.reindex([group for group in order if group in grouped.index])
    else:
        grouped = grouped.sort_values("WTO members", ascending=False, kind="stable")
    grouped.index.name = str(groups.name).replace("_", " ").capitalize()
    return grouped
