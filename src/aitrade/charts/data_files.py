"""The data behind every published chart: CSV files and links, written by the book build.

Each chart that :mod:`aitrade.charts.markup` renders carries its Vega-Lite spec, and the spec
carries the rows the chart draws (Altair's ``datasets``). At build time
:func:`add_data_links` writes those rows to ``chart-data/<chart id>.csv`` in the site
(one file per dataset of the spec when a chart layers several) and adds under the
chart a line with the download links and links to the catalogue pages of the datasets
the chart was annotated with. Nothing is committed by hand, so a CSV can never differ
from its chart.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from pathlib import Path

from aitrade import paths
from aitrade.charts.markup import DATA_CLASS, ChartBlock, with_lines_after_source

CHART_DATA_DIR = "chart-data"
DATASET_PAGES = paths.site_path(paths.DATASET_PAGES_DIR)


class ChartDataError(ValueError):
    """A chart's spec cannot be turned into CSV files."""


def spec_tables(spec: dict, chart_id: str) -> dict[str, list[dict]]:
    """The rows of each named dataset in a spec, in the spec's order."""
    tables = spec.get("datasets") or {}
    if not tables:
        raise ChartDataError(
            f"Chart {chart_id} has no inline data (spec 'datasets'): pass a DataFrame to "
            "alt.Chart so its rows can be offered for download."
        )
    return tables


def csv_text(rows: list[dict]) -> str:
    """Rows as CSV: the columns in first-seen order, missing cells left empty."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return buffer.getvalue()


def csv_files(spec: dict, chart_id: str) -> dict[str, str]:
    """File name to CSV text for one chart: ``<id>.csv``, or ``<id>-<n>.csv`` per layer's data."""
    tables = list(spec_tables(spec, chart_id).values())
    if len(tables) == 1:
        return {f"{chart_id}.csv": csv_text(tables[0])}
    return {f"{chart_id}-{number}.csv": csv_text(rows) for number, rows in enumerate(tables, start=1)}


def data_line(files: dict[str, str], datasets: list[str], href: Callable[[str], str],
              dataset_title: Callable[[str], str]) -> str:
    """The HTML line under a chart: CSV downloads, then the catalogue pages of its datasets."""
    if len(files) == 1:
        links = [f'<a href="{href(CHART_DATA_DIR + "/" + name)}" download>CSV</a>' for name in files]
    else:
        links = [
            f'<a href="{href(CHART_DATA_DIR + "/" + name)}" download>CSV, part {number}</a>'
            for number, name in enumerate(files, start=1)
        ]
    line = "Data behind this chart: " + ", ".join(links) + "."
    if datasets:
        pages = [
            f'<a href="{href(DATASET_PAGES + "/" + name + ".html")}">{html.escape(dataset_title(name))}</a>'
            for name in datasets
        ]
        line += " Dataset " + ("page" if len(pages) == 1 else "pages") + " (licence, citation): " + ", ".join(pages) + "."
    return f'\n<p class="{DATA_CLASS}">{line}</p>'


def add_data_links(body: str, site_dir: Path, href: Callable[[str], str],
                   dataset_title: Callable[[str], str]) -> str:
    """Write every chart's CSV files into ``site_dir`` and add its data line to ``body``.

    ``href`` turns a site path into a link from the current page; ``dataset_title``
    gives a catalogue dataset's short title.
    """

    def write_files(block: ChartBlock) -> str:
        files = csv_files(block.spec, block.chart_id)
        folder = site_dir / CHART_DATA_DIR
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        datasets = block.spec.get("usermeta", {}).get("aitrade", {}).get("datasets", [])
        return data_line(files, datasets, href, dataset_title)

    return with_lines_after_source(body, write_files)
