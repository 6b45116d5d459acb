"""aitrade.concentration on hand-computed cases and on input with no meaning."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from aitrade.analysis import concentration


def test_equal_shares_give_one_over_n():
    amounts = pd.Series([5, 5, 5, 5], index=list("abcd"))
    assert concentration.hhi(amounts) == pytest.approx(0.25)
    assert concentration.equivalent_number(amounts) == pytest.approx(4.0)
    assert concentration.top_share(amounts, 3) == pytest.approx(0.75)


def test_monopoly_gives_one():
    amounts = pd.Series([0, 7.5, 0], index=list("abc"))
    assert concentration.hhi(amounts) == 1.0
    assert concentration.shares(amounts).tolist() == [0.0, 1.0, 0.0]


def test_hand_computed_case():
    # shares 0.5, 0.3, 0.2 -> 0.25 + 0.09 + 0.04 = 0.38
    amounts = pd.Series([50, 30, 20], index=list("abc"))
    assert concentration.hhi(amounts) == pytest.approx(0.38)
    assert concentration.equivalent_number(amounts) == pytest.approx(1 / 0.38)
    assert concentration.top_share(amounts, 1) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        (pd.Series([], dtype="float64"), "empty"),
        (pd.Series([math.nan, math.nan], index=["a", "b"]), r"missing amounts for \['a', 'b'\]"),
        (pd.Series([3.0, math.nan], index=["a", "b"]), r"missing amounts for \['b'\]"),
        (pd.Series([3, -1], index=["a", "b"]), r"negative amounts for \['b'\]"),
        (pd.Series([0, 0], index=["a", "b"]), "sum to zero"),
    ],
)
def test_meaningless_input_is_refused(amounts, message):
    with pytest.raises(ValueError, match=message):
        concentration.hhi(amounts)


def test_top_share_needs_positive_k():
    with pytest.raises(ValueError, match="k must be at least 1"):
        concentration.top_share(pd.Series([1, 2]), 0)


# Lorenz curve and Gini. Gini = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n with the
# amounts sorted ascending, i.e. one minus twice the area under the Lorenz curve.


def test_equal_shares_lie_on_the_diagonal_with_gini_zero():
    amounts = pd.Series([5, 5, 5, 5], index=list("abcd"))
    curve = concentration.lorenz_curve(amounts)
    assert curve["economy_share"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve["amount_share"].tolist() == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])
    # Ties are broken by label, so the order is deterministic.
    assert curve["economy"].tolist()[1:] == ["a", "b", "c", "d"]
    assert pd.isna(curve["economy"].iloc[0])
    assert concentration.gini(amounts) == pytest.approx(0.0)


def test_monopoly_gini_is_n_minus_one_over_n():
    # One of five economies holds everything: the curve stays at 0 until the last point.
    amounts = pd.Series([0, 0, 9, 0, 0], index=list("abcde"))
    curve = concentration.lorenz_curve(amounts)
    assert curve["amount_share"].tolist() == [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    assert curve["economy"].iloc[-1] == "c"
    assert concentration.gini(amounts) == pytest.approx(4 / 5)
    assert concentration.hhi(amounts) == 1.0


def test_hand_computed_lorenz_and_gini():
    # Amounts 1, 2, 3, 4 (total 10), given out of order.
    # Lorenz points: (0, 0), (0.25, 0.1), (0.5, 0.3), (0.75, 0.6), (1, 1).
    # Area under the curve by trapezoids:
    #   0.25 * [(0 + 0.1) + (0.1 + 0.3) + (0.3 + 0.6) + (0.6 + 1)] / 2 = 0.25 * 3 / 2 = 0.375
    # Gini = 1 - 2 * 0.375 = 0.25; by the rank formula: 2 * (1 + 4 + 9 + 16) / (4 * 10) - 5/4
    #      = 1.5 - 1.25 = 0.25.
    amounts = pd.Series([3, 1, 4, 2], index=["c", "a", "d", "b"])
    curve = concentration.lorenz_curve(amounts)
    assert curve["economy"].tolist()[1:] == ["a", "b", "c", "d"]
    assert curve["economy_share"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve["amount_share"].tolist() == pytest.approx([0.0, 0.1, 0.3, 0.6, 1.0])
    assert concentration.gini(amounts) == pytest.approx(0.25)


def test_zeros_count_as_economies():
    # Adding two economies with nothing to [1, 2, 3, 4]: n = 6, sorted 0, 0, 1, 2, 3, 4,
    # sum(i * x_i) = 3 + 8 + 15 + 24 = 50, Gini = 2 * 50 / 60 - 7/6 = 10/6 - 7/6 = 0.5.
    amounts = pd.Series([1, 2, 3, 4, 0, 0], index=list("abcdef"))
    assert concentration.gini(amounts) == pytest.approx(0.5)
    assert concentration.summary(amounts)["economies"] == 6


def test_summary_on_a_hand_computed_case():
    # shares 0.5, 0.3, 0.2: HHI 0.38; sorted 0.2, 0.3, 0.5:
    # Gini = 2 * (0.2 + 0.6 + 1.5) / 3 - 4/3 = 4.6/3 - 4/3 = 0.2.
    result = concentration.summary(pd.Series([50, 30, 20], index=list("abc")))
    assert result.to_dict() == pytest.approx(
        {"economies": 3, "top1_share": 0.5, "top3_share": 1.0, "hhi": 0.38,
         "equivalent_number": 1 / 0.38, "gini": 0.2}
    )


def test_summary_by_year():
    frame = pd.DataFrame(
        {"year": [2021, 2020, 2020, 2021, 2020, 2021],
         "economy": list("abcabc"),
         "amount": [5, 1, 0, 5, 1, 5]}
    )
    result = concentration.summary_by(frame, "year", "amount", economy="economy")
    assert result.index.tolist() == [2020, 2021]
    assert result["economies"].tolist() == [3, 3]
    # 2020: amounts a=1, b=0, c=1 -> HHI 0.5, Gini 2 * (0 + 1/2 * 2 + 1/2 * 3) / 3 - 4/3 = 1/3.
    assert result.loc[2020, "hhi"] == pytest.approx(0.5)
    assert result.loc[2020, "gini"] == pytest.approx(1 / 3)
    # 2021: equal amounts.
    assert result.loc[2021, "gini"] == pytest.approx(0.0)
    assert result.loc[2021, "equivalent_number"] == pytest.approx(3.0)


def test_summary_by_names_the_group_that_fails():
    frame = pd.DataFrame({"year": [2020, 2021], "economy": ["a", "a"], "amount": [1, math.nan]})
    with pytest.raises(ValueError, match=r"year = 2021: Cannot compute shares: missing amounts for \['a'\]"):
        concentration.summary_by(frame, "year", "amount", economy="economy")
    with pytest.raises(ValueError, match="the frame has no rows"):
        concentration.summary_by(frame.iloc[0:0], "year", "amount")
    with pytest.raises(ValueError, match="no column 'value'"):
        concentration.summary_by(frame, "year", "value")


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        (pd.Series([], dtype="float64"), "Cannot compute shares of an empty series"),
        (pd.Series([math.nan, math.nan], index=["a", "b"]), r"missing amounts for \['a', 'b'\]"),
        (pd.Series([3, -1], index=["a", "b"]), r"negative amounts for \['b'\]"),
        (pd.Series([0, 0], index=["a", "b"]), "the amounts sum to zero"),
    ],
)
@pytest.mark.parametrize("measure", ["gini", "lorenz_curve", "summary"])
def test_gini_and_lorenz_refuse_meaningless_input(measure, amounts, message):
    with pytest.raises(ValueError, match=message):
        getattr(concentration, measure)(amounts)
