"""aitrade.pages.ledger: the claim ledger is generated, fresh, and no number is typed into prose."""

from __future__ import annotations

import re

import nbformat
import pytest

from aitrade.pages import ledger


def test_typed_numbers_finds_a_number_typed_into_a_sentence():
    assert ledger.typed_numbers("The ITA has 56 participants covering 84 WTO members.") == ["56", "84"]
    assert ledger.typed_numbers("It joined as the 61st participant.") == ["61"]
    assert ledger.typed_numbers("Exports grew 3.4-fold, about 5.5% a year.") == ["3.4", "5.5"]


@pytest.mark.parametrize("sentence", [
    "In December 1996 and again in 2023-24 members met.",             # years, a year range
    "Morocco joined on 14 November 2003.",                             # the day of a date
    "The Declaration WT/MIN(96)/16, DS381 and MC14 are symbols.",      # document symbols
    "Article 21, Table 2 and pp. 42 and 51 of the guide.",             # reference numbers
    "Office equipment is SITC 75, 76 and 776; licence CC BY 4.0.",     # codes after an acronym
    "Use rose in Q1 2026 on 5G networks in the 1990s.",                # codes glued to letters
    "A score on its 0-1 scale, with a 95% interval, at the 5% level.",  # scale ends, test levels
    "Shares are scaled to sum to 100; the maximum is (n - 1)/n.",      # the whole, a formula
    "A 95% percentile bootstrap interval and a 5% critical value.",     # levels with qualifiers
    "Costs enter as t to the power 1-\u03c3.",                           # a formula with a Greek variable
    "The symmetric index is (RCA - 1)/(RCA + 1).",                       # a formula with a named variable
    "It rose by \u27e6glue\u27e7 points.",                                 # a glued value
])
def test_numbers_exempt_by_rule(sentence):
    assert ledger.typed_numbers(sentence) == []


def test_a_page_with_a_typed_number_fails_the_lint(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# A page\n\nThe ITA has {glue:text}`other.ipynb::n:s` participants, 19 of them unidentified.\n"
                    "The report counts 71 members {cite:p}`digwatch_wto`.\n", encoding="utf-8")
    found = ledger.typed_in_book([page])
    assert [(sentence, number) for _, sentence, number in found] == [
        ("The ITA has [missing glue n] participants, 19 of them unidentified.", "19")]


def test_notebook_markdown_is_read_and_code_is_not(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Growth was 12.1 times in ten years."),
        nbformat.v4.new_code_cell("x = 12.1"),
    ])
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    assert [number for *_, number in ledger.typed_in_book([path])] == ["12.1"]


def test_no_number_is_typed_into_the_book_prose():
    found = ledger.typed_in_book()
    assert found == [], "Glue these numbers or cite their source:\n" + "\n".join(
        f"{page}: {number} in {sentence!r}" for page, sentence, number in found)


@pytest.mark.snapshots
def test_the_ledger_page_is_up_to_date():
    assert ledger.stale() == [], "Regenerate it with `python -m aitrade ledger page`."


@pytest.mark.snapshots
def test_the_ledger_lists_glued_and_cited_numbers_and_recomputed_figures():
    text = ledger.render()
    assert "| Public cloud spending 2016, U.S., total (US$ million) | 62,698" in text.replace("\\$", "$")
    assert "41: glue `n_ita_identified`" in text
    assert "cited, `imf2024genai`" in text


def test_the_prose_treats_the_moratorium_as_history():
    """The moratorium lapsed at the end of March 2026: no sentence may say it is in force."""
    present = re.compile(r"moratorium\s+(is|remains|covers|applies|keeps|prevents|bars|stays|continues)\b",
                         re.IGNORECASE)
    found = [(str(page), sentence.text) for page in ledger.prose_pages()
             for sentence in ledger.prose_sentences(page) if present.search(sentence.text)]
    assert found == []
