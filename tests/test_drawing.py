"""aitrade.charts.drawing: charts drawn as inline SVG at build time, the same on any machine."""

from __future__ import annotations

import hashlib
import html
import json
import re

import altair as alt
import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from aitrade import charts
from aitrade.charts import drawing, markup
from aitrade.site.sphinx_ext import STATIC_DIR

CHARTS_DIR = STATIC_DIR / "aitrade-charts"
FRAME = pd.DataFrame({"economy": ["Côte d'Ivoire", "Türkiye", "United States"], "spend": [-1.5, 2306, 62697]})


def bar_spec(**properties) -> dict:
    chart = alt.Chart(FRAME).mark_bar().encode(
        x=alt.X("spend:Q", title="Spending (million US$)"), y=alt.Y("economy:N", title="Economy"),
        color=alt.Color("economy:N", title="Economy"), tooltip=["economy", "spend"],
    ).properties(**properties)
    annotated = charts.annotate(chart, description="Bar chart of spending by economy.", source="Test.", licence="CC0.")
    return markup.chart_blocks(charts.render_html(annotated.to_dict()))[0].spec


@pytest.fixture(scope="module")
def spec() -> dict:
    return bar_spec(height=120)


def test_a_chart_is_drawn_at_each_width_in_the_chart_font_with_all_its_text(spec):
    for width in drawing.WIDTHS.values():
        svg = drawing.draw(spec, width)
        assert drawing.svg_size(svg)[0] == width
        assert set(re.findall(r'font-family="([^"]+)"', svg)) == {drawing.FONT_STACK}
        text = html.unescape(" ".join(drawing.TEXT.findall(svg)))
        for label in ("Côte d'Ivoire", "Türkiye", "Spending (million US$)"):
            assert label in text, label
        assert width == drawing.NARROW or "−5,000" in text  # Vega's minus sign, in the font
        assert "…" not in text
        assert drawing.missing_characters(svg) == []


def test_drawing_is_byte_identical_run_to_run(spec):
    assert drawing.draw(spec, drawing.NARROW) == drawing.draw(json.loads(json.dumps(spec)), drawing.NARROW)


def test_a_drawing_changes_when_the_data_change(spec):
    changed = json.loads(json.dumps(spec).replace("62697", "62698"))
    assert drawing.draw(changed, drawing.WIDE) != drawing.draw(spec, drawing.WIDE)
    assert drawing.cache_key(changed, drawing.WIDE) != drawing.cache_key(spec, drawing.WIDE)
    assert drawing.cache_key(spec, drawing.WIDE) != drawing.cache_key(spec, drawing.NARROW)


