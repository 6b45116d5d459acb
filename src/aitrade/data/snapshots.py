"""Obtain every dataset snapshot the handbook needs, with one command.

``python -m aitrade data fetch`` runs :func:`fetch_all`: each snapshot missing from
the cache folder is downloaded from its catalogue ``url``, or, for a snapshot derived
from an upstream file (``derivedFrom`` in the catalogue), rebuilt by the recipe named
there. Every file is checked against the catalogue's sha256 before it is moved into
place, so the cache never holds a partial or unverified file. Files already present are
left alone: ``python -m aitrade data verify`` checks them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from aitrade import paths
from aitrade.data import transaction
from aitrade.data.atomic import install
from aitrade.data.cache import CACHE_VARIABLE, ChecksumError, cache_directory, download_checked, max_bytes
from aitrade.data.catalogue import CATALOGUE_NAME, Catalogue, DataError, Resource, read_catalogue

FETCH_COMMAND = "python -m aitrade data fetch"

# What fetch_all says it did for each dataset.
DOWNLOADED = "downloaded"
DERIVED = "derived"
PRESENT = "already present"
FAILED = "failed"

# wb-income-group-history: OGHIST.xlsx, the sheet and the labels of its two header rows.
OGHIST_SHEET = "Country Analytical History"
OGHIST_FISCAL_YEAR_LABEL = "Bank's fiscal year"
OGHIST_COLUMNS = ["iso3", "economy", "wb_fiscal_year", "gni_data_year", "income_group_code"]

# epoch-notable-ai-models and epoch-gpu-clusters: the columns kept, in order.
NOTABLE_MODEL_COLUMNS = (
    "Model", "Organization", "Organization categorization", "Country (from Organization)",
    "Publication date", "Domain", "Notability criteria", "Parameters", "Training compute (FLOP)",
    "Training hardware", "Hardware quantity", "Training compute cost (2023 USD)",
    "Model accessibility", "Frontier model", "Confidence",
)
GPU_CLUSTER_COLUMNS = (
    "Name", "Status", "Certainty", "Single cluster?", "H100 equivalents", "Max OP/s",
    "Chip type (primary)", "Chip quantity (primary)", "Total number of AI chips",
    "GPU Supplier (primary)", "Country", "Location", "Owner", "Sector", "Users",
    "First Operational Date", "Decommissioned Date (if applicable)", "Power Capacity (MW)",
    "Calculated Power Capacity (MW)", "Reported Power Capacity (MW)", "Hardware Cost",
    "Calculated Cost", "Reported Cost", "Possible Duplicate", "Include in Standard Analysis",
    "Exclude", "Source 1",
)

# imf-ai-preparedness-2023: the 13 IMF country-group codes among the readiness keys.
IMF_GROUP_CODES = frozenset(
    {"ADVEC", "EME", "LIC", "APQ", "EUQ", "NMQ", "WE", "MECA", "SSQ", "EURO", "MAE", "EU", "AS5"}
)


@dataclass(frozen=True)
class Outcome:
    """What fetching one dataset did: its status and, on failure, why."""

    name: str
    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when the dataset's file is in the cache afterwards."""
        return self.status != FAILED


# Recipes: each takes the upstream file's path and returns the derived file's bytes.


