"""The handbook as one PDF and as an offline bundle, made from the built site.

``python -m aitrade edition pdf`` assembles the pages of ``_toc.yml`` (in book order)
from the built HTML into one print document, with a title page (the version and build
date the site's footer shows) and a table of contents, and prints it with Chromium
(Playwright). Charts are drawn in the document by the site's own chart script (or are
already inline SVG), so they reach the PDF as vectors. Links between pages become links
inside the PDF; citations and cross-references keep their printed labels. The country
profiles are represented by their index page's one table, not by 166 pages.

The table of contents gets its page numbers in a second print: the first print puts
placeholders of the same width, the page of every chapter is read back from the PDF's
named destinations (Chromium writes one per element id), and the second print fills
them in, with an identical layout.

``python -m aitrade edition bundle`` zips the site (with the PDF), the notebooks, the
catalogue and fact tables, and a README; both land in the site's ``edition/`` folder,
which every page links from its footer. ``python -m aitrade edition all`` builds the
site, then the PDF, then the bundle (the PDF needs the HTML; the bundle needs the PDF).
"""

from __future__ import annotations

import contextlib
import datetime
import html
import io
import posixpath
import re
import subprocess
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from lxml import html as lxml_html
from lxml.html import HtmlElement

from aitrade.paths import BOOK_DIR, DATA_DIR, PROJECT_DIR

EDITION_DIR = "edition"
PDF_NAME = "ai-and-international-trade.pdf"
BUNDLE_NAME = "ai-and-international-trade-offline.zip"
BUNDLE_ROOT = "ai-and-international-trade"
PRINT_DOCUMENT = "_edition-print.html"  # served, never written into the site
PLACEHOLDER = "000"
PAPER = {"format": "A4", "margin": {"top": "16mm", "bottom": "18mm", "left": "17mm", "right": "17mm"}}
# The width of the printed column in CSS pixels (A4 210 mm less the side margins, 96 px per inch).
COLUMN_PX = round((210 - 34) / 25.4 * 96)
CHART_TIMEOUT_MS = 120_000
VERSION = re.compile(r"Version: (?P<version>.*?)\. ")


def has_class(name: str) -> str:
    """An XPath test for an element with the class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Elements of a page that a printed book does not carry (XPath, inside the article).
DROPPED = (
    f".//a[{has_class('headerlink')}]", f".//script[not({has_class('aitrade-chart__spec')})]",
    f".//details[{has_class('above-input')}]", f".//div[{has_class('cell_input')}]",
    ".//button", f".//*[{has_class('country-profiles-filter')}]", ".//*[@id='country-profiles-count']",
    ".//noscript",
)
CHARTS = f".//*[{has_class('aitrade-chart')}]"
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
OUTSIDE_PDF_NOTE = ("in the site and the offline bundle")


class EditionError(RuntimeError):
    """The edition cannot be made (no built site, a page missing, a chart not drawn)."""


@dataclass
class TocEntry:
    """One page of ``_toc.yml``: its name (path without suffix), depth and part caption."""

    page: str
    depth: int
    part: str | None = None


@dataclass
class PrintPage:
    """One page of the book, ready for the print document."""

    entry: TocEntry
    anchor: str
    title: str
    body: str
    charts: int = 0
    figures: list[str] = field(default_factory=list)
    assets: list[tuple[str, str]] = field(default_factory=list)


def toc_entries(project: Path = PROJECT_DIR) -> list[TocEntry]:
    """The book's pages in reading order, from ``_toc.yml`` (read at run time)."""
    toc = yaml.safe_load((project / "_toc.yml").read_text(encoding="utf-8"))
    entries = [TocEntry(toc["root"], 0)]

    def walk(items, depth, part):
        for item in items:
            if "glob" in item:
                found = sorted(project.glob(item["glob"] + ".*"))
                for path in found:
                    page = path.relative_to(project).with_suffix("").as_posix()
                    if all(page != entry.page for entry in entries):
                        entries.append(TocEntry(page, depth, part))
                continue
            entries.append(TocEntry(item["file"].removesuffix(".md").removesuffix(".ipynb"), depth, part))
            walk(item.get("sections", []), depth + 1, None)

    for part in toc.get("parts", []):
        caption = part.get("caption")
        first = len(entries)
        walk(part["chapters"], 0, None)
        if len(entries) > first:
            entries[first].part = caption
    return entries


