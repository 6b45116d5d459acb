"""The reference list in author-year form: "[WTO 2024]" labels, not "[1]".

Citations in the text are author-year (``bibtex_reference_style: author_year``); the
list gives each entry the same author-year label, sorted by author, year and title (the
``plain`` style's order), with "a", "b" for the same author and year. Registered with
pybtex as the formatting style :data:`STYLE_NAME` (``bibtex_default_style`` in
``_config.yml``).
"""

from __future__ import annotations

from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle

STYLE_NAME = "aitrade-author-year"


def author_part(entry) -> str:
    """"Smith", "Smith and Jones" or "Smith et al." from the authors (else the editors)."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", "")
             for person in persons]
    if not names:
        return entry.fields.get("organization", entry.fields.get("institution", "Anonymous")).strip("{}")
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def author_year(entry) -> str:
    """The label of one entry before any "a"/"b": "World Trade Organization 2024"."""
    return f"{author_part(entry)} {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    """Author-year labels, made unique with "a", "b" in list order."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year(entry) for entry in entries]
        counts, seen = Counter(labels), Counter()
        for label in labels:
            if counts[label] > 1:
                seen[label] += 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            else:
                yield label


class AuthorYearStyle(PlainStyle):
    """The ``plain`` entries and order, with author-year labels."""

    default_label_style = STYLE_NAME


def register() -> None:
    """Make the style known to pybtex (sphinxcontrib-bibtex looks it up by name)."""
    register_plugin("pybtex.style.labels", STYLE_NAME, AuthorYearLabels, force=True)
    register_plugin("pybtex.style.formatting", STYLE_NAME, AuthorYearStyle, force=True)
