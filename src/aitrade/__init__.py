"""aitrade: the helper package behind the handbook "AI and International Trade".

One module per concern:

- :mod:`aitrade.data` loads datasets through the catalogue ``data/datapackage.json``;
- :mod:`aitrade.catalogue` lists, verifies and refreshes the catalogue's datasets;
- :mod:`aitrade.dataset_pages` generates the datasets appendix from the catalogue;
- :mod:`aitrade.countries` maps economy names and codes to ISO3, WTO membership,
  income group and region;
- :mod:`aitrade.charts` holds the chart theme and the offline renderer;
- :mod:`aitrade.concentration` computes shares and concentration indices;
- :mod:`aitrade.tables` shows captioned tables with stable HTML;
- :mod:`aitrade.glue` puts computed numbers into the prose;
- :mod:`aitrade.notebooks` re-executes notebooks and stores their outputs;
- :mod:`aitrade.build` holds the strict book-build command;
- :mod:`aitrade.sphinx_ext` is the book's Sphinx extension (offline charts, clean pages).
"""

__version__ = "0.1.0"
