"""The markup of a built page without its data: which pages the browser must open.

Many pages of the site come from one template and differ only in their data: the 166
country profiles and the EU page, the dataset pages. What the browser tests look for
(console errors, failed or remote requests, axe violations) depends on a page's markup
and the files it loads, not on the words and numbers in it. So each page is reduced to:

- its **frame**: the files it loads (scripts, stylesheets, images, by site path), the
  sequence of its heading levels (axe ``heading-order``, ``page-has-heading-one``) and
  the number of each landmark (``landmark-*``, ``region``);
- its **element contexts**: for every element, its signature (tag, classes, roles and
  the other attributes that are markup; whether each label such as ``alt`` or
  ``aria-label`` is empty; the site path of a file it loads; the structure of a chart's
  spec), the signatures of its ancestors, the set of its children's signatures, and
  whether it holds any text. That is what an axe rule looks at for one element: its
  name, role and attributes, its parent chain (lists, tables, landmarks, colour
  contrast through the classes), its children (required children, names from content).

Pages are grouped by frame; within a group the browser opens the page with the most
text, then pages until every element context of every page of the group has been seen
on an opened page (a greedy set cover). A page with an element context of its own, or a
frame of its own, is opened itself.

What is left out, and why that is safe: text and attribute values that are data (ids,
link targets, table cells, chart data); ids are checked for uniqueness on every page by
a static test, link targets by the strict build (``-n``) and the static link tests. The
zebra classes ``row-odd`` / ``row-even`` are left out so tables of any length match.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes whose value is the markup's, not the data's: kept as they are.
KEPT_VALUES = {"class", "role", "type", "rel", "scope", "lang", "tabindex", "hidden", "open",
               "colspan", "rowspan", "method", "target", "download", "defer", "async", "name",
               "style", "for"}
# Attributes a screen reader reads: only whether they are empty matters.
LABELS = {"alt", "title", "aria-label", "placeholder", "content", "value"}
# Attributes that load a file: the file's path in the site matters.
LOADS = {("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"), ("iframe", "src")}
# Links that load nothing (next, prev, search, index) point at data.
NOT_LOADED_LINKS = {"next", "prev", "index", "search", "canonical", "author", "license"}
DROPPED_CLASSES = {"row-odd", "row-even"}
CHART_SPEC_CLASS = "aitrade-chart__spec"
# Keys of a chart spec whose values are data, not the chart's design.
SPEC_DATA_KEYS = {"datasets", "data", "title", "subtitle", "description", "usermeta", "sort", "domain", "text"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LANDMARKS = {"main", "nav", "header", "footer", "aside", "form", "search"}
LANDMARK_ROLES = {"main", "navigation", "banner", "contentinfo", "complementary", "search", "region", "form"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def json_shape(value) -> str:
    """The design of a chart spec: its keys and settings (mark, encodings, types, scales),
    with the values that are data (rows, titles, descriptions, sort orders, scale domains)
    left out."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{key}:{'data' if key in SPEC_DATA_KEYS else json_shape(item)}"
                              for key, item in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(sorted({json_shape(item) for item in value})) + "]"
    return json.dumps(value)


@dataclass
class Element:
    """An open element: its signature, its children's signatures, whether it holds text."""

    signature: str
    children: set[str] = field(default_factory=set)
    text: bool = False


@dataclass
class PageShape:
    """A page's frame, its element contexts and its characters of text."""

    frame: str
    contexts: set[int]
    text: int


