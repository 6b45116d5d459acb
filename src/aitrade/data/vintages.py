"""Maintain the datasets' vintages: list them, verify the local files, refresh a vintage.

Reading the catalogue lives in :mod:`aitrade.data.catalogue`, loading in
:mod:`aitrade.data.cache`; this module is what ``python -m aitrade data``
runs. Nothing here changes a file unless a new vintage has passed validation, and a
replaced snapshot is kept next to the new one with its hash in its name.

A refresh is a transaction (:mod:`aitrade.data.transaction`): it holds the catalogue's
lock from start to end, validates the new file as every dataset that reads it (a file
shared by several datasets is one unit: all adopt it or none does), writes a journal,
swaps the file and writes the catalogue atomically, then drops the journal. Validation
is what a load does (format, Table Schema, row floor) plus: every economy label maps
(:mod:`aitrade.countries`), no cell holds a spreadsheet formula, and a CSV is not cut
short. The change summary compares with the declared vintage, or says it could not.
"""

from __future__ import annotations

import datetime
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from aitrade import paths
from aitrade.data import atomic, transaction
from aitrade.data import cache as snapshot_cache
from aitrade.data.catalogue import CATALOGUE_NAME, Catalogue, DataError, Resource, read_catalogue
from aitrade.data.schema import apply_schema, parse, read_table


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
    rows_added: int | None = None
    rows_removed: int | None = None
    cells_changed: int | None = None
    backup: Path | None = None
    compared_with: str = ""
    shared: list[Refresh] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        """True when the new file is byte for byte the declared vintage."""
        return self.old_hash == self.new_hash

    @property
    def datasets(self) -> list[str]:
        """This dataset and the others that read the same file."""
        return [self.name] + [report.name for report in self.shared]


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
    """Check each dataset's local file against its hash and schema; never download.

    An interrupted refresh comes first, as a failed check that says how to finish or
    roll it back."""
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME)
    entries = [catalogue.resource(name) for name in names or catalogue.names]
    checks = []
    journal = transaction.pending(data_dir)
    if journal:
        checks.append(Check(f"refresh of {', '.join(journal.datasets)}", False, None, journal.describe()))
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


REFRESH_COMMAND = "python -m aitrade data refresh"
# A text cell a spreadsheet would run as a formula: '=...', or '+', '-', '@' before more
# (a number such as -5 is not one; a lone '-' is not one).
FORMULA_START = re.compile(r"^\s*(=|[+\-@]\s*\S)")


def is_url(source: str) -> bool:
    """True for a download address, False for a local file path."""
    return source.split(":", 1)[0].lower() in ("http", "https", "ftp")


