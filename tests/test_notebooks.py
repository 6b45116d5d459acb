"""The book's notebooks are stored executed, top to bottom; the execute command works."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from aitrade import notebooks, precision
from aitrade.paths import PROJECT_DIR

NOTEBOOKS = notebooks.book_notebooks()


def test_the_book_has_notebooks():
    assert NOTEBOOKS, "no notebook found in book/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_stored_as_one_clean_top_to_bottom_run(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}; re-run it with "
        f"`python -m aitrade notebooks execute {path.relative_to(PROJECT_DIR)}`"
    )
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not [output for output in cell.outputs if output.output_type == "error"]
            assert "execution" not in cell.metadata


def output_texts(notebook) -> list[tuple[int, str]]:
    """(cell number, text) of every stored output: streams, results, glued records."""
    found = []
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] + [
                value if isinstance(value, str) else json.dumps(value)
                for value in output.get("data", {}).values()
            ]
            found.extend((number, text) for text in texts)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_hold_no_full_precision_float(path):
    """A float with 13+ decimals differs in its last digits from machine to machine."""
    notebook = nbformat.read(path, as_version=4)
    noisy = [(number, match.group()) for number, text in output_texts(notebook)
             for match in precision.FULL_PRECISION_FLOAT.finditer(text)]
    assert not noisy, (
        f"{path.name}: {len(noisy)} full-precision floats in stored outputs, e.g. (cell, value) "
        f"{noisy[:5]}. Publish numbers through aitrade.charts, aitrade.tables and aitrade.glue "
        "(they round to a stated precision), then re-run the notebook."
    )


def test_execute_command_names_a_missing_notebook():
    result = subprocess.run(
        [sys.executable, "-m", "aitrade", "notebooks", "execute", "book/no-such.ipynb"],
        capture_output=True, text=True, cwd=PROJECT_DIR,
    )
    assert result.returncode == 1
    assert "No such notebook" in result.stderr and "no-such.ipynb" in result.stderr


def test_execute_stores_outputs_of_a_fresh_notebook_and_prints_no_kernel_warning(tmp_path, capfd):
    path = tmp_path / "check.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("6 * 7")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    notebooks.execute_notebooks([path])
    stored = nbformat.read(path, as_version=4).cells[0]
    assert stored.execution_count == 1
    assert stored.outputs[0]["data"]["text/plain"] == "42"
    printed = capfd.readouterr()
    assert "WARNING" not in printed.err + printed.out, printed.err  # e.g. the kernel's TCP warning


def test_a_failing_notebook_leaves_its_file_unchanged(tmp_path):
    path = tmp_path / "broken.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    before = path.read_bytes()
    with pytest.raises(notebooks.NotebookExecutionError, match="broken.ipynb failed"):
        notebooks.execute_notebooks([path])
    assert path.read_bytes() == before
