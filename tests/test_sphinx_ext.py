"""aitrade.sphinx_ext: which pages get Vega, and the cleaned script lists."""

from __future__ import annotations

from sphinx.builders.html._assets import _JavaScript

from aitrade import sphinx_ext


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