def anchor_of(page: str) -> str:
    """The id of a page's start in the print document."""
    return "p-" + re.sub(r"[^A-Za-z0-9]+", "-", page).strip("-")


def heading_text(heading: HtmlElement | None) -> str:
    """A heading's text without its permalink mark."""
    if heading is None:
        return ""
    return " ".join(heading.text_content().replace("#", " ").split())


def resolve(page: str, href: str) -> tuple[str, str]:
    """A relative link of ``page`` as (site path, fragment)."""
    target, _, fragment = href.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), target)) if target else page + ".html"
    return path, fragment


def rewrite(article: HtmlElement, page: str, anchors: dict[str, str]) -> None:
    """Make ids unique in the document and links point inside it.

    ``anchors`` maps each document page's site path (``book/x.html``) to its anchor.
    Links to other pages of the site (country profiles, chart CSVs) lose their address:
    a PDF has no site around it; a CSV's path in the bundle is printed after its link.
    """
    own = anchors[page + ".html"]
    for element in article.iter():
        if not isinstance(element.tag, str):
            continue
        if "id" in element.attrib:
            element.set("id", f"{own}--{element.get('id')}")
        for attribute in ("for", "aria-labelledby", "aria-describedby", "aria-controls"):
            if attribute in element.attrib:
                element.set(attribute, " ".join(f"{own}--{name}" for name in element.get(attribute).split()))
        source = element.get("src")
        if source and not EXTERNAL.match(source):
            element.set("src", resolve(page, source)[0])
        href = element.get("href") if element.tag == "a" else None
        if href is None or EXTERNAL.match(href):
            continue  # http, https, mailto: kept, and printed after the text
        path, fragment = resolve(page, href)
        if path in anchors:
            element.set("href", f"#{anchors[path]}--{fragment}" if fragment else f"#{anchors[path]}")
            continue
        for name in ("href", "download", "class"):
            element.attrib.pop(name, None)
        element.tag = "span"
        element.set("class", "edition-outside")
        if not path.endswith(".html"):
            element.set("data-site-path", path)


def demote(article: HtmlElement, levels: int) -> None:
    """Lower every heading by ``levels`` (a section page's h1 becomes an h2...), at most h6."""
    if levels <= 0:
        return
    for heading in article.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
        heading.tag = f"h{min(6, int(heading.tag[1]) + levels)}"


def parse(path: Path) -> HtmlElement:
    """A built page's document tree."""
    return lxml_html.fromstring(path.read_bytes())


def print_page(site: Path, entry: TocEntry, anchors: dict[str, str]) -> PrintPage:
    """One built page's article, cleaned and rewritten for the print document."""
    path = site / f"{entry.page}.html"
    if not path.is_file():
        raise EditionError(f"{entry.page}.html is not in the built site {site}: build the book first.")
    root = parse(path)
    assets = head_assets(root, entry.page)
    found = root.xpath(f"//article[{has_class('bd-article')}]")
    if not found:
        raise EditionError(f"{entry.page}.html has no article element: is it a page of this book?")
    article = found[0]
    for query in DROPPED:
        for element in article.xpath(query):
            element.drop_tree()
    headings = article.xpath(".//h1")
    title = heading_text(headings[0] if headings else None)
    charts = len(article.xpath(CHARTS))
    figures = [heading_text(caption) for caption in article.xpath(".//figcaption")]
    rewrite(article, entry.page, anchors)
    demote(article, entry.depth)
    article.tag = "section"
    article.attrib.clear()
    article.set("class", f"edition-page edition-depth-{entry.depth}")
    article.set("id", anchors[entry.page + ".html"])
    body = lxml_html.tostring(article, encoding="unicode")
    return PrintPage(entry, article.get("id"), title, body, charts, figures, assets)


def home_page(site: Path, project: Path = PROJECT_DIR) -> Path:
    """The built home page of the book (the root of ``_toc.yml``; the site's own
    ``index.html`` only redirects to it)."""
    return site / f"{toc_entries(project)[0].page}.html"


