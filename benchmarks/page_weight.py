"""Page weight: what a reader downloads for each page of the built site, compressed.

Serves the built site from 127.0.0.1 with gzip (level 6, as nginx and Apache do),
opens every HTML page in a fresh Chromium context (empty cache) and counts, from the
browser's own network log, the bytes transferred (headers included) and the requests.
For comparison it builds the template book of ``jupyter-book create`` with the same
Jupyter Book and measures its pages the same way: that is the default-page baseline.
Prints one line per page (with whether it has charts and whether Vega loaded with it:
charts arrive drawn as inline SVG, and Vega loads only on interaction), then a summary
against the baseline, and the site's size.

    jupyter-book build .                       # first build the site
    python benchmarks/page_weight.py           # every page, plus the baseline
    python benchmarks/page_weight.py --no-baseline --pages 'book/country-profiles/*'
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from tqdm import tqdm

from aitrade.paths import PROJECT_DIR
from aitrade.site.build import JUPYTER_BOOK
from aitrade.site.server import COMPRESSED_TYPES, GZIP_LEVEL, serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHART_LIBRARY = "vega.min.js"
# Loaded by every page with a chart (charts arrive drawn as SVG; it fetches Vega on interaction).
CHART_LOADER = "aitrade-charts.js"


def site_pages(site: Path, pattern: str) -> list[str]:
    """Every HTML page of the site (relative paths), the redirecting root left out."""
    pages = sorted(str(path.relative_to(site)) for path in site.rglob("*.html"))
    pages = [page for page in pages if page != "index.html" and not page.startswith("_")]
    return [page for page in pages if fnmatch.fnmatch(page.removesuffix(".html"), pattern)]


def measure_pages(site: Path, pages: list[str], label: str) -> list[dict]:
    """Transferred bytes and requests of each page, loaded cold, served gzipped."""
    results = []
    with serve(site, compress=True) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for page_path in tqdm(pages, desc=label, unit="page", file=sys.stderr):
            context = browser.new_context()
            page = context.new_page()
            session = context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.setCacheDisabled", {"cacheDisabled": True})
            sizes: dict[str, int] = {}
            urls: dict[str, str] = {}
            failed: list[str] = []
            session.on("Network.requestWillBeSent", lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]))
            session.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
            session.on("Network.loadingFailed", lambda event: failed.append(urls.get(event["requestId"], "?")))
            page.goto(f"{base}/{page_path}", wait_until="networkidle")
            results.append({
                "page": page_path,
                "requests": len(urls),
                "bytes": sum(sizes.values()),
                "charts": any(url.split("?")[0].endswith(CHART_LOADER) for url in urls.values()),
                "chart_library": any(url.split("?")[0].endswith(CHART_LIBRARY) for url in urls.values()),
                "failed": failed,
            })
            context.close()
        browser.close()
    return results


def build_default_book(folder: Path) -> Path:
    """Build the template book of ``jupyter-book create`` (the default-page baseline)."""
    book = folder / "default-book"
    for command in ([str(JUPYTER_BOOK), "create", str(book)], [str(JUPYTER_BOOK), "build", str(book)]):
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"baseline failed: {' '.join(command[:2])}\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return book / "_build" / "html"


def site_size(site: Path) -> tuple[int, int, int]:
    """Files, bytes on disk, and bytes once compressible files are gzipped."""
    files = [path for path in site.rglob("*") if path.is_file()]
    raw = sum(path.stat().st_size for path in files)
    compressed = 0
    for path in files:
        content = path.read_bytes()
        textual = path.suffix in {".html", ".css", ".js", ".json", ".svg", ".csv", ".txt", ".map", ".inv"}
        compressed += len(gzip.compress(content, GZIP_LEVEL)) if textual else len(content)
    return len(files), raw, compressed


def kilobytes(value: float) -> str:
    return f"{value / 1000:,.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=PROJECT_DIR / "_build" / "html", help="the built site")
    parser.add_argument("--pages", default="*", help="only pages matching this pattern (without .html)")
    parser.add_argument("--no-baseline", action="store_true", help="skip building the default book")
    args = parser.parse_args()
    if not (args.site / "book" / "index.html").is_file():
        sys.exit(f"No built site in {args.site}: run `jupyter-book build .` first (or pass --site).")
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    print(f"Served with gzip level {GZIP_LEVEL} for {', '.join(COMPRESSED_TYPES)}; cold cache per page.")

    baseline = None
    if not args.no_baseline:
        with tempfile.TemporaryDirectory(prefix="aitrade-default-book-") as folder:
            default_site = build_default_book(Path(folder))
            default = measure_pages(default_site, site_pages(default_site, "*"), "default book")
        baseline = statistics.median(result["bytes"] for result in default)
        print("\nDefault Jupyter Book pages (jupyter-book create):")
        for result in default:
            print(f"  {result['page']:<40}{result['requests']:>4} requests {kilobytes(result['bytes']):>10}")

    results = measure_pages(args.site, site_pages(args.site, args.pages), "handbook")
    print(f"\n{'page':<64}{'requests':>9}{'transferred':>13}  charts  Vega loaded")
    for result in results:
        print(f"{result['page']:<64}{result['requests']:>9}{kilobytes(result['bytes']):>13}  "
              f"{'yes' if result['charts'] else '-':<6}  {'yes' if result['chart_library'] else '-'}"
              + (f"  FAILED: {result['failed']}" if result["failed"] else ""))

    print("\nSummary")
    # A page has charts when it loads their loader, or (a build from before charts were
    # drawn at build time) Vega itself.
    with_charts = [r for r in results if r["charts"] or r["chart_library"]]
    for title, group in (("pages with charts", with_charts),
                         ("pages without charts", [r for r in results if r not in with_charts])):
        if group:
            weights = [r["bytes"] for r in group]
            print(f"  {title}: {len(group)}, median {kilobytes(statistics.median(weights))}, "
                  f"max {kilobytes(max(weights))}, requests median {statistics.median(r['requests'] for r in group):.0f}")
    if baseline is not None:
        heavier = [r["page"] for r in results if r["bytes"] >= baseline]
        print(f"  default Jupyter Book page (median): {kilobytes(baseline)}; "
              f"handbook pages at or above it: {len(heavier)} of {len(results)}")
    files, raw, compressed = site_size(args.site)
    print(f"  site: {files:,} files, {raw / 1e6:,.1f} MB on disk, {compressed / 1e6:,.1f} MB gzipped")
    if any(result["failed"] for result in results):
        sys.exit("Some requests failed: see the FAILED lines above.")


if __name__ == "__main__":
    main()
