"""Country profiles: the Logistics Performance Index and digitally deliverable services rows."""

from __future__ import annotations

import pandas as pd
import pytest

from aitrade import countries, data
from aitrade.analysis import services
from aitrade.pages import profiles

LPI_ROW = "| Logistics Performance Index"
DDS_ROW = "| Digitally deliverable services exports"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return profiles.profile_table()


@pytest.fixture(scope="module")
def pages() -> dict:
    return profiles.expected_pages()


def row_of(pages: dict, slug: str, start: str) -> str:
    page = pages[profiles.render.PAGES_DIR / f"{slug}.md"]
    return next(line for line in page.splitlines() if line.startswith(start))


@pytest.fixture(scope="module")
def lpi() -> pd.DataFrame:
    return countries.tag(data.load("wb-lpi-2010-2023"), "Economy", columns=["iso3"])


@pytest.mark.snapshots
def test_lpi_shows_the_2023_edition_and_the_us_ties_with_korea(table, pages):
    # Published LPI 2023: the United States and Korea both score 3.8, joint 17th.
    assert table.loc["USA", "lpi"] == table.loc["KOR", "lpi"] == 3.8
    assert table.loc["USA", "lpi_year"] == "2023"
    assert table.loc["USA", "lpi_rank"] == table.loc["KOR", "lpi_rank"]
    assert "| 3.8 | 2023 | joint " in row_of(pages, "usa", LPI_ROW)
    # Singapore, first in 2023 with 4.3, is a WTO Member: first here too.
    assert table.loc["SGP", "lpi"] == 4.3 and table.loc["SGP", "lpi_rank"] == 1


@pytest.mark.snapshots
def test_an_economy_scored_only_before_2023_shows_no_lpi_data(table, pages, lpi):
    latest = lpi.loc[lpi["Current_Year"] == 2023, "iso3"]
    earlier = lpi.loc[lpi["Current_Year"] == 2018, "iso3"]
    dropped = sorted(set(earlier) - set(latest) & set(table.index))
    assert dropped, "some WTO Members scored in 2018 are missing from the 2023 edition"
    for code in dropped:
        assert pd.isna(table.loc[code, "lpi"]) and pd.isna(table.loc[code, "lpi_rank"])
    row = row_of(pages, table.loc[dropped[0], "slug"], LPI_ROW)
    assert "no data in `wb-lpi-2010-2023`" in row and "no rank (no data)" in row
    # Ranks count only the Members scored in 2023.
    scored = set(latest) & set(table.index[~table["is_eu"]])
    assert table.loc["USA", "lpi_n"] == len(scored)


@pytest.mark.snapshots
def test_digital_services_take_the_latest_year_with_a_value(table, pages):
    exports = services.digitally_deliverable_exports()
    valued = exports[exports["usd"].notna()]
    members = set(table.index[~table["is_eu"]])
    last = valued.sort_values("year").groupby("code").tail(1).set_index("code")
    # An economy whose 2023 value is missing shows its latest earlier year, not zero or nothing.
    earlier = sorted(code for code in last.index if last.loc[code, "year"] < 2023 and code in members)
    assert earlier
    code = earlier[0]
    assert table.loc[code, "digital_services"] == last.loc[code, "usd"]
    assert table.loc[code, "digital_services_year"] == str(last.loc[code, "year"])
    assert table.loc["USA", "digital_services_rank"] == 1
    world = services.world_total("exports")
    usa = last.loc["USA"]
    assert f"{usa['usd'] / world[usa['year']]:.2%} of UNCTAD's world total" in row_of(pages, "usa", DDS_ROW)
    assert table.loc["USA", "digital_services_n"] == len(members & set(last.index))


@pytest.mark.snapshots
def test_a_member_without_unctad_data_shows_no_data(table, pages):
    exports = services.digitally_deliverable_exports()
    valued = set(exports.loc[exports["usd"].notna(), "code"])
    missing = sorted(set(table.index[~table["is_eu"]]) - valued)
    assert missing
    row = row_of(pages, table.loc[missing[0], "slug"], DDS_ROW)
    assert "no data in `unctad-digitally-deliverable-services`" in row and "no rank (no data)" in row
    assert pd.isna(table.loc[missing[0], "digital_services"])