def obtain(source: str, target: Path, limit: int) -> Path:
    """The new vintage as a temporary file beside ``target`` (same folder, so it can be
    renamed into place): downloaded (size capped) or copied from a local file."""
    if is_url(source):
        try:
            return snapshot_cache.download_beside(source, target, limit)
        except snapshot_cache.DownloadTooLarge as exc:
            raise RefreshError(f"{exc} Nothing was changed.") from exc
        except Exception as exc:  # network errors come from requests, not one base class
            raise RefreshError(f"Downloading {source} failed: {exc}. Nothing was changed.") from exc
    path = Path(source).expanduser()
    if not path.is_file():
        raise RefreshError(f"{source} does not exist or is not a file. Nothing was changed.")
    size = path.stat().st_size
    if size > limit:
        raise RefreshError(
            f"{source} has {size:,} bytes, more than the {limit:,} accepted for this dataset. "
            "Nothing was changed. If the dataset really grew, raise its 'maxBytes' in "
            "data/datapackage.json."
        )
    temporary = atomic.temporary_beside(target)
    try:
        shutil.copyfile(path, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def sharing(catalogue: Catalogue, entry: Resource) -> list[Resource]:
    """The entry and every other snapshot that reads the same file, in catalogue order."""
    return [entry] + [other for other in catalogue.resources
                      if other.is_snapshot and other["path"] == entry["path"] and other.name != entry.name]


def declared_copy(entry: Resource, current: Path) -> Path | None:
    """A local file of the declared vintage: the cached file, or the copy a refresh kept
    beside it; None when neither has the declared sha256."""
    for path in (current, snapshot_cache.backup_path(current, entry.sha256)):
        if path.is_file() and snapshot_cache.sha256_of(path) == entry.sha256:
            return path
    return None


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


def refuse(entry: Resource, source: str, problem: str) -> RefreshError:
    """The error for a new vintage that failed a check: nothing was changed."""
    return RefreshError(
        f"The new vintage of {entry.name!r} from {source} was refused, so the cache and the "
        f"catalogue are unchanged. {problem}"
    )


def check_formulas(entry: Resource, raw: pd.DataFrame, candidate: Path, source: str) -> None:
    """Refuse text cells a spreadsheet would run as formulas, and workbook formula cells."""
    for column in raw.columns:
        cells = raw[column]
        if not (pd.api.types.is_object_dtype(cells) or pd.api.types.is_string_dtype(cells)):
            continue
        text = cells.fillna("").astype(str)
        suspect = text.str.match(FORMULA_START) & pd.to_numeric(text.str.strip(), errors="coerce").isna()
        if suspect.any():
            rows = [int(position) + 1 for position in suspect.to_numpy().nonzero()[0][:10]]
            raise refuse(entry, source, (
                f"Column {str(column)!r} has {int(suspect.sum())} cell(s) that a spreadsheet "
                f"would run as a formula (starting with =, +, - or @), on data rows {rows}. "
                "Check the file's origin; the handbook adopts data, never formulas."
            ))
    if entry.get("format") == "xlsx":
        import openpyxl

        with open(candidate, "rb") as handle:  # a handle: openpyxl judges a path by its suffix
            book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
            try:
                formulas = [cell.coordinate for row in book[entry["sheet"]].iter_rows()
                            for cell in row if getattr(cell, "data_type", None) == "f"]
            finally:
                book.close()
        if formulas:
            raise refuse(entry, source, (
                f"Sheet {entry['sheet']!r} holds {len(formulas)} formula cell(s) (first: "
                f"{formulas[:5]}). Adopt a workbook of values only."
            ))


def check_countries(entry: Resource, table: pd.DataFrame, source: str) -> None:
    """Refuse a vintage with an economy label that :mod:`aitrade.countries` cannot map."""
    declared = entry.get("countries")
    if not declared:
        return
    from aitrade import countries  # countries reads datasets itself: imported when needed

    labels = countries.split_labels(table[declared["field"]], declared.get("separator"))
    try:
        countries.matched(labels, declared["kind"])
    except countries.CountryMatchError as exc:
        raise refuse(entry, source, f"Column {declared['field']!r}: {exc}") from exc


def check_complete(entry: Resource, candidate: Path, reference: Path | None, source: str) -> None:
    """Refuse a CSV whose last line has no line break (the sign of a file cut short),
    unless the declared vintage ends that way too."""
    if entry.get("format") != "csv" or ends_with_line_break(candidate):
        return
    if reference is not None and not ends_with_line_break(reference):
        return
    known = "the declared vintage ends with one" if reference else "no copy of the declared vintage is at hand to show the publisher writes files this way"
    raise refuse(entry, source, (
        f"Its last line has no line break ({known}): the file looks cut short. Download it "
        "again and check its last rows."
    ))


def ends_with_line_break(path: Path) -> bool:
    """True when the file's last byte is a line feed or carriage return."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        if handle.tell() == 0:
            return False
        handle.seek(-1, 2)
        return handle.read(1) in (b"\n", b"\r")


def review(entry: Resource, candidate: Path, current: Path, source: str, new_hash: str) -> Refresh:
    """Validate the new file as ``entry`` reads it and compare it with the declared vintage."""
    reference = declared_copy(entry, current)
    try:
        raw = read_table(entry, candidate, source)
    except DataError as exc:
        raise refuse(entry, source, str(exc)) from exc
    old_table, not_compared = None, "no local copy of the declared vintage"
    if reference:
        try:
            old_table = parse(entry, reference)
        except DataError:
            not_compared = f"the declared vintage ({reference}) no longer passes the schema"
    new_columns = [str(column) for column in raw.columns]
    old_columns = list(old_table.columns) if old_table is not None else []
    added = [column for column in new_columns if old_columns and column not in old_columns]
    removed = [column for column in old_columns if column not in new_columns]
    try:
        new_table = apply_schema(entry, raw, source)
    except DataError as exc:
        raise refuse(entry, source, (
            f"Columns added: {added or 'none'}; removed: {removed or 'none'}. {exc} If the "
            "change is expected, update the resource's schema in data/datapackage.json "
            "first, then refresh again."
        )) from exc
    check_complete(entry, candidate, reference, source)
    check_formulas(entry, raw, candidate, source)
    check_countries(entry, new_table, source)
    report = Refresh(entry.name, entry.sha256, new_hash, None, len(new_table),
                     columns_added=added, columns_removed=removed, compared_with=f"nothing: {not_compared}")
    if old_table is not None:
        report.rows_before = len(old_table)
        report.rows_added, report.rows_removed, report.cells_changed = compare(entry, old_table, new_table)
        report.compared_with = f"the declared vintage (sha256 {entry.sha256[:12]})"
    return report


def new_fields(entry: Resource, source: str, new_hash: str, size: int, today: datetime.date) -> dict:
    """The catalogue fields a new vintage changes; curated text (derivation) is kept."""
    fields = {"hash": f"sha256:{new_hash}", "bytes": size, "retrieved": today.isoformat()}
    # The old address serves the old vintage: keep no address rather than a wrong one.
    fields["url"] = source if is_url(source) else None
    if not is_url(source) and not entry.get("derivation"):
        fields["derivation"] = (
            f"Adopted on {today.isoformat()} from a local file with `{REFRESH_COMMAND} "
            "--from`; no address is known to serve these bytes. Replace this sentence with "
            "where the file came from."
        )
    return fields


def refresh(
    name: str,
    source: str | None = None,
    data_dir: Path = paths.DATA_DIR,
    cache: Path | None = None,
    today: datetime.date | None = None,
    timeout: float = transaction.LOCK_TIMEOUT_SECONDS,
) -> Refresh:
    """Fetch a new vintage of a cached dataset, validate it, and only then adopt it.

    ``source`` is a URL or a local file; by default the catalogue's ``url`` (which
    restores the declared vintage if the cached copy is missing or damaged). Every
    dataset that reads the file must accept it (see the module docstring); then it
    replaces the cached file (the old one is kept beside it, its hash in its name) and
    the catalogue's ``hash``, ``bytes`` and ``retrieved`` are updated for each of them,
    and ``url`` becomes the new address (or is removed, for a local file, since the old
    address serves the old vintage). Waits at most ``timeout`` seconds for another refresh.
    """
    cache = cache or snapshot_cache.cache_directory()
    with transaction.termination_as_exit(), transaction.writer_lock(data_dir, timeout):
        transaction.refuse_if_pending(data_dir)
        catalogue = read_catalogue(data_dir / CATALOGUE_NAME)
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
                f"`{REFRESH_COMMAND} {name} --from PATH_OR_URL`."
            )
        unit = sharing(catalogue, entry)
        current = snapshot_cache.local_path(entry, data_dir, cache)
        candidate = obtain(source, current, snapshot_cache.max_bytes(entry))
        try:
            return adopt(unit, candidate, current, source, data_dir, today or datetime.date.today())
        except BaseException:
            # Refused or interrupted before the journal was written: nothing to keep. Once
            # it is written, the new file stays for `data recover finish`.
            if transaction.pending(data_dir) is None:
                candidate.unlink(missing_ok=True)
            raise


def adopt(unit: list[Resource], candidate: Path, current: Path, source: str,
          data_dir: Path, today: datetime.date) -> Refresh:
    """Validate ``candidate`` for every dataset of the unit, then swap it in as one change."""
    new_hash = snapshot_cache.sha256_of(candidate)
    entry = unit[0]
    current_ok = current.is_file() and snapshot_cache.sha256_of(current) == entry.sha256
    if new_hash == entry.sha256 and current_ok:
        candidate.unlink()
        return Refresh(entry.name, entry.sha256, new_hash, None, len(parse(entry, current)))
    reports = [review(member, candidate, current, source, new_hash) for member in unit]
    report, report.shared = reports[0], reports[1:]
    if current.is_file():
        report.backup = snapshot_cache.backup_path(current, snapshot_cache.sha256_of(current))
    size = candidate.stat().st_size
    changed = new_hash != entry.sha256
    journal = transaction.Journal(
        path=transaction.journal_path(data_dir), datasets=[member.name for member in unit],
        file=current, candidate=candidate, backup=report.backup,
        old_sha256=entry.sha256, new_sha256=new_hash,
        before={member.name: {key: member.get(key) for key in transaction.REFRESHED_FIELDS}
                for member in unit},
        after={member.name: new_fields(member, source, new_hash, size, today) for member in unit}
        if changed else {},
    )
    journal.save()
    if report.backup:
        transaction.keep_copy(current, report.backup)
    transaction.commit(journal, data_dir)
    return report
