"""aitrade.chart_data: the CSV behind each chart and the line that links it."""

from __future__ import annotations

import csv
import io

import altair as alt
import pandas as pd
import pytest

from aitrade import charts
from aitrade.charts import data_files

FRAME = pd.DataFrame({"economy": ["United States", "China"], "spend": [62697.0, None]})


def rendered(chart) -> str:
    return charts.render_html(chart.to_dict())


def bar_chart():
    chart = alt.Chart(FRAME).mark_bar().encode(x="spend:Q", y="economy:N")
    return charts.annotate(chart, description="Spending by economy.", datasets=["idc-public-cloud-spend-2016"])


def page_links(path: str) -> str:
    return "../../" + path


def test_the_csv_holds_exactly_the_charted_rows_with_missing_cells_empty():
    files = data_files.csv_files(bar_chart().to_dict(), "aitrade-chart-0")
    assert list(files) == ["aitrade-chart-0.csv"]
    rows = list(csv.reader(io.StringIO(files["aitrade-chart-0.csv"])))
    assert rows == [["economy", "spend"], ["United States", "62697.0"], ["China", ""]]


def test_a_layered_chart_gets_one_csv_per_dataset():
    line = alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})).mark_line().encode(x="x:Q", y="y:Q")
    bars = alt.Chart(FRAME).mark_bar().encode(x="spend:Q", y="economy:N")
    chart = charts.annotate(bars + line, description="Layers.", datasets=["idc-public-cloud-spend-2016"])
    files = data_files.csv_files(chart.to_dict(), "aitrade-chart-1")
    assert list(files) == ["aitrade-chart-1-1.csv", "aitrade-chart-1-2.csv"]
    assert files["aitrade-chart-1-2.csv"] == "x,y\n0.0,0.0\n1.0,1.0\n"


def test_a_chart_without_inline_data_is_refused_by_name():
    spec = {"data": {"url": "remote.csv"}}
    with pytest.raises(data_files.ChartDataError, match="aitrade-chart-2 has no inline data"):
        data_files.csv_files(spec, "aitrade-chart-2")


def test_the_build_writes_the_csv_and_links_it_with_the_dataset_page(tmp_path):
    body = "<p>Before.</p>\n" + rendered(bar_chart()) + "\n<p>After.</p>"
    result = data_files.add_data_links(body, tmp_path, page_links, lambda name: f"Title of {name}")
    chart_id = body.split('id="', 1)[1].split('"', 1)[0]
    written = tmp_path / "chart-data" / f"{chart_id}.csv"
    assert written.read_text() == "economy,spend\nUnited States,62697.0\nChina,\n"
    assert f'<a href="../../chart-data/{chart_id}.csv" download>CSV</a>' in result
    assert (
        '<a href="../../book/appendix/datasets/idc-public-cloud-spend-2016.html">'
        "Title of idc-public-cloud-spend-2016</a>" in result
    )
    # The line sits between the source line and the spec, inside the chart's div.
    assert result.index("aitrade-chart__source") < result.index("aitrade-chart__data") < result.index("aitrade-chart__spec")
    assert result.startswith("<p>Before.</p>") and result.endswith("<p>After.</p>")


def test_a_chart_of_cited_facts_links_its_csv_and_no_dataset_page(tmp_path):
    chart = charts.annotate(alt.Chart(FRAME).mark_bar(), description="Facts.", source="A report.", licence="CC BY 4.0.")
    result = data_files.add_data_links(rendered(chart), tmp_path, page_links, lambda name: name)
    assert "Data behind this chart:" in result and "Dataset page" not in result
