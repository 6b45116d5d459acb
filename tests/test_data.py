"""aitrade.data: loading through the catalogue, and clear errors on bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from aitrade import data, paths
from aitrade.data import cache, catalogue

from support import GATT, cached_copy

CLOUD = "idc-public-cloud-spend-2016"
CLOUD_FILE = "idc_public_cloud_spend_2016.csv"


def rewrite(data_dir, text: str, fix_hash: bool = True) -> None:
    """Replace the cloud-spend file; by default also record its new hash in the catalogue."""
    path = data_dir / CLOUD_FILE
    path.write_text(text)
    if fix_hash:
        catalogue_path = data_dir / "datapackage.json"
        catalogue = json.loads(catalogue_path.read_text())
        for entry in catalogue["resources"]:
            if entry["name"] == CLOUD:
                entry["hash"] = "sha256:" + cache.sha256_of(path)
        catalogue_path.write_text(json.dumps(catalogue))


def test_load_returns_the_typed_table_as_declared():
    table = data.load(CLOUD)
    assert list(table.columns) == ["economy", "line", "usd_millions", "source", "confidence"]
    assert len(table) == 24
    assert str(table["usd_millions"].dtype) == "Int64"
    us_saas = table[(table["economy"] == "U.S.") & (table["line"] == "SaaS")]["usd_millions"]
    assert us_saas.item() == 46428
    assert table["source"].notna().all()


def test_info_gives_citation_and_licence():
    info = data.info(CLOUD)
    assert "IDC" in info.citation and "IDC" in info.attribution
    assert "no open licence" in info.licence


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(data.UnknownDatasetError, match=r"'cloud-spend'.*idc-public-cloud-spend-2016"):
        data.load("cloud-spend")


def test_missing_file_is_named(scratch_data):
    (scratch_data / CLOUD_FILE).unlink()
    with pytest.raises(data.DataError, match=rf"{CLOUD_FILE} is missing"):
        data.load(CLOUD, data_dir=scratch_data)


def test_changed_file_is_refused_with_both_hashes(scratch_data):
    path = scratch_data / CLOUD_FILE
    declared = data.resource(CLOUD)["hash"].removeprefix("sha256:")
    path.write_text(path.read_text().replace("46428", "46429"))
    with pytest.raises(data.ChecksumError) as error:
        data.load(CLOUD, data_dir=scratch_data)
    message = str(error.value)
    assert CLOUD in message and declared in message and cache.sha256_of(path) in message
    assert "data/datapackage.json" in message


def test_unparseable_file_names_file_and_problem(scratch_data):
    rewrite(scratch_data, 'economy,line,usd_millions,source,confidence\n"U.S.,SaaS,1\n')
    with pytest.raises(data.DataError, match=rf"{CLOUD_FILE} cannot be read as the CSV file.*EOF inside string.*git checkout -- data/{CLOUD_FILE}"):
        data.load(CLOUD, data_dir=scratch_data)


def test_missing_column_is_named(scratch_data):
    original = pd.read_csv(scratch_data / CLOUD_FILE)
    rewrite(scratch_data, original.drop(columns="confidence").to_csv(index=False))
    with pytest.raises(data.SchemaError, match=r"Missing: \['confidence'\]"):
        data.load(CLOUD, data_dir=scratch_data)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",46428,", ",46.4 bn,", r"'usd_millions'.*should hold integers.*data rows \[1\].*'46.4 bn'"),
        ("U.S.,SaaS", "USA,SaaS", r"'economy'.*must be one of.*data rows \[1\]"),
        (",46428,", ",-46428,", r"'usd_millions'.*at least 0.*data rows \[1\]"),
        (",46428,", ",,", r"'usd_millions'.*required but empty.*data rows \[1\]"),
    ],
    ids=["not an integer", "outside enum", "below minimum", "empty required cell"],
)
def test_bad_value_names_dataset_column_and_line(scratch_data, old, new, message):
    rewrite(scratch_data, (scratch_data / CLOUD_FILE).read_text().replace(old, new, 1))
    with pytest.raises(data.SchemaError, match=rf"'{CLOUD}'.*{message}"):
        data.load(CLOUD, data_dir=scratch_data)


def test_duplicate_key_is_named(scratch_data):
    lines = (scratch_data / CLOUD_FILE).read_text().splitlines()
    rewrite(scratch_data, "\n".join(lines + [lines[1]]) + "\n")
    with pytest.raises(data.SchemaError, match=r"primary key.*not unique.*data rows \[1, 25\]"):
        data.load(CLOUD, data_dir=scratch_data)


def test_truncated_file_breaks_row_floor(scratch_data):
    lines = (scratch_data / CLOUD_FILE).read_text().splitlines()
    rewrite(scratch_data, "\n".join(lines[:10]) + "\n")
    with pytest.raises(data.SchemaError, match=r"has 9 rows.*at least 24.*truncated"):
        data.load(CLOUD, data_dir=scratch_data)


def test_broken_catalogue_is_named(scratch_data):
    (scratch_data / "datapackage.json").write_text("{not json")
    with pytest.raises(data.DataError, match=r"datapackage.json is not valid JSON"):
        data.load(CLOUD, data_dir=scratch_data)


def test_committed_files_match_the_catalogue():
    for name in data.read_catalogue().names:
        entry = data.resource(name)
        if entry.is_committed:
            cache.verify_checksum(entry, paths.DATA_DIR / entry["path"])



def test_a_loaded_table_is_the_callers_own_copy():
    first = data.load(CLOUD)
    first.loc[0, "usd_millions"] = -1
    assert data.load(CLOUD).loc[0, "usd_millions"] != -1


def test_a_file_changed_after_a_load_is_checked_again(scratch_data):
    assert len(data.load(CLOUD, data_dir=scratch_data)) == 24
    path = scratch_data / CLOUD_FILE
    path.write_text(path.read_text().replace("46428", "46429"))  # same size, at once
    with pytest.raises(data.ChecksumError):
        data.load(CLOUD, data_dir=scratch_data)


def test_the_catalogue_is_read_again_when_it_changes(scratch_data):
    path = scratch_data / catalogue.CATALOGUE_NAME
    before = catalogue.read_catalogue(path)
    assert catalogue.read_catalogue(path) is before  # unchanged: the parsed copy is shared
    changed = before.writable()
    changed.resource(CLOUD)["vintage"] = "another vintage"
    assert before.resource(CLOUD)["vintage"] != "another vintage"  # the shared copy is untouched
    changed.write()  # at once, same second: the content is compared, not the time stamp
    assert catalogue.read_catalogue(path).resource(CLOUD)["vintage"] == "another vintage"


def test_a_resource_says_how_it_is_stored():
    assert data.resource(CLOUD).is_committed and not data.resource(CLOUD).is_snapshot
    snapshot = data.resource("wdi-internet-users")
    assert snapshot.is_snapshot and not snapshot.is_committed
    assert snapshot.sha256 == snapshot["hash"].removeprefix("sha256:") and len(snapshot.sha256) == 64
    assert snapshot.page_doc == "/book/appendix/datasets/wdi-internet-users"


@pytest.mark.snapshots
def test_a_result_cached_on_a_dataset_follows_the_dataset(scratch_cache, monkeypatch):
    calls = []

    @cache.cached_on(GATT)
    def rows() -> int:
        calls.append(1)
        return len(data.load(GATT))

    path = cached_copy(GATT, scratch_cache)
    monkeypatch.setenv(data.CACHE_VARIABLE, str(scratch_cache))
    assert rows() == rows() and len(calls) == 1
    original = path.read_bytes()
    path.write_bytes(original.replace(b"\n", b"\r\n", 1))  # another vintage: computed again
    with pytest.raises(data.ChecksumError):
        rows()
    assert len(calls) == 2
    path.write_bytes(original)
    assert rows() > 0 and len(calls) == 2  # the declared vintage again: its result is kept


def test_a_dataset_page_shows_the_publisher_first_and_the_copy_only_in_provenance():
    """The facts table names the publisher's page; the repository a snapshot was copied
    from appears only after the heading on where the file comes from."""
    from aitrade.pages import datasets as dataset_pages
    entry = data.resource("wdi-population")
    page = dataset_pages.render_page(entry)
    facts, provenance = page.split("## Where the file comes from", 1)
    assert "data.worldbank.org/indicator/SP.POP.TOTL" in facts
    copied_from = entry["url"].split("/")[3]  # the intermediary's account on the code host
    assert "githubusercontent" not in facts and "github.com" not in facts and copied_from not in facts
    assert "**The file the checksum was taken of.**" in provenance and entry["url"] in provenance
