"""Browser tests on the built site: Playwright drives Debian's Chromium, offline.

Every page of the book is served from 127.0.0.1 and must load with no console error,
no failed or remote request, no axe violation of any impact (axe-core 4.12.1, as
bundled with the pinned axe-playwright-python), and nothing the layout probe
(``layout_probe.js``) finds at a desktop width: no sideways scrolling, no chart text cut
off or clipped, no repeated legend, no table column narrower than its words. One page
load serves all of these checks. Pages that differ from opened pages only in data (most
country profiles and dataset pages) are not opened again: ``page_skeleton`` says how
markup is told apart from data; the profile with the longest economy name and every page
with a chart or a notebook table are opened too, since their charts and tables are data
that the layout depends on (:func:`pages_to_check`). Charts arrive drawn as inline SVG
(build time); each page is checked as it arrives and again with its charts made live
(focused, which loads Vega). The cloud-spend page must show its charts drawn with no
Vega loaded, load Vega and show a tooltip on hover, and offer the CSV of each chart's
data; the search box must find pages offline. ``test_site_layout.py`` opens the same
pages at a phone's width.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from aitrade import paths
from aitrade.charts import data_files, markup
from aitrade.pages import profiles
from support import PageWatch, pages_in_toc
from page_skeleton import pages_to_open

pytestmark = pytest.mark.browser

CHART_PAGE = "book/02-why-ai-is-a-trade-issue/cloud-spend"
# Pages Sphinx adds besides those of the table of contents.
EXTRA_PAGES = ["genindex", "search"]
ALL_CHARTS_DRAWN = (
    "[...document.querySelectorAll('.aitrade-chart')]"
    ".every(chart => chart.classList.contains('aitrade-chart--drawn'))"
)
# Charts arrive drawn (inline SVG); focusing a chart, as a keyboard reader does, or
# pointing at it loads Vega and draws it live.
MAKE_CHARTS_LIVE = "document.querySelectorAll('.aitrade-chart__canvas').forEach(canvas => canvas.focus())"
FONTS_READY = "document.fonts.ready.then(() => true)"
# Axe with every rule, at every impact; only violations are collected (faster). No
# preload: axe would fetch the stylesheets itself and resolve the theme's CSS @import
# against the page's address, 404s that are axe's, not the page's.
AXE_RUN = "axe.run(document, {resultTypes: ['violations'], preload: false})"
AXE_RUN_ON_CHARTS = ("axe.run({include: [...document.querySelectorAll('.aitrade-chart')]}, "
                     "{resultTypes: ['violations'], preload: false})")


# The layout probe, and the desktop width every page is opened at (test_site_layout.py
# opens them at a phone's width).
PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")
WIDE = 1400
PROFILE_FOLDER = "book/country-profiles/"


def browser_pages() -> list[str]:
    """Every page of the site: the table of contents, the country profiles, Sphinx's own."""
    folder = paths.site_path(paths.PROFILE_PAGES_DIR)
    profile_pages = [f"{folder}/{path.stem}" for path in sorted(paths.PROFILE_PAGES_DIR.glob("*.md"))]
    return list(dict.fromkeys(pages_in_toc() + profile_pages + EXTRA_PAGES))


def longest_name_profile() -> str:
    """The profile page of the economy with the longest name (its chart legend and
    tables carry the longest label of all profiles)."""
    table = profiles.profile_table()
    slug = table.loc[table["name"].str.len().idxmax(), "slug"]
    return PROFILE_FOLDER + slug


def pages_to_check(site_dir: Path) -> tuple[list[str], dict[str, list[str]]]:
    """The pages the browser opens, and the pages that share each frame (page_skeleton):
    those ``page_skeleton`` opens (one per frame and element context, so every kind of
    page and of element), the profile with the longest economy name, and every page with
    a chart or a notebook table, whose charts and tables are data the layout depends on.
    The pages left out share a template with an opened page and differ from it only in
    short text (the other profiles, most dataset pages)."""
    pages = browser_pages()
    html = {page: (site_dir / f"{page}.html").read_text(encoding="utf-8") for page in pages}
    skeleton, groups = pages_to_open(html)
    data_pages = [page for page in pages if not page.startswith(PROFILE_FOLDER)
                  and (markup.has_chart(html[page]) or "aitrade-table" in html[page])]
    return list(dict.fromkeys([*skeleton, longest_name_profile(), *data_pages])), groups


def layout_problems(page, when: str = "") -> list[str]:
    """What the layout probe finds on the page as it is now."""
    return [f"{when}{problem}" for problem in page.evaluate(PROBE)]


