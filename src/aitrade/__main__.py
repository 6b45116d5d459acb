"""Command line of the handbook.

  python -m aitrade notebooks execute [PATH ...]   re-run notebooks, store their outputs
  python -m aitrade data list                      datasets, licence, vintage, local file
  python -m aitrade data verify [NAME ...]         check local files against hash and schema
  python -m aitrade data fetch [NAME ...]          obtain missing snapshots (download or rebuild)
  python -m aitrade data refresh NAME [--from SRC] fetch, validate and adopt a new vintage
  python -m aitrade data recover finish|roll-back  end a refresh that was interrupted
  python -m aitrade data pages                     regenerate the datasets appendix
  python -m aitrade profiles pages                 regenerate the country profiles
  python -m aitrade ledger page                    regenerate the claim ledger
  python -m aitrade edition pdf [--site DIR]       the whole book as one PDF, from the built site
  python -m aitrade edition bundle [--site DIR]    the offline bundle (site, PDF, notebooks, data)
  python -m aitrade edition all                    build the site, then the PDF, then the bundle
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from aitrade import countries, notebooks, paths, wto
from aitrade.data import cache, snapshots, transaction, vintages
from aitrade.data.catalogue import DataError, resource
from aitrade.pages import datasets as dataset_pages
from aitrade.pages import ledger
from aitrade.pages import profiles
from aitrade.site import edition


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="python -m aitrade",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    groups = parser.add_subparsers(dest="group", required=True)

    notebook_parser = groups.add_parser("notebooks", help="work with the book's notebooks")
    notebook_commands = notebook_parser.add_subparsers(dest="command", required=True)
    execute = notebook_commands.add_parser(
        "execute", help="re-run notebooks and store their outputs (default: all in book/)"
    )
    execute.add_argument("paths", nargs="*", type=Path, help="notebooks to run")

    data_parser = groups.add_parser("data", help="the data catalogue and the local cache")
    data_commands = data_parser.add_subparsers(dest="command", required=True)
    data_commands.add_parser("list", help="every dataset, its licence, vintage and local file")
    verify = data_commands.add_parser(
        "verify", help="check local files against their sha256 and schema (never downloads)"
    )
    verify.add_argument("names", nargs="*", help="datasets to check (default: all)")
    fetch = data_commands.add_parser(
        "fetch",
        help="obtain every missing snapshot: download it, or rebuild a derived one from its "
        "upstream file; every sha256 is checked (files already present are left alone)",
    )
    fetch.add_argument("names", nargs="*", help="snapshots to obtain (default: all)")
    refresh = data_commands.add_parser(
        "refresh", help="fetch a vintage, validate it, show what changed, then adopt it"
    )
    refresh.add_argument("name", help="the dataset's name in the catalogue")
    refresh.add_argument(
        "--from",
        dest="source",
        help="URL or local file of the new vintage (default: the catalogue's url)",
    )
    recover = data_commands.add_parser(
        "recover", help="end a refresh that was interrupted (`data verify` reports one)"
    )
    recover.add_argument(
        "action", choices=("finish", "roll-back"),
        help="finish: adopt the new file and its hash; roll-back: restore the declared vintage",
    )
    data_commands.add_parser("pages", help="regenerate the datasets appendix from the catalogue")

    profiles_parser = groups.add_parser("profiles", help="the generated country profiles")
    profiles_commands = profiles_parser.add_subparsers(dest="command", required=True)
    profiles_commands.add_parser(
        "pages", help="regenerate book/country-profiles/ (one page per WTO Member and the EU)"
    )
    ledger_parser = groups.add_parser("ledger", help="the claim ledger of the book's numbers")
    ledger_commands = ledger_parser.add_subparsers(dest="command", required=True)
    ledger_commands.add_parser("page", help="regenerate book/appendix/claims.md")
    edition_parser = groups.add_parser("edition", help="the whole-book PDF and the offline bundle")
    edition_commands = edition_parser.add_subparsers(dest="command", required=True)
    for name, text in (("pdf", "print the built site's pages, in book order, into one PDF"),
                       ("bundle", "zip the built site, its PDF, the notebooks and the catalogue"),
                       ("all", "build the site (jupyter-book build), then the PDF, then the bundle")):
        command = edition_commands.add_parser(name, help=text)
        if name != "all":
            command.add_argument("--site", type=Path, default=paths.PROJECT_DIR / "_build" / "html",
                                 help="the built site (default: _build/html); the result goes into its edition/ folder")
    return parser


def run_profiles() -> int:
    """Regenerate the country profiles and say what changed and how long it took."""
    start = time.perf_counter()
    changed = profiles.write()
    removed = sum(1 for path in changed if not path.is_file())
    print(
        f"{len(changed) - removed} page(s) written and {removed} removed under {paths.site_path(paths.PROFILE_PAGES_DIR)}/ "
        f"in {time.perf_counter() - start:.1f} s."
    )
    return 0


def run_notebooks(args: argparse.Namespace) -> int:
    """Re-execute notebooks in place."""
    paths = [path.resolve() for path in args.paths] or notebooks.book_notebooks()
    notebooks.execute_notebooks(paths)
    return 0


def run_list() -> int:
    """Print the catalogue as a table."""
    table = vintages.listing()
    table["vintage"] = table["vintage"].map(lambda text: text if len(text) <= 48 else text[:47] + "…")
    print(f"Cache folder: {cache.cache_directory()} (set it with {cache.CACHE_VARIABLE})")
    widths = {column: max(len(column), table[column].str.len().max()) for column in table.columns}
    print("  ".join(column.ljust(widths[column]) for column in table.columns).rstrip())
    for row in table.itertuples(index=False):
        print("  ".join(str(value).ljust(widths[column]) for column, value in zip(table.columns, row)).rstrip())
    missing = int((table["local file"] != "present").sum())
    print(f"{len(table)} datasets; {missing} without a verified local file.")
    return 0


def run_verify(names: list[str]) -> int:
    """Check local files; exit 1 if any fails."""
    checks = vintages.verify(names or None)
    for check in checks:
        status = f"ok ({check.rows:,} rows)" if check.ok else "FAILED"
        print(f"{check.name}: {status}")
        if not check.ok:
            print(f"    {check.problem}")
    failed = [check.name for check in checks if not check.ok]
    print(f"{len(checks) - len(failed)} of {len(checks)} datasets verified in {cache.cache_directory()}.")
    return 1 if failed else 0


def run_fetch(names: list[str]) -> int:
    """Obtain missing snapshots; exit 1 listing the failures if any is still missing."""
    folder = cache.cache_directory()
    print(f"Cache folder: {folder} (set it with {cache.CACHE_VARIABLE})")
    outcomes = snapshots.fetch_all(folder, names or None)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} snapshots present in {folder}.")
    if failed:
        print(f"{len(failed)} snapshot(s) could not be obtained:", file=sys.stderr)
        for outcome in failed:
            print(f"  {outcome.name}: {outcome.detail}", file=sys.stderr)
        return 1
    return 0


def follow_up_commands(pages: list[str]) -> list[str]:
    """The commands that refresh what the pages show: notebooks are re-executed, the
    generated country profiles regenerated."""
    notebooks_to_run = [page for page in pages if page.endswith(".ipynb")]
    commands = ["python -m aitrade notebooks execute " + " ".join(notebooks_to_run)] if notebooks_to_run else []
    profile_folder = paths.site_path(paths.PROFILE_PAGES_DIR) + "/"
    if any(page.startswith(profile_folder) for page in pages):
        commands.append("python -m aitrade profiles pages")
    return commands


def run_refresh(name: str, source: str | None) -> int:
    """Refresh one dataset (and those sharing its file) and print what changed."""
    report = vintages.refresh(name, source)
    if report.unchanged:
        restored = f" (the damaged or missing copy was kept as {report.backup})" if report.backup else ""
        print(f"{name}: the file is the declared vintage, sha256 {report.new_hash}{restored}.")
        return 0
    print(f"{', '.join(report.datasets)}: new vintage adopted.")
    print(f"  sha256: {report.old_hash} -> {report.new_hash}")
    for each in [report, *report.shared]:
        label = f"  {each.name}: " if report.shared else "  "
        before = "unknown" if each.rows_before is None else f"{each.rows_before:,}"
        print(f"{label}rows: {before} -> {each.rows_after:,}; compared with {each.compared_with}")
        if each.cells_changed is not None:
            print(f"{label}rows added: {each.rows_added}, removed: {each.rows_removed}, cells changed: {each.cells_changed}")
            print(f"{label}columns added: {each.columns_added or 'none'}, removed: {each.columns_removed or 'none'}")
    if report.backup:
        print(f"  previous file kept as {report.backup}")
    pages = dataset_pages.write()
    print(f"  datasets appendix regenerated ({len(pages)} page(s) changed).")
    print(
        "  now describe the new release: edit its 'vintage', 'coverage' and 'caveats' (and "
        "'derivation', if it came from elsewhere) in data/datapackage.json, then run: "
        "python -m aitrade data pages"
    )
    derived = [dataset for dataset in report.datasets if resource(dataset).get("derivedFrom")]
    if derived:
        print(
            f"  {', '.join(derived)}: 'derivedFrom' in data/datapackage.json still names the "
            "upstream file and recipe of the old vintage (`data fetch` rebuilds that one): "
            "update it, or remove it if no recipe makes the new file"
        )
    users = sorted({page for dataset in report.datasets for page in resource(dataset)["usedBy"]})
    for command in follow_up_commands(users):
        print(f"  then run: {command}")
    return 0


def run_recover(action: str) -> int:
    """Finish or roll back an interrupted refresh."""
    if action == "finish":
        journal = transaction.finish()
        print(f"{', '.join(journal.datasets)}: refresh finished, sha256 {journal.new_sha256} adopted.")
    else:
        journal = transaction.roll_back()
        print(f"{', '.join(journal.datasets)}: refresh rolled back, sha256 {journal.old_sha256} restored.")
    return 0


def run_edition(command: str, site: Path | None) -> int:
    """Build the PDF, the bundle, or the site and both; print what was made."""
    if command == "all":
        site = edition.build_site()
    if command in ("pdf", "all"):
        report = edition.build_pdf(site)
        print(f"{paths.display_path(report.path)}: {report.pages} pages, {report.bytes / 1e6:.1f} MB, "
              f"{report.charts} charts in {report.figures} figures, made in {report.seconds:.0f} s.")
    if command in ("bundle", "all"):
        path, count, size = edition.build_bundle(site)
        print(f"{paths.display_path(path)}: {count} files, {size / 1e6:.1f} MB.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; errors exit 1 with a message."""
    args = build_parser().parse_args(argv)
    try:
        if args.group == "notebooks":
            return run_notebooks(args)
        if args.group == "profiles":
            return run_profiles()
        if args.group == "edition":
            return run_edition(args.command, getattr(args, "site", None))
        if args.group == "ledger":
            print(f"{len(ledger.write())} page(s) written: {paths.site_path(ledger.PAGE)}.")
            return 0
        if args.command == "list":
            return run_list()
        if args.command == "verify":
            return run_verify(args.names)
        if args.command == "fetch":
            return run_fetch(args.names)
        if args.command == "refresh":
            return run_refresh(args.name, args.source)
        if args.command == "recover":
            return run_recover(args.action)
        if args.command == "pages":
            changed = dataset_pages.write()
            print(f"{len(changed)} page(s) written or removed under {paths.site_path(paths.APPENDIX_DIR)}/.")
            return 0
    except (DataError, notebooks.NotebookExecutionError, FileNotFoundError,
            countries.CountryMatchError, profiles.ProfileError, wto.MembershipError,
            edition.EditionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
