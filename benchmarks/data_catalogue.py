"""Time the data layer: verifying every dataset, loading each one, mapping its economies.

    AITRADE_DATA_DIR=/path/to/snapshots python benchmarks/data_catalogue.py [--runs 5]

Prints the median of several runs for `python -m aitrade data verify`'s work (checksum
and schema of every file), the slowest individual loads, the country layer on
every dataset that declares an economy column, and a refresh of the largest snapshot
(every adoption check, the journal and the swap) into a scratch copy of the catalogue
and cache.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from aitrade import countries, data, paths
from aitrade.data import cache, vintages
from aitrade.pages import datasets as dataset_pages


def median_seconds(work, runs: int) -> tuple[float, float, float]:
    """Median, minimum and maximum wall time of ``work()`` over ``runs`` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    names = data.read_catalogue().names
    print(f"cache folder: {data.cache_directory()}; {len(names)} datasets; {runs} runs")

    def verify_all():
        failed = [check.name for check in vintages.verify(progress=False) if not check.ok]
        assert not failed, f"datasets failing verification: {failed}"

    median, low, high = median_seconds(verify_all, runs)
    print(f"verify every dataset (checksum + schema): median {median:.2f} s (range {low:.2f}-{high:.2f})")

    # The first load in a process parses the file; later loads check the checksum and
    # reuse the parsed table (aitrade.data.cache.parsed_table).
    cache.parsed_table.cache_clear()
    first = {name: median_seconds(lambda name=name: data.load(name), 1)[0] for name in names}
    again = {name: median_seconds(lambda name=name: data.load(name), runs)[0] for name in names}
    slowest = sorted(first.items(), key=lambda item: item[1], reverse=True)[:5]
    print(f"load, all {len(names)} datasets one after another, first in the process "
          f"(checksum, parse, schema): {sum(first.values()):.2f} s; again (checksum, parsed "
          f"table reused, median of {runs}): {sum(again.values()):.2f} s")
    for name, seconds in slowest:
        print(f"  {name}: first {seconds:.3f} s, again {again[name]:.3f} s")

    with_economies = [name for name in names if data.resource(name).get("countries")]
    median, low, high = median_seconds(
        lambda: [countries.dataset_economies(name) for name in with_economies], runs
    )
    print(f"country layer on {len(with_economies)} datasets: median {median:.2f} s (range {low:.2f}-{high:.2f})")

    median, low, high = median_seconds(dataset_pages.render_all, runs)
    print(f"render the datasets appendix ({len(names) + 1} pages): median {median:.3f} s")

    snapshots = [data.resource(name) for name in names if data.resource(name).is_snapshot]
    largest = max(snapshots, key=lambda entry: entry.get("bytes", 0))
    median, low, high = median_seconds(lambda: refresh_into_scratch(largest), runs)
    print(f"refresh {largest.name} ({largest['bytes']:,} bytes) from a local file into a scratch "
          f"cache (validate, journal, swap): median {median:.2f} s (range {low:.2f}-{high:.2f})")


def refresh_into_scratch(entry) -> None:
    """Refresh a dataset whose scratch cache lacks it from the real snapshot: every check
    a new vintage goes through, then the journal and the swap; the real files are read only."""
    with tempfile.TemporaryDirectory(prefix="aitrade-benchmark-") as scratch:
        data_dir = Path(scratch) / "data"
        shutil.copytree(paths.DATA_DIR, data_dir)
        report = vintages.refresh(entry.name, str(cache.local_path(entry)), data_dir=data_dir,
                                  cache=Path(scratch) / "cache")
        assert report.unchanged, report


if __name__ == "__main__":
    main()
