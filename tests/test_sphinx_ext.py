"""aitrade.sphinx_ext: which pages get Vega, and the cleaned script lists."""

from __future__ import annotations

import pytest
from sphinx.builders.html._assets import _JavaScript

from aitrade.site import sphinx_ext


def test_chart_pages_are_recognised():
    assert sphinx_ext.page_has_chart({"body": '<div class="aitrade-chart" id="x">'})
    assert not sphinx_ext.page_has_chart({"body": "<p>No chart here.</p>"})
    assert not sphinx_ext.page_has_chart({})


def test_duplicate_and_thebe_scripts_are_dropped_in_order():
    toggle = "var togglebuttonSelector = '.toggle';"
    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript(None, body=toggle, priority=500),
        _JavaScript(None, body='const THEBE_JS_URL = "https://cdn.example/thebe.js"'),
        _JavaScript("_static/sphinx-thebe.js", priority=500, **{"async": "async"}),
        _JavaScript(None, body=toggle, priority=800),
    ]
    kept = sphinx_ext.kept_assets(scripts)
    assert [(script.filename, script.attributes.get("body")) for script in kept] == [
        ("_static/doctools.js", None),
        (None, toggle),
    ]


def test_sidebar_toggles_get_an_accessible_name():
    html = '<li><a href="x.html">2. Chapter</a><details><summary><span class="toctree-toggle" role="presentation"><i></i></span></summary></details></li>'
    generate = sphinx_ext.with_named_toggles(lambda *args, **kwargs: html)
    assert 'summary aria-label="Show or hide the sections of this chapter"' in generate("sidebar")


def test_only_the_named_scripts_are_removed():
    head = (
        '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<script src="../_static/doctools.js?v=2"></script>\n'
        '<script src="../searchindex.js"></script>\n'
    )
    kept = sphinx_ext.without_scripts(head, ["scripts/fontawesome.js", "searchindex.js"])
    assert kept == '<script src="../_static/doctools.js?v=2"></script>\n'


def test_a_page_description_is_its_first_paragraph_without_citations():
    from docutils.core import publish_doctree

    doctree = publish_doctree(
        "Title\n=====\n\nCloud services are digital trade [United States International Trade "
        "Commission, 2013]; see [Author not stated, n.d.]. Models grew (see also [Epoch AI, 2026]). "
        + "More words here. " * 20
    )
    description = sphinx_ext.page_description("book/page", doctree)
    assert description.startswith("Cloud services are digital trade. Models grew. More words")
    assert len(description) <= sphinx_ext.DESCRIPTION_LENGTH and description.endswith("…")
    assert sphinx_ext.page_description("search", None) == sphinx_ext.SPECIAL_PAGE_DESCRIPTIONS["search"]
    assert sphinx_ext.page_description("book/empty", publish_doctree("Title\n=====\n")) == ""


def test_a_description_from_front_matter_is_kept():
    own = '<meta content="Own words." name="description" />\n'
    assert sphinx_ext.with_description(own, "Other") == own
    assert sphinx_ext.with_description("", 'Say "hi" & <go>') == (
        '<meta name="description" content="Say &quot;hi&quot; &amp; &lt;go>" />\n'
    )


def test_every_table_is_put_in_one_scroll_container():
    body = ('<p>x</p><table class="a"><tr><td>1</td></tr></table>'
            f'{sphinx_ext.SCROLL_CONTAINER}<table class="b"><tr><td>2</td></tr></table></div>')
    wrapped = sphinx_ext.in_scroll_containers(body)
    assert wrapped.count(sphinx_ext.SCROLL_CONTAINER) == 2
    assert f'{sphinx_ext.SCROLL_CONTAINER}<table class="a">' in wrapped
    assert sphinx_ext.in_scroll_containers(wrapped) == wrapped


def test_addresses_printed_in_tables_may_break_after_their_slashes():
    table = '<table><tr><td><a href="https://a.org/x/y">https://a.org/x/y</a> and http://b.org/z</td></tr></table>'
    wrapped = sphinx_ext.in_scroll_containers(table)
    assert '<a href="https://a.org/x/y">https:/<wbr>/<wbr>a.org/<wbr>x/<wbr>y</a>' in wrapped
    assert "http:/<wbr>/<wbr>b.org/<wbr>z" in wrapped
    assert sphinx_ext.in_scroll_containers("<p>https://a.org/x</p>") == "<p>https://a.org/x</p>"


def test_the_version_names_the_commit_or_tag_and_the_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")
    answers = {("describe",): None, ("rev-parse",): "0123456789ab", ("status",): None}
    monkeypatch.setattr(sphinx_ext, "git", lambda *arguments: answers[(arguments[0],)])
    assert sphinx_ext.handbook_version() == "commit 0123456789ab, built 2025-12-02"
    answers[("describe",)] = "v1.0"
    assert sphinx_ext.handbook_version() == "release v1.0, built 2025-12-02"
    footer = sphinx_ext.with_version("<p>Licence.</p>", "release v1.0, built 2025-12-02", "../how-to-cite.html")
    assert footer.startswith("<p>Licence.</p>") and "Version: release v1.0, built 2025-12-02" in footer
    assert '<a href="../how-to-cite.html">How to cite this version</a>' in footer


