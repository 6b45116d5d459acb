"""How a published chart fits any screen without cutting its text.

:func:`published` turns an annotated spec into the spec the page draws:

- its **title and subtitle** leave the drawing and become text above it
  (:func:`title_text`), which wraps to the column at any width; inside an SVG a long
  title can only overflow or be clipped;
- long **axis titles** are wrapped onto lines: a y-axis title on lines no longer than the
  chart is high (a one-line title longer than that ran off the top), an x-axis title on
  lines of :data:`X_TITLE_LINE` characters;
- long **legend titles** are wrapped onto lines of :data:`LEGEND_TITLE_LINE` characters,
  and long legend labels onto lines of :data:`aitrade.charts.theme.LABEL_LINE` (a legend
  sits under the plot, so a long label ran past the drawing on a phone);
- one **legend** for a field that two channels encode (colour and shape): both get the
  field's stated order as their scale domain, which lets Vega-Lite merge their legends.

The width follows the page, in the browser (``aitrade-charts.js``): a single or layered
chart takes its column's width; a faceted or concatenated one is narrowed until it fits
and, where it cannot shrink further, scrolls sideways under a visible cue.
"""

from __future__ import annotations

import textwrap

from aitrade.charts.theme import WRAP_LABEL

X_TITLE_LINE = 30
LEGEND_TITLE_LINE = 30
# About how many pixels a character of a 12 px axis title takes, and the height assumed
# for a chart that states none (Vega-Lite's continuous default in the theme).
CHARACTER_PX = 8
DEFAULT_HEIGHT = 320
LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "size", "opacity", "strokeDash")
COMPOSITE_KEYS = ("layer", "hconcat", "vconcat", "concat", "spec")


def lines(text, width: int):
    """``text`` (a string or a list of lines) as lines of at most ``width`` characters;
    a short string stays a string."""
    joined = " ".join(text) if isinstance(text, list) else text
    if not isinstance(joined, str) or len(joined) <= width:
        return text
    return textwrap.wrap(joined, width, break_long_words=False, break_on_hyphens=False)


def title_text(spec: dict) -> tuple[str, str]:
    """The chart's title and subtitle as plain text (lines joined), "" when absent."""
    title = spec.get("title")
    if title is None:
        return "", ""
    if not isinstance(title, dict):
        title = {"text": title}
    def joined(value) -> str:
        return " ".join(value) if isinstance(value, list) else (value or "")
    return joined(title.get("text")), joined(title.get("subtitle"))


def wrapped_titles(view: dict, height) -> dict:
    """One view (or composite) with its long axis and legend titles wrapped onto lines."""
    view = dict(view)
    height = view.get("height", height)
    y_line = max(16, int((height if isinstance(height, (int, float)) else DEFAULT_HEIGHT) / CHARACTER_PX))
    encoding = dict(view.get("encoding", {}))
    for channel, width in (("x", X_TITLE_LINE), ("y", y_line), ("x2", X_TITLE_LINE), ("y2", y_line),
                           *((name, LEGEND_TITLE_LINE) for name in LEGEND_CHANNELS)):
        definition = encoding.get(channel)
        if isinstance(definition, dict) and definition.get("title"):
            definition = encoding[channel] = {**definition, "title": lines(definition["title"], width)}
        if channel in LEGEND_CHANNELS and isinstance(definition, dict) and definition.get("legend", {}) is not None:
            legend = definition.get("legend") or {}
            encoding[channel] = {**definition, "legend": {"labelExpr": WRAP_LABEL, **legend}}
    shared_legends(encoding)
    if encoding:
        view["encoding"] = encoding
    for key in COMPOSITE_KEYS:
        if isinstance(view.get(key), list):
            view[key] = [wrapped_titles(part, height) for part in view[key]]
        elif isinstance(view.get(key), dict):
            view[key] = wrapped_titles(view[key], height)
    return view


def shared_legends(encoding: dict) -> None:
    """Give the legend channels that encode one field with a stated order (``sort``) that
    order as their scale domain, in place, so their legends merge into one."""
    by_field: dict[str, list[str]] = {}
    for channel in LEGEND_CHANNELS:
        definition = encoding.get(channel)
        if isinstance(definition, dict) and isinstance(definition.get("field"), str):
            by_field.setdefault(definition["field"], []).append(channel)
    for channels in (found for found in by_field.values() if len(found) > 1):
        orders = [encoding[channel].get("sort") for channel in channels]
        if not all(isinstance(order, list) for order in orders) or any(order != orders[0] for order in orders):
            continue
        for channel in channels:
            scale = encoding[channel].get("scale") or {}
            if "domain" not in scale:
                encoding[channel] = {**encoding[channel], "scale": {**scale, "domain": orders[0]}}


def published(spec: dict) -> dict:
    """The spec the page draws: no title inside the drawing, long titles wrapped."""
    return wrapped_titles({key: value for key, value in spec.items() if key != "title"}, DEFAULT_HEIGHT)
