"""The committed fact tables: one confidence vocabulary, and every typed column agrees with
the text it is derived from.

A typed column (an "Added" field of the catalogue) repeats a text cell of the same row in
a form a notebook can compute with. Each rule below is the derivation the catalogue states
for that column; a typed cell edited without its text (or the reverse) fails here.
"""

from __future__ import annotations

import csv
import re

import pytest

from aitrade import data, paths

CONFIDENCE = ("primary", "secondary", "unverified")
ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?: \(.*\))?$")
SINGLE_YEAR = re.compile(r"^(\d{4})(?:-\d{2}(?:-\d{2})?)?(?: \(.*\))?$")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _iso_date(text: str) -> str:
    match = ISO_DATE.match(text)
    return match.group(1) if match else ""


def _single_year(text: str) -> str:
    match = SINGLE_YEAR.match(text)
    return match.group(1) if match else ""


def _plain_integer(text: str) -> str:
    return text if re.fullmatch(r"\d+", text) else ""


def _ita_covered_now(row: dict) -> str:
    if _ita_through_eu(row) == "yes":
        return ""
    text = row["wto_members_covered"]
    for pattern in (r"^(\d+)$", r"; (\d+) today", r"^(\d+) \(.+\)$"):
        match = re.search(pattern, text)
        if match:
            return match.group(1)
    return ""


def _ita_through_eu(row: dict) -> str:
    return _yes("now covered through the EU schedule" in row["note"]
                or "(through the EC)" in row["wto_members_covered"])


def _ita_joined_year(row: dict) -> str:
    match = re.match(r"^(\d{4})(?:-\d{2}-\d{2})?(?: \(.*\))?$", row["joined"])
    return match.group(1) if match else ""


def _expansion_status(row: dict) -> str:
    if "NOT established" in row["status"]:
        return "not-established"
    return "later-joiner" if "joined after Nairobi" in row["status"] else "participant"


def _jsi_event(row: dict) -> str:
    starts = {
        "signatory of the Buenos Aires Joint Statement": "buenos-aires-2017",
        "participant in the Davos Joint Statement": "davos-2019",
        "joined the e-commerce J": "later-joiner",
        "did NOT join the 26 Jul 2024 statement": "non-supporter-2024",
        "participant in its own right": "own-right",
    }
    return next(code for start, code in starts.items() if row["event"].startswith(start))


def _moratorium_outcome(row: dict) -> str:
    starts = {"established": "established", "extended": "extended", "NOT renewed": "not-renewed",
              "no decision": "no-decision-found", "no renewal decision found": "no-decision-found"}
    return next(code for start, code in starts.items() if row["outcome"].startswith(start))


def _succeeded_flag(row: dict) -> str:
    return {"yes": "yes", "yes (unverified)": "yes", "no": "no", "no (inferred)": "no"}.get(row["succeeded"], "")


def _outcome_inferred(row: dict) -> str:
    if row["ds_number"] == "(aggregate)":
        return ""
    return _yes("(inferred)" in row["succeeded"])


def _provision(row: dict) -> str:
    text = row["exception_invoked"]
    if text.startswith("GATT XX and GATS XIV"):
        return "GATT XX and GATS XIV"
    return "GATS XIV" if text.startswith("GATS XIV") else "GATT XX"


def _tbt_year(row: dict) -> str:
    match = re.match(r"^(\d{4})(?:-\d{2}(?:-\d{2}(?:/\d{2})?)?)?(?: \(.*\))?$", row["as_of"])
    return match.group(1) if match else ""