def make_charts_live(page) -> None:
    """Focus every chart of the page (which loads Vega) and wait until each is drawn live."""
    page.evaluate(MAKE_CHARTS_LIVE)
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=15_000)


def axe_problems(results: dict, when: str = "") -> list[str]:
    return [f"axe {violation['id']} ({violation['impact']}){when}: {violation['help']} "
            f"- {[node['target'] for node in violation['nodes']][:5]}"
            for violation in results["violations"]]


def page_problems(watch: PageWatch, url: str) -> list[str]:
    """Open ``url``; check it as it arrives (charts drawn at build time, in the web font),
    then its charts again once live; return console errors, remote requests, axe
    violations and layout problems."""
    watch.visit(url)
    watch.page.evaluate(FONTS_READY)
    problems = axe_problems(watch.page.evaluate(AXE_RUN)) + layout_problems(watch.page)
    if watch.page.locator(".aitrade-chart").count():
        make_charts_live(watch.page)
        problems += axe_problems(watch.page.evaluate(AXE_RUN_ON_CHARTS), " in a live chart")
        problems += layout_problems(watch.page, "live: ")
    return watch.errors + [f"request to another host: {url}" for url in watch.remote] + problems


def test_every_page_loads_offline_cleanly_accessibly_and_fits_a_desktop(browser, site_url, site_dir):
    """One tab, 1400 px wide, opens the pages of :func:`pages_to_check`: about 55 of 265
    pages, about 1.5 s a page, most of it axe. Two tabs or two browsers side by side
    measured no faster on 2 cores."""
    opened, groups = pages_to_check(site_dir)
    watch = PageWatch(browser, init_script=Axe().axe_script)
    watch.page.set_viewport_size({"width": WIDE, "height": 900})
    try:
        checked = {page: page_problems(watch, f"{site_url}/{page}.html") for page in opened}
    finally:
        watch.close()
    problems = {page: found for page, found in checked.items() if found}
    frame_of = {page: members for members in groups.values() for page in members}
    report = "\n".join(
        f"{page} (its frame is shared by {len(frame_of[page])} pages):\n  " + "\n  ".join(found)
        for page, found in problems.items()
    )
    assert not problems, f"{len(problems)} of {len(opened)} opened pages at {WIDE} px have problems:\n{report}"


def test_root_redirects_to_the_handbook(browser, site_url):
    watch = PageWatch(browser, f"{site_url}/index.html")
    try:
        watch.page.wait_for_url("**/book/index.html", timeout=5_000)
        assert not watch.errors and not watch.remote
    finally:
        watch.close()


def test_charts_arrive_drawn_and_hovering_loads_vega_and_shows_a_tooltip(browser, site_url):
    watch = PageWatch(browser, f"{site_url}/{CHART_PAGE}.html")
    try:
        page = watch.page
        charts = page.locator(".aitrade-chart")
        assert charts.count() == 2
        for index in range(2):
            chart = charts.nth(index)
            drawn = chart.locator("svg.aitrade-chart__drawing--wide")
            assert drawn.is_visible() and not chart.locator("svg.aitrade-chart__drawing--narrow").is_visible()
            label = drawn.get_attribute("aria-label") or ""
            assert label.startswith(("Horizontal stacked bar chart", "Stacked bar chart")), label
            assert chart.locator(".aitrade-chart__fallback").count() == 0
            assert "Licence:" in chart.locator(".aitrade-chart__source").inner_text()
        assert not [url for url in watch.requested if "vega" in url], "Vega loaded before any interaction"
        charts.first.locator(".aitrade-chart__canvas").hover()
        page.wait_for_function("document.querySelector('.aitrade-chart').classList.contains('aitrade-chart--drawn')",
                               timeout=15_000)
        assert any(url.endswith("vega.min.js") or "vega.min.js?" in url for url in watch.requested)
        live = charts.first.locator(".aitrade-chart__canvas svg")
        assert live.count() == 1 and not charts.first.locator("svg.aitrade-chart__drawing--wide").count()
        assert (live.get_attribute("aria-label") or "").startswith(("Horizontal stacked bar chart", "Stacked bar chart"))
        bar = charts.first.locator('path[role="graphics-symbol"]').first
        bar.hover()
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=5_000)
        text = tooltip.inner_text()
        assert "Spending (million US$)" in text and "Economy" in text, text
        # The other chart stays as drawn until a reader reaches it.
        assert charts.nth(1).locator("svg.aitrade-chart__drawing--wide").is_visible()
        assert not watch.errors and not watch.remote
    finally:
        watch.close()


