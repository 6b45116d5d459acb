"""aitrade.countries: one mapping from printed labels to ISO3, nothing dropped silently."""

from __future__ import annotations

import pandas as pd
import pytest

from aitrade import countries, data


@pytest.mark.snapshots
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


@pytest.mark.snapshots
def test_unknown_code_has_no_display_name():
    with pytest.raises(countries.CountryMatchError, match="'ZZZ'"):
        countries.display_name("ZZZ")


DATASETS_WITH_ECONOMIES = [
    name for name in data.read_catalogue().names if data.resource(name).get("countries")
]


@pytest.mark.snapshots
@pytest.mark.parametrize("name", DATASETS_WITH_ECONOMIES)
def test_every_label_of_every_dataset_is_matched_or_flagged(name):
    table = countries.dataset_economies(name)  # raises, listing them, if any label is unknown
    assert len(table) > 0 and table["label"].is_unique
    economies_only = table[table["kind"] == countries.ECONOMY]
    assert economies_only["iso3"].notna().all()
    assert not economies_only["iso3"].isin(countries.world_bank_aggregates()).any()


@pytest.mark.snapshots
def test_wto_members_carry_dates_income_groups_and_regions():
    members = countries.dataset_economies("wto-members")
    assert len(members) == 166 and members["wto_member"].all()
    eu = members.set_index("iso3").loc["EUU"]
    assert eu["kind"] == countries.AGGREGATE and str(eu["wto_membership_date"].date()) == "1995-01-01"
    by_code = members.set_index("iso3")
    assert str(by_code.loc["CHN", "wto_membership_date"].date()) == "2001-12-11"
    assert by_code.loc["TWN", "name"] == "Chinese Taipei"
    assert by_code.loc["TWN", "income_group"] == "High income"
    assert by_code.loc["HKG", "region"] == "East Asia & Pacific"
    # The EU has no income group of its own; every other member has one, except Venezuela,
    # which the World Bank left unclassified in FY2025.
    unclassified = set(by_code.index[by_code["income_group"].isna()])
    assert unclassified == {"EUU", "VEN"}


def test_the_fact_tables_iso3_column_agrees_with_the_country_layer():
    table = data.load("wto-members")
    mapped = countries.to_iso3(table["member"])
    given = table["iso3"].fillna("").tolist()
    disagreements = [(m, g) for m, g in zip(mapped, given) if g and m != g]
    assert disagreements == []


@pytest.mark.snapshots
def test_kosovo_and_aggregates_are_never_wto_members_by_accident():
    table = countries.economies(["Kosovo", "World", "High income", "Africa (CSET)", "USSR"])
    assert table["wto_member"].tolist() == [False] * 5
    assert table["kind"].tolist() == [
        countries.ECONOMY, countries.AGGREGATE, countries.AGGREGATE, countries.AGGREGATE,
        countries.FORMER,
    ]
    assert table["iso3"].tolist()[:3] == ["XKX", "WLD", "HIC"]


@pytest.mark.snapshots
def test_codes_and_names_are_read_by_their_own_rules():
    table = countries.economies(["MAL", "ROM", "EUU", "HIC", "ADVEC", "SUN"], kind="code")
    assert table["iso3"].tolist() == ["MYS", "ROU", "EUU", "HIC", "ADVEC", "SUN"]
    assert table["kind"].tolist() == [
        countries.ECONOMY, countries.ECONOMY, countries.AGGREGATE, countries.AGGREGATE,
        countries.AGGREGATE, countries.FORMER,
    ]


@pytest.mark.snapshots
def test_cells_listing_several_economies_are_split():
    table = countries.economies(
        ["United States of America,United States of America", "China,Korea (Republic of)"],
        separator=",",
    )
    assert table["iso3"].tolist() == ["USA", "CHN", "KOR"]


@pytest.mark.snapshots
def test_rta_database_parties_map_to_economies_or_blocs():
    table = countries.economies(
        "Democratic Republic of the Congo; Kosovo (under UNSC res. 1244); "
        "European Free Trade Association (EFTA); European Union; "
        "Southern Common Market (MERCOSUR); Wallis and Futuna Islands".split("; ")
    )
    assert table["iso3"].tolist()[:2] == ["COD", "XKX"]
    assert table["kind"].tolist() == [
        countries.ECONOMY, countries.ECONOMY, countries.AGGREGATE, countries.AGGREGATE,
        countries.AGGREGATE, countries.ECONOMY,
    ]
    assert table["iso3"].tolist()[3] == "EUU" and table["iso3"].tolist()[5] == "WLF"
    # A bloc that is not itself a WTO Member is never flagged as one; the EU is a Member.
    assert table["wto_member"].tolist() == [True, False, False, True, False, False]


