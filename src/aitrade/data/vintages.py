"""Maintain the datasets' vintages: list them, verify the local files, refresh a vintage.

Reading the catalogue lives in :mod:`aitrade.data.catalogue`, loading in
:mod:`aitrade.data.cache`; this module is what ``python -m aitrade data``
runs. Nothing here changes a file unless a new vintage has passed validation, and a
replaced snapshot is kept next to the new one with its hash in its name.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from aitrade import paths
from aitrade.data import cache as snapshot_cache
from aitrade.data.catalogue import CATALOGUE_NAME, DataError, Resource, read_catalogue
from aitrade.data.schema import parse, read_table


class RefreshError(DataError):
    """A new vintage was refused; the cache and the catalogue are unchanged."""


@dataclass(frozen=True)
class Check:
    """The outcome of verifying one dataset's local file."""

    name: str
    ok: bool
    rows: int | None
    problem: str = ""


@dataclass
class Refresh:
    """What a refresh found: hashes, row counts and the differences between vintages."""

    name: str
    old_hash: str
    new_hash: str
    rows_before: int | None
    rows_after: int
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    rows_added: int = 0
    rows_removed: int = 0
    cells_changed: int = 0
    backup: Path | None = None

    @property
    def unchanged(self) -> bool:
        """True when the new file is byte for byte the declared vintage."""
        return self.old_hash == self.new_hash


def local_state(entry: Resource, data_dir: Path = paths.DATA_DIR, cache: Path | None = None) -> str:
    """'present', 'missing' or 'other vintage' (checksum only, no parsing)."""
    path = snapshot_cache.local_path(entry, data_dir, cache)
    if not path.is_file():
        return "missing"
    return "present" if snapshot_cache.sha256_of(path) == entry.sha256 else "other vintage"


def listing(data_dir: Path = paths.DATA_DIR, cache: Path | None = None) -> pd.DataFrame:
    """One row per dataset: name, storage, licence, reuse terms, vintage, local state."""
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME)
    rows = [
        {
            "name": entry["name"],
            "storage": entry["storage"],
            "licence": ", ".join(item["name"] for item in entry["licenses"]),
            "reuse": entry.get("reuse", "open"),
            "vintage": entry.get("vintage", ""),
            "retrieved": entry.get("retrieved", ""),
            "local file": local_state(entry, data_dir, cache),
        }
        for entry in catalogue.resources
    ]
    return pd.DataFrame(rows)


def verify(
    names: list[str] | None = None,
    data_dir: Path = paths.DATA_DIR,
    cache: Path | None = None,
    progress: bool = True,
) -> list[Check]:
    """Check each dataset's local file against its hash and schema; never download."""
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME)
    entries = [catalogue.resource(name) for name in names or catalogue.names]
    checks = []
    for entry in tqdm(entries, desc="verifying datasets", unit="dataset", disable=not progress):
        path = snapshot_cache.local_path(entry, data_dir, cache)
        if not path.is_file():
            problem = f"{path} is missing: {snapshot_cache.restore_hint(entry)}."
            checks.append(Check(entry["name"], False, None, problem))
            continue
        try:
            snapshot_cache.verify_checksum(entry, path)
            rows = len(parse(entry, path))
        except DataError as exc:
            checks.append(Check(entry["name"], False, None, str(exc)))
        else:
            checks.append(Check(entry["name"], True, rows))
    return checks


def is_url(source: str) -> bool:
    """True for a download address, False for a local file path."""
    return source.split(":", 1)[0].lower() in ("http", "https", "ftp")


def obtain(source: str, target: Path) -> Path:
    """Copy a local file, or download a URL (with a progress bar), to ``target``."""
    if is_url(source):
        try:
            return snapshot_cache.download(source, target, known_hash=None)
        except Exception as exc:  # network errors come from requests, not one base class
            raise RefreshError(f"Downloading {source} failed: {exc}. Nothing was changed.") from exc
    path = Path(source).expanduser()
    if not path.is_file():
        raise RefreshError(f"{path} does not exist or is not a file. Nothing was changed.")
    shutil.copyfile(path, target)
    return target


def column_names(entry: Resource, path: Path) -> list[str]:
    """The file's column names as the resource's dialect reads them."""
    return [str(column) for column in read_table(entry, path).columns]


