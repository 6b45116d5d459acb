"""Shared fixtures: the project layout, a scratch copy of the data catalogue, the built book."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml

from aitrade.build import strict_build_command
from aitrade.data import PROJECT_DIR


@pytest.fixture
def scratch_data(tmp_path: Path) -> Path:
    """A copy of data/ in a temporary folder, for tests that break files on purpose."""
    target = tmp_path / "data"
    shutil.copytree(PROJECT_DIR / "data", target)
    return target


@pytest.fixture(scope="session")
def book_build(tmp_path_factory) -> dict:
    """Build the whole book once, from scratch, with warnings as errors.

    Returns the exit code, the build log and the HTML folder. The build goes to a
    temporary folder so it never reuses an earlier build's state.
    """
    output = tmp_path_factory.mktemp("book")
    result = subprocess.run(
        strict_build_command(output), capture_output=True, text=True, cwd=PROJECT_DIR
    )
    return {
        "returncode": result.returncode,
        "log": result.stdout + result.stderr,
        "html": output / "_build" / "html",
    }


@pytest.fixture(scope="session")
def site_dir(book_build) -> Path:
    """The built site; fails (never skips) when the build did not succeed."""
    if book_build["returncode"] != 0:
        pytest.fail("The book did not build; see test_build.py for the log.")
    return book_build["html"]


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
    return pages


@pytest.fixture(scope="session")
def toc_pages() -> list[str]:
    """Pages of the book, from _toc.yml."""
    return pages_in_toc()


@pytest.fixture
def scratch_cache(tmp_path: Path) -> Path:
    """An empty cache folder, for tests that download, break or refresh snapshots."""
    target = tmp_path / "cache"
    target.mkdir()
    return target


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` over HTTP on a free loopback port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def file_server(tmp_path: Path):
    """A local HTTP server over a temporary folder: yields (folder, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    with serve(root) as base:
        yield root, base


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to the test output."""

    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        pass
