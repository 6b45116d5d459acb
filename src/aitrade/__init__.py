"""aitrade: the helper package behind the handbook "AI and International Trade".

One home per concern:

- :mod:`aitrade.paths`: where the project, its catalogue, book and generated pages are;
- :mod:`aitrade.data`: the data catalogue and every dataset loaded through it
  (``catalogue``, ``schema``, ``cache``, ``snapshots``, ``vintages``);
- :mod:`aitrade.countries`: economy names and codes to ISO3, kind, income group and
  region (:func:`~aitrade.countries.tag` adds them to a table in one call);
- :mod:`aitrade.wto`: WTO membership and participation in the ITA, the ITA Expansion and
  the JSI on e-commerce;
- :mod:`aitrade.facts`: numbers and years as the fact tables state them in text;
- :mod:`aitrade.analysis`: concentration, statistics, gravity estimation, coverage (which
  economies an analysis keeps and why it leaves out the others) and bounds (the share
  held by partly unidentified participants);
- :mod:`aitrade.charts`: the chart theme, the chart markup (written and read back) and
  the CSV files behind a chart;
- :mod:`aitrade.tables`, :mod:`aitrade.glue`: captioned tables and numbers in the prose;
- :mod:`aitrade.precision`: rounding at the output boundary;
- :mod:`aitrade.pages`: the generated pages (datasets appendix, country profiles);
- :mod:`aitrade.notebooks`: re-executing notebooks and storing their outputs;
- :mod:`aitrade.site`: the Sphinx extension, its templates and static files, the
  icon-font cut, the strict build command and a local server.
"""

__version__ = "0.1.0"
