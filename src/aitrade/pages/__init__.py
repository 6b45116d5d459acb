"""Pages generated from the data: the datasets appendix and the country profiles.

- :mod:`aitrade.pages.markdown`: what every generated page shares (escaping, links,
  front matter, the licence cell) and writing a set of pages;
- :mod:`aitrade.pages.datasets`: the datasets appendix, one page per catalogue entry;
- :mod:`aitrade.pages.profiles`: one page per WTO Member and the EU
  (:mod:`~aitrade.pages.profiles.indicators` reads the values,
  :mod:`~aitrade.pages.profiles.render` writes the Markdown and the chart).

``python -m aitrade data pages`` and ``python -m aitrade profiles pages`` write them; tests
fail when the pages on disk differ from what the data produce.
"""
