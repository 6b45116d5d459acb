"""Charts: one Altair theme and an offline, deterministic renderer.

Importing this module registers and enables both. The renderer writes no script and
fetches nothing: it emits the Vega-Lite spec as JSON inside a ``<div class="aitrade-chart">``
with the chart's text description and source line. The book's Sphinx extension
(:mod:`aitrade.sphinx_ext`) adds the vendored Vega files to exactly the pages that hold
such a div, and ``aitrade-charts.js`` draws each chart as SVG. Every float in the spec is
rounded first (:mod:`aitrade.precision`) and the div's id is a hash of the rounded spec,
so a notebook's stored output is byte-identical run to run and machine to machine, and
nbval can compare it strictly.

Every chart must go through :func:`annotate` (description, source, licence); the
renderer refuses one that has not.
"""

from __future__ import annotations

import hashlib
import html
import json
import textwrap

import altair as alt

from aitrade import data, precision

THEME_NAME = "aitrade"
RENDERER_NAME = "aitrade"

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"


class ChartError(ValueError):
    """A chart lacks what every published chart must carry."""


@alt.theme.register(THEME_NAME, enable=True)
def handbook_theme() -> alt.theme.ThemeConfig:
    """The handbook's one chart style: readable type, quiet grid, colour-blind-safe palette."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 480, "continuousHeight": 320, "stroke": None},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12,
                      "subtitleColor": "#444444", "offset": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleColor": "#222222",
                     "labelColor": "#333333", "gridColor": "#e4e4e4", "domainColor": "#888888"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": PALETTE},
            "bar": {"continuousBandSize": 18},
        }
    }


def title(finding: str, subtitle: str = "", width: int = 62) -> alt.Title:
    """A chart title that states the finding, wrapped to fit the page's text column."""
    return alt.Title(
        textwrap.wrap(finding, width),
        subtitle=textwrap.wrap(subtitle, int(width * 1.25)) if subtitle else alt.Undefined,
    )


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
        infos = [data.info(name) for name in datasets]
        source = source or " ".join(item.attribution for item in infos)
        if licence is None and len(infos) == 1:
            licence = f"{infos[0].licence}."
        elif licence is None:
            licence = " ".join(f"{item.title}: {item.licence}." for item in infos)
    if not source or not licence:
        raise ChartError("A chart needs a source and a licence: pass datasets=[...] or both.")
    meta = {"source": source.strip(), "licence": licence.strip(), "datasets": datasets}
    if digits:
        meta["digits"] = {field: int(count) for field, count in digits.items()}
        for field, count in meta["digits"].items():
            if count < 1:
                raise ChartError(f"digits[{field!r}] is {count}: a field needs at least 1 significant digit.")
    return chart.properties(description=description.strip(), usermeta={"aitrade": meta})


def spec_json(spec: dict) -> str:
    """Canonical JSON of a spec: sorted keys, no spaces, so equal specs give equal text."""
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def render_html(spec: dict) -> str:
    """The HTML the book publishes for one chart (see the module docstring)."""
    meta = spec.get("usermeta", {}).get("aitrade")
    description = spec.get("description")
    if not meta or not description:
        raise ChartError(
            "This chart has no description or source line. Pass it through "
            "aitrade.charts.annotate(chart, description=..., datasets=[...]) before display."
        )
    digits = meta.get("digits", {})
    fields = {field for rows in spec.get("datasets", {}).values() for row in rows for field in row}
    unknown = sorted(set(digits) - fields)
    if unknown:
        raise ChartError(f"annotate(digits=...) names {unknown}, which the chart's data does not hold: "
                         f"its fields are {sorted(fields)}.")
    payload = spec_json(precision.round_spec(spec, digits))
    chart_id = "aitrade-chart-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
    # "</" would end the <script> element early; "<\/" is the same JSON string.
    embedded = payload.replace("</", "<\\/")
    return (
        f'<div class="aitrade-chart" id="{chart_id}">\n'
        f'<div class="aitrade-chart__canvas" tabindex="0"><p class="aitrade-chart__fallback">'
        f"Chart: {html.escape(description)}</p></div>\n"
        f'<p class="aitrade-chart__source">Source: {html.escape(meta["source"])} '
        f'Licence: {html.escape(meta["licence"])}</p>\n'
        f'<script type="application/json" class="aitrade-chart__spec">{embedded}</script>\n'
        f"</div>"
    )


def offline_renderer(spec: dict, **metadata) -> dict:
    """Altair renderer: an HTML mimebundle plus a short plain-text stand-in."""
    return {
        "text/html": render_html(spec),
        "text/plain": f"<Chart: {spec.get('description', '')}>",
    }


alt.renderers.register(RENDERER_NAME, offline_renderer)
alt.renderers.enable(RENDERER_NAME)