def test_references_get_author_year_labels_made_unique():
    from pybtex.database import parse_string

    from aitrade.site import bibliography

    entries = parse_string("""
        @techreport{a, author = {{World Trade Organization}}, title = {One}, year = {2024}}
        @techreport{b, author = {{World Trade Organization}}, title = {Two}, year = {2024}}
        @article{c, author = {Long, Ngo Van and Riezman, Raymond}, title = {T}, year = {2000}}
        @book{d, author = {Yotov, Y. and Piermartini, R. and Monteiro, J.-A. and Larch, M.}, title = {G}, year = {2016}}
    """, "bibtex").entries
    labels = list(bibliography.AuthorYearLabels().format_labels(entries.values()))
    assert labels == ["World Trade Organization 2024a", "World Trade Organization 2024b",
                      "Long and Riezman 2000", "Yotov et al. 2016"]


def test_figure_numbers_are_read_from_sphinx_numbering():
    env = type("Env", (), {"toc_fignumbers": {"book/x": {"figure": {"fig-a": (6, 1)}}}})()
    assert sphinx_ext.figure_numbers(env, "book/x") == {"fig-a": "6.1"}
    assert sphinx_ext.figure_numbers(env, "book/y") == {}


def test_extension_assets_load_only_on_pages_that_use_them():
    from sphinx.builders.html._assets import _CascadingStyleSheet

    assets = [
        _JavaScript("_static/doctools.js"),
        _JavaScript("_static/clipboard.min.js"),
        _JavaScript("_static/copybutton.js"),
        _CascadingStyleSheet("_static/copybutton.css"),
        _JavaScript(None, body="let toggleHintShow = 'Click to show';"),
        _JavaScript("_static/togglebutton.js"),
        _JavaScript(None, body="var togglebuttonSelector = '.toggle, .admonition.dropdown';"),
        _JavaScript("_static/design-tabs.js"),
    ]

    def names(body: str) -> list[str]:
        return [asset.filename or asset.attributes["body"][:15] for asset in sphinx_ext.assets_used(assets, body)]

    assert names("<p>Prose only.</p>") == ["_static/doctools.js"]
    code = '<div class="highlight-python notranslate"><div class="highlight"><pre>x = 1</pre></div></div>'
    assert names(code) == ["_static/doctools.js", "_static/clipboard.min.js", "_static/copybutton.js",
                           "_static/copybutton.css"]
    assert "_static/togglebutton.js" in names('<div class="admonition dropdown note">')
    assert "_static/togglebutton.js" in names('<div class="toggle">')
    # A class that merely contains the word does not count.
    assert names('<button class="sidebar-toggle dropdown-toggle">') == ["_static/doctools.js"]
    assert names('<div class="sd-tab-set docutils">')[-1] == "_static/design-tabs.js"


def test_bootstrap_is_neither_preloaded_nor_loaded_but_handed_to_the_loader():
    head = ('<link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=1" />\n'
            '<link rel="preload" as="script" href="../_static/scripts/pydata-sphinx-theme.js?digest=1" />\n')
    assert sphinx_ext.without_preloads(head, ["scripts/bootstrap.js"]) == (
        '<link rel="preload" as="script" href="../_static/scripts/pydata-sphinx-theme.js?digest=1" />\n')
    end = ('<script defer src="../_static/scripts/bootstrap.js?digest=1"></script>\n'
           '<script defer src="../_static/scripts/pydata-sphinx-theme.js?digest=1"></script>\n')
    assert sphinx_ext.bootstrap_on_demand(end, "../_static/aitrade-bootstrap.js") == (
        '<script defer src="../_static/aitrade-bootstrap.js" data-bootstrap="../_static/scripts/bootstrap.js?digest=1"></script>\n'
        '<script defer src="../_static/scripts/pydata-sphinx-theme.js?digest=1"></script>\n')
    with pytest.raises(ValueError, match="No <script> loads scripts/bootstrap.js"):
        sphinx_ext.bootstrap_on_demand('<script src="other.js"></script>', "../_static/aitrade-bootstrap.js")


def test_pages_outside_the_toc_share_one_resolved_toctree_per_folder():
    from types import SimpleNamespace

    env = SimpleNamespace(config=SimpleNamespace(root_doc="book/index"),
                          toctree_includes={"book/index": ["book/chapter"], "book/chapter": ["book/chapter/section"]})
    app = SimpleNamespace(env=env, builder=SimpleNamespace())
    calls = []

    def context_for(pagename: str) -> dict:
        context = {"toctree": lambda **kwargs: calls.append((pagename, kwargs)) or f"toc for {pagename}"}
        sphinx_ext.share_toctrees_outside_the_toc(app, pagename, "page.html", context, None)
        return context

    profiles = [context_for(f"book/country-profiles/{code}")["toctree"](collapse=False) for code in ("bel", "fra")]
    assert profiles == ["toc for book/country-profiles/bel"] * 2 and len(calls) == 1
    assert context_for("book/country-profiles/fra")["toctree"](collapse=True) == "toc for book/country-profiles/fra"
    assert context_for("book/datasets/wdi")["toctree"](collapse=False) == "toc for book/datasets/wdi"
    in_toc = [context_for("book/chapter/section")["toctree"](collapse=False) for _ in range(2)]
    assert in_toc == ["toc for book/chapter/section"] * 2 and len(calls) == 5
