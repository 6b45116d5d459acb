"""The catalogue as a whole: every dataset verified, refresh only adopts valid vintages, CLI."""

from __future__ import annotations

import datetime
import shutil

import nbformat
import pytest

from aitrade import data, paths
from aitrade.__main__ import main
from aitrade.data import cache, catalogue, vintages
from aitrade.pages import markdown, profiles
from aitrade.pages import datasets as dataset_pages
from support import GATT, cached_copy, edit_entry, files_in

TODAY = datetime.date(2026, 11, 21)


@pytest.mark.snapshots
def test_every_declared_dataset_verifies_against_hash_and_schema():
    checks = vintages.verify(progress=False)
    failures = {check.name: check.problem for check in checks if not check.ok}
    assert failures == {}
    assert [check.name for check in checks] == data.read_catalogue().names


def test_every_entry_states_provenance_licence_and_reuse():
    for entry in data.read_catalogue().resources:
        for key in ("title", "shortTitle", "description", "publisher", "licenses", "reuse", "citation",
                    "attribution", "hash", "bytes", "retrieved", "vintage", "schema", "coverage"):
            assert entry.get(key) not in (None, "", [], {}), f"{entry['name']} lacks {key}"
        assert entry["reuse"] in markdown.REUSE_LABELS, entry["name"]
        if entry["reuse"] != "open":
            assert entry.get("reuseNote"), f"{entry['name']} restricts reuse without saying how"
        if entry.is_snapshot:
            assert entry.get("url") or entry.get("derivation"), entry["name"]
            assert entry.get("homepage"), entry["name"]


def test_every_fact_table_row_has_a_source_and_a_confidence():
    for entry in data.read_catalogue().resources:
        if not entry.is_committed:
            continue
        table = data.load(entry["name"])
        for column in ("source", "confidence"):
            assert column in table.columns, f"{entry['name']} has no {column} column"
            assert table[column].notna().all(), f"{entry['name']}: a row lacks its {column}"


