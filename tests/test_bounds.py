"""aitrade.analysis.bounds: the participants' share between two bounds, hand-checked."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from aitrade.analysis import bounds

VALUES = pd.Series({"AAA": 40.0, "BBB": 25.0, "CCC": 15.0, "DDD": 10.0, "EEE": float("nan"), "FFF": 5.0})


def test_lower_bound_counts_the_identified_and_upper_adds_the_largest_candidates():
    share = bounds.share_bounds(VALUES, {"AAA", "FFF"}, {"BBB", "CCC", "DDD", "EEE"}, 2, total=100.0)
    assert share.lower == pytest.approx(0.45)   # (40 + 5) / 100
    assert share.upper == pytest.approx(0.85)   # (45 + 25 + 15) / 100
    assert share.assumed == ("BBB", "CCC")


def test_codes_without_a_value_count_for_nothing():
    # EEE is missing and ZZZ absent: neither adds to the lower bound nor is assumed.
    share = bounds.share_bounds(VALUES, {"AAA", "EEE", "ZZZ"}, {"DDD", "EEE", "ZZZ"}, 3, total=200.0)
    assert share.lower == pytest.approx(0.2)    # 40 / 200
    assert share.upper == pytest.approx(0.25)   # (40 + 10) / 200
    assert share.assumed == ("DDD",)


def test_no_unidentified_participant_gives_one_share():
    share = bounds.share_bounds(VALUES, {"BBB"}, {"AAA"}, 0, total=95.0)
    assert share.lower == share.upper == pytest.approx(25 / 95)
    assert share.assumed == ()


def test_no_identified_participant_has_a_lower_bound_of_zero():
    share = bounds.share_bounds(VALUES, set(), {"AAA", "CCC"}, 1, total=100.0)
    assert share.lower == 0.0
    assert share.upper == pytest.approx(0.4)


def test_refusals():
    with pytest.raises(ValueError, match="more participants are identified than the count states"):
        bounds.share_bounds(VALUES, {"AAA"}, {"BBB"}, -1, total=100.0)
    with pytest.raises(ValueError, match="total must be positive"):
        bounds.share_bounds(VALUES, {"AAA"}, {"BBB"}, 1, total=0.0)
    with pytest.raises(ValueError, match="total must be positive"):
        bounds.share_bounds(VALUES, {"AAA"}, {"BBB"}, 1, total=math.nan)


def test_rate_bounds_put_every_unidentified_participant_in_each_group_in_turn():
    identified = pd.Series({"Low income": 0, "High income": 50})
    members = pd.Series({"Low income": 20, "High income": 60})
    rates = bounds.rate_bounds(identified, members, unidentified=12)
    assert rates.to_dict("index") == {
        "Low income": {"Lower bound": 0.0, "Upper bound": 0.6},       # 0/20 to 12/20
        "High income": {"Lower bound": 0.833, "Upper bound": 1.0},    # 50/60 to 60/60 (capped)
    }


def test_rate_bounds_refuse_impossible_counts():
    with pytest.raises(ValueError, match="unidentified must be 0 or more"):
        bounds.rate_bounds(pd.Series({"a": 1}), pd.Series({"a": 2}), -1)
    with pytest.raises(ValueError, match=r"more identified participants than Members: \['a'\]"):
        bounds.rate_bounds(pd.Series({"a": 3}), pd.Series({"a": 2}), 0)
