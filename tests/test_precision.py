"""Numbers leave a notebook at a stated precision, so outputs are identical on any machine.

The perturbation tests shift every input by a few units in the last place, as another
CPU, BLAS library or thread count would, and require byte-identical published outputs:
the chart HTML (spec and id), the CSV behind the chart, the table and the glued text.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from aitrade import charts, glue, precision, tables
from aitrade.charts import data_files, markup
from aitrade.glue import glue_text

# Values as the notebooks computed them: fitted values, shares, multiples, an HHI.
VALUES = [29.025412418624423, 0.5400865478572425, 1.1560524731099757, 3208.0000000000005,
          139.6925738071176, 0.00025316455696202533, -0.4170999999999999]


def nudged(values: list[float], ulps: int) -> list[float]:
    """Each value moved ``ulps`` representable floats up (or down, if negative)."""
    direction = np.inf if ulps > 0 else -np.inf
    moved = np.array(values, dtype=float)
    for _ in range(abs(ulps)):
        moved = np.nextafter(moved, direction)
    return moved.tolist()


def chart_html(values: list[float]) -> str:
    frame = pd.DataFrame({"economy": [f"E{n}" for n in range(len(values))], "value": values,
                          "share": [abs(value) / 10_000 for value in values]})
    chart = alt.Chart(frame).mark_bar().encode(x="value:Q", y="economy:N", tooltip=["share:Q"])
    annotated = charts.annotate(chart, description="Bar chart of test values.",
                                source="Test.", licence="CC0.", digits={"share": 4})
    return charts.render_html(annotated.to_dict(validate=False))


def csv_of(html: str) -> dict[str, str]:
    (block,) = markup.chart_blocks(html)
    return data_files.csv_files(block.spec, block.chart_id)


def table_forms(values: list[float]) -> tuple[str, str]:
    frame = pd.DataFrame({"Economy": [f"E{n}" for n in range(len(values))], "Value": values})
    shown = tables.table(frame, "Test values")
    printed: list[str] = []

    class Printer:
        def text(self, text):
            printed.append(text)

    shown._repr_pretty_(Printer(), False)
    return shown._repr_html_(), printed[0]


@pytest.mark.parametrize("ulps", [1, 2, 4, -1, -3])
def test_chart_and_its_csv_are_byte_identical_after_a_few_ulps(ulps):
    original, perturbed = chart_html(VALUES), chart_html(nudged(VALUES, ulps))
    assert nudged(VALUES, ulps) != VALUES  # the inputs really differ
    assert perturbed == original
    assert csv_of(perturbed) == csv_of(original)


@pytest.mark.parametrize("ulps", [1, 2, 4, -1, -3])
def test_table_is_byte_identical_after_a_few_ulps(ulps):
    assert table_forms(nudged(VALUES, ulps)) == table_forms(VALUES)


@pytest.mark.parametrize("ulps", [1, 2, 4, -1, -3])
def test_glued_numbers_are_byte_identical_after_a_few_ulps(ulps, monkeypatch):
    glued: list[str] = []
    monkeypatch.setattr(glue, "myst_glue", lambda name, value, display: glued.append(value))
    for values in (VALUES, nudged(VALUES, ulps)):
        for number, value in enumerate(values):
            glue.glue_number(f"value_{number}", value, "{:,.2f}")
            glue.glue_percent(f"share_{number}", value / 10_000)
    assert glued[:len(glued) // 2] == glued[len(glued) // 2:]


def test_chart_data_carry_the_stated_digits():
    html = chart_html(VALUES)
    (block,) = markup.chart_blocks(html)
    (rows,) = block.spec["datasets"].values()
    assert rows[0] == {"economy": "E0", "share": 0.002903, "value": 29.0254}  # share: 4 digits, as stated
    assert rows[3]["value"] == 3208.0  # noise above an integer is gone
    assert "29.025412418624423" not in html


def test_a_digits_field_the_chart_does_not_hold_is_refused():
    chart = charts.annotate(alt.Chart(pd.DataFrame({"x": [1.5]})).mark_point().encode(x="x:Q"),
                            description="A point.", source="Test.", licence="CC0.", digits={"y": 3})
    with pytest.raises(charts.ChartError, match=r"names \['y'\].*fields are \['x'\]"):
        charts.render_html(chart.to_dict(validate=False))


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (29.025412418624423, 6, 29.0254),
    (0.00025316455696202533, 3, 0.000253),
    (-0.4170999999999999, 6, -0.4171),
    (139692573807.1176, 6, 139693000000.0),
    (2.0, 1, 2.0),
    (1e300 + 0.5, 6, 1e300),
])
def test_significant_rounds_to_significant_digits(value, digits, expected):
    assert precision.significant(value, digits) == expected


def test_significant_leaves_exact_and_non_finite_values_alone():
    assert precision.significant(2018.0) == 2018.0
    assert precision.significant(0.0) == 0.0
    assert math.isnan(precision.significant(float("nan")))
    assert precision.significant(float("inf")) == float("inf")
    with pytest.raises(ValueError, match="at least 1"):
        precision.significant(1.5, 0)


def test_round_frame_rounds_floats_only_and_keeps_missing_values():
    frame = pd.DataFrame({"name": ["a", "b"], "count": [1, 2],
                          "share": pd.array([0.123456789, None], dtype="Float64")})
    rounded = precision.round_frame(frame)
    assert rounded["share"].iloc[0] == 0.123457 and pd.isna(rounded["share"].iloc[1])
    assert rounded["share"].dtype == frame["share"].dtype
    assert rounded["count"].tolist() == [1, 2] and rounded["name"].tolist() == ["a", "b"]
    assert frame["share"].iloc[0] == 0.123456789  # the input is left as it was


def test_glue_refuses_text_with_a_full_precision_float():
    with pytest.raises(precision.PrecisionError, match="glue 'ratio'.*0.1000000000000"):
        glue_text("ratio", f"{0.1 + 0.2 - 0.2}")


def test_a_chart_description_with_a_full_precision_float_is_refused():
    with pytest.raises(precision.PrecisionError, match="description"):
        charts.annotate(alt.Chart(pd.DataFrame({"x": [1]})).mark_point(),
                        description=f"A share of {1 / 3}.", source="Test.", licence="CC0.")
