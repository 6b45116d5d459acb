"""The Table Schema checks: parse a dataset's file as declared and refuse what breaks it.

:func:`parse` reads a file per the resource's format, dialect and encoding, then checks
its columns and values against the resource's Table Schema (types, required, enum,
minimum/maximum, primary key, row-count floor) and returns it typed. Every refusal names
the dataset, the file, the column and the data rows.

A resource may declare columns that must never leave the loader, with the reason:
``"excludedColumns": {"columns": [...], "reason": "..."}`` (for example a third party's
model-generated labels in a file that also holds a publisher's data). :func:`read_table`
drops them right after reading, before any check or caller sees them, and refuses a file
that lacks one of them (another vintage, whose columns must be reviewed) and a schema
that declares one (:func:`excluded_columns`, :func:`drop_excluded_columns`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from aitrade.data.catalogue import DataError, Resource

# Table Schema defaults.
DEFAULT_MISSING_VALUES = ("",)
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")


class SchemaError(DataError):
    """The file's columns or values break the catalogue's Table Schema."""


def parse(entry: Resource, path: Path, shown: str | Path | None = None) -> pd.DataFrame:
    """Read ``path`` as the resource declares and return it typed and validated; messages
    name the file as ``shown`` (by default its path)."""
    shown = shown or path
    return apply_schema(entry, read_table(entry, path, shown), shown)


def read_table(entry: Resource, path: Path, shown: str | Path | None = None) -> pd.DataFrame:
    """Parse the file per the resource's format, dialect and encoding (cells as text).

    A file that cannot be parsed is refused in one sentence that names the file (as
    ``shown``) and the fix, never quoting its content (:func:`unreadable`)."""
    name, kind = entry["name"], entry.get("format")
    shown = shown or path
    excluded = excluded_columns(entry)
    if kind not in READERS:
        raise DataError(
            f"Dataset {name!r}: format {kind!r} of {shown} is not supported; aitrade.data "
            "reads csv, xlsx and dta."
        )
    try:
        table = READERS[kind](entry, path)
    except DataError:
        raise
    except Exception as exc:  # pandas, openpyxl, zipfile and codecs raise many types
        raise DataError(unreadable(entry, path, shown, exc)) from exc
    if kind == "csv" and entry.get("dialect", {}).get("trailingEmptyColumn"):
        table = drop_trailing_empty_column(entry, table, shown)
    return drop_excluded_columns(entry, table, shown, excluded)


def excluded_columns(entry: Resource) -> list[str]:
    """The columns the resource's ``excludedColumns`` keeps out of every load ([] if none).

    Refuses a declaration without columns or a reason, and a schema that declares an
    excluded column: a column is either published data or kept out, never both.
    """
    declared = entry.get("excludedColumns")
    if declared is None:
        return []
    name = entry["name"]
    columns = declared.get("columns") if isinstance(declared, dict) else None
    reason = declared.get("reason") if isinstance(declared, dict) else None
    if (not isinstance(columns, list) or not columns
            or not all(isinstance(column, str) and column for column in columns)
            or not isinstance(reason, str) or not reason.strip()):
        raise SchemaError(
            f"Dataset {name!r}: 'excludedColumns' in data/datapackage.json must be an object "
            'with a non-empty list of column names and a reason: {"columns": ["..."], '
            '"reason": "..."}.'
        )
    if len(set(columns)) != len(columns):
        repeated = sorted({column for column in columns if columns.count(column) > 1})
        raise SchemaError(f"Dataset {name!r}: 'excludedColumns' names {repeated} more than once.")
    declared_fields = [field["name"] for field in entry.get("schema", {}).get("fields", [])]
    both = [column for column in columns if column in declared_fields]
    if both:
        raise SchemaError(
            f"Dataset {name!r}: data/datapackage.json declares {both} in the schema and also "
            f"excludes them from every load (excludedColumns: {reason.strip()}). An excluded "
            "column never reaches a page: remove it from the schema's fields, or, if review "
            "shows it is the publisher's data after all, from 'excludedColumns'."
        )
    return list(columns)


def drop_excluded_columns(entry: Resource, table: pd.DataFrame, path: Path | str,
                          excluded: list[str] | None = None) -> pd.DataFrame:
    """``table`` without the resource's excluded columns; refuse a file lacking any of them.

    A file without a column the catalogue excludes is not the vintage the exclusion was
    written for: its columns must be reviewed before it is read, so it is refused."""
    excluded = excluded_columns(entry) if excluded is None else excluded
    if not excluded:
        return table
    actual = [str(column) for column in table.columns]
    missing = [column for column in excluded if column not in actual]
    if missing:
        raise SchemaError(
            f"Dataset {entry['name']!r}: {path} has no column(s) {missing}, which the catalogue "
            f"excludes from every load (excludedColumns: {entry['excludedColumns']['reason'].strip()}). "
            "The file is not the vintage this rule was written for: review its columns "
            f"(`python -m aitrade data refresh {entry['name']} --from FILE` shows them), then "
            "list in 'excludedColumns' in data/datapackage.json exactly the columns of the new "
            "vintage that must stay out."
        )
    return table.drop(columns=excluded)


def read_csv(entry: Resource, path: Path) -> pd.DataFrame:
    """A CSV file as declared by the resource's dialect and encoding, every cell as text."""
    dialect = entry.get("dialect", {})
    return pd.read_csv(
        path,
        sep=dialect.get("delimiter", ","),
        encoding=entry.get("encoding", "utf-8"),
        skiprows=dialect.get("headerRows", [1])[0] - 1,
        skip_blank_lines=False,
        dtype=str,
        keep_default_na=False,
    )


