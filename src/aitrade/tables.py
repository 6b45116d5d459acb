"""Tables for the page: one formatter, deterministic HTML with a caption, a readable text form.

``pandas`` Styler output carries a random element id and its plain-text form a memory
address; both change on every run and would make strict nbval fail for no reason.
:func:`table` fixes the id (a hash of the caption) and gives the text form the table's
values, so nbval compares the numbers readers see. Both forms print each number with its
column's format, the stated precision (:mod:`aitrade.precision`), so they are identical
on any machine. The formatter also makes every table read the same way:

- **years as plain integers**: a column whose name says "year" prints 1998, never 1,998;
- **rates as percentages**: the columns named in ``percent`` print 83%, not 0.833;
- **text left, numbers right**: each cell and header carries the class
  :data:`TEXT_CLASS` or :data:`NUMBER_CLASS`;
- **human column names**: a raw field name ("wto_members", "date") becomes a heading
  ("WTO members", "Date", :func:`human_name`), or ``names`` gives the heading;
- **wide tables** scroll sideways inside the page, under a visible cue (the book's
  Sphinx extension puts every table in a scroll container).
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from aitrade import precision


DEFAULT_NUMBER_FORMAT = "{:,}"
YEAR_FORMAT = "{:.0f}"
NUMBER_CLASS = "aitrade-number"
TEXT_CLASS = "aitrade-text"
# A raw field name: lower-case words joined by underscores, or one lower-case word.
RAW_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
CELL_CLASS = re.compile(r'class="(?:col_heading level0|data row\d+) col(?P<column>\d+)"')
YEAR_NAME = re.compile(r"\byears?\b|^year|year$", re.I)
# Words written in capitals in a heading made from a field name.
ACRONYMS = {"wto", "ita", "jsi", "eu", "gdp", "ict", "ai", "tbt", "rta", "rtas", "hhi", "iso3", "gpu",
            "us", "usd", "oecd", "imf", "wdi", "idc", "saas", "iaas", "paas", "ppml", "ols", "gatt",
            "gats", "un", "uk"}


def human_name(name) -> str:
    """A heading for a column: a raw field name ("wto_members") as words ("WTO members");
    any other name unchanged."""
    text = str(name)
    if not RAW_NAME.match(text):
        return text
    words = [word.upper() if word in ACRONYMS else word for word in text.split("_")]
    first = words[0]
    words[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def is_year_column(name, values: pd.Series) -> bool:
    """True for a column of years: its name says "year" and its values are whole numbers."""
    if not YEAR_NAME.search(str(name)) or not pd.api.types.is_numeric_dtype(values):
        return False
    present = values.dropna()
    return bool(len(present)) and bool((present == present.round()).all())


class Table:
    """A captioned table that renders as HTML in the book and as text in diffs."""

    def __init__(self, frame: pd.DataFrame, caption: str, number_format: str = DEFAULT_NUMBER_FORMAT,
                 percent=(), percent_digits: int = 0, names: dict | None = None,
                 formats: dict | None = None):
        if not caption:
            raise ValueError("A table needs a caption saying what it shows and in which units.")
        frame = frame.reset_index() if frame.index.name else frame
        unknown = sorted(str(column) for column in [*percent, *(formats or {}), *(names or {})]
                         if column not in frame.columns)
        if unknown:
            raise KeyError(f"Table {caption!r}: no column {unknown}; its columns are {list(frame.columns)}.")
        # The default format states no precision: floats get the default significant digits.
        self.frame = precision.round_frame(frame) if number_format == DEFAULT_NUMBER_FORMAT else frame
        self.caption = caption
        self.number_format = number_format
        self.formats = {column: f"{{:.{percent_digits}%}}" for column in percent}
        self.formats.update(formats or {})
        for column in self.frame.columns:
            if column not in self.formats and is_year_column(column, self.frame[column]):
                self.formats[column] = YEAR_FORMAT
        self.headings = {column: (names or {}).get(column, human_name(column)) for column in self.frame.columns}

    def cell_text(self, value, column=None) -> str:
        """A numeric cell as the page prints it."""
        if pd.isna(value):
            return "missing"
        return self.formats.get(column, self.number_format).format(value)

    def numeric_columns(self) -> list:
        """The columns printed as numbers (right-aligned)."""
        return [column for column in self.frame.select_dtypes("number").columns
                if not pd.api.types.is_bool_dtype(self.frame[column])]

    def _repr_html_(self) -> str:
        table_id = "aitrade-table-" + hashlib.sha256(self.caption.encode("utf-8")).hexdigest()[:12]
        numeric = self.numeric_columns()
        styler = self.frame.style.hide(axis="index")
        for column in numeric:
            styler = styler.format(lambda value, column=column: self.cell_text(value, column), subset=[column])
        styler = (
            styler.format_index(lambda column: self.headings[column], axis="columns")
            .set_caption(self.caption)
            .set_uuid(table_id)
            .set_table_attributes('class="aitrade-table"')
        )
        kinds = [NUMBER_CLASS if column in numeric else TEXT_CLASS for column in self.frame.columns]
        # Every header and data cell carries its column's alignment class.
        text = CELL_CLASS.sub(lambda match: f'{match[0][:-1]} {kinds[int(match["column"])]}"', styler.to_html())
        return precision.refuse_full_precision(f"Table {self.caption!r}", text)

    def _repr_pretty_(self, printer, cycle) -> None:
        formatters = {column: (lambda value, column=column: self.cell_text(value, column))
                      for column in self.numeric_columns()}
        text = self.frame.rename(columns=self.headings).to_string(
            index=False, na_rep="missing",
            formatters={self.headings[column]: formatter for column, formatter in formatters.items()})
        printer.text(f"{self.caption}\n{text}")


def table(frame: pd.DataFrame, caption: str, number_format: str = DEFAULT_NUMBER_FORMAT, *,
          percent=(), percent_digits: int = 0, names: dict | None = None,
          formats: dict | None = None) -> Table:
    """Display ``frame`` as a captioned table; the index becomes the first column.

    ``number_format`` is the precision numbers are published with; with the default,
    float cells are first rounded to :data:`aitrade.precision.SIGNIFICANT_DIGITS`.
    ``percent`` names columns of fractions printed as percentages with ``percent_digits``
    decimals (0.833 as "83%"); ``formats`` gives a column its own format; ``names`` gives
    a column its heading (raw field names get one from :func:`human_name`). Columns whose
    name says "year" print as plain whole numbers.
    """
    return Table(frame, caption, number_format, percent=percent, percent_digits=percent_digits,
                 names=names, formats=formats)
