"""Where the handbook's folders are: the project, its catalogue, its book and generated pages.

The package reads the catalogue ``data/datapackage.json`` and writes pages into
``book/``, so it needs the project folder. In a checkout installed in editable mode that
is the folder above ``src/``. A regular install (``pip install .``) puts the package in
``site-packages``, so the project is then the nearest folder, from the current directory
up, that holds both ``_config.yml`` and ``data/datapackage.json``: the book build, the
notebooks' kernels and the command line all run inside it.
"""

from __future__ import annotations

from pathlib import Path

CATALOGUE_FILE = Path("data") / "datapackage.json"
BOOK_CONFIG = "_config.yml"


class ProjectNotFoundError(RuntimeError):
    """The package runs outside the handbook's project folder."""


def is_project(folder: Path) -> bool:
    """True for a folder that holds the book's configuration and the data catalogue."""
    return (folder / BOOK_CONFIG).is_file() and (folder / CATALOGUE_FILE).is_file()


def find_project(start: Path | None = None, checkout: Path = Path(__file__).resolve().parents[2]) -> Path:
    """The project folder: ``checkout`` (the folder above ``src/`` of an editable install)
    when it is one, else the nearest at or above ``start`` (the current directory)."""
    if is_project(checkout):
        return checkout
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    raise ProjectNotFoundError(
        f"aitrade found no handbook project in {here} or above it (a folder with "
        f"{BOOK_CONFIG} and {CATALOGUE_FILE}). Run the command from inside the handbook's "
        "folder, or install it from there with `pip install -e .`."
    )


PROJECT_DIR = find_project()
DATA_DIR = PROJECT_DIR / "data"
BOOK_DIR = PROJECT_DIR / "book"
APPENDIX_DIR = BOOK_DIR / "appendix"
DATASET_PAGES_DIR = APPENDIX_DIR / "datasets"
DATASETS_INDEX_PAGE = APPENDIX_DIR / "datasets.md"
PROFILE_PAGES_DIR = BOOK_DIR / "country-profiles"


def site_path(path: Path) -> str:
    """A file's path from the project folder, with forward slashes (the site's layout)."""
    return path.relative_to(PROJECT_DIR).as_posix()


def display_path(path: Path) -> str:
    """``path`` relative to the project when it lies inside it, for short messages."""
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)
