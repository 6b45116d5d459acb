"""Snapshots in the cache: found, downloaded and verified; bad input refused, cache untouched."""

from __future__ import annotations

import shutil
import socket

import pytest

from aitrade import countries, data, paths
from aitrade.data import cache, catalogue

from support import GATT, cached_copy, edit_entry, files_in


def closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.snapshots
def test_snapshot_is_read_from_the_folder_the_environment_names(scratch_cache, monkeypatch):
    cached_copy(GATT, scratch_cache)
    monkeypatch.setenv(data.CACHE_VARIABLE, str(scratch_cache))
    assert data.cache_directory() == scratch_cache.resolve()
    table = data.load(GATT)
    assert len(table) == 128
    assert table.loc[table["Country"] == "Chile", "Date"].item() == "16 March 1949"


def test_a_relative_cache_folder_is_taken_from_the_project_folder(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(data.CACHE_VARIABLE, "../snapshots")
    assert data.cache_directory() == (paths.PROJECT_DIR.parent / "snapshots").resolve()


@pytest.mark.snapshots
def test_corrupted_cached_file_is_refused_with_both_hashes_and_left_alone(scratch_cache):
    path = cached_copy(GATT, scratch_cache)
    path.write_bytes(path.read_bytes() + b"Atlantis,1 January 1999\n")
    before = files_in(scratch_cache)
    with pytest.raises(data.ChecksumError) as error:
        data.load(GATT, cache=scratch_cache)
    message = str(error.value)
    assert GATT in message
    assert data.resource(GATT).sha256 in message
    assert cache.sha256_of(path) in message
    assert f"python -m aitrade data refresh {GATT} --from {path}" in message
    assert files_in(scratch_cache) == before


@pytest.mark.snapshots
def test_cache_miss_downloads_the_declared_vintage(scratch_data, scratch_cache, file_server):
    served, base = file_server
    shutil.copyfile(cache.local_path(data.resource(GATT)), served / "gatt.csv")
    edit_entry(scratch_data, GATT, url=f"{base}/gatt.csv")
    table = data.load(GATT, data_dir=scratch_data, cache=scratch_cache)
    assert len(table) == 128
    downloaded = scratch_cache / data.resource(GATT)["path"]
    assert cache.sha256_of(downloaded) == data.resource(GATT).sha256


@pytest.mark.snapshots
def test_download_of_another_vintage_is_refused_and_nothing_is_written(
    scratch_data, scratch_cache, file_server
):
    served, base = file_server
    text = cache.local_path(data.resource(GATT)).read_text(encoding="utf-8")
    (served / "gatt.csv").write_text(text.replace("Chile", "Chili"), encoding="utf-8")
    edit_entry(scratch_data, GATT, url=f"{base}/gatt.csv")
    with pytest.raises(data.ChecksumError, match=rf"new vintage.*Nothing was written.*refresh {GATT}"):
        data.load(GATT, data_dir=scratch_data, cache=scratch_cache)
    assert files_in(scratch_cache) == {}


def test_missing_file_offline_says_where_it_looked_and_how_to_fix(scratch_data, scratch_cache):
    url = f"http://127.0.0.1:{closed_port()}/gatt.csv"
    edit_entry(scratch_data, GATT, url=url)
    with pytest.raises(data.DataError) as error:
        data.load(GATT, data_dir=scratch_data, cache=scratch_cache)
    message = str(error.value)
    assert f"{GATT!r}" in message and "is not in the cache" in message
    assert f"Downloading {url} failed" in message and data.CACHE_VARIABLE in message
    assert files_in(scratch_cache) == {}


def test_derived_snapshot_missing_from_cache_says_it_cannot_be_downloaded(scratch_cache):
    derived = next(
        name for name in data.read_catalogue().names
        if data.resource(name).is_snapshot and not data.resource(name).get("url")
    )
    with pytest.raises(data.DataError, match=r"No URL serves this snapshot's exact bytes"):
        data.load(derived, cache=scratch_cache)
    assert files_in(scratch_cache) == {}


@pytest.mark.snapshots
def test_cached_file_with_a_missing_column_names_the_column(scratch_data, scratch_cache):
    path = cached_copy(GATT, scratch_cache)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.split(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    edit_entry(scratch_data, GATT, hash=f"sha256:{cache.sha256_of(path)}")
    before = files_in(scratch_cache)
    with pytest.raises(data.SchemaError, match=r"Missing: \['Date'\]"):
        data.load(GATT, data_dir=scratch_data, cache=scratch_cache)
    assert files_in(scratch_cache) == before


@pytest.mark.snapshots
def test_renamed_country_is_listed_not_dropped(scratch_data, scratch_cache):
    path = cached_copy(GATT, scratch_cache)
    path.write_text(path.read_text(encoding="utf-8").replace("Chile,", "Chili,"), encoding="utf-8")
    edit_entry(scratch_data, GATT, hash=f"sha256:{cache.sha256_of(path)}")
    table = data.load(GATT, data_dir=scratch_data, cache=scratch_cache)
    with pytest.raises(countries.CountryMatchError, match=r"\['Chili'\]"):
        countries.economies(table["Country"])


def test_unknown_dataset_name_suggests_the_closest_ones_not_all(scratch_cache):
    with pytest.raises(data.UnknownDatasetError, match=rf"'gatt-members'.*Did you mean .*'{GATT}'") as error:
        data.load("gatt-members", cache=scratch_cache)
    assert "ms-ai-diffusion" not in str(error.value)  # not every one of the declared names
    assert files_in(scratch_cache) == {}
    with pytest.raises(data.UnknownDatasetError, match=r"Did you mean 'wdi-population'"):
        data.load("wdi-populaton", cache=scratch_cache)


def test_scratch_catalogue_is_canonical_json(scratch_data):
    """Catalogue.write keeps the committed layout, so a refresh diff shows only real changes."""
    path = scratch_data / catalogue.CATALOGUE_NAME
    original = path.read_text(encoding="utf-8")
    catalogue.read_catalogue(path).writable().write()
    assert path.read_text(encoding="utf-8") == original