def read_xlsx(entry: Resource, path: Path) -> pd.DataFrame:
    """The declared sheet of an Excel workbook, every cell as text."""
    return pd.read_excel(path, sheet_name=entry["sheet"], dtype=str).fillna("")


def read_dta(entry: Resource, path: Path) -> pd.DataFrame:
    """A Stata file."""
    return pd.read_stata(path)


READERS = {"csv": read_csv, "xlsx": read_xlsx, "dta": read_dta}
FORMAT_NAMES = {"csv": "CSV file", "xlsx": "Excel workbook (.xlsx)", "dta": "Stata .dta file"}
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<?xml")


def unreadable(entry: Resource, path: Path, shown: str | Path, exc: Exception) -> str:
    """One sentence on why ``path`` could not be parsed and what to do, from the library's
    exception, without quoting the file (which may hold anything)."""
    name, kind = entry["name"], entry.get("format")
    expected = FORMAT_NAMES.get(kind, kind)
    lead = f"Dataset {name!r}: {shown} cannot be read as the {expected} the catalogue declares"
    again = (f"restore it with `git checkout -- data/{entry['path']}`" if entry.is_committed
             else "download it again")
    with open(path, "rb") as handle:
        start = handle.read(512).lstrip().lower()
    if not start:
        return f"{lead}: it is empty; {again}."
    if start.startswith(HTML_STARTS):
        return (
            f"{lead}: it is a web page (HTML), not the data file; the address served a page "
            "(an error, login or redirect page) instead. Download the file itself."
        )
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"{lead}: byte {exc.start} is not valid {entry.get('encoding', 'utf-8')} text. "
            f"Save the file as {entry.get('encoding', 'utf-8')}, or declare its real "
            "'encoding' in data/datapackage.json."
        )
    if kind == "xlsx" and isinstance(exc, (zipfile.BadZipFile, EOFError)):
        return f"{lead}: it is not a complete workbook (cut short or damaged). Download it again."
    if kind == "xlsx" and ("Worksheet" in str(exc) or isinstance(exc, KeyError)):
        return (
            f"{lead}: it has no sheet {entry.get('sheet')!r}. Check that this is the right "
            "file, or declare the sheet's new name as 'sheet' in data/datapackage.json."
        )
    if kind == "xlsx":
        return f"{lead}: it is not an Excel workbook. Download the .xlsx file itself."
    if isinstance(exc, pd.errors.ParserError):
        detail = str(exc).removeprefix("Error tokenizing data. C error: ").strip().rstrip(".")
        delimiter = entry.get("dialect", {}).get("delimiter", ",")
        return (
            f"{lead} (delimiter {delimiter!r}): {detail}. The file is damaged or another "
            f"format: {again}, or fix the 'dialect' in data/datapackage.json."
        )
    return f"{lead} ({type(exc).__name__}): {again}, or fix its declaration in data/datapackage.json."


def drop_trailing_empty_column(entry: Resource, table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Drop the unnamed empty column a trailing delimiter creates; refuse anything else."""
    last = table.columns[-1]
    if not str(last).startswith("Unnamed:") or (table[last] != "").any():
        raise SchemaError(
            f"Dataset {entry['name']!r}: {path} should end every line with an empty "
            f"column (dialect trailingEmptyColumn), but its last column is {last!r}."
        )
    return table.drop(columns=last)


def apply_schema(entry: Resource, raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Check ``raw`` against the resource's Table Schema and return it typed."""
    schema = entry["schema"]
    name = entry["name"]
    declared = [field["name"] for field in schema["fields"]]
    actual = [str(column) for column in raw.columns]
    if actual != declared:
        missing = [column for column in declared if column not in actual]
        unexpected = [column for column in actual if column not in declared]
        if 2 * (len(declared) - len(missing)) < len(declared):
            # Not this dataset's header: say so without quoting the file's first line.
            raise SchemaError(
                f"Dataset {name!r}: {path} does not look like this dataset: its header has "
                f"{len(actual)} column(s) and only {len(declared) - len(missing)} of the "
                f"{len(declared)} declared ({declared}). Check that this is the right file "
                "(and, for a CSV, its delimiter and header line in data/datapackage.json)."
            )
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
