"""aitrade.analysis.compare_trends: two groups' lines in one regression, the gap between
them at a date, and frontier lags, on cases computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aitrade.analysis import compare_trends
from aitrade.analysis.statistics import StatisticsError


def two_lines(noise: float = 0.0, seed: int = 3) -> pd.DataFrame:
    """Group A: y = 1 + 0.5 (t - 2010); group B: y = 0.2 + 0.3 (t - 2010), t in 2010-2020."""
    rng = np.random.default_rng(seed)
    t = np.arange(2010, 2020.5, 0.5)
    a = pd.DataFrame({"t": t, "y": 1 + 0.5 * (t - 2010), "g": "A"})
    b = pd.DataFrame({"t": t, "y": 0.2 + 0.3 * (t - 2010), "g": "B"})
    frame = pd.concat([a, b], ignore_index=True)
    frame["y"] += rng.normal(0, noise, len(frame)) if noise else 0.0
    return frame


def test_exact_lines_give_both_slopes_and_the_gap_at_any_date():
    fit = compare_trends.group_lines(two_lines(), "t", "y", "g", reference="A")
    assert fit.compared == "B"
    assert fit.slopes.loc["A", "estimate"] == pytest.approx(0.5)
    assert fit.slopes.loc["B", "estimate"] == pytest.approx(0.3)
    assert fit.slope_difference["estimate"] == pytest.approx(-0.2)
    gap = fit.gap([2010, 2015, 2020])
    # B minus A: (0.2 - 1) + (0.3 - 0.5) (t - 2010)
    assert gap["gap"].tolist() == pytest.approx([-0.8, -1.8, -2.8])
    assert gap["at"].tolist() == [2010.0, 2015.0, 2020.0]


def test_intervals_cover_the_true_values_with_noise_and_widen_away_from_the_data():
    fit = compare_trends.group_lines(two_lines(noise=0.05), "t", "y", "g", reference="A")
    for group, truth in (("A", 0.5), ("B", 0.3)):
        row = fit.slopes.loc[group]
        assert row["ci_low"] < truth < row["ci_high"]
        assert row["n"] == 21
    gap = fit.gap([2015, 2030])
    assert gap.loc[0, "ci_low"] < -1.8 < gap.loc[0, "ci_high"]
    assert gap.loc[1, "std_error"] > gap.loc[0, "std_error"]
    assert fit.slope_difference["p_value"] < 0.001


def test_group_lines_refuses_what_it_cannot_fit():
    frame = two_lines()
    with pytest.raises(StatisticsError, match="exactly two groups"):
        compare_trends.group_lines(frame, "t", "y", "g", reference="C")
    with pytest.raises(StatisticsError, match="missing value"):
        compare_trends.group_lines(frame.assign(y=frame["y"].where(frame.index != 3)), "t", "y", "g", "A")
    small = pd.concat([frame[frame["g"] == "A"], frame[frame["g"] == "B"].head(2)])
    with pytest.raises(StatisticsError, match="'B' has 2 row"):
        compare_trends.group_lines(small, "t", "y", "g", "A")


def test_frontier_lags_compare_each_follower_record_with_the_first_leader_item_as_good():
    frame = pd.DataFrame({
        "name": ["L1", "L2", "L3", "F1", "F2", "F3", "F4"],
        "t": [2010.0, 2012.0, 2016.0, 2013.0, 2014.0, 2015.0, 2018.0],
        "y": [1.0, 3.0, 6.0, 2.0, 1.5, 3.0, 7.0],
        "g": ["lead"] * 3 + ["follow"] * 4,
    })
    lags = compare_trends.frontier_lags(frame, "t", "y", "g", "lead", "follow", label="name")
    # F2 is not a record (1.5 < 2); F4 (7) beats every leader item, so it has no lag.
    assert lags["label"].tolist() == ["F1", "F3", "F4"]
    assert lags["leader_label"].tolist()[:2] == ["L2", "L2"]
    assert lags["lag"].tolist()[:2] == pytest.approx([1.0, 3.0])
    assert np.isnan(lags["lag"].iloc[2]) and pd.isna(lags["leader_label"].iloc[2])
    unlabelled = compare_trends.frontier_lags(frame, "t", "y", "g", "lead", "follow")
    assert "leader_label" not in unlabelled.columns and len(unlabelled) == 3
