"""aitrade.glue formats numbers as printed; aitrade.tables renders stable HTML."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from aitrade import glue, precision, tables


@pytest.fixture
def glued(monkeypatch):
    """Capture what the helpers hand to myst-nb's glue."""
    captured = {}
    monkeypatch.setattr(glue, "myst_glue", lambda name, value, display: captured.update({name: value}))
    return captured


def test_numpy_values_are_glued_as_formatted_plain_text(glued):
    glue.glue_number("total", np.float64(85964.0))
    glue.glue_number("ratio", np.int64(27), "{:d}")
    glue.glue_percent("share", np.float64(0.72934))
    glue.glue_number("hhi", 5819.2, "{:,.1f}")
    assert glued == {"total": "85,964", "ratio": "27", "share": "72.9%", "hhi": "5,819.2"}


def test_non_numbers_are_refused(glued):
    with pytest.raises(TypeError, match="Expected a number"):
        glue.glue_number("x", "85964")
    with pytest.raises(TypeError, match="Expected a number"):
        glue.glue_percent("x", True)
    with pytest.raises(TypeError, match="expects a string"):
        glue.glue_text("x", 3)
    assert glued == {}


def test_table_html_is_stable_and_text_shows_values():
    frame = pd.DataFrame({"spend": [46428, 804]}, index=pd.Index(["United States", "China"], name="Economy"))
    first = tables.table(frame, "Spending, million US$")
    second = tables.table(frame.copy(), "Spending, million US$")
    assert first._repr_html_() == second._repr_html_()
    assert "46,428" in first._repr_html_() and "<caption>Spending, million US$</caption>" in first._repr_html_()
    text = []
    first._repr_pretty_(type("Printer", (), {"text": lambda self, value: text.append(value)})(), False)
    assert "United States 46,428" in text[0]  # printed as the page prints it


def test_a_table_prints_numbers_with_its_stated_format_in_both_forms():
    frame = pd.DataFrame({"Economy": ["A", "B"], "Value": [13157.223456, None]})
    shown = tables.table(frame, "Values", "{:,.2f}")
    text = []
    shown._repr_pretty_(type("Printer", (), {"text": lambda self, value: text.append(value)})(), False)
    assert "13,157.22" in shown._repr_html_() and "13,157.22" in text[0]
    assert "missing" in shown._repr_html_() and "missing" in text[0]


def test_a_table_that_would_print_a_full_precision_float_is_refused():
    shown = tables.table(pd.DataFrame({"Value": [1 / 3]}), "Values", "{}")
    with pytest.raises(precision.PrecisionError, match="Table 'Values'"):
        shown._repr_html_()


def test_table_needs_a_caption():
    with pytest.raises(ValueError, match="caption"):
        tables.table(pd.DataFrame({"a": [1]}), "")


def test_a_chart_is_glued_only_with_its_source_and_description(glued):
    import altair as alt

    from aitrade import charts

    bare = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_bar().encode(x="x:Q")
    with pytest.raises(ValueError, match="no description or source line"):
        glue.glue_chart("bare", bare)
    assert glued == {}
    annotated = charts.annotate(bare, description="Two bars.", source="Handbook test", licence="CC0")
    glue.glue_chart("annotated", annotated)
    assert list(glued) == ["annotated"]


def gravity_fit(estimates: dict, errors: dict, nobs: int, r2: float):
    """A GravityFit with the given figures (no estimation)."""
    from aitrade.analysis.gravity import GravityFit

    terms = list(estimates)
    return GravityFit(
        estimator="PPML",
        coefficients=pd.DataFrame({"estimate": [estimates[t] for t in terms],
                                   "std_error": [errors[t] for t in terms]}, index=terms),
        vcov=pd.DataFrame(np.diag([errors[t] ** 2 for t in terms]), index=terms, columns=terms),
        nobs=nobs, r2=r2, dropped=0, clusters=10, fixed_effects=("exp_year", "imp_year"),
    )


