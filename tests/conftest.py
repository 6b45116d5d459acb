"""Shared fixtures: the project layout, a scratch copy of the data catalogue, the built book.

Without the dataset snapshots the run does not grind through hundreds of failures: the
tests that need them (marked ``snapshots``, ``build`` or ``browser``, and the notebooks)
are deselected, the unit tests that need none still run, and the run fails with one
message that says what is missing and how to get it.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from aitrade.data import snapshots
from aitrade.data.cache import CACHE_VARIABLE, cache_directory
from aitrade.paths import PROJECT_DIR
from aitrade.site.build import strict_build_command
from aitrade.site.server import serve

import support

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


# Fixtures of the built site: the build runs once per run, whichever process asks first.
SITE_FIXTURES = ("book_build", "site_dir", "site_url")
# The test file that checks the build (its first test builds the site), and the longest
# test file of the built site (every page in the browser).
BUILD_TESTS = "tests/test_build.py"
LONGEST_SITE_TESTS = "tests/test_site.py"
# The order in which whole files are handed out, by kind (see pytest_xdist_make_scheduler).
FILE_KINDS = ("build", "longest site", "notebook", "site", "unit")


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist hands out whole files (``--dist loadfile``), the next to whichever
    process is free, in the order of :data:`FILE_KINDS`. The build's checks (whose first
    test builds the site) and the longest file of the built site go to one process as
    one unit: the site is built and checked there while the other process runs the
    notebooks, which need no built site, then the other tests of the built site; the
    short unit tests fill in at the end. Handed out one by one, the longest file went
    last and ran alone at the end."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BuildThenLongestSiteTests(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return BUILD_TESTS if scope == LONGEST_SITE_TESTS else scope

    return BuildThenLongestSiteTests(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """Without every snapshot, run in one process, so that the run ends with its one message."""
    if getattr(config.option, "numprocesses", None) and snapshots.missing():
        config.option.numprocesses = 0


def file_kind(item) -> str:
    """What a test is, for :data:`FILE_KINDS`: "build", "longest site", "notebook",
    "site" (it needs the built site) or "unit"."""
    path = item.path.relative_to(item.config.rootpath).as_posix()
    first = {BUILD_TESTS: "build", LONGEST_SITE_TESTS: "longest site"}
    if path in first:
        return first[path]
    if item.path.suffix == ".ipynb":
        return "notebook"
    return "site" if any(name in getattr(item, "fixturenames", ()) for name in SITE_FIXTURES) else "unit"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Order the files for parallel runs (:data:`FILE_KINDS`; a file that mixes kinds runs
    where its earliest kind does; stable within a file); without every snapshot, keep only
    the tests that need none."""
    rank: dict[Path, int] = {}
    for item in items:
        rank[item.path] = min(rank.get(item.path, len(FILE_KINDS)), FILE_KINDS.index(file_kind(item)))
    items.sort(key=lambda item: rank[item.path])
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
def book_build(tmp_path_factory, worker_id) -> dict:
    """Build the whole book once per run, from scratch, with warnings as errors.

    Returns the exit code, the build log and the HTML folder. The build goes to a
    temporary folder so it never reuses an earlier build's state. Under pytest-xdist the
    processes share one build: the first to ask builds it under a lock, the others wait
    and read its result.
    """
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    output, record = shared / "book", shared / "book-build.json"
    with open(shared / "book-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            result = subprocess.run(
                strict_build_command(output), capture_output=True, text=True, cwd=PROJECT_DIR
            )
            record.write_text(json.dumps({"returncode": result.returncode,
                                          "log": result.stdout + result.stderr}))
    built = json.loads(record.read_text())
    return {**built, "html": output / "_build" / "html"}


@pytest.fixture(scope="session")
def site_dir(book_build) -> Path:
    """The built site; fails (never skips) when the build did not succeed."""
    if book_build["returncode"] != 0:
        pytest.fail("The book did not build; see test_build.py for the log.")
    return book_build["html"]


@pytest.fixture(scope="session")
def toc_pages() -> list[str]:
    """Pages of the book, from _toc.yml."""
    return support.pages_in_toc()


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
