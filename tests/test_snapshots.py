"""Getting every snapshot with one command: what is missing, downloads, recipes, the CLI."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from aitrade import data, paths
from aitrade.__main__ import main
from aitrade.data import atomic, cache, catalogue, snapshots, vintages
from support import GATT, edit_entry, files_in

# Two datasets that share one downloaded file (CLASS.xlsx).
SHARED = ("wb-class-economies", "wb-class-compositions")
OGHIST = "wb-income-group-history"
AIPI = "imf-ai-preparedness-2023"
EPOCH = ("epoch-notable-ai-models", "epoch-gpu-clusters")
DERIVED = (AIPI, *EPOCH, OGHIST)


def snapshot_names() -> list[str]:
    """Names of the catalogue's snapshots (cached, never committed), in catalogue order."""
    return [entry.name for entry in data.read_catalogue().resources if entry.is_snapshot]


def placeholders(cache: Path, skip: tuple[str, ...] = ()) -> None:
    """An empty file at every snapshot's path but those of ``skip``: present, not valid."""
    for name in snapshot_names():
        if name not in skip:
            for relative in snapshots.local_files(data.resource(name)):
                path = cache / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()


def serve_as(served: Path, file_name: str, content: bytes, base: str) -> tuple[str, str]:
    """Put ``content`` on the local server; return its URL and its sha256."""
    (served / file_name).write_bytes(content)
    return f"{base}/{file_name}", hashlib.sha256(content).hexdigest()


def snapshot_file(relative: str) -> Path:
    """A file of the snapshot folder named by AITRADE_DATA_DIR (never a fixed path)."""
    path = data.cache_directory() / relative
    assert path.is_file(), f"{path} is missing: set {data.CACHE_VARIABLE} (see README)"
    return path


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# missing()


def test_missing_on_an_empty_cache_lists_every_snapshot_and_no_fact_table(scratch_cache):
    found = snapshots.missing(scratch_cache)
    assert found == snapshot_names()
    assert len(found) > 30
    assert not {name for name in found if data.resource(name).is_committed}


def test_missing_checks_existence_only_and_names_the_absent_file(scratch_cache):
    placeholders(scratch_cache, skip=(GATT,))
    assert snapshots.missing(scratch_cache) == [GATT]


def test_a_derived_snapshot_without_the_upstream_file_the_tests_read_is_missing(scratch_cache):
    placeholders(scratch_cache)
    (scratch_cache / data.resource(OGHIST)["derivedFrom"]["path"]).unlink()
    assert snapshots.missing(scratch_cache) == [OGHIST]


def test_a_shared_file_makes_both_its_datasets_present(scratch_cache):
    placeholders(scratch_cache, skip=SHARED)
    assert snapshots.missing(scratch_cache) == list(SHARED)
    (scratch_cache / data.resource(SHARED[0])["path"]).touch()
    assert snapshots.missing(scratch_cache) == []


@pytest.mark.snapshots
def test_missing_on_the_full_snapshot_folder_lists_none():
    assert snapshots.missing() == []
    assert snapshots.missing(data.cache_directory()) == []


# fetch_all: downloads


def test_fetch_all_downloads_a_url_dataset_into_the_cache(scratch_data, scratch_cache, file_server, capsys):
    served, base = file_server
    url, digest = serve_as(served, "gatt.csv", b"Country,Date\nChile,16 March 1949\n", base)
    edit_entry(scratch_data, GATT, url=url, hash=f"sha256:{digest}")
    outcomes = snapshots.fetch_all(scratch_cache, [GATT], data_dir=scratch_data, progress=False)
    assert outcomes == [snapshots.Outcome(GATT, snapshots.DOWNLOADED)]
    path = scratch_cache / data.resource(GATT)["path"]
    assert files_in(scratch_cache) == {
        str(path.parent.relative_to(scratch_cache)): b"<dir>",
        str(path.relative_to(scratch_cache)): b"Country,Date\nChile,16 March 1949\n",
    }
    assert f"{GATT}: downloaded" in capsys.readouterr().out


def test_a_file_already_present_is_left_alone(scratch_data, scratch_cache, file_server):
    served, base = file_server
    url, digest = serve_as(served, "gatt.csv", b"Country,Date\n", base)
    edit_entry(scratch_data, GATT, url=url, hash=f"sha256:{digest}")
    path = scratch_cache / data.resource(GATT)["path"]
    path.parent.mkdir(parents=True)
    path.write_bytes(b"an older copy: data verify judges it, fetch does not")
    outcomes = snapshots.fetch_all(scratch_cache, [GATT], data_dir=scratch_data, progress=False)
    assert outcomes == [snapshots.Outcome(GATT, snapshots.PRESENT)]
    assert path.read_bytes() == b"an older copy: data verify judges it, fetch does not"


