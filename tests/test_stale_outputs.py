"""The stale-output guard: a notebook records what its outputs depend on when it is
executed, and the build warns (and under -W fails) when any of it has changed since."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from aitrade import data, notebooks
from aitrade.site import sphinx_ext, stale_outputs

MEMBERS = "wto-members"  # a committed fact table: no snapshot needed


def tiny_notebook(folder: Path) -> Path:
    """A one-cell notebook that loads one dataset, in ``folder``."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(f'from aitrade import data\nlen(data.load("{MEMBERS}"))')]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "tiny.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[Path, bytes]:
    """The tiny notebook executed twice: its path and the bytes of the first run."""
    path = tiny_notebook(tmp_path_factory.mktemp("notebook"))
    notebooks.execute_notebooks([path])
    first = path.read_bytes()
    notebooks.execute_notebooks([path])
    return path, first


def test_execution_records_the_datasets_read_and_the_code_run(executed):
    path, _ = executed
    notebook = nbformat.read(path, as_version=4)
    record = notebooks.recorded(notebook)
    assert record["datasets"] == {MEMBERS: data.resource(MEMBERS).sha256}
    assert record["code"]["aitrade/data/cache.py"] == notebooks.module_digest("aitrade/data/cache.py")
    assert "aitrade/charts/theme.py" not in record["code"]  # imported by nothing it ran
    assert len(notebook.cells) == 1 and notebook.cells[0].outputs[0]["data"]["text/plain"] == "166"


def test_the_record_is_deterministic(executed):
    path, first = executed
    assert path.read_bytes() == first


def test_changes_name_each_dataset_and_module_that_differs(executed):
    path, _ = executed
    record = notebooks.recorded(nbformat.read(path, as_version=4))
    declared = {entry.name: entry.sha256 for entry in data.read_catalogue().resources}
    assert stale_outputs.changes(record, declared) == []
    assert stale_outputs.changes(record, {**declared, MEMBERS: "0" * 64}) == [
        f"dataset {MEMBERS} changed (sha256 {declared[MEMBERS][:12]} -> 000000000000)"
    ]
    edited = {**record, "code": {**record["code"], "aitrade/data/cache.py": "0" * 16, "aitrade/gone.py": "1" * 16}}
    assert stale_outputs.changes(edited, declared) == [
        "module aitrade/data/cache.py changed", "module aitrade/gone.py is gone"
    ]
    assert stale_outputs.changes(None, declared) == ["it carries no execution record"]


def strict_build(source: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """Sphinx with -W over ``source``, whose conf.py connects the guard as the book does."""
    (source / "conf.py").write_text(textwrap.dedent("""\
        from aitrade.site import stale_outputs

        def setup(app):
            app.connect("builder-inited", stale_outputs.warn_stale_notebooks)
    """))
    (source / "index.rst").write_text("Test\n====\n")
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(source), str(tmp_path / "html")]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_the_strict_build_fails_on_a_stale_notebook_and_names_the_command(executed, tmp_path):
    path, _ = executed
    source = tmp_path / "book"
    source.mkdir()
    notebook = nbformat.read(path, as_version=4)
    nbformat.write(notebook, source / "fresh.ipynb")
    notebook.metadata["aitrade"]["execution"]["datasets"][MEMBERS] = "0" * 64  # executed on another vintage
    nbformat.write(notebook, source / "stale.ipynb")
    result = strict_build(source, tmp_path)
    assert result.returncode != 0
    assert (
        f"stale.ipynb: its stored outputs may be stale: dataset {MEMBERS} changed" in result.stderr
        and "Re-run it: python -m aitrade notebooks execute stale.ipynb" in result.stderr
    ), result.stderr
    assert "fresh.ipynb" not in result.stderr  # a notebook that is up to date passes unremarked


def test_the_book_extension_runs_the_guard():
    connected = []

    class App:
        def connect(self, event, handler, priority=500):
            connected.append((event, handler))

        def add_css_file(self, *args, **kwargs):
            pass

    sphinx_ext.setup(App())
    assert ("builder-inited", stale_outputs.warn_stale_notebooks) in connected
