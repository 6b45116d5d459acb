"""aitrade.analysis.coverage on hand-checked tables."""

from __future__ import annotations

import pandas as pd
import pytest

from aitrade.analysis import coverage


def status_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Aland", "World", "Bhutan", "Chad", "Dominica", "Euro area"],
            "kind": ["economy", "aggregate", "economy", "economy", "economy", "aggregate"],
            "value": [1.0, 9.0, None, 3.0, None, 4.0],
        },
        index=["ALA", "WLD", "BTN", "TCD", "DMA", "EMU"],
    )


def test_screen_keeps_rows_passing_every_check_and_reports_the_first_failed_one():
    table = status_table()
    result = coverage.screen(table, [
        ("Aggregate", table["kind"] == "economy"),
        ("No value", table["value"].notna()),
    ])
    assert result.kept.index.tolist() == ["ALA", "TCD"]
    assert result.kept.columns.tolist() == ["name", "kind", "value"]
    # The World has a value and the Euro area too; both fail the first check only.
    assert result.excluded["reason"].to_dict() == {
        "WLD": "Aggregate", "BTN": "No value", "DMA": "No value", "EMU": "Aggregate",
    }
    assert result.reasons == ("Aggregate", "No value")


def test_by_reason_counts_and_lists_names_in_the_order_of_the_checks():
    table = status_table()
    result = coverage.screen(table, [
        ("No value", table["value"].notna()),
        ("Aggregate", table["kind"] == "economy"),
        ("Never fails", pd.Series(True, index=table.index)),
    ])
    summary = result.by_reason("name", title="Economies or groups")
    assert summary.to_dict("records") == [
        {"Reason": "No value", "Count": 2, "Economies or groups": "Bhutan, Dominica"},
        {"Reason": "Aggregate", "Count": 2, "Economies or groups": "Euro area, World"},
    ]


def test_a_row_the_check_does_not_list_fails_it():
    table = status_table()
    listed = pd.Series(True, index=["ALA", "WLD", "TCD"])
    result = coverage.screen(table, [("Not in the other file", listed)])
    assert result.kept.index.tolist() == ["ALA", "WLD", "TCD"]
    assert result.excluded.index.tolist() == ["BTN", "DMA", "EMU"]


def test_reasons_may_differ_by_row():
    table = status_table()
    why = pd.Series({"BTN": "no value for 2024 (latest: 2019)", "DMA": "no value in any year"})
    result = coverage.screen(table, [(why, table["value"].notna())])
    assert result.excluded["reason"].to_dict() == {
        "BTN": "no value for 2024 (latest: 2019)", "DMA": "no value in any year",
    }
    assert result.reasons == ("no value for 2024 (latest: 2019)", "no value in any year")
    assert result.by_reason("name")["Economies"].tolist() == ["Bhutan", "Dominica"]


def test_screen_refuses_a_row_excluded_without_a_reason():
    table = status_table()
    why = pd.Series({"BTN": "no value"})
    with pytest.raises(ValueError, match=r"Check 1 gives no reason for the rows it excludes: \['DMA'\]"):
        coverage.screen(table, [(why, table["value"].notna())])


def test_screen_refuses_a_check_that_is_not_a_boolean_series():
    table = status_table()
    with pytest.raises(TypeError, match="Check 1: the rows that pass must be a boolean Series"):
        coverage.screen(table, [("No value", table["value"])])


def test_screen_refuses_a_check_with_missing_values():
    table = status_table()
    passes = pd.Series([True, None, True, True, True, True], index=table.index, dtype="boolean")
    with pytest.raises(ValueError, match=r"Check 1 neither passes nor fails the rows \['WLD'\]"):
        coverage.screen(table, [("No value", passes)])


def test_screen_refuses_a_repeated_index_and_a_reason_column():
    table = status_table()
    with pytest.raises(ValueError, match="index repeats labels"):
        coverage.screen(table.reset_index(drop=True).set_index("kind"), [])
    with pytest.raises(ValueError, match="already has"):
        coverage.screen(table.assign(reason="x"), [])


def test_nothing_excluded_gives_an_empty_reason_table():
    table = status_table()
    result = coverage.screen(table, [("Never fails", pd.Series(True, index=table.index))])
    assert len(result.kept) == 6
    assert result.reasons == ()
    assert result.by_reason("name").columns.tolist() == ["Reason", "Count", "Economies"]
    assert result.by_reason("name").empty


def test_last_year_with_value_of_a_wide_table():
    wide = pd.DataFrame(
        {"2019": [1.0, None, None], "2020": [None, 2.0, None], "2021": [3.0, None, None]},
        index=["ALA", "BTN", "TCD"],
    )
    latest = coverage.last_year_with_value(wide)
    assert latest[["ALA", "BTN"]].tolist() == [2021, 2020]
    assert pd.isna(latest["TCD"])


def test_missing_value_reasons_name_the_latest_year_or_none():
    codes = pd.Series(["BTN", "TCD", None], index=[10, 11, 12])
    last = pd.Series([2019, 2021], index=["BTN", "ALA"])
    reasons = coverage.missing_value_reasons(codes, last, "GDP per capita", 2023)
    assert reasons.to_dict() == {
        10: "no GDP per capita for 2023 (latest: 2019)",
        11: "no GDP per capita in any year",
        12: "no GDP per capita in any year",
    }


def test_missing_value_reasons_refuse_two_latest_years_for_a_code():
    with pytest.raises(ValueError, match=r"several years for \['BTN'\]"):
        coverage.missing_value_reasons(pd.Series(["BTN"]), pd.Series([2019, 2020], index=["BTN", "BTN"]), "x", 2023)


def test_repeated_values_flags_every_row_sharing_an_exact_value():
    values = pd.Series({"a": 10.1, "b": 10.1, "c": 12.0, "d": None, "e": None, "f": 10.1})
    assert coverage.repeated_values(values).to_dict() == {
        "a": True, "b": True, "c": False, "d": False, "e": False, "f": True}
