"""The data behind every published chart: CSV files and links, written by the book build.

Each chart that :mod:`aitrade.charts.markup` renders carries its Vega-Lite spec, and the spec
carries the rows the chart draws (Altair's ``datasets``). At build time
:func:`add_data_links` writes those rows to ``chart-data/<file>.csv`` in the site and adds
under the chart a line with the download links and links to the catalogue pages of the
datasets the chart was annotated with. Nothing is committed by hand, so a CSV can never
differ from its chart. A CSV:

- is named after its page and figure: ``ita-trade-fig-6-1.csv`` for Fig. 6.1 of the
  ``ita-trade`` page, ``usa-chart-1.csv`` for the first chart outside a numbered figure
  (:func:`file_stem`), with ``-part-<n>`` per table when a chart layers several;
- holds the columns the chart uses (encoded, in a tooltip, or read by a transform), headed
  by the titles the chart shows them under (:func:`column_titles`), or else by the field
  name as words (:func:`aitrade.tables.human_name`): the notebook's other columns (codes,
  bibliography keys) stay out;
- gives each value at the precision the chart shows it (a tooltip's or axis's format,
  :func:`shown_precision`), otherwise at the spec's stated precision;
- neutralises text cells a spreadsheet would run as a formula (:func:`safe_cell`).
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
from collections.abc import Callable
from pathlib import Path

from aitrade import paths, precision
from aitrade.tables import human_name
from aitrade.charts.markup import CHART_BLOCK, DATA_CLASS, ChartBlock, block_of

CHART_DATA_DIR = "chart-data"
DATASET_PAGES = paths.site_path(paths.DATASET_PAGES_DIR)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
# A d3 number format: optional fill/align/sign/symbol/zero/width/comma, precision, type.
D3_FORMAT = re.compile(r"^(?:.?[<>=^])?[-+( ]?[$#]?0?\d*,?(?:\.(?P<digits>\d+))?~?(?P<kind>[a-z%]?)$")
FIGURE_OPEN = re.compile(r'<figure\b[^>]*\bid="(?P<id>[^"]+)"[^>]*>')


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


def field_definitions(value) -> list[dict]:
    """Every field definition in a spec (encodings, tooltips, layers, facets)."""
    found = []
    if isinstance(value, dict):
        if isinstance(value.get("field"), str):
            found.append(value)
        for key, item in value.items():
            if key not in ("datasets", "data", "usermeta"):
                found += field_definitions(item)
    elif isinstance(value, list):
        for item in value:
            found += field_definitions(item)
    return found


def used_fields(spec: dict, fields: list[str]) -> list[str]:
    """The fields of ``fields`` the chart uses: named in a field definition or a transform."""
    named = {definition["field"] for definition in field_definitions(spec)}
    text = str({key: value for key, value in spec.items() if key not in ("datasets", "usermeta")})
    return [field for field in fields
            if field in named or f"datum.{field}" in text or f"datum['{field}']" in text
            or f'datum["{field}"]' in text or f"'{field}'" in text]


def tooltip_definitions(value) -> list[dict]:
    """The field definitions inside the spec's tooltips."""
    if isinstance(value, dict):
        return [found for key, item in value.items() if key not in ("datasets", "usermeta")
                for found in (field_definitions(item) if key == "tooltip" else tooltip_definitions(item))]
    if isinstance(value, list):
        return [found for item in value for found in tooltip_definitions(item)]
    return []


def column_titles(spec: dict) -> dict[str, str]:
    """Field to the title the chart shows it under (a tooltip's first), when it has one."""
    titles: dict[str, str] = {}
    for definition in tooltip_definitions(spec) + field_definitions(spec):
        title = definition.get("title")
        if isinstance(title, list):
            title = " ".join(title)
        if isinstance(title, str) and title.strip():
            titles.setdefault(definition["field"], title.strip())
    return titles


def shown_precision(spec: dict) -> dict[str, tuple[str, int]]:
    """Field to how precisely the chart shows it: ("decimals", n) or ("significant", n),
    from the finest d3 format a tooltip or axis gives it."""
    shown: dict[str, tuple[str, int]] = {}
    for definition in field_definitions(spec):
        formats = [definition.get("format"), (definition.get("axis") or {}).get("format")]
        for text in (item for item in formats if isinstance(item, str)):
            match = D3_FORMAT.match(text)
            if not match:
                continue
            kind, digits = match["kind"], match["digits"]
            if kind == "d":
                rule = ("decimals", 0)
            elif kind == "%":
                rule = ("decimals", int(digits or 0) + 2)
            elif kind in ("f", ""):
                rule = ("decimals", int(digits)) if digits is not None else None
            elif kind in ("e",):
                rule = ("significant", int(digits or 6) + 1)
            elif kind in ("g", "r", "s"):
                rule = ("significant", int(digits)) if digits else None
            else:
                rule = None
            field = definition["field"]
            if rule and (field not in shown or finer(rule, shown[field])):
                shown[field] = rule
    return shown


def finer(rule: tuple[str, int], other: tuple[str, int]) -> bool:
    """True when ``rule`` keeps more of a value than ``other`` (decimals beat significant)."""
    if rule[0] != other[0]:
        return rule[0] == "significant"
    return rule[1] > other[1]


