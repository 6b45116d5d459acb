"""The handbook's one chart style: readable type, a quiet grid, a colour-blind-safe palette,
and text that is never cut off.

Vega-Lite shortens axis labels, legend labels and legend titles with "…" beyond 180 px
by default, which made two different bars read alike. Here no label or title has a
limit: long category labels of an x axis wrap onto lines of at most :data:`LABEL_LINE`
characters (:data:`WRAP_LABEL`), legends list their entries one per line under the chart
(several legends one under the other, ``aitrade-charts.js``), and the
publishing step (:mod:`aitrade.charts.layout`) wraps long axis and legend titles and
sizes each chart to its column.

Importing :mod:`aitrade.charts` registers and enables the theme.
"""

from __future__ import annotations

import textwrap

import altair as alt

THEME_NAME = "aitrade"

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"

# A category label longer than this many characters is drawn on several lines.
LABEL_LINE = 26
# Vega expression: the label as lines of at most LABEL_LINE characters, broken at spaces
# (a label with no space that long stays whole rather than being cut).
WRAP_LABEL = (
    f"length(datum.label) > {LABEL_LINE} ? "
    f"split(trim(replace(datum.label, regexp('(.{{1,{LABEL_LINE}}})(\\\\s+|$)', 'g'), '$1\\n')), '\\n') "
    ": datum.label"
)


@alt.theme.register(THEME_NAME, enable=True)
def handbook_theme() -> alt.theme.ThemeConfig:
    """The theme's Vega-Lite configuration."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 480, "continuousHeight": 320, "stroke": None},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12,
                      "subtitleColor": "#444444", "offset": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleColor": "#222222",
                     "labelColor": "#333333", "gridColor": "#e4e4e4", "domainColor": "#888888",
                     "labelLimit": 0, "titleLimit": 0, "titlePadding": 8},
            # Category labels under the x axis wrap and read across (years too); those of
            # the y axis stay on one line each, at full length (wrapped, they overlapped
            # the next band).
            "axisXDiscrete": {"labelExpr": WRAP_LABEL},
            "axisX": {"labelAngle": 0},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom",
                       "direction": "vertical", "labelLimit": 0, "titleLimit": 0},
            "range": {"category": PALETTE},
            "bar": {"continuousBandSize": 18},
        }
    }


def title(finding: str, subtitle: str = "", width: int = 62) -> alt.Title:
    """A chart title that states the finding; the page shows it above the chart as text
    that wraps to the column (:mod:`aitrade.charts.layout`), and ``width`` wraps the lines
    kept in the spec for other renderers."""
    return alt.Title(
        textwrap.wrap(finding, width, break_on_hyphens=False),
        subtitle=textwrap.wrap(subtitle, int(width * 1.25), break_on_hyphens=False) if subtitle else alt.Undefined,
    )


def ordered_colour(field: str, order: list, title=alt.Undefined) -> alt.Color:
    """A colour encoding whose legend lists ``order`` and whose colours follow it, so a
    category keeps its colour from chart to chart; ``field`` in Altair's "name:N" form."""
    return alt.Color(field, title=title, sort=order, scale=alt.Scale(domain=order))
