"""The book follows the report's outline, and its numbering is the same everywhere a reader
sees it: the sidebar, page titles, previous/next links and the introduction's chapter list."""

from __future__ import annotations

import html
import re

import nbformat
import pytest
import yaml

from aitrade.paths import PROJECT_DIR

# The WTO Secretariat's report: its chapters and, under three of them, its sections.
REPORT_OUTLINE = [
    ("Introduction", []),
    ("Why is AI a trade issue?", ["A brief history of AI", "How does AI affect international trade?"]),
    ("Policy considerations for AI and trade", [
        "The widening AI divide",
        "Ensuring trustworthy AI without hindering trade",
        "Domestic, regional and international AI governance initiatives and fragmentation risks",
    ]),
    ("What role can the WTO play?", [
        "Promoting global convergence",
        "Facilitating trade in AI-related goods and services",
    ]),
    ("Conclusion", []),
]


def numbered_chapters() -> list[dict]:
    """The chapters of the numbered part of _toc.yml."""
    toc = yaml.safe_load((PROJECT_DIR / "_toc.yml").read_text())
    numbered = [part for part in toc["parts"] if part.get("numbered")]
    assert len(numbered) == 1, "_toc.yml: exactly one numbered part holds the chapters"
    return numbered[0]["chapters"]


def source_of(page: str):
    """The source file of a page named in _toc.yml."""
    for suffix in (".md", ".ipynb"):
        path = PROJECT_DIR / (page + suffix)
        if path.is_file():
            return path
    raise AssertionError(f"_toc.yml names {page}, which has no .md or .ipynb file")


def title_of(page: str) -> str:
    """The first level-one heading of a page."""
    path = source_of(page)
    if path.suffix == ".ipynb":
        text = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells
                         if cell.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, re.M)
    assert match, f"{path.relative_to(PROJECT_DIR)} has no '# ' title"
    return match.group(1).strip()


def expected_numbers() -> dict[str, str]:
    """Each numbered page and the number the outline gives it (1, 2, 2.1, 2.1.3 ...)."""
    numbers: dict[str, str] = {}

    def walk(entries, prefix):
        for position, entry in enumerate(entries, start=1):
            number = f"{prefix}{position}"
            numbers[entry["file"]] = number
            walk(entry.get("sections", []), number + ".")

    walk(numbered_chapters(), "")
    return numbers


def test_the_chapters_and_sections_follow_the_report_outline():
    chapters = numbered_chapters()
    assert [title_of(chapter["file"]) for chapter in chapters] == [title for title, _ in REPORT_OUTLINE]
    for chapter, (title, sections) in zip(chapters, REPORT_OUTLINE):
        found = [title_of(section["file"]) for section in chapter.get("sections", [])]
        assert len(found) == len(sections), f"{title}: sections {found}"
        for heading, wanted in zip(found, sections):
            assert heading.lower().startswith(wanted.lower()), f"{title}: '{heading}' is not '{wanted}'"


def plain(fragment: str) -> str:
    """Text of an HTML fragment, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


@pytest.fixture(scope="module")
def numbers():
    return expected_numbers()


def page_html(site_dir, page: str) -> str:
    return (site_dir / (page + ".html")).read_text(encoding="utf-8")


def test_page_titles_carry_the_outline_number(site_dir, numbers):
    wrong = {}
    for page, number in numbers.items():
        article = page_html(site_dir, page).split("<article", 1)[-1]
        title = re.search(r"<h1>(.*?)</h1>", article, re.S)
        shown = re.match(r"([\d.]+)\. ", plain(title.group(1))) if title else None
        if not shown or shown.group(1) != number:
            wrong[page] = (number, plain(title.group(1)) if title else None)
    assert wrong == {}


def test_the_sidebar_numbers_every_page_as_the_outline_does(site_dir, numbers):
    sidebar = page_html(site_dir, "book/index")
    links = {"book/" + href: text for href, text in re.findall(
        r'<a class="reference internal" href="([^"#]+)\.html">(.*?)</a>', sidebar, re.S)}
    wrong = {}
    for page, number in numbers.items():
        text = plain(links.get(page, ""))
        if page == "book/index" or not text:
            continue
        if not text.startswith(number + ". "):
            wrong[page] = (number, text)
    missing = [page for page in numbers if page not in links]
    assert (wrong, missing) == ({}, [])


def test_previous_and_next_links_show_the_number_of_the_page_they_lead_to(site_dir, numbers):
    order = list(numbers)
    wrong = []
    for here, following in zip(order, order[1:]):
        titles = [plain(title) for title in re.findall(
            r'<p class="prev-next-title">(.*?)</p>', page_html(site_dir, here), re.S)]
        if not any(title.startswith(numbers[following] + ". ") for title in titles):
            wrong.append((here, following, titles))
    assert wrong == []


def test_the_introduction_lists_each_chapter_under_its_number(site_dir, numbers):
    intro = page_html(site_dir, "book/01-introduction")
    listed = re.findall(r'Chapter (\d+)</span></a>, <a [^>]*><span class="doc">(.*?)</span>', intro)
    chapters = {title_of(chapter["file"]): numbers[chapter["file"]] for chapter in numbered_chapters()[1:]}
    assert {plain(title): number for number, title in listed} == chapters
