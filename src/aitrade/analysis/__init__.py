"""The analyses' statistics, tested on hand-computed cases.

- :mod:`aitrade.analysis.concentration`: shares, HHI, equivalent number, Lorenz curve, Gini;
- :mod:`aitrade.analysis.statistics`: OLS with robust errors, weighted means;
- :mod:`aitrade.analysis.gravity`: the structural gravity panel and PPML with fixed effects.
"""
