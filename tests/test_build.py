"""The book builds from scratch with warnings as errors and nitpicky references."""

from __future__ import annotations

import html
import re
from collections import Counter

import nbformat
import pytest

from aitrade import charts, tables
from aitrade.charts import data_files, drawing, markup
from aitrade.notebooks import book_notebooks
from aitrade.paths import PROJECT_DIR
from aitrade.site import chart_font, icon_font, stylesheets

pytestmark = pytest.mark.build


def test_book_builds_with_no_warning(book_build):
    log = book_build["log"]
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert book_build["returncode"] == 0, "jupyter-book build failed:\n" + log[-6000:]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)
    assert "jupyter-cache" not in log  # the build executes nothing, so it uses no cache


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
    assert html.count(markup.CHART_MARKER) == len(figures)


def test_cloud_spend_page_states_the_inconsistent_totals(site_dir):
    html = (site_dir / "book/02-why-ai-is-a-trade-issue/cloud-spend.html").read_text()
    assert "China prints 2,307 against a sum of 2,306" in html
    assert "United States prints 62,698 against a sum of 62,697" in html


EAGER_VEGA = re.compile(r"<script\b[^>]*\bsrc=\"[^\"]*vega[^\"]*\"")
DRAWING = re.compile(rf'<svg xmlns="http://www.w3.org/2000/svg" class="{drawing.DRAWING_CLASS} '
                     rf'{drawing.DRAWING_CLASS}--(?P<variant>\w+)" width="[\d.]+" height="[\d.]+" viewBox="[^"]+" '
                     r'style="min-width:\d+px" role="img" aria-label="(?P<label>[^"]+)">')


def test_chart_pages_inline_each_chart_as_svg_and_load_no_vega_eagerly(site_dir):
    """Every chart arrives drawn: a wide and a narrow inline SVG named by its description
    in place of the text stand-in; no page loads Vega with a script tag (the loader on
    chart pages fetches it on interaction), and only chart pages load the loader."""
    charts_seen = 0
    for path in built_pages(site_dir):
        page, page_html = path.relative_to(site_dir), path.read_text()
        assert not EAGER_VEGA.search(page_html), f"{page}: loads Vega eagerly"
        has_chart = markup.has_chart(page_html)
        assert has_chart == ("aitrade-charts/aitrade-charts.js" in page_html), page
        assert has_chart == ("aitrade-charts/aitrade-charts.css" in page_html), page
        for block in markup.chart_blocks(page_html):
            charts_seen += 1
            canvas = block.html.split(f'class="{markup.CANVAS_CLASS}"', 1)[1].split(f'class="{markup.SOURCE_CLASS}"')[0]
            found = [(match["variant"], html.unescape(match["label"])) for match in DRAWING.finditer(canvas)]
            assert found == [(variant, block.spec["description"]) for variant in drawing.WIDTHS], (page, block.chart_id)
            assert canvas.count("<svg") == len(drawing.WIDTHS) and markup.FALLBACK_CLASS not in canvas
    assert charts_seen > 100


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


def built_pages(site_dir):
    """Every HTML page of the site but the redirecting root and the theme's static files."""
    return [
        path for path in sorted(site_dir.rglob("*.html"))
        if not path.relative_to(site_dir).parts[0].startswith("_") and path != site_dir / "index.html"
    ]


def test_every_page_has_one_meta_description(site_dir):
    for path in built_pages(site_dir):
        tags = re.findall(r'<meta[^>]*name="description"[^>]*>', path.read_text())
        assert len(tags) == 1, f"{path.relative_to(site_dir)}: {tags}"
        content = re.search(r'content="([^"]*)"', tags[0]).group(1)
        assert len(content) >= 40, f"{path.relative_to(site_dir)}: description too short: {content!r}"


def test_no_page_loads_the_icon_script_and_only_search_loads_the_index(site_dir):
    for path in built_pages(site_dir):
        html = path.read_text()
        assert "fontawesome.js" not in html, path
        loads_index = 'src="searchindex.js"' in html or "/searchindex.js" in html
        assert loads_index == (path.name == "search.html"), path


def test_the_icon_font_keeps_a_glyph_for_every_icon_the_site_shows(site_dir):
    """With the icon script gone, icons come from the subset web font: none may be lost."""
    from fontTools.ttLib import TTFont

    used = icon_font.used_icons(built_pages(site_dir))
    assert {"fa-bars", "fa-magnifying-glass", "fa-list"} <= used, used
    needed = icon_font.needed_codepoints(site_dir)
    kept = set(TTFont(site_dir / icon_font.SITE_FONT).getBestCmap())
    original = set(TTFont(icon_font.THEME_FONT).getBestCmap())
    assert needed & original <= kept, sorted(hex(code) for code in (needed & original) - kept)
    assert len(kept) < len(original) / 10


