"""The chart markup, both ways: what every published chart carries, the HTML written for
it, and the reading of that HTML back at build time.

A chart is published only after :func:`annotate` has given it a text description and a
source and licence line (its ``usermeta``); :func:`require_annotated` is the one check.
:func:`render_html` writes no script and fetches nothing: it emits the Vega-Lite spec as
JSON inside a ``<div class="aitrade-chart">`` with its title as text above it (see
:mod:`aitrade.charts.layout`), the description and the source and licence lines.
The book's Sphinx extension (:mod:`aitrade.site.sphinx_ext`) finds those blocks with
:func:`chart_blocks` to add the data links and the vendored Vega files, which draw each
chart as SVG. Every float in the spec is rounded first (:mod:`aitrade.precision`) and
the div's id is a hash of the rounded spec, so a notebook's stored output is
byte-identical run to run and machine to machine, and nbval can compare it strictly.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from aitrade import precision
from aitrade.charts import layout
from aitrade.data import catalogue

RENDERER_NAME = "aitrade"

# The class names of the markup; the stylesheet and aitrade-charts.js use the same.
CHART_CLASS = "aitrade-chart"
TITLE_CLASS = "aitrade-chart__title"
SUBTITLE_CLASS = "aitrade-chart__subtitle"
CANVAS_CLASS = "aitrade-chart__canvas"
FALLBACK_CLASS = "aitrade-chart__fallback"
SOURCE_CLASS = "aitrade-chart__source"
DATA_CLASS = "aitrade-chart__data"
SPEC_CLASS = "aitrade-chart__spec"
ID_PREFIX = "aitrade-chart-"
CHART_MARKER = f'class="{CHART_CLASS}"'

CHART_BLOCK = re.compile(
    rf'(?P<open><div class="{CHART_CLASS}" id="(?P<id>{ID_PREFIX}[0-9a-f]+)">)'
    rf'(?P<inner>.*?<p class="{SOURCE_CLASS}">.*?</p>)'
    rf'(?P<spec>\s*<script type="application/json" class="{SPEC_CLASS}">(?P<json>.*?)</script>)',
    re.S,
)


class ChartError(ValueError):
    """A chart lacks what every published chart must carry."""


def annotate(chart, *, description: str, datasets: list[str] | None = None,
             source: str | None = None, licence: str | None = None,
             digits: dict[str, int] | None = None):
    """Attach the text description and the source and licence line every chart needs.

    Pass ``datasets`` (catalogue names): source and licence come from the catalogue
    unless ``source`` or ``licence`` override them, and the book links each name to its
    page in the datasets appendix. A chart of facts cited in no dataset passes
    ``source`` and ``licence`` alone. ``digits`` states the significant digits a field of
    the chart's data is published with (default :data:`aitrade.precision.SIGNIFICANT_DIGITS`).
    """
    if not description or not description.strip():
        raise ChartError("A chart needs a text description for screen readers.")
    precision.refuse_full_precision("The chart's description", description)
    datasets = list(datasets or [])
    if datasets:
        infos = [catalogue.info(name) for name in datasets]
        source = source or "; ".join(item.attribution.rstrip(". ") for item in infos) + "."
        if licence is None and len(infos) == 1:
            licence = f"{infos[0].licence}."
        elif licence is None:
            licence = licences_by_dataset(infos)
    if not source or not licence:
        raise ChartError("A chart needs a source and a licence: pass datasets=[...] or both.")
    meta = {"source": source.strip(), "licence": licence.strip(), "datasets": datasets}
    if digits:
        meta["digits"] = {field: int(count) for field, count in digits.items()}
        for field, count in meta["digits"].items():
            if count < 1:
                raise ChartError(f"digits[{field!r}] is {count}: a field needs at least 1 significant digit.")
    return chart.properties(description=description.strip(), usermeta={"aitrade": meta})


def licences_by_dataset(infos: list) -> str:
    """Each licence once, with the short titles of the datasets under it:
    "CC BY 4.0: WDI: population, WDI: ICT service exports. Cited facts: JSI participants."."""
    groups: dict[str, list[str]] = {}
    for item in infos:
        groups.setdefault(item.licence.rstrip(". "), []).append(item.short_title)
    return " ".join(f"{licence} ({', '.join(titles)})." for licence, titles in groups.items())


def require_annotated(spec: dict, what: str = "This chart") -> dict:
    """The chart's annotation (source, licence, datasets, digits); refuse a chart without one."""
    meta = spec.get("usermeta", {}).get("aitrade")
    if not meta or not spec.get("description"):
        raise ChartError(
            f"{what} has no description or source line. Pass it through "
            "aitrade.charts.annotate(chart, description=..., datasets=[...]) before display."
        )
    return meta


