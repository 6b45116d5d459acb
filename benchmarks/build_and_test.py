"""Time the author's loop: clean build, no-change rebuild, and nbval on every notebook.

Prints the median and the range of several runs of each. Usage:

    python benchmarks/build_and_test.py            # 3 runs each
    python benchmarks/build_and_test.py --runs 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aitrade.paths import PROJECT_DIR
from aitrade.site.build import strict_build_command


def timed(command: list[str]) -> float:
    """Run ``command`` in the project folder; return wall-clock seconds, fail loudly."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"command failed ({result.returncode}): {' '.join(command)}\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return seconds


def measure(runs: int) -> dict[str, list[float]]:
    """Seconds per run for each measured step."""
    figures: dict[str, list[float]] = {"clean build": [], "no-change rebuild": [], "nbval, all notebooks": []}
    for run in range(1, runs + 1):
        output = Path(tempfile.mkdtemp(prefix="aitrade-bench-"))
        try:
            figures["clean build"].append(timed(strict_build_command(output, clean=True)))
            figures["no-change rebuild"].append(timed(strict_build_command(output, clean=False)))
        finally:
            shutil.rmtree(output, ignore_errors=True)
        figures["nbval, all notebooks"].append(timed([sys.executable, "-m", "pytest", "-q", "book"]))
        print(f"run {run}/{runs}: " + ", ".join(f"{name} {values[-1]:.1f} s" for name, values in figures.items()),
              flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (default 3)")
    args = parser.parse_args()
    figures = measure(args.runs)
    print(f"\n{'step':<24}{'median':>10}{'min':>10}{'max':>10}   ({args.runs} runs, {sys.platform})")
    for name, values in figures.items():
        print(f"{name:<24}{statistics.median(values):>9.1f}s{min(values):>9.1f}s{max(values):>9.1f}s")


if __name__ == "__main__":
    main()