def figure_number(page_html: str, position: int) -> str | None:
    """The number ("6.1") of the numbered figure open at ``position``, if any."""
    figure = data_files.enclosing_figure(page_html, position)
    if figure is None:
        return None
    caption = re.search(rf'id="{re.escape(figure)}".*?<span class="caption-number">Fig\. ([\d.]+) </span>',
                        page_html, re.S)
    return caption.group(1) if caption else None


def test_every_chart_links_the_csv_of_its_data_and_its_dataset_pages(site_dir):
    """The CSV is named after the page and the figure number the page prints
    (ita-trade-fig-6-1.csv), or the chart's rank outside figures (usa-chart-1.csv), and
    holds what data_files writes for the chart's spec; no two charts share a file."""
    charts_seen, names = 0, Counter()
    for path in built_pages(site_dir):
        page_html = path.read_text()
        unnumbered = 0
        for match in markup.CHART_BLOCK.finditer(page_html):
            block = markup.block_of(match)
            charts_seen += 1
            chart_id, spec = block.chart_id, block.spec
            line = re.search(rf'<p class="{markup.DATA_CLASS}">(.*?)</p>', block.html, re.S)
            assert line, f"{path.name}: chart {chart_id} has no data line"
            links = re.findall(r'href="([^"]+)"', line.group(1))
            number = figure_number(page_html, match.start())
            unnumbered += number is None
            stem = f"{path.stem}-fig-{number.replace('.', '-')}" if number else f"{path.stem}-chart-{unnumbered}"
            expected = data_files.csv_files(spec, stem)
            csv_links = [link for link in links if link.endswith(".csv")]
            assert [link.rsplit("/", 1)[1] for link in csv_links] == list(expected), path.name
            names.update(list(expected))
            for link in links:
                target = (path.parent / link).resolve()
                assert target.is_file(), f"{path.name}: broken link {link}"
                if link.endswith(".csv"):
                    assert target.read_bytes().decode("utf-8") == expected[target.name]
            datasets = spec["usermeta"]["aitrade"]["datasets"]
            assert len(links) == len(csv_links) + len(datasets)
    assert not [name for name, count in names.items() if count > 1], "CSV files shared by two charts"
    figures = sum(
        cell.source.count("{glue:figure}")
        for notebook in book_notebooks()
        for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "markdown"
    )
    assert charts_seen >= figures > 0


HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
TAG = re.compile(r"<[^>]+>")


def test_no_table_header_is_a_raw_field_name(site_dir):
    """A heading such as "wto_members" or "date" is a column name, not a heading; tables
    from aitrade.tables get one from tables.human_name."""
    raw = {}
    for path in built_pages(site_dir):
        for table in re.findall(r"<table\b.*?</table>", path.read_text(), re.S):
            headers = [html.unescape(TAG.sub("", cell)).strip() for cell in HEADER_CELL.findall(table)]
            found = [header for header in headers if tables.RAW_NAME.match(header)]
            if found:
                raw.setdefault(str(path.relative_to(site_dir)), []).extend(found)
    assert not raw, raw


# A year printed with a thousands separator: 1,995 or 2,018 (1,500 to 2,099).
SEPARATED_YEAR = r"(?:1,[5-9]\d\d|2,0\d\d)"
YEAR_IN_PROSE = re.compile(
    rf"\b(?:in|since|from|until|to|by|between|and|year|years|of|mid|end|early|late)\s+{SEPARATED_YEAR}\b"
    r"(?!\s*(?:billion|million|thousand|bn|%|per|US|agreements|economies|members|participants|"
    r"entries|initiatives|notifications|follow-up|points|MW))", re.I)


def year_columns(table: str) -> list[int]:
    """Positions of the header cells that say "year"."""
    headers = [TAG.sub("", cell) for cell in HEADER_CELL.findall(table.split("</thead>")[0])]
    return [index for index, header in enumerate(headers) if re.search(r"\byears?\b", header, re.I)]


