"""Charts drawn when the book is built: each chart's spec as inline SVG, no script needed.

The page shows every chart as an SVG drawn at build time by ``vl-convert`` (Vega-Lite
compiled and rendered offline, with no browser), so it shows with no script, prints, and
stays vector in a PDF. Vega itself loads only when a reader hovers over or focuses a
chart (``aitrade-charts.js``), which then replaces the drawing with the live chart and
its tooltips.

- **Two widths.** A chart is drawn :data:`WIDE` px wide for a desktop column and
  :data:`NARROW` px wide for a phone; the stylesheet shows one (``aitrade-charts.css``),
  and each scales down with its column (``viewBox``) without growing past its width. A
  faceted or concatenated chart is narrowed as the page's script narrows it.
- **One font, measured the same everywhere.** The text uses :data:`FONT_FAMILY`, a
  subset of DejaVu Sans renamed (its licence asks a modified copy to be renamed) and
  without kerning: vl-convert measures the labels with its TrueType files (``fonts/``) and
  the browser draws them with the same glyphs from its WOFF2 files, so no label is
  clipped, and no system font can change a drawing (:func:`write_fonts` made them).
- **Byte-identical.** The spec is rounded where it leaves the notebook; vl-convert's
  output depends only on the spec, its version and the font, so equal inputs give equal
  SVG. Drawings are cached under the hash of those inputs (:func:`cache_directory`):
  about 0.15 s a drawing, 2 drawings for each of about 190 charts.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import math
import os
import re
from importlib import metadata
from pathlib import Path

from aitrade.charts import markup

WIDE = 640
NARROW = 340
WIDTHS = {"wide": WIDE, "narrow": NARROW}
# A drawing scales down with its column to this share of its width, then scrolls sideways.
MIN_SCALE = 0.8
# A view narrower than this many px is unreadable: it is drawn wider and scales down.
MIN_VIEW = 80
VEGA_LITE_VERSION = "6.4"
FONT_FAMILY = "aitrade Chart Sans"
# Vega writes the family into every text element; the second name matches it metric for metric.
FONT_STACK = f"'{FONT_FAMILY}', 'DejaVu Sans', sans-serif"
FONT_DIR = Path(__file__).parent / "fonts"
FONT_FILES = {"regular": "aitrade-chart-sans.ttf", "bold": "aitrade-chart-sans-bold.ttf"}
# Every character a chart may print: Basic Latin, Latin-1, Latin Extended-A, general
# punctuation, the minus sign Vega uses for negative numbers, currency signs.
FONT_CODEPOINTS = sorted({*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2030),
                          *range(0x2030, 0x203B), 0x2044, 0x2212, 0x20AC, 0x2122, 0x2248, 0x2264, 0x2265})
COMPOSITE_KEYS = ("facet", "hconcat", "vconcat", "concat", "repeat")
FACET_CHANNELS = ("row", "column", "facet")
DRAWING_CLASS = f"{markup.CHART_CLASS}__drawing"
CACHE_VARIABLE = "AITRADE_CHART_CACHE"
SVG_OPEN = re.compile(r'\A<svg\b[^>]*\bwidth="(?P<width>[\d.]+)" height="(?P<height>[\d.]+)" '
                      r'viewBox="(?P<box>[^"]+)"[^>]*>')
PLOT_WIDTH = re.compile(r'<path class="background" aria-hidden="true" d="M0,0h(?P<width>[\d.]+)v')
TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)


class DrawingError(RuntimeError):
    """A chart could not be drawn at build time."""


def is_composite(spec: dict) -> bool:
    """True for a faceted, concatenated or repeated chart (its width is per view)."""
    encoding = spec.get("encoding") or {}
    return any(key in spec for key in COMPOSITE_KEYS) or any(key in encoding for key in FACET_CHANNELS)


def narrowed(spec, factor: float):
    """A copy of ``spec`` with its numeric view widths times ``factor`` (never below
    :data:`MIN_VIEW`), its data left as is; as ``narrowed`` in aitrade-charts.js."""
    if isinstance(spec, list):
        return [narrowed(item, factor) for item in spec]
    if not isinstance(spec, dict):
        return spec
    return {key: (max(MIN_VIEW, int(value * factor)) if key == "width" and isinstance(value, (int, float))
                  and not isinstance(value, bool)
                  else value if key in ("datasets", "data", "usermeta") else narrowed(value, factor))
            for key, value in spec.items()}


def sized(spec: dict, width: int) -> dict:
    """The spec to draw ``width`` px wide, in the chart font: a single or layered chart
    fits the width (its plot shrinks, its labels keep their size); a composite chart
    keeps its view widths (:func:`draw` narrows them)."""
    spec = copy.deepcopy(spec)
    spec["config"] = {**spec.get("config", {}), "font": FONT_STACK}
    if not is_composite(spec):
        spec["width"] = width
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def stacked_legends(vega_spec: dict) -> dict:
    """Legends under the chart one under the other from its left edge (a row of legends
    is wider than a phone); the patch aitrade-charts.js gives the live chart."""
    config = vega_spec.setdefault("config", {})
    config["legend"] = {**config.get("legend", {}),
                        "layout": {"bottom": {"direction": "vertical", "anchor": "start"},
                                   "top": {"direction": "vertical", "anchor": "start"}}}
    return vega_spec


def register_fonts() -> None:
    """Give vl-convert the chart font (once per process)."""
    if not getattr(register_fonts, "done", False):
        import vl_convert

        vl_convert.register_font_directory(str(FONT_DIR))
        register_fonts.done = True


def render_svg(spec: dict) -> str:
    """The SVG vl-convert draws for a Vega-Lite spec (compiled, legends stacked)."""
    import vl_convert

    register_fonts()
    vega_spec = stacked_legends(vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION))
    return vl_convert.vega_to_svg(vega_spec)


def svg_size(svg: str) -> tuple[float, float]:
    """An SVG's width and height in px, from its root element."""
    match = SVG_OPEN.match(svg)
    if not match:
        raise DrawingError(f"vl-convert returned no sized <svg> root: {svg[:120]!r}")
    return float(match["width"]), float(match["height"])


