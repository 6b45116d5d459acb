"""The book builds from scratch with warnings as errors and nitpicky references."""

from __future__ import annotations

import re

import nbformat
import pytest

from aitrade.data import PROJECT_DIR
from aitrade.notebooks import book_notebooks

pytestmark = pytest.mark.build


def test_book_builds_with_no_warning(book_build):
    log = book_build["log"]
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert book_build["returncode"] == 0, "jupyter-book build failed:\n" + log[-6000:]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)


def test_every_page_of_the_toc_is_built(site_dir, toc_pages):
    missing = [page for page in toc_pages if not (site_dir / f"{page}.html").is_file()]
    assert not missing, f"pages listed in _toc.yml but not built: {missing}"


@pytest.mark.parametrize("notebook", book_notebooks(), ids=lambda path: path.name)
def test_every_glued_number_reaches_its_page(site_dir, notebook):
    prose = " ".join(
        cell.source for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "markdown"
    )
    roles = re.findall(r"\{glue:text\}`[^`]+`", prose)
    figures = re.findall(r"\{glue:figure\}", prose)
    page = site_dir / notebook.relative_to(PROJECT_DIR).with_suffix(".html")
    html = page.read_text()
    pasted = re.findall(r'<span class="pasted-text">([^<]*)</span>', html)
    assert len(pasted) == len(roles), (len(pasted), len(roles))
    assert all(value.strip() for value in pasted)
    assert html.count('class="aitrade-chart"') == len(figures)


def test_cloud_spend_page_states_the_inconsistent_totals(site_dir):
    html = (site_dir / "book/02-why-ai-is-a-trade-issue/cloud-spend.html").read_text()
    assert "China prints 2,307 against a sum of 2,306" in html
    assert "United States prints 62,698 against a sum of 62,697" in html


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
