"""The claim ledger: every number in the book's prose, and where it comes from.

A reader who quotes a number must be able to trace it. The ledger reads the prose of the
chapter pages and of every notebook's Markdown cells, sentence by sentence, and lists each
number in it with its origin:

- a **glued** number (``{glue:text}``) comes from a notebook: the ledger gives the notebook,
  the glue key and the fact tables the notebook reads (with their rows' confidence);
- a number in a sentence that **cites** a source (``{cite:p}``) is that source's fact: the
  ledger gives the citation keys.

Any other number is **typed** into the prose, and :func:`typed_in_book` lists every one, so
that a test can fail while one is left. Some numbers are not claims, and are exempt by rule
(:func:`typed_numbers`), not by list: years and the tail of a year range ("2023-24"), the day
of a date, numbers inside document symbols and codes (WT/MIN(96)/16, DS381, MC14, Q1, 5G),
the number after a reference word or an acronym (Article 21, Table 2, SITC 75, ISO 3166,
CC BY 4.0) and the list that continues it, the ends of a scale ("0-1 scale") and the level
of a confidence interval or test ("95% interval", "5% level"), the whole of a percentage
("sum to 100") and the terms of a formula with a variable ("(n - 1)/n").

Where the handbook recomputes a figure that an institution published, the ledger shows both
values and their difference (:data:`RECOMPUTED`).

``python -m aitrade ledger page`` writes the page (:data:`PAGE`); a test fails when the
committed page differs from what this module generates.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

from aitrade import data, facts, paths
from aitrade.pages import markdown

PAGE = paths.APPENDIX_DIR / "claims.md"
# Generated pages: their numbers come from data, and the ledger does not read them.
GENERATED = (paths.PROFILE_PAGES_DIR, paths.DATASET_PAGES_DIR, paths.DATASETS_INDEX_PAGE, PAGE)
# Pages that make no claims: the bibliography and the citation instructions.
NO_CLAIMS = ("references.md", "how-to-cite.md")

GLUE = "\u27e6glue\u27e7"  # placeholder for a glued value in a cleaned sentence (no digit in it)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
          "sept", "oct", "nov", "dec")
REFERENCE_WORDS = ("article", "articles", "art", "table", "tables", "figure", "figures", "fig", "section",
                   "sections", "chapter", "chapters", "annex", "paragraph", "paragraphs", "para", "paras",
                   "rev", "version", "exercise", "application", "column", "columns", "step", "footnote",
                   "p", "pp", "page", "pages")
ORDINAL = re.compile(r"(st|nd|rd|th)(?![A-Za-z])")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
ROLE = re.compile(r"\{([a-z]+(?::[a-z]+)*)\}`([^`]*)`")


@dataclass
class Sentence:
    """One sentence of prose, cleaned to plain text: glued values are :data:`GLUE`
    placeholders, in order, with their (notebook, key); ``cited`` holds its citation keys."""

    page: Path
    text: str
    glued: list[tuple[Path, str]] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)


def prose_pages(book: Path = paths.BOOK_DIR) -> list[Path]:
    """The chapter pages and notebooks whose prose makes claims, sorted."""
    pages = []
    for path in sorted(book.rglob("*")):
        if path.suffix not in (".md", ".ipynb") or ".ipynb_checkpoints" in path.parts:
            continue
        if any(path == generated or generated in path.parents for generated in GENERATED):
            continue
        if path.name in NO_CLAIMS:
            continue
        pages.append(path)
    return pages


def markdown_of(path: Path) -> list[str]:
    """The Markdown blocks of a page: the file without its front matter, or each Markdown
    cell of a notebook."""
    if path.suffix == ".ipynb":
        return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown"]
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    return [text]


def without_fences(text: str) -> str:
    """Drop code and directive blocks, keeping the caption of a glued figure and the body of
    an admonition (prose)."""
    kept, fence, keep_body = [], None, False
    for line in text.splitlines():
        opening = re.match(r"^\s*(`{3,}|:{3,})(.*)$", line)
        if fence is None and opening:
            fence, info = opening.group(1), opening.group(2).strip()
            keep_body = info.startswith(("{glue:figure}", "{glossary}", "{note}", "{admonition}", "{important}", "{warning}"))
            kept.append("")
            continue
        if fence is not None:
            if line.strip() == fence:
                fence = None
                kept.append("")
            elif keep_body and not line.lstrip().startswith(":"):
                kept.append(line)
            continue
        kept.append(line)
    return "\n".join(kept)


def resolve_glue(target: str, page: Path) -> tuple[Path, str]:
    """(notebook, key) of a glue reference: ``key`` inside a notebook, or
    ``path/notebook.ipynb::key:s`` from a page (the path relative to the page's folder)."""
    if "::" in target:
        notebook, key = target.split("::", 1)
        return (page.parent / notebook).resolve(), key.removesuffix(":s")
    return page, target.split(":")[0]


def clean(block: str, page: Path) -> tuple[str, list[tuple[Path, str]], list[list[str]]]:
    """Plain text of a Markdown block: roles replaced (glue by :data:`GLUE`, citations by a
    marker), links by their text, code, emphasis and list markers dropped."""
    glued, cited = [], []

    def role(match: re.Match) -> str:
        name, content = match.group(1), match.group(2)
        if name.startswith("glue"):
            glued.append(resolve_glue(content, page))
            return GLUE
        if name.startswith("cite"):
            cited.append([key.strip() for key in content.split(",")])
            return "\u27e6cite\u27e7"
        if "<" in content:  # {doc}`Title <target>`, {term}`Text <Term>`
            return content.split("<")[0].strip()
        return "\u27e6ref\u27e7" if name in ("doc", "ref", "numref", "eq") else content

    text = without_fences(block)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = ROLE.sub(role, text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: their text
    text = re.sub(r"`[^`]*`", "\u27e6code\u27e7", text)  # inline code: identifiers, not claims
    text = re.sub(r"^\s*(?:#+|[-*+]|\d+\.)\s+", "", text, flags=re.M)  # headings and list markers
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)
    text = re.sub(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)", "", text)
    return text, glued, cited


def prose_sentences(page: Path) -> list[Sentence]:
    """Every sentence of a page's prose, cleaned (see :func:`clean`)."""
    found = []
    for block in markdown_of(page):
        text, glued, cited = clean(block, page)
        glue_iter, cite_iter = iter(glued), iter(cited)
        for paragraph in re.split(r"\n\s*\n", text):
            flat = " ".join(paragraph.split())
            for piece in re.split(r"(?<=[.!?])\s+(?=[A-Z\u27e6(\"\u201c])", flat):
                sentence = Sentence(page, piece)
                sentence.glued = [next(glue_iter) for _ in range(piece.count(GLUE))]
                for _ in range(piece.count("\u27e6cite\u27e7")):
                    sentence.cited.extend(next(cite_iter))
                found.append(sentence)
    return found


def sentences(page: Path) -> list[Sentence]:
    """Every sentence of a page's prose that holds a number or a glued value."""
    return [sentence for sentence in prose_sentences(page) if sentence.glued or NUMBER.search(sentence.text)]


def _previous_word(text: str, start: int) -> str:
    words = re.findall(r"[\w.-]+", text[:start])
    return words[-1] if words else ""


def _next_word(text: str, end: int) -> str:
    match = re.match(r"\s*([A-Za-z]+)", text[end:])
    return match.group(1) if match else ""


def _is_reference(text: str, start: int) -> bool:
    word = _previous_word(text, start).rstrip(".")
    if word.lower() in REFERENCE_WORDS:
        return True
    letters = word.replace("-", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()  # SITC 75, ISO 3166, BY 4.0


def typed_numbers(text: str) -> list[str]:
    """The numbers of a cleaned sentence that are neither exempt by rule nor glued (glued
    values are placeholders and hold no digit). See the module docstring for the rules."""
    typed, previous_reference_end = [], None
    for match in NUMBER.finditer(text):
        start, end, number = match.start(), match.end(), match.group(0)
        before = text[start - 1] if start else " "
        before2 = text[start - 2] if start > 1 else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or before in "/._" or (before in "(-" and before2.isalpha()):
            continue  # inside a code or symbol: DS381, WT/MIN(96)/16, COVID-19
        if after.isalpha() and not ORDINAL.match(text, end):
            continue  # a code such as 5G or the 1990s
        if after in "/" or (after == ")" and before == "(" and before2.isalnum()):
            continue
        plain = number.replace(",", "")
        if re.fullmatch(r"(19|20)\d\d", number):
            continue  # a year
        if before in "-\u2013" and re.fullmatch(r"\d\d", number) and re.search(r"(19|20)\d\d[-\u2013]$", text[:start]):
            continue  # the tail of a year range: 2023-24
        if plain.isdigit() and 1 <= int(plain) <= 31 and (
                _next_word(text, end).lower() in MONTHS
                or _previous_word(text, start).lower().rstrip(".") in MONTHS):
            continue  # the day of a date
        if _is_reference(text, start):
            previous_reference_end = end
            continue  # Article 21, Table 2, SITC 75
        if previous_reference_end is not None and re.fullmatch(
                r"\s*(,|and|or|to|-|\u2013|, and)\s*", text[previous_reference_end:start]):
            previous_reference_end = end
            continue  # SITC 75, 76 and 776
        previous_reference_end = None
        rest = text[end:]
        if re.match(r"(\s*[-\u2013]\s*[\d,.]+)?\s+(scale|index)", rest) or (
                before in "-\u2013" and re.match(r"\s+(scale|index)", rest)) or re.search(
                r"scale (from|up to|to)\s*$", text[max(0, start - 20):start]):
            continue  # the ends of a scale: 0-1 scale, a scale up to 10,000
        if plain == "100" and re.search(r"(sums?|adds? up|add up) to( less than| more than)?\s*$", text[:start]):
            continue  # the whole of a percentage: shares that sum to 100
        if re.search(r"(^|[^\w])([a-z\u03b1-\u03c9]|[A-Z]{2,})\s*[-+*/]\s*$", text[:start]) or re.match(
                r"\s*[-+*/]\s*[a-z\u03b1-\u03c9](?!\w)", rest):
            continue  # a term of a formula with a variable: (n - 1)/n, 1-σ, (RCA - 1)
        if re.match(r"%\s+([a-z]+\s+){0,2}(confidence|interval|level|significance|critical)", rest):
            continue  # 95% interval, 95% bootstrap interval, 5% level, 5% critical value
        typed.append(number)
    return typed


@lru_cache(maxsize=None)
def glue_values(notebook: Path) -> dict[str, str]:
    """Every text value a notebook glues, by key, as stored in its outputs (none for a path
    that is not a notebook: the strict build reports such a reference)."""
    values = {}
    if notebook.suffix != ".ipynb" or not notebook.is_file():
        return values
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            stored = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and stored is not None:
                values[name] = ast.literal_eval(stored) if stored[:1] in "'\"" else stored
    return values


def rendered(sentence: Sentence) -> str:
    """The sentence as a reader sees it: glued values in place, markers removed."""
    text = sentence.text
    for notebook, key in sentence.glued:
        text = text.replace(GLUE, glue_values(notebook).get(key, f"[missing glue {key}]"), 1)
    text = re.sub(r"\s*\u27e6cite\u27e7", "", text).replace("\u27e6ref\u27e7", "(link)").replace("\u27e6code\u27e7", "(name)")
    return " ".join(text.split())


def doc_link(path: Path) -> str:
    target = "/" + paths.site_path(path).rsplit(".", 1)[0]
    return f"{{doc}}`{markdown.escape(path.stem)} <{target}>`"


@lru_cache(maxsize=None)
def fact_tables_of(notebook: Path) -> str:
    """The committed fact tables a notebook reads, with how many of their rows are primary,
    secondary and unverified."""
    site = paths.site_path(notebook)
    described = []
    for entry in data.read_catalogue().resources:
        if entry.is_committed and site in (entry.get("usedBy") or []):
            counts = data.load(entry["name"])["confidence"].value_counts()
            described.append(f"{entry['name']} ("
                             + ", ".join(f"{counts.get(level, 0)} {level}" for level in facts.CONFIDENCE) + ")")
    return "; ".join(described)


@dataclass(frozen=True)
class Recomputed:
    """A figure an institution published and the handbook's own computation of it."""

    figure: str
    published_notebook: str   # notebook (from the book folder) and glue key of the published value
    published_key: str
    published_source: str
    handbook_notebook: str
    handbook_key: str


RECOMPUTED = (
    Recomputed("World exports of ICT services, 2018 as a multiple of 2005",
               "02-why-ai-is-a-trade-issue/ict-services-exports.ipynb", "world_ict_multiple",
               "World Bank, WDI world row",
               "02-why-ai-is-a-trade-issue/ict-services-exports.ipynb", "goods_ict_multiple"),
    Recomputed("World exports of manufactures, 2018 as a multiple of 2005",
               "02-why-ai-is-a-trade-issue/ict-services-exports.ipynb", "world_manufactures_multiple",
               "WTO Stats, world row",
               "02-why-ai-is-a-trade-issue/ict-services-exports.ipynb", "goods_manufactures_multiple"),
    Recomputed("ITA: participants identified by name, against the participants the ITA Committee reports",
               "04-wto-role/ita-participation.ipynb", "ita_participants_latest",
               "ITA Committee report (wto-ita-counts)",
               "04-wto-role/ita-participation.ipynb", "n_ita_identified"),
    Recomputed("JSI: WTO members identified, against the participants reported in July 2024",
               "04-wto-role/jsi-ecommerce.ipynb", "jsi_participants",
               "European Parliamentary Research Service (wto-jsi-ecommerce-counts)",
               "04-wto-role/jsi-ecommerce.ipynb", "jsi_members_identified"),
    Recomputed("JSI: signatories of the Buenos Aires statement, 2017",
               "04-wto-role/jsi-ecommerce.ipynb", "ba_stated",
               "WTO news item (wto-jsi-ecommerce-counts)",
               "04-wto-role/jsi-ecommerce.ipynb", "ba_entries"),
    Recomputed("Art. XX / XIV defences: successes (Public Citizen per invocation; the handbook per dispute "
               "with a sourced outcome)",
               "03-policy-considerations/general-exceptions.ipynb", "agg_success",
               "Public Citizen (2022), per invocation",
               "03-policy-considerations/general-exceptions.ipynb", "n_success"),
)


def _number(text: str) -> float | None:
    match = re.search(r"-?\d[\d,]*(?:\.\d+)?", text)
    return float(match.group(0).replace(",", "")) if match else None


def idc_totals() -> list[tuple[str, float, float]]:
    """(economy, printed total, sum of its service lines) of the IDC cloud-spend table."""
    table = data.load("idc-public-cloud-spend-2016")
    lines = table[table["line"] != "Total"].groupby("economy", sort=False)["usd_millions"].sum()
    printed = table[table["line"] == "Total"].set_index("economy")["usd_millions"]
    return [(economy, float(printed[economy]), float(lines[economy])) for economy in printed.index]


def recomputed_rows() -> list[list[str]]:
    """Rows of the published-against-recomputed table."""
    rows = []
    for item in RECOMPUTED:
        published = glue_values(paths.BOOK_DIR / item.published_notebook)[item.published_key]
        ours = glue_values(paths.BOOK_DIR / item.handbook_notebook)[item.handbook_key]
        difference = _number(ours) - _number(published)
        rows.append([markdown.escape(item.figure), f"{markdown.escape(published)} ({markdown.escape(item.published_source)})",
                     f"{markdown.escape(ours)} ({doc_link(paths.BOOK_DIR / item.handbook_notebook)}, "
                     f"{markdown.code(item.handbook_key)})", f"{difference:+,.10g}"])
    for economy, printed, summed in idc_totals():
        rows.append([f"Public cloud spending 2016, {markdown.escape(economy)}, total (US$ million)",
                     f"{printed:,.0f} (IDC, as printed in the paper's Table 2)",
                     f"{summed:,.0f} (sum of the printed service lines, "
                     f"{doc_link(paths.BOOK_DIR / '02-why-ai-is-a-trade-issue/cloud-spend.ipynb')})",
                     f"{summed - printed:+,.0f}"])
    return rows


def claim_rows(page: Path) -> list[list[str]]:
    """One row per sentence of ``page`` that holds a number: the sentence, each number with
    where it comes from (a glue key, with its notebook when it is another page, or the
    citation keys of the sentence), and how many numbers that is."""
    rows = []
    for sentence in sentences(page):
        origins = []
        for notebook, key in sentence.glued:
            value = glue_values(notebook).get(key, "")
            if not NUMBER.search(value):
                continue  # glued text without a number (a name, a list of economies)
            where = "" if notebook == page else f" in {doc_link(notebook)}"
            origins.append(f"{markdown.escape(value)}: glue {markdown.code(key)}{where}")
        if sentence.cited:
            origins += [f"{markdown.escape(number)}: cited, "
                        + ", ".join(markdown.code(key) for key in sentence.cited)
                        for number in typed_numbers(sentence.text)]
        if origins:
            rows.append([markdown.escape(rendered(sentence)).replace("_", "\\_"), "; ".join(origins), len(origins)])
    return rows


def typed_in_book(pages: list[Path] | None = None) -> list[tuple[str, str, str]]:
    """(page, sentence, number) for every number typed into prose that is neither glued, nor
    in a sentence that cites its source, nor exempt by rule."""
    found = []
    for page in pages if pages is not None else prose_pages():
        for sentence in sentences(page):
            if sentence.cited:
                continue
            for number in typed_numbers(sentence.text):
                found.append((paths.display_path(page), rendered(sentence), number))
    return found


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(row) + " |" for row in rows]


def render() -> str:
    """The ledger page."""
    sections, total = [], 0
    for page in prose_pages():
        rows = claim_rows(page)
        if not rows:
            continue
        total += sum(row.pop() for row in rows)
        sections += ["", f"### {paths.site_path(page)}", "", f"Page: {doc_link(page)}."]
        tables = fact_tables_of(page) if page.suffix == ".ipynb" else ""
        if tables:
            sections += [f"Fact tables the notebook reads (rows by confidence): {markdown.escape(tables)}."]
        sections += [""] + table(["Sentence", "Number: where it comes from"], rows)
    lines = markdown.front_matter("Every number in the handbook's prose, with the notebook and glue key or the "
                                  "source it comes from, and the figures the handbook recomputes beside the "
                                  "published ones.")
    lines += [
        "", "# Claim ledger", "",
        "This page is generated by `python -m aitrade ledger page` from the prose of the chapters and",
        "notebooks; do not edit it by hand. It lists every number a reader may quote, in the",
        "sentence where it appears, with where it comes from: the glue key of the notebook that",
        "computes it (with the fact tables that notebook reads, and how many of their rows are",
        "primary, secondary or unverified), or the source the sentence cites. Years, dates,",
        "document symbols and the numbers of articles, tables and figures are not listed. A test",
        "fails when the prose holds a number of any other kind.",
        "",
        "## Figures the handbook recomputes or counts itself", "",
        "Where the handbook computes a figure that an institution also published, both are shown;",
        "the difference is the handbook's value minus the published one, as printed.", "",
    ]
    lines += table(["Figure", "Published", "Handbook", "Difference"], recomputed_rows())
    lines += ["", f"## Numbers in the prose ({total})"] + sections
    return "\n".join(lines) + "\n"


def stale() -> list[Path]:
    """The ledger page when it differs from what :func:`render` gives, else nothing."""
    return [] if PAGE.is_file() and PAGE.read_text(encoding="utf-8") == render() else [PAGE]


def write() -> list[Path]:
    """Write the ledger page if it changed; return it when written."""
    text = render()
    if PAGE.is_file() and PAGE.read_text(encoding="utf-8") == text:
        return []
    PAGE.write_text(text, encoding="utf-8")
    return [PAGE]