# dataset -> typed column -> rule computing it from the row's text cells.
DERIVED = {
    "wto-members": {"membership_year": lambda row: row["membership_date"][:4]},
    "wto-ita-participants": {
        "original_party": lambda row: _yes(row["joined_basis"] == "original party to the Singapore Ministerial Declaration"),
        "now_covered_through_eu": _ita_through_eu,
        "wto_members_covered_now": _ita_covered_now,
        "joined_date": lambda row: _iso_date(row["joined"]),
        "joined_year": _ita_joined_year,
    },
    "wto-ita-expansion-participants": {"participation_status": _expansion_status},
    "wto-ita-counts": {
        "agreement_code": lambda row: "ITA Expansion" if row["agreement"].startswith("ITA Expansion") else "ITA",
        "date_iso": lambda row: _iso_date(row["date"]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]) else "",
        "year": lambda row: _single_year(row["date"]),
        "participants_count": lambda row: _plain_integer(row["participants"]),
        "wto_members_covered_count": lambda row: (
            m.group(1) if (m := re.fullmatch(r"(\d+) WTO members", row["wto_members_covered"], re.I)) else ""),
        "share_world_trade_pct_approx": lambda row: (
            m.group(1) if (m := re.fullmatch(r"~(\d+)%(?: \(.*\))?", row["share_world_trade_covered"])) else ""),
    },
    "wto-jsi-ecommerce-participants": {
        "event_code": _jsi_event,
        "event_date": lambda row: row["date"] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]) else "",
        "event_year": lambda row: row["date"][:4],
    },
    "wto-jsi-ecommerce-counts": {
        "date_iso": lambda row: row["date"] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]) else "",
        "year": lambda row: _single_year(row["date"]),
        "wto_members_count": lambda row: _plain_integer(row["wto_members"]),
    },
    "wto-ecommerce-moratorium": {
        "ministerial_number": lambda row: m.group(1) if (m := re.fullmatch(r"MC(\d+)", row["ministerial"])) else "",
        "conference_year": lambda row: row["conference_dates"][:4],
        "conference_start_date": lambda row: (
            m.group(1) if (m := re.match(r"(\d{4}-\d{2}-\d{2})", row["conference_dates"])) else ""),
        "decision_date_iso": lambda row: row["decision_date"] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["decision_date"]) else "",
        "decision_year": lambda row: row["decision_date"][:4],
        "outcome_code": _moratorium_outcome,
    },
    "wto-gatt-xx-gats-xiv-disputes": {
        "aggregate_row": lambda row: _yes(row["ds_number"] == "(aggregate)"),
        "succeeded_flag": _succeeded_flag,
        "outcome_inferred": _outcome_inferred,
        "provision": _provision,
        "report_year_first": lambda row: re.search(r"\d{4}", row["report_year"]).group(0),
    },
    "wto-tbt-ai-cybersecurity": {
        "as_of_year": _tbt_year,
        "as_of_date": lambda row: row["as_of"] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["as_of"]) else "",
        "is_tbt": lambda row: _yes("(not TBT)" not in row["topic"]),
    },
    "oecd-wto-2025-data-flow-scenarios": {
        "scenario_code": lambda row: re.sub(r"[^a-z0-9]+", "-", row["scenario"].lower()).strip("-"),
        "gdp_change_approximate": lambda row: _yes("(approximate)" in row["note"]),
    },
}


def committed_entries() -> list:
    return [entry for entry in data.read_catalogue().resources if entry.is_committed]


def raw_rows(entry) -> list[dict]:
    """The table's rows as the text of the file (no typing), one dict per row."""
    with open(paths.DATA_DIR / entry["path"], encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def added_fields(entry) -> set[str]:
    return {field["name"] for field in entry["schema"]["fields"] if field.get("title", "").startswith("Added")}


def mismatches(name: str, rows: list[dict]) -> list[str]:
    """Every typed cell of ``rows`` that differs from what its rule derives from the text."""
    found = []
    for number, row in enumerate(rows, start=2):
        for column, rule in DERIVED[name].items():
            expected = rule(row)
            if row[column] != expected:
                found.append(f"{name} line {number}: {column} is {row[column]!r}, its text gives {expected!r}")
    return found


def test_every_typed_column_has_a_derivation_rule():
    for entry in committed_entries():
        assert added_fields(entry) == set(DERIVED.get(entry["name"], {})), entry["name"]


@pytest.mark.parametrize("name", sorted(DERIVED))
def test_typed_columns_agree_with_the_text_they_repeat(name):
    assert mismatches(name, raw_rows(data.resource(name))) == []


def test_a_typed_cell_edited_without_its_text_is_caught():
    rows = raw_rows(data.resource("wto-ita-counts"))
    row = next(row for row in rows if row["date"] == "1997-11-24")
    assert mismatches("wto-ita-counts", [row]) == []
    row["participants_count"] = "29"  # the text still says 28
    assert mismatches("wto-ita-counts", [row]) == [
        "wto-ita-counts line 2: participants_count is '29', its text gives '28'"]


def test_every_fact_table_uses_one_confidence_vocabulary():
    for entry in committed_entries():
        field = next(field for field in entry["schema"]["fields"] if field["name"] == "confidence")
        assert field["constraints"]["enum"] == list(CONFIDENCE), entry["name"]
        values = {row["confidence"] for row in raw_rows(entry)}
        assert values <= set(CONFIDENCE), f"{entry['name']}: {sorted(values - set(CONFIDENCE))}"


def test_no_row_rests_on_a_brief_general_knowledge_an_ai_summary_or_wikipedia_alone():
    weak = re.compile(r"per the brief|general knowledge|AI-written|wikipedia", re.IGNORECASE)
    for entry in committed_entries():
        for number, row in enumerate(raw_rows(entry), start=2):
            sources = [part for part in row["source"].split(" | ") if part.strip()]
            if row["confidence"] == "unverified":
                continue
            assert any(not weak.search(part) for part in sources), (
                f"{entry['name']} line {number} is {row['confidence']} but rests only on {row['source']!r}")
