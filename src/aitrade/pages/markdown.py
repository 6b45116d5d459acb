"""What every generated page shares: escaping, links, front matter, the licence cell,
and writing a set of pages so that the folder holds exactly what the data produce.

Every value that comes from the catalogue or a dataset goes through one of :func:`escape`
(text), :func:`code` (an inline code span) or :func:`link` (an address): none can open an
HTML tag, a link, a role or a code span of its own in the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from aitrade.data.catalogue import Resource

REUSE_LABELS = {
    "open": "Open licence: reuse with attribution.",
    "non-commercial": "Non-commercial use only.",
    "no-derivatives": "No derivatives: share the data unchanged only.",
    "publisher-terms": "Reuse under the publisher's own terms.",
    "all-rights-reserved": "All rights reserved by the publisher.",
    "cited-fact": "Cited facts, each row with its source.",
}


# Characters an address may keep as they are; any other is percent-encoded (RFC 3986).
URL_SAFE = ":/?#[]@!$&'*+,;=%~"
LINK_SCHEMES = ("http://", "https://", "ftp://")


def escape(text: str) -> str:
    """Make catalogue text safe inside a Markdown table cell or paragraph: no HTML tag,
    link, emphasis, math or role can start in it (a code span may: it shows its text as is)."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("$", "\\$")
        .replace("*", "\\*")
        .replace("{", "\\{")
        .replace("[", "\\[")
        .replace("]", "\\]")
        .replace("<", "&lt;")
        .replace("\n", " ")
    )


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds (CommonMark: a fence
    longer than any run of backticks inside, padded when the text starts or ends with one)."""
    text = str(text).replace("\n", " ").replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def safe_url(url: str) -> str | None:
    """``url`` percent-encoded so that no character ends the link or opens a tag; None
    for anything but an http, https or ftp address (no ``javascript:``, no relative path)."""
    url = str(url).strip()
    if not url.lower().startswith(LINK_SCHEMES):
        return None
    return quote(url, safe=URL_SAFE)


def link(title: str, url: str | None) -> str:
    """A Markdown link, or the escaped title alone when there is no usable address."""
    address = safe_url(url) if url else None
    return f"[{escape(title)}]({address})" if address else escape(title)


def address_link(url: str) -> str:
    """A link whose text is the address without its scheme, shortened to fit a table."""
    text = url.split("://", 1)[-1].rstrip("/")
    return link(text if len(text) <= 48 else text[:47] + "…", url)


def licence_cell(entry: Resource) -> str:
    """The licences as links, then what they allow."""
    licences = "; ".join(
        link(item.get("title") or item["name"], item.get("path")) for item in entry["licenses"]
    )
    return f"{licences}. {REUSE_LABELS[entry.get('reuse', 'open')]}"


def dataset_doc(entry: Resource, text: str | None = None) -> str:
    """A {doc} link to a dataset's appendix page, by default titled with its short title."""
    return f"{{doc}}`{escape(text or entry['shortTitle'])} <{entry.page_doc}>`"


def front_matter(description: str, orphan: bool = False) -> list[str]:
    """The page's YAML front matter with its meta description (``orphan``: outside the
    table of contents, reached by links)."""
    lines = ["---"] + (["orphan: true"] if orphan else [])
    return lines + ["myst:", "  html_meta:", f"    description: {json.dumps(description, ensure_ascii=False)}", "---"]


def stale_pages(expected: dict[Path, str], folder: Path) -> list[Path]:
    """Pages that differ from ``expected``, are missing, or lie in ``folder`` unexpected."""
    stale = [path for path, text in expected.items() if not path.is_file() or path.read_text(encoding="utf-8") != text]
    return stale + [path for path in sorted(folder.glob("*.md")) if path not in expected]


def write_pages(expected: dict[Path, str], folder: Path) -> list[Path]:
    """Write the pages that changed and delete the unexpected ones in ``folder``; return both."""
    changed = stale_pages(expected, folder)
    folder.mkdir(parents=True, exist_ok=True)
    for path in changed:
        if path in expected:
            path.write_text(expected[path], encoding="utf-8")
        else:
            path.unlink()
    return changed
