"""Shared fixtures: the project layout, a scratch copy of the data catalogue, the built book.

Without the dataset snapshots the run does not grind through hundreds of failures: the
tests that need them (marked ``snapshots``, ``build`` or ``browser``, and the notebooks)
are deselected, the unit tests that need none still run, and the run fails with one
message that says what is missing and how to get it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import sync_playwright

from aitrade.data import snapshots
from aitrade.site.build import strict_build_command
from aitrade.data.cache import CACHE_VARIABLE, cache_directory
from aitrade.paths import PROJECT_DIR
from aitrade.site.server import serve

# Tests with these markers, and the notebooks nbval re-runs, read the snapshots.
NEEDS_SNAPSHOTS = ("snapshots", "build", "browser")
MISSING_SNAPSHOTS = pytest.StashKey[list]()


def needs_snapshots(item) -> bool:
    """True for a notebook or a test marked as reading the dataset snapshots."""
    return item.path.suffix == ".ipynb" or any(item.get_closest_marker(name) for name in NEEDS_SNAPSHOTS)


def missing_snapshots_message(missing: list[str], deselected: int) -> str:
    """The one message of a run without (some of) the snapshots."""
    shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
    return (
        f"{len(missing)} dataset snapshot(s) are not in the cache folder {cache_directory()}: {shown}.\n"
        f"{deselected} tests that read them (notebooks, book build, browser, data checks) were not run; "
        "the unit tests that need no snapshot ran.\nGet the snapshots in one of two ways:\n"
        f"  1. point {CACHE_VARIABLE} at a folder that holds them, e.g. export {CACHE_VARIABLE}=/path/to/snapshots\n"
        f"  2. when online, download them into the cache: {snapshots.FETCH_COMMAND}\n"
        "then run the tests again."
    )


def pytest_collection_modifyitems(config, items):
    """Without every snapshot, keep only the tests that need none."""
    missing = snapshots.missing()
    if not missing:
        return
    dropped = [item for item in items if needs_snapshots(item)]
    items[:] = [item for item in items if not needs_snapshots(item)]
    config.hook.pytest_deselected(items=dropped)
    config.stash[MISSING_SNAPSHOTS] = [missing_snapshots_message(missing, len(dropped))]


def pytest_sessionfinish(session, exitstatus):
    """A run without the snapshots fails, even when every test that ran passed."""
    if session.config.stash.get(MISSING_SNAPSHOTS, None) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the one message of a run without the snapshots, after the results."""
    for message in config.stash.get(MISSING_SNAPSHOTS, []):
        terminalreporter.section("dataset snapshots missing", red=True, bold=True)
        terminalreporter.line(message, red=True)


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
    return list(dict.fromkeys(pages))  # a glob also matches its chapter's own page


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


@pytest.fixture
def file_server(tmp_path: Path):
    """A local HTTP server over a temporary folder: yields (folder, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    with serve(root) as base:
        yield root, base


# Browser tests: Playwright drives Debian's Chromium over the built site, offline.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a headless, root-run Chromium on a machine with no outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Any URL that is not on the local test server (which serves on 127.0.0.1).
NOT_LOCAL = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])")


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    """Serve the built site on a free loopback port for the browser tests."""
    with serve(site_dir) as base:
        yield base


def launch_chromium(playwright):
    """Headless Debian Chromium; a clear failure (never a skip) when it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium chromium-driver fonts-dejavu-core), as .ci/run does."
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session's browser tests."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


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