def test_catalogue_usedby_matches_the_datasets_notebooks_name():
    """A notebook names a dataset (as a quoted string in its code) iff usedBy lists it;
    the country profiles' index page uses the datasets of ``profiles.render.DATASETS``."""
    used = {}
    for path in sorted((paths.PROJECT_DIR / "book").rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
        for name in data.read_catalogue().names:
            if f'"{name}"' in code or f"'{name}'" in code:
                used.setdefault(name, []).append(str(path.relative_to(paths.PROJECT_DIR)))
    for name in profiles.render.DATASETS:
        used.setdefault(name, []).append(paths.site_path(profiles.render.INDEX_PAGE))
    used = {name: sorted(pages) for name, pages in used.items()}
    declared = {
        entry["name"]: entry["usedBy"]
        for entry in data.read_catalogue().resources
        if entry["usedBy"]
    }
    assert used == declared


@pytest.mark.snapshots
def test_refresh_adopts_a_valid_new_vintage_and_reports_the_change(scratch_data, scratch_cache, tmp_path):
    old = cached_copy(GATT, scratch_cache)
    old_bytes = old.read_bytes()
    new_vintage = tmp_path / "gatt-new.csv"
    new_vintage.write_text(
        old_bytes.decode("utf-8").replace("16 March 1949", "17 March 1949"), encoding="utf-8"
    )
    report = vintages.refresh(GATT, str(new_vintage), data_dir=scratch_data, cache=scratch_cache, today=TODAY)
    assert (report.rows_before, report.rows_after) == (128, 128)
    assert (report.rows_added, report.rows_removed, report.cells_changed) == (0, 0, 1)
    assert report.columns_added == [] and report.columns_removed == []
    assert report.backup.read_bytes() == old_bytes
    entry = data.resource(GATT, scratch_data)
    assert entry["hash"] == f"sha256:{cache.sha256_of(new_vintage)}"
    assert entry["bytes"] == new_vintage.stat().st_size
    assert entry["retrieved"] == TODAY.isoformat()
    assert "url" not in entry and "from a local file" in entry["derivation"]
    table = data.load(GATT, data_dir=scratch_data, cache=scratch_cache).set_index("Country")
    assert table.loc["Chile", "Date"] == "17 March 1949"


@pytest.mark.snapshots
def test_refresh_refuses_an_invalid_vintage_and_changes_nothing(scratch_data, scratch_cache, tmp_path):
    old = cached_copy(GATT, scratch_cache)
    new_vintage = tmp_path / "gatt-new.csv"
    lines = old.read_text(encoding="utf-8").splitlines()
    new_vintage.write_text(
        "\n".join(f"{line},x" for line in lines).replace("Date,x", "Date,Remark", 1) + "\n",
        encoding="utf-8",
    )
    catalogue_before = (scratch_data / catalogue.CATALOGUE_NAME).read_bytes()
    cache_before = files_in(scratch_cache)
    with pytest.raises(vintages.RefreshError, match=r"Columns added: \['Remark'\].*not declared: \['Remark'\]"):
        vintages.refresh(GATT, str(new_vintage), data_dir=scratch_data, cache=scratch_cache)
    assert (scratch_data / catalogue.CATALOGUE_NAME).read_bytes() == catalogue_before
    assert files_in(scratch_cache) == cache_before


@pytest.mark.snapshots
def test_refresh_from_the_catalogue_url_restores_a_damaged_copy(scratch_data, scratch_cache, file_server):
    served, base = file_server
    shutil.copyfile(cache.local_path(data.resource(GATT)), served / "gatt.csv")
    edit_entry(scratch_data, GATT, url=f"{base}/gatt.csv")
    damaged = cached_copy(GATT, scratch_cache)
    damaged.write_bytes(b"Country,Date\n")
    catalogue_before = (scratch_data / catalogue.CATALOGUE_NAME).read_bytes()
    report = vintages.refresh(GATT, data_dir=scratch_data, cache=scratch_cache)
    assert report.unchanged and report.backup.read_bytes() == b"Country,Date\n"
    assert len(data.load(GATT, data_dir=scratch_data, cache=scratch_cache)) == 128
    assert (scratch_data / catalogue.CATALOGUE_NAME).read_bytes() == catalogue_before


def test_fact_tables_are_not_refreshed_by_download():
    with pytest.raises(vintages.RefreshError, match=r"fact table committed in data/wto_members.csv"):
        vintages.refresh("wto-members")


@pytest.mark.snapshots
def test_cli_verify_reports_every_dataset(capsys):
    assert main(["data", "verify"]) == 0
    out = capsys.readouterr().out
    count = len(data.read_catalogue().names)
    assert f"{count} of {count} datasets verified" in out
    assert f"{GATT}: ok (128 rows)" in out


@pytest.mark.snapshots
def test_cli_list_shows_licence_vintage_and_local_state(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("ms-ai-diffusion"))
    assert "MIT" in line and "Q1 2026" in line and "present" in line


def test_cli_errors_exit_1_with_the_message(capsys):
    assert main(["data", "verify", "no-such-dataset"]) == 1
    assert "Unknown dataset 'no-such-dataset'" in capsys.readouterr().err
    assert main(["data", "refresh", "wto-members"]) == 1
    assert "fact table" in capsys.readouterr().err


def test_cli_refresh_without_network_exits_1_and_changes_nothing(scratch_cache, monkeypatch, capsys):
    monkeypatch.setenv(data.CACHE_VARIABLE, str(scratch_cache))
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # nothing listens: no network
    catalogue_before = catalogue.CATALOGUE_PATH.read_bytes()
    assert main(["data", "refresh", GATT]) == 1
    error = capsys.readouterr().err
    assert f"Downloading {data.resource(GATT)['url']} failed" in error
    assert "Nothing was changed" in error
    assert catalogue.CATALOGUE_PATH.read_bytes() == catalogue_before
    assert files_in(scratch_cache) == {}


@pytest.mark.snapshots
def test_cli_verify_fails_on_a_damaged_cache(scratch_cache, monkeypatch, capsys):
    damaged = cached_copy(GATT, scratch_cache)
    damaged.write_bytes(damaged.read_bytes()[:-10])
    monkeypatch.setenv(data.CACHE_VARIABLE, str(scratch_cache))
    assert main(["data", "verify", GATT]) == 1
    out = capsys.readouterr().out
    assert f"{GATT}: FAILED" in out and "0 of 1 datasets verified" in out


def test_dataset_pages_are_up_to_date_with_the_catalogue():
    stale = dataset_pages.stale()
    assert stale == [], f"Regenerate with `python -m aitrade data pages`: {stale}"


# What each reuse term tells a reader, as the datasets appendix must word it.
REUSE_WORDS = {
    "open": "reuse with attribution.",
    "non-commercial": "Non-commercial use only.",
    "no-derivatives": "share the data unchanged only.",
    "publisher-terms": "Reuse under the publisher's own terms.",
    "all-rights-reserved": "All rights reserved by the publisher.",
    "cited-fact": "Cited facts, each row with its source.",
}


def test_every_dataset_page_shows_its_licence_and_checksum():
    for entry in data.read_catalogue().resources:
        page = entry.page_path.read_text(encoding="utf-8")
        (licence_row,) = [line for line in page.splitlines() if line.startswith("| Licence |")]
        for licence in entry["licenses"]:
            assert markdown.escape(licence.get("title") or licence["name"]) in licence_row
            assert licence.get("path", "") in licence_row
        assert licence_row.endswith(f"{REUSE_WORDS[entry.get('reuse', 'open')]} |"), licence_row
        assert entry.sha256 in page
        for gap in entry.get("gaps", []):
            assert markdown.escape(gap) in page


def test_a_catalogue_change_makes_the_pages_stale(scratch_data):
    edit_entry(scratch_data, GATT, vintage="a different vintage")
    stale = dataset_pages.stale(scratch_data)
    assert stale == [dataset_pages.INDEX_PAGE, data.resource(GATT).page_path]


def test_year_columns_alike_but_for_the_year_share_one_row_on_the_page():
    fields = [
        {"name": "Country Code", "type": "string"},
        {"name": "1960", "type": "number", "title": "Users in 1960, %"},
        {"name": "1961", "type": "number", "title": "Users in 1961, %"},
        {"name": "1962", "type": "number", "title": "Exports in 1962, US$"},
    ]
    groups = dataset_pages.column_groups(fields)
    assert [[field["name"] for field in group] for group in groups] == [
        ["Country Code"], ["1960", "1961"], ["1962"],
    ]