def test_glue_fits_glues_every_coefficient_error_and_fit_figure_in_order(glued):
    fits = {
        "OLS": gravity_fit({"ln_DIST": -1.21645, "RTA": 0.0104}, {"ln_DIST": 0.0418, "RTA": 0.2}, 25689, 0.75869),
        "Pair FE": gravity_fit({"RTA": 0.5576}, {"RTA": 0.10251}, 28566, 0.9999),
    }
    glue.glue_fits("t3", fits, {"OLS": "ols", "Pair FE": "pair"})
    assert list(glued.items()) == [
        ("t3_ols_ln_dist", "-1.216"), ("t3_ols_ln_dist_se", "0.042"),
        ("t3_ols_rta", "0.010"), ("t3_ols_rta_se", "0.200"),
        ("t3_ols_nobs", "25,689"), ("t3_ols_r2", "0.759"),
        ("t3_pair_rta", "0.558"), ("t3_pair_rta_se", "0.103"),
        ("t3_pair_nobs", "28,566"), ("t3_pair_r2", "1.000"),
    ]


def test_glue_fits_can_keep_some_terms_and_leave_out_the_r_squared(glued):
    fits = {"PPML": gravity_fit({"ln_DIST": -0.8, "WTO": 0.0417}, {"ln_DIST": 0.03, "WTO": 0.0196}, 30000, 0.9)}
    glue.glue_fits("wto", fits, {"PPML": "ppml"}, terms=["WTO"], r2=False)
    assert glued == {"wto_ppml_wto": "0.042", "wto_ppml_wto_se": "0.020", "wto_ppml_nobs": "30,000"}


def test_glue_fits_refuses_a_column_without_a_key(glued):
    with pytest.raises(KeyError, match=r"no key for the column\(s\) \['Lags'\]"):
        glue.glue_fits("t3", {"Lags": gravity_fit({"RTA": 0.1}, {"RTA": 0.1}, 10, 0.5)}, {"OLS": "ols"})
    assert glued == {}


def printed(shown) -> str:
    text = []
    shown._repr_pretty_(type("Printer", (), {"text": lambda self, value: text.append(value)})(), False)
    return text[0]


def test_years_print_as_plain_integers_in_any_number_format():
    frame = pd.DataFrame({"year": [1990, 2018], "Exports (bn US$)": [298.6, 1905.2]})
    for shown in (tables.table(frame, "Exports"), tables.table(frame, "Exports", "{:,.1f}")):
        html = shown._repr_html_()
        assert ">1990<" in html and ">2018<" in html and "1,990" not in html and "1990.0" not in html
        assert "1,990" not in printed(shown)
    assert ">1,905.2<" in tables.table(frame, "Exports", "{:,.1f}")._repr_html_()


def test_rates_print_as_percentages_when_named():
    frame = pd.DataFrame({"Group": ["High income"], "Participation rate": [0.8333]})
    html = tables.table(frame, "Rates", "{:.3f}", percent=["Participation rate"])._repr_html_()
    assert ">83%<" in html and "0.833" not in html
    assert ">83.3%<" in tables.table(frame, "Rates", percent=["Participation rate"], percent_digits=1)._repr_html_()
    with pytest.raises(KeyError, match="no column"):
        tables.table(frame, "Rates", percent=["Rate"])


def test_raw_field_names_become_headings_and_names_override_them():
    frame = pd.DataFrame({"date": ["1998-05-20"], "wto_members": [132], "Confidence": ["high"]})
    html = tables.table(frame, "Moratorium")._repr_html_()
    headings = re.findall(r'<th [^>]*class="col_heading[^"]*"[^>]*>([^<]*)</th>', html)
    assert headings == ["Date", "WTO members", "Confidence"]
    assert "WTO members" in printed(tables.table(frame, "Moratorium"))
    named = tables.table(frame, "Moratorium", names={"date": "Decision date"})._repr_html_()
    assert ">Decision date<" in named
    assert tables.human_name("hhi_top_3") == "HHI top 3" and tables.human_name("Share (%)") == "Share (%)"


def test_text_columns_are_marked_left_and_number_columns_right():
    frame = pd.DataFrame({"Economy": ["Kenya"], "Value": [1.5], "Member": [True]})
    html = tables.table(frame, "Alignment")._repr_html_()
    classes = re.findall(r'class="(?:col_heading level0|data row0) col(\d) ([\w-]+)"', html)
    assert classes == [("0", tables.TEXT_CLASS), ("1", tables.NUMBER_CLASS), ("2", tables.TEXT_CLASS)] * 2
