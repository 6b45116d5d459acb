"""The template of a built page, without its data: which pages the browser must open.

Many pages of the site come from one template and differ only in their data: the 166
country profiles and the EU page, the dataset pages. What the browser tests look for
(console errors, failed or remote requests, axe violations) depends on a page's markup
and the files it loads, not on the words and numbers in it. :func:`skeleton` reduces a
page to that markup: every element with its tag, its classes and roles, the names of
its attributes, whether its text or its label is empty, and the site path of every
script, stylesheet and image it loads; the children of an element count as the set of
their distinct skeletons, so tables and lists of any length and order match; and,
since two axe rules look at the page as a whole, the sequence of heading levels
(``heading-order``) and the number of each landmark (``landmark-*``, ``region``).
Pages with the same skeleton are the same template filled with other
data, so the browser opens one of them (two for a larger group: the first and the one
with the most text). A page whose markup differs in any of these respects has a
skeleton of its own and is opened itself.

What the skeleton leaves out, and why that is safe:
- text and attribute values that are data (ids, link targets, table cells): ids are
  checked for uniqueness on every page by a static test; a link's target is checked by
  the build (``-n``) and the static link tests;
- the zebra classes ``row-odd`` / ``row-even``, so tables of different lengths match;
- how often and in which order an element repeats among its siblings: axe's rules are
  about each element (its name, role, contrast, parent), and the page-level ones are
  kept by the heading sequence and the landmark counts.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser

# Attributes whose value is the markup's, not the data's: kept as they are.
KEPT_VALUES = {"class", "role", "type", "rel", "scope", "lang", "tabindex", "hidden", "open",
               "colspan", "rowspan", "method", "target", "download", "defer", "async", "name",
               "aria-hidden", "aria-expanded", "aria-live", "aria-modal", "aria-haspopup", "for"}
# Attributes a screen reader reads: only whether they are empty matters.
LABELS = {"alt", "title", "aria-label", "placeholder", "content", "value"}
# Attributes that load a file: the file's path in the site matters.
LOADS = {("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"), ("iframe", "src")}
# Links that load nothing (next, prev, search, index) point at data.
NOT_LOADED_LINKS = {"next", "prev", "index", "search", "canonical", "author", "license"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LANDMARKS = {"main", "nav", "header", "footer", "aside", "form", "search"}
DROPPED_CLASSES = {"row-odd", "row-even"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    """An element of the page: its signature and its children's skeletons."""

    def __init__(self, signature: str):
        self.signature = signature
        self.children: list[str] = []
        self.text = 0  # characters of text directly inside

    def skeleton(self) -> str:
        parts = sorted(set(self.children))  # repeats and order of siblings are data
        return self.signature + ("(" + ",".join(parts) + ")" if parts else "")


class SkeletonParser(HTMLParser):
    """Builds the skeleton of one page; ``page`` is its path in the site (for loaded files)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.folder = posixpath.dirname(page)
        self.stack = [Node("document")]
        self.text = 0
        self.headings: list[str] = []
        self.landmarks: dict[str, int] = {}

    def signature(self, tag: str, attributes: list[tuple[str, str | None]]) -> str:
        parts = [tag]
        for name, value in sorted(attributes):
            value = value or ""
            if name == "class":
                value = " ".join(sorted(set(value.split()) - DROPPED_CLASSES))
                parts.append(f"class={value}")
            elif (tag, name) in LOADS and value and "//" not in value and not value.startswith("data:") \
                    and not (tag == "link" and set(dict(attributes).get("rel", "").split()) & NOT_LOADED_LINKS):
                parts.append(f"{name}={posixpath.normpath(posixpath.join(self.folder, value.split('?')[0]))}")
            elif name in KEPT_VALUES or name.startswith("aria-") and name not in LABELS:
                parts.append(f"{name}={value}")
            elif name in LABELS:
                parts.append(f"{name}={'filled' if value.strip() else 'empty'}")
            elif name == "href":
                parts.append("href=" + ("empty" if not value else "fragment" if value.startswith("#") else "link"))
            else:
                parts.append(name)
        return "<" + " ".join(parts) + ">"

    def handle_starttag(self, tag, attrs):
        if tag in HEADINGS:
            self.headings.append(tag)
        if tag in LANDMARKS or dict(attrs).get("role") in LANDMARKS | {"navigation", "banner", "contentinfo"}:
            key = f"{tag}:{dict(attrs).get('role', '')}"
            self.landmarks[key] = self.landmarks.get(key, 0) + 1
        node = Node(self.signature(tag, attrs))
        if tag in VOID:
            self.stack[-1].children.append(node.skeleton())
        else:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(self.signature(tag, attrs)).skeleton())

    def handle_endtag(self, tag):
        # Close up to the matching element (HTML allows some end tags to be omitted).
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].signature.startswith(f"<{tag} ") or self.stack[depth].signature == f"<{tag}>":
                while len(self.stack) > depth:
                    node = self.stack.pop()
                    self.stack[-1].children.append(node.skeleton() + ("T" if node.text else ""))
                return

    def handle_data(self, data):
        if data.strip():
            self.stack[-1].text += len(data.strip())
            self.text += len(data.strip())


def parsed(html: str, page: str) -> tuple[str, int]:
    """The page's skeleton (see the module docstring) and its characters of text."""
    parser = SkeletonParser(page)
    parser.feed(html)
    parser.close()
    while len(parser.stack) > 1:
        node = parser.stack.pop()
        parser.stack[-1].children.append(node.skeleton())
    landmarks = ",".join(f"{key}={count}" for key, count in sorted(parser.landmarks.items()))
    return f"{parser.stack[0].skeleton()}|headings:{','.join(parser.headings)}|landmarks:{landmarks}", parser.text


def skeleton(html: str, page: str) -> str:
    """The page's markup without its data (see the module docstring)."""
    return parsed(html, page)[0]


def pages_to_open(pages: dict[str, str]) -> tuple[list[str], dict[str, list[str]]]:
    """From {page: html}, the pages the browser opens and the group each stands for.

    One page per skeleton, two for a group of three or more (its first page and its
    page with the most text); ``groups`` maps each group's first page to every page of
    the group.
    """
    groups: dict[str, list[str]] = {}
    text: dict[str, int] = {}
    for page, html in pages.items():
        shape, text[page] = parsed(html, page)
        groups.setdefault(shape, []).append(page)
    opened: list[str] = []
    by_first: dict[str, list[str]] = {}
    for members in groups.values():
        fullest = max(members, key=text.__getitem__)
        chosen = [members[0]] + ([fullest] if len(members) >= 3 and fullest != members[0] else [])
        opened.extend(chosen)
        by_first[members[0]] = members
    return opened, by_first