def test_a_shared_file_is_downloaded_once(scratch_data, scratch_cache, file_server, monkeypatch):
    served, base = file_server
    url, digest = serve_as(served, "CLASS.xlsx", b"not really a workbook", base)
    for name in SHARED:
        edit_entry(scratch_data, name, url=url, hash=f"sha256:{digest}")
    calls = []
    real_download = cache.download

    def counting(url, target, known_hash, limit):
        calls.append(url)
        return real_download(url, target, known_hash, limit)

    monkeypatch.setattr(cache, "download", counting)
    outcomes = snapshots.fetch_all(scratch_cache, list(SHARED), data_dir=scratch_data, progress=False)
    assert calls == [url]
    assert [outcome.status for outcome in outcomes] == [snapshots.DOWNLOADED] * 2
    assert outcomes[1].detail == f"same file as {SHARED[0]}"
    assert (scratch_cache / data.resource(SHARED[0])["path"]).read_bytes() == b"not really a workbook"


def test_a_download_with_another_hash_writes_nothing_is_reported_and_the_rest_goes_on(
    scratch_data, scratch_cache, file_server
):
    served, base = file_server
    bad_url, _ = serve_as(served, "gatt.csv", b"Country,Date\nChili,16 March 1949\n", base)
    edit_entry(scratch_data, GATT, url=bad_url)  # the declared hash is the real file's
    good_url, digest = serve_as(served, "provision.csv", b"provider_name,country\n", base)
    edit_entry(scratch_data, "eto-chip-provision", url=good_url, hash=f"sha256:{digest}")
    outcomes = snapshots.fetch_all(
        scratch_cache, [GATT, "eto-chip-provision"], data_dir=scratch_data, progress=False
    )
    failed, fetched = outcomes
    assert failed.status == snapshots.FAILED and not failed.ok
    assert GATT in failed.detail and "Nothing was written" in failed.detail
    assert data.resource(GATT).sha256 in failed.detail
    assert fetched.status == snapshots.DOWNLOADED
    assert snapshots.missing(scratch_cache, scratch_data) == [
        name for name in snapshot_names() if name != "eto-chip-provision"
    ]
    assert not list(scratch_cache.rglob("*.part")) and not (scratch_cache / "gatt_wto_membership").exists()


def test_fact_tables_are_not_fetched(scratch_cache):
    with pytest.raises(data.DataError, match=r"\['wto-members'\] are fact tables committed"):
        snapshots.fetch_all(scratch_cache, ["wto-members"], progress=False)
    assert files_in(scratch_cache) == {}


