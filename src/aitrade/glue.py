"""Put computed numbers and charts into the prose with myst-nb ``glue``, in one line.

Each helper formats the value the way the page prints it and glues the *text*, so the
prose writes ``{glue:text}`name``` and nbval compares exactly what readers see. The format
is the number's stated precision; text that still carries a full-precision float is
refused (:func:`aitrade.precision.refuse_full_precision`), since its last digits differ
from machine to machine.
Values are converted to plain Python first: gluing a NumPy scalar stores
``np.float64(...)`` and breaks formatting.
"""

from __future__ import annotations

import numbers

from myst_nb import glue as myst_glue

from aitrade import precision
from aitrade.charts.markup import require_annotated


def plain(value):
    """A NumPy or pandas scalar as a plain Python int or float; refuse non-numbers."""
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise TypeError(f"Expected a number to glue, got {type(value).__name__}: {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    return float(value)


def glue_text(name: str, text: str) -> None:
    """Glue a ready-made string (e.g. a list of economies) under ``name``."""
    if not isinstance(text, str):
        raise TypeError(f"glue_text({name!r}) expects a string, got {type(text).__name__}")
    precision.refuse_full_precision(f"glue {name!r}", text)
    myst_glue(name, text, display=False)


def glue_number(name: str, value, fmt: str = "{:,.0f}") -> None:
    """Glue ``value`` formatted with ``fmt`` (default: thousands separator, no decimals)."""
    glue_text(name, fmt.format(plain(value)))


def glue_percent(name: str, fraction, digits: int = 1) -> None:
    """Glue a fraction (0.25) as a percentage ("25.0%")."""
    glue_text(name, f"{plain(fraction):.{digits}%}")


def glue_chart(name: str, chart) -> None:
    """Glue an Altair chart for a numbered ``{glue:figure}`` in the prose.

    Refuses a chart that has not passed through :func:`aitrade.charts.annotate`
    (:func:`aitrade.charts.markup.require_annotated`), so no
    published chart lacks its description, source and licence.
    """
    require_annotated(chart.to_dict(validate=False), f"Chart {name!r}")
    myst_glue(name, chart, display=False)


def glue_fits(prefix: str, fits: dict, keys: dict, terms=None, r2: bool = True, digits: int = 3) -> None:
    """Glue the figures of estimated columns (:class:`aitrade.analysis.gravity.GravityFit`).

    For each column ``name`` of ``fits``, under ``{prefix}_{keys[name]}_``: every
    coefficient of ``terms`` (all of the column's by default) as ``{term}`` and its
    standard error as ``{term}_se`` (term in lower case, ``digits`` decimals), then the
    observations as ``nobs`` and, with ``r2``, the R-squared as ``r2``.
    """
    missing = [name for name in fits if name not in keys]
    if missing:
        raise KeyError(f"glue_fits: no key for the column(s) {missing}; add them to keys.")
    number = f"{{:.{digits}f}}"
    for name, fit in fits.items():
        key = f"{prefix}_{keys[name]}"
        for term in fit.coefficients.index if terms is None else terms:
            glue_number(f"{key}_{term.lower()}", fit.estimate(term), number)
            glue_number(f"{key}_{term.lower()}_se", fit.std_error(term), number)
        glue_number(f"{key}_nobs", fit.nobs)
        if r2:
            glue_number(f"{key}_r2", fit.r2, number)
