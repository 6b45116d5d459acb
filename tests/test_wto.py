"""aitrade.wto: participation in the ITA, the ITA Expansion and the JSI, hand-checked
against the committed fact tables."""

from __future__ import annotations

import pandas as pd
import pytest

from aitrade import wto

# The participation tests read the World Bank files (EU member States): marked snapshots.
CODES = ["USA", "DEU", "LIE", "BRA", "SRB", "LAO", "COL", "IND"]


@pytest.mark.snapshots
def test_ita_participation():
    ita = wto.ita_participation(CODES)
    assert ita["status"].to_dict() == {
        "USA": "participant",      # original party, 13 Dec 1996
        "DEU": "through-eu",       # EU member State; the EU participates
        "LIE": "through-other",    # "2 (Switzerland + Liechtenstein)" on Switzerland's row
        "BRA": "not-identified",   # a Member the table does not name
        "SRB": "not-member",       # not a WTO Member
        "LAO": "participant",
        "COL": "participant",      # the 74th participant, 28 Mar 2012
        "IND": "participant",
    }
    assert ita.loc["USA", "joined"] == "1996-12-13" and ita.loc["USA", "own_row"]
    assert ita.loc["COL", "joined"] == "2012-03-28"
    assert ita.loc["LIE", "covered_by"] == "CHE" and not ita.loc["LIE", "own_row"]
    assert not ita.loc["DEU", "own_row"]


@pytest.mark.snapshots
def test_ita_expansion_participation():
    expansion = wto.ita_expansion_participation(CODES)
    assert expansion["status"].to_dict() == {
        "USA": "participant",
        "DEU": "through-eu",
        "LIE": "not-identified",   # Switzerland's coverage of Liechtenstein is an ITA fact only
        "BRA": "not-identified",
        "SRB": "not-member",
        "LAO": "participant",      # joined after the Nairobi declaration
        "COL": "not-established",  # still in domestic procedures
        "IND": "not-identified",
    }
    assert expansion.loc["LAO", "later_joiner"] == True  # noqa: E712 (nullable boolean)
    assert expansion.loc["USA", "later_joiner"] == False  # noqa: E712


@pytest.mark.snapshots
def test_jsi_participation():
    jsi = wto.jsi_participation(CODES)
    assert jsi["status"].to_dict() == {
        "USA": "participant",      # Davos 2019; did not join the 2024 stabilised text
        "DEU": "through-eu",
        "LIE": "participant",      # a participant in its own right
        "BRA": "participant",
        "SRB": "not-member",
        "LAO": "participant",
        "COL": "participant",
        "IND": "not-identified",
    }
    assert [date for _, date in jsi.loc["USA", "events"]] == ["2019-01-25", "2024-07-26"]
    assert jsi.loc["DEU", "events"] == [] and jsi.loc["IND", "events"] == []


@pytest.mark.snapshots
def test_participants_sourced_in_the_december_2026_corrections():
    ita = wto.ita_participation(["MAR", "VNM", "TJK", "SYC", "GBR"])
    assert ita["status"].to_dict() == {
        "MAR": "participant",      # joined 14 Nov 2003 (WTO news)
        "VNM": "participant",      # joined on accession
        "TJK": "participant",
        "SYC": "participant",
        "GBR": "not-identified",   # indirect evidence only
    }
    assert ita.loc["MAR", "joined"].startswith("2003-11-14")
    assert wto.ita_expansion_participation(["AUS"]).loc["AUS", "status"] == "participant"
    jsi = wto.jsi_participation(["GBR", "GMB"])
    assert jsi["status"].to_dict() == {"GBR": "participant", "GMB": "not-identified"}


def test_every_status_has_a_label():
    statuses = {wto.PARTICIPANT, wto.THROUGH_EU, wto.THROUGH_OTHER, wto.NOT_ESTABLISHED,
                wto.NOT_IDENTIFIED, wto.NOT_MEMBER}
    assert set(wto.STATUS_LABELS) == statuses
    assert wto.STATUS_LABELS[wto.THROUGH_EU] == "Through the EU"
    assert wto.STATUS_LABELS[wto.NOT_MEMBER] == "Not a WTO Member"


def test_participation_by_group_hand_computed():
    # Six Members in three groups, one without a group; three participants.
    groups = pd.Series(["High", "High", "Low", "Middle", "Low", None], name="income_group")
    participates = pd.Series([True, True, False, True, False, True])
    table = wto.participation_by_group(groups, participates, "Participants", order=["High", "Middle", "Low", "None"])
    assert table.index.name == "Income group"
    assert table.index.tolist() == ["High", "Middle", "Low"]
    assert table["WTO members"].tolist() == [2, 1, 2]
    assert table["Participants"].tolist() == [2, 1, 0]
    assert table["Participation rate"].tolist() == [1.0, 1.0, 0.0]
    assert table["Share of participants"].tolist() == [0.667, 0.333, 0.0]   # 2/3, 1/3 of 3
    assert table["Share of WTO members"].tolist() == [0.4, 0.2, 0.4]        # of the 5 with a group


def test_participation_by_group_without_order_puts_the_largest_group_first():
    groups = pd.Series(["Africa", "Europe", "Europe", "Asia", "Europe", "Asia"], name="region")
    participates = pd.Series([False, True, False, True, True, False])
    table = wto.participation_by_group(groups, participates, "Participants")
    assert table.index.name == "Region"
    assert table.index.tolist() == ["Europe", "Asia", "Africa"]
    assert table["Participation rate"].tolist() == [0.667, 0.5, 0.0]


def test_participation_by_group_refuses_a_label_it_computes():
    with pytest.raises(ValueError, match="names a column it computes"):
        wto.participation_by_group(pd.Series(["A"]), pd.Series([True]), "WTO members")
