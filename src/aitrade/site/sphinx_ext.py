"""The book's Sphinx extension: offline charts on the pages that have them, clean pages.

- Serves ``static/`` (the handbook stylesheet and, under ``aitrade-charts/``,
  the vendored Vega files and their loader) from the book's own ``_static``.
- Draws every chart as inline SVG at build time (:mod:`aitrade.charts.drawing`), so a
  chart shows with no script and prints; pages whose body holds an ``aitrade-chart``
  (see :mod:`aitrade.charts.markup`) get the charts' stylesheet and a small deferred
  loader, which fetches the vendored Vega files only when a reader hovers over or focuses
  a chart; other pages load no chart file at all.
- Writes the data behind every chart as CSV and links it, with the datasets' appendix
  pages, under the chart (:mod:`aitrade.charts.data_files`).
- Overrides the theme's layout (``templates/layout.html``) to drop its 1.5 MB
  icon script and to load the search index on the search page only.
- Cuts the theme's icon font down to the glyphs the site shows (:mod:`aitrade.site.icon_font`),
  the theme's, sphinx-design's and myst-nb's stylesheets down to the rules its pages
  can use (:mod:`aitrade.site.stylesheets`), and the charts' web font down to the
  characters its charts print (:mod:`aitrade.site.chart_font`).
- Gives every page a meta description: the page's own (front matter) or its first
  paragraph.
- Removes duplicated script tags that Jupyter Book 1 pages otherwise carry (they
  re-declare the same variables and print console errors), and the Thebe live-code
  scripts: the handbook offers no live kernel, and Thebe's loader points at a CDN.
- Drops myst-nb's "Using jupyter-cache at ..." line when notebooks are not executed
  (``execute_notebooks: "off"``): the build uses no cache, and the line said it did.
- Puts every table of a page in the theme's scroll container, so a wide table scrolls
  sideways inside the column, under a cue (``aitrade.css``), instead of overflowing it.
- Links the whole-book PDF and the offline bundle (:mod:`aitrade.site.edition`, made
  after the build into ``edition/``) and loads the print stylesheet on every page. A
  build removes the PDF and bundle an earlier build left there, and ends by saying how
  to make them.
- Shows the handbook's version (release tag or commit, and build date) in every page's
  footer, and gives it to pages as the substitution ``{{ handbook_version }}``.
- Lists references with author-year labels (:mod:`aitrade.site.bibliography`) and ranks
  the generated country profiles last in search results (``static/search-scorer.js``).
- Resolves the sidebar's table of contents once per folder for the pages outside the
  table of contents (country profiles, dataset pages), which show it with no page current.
- Names the sidebar's expand/collapse toggles, which the theme leaves without text
  (axe rule ``summary-name``, serious), and gives bibliography entries the ``listitem``
  role their ``role="list"`` container requires (axe ``aria-required-children``).
"""

from __future__ import annotations

import datetime
import logging as std_logging
import os
import posixpath
import re
import subprocess
import textwrap
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from aitrade.charts import data_files, drawing, markup
from aitrade.data import catalogue
from aitrade.paths import PROJECT_DIR
from aitrade.site import bibliography, chart_font, edition, icon_font, stale_outputs, stylesheets

LOGGER = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
# On chart pages only: the loader (it fetches the Vega files named in it on interaction)
# and the stylesheet of the drawings.
CHART_SCRIPT = "aitrade-charts/aitrade-charts.js"
CHART_STYLESHEET = "aitrade-charts/aitrade-charts.css"
THEBE_MARKERS = ("sphinx-thebe", "THEBE_JS_URL")
UNNAMED_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = (
    '<summary aria-label="Show or hide the sections of this chapter">'
    '<span class="toctree-toggle" role="presentation">'
)


DESCRIPTION_LENGTH = 160
SPECIAL_PAGE_DESCRIPTIONS = {
    "genindex": "Index of the terms of AI and International Trade.",
    "search": "Search the pages of AI and International Trade.",
}
# An author-year citation as the bibliography prints it: "[Author, 2013]", "[Author, n.d.]".
# A rendered citation ("[Author, 2013]"), with the separator and "see" that lead to it.
CITATION = re.compile(r"(?:[;,]\s*)?(?:\b(?:see also|see|cf\.)\s+)?\s*\[[^\[\]]*(?:\d{4}|n\.d\.)[^\[\]]*\]", re.I)
EMPTY_BRACKETS = re.compile(r"\s*\(\s*\)")
SCRIPT_TAG = re.compile(r'<script\b[^>]*\bsrc="(?P<src>[^"]*)"[^>]*>\s*</script>\n?')