def test_the_cache_returns_the_stored_drawing_without_drawing_again(spec, tmp_path, monkeypatch):
    first = drawing.cached_draw(spec, drawing.NARROW, tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == [f"{drawing.cache_key(spec, drawing.NARROW)}.svg"]
    monkeypatch.setattr(drawing, "draw", lambda *args: pytest.fail("drew again despite the cache"))
    assert drawing.cached_draw(spec, drawing.NARROW, tmp_path) == first


def test_a_composite_chart_is_narrowed_to_fit_and_a_single_one_never_below_its_minimum_plot():
    facet = charts.annotate(
        alt.Chart(FRAME).mark_bar().encode(x="spend:Q", y="economy:N", column="economy:N").properties(width=300),
        description="Three panels.", source="Test.", licence="CC0.").to_dict()
    wide = drawing.draw(facet, 10_000)
    narrow = drawing.draw(facet, drawing.NARROW)
    assert drawing.svg_size(narrow)[0] < drawing.svg_size(wide)[0]
    assert drawing.narrowed({"width": 300, "data": {"width": 5}, "spec": {"width": 100}}, 0.5) == \
        {"width": 150, "data": {"width": 5}, "spec": {"width": drawing.MIN_VIEW}}
    plot = drawing.PLOT_WIDTH.search(drawing.draw(bar_spec(height=60), 120))
    assert float(plot["width"]) >= drawing.MIN_VIEW


def test_characters_the_font_lacks_are_found():
    assert drawing.missing_characters("<svg><text>Café − 5</text><text>中国 &amp; ok</text></svg>") == ["中", "国"]


def test_the_page_gets_the_drawings_in_place_of_the_text_stand_in(tmp_path):
    chart = charts.annotate(alt.Chart(FRAME).mark_bar().encode(x="spend:Q"),
                            description="A <b> & chart.", source="S.", licence="L.")
    page = "<p>Before</p>\n" + charts.render_html(chart.to_dict())
    drawn = drawing.with_drawings(page, lambda block: drawing.drawings(block, tmp_path))
    (block,) = markup.chart_blocks(drawn)
    assert markup.FALLBACK_CLASS not in drawn and drawn.startswith("<p>Before</p>")
    roots = re.findall(r"<svg [^>]*>", block.html)
    assert [re.search(r'--(\w+)"', root)[1] for root in roots] == list(drawing.WIDTHS)
    assert all('role="img" aria-label="A &lt;b&gt; &amp; chart."' in root for root in roots)
    assert all(re.search(r'style="min-width:\d+px"', root) for root in roots)
    # The marks carry no roles or names of their own: the image's name is the description.
    assert drawn.count("aria-label=") == len(roots) and "aria-roledescription" not in drawn
    assert 'role="graphics-' not in drawn
    assert block.spec["description"] == "A <b> & chart." and "Source: S." in block.html


def test_the_chart_font_is_renamed_dejavu_covering_every_declared_character():
    for style, name in drawing.FONT_FILES.items():
        for path in (drawing.FONT_DIR / name, CHARTS_DIR / name.replace(".ttf", ".woff2")):
            font = TTFont(path)
            assert font["name"].getDebugName(1) == drawing.FONT_FAMILY, path
            assert "Bitstream" not in font["name"].getDebugName(4) and "Vera" not in font["name"].getDebugName(4)
            assert set(drawing.FONT_CODEPOINTS) <= set(font.getBestCmap()), path
            assert "kern" not in font and (style == "bold") == (font["OS/2"].usWeightClass == 700)
    manifest = json.loads((CHARTS_DIR / "VENDOR.json").read_text())
    for name in [*drawing.FONT_FILES.values(), *(name.replace(".ttf", ".woff2") for name in drawing.FONT_FILES.values())]:
        folder = drawing.FONT_DIR if name.endswith(".ttf") else CHARTS_DIR
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == manifest["fonts"][name]["sha256"], name


def test_the_live_chart_and_the_stylesheet_use_the_drawings_font():
    script = (CHARTS_DIR / "aitrade-charts.js").read_text()
    stylesheet = (CHARTS_DIR / "aitrade-charts.css").read_text()
    assert f'var FONT = "{drawing.FONT_STACK}";' in script
    assert re.findall(r'font-family: "([^"]+)"', stylesheet) == [drawing.FONT_FAMILY] * 2
    for name in drawing.FONT_FILES.values():
        assert f'url("{name.replace(".ttf", ".woff2")}")' in stylesheet
    # The loader names the vendored Vega files and adds no script tag of its own before interaction.
    assert 'var VEGA_FILES = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"];' in script


def test_text_reaching_past_the_edges_is_measured_and_padded_away():
    em = drawing.font_metrics()["normal"]
    width = sum(em["advances"][character] for character in "2020") * 12
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">'
           '<g transform="translate(5,5)"><text text-anchor="middle" transform="translate(95,20)" '
           'font-size="12px">2020</text>'
           '<text text-anchor="middle" transform="translate(-2,20) rotate(-90)" font-size="12px">'
           '<tspan>a</tspan><tspan x="0" dy="14">b</tspan></text></g></svg>')
    reach = drawing.spill(svg)
    assert reach["right"] == pytest.approx(100 + width / 2 - 100)
    assert reach["left"] == pytest.approx(em["ascent"] * 12 - 3)
    assert reach["top"] == 0 and reach["bottom"] == 0
    # An axis title centred under a plot narrower than it spills past the right edge
    # (long category labels take the left): padded until it does not.
    frame = pd.DataFrame({"group": ["A category label of some length", "B"], "value": [1.0, 2.0]})
    spec = charts.annotate(alt.Chart(frame).mark_bar().encode(
        x=alt.X("value:Q", title="Value of the measure in the year"), y=alt.Y("group:N", title=None)),
        description="A bar.", source="S.", licence="L.").to_dict()
    assert drawing.spill(drawing.render_svg(drawing.sized(spec, drawing.NARROW)))["right"] > 10
    drawn = drawing.draw(spec, drawing.NARROW)
    assert all(value <= 0.5 for value in drawing.spill(drawn).values())
    assert drawing.svg_size(drawn)[0] == drawing.NARROW


def test_coordinates_are_rounded_to_a_hundredth_of_a_pixel_and_text_is_left_alone():
    svg = ('<svg><line transform="translate(30.986842105263158,-380)" x2="0" y2="380.5"/>'
           '<path d="M-0.0012,1.23456L2,3"/><text x="12.3456">20.1234567</text>'
           '<g aria-label="doubles every 20.123456 months"/></svg>')
    assert drawing.compact(svg) == (
        '<svg><line transform="translate(30.99,-380)" x2="0" y2="380.5"/>'
        '<path d="M0,1.23L2,3"/><text x="12.35">20.1234567</text>'
        '<g aria-label="doubles every 20.123456 months"/></svg>')


def test_a_drawing_holds_no_coordinate_finer_than_a_hundredth(spec):
    svg = drawing.draw(spec, drawing.WIDE)
    assert not re.search(r'\s(?:d|transform|x|y)="[^"]*\d\.\d{3}', svg)
