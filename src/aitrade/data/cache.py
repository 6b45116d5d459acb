"""The cache of dataset snapshots, and loading any declared dataset verified.

Snapshots of published datasets are never committed. They are read from the cache folder
(the ``AITRADE_DATA_DIR`` environment variable, else the user cache) and, on a cache miss,
downloaded from the catalogue's ``url`` and checked against the declared sha256 (with
pooch); a download that fails or does not match leaves the cache untouched.

:func:`load` refuses a file whose checksum or schema does not match the declaration,
with an error that names the dataset, the file and the fix. It never changes a file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from aitrade import paths
from aitrade.data.catalogue import CATALOGUE_NAME, DataError, Resource, resource
from aitrade.data.schema import parse

CACHE_VARIABLE = "AITRADE_DATA_DIR"
# How many parsed tables a process keeps (the snapshots are small: 33 MB in all).
LOADED_TABLES = 16


class ChecksumError(DataError):
    """The file on disk is not the vintage the catalogue declares."""


def cache_directory() -> Path:
    """Where snapshots live: ``$AITRADE_DATA_DIR``, else the user's cache folder.

    A relative ``AITRADE_DATA_DIR`` is taken relative to the project folder, not to the
    current directory, so notebooks (whose kernels run in their own folder), the tests
    and the command line all find the same files.
    """
    configured = os.environ.get(CACHE_VARIABLE)
    if configured:
        return (paths.PROJECT_DIR / Path(configured).expanduser()).resolve()
    import pooch  # imported here: pooch loads tqdm.auto, which warns inside notebooks

    return Path(pooch.os_cache("aitrade"))


def local_path(entry: Resource, data_dir: Path = paths.DATA_DIR, cache: Path | None = None) -> Path:
    """Where the resource's file is (or would be) on this machine."""
    if entry.is_committed:
        return entry.committed_path(data_dir)
    return (cache or cache_directory()) / entry["path"]


def restore_hint(entry: Resource) -> str:
    """How to get a missing file back: from git for a fact table, else from its source."""
    if entry.is_committed:
        return f"it is a fact table committed with the handbook: restore it with `git checkout -- data/{entry['path']}`"
    how = "rebuilds it from its upstream file" if entry.get("derivedFrom") else "downloads it"
    return (
        f"run `python -m aitrade data fetch {entry['name']}` (it {how} and checks its "
        f"sha256), or point {CACHE_VARIABLE} at a folder that holds it"
    )


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(entry: Resource, path: Path) -> None:
    """Refuse a file whose sha256 differs from the catalogue's ``hash``; never touch it."""
    expected = entry.sha256
    actual = sha256_of(path)
    if actual == expected:
        return
    name = entry["name"]
    if entry.is_committed:
        fix = (
            "If you edited it on purpose, review the change and set its 'hash' to "
            f"\"sha256:{actual}\" in data/datapackage.json; otherwise restore it with "
            f"`git checkout -- data/{entry['path']}`."
        )
    else:
        fix = (
            "It was left untouched. To adopt it as the new vintage, run "
            f"`python -m aitrade data refresh {name} --from {path}` (validates it, shows "
            "what changed and updates the catalogue); to go back to the declared vintage, "
            f"run `python -m aitrade data refresh {name}`."
        )
    raise ChecksumError(
        f"Dataset {name!r}: {path} has sha256 {actual}, but data/datapackage.json "
        f"declares {expected} (vintage: {entry.get('vintage', 'unstated')}). The file is "
        f"not the vintage the handbook was built on. {fix}"
    )


