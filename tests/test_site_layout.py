"""What a reader sees on a phone and a desktop: no page scrolls sideways, no chart text is
cut off or clipped, no legend repeats, no table column is narrower than its words.

Chromium opens pages at 1400 px and at 390 px wide and runs ``layout_probe.js`` on each as
it arrives (charts drawn at build time, in the web font) and again once its charts are
made live (Vega). Both widths open the same sample, which covers every page
template: the pages ``page_skeleton`` opens (one per frame and element context, so every
kind of page and every kind of element), the profile with the longest economy name (its
chart legend and tables carry the longest label of all profiles), and every page with a
chart or a notebook table (their charts and tables are data, so each differs). The pages
left out share a template with an opened page and differ from it only in short text
(the other profiles, most dataset pages), which the opened pages show at its longest.
About 40 pages at each width, 0.5 s a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitrade.charts import markup
from aitrade.pages import profiles
from page_skeleton import pages_to_open
from support import PageWatch
from test_site import FONTS_READY, browser_pages, make_charts_live

pytestmark = pytest.mark.browser

PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")
WIDE, NARROW = 1400, 390
PROFILE_FOLDER = "book/country-profiles/"


def longest_name_profile() -> str:
    """The profile page of the economy with the longest name."""
    table = profiles.profile_table()
    slug = table.loc[table["name"].str.len().idxmax(), "slug"]
    return PROFILE_FOLDER + slug


def layout_pages(site_dir: Path) -> tuple[list[str], list[str]]:
    """(pages opened at 1400 px, pages opened at 390 px), as described in the module docstring."""
    pages = browser_pages()
    html = {page: (site_dir / f"{page}.html").read_text(encoding="utf-8") for page in pages}
    skeleton, _ = pages_to_open(html)
    representative = [*skeleton, longest_name_profile()]
    data_pages = [page for page in pages if not page.startswith(PROFILE_FOLDER)
                  and (markup.has_chart(html[page]) or "aitrade-table" in html[page])]
    sample = list(dict.fromkeys(representative + data_pages))
    return sample, sample


def problems_at(browser, site_url: str, pages: list[str], width: int) -> dict[str, list[str]]:
    """Each page with the layout problems the probe finds at ``width`` px."""
    watch = PageWatch(browser)
    watch.page.set_viewport_size({"width": width, "height": 900})
    found = {}
    try:
        for page in pages:
            watch.visit(f"{site_url}/{page}.html")
            watch.page.evaluate(FONTS_READY)
            problems = watch.page.evaluate(PROBE)
            if watch.page.locator(".aitrade-chart").count():
                make_charts_live(watch.page)
                problems += [f"live: {problem}" for problem in watch.page.evaluate(PROBE)]
            if problems:
                found[page] = problems
    finally:
        watch.close()
    return found


def report(found: dict[str, list[str]], width: int, opened: int) -> str:
    lines = [f"{len(found)} of {opened} pages at {width} px have layout problems:"]
    for page, problems in found.items():
        lines.append(f"{page}:\n  " + "\n  ".join(problems))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def pages_by_width(site_dir):
    return layout_pages(site_dir)


def test_pages_fit_a_desktop_screen_with_nothing_cut_off(browser, site_url, pages_by_width):
    wide, _ = pages_by_width
    found = problems_at(browser, site_url, wide, WIDE)
    assert not found, report(found, WIDE, len(wide))


def test_pages_fit_a_phone_screen_with_nothing_cut_off(browser, site_url, pages_by_width):
    _, narrow = pages_by_width
    found = problems_at(browser, site_url, narrow, NARROW)
    assert not found, report(found, NARROW, len(narrow))


def test_the_probe_finds_each_kind_of_defect(browser, site_url, tmp_path):
    """The probe fails on a page that has each defect (so its silence means something)."""
    watch = PageWatch(browser)
    watch.page.set_viewport_size({"width": NARROW, "height": 900})
    try:
        watch.page.set_content(
            "<main><div style='width:600px'>wide</div>"
            "<table><tr><td style='width:30px;word-break:break-all'>Preparedness</td></tr></table>"
            "<div class='aitrade-chart' id='c'><svg width='100' height='50'>"
            "<text x='0' y='20'>Office and telecom equi…</text><text x='80' y='40'>spills over the edge</text>"
            "<g class='role-legend'><g class='role-legend-label'><text>A</text></g></g>"
            "<g class='role-legend'><g class='role-legend-label'><text>A</text></g></g>"
            "</svg></div></main>")
        problems = "\n".join(watch.page.evaluate(PROBE))
    finally:
        watch.close()
    assert "the page scrolls sideways" in problems
    assert "narrower than its word \"Preparedness\"" in problems
    assert "text cut off with an ellipsis" in problems
    assert "text outside the drawing (clipped): \"spills over the edge\"" in problems
    assert "the same legend twice: A" in problems


def test_the_profile_index_fits_a_desktop_and_its_caption_follows_the_filter(browser, site_url):
    table = profiles.profile_table()
    region = "Sub-Saharan Africa"
    shown = int((table["region"] == region).sum())
    watch = PageWatch(browser)
    watch.page.set_viewport_size({"width": WIDE, "height": 900})
    watch.visit(f"{site_url}/{PROFILE_FOLDER}index.html")
    try:
        page = watch.page
        page.wait_for_selector("#country-profiles-filter:not([hidden])", timeout=10_000)
        # On a desktop the seven columns fit without scrolling (the table takes the
        # page's full content width).
        fits = page.eval_on_selector("#country-profiles-table",
                                     "table => table.parentElement.scrollWidth <= table.parentElement.clientWidth")
        assert fits
        caption = page.locator("#country-profiles-table caption")
        assert f"{len(table)} profiles" in caption.inner_text()
        page.select_option("#country-profiles-region", region)
        assert f"{shown} of {len(table)} profiles (filtered)" in caption.inner_text()
        assert f"{len(table)} profiles," not in caption.inner_text()
    finally:
        watch.close()


def test_one_search_box_and_the_chapter_found_before_the_profiles(browser, site_url):
    watch = PageWatch(browser, f"{site_url}/book/index.html")
    try:
        page = watch.page
        visible_fields = page.locator("input[name='q']:visible, .search-button-field:visible, "
                                      "button.search-button:visible")
        assert visible_fields.count() == 1, visible_fields.count()
        page.goto(f"{site_url}/search.html?q=ITA")
        page.wait_for_function(
            "(document.querySelector('#search-results .search-summary') || {}).textContent?.includes('found')",
            timeout=20_000)
        links = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
        profiles_found = [index for index, link in enumerate(links) if "/country-profiles/" in link
                          and not link.split("?")[0].endswith("/country-profiles/index.html")]
        chapters = [index for index, link in enumerate(links) if "/04-wto-role/ita-" in link]
        assert len(profiles_found) > 100 and chapters, (len(profiles_found), links[:10])
        assert max(chapters) < min(profiles_found), links[:10]
    finally:
        watch.close()