def income_group_history_long(upstream: Path) -> bytes:
    """OGHIST.xlsx sheet 'Country Analytical History' reshaped long, one row per economy x year."""
    sheet = pd.read_excel(upstream, sheet_name=OGHIST_SHEET, header=None, dtype=str)
    labels = sheet[1].fillna("").str.strip()
    header = labels.index[labels.str.startswith(OGHIST_FISCAL_YEAR_LABEL)][0]
    fiscal_years, data_years = sheet.loc[header], sheet.loc[header + 1]
    year_columns = [column for column in sheet.columns[2:] if pd.notna(fiscal_years[column])]
    below = sheet.loc[header + 2:]
    economies = below[below[0].notna() & (below[0].str.len() == 3)]
    rows = [
        (economy[0], economy[1], fiscal_years[column], data_years[column], economy[column])
        for _, economy in economies.iterrows()
        for column in year_columns
    ]
    table = pd.DataFrame(rows, columns=OGHIST_COLUMNS)
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def column_subset(upstream: Path, columns: tuple[str, ...]) -> bytes:
    """All rows of a CSV with only ``columns``, in that order, cells copied unchanged."""
    table = pd.read_csv(upstream, dtype=str, keep_default_na=False, encoding="utf-8")
    absent = [column for column in columns if column not in table.columns]
    if absent:
        raise DataError(f"The upstream file {upstream} lacks the columns {absent}.")
    return table[list(columns)].to_csv(index=False, lineterminator="\n").encode("utf-8")


def notable_ai_models_subset(upstream: Path) -> bytes:
    """Epoch AI's notable_ai_models.csv: all rows, the 15 columns the handbook keeps."""
    return column_subset(upstream, NOTABLE_MODEL_COLUMNS)


def gpu_clusters_subset(upstream: Path) -> bytes:
    """Epoch AI's gpu_clusters.csv: all rows, the 27 columns the handbook keeps."""
    return column_subset(upstream, GPU_CLUSTER_COLUMNS)


def aipi_readiness_table(upstream: Path) -> bytes:
    """The JSON's metrics.readiness map as rows code, is_aggregate, aipi_overall_2023 (CRLF)."""
    readiness = json.loads(upstream.read_text(encoding="utf-8"))["metrics"]["readiness"]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["code", "is_aggregate", "aipi_overall_2023"])
    for code, score in readiness.items():  # json keeps the file's key order
        writer.writerow([code, int(code in IMF_GROUP_CODES), score])
    return text.getvalue().encode("utf-8")


RECIPES: dict[str, Callable[[Path], bytes]] = {
    recipe.__name__: recipe
    for recipe in (
        income_group_history_long,
        notable_ai_models_subset,
        gpu_clusters_subset,
        aipi_readiness_table,
    )
}


def cache_entries(catalogue: Catalogue) -> list[dict]:
    """The catalogue's snapshots (storage 'cache'), in catalogue order."""
    return [entry for entry in catalogue.resources if entry.is_snapshot]


def local_files(entry: Resource) -> list[str]:
    """Paths in the cache a snapshot needs: its file and, where the catalogue keeps it
    (``derivedFrom.path``), the upstream file it is derived from, which the tests read
    to rebuild it."""
    upstream = entry.get("derivedFrom", {}).get("path")
    return [entry["path"]] + ([upstream] if upstream else [])


def missing(cache: Path | None = None, data_dir: Path = paths.DATA_DIR) -> list[str]:
    """Names of the snapshots with a file absent from the cache (no hashing)."""
    cache = cache or cache_directory()
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME)
    return [entry["name"] for entry in cache_entries(catalogue)
            if not all((cache / path).is_file() for path in local_files(entry))]


def obtain_url(entry: Resource, target: Path, scratch: Path) -> None:
    """Download the entry's ``url`` into place (size capped, sha256 checked, atomic)."""
    name = entry["name"]
    refresh = f"Review it with `python -m aitrade data refresh {name}`, or: "
    download_checked(name, entry["url"], target, entry.sha256, new_vintage_hint=refresh,
                     limit=max_bytes(entry))