def test_a_chart_csv_downloads_with_exactly_the_charted_rows(browser, site_url, tmp_path):
    watch = PageWatch(browser, f"{site_url}/{CHART_PAGE}.html")
    try:
        chart = watch.page.locator(".aitrade-chart").first
        spec = json.loads(chart.locator("script.aitrade-chart__spec").text_content())
        (rows,) = spec["datasets"].values()
        with watch.page.expect_download() as download_info:
            chart.get_by_role("link", name="CSV").click()
        download = download_info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        # Named after the page and the figure number the page shows (Figure 2.N -> fig-2-N).
        shown = re.search(r"Fig(?:ure|\.) (\d+)\.(\d+)", watch.page.locator("figcaption").first.inner_text())
        stem = f"cloud-spend-fig-{shown.group(1)}-{shown.group(2)}"
        assert saved.name == f"{stem}.csv"
        assert saved.read_bytes().decode("utf-8") == data_files.csv_files(spec, stem)[saved.name]
        with saved.open(newline="", encoding="utf-8") as handle:
            downloaded = list(csv.DictReader(handle))
        assert len(downloaded) == len(rows) and all(downloaded)
        dataset_link = chart.locator(".aitrade-chart__data a").last
        dataset_link.click()
        watch.page.wait_for_url("**/appendix/datasets/idc-public-cloud-spend-2016.html")
        assert "Licence" in watch.page.locator("main").inner_text()
        assert not watch.errors and not watch.remote
    finally:
        watch.close()


def bootstrap_requested(watch: PageWatch) -> bool:
    return any("scripts/bootstrap.js" in url for url in watch.requested)


def test_the_theme_bootstrap_loads_only_when_a_reader_uses_what_needs_it(browser, site_url):
    """The theme's Bootstrap bundle does not load with a page (aitrade-bootstrap.js loads
    it on demand): the download menu opens on the first click, a header button shows its
    tooltip on the first hover, and the back-to-top button shows as soon as a reader
    scrolls back up (below 1200 px wide, where the theme shows it)."""
    watch = PageWatch(browser, f"{site_url}/{CHART_PAGE}.html")
    try:
        page = watch.page
        page.wait_for_load_state("networkidle")
        assert not bootstrap_requested(watch), "Bootstrap loaded with the page"
        page.locator(".dropdown-download-buttons button.dropdown-toggle").click()
        page.locator(".dropdown-download-buttons .dropdown-menu.show").wait_for(timeout=5_000)
        assert bootstrap_requested(watch)
        page.keyboard.press("Escape")
        page.locator(".dropdown-download-buttons .dropdown-menu.show").wait_for(state="detached", timeout=5_000)

        watch.visit(f"{site_url}/{CHART_PAGE}.html")
        page.wait_for_load_state("networkidle")
        button = page.locator('.bd-header [data-bs-toggle="tooltip"]').first
        name = button.get_attribute("aria-label")
        button.hover()
        page.locator(".tooltip.show").wait_for(timeout=5_000)
        assert page.locator(".tooltip.show").inner_text() == name

        page.set_viewport_size({"width": 800, "height": 900})
        watch.visit(f"{site_url}/{CHART_PAGE}.html")
        page.wait_for_load_state("networkidle")
        for _ in range(6):
            page.mouse.wheel(0, 400)
            page.wait_for_timeout(50)
        assert not bootstrap_requested(watch) and not page.locator("#pst-back-to-top").is_visible()
        page.mouse.wheel(0, -100)
        page.locator("#pst-back-to-top").wait_for(state="visible", timeout=5_000)
        page.mouse.wheel(0, -100)
        page.wait_for_timeout(300)
        assert page.locator("#pst-back-to-top").is_visible()
        assert not watch.errors and not watch.remote
    finally:
        watch.close()


def test_search_works_offline_from_the_search_box(browser, site_url):
    watch = PageWatch(browser, f"{site_url}/book/index.html")
    try:
        page = watch.page
        page.keyboard.press("Control+k")
        field = page.locator("#pst-search-dialog input[name='q']")
        field.fill("moratorium")
        field.press("Enter")
        page.wait_for_url("**/search.html?q=moratorium*")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=10_000)
        titles = results.all_inner_texts()
        assert any("moratorium" in title.lower() for title in titles), titles
        assert not watch.errors and not watch.remote
    finally:
        watch.close()
