"""The theme's stylesheets, cut down to the rules the handbook's pages can use.

The book theme ships the whole of Bootstrap and of its own components in one stylesheet
(pydata-sphinx-theme.css: 397 KB, 66 KB gzipped), and sphinx-design and myst-nb add
theirs; every page loads all of them before it shows anything. After each HTML build this
module rewrites the site's copies keeping only the selectors a page could match:

- every class, id and element name a selector needs (outside ``:not()`` and other
  functional pseudo-classes, and outside attribute tests) must occur in some built page,
  or as a word in one of the site's scripts, which add classes such as ``show`` at run time;
- a rule keeps its selectors that pass and is dropped when none does; ``@media``,
  ``@supports`` and ``@layer`` blocks are filtered the same way and dropped when empty;
- every other at-rule (``@font-face``, ``@keyframes``, ``@import``...) is kept as it is.

It reads the originals from the installed packages each time, so a rebuild whose pages
use more never finds a rule missing. The test is conservative: a kept selector may still
match nothing, but a dropped one cannot match any element a page or script can produce.
"""

from __future__ import annotations

import re
from pathlib import Path

import myst_nb
import pydata_sphinx_theme
import sphinx_design
import tinycss2

# The site's copy of each stylesheet (a glob under the output folder) and its original.
STYLESHEETS = {
    "_static/styles/pydata-sphinx-theme.css":
        Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css",
    "_static/sphinx-design.min.css": Path(sphinx_design.__file__).parent / "static/sphinx-design.min.css",
    "_static/mystnb.*.css": Path(myst_nb.__file__).parent / "static/mystnb.css",
}
FILTERED_AT_RULES = {"media", "supports", "layer", "container"}
WORD = re.compile(r"[A-Za-z_][\w-]*")
NON_ASCII = re.compile(r"[^\x00-\x7f]")
CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'\bid="([^"]*)"')
TAG = re.compile(r"<([a-zA-Z][\w-]*)")
# Parts of a selector that do not name what must exist: functional pseudo-classes with
# their arguments, attribute tests, pseudo-elements and pseudo-classes.
FUNCTIONAL = re.compile(r":{1,2}[\w-]+\((?:[^()]|\([^()]*\))*\)")
ATTRIBUTE = re.compile(r"\[[^\]]*\]")
PSEUDO = re.compile(r":{1,2}[\w-]+")
SELECTOR_CLASS = re.compile(r"\.((?:[\w-]|\\.)+)")
SELECTOR_ID = re.compile(r"#((?:[\w-]|\\.)+)")
SELECTOR_TYPE = re.compile(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)")


class StylesheetError(ValueError):
    """A stylesheet to trim is missing from the site or from its package."""


def used_names(site: Path) -> dict[str, set[str]]:
    """Classes, ids and element names in the built pages, plus every word of the site's
    scripts (which may add any of them at run time)."""
    classes, ids, tags = set(), set(), set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for value in CLASS_ATTRIBUTE.findall(text):
            classes.update(value.split())
        ids.update(ID_ATTRIBUTE.findall(text))
        tags.update(tag.lower() for tag in TAG.findall(text))
    words = set()
    for script in site.rglob("*.js"):
        words.update(WORD.findall(script.read_text(encoding="utf-8", errors="replace")))
    return {"class": classes | words, "id": ids | words, "type": tags | {word.lower() for word in words}}


def unescape(name: str) -> str:
    """A CSS identifier with its backslash escapes resolved (``md\\:flex`` -> ``md:flex``)."""
    return re.sub(r"\\(.)", r"\1", name)


def selector_can_match(selector: str, used: dict[str, set[str]]) -> bool:
    """True unless the selector needs a class, id or element that no page or script has."""
    core = PSEUDO.sub(" ", ATTRIBUTE.sub(" ", FUNCTIONAL.sub(" ", selector)))
    return (all(unescape(name) in used["class"] for name in SELECTOR_CLASS.findall(core))
            and all(unescape(name) in used["id"] for name in SELECTOR_ID.findall(core))
            and all(name.lower() in used["type"] for name in SELECTOR_TYPE.findall(core.strip())))


def split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside parentheses)."""
    parts, depth, current = [], 0, []
    for character in prelude:
        depth += character == "("
        depth -= character == ")"
        if character == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(character)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def trimmed_rules(rules: list, used: dict[str, set[str]]) -> list[str]:
    """The serialised rules that can apply, with each rule's unusable selectors removed."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [selector for selector in split_selectors(tinycss2.serialize(rule.prelude))
                         if selector_can_match(selector, used)]
            if selectors:
                kept.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in FILTERED_AT_RULES and rule.content is not None:
            inner = trimmed_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]).strip())
    return kept


def ascii_escaped(text: str) -> str:
    """CSS text with every non-ASCII character written as a CSS escape, as the originals
    write the icon font's private-use characters (``content:"\\f0c9 "``); the parser
    resolves escapes when it reads a file, and the icon font's subsetter looks for them."""
    return NON_ASCII.sub(lambda match: f"\\{ord(match[0]):x} ", text)


def trim(stylesheet: str, used: dict[str, set[str]]) -> str:
    """A stylesheet with only the rules a page of the site could use."""
    rules = tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True)
    return ascii_escaped("".join(trimmed_rules(rules, used))) + "\n"


def write_trimmed(site: Path) -> list[tuple[str, int, int]]:
    """Trim the site's copies of :data:`STYLESHEETS` from their originals; for each, its
    path and its size before and after, in bytes."""
    used = used_names(site)
    report = []
    for pattern, original in STYLESHEETS.items():
        copies = sorted(site.glob(pattern))
        if not copies or not original.is_file():
            raise StylesheetError(
                f"Stylesheet {pattern} is missing from the built site {site} or its original "
                f"{original} from the installed package: reinstall the pinned requirements."
            )
        source = original.read_text(encoding="utf-8")
        result = trim(source, used)
        for copy in copies:
            copy.write_text(result, encoding="utf-8")
            report.append((str(copy.relative_to(site)), len(source.encode()), len(result.encode())))
    return report
