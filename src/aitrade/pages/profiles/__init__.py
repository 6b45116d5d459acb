"""Country profiles, generated from the catalogue: an index and one page per WTO Member.

One page per WTO Member economy and one for the European Union gathers, for that
economy, its World Bank classification, its WTO membership, its participation in the
Information Technology Agreement (ITA), the ITA Expansion and the Joint Statement
Initiative (JSI) on e-commerce (rules: :mod:`aitrade.wto`), and a few AI and
digital-trade indicators (:mod:`~aitrade.pages.profiles.indicators`), each with its year,
its rank among the WTO Members that have data, and the dataset it comes from. The pages
are written by :mod:`~aitrade.pages.profiles.render`.

Every value is read with :func:`aitrade.data.load` and every label mapped with
:mod:`aitrade.countries`. ``python -m aitrade profiles pages`` writes the pages; a test
fails when the pages on disk differ from what the data produce.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from aitrade import wto
from aitrade.pages.markdown import stale_pages, write_pages
from aitrade.pages.profiles import render
from aitrade.pages.profiles.indicators import ProfileError, indicator_columns

__all__ = ["ProfileError", "expected_pages", "profile_table", "stale", "write"]


def profile_table() -> pd.DataFrame:
    """One row per WTO Member and the EU (index: ISO3, ``EUU`` for the EU), sorted by name.

    Columns: the classification and membership of :func:`aitrade.wto.members` and the
    page's ``slug``; for the ITA, the ITA Expansion and the JSI, ``<agreement>_status``
    (:data:`aitrade.wto.STATUS_LABELS`) and ``<agreement>_text``; and the indicator
    columns of :func:`~aitrade.pages.profiles.indicators.indicator_columns`.
    """
    table = wto.members()
    table.insert(1, "slug", [render.slug_of(code) for code in table.index])
    ita = wto.ita_participation(table.index)
    expansion = wto.ita_expansion_participation(table.index)
    jsi = wto.jsi_participation(table.index)
    table["ita_status"], table["ita_text"] = ita["status"], render.ita_texts(table, ita)
    table["ita2_status"], table["ita2_text"] = expansion["status"], render.ita_expansion_texts(expansion)
    table["jsi_status"], table["jsi_text"] = jsi["status"], render.jsi_texts(jsi)
    return table.join(indicator_columns(table.index, table["is_eu"]))


def expected_pages() -> dict[Path, str]:
    """Every generated page, keyed by its path."""
    table = profile_table()
    internet = render.internet_years()
    pages = {render.INDEX_PAGE: render.render_index(table)}
    pages.update({render.PAGES_DIR / f"{table.at[key, 'slug']}.md": render.render_profile(table, key, internet)
                  for key in table.index})
    return pages


def stale() -> list[Path]:
    """Pages that differ from what the data produce, are missing, or belong to no profile."""
    return stale_pages(expected_pages(), render.PAGES_DIR)


def write() -> list[Path]:
    """Write changed pages, delete pages of no profile; return what changed."""
    return write_pages(expected_pages(), render.PAGES_DIR)