def compare(entry: Resource, old: pd.DataFrame, new: pd.DataFrame) -> tuple[int, int, int]:
    """Rows added, rows removed and cells changed between two vintages of one table.

    Rows are matched on the primary key when the schema has one, otherwise on all
    their values (then a changed row counts as one removed and one added).
    """
    key = entry["schema"].get("primaryKey")
    if not key:
        merged = old.astype(str).merge(new.astype(str), how="outer", indicator=True)
        return (
            int((merged["_merge"] == "right_only").sum()),
            int((merged["_merge"] == "left_only").sum()),
            0,
        )
    old_keyed, new_keyed = old.set_index(key), new.set_index(key)
    common = old_keyed.index.intersection(new_keyed.index)
    before = old_keyed.loc[common].astype(str)
    after = new_keyed.loc[common, before.columns].astype(str)
    return (
        len(new_keyed.index.difference(old_keyed.index)),
        len(old_keyed.index.difference(new_keyed.index)),
        int((before != after).to_numpy().sum()),
    )


def refresh(
    name: str,
    source: str | None = None,
    data_dir: Path = paths.DATA_DIR,
    cache: Path | None = None,
    today: datetime.date | None = None,
) -> Refresh:
    """Fetch a new vintage of a cached dataset, validate it, and only then adopt it.

    ``source`` is a URL or a local file; by default the catalogue's ``url`` (which
    restores the declared vintage if the cached copy is missing or damaged). The new
    file must pass the resource's Table Schema; if it does, it replaces the cached
    file (the old one is kept beside it, its hash in its name) and the catalogue's
    ``hash``, ``bytes`` and ``retrieved`` are updated, and ``url`` becomes the new
    address (or is removed, for a local file, since the old address serves the old
    vintage).
    """
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME).writable()
    entry = catalogue.resource(name)
    if entry.is_committed:
        raise RefreshError(
            f"Dataset {name!r} is a fact table committed in data/{entry['path']}: edit it "
            "there (with a source on every row) and update its 'hash' in "
            "data/datapackage.json. There is nothing to download."
        )
    source = source or entry.get("url")
    if not source:
        raise RefreshError(
            f"Dataset {name!r} has no download URL (it is derived: "
            f"{entry.get('derivation', 'see the catalogue')}). Pass the new file with "
            f"`python -m aitrade data refresh {name} --from PATH_OR_URL`."
        )
    current = snapshot_cache.local_path(entry, data_dir, cache)
    with tempfile.TemporaryDirectory(prefix="aitrade-refresh-") as scratch:
        candidate = obtain(source, Path(scratch) / current.name)
        new_hash = snapshot_cache.sha256_of(candidate)
        old_hash = entry.sha256
        current_ok = current.is_file() and snapshot_cache.sha256_of(current) == old_hash
        if new_hash == old_hash and current_ok:
            return Refresh(name, old_hash, new_hash, None, len(parse(entry, current)))
        old_columns = column_names(entry, current) if current_ok else []
        try:
            new_columns = column_names(entry, candidate)
        except DataError as exc:
            raise RefreshError(
                f"The new vintage of {name!r} from {source} cannot be read, so the cache "
                f"and the catalogue are unchanged. {exc}"
            ) from exc
        added = [column for column in new_columns if old_columns and column not in old_columns]
        removed = [column for column in old_columns if column not in new_columns]
        try:
            new_table = parse(entry, candidate)
        except DataError as exc:
            raise RefreshError(
                f"The new vintage of {name!r} from {source} fails validation, so the cache "
                f"and the catalogue are unchanged. Columns added: {added or 'none'}; "
                f"removed: {removed or 'none'}. {exc} If the change is expected, update "
                "the resource's schema in data/datapackage.json first, then refresh again."
            ) from exc
        report = Refresh(
            name,
            old_hash,
            new_hash,
            None,
            len(new_table),
            columns_added=added,
            columns_removed=removed,
        )
        if current_ok and new_hash != old_hash:
            old_table = parse(entry, current)
            report.rows_before = len(old_table)
            report.rows_added, report.rows_removed, report.cells_changed = compare(
                entry, old_table, new_table
            )
        if current.is_file():
            report.backup = current.with_name(
                f"{current.name}.sha256-{snapshot_cache.sha256_of(current)[:12]}"
            )
            shutil.move(current, report.backup)
        current.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(candidate, current)
    entry["hash"] = f"sha256:{new_hash}"
    entry["bytes"] = current.stat().st_size
    if new_hash != old_hash:
        entry["retrieved"] = (today or datetime.date.today()).isoformat()
        if is_url(source):
            entry["url"] = source
        else:
            # The old address serves the old vintage: keep no address rather than a wrong one.
            entry.pop("url", None)
            entry["derivation"] = (
                f"Adopted on {entry['retrieved']} from a local file with `python -m aitrade "
                "data refresh --from`; no address is known to serve these bytes. Replace "
                "this sentence with where the file came from."
            )
    catalogue.write()
    return report