@pytest.mark.snapshots
def test_eu_member_states_are_the_27_of_today():
    members = countries.eu_member_states()
    assert len(members) == 27
    assert list(members) == sorted(members)
    assert {"DEU", "FRA", "HRV", "MLT", "CYP"} <= set(members)
    assert "GBR" not in members and "EUU" not in members and "CHE" not in members


@pytest.mark.snapshots
def test_income_groups_are_those_of_the_classification():
    classified = set(countries.reference()["income_group"].dropna())
    assert set(countries.INCOME_GROUPS) == classified
    assert set(countries.INCOME_GROUP_CODES) == classified


@pytest.mark.snapshots
def test_fractional_credits_split_an_item_among_its_economies_and_skip_groups():
    frame = pd.DataFrame({
        "Model": ["a", "b", "c", "d"],
        "Country": ["United States of America", "China, United States of America",
                    "Multinational", "France, France, Multinational"],
    })
    credits = countries.fractional_credits(frame, "Model", "Country")
    assert list(zip(credits["Model"], credits["iso3"], credits["fractional"])) == [
        ("a", "USA", 1.0), ("b", "CHN", 0.5), ("b", "USA", 0.5), ("d", "FRA", 1.0),
    ]
    assert credits.attrs["uncredited"] == ["Multinational"]
    assert credits["economy"].tolist()[0] == countries.display_name("USA")


@pytest.mark.snapshots
def test_tag_adds_the_chosen_attributes_row_by_row():
    frame = pd.DataFrame({"Economy": ["Kenya", "World", "Kenya ", None], "value": [1, 2, 3, 4]})
    tagged = countries.tag(frame, "Economy", columns=["iso3", "kind", "name", "income_group"],
                           rename={"name": "economy"})
    assert list(tagged.columns) == ["Economy", "value", "iso3", "kind", "economy", "income_group"]
    assert tagged["iso3"].tolist()[:3] == ["KEN", "WLD", "KEN"]
    assert tagged["kind"].tolist()[:3] == ["economy", "aggregate", "economy"]
    assert tagged.loc[0, "economy"] == "Kenya" and tagged.loc[1, "economy"] == "World"
    assert tagged.loc[0, "income_group"] == "Lower middle income"
    assert tagged.iloc[3, 2:].isna().all()  # an empty cell gets empty attributes
    assert "iso3" not in frame.columns  # the caller's frame is left as it was


@pytest.mark.snapshots
def test_tag_refuses_to_overwrite_and_names_unknown_attributes_and_labels():
    frame = pd.DataFrame({"code": ["KEN"], "kind": ["x"]})
    with pytest.raises(ValueError, match=r"overwrite the columns \['kind'\].*rename="):
        countries.tag(frame, "code", kind="code", columns=["kind"])
    with pytest.raises(ValueError, match=r"\['gdp'\]; the attributes are"):
        countries.tag(frame, "code", kind="code", columns=["gdp"])
    with pytest.raises(countries.CountryMatchError, match="Atlantis"):
        countries.tag(pd.DataFrame({"label": ["Atlantis"]}), "label")


@pytest.mark.snapshots
def test_economy_codes_keep_economies_and_the_eu_only():
    names = pd.Series(["Kenya", "European Union", "World", "USSR", None])
    assert countries.economy_codes(names).fillna("none").tolist() == ["KEN", "EUU", "none", "none", "none"]
    # The IMF's code for the EU is another code for the same profile.
    codes = countries.economy_codes(pd.Series(["EU", "KEN", "ADVEC"]), kind="code")
    assert codes.fillna("none").tolist() == ["EUU", "KEN", "none"]


def test_names_in_a_sentence_take_the_article_english_gives_them():
    assert countries.in_sentence("United States") == "the United States"
    assert countries.in_sentence("United States", first=True) == "The United States"
    assert countries.in_sentence("China", first=True) == "China"
    assert countries.in_sentence("Netherlands") == "the Netherlands"
