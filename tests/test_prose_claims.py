"""Headlines match their evidence: each test pins one correction of the prose, so that a
claim the analysis does not support cannot come back (the sentences are read with the
ledger's parser, glued values as their keys)."""

from __future__ import annotations

import re

import pytest

from aitrade import data, facts, paths
from aitrade.pages import ledger


@pytest.fixture(scope="module")
def prose():
    """(page, sentence text, glue keys of the sentence) for every sentence of the book."""
    return [(paths.site_path(page), sentence.text, {key for _, key in sentence.glued})
            for page in ledger.prose_pages() for sentence in ledger.prose_sentences(page)]


def matching(prose, pattern: str) -> list[tuple[str, str]]:
    found = re.compile(pattern, re.IGNORECASE)
    return [(page, text) for page, text, _ in prose if found.search(text)]


def keys_on(prose, page_suffix: str) -> set[str]:
    return {key for page, _, keys in prose if page.endswith(page_suffix) for key in keys}


def test_ita_tariff_cuts_are_not_said_to_apply_among_participants_only(prose):
    assert matching(prose, r"tariffs on .{0,80} among its participants") == []


def test_no_claim_that_the_ita_covers_most_ai_related_trade(prose):
    assert matching(prose, r"ITA already covers most") == []


def test_ict_goods_growth_is_always_set_beside_manufactures(prose):
    alone = [text for _, text, keys in prose if "ict_growth_multiple" in keys and "ma_growth_multiple" not in keys]
    assert alone == []


def test_no_claim_that_a_chip_crosses_many_borders(prose):
    assert matching(prose, r"cross(es)? many borders") == []


def test_the_semiconductor_stage_ranking_names_its_measure(prose):
    unqualified = [text for _, text, keys in prose
                   if "semi_most_concentrated_stage" in keys and "HHI" not in text]
    assert unqualified == []


def test_the_tbt_snapshots_are_not_read_as_a_dated_rise(prose):
    assert matching(prose, r"within months") == []
    assert matching(prose, r"no count (specific to AI )?(yet|exists)|there is still no count") == []


def test_idc_is_named_international_data_corporation(prose):
    assert matching(prose, r"International Data Corporation") != []
    assert matching(prose, r"EU-28") != []


def test_the_low_income_jsi_rate_is_always_a_bound(prose):
    floor_alone = [text for _, text, keys in prose if "rate_low" in keys and "rate_low_max" not in keys]
    assert floor_alone == []


def test_the_accession_estimate_is_a_range_not_a_causal_effect(prose):
    assert matching(prose, r"did joining the GATT/WTO raise trade") == []
    assert matching(prose, r"members rose by about") == []
    for page in ("05-conclusion.md", "04-wto-role/facilitating-trade.md", "gravity-wto-accession.ipynb"):
        assert {"wto_min", "wto_max"} <= keys_on(prose, page), page


def test_group_results_name_the_economy_that_drives_them(prose):
    assert "ict_drivers" in keys_on(prose, "ict-services-exports.ipynb")
    assert "ict_fastest_driver" in keys_on(prose, "02-why-ai-is-a-trade-issue/how-ai-affects-trade.md")


def test_imputed_ai_use_is_flagged_and_the_widening_gap_qualified(prose):
    keys = keys_on(prose, "adoption-connectivity.ipynb")
    assert {"low_imputed", "low_distinct", "measured_gap_text"} <= keys


def test_preparedness_reports_its_functional_form_and_both_tables(prose):
    assert {"aipi_quad_p", "aipi_reset_p", "aipi_form_verdict"} <= keys_on(prose, "ai-preparedness.ipynb")
    assert matching(prose, r"rises steadily with") == []


def test_patent_filings_are_not_called_capabilities_of_the_filing_economy(prose):
    unqualified = [text for _, text in matching(prose, r"patent") if re.search(r"capabilit", text, re.I)
                   and not re.search(r"protection|office|filing|filed", text, re.I)]
    assert unqualified == []


def test_the_supporters_of_the_ecommerce_text_are_a_dated_series(prose):
    assert {"supporters_series", "supporters_first", "supporters_last"} <= keys_on(prose, "jsi-ecommerce.ipynb")


def test_unverified_rows_stay_out_of_the_headline_counts(prose):
    assert "n_verified" in keys_on(prose, "05-conclusion.md")  # disputes with a sourced outcome
    assert "n_renewals_verified" in keys_on(prose, "05-conclusion.md")  # sourced extensions


def test_an_unverified_supporters_count_is_only_given_as_unverified(prose):
    """The MC14 count rests on automated digests only: every sentence that states it says
    it is unverified, and the headline series (first and last sourced count) excludes it."""
    stated = [text for _, text, keys in prose if "supporters_unverified" in keys]
    assert stated and all("unverified" in text for text in stated)
    counts = data.load("wto-jsi-ecommerce-counts")
    unverified = counts.drop(facts.verified(counts).index)
    unverified_counts = set(unverified.loc[unverified["milestone"].str.startswith("supporters"), "wto_members"])
    headline = [text for _, text, keys in prose if keys & {"supporters_first", "supporters_last"}]
    assert unverified_counts and headline
    assert [text for text in headline
            if any(re.search(rf"\b{re.escape(count)}\b", text) for count in unverified_counts)] == []
