"""The data catalogue, ``data/datapackage.json``: read once, one typed entry per dataset.

The catalogue is a Frictionless Data Package. Each resource declares a dataset's
publisher, licence, citation, sha256 checksum and Table Schema, and how it is stored:

- ``committed``: a cited fact table transcribed into ``data/``, each row with its source;
- ``cache``: a snapshot of a published dataset, never committed, read from the cache
  folder (:mod:`aitrade.data.cache`).

:func:`read_catalogue` parses the file once per content (a changed file is parsed again),
so callers need not keep or clear a copy. :class:`Resource` is one entry: the
JSON object as declared, with typed accessors for what the code decides on (storage,
hash, where its file and its appendix page are), so no module tests the raw fields.
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from aitrade import paths
from aitrade.data import atomic

CATALOGUE_NAME = "datapackage.json"
CATALOGUE_PATH = paths.DATA_DIR / CATALOGUE_NAME
COMMITTED, CACHE = "committed", "cache"


class DataError(Exception):
    """A dataset cannot be loaded as declared; the message names the file and the fix."""


class UnknownDatasetError(DataError):
    """The name is not declared in the catalogue."""


class Resource(dict):
    """One catalogue entry: the declared JSON object, with typed accessors.

    It stays a ``dict`` so that pages can show any declared field and a refresh can
    update the fields it owns before the catalogue is written back.
    """

    @property
    def name(self) -> str:
        """The dataset's name in the catalogue."""
        return self["name"]

    @property
    def is_committed(self) -> bool:
        """True for a fact table committed in ``data/``."""
        return self["storage"] == COMMITTED

    @property
    def is_snapshot(self) -> bool:
        """True for a snapshot kept in the cache folder, never committed."""
        return self["storage"] == CACHE

    @property
    def sha256(self) -> str:
        """The hex sha256 the catalogue declares for the file."""
        return self["hash"].removeprefix("sha256:")

    @property
    def schema(self) -> dict:
        """The resource's Table Schema."""
        return self["schema"]

    @property
    def page_path(self) -> Path:
        """The dataset's page in the datasets appendix."""
        return paths.DATASET_PAGES_DIR / f"{self.name}.md"

    @property
    def page_doc(self) -> str:
        """The page as a book-relative ``{doc}`` target."""
        return "/" + paths.site_path(self.page_path).removesuffix(".md")

    @property
    def licence_text(self) -> str:
        """The resource's licences as one line of titles."""
        return "; ".join(item.get("title") or item["name"] for item in self["licenses"])

    def committed_path(self, data_dir: Path = paths.DATA_DIR) -> Path:
        """Where a committed fact table lives."""
        return data_dir / self["path"]


@dataclass(frozen=True)
class Catalogue:
    """Every declared dataset, in catalogue order, and the file they were read from."""

    path: Path
    package: dict

    @property
    def resources(self) -> list[Resource]:
        """Every entry, in catalogue order."""
        return self.package["resources"]

    @property
    def names(self) -> list[str]:
        """Names of every declared dataset, in catalogue order."""
        return [entry.name for entry in self.resources]

    def resource(self, name: str) -> Resource:
        """The entry for ``name``; an unknown name is refused with the closest declared names."""
        for entry in self.resources:
            if entry.name == name:
                return entry
        close = closest_names(str(name), self.names)
        suggestion = f"Did you mean {' or '.join(repr(match) for match in close)}? " if close else ""
        raise UnknownDatasetError(
            f"Unknown dataset {name!r}: data/datapackage.json declares no such name. "
            f"{suggestion}`python -m aitrade data list` shows all {len(self.names)} names; "
            "a new dataset must be declared in the catalogue first."
        )

    def writable(self) -> Catalogue:
        """A private copy to change and :meth:`write`; the shared copy stays as read."""
        return Catalogue(self.path, copy.deepcopy(self.package))

    def write(self) -> None:
        """Write the catalogue in its canonical layout (2-space indent, UTF-8), atomically:
        a reader sees the old catalogue or the new one, never a part."""
        text = json.dumps(self.package, indent=2, ensure_ascii=False) + "\n"
        atomic.install(text, self.path)


def closest_names(name: str, names: list[str], most: int = 5) -> list[str]:
    """Declared names a mistyped ``name`` may mean: the closest spellings, then names that
    contain it or share a word of four letters or more with it."""
    text = name.strip().lower()
    words = {word for word in text.replace("_", "-").split("-") if len(word) >= 4}
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.6)
    close += [known for known in names
              if (text and text in known) or words & set(known.split("-"))]
    return list(dict.fromkeys(close))[:most]


# A file changed less than this long ago may change again within one tick of the file
# system's clock without its time stamp moving (git calls such an entry "racily clean").
SETTLED_AFTER_NS = 2_000_000_000
# Catalogues whose file has not changed since a settled stat: path -> (stat, catalogue).
settled_catalogues: dict[Path, tuple[tuple, Catalogue]] = {}


def read_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """The catalogue at ``path``, parsed once per content of the file; treat it as read-only
    (:meth:`Catalogue.writable` gives a copy to change).

    A file whose status (inode, size, times) is unchanged since a read made when it had
    been settled for two seconds is not read again; any other is read and hashed.
    """
    path = path.resolve()
    try:
        status = path.stat()
    except FileNotFoundError:
        raise DataError(
            f"The data catalogue {path} does not exist. Install the handbook from its "
            "repository with `pip install -r requirements.txt` (editable install)."
        ) from None
    stamp = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    known = settled_catalogues.get(path)
    if known and known[0] == stamp:
        return known[1]
    content = path.read_bytes()
    catalogue = parsed_catalogue(path, hashlib.sha256(content).hexdigest(), content)
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > SETTLED_AFTER_NS:
        settled_catalogues[path] = (stamp, catalogue)
    return catalogue


@functools.lru_cache(maxsize=8)
def parsed_catalogue(path: Path, digest: str, content: bytes) -> Catalogue:
    """Parse one content of the catalogue file (cached on its path and sha256)."""
    try:
        package = json.loads(content.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"The data catalogue {path} is not valid JSON: {exc}") from exc
    package["resources"] = [Resource(entry) for entry in package["resources"]]
    return Catalogue(path, package)


def resource(name: str, data_dir: Path = paths.DATA_DIR) -> Resource:
    """The catalogue entry of dataset ``name``."""
    return read_catalogue(data_dir / CATALOGUE_NAME).resource(name)


@dataclass(frozen=True)
class DatasetInfo:
    """What a reader needs to credit a dataset: title, attribution, citation, licence."""

    name: str
    title: str
    short_title: str
    attribution: str
    citation: str
    licence: str
    reuse: str


def info(name: str, data_dir: Path = paths.DATA_DIR) -> DatasetInfo:
    """Title, attribution, citation and licence of a declared dataset."""
    entry = resource(name, data_dir)
    return DatasetInfo(
        name=entry.name,
        title=entry["title"],
        short_title=entry["shortTitle"],
        attribution=entry["attribution"],
        citation=entry["citation"],
        licence=entry.licence_text,
        reuse=entry.get("reuse", "open"),
    )
