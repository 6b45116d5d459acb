"""The handbook's one chart style: readable type, a quiet grid, a colour-blind-safe palette.

Importing :mod:`aitrade.charts` registers and enables the theme.
"""

from __future__ import annotations

import textwrap

import altair as alt

THEME_NAME = "aitrade"

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"


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


def ordered_colour(field: str, order: list, title=alt.Undefined) -> alt.Color:
    """A colour encoding whose legend lists ``order`` and whose colours follow it, so a
    category keeps its colour from chart to chart; ``field`` in Altair's "name:N" form."""
    return alt.Color(field, title=title, sort=order, scale=alt.Scale(domain=order))
