"""The datasets appendix, generated from the catalogue: an index and one page per dataset.

``python -m aitrade data pages`` writes them; a test fails when the pages on disk
differ from what the catalogue produces, so the appendix can never go stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from aitrade import paths
from aitrade.data.cache import CACHE_VARIABLE
from aitrade.data.catalogue import CATALOGUE_NAME, Catalogue, Resource, read_catalogue
from aitrade.data.schema import DEFAULT_MISSING_VALUES
from aitrade.pages.markdown import (
    REUSE_LABELS, address_link, code, escape, front_matter, licence_cell, link, stale_pages, write_pages,
)

INDEX_PAGE = paths.DATASETS_INDEX_PAGE
PAGES_DIR = paths.DATASET_PAGES_DIR

INDEX_INTRO = """\
Every dataset the handbook reads is declared in one catalogue, `data/datapackage.json`
(a [Frictionless Data Package](https://specs.frictionlessdata.io/data-package/)), with
its publisher, canonical address, licence, citation, vintage, sha256 checksum, schema,
coverage, caveats and the notebooks that read it. Notebooks load data only through
`aitrade.data.load(name)`, which checks the checksum and the schema on every load and
refuses a file that does not match, with a message that says how to fix it.

Two kinds of dataset are declared. **Snapshots** of published datasets are never
committed with the handbook: they are read from a local cache (the folder named by the
`AITRADE_DATA_DIR` environment variable) and, where a stable address serves the exact
file, downloaded on first use and checked against the declared checksum; a few were
derived from an upstream file and are rebuilt from it by a recipe in the handbook's code.
`python -m aitrade data fetch` obtains every missing snapshot at once. **Fact tables**
are cited facts transcribed into the repository, each row with its source and a
confidence level, and their gaps stated on their page.

`python -m aitrade data list` shows every dataset and whether its file is present;
`python -m aitrade data verify` checks every local file against its checksum and schema;
`python -m aitrade data refresh NAME` fetches a new vintage, validates it, shows what
changed and only then updates the catalogue. These pages are generated from the
catalogue by `python -m aitrade data pages`.
"""


def constraint_text(field: dict) -> str:
    """A field's constraints in words."""
    rules = field.get("constraints", {})
    parts = []
    if rules.get("required"):
        parts.append("required")
    if "enum" in rules:
        parts.append("one of " + ", ".join(code(value) for value in rules["enum"]))
    if "minimum" in rules:
        parts.append(f"≥ {rules['minimum']}")
    if "maximum" in rules:
        parts.append(f"≤ {rules['maximum']}")
    if field.get("bareNumber") is False:
        parts.append("unit sign stripped (e.g. %)")
    return "; ".join(parts)


def column_groups(fields: list[dict]) -> list[list[dict]]:
    """Fields in order, with runs of year columns alike but for the year merged into one group."""

    def year_pattern(field: dict) -> tuple | None:
        name = field["name"]
        if not (len(name) == 4 and name.isdigit()):
            return None
        rules = json.dumps(field.get("constraints", {}), sort_keys=True)
        return field.get("type"), field.get("title", "").replace(name, "{year}"), rules

    groups: list[list[dict]] = []
    for field in fields:
        pattern = year_pattern(field)
        if groups and pattern is not None and year_pattern(groups[-1][-1]) == pattern:
            groups[-1].append(field)
        else:
            groups.append([field])
    return groups


def notebook_doc(path: str) -> str:
    """A book-relative {doc} target for a page path such as book/x/y.ipynb or book/x/index.md."""
    return "/" + path.removesuffix(".ipynb").removesuffix(".md")


def render_page(entry: Resource) -> str:
    """The Markdown page for one catalogue entry."""
    name = entry["name"]
    schema = entry["schema"]
    summary = f"{entry['title']}. Licence: {entry.licence_text}."
    lines = front_matter(summary) + [
        f"(dataset-{name})=",
        f"# {escape(entry['shortTitle'])}",
        "",
        f"**{escape(entry['title'])}.** {escape(entry['description'])}",
        "",
    ]
    if entry.get("reuse", "open") != "open":
        lines += [
            ":::{admonition} Licence and reuse",
            ":class: important",
            escape(entry.get("reuseNote") or REUSE_LABELS[entry["reuse"]]),
            ":::",
            "",
        ]
    facts = [
        ("Name in the catalogue", code(name)),
        ("Publisher", escape(entry["publisher"])),
        ("Publisher's page", address_link(entry["homepage"]) if entry.get("homepage") else "none"),
        ("Licence", licence_cell(entry)),
        ("Credit line", escape(entry["attribution"])),
        ("Citation", escape(entry["citation"])),
        ("Vintage", escape(entry.get("vintage", "not stated"))),
        ("Retrieved", entry.get("retrieved", "not stated")),
        ("Storage", "committed fact table (" + code("data/" + entry["path"]) + ")"
         if entry.is_committed
         else f"snapshot in the cache folder named by `{CACHE_VARIABLE}`, as {code(entry['path'])}"),
        ("Format", escape(describe_format(entry))),
        ("Size", f"{entry['bytes']:,} bytes" if "bytes" in entry else "not stated"),
        ("sha256", code(entry.sha256)),
        ("Rows (floor checked on load)", f"at least {schema['rowCountMin']:,}" if "rowCountMin" in schema else "no floor"),
        ("Primary key", ", ".join(code(column) for column in schema.get("primaryKey", [])) or "none"),
        ("Coverage", escape("; ".join(f"{key}: {value}" for key, value in entry.get("coverage", {}).items()))),
    ]
    lines += ["| Field | Value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in facts]
    lines.append("")
    if entry.get("sources"):
        lines += ["## Where the file comes from", ""]
        lines += [f"- {link(item['title'], item.get('path'))}" + (f": {escape(item['note'])}" if item.get("note") else "") for item in entry["sources"]]
        lines.append("")
    if entry.is_snapshot:
        # Provenance, after the publisher's pages: the exact file the checksum was taken of.
        lines += [f"**The file the checksum was taken of.** {download_cell(entry)}.", ""]
    if entry.get("derivation"):
        lines += ["**How it was derived.** " + escape(entry["derivation"]), ""]
    lines += ["## Columns", "", "| Column | Type | Meaning | Constraints |", "|---|---|---|---|"]
    for fields in column_groups(schema["fields"]):
        first, last = fields[0], fields[-1]
        names = code(first["name"]) if len(fields) == 1 else (
            f"{code(first['name'])} to {code(last['name'])} ({len(fields)} columns, one per year)"
        )
        title = first.get("title", "").replace(first["name"], "each year" if len(fields) > 1 else first["name"])
        lines.append(
            f"| {names} | {first.get('type', 'string')} | {escape(title)} | {constraint_text(first)} |"
        )
    missing = schema.get("missingValues", list(DEFAULT_MISSING_VALUES))
    shown = ", ".join("an empty cell" if value == "" else code(value) for value in missing)
    lines += ["", f"Missing values are written as {shown}.", ""]
    lines += excluded_section(entry)
    for heading, key in (("Gaps", "gaps"), ("Caveats", "caveats")):
        if entry.get(key):
            lines += [f"## {heading}", ""] + [f"- {escape(item)}" for item in entry[key]] + [""]
    lines += ["## Used by", ""]
    if entry.get("usedBy"):
        lines += [f"- {{doc}}`{notebook_doc(path)}`" for path in entry["usedBy"]]
    else:
        lines.append("No notebook reads this dataset yet.")
    return "\n".join(lines) + "\n"


def excluded_section(entry: Resource) -> list[str]:
    """The columns the loader drops from the file (``excludedColumns``) and why; [] if none."""
    declared = entry.get("excludedColumns")
    if not declared:
        return []
    columns = declared["columns"]
    return [
        "## Columns left out on load",
        "",
        f"The file also holds {len(columns)} column{'s' if len(columns) != 1 else ''} that "
        "`aitrade.data.load` drops as soon as it reads the file, before any check or notebook "
        "sees them, so no page of the handbook shows them: "
        + ", ".join(code(column) for column in columns) + ".",
        "",
        f"**Why.** {escape(declared['reason'])}",
        "",
    ]


def download_cell(entry: Resource) -> str:
    """Where the file is downloaded from, or the upstream file a recipe rebuilds it from."""
    if entry.get("url"):
        return address_link(entry["url"])
    source = entry.get("derivedFrom")
    if source:
        checked = f" (sha256 {code(source['sha256'])})" if source.get("sha256") else ""
        if source.get("path"):
            checked += f", kept in the cache folder as {code(source['path'])}"
        return (
            f"no address serves this exact file: rebuilt from {address_link(source['url'])}"
            f"{checked} by the handbook's recipe {code(source['recipe'])} "
            f"({code('python -m aitrade data fetch ' + entry['name'])}), which checks the result's sha256"
        )
    if entry.get("derivation"):
        return "no address serves this exact file; see how it was derived below"
    return "not applicable"


def describe_format(entry: Resource) -> str:
    """Format, encoding, header line or sheet, in words."""
    kind = entry["format"]
    if kind == "csv":
        dialect = entry.get("dialect", {})
        header = dialect.get("headerRows", [1])[0]
        text = f"CSV, {entry.get('encoding', 'utf-8')}, header on line {header}"
        if dialect.get("trailingEmptyColumn"):
            text += ", every line ends with an extra delimiter"
        return text
    if kind == "xlsx":
        return f"Excel workbook, sheet '{entry['sheet']}'"
    if kind == "dta":
        return "Stata .dta file"
    return kind


def render_index(catalogue: Catalogue) -> str:
    """The appendix's index page: the introduction and a table of every dataset."""
    lines = ["# Datasets", "", INDEX_INTRO]
    for committed, heading in ((False, "Snapshots of published datasets"), (True, "Cited fact tables")):
        entries = [entry for entry in catalogue.resources if entry.is_committed == committed]
        lines += [f"## {heading}", "", "| Dataset | Publisher | Licence | Vintage |", "|---|---|---|---|"]
        for entry in entries:
            lines.append(
                f"| {{doc}}`{escape(entry['shortTitle'])} <datasets/{entry['name']}>` | "
                f"{escape(entry['publisher'])} | {licence_cell(entry)} | "
                f"{escape(entry.get('vintage', ''))} |"
            )
        lines.append("")
    return "\n".join(lines)


def render_all(data_dir: Path = paths.DATA_DIR) -> dict[Path, str]:
    """Every generated page, keyed by its path."""
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME)
    pages = {INDEX_PAGE: render_index(catalogue)}
    pages.update({entry.page_path: render_page(entry) for entry in catalogue.resources})
    return pages


def stale(data_dir: Path = paths.DATA_DIR) -> list[Path]:
    """Pages that differ from the catalogue, are missing, or belong to no dataset."""
    return stale_pages(render_all(data_dir), PAGES_DIR)


def write(data_dir: Path = paths.DATA_DIR) -> list[Path]:
    """Write every changed page, delete pages of undeclared datasets; return what changed."""
    return write_pages(render_all(data_dir), PAGES_DIR)
