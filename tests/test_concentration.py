"""aitrade.concentration on hand-computed cases and on input with no meaning."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from aitrade import concentration


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
