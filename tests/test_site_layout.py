"""What a reader sees on a phone: no page scrolls sideways, no chart text is cut off or
clipped, no legend repeats, no table column is narrower than its words.

Chromium opens the pages of ``test_site.pages_to_check`` (every page template, the
profile with the longest economy name, and every page with a chart or a notebook table)
at 390 px wide and runs ``layout_probe.js`` on each as it arrives (charts drawn at build
time, in the web font) and again once its charts are made live (Vega). The same pages at
1400 px are checked by the every-page test in ``test_site.py``, in the same page load as
axe. About 55 pages, 0.5 s a page. The other tests here: the probe finds each kind of
defect, the profile index fits a desktop, and one search box finds chapters before
profiles.
"""

from __future__ import annotations

import pytest

from aitrade.pages import profiles
from support import PageWatch
from test_site import FONTS_READY, PROBE, PROFILE_FOLDER, WIDE, layout_problems, make_charts_live, pages_to_check

pytestmark = pytest.mark.browser

NARROW = 390


def problems_at(browser, site_url: str, pages: list[str], width: int) -> dict[str, list[str]]:
    """Each page with the layout problems the probe finds at ``width`` px."""
    watch = PageWatch(browser)
    watch.page.set_viewport_size({"width": width, "height": 900})
    found = {}
    try:
        for page in pages:
            watch.visit(f"{site_url}/{page}.html")
            watch.page.evaluate(FONTS_READY)
            problems = layout_problems(watch.page)
            if watch.page.locator(".aitrade-chart").count():
                make_charts_live(watch.page)
                problems += layout_problems(watch.page, "live: ")
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


def test_pages_fit_a_phone_screen_with_nothing_cut_off(browser, site_url, site_dir):
    pages, _ = pages_to_check(site_dir)
    found = problems_at(browser, site_url, pages, NARROW)
    assert not found, report(found, NARROW, len(pages))


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
