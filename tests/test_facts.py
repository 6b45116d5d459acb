"""aitrade.facts reads numbers, years and meetings out of the fact tables' text."""

from __future__ import annotations

import pandas as pd
import pytest

from aitrade import facts


def test_stated_number_keeps_the_qualifier_and_reads_the_first_figure():
    assert facts.stated_number("more than 70; 70% notified in the last three years") == ("more than", 70)
    assert facts.stated_number("at least 24; 60% raised in the last five years (2017-2022)") == ("at least", 24)
    assert facts.stated_number("around 80") == ("around", 80)
    assert facts.stated_number("1,200") == ("exactly", 1200)


def test_stated_number_refuses_text_without_a_number():
    with pytest.raises(ValueError, match=r"No stated number in 'no counts given'"):
        facts.stated_number("no counts given")
    with pytest.raises(ValueError, match="No stated number"):
        facts.stated_number("nearly US$160 billion (highest of any STC topic)")


def test_leading_number():
    assert facts.leading_number("74 (Colombia = 74th)") == 74
    assert facts.leading_number("  59 (stated); list names 41") == 59
    assert facts.leading_number("84 WTO Members") == 84
    assert facts.leading_number("WTO Members: 84") is None
    assert facts.leading_number(pd.NA) is None
    assert facts.leading_number(None) is None


def test_count_years():
    assert facts.count_years(1996, "1996-12-13") == [1996]
    assert facts.count_years(pd.NA, "2017 / 2019 / 2020-10-30") == [2017, 2019, 2020]
    assert facts.count_years(pd.NA, "after 2012-08 (probably 2013)") == []
    assert facts.count_years(None, None) == []


def test_meetings_are_listed_by_year_keeping_the_order_within_a_year():
    rows = pd.DataFrame({
        "ministerial": ["MC13", "MC12", "General Council", "MC11"],
        "place": ["Abu Dhabi", "Geneva", "Geneva", "Buenos Aires"],
        "conference_year": [2024, 2022, 2022, 2017],
    })
    assert facts.meetings(rows) == (
        "MC11 Buenos Aires (2017), MC12 Geneva (2022), General Council Geneva (2022), "
        "MC13 Abu Dhabi (2024)"
    )
    assert facts.meetings(rows.iloc[0:0]) == ""


def test_verified_keeps_primary_and_secondary_rows():
    rows = pd.DataFrame({"case": ["a", "b", "c"], "confidence": ["primary", "unverified", "secondary"]})
    assert facts.verified(rows)["case"].tolist() == ["a", "c"]


def test_verified_refuses_an_old_confidence_word():
    rows = pd.DataFrame({"case": ["a"], "confidence": ["1 source"]})
    with pytest.raises(ValueError, match=r"Confidence \['1 source'\] is not one of"):
        facts.verified(rows)
