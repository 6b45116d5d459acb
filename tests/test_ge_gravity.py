"""aitrade.analysis.ge: gegravity reproduces its own published example; scenario helpers.

The check against a published result: gegravity's documentation (version 0.3, the package
docstring, "OneSectorGE gravity model" example; Herman 2021, USITC Economics Working Paper
2021-04-B) solves a hypothetical Canada-Japan trade agreement on the library's sample data
(30 countries, 2006) with given PPML coefficients, sigma = 5 and Germany as the reference
importer, and prints the results compared below. A departure beyond the tolerance means
the installed library (or its pandas/NumPy/SciPy) no longer gives the published answer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aitrade.analysis import ge

SAMPLE = Path(__file__).parent / "data" / "gegravity_sample_data.csv"
COSTS = {"lndist": -0.3898623, "contiguity": 0.891577, "common_language": 0.0326249,
         "pta": 0.4711383, "international": -3.412584, "constant": 16.32434}
# Printed in the documentation: country results (percent changes; welfare statistic) ...
PUBLISHED_COUNTRY = {
    ("CAN", "real_gdp_change"): 0.418261, ("CAN", "welfare_statistic"): 0.995835,
    ("CAN", "exports_change"): 1.573180, ("CAN", "imports_change"): 1.504744,
    ("CAN", "domestic_change"): -1.939006, ("CAN", "factory_price_change"): -0.135770,
    ("AUS", "real_gdp_change"): -0.007106, ("AUS", "exports_change"): -0.087678,
    ("AUT", "real_gdp_change"): -0.005179, ("BEL", "imports_change"): -0.030564,
    ("BRA", "exports_change"): -0.080228,
}
# ... the Canada-Japan trade cost before and after (t^(1-sigma)), and one bilateral change.
PUBLISHED_COST = (11305.165421, 18108.800547)
PUBLISHED_AUS_CAN_TRADE_CHANGE = -2.350013
# The documentation prints six decimals of a percent; allow a few units in the last place
# for solver tolerance (1e-8) and floating-point differences across machines.
TOLERANCE = 5e-6


@pytest.fixture(scope="module")
def solved():
    sample = pd.read_csv(SAMPLE).assign(constant=1.0)
    # The sample's Y and E cover the 69 countries of the source data, not only these 30.
    baseline = ge.baseline_frame(sample, 2006, list(COSTS), given_sizes=True)
    pair = ((baseline["exporter"] == "CAN") & (baseline["importer"] == "JPN")) | (
        (baseline["exporter"] == "JPN") & (baseline["importer"] == "CAN"))
    experiment = baseline.assign(pta=ge.close_gap(baseline["pta"], pair, 1.0))
    return baseline, ge.solve(baseline, COSTS, experiment, year="2006", reference_importer="DEU", sigma=5)


def test_baseline_sizes_are_flow_sums_unless_given(solved):
    given, _ = solved
    sample = pd.read_csv(SAMPLE).assign(constant=1.0)
    summed = ge.baseline_frame(sample, 2006, list(COSTS)).set_index(["exporter", "importer"])
    assert len(summed) == 900 and summed.loc[("AUS", "AUS"), "year"] == "2006"
    # AUS output: its 30 flows in the sample (its own sales included); expenditure likewise
    assert summed.loc[("AUS", "USA"), "Y"] == sample.loc[sample["exporter"] == "AUS", "trade"].sum()
    assert summed.loc[("USA", "AUS"), "E"] == sample.loc[sample["importer"] == "AUS", "trade"].sum()
    # given sizes keep the sample's own (which cover a larger world, so they are larger)
    given = given.set_index(["exporter", "importer"])
    assert given.loc[("AUS", "USA"), "Y"] == 305793
    assert given.loc[("AUS", "USA"), "Y"] > summed.loc[("AUS", "USA"), "Y"]


def test_gegravity_reproduces_its_published_example(solved):
    _, model = solved
    results = ge.country_effects(model)
    for (country, column), published in PUBLISHED_COUNTRY.items():
        assert results.loc[country, column] == pytest.approx(published, abs=TOLERANCE), (country, column)
    # real expenditure and real GDP move together when expenditure is a fixed share of output
    assert results.loc["CAN", "real_expenditure_change"] == pytest.approx(0.418261, abs=TOLERANCE)
    costs = model.bilateral_costs.loc[("CAN", "JPN")]
    assert costs["baseline trade cost"] == pytest.approx(PUBLISHED_COST[0], rel=1e-8)
    assert costs["experiment trade cost"] == pytest.approx(PUBLISHED_COST[1], rel=1e-8)
    change = model.bilateral_trade_results.loc[("AUS", "CAN"), "trade change (percent)"]
    assert change == pytest.approx(PUBLISHED_AUS_CAN_TRADE_CHANGE, abs=TOLERANCE)


def test_close_gap_halves_only_the_chosen_rows():
    values = pd.Series([0, 1, 0, 0], dtype="Int64")
    rows = pd.Series([True, True, False, True])
    assert close_list(ge.close_gap(values, rows, 0.5)) == [0.5, 1.0, 0.0, 0.5]
    assert close_list(ge.close_gap(values, rows, 0.0)) == [0.0, 1.0, 0.0, 0.0]
    with pytest.raises(ge.GEError, match="between 0 and 1"):
        ge.close_gap(values, rows, 1.5)


def test_baseline_frame_refuses_a_year_with_missing_pairs():
    sample = pd.read_csv(SAMPLE).assign(constant=1.0)
    with pytest.raises(ge.GEError, match="every pair"):
        ge.baseline_frame(sample.iloc[1:], 2006, list(COSTS))
    with pytest.raises(ge.GEError, match="no rows for 1990"):
        ge.baseline_frame(sample, 1990, list(COSTS))


def close_list(series: pd.Series) -> list[float]:
    return [float(value) for value in series]
