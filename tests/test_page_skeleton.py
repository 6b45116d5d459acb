"""A page's skeleton keeps what the browser checks look at and drops only data.

The browser test opens one page per skeleton, so two pages may share a skeleton only
when they differ in data; anything an axe rule, a console error or a request depends on
must give another skeleton.
"""

from __future__ import annotations

import pytest

from page_skeleton import pages_to_open, skeleton

PAGE = """<html lang="en"><head><title>{title}</title>
<link rel="stylesheet" href="../_static/styles.css"><link rel="next" href="{next}.html">
<script src="../_static/{script}.js"></script></head>
<body><header>Handbook</header><main>
<h1>{title}</h1>
<table class="aitrade-table"><thead><tr><th scope="col">Indicator</th><th scope="col">{th}</th></tr></thead>
<tbody>{rows}</tbody></table>
<p>See <a href="{target}">{link}</a>.</p>
<img src="../images/logo.svg" alt="{alt}">
</main><footer>Licence</footer></body></html>"""

ROW = '<tr class="row-{parity}"><td>{name}</td><td>{value}</td></tr>'


def page(**changes) -> str:
    values = {"title": "Kenya", "next": "kgz", "script": "charts", "th": "Value", "target": "ken.html",
              "link": "the dataset", "alt": "Logo",
              "rows": "".join(ROW.format(parity="odd" if n % 2 else "even", name=f"Indicator {n}",
                                         value=n * 1.5) for n in range(3))}
    values.update(changes)
    return PAGE.format(**values)


def test_pages_of_one_template_with_other_data_share_a_skeleton():
    other = page(title="Peru", next="phl", target="per.html", link="its page", alt="Another logo",
                 rows="".join(ROW.format(parity="odd" if n % 2 else "even", name=f"Row {n}", value=n)
                              for n in range(7)))
    assert skeleton(page(), "book/country-profiles/ken.html") == skeleton(other, "book/country-profiles/per.html")


@pytest.mark.parametrize("change", [
    {"th": ""},  # an empty header cell (axe empty-table-header)
    {"link": ""},  # a link with no text (link-name)
    {"alt": ""},  # an image without alternative text (image-alt)
    {"script": "other"},  # another script: other console errors and requests
    {"rows": '<tr><td colspan="2">x</td></tr>'},  # another cell structure
    {"rows": '<tr><td>x</td><td><a href="#">y</a></td></tr>'},  # a link inside a cell
])
def test_a_change_an_axe_rule_or_a_request_sees_gives_another_skeleton(change):
    assert skeleton(page(**change), "book/p.html") != skeleton(page(), "book/p.html")


def test_heading_order_and_landmark_counts_are_part_of_the_skeleton():
    two_mains = page().replace("<footer>", "<main>x</main><footer>")
    skipped_level = page().replace("<h1>Kenya</h1>", "<h1>Kenya</h1><h3>Detail</h3>")
    for changed in (two_mains, skipped_level):
        assert skeleton(changed, "book/p.html") != skeleton(page(), "book/p.html")


def test_a_file_loaded_from_another_folder_is_another_file():
    assert skeleton(page(), "book/a/p.html") != skeleton(page(), "book/p.html")


def test_one_page_is_opened_per_skeleton_and_two_for_a_larger_group():
    fuller = page(rows="".join(ROW.format(parity="odd", name="A long indicator name " * 5, value=1) for _ in range(2)))
    pages = {"a": page(), "b": page(title="B"), "c": fuller, "d": page(th="")}
    opened, groups = pages_to_open(pages)
    assert opened == ["a", "c", "d"]
    assert groups == {"a": ["a", "b", "c"], "d": ["d"]}