class ShapeParser(HTMLParser):
    """Reads one page; ``page`` is its path in the site, to resolve the files it loads."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.folder = posixpath.dirname(page)
        self.open: list[Element] = [Element("document")]
        self.contexts: set[int] = set()
        self.loads: set[str] = set()
        self.headings: list[str] = []
        self.landmarks: dict[str, int] = {}
        self.text = 0

    def signature(self, tag: str, attributes: list[tuple[str, str | None]]) -> str:
        named = dict(attributes)
        parts = [tag]
        for name, value in sorted(attributes):
            value = value or ""
            if name == "class":
                parts.append("class=" + " ".join(sorted(set(value.split()) - DROPPED_CLASSES)))
            elif (tag, name) in LOADS:
                loaded = self.loaded(tag, named, value)
                parts.append(f"{name}={loaded}" if loaded else name)
            elif name in KEPT_VALUES or name.startswith("aria-") and name not in LABELS:
                parts.append(f"{name}={value}")
            elif name in LABELS:
                parts.append(f"{name}={'filled' if value.strip() else 'empty'}")
            elif name == "href":
                parts.append("href=" + ("empty" if not value else "fragment" if value.startswith("#") else "link"))
            else:
                parts.append(name)
        return "<" + " ".join(parts) + ">"

    def loaded(self, tag: str, attributes: dict, value: str) -> str:
        """The site path of the file an attribute loads, or '' if it loads none from the site."""
        if not value or "//" in value or value.startswith("data:"):
            return ""
        if tag == "link" and set((attributes.get("rel") or "").split()) & NOT_LOADED_LINKS:
            return ""
        path = posixpath.normpath(posixpath.join(self.folder, value.split("?")[0].split("#")[0]))
        self.loads.add(path)
        return path

    def handle_starttag(self, tag, attrs):
        role = dict(attrs).get("role") or ""
        if tag in HEADINGS:
            self.headings.append(tag)
        if tag in LANDMARKS or role in LANDMARK_ROLES:
            key = f"{tag}:{role}"
            self.landmarks[key] = self.landmarks.get(key, 0) + 1
        element = Element(self.signature(tag, attrs))
        if tag in VOID:
            self.finish(element)
        else:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Close up to the matching element (HTML allows some end tags to be omitted).
        for depth in range(len(self.open) - 1, 0, -1):
            signature = self.open[depth].signature
            if signature.startswith(f"<{tag} ") or signature == f"<{tag}>":
                while len(self.open) > depth:
                    self.finish(self.open.pop())
                return

    def finish(self, element: Element) -> None:
        """Record the element's context and report it to its parent."""
        ancestors = tuple(parent.signature for parent in self.open)
        self.contexts.add(hash((ancestors, element.signature, tuple(sorted(element.children)), element.text)))
        parent = self.open[-1]
        parent.children.add(element.signature + ("T" if element.text else ""))
        parent.text = parent.text or element.text

    def handle_data(self, data):
        current = self.open[-1]
        if CHART_SPEC_CLASS in current.signature:
            current.signature += "spec=" + json_shape(json.loads(data))
        elif data.strip():
            current.text = True
            self.text += len(data.strip())

    def shape(self) -> PageShape:
        self.close_all()
        landmarks = ",".join(f"{key}={count}" for key, count in sorted(self.landmarks.items()))
        frame = f"loads:{','.join(sorted(self.loads))}|headings:{','.join(self.headings)}|landmarks:{landmarks}"
        return PageShape(frame, self.contexts, self.text)

    def close_all(self) -> None:
        while len(self.open) > 1:
            self.finish(self.open.pop())


def page_shape(html: str, page: str) -> PageShape:
    """The frame and the element contexts of one page (see the module docstring)."""
    parser = ShapeParser(page)
    parser.feed(html)
    parser.close()
    return parser.shape()


def pages_to_open(pages: dict[str, str]) -> tuple[list[str], dict[str, list[str]]]:
    """From {page: html}, the pages the browser opens, and each frame's pages.

    In each group of pages with one frame, the page with the most text is opened first
    (long names and numbers are where layouts break), then the page with the most unseen
    element contexts, until every element context of the group has been seen. ``groups``
    maps each group's first page to its pages.
    """
    shapes = {page: page_shape(html, page) for page, html in pages.items()}
    groups: dict[str, list[str]] = {}
    for page, shape in shapes.items():
        groups.setdefault(shape.frame, []).append(page)
    opened: list[str] = []
    for members in groups.values():
        unseen = set().union(*(shapes[page].contexts for page in members))
        best = max(members, key=lambda page: shapes[page].text)
        while True:
            opened.append(best)
            unseen -= shapes[best].contexts
            if not unseen:
                break
            best = max(members, key=lambda page: (len(shapes[page].contexts & unseen), shapes[page].text))
    return opened, {members[0]: members for members in groups.values()}