def site_version(site: Path, project: Path = PROJECT_DIR) -> str:
    """The version line of the built site's footer ("commit 0123abcd, built 2026-05-01")."""
    footer = parse(home_page(site, project)).xpath(f"//p[{has_class('aitrade-version')}]")
    found = VERSION.search(" ".join(footer[0].text_content().split())) if footer else None
    if not found:
        raise EditionError("the built home page shows no version line in its footer.")
    return found["version"]


def head_assets(root: HtmlElement, page: str) -> list[tuple[str, str]]:
    """A page's stylesheets and chart scripts as ("css" or "js", site path), in order."""
    assets = []
    for element in root.xpath("//head/link|//head/script"):
        if element.tag == "link" and "stylesheet" in (element.get("rel") or "").split():
            assets.append(("css", resolve(page, element.get("href"))[0]))
        elif element.tag == "script" and "aitrade-charts/" in (element.get("src") or ""):
            assets.append(("js", resolve(page, element.get("src"))[0]))
    return assets


def head_html(pages: list[PrintPage]) -> str:
    """The stylesheets and chart scripts of every page, each once, in first-seen order."""
    assets = dict.fromkeys(asset for page in pages for asset in page.assets)
    return "".join(
        f'<link rel="stylesheet" href="{html.escape(path)}">' if kind == "css"
        else f'<script defer src="{html.escape(path)}"></script>'
        for kind, path in assets
    )


def toc_html(pages: list[PrintPage]) -> str:
    """The table of contents, a placeholder as each page number (filled in before the
    final print: :data:`FILL_NUMBERS`)."""
    lines = ['<nav class="edition-toc" id="edition-toc" aria-label="Contents"><h1>Contents</h1><ol>']
    for page in pages:
        if page.entry.part:
            lines.append(f'<li class="edition-toc__part">{html.escape(page.entry.part)}</li>')
        lines.append(
            f'<li class="edition-toc__entry edition-toc__depth-{page.entry.depth}">'
            f'<a href="#{page.anchor}"><span class="edition-toc__title">{html.escape(page.title)}</span>'
            f'<span class="edition-toc__page">{PLACEHOLDER}</span></a></li>'
        )
    lines.append("</ol></nav>")
    return "\n".join(lines)


def title_page(title: str, version: str) -> str:
    """The title page: title, version and build date, licence and where the site is."""
    return (
        '<section class="edition-title" id="edition-title">'
        f'<p class="edition-title__name">{html.escape(title)}</p>'
        '<p class="edition-title__subtitle">An executable handbook on AI and trade, following the '
        "chapters of the WTO Secretariat's report. Print edition of the whole book.</p>"
        f'<p class="edition-title__version">Version: {html.escape(version)}.</p>'
        '<p class="edition-title__licence">Text and figures: CC BY 4.0. Code: MIT. Each dataset keeps '
        "its publisher's licence, stated under every figure and in the datasets appendix. "
        "Interactive charts, the CSV behind every chart and the pages of the country profiles are "
        f"{OUTSIDE_PDF_NOTE} ({EDITION_DIR}/{BUNDLE_NAME}).</p>"
        "</section>"
    )


EDITION_CSS = """
@page { size: A4; }
html, body { background: #fff; }
body { margin: 0; padding: 0; font-size: 10pt; }
.edition { max-width: none; }
.edition-title { break-after: page; padding-top: 30%; }
.edition-title p { font-size: 11pt; }
.edition-title .edition-title__name { font-size: 28pt; font-weight: 700; margin-bottom: 1rem; }
.edition-title .edition-title__subtitle { font-size: 14pt; }
.edition-title .edition-title__version { margin-top: 3rem; }
.edition-toc { break-after: page; font-size: 10pt; }
.edition-toc h1 { font-size: 20pt; }
.edition-toc ol { list-style: none; padding: 0; }
.edition-toc__part { font-weight: 700; margin-top: .6rem; }
.edition-toc__entry a { display: flex; color: inherit !important; text-decoration: none !important; }
.edition-toc__title { flex: 1; }
.edition-toc__page { min-width: 2.5em; text-align: right; font-variant-numeric: tabular-nums; }
.edition-toc__depth-1 { padding-left: 1.5em; }
.edition-toc__depth-2 { padding-left: 3em; font-size: .95em; }
.edition-toc__depth-3 { padding-left: 4.5em; font-size: .95em; }
.edition-depth-0 { break-before: page; }
.edition-page + .edition-page { margin-top: 1.5rem; }
.edition-page h1 { font-size: 20pt; }
.edition-page h2 { font-size: 16pt; }
.edition-page h3 { font-size: 13pt; }
.edition-page h4, .edition-page h5, .edition-page h6 { font-size: 11pt; }
.edition-page table td, .edition-page table th { padding: .12rem .35rem !important; }
.edition-outside[data-site-path]::after { content: " (" attr(data-site-path) ")"; font-size: .85em; }
"""


