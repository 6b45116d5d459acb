"""Load the handbook's datasets through its one catalogue, ``data/datapackage.json``.

Every dataset a notebook reads is declared there (a Frictionless Data Package) with its
publisher, licence, citation, sha256 checksum and Table Schema. Two kinds of storage:

- ``committed``: cited fact tables transcribed into ``data/`` with a source per row;
- ``cache``: snapshots of published datasets, never committed. They are read from the
  cache directory (the ``AITRADE_DATA_DIR`` environment variable, else the user cache)
  and, on a cache miss, downloaded from the catalogue's ``url`` and checked against the
  declared sha256 (with pooch).

:func:`load` refuses a file whose checksum or schema does not match the declaration,
with an error that names the dataset, the file and the fix. It never changes a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
CATALOGUE_NAME = "datapackage.json"
CATALOGUE_PATH = DATA_DIR / CATALOGUE_NAME
CACHE_VARIABLE = "AITRADE_DATA_DIR"

# Table Schema defaults.
DEFAULT_MISSING_VALUES = ("",)
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")


class DataError(Exception):
    """A dataset cannot be loaded as declared; the message names the file and the fix."""


class UnknownDatasetError(DataError):
    """The name is not declared in the catalogue."""


class ChecksumError(DataError):
    """The file on disk is not the vintage the catalogue declares."""


class SchemaError(DataError):
    """The file's columns or values break the catalogue's Table Schema."""


@dataclass(frozen=True)
class DatasetInfo:
    """What a reader needs to credit a dataset: title, attribution, citation, licence."""

    name: str
    title: str
    attribution: str
    citation: str
    licence: str
    reuse: str


def read_catalogue(path: Path = CATALOGUE_PATH) -> dict:
    """Return the catalogue as a dict, with a clear error if it is missing or not JSON."""
    if not path.is_file():
        raise DataError(
            f"The data catalogue {path} does not exist. Install the handbook from its "
            "repository with `pip install -r requirements.txt` (editable install)."
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"The data catalogue {path} is not valid JSON: {exc}") from exc


def write_catalogue(catalogue: dict, path: Path = CATALOGUE_PATH) -> None:
    """Write the catalogue in its canonical layout (2-space indent, UTF-8)."""
    text = json.dumps(catalogue, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def dataset_names(catalogue: dict | None = None) -> list[str]:
    """Names of every dataset declared in the catalogue, in catalogue order."""
    catalogue = catalogue if catalogue is not None else read_catalogue()
    return [entry["name"] for entry in catalogue["resources"]]


def resource(name: str, catalogue: dict | None = None) -> dict:
    """The catalogue entry (a Data Package resource) for ``name``."""
    catalogue = catalogue if catalogue is not None else read_catalogue()
    for entry in catalogue["resources"]:
        if entry["name"] == name:
            return entry
    known = ", ".join(dataset_names(catalogue))
    raise UnknownDatasetError(
        f"Unknown dataset {name!r}: data/datapackage.json declares only: {known}. "
        "Check the spelling (`python -m aitrade data list` shows every name), or "
        "declare the dataset in the catalogue first."
    )


def licence_text(entry: dict) -> str:
    """The resource's licences as one line of titles."""
    return "; ".join(item.get("title") or item["name"] for item in entry["licenses"])


def info(name: str, data_dir: Path = DATA_DIR) -> DatasetInfo:
    """Title, attribution, citation and licence of a declared dataset."""
    entry = resource(name, read_catalogue(data_dir / CATALOGUE_NAME))
    return DatasetInfo(
        name=entry["name"],
        title=entry["title"],
        attribution=entry["attribution"],
        citation=entry["citation"],
        licence=licence_text(entry),
        reuse=entry.get("reuse", "open"),
    )


def cache_directory() -> Path:
    """Where snapshots live: ``$AITRADE_DATA_DIR``, else the user's cache folder.

    A relative ``AITRADE_DATA_DIR`` is taken relative to the project folder, not to the
    current directory, so notebooks (whose kernels run in their own folder), the tests
    and the command line all find the same files.
    """
    configured = os.environ.get(CACHE_VARIABLE)
    if configured:
        return (PROJECT_DIR / Path(configured).expanduser()).resolve()
    import pooch  # imported here: pooch loads tqdm.auto, which warns inside notebooks

    return Path(pooch.os_cache("aitrade"))


def local_path(entry: dict, data_dir: Path = DATA_DIR, cache: Path | None = None) -> Path:
    """Where the resource's file is (or would be) on this machine."""
    if entry.get("storage") == "committed":
        return data_dir / entry["path"]
    return (cache or cache_directory()) / entry["path"]


def restore_hint(entry: dict) -> str:
    """How to get a missing file back: from git for a fact table, else from its source."""
    if entry.get("storage") == "committed":
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


