"""aitrade.analysis.services: the selection of UNCTAD's digitally deliverable services trade."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from aitrade.analysis import services

EXP, IMP = services.INDICATORS["exports"], services.INDICATORS["imports"]


def raw_rows(rows: list[tuple]) -> pd.DataFrame:
    """A table shaped like the loaded dataset (the columns the selection reads, typed as
    the catalogue types them) from (area, label, indicator, year, value, unit, mult, status)."""
    frame = pd.DataFrame(rows, columns=["REF_AREA", "REF_AREA_LABEL", "INDICATOR", "TIME_PERIOD",
                                        "OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS"])
    return frame.astype({"REF_AREA": "string", "REF_AREA_LABEL": "string", "INDICATOR": "string",
                         "TIME_PERIOD": "Int64", "OBS_VALUE": "Float64", "UNIT_MEASURE": "string",
                         "UNIT_MULT": "Int64", "OBS_STATUS": "string"})


def sample() -> pd.DataFrame:
    return raw_rows([
        ("WLD", "World", EXP, 2023, 4000.0, "USD", 6, "A"),
        ("IND", "India", EXP, 2023, 250.5, "USD", 6, "A"),
        ("AFG", "Afghanistan", EXP, 2023, None, "USD", 6, "O"),
        ("IND", "India", EXP, 2022, 200.0, "USD", 6, "A"),
        ("IND", "India", IMP, 2023, 90.0, "USD", 6, "A"),
        ("IND", "India", "UNCTAD_DE_ICT_CORE_UBS_ANN_ALL_B1", 2023, 55.0, "PT_BS", 0, "A"),
    ])


def test_trade_values_select_one_flow_in_us_dollars_and_keep_the_status():
    table = services.trade_values(sample(), "exports")
    assert table.columns.tolist() == services.COLUMNS
    assert list(zip(table["code"], table["year"])) == [("AFG", 2023), ("IND", 2022), ("IND", 2023), ("WLD", 2023)]
    values = table.set_index(["code", "year"])
    assert values.loc[("IND", 2023), "usd"] == pytest.approx(250.5e6)
    assert values.loc[("WLD", 2023), "usd"] == pytest.approx(4.0e9)
    # A missing value stays a row, with its status and no value.
    assert values.loc[("AFG", 2023), "status"] == "O" and math.isnan(values.loc[("AFG", 2023), "usd"])
    assert services.trade_values(sample(), "imports")["usd"].tolist() == [pytest.approx(90e6)]


def test_unit_multiplier_is_read_per_row():
    raw = raw_rows([("IND", "India", EXP, 2023, 3.0, "USD", 0, "A"), ("USA", "US", EXP, 2023, 3.0, "USD", 6, "A")])
    assert services.trade_values(raw)["usd"].tolist() == [3.0, 3.0e6]


def test_wide_gives_economy_by_year():
    table = services.wide(services.trade_values(sample()))
    assert table.columns.tolist() == [2022, 2023]
    assert table.loc["IND", 2022] == pytest.approx(200e6)
    assert math.isnan(table.loc["WLD", 2022]) and math.isnan(table.loc["AFG", 2023])


@pytest.mark.parametrize(
    ("raw", "flow", "message"),
    [
        (sample(), "services", r"flow must be one of \['exports', 'imports'\]"),
        (sample()[lambda t: t["INDICATOR"] != IMP], "imports", "no rows of indicator UNCTAD_DE_DIG_SERVTRADE_ANN_IMP"),
        (raw_rows([("IND", "India", EXP, 2023, 1.0, "EUR", 6, "A")]), "exports", r"should be in USD.*\['EUR'\]"),
        (raw_rows([("IND", "India", EXP, 2023, 1.0, "USD", 6, "O")]), "exports", r"status O .* hold a value.*IND"),
        (raw_rows([("IND", "India", EXP, 2023, 1.0, "USD", 6, "A")] * 2), "exports", r"given twice.*\['IND', 2023\]"),
    ],
)
def test_selection_refuses_what_it_cannot_read(raw, flow, message):
    with pytest.raises(ValueError, match=message):
        services.trade_values(raw, flow)


@pytest.mark.snapshots
def test_real_file_economies_only_by_default_with_the_incomplete_last_year():
    exports = services.digitally_deliverable_exports()
    assert "WLD" not in set(exports["code"]) and "SSF" not in set(exports["code"])
    reporting = exports[exports["usd"].notna()].groupby("year")["code"].nunique()
    assert reporting[2023] == 130 and reporting[2020] == 190
    with_aggregates = services.digitally_deliverable_exports(aggregates=True)
    assert set(with_aggregates.loc[with_aggregates["kind"] == "aggregate", "code"]) == {"WLD", "SSF"}
    world = services.world_total()
    assert world[2023] == pytest.approx(4_462_457e6)
    # UNCTAD's world row is not the sum of the economies in the file.
    assert 0.95 < exports.loc[exports["year"] == 2023, "usd"].sum() / world[2023] < 1.0
