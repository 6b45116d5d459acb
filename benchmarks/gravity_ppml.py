"""Time structural-gravity PPML: pyfixest on the full annual panel against statsmodels dummies.

    AITRADE_DATA_DIR=/path/to/snapshots python benchmarks/gravity_ppml.py [--runs 5] [--pair-dummies]

Two estimates of the RTA effect, each run in a fresh process so that peak memory is that
estimate's own:

1. ``aitrade.analysis.gravity.ppml`` (pyfixest, fixed effects projected out) with exporter-year,
   importer-year and pair fixed effects on the full annual panel of ``yotov-rta-effects``
   (99,981 rows, 1986-2006);
2. ``aitrade.analysis.gravity.ppml_dummies`` (statsmodels GLM-Poisson, one dummy per fixed-effect
   level) on the guide's 4-year panel (1986, 1990, ..., 2006; 28,566 rows), with exporter-year
   and importer-year dummies; ``--pair-dummies`` adds the ~2,400 pair dummies as well (a dense
   design of several hundred MB and minutes per run: only on a quiet machine).

Prints, for each, the median and range of wall time over ``--runs`` runs and the peak
resident memory of the process (loading the data included), with the estimate it found.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

YEARS = list(range(1986, 2007, 4))


def one_run(path: str, pair_dummies: bool) -> dict:
    """Load, prepare and estimate once in this process; return seconds, memory and estimate."""
    from aitrade import data
    from aitrade.analysis import gravity

    panel = gravity.prepare_panel(data.load("yotov-rta-effects"))
    if path == "pyfixest":
        gravity.ppml(panel[panel["year"] >= 2002], ["RTA"], pair_effects=True)  # warm up: compile kernels first
        start = time.perf_counter()
        fit = gravity.ppml(panel, ["RTA"], pair_effects=True)
    else:
        panel = panel[panel["year"].isin(YEARS)]
        start = time.perf_counter()
        fit = gravity.ppml_dummies(panel, ["RTA"], pair_effects=pair_dummies)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    return {"seconds": seconds, "peak_mb": peak_mb, "rows": len(panel), "nobs": fit.nobs,
            "estimate": fit.estimate("RTA"), "std_error": fit.std_error("RTA"),
            "fixed_effects": ", ".join(fit.fixed_effects)}


def in_fresh_process(path: str, pair_dummies: bool) -> dict:
    command = [sys.executable, __file__, "--one", path] + (["--pair-dummies"] if pair_dummies else [])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{path} run failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each estimate (default 3)")
    parser.add_argument("--pair-dummies", action="store_true",
                        help="give the statsmodels path pair dummies too (slow, memory-hungry)")
    parser.add_argument("--one", choices=["pyfixest", "statsmodels"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, args.pair_dummies)))
        return

    print(f"{args.runs} runs of each, one fresh process per run ({sys.platform})", flush=True)
    results = {}
    for path in ["pyfixest", "statsmodels"]:
        runs = []
        for run in range(1, args.runs + 1):
            runs.append(in_fresh_process(path, args.pair_dummies))
            print(f"  {path} run {run}/{args.runs}: {runs[-1]['seconds']:.2f} s, "
                  f"peak {runs[-1]['peak_mb']:.0f} MB", flush=True)
        results[path] = runs

    labels = {"pyfixest": "pyfixest, annual panel", "statsmodels": "statsmodels dummies, 4-year panel"}
    print(f"\n{'estimator':<36}{'rows':>8}{'median':>9}{'min':>8}{'max':>8}{'peak MB':>9}   RTA (SE); fixed effects")
    for path, runs in results.items():
        seconds = [run["seconds"] for run in runs]
        first = runs[0]
        print(f"{labels[path]:<36}{first['rows']:>8,}{statistics.median(seconds):>8.2f}s"
              f"{min(seconds):>7.2f}s{max(seconds):>7.2f}s{max(run['peak_mb'] for run in runs):>9.0f}"
              f"   {first['estimate']:.3f} ({first['std_error']:.3f}); {first['fixed_effects']}"
              f" ({first['nobs']:,} obs.)")


if __name__ == "__main__":
    main()