def declared_hash(entry: dict) -> str:
    """The hex sha256 the catalogue declares for the resource."""
    return entry["hash"].removeprefix("sha256:")


def verify_checksum(entry: dict, path: Path) -> None:
    """Refuse a file whose sha256 differs from the catalogue's ``hash``; never touch it."""
    expected = declared_hash(entry)
    actual = sha256_of(path)
    if actual == expected:
        return
    name = entry["name"]
    if entry.get("storage") == "committed":
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


def fetch(entry: dict, cache: Path | None = None) -> Path:
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
    return download_checked(name, entry["url"], path, declared_hash(entry), where, refresh)


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


def load(name: str, data_dir: Path = DATA_DIR, cache: Path | None = None) -> pd.DataFrame:
    """Load a declared dataset as a DataFrame, verified against the catalogue.

    Checks, in order: the name is declared, the file exists (a cached snapshot is
    downloaded on a miss), its sha256 matches, it parses, and its columns and values
    satisfy the Table Schema (types, required, enum, minimum/maximum, primary key,
    row-count floor).
    """
    entry = resource(name, read_catalogue(data_dir / CATALOGUE_NAME))
    if entry.get("storage") == "committed":
        path = local_path(entry, data_dir)
        if not path.is_file():
            raise DataError(f"Dataset {name!r}: file {path} is missing: {restore_hint(entry)}.")
    else:
        path = fetch(entry, cache)
    verify_checksum(entry, path)
    return parse(entry, path)


def parse(entry: dict, path: Path) -> pd.DataFrame:
    """Read ``path`` as the resource declares and return it typed and validated."""
    return apply_schema(entry, read_table(entry, path), path)


def read_table(entry: dict, path: Path) -> pd.DataFrame:
    """Parse the file per the resource's format, dialect and encoding (cells as text)."""
    name, kind = entry["name"], entry.get("format")
    try:
        if kind == "csv":
            dialect = entry.get("dialect", {})
            header_line = dialect.get("headerRows", [1])[0]
            table = pd.read_csv(
                path,
                sep=dialect.get("delimiter", ","),
                encoding=entry.get("encoding", "utf-8"),
                skiprows=header_line - 1,
                skip_blank_lines=False,
                dtype=str,
                keep_default_na=False,
            )
            if dialect.get("trailingEmptyColumn"):
                table = drop_trailing_empty_column(entry, table, path)
            return table
        if kind == "xlsx":
            return pd.read_excel(path, sheet_name=entry["sheet"], dtype=str).fillna("")
        if kind == "dta":
            return pd.read_stata(path)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise DataError(
            f"Dataset {name!r}: {path} cannot be parsed as declared "
            f"({kind}, {entry.get('encoding') or entry.get('sheet') or 'default'}): {exc}"
        ) from exc
    raise DataError(
        f"Dataset {name!r}: format {kind!r} of {path} is not supported; aitrade.data "
        "reads csv, xlsx and dta."
    )


