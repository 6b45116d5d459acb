"""Tables for the page: deterministic HTML with a caption and a readable text form.

``pandas`` Styler output carries a random element id and its plain-text form a memory
address; both change on every run and would make strict nbval fail for no reason.
:func:`table` fixes the id (a hash of the caption) and gives the text form the table's
values, so nbval compares the numbers readers see. Both forms print numbers with the
table's number format, its stated precision (:mod:`aitrade.precision`), so they are
identical on any machine.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from aitrade import precision


DEFAULT_NUMBER_FORMAT = "{:,}"


class Table:
    """A captioned table that renders as HTML in the book and as text in diffs."""

    def __init__(self, frame: pd.DataFrame, caption: str, number_format: str = DEFAULT_NUMBER_FORMAT):
        if not caption:
            raise ValueError("A table needs a caption saying what it shows and in which units.")
        frame = frame.reset_index() if frame.index.name else frame
        # The default format states no precision: floats get the default significant digits.
        self.frame = precision.round_frame(frame) if number_format == DEFAULT_NUMBER_FORMAT else frame
        self.caption = caption
        self.number_format = number_format

    def cell_text(self, value) -> str:
        """A numeric cell as the page prints it."""
        return "missing" if pd.isna(value) else self.number_format.format(value)

    def _repr_html_(self) -> str:
        table_id = "aitrade-table-" + hashlib.sha256(self.caption.encode("utf-8")).hexdigest()[:12]
        numeric = self.frame.select_dtypes("number").columns
        styler = (
            self.frame.style.hide(axis="index")
            .format(self.cell_text, subset=list(numeric))
            .set_caption(self.caption)
            .set_uuid(table_id)
            .set_table_attributes('class="aitrade-table"')
        )
        return precision.refuse_full_precision(f"Table {self.caption!r}", styler.to_html())

    def _repr_pretty_(self, printer, cycle) -> None:
        numeric = self.frame.select_dtypes("number").columns
        formatters = {column: self.cell_text for column in numeric}
        text = self.frame.to_string(index=False, na_rep="missing", formatters=formatters)
        printer.text(f"{self.caption}\n{text}")


def table(frame: pd.DataFrame, caption: str, number_format: str = DEFAULT_NUMBER_FORMAT) -> Table:
    """Display ``frame`` as a captioned table; the index becomes the first column.

    ``number_format`` is the precision numbers are published with; with the default,
    float cells are first rounded to :data:`aitrade.precision.SIGNIFICANT_DIGITS`.
    """
    return Table(frame, caption, number_format)
