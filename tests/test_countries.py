"""aitrade.countries: one mapping from printed labels to ISO3, nothing dropped silently."""

from __future__ import annotations

import pytest

from aitrade import countries


def test_cloud_spend_labels_map_to_iso3_with_the_eu_flagged():
    table = countries.economies(["U.S.", "EU", "Brazil", "Russia", "China", "India", "U.S."])
    assert table["iso3"].tolist() == ["USA", "EUU", "BRA", "RUS", "CHN", "IND"]
    assert table.set_index("iso3")["is_aggregate"].to_dict() == {
        "USA": False, "EUU": True, "BRA": False, "RUS": False, "CHN": False, "IND": False,
    }
    assert table.set_index("iso3").loc["EUU", "name"] == "European Union"


@pytest.mark.parametrize(
    ("label", "iso3", "name"),
    [
        ("Chinese Taipei", "TWN", "Chinese Taipei"),
        ("Hong Kong, China", "HKG", "Hong Kong, China"),
        ("Macao, China", "MAC", "Macao, China"),
        ("Kosovo", "XKX", "Kosovo"),
        ("Germany", "DEU", "Germany"),
        ("DEU", "DEU", "Germany"),
        ("Viet Nam", "VNM", "Vietnam"),
    ],
)
def test_special_economies_are_handled_explicitly(label, iso3, name):
    assert countries.to_iso3([label]) == [iso3]
    assert countries.display_name(iso3) == name


def test_unmatched_labels_are_all_listed():
    with pytest.raises(countries.CountryMatchError, match=r"2 label\(s\).*\['Atlantis', 'Narnia'\]"):
        countries.to_iso3(["Brazil", "Narnia", "Atlantis", "Narnia"])


def test_unknown_code_has_no_display_name():
    with pytest.raises(countries.CountryMatchError, match="'ZZZ'"):
        countries.display_name("ZZZ")
