"""Re-execute the book's notebooks and store their outputs in place.

The book publishes the outputs stored in each ``.ipynb`` (``execute_notebooks: "off"``
in ``_config.yml``), and the test suite re-runs every notebook with nbval in strict mode
to prove those outputs are exactly what the current code and data produce. After
changing a notebook, ``src/aitrade`` or ``data/``, refresh the stored outputs with::

    python -m aitrade notebooks execute            # every notebook in book/
    python -m aitrade notebooks execute PATH ...   # just these

Each run records in the notebook's metadata (``aitrade.execution``) what its outputs
depend on: the sha256 of every dataset the kernel loaded and a digest of every ``aitrade``
module it imported (:func:`execution_record`). The book build compares that record with
the catalogue and the code (:mod:`aitrade.site.stale_outputs`) and warns when a notebook's
stored outputs may be stale. The record holds no time stamp: re-running an unchanged
notebook leaves an unchanged file.
"""

from __future__ import annotations

import hashlib
import json
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
NOTEBOOK_SUFFIX = ".ipynb"
# Where the execution record lives in a notebook's metadata.
METADATA_KEY, RECORD_KEY = "aitrade", "execution"
# The folder that holds the aitrade package: module paths in the record are relative to it.
SOURCE_ROOT = Path(__file__).resolve().parent.parent
RECORD_MARKER = "aitrade-execution-record:"
# Run in the kernel after the notebook's last cell (then removed): which datasets it loaded,
# with their sha256, and which aitrade modules it imported. It imports nothing of aitrade.
RECORD_SOURCE = f"""\
import json as _json, sys as _sys
_loaded = getattr(_sys.modules.get("aitrade.data.cache"), "LOADED_DATASETS", {{}})
_files = {{_name: getattr(_module, "__file__", None) for _name, _module in list(_sys.modules.items())
          if _name == "aitrade" or _name.startswith("aitrade.")}}
print("{RECORD_MARKER}" + _json.dumps({{"datasets": dict(_loaded), "modules": _files}}))
"""


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


def module_digest(relative: str) -> str | None:
    """First 16 hex digits of the sha256 of a module file (path relative to the folder
    holding ``aitrade``); None when the file no longer exists."""
    path = SOURCE_ROOT / relative
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else None


def execution_record(reported: dict) -> dict:
    """The record stored in a notebook from what the kernel reported: dataset name ->
    sha256, and aitrade module file (relative to the source folder) -> digest."""
    code = {}
    for file in reported["modules"].values():
        if file and Path(file).resolve().is_relative_to(SOURCE_ROOT):
            relative = Path(file).resolve().relative_to(SOURCE_ROOT).as_posix()
            code[relative] = module_digest(relative)
    return {"datasets": dict(sorted(reported["datasets"].items())), "code": dict(sorted(code.items()))}


def recorded(notebook) -> dict | None:
    """The execution record stored in a notebook, or None."""
    return notebook.metadata.get(METADATA_KEY, {}).get(RECORD_KEY)


def reported_by(cell) -> dict:
    """The record the recording cell printed."""
    for output in cell.get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith(RECORD_MARKER):
                return json.loads(line.removeprefix(RECORD_MARKER))
    raise NotebookExecutionError("The kernel did not report which datasets and modules it used.")


def execute_notebook(path: Path) -> float:
    """Run one notebook top to bottom in its own folder, record what its outputs depend
    on, and save it; return seconds."""
    notebook = nbformat.read(path, as_version=4)
    record_cell = nbformat.v4.new_code_cell(RECORD_SOURCE)
    notebook.cells.append(record_cell)
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
    notebook.cells.remove(record_cell)
    notebook.metadata.setdefault(METADATA_KEY, {})[RECORD_KEY] = execution_record(reported_by(record_cell))
    strip_volatile_metadata(notebook)
    nbformat.write(notebook, path)
    return time.perf_counter() - started


def execute_notebooks(paths: list[Path]) -> None:
    """Execute each notebook in turn with a progress bar; stop at the first failure."""
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"No such notebook: {', '.join(missing)}")
    pages = [display_path(path) for path in paths if path.suffix != NOTEBOOK_SUFFIX]
    if pages:
        raise NotebookExecutionError(
            f"Not a notebook (.ipynb): {', '.join(pages)}. Only notebooks are executed; the "
            "generated country profiles are rebuilt with `python -m aitrade profiles pages`, "
            "the datasets appendix with `python -m aitrade data pages`."
        )
    with tqdm(paths, unit="notebook") as progress:
        for path in progress:
            progress.set_description(path.name)
            seconds = execute_notebook(path)
            progress.write(f"executed {display_path(path)} in {seconds:.1f} s")