def print_document(site: Path, project: Path = PROJECT_DIR) -> tuple[str, list[PrintPage]]:
    """The whole book as one HTML document (served at the site's root) and its pages; the
    contents carry placeholders for their page numbers."""
    entries = toc_entries(project)
    anchors = {f"{entry.page}.html": anchor_of(entry.page) for entry in entries}
    pages = [print_page(site, entry, anchors) for entry in entries]
    title = "AI and International Trade"
    document = (
        f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>{head_html(pages)}<style>{EDITION_CSS}</style></head>"
        f'<body class="edition-body"><main class="bd-main edition"><div class="bd-content"><div class="bd-article-container">'
        f"{title_page(title, site_version(site, project))}{toc_html(pages)}"
        + "".join(page.body for page in pages)
        + "</div></div></main></body></html>"
    )
    return document, pages


def page_numbers(pdf: bytes, anchors: list[str]) -> dict[str, int]:
    """The page (1-based) of each anchor, read from the PDF's named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    destinations = reader.named_destinations
    numbers = {}
    for anchor in anchors:
        # pypdf names them as PDF names ("/p-book-index"), Chromium after the element id.
        destination = destinations.get("/" + anchor, destinations.get(anchor))
        if destination is None:
            raise EditionError(f"the PDF has no destination for {anchor}: Chromium did not link it.")
        numbers[anchor] = reader.get_destination_page_number(destination) + 1
    return numbers


def footer_template() -> str:
    """The printed page number at the foot of every page."""
    return ('<div style="width:100%;font-size:8px;color:#555;text-align:center;'
            'font-family:system-ui,sans-serif"><span class="pageNumber"></span></div>')


def print_options() -> dict:
    """Playwright's ``page.pdf`` options: A4, page numbers at the foot. Not Chromium's
    tagged PDF: it makes the file 2.7 times larger (13.5 MB against 5.0 MB, measured);
    the outline is added from the contents instead (:func:`with_outline`)."""
    return dict(**PAPER, print_background=True, display_header_footer=True,
                header_template="<span></span>", footer_template=footer_template(),
                outline=False, tagged=False)


def with_outline(pdf: bytes, pages: list[PrintPage], numbers: dict[str, int]) -> bytes:
    """``pdf`` with bookmarks: the contents, nested as in ``_toc.yml``, each to its page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_outline_item(title="Contents", page_number=1)
    parents: dict[int, object] = {}
    part = None
    for page in pages:
        if page.entry.part:
            part = writer.add_outline_item(title=page.entry.part, page_number=numbers[page.anchor] - 1)
        parent = parents.get(page.entry.depth - 1) if page.entry.depth else part
        parents[page.entry.depth] = writer.add_outline_item(
            title=page.title, page_number=numbers[page.anchor] - 1, parent=parent)
    writer.page_mode = "/UseOutlines"
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def load_document(page, document: str, url: str) -> None:
    """Load ``document`` at ``url`` in ``page`` and wait until every chart is drawn."""
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                body=document))
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.aitrade-chart')].every(chart =>"
        " chart.classList.contains('aitrade-chart--drawn') || chart.querySelector('svg'))",
        timeout=CHART_TIMEOUT_MS,
    )


FILL_NUMBERS = """numbers => document.querySelectorAll('.edition-toc__entry a').forEach(link => {
    link.querySelector('.edition-toc__page').textContent = numbers[link.getAttribute('href').slice(1)];
})"""


@dataclass
class PdfReport:
    """What ``build_pdf`` made."""

    path: Path
    pages: int
    bytes: int
    seconds: float
    charts: int
    figures: int