def draw(spec: dict, width: int) -> str:
    """The chart drawn ``width`` px wide (see :func:`sized`): a single chart whose plot
    would be narrower than :data:`MIN_VIEW` gets a plot of twice that and is scaled down
    by the page; a composite chart wider than ``width`` is narrowed up to three times;
    then, as the page's script does, a chart whose text spills past the drawing's edges
    is drawn again with that much more padding (:func:`padded`)."""
    spec = sized(spec, width)
    svg = render_svg(spec)
    if not is_composite(spec):
        plot = PLOT_WIDTH.search(svg)
        if plot and float(plot["width"]) < MIN_VIEW:
            spec["width"] = 2 * MIN_VIEW
            del spec["autosize"]
            svg = render_svg(spec)
        return compact(padded(spec, svg))
    for _ in range(3):
        drawn_width, _height = svg_size(svg)
        if drawn_width <= width + 1:
            break
        spec = narrowed(spec, width / drawn_width)
        svg = render_svg(spec)
    return compact(padded(spec, svg))


# Attributes that hold coordinates, and coordinates with more decimals than a drawing needs.
GEOMETRY = re.compile(r'(\s(?:d|transform|points|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|dx|dy)=")([^"]*)(")')
LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def two_decimals(number: str) -> str:
    """A coordinate to 0.01 px (``30.986842105263158`` -> ``30.99``), trailing zeros dropped."""
    text = f"{float(number):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def compact(svg: str) -> str:
    """``svg`` with its coordinates rounded to 0.01 px, a hundredth of a screen pixel:
    vl-convert writes them to 17 digits, which weighs on every page and shows nothing.
    Text, labels and the accessible description are left as they are."""
    return GEOMETRY.sub(lambda match: match[1] + LONG_DECIMAL.sub(lambda number: two_decimals(number[0]), match[2])
                        + match[3], svg)


SIDES = ("top", "bottom", "left", "right")
DEFAULT_PADDING = 5


def padded(spec: dict, svg: str, attempts: int = 3) -> str:
    """``svg`` or, where its text reaches past an edge, the spec drawn again with that
    much more padding on that side (twice as much on the left and right, since a centred
    axis title moves by half of what the plot loses), up to ``attempts`` times."""
    for _ in range(attempts):
        reach = spill(svg)
        if all(reach[side] <= 0.5 for side in SIDES):
            break
        padding = spec.get("padding")
        padding = dict(padding) if isinstance(padding, dict) else {side: DEFAULT_PADDING for side in SIDES}
        for side in SIDES:
            padding[side] = padding.get(side, DEFAULT_PADDING) + math.ceil(
                max(0.0, reach[side]) * (2 if side in ("left", "right") else 1))
        spec = {**spec, "padding": padding}
        svg = render_svg(spec)
    return svg


def spill(svg: str) -> dict[str, float]:
    """How far the drawing's text reaches past each edge of the SVG, in px (0 when inside),
    from the chart font's advance widths and vertical metrics (:func:`text_boxes`)."""
    width, height = svg_size(svg)
    reach = {side: 0.0 for side in SIDES}
    for left, top, right, bottom in text_boxes(svg):
        reach["left"] = max(reach["left"], -left)
        reach["top"] = max(reach["top"], -top)
        reach["right"] = max(reach["right"], right - width)
        reach["bottom"] = max(reach["bottom"], bottom - height)
    return reach