def spec_json(spec: dict) -> str:
    """Canonical JSON of a spec: sorted keys, no spaces, so equal specs give equal text."""
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def render_html(spec: dict) -> str:
    """The HTML the book publishes for one chart (see the module docstring)."""
    meta = require_annotated(spec)
    digits = meta.get("digits", {})
    fields = {field for rows in spec.get("datasets", {}).values() for row in rows for field in row}
    unknown = sorted(set(digits) - fields)
    if unknown:
        raise ChartError(f"annotate(digits=...) names {unknown}, which the chart's data does not hold: "
                         f"its fields are {sorted(fields)}.")
    title, subtitle = layout.title_text(spec)
    payload = spec_json(layout.published(precision.round_spec(spec, digits)))
    chart_id = ID_PREFIX + hashlib.sha256((title + "\n" + subtitle + "\n" + payload).encode("utf-8")).hexdigest()[:16]
    # "</" would end the <script> element early; "<\/" is the same JSON string.
    embedded = payload.replace("</", "<\\/")
    heading = f'<p class="{TITLE_CLASS}">{html.escape(title)}</p>\n' if title else ""
    if subtitle:
        heading += f'<p class="{SUBTITLE_CLASS}">{html.escape(subtitle)}</p>\n'
    return (
        f'<div class="{CHART_CLASS}" id="{chart_id}">\n'
        f"{heading}"
        f'<div class="{CANVAS_CLASS}" tabindex="0"><p class="{FALLBACK_CLASS}">'
        f"Chart: {html.escape(spec['description'])}</p></div>\n"
        f'<p class="{SOURCE_CLASS}">Source: {html.escape(meta["source"])}<br>\n'
        f'Licence: {html.escape(meta["licence"])}</p>\n'
        f'<script type="application/json" class="{SPEC_CLASS}">{embedded}</script>\n'
        f"</div>"
    )


def offline_renderer(spec: dict, **metadata) -> dict:
    """Altair renderer: an HTML mimebundle plus a short plain-text stand-in."""
    return {
        "text/html": render_html(spec),
        "text/plain": f"<Chart: {spec.get('description', '')}>",
    }


def has_chart(page_html: str) -> bool:
    """True when a page's HTML holds a chart written by :func:`render_html`."""
    return CHART_MARKER in page_html


@dataclass(frozen=True)
class ChartBlock:
    """One chart found in a page: its id, its spec and its HTML up to the spec's script."""

    chart_id: str
    spec: dict
    html: str


def block_of(match: re.Match) -> ChartBlock:
    """The chart a :data:`CHART_BLOCK` match found."""
    return ChartBlock(match["id"], json.loads(match["json"]), match[0])


def chart_blocks(page_html: str) -> list[ChartBlock]:
    """Every chart written by :func:`render_html` in a page, in page order."""
    return [block_of(match) for match in CHART_BLOCK.finditer(page_html)]


def with_lines_after_source(page_html: str, line_for: Callable[[ChartBlock], str]) -> str:
    """``page_html`` with, in every chart written by :func:`render_html`, the HTML that
    ``line_for`` returns for the chart inserted after its source line."""

    def insert(match: re.Match) -> str:
        return match["open"] + match["inner"] + line_for(block_of(match)) + match["spec"]

    return CHART_BLOCK.sub(insert, page_html)
