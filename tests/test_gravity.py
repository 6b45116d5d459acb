"""aitrade.gravity: the two PPML paths agree, hand-checked panel steps, clear refusals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aitrade.analysis import gravity

COUNTRIES = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]
YEARS = [2000, 2001, 2002, 2003]


def constructed_panel() -> pd.DataFrame:
    """A small balanced panel with a known structure, stored as the .dta files are
    (float year and pair id), with a policy dummy that switches on for some pairs."""
    rng = np.random.default_rng(20160101)
    location = {country: (index * 1.7, (index % 3) * 2.3) for index, country in enumerate(COUNTRIES)}
    size = {country: 1.0 + index for index, country in enumerate(COUNTRIES)}
    rows = []
    for year in YEARS:
        for exporter in COUNTRIES:
            for importer in COUNTRIES:
                (x1, y1), (x2, y2) = location[exporter], location[importer]
                distance = 1.0 + math.hypot(x1 - x2, y1 - y2) * 100
                pair = tuple(sorted((exporter, importer)))
                agreement = float(
                    exporter != importer and year >= 2002
                    and pair in {("AAA", "BBB"), ("CCC", "DDD"), ("BBB", "EEE"), ("AAA", "FFF")}
                )
                contiguous = int(abs(COUNTRIES.index(exporter) - COUNTRIES.index(importer)) == 1)
                mean = math.exp(
                    0.1 * (year - 2000) + math.log(size[exporter]) + 0.8 * math.log(size[importer])
                    - 0.9 * math.log(distance) + 0.4 * contiguous + 0.5 * agreement + 5
                )
                rows.append({
                    "exporter": exporter, "importer": importer, "year": float(year),
                    "trade": float(rng.poisson(mean)), "DIST": distance, "CNTG": contiguous,
                    "RTA": agreement,
                })
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return gravity.prepare_panel(constructed_panel())


def test_prepare_panel_types_and_derived_columns(panel):
    assert panel["year"].dtype == "int64"
    assert panel["pair_id"].dtype == "int64"
    # symmetric pair id: AAA->BBB and BBB->AAA share one id; 6 countries give 15 + 6 pairs
    ab = panel.query("exporter == 'AAA' and importer == 'BBB'")["pair_id"].iloc[0]
    ba = panel.query("exporter == 'BBB' and importer == 'AAA'")["pair_id"].iloc[0]
    assert ab == ba
    assert panel["pair_id"].nunique() == 21
    row = panel.query("exporter == 'AAA' and importer == 'CCC' and year == 2001").iloc[0]
    assert row["ln_DIST"] == pytest.approx(math.log(row["DIST"]))
    assert row["exp_year"] == "AAA_2001" and row["imp_year"] == "CCC_2001"
    assert row["INTL"] == 1 and row["intra_pair"] == "international"
    own = panel.query("exporter == 'DDD' and importer == 'DDD'")
    assert set(own["INTL"]) == {0} and set(own["intra_pair"]) == {"DDD"}


def test_prepare_panel_keeps_sample_years_and_flows():
    raw = constructed_panel()
    international = gravity.prepare_panel(raw, years=[2000, 2003], flows="international")
    assert sorted(international["year"].unique()) == [2000, 2003]
    assert len(international) == 2 * 6 * 5
    assert (international["exporter"] != international["importer"]).all()


def test_statsmodels_dummies_agree_with_pyfixest(panel):
    """Same PPML, two algorithms: coefficients to 1e-6, clustered SEs to 1e-5 (relative),
    at the helper's convergence tolerances (1e-10)."""
    for pair_effects, regressors in [(False, ["ln_DIST", "CNTG", "RTA"]), (True, ["RTA"])]:
        fast = gravity.ppml(panel, regressors, pair_effects=pair_effects)
        reference = gravity.ppml_dummies(panel, regressors, pair_effects=pair_effects)
        for term in regressors:
            assert fast.estimate(term) == pytest.approx(reference.estimate(term), rel=1e-6, abs=1e-8)
            assert fast.std_error(term) == pytest.approx(reference.std_error(term), rel=1e-5)
        assert fast.nobs == reference.nobs == len(panel)
        assert fast.clusters == reference.clusters == 21
    # at pyfixest's own default tolerances the two still agree to 1e-4
    default = gravity.ppml(panel, ["RTA"], pair_effects=True, iwls_tol=1e-8, fixef_tol=1e-6)
    reference = gravity.ppml_dummies(panel, ["RTA"], pair_effects=True)
    assert default.estimate("RTA") == pytest.approx(reference.estimate("RTA"), rel=1e-4)
    assert default.std_error("RTA") == pytest.approx(reference.std_error("RTA"), rel=1e-4)
    # the constructed policy effect (0.5) is recovered within two standard errors
    with_pairs = gravity.ppml(panel, ["RTA"], pair_effects=True)
    assert abs(with_pairs.estimate("RTA") - 0.5) < 2 * with_pairs.std_error("RTA")


