"""aitrade.analysis.rca on hand-computed cases and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aitrade.analysis import rca


def test_hand_computed_case():
    # Economy a: 30 of 100 in the group (share 0.3); b: 10 of 100 (0.1); c: 0 of 50.
    # World (the three): 40 of 250 = 0.16. RCA a = 0.3 / 0.16 = 1.875, b = 0.625, c = 0.
    product = pd.Series({"a": 30.0, "b": 10.0, "c": 0.0})
    total = pd.Series({"a": 100.0, "b": 100.0, "c": 50.0})
    result = rca.balassa(product, total)
    assert result["a"] == pytest.approx(1.875)
    assert result["b"] == pytest.approx(0.625)
    assert result["c"] == 0.0  # zero exports of the group: no advantage, not missing
    # The export-weighted mean of RCA over the set is 1 by construction.
    assert (result * total / total.sum()).sum() == pytest.approx(1.0)


def test_missing_values_stay_missing_and_leave_the_world_total():
    product = pd.Series({"a": 30.0, "b": 10.0, "c": math.nan, "d": 5.0})
    total = pd.Series({"a": 100.0, "b": 100.0, "c": 80.0, "d": math.nan})
    result = rca.balassa(product, total)
    assert math.isnan(result["c"]) and math.isnan(result["d"])
    # World from a and b only: 40 / 200 = 0.2, so a = 1.5 and b = 0.5; c's total of 80 and
    # d's exports of 5 would change these if they were counted.
    assert result["a"] == pytest.approx(1.5)
    assert result["b"] == pytest.approx(0.5)


def test_economy_missing_from_one_series_is_missing():
    result = rca.balassa(pd.Series({"a": 1.0, "b": 1.0}), pd.Series({"a": 2.0, "b": 4.0, "c": 10.0}))
    assert math.isnan(result["c"])
    assert result["a"] == pytest.approx(0.5 / (2 / 6))


def test_world_total_comes_from_the_economies_passed():
    product = pd.Series({"a": 30.0, "b": 10.0, "c": 0.0})
    total = pd.Series({"a": 100.0, "b": 100.0, "c": 50.0})
    without_c = rca.balassa(product.drop("c"), total.drop("c"))
    # Dropping c (no exports of the group) raises the world share from 0.16 to 0.2.
    assert without_c["a"] == pytest.approx(1.5)
    assert rca.balassa(product, total)["a"] == pytest.approx(1.875)


def test_zero_total_gives_missing():
    result = rca.balassa(pd.Series({"a": 0.0, "b": 5.0}), pd.Series({"a": 0.0, "b": 10.0}))
    assert math.isnan(result["a"])
    assert result["b"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("product", "total", "message"),
    [
        ({"a": -1.0, "b": 1.0}, {"a": 2.0, "b": 2.0}, r"Negative exports for \['a'\]"),
        ({"a": 3.0, "b": 1.0}, {"a": 2.0, "b": 2.0}, r"exceed total exports for \['a'\]"),
        ({"a": 0.0, "b": 0.0}, {"a": 2.0, "b": 2.0}, "world share is zero"),
        ({"a": math.nan}, {"a": 2.0}, "No economy has both"),
    ],
)
def test_meaningless_input_is_refused(product, total, message):
    with pytest.raises(ValueError, match=message):
        rca.balassa(pd.Series(product), pd.Series(total))


def test_balassa_by_computes_each_year_against_its_own_world():
    frame = pd.DataFrame({
        "year": [2010, 2010, 2018, 2018],
        "group": [30.0, 10.0, 10.0, 10.0],
        "total": [100.0, 100.0, 100.0, 100.0],
    }, index=["a10", "b10", "a18", "b18"])
    result = rca.balassa_by(frame, "year", "group", "total")
    assert result.index.equals(frame.index)
    assert result.tolist() == pytest.approx([1.5, 0.5, 1.0, 1.0])


def test_balassa_by_refuses_a_duplicated_index():
    frame = pd.DataFrame({"year": [1, 1], "group": [1.0, 1.0], "total": [2.0, 2.0]}, index=["a", "a"])
    with pytest.raises(ValueError, match="index must be unique"):
        rca.balassa_by(frame, "year", "group", "total")


def test_symmetric_maps_zero_one_and_large_values():
    result = rca.symmetric(pd.Series({"none": 0.0, "neutral": 1.0, "three": 3.0, "gap": math.nan}))
    assert result["none"] == -1.0
    assert result["neutral"] == 0.0
    assert result["three"] == pytest.approx(0.5)
    assert math.isnan(result["gap"])
    # RCA r and 1/r are mirror images.
    assert rca.symmetric(pd.Series([4.0]))[0] == pytest.approx(-rca.symmetric(pd.Series([0.25]))[0])
    with pytest.raises(ValueError, match="Negative RCA"):
        rca.symmetric(pd.Series({"x": -0.5}))


def test_transitions_name_each_case_and_skip_missing():
    start = pd.Series({"k": 2.0, "g": 0.5, "l": 1.5, "n": 0.2, "edge": 1.0, "gap": 3.0})
    end = pd.Series({"k": 1.1, "g": 1.2, "l": 0.9, "n": 0.0, "edge": 1.0, "gap": math.nan, "new": 2.0})
    result = rca.transitions(start, end)
    assert result.to_dict() == {"k": "kept", "g": "gained", "l": "lost", "n": "never", "edge": "never"}


def test_spearman_matches_hand_computed_ranks():
    # ranks x: 1 2 3 4, ranks y: 2 1 4 3 -> d = (-1, 1, -1, 1), rho = 1 - 6*4/(4*15) = 0.6
    x = pd.Series([10.0, 20.0, 30.0, 40.0])
    y = pd.Series([2.0, 1.0, 4.0, 3.0])
    assert rca.spearman(x, y) == pytest.approx(0.6)
    assert rca.spearman(x, np.exp(y)) == pytest.approx(0.6)  # invariant to monotone transforms
    with pytest.raises(ValueError, match="constant"):
        rca.spearman(x, pd.Series([1.0, 1.0, 1.0, 1.0]))


def test_rank_correlation_interval_contains_estimate_and_is_reproducible():
    rng = np.random.default_rng(1)
    x = pd.Series(rng.normal(size=60))
    y = x + pd.Series(rng.normal(size=60))
    first = rca.rank_correlation(x, y, draws=300, seed=5)
    second = rca.rank_correlation(x, y, draws=300, seed=5)
    assert first == second
    assert first.ci_low < first.estimate < first.ci_high
    assert 0.3 < first.estimate < 0.9 and first.n == 60 and first.draws == 300
    # A perfect monotone relation has a degenerate interval at 1.
    perfect = rca.rank_correlation(x, np.exp(x), draws=100)
    assert perfect.estimate == pytest.approx(1.0) and perfect.ci_low == pytest.approx(1.0)


def test_rank_correlation_refuses_missing_and_tiny_samples():
    with pytest.raises(ValueError, match=r"Missing values for \[1\]"):
        rca.rank_correlation(pd.Series([1.0, math.nan, 3.0, 4.0]), pd.Series([1.0, 2.0, 3.0, 4.0]))
    with pytest.raises(ValueError, match="Too few"):
        rca.rank_correlation(pd.Series([1.0, 2.0, 3.0]), pd.Series([1.0, 2.0, 3.0]))


def test_balanced_panel_keeps_economies_with_every_year_and_fixes_the_world():
    product = pd.DataFrame({2010: {"a": 30.0, "b": 10.0, "c": 5.0}, 2018: {"a": 10.0, "b": 10.0, "c": math.nan}})
    total = pd.DataFrame({2010: {"a": 100.0, "b": 100.0, "c": 50.0}, 2018: {"a": 100.0, "b": 100.0, "c": 50.0}})
    result = rca.balanced_panel(product, total, [2010, 2018])
    # c lacks 2018, so it leaves both years: the 2010 world is a and b only (40 / 200).
    assert result.index.tolist() == ["a", "b"]
    assert result[2010].tolist() == pytest.approx([1.5, 0.5])
    assert result[2018].tolist() == pytest.approx([1.0, 1.0])
    with pytest.raises(ValueError, match=r"year\(s\) \[2020\]"):
        rca.balanced_panel(product, total, [2010, 2020])
    with pytest.raises(ValueError, match="No economy has both"):
        rca.balanced_panel(product * math.nan, total, [2010])
