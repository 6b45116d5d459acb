"""The catalogue's excluded columns (a third party's labels never leave the loader), and the
OECD.AI policy entries counted per economy, per year and per income group."""

from __future__ import annotations

import pandas as pd
import pytest

from aitrade import countries, data
from aitrade.analysis import policy_entries
from aitrade.data import cache
from aitrade.data.catalogue import Resource
from aitrade.data.schema import SchemaError, parse
from aitrade.pages import datasets as dataset_pages
from support import cached_copy, edit_entry

POLICIES = policy_entries.DATASET
MODEL_OUTPUTS = ["policy_type", "overall_score"]
REASON = "Outputs of a third party's language models, not the publisher's data."
FIXTURE = (
    "entry_id,title,policy_type,jurisdiction,year,overall_score\n"
    "a1,National AI Strategy,Strategy,France,2018.0,2.5\n"
    "a2,AI Act,Legislation,European Union,2024.0,3.0\n"
    "a3,Data law,Regulation,Kenya,,1.0\n"
)


def fixture_resource(**changes) -> Resource:
    """A small resource that excludes two model-output columns from a four-column schema."""
    entry = {
        "name": "fixture-entries",
        "format": "csv",
        "path": "entries.csv",
        "storage": "cache",
        "excludedColumns": {"columns": MODEL_OUTPUTS, "reason": REASON},
        "schema": {"fields": [
            {"name": "entry_id", "type": "string", "constraints": {"required": True}},
            {"name": "title", "type": "string"},
            {"name": "jurisdiction", "type": "string"},
            {"name": "year", "type": "integer"},
        ], "primaryKey": ["entry_id"]},
    }
    entry.update(changes)
    return Resource(entry)


@pytest.fixture
def fixture_file(tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text(FIXTURE)
    return path


def test_excluded_columns_are_dropped_before_the_schema_sees_them(fixture_file):
    table = parse(fixture_resource(), fixture_file)
    assert list(table.columns) == ["entry_id", "title", "jurisdiction", "year"]
    assert table["year"].tolist()[:2] == [2018, 2024] and pd.isna(table["year"].iloc[2])


def test_a_schema_that_declares_an_excluded_column_is_refused(fixture_file):
    entry = fixture_resource()
    entry["schema"]["fields"].append({"name": "policy_type", "type": "string"})
    with pytest.raises(SchemaError) as error:
        parse(entry, fixture_file)
    message = str(error.value)
    assert "'fixture-entries'" in message and "['policy_type']" in message
    assert REASON in message and "remove it from the schema" in message


def test_a_file_lacking_an_excluded_column_is_refused_as_another_vintage(fixture_file):
    fixture_file.write_text(FIXTURE.replace(",overall_score", "").replace(",2.5", "").replace(",3.0", "").replace(",1.0", ""))
    with pytest.raises(SchemaError) as error:
        parse(fixture_resource(), fixture_file)
    message = str(error.value)
    assert "'fixture-entries'" in message and str(fixture_file) in message
    assert "['overall_score']" in message and "not the vintage" in message
    assert "excludedColumns" in message and "data refresh fixture-entries" in message


@pytest.mark.parametrize("declared", [
    {"columns": [], "reason": REASON},
    {"columns": ["policy_type"]},
    {"columns": ["policy_type"], "reason": "  "},
    ["policy_type"],
])
def test_an_incomplete_exclusion_is_refused(fixture_file, declared):
    with pytest.raises(SchemaError, match="non-empty list of column names and a reason"):
        parse(fixture_resource(excludedColumns=declared), fixture_file)


def test_a_column_excluded_twice_is_refused(fixture_file):
    declared = {"columns": ["policy_type", "policy_type", "overall_score"], "reason": REASON}
    with pytest.raises(SchemaError, match=r"names \['policy_type'\] more than once"):
        parse(fixture_resource(excludedColumns=declared), fixture_file)


def test_the_dataset_page_lists_the_excluded_columns_and_the_reason():
    page = dataset_pages.render_page(data.resource(POLICIES))
    section = page.split("## Columns left out on load", 1)[1]
    for column in data.resource(POLICIES)["excludedColumns"]["columns"]:
        assert f"`{column}`" in section
    assert "**Why.**" in section and "language models" in section
    assert "## Columns left out on load" not in dataset_pages.render_page(data.resource("wto-members"))


@pytest.mark.snapshots
def test_the_oecd_entries_load_without_any_excluded_column():
    excluded = data.resource(POLICIES)["excludedColumns"]["columns"]
    assert {"policy_type", "binding_nature", "overall_score", "income_group", "gdp_pc"} <= set(excluded)
    table = data.load(POLICIES)
    assert list(table.columns) == ["entry_id", "title", "jurisdiction", "year"]
    assert not set(excluded) & set(table.columns)
    assert len(table) == 2216


@pytest.mark.snapshots
def test_the_oecd_schema_naming_an_excluded_column_is_refused(scratch_data):
    fields = data.resource(POLICIES)["schema"]["fields"] + [{"name": "binding_nature", "type": "string"}]
    schema = dict(data.resource(POLICIES)["schema"], fields=fields)
    edit_entry(scratch_data, POLICIES, schema=schema)
    with pytest.raises(SchemaError, match=r"declares \['binding_nature'\] in the schema"):
        data.load(POLICIES, data_dir=scratch_data)


@pytest.mark.snapshots
def test_an_oecd_file_lacking_an_excluded_column_is_refused(scratch_data, scratch_cache):
    path = cached_copy(POLICIES, scratch_cache)
    table = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="overall_score")
    table.to_csv(path, index=False)
    edit_entry(scratch_data, POLICIES, hash="sha256:" + cache.sha256_of(path))
    with pytest.raises(SchemaError) as error:
        data.load(POLICIES, data_dir=scratch_data, cache=scratch_cache)
    assert "['overall_score']" in str(error.value) and POLICIES in str(error.value)