def test_combined_effect_is_sum_with_delta_method_error(panel):
    panel = panel.copy()
    panel["RTA_LAG1"] = gravity.shift_years(panel, "RTA", 1, outside="nearest")
    fit = gravity.ppml(panel, ["RTA", "RTA_LAG1"], pair_effects=True)
    value, error = fit.combined(["RTA", "RTA_LAG1"])
    assert value == pytest.approx(fit.estimate("RTA") + fit.estimate("RTA_LAG1"))
    v = fit.vcov
    assert error == pytest.approx(math.sqrt(v.loc["RTA", "RTA"] + v.loc["RTA_LAG1", "RTA_LAG1"]
                                            + 2 * v.loc["RTA", "RTA_LAG1"]))


def test_shift_years_lags_leads_and_outside_values(panel):
    ab = panel.query("exporter == 'AAA' and importer == 'BBB'").sort_values("year")
    assert ab["RTA"].tolist() == [0.0, 0.0, 1.0, 1.0]
    lag = gravity.shift_years(panel, "RTA", 1).loc[ab.index]
    assert lag.iloc[1:].tolist() == [0.0, 0.0, 1.0] and math.isnan(lag.iloc[0])
    lag_nearest = gravity.shift_years(panel, "RTA", 2, outside="nearest").loc[ab.index]
    assert lag_nearest.tolist() == [0.0, 0.0, 0.0, 0.0]
    lead = gravity.shift_years(panel, "RTA", -1).loc[ab.index]
    assert lead.iloc[:3].tolist() == [0.0, 1.0, 1.0] and math.isnan(lead.iloc[3])
    lead_nearest = gravity.shift_years(panel, "RTA", -2, outside="nearest").loc[ab.index]
    assert lead_nearest.tolist() == [1.0, 1.0, 1.0, 1.0]


def test_border_dummies_and_size_terms():
    panel = gravity.prepare_panel(constructed_panel(), years=[2000, 2001])
    names = gravity.border_year_dummies(panel, [2000])
    assert names == ["INTL_BRDR_2000"]
    assert panel["INTL_BRDR_2000"].sum() == 30  # 6 x 5 international flows in 2000
    sized = gravity.add_size_and_remoteness(panel)
    aaa = sized.query("exporter == 'AAA' and year == 2000")
    assert aaa["ln_Y"].iloc[0] == pytest.approx(math.log(aaa["trade"].sum()))
    into_bbb = sized.query("importer == 'BBB' and year == 2000")
    assert into_bbb["ln_E"].iloc[0] == pytest.approx(math.log(into_bbb["trade"].sum()))


