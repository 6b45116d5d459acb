"""Country profiles: the generated pages are current, complete, honest about gaps and ranked right."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from aitrade import countries, data
from aitrade.__main__ import main
from aitrade.analysis import policy_entries, services
from aitrade.pages import profiles

AIPI_ROW = "| AI Preparedness Index"
LPI_ROW = "| Logistics Performance Index"
DDS_ROW = "| Digitally deliverable services exports"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return profiles.profile_table()


@pytest.fixture(scope="module")
def pages() -> dict:
    return profiles.expected_pages()


def page_of(pages: dict, slug: str) -> str:
    return pages[profiles.render.PAGES_DIR / f"{slug}.md"]


def row_of(page: str, start: str) -> str:
    return next(line for line in page.splitlines() if line.startswith(start))


@pytest.mark.snapshots
def test_pages_on_disk_are_the_generated_pages():
    stale = profiles.stale()
    assert stale == [], (
        f"{len(stale)} country profile page(s) are out of date, e.g. {[p.name for p in stale[:5]]}: "
        "run `python -m aitrade profiles pages`."
    )


@pytest.mark.snapshots
def test_one_page_per_wto_member_and_the_eu_and_no_more(table, pages):
    members = data.load("wto-members")
    assert len(table) == len(members) == 166
    assert table["is_eu"].sum() == 1 and table.loc["EUU", "slug"] == "eu"
    economies = countries.economies(members["member"])
    slugs = {code.lower() for code in economies["iso3"] if code != "EUU"} | {"eu"}
    profile_pages = {path.stem for path in pages if path != profiles.render.INDEX_PAGE}
    assert profile_pages == slugs == set(table["slug"])
    assert len(profile_pages) == 166


@pytest.mark.snapshots
def test_every_page_has_a_meta_description_and_names_its_generator(pages):
    for path, text in pages.items():
        orphan = "orphan: true\n" if path != profiles.render.INDEX_PAGE else ""
        assert text.startswith(f"---\n{orphan}myst:\n  html_meta:\n    description: \""), path
        assert "python -m aitrade profiles pages" in text, path


@pytest.mark.snapshots
def test_a_missing_value_shows_no_data_and_has_no_rank(table, pages):
    # Liechtenstein is not in the IMF's AI Preparedness Index.
    assert "LIE" not in set(data.load("imf-ai-preparedness-2023")["code"])
    assert pd.isna(table.loc["LIE", "aipi"]) and pd.isna(table.loc["LIE", "aipi_rank"])
    row = row_of(page_of(pages, "lie"), AIPI_ROW)
    assert "no data in `imf-ai-preparedness-2023`" in row and "no rank (no data)" in row
    assert "0.000" not in row and " of 151 " not in row
    # Kenya has no notable model and no GPU cluster in Epoch AI's data: missing, not zero.
    kenya = page_of(pages, "ken")
    assert "no data in `epoch-notable-ai-models-2026`" in row_of(kenya, "| Notable AI models")
    assert "no data in `epoch-gpu-clusters`" in row_of(kenya, "| GPU-cluster compute")
    # The EU row of WDI internet use is empty in this vintage.
    assert "no data in `wdi-internet-users`" in row_of(page_of(pages, "eu"), "| Internet use")


def test_competition_ranks_share_the_best_rank_and_skip_missing():
    values = pd.Series([5.0, 3.0, None, 3.0, 1.0], index=list("abcde"))
    ranks = profiles.indicators.competition_ranks(values)
    assert ranks.tolist()[:2] == [1, 2] and pd.isna(ranks["c"]) and ranks[["d", "e"]].tolist() == [2, 4]
    assert [profiles.render.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "102nd", "111th"]


@pytest.mark.snapshots
def test_internet_ranks_hand_checked(table, pages):
    # Latest value per WTO Member economy, straight from the WDI file.
    wdi = data.load("wdi-internet-users").set_index("Country Code")
    years = [column for column in wdi.columns if column.isdigit()]
    member_codes = [code for code in table.index if code != "EUU" and code in wdi.index]
    latest = {code: wdi.loc[code, years].dropna().iloc[-1] for code in member_codes if wdi.loc[code, years].notna().any()}
    assert len(latest) == table.loc["USA", "internet_n"] == 164
    top = max(latest.values())
    leaders = sorted(code for code, value in latest.items() if value == top)
    # Three Members report 100% and share first place; the next is 4th, not 2nd.
    assert top == 100.0 and leaders == ["ARE", "BHR", "SAU"]
    assert set(table.index[table["internet_rank"] == 1]) == set(leaders)
    fourth = max((value, code) for code, value in latest.items() if value < top)[1]
    assert table.loc[fourth, "internet_rank"] == 4
    assert "| joint 1st of 164 Members with data |" in row_of(page_of(pages, "bhr"), "| Internet use")
    assert "| 4th of 164 Members with data |" in row_of(page_of(pages, fourth.lower()), "| Internet use")
    lowest = min(latest, key=latest.get)
    assert table.loc[lowest, "internet_rank"] == 164


@pytest.mark.snapshots
def test_ties_in_ai_diffusion_are_marked_joint(table, pages):
    # Six Members share Kenya's 8.7% in Q1 2026 (regional imputation in the source).
    tied = table[(table["diffusion"] == table.loc["KEN", "diffusion"]) & ~table["is_eu"]]
    assert len(tied) == 6 and tied["diffusion_rank"].nunique() == 1
    rank = int(table.loc["KEN", "diffusion_rank"])
    assert rank == 1 + int((table["diffusion"] > table.loc["KEN", "diffusion"]).sum()) == 109
    assert "| joint 109th of 129 Members with data |" in row_of(page_of(pages, "ken"), "| AI diffusion")
    below = table.loc[table["diffusion"] < table.loc["KEN", "diffusion"], "diffusion_rank"].min()
    assert below == rank + 6


@pytest.mark.snapshots
def test_participation_statuses(table, pages):
    # ITA: the US is an original party; Kenya is not named, so "not identified".
    assert table.loc["USA", "ita_status"] == "participant"
    assert "1996-12-13" in table.loc["USA", "ita_text"]
    assert table.loc["KEN", "ita_status"] == "not-identified"
    assert "Not identified" in row_of(page_of(pages, "ken"), "| Information Technology Agreement")
    # EU member States take part through the EU; Liechtenstein through Switzerland.
    assert table.loc["DEU", "ita_status"] == table.loc["DEU", "jsi_status"] == "through-eu"
    assert table.loc["LIE", "ita_status"] == "through-other"
    assert "Switzerland" in table.loc["LIE", "ita_text"]
    # A former participant in its own right, now covered through the EU schedule.
    assert table.loc["POL", "ita_status"] == "through-eu" and "own right" in table.loc["POL", "ita_text"]
    # ITA Expansion: Thailand's participation is not established; Japan participates.
    assert table.loc["THA", "ita2_status"] == "not-established"
    assert table.loc["JPN", "ita2_status"] == "participant"
    assert table.loc["LAO", "ita2_status"] == "participant" and "after the Nairobi" in table.loc["LAO", "ita2_text"]
    # JSI: Kenya joined later; the US did not join the 2024 statement but is a participant.
    assert table.loc["KEN", "jsi_status"] == "participant" and "joined the e-commerce JSI" in table.loc["KEN", "jsi_text"]
    assert table.loc["USA", "jsi_status"] == "participant" and "did NOT join" in table.loc["USA", "jsi_text"]
    assert table.loc["IND", "jsi_status"] == "not-identified"
    # No page ever claims a Member is not a participant.
    for text in pages.values():
        assert "not a participant" not in text.lower()


@pytest.mark.snapshots
def test_notable_models_are_credited_fractionally(table):
    credits = profiles.indicators.notable_model_credits().set_index(["Model", "key"])["fractional"]
    # MultiBand Diffusion: US, Israel, France -> three economies, a third each.
    assert credits.loc["MultiBand Diffusion"].to_dict() == pytest.approx({"USA": 1 / 3, "ISR": 1 / 3, "FRA": 1 / 3})
    # Finland and the group label 'Multinational' -> the whole model to Finland.
    assert credits.loc["Local Binary Patterns for facial recognition"].to_dict() == {"FIN": 1.0}
    # Eurus-2-7B-PRIME: China four times and the US once -> half each.
    assert credits.loc["Eurus-2-7B-PRIME"].to_dict() == {"CHN": 0.5, "USA": 0.5}
    # Each credited model counts once in total.
    totals = credits.groupby(level="Model").sum()
    assert ((totals - 1).abs() < 1e-9).all()
    assert table.loc["USA", "models_rank"] == 1


@pytest.mark.snapshots
def test_eu_page_lists_its_member_states_and_is_not_ranked(table, pages):
    eu = page_of(pages, "eu")
    for code in countries.eu_member_states():
        assert f"<{code.lower()}>`" in eu
    assert "not ranked" in row_of(eu, "| ICT services exports")
    assert pd.notna(table.loc["EUU", "ict_exports"]) and pd.isna(table.loc["EUU", "ict_exports_rank"])
    wdi = data.load("wdi-ict-service-exports").set_index("Country Code")
    year = table.loc["EUU", "ict_exports_year"]
    assert table.loc["EUU", "ict_exports"] == wdi.loc["EUU", year]


@pytest.mark.snapshots
def test_index_table_has_one_row_per_profile_with_its_filters(table, pages):
    index = pages[profiles.render.INDEX_PAGE]
    rows = re.findall(r'<tr data-region="([^"]*)" data-income="([^"]*)"><th scope="row"><a href="([a-z]+)\.html">', index)
    assert len(rows) == len(table) == 166
    by_slug = {slug: (region, income) for region, income, slug in rows}
    assert set(by_slug) == set(table["slug"])
    assert by_slug["ken"] == ("Sub-Saharan Africa", "Lower middle income")
    assert by_slug["ven"][1] == "Not classified"
    assert by_slug["eu"] == ("", "")
    assert index.count('<th scope="col">') == 7 and "<caption>" in index
    assert 'aria-live="polite">Showing 166 of 166 economies<' in index
    assert '<script src="../../_static/country-profiles/filter.js" defer></script>' in index
    assert "onclick" not in index and "onchange" not in index and "http" not in index.split("```{raw} html")[1].split("```")[0]


def test_cli_without_the_snapshots_exits_1_naming_the_dataset(scratch_cache, monkeypatch, capsys):
    monkeypatch.setenv(data.CACHE_VARIABLE, str(scratch_cache))
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # nothing listens: no network
    before = {path: path.read_bytes() for path in profiles.render.PAGES_DIR.glob("*.md")}
    assert main(["profiles", "pages"]) == 1
    error = capsys.readouterr().err
    assert "\nerror: " in "\n" + error and "wb-class-economies" in error
    assert {path: path.read_bytes() for path in profiles.render.PAGES_DIR.glob("*.md")} == before



# The Logistics Performance Index and digitally deliverable services rows.

def profile_row(pages: dict, slug: str, start: str) -> str:
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
    assert "| 3.8 | 2023 | joint " in profile_row(pages, "usa", LPI_ROW)
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
    row = profile_row(pages, table.loc[dropped[0], "slug"], LPI_ROW)
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
    assert f"{usa['usd'] / world[usa['year']]:.2%} of UNCTAD's world total" in profile_row(pages, "usa", DDS_ROW)
    assert table.loc["USA", "digital_services_n"] == len(members & set(last.index))


@pytest.mark.snapshots
def test_a_member_without_unctad_data_shows_no_data(table, pages):
    exports = services.digitally_deliverable_exports()
    valued = set(exports.loc[exports["usd"].notna(), "code"])
    missing = sorted(set(table.index[~table["is_eu"]]) - valued)
    assert missing
    row = profile_row(pages, table.loc[missing[0], "slug"], DDS_ROW)
    assert "no data in `unctad-digitally-deliverable-services`" in row and "no rank (no data)" in row
    assert pd.isna(table.loc[missing[0], "digital_services"])


# GPU-cluster power capacity and the indicator labels of the index page.

@pytest.mark.snapshots
def test_cluster_power_sums_the_standard_set_with_reported_figures_first(table, pages):
    clusters = data.load("epoch-gpu-clusters")
    standard = clusters[clusters["Include in Standard Analysis"].fillna(False).astype(bool)]
    us = standard[standard["Country"] == "United States of America"]
    # 'Power Capacity (MW)' is the reported figure where there is one, else Epoch's calculation.
    reported = us["Reported Power Capacity (MW)"].notna()
    assert (us.loc[reported, "Power Capacity (MW)"] == us.loc[reported, "Reported Power Capacity (MW)"]).all()
    powered = us["Power Capacity (MW)"].notna()
    assert table.loc["USA", "cluster_power"] == pytest.approx(float(us.loc[powered, "Power Capacity (MW)"].sum()))
    assert table.loc["USA", "cluster_power_rank"] == 1
    row = profile_row(pages, "usa", "| GPU-cluster power capacity")
    assert (f"{int(powered.sum()):,} clusters with a power figure: {int((powered & reported).sum()):,} reported, "
            f"{int((powered & ~reported).sum()):,} calculated by Epoch") in row
    # A cluster without a power figure adds nothing, and an economy without one has no data.
    assert "no data in `epoch-gpu-clusters`" in profile_row(pages, "ken", "| GPU-cluster power capacity")


def test_indicator_labels_read_in_a_sentence():
    assert profiles.render.in_sentence("Internet use") == "internet use"
    assert profiles.render.in_sentence("Notable AI models") == "notable AI models"
    assert profiles.render.in_sentence("Logistics Performance Index") == "Logistics Performance Index"
    assert profiles.render.in_sentence("GPU-cluster compute") == "GPU-cluster compute"
    assert profiles.render.in_sentence("AI diffusion") == "AI diffusion"


@pytest.mark.snapshots
def test_policy_entries_count_oecd_ai_entries_and_an_unlisted_economy_has_no_data(table, pages):
    counts = policy_entries.per_economy()
    assert table.loc["DEU", "policy_entries"] == counts.loc["DEU", "entries"]
    assert table.loc["EUU", "policy_entries"] == counts.loc["EUU", "entries"]
    assert pd.isna(table.loc["EUU", "policy_entries_rank"])
    row = profile_row(pages, "deu", "| National AI policy entries")
    assert f"start years {counts.loc['DEU', 'first_year']}-{counts.loc['DEU', 'last_year']}" in row
    unlisted = sorted(set(table.index[~table["is_eu"]]) - set(counts.index))
    assert unlisted, "some WTO Members have no OECD.AI entry"
    assert "no data in `oecd-ai-policy-entries`" in profile_row(pages, table.loc[unlisted[0], "slug"], "| National AI policy entries")