def small_entries() -> pd.DataFrame:
    """Entries in the loaded dataset's shape: economies, the EU, a body, a blank, an undated."""
    return pd.DataFrame({
        "entry_id": [f"e{number}" for number in range(8)],
        "title": ["Strategy", "Law", "Plan", "Act", "Principles", "Report", "Fund", "Centre"],
        "jurisdiction": ["France", "France", "China (People\u2019s Republic of)", "European Union",
                         "G7", None, "Kenya", "France"],
        "year": pd.array([2018, 2021, 2017, 2024, 2023, 2019, None, 2019], dtype="Int64"),
    })


@pytest.mark.snapshots
def test_entries_are_keyed_to_the_country_layer_not_to_the_intermediary():
    frame = policy_entries.entries(small_entries())
    assert frame["kind"].tolist() == ["economy", "economy", "economy", "European Union",
                                      "international body", "no jurisdiction", "economy", "economy"]
    assert frame["iso3"].tolist()[:4] == ["FRA", "FRA", "CHN", "EUU"]
    assert frame["iso3"].iloc[4:6].isna().all()
    assert frame.loc[0, "income_group"] == countries.reference().loc["FRA", "income_group"]
    assert pd.isna(frame.loc[3, "income_group"])


@pytest.mark.snapshots
def test_an_unknown_group_is_refused_by_name():
    table = small_entries()
    table.loc[4, "jurisdiction"] = "World"
    with pytest.raises(policy_entries.PolicyEntriesError, match=r"\['World'\]"):
        policy_entries.entries(table)


@pytest.mark.snapshots
def test_per_economy_counts_entries_and_the_span_of_start_years():
    frame = policy_entries.entries(small_entries())
    counts = policy_entries.per_economy(frame)
    assert counts.index.tolist() == ["FRA", "CHN", "EUU", "KEN"]
    france = counts.loc["FRA"]
    assert (france["entries"], france["dated"], france["first_year"], france["last_year"]) == (3, 3, 2018, 2021)
    kenya = counts.loc["KEN"]
    assert (kenya["entries"], kenya["dated"]) == (1, 0) and pd.isna(kenya["first_year"])
    assert "EUU" not in policy_entries.per_economy(frame, include_eu=False).index


@pytest.mark.snapshots
def test_by_year_cumulates_entries_and_jurisdictions_from_before_the_window():
    frame = policy_entries.entries(small_entries())
    table = policy_entries.by_year(frame, range(2018, 2022))
    assert table["entries"].tolist() == [1, 2, 0, 1]
    assert table["cumulative_entries"].tolist() == [2, 4, 4, 5]  # the 2017 entry counts from the start
    assert table["new_jurisdictions"].tolist() == [1, 0, 0, 0]
    assert table["jurisdictions"].tolist() == [2, 2, 2, 2]  # blank jurisdictions are not counted
    with pytest.raises(policy_entries.PolicyEntriesError):
        policy_entries.by_year(frame, [2020, 2019])


def test_by_group_names_the_economy_that_weighs_most():
    counts = pd.DataFrame({"name": ["A", "B", "C", "D"], "entries": [10, 2, 4, 1]},
                          index=pd.Index(["AAA", "BBB", "CCC", "DDD"], name="iso3"))
    classified = pd.Series({"AAA": "Rich", "BBB": "Rich", "CCC": "Poor", "DDD": "Poor",
                            "EEE": "Poor", "FFF": None})
    table = policy_entries.by_group(counts, classified, ["Rich", "Poor"])
    rich, poor = table.loc["Rich"], table.loc["Poor"]
    assert (rich["economies"], rich["with_entries"], rich["entries"]) == (2, 2, 12)
    assert rich["largest"] == "A" and rich["largest_share"] == pytest.approx(10 / 12)
    assert rich["entries_per_economy_without_largest"] == 2
    assert (poor["economies"], poor["with_entries"]) == (3, 2)
    assert poor["share_with_entries"] == pytest.approx(2 / 3)
    with pytest.raises(policy_entries.PolicyEntriesError, match="GGG"):
        policy_entries.by_group(pd.concat([counts, pd.DataFrame({"name": ["G"], "entries": [1]},
                                                                 index=pd.Index(["GGG"], name="iso3"))]),
                                classified)


@pytest.mark.snapshots
def test_the_snapshot_maps_every_jurisdiction_and_counts_belgium_first():
    frame = policy_entries.entries()
    assert frame["kind"].value_counts().to_dict() == {
        "economy": 2119, "European Union": 60, "international body": 32, "no jurisdiction": 5}
    counts = policy_entries.per_economy(frame)
    assert len(counts) == 73 and counts.index[0] == "BEL" and counts.loc["BEL", "entries"] == 94
    assert counts.loc["CHN", "entries"] == 22 and counts.loc["EUU", "entries"] == 60
    assert counts["entries"].sum() == 2119 + 60