TRANSLATE = re.compile(r"translate\(\s*([-\d.e]+)[ ,]\s*([-\d.e]+)\s*\)")
SVG_NS = "{http://www.w3.org/2000/svg}"


def font_metrics() -> dict:
    """Per weight: advance widths by character (in em), ascent and descent (in em)."""
    if not hasattr(font_metrics, "cache"):
        from fontTools.ttLib import TTFont

        metrics = {}
        for style, name in FONT_FILES.items():
            font = TTFont(FONT_DIR / name)
            units = font["head"].unitsPerEm
            advances = {chr(code): font["hmtx"][glyph][0] / units for code, glyph in font.getBestCmap().items()}
            metrics["bold" if style == "bold" else "normal"] = {
                "advances": advances, "ascent": font["hhea"].ascent / units, "descent": -font["hhea"].descent / units}
        font_metrics.cache = metrics
    return font_metrics.cache


def text_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    """The box (left, top, right, bottom) of every text element of a Vega SVG, in the
    SVG's coordinates: groups and texts placed by ``translate``, texts turned by
    ``rotate(-90)`` (y-axis titles), lines in ``<tspan>`` elements ``dy`` apart."""
    import xml.etree.ElementTree as ElementTree

    metrics = font_metrics()
    boxes = []

    def walk(element, x: float, y: float) -> None:
        for child in element:
            offset = TRANSLATE.search(child.get("transform", ""))
            cx, cy = (x + float(offset[1]), y + float(offset[2])) if offset else (x, y)
            if child.tag != f"{SVG_NS}text":
                walk(child, cx, cy)
                continue
            font = metrics["bold" if child.get("font-weight") in ("bold", "700") else "normal"]
            size = float(child.get("font-size", "11px").removesuffix("px"))
            spans = list(child.iter(f"{SVG_NS}tspan"))
            lines = [span.text or "" for span in spans] if spans else [child.text or ""]
            step = float(spans[1].get("dy", size)) if len(spans) > 1 else size
            length = max(sum(font["advances"].get(character, 0.6) for character in line) * size for line in lines)
            start = {"start": 0.0, "middle": -length / 2, "end": -length}[child.get("text-anchor", "start")]
            across = (-font["ascent"] * size, font["descent"] * size + step * (len(lines) - 1))
            if "rotate(-90)" in child.get("transform", ""):
                boxes.append((cx + across[0], cy - start - length, cx + across[1], cy - start))
            else:
                boxes.append((cx + start, cy + across[0], cx + start + length, cy + across[1]))

    walk(ElementTree.fromstring(svg), 0.0, 0.0)
    return boxes


def missing_characters(svg: str) -> list[str]:
    """Characters of the drawing's text that the chart font lacks (another font would
    draw them, so the drawing would depend on the machine's fonts)."""
    covered = set(FONT_CODEPOINTS)
    text = html.unescape("".join(TEXT.findall(svg)))
    return sorted({character for character in text if ord(character) not in covered and not character.isspace()})


def renderer_version() -> str:
    """vl-convert's version: part of every cache key."""
    try:
        return metadata.version("vl-convert-python")
    except metadata.PackageNotFoundError as error:
        raise DrawingError("vl-convert-python is not installed: pip install -r requirements.txt") from error


def font_digest() -> str:
    """A digest of the chart font files: part of every cache key."""
    digest = hashlib.sha256()
    for name in sorted(FONT_FILES.values()):
        digest.update((FONT_DIR / name).read_bytes())
    return digest.hexdigest()