def test_no_year_is_printed_with_a_thousands_separator(site_dir):
    """Tables: every cell of a "Year" column; prose: a separated year after "in", "since"..."""
    found = {}
    for path in built_pages(site_dir):
        page_html = path.read_text()
        main = page_html.split('<main', 1)[-1]
        hits = [match.group(0) for match in YEAR_IN_PROSE.finditer(html.unescape(TAG.sub(" ", main)))]
        for table in re.findall(r"<table\b.*?</table>", main, re.S):
            columns = year_columns(table)
            for row in re.findall(r"<tr\b.*?</tr>", table.split("</thead>")[-1], re.S):
                cells = [TAG.sub("", cell).strip() for cell in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", row, re.S)]
                hits += [cells[index] for index in columns if index < len(cells) and re.search(r"\d,\d{3}", cells[index])]
        if hits:
            found[str(path.relative_to(site_dir))] = hits[:5]
    assert not found, found


def test_charts_use_only_the_colour_blind_safe_palette_and_greys(site_dir):
    allowed = {colour.upper() for colour in charts.PALETTE}
    safe_schemes = {"viridis", "cividis", "blues", "greys", "oranges", "purples"}
    for path in built_pages(site_dir):
        for spec in (markup.spec_json(block.spec) for block in markup.chart_blocks(path.read_text())):
            for colour in re.findall(r'"(#[0-9a-fA-F]{6})"', spec):
                red, green, blue = colour[1:3], colour[3:5], colour[5:7]
                assert colour.upper() in allowed or red == green == blue, f"{path.name}: colour {colour}"
            named = re.findall(r'"(?:color|fill|stroke)":"([a-z]+)"', spec)
            assert not named, f"{path.name}: named colours {named}; use aitrade.charts.PALETTE"
            schemes = set(re.findall(r'"scheme":"([^"]+)"', spec))
            assert schemes <= safe_schemes, f"{path.name}: colour schemes {schemes - safe_schemes}"


def test_every_table_has_header_cells(site_dir):
    """Every data table; Sphinx's general index lays out its columns with a table, not data."""
    for path in built_pages(site_dir):
        for table in re.findall(r"<table\b.*?</table>", path.read_text(), re.S):
            if "genindextable" in table[:200]:
                continue
            assert re.search(r"<th\b", table), f"{path.relative_to(site_dir)}: a table without header cells"


def test_ids_are_unique_on_every_page(site_dir):
    """The browser opens one page per template (page_skeleton drops ids as data), so
    duplicate ids, which axe would report, are looked for here on every page."""
    duplicated = {}
    for path in built_pages(site_dir):
        ids = Counter(re.findall(r'<[a-zA-Z][^>]*\sid="([^"]+)"', path.read_text()))
        repeated = sorted(value for value, count in ids.items() if count > 1)
        if repeated:
            duplicated[str(path.relative_to(site_dir))] = repeated
    assert not duplicated, duplicated


def test_every_page_shows_the_version_and_how_to_cite_fills_it_in(site_dir):
    """The footer names the release tag or commit and the build date; How to cite quotes it."""
    version_line = re.compile(
        r'<p class="aitrade-version">Version: ((?:release \S+|commit [0-9a-f]{12}(?: with local changes)?), '
        r'built \d{4}-\d{2}-\d{2})\.')
    versions = set()
    for path in built_pages(site_dir):
        found = version_line.findall(path.read_text())
        assert len(found) == 1, path.relative_to(site_dir)
        versions.update(found)
    assert len(versions) == 1, versions
    cite = (site_dir / "book/appendix/how-to-cite.html").read_text()
    assert f"This copy of the handbook is <strong>{versions.pop()}</strong>" in cite
    assert "<first 12 characters" not in html.unescape(cite)


def test_theme_stylesheets_are_cut_down_to_the_rules_the_pages_use(site_dir):
    for pattern, original in stylesheets.STYLESHEETS.items():
        (copy,) = site_dir.glob(pattern)
        assert copy.stat().st_size < original.stat().st_size / 2, pattern
    theme = (site_dir / "_static/styles/pydata-sphinx-theme.css").read_text()
    # The page frame's rules stay; Bootstrap's components that no page or script uses go.
    assert ".bd-header" in theme and ".bd-sidebar-primary" in theme
    assert ".accordion-button" not in theme and ".form-floating" not in theme


def test_the_chart_font_keeps_every_character_the_charts_print(site_dir):
    from fontTools.ttLib import TTFont

    drawn = chart_font.drawn_characters(site_dir)
    assert {ord("2"), ord("%")} <= drawn
    for name in chart_font.WOFF2_FILES:
        site_copy = site_dir / chart_font.SITE_FONTS / name
        assert drawn <= set(TTFont(site_copy).getBestCmap()), name
        assert site_copy.stat().st_size < (chart_font.STATIC_FONTS / name).stat().st_size * 0.75, name


@pytest.mark.parametrize("text, flagged", [
    ("since 2,019 the count rose", True),
    ("in 2,024", True),
    ("rose to 2,086 entries by 2024", False),
    ("between 1,772 points and 2,042 points", False),
    ("with 1,567 follow-up notifications", False),
    ("rose to 2,096 MW in all", False),
])
def test_a_year_with_a_separator_is_told_from_a_count_followed_by_its_unit(text, flagged):
    assert bool(YEAR_IN_PROSE.search(text)) is flagged
