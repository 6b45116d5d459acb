"""Rounding at the output boundary: every number leaves a notebook at a stated precision.

Floating-point results differ in their last digits from one CPU, BLAS library or thread
count to another: the same OLS fit gave a fitted value of 29.025412418624423 on one
machine and 29.02541241862443 on another. A stored output that holds a full-precision
float makes strict nbval pass on one machine and fail on the next. So numbers are rounded
here, once, where they leave a notebook:

- **chart data**: every float in a chart's spec, so the chart, its id and the CSV behind
  it (written from the same spec) are identical on any machine. Each field of the chart's
  rows has :data:`SIGNIFICANT_DIGITS` unless the chart states its own digits per field
  with ``charts.annotate(..., digits={"share": 4})``;
- **tables** (:func:`aitrade.tables.table`): the table's number format is its stated
  precision (``"{:,.2f}"``); a table with the default format rounds its float cells to
  :data:`SIGNIFICANT_DIGITS` first;
- **glued numbers**: the format of ``glue_number`` / ``glue_percent`` is their stated
  precision, and :func:`refuse_full_precision` rejects glued text that still carries a
  float with :data:`NOISE_DECIMALS` or more decimals.

Rounding is to significant digits, so small shares and large dollar amounts keep the
same relative precision. Six digits are as many as the sources publish for most values
and lie nine orders of magnitude above the noise (about 1e-15 relative): a rounded value
differs between machines only if the exact one sits within that noise of a rounding
boundary.
Integer-valued floats (counts and years stored as floats) are exact on every machine and
are left as they are.
"""

from __future__ import annotations

import hashlib
import json
import math
import re

import pandas as pd

SIGNIFICANT_DIGITS = 6
# A float printed with this many decimals or more carries machine noise, not data.
NOISE_DECIMALS = 13
FULL_PRECISION_FLOAT = re.compile(rf"\d\.\d{{{NOISE_DECIMALS},}}")


class PrecisionError(ValueError):
    """A number would leave a notebook at full, machine-dependent precision."""


def significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """``value`` rounded to ``digits`` significant digits (correctly rounded, platform-free).

    NaN, infinities, zero and integer-valued floats below 2**53 come back unchanged.
    """
    if digits < 1:
        raise ValueError(f"significant digits must be at least 1, got {digits}")
    if not math.isfinite(value) or (value.is_integer() and abs(value) < 2**53):
        return value
    return float(f"{value:.{digits - 1}e}")


def round_numbers(value, digits: int = SIGNIFICANT_DIGITS):
    """Round every float inside ``value`` (nested dicts and lists); other values unchanged."""
    if isinstance(value, float):
        return significant(value, digits)
    if isinstance(value, dict):
        return {key: round_numbers(item, digits) for key, item in value.items()}
    if isinstance(value, list):
        return [round_numbers(item, digits) for item in value]
    return value


def round_rows(rows: list[dict], digits: dict[str, int] | None = None) -> list[dict]:
    """Round the floats of each row: ``digits[field]`` significant digits, else the default."""
    digits = digits or {}
    return [
        {field: round_numbers(value, digits.get(field, SIGNIFICANT_DIGITS)) for field, value in row.items()}
        for row in rows
    ]


def round_spec(spec: dict, digits: dict[str, int] | None = None) -> dict:
    """A Vega-Lite spec with every float rounded: its datasets by field, the rest by default.

    Altair names each dataset after a hash of its unrounded rows; the datasets are renamed
    after a hash of their rounded rows, and every reference to them follows.
    """
    names: dict[str, str] = {}
    datasets: dict[str, list[dict]] = {}
    for name, rows in spec.get("datasets", {}).items():
        rows = round_rows(rows, digits)
        text = json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        names[name] = "data-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        datasets[names[name]] = rows
    rounded = renamed(round_numbers({key: value for key, value in spec.items() if key != "datasets"}), names)
    if "datasets" in spec:
        rounded["datasets"] = datasets
    return rounded


def renamed(value, names: dict[str, str]):
    """``value`` with every string that is a key of ``names`` replaced by its new name."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {key: renamed(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [renamed(item, names) for item in value]
    return value


def round_frame(frame: pd.DataFrame, digits: int = SIGNIFICANT_DIGITS) -> pd.DataFrame:
    """A copy of ``frame`` with every float column rounded to ``digits`` significant digits."""
    rounded = frame.copy()
    for column in frame.select_dtypes("floating").columns:
        rounded[column] = frame[column].map(
            lambda value: value if pd.isna(value) else significant(float(value), digits)
        ).astype(frame[column].dtype)
    return rounded


def refuse_full_precision(where: str, text: str) -> str:
    """Return ``text``; raise if it holds a float printed at full precision."""
    found = FULL_PRECISION_FLOAT.search(text)
    if found:
        raise PrecisionError(
            f"{where}: the text holds {found.group()}..., a float at full precision, which "
            "differs in its last digits from machine to machine. Format it to the digits a "
            "reader needs, e.g. f'{value:.3g}' or glue_number(name, value, '{:.2f}')."
        )
    return text