def drop_trailing_empty_column(entry: dict, table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Drop the unnamed empty column a trailing delimiter creates; refuse anything else."""
    last = table.columns[-1]
    if not str(last).startswith("Unnamed:") or (table[last] != "").any():
        raise SchemaError(
            f"Dataset {entry['name']!r}: {path} should end every line with an empty "
            f"column (dialect trailingEmptyColumn), but its last column is {last!r}."
        )
    return table.drop(columns=last)


def apply_schema(entry: dict, raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Check ``raw`` against the resource's Table Schema and return it typed."""
    schema = entry["schema"]
    name = entry["name"]
    declared = [field["name"] for field in schema["fields"]]
    actual = [str(column) for column in raw.columns]
    if actual != declared:
        missing = [column for column in declared if column not in actual]
        unexpected = [column for column in actual if column not in declared]
        raise SchemaError(
            f"Dataset {name!r}: {path} has columns {actual}; the catalogue declares "
            f"{declared}. Missing: {missing or 'none'}; not declared: {unexpected or 'none'}"
            + ("" if missing or unexpected else "; same names in another order")
            + ". If this is a new vintage, review it with `python -m aitrade data refresh`."
        )
    missing_values = tuple(schema.get("missingValues", DEFAULT_MISSING_VALUES))
    table = pd.DataFrame(index=raw.index)
    for field in schema["fields"]:
        table[field["name"]] = typed_column(name, path, field, raw[field["name"]], missing_values)
    check_constraints(name, path, schema, table)
    return table


def row_numbers(mask: pd.Series) -> list[int]:
    """Data-row numbers (1 = first row after the header) of the first ten rows in ``mask``."""
    return [int(position) + 1 for position in mask.to_numpy().nonzero()[0][:10]]


def typed_column(
    name: str, path: Path, field: dict, cells: pd.Series, missing_values=DEFAULT_MISSING_VALUES
) -> pd.Series:
    """Convert one column to the field's declared type, refusing cells that do not parse."""
    column = field["name"]
    kind = field.get("type", "string")
    if pd.api.types.is_numeric_dtype(cells) and kind in ("integer", "number"):
        return numeric_column(name, path, column, kind, cells, cells.notna())
    present = cells.notna() & ~cells.isin(missing_values)
    if kind == "string":
        return cells.where(present, None).astype("string")
    if kind in ("integer", "number"):
        text = cells.where(present)
        if field.get("bareNumber") is False:
            text = text.str.replace(r"^[^\d+\-.]+|[^\d.]+$", "", regex=True)
        numbers = pd.to_numeric(text, errors="coerce")
        bad = present & numbers.isna()
        if bad.any():
            raise SchemaError(
                f"Dataset {name!r}: column {column!r} of {path} should hold {kind}s, but "
                f"data rows {row_numbers(bad)} hold {cells[bad].head(5).tolist()}."
            )
        return numeric_column(name, path, column, kind, numbers, present)
    if kind == "date":
        dates = pd.to_datetime(cells.where(present), format="%Y-%m-%d", errors="coerce")
        bad = present & dates.isna()
        if bad.any():
            raise SchemaError(
                f"Dataset {name!r}: column {column!r} of {path} should hold dates "
                f"(YYYY-MM-DD), but data rows {row_numbers(bad)} hold {cells[bad].head(5).tolist()}."
            )
        return dates
    if kind == "boolean":
        true_values = field.get("trueValues", DEFAULT_TRUE_VALUES)
        false_values = field.get("falseValues", DEFAULT_FALSE_VALUES)
        bad = present & ~cells.isin([*true_values, *false_values])
        if bad.any():
            raise SchemaError(
                f"Dataset {name!r}: column {column!r} of {path} should hold one of "
                f"{[*true_values, *false_values]}, but data rows {row_numbers(bad)} hold "
                f"{cells[bad].head(5).tolist()}."
            )
        return cells.isin(true_values).astype("boolean").where(present, pd.NA)
    raise SchemaError(
        f"Dataset {name!r}: column {column!r} has type {kind!r} in data/datapackage.json; "
        "aitrade.data understands string, integer, number, date and boolean."
    )


def numeric_column(
    name: str, path: Path, column: str, kind: str, numbers: pd.Series, present: pd.Series
) -> pd.Series:
    """Numbers as nullable Int64 or Float64; an integer field refuses fractions."""
    numbers = pd.to_numeric(numbers)
    if kind == "integer":
        fractional = present & numbers.notna() & (numbers % 1 != 0)
        if fractional.any():
            raise SchemaError(
                f"Dataset {name!r}: column {column!r} of {path} should hold integers, but "
                f"data rows {row_numbers(fractional)} hold {numbers[fractional].head(5).tolist()}."
            )
        return numbers.astype("Int64")
    return numbers.astype("Float64")


def check_constraints(name: str, path: Path, schema: dict, table: pd.DataFrame) -> None:
    """Raise SchemaError on the first broken constraint, naming column and rows."""

    def fail(column: str, problem: str, mask: pd.Series) -> None:
        mask = mask.fillna(False).astype(bool)
        raise SchemaError(
            f"Dataset {name!r}: column {column!r} of {path} {problem} on data rows "
            f"{row_numbers(mask)} (values {table.loc[mask, column].head(5).tolist()})."
        )

    for field in schema["fields"]:
        column, rules = field["name"], field.get("constraints", {})
        values = table[column]
        if rules.get("required") and values.isna().any():
            fail(column, "is required but empty", values.isna())
        if "enum" in rules:
            outside = values.notna() & ~values.isin(rules["enum"])
            if outside.any():
                fail(column, f"must be one of {rules['enum']} but is not", outside)
        if "minimum" in rules:
            below = values.notna() & (values < rules["minimum"])
            if below.any():
                fail(column, f"must be at least {rules['minimum']} but is not", below)
        if "maximum" in rules:
            above = values.notna() & (values > rules["maximum"])
            if above.any():
                fail(column, f"must be at most {rules['maximum']} but is not", above)
    key = schema.get("primaryKey")
    if key:
        duplicated = table.duplicated(subset=key, keep=False)
        if duplicated.any():
            raise SchemaError(
                f"Dataset {name!r}: primary key {key} of {path} is not unique; duplicated on "
                f"data rows {row_numbers(duplicated)}."
            )
    floor = schema.get("rowCountMin")
    if floor is not None and len(table) < floor:
        raise SchemaError(
            f"Dataset {name!r}: {path} has {len(table)} rows; the catalogue expects at "
            f"least {floor}. The file may be truncated."
        )