def cache_key(spec: dict, width: int) -> str:
    """What a drawing depends on: the spec, the width, vl-convert and the font."""
    source = json.dumps({"spec": spec, "width": width, "vl-convert": renderer_version(),
                         "vega-lite": VEGA_LITE_VERSION, "font": font_digest(),
                         "drawing": module_digest()},
                        sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def module_digest() -> str:
    """A digest of this module, so a change to how charts are drawn invalidates the cache."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def cache_directory() -> Path:
    """Where drawings are kept between builds: ``$AITRADE_CHART_CACHE``, else
    ``$XDG_CACHE_HOME/aitrade/chart-drawings`` (``~/.cache`` by default)."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "aitrade" / "chart-drawings"


def cached_draw(spec: dict, width: int, cache: Path | None) -> str:
    """:func:`draw`, kept in ``cache`` under :func:`cache_key` (no cache when None)."""
    if cache is None:
        return draw(spec, width)
    path = cache / f"{cache_key(spec, width)}.svg"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    svg = draw(spec, width)
    cache.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(svg, encoding="utf-8")
    temporary.replace(path)
    return svg


# The roles and names Vega gives every mark ("graphics-symbol", "circle", "date: 2012; ...").
MARK_SEMANTICS = re.compile(r'\s(?:role|aria-roledescription|aria-label)="[^"]*"')


def inline_svg(svg: str, description: str, variant: str) -> str:
    """The drawing as the page inlines it: one image (``role="img"``) named by the
    chart's text description, with classes that say which width it is, and the smallest
    width it may be scaled to (:data:`MIN_SCALE`).

    The roles and names Vega gives each mark are dropped: inside an image they are not
    exposed, and on the heaviest pages they were a third of the drawing. A screen reader
    reads the description, which states the chart's values; the CSV under the chart holds
    them all, and the live chart (drawn on focus or hover) names each mark again."""
    width, height = svg_size(svg)
    opening = SVG_OPEN.match(svg)
    root = (f'<svg xmlns="http://www.w3.org/2000/svg" class="{DRAWING_CLASS} {DRAWING_CLASS}--{variant}" '
            f'width="{width:g}" height="{height:g}" viewBox="{opening["box"]}" '
            f'style="min-width:{math.ceil(width * MIN_SCALE)}px" role="img" '
            f'aria-label="{html.escape(description, quote=True)}">')
    return root + MARK_SEMANTICS.sub("", svg[opening.end():])


def drawings(block: markup.ChartBlock, cache: Path | None) -> str:
    """The inline SVG drawings of one chart, one per width of :data:`WIDTHS`."""
    description = block.spec.get("description", "")
    parts = []
    for variant, width in WIDTHS.items():
        svg = cached_draw(block.spec, width, cache)
        missing = missing_characters(svg)
        if missing:
            raise DrawingError(f"Chart {block.chart_id} prints characters the chart font lacks: {missing}. "
                               "Add them to aitrade.charts.drawing.FONT_CODEPOINTS and run write_fonts.")
        parts.append(inline_svg(svg, description, variant))
    return "".join(parts)


FALLBACK = re.compile(rf'<p class="{markup.FALLBACK_CLASS}">.*?</p>', re.S)


def with_drawings(page_html: str, drawing_for) -> str:
    """``page_html`` with, in every chart written by :func:`aitrade.charts.markup.render_html`,
    the text that stands in for the drawing replaced by the HTML ``drawing_for(block)``
    returns (:func:`drawings`)."""

    def insert(match: re.Match) -> str:
        drawing = drawing_for(markup.block_of(match))
        return match["open"] + FALLBACK.sub(lambda _: drawing, match["inner"], count=1) + match["spec"]

    return markup.CHART_BLOCK.sub(insert, page_html)


def write_fonts(regular: Path, bold: Path, ttf_dir: Path = FONT_DIR, woff2_dir: Path | None = None) -> dict[str, int]:
    """Write the chart font from DejaVu Sans (``regular``, ``bold``: its TTF files): the
    :data:`FONT_CODEPOINTS` subset, no hinting, no kerning or other layout features,
    renamed :data:`FONT_FAMILY`; TrueType into ``ttf_dir`` (vl-convert) and WOFF2 into
    ``woff2_dir`` (the site). Returns each file written with its size in bytes."""
    from fontTools import subset

    written = {}
    for style, source in (("regular", regular), ("bold", bold)):
        for flavor, folder in ((None, ttf_dir), ("woff2", woff2_dir)):
            if folder is None:
                continue
            options = subset.Options()
            options.layout_features = []
            options.hinting = False
            options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
            options.flavor = flavor
            font = subset.load_font(str(source), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=FONT_CODEPOINTS)
            subsetter.subset(font)
            rename(font, style)
            name = FONT_FILES[style] if flavor is None else FONT_FILES[style].replace(".ttf", ".woff2")
            target = Path(folder) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            subset.save_font(font, str(target), options)
            written[str(target)] = target.stat().st_size
    return written


def rename(font, style: str) -> None:
    """Give a subset font the family :data:`FONT_FAMILY` in every name it carries."""
    subfamily = "Bold" if style == "bold" else "Regular"
    postscript = FONT_FAMILY.replace(" ", "") + "-" + subfamily
    names = {1: FONT_FAMILY, 2: subfamily, 3: f"{postscript};subset of DejaVu Sans 2.37",
             4: f"{FONT_FAMILY} {subfamily}", 6: postscript}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.setName(names[record.nameID], record.nameID, record.platformID, record.platEncID, record.langID)
    table.names = [record for record in table.names if record.nameID not in (16, 17)]
