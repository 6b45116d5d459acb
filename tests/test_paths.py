"""aitrade.paths: the project is found from an editable checkout or from the working folder."""

from __future__ import annotations

import pytest

from aitrade import paths


def test_an_editable_checkout_is_the_project():
    assert paths.find_project(checkout=paths.PROJECT_DIR) == paths.PROJECT_DIR
    assert (paths.PROJECT_DIR / "_config.yml").is_file()


def test_an_installed_package_finds_the_project_above_the_working_folder(tmp_path):
    chapter = paths.BOOK_DIR / "04-wto-role"
    assert paths.find_project(start=chapter, checkout=tmp_path) == paths.PROJECT_DIR


def test_outside_any_project_the_error_says_where_to_run(tmp_path):
    with pytest.raises(paths.ProjectNotFoundError, match=r"_config\.yml and data/datapackage\.json.*pip install -e \."):
        paths.find_project(start=tmp_path, checkout=tmp_path)


def test_generated_pages_live_in_the_book():
    assert paths.site_path(paths.DATASET_PAGES_DIR) == "book/appendix/datasets"
    assert paths.site_path(paths.PROFILE_PAGES_DIR) == "book/country-profiles"
    assert paths.display_path(paths.DATA_DIR / "datapackage.json") == "data/datapackage.json"