def rounded(value, rule: tuple[str, int] | None):
    """A number at the precision the chart shows it; other values unchanged."""
    if rule is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return value
    kind, digits = rule
    if kind == "significant":
        return precision.significant(float(value), max(1, digits))
    result = round(float(value), digits)
    return int(result) if digits == 0 else result


def safe_cell(value):
    """A CSV cell a spreadsheet cannot run: text starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return gets a leading ``'``; numbers, and text that is a number
    ("-0.5"), stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBER.match(value.strip()):
        return "'" + value
    return value


def csv_text(rows: list[dict], spec: dict | None = None) -> str:
    """Rows as CSV: the columns the chart uses in first-seen order (all without ``spec``),
    headed by their titles, at the precision shown, missing cells left empty."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    fields = list(columns)
    titles, rules = {}, {}
    if spec is not None:
        fields = used_fields(spec, fields) or fields
        titles, rules = column_titles(spec), shown_precision(spec)
    headers = [titles.get(field, human_name(field)) for field in fields]
    if len(set(headers)) < len(headers):
        headers = fields
    buffer = io.StringIO()
    # CRLF line ends (RFC 4180): a cell holding a carriage return is quoted too.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(header) for header in headers])
    for row in rows:
        writer.writerow(["" if row.get(field) is None else safe_cell(rounded(row[field], rules.get(field)))
                         for field in fields])
    return buffer.getvalue()


def file_stem(page: str, figure: str | None, number: int) -> str:
    """``<page>-fig-<6-1>`` for a numbered figure, ``<page>-chart-<n>`` otherwise."""
    name = page.rsplit("/", 1)[-1]
    if figure:
        return f"{name}-fig-{figure.replace('.', '-')}"
    return f"{name}-chart-{number}"


def csv_files(spec: dict, stem: str) -> dict[str, str]:
    """File name to CSV text for one chart: ``<stem>.csv``, or ``<stem>-part-<n>.csv`` per
    table when a chart layers several."""
    tables = list(spec_tables(spec, stem).values())
    if len(tables) == 1:
        return {f"{stem}.csv": csv_text(tables[0], spec)}
    return {f"{stem}-part-{number}.csv": csv_text(rows, spec) for number, rows in enumerate(tables, start=1)}


def data_line(files: dict[str, str], datasets: list[str], href: Callable[[str], str],
              dataset_title: Callable[[str], str]) -> str:
    """The HTML line under a chart: CSV downloads, then the catalogue pages of its datasets."""
    if len(files) == 1:
        links = [f'<a href="{href(CHART_DATA_DIR + "/" + name)}" download>CSV</a>' for name in files]
        line = "Data behind this chart: " + links[0] + "."
    else:
        links = []
        for number, (name, text) in enumerate(files.items(), start=1):
            header = next(csv.reader(io.StringIO(text, newline="")))
            links.append(f'<a href="{href(CHART_DATA_DIR + "/" + name)}" download>CSV, part {number}</a> '
                         f"({html.escape(', '.join(header))})")
        line = (f"Data behind this chart, which draws {len(files)} tables, one file each: "
                + "; ".join(links) + ".")
    if datasets:
        pages = [
            f'<a href="{href(DATASET_PAGES + "/" + name + ".html")}">{html.escape(dataset_title(name))}</a>'
            for name in datasets
        ]
        line += " Dataset " + ("page" if len(pages) == 1 else "pages") + " (licence, citation): " + ", ".join(pages) + "."
    return f'\n<p class="{DATA_CLASS}">{line}</p>'


def enclosing_figure(page_html: str, position: int) -> str | None:
    """The id of the ``<figure>`` open at ``position`` in the page, if any."""
    opened = None
    for match in FIGURE_OPEN.finditer(page_html, 0, position):
        opened = match
    if opened and "</figure>" not in page_html[opened.end():position]:
        return opened["id"]
    return None


def add_data_links(body: str, site_dir: Path, href: Callable[[str], str],
                   dataset_title: Callable[[str], str], page: str,
                   figure_numbers: dict[str, str] | None = None) -> str:
    """Write every chart's CSV files into ``site_dir`` and add its data line to ``body``.

    ``href`` turns a site path into a link from the current page; ``dataset_title``
    gives a catalogue dataset's short title; ``page`` is the page's name and
    ``figure_numbers`` maps a figure's id to its number ("6.1"), which name the files.
    """
    figure_numbers = figure_numbers or {}
    unnumbered = 0

    def write_files(match: re.Match) -> str:
        nonlocal unnumbered
        block: ChartBlock = block_of(match)
        figure = figure_numbers.get(enclosing_figure(body, match.start()) or "")
        if not figure:
            unnumbered += 1
        files = csv_files(block.spec, file_stem(page, figure, unnumbered))
        folder = site_dir / CHART_DATA_DIR
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8", newline="")
        datasets = block.spec.get("usermeta", {}).get("aitrade", {}).get("datasets", [])
        return (match["open"] + match["inner"] + data_line(files, datasets, href, dataset_title)
                + match["spec"])

    return CHART_BLOCK.sub(write_files, body)
