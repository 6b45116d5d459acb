"""Tables for the page: deterministic HTML with a caption and a readable text form.

``pandas`` Styler output carries a random element id and its plain-text form a memory
address; both change on every run and would make strict nbval fail for no reason.
:func:`table` fixes the id (a hash of the caption) and gives the text form the table's
values, so nbval compares the numbers readers see.
"""

from __future__ import annotations

import hashlib

import pandas as pd


class Table:
    """A captioned table that renders as HTML in the book and as text in diffs."""

    def __init__(self, frame: pd.DataFrame, caption: str, number_format: str = "{:,}"):
        if not caption:
            raise ValueError("A table needs a caption saying what it shows and in which units.")
        self.frame = frame.reset_index() if frame.index.name else frame
        self.caption = caption
        self.number_format = number_format

    def _repr_html_(self) -> str:
        table_id = "aitrade-table-" + hashlib.sha256(self.caption.encode("utf-8")).hexdigest()[:12]
        numeric = self.frame.select_dtypes("number").columns
        styler = (
            self.frame.style.hide(axis="index")
            .format(self.number_format, subset=list(numeric), na_rep="missing")
            .set_caption(self.caption)
            .set_uuid(table_id)
            .set_table_attributes('class="aitrade-table"')
        )
        return styler.to_html()

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(f"{self.caption}\n{self.frame.to_string(index=False)}")


def table(frame: pd.DataFrame, caption: str, number_format: str = "{:,}") -> Table:
    """Display ``frame`` as a captioned table; the index becomes the first column."""
    return Table(frame, caption, number_format)