def chromium_path() -> str:
    """Debian's Chromium, which the browser tests use too."""
    import shutil

    return shutil.which("chromium") or "/usr/bin/chromium"


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def build_pdf(site: Path, output: Path | None = None, project: Path = PROJECT_DIR, browser=None) -> PdfReport:
    """Print the whole book from the built ``site`` into ``output`` (default: the site's
    ``edition/`` folder), offline; two prints, the second with the contents' page numbers.
    ``browser``: a Playwright Chromium already running (the tests'), else one is started."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    from aitrade.site.server import serve

    start = time.perf_counter()
    site = Path(site)
    if not (site / "index.html").is_file():
        raise EditionError(f"no built site in {site}: run `jupyter-book build .` first.")
    output = output or site / EDITION_DIR / PDF_NAME
    first, pages = print_document(site, project)
    with serve(site) as base, contextlib.ExitStack() as stack:
        if browser is None:
            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            stack.callback(browser.close)
        context = browser.new_context(viewport={"width": COLUMN_PX, "height": 1100})
        stack.callback(context.close)
        tab = context.new_page()
        tab.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])"), lambda route: route.abort())
        tab.emulate_media(media="print")
        load_document(tab, first, f"{base}/{PRINT_DOCUMENT}")
        draft = tab.pdf(**print_options())
        numbers = page_numbers(draft, [page.anchor for page in pages])
        tab.evaluate(FILL_NUMBERS, numbers)
        pdf = tab.pdf(**print_options())
    if page_numbers(pdf, [page.anchor for page in pages]) != numbers:
        raise EditionError("the second print moved a chapter to another page; the contents would be wrong.")
    pdf = with_outline(pdf, pages, numbers)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
    count = len(PdfReader(io.BytesIO(pdf)).pages)
    return PdfReport(output, count, len(pdf), time.perf_counter() - start,
                     sum(page.charts for page in pages), sum(len(page.figures) for page in pages))


BUNDLE_README = """\
AI and International Trade: offline edition
===========================================

Version: {version}. Made {made}.

