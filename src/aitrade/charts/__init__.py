"""Charts: one Altair theme and an offline, deterministic renderer.

Importing this package registers and enables both. Notebooks need :func:`title` (a
title that states the finding), :func:`annotate` (description, source and licence, which
every published chart must carry), :func:`ordered_colour` (categories in a stated order)
and :data:`PALETTE`.

- :mod:`aitrade.charts.theme`: the style;
- :mod:`aitrade.charts.markup`: the annotation, the HTML written for a chart and the
  reading of it back (one owner for both sides);
- :mod:`aitrade.charts.data_files`: the CSV files behind a published chart.
"""

import altair as alt

from aitrade.charts.markup import RENDERER_NAME, ChartError, annotate, offline_renderer, render_html
from aitrade.charts.theme import PALETTE, ordered_colour, title

alt.renderers.register(RENDERER_NAME, offline_renderer)
alt.renderers.enable(RENDERER_NAME)

__all__ = ["PALETTE", "ChartError", "annotate", "ordered_colour", "render_html", "title"]
