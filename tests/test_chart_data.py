"""aitrade.charts.data_files: the CSV behind each chart and the line that links it."""

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
    files = data_files.csv_files(bar_chart().to_dict(), "cloud-spend-fig-2-1")
    assert list(files) == ["cloud-spend-fig-2-1.csv"]
    rows = list(csv.reader(io.StringIO(files["cloud-spend-fig-2-1.csv"])))
    assert rows == [["Economy", "Spend"], ["United States", "62697.0"], ["China", ""]]


def test_the_csv_keeps_the_charted_columns_under_their_titles_at_the_precision_shown():
    frame = pd.DataFrame({
        "economy": ["U.S.", "China"], "economy_name": ["United States", "China"],
        "share": [0.5400865478572425, 0.1], "usd": [46428.4, 804.0], "year": [2016, 2016],
        "source": ["digitaltrade_templates (references.bib)"] * 2,
    })
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("share:Q", title="Share of spending", axis=alt.Axis(format="%")),
        y=alt.Y("economy_name:N", title="Economy"),
        tooltip=[alt.Tooltip("share:Q", title="Share", format=".1%"),
                 alt.Tooltip("usd:Q", title="Spending (million US$)", format=",.0f"),
                 alt.Tooltip("year:Q", title="Year", format="d")],
    )
    spec = charts.annotate(chart, description="Shares.", source="A table.", licence="CC BY 4.0.").to_dict()
    (text,) = data_files.csv_files(spec, "cloud-spend-fig-2-2").values()
    rows = list(csv.reader(io.StringIO(text)))
    # Raw labels ("U.S.") and the bibliography key stay out; tooltip titles head the columns.
    assert rows == [["Economy", "Share", "Spending (million US$)", "Year"],
                    ["United States", "0.54", "46428", "2016"],
                    ["China", "0.1", "804", "2016"]]


def test_cells_a_spreadsheet_would_run_are_neutralised_and_numbers_are_not():
    rows = [{"label": "=HYPERLINK(\"x\")", "note": "+1 more", "who": "@me", "tab": "\tx", "cr": "\rx",
             "dash": "- item", "value": -0.5, "text_number": "-12.5", "plain": "Kenya"}]
    lines = list(csv.reader(io.StringIO(data_files.csv_text(rows), newline="")))
    assert lines[1] == ["'=HYPERLINK(\"x\")", "'+1 more", "'@me", "'\tx", "'\rx", "'- item", "-0.5", "-12.5", "Kenya"]
    assert data_files.safe_cell(-3) == -3 and data_files.safe_cell("-3e5") == "-3e5"


def test_a_layered_chart_gets_one_csv_per_dataset_named_as_parts():
    line = alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})).mark_line().encode(x="x:Q", y="y:Q")
    bars = alt.Chart(FRAME).mark_bar().encode(x="spend:Q", y="economy:N")
    chart = charts.annotate(bars + line, description="Layers.", datasets=["idc-public-cloud-spend-2016"])
    files = data_files.csv_files(chart.to_dict(), "ita-trade-fig-6-2")
    assert list(files) == ["ita-trade-fig-6-2-part-1.csv", "ita-trade-fig-6-2-part-2.csv"]
    assert files["ita-trade-fig-6-2-part-2.csv"] == "X,Y\r\n0.0,0.0\r\n1.0,1.0\r\n"
    line_html = data_files.data_line(files, [], page_links, str)
    assert "draws 2 tables, one file each" in line_html and "CSV, part 2</a> (X, Y)" in line_html


def test_a_chart_without_inline_data_is_refused_by_name():
    spec = {"data": {"url": "remote.csv"}}
    with pytest.raises(data_files.ChartDataError, match="ita-trade-fig-6-1 has no inline data"):
        data_files.csv_files(spec, "ita-trade-fig-6-1")


def test_files_are_named_after_the_page_and_the_figure(tmp_path):
    figure = '<figure class="align-default" id="fig-ita-growth">\n' + rendered(bar_chart()) + "\n</figure>"
    loose = rendered(charts.annotate(alt.Chart(FRAME).mark_bar().encode(x="spend:Q"),
                                     description="Loose.", source="A report.", licence="CC0."))
    body = figure + "\n<p>Text</p>\n" + loose
    result = data_files.add_data_links(body, tmp_path, page_links, str, "book/04-wto-role/ita-trade",
                                       {"fig-ita-growth": "6.1"})
    assert sorted(path.name for path in (tmp_path / "chart-data").iterdir()) == [
        "ita-trade-chart-1.csv", "ita-trade-fig-6-1.csv"]
    assert 'href="../../chart-data/ita-trade-fig-6-1.csv"' in result
    assert data_files.file_stem("book/country-profiles/usa", None, 1) == "usa-chart-1"


def test_the_build_writes_the_csv_and_links_it_with_the_dataset_page(tmp_path):
    body = "<p>Before.</p>\n" + rendered(bar_chart()) + "\n<p>After.</p>"
    result = data_files.add_data_links(body, tmp_path, page_links, lambda name: f"Title of {name}", "book/x/cloud")
    written = tmp_path / "chart-data" / "cloud-chart-1.csv"
    assert written.read_bytes() == b"Economy,Spend\r\nUnited States,62697.0\r\nChina,\r\n"
    assert '<a href="../../chart-data/cloud-chart-1.csv" download>CSV</a>' in result
    assert (
        '<a href="../../book/appendix/datasets/idc-public-cloud-spend-2016.html">'
        "Title of idc-public-cloud-spend-2016</a>" in result
    )
    # The line sits between the source line and the spec, inside the chart's div.
    assert result.index("aitrade-chart__source") < result.index("aitrade-chart__data") < result.index("aitrade-chart__spec")
    assert result.startswith("<p>Before.</p>") and result.endswith("<p>After.</p>")


def test_a_chart_of_cited_facts_links_its_csv_and_no_dataset_page(tmp_path):
    chart = charts.annotate(alt.Chart(FRAME).mark_bar(), description="Facts.", source="A report.", licence="CC BY 4.0.")
    result = data_files.add_data_links(rendered(chart), tmp_path, page_links, lambda name: name, "book/x/facts")
    assert "Data behind this chart:" in result and "Dataset page" not in result
