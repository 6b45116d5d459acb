"""The theme's icon font, cut down to the glyphs the handbook's pages can show.

The theme draws its icons from Font Awesome's solid web font (156 KB as WOFF2, about
1,400 glyphs), of which a page uses a dozen or two. After each build this module keeps
in the site's copy of the font only the glyphs that
- the theme's stylesheets use themselves (admonition, breadcrumb, external-link icons,
  written there as private-use characters or ``\\fXXX`` escapes outside the
  ``.fa-name:before`` catalogue), and
- the icon classes (``class="fa-solid fa-bars"``) found in the built pages,
reading the original from the installed theme each time, so a rebuild never loses a
glyph. An icon class the stylesheet does not define is an error, named.
"""

from __future__ import annotations

import re
from pathlib import Path

import pydata_sphinx_theme
from fontTools import subset

SITE_FONT = Path("_static/vendor/fontawesome/webfonts/fa-solid-900.woff2")
THEME_FONT = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static" / SITE_FONT.relative_to("_static")
STYLESHEETS = (Path("_static/styles/pydata-sphinx-theme.css"), Path("_static/styles/sphinx-book-theme.css"))
# Classes that style an icon (weight, size) rather than name one.
STYLE_CLASSES = {"fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-xs", "fa-sm", "fa-2x", "fa-fw"}
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
ESCAPE = re.compile(r"\\(f[0-9a-f]{3})")
ICON_CLASSES = re.compile(r'class="([^"]*\bfa-[^"]*)"')


class IconFontError(ValueError):
    """A page uses an icon the theme's stylesheet does not define."""


def is_private_use(character: str) -> bool:
    """True for the Unicode private-use characters where icon fonts put their glyphs."""
    return 0xE000 <= ord(character) <= 0xF8FF


def catalogue(stylesheet: str) -> dict[str, int]:
    """Icon class to code point, from rules such as ``.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}``."""
    icons = {}
    for selectors, body in RULE.findall(stylesheet):
        escape = ESCAPE.search(body)
        if not escape or "content:" not in body:
            continue
        for selector in selectors.split(","):
            match = re.fullmatch(r"\s*\.(fa-[\w-]+):(?:before|after)\s*", selector)
            if match:
                icons[match[1]] = int(escape[1], 16)
    return icons


def chrome_codepoints(stylesheet: str) -> set[int]:
    """Code points a stylesheet uses itself: private-use characters and escapes outside the catalogue."""
    used = {ord(character) for character in stylesheet if is_private_use(character)}
    for selectors, body in RULE.findall(stylesheet):
        in_catalogue = all(selector.strip().startswith(".fa-") for selector in selectors.split(","))
        if not in_catalogue:
            used.update(int(code, 16) for code in ESCAPE.findall(body))
    return used


def used_icons(pages: list[Path]) -> set[str]:
    """Icon classes (``fa-name``) found in the pages' class attributes."""
    names = set()
    for page in pages:
        for classes in ICON_CLASSES.findall(page.read_text(encoding="utf-8")):
            names.update(name for name in classes.split() if name.startswith("fa-") and name not in STYLE_CLASSES)
    return names


def needed_codepoints(site_dir: Path) -> set[int]:
    """Every code point the built site can show from the solid icon font."""
    stylesheets = [(site_dir / path).read_text(encoding="utf-8") for path in STYLESHEETS]
    icons = {}
    for stylesheet in stylesheets:
        icons.update(catalogue(stylesheet))
    pages = sorted(site_dir.rglob("*.html"))
    unknown = sorted(name for name in used_icons(pages) if name not in icons)
    if unknown:
        raise IconFontError(
            f"Icons used in {site_dir} with no glyph rule in the theme's stylesheets: {unknown}. "
            "A theme upgrade may have renamed them: check the theme's icon markup."
        )
    needed = {icons[name] for name in used_icons(pages)}
    for stylesheet in stylesheets:
        needed |= chrome_codepoints(stylesheet)
    return needed


def write_subset(site_dir: Path) -> tuple[int, int, int]:
    """Replace the site's icon font with the subset it needs; returns glyphs, bytes before, after."""
    codepoints = needed_codepoints(site_dir)
    options = subset.Options()
    options.flavor = "woff2"
    font = subset.load_font(str(THEME_FONT), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    target = site_dir / SITE_FONT
    subset.save_font(font, str(target), options)
    return len(codepoints), THEME_FONT.stat().st_size, target.stat().st_size
