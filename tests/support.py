"""Helpers the test modules share (fixtures live in conftest.py): scratch catalogues and
caches, the pages of the table of contents, and a browser tab that records problems."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from aitrade import data
from aitrade.data import cache, catalogue, transaction
from aitrade.paths import PROJECT_DIR

# A small verbatim snapshot with a download URL, used as the test subject.
GATT = "gatt-contracting-parties"


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file and folder under ``folder`` with its bytes: a fingerprint of the cache."""
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"<dir>"
        for path in sorted(folder.rglob("*"))
    }


def edit_entry(data_dir: Path, name: str, **changes) -> dict:
    """Change keys of one resource in a scratch catalogue (a value None removes the key)."""
    transaction.apply_fields(data_dir, {name: changes})
    return catalogue.read_catalogue(data_dir / catalogue.CATALOGUE_NAME).resource(name)


def cached_copy(name: str, scratch_cache: Path) -> Path:
    """Copy the real snapshot of ``name`` into a scratch cache; return its path there."""
    entry = data.resource(name)
    source = cache.local_path(entry)
    assert source.is_file(), f"{source} is missing: set {data.CACHE_VARIABLE} (see README)"
    target = scratch_cache / entry["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def pages_in_toc() -> list[str]:
    """Every page listed in _toc.yml (root, chapters, sections), without extension."""
    toc = yaml.safe_load((PROJECT_DIR / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "glob" in entry:
                found = sorted(PROJECT_DIR.glob(entry["glob"] + ".*"))
                pages.extend(str(path.relative_to(PROJECT_DIR).with_suffix("")) for path in found)
                continue
            pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part["chapters"])
    return list(dict.fromkeys(pages))  # a glob also matches its chapter's own page


# Any URL that is not on the local test server (which serves on 127.0.0.1).
NOT_LOCAL = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])")


class PageWatch:
    """One browser tab that records console errors, failed and remote requests.

    ``PageWatch(browser, url)`` opens ``url`` at once; ``visit(url)`` opens another page
    in the same tab, forgetting what the previous page recorded.
    """

    def __init__(self, browser, url: str | None = None, init_script: str | None = None):
        self.errors: list[str] = []
        self.remote: list[str] = []
        self.requested: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        if init_script:
            self.context.add_init_script(script=init_script)
        self.page = self.context.new_page()
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda request: self.errors.append(
            f"request failed: {request.url} ({request.failure})"))
        self.page.on("response", self.on_response)
        self.page.on("request", lambda request: self.requested.append(request.url))
        # Only requests to other hosts are intercepted (and aborted); local ones go
        # straight through, which keeps each page fast.
        self.page.route(NOT_LOCAL, self.on_remote)
        if url:
            self.visit(url)

    def visit(self, url: str) -> None:
        """Open ``url`` in this tab with empty records."""
        self.errors.clear()
        self.remote.clear()
        self.requested.clear()
        self.page.goto(url, wait_until="load")

    def on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def on_remote(self, route) -> None:
        self.remote.append(route.request.url)
        route.abort()

    def close(self) -> None:
        self.context.close()
