"""aitrade.charts: annotated, deterministic, offline chart output; vendored Vega intact."""

from __future__ import annotations

import hashlib
import json
import re

import altair as alt
import pandas as pd
import pytest

from aitrade import charts, data
from aitrade.charts import layout, markup
from aitrade.site.sphinx_ext import STATIC_DIR

FRAME = pd.DataFrame({"economy": ["United States", "China"], "spend": [62697, 2306]})


def bar_chart(description="Bar chart of spending: United States 62,697; China 2,306."):
    chart = alt.Chart(FRAME).mark_bar().encode(x="spend:Q", y="economy:N", tooltip=["economy", "spend"])
    return charts.annotate(chart, description=description, datasets=["idc-public-cloud-spend-2016"])


def test_renderer_is_enabled_on_import():
    assert alt.renderers.active == charts.RENDERER_NAME
    assert alt.theme.active == charts.theme.THEME_NAME


def test_output_is_byte_identical_for_equal_charts():
    first = bar_chart()._repr_mimebundle_()
    second = bar_chart()._repr_mimebundle_()
    first = first[0] if isinstance(first, tuple) else first
    second = second[0] if isinstance(second, tuple) else second
    assert first == second


def test_output_changes_when_the_data_change():
    html = charts.render_html(bar_chart().to_dict())
    changed = charts.annotate(
        alt.Chart(FRAME.assign(spend=[62698, 2306])).mark_bar().encode(x="spend:Q", y="economy:N"),
        description="Bar chart of spending: United States 62,697; China 2,306.",
        datasets=["idc-public-cloud-spend-2016"],
    )
    assert charts.render_html(changed.to_dict()) != html
    assert "62698" in charts.render_html(changed.to_dict())


def test_output_carries_description_source_and_licence_and_no_script():
    html = charts.render_html(bar_chart().to_dict())
    info = data.info("idc-public-cloud-spend-2016")
    assert "Chart: Bar chart of spending" in html
    assert f"Source: {info.attribution}" in html
    assert f"Licence: {info.licence}." in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="application/json" class="aitrade-chart__spec">']
    assert not re.search(r'\b(?:src|href)=', html)
    spec = json.loads(re.search(r"<script[^>]*>(.*)</script>", html, re.S).group(1))
    assert spec["description"].startswith("Bar chart of spending")


def test_closing_script_tags_in_text_cannot_break_out():
    chart = bar_chart(description="Evil </script><script>alert(1)</script> text")
    html = charts.render_html(chart.to_dict())
    assert html.count("</script>") == 1
    assert "<\\/script>" in html


def test_unannotated_chart_is_refused():
    chart = alt.Chart(FRAME).mark_bar().encode(x="spend:Q", y="economy:N")
    with pytest.raises(charts.ChartError, match="annotate"):
        charts.render_html(chart.to_dict())
    with pytest.raises(charts.ChartError, match="description"):
        charts.annotate(chart, description="  ", source="x", licence="y")
    with pytest.raises(charts.ChartError, match="source and a licence"):
        charts.annotate(chart, description="A chart.")


def test_title_wraps_long_findings():
    title = charts.title("word " * 30, "sub " * 40).to_dict()
    assert len(title["text"]) > 1 and all(len(line) <= 62 for line in title["text"])


def test_titles_never_break_a_hyphenated_word():
    """Lines are joined with a space where the page shows the title as text: a break at a
    hyphen would print 'log- linear'."""
    subtitle = "two separate log-linear fits with pair-clustered errors " * 6
    title = charts.title("cybersecurity-related measures " * 5, subtitle).to_dict()
    for lines in (title["text"], title["subtitle"]):
        assert len(lines) > 1 and not any(line.endswith("-") for line in lines)


def test_vendored_vega_files_are_intact_and_match_altair():
    manifest = json.loads((STATIC_DIR / "aitrade-charts" / "VENDOR.json").read_text())
    for filename, entry in manifest["files"].items():
        content = (STATIC_DIR / "aitrade-charts" / filename).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], filename
        assert b"sourceMappingURL" not in content, filename
        assert (STATIC_DIR / "aitrade-charts" / entry["licence_file"]).is_file()
    assert "v" + manifest["files"]["vega-lite.min.js"]["version"] == alt.SCHEMA_VERSION


def test_annotate_records_the_datasets_for_their_appendix_links():
    meta = bar_chart().to_dict()["usermeta"]["aitrade"]
    assert meta["datasets"] == ["idc-public-cloud-spend-2016"]
    cited = charts.annotate(alt.Chart(FRAME).mark_bar(), description="A chart.", source="A report.", licence="CC BY 4.0.")
    assert cited.to_dict()["usermeta"]["aitrade"]["datasets"] == []