def derive(entry: Resource, cache: Path, scratch: Path) -> None:
    """Download the entry's upstream file, apply its recipe, write the result if its sha256
    matches, and keep the upstream file where the catalogue says (``derivedFrom.path``)."""
    name, source = entry["name"], entry["derivedFrom"]
    recipe = RECIPES.get(source.get("recipe", ""))
    if recipe is None:
        raise DataError(
            f"Dataset {name!r}: the catalogue names the recipe {source.get('recipe')!r}, but "
            f"aitrade.snapshots knows only {sorted(RECIPES)}. Nothing was written."
        )
    url = source["url"]
    upstream = download_checked(name, url, scratch / "upstream" / name / url.rsplit("/", 1)[-1],
                                     source.get("sha256"))
    try:
        content = recipe(upstream)
    except Exception as exc:  # a malformed upstream fails in pandas, json, zipfile...
        raise DataError(
            f"Dataset {name!r}: the recipe {recipe.__name__} could not read the upstream "
            f"file {url}: {exc!r}. Nothing was written. Point {CACHE_VARIABLE} at a "
            "folder that holds the handbook's snapshots."
        ) from exc
    check_derived(entry, content)
    if source.get("path"):
        install(upstream, cache / source["path"])
    install(content, cache / entry["path"])


def check_derived(entry: Resource, content: bytes) -> None:
    """Refuse derived bytes whose sha256 is not the catalogue's ``hash``."""
    expected = entry.sha256
    actual = hashlib.sha256(content).hexdigest()
    if actual != expected:
        source = entry["derivedFrom"]
        raise ChecksumError(
            f"Dataset {entry['name']!r}: the recipe {source['recipe']} applied to "
            f"{source['url']} gives sha256 {actual}, but data/datapackage.json declares "
            f"{expected}. Nothing was written. The upstream file or the recipe no longer "
            f"yields the handbook's vintage: point {CACHE_VARIABLE} at a folder that "
            "holds the handbook's snapshots."
        )


def obtain(entry: Resource, cache: Path, scratch: Path) -> str:
    """Put the entry's file(s) in ``cache``; return 'downloaded' or 'derived'."""
    if entry.get("url"):
        obtain_url(entry, cache / entry["path"], scratch)
        return DOWNLOADED
    if entry.get("derivedFrom"):
        derive(entry, cache, scratch)
        return DERIVED
    raise DataError(
        f"Dataset {entry['name']!r}: the catalogue gives neither a url nor derivedFrom, so "
        f"it cannot be fetched. Point {CACHE_VARIABLE} at a folder that holds it."
    )


def fetch_all(
    cache: Path | None = None,
    names: list[str] | None = None,
    data_dir: Path = paths.DATA_DIR,
    progress: bool = True,
) -> list[Outcome]:
    """Obtain every missing snapshot (or those named), each file once; report per dataset.

    Files already in the cache are left alone. A failure is reported and the others
    still fetched; nothing partial or unverified is ever written.
    """
    cache = cache or cache_directory()
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME)
    entries = [catalogue.resource(name) for name in names] if names else cache_entries(catalogue)
    committed = [entry.name for entry in entries if not entry.is_snapshot]
    if committed:
        raise DataError(
            f"{committed} are fact tables committed in data/, not snapshots: there is "
            "nothing to fetch (restore them with `git checkout -- data/`)."
        )
    outcomes: list[Outcome] = []
    done: dict[str, Outcome] = {}  # by file path: a shared file is obtained once
    # A termination signal ends the run through the clean-up code: no partial file is left.
    with transaction.termination_as_exit(), tempfile.TemporaryDirectory(prefix="aitrade-fetch-") as scratch:
        bar = tqdm(entries, desc="fetching snapshots", unit="dataset", disable=not progress)
        for entry in bar:
            name = entry["name"]
            if entry["path"] in done:
                first = done[entry["path"]]
                detail = f"same file as {first.name}" + (f": {first.detail}" if first.detail else "")
                outcome = Outcome(name, first.status, detail)
            elif all((cache / path).is_file() for path in local_files(entry)):
                outcome = Outcome(name, PRESENT)
            else:
                try:
                    outcome = Outcome(name, obtain(entry, cache, Path(scratch)))
                except (DataError, OSError) as exc:
                    outcome = Outcome(name, FAILED, str(exc))
            done.setdefault(entry["path"], outcome)
            outcomes.append(outcome)
            line = f"{name}: {outcome.status}"
            if outcome.status != FAILED and outcome.detail:
                line += f" ({outcome.detail})"
            tqdm.write(line)
        bar.close()
    return outcomes
