"""The strict book build, defined once for the tests and the benchmark."""

from __future__ import annotations

import sys
from pathlib import Path

from aitrade.paths import PROJECT_DIR

# The jupyter-book command of the running interpreter (a virtual environment's, in CI).
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def strict_build_command(output: Path, clean: bool = True) -> list[str]:
    """Build the book into ``output``: warnings are errors, references are checked.

    ``clean`` re-reads every page (``--all``); without it Sphinx rebuilds only what
    changed since the last build into the same ``output``.
    """
    command = [str(JUPYTER_BOOK), "build", "-W", "-n", "--keep-going", "--path-output", str(output)]
    return command + (["--all"] if clean else []) + [str(PROJECT_DIR)]
