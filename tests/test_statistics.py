"""Hand-computed cases for aitrade.statistics."""

import math

import numpy as np
import pandas as pd
import pytest

from aitrade.analysis import statistics
from aitrade.analysis.statistics import StatisticsError, ols, weighted_mean


def test_perfect_line_gives_its_slope_and_r_squared_one():
    frame = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "y": [1.0, 3.0, 5.0, 7.0]}, index=list("abcd"))
    fit = ols(frame, "y", "x")
    assert fit.estimate("x") == pytest.approx(2.0)
    assert fit.estimate("const") == pytest.approx(1.0)
    assert fit.r_squared == pytest.approx(1.0)
    assert fit.n == 4
    assert fit.cov_type == "HC3"
    assert fit.residuals.abs().max() == pytest.approx(0.0, abs=1e-12)
    assert list(fit.residuals.index) == list("abcd")


def test_slope_r_squared_and_residuals_of_a_noisy_line():
    # x = 0, 1, 2; y = 0, 2, 1: mean x 1, mean y 1; Sxy = 1, Sxx = 2, slope 0.5, const 0.5.
    # Fitted 0.5, 1, 1.5; residuals -0.5, 1, -0.5; SSR 1.5, SST 2, R² 0.25.
    frame = pd.DataFrame({"x": [0, 1, 2], "y": [0, 2, 1]})
    fit = ols(frame, "y", "x", cov_type="HC0")
    assert fit.estimate("x") == pytest.approx(0.5)
    assert fit.estimate("const") == pytest.approx(0.5)
    assert fit.r_squared == pytest.approx(0.25)
    assert fit.residuals.tolist() == pytest.approx([-0.5, 1.0, -0.5])
    # HC0 variance of the slope: sum((x - mean x)^2 e^2) / Sxx^2 = (0.25 + 0 + 0.25) / 4.
    assert fit.coefficients.loc["x", "std_error"] == pytest.approx(math.sqrt(0.125))
    row = fit.coefficients.loc["x"]
    assert row["ci_low"] < 0.5 < row["ci_high"]


def test_ols_refuses_empty_and_missing_rows():
    with pytest.raises(StatisticsError, match="no rows"):
        ols(pd.DataFrame({"x": [], "y": []}), "y", "x")
    frame = pd.DataFrame({"x": [1.0, None, 3.0, 4.0], "y": [1.0, 2.0, 3.0, 4.0]}, index=list("abcd"))
    with pytest.raises(StatisticsError, match=r"1 row\(s\) have a missing value: \['b'\]"):
        ols(frame, "y", "x")
    with pytest.raises(StatisticsError, match="single value"):
        ols(pd.DataFrame({"x": [1, 1, 1], "y": [1, 2, 3]}), "y", "x")


def test_weighted_mean_of_known_numbers():
    values = pd.Series([10.0, 50.0], index=["A", "B"])
    weights = pd.Series([3.0, 1.0], index=["A", "B"])
    assert weighted_mean(values, weights) == pytest.approx(20.0)  # (30 + 50) / 4
    assert weighted_mean(values, weights * 1_000_000) == pytest.approx(20.0)


def test_weighted_mean_refuses_bad_input():
    with pytest.raises(StatisticsError, match="no values"):
        weighted_mean(pd.Series([], dtype=float), pd.Series([], dtype=float))
    values = pd.Series([10.0, 50.0], index=["A", "B"])
    with pytest.raises(StatisticsError, match=r"Missing weights for \['B'\]"):
        weighted_mean(values, pd.Series([3.0, None], index=["A", "B"]))
    with pytest.raises(StatisticsError, match=r"Missing values for \['A'\]"):
        weighted_mean(pd.Series([None, 50.0], index=["A", "B"]), pd.Series([1.0, 1.0], index=["A", "B"]))
    with pytest.raises(StatisticsError, match="sum to zero"):
        weighted_mean(values, pd.Series([0.0, 0.0], index=["A", "B"]))
    with pytest.raises(StatisticsError, match=r"values only \['B'\], weights only \['C'\]"):
        weighted_mean(values, pd.Series([1.0, 1.0], index=["A", "C"]))
    with pytest.raises(StatisticsError, match=r"Negative weights for \['A'\]"):
        weighted_mean(values, pd.Series([-1.0, 2.0], index=["A", "B"]))


def test_functional_form_finds_a_curve_and_not_a_straight_line():
    x = np.linspace(0.0, 4.0, 60)
    noise = 0.05 * (-1.0) ** np.arange(x.size)  # alternating: no curve in it
    curved = statistics.functional_form(pd.DataFrame({"x": x, "y": 1 + 0.5 * (x - 2) ** 2 + noise}), "y", "x")
    assert curved.quadratic_estimate == pytest.approx(0.5, abs=0.02)
    assert curved.quadratic_p_value < 1e-6 and curved.reset_p_value < 1e-6
    straight = statistics.functional_form(pd.DataFrame({"x": x, "y": 1 + 0.5 * x + noise}), "y", "x")
    assert abs(straight.quadratic_estimate) < 0.02
    assert straight.quadratic_p_value > 0.05 and straight.reset_p_value > 0.05
    assert straight.n == 60


def test_functional_form_refuses_missing_values():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, None], "y": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(statistics.StatisticsError, match="missing value"):
        statistics.functional_form(frame, "y", "x")
