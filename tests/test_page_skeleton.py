"""A page's shape keeps what the browser checks look at and drops only data.

The browser test skips a page only when its frame is that of opened pages and each of
its element contexts was seen on one of them: so a page that differs only in data must
be covered, and any change an axe rule, a console error or a request depends on must not.
"""

from __future__ import annotations

import json

import pytest

from page_skeleton import page_shape, pages_to_open

PAGE = """<html lang="en"><head><title>{title}</title>
<link rel="stylesheet" href="../_static/styles.css"><link rel="next" href="{next}.html">
<script src="../_static/{script}.js"></script></head>
<body><header>Handbook</header><main>
<h1>{title}</h1>
<table class="aitrade-table"><thead><tr><th scope="col">Indicator</th><th scope="col">{th}</th></tr></thead>
<tbody>{rows}</tbody></table>
<p>See <a href="{target}">{link}</a>.</p>
<img src="../images/logo.svg" alt="{alt}">
<script type="application/json" class="aitrade-chart__spec">{spec}</script>
</main><footer>Licence</footer></body></html>"""

ROW = '<tr class="row-{parity}"><td>{name}</td><td>{value}</td></tr>'
SPEC = {"mark": "line", "encoding": {"x": {"field": "year", "type": "quantitative"}},
        "datasets": {"data-1": [{"year": 2020, "value": 1.5}]}}


def rows(names: list[str]) -> str:
    return "".join(ROW.format(parity="odd" if n % 2 else "even", name=name, value=n * 1.5)
                   for n, name in enumerate(names))


def page(**changes) -> str:
    values = {"title": "Kenya", "next": "kgz", "script": "charts", "th": "Value", "target": "ken.html",
              "link": "the dataset", "alt": "Logo", "rows": rows(["A", "B", "C"]), "spec": json.dumps(SPEC)}
    values.update(changes)
    return PAGE.format(**values)


def covered(html: str, by: str) -> bool:
    """True when the browser may skip ``html`` once it has opened ``by``."""
    shape, seen = page_shape(html, "book/profiles/a.html"), page_shape(by, "book/profiles/b.html")
    return shape.frame == seen.frame and shape.contexts <= seen.contexts


def test_a_page_of_one_template_with_other_data_is_covered():
    other_spec = dict(SPEC, datasets={"data-9": [{"year": 2021, "value": None}, {"year": 2022, "value": 3}]})
    other = page(title="Peru", next="phl", target="per.html", link="its page", alt="Another logo",
                 rows=rows([f"Row {n}" for n in range(7)]), spec=json.dumps(other_spec))
    assert covered(other, by=page()) and covered(page(), by=other)


@pytest.mark.parametrize("change", [
    {"th": ""},  # an empty header cell (axe empty-table-header)
    {"link": ""},  # a link with no text (link-name)
    {"link": "<span></span>"},  # a link whose only child is empty
    {"alt": ""},  # an image without alternative text (image-alt)
    {"script": "other"},  # another script: other console errors and requests
    {"rows": '<tr><td colspan="2">x</td></tr>'},  # another cell structure
    {"rows": '<tr><td>x</td><td><a href="#">y</a></td></tr>'},  # a link inside a cell
    {"rows": '<tr><td style="color: #999">x</td><td>y</td></tr>'},  # an inline colour (contrast)
    {"spec": json.dumps(dict(SPEC, mark="bar"))},  # a chart of another kind
    {"title": "Kenya</h1><h3>Detail</h3><h1>Kenya"},  # a skipped heading level (heading-order)
])
def test_a_change_an_axe_rule_or_a_request_sees_is_not_covered(change):
    assert not covered(page(**change), by=page())


def test_a_second_main_landmark_is_not_covered():
    assert not covered(page().replace("<footer>", "<main>x</main><footer>"), by=page())


def test_a_file_loaded_from_another_folder_is_another_file():
    assert page_shape(page(), "book/a/p.html").frame != page_shape(page(), "book/p.html").frame


def test_the_browser_opens_pages_until_every_element_context_is_seen():
    with_link = rows(["A"]) + '<tr><td>x</td><td><a href="#">y</a></td></tr>'
    pages = {"a": page(), "b": page(title="The longest title of all", rows=with_link), "c": page(title="C"),
             "d": page(th=""), "e": page(script="other")}
    opened, groups = pages_to_open(pages)
    # b has the most text and every context of a and c; d has an empty header cell; e loads
    # another script.
    assert opened == ["b", "d", "e"]
    assert groups == {"a": ["a", "b", "c", "d"], "e": ["e"]}


def test_the_page_with_the_most_text_is_opened_even_when_another_covers_it():
    with_link = rows(["A"]) + '<tr><td>x</td><td><a href="#">y</a></td></tr>'
    pages = {"short": page(rows=with_link), "long": page(title="A title far longer than the others")}
    opened, _ = pages_to_open(pages)
    assert opened == ["long", "short"]
