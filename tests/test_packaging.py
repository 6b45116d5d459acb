"""A regular install (`pip install .`) carries every file the book build needs."""

from __future__ import annotations

import fnmatch
import tomllib
from aitrade import paths

PACKAGE_DIR = paths.PROJECT_DIR / "src" / "aitrade"


def test_package_data_covers_every_static_file_and_template():
    declared = tomllib.loads((paths.PROJECT_DIR / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = [f"{package.replace('.', '/')}/{glob}" for package, globs in declared.items() for glob in globs]
    shipped = [path for folder in ("site/static", "site/templates") for path in (PACKAGE_DIR / folder).rglob("*") if path.is_file()]
    assert len(shipped) > 10
    left_out = [str(path.relative_to(PACKAGE_DIR.parent)) for path in shipped
                if not any(fnmatch.fnmatch(str(path.relative_to(PACKAGE_DIR.parent)), pattern) for pattern in patterns)]
    assert left_out == [], f"add these to [tool.setuptools.package-data] in pyproject.toml: {left_out}"


def test_every_package_folder_is_a_package():
    folders = {path.parent for path in PACKAGE_DIR.rglob("*.py")}
    assert all((folder / "__init__.py").is_file() for folder in folders), sorted(
        str(folder) for folder in folders if not (folder / "__init__.py").is_file())
