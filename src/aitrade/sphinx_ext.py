"""The book's Sphinx extension: offline charts on the pages that have them, clean pages.

- Serves ``sphinx_static/`` (the handbook stylesheet and, under ``aitrade-charts/``,
  the vendored Vega files and their loader) from the book's own ``_static``.
- Adds the Vega scripts, deferred, only to pages whose body holds an
  ``aitrade-chart`` (see :mod:`aitrade.charts`); other pages load no Vega at all.
- Removes duplicated script tags that Jupyter Book 1 pages otherwise carry (they
  re-declare the same variables and print console errors), and the Thebe live-code
  scripts: the handbook offers no live kernel, and Thebe's loader points at a CDN.
- Names the sidebar's expand/collapse toggles, which the theme leaves without text
  (axe rule ``summary-name``, serious), and gives bibliography entries the ``listitem``
  role their ``role="list"`` container requires (axe ``aria-required-children``).
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "sphinx_static"
CHART_SCRIPTS = (
    "aitrade-charts/vega.min.js",
    "aitrade-charts/vega-lite.min.js",
    "aitrade-charts/vega-embed.min.js",
    "aitrade-charts/aitrade-charts.js",
)
CHART_MARKER = 'class="aitrade-chart"'
THEBE_MARKERS = ("sphinx-thebe", "THEBE_JS_URL")
UNNAMED_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = (
    '<summary aria-label="Show or hide the sections of this chapter">'
    '<span class="toctree-toggle" role="presentation">'
)


def serve_static_files(app, config) -> None:
    """Publish the package's static folder next to the theme's static files."""
    config.html_static_path.append(str(STATIC_DIR))


def page_has_chart(context: dict) -> bool:
    """True when the rendered page body contains a chart from the aitrade renderer."""
    return CHART_MARKER in (context.get("body") or "")


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


def with_named_toggles(generate_toctree_html):
    """Wrap the theme's sidebar generator so each collapse toggle has an accessible name."""

    def generate(*args, **kwargs) -> str:
        return str(generate_toctree_html(*args, **kwargs)).replace(UNNAMED_TOGGLE, NAMED_TOGGLE)

    return generate


def finish_page(app, pagename, templatename, context, doctree) -> None:
    """Per page: drop duplicate and Thebe assets, name the sidebar toggles, and add the
    chart scripts where needed."""
    for key in ("script_files", "css_files"):
        if isinstance(context.get(key), list):
            context[key][:] = kept_assets(context[key])
    if context.get("body"):
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
    if callable(context.get("generate_toctree_html")):
        context["generate_toctree_html"] = with_named_toggles(context["generate_toctree_html"])
    if page_has_chart(context):
        for script in CHART_SCRIPTS:
            app.builder.add_js_file(script, priority=900, defer="defer")


def setup(app):
    """Register the extension with Sphinx."""
    app.connect("config-inited", serve_static_files)
    # Run after the other extensions, which add scripts in this same event.
    app.connect("html-page-context", finish_page, priority=900)
    app.add_css_file("aitrade.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
