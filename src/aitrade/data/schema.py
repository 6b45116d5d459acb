"""The Table Schema checks: parse a dataset's file as declared and refuse what breaks it.

:func:`parse` reads a file per the resource's format, dialect and encoding, then checks
its columns and values against the resource's Table Schema (types, required, enum,
minimum/maximum, primary key, row-count floor) and returns it typed. Every refusal names
the dataset, the file, the column and the data rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from aitrade.data.catalogue import DataError, Resource

# Table Schema defaults.
DEFAULT_MISSING_VALUES = ("",)
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")


class SchemaError(DataError):
    """The file's columns or values break the catalogue's Table Schema."""


def parse(entry: Resource, path: Path) -> pd.DataFrame:
    """Read ``path`` as the resource declares and return it typed and validated."""
    return apply_schema(entry, read_table(entry, path), path)


def read_table(entry: Resource, path: Path) -> pd.DataFrame:
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
