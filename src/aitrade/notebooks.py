"""Re-execute the book's notebooks and store their outputs in place.

The book publishes the outputs stored in each ``.ipynb`` (``execute_notebooks: "off"``
in ``_config.yml``), and the test suite re-runs every notebook with nbval in strict mode
to prove those outputs are exactly what the current code and data produce. After
changing a notebook, ``src/aitrade`` or ``data/``, refresh the stored outputs with::

    python -m aitrade notebooks execute            # every notebook in book/
    python -m aitrade notebooks execute PATH ...   # just these
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from tqdm import tqdm
from traitlets.config import Config

from aitrade.paths import BOOK_DIR, display_path

KERNEL_NAME = "python3"
CELL_TIMEOUT_SECONDS = 600


class NotebookExecutionError(RuntimeError):
    """A notebook failed to run; the message names the notebook and the cell."""


def book_notebooks() -> list[Path]:
    """Every notebook of the book, sorted, without Jupyter checkpoints."""
    return sorted(
        path for path in BOOK_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts
    )


def strip_volatile_metadata(notebook) -> None:
    """Drop per-run metadata (execution timestamps) so re-running leaves a clean diff."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)


def execute_notebook(path: Path) -> float:
    """Run one notebook top to bottom in its own folder and save it; return seconds."""
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    # The kernel talks to this process over local IPC sockets in a private folder, not
    # over TCP (which ipykernel warns about on every start, above any real message).
    with tempfile.TemporaryDirectory(prefix="aitrade-kernel-") as sockets:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = f"{sockets}/kernel"
        client = NotebookClient(
            notebook,
            config=config,
            kernel_name=KERNEL_NAME,
            timeout=CELL_TIMEOUT_SECONDS,
            resources={"metadata": {"path": str(path.parent)}},
        )
        try:
            client.execute()
        except CellExecutionError as exc:
            raise NotebookExecutionError(
                f"{path} failed; its stored outputs were left unchanged.\n{exc}"
            ) from exc
    strip_volatile_metadata(notebook)
    nbformat.write(notebook, path)
    return time.perf_counter() - started


def execute_notebooks(paths: list[Path]) -> None:
    """Execute each notebook in turn with a progress bar; stop at the first failure."""
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"No such notebook: {', '.join(missing)}")
    with tqdm(paths, unit="notebook") as progress:
        for path in progress:
            progress.set_description(path.name)
            seconds = execute_notebook(path)
            progress.write(f"executed {display_path(path)} in {seconds:.1f} s")
