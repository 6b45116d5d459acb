"""The charts' web font cut down to the characters the site's charts print."""

from __future__ import annotations

import shutil

import pytest
from fontTools.ttLib import TTFont

from aitrade.site import chart_font


def site_with_chart_text(tmp_path, text: str):
    """A built site of one page whose chart drawing prints ``text``, with the fonts copied."""
    fonts = tmp_path / chart_font.SITE_FONTS
    fonts.mkdir(parents=True)
    for name in chart_font.WOFF2_FILES:
        shutil.copy(chart_font.STATIC_FONTS / name, fonts / name)
    (tmp_path / "page.html").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" class="aitrade-chart__drawing aitrade-chart__drawing--wide">'
        f'<g><text x="1">{text}</text></g></svg>'
        '<p>Ő in prose is not drawn</p>', encoding="utf-8")
    return tmp_path


def kept(site, name: str) -> set[int]:
    return set(TTFont(site / chart_font.SITE_FONTS / name).getBestCmap())


def test_the_fonts_keep_basic_latin_and_the_drawn_characters_only(tmp_path):
    site = site_with_chart_text(tmp_path, "Côte d&#x27;Ivoire – 1,2 <tspan>Zürich</tspan>")
    report = chart_font.write_subset(site)
    for name in chart_font.WOFF2_FILES:
        glyphs = kept(site, name)
        assert {ord("ô"), ord("ü"), ord("–"), 0x2026, 0x2212} <= glyphs
        assert set(range(0x20, 0x7F)) <= glyphs
        assert ord("Ő") not in glyphs and ord("é") not in glyphs
    assert all(after < before for _, before, after in report)


def test_a_rebuild_that_draws_a_new_character_gets_its_glyph(tmp_path):
    site = site_with_chart_text(tmp_path, "Paris")
    chart_font.write_subset(site)
    assert ord("é") not in kept(site, chart_font.WOFF2_FILES[0])
    (site / "page.html").write_text(
        '<svg class="aitrade-chart__drawing"><text>Montréal</text></svg>', encoding="utf-8")
    chart_font.write_subset(site)
    assert ord("é") in kept(site, chart_font.WOFF2_FILES[0])


def test_a_missing_font_file_is_named(tmp_path):
    (tmp_path / "page.html").write_text("<p></p>")
    with pytest.raises(chart_font.ChartFontError, match="aitrade-chart-sans.woff2 is missing"):
        chart_font.write_subset(tmp_path)
