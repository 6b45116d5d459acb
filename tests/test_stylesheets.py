"""The theme's stylesheets cut down to the rules the site's pages can use."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitrade.site import stylesheets

USED = {"class": {"bd-header", "show", "nav-link"}, "id": {"main"}, "type": {"html", "body", "a", "div", "nav"}}


@pytest.mark.parametrize("selector, kept", [
    (".bd-header", True),
    ("nav .nav-link:hover", True),
    (".bd-header::before", True),
    ("div:not(.never-used)", True),  # what :not() names need not exist
    ("a[href^='http'].nav-link", True),  # attribute tests are not names
    ("#main > .show", True),  # 'show' is added by a script
    (".bd-footer", False),
    (".bd-header .never-used", False),
    ("#sidebar", False),
    ("table td", False),
    (".md\\:flex", False),
    (":root", True),
    ("*", True),
])
def test_a_selector_is_kept_only_when_every_name_it_needs_exists(selector, kept):
    assert stylesheets.selector_can_match(selector, USED) is kept


def test_selector_lists_split_at_top_level_commas_only():
    assert stylesheets.split_selectors("a, div:is(.x, .y) > b ,.z") == ["a", "div:is(.x, .y) > b", ".z"]


def test_a_rule_keeps_its_usable_selectors_and_blocks_are_filtered():
    css = (
        "/* comment */ .bd-header,.bd-footer{color:red}"
        ".bd-footer{color:blue}"
        "@media (min-width: 960px){.bd-footer{margin:0}.nav-link{margin:1px}}"
        "@media print{.bd-footer{display:none}}"
        "@font-face{font-family:x;src:url(x.woff2)}"
        "@keyframes spin{from{opacity:0}to{opacity:1}}"
    )
    result = stylesheets.trim(css, USED)
    assert ".bd-header{color:red}" in result
    assert ".bd-footer" not in result and "comment" not in result
    assert "@media (min-width: 960px){.nav-link{margin:1px}}" in result
    assert "@media print" not in result  # empty once filtered
    assert "@font-face{font-family:x;src:url(x.woff2)}" in result
    assert "@keyframes spin" in result


def test_names_come_from_pages_and_from_every_word_of_the_scripts(tmp_path):
    (tmp_path / "page.html").write_text('<body><nav id="top" class="bd-header  wide"><p>x</p></nav></body>')
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "app.js").write_text('el.classList.add("collapsing")')
    used = stylesheets.used_names(tmp_path)
    assert {"bd-header", "wide", "collapsing"} <= used["class"]
    assert "top" in used["id"] and {"nav", "p", "body"} <= used["type"]


def test_trimming_reads_the_original_so_a_rebuild_never_loses_a_rule(tmp_path):
    site = tmp_path / "site"
    for pattern in stylesheets.STYLESHEETS:
        path = site / pattern.replace("*", "0123")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    (site / "index.html").write_text('<div class="bd-header"></div>')
    stylesheets.write_trimmed(site)
    theme = site / "_static/styles/pydata-sphinx-theme.css"
    first = theme.read_text()
    assert ".bd-header" in first and ".bd-footer-article" not in first
    (site / "index.html").write_text('<div class="bd-header bd-footer-article"></div>')
    stylesheets.write_trimmed(site)
    assert ".bd-footer-article" in theme.read_text()


def test_a_missing_stylesheet_is_named(tmp_path):
    (tmp_path / "index.html").write_text("<p></p>")
    with pytest.raises(stylesheets.StylesheetError, match="pydata-sphinx-theme.css is missing from the built site"):
        stylesheets.write_trimmed(tmp_path)


def test_non_ascii_characters_are_written_as_escapes_as_in_the_original():
    result = stylesheets.trim('.bd-header:before{content:"\\f0c9"}a:after{content:"\u2014"}', USED)
    assert result == '.bd-header:before{content:"\\f0c9 "}a:after{content:"\\2014 "}\n'
    assert result.isascii()