def test_effects_frame(panel):
    fits = {"no pairs": gravity.ppml(panel, ["ln_DIST", "RTA"]), "pairs": gravity.ppml(panel, ["RTA"], pair_effects=True),
            "distance only": gravity.ppml(panel, ["ln_DIST"])}
    frame = gravity.effects_frame(fits, "RTA")
    assert frame["column"].tolist() == ["no pairs", "pairs"]
    row = frame.iloc[1]
    assert row["low"] == pytest.approx(row["estimate"] - 1.96 * row["std_error"], abs=1e-12)
    assert row["high"] == pytest.approx(row["estimate"] + 1.96 * row["std_error"], abs=1e-12)
    assert row["percent"] == pytest.approx(math.expm1(row["estimate"]), abs=1e-12)


def test_percent_effect():
    assert gravity.percent_effect(0.0) == 0.0
    assert gravity.percent_effect(math.log(1.5)) == pytest.approx(50.0)


def test_regression_table_layout(panel):
    fit = gravity.ppml(panel, ["ln_DIST", "RTA"])
    frame = gravity.regression_table({"PPML": fit}, labels={"ln_DIST": "Log distance"})
    assert frame[""].tolist()[:4] == ["Log distance", "", "RTA", ""]
    assert frame["PPML"].iloc[0] == f"{fit.estimate('ln_DIST'):.3f}"
    assert frame["PPML"].iloc[1] == f"({fit.std_error('ln_DIST'):.3f})"
    assert frame.set_index("")["PPML"]["Observations"] == f"{len(panel):,}"
    assert frame.set_index("")["PPML"]["Fixed effects"] == "exporter-year, importer-year"


# --- refusals ---------------------------------------------------------------------------

def test_missing_columns_are_named():
    raw = constructed_panel().drop(columns=["trade", "year"])
    with pytest.raises(ValueError, match=r"lacks required column\(s\): year, trade"):
        gravity.prepare_panel(raw)


def test_missing_regressor_column_is_named(panel):
    with pytest.raises(ValueError, match=r"lacks required column\(s\): WTO"):
        gravity.ppml(panel, ["RTA", "WTO"])


def test_negative_trade_is_refused_with_count_and_rows():
    raw = constructed_panel()
    raw.loc[(raw["exporter"] == "AAA") & (raw["importer"] == "BBB"), "trade"] = -1.0
    with pytest.raises(ValueError, match=r"4 row\(s\) have a negative 'trade' value \(first: AAA BBB 2000\.0"):
        gravity.prepare_panel(raw)


def test_negative_trade_is_refused_by_the_estimators(panel):
    broken = panel.copy()
    broken.loc[broken.index[:2], "trade"] = -5.0
    for estimate in (gravity.ppml, gravity.ppml_dummies, gravity.ols):
        with pytest.raises(ValueError, match=r"2 row\(s\) have a negative 'trade' value"):
            estimate(broken, ["ln_DIST"])


def test_missing_trade_is_refused():
    raw = constructed_panel()
    raw.loc[3, "trade"] = float("nan")
    with pytest.raises(ValueError, match=r"1 row\(s\) have a missing or non-numeric 'trade' value"):
        gravity.prepare_panel(raw)


def test_regressor_without_variation_is_refused(panel):
    flat = panel.assign(WTO=1.0)
    with pytest.raises(ValueError, match=r"Regressor .WTO. has no variation in this panel \(every row is 1.0\)"):
        gravity.ppml(flat, ["ln_DIST", "WTO"])
    with pytest.raises(ValueError, match=r"Regressor 'WTO' has no variation"):
        gravity.ppml_dummies(flat, ["WTO"])


def test_bad_years_and_flows_are_refused():
    raw = constructed_panel()
    with pytest.raises(ValueError, match=r"Sample year\(s\) not in the panel: 1999"):
        gravity.prepare_panel(raw, years=[1999, 2000])
    with pytest.raises(ValueError, match="flows must be 'all' or 'international'"):
        gravity.prepare_panel(raw, flows="domestic")
    raw["year"] = raw["year"] + 0.5
    with pytest.raises(ValueError, match="'year' must hold whole numbers"):
        gravity.prepare_panel(raw)
