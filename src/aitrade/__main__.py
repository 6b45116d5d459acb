"""Command line: ``python -m aitrade notebooks execute [PATH ...]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aitrade import notebooks


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m aitrade", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)

    notebook_parser = groups.add_parser("notebooks", help="work with the book's notebooks")
    notebook_commands = notebook_parser.add_subparsers(dest="command", required=True)
    execute = notebook_commands.add_parser(
        "execute", help="re-run notebooks and store their outputs (default: all in book/)"
    )
    execute.add_argument("paths", nargs="*", type=Path, help="notebooks to run")

    args = parser.parse_args(argv)
    if args.group == "notebooks" and args.command == "execute":
        paths = [path.resolve() for path in args.paths] or notebooks.book_notebooks()
        try:
            notebooks.execute_notebooks(paths)
        except (notebooks.NotebookExecutionError, FileNotFoundError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
