"""The built site: the book's Sphinx extension, its templates and static files, the
icon-font cut, the strict build command and a local server for browser tests.

- :mod:`aitrade.site.sphinx_ext`: registered in ``_config.yml``; offline charts, clean pages;
- :mod:`aitrade.site.icon_font`: keeps only the icon glyphs the pages use;
- :mod:`aitrade.site.build`: the strict build command;
- :mod:`aitrade.site.server`: serves a built site on the loopback interface.
"""