def download(url: str, target: Path, known_hash: str | None) -> Path:
    """Download ``url`` to ``target`` (progress bar), checking the sha256 if given.

    The download goes to a temporary folder and is moved into place only once the
    hash has matched, so a failed or refused download leaves the cache untouched.
    """
    import pooch  # imported here: pooch loads tqdm.auto, which warns inside notebooks

    with tempfile.TemporaryDirectory(prefix="aitrade-download-") as scratch:
        downloaded = pooch.retrieve(
            url,
            known_hash=f"sha256:{known_hash}" if known_hash else None,
            fname=target.name,
            path=scratch,
            progressbar=True,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(downloaded, target)
    return target


def fetch(entry: Resource, cache: Path | None = None) -> Path:
    """Path of the resource's snapshot in the cache, downloading it on a cache miss."""
    cache = cache or cache_directory()
    path = cache / entry["path"]
    if path.is_file():
        return path
    name = entry["name"]
    where = (
        f"Dataset {name!r}: {entry['path']} is not in the cache {cache} "
        f"(set by {CACHE_VARIABLE}"
        + ("" if os.environ.get(CACHE_VARIABLE) else ", unset, so the user cache is used")
        + ")."
    )
    if not entry.get("url"):
        rebuild = (
            f"`python -m aitrade data fetch {name}` rebuilds it from its upstream file "
            f"({entry['derivedFrom']['url']}) and checks its sha256"
            if entry.get("derivedFrom")
            else "Put the file there"
        )
        raise DataError(
            f"{where} No URL serves this snapshot's exact bytes (it was derived: "
            f"{entry.get('derivation', 'see the catalogue')}). {rebuild}, or point "
            f"{CACHE_VARIABLE} at a folder that holds the handbook's snapshots "
            "(`python -m aitrade data fetch` obtains every missing one)."
        )
    refresh = f"Review it with `python -m aitrade data refresh {name}`, or: "
    return download_checked(name, entry["url"], path, entry.sha256, where, refresh)


def download_checked(name: str, url: str, target: Path, expected: str | None,
                     where: str = "", new_vintage_hint: str = "") -> Path:
    """Download ``url`` to ``target`` (sha256 checked when ``expected`` is given); on failure
    raise an error that names the dataset, the address and the fix. Nothing is written then."""
    lead = where or f"Dataset {name!r}:"
    try:
        return download(url, target, expected)
    except ValueError as exc:  # pooch: the downloaded bytes have another hash
        raise ChecksumError(
            f"{lead} The file downloaded from {url} does not match the declared sha256 "
            f"{expected}: upstream has a new vintage ({exc}). Nothing was written. "
            f"{new_vintage_hint}Point {CACHE_VARIABLE} at a folder that holds the handbook's snapshots."
        ) from exc
    except Exception as exc:  # network errors come from requests, not one base class
        raise DataError(
            f"{lead} Downloading {url} failed: {exc}. Nothing was written. Connect to the "
            f"internet, or point {CACHE_VARIABLE} at a folder that holds the handbook's snapshots."
        ) from exc


def load(name: str, data_dir: Path = paths.DATA_DIR, cache: Path | None = None) -> pd.DataFrame:
    """Load a declared dataset as a DataFrame, verified against the catalogue.

    Checks, in order: the name is declared, the file exists (a cached snapshot is
    downloaded on a miss), its sha256 matches, it parses, and its columns and values
    satisfy the Table Schema (types, required, enum, minimum/maximum, primary key,
    row-count floor). The checksum is checked on every load; a table whose bytes and
    declaration were already parsed in this process is not parsed again (:func:`parsed_table`).
    """
    entry = resource(name, data_dir)
    if entry.is_committed:
        path = entry.committed_path(data_dir)
        if not path.is_file():
            raise DataError(f"Dataset {name!r}: file {path} is missing: {restore_hint(entry)}.")
    else:
        path = fetch(entry, cache)
    verify_checksum(entry, path)
    return parsed_table(json.dumps(entry, sort_keys=True), path).copy()


def dataset_version(name: str, data_dir: Path = paths.DATA_DIR, cache: Path | None = None) -> tuple:
    """What identifies the version of a dataset that :func:`load` would read now: its
    declaration and the sha256 of its file (None when the file is missing)."""
    entry = resource(name, data_dir)
    path = local_path(entry, data_dir, cache)
    return name, json.dumps(entry, sort_keys=True), sha256_of(path) if path.is_file() else None


def cached_on(*names: str):
    """Decorator: keep the result of a function of no arguments that reads ``names`` until
    one of those datasets, or where it is read from, changes (:func:`dataset_version`).
    Tables come back as copies."""

    def decorate(function):
        @functools.lru_cache(maxsize=4)
        def compute(versions: tuple):
            return function()

        @functools.wraps(function)
        def cached():
            result = compute(tuple(dataset_version(name) for name in names))
            return result.copy() if isinstance(result, (pd.DataFrame, pd.Series)) else result

        cached.datasets = names
        return cached

    return decorate


@functools.lru_cache(maxsize=LOADED_TABLES)
def parsed_table(declared: str, path: Path) -> pd.DataFrame:
    """The file parsed as its declaration (JSON text) says, once per declaration: the caller
    has checked that the file's sha256 is the declared one. Callers get copies."""
    return parse(Resource(json.loads(declared)), path)