def test_a_rendered_chart_is_read_back_with_its_id_and_rounded_spec():
    chart = charts.annotate(
        alt.Chart(pd.DataFrame({"x": [1 / 3, 2.0]})).mark_point().encode(x="x:Q"),
        description="Two points.", source="Test.", licence="CC0.", digits={"x": 3},
    )
    page = "<p>Before</p>\n" + charts.render_html(chart.to_dict()) + "\n<p>After</p>"
    (block,) = markup.chart_blocks(page)
    assert block.chart_id.startswith(markup.ID_PREFIX) and f'id="{block.chart_id}"' in page
    (rows,) = block.spec["datasets"].values()
    assert rows == [{"x": 0.333}, {"x": 2.0}]
    assert block.spec["usermeta"]["aitrade"]["licence"] == "CC0."
    inserted = markup.with_lines_after_source(page, lambda found: f"<p>{found.chart_id}</p>")
    assert inserted.index(markup.SOURCE_CLASS) < inserted.index(f"<p>{block.chart_id}</p>") < inserted.index(markup.SPEC_CLASS)


def test_glue_and_the_renderer_refuse_an_unannotated_chart_with_one_message():
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    with pytest.raises(charts.ChartError, match="Chart 'fig' has no description or source line"):
        markup.require_annotated(spec, "Chart 'fig'")
    with pytest.raises(charts.ChartError, match="This chart has no description or source line"):
        charts.render_html(spec)


def test_an_ordered_colour_lists_and_colours_the_categories_in_the_stated_order():
    order = ["High income", "Low income"]
    encoding = charts.ordered_colour("income_group:N", order, title="Income group").to_dict()
    assert encoding == {"field": "income_group", "type": "nominal", "title": "Income group",
                        "sort": order, "scale": {"domain": order}}
    assert "title" not in charts.ordered_colour("income_group:N", order).to_dict()


def test_the_theme_cuts_no_label_and_no_legend_text():
    config = charts.theme.handbook_theme()["config"]
    assert config["axis"]["labelLimit"] == 0 and config["axis"]["titleLimit"] == 0
    assert config["legend"]["labelLimit"] == 0 and config["legend"]["titleLimit"] == 0
    assert config["legend"]["direction"] == "vertical"
    assert config["axisXDiscrete"]["labelExpr"] == charts.theme.WRAP_LABEL
    assert config["axisX"]["labelAngle"] == 0


def test_a_published_chart_has_its_title_as_text_above_the_drawing():
    chart = bar_chart().properties(title=charts.title("A finding " * 12, "A subtitle"))
    html = charts.render_html(chart.to_dict())
    spec = markup.chart_blocks(html)[0].spec
    assert "title" not in spec
    assert f'<p class="{markup.TITLE_CLASS}">{"A finding " * 11}A finding</p>' in html
    assert f'<p class="{markup.SUBTITLE_CLASS}">A subtitle</p>' in html
    assert html.index(markup.TITLE_CLASS) < html.index(markup.CANVAS_CLASS)
    assert "<br>\nLicence:" in html  # the licence on its own line


def test_long_axis_and_legend_titles_are_wrapped_and_legends_wrap_their_labels():
    frame = pd.DataFrame({"group": ["A"], "value": [1.0]})
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("value:Q", title="Identified JSI participants, share of the group's WTO members"),
        y=alt.Y("group:N", title="Number of WTO members taking part at each step of the initiative"),
        color=alt.Color("group:N", title="World Bank income group (number of economies in brackets)"),
    ).properties(height=200)
    published = layout.published(charts.annotate(chart, description="d", source="s", licence="l").to_dict())
    encoding = published["encoding"]
    assert all(len(line) <= layout.X_TITLE_LINE for line in encoding["x"]["title"])
    assert all(len(line) * layout.CHARACTER_PX <= 200 for line in encoding["y"]["title"])
    assert all(len(line) <= layout.LEGEND_TITLE_LINE for line in encoding["color"]["title"])
    assert encoding["color"]["legend"]["labelExpr"] == charts.theme.WRAP_LABEL
    short = layout.published(alt.Chart(frame).mark_bar().encode(x=alt.X("value:Q", title="Share")).to_dict())
    assert short["encoding"]["x"]["title"] == "Share"


def test_two_channels_of_one_field_in_one_order_share_one_legend():
    frame = pd.DataFrame({"outcome": ["Extended", "Established"], "year": [1998, 2001]})
    order = ["Established", "Extended"]
    chart = alt.Chart(frame).mark_point().encode(
        x="year:Q", color=alt.Color("outcome:N", sort=order), shape=alt.Shape("outcome:N", sort=order))
    encoding = layout.published(chart.to_dict())["encoding"]
    assert encoding["color"]["scale"]["domain"] == order == encoding["shape"]["scale"]["domain"]
    other = alt.Chart(frame).mark_point().encode(x="year:Q", color=alt.Color("outcome:N", sort=order),
                                                  shape=alt.Shape("outcome:N"))
    assert "scale" not in layout.published(other.to_dict())["encoding"]["color"]


def test_a_chart_of_several_datasets_names_each_licence_once_and_separates_its_sources():
    names = ["wdi-gdp-per-capita", "wdi-population", "wto-jsi-ecommerce-participants"]
    meta = charts.annotate(alt.Chart(FRAME).mark_bar(), description="d", datasets=names).to_dict()["usermeta"]["aitrade"]
    infos = [data.info(name) for name in names]
    assert meta["source"] == "; ".join(info.attribution.rstrip(". ") for info in infos) + "."
    assert meta["licence"].count(infos[0].licence) == 1
    assert f"({infos[0].short_title}, {infos[1].short_title})" in meta["licence"]
