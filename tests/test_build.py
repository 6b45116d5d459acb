"""The book builds from scratch with warnings as errors and nitpicky references."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.build


def test_book_builds_with_no_warning(book_build):
    log = book_build["log"]
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert book_build["returncode"] == 0, "jupyter-book build failed:\n" + log[-6000:]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)


def test_every_page_of_the_toc_is_built(site_dir, toc_pages):
    missing = [page for page in toc_pages if not (site_dir / f"{page}.html").is_file()]
    assert not missing, f"pages listed in _toc.yml but not built: {missing}"


def test_glued_numbers_reach_the_cloud_spend_page(site_dir):
    html = (site_dir / "book/02-why-ai-is-a-trade-issue/cloud-spend.html").read_text()
    pasted = re.findall(r'<span class="pasted-text">([^<]*)</span>', html)
    # Every {glue:text} in the page's prose was resolved to a value.
    assert len(pasted) >= 20, pasted
    assert "China prints 2,307 against a sum of 2,306" in html
    assert html.count('class="aitrade-chart"') == 2


def test_pages_without_charts_load_no_vega(site_dir, toc_pages):
    for page in toc_pages:
        html = (site_dir / f"{page}.html").read_text()
        has_chart = 'class="aitrade-chart"' in html
        loads_vega = "aitrade-charts/vega.min.js" in html
        assert has_chart == loads_vega, f"{page}: chart={has_chart}, vega loaded={loads_vega}"


def test_no_page_references_another_host_in_scripts_or_styles(site_dir):
    remote = r'"(?:https?:)?//[^"]+"'
    loading_tags = [
        rf"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc={remote}[^>]*>",
        rf"<link\b[^>]*\brel=\"(?:stylesheet|preload|modulepreload|icon|shortcut icon)\"[^>]*\bhref={remote}[^>]*>",
        rf"<link\b[^>]*\bhref={remote}[^>]*\brel=\"(?:stylesheet|preload|modulepreload|icon|shortcut icon)\"[^>]*>",
    ]
    offending = {}
    for path in site_dir.rglob("*.html"):
        html = path.read_text()
        tags = [tag for pattern in loading_tags for tag in re.findall(pattern, html)]
        if tags:
            offending[str(path.relative_to(site_dir))] = tags
    assert not offending, offending