SEARCH_SCORER = STATIC_DIR / "search-scorer.js"
TABLE = re.compile(r"<table\b.*?</table>", re.S)
SCROLL_CONTAINER = '<div class="pst-scrollable-table-container">'
VERSION_CLASS = "aitrade-version"


def serve_static_files(app, config) -> None:
    """Publish the package's static folder and layout override next to the theme's, and
    the handbook's version and search ranking."""
    config.html_static_path.append(str(STATIC_DIR))
    config.templates_path.append(str(TEMPLATES_DIR))
    config.html_search_scorer = str(SEARCH_SCORER)
    version = handbook_version()
    config.myst_substitutions = {**(config.myst_substitutions or {}), "handbook_version": version}
    config.html_context = {**(config.html_context or {}), "handbook_version": version}


def git(*arguments: str) -> str | None:
    """The output of a git command in the project, or None when it fails (no tag, no git)."""
    try:
        result = subprocess.run(["git", *arguments], cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


def build_date() -> str:
    """The build date, ISO format: ``SOURCE_DATE_EPOCH`` (reproducible builds) or today, UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
              else datetime.datetime.now(datetime.timezone.utc))
    return moment.date().isoformat()


def handbook_version() -> str:
    """"release v1.0, built 2026-12-02" or "commit 0123456789ab, built 2026-12-02"; a copy
    without git history says so."""
    tag = git("describe", "--tags", "--exact-match", "HEAD")
    commit = git("rev-parse", "--short=12", "HEAD")
    if tag:
        name = f"release {tag}"
    elif commit:
        name = f"commit {commit}" + (" with local changes" if git("status", "--porcelain", "--untracked-files=no") else "")
    else:
        name = "a copy without git history (no release tag or commit to name)"
    return f"{name}, built {build_date()}"


TEXT_BETWEEN_TAGS = re.compile(r">([^<]+)<")
URL_TEXT = re.compile(r"https?://[^\s<]+")


def with_breakable_urls(table: str) -> str:
    """A table whose printed addresses may break after each "/" (``<wbr>``), so a column
    of long URLs is no wider than their longest segment; links' targets are untouched."""

    def breakable(match: re.Match) -> str:
        return URL_TEXT.sub(lambda url: url[0].replace("/", "/<wbr>"), match[0])

    return TEXT_BETWEEN_TAGS.sub(breakable, table)


def in_scroll_containers(body: str) -> str:
    """``body`` with every table in the theme's scroll container (if not yet in one) and
    the addresses it prints breakable after their slashes."""

    def wrap(match: re.Match) -> str:
        table = with_breakable_urls(match[0])
        if body[:match.start()].rstrip().endswith(SCROLL_CONTAINER):
            return table
        return f"{SCROLL_CONTAINER}{table}</div>"

    return TABLE.sub(wrap, body)


HOW_TO_CITE = "book/appendix/how-to-cite"


def with_version(footer: str, version: str, cite_href: str) -> str:
    """The footer's HTML with the handbook's version after it and a link to how to cite it."""
    return (f'{footer or ""}\n<p class="{VERSION_CLASS}">Version: {version}. '
            f'<a href="{cite_href}">How to cite this version</a>.</p>')


def without_scripts(html: str, names: list[str]) -> str:
    """``html`` without the ``<script src>`` tags whose address contains one of ``names``."""
    return SCRIPT_TAG.sub(lambda tag: "" if any(name in tag["src"] for name in names) else tag[0], str(html))


PRELOAD_TAG = re.compile(r'<link\b[^>]*\brel="preload"[^>]*\bhref="(?P<href>[^"]*)"[^>]*>\n?')
BOOTSTRAP = "scripts/bootstrap.js"


def without_preloads(html: str, names: list[str]) -> str:
    """``html`` without the ``<link rel="preload">`` tags whose address contains one of ``names``."""
    return PRELOAD_TAG.sub(lambda tag: "" if any(name in tag["href"] for name in names) else tag[0], str(html))


def bootstrap_on_demand(html: str, loader: str) -> str:
    """``html`` with the theme's Bootstrap script tag replaced by ``loader``
    (``static/aitrade-bootstrap.js``), which loads the same file when a page needs it."""

    def replace(tag: re.Match) -> str:
        if BOOTSTRAP not in tag["src"]:
            return tag[0]
        return f'<script defer src="{loader}" data-bootstrap="{tag["src"]}"></script>\n'

    replaced = SCRIPT_TAG.sub(replace, str(html))
    if loader not in replaced:
        raise ValueError(f"No <script> loads {BOOTSTRAP} in the theme's scripts_end block; "
                         "the theme changed: update aitrade.site.sphinx_ext.bootstrap_on_demand.")
    return replaced


def register_template_filters(app) -> None:
    """Make the filters of the layout override (``templates/layout.html``) available to it."""
    if hasattr(app.builder, "templates"):
        filters = app.builder.templates.environment.filters
        filters["without_scripts"] = without_scripts
        filters["without_preloads"] = without_preloads
        filters["bootstrap_on_demand"] = bootstrap_on_demand


def first_paragraph(doctree) -> str:
    """The text of a page's first paragraph, or "" when it has none."""
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if text:
            return text
    return ""


def shortened(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """``text`` cut at a word boundary to at most ``length`` characters."""
    return textwrap.shorten(text, width=length, placeholder="…")


def page_description(pagename: str, doctree) -> str:
    """A description for the page's meta tag."""
    if pagename in SPECIAL_PAGE_DESCRIPTIONS:
        return SPECIAL_PAGE_DESCRIPTIONS[pagename]
    text = EMPTY_BRACKETS.sub("", CITATION.sub("", first_paragraph(doctree))) if doctree is not None else ""
    return shortened(text)


def with_description(metatags: str, description: str) -> str:
    """``metatags`` with a description meta tag, unless it already has one."""
    if 'name="description"' in metatags:
        return metatags
    escaped = description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return metatags + f'<meta name="description" content="{escaped}" />\n'


def dataset_title(name: str) -> str:
    """A catalogue dataset's short title, for links under charts."""
    return catalogue.info(name).short_title


def page_has_chart(context: dict) -> bool:
    """True when the rendered page body contains a chart from the aitrade renderer."""
    return markup.has_chart(context.get("body") or "")


def figure_numbers(env, pagename: str) -> dict[str, str]:
    """A page's figure ids and their numbers as printed ("6.1"), from Sphinx's numbering."""
    numbers = getattr(env, "toc_fignumbers", {}).get(pagename, {}).get("figure", {})
    return {figure: ".".join(str(part) for part in number) for figure, number in numbers.items()}


def script_identity(script) -> tuple:
    """What makes two script tags the same: file and attributes (inline body), not priority."""
    attributes = getattr(script, "attributes", {}) or {}
    return (getattr(script, "filename", str(script)), tuple(sorted(attributes.items())))


def is_thebe(asset) -> bool:
    """True for Thebe's script, stylesheet or inline configuration."""
    text = f"{getattr(asset, 'filename', asset)} {getattr(asset, 'attributes', {})}"
    return any(marker in text for marker in THEBE_MARKERS)


def kept_assets(assets: list) -> list:
    """``assets`` without Thebe and without repeats, in their original order."""
    kept, seen = [], set()
    for asset in assets:
        identity = script_identity(asset)
        if identity not in seen and not is_thebe(asset):
            seen.add(identity)
            kept.append(asset)
    return kept


def has_class(body: str, *names: str) -> bool:
    """True when an element of ``body`` has every class in ``names``."""
    wanted = set(names)
    return any(wanted <= set(classes.split()) for classes in stylesheets.CLASS_ATTRIBUTE.findall(body))


# Scripts and stylesheets of the book's extensions that act on a few elements, each with
# the test of whether a page body has one: the file names (or a word of an inline script)
# and the elements they act on. A page without such an element does not load them.
ASSETS_BY_USE = (
    # sphinx-copybutton: a copy button on every code block ("div.highlight pre").
    (("copybutton.js", "clipboard.min.js", "copybutton.css"), lambda body: has_class(body, "highlight")),
    # sphinx-togglebutton: its selector is ".toggle, .admonition.dropdown".
    (("togglebutton.js", "togglebutton.css", "toggleHint", "toggleOpenOnPrint", "togglebuttonSelector"),
     lambda body: has_class(body, "toggle") or has_class(body, "admonition", "dropdown")),
    # sphinx-design: its script keeps tab sets in step.
    (("design-tabs.js",), lambda body: has_class(body, "sd-tab-set")),
)


def asset_text(asset) -> str:
    """An asset's file name, or the body of an inline script."""
    return f"{getattr(asset, 'filename', None) or ''} {(getattr(asset, 'attributes', {}) or {}).get('body', '')}"


def assets_used(assets: list, body: str) -> list:
    """``assets`` without those of :data:`ASSETS_BY_USE` that ``body`` has nothing for."""
    unused = [names for names, used in ASSETS_BY_USE if not used(body)]
    return [asset for asset in assets
            if not any(name in asset_text(asset) for names in unused for name in names)]


def with_named_toggles(generate_toctree_html):
    """Wrap the theme's sidebar generator so each collapse toggle has an accessible name."""

    def generate(*args, **kwargs) -> str:
        return str(generate_toctree_html(*args, **kwargs)).replace(UNNAMED_TOGGLE, NAMED_TOGGLE)

    return generate


def pages_in_toc(env) -> set[str]:
    """Every page the table of contents includes, its root too."""
    return {env.config.root_doc, *(child for children in env.toctree_includes.values() for child in children)}


def share_toctrees_outside_the_toc(app, pagename, templatename, context, doctree) -> None:
    """On a page the table of contents does not include (the country profiles, the dataset
    pages, the index and search pages), resolve the sidebar's table of contents once per
    folder and reuse it: it marks no page as current, and its links depend only on the
    folder. Resolving it for every page was about a sixth of a build."""
    toctree = context.get("toctree")
    if not callable(toctree):
        return
    included = getattr(app.builder, "aitrade_pages_in_toc", None)
    if included is None:
        included = app.builder.aitrade_pages_in_toc = pages_in_toc(app.env)
        app.builder.aitrade_shared_toctrees = {}
    if pagename in included:
        return
    folder, shared = posixpath.dirname(pagename), app.builder.aitrade_shared_toctrees

    def shared_toctree(**kwargs) -> str:
        key = (folder, repr(sorted(kwargs.items())))
        if key not in shared:
            shared[key] = toctree(**kwargs)
        return shared[key]

    context["toctree"] = shared_toctree


def finish_page(app, pagename, templatename, context, doctree) -> None:
    """Per page: drop duplicate and Thebe assets, name the sidebar toggles, add a meta
    description, and on chart pages the data links and the chart scripts."""
    for key in ("script_files", "css_files"):
        if isinstance(context.get(key), list):
            context[key][:] = assets_used(kept_assets(context[key]), context.get("body") or "")
    if context.get("body"):
        context["body"] = in_scroll_containers(
            context["body"].replace('role="doc-biblioentry"', 'role="listitem"'))
    if callable(context.get("pathto")):
        context["theme_extra_footer"] = with_version(context.get("theme_extra_footer", ""),
                                                     app.config.html_context["handbook_version"],
                                                     context["pathto"](HOW_TO_CITE))
        context["theme_extra_footer"] += edition.edition_links(
            context["pathto"](f"{edition.EDITION_DIR}/{edition.PDF_NAME}", 1),
            context["pathto"](f"{edition.EDITION_DIR}/{edition.BUNDLE_NAME}", 1))
    if callable(context.get("generate_toctree_html")):
        context["generate_toctree_html"] = with_named_toggles(context["generate_toctree_html"])
    metatags = context.get("metatags", "")
    description = page_description(pagename, doctree)
    if not description and 'name="description"' not in metatags:
        LOGGER.warning(
            f"{pagename}: no paragraph to describe the page in its meta tag; give it one in "
            "its front matter (myst: html_meta: description: ...)."
        )
    context["metatags"] = with_description(metatags, description) if description else metatags
    if page_has_chart(context):
        context["body"] = data_files.add_data_links(
            context["body"], Path(app.outdir), lambda path: context["pathto"](path, 1), dataset_title,
            pagename, figure_numbers(app.env, pagename),
        )
        context["body"] = with_drawings(context["body"], pagename)
        app.builder.add_css_file(CHART_STYLESHEET, priority=900)
        app.builder.add_js_file(CHART_SCRIPT, priority=900, defer="defer")


def with_drawings(body: str, pagename: str) -> str:
    """A page body with each chart's build-time SVG drawings in place of its text stand-in."""
    cache = drawing.cache_directory()
    try:
        return drawing.with_drawings(body, lambda block: drawing.drawings(block, cache))
    except drawing.DrawingError as error:
        LOGGER.warning(f"{pagename}: {error}")
        return body


def remove_stale_edition(app) -> None:
    """Before an HTML build writes its pages, remove the PDF and bundle an earlier build
    left in the output: the new pages must not link an edition made from other pages."""
    if app.builder.format == "html":
        for name in edition.remove_stale(Path(app.outdir)):
            LOGGER.info(f"edition: removed {edition.EDITION_DIR}/{name}, made from an earlier build")


def report_edition_links(app, exception) -> None:
    """After an HTML build, say how to make the PDF and bundle its footers link."""
    if exception is None and app.builder.format == "html":
        message = edition.missing_message(Path(app.outdir))
        if message:
            LOGGER.info(f"edition: {message}")


def subset_icon_font(app, exception) -> None:
    """After a successful HTML build, keep only the icon glyphs the site uses."""
    if exception is None and app.builder.format == "html":
        glyphs, before, after = icon_font.write_subset(Path(app.outdir))
        LOGGER.info(f"icon font: {glyphs} glyphs kept, {before:,} -> {after:,} bytes")


def subset_chart_font(app, exception) -> None:
    """After a successful HTML build, keep in the charts' web font only the characters
    the charts can print."""
    if exception is None and app.builder.format == "html":
        for path, before, after in chart_font.write_subset(Path(app.outdir)):
            LOGGER.info(f"chart font {path}: {before:,} -> {after:,} bytes")


def trim_stylesheets(app, exception) -> None:
    """After a successful HTML build (and the icon font's subset, which reads the theme's
    stylesheet), keep only the style rules the site's pages can use."""
    if exception is None and app.builder.format == "html":
        for path, before, after in stylesheets.write_trimmed(Path(app.outdir)):
            LOGGER.info(f"stylesheet {path}: {before:,} -> {after:,} bytes")


# myst-nb logs this line at every build, whether or not it executes anything.
JUPYTER_CACHE_LINE = "Using jupyter-cache at"
MYST_NB_LOGGER = "sphinx.myst_nb.sphinx_ext"


class UnusedCacheLineFilter(std_logging.Filter):
    """Drop the jupyter-cache line of a build that executes no notebook."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def filter(self, record: std_logging.LogRecord) -> bool:
        executes = self.app.config.nb_execution_mode != "off"
        return executes or not str(record.msg).startswith(JUPYTER_CACHE_LINE)


def setup(app):
    """Register the extension with Sphinx."""
    bibliography.register()
    app.connect("config-inited", serve_static_files)
    std_logging.getLogger(MYST_NB_LOGGER).addFilter(UnusedCacheLineFilter(app))
    app.connect("builder-inited", register_template_filters)
    # Before the theme's handlers (priority 500), which resolve the sidebar's toctree.
    app.connect("html-page-context", share_toctrees_outside_the_toc, priority=400)
    # Run after the other extensions, which add scripts in this same event.
    app.connect("html-page-context", finish_page, priority=900)
    app.connect("build-finished", subset_icon_font)
    app.connect("build-finished", trim_stylesheets, priority=600)
    app.connect("build-finished", subset_chart_font)
    app.connect("builder-inited", remove_stale_edition)
    app.connect("build-finished", report_edition_links, priority=900)
    app.connect("builder-inited", stale_outputs.warn_stale_notebooks)
    app.add_css_file("aitrade.css")
    app.add_css_file("aitrade-print.css", media="print")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
