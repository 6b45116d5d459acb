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


def test_summaries_give_one_row_per_distribution_with_its_largest_economy():
    # Shares 0.75 and 0.25: HHI 0.5625 + 0.0625 = 0.625, 1/HHI = 1.6,
    # Gini 2 * (1 * 0.25 + 2 * 0.75) / 2 - 3 / 2 = 0.25.
    table = concentration.summaries({
        "models": pd.Series([1.0, 3.0], index=["Chile", "Kenya"]),
        "patents": pd.Series([2.0, 2.0, 4.0], index=["Chile", "Kenya", "Peru"]),
    })
    assert table.index.tolist() == ["models", "patents"]
    assert table.loc["models", "largest"] == "Kenya"
    assert table.loc["models", ["economies", "top1_share", "top3_share", "hhi", "equivalent_number", "gini"]].tolist() == \
        pytest.approx([2, 0.75, 1.0, 0.625, 1.6, 0.25])
    # Shares 0.25, 0.25, 0.5: HHI 0.375.
    assert table.loc["patents", "largest"] == "Peru"
    assert table.loc["patents", "hhi"] == pytest.approx(0.375)


def test_summary_table_prints_one_column_per_distribution():
    table = concentration.summaries({"models": pd.Series([1.0, 3.0], index=["Chile", "Kenya"])})
    shown = concentration.summary_table(table, {"models": "models published"})
    assert shown.index.name == "Statistic"
    assert shown["models"].to_dict() == {
        "What is counted": "models published",
        "Economies covered": "2",
        "Largest economy": "Kenya",
        "Largest economy's share": "75.0%",
        "Top-3 share": "100.0%",
        "HHI (0-10,000)": "6,250",
        "Equivalent number of economies": "1.6",
        "Gini coefficient": "0.25",
    }


def test_summary_table_needs_what_each_distribution_counts():
    table = concentration.summaries({"models": pd.Series([1.0, 3.0], index=["Chile", "Kenya"])})
    with pytest.raises(ValueError, match=r"counted lacks \['models'\]"):
        concentration.summary_table(table, {})


def test_market_summary_with_a_rest_of_the_world_entry():
    # Printed shares 50, 30, 10 and 8 for the rest of the world: total 98.
    # HHI (2500 + 900 + 100 + 64) / 98² = 3564 / 9604; the rest of the world adds 64 / 9604.
    summary = concentration.market_summary(
        pd.Series([10, 50, 8, 30], index=["Chile", "Japan", "Various", "Korea"]), residual="Various")
    assert summary["total"] == 98.0
    assert summary["economies"] == 3
    assert summary["leaders"] == ("Japan",)
    assert summary["leader_amount"] == 50.0
    assert summary["top3_share"] == pytest.approx(90 / 98)
    assert summary["hhi"] == pytest.approx(3564 / 9604)
    assert summary["residual_hhi"] == pytest.approx(64 / 9604)
    assert summary["equivalent_number"] == pytest.approx(9604 / 3564)


def test_market_summary_names_every_tied_leader_and_ranks_the_residual_out():
    # The residual (60%) is larger than any economy but is not a leader; the top three
    # economies are Korea, Japan (tied at 15) and Chile (10, ahead of Peru by label).
    summary = concentration.market_summary(
        pd.Series([60, 15, 15, 10, 0], index=["Other", "Korea", "Japan", "Chile", "Peru"]), residual="Other")
    assert summary["economies"] == 4
    assert summary["leaders"] == ("Japan", "Korea")
    assert summary["top3_share"] == pytest.approx(0.40)
    assert summary["residual_hhi"] == pytest.approx(0.36)


def test_market_summary_without_a_residual():
    summary = concentration.market_summary(pd.Series([3.0, 1.0], index=["Chile", "Peru"]))
    assert summary["economies"] == 2
    assert summary["leaders"] == ("Chile",)
    assert summary["residual_hhi"] == 0.0
    assert summary["hhi"] == pytest.approx(0.625)


def test_market_summary_refuses_a_market_with_only_the_residual():
    with pytest.raises(ValueError, match="no economy besides the residual"):
        concentration.market_summary(pd.Series([100.0], index=["Various"]), residual="Various")


def test_zero_filled_panel_covers_every_economy_and_year():
    frame = pd.DataFrame({
        "y": [2020, 2020, 2021, 2019],
        "who": ["Chile", "Chile", "Peru", "Peru"],
        "n": [1.0, 2.0, 5.0, 7.0],
    })
    panel = concentration.zero_filled(frame, economy="who", year="y", amount="n", years=range(2020, 2023))
    assert panel.columns.tolist() == ["year", "economy", "amount"]
    assert list(panel.itertuples(index=False, name=None)) == [
        (2020, "Chile", 3.0), (2020, "Peru", 0.0),
        (2021, "Chile", 0.0), (2021, "Peru", 5.0),
        (2022, "Chile", 0.0), (2022, "Peru", 0.0),
    ]


def test_largest_members_shows_a_group_driven_by_one_economy():
    start = pd.Series({"a": 10.0, "b": 10.0, "c": 5.0, "d": 5.0})
    end = pd.Series({"a": 100.0, "b": 20.0, "c": 10.0, "d": 10.0})
    groups = pd.Series({"a": "G1", "b": "G1", "c": "G2", "d": "G2"})
    table = concentration.largest_members(start, end, groups)
    assert table.loc["G1"].to_dict() == {
        "largest": "a", "largest_end": 100.0, "total_end": 120.0, "largest_share": pytest.approx(100 / 120),
        "multiple": 6.0,            # 120 / 20
        "multiple_without": 2.0,    # b alone: 20 / 10
    }
    assert table.loc["G2", "largest"] == "c"  # a tie goes to the first member
    assert table.loc["G2", "multiple"] == table.loc["G2", "multiple_without"] == 2.0


def test_largest_members_in_a_given_order_with_their_names():
    start = pd.Series({"a": 1.0, "b": 1.0, "c": 1.0})
    end = pd.Series({"a": 3.0, "b": 1.0, "c": 2.0})
    groups = pd.Series({"a": "G1", "b": "G1", "c": "G2"})
    table = concentration.largest_members(start, end, groups, order=["G2", "G1"], name=str.upper)
    assert table.index.tolist() == ["G2", "G1"] and table["name"].tolist() == ["C", "A"]
    assert "name" not in concentration.largest_members(start, end, groups).columns


def test_largest_members_of_a_one_member_group_has_no_multiple_without():
    table = concentration.largest_members(pd.Series({"a": 1.0}), pd.Series({"a": 2.0}), pd.Series({"a": "G"}))
    assert math.isnan(table.loc["G", "multiple_without"])


def test_fractional_labels_split_an_item_among_its_distinct_labels():
    frame = pd.DataFrame({"Model": ["a", "b", "c", "d"],
                          "kind": ["Industry", "Industry,Academia", "Academia, Academia", ""]})
    credits = concentration.fractional(concentration.split_labels(frame, "kind"), "Model", "label")
    totals = credits.groupby("label")["fractional"].sum()
    assert totals.to_dict() == {"Academia": 1.5, "Industry": 1.5}
    assert set(credits["Model"]) == {"a", "b", "c"}
