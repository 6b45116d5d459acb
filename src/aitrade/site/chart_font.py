"""The charts' web font, cut down to the characters the site's charts print.

Charts are drawn in "aitrade Chart Sans" (:mod:`aitrade.charts.drawing`), whose WOFF2 files
cover every character a chart may print: Latin-1, Latin Extended-A, punctuation, about 400
glyphs and 12 KB a weight. A chart page loads one or both weights. After each build this
module rewrites the site's copies keeping Basic Latin (every digit, letter and sign a live
chart may print at another width, in another tick label) plus every character of every
drawing's text in the built pages, plus the ellipsis and minus sign Vega writes for cut
labels and negative numbers. It reads the originals from the package each time, so a
rebuild whose charts print a new character never finds it missing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from fontTools import subset

from aitrade.charts import drawing

STATIC_FONTS = Path(__file__).parent / "static" / "aitrade-charts"
SITE_FONTS = Path("_static/aitrade-charts")
WOFF2_FILES = tuple(name.replace(".ttf", ".woff2") for name in drawing.FONT_FILES.values())
ALWAYS = frozenset({*range(0x20, 0x7F), 0x2026, 0x2212})
DRAWING = re.compile(rf'<svg\b[^>]*\bclass="{drawing.DRAWING_CLASS}\b.*?</svg>', re.S)
TAG = re.compile(r"<[^>]+>")


class ChartFontError(ValueError):
    """A chart font file is missing from the package or the built site."""


def drawn_characters(site: Path) -> set[int]:
    """Code points of every character in the text of the chart drawings of the built pages."""
    found = set()
    for page in site.rglob("*.html"):
        for svg in DRAWING.findall(page.read_text(encoding="utf-8")):
            for text in drawing.TEXT.findall(svg):
                found.update(ord(character) for character in html.unescape(TAG.sub("", text)))
    return found


def write_subset(site: Path) -> list[tuple[str, int, int]]:
    """Replace the site's chart fonts with the subset its charts need; for each file, its
    path and its size before and after, in bytes."""
    codepoints = sorted(ALWAYS | drawn_characters(site))
    report = []
    for name in WOFF2_FILES:
        original, target = STATIC_FONTS / name, site / SITE_FONTS / name
        if not original.is_file() or not target.is_file():
            raise ChartFontError(
                f"Chart font {name} is missing from {STATIC_FONTS} or from the built site "
                f"{site / SITE_FONTS}: restore it with `git checkout -- src/aitrade/site/static`."
            )
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = []
        options.hinting = False
        options.name_IDs = ["*"]
        font = subset.load_font(str(original), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        subset.save_font(font, str(target), options)
        report.append((str(SITE_FONTS / name), original.stat().st_size, target.stat().st_size))
    return report
