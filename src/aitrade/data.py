"""Load the handbook's datasets through its one catalogue, ``data/datapackage.json``.

Every dataset a notebook reads is declared there (a Frictionless Data Package) with its
source, licence, citation, sha256 checksum and Table Schema. :func:`load` refuses a file
whose checksum or schema does not match the declaration, with an error that names the
dataset, the file and the fix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
CATALOGUE_PATH = DATA_DIR / "datapackage.json"

# Frictionless' default: an empty cell is a missing value.
MISSING_VALUES = ("",)


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
    """What a reader needs to credit a dataset: title, short attribution, citation, licence."""

    name: str
    title: str
    attribution: str
    citation: str
    licence: str
    path: Path


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


def dataset_names(catalogue: dict | None = None) -> list[str]:
    """Names of every dataset declared in the catalogue, in catalogue order."""
    catalogue = catalogue if catalogue is not None else read_catalogue()
    return [resource["name"] for resource in catalogue["resources"]]


def resource(name: str, catalogue: dict | None = None) -> dict:
    """The catalogue entry (a Data Package resource) for ``name``."""
    catalogue = catalogue if catalogue is not None else read_catalogue()
    for entry in catalogue["resources"]:
        if entry["name"] == name:
            return entry
    known = ", ".join(dataset_names(catalogue))
    raise UnknownDatasetError(
        f"Unknown dataset {name!r}: data/datapackage.json declares only: {known}. "
        "Check the spelling, or declare the dataset in the catalogue first."
    )


def info(name: str, data_dir: Path = DATA_DIR) -> DatasetInfo:
    """Title, citation, licence and file path of a declared dataset."""
    entry = resource(name, read_catalogue(data_dir / "datapackage.json"))
    licence = "; ".join(item.get("title") or item["name"] for item in entry["licenses"])
    return DatasetInfo(
        name=entry["name"],
        title=entry["title"],
        attribution=entry["attribution"],
        citation=entry["citation"],
        licence=licence,
        path=data_dir / entry["path"],
    )


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(entry: dict, path: Path) -> None:
    """Refuse a file whose sha256 differs from the catalogue's ``hash``."""
    expected = entry["hash"].removeprefix("sha256:")
    actual = sha256_of(path)
    if actual != expected:
        raise ChecksumError(
            f"Dataset {entry['name']!r}: {path} has sha256 {actual}, but "
            f"data/datapackage.json declares {expected}. The file is not the vintage "
            "the handbook was built on. If you changed it on purpose, review the change "
            f"and set its 'hash' to \"sha256:{actual}\" in data/datapackage.json; "
            "otherwise restore the file (git checkout -- data/)."
        )


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Load a declared dataset as a tidy DataFrame, verified against the catalogue.

    Checks, in order: the name is declared, the file exists, its sha256 matches, it
    parses, and its columns and values satisfy the Table Schema (types, required,
    enum, minimum/maximum, primary key, row-count floor).
    """
    entry = resource(name, read_catalogue(data_dir / "datapackage.json"))
    path = data_dir / entry["path"]
    if not path.is_file():
        raise DataError(
            f"Dataset {name!r}: file {path} is missing. It is declared in "
            "data/datapackage.json and should be in the repository: restore it with "
            "`git checkout -- data/`."
        )
    verify_checksum(entry, path)
    raw = read_table(entry, path)
    return apply_schema(entry, raw, path)


def read_table(entry: dict, path: Path) -> pd.DataFrame:
    """Parse the file as text cells, per the resource's dialect and encoding."""
    if entry.get("format") != "csv":
        raise DataError(
            f"Dataset {entry['name']!r}: format {entry.get('format')!r} of {path} is not "
            "supported; aitrade.data reads csv."
        )
    dialect = entry.get("dialect", {})
    try:
        return pd.read_csv(
            path,
            sep=dialect.get("delimiter", ","),
            encoding=entry.get("encoding", "utf-8"),
            dtype=str,
            keep_default_na=False,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(
            f"Dataset {entry['name']!r}: {path} cannot be parsed as "
            f"{entry.get('encoding', 'utf-8')} CSV: {exc}"
        ) from exc


def apply_schema(entry: dict, raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Check ``raw`` against the resource's Table Schema and return it typed."""
    schema = entry["schema"]
    name = entry["name"]
    declared = [field["name"] for field in schema["fields"]]
    missing = [column for column in declared if column not in raw.columns]
    unexpected = [column for column in raw.columns if column not in declared]
    if missing or unexpected:
        raise SchemaError(
            f"Dataset {name!r}: {path} has columns {list(raw.columns)}; the catalogue "
            f"declares {declared}. Missing: {missing or 'none'}; not declared: "
            f"{unexpected or 'none'}."
        )
    table = pd.DataFrame(index=raw.index)
    for field in schema["fields"]:
        table[field["name"]] = typed_column(name, path, field, raw[field["name"]])
    check_constraints(name, path, schema, table)
    return table


def row_numbers(mask: pd.Series) -> list[int]:
    """File line numbers (header is line 1) of the rows where ``mask`` is true."""
    return [int(index) + 2 for index in mask[mask].index[:10]]


def typed_column(name: str, path: Path, field: dict, cells: pd.Series) -> pd.Series:
    """Convert one column of text cells to the field's declared type."""
    column = field["name"]
    kind = field.get("type", "string")
    present = ~cells.isin(MISSING_VALUES)
    if kind == "string":
        return cells.where(present, None).astype("string")
    if kind in ("integer", "number"):
        numbers = pd.to_numeric(cells.where(present), errors="coerce")
        bad = present & numbers.isna()
        if kind == "integer":
            bad |= present & numbers.notna() & (numbers % 1 != 0)
        if bad.any():
            examples = cells[bad].head(5).tolist()
            raise SchemaError(
                f"Dataset {name!r}: column {column!r} of {path} should hold {kind}s, but "
                f"lines {row_numbers(bad)} hold {examples}."
            )
        return numbers.astype("Int64" if kind == "integer" else "Float64")
    raise SchemaError(
        f"Dataset {name!r}: column {column!r} has type {kind!r} in data/datapackage.json; "
        "aitrade.data understands string, integer and number."
    )


def check_constraints(name: str, path: Path, schema: dict, table: pd.DataFrame) -> None:
    """Raise SchemaError on the first broken constraint, naming column and rows."""

    def fail(column: str, problem: str, mask: pd.Series) -> None:
        raise SchemaError(
            f"Dataset {name!r}: column {column!r} of {path} {problem} on lines "
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
                fail(column, f"must be at least {rules['minimum']} but is not", below.fillna(False))
        if "maximum" in rules:
            above = values.notna() & (values > rules["maximum"])
            if above.any():
                fail(column, f"must be at most {rules['maximum']} but is not", above.fillna(False))
    key = schema.get("primaryKey")
    if key:
        duplicated = table.duplicated(subset=key, keep=False)
        if duplicated.any():
            raise SchemaError(
                f"Dataset {name!r}: primary key {key} of {path} is not unique; duplicated on "
                f"lines {row_numbers(duplicated)}."
            )
    floor = schema.get("rowCountMin")
    if floor is not None and len(table) < floor:
        raise SchemaError(
            f"Dataset {name!r}: {path} has {len(table)} rows; the catalogue expects at "
            f"least {floor}. The file may be truncated."
        )
