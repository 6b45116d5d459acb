"""aitrade.icon_font: which glyphs the site keeps, and a clear error for an unknown icon."""

from __future__ import annotations

import pytest

from aitrade.site import icon_font

STYLESHEET = (
    '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}'
    '.fa-list:before{content:"\\f03a"}'
    ':root{--pst-icon-bell:"\uf0f3"}'
    '.onthispage:after{content:"\\f107";font-family:Font Awesome\\ 6 Free}'
)


def test_the_catalogue_maps_every_alias_to_its_code_point():
    assert icon_font.catalogue(STYLESHEET) == {"fa-bars": 0xF0C9, "fa-navicon": 0xF0C9, "fa-list": 0xF03A}


def test_the_stylesheet_s_own_icons_are_kept_but_not_the_catalogue():
    assert icon_font.chrome_codepoints(STYLESHEET) == {0xF0F3, 0xF107}


def test_an_icon_with_no_rule_is_named_in_the_error(tmp_path):
    for path in icon_font.STYLESHEETS:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(STYLESHEET)
    (tmp_path / "page.html").write_text('<span class="fa-solid fa-bars"></span><i class="fa-solid fa-rocket"></i>')
    with pytest.raises(icon_font.IconFontError, match=r"\['fa-rocket'\]"):
        icon_font.needed_codepoints(tmp_path)
    (tmp_path / "page.html").write_text('<span class="fa-solid fa-bars fa-lg"></span>')
    assert icon_font.needed_codepoints(tmp_path) == {0xF0C9, 0xF0F3, 0xF107}
