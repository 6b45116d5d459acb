"""Browser tests of the country profiles: pages load cleanly, charts draw, the index filters.

Playwright drives Debian's Chromium over the built site (fixtures in conftest.py). The
profile pages are checked for console errors and axe violations in test_site.py, one per
template (see page_skeleton.py); here axe runs again on the index after filtering, and
on two profiles, one with a chart and the EU's, after their checks.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from aitrade.pages import profiles
from support import PageWatch

pytestmark = pytest.mark.browser

FOLDER = "book/country-profiles"
CHART_PROFILE = "ken"  # an economy with internet data, so with a chart
NO_CHART_PROFILE = "eu"  # the EU: no internet-use value in this WDI vintage


def axe_problems(watch: PageWatch) -> list[str]:
    """Every axe violation, of any impact, as readable lines."""
    results = Axe().run(watch.page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"- {[node['target'] for node in violation['nodes']][:5]}"
        for violation in results.response["violations"]
    ]


def assert_clean_and_accessible(watch: PageWatch) -> None:
    """No console error, no request to another host, no axe violation in the page's current state."""
    assert not watch.remote, f"requests to other hosts: {watch.remote}"
    assert not watch.errors, "\n".join(watch.errors)
    problems = axe_problems(watch)
    assert not problems, "axe violations:\n" + "\n".join(problems)


def test_profile_page_draws_its_chart_and_shows_its_facts(browser, site_url):
    watch = PageWatch(browser, f"{site_url}/{FOLDER}/{CHART_PROFILE}.html")
    try:
        page = watch.page
        # The chart arrives drawn at build time: its wide drawing shows with no script run.
        drawn = page.locator(".aitrade-chart svg.aitrade-chart__drawing--wide")
        assert page.locator(".aitrade-chart").count() == 1 and drawn.is_visible()
        label = drawn.get_attribute("aria-label") or ""
        assert label.startswith("Line chart"), label
        facts = page.locator(".profile-indicators table")
        assert facts.count() == 1
        assert facts.locator("tbody tr").count() == len(profiles.indicators.INDICATORS)
        assert "AI Preparedness Index" in facts.inner_text()
        assert page.locator(".profile-wto table tbody tr").count() == 6
        assert_clean_and_accessible(watch)
    finally:
        watch.close()


def test_eu_page_loads_cleanly_and_accessibly(browser, site_url):
    watch = PageWatch(browser, f"{site_url}/{FOLDER}/{NO_CHART_PROFILE}.html")
    try:
        assert watch.page.locator(".aitrade-chart").count() == 0
        assert "not ranked" in watch.page.locator(".profile-indicators table").inner_text()
        assert_clean_and_accessible(watch)
    finally:
        watch.close()


def visible_rows(page) -> int:
    return page.locator("#country-profiles-table tbody tr:visible").count()


def test_index_filters_by_region_and_income_group(browser, site_url):
    table = profiles.profile_table()
    total = len(table)
    region = "Sub-Saharan Africa"
    income = "Low income"
    in_region = int((table["region"] == region).sum())
    in_both = int(((table["region"] == region) & (table["income_group"] == income)).sum())
    assert 0 < in_both < in_region < total
    watch = PageWatch(browser, f"{site_url}/{FOLDER}/index.html")
    try:
        page = watch.page
        count = page.locator("#country-profiles-count")
        page.wait_for_selector("#country-profiles-filter:not([hidden])", timeout=10_000)
        assert visible_rows(page) == total
        assert count.inner_text() == f"Showing {total} of {total} economies"
        assert count.get_attribute("aria-live") == "polite"

        page.select_option("#country-profiles-region", region)
        assert visible_rows(page) == in_region
        assert count.inner_text() == f"Showing {in_region} of {total} economies"
        regions = page.eval_on_selector_all(
            "#country-profiles-table tbody tr:not([hidden])", "rows => rows.map(row => row.dataset.region)")
        assert set(regions) == {region}

        page.select_option("#country-profiles-income", income)
        assert visible_rows(page) == in_both
        assert count.inner_text() == f"Showing {in_both} of {total} economies"

        page.click("#country-profiles-reset")
        assert visible_rows(page) == total
        assert count.inner_text() == f"Showing {total} of {total} economies"
        assert page.input_value("#country-profiles-region") == ""

        # Every economy link leads to a page of the build.
        hrefs = page.eval_on_selector_all("#country-profiles-table a", "links => links.map(a => a.href)")
        assert len(hrefs) == total
        assert any(url.endswith("/_static/country-profiles/filter.js") for url in watch.requested)
        assert_clean_and_accessible(watch)
    finally:
        watch.close()


def test_index_links_resolve(site_dir):
    index = (site_dir / FOLDER / "index.html").read_text(encoding="utf-8")
    for slug in profiles.profile_table()["slug"]:
        assert f'href="{slug}.html"' in index
        assert (site_dir / FOLDER / f"{slug}.html").is_file(), slug
    assert (site_dir / "_static" / "country-profiles" / "filter.js").is_file()
