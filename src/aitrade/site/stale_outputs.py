"""Warn at build time when a notebook's stored outputs may be stale.

The book publishes the outputs stored in each notebook; nothing re-runs them during the
build. ``python -m aitrade notebooks execute`` records in each notebook what its outputs
depend on (:func:`aitrade.notebooks.execution_record`): the sha256 of every dataset the
kernel loaded, and a digest of every ``aitrade`` module it imported. At the start of a
build, :func:`warn_stale_notebooks` compares each record with the catalogue and the code
and warns, per notebook, naming it, what changed and the command to run, when

- a dataset it read now has another sha256 in ``data/datapackage.json`` (or is gone),
- a module it ran has changed (or is gone), or
- it carries no record at all (it was never executed by that command).

Under ``-W`` (the strict build) a warning fails the build.

Why the modules the notebook imported, not the whole package: those are exactly the code
that ran in its kernel (every ``aitrade`` module in ``sys.modules`` at the end, including
those imported by other modules). A digest of the whole package would mark every
notebook stale after any change (a build helper, a page generator, a test aid) that
cannot alter a notebook's outputs, and a warning that is always on is soon ignored. The
limit: a data file that a module reads (not imports) is not covered, and neither are
other libraries (their versions are pinned in ``requirements.txt``).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from sphinx.util import logging

from aitrade import notebooks
from aitrade.data.catalogue import CATALOGUE_NAME, read_catalogue

LOGGER = logging.getLogger(__name__)
EXECUTE_COMMAND = "python -m aitrade notebooks execute"


def notebook_paths(source_dir: Path) -> list[Path]:
    """Every notebook under the book's source folder, outside hidden and build folders."""
    found = []
    for path in sorted(source_dir.rglob("*" + notebooks.NOTEBOOK_SUFFIX)):
        parts = path.relative_to(source_dir).parts
        if not any(part.startswith((".", "_build")) for part in parts):
            found.append(path)
    return found


def changes(record: dict | None, declared: dict[str, str]) -> list[str]:
    """What differs between a notebook's execution record and the current catalogue
    (``declared``: dataset name -> sha256) and code, in words; [] when nothing does."""
    if record is None:
        return ["it carries no execution record"]
    found = []
    for name, sha256 in record.get("datasets", {}).items():
        if name not in declared:
            found.append(f"dataset {name} is no longer declared")
        elif declared[name] != sha256:
            found.append(f"dataset {name} changed (sha256 {sha256[:12]} -> {declared[name][:12]})")
    for module, digest in record.get("code", {}).items():
        current = notebooks.module_digest(module)
        if current is None:
            found.append(f"module {module} is gone")
        elif current != digest:
            found.append(f"module {module} changed")
    return found


def stale_notebooks(source_dir: Path, data_dir: Path) -> dict[Path, list[str]]:
    """Each notebook whose stored outputs may be stale, with what changed."""
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME)
    declared = {entry.name: entry.sha256 for entry in catalogue.resources}
    stale = {}
    for path in notebook_paths(source_dir):
        found = changes(notebooks.recorded(nbformat.read(path, as_version=4)), declared)
        if found:
            stale[path] = found
    return stale


def warn_stale_notebooks(app) -> None:
    """Sphinx ``builder-inited``: one warning per notebook whose outputs may be stale."""
    from aitrade import paths

    source_dir = Path(app.srcdir)
    for path, found in stale_notebooks(source_dir, paths.DATA_DIR).items():
        relative = path.relative_to(source_dir).as_posix()
        LOGGER.warning(
            f"{relative}: its stored outputs may be stale: {'; '.join(found)}. Re-run it: "
            f"{EXECUTE_COMMAND} {relative}",
            type="aitrade", subtype="stale_outputs",
        )