def test_install_leaves_nothing_when_the_final_rename_fails(scratch_cache, monkeypatch):
    def refuse(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        atomic.install(b"half a file", scratch_cache / "folder" / "file.csv")
    assert files_in(scratch_cache) == {"folder": b"<dir>"}


# fetch_all: derived snapshots


def test_every_derived_snapshot_names_a_pinned_upstream_and_a_known_recipe():
    derived = [name for name in snapshot_names() if not data.resource(name).get("url")]
    assert sorted(derived) == sorted(DERIVED)
    for name in derived:
        source = data.resource(name)["derivedFrom"]
        assert source["recipe"] in snapshots.RECIPES, name
        assert re.match(r"https://raw\.githubusercontent\.com/[^/]+/[^/]+/[0-9a-f]{40}/", source["url"]), name
        assert set(source) <= {"url", "sha256", "path", "recipe"}, name
    assert list(data.resource(OGHIST)["derivedFrom"]) == ["url", "sha256", "path", "recipe"]


def test_the_subset_recipes_keep_the_columns_the_catalogue_declares():
    for name, columns in zip(EPOCH, (snapshots.NOTABLE_MODEL_COLUMNS, snapshots.GPU_CLUSTER_COLUMNS)):
        assert [field["name"] for field in data.resource(name)["schema"]["fields"]] == list(columns)


def test_the_subset_recipe_copies_cells_unchanged(tmp_path):
    upstream = tmp_path / "upstream.csv"
    upstream.write_bytes(
        b'Model,Abstract,Parameters,Organization\r\n'
        b'NA,"x, ""y""\nz",1.50,None\n007,,1e+25,"A, B"\n,dropped,0700,\n'
    )
    assert snapshots.column_subset(upstream, ("Organization", "Model", "Parameters")) == (
        b'Organization,Model,Parameters\nNone,NA,1.50\n"A, B",007,1e+25\n,,0700\n'
    )


def test_a_recipe_whose_output_has_another_hash_writes_nothing(scratch_data, scratch_cache, file_server):
    served, base = file_server
    json_text = b'{"metrics": {"readiness": {"AUS": 0.5, "ADVEC": 0.6}}}'
    url, _ = serve_as(served, "global-ai-metrics.json", json_text, base)
    edit_entry(scratch_data, AIPI, derivedFrom={"url": url, "recipe": "aipi_readiness_table"})
    produced = snapshots.aipi_readiness_table(served / "global-ai-metrics.json")
    assert produced == b"code,is_aggregate,aipi_overall_2023\r\nAUS,0,0.5\r\nADVEC,1,0.6\r\n"
    [outcome] = snapshots.fetch_all(scratch_cache, [AIPI], data_dir=scratch_data, progress=False)
    assert outcome.status == snapshots.FAILED
    assert AIPI in outcome.detail
    assert sha256_bytes(produced) in outcome.detail
    assert data.resource(AIPI).sha256 in outcome.detail
    assert data.CACHE_VARIABLE in outcome.detail and "Nothing was written" in outcome.detail
    assert files_in(scratch_cache) == {}


def test_an_upstream_file_with_another_hash_is_refused_before_the_recipe(
    scratch_data, scratch_cache, file_server
):
    served, base = file_server
    url, _ = serve_as(served, "OGHIST.xlsx", b"another vintage", base)
    source = dict(data.resource(OGHIST)["derivedFrom"], url=url)
    edit_entry(scratch_data, OGHIST, derivedFrom=source)
    [outcome] = snapshots.fetch_all(scratch_cache, [OGHIST], data_dir=scratch_data, progress=False)
    assert outcome.status == snapshots.FAILED
    expected = f"The file downloaded from {url} does not match the declared sha256 {source['sha256']}"
    assert f"{OGHIST!r}: {expected}" in outcome.detail
    assert files_in(scratch_cache) == {}


def test_an_unreadable_upstream_file_is_reported_not_raised(scratch_data, scratch_cache, file_server):
    served, base = file_server
    url, _ = serve_as(served, "notable_ai_models.csv", b"Model,Abstract\nGPT,x\n", base)
    edit_entry(scratch_data, EPOCH[0], derivedFrom={"url": url, "recipe": "notable_ai_models_subset"})
    [outcome] = snapshots.fetch_all(scratch_cache, [EPOCH[0]], data_dir=scratch_data, progress=False)
    assert outcome.status == snapshots.FAILED
    assert "notable_ai_models_subset could not read" in outcome.detail and "'Organization'" in outcome.detail
    assert files_in(scratch_cache) == {}


@pytest.mark.snapshots
def test_income_group_history_is_rebuilt_byte_for_byte_from_the_real_upstream(
    scratch_data, scratch_cache, file_server
):
    entry = data.resource(OGHIST)
    upstream = snapshot_file(entry["derivedFrom"]["path"])
    assert cache.sha256_of(upstream) == entry["derivedFrom"]["sha256"]  # the verbatim upstream
    assert sha256_bytes(snapshots.income_group_history_long(upstream)) == entry.sha256
    # End to end: served upstream, recipe, hash check, file moved into the cache.
    served, base = file_server
    shutil.copyfile(upstream, served / "OGHIST.xlsx")
    edit_entry(scratch_data, OGHIST, derivedFrom=dict(entry["derivedFrom"], url=f"{base}/OGHIST.xlsx"))
    outcomes = snapshots.fetch_all(scratch_cache, [OGHIST], data_dir=scratch_data, progress=False)
    assert outcomes == [snapshots.Outcome(OGHIST, snapshots.DERIVED)]
    rebuilt = scratch_cache / entry["path"]
    assert rebuilt.read_bytes() == snapshot_file(entry["path"]).read_bytes()
    # The upstream file is kept too, since the tests rebuild the snapshot from it.
    assert (scratch_cache / entry["derivedFrom"]["path"]).read_bytes() == upstream.read_bytes()
    assert OGHIST not in snapshots.missing(scratch_cache, scratch_data)
    assert len(data.load(OGHIST, data_dir=scratch_data, cache=scratch_cache)) == 8251


def upstream_shaped(subset: pd.DataFrame) -> pd.DataFrame:
    """The subset's columns with free-text columns interleaved, as the upstream file has."""
    rows = len(subset)
    extras = {
        "Abstract": [f'Model {i}, "quoted", and\na second line' for i in range(rows)],
        "Authors": [f"Ada Lovelace, Alan Turing {i}" for i in range(rows)],
        "Notes": ["" if i % 3 else 'see "notes",\r\nagain' for i in range(rows)],
        "Latitude": [f"{i / 7:.4f}" for i in range(rows)],
    }
    table = pd.DataFrame(index=subset.index)
    names = list(extras)
    for position, column in enumerate(subset.columns):
        table[column] = subset[column]
        if position < len(names):
            table[names[position]] = extras[names[position]]
    return table


@pytest.mark.snapshots
@pytest.mark.parametrize("name", EPOCH)
def test_epoch_subsets_are_reproduced_from_an_upstream_shaped_file(name, tmp_path):
    entry = data.resource(name)
    subset = pd.read_csv(snapshot_file(entry["path"]), dtype=str, keep_default_na=False)
    upstream = tmp_path / "upstream.csv"
    upstream_shaped(subset).to_csv(upstream, index=False)
    assert len(pd.read_csv(upstream, dtype=str).columns) == len(subset.columns) + 4
    recipe = snapshots.RECIPES[entry["derivedFrom"]["recipe"]]
    assert sha256_bytes(recipe(upstream)) == entry.sha256


@pytest.mark.snapshots
def test_aipi_table_is_reproduced_from_a_json_of_its_values(tmp_path):
    entry = data.resource(AIPI)
    with open(snapshot_file(entry["path"]), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    aggregates = {row["code"] for row in rows if row["is_aggregate"] == "1"}
    assert aggregates == snapshots.IMF_GROUP_CODES
    # The numbers go into the JSON exactly as the CSV writes them, in the CSV's order.
    readiness = ", ".join(f'"{row["code"]}": {row["aipi_overall_2023"]}' for row in rows)
    upstream = tmp_path / "global-ai-metrics.json"
    upstream.write_text(
        '{"generatedAt": "2026-06-30T14:10:06Z", "metrics": {"diffusion": {"AUS": 25.1}, '
        f'"readiness": {{{readiness}}}}}}}',
        encoding="utf-8",
    )
    assert sha256_bytes(snapshots.aipi_readiness_table(upstream)) == entry.sha256


# Messages and the command line


def test_a_missing_derived_snapshot_says_fetch_rebuilds_it(scratch_cache):
    with pytest.raises(data.DataError) as error:
        data.load(OGHIST, cache=scratch_cache)
    message = str(error.value)
    assert f"`{snapshots.FETCH_COMMAND} {OGHIST}` rebuilds it from its upstream file" in message
    assert data.resource(OGHIST)["derivedFrom"]["url"] in message
    [check] = vintages.verify([GATT], cache=scratch_cache, progress=False)
    assert f"`{snapshots.FETCH_COMMAND} {GATT}` (it downloads it" in check.problem


def test_cli_fetch_exits_1_and_names_the_failed_dataset(scratch_cache, monkeypatch, capsys):
    placeholders(scratch_cache, skip=(GATT,))
    monkeypatch.setenv(data.CACHE_VARIABLE, str(scratch_cache))
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # nothing listens: no network
    catalogue_before = catalogue.CATALOGUE_PATH.read_bytes()
    assert main(["data", "fetch", GATT, SHARED[0]]) == 1
    captured = capsys.readouterr()
    assert f"{GATT}: failed" in captured.out
    assert f"{SHARED[0]}: already present" in captured.out
    assert "1 of 2 snapshots present" in captured.out
    assert f"  {GATT}: Dataset {GATT!r}: Downloading {data.resource(GATT)['url']} failed" in captured.err
    assert snapshots.missing(scratch_cache) == [GATT]
    assert catalogue.CATALOGUE_PATH.read_bytes() == catalogue_before


def test_cli_fetch_exits_0_when_every_snapshot_is_present(scratch_cache, monkeypatch, capsys):
    placeholders(scratch_cache)
    monkeypatch.setenv(data.CACHE_VARIABLE, str(scratch_cache))
    assert main(["data", "fetch"]) == 0
    count = len(snapshot_names())
    assert f"{count} of {count} snapshots present" in capsys.readouterr().out


def test_cli_fetch_refuses_an_unknown_name(scratch_cache, monkeypatch, capsys):
    monkeypatch.setenv(data.CACHE_VARIABLE, str(scratch_cache))
    assert main(["data", "fetch", "no-such-dataset"]) == 1
    assert "Unknown dataset 'no-such-dataset'" in capsys.readouterr().err
    assert files_in(scratch_cache) == {}


def test_the_test_command_without_snapshots_runs_unit_tests_and_fails_with_one_message(tmp_path):
    """The README's test command on an empty cache: the notebook is not run, the unit
    tests are, and the run fails with the one message naming both ways to get the data."""
    environment = {**os.environ, data.CACHE_VARIABLE: str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_statistics.py", "book/04-wto-role/ita-participation.ipynb"],
        capture_output=True, text=True, cwd=paths.PROJECT_DIR, env=environment,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert result.stdout.count("dataset snapshots missing") == 1
    assert data.CACHE_VARIABLE in result.stdout and snapshots.FETCH_COMMAND in result.stdout
    assert re.search(r"\b[1-9]\d* passed, [1-9]\d* deselected", result.stdout), result.stdout[-500:]