How to open it
--------------
Unzip the archive, then open site/index.html in a web browser (double-click it). The
site works from the disk (file://) with no network, as checked with Chromium: pages and
links, the charts and their tooltips, the CSV under each chart, the country-profile
filters, and search, which lists the matching pages but shows no excerpt under them (a
browser does not let a page read other files from the disk). For excerpts too, serve
the folder: python -m http.server -d site, then open http://localhost:8000. Every
page's footer links the PDF below; its link to the archive has no target inside the
archive (it is this file).

What it holds
-------------
{listing}

What it does not hold
---------------------
The dataset snapshots (World Bank, IMF, OWID, Epoch AI, WTO Stats, ... files) are not
in this archive: they are their publishers' to distribute, under their own licences,
several of them not open. data/datapackage.json names each one's publisher, address,
licence, checksum and citation; `python -m aitrade data fetch`, run in a clone of the
handbook's repository, downloads them and checks their checksums.

Licences: text and figures CC BY 4.0; code MIT; data under their publishers' licences,
stated under every chart and on each dataset's page (site/book/appendix/datasets/).
"""


def bundle_contents(site: Path, pdf: Path, project: Path = PROJECT_DIR) -> dict[str, Path]:
    """Every file of the bundle: its name in the archive and where it is read from."""
    root = BUNDLE_ROOT
    files = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and relative != f"{EDITION_DIR}/{BUNDLE_NAME}" and relative != f"{EDITION_DIR}/{PDF_NAME}":
            files[f"{root}/site/{relative}"] = path
    files[f"{root}/site/{EDITION_DIR}/{PDF_NAME}"] = pdf
    for path in sorted(BOOK_DIR.rglob("*.ipynb")) if project == PROJECT_DIR else sorted((project / "book").rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in path.parts:
            files[f"{root}/notebooks/{path.relative_to(project).as_posix()}"] = path
    data_dir = DATA_DIR if project == PROJECT_DIR else project / "data"
    files[f"{root}/data/datapackage.json"] = data_dir / "datapackage.json"
    for path in sorted(data_dir.glob("*.csv")):
        files[f"{root}/data/{path.name}"] = path
    return files


# Each top-level entry of the bundle and what the README says of it: (name, pattern, text).
LISTING = (
    ("site/", None, "the built handbook ({site} files); open site/index.html"),
    (f"site/{EDITION_DIR}/{PDF_NAME}", None, "the whole book as one PDF"),
    ("site/chart-data/", ".csv", "the data behind every chart, one CSV per chart ({csv} files)"),
    ("notebooks/", ".ipynb", "the analysis notebooks with their stored outputs ({notebooks} files)"),
    ("data/datapackage.json", None, "the data catalogue: every dataset's source, licence, citation, checksum, schema"),
    ("data/*.csv", ".csv", "the handbook's cited fact tables, a source on every row ({facts} files)"),
)


def readme_text(names: list[str], version: str, made: str) -> str:
    """The README inside the bundle, listing what it holds with file counts."""
    root = BUNDLE_ROOT + "/"
    counts = {
        "site": sum(name.startswith(root + "site/") for name in names),
        "csv": sum(name.startswith(root + "site/chart-data/") and name.endswith(".csv") for name in names),
        "notebooks": sum(name.startswith(root + "notebooks/") for name in names),
        "facts": sum(re.fullmatch(re.escape(root) + r"data/[^/]+\.csv", name) is not None for name in names),
    }
    listing = "\n".join(f"- {entry}: {text.format(**counts)}" for entry, _, text in LISTING)
    listing += "\n- README.txt: this file"
    return BUNDLE_README.format(version=version, made=made, listing=listing)


def build_bundle(site: Path, output: Path | None = None, project: Path = PROJECT_DIR) -> tuple[Path, int, int]:
    """Zip the site with its PDF, the notebooks, the catalogue and fact tables, and a
    README; returns (path, files, bytes). The PDF must have been built."""
    site = Path(site)
    pdf = site / EDITION_DIR / PDF_NAME
    if not pdf.is_file():
        raise EditionError(f"no PDF at {pdf}: run `python -m aitrade edition pdf` first (the bundle holds it).")
    output = output or site / EDITION_DIR / BUNDLE_NAME
    files = bundle_contents(site, pdf, project)
    made = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    readme = readme_text([*files, f"{BUNDLE_ROOT}/README.txt"], site_version(site), made)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(f"{BUNDLE_ROOT}/README.txt", readme)
        for name, path in files.items():
            stored = name.endswith((".pdf", ".woff2", ".png", ".jpg", ".zip"))
            archive.write(path, name, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    partial.replace(output)
    return output, len(files) + 1, output.stat().st_size


def build_site(project: Path = PROJECT_DIR) -> Path:
    """``jupyter-book build`` of the project; returns the HTML folder."""
    from aitrade.site.build import JUPYTER_BOOK

    result = subprocess.run([str(JUPYTER_BOOK), "build", str(project)], check=False)
    if result.returncode != 0:
        raise EditionError("jupyter-book build failed; the edition needs a built site.")
    return project / "_build" / "html"


MISSING_EDITION = ("every page's footer links edition/{pdf} and edition/{bundle}, which this build "
                   "does not make: run `python -m aitrade edition pdf`, then `python -m aitrade "
                   "edition bundle` (or build with `python -m aitrade edition all`).")


def remove_stale(site: Path) -> list[str]:
    """Remove the PDF and bundle that an earlier build left in ``site/edition/``: they were
    made from other pages, and the pages about to be written would link them as their
    own. Returns the names removed."""
    removed = []
    for name in (PDF_NAME, BUNDLE_NAME):
        path = Path(site) / EDITION_DIR / name
        if path.is_file():
            path.unlink()
            removed.append(name)
    return removed


def missing_message(site: Path) -> str | None:
    """What to run when the site's edition/ folder lacks the PDF or the bundle, else None."""
    folder = Path(site) / EDITION_DIR
    if (folder / PDF_NAME).is_file() and (folder / BUNDLE_NAME).is_file():
        return None
    return MISSING_EDITION.format(pdf=PDF_NAME, bundle=BUNDLE_NAME)


def edition_links(pdf_href: str, bundle_href: str) -> str:
    """The footer's line that links the PDF and the offline bundle."""
    return (f'<p class="aitrade-edition">Offline: <a href="{pdf_href}">the whole book as PDF</a> · '
            f'<a href="{bundle_href}">the site, PDF, notebooks and chart data in one zip</a>.</p>')
