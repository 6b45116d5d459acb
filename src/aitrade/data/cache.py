"""The cache of dataset snapshots, and loading any declared dataset verified.

Snapshots of published datasets are never committed. They are read from the cache folder
(the ``AITRADE_DATA_DIR`` environment variable, else the user cache) and, on a cache miss,
downloaded from the catalogue's ``url`` (streamed, with a size cap) and checked against
the declared sha256; a download that fails, is too large or does not match leaves the
cache untouched.

:func:`load` refuses a file whose checksum or schema does not match the declaration,
with an error that names the dataset, the file and the fix. It never changes a file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from pathlib import Path

import pandas as pd

from aitrade import paths
from aitrade.data import atomic, transaction
from aitrade.data.catalogue import DataError, Resource, resource
from aitrade.data.schema import parse

CACHE_VARIABLE = "AITRADE_DATA_DIR"
# The largest download accepted when the catalogue states no size for a dataset.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DOWNLOAD_TIMEOUT_SECONDS = 60
# How long a load waits for a refresh that is swapping the file it reads.
SWAP_WAIT_SECONDS = 10
# Datasets this process has loaded, with the sha256 of what it read: what a notebook's
# outputs depend on (recorded into the notebook by aitrade.notebooks).
LOADED_DATASETS: dict[str, str] = {}
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
    backup = backup_path(path, expected)
    if entry.is_snapshot and backup.is_file() and sha256_of(backup) == expected:
        fix = (
            f"A copy of the declared vintage is kept beside it as {backup}: to restore it, "
            f"run `python -m aitrade data refresh {name} --from {backup}`. " + fix
        )
    raise ChecksumError(
        f"Dataset {name!r}: {path} has sha256 {actual}, but data/datapackage.json "
        f"declares {expected} (vintage: {entry.get('vintage', 'unstated')}). The file is "
        f"not the vintage the handbook was built on. {fix}"
    )


def backup_path(path: Path, sha256: str) -> Path:
    """Where a refresh keeps the replaced file of that sha256, beside ``path``."""
    return path.with_name(f"{path.name}.sha256-{sha256[:12]}")


def max_bytes(entry: Resource | None) -> int:
    """The largest download accepted for a dataset: its ``maxBytes`` in the catalogue, else
    ten times its declared ``bytes`` (at least 64 MB), else :data:`DEFAULT_MAX_BYTES`."""
    if entry is None:
        return DEFAULT_MAX_BYTES
    if entry.get("maxBytes"):
        return int(entry["maxBytes"])
    if entry.get("bytes"):
        return max(10 * int(entry["bytes"]), DEFAULT_MAX_BYTES)
    return DEFAULT_MAX_BYTES


def download_beside(url: str, target: Path, limit: int = DEFAULT_MAX_BYTES) -> Path:
    """Stream ``url`` into a temporary file in ``target``'s folder (progress bar); return it.

    The download stops, and the temporary file is deleted, as soon as it passes ``limit``
    bytes (the declared Content-Length is checked first), or on any error or termination.
    A folder created for it is removed again when the download fails.
    """
    import requests
    from tqdm import tqdm

    created = not target.parent.exists()
    temporary = atomic.temporary_beside(target)
    try:
        with requests.get(url, stream=True, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            response.raise_for_status()
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > limit:
                raise DownloadTooLarge(url, limit, declared)
            received = 0
            with open(temporary, "wb") as handle, tqdm(
                total=declared or None, unit="B", unit_scale=True, desc=target.name, leave=False
            ) as bar:
                for block in response.iter_content(chunk_size=1 << 16):
                    received += len(block)
                    if received > limit:
                        raise DownloadTooLarge(url, limit, received)
                    handle.write(block)
                    bar.update(len(block))
        return temporary
    except BaseException:
        temporary.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                target.parent.rmdir()
        raise


class DownloadTooLarge(DataError):
    """A download passed the dataset's size cap; nothing was kept."""

    def __init__(self, url: str, limit: int, size: int):
        super().__init__(
            f"The file at {url} is larger than the {limit:,} bytes accepted for it "
            f"({size:,} bytes or more); the download was stopped and nothing was kept. If "
            "the dataset really grew, raise its 'maxBytes' in data/datapackage.json."
        )


def download(url: str, target: Path, known_hash: str | None, limit: int = DEFAULT_MAX_BYTES) -> Path:
    """Download ``url`` to ``target``, checking the sha256 if given, with a size cap.

    The bytes go to a temporary file beside ``target`` and are renamed into place only
    once the hash has matched, so a failed, refused or interrupted download leaves the
    cache as it was.
    """
    temporary = download_beside(url, target, limit)
    try:
        actual = sha256_of(temporary)
        if known_hash and actual != known_hash:
            raise ValueError(f"the downloaded file has sha256 {actual}")
        atomic.sync_and_replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            target.parent.rmdir()  # only succeeds if the folder is empty
        raise
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
    return download_checked(name, entry["url"], path, entry.sha256, where, refresh, max_bytes(entry))


def download_checked(name: str, url: str, target: Path, expected: str | None,
                     where: str = "", new_vintage_hint: str = "",
                     limit: int = DEFAULT_MAX_BYTES) -> Path:
    """Download ``url`` to ``target`` (sha256 checked when ``expected`` is given); on failure
    raise an error that names the dataset, the address and the fix. Nothing is written then."""
    lead = where or f"Dataset {name!r}:"
    try:
        return download(url, target, expected, limit)
    except DownloadTooLarge as exc:
        raise DataError(f"{lead} {exc}") from exc
    except ValueError as exc:  # download: the downloaded bytes have another hash
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
        verify_checksum(entry, path)
        table = parsed_table(json.dumps(entry, sort_keys=True), path)
    else:
        entry, table = read_snapshot(name, data_dir, cache or cache_directory())
    LOADED_DATASETS[name] = entry.sha256
    return table.copy()


def read_snapshot(name: str, data_dir: Path, cache: Path) -> tuple[Resource, pd.DataFrame]:
    """A snapshot's entry and its table, read consistently while a refresh may swap them.

    A refresh renames the new file into place, then the new catalogue. A reader whose
    file does not match the hash it read reads again when the catalogue or the file has
    changed since, or a swap is under way (for at most :data:`SWAP_WAIT_SECONDS`); one
    whose file was replaced while it was parsed parses it again.
    """
    deadline = time.monotonic() + SWAP_WAIT_SECONDS
    while True:
        entry = resource(name, data_dir)
        path = fetch(entry, cache)
        before = file_stamp(path)
        try:
            verify_checksum(entry, path)
            table = parsed_table(json.dumps(entry, sort_keys=True), path)
        except ChecksumError:
            # In this order: a swap that ends between the two checks has changed the catalogue.
            swapping = transaction.swap_under_way(data_dir)
            moved_on = resource(name, data_dir).sha256 != entry.sha256 or file_stamp(path) != before
            if (swapping or moved_on) and time.monotonic() < deadline:
                time.sleep(transaction.POLL_SECONDS)
                continue
            raise
        if file_stamp(path) == before:
            return entry, table
        parsed_table.cache_clear()  # replaced while read: forget what was parsed, read again


def file_stamp(path: Path) -> tuple:
    """What changes when a file is replaced or rewritten: inode, size, modification time."""
    status = path.stat()
    return status.st_ino, status.st_size, status.st_mtime_ns


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
