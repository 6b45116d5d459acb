"""Time the README's test command on fresh clones, by component.

Each run clones the current commit into a temporary folder (no build, no caches) and
runs ``python -m pytest`` there, with the clone's ``src`` first on the path so the
clone's own code is tested. pytest's per-test durations are summed by component:

- unit tests: ``tests/`` but the build and browser files;
- nbval: every notebook in ``book/``, re-run and compared;
- strict build and static checks: ``tests/test_build.py`` (its first test sets up the
  session's one strict build);
- browser: ``tests/test_site*.py`` (Chromium over the built site).

The command runs in two processes (pytest-xdist), so the components' times, summed over
both, add up to more than the wall-clock time; the last lines give that sum, the wall-clock
time and their ratio (how well the two processes were kept busy). The PDF's tests
(``tests/test_edition.py``) count under unit tests. Usage (the snapshots must be
reachable, as for the tests):

    python benchmarks/test_suite.py            # 3 runs
    python benchmarks/test_suite.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aitrade.data.cache import CACHE_VARIABLE, cache_directory
from aitrade.paths import PROJECT_DIR

DURATION = re.compile(r"^\s*(?P<seconds>[\d.]+)s (?:setup|call|teardown)\s+(?P<test>\S+)", re.M)
COMPONENTS = ["unit tests", "nbval", "strict build and static checks", "browser"]
RATIO = "summed / wall clock"


def component(test: str) -> str:
    """The component a test id belongs to."""
    path = test.split("::")[0]
    if path.startswith("book/"):
        return "nbval"
    if path == "tests/test_build.py":
        return "strict build and static checks"
    if path.startswith("tests/test_site"):
        return "browser"
    return "unit tests"


def run_once() -> dict[str, float]:
    """Clone the current commit, run the test command, return seconds per component."""
    folder = Path(tempfile.mkdtemp(prefix="aitrade-suite-"))
    try:
        clone = folder / "handbook"
        subprocess.run(["git", "clone", "--quiet", str(PROJECT_DIR), str(clone)], check=True)
        environment = {**os.environ, CACHE_VARIABLE: str(cache_directory()),
                       "PYTHONPATH": str(clone / "src")}
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "--durations=0", "--durations-min=0"],
            cwd=clone, env=environment, capture_output=True, text=True,
        )
        wall = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if result.returncode != 0:
        sys.exit(f"the test command failed ({result.returncode}):\n{result.stdout[-4000:]}{result.stderr[-2000:]}")
    figures = dict.fromkeys(COMPONENTS, 0.0)
    for match in DURATION.finditer(result.stdout):
        figures[component(match["test"])] += float(match["seconds"])
    busy = sum(figures.values())
    figures["tests, summed over processes"] = busy
    figures["total (wall clock)"] = wall
    figures[RATIO] = busy / wall
    return figures


def unit(name: str) -> str:
    """The unit a figure is printed in: seconds, or none for the ratio."""
    return "" if name == RATIO else "s"


def processor() -> str:
    """The CPU's model name, where the system says it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="fresh clones to time (default 3)")
    args = parser.parse_args()
    runs: list[dict[str, float]] = []
    for number in range(1, args.runs + 1):
        runs.append(run_once())
        print(f"run {number}/{args.runs}: " + ", ".join(f"{name} {value:.1f}{unit(name)}" for name, value in runs[-1].items()),
              flush=True)
    print(f"\n{'component':<34}{'median':>9}{'min':>9}{'max':>9}   "
          f"({args.runs} runs; {os.cpu_count()} cores, {processor()})")
    for name in runs[0]:
        values = [run[name] for run in runs]
        print(f"{name:<34}" + "".join(f"{value:>8.1f}{unit(name):1}" for value in
                                      (statistics.median(values), min(values), max(values))))


if __name__ == "__main__":
    main()
