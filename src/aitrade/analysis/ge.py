"""General-equilibrium (GE) structural gravity counterfactuals with the ``gegravity`` library.

The handbook does not solve GE gravity models itself: it hands estimated trade-cost
coefficients and a baseline cross-section to ``gegravity`` (Herman 2021, USITC; the
one-sector model of Yotov, Piermartini, Monteiro and Larch 2016, chapter 2) and reads its
results. This module keeps that hand-over in one place:

- :func:`baseline_frame` turns one year of a gravity panel (intra-national flows included)
  into gegravity's input: output ``Y`` = an exporter's sales to all destinations, itself
  included; expenditure ``E`` = an importer's purchases from all origins.
- :func:`close_gap` builds a scenario column: a share of the distance between a dummy's
  value and 1 is closed for chosen rows (``share=0.5`` halves the gap).
- :func:`solve` builds the baseline, defines the experiment and simulates it, quietly.
- :func:`country_effects` returns the country results under plain column names.

Each solve prints nothing and raises :class:`GEError` if the solver reports a failure.
The library's numbers differ in their last digits from one machine to another (a
non-linear solver with tolerance ``1e-8`` on scaled terms): round them at the output
boundary (two decimals of a percent are well within what the tolerance supports).
"""

from __future__ import annotations

import contextlib
import io
import warnings

import pandas as pd

COUNTRY_COLUMNS = {
    "GDP change (percent)": "real_gdp_change",
    "welfare statistic": "welfare_statistic",
    "foreign exports change (percent)": "exports_change",
    "foreign imports change (percent)": "imports_change",
    "intranational trade change (percent)": "domestic_change",
    "factory gate price change (percent)": "factory_price_change",
    "imr change (percent)": "imr_change",
}


class GEError(RuntimeError):
    """The GE model could not be built or solved as asked."""


def baseline_frame(panel: pd.DataFrame, year: int, cost_variables, *, given_sizes: bool = False) -> pd.DataFrame:
    """One year of ``panel`` (exporter, importer, year, trade and the cost variables) as
    gegravity's baseline: cost variables as floats, ``year`` as text, plus ``Y`` and ``E``.

    ``Y`` and ``E`` are the sums of the year's flows, unless ``given_sizes`` keeps the
    panel's own ``Y`` and ``E`` columns (a sample cut from a larger world, say).
    Refuses a year whose flows are not square (every exporter selling to every importer,
    itself included), since output and expenditure would then miss flows."""
    cost_variables = list(cost_variables)
    sizes = ["Y", "E"] if given_sizes else []
    missing = [c for c in ["exporter", "importer", "year", "trade", *cost_variables, *sizes]
               if c not in panel.columns]
    if missing:
        raise GEError(f"The panel lacks column(s): {', '.join(missing)}.")
    frame = panel.loc[panel["year"] == year, ["exporter", "importer", "year", "trade", *cost_variables, *sizes]].copy()
    if frame.empty:
        raise GEError(f"The panel has no rows for {year}.")
    exporters, importers = set(frame["exporter"]), set(frame["importer"])
    if exporters != importers or len(frame) != len(exporters) ** 2:
        raise GEError(
            f"{year}: {len(frame):,} flows for {len(exporters)} exporters and {len(importers)} importers; "
            "a GE baseline needs every pair, intra-national flows included."
        )
    for column in ["trade", *cost_variables]:
        frame[column] = frame[column].astype("float64")
    frame["year"] = str(year)
    if given_sizes:
        frame[sizes] = frame[sizes].astype("float64")
    else:
        frame["Y"] = frame.groupby("exporter")["trade"].transform("sum")
        frame["E"] = frame.groupby("importer")["trade"].transform("sum")
    return frame.reset_index(drop=True)


def close_gap(values: pd.Series, rows: pd.Series, share: float) -> pd.Series:
    """``values`` with ``share`` of the gap to 1 closed on ``rows`` (a 0/1 dummy becomes
    ``share`` there); other rows unchanged. ``share`` must lie in [0, 1]."""
    if not 0 <= share <= 1:
        raise GEError(f"share must lie between 0 and 1, not {share}.")
    values = values.astype("float64")
    return values.where(~rows, values + share * (1 - values))


@contextlib.contextmanager
def _quiet():
    """gegravity prints its progress and triggers pandas deprecation warnings from its own
    code; neither concerns the results, which are checked through the solver status."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()) as printed:
        warnings.simplefilter("ignore")
        yield printed


def solve(baseline: pd.DataFrame, estimates: dict, experiment: pd.DataFrame, *, year: str,
          reference_importer: str, sigma: float, omr_rescale: float = 1):
    """Solve the baseline and the counterfactual ``experiment`` (the baseline frame with
    changed cost variables) of gegravity's OneSectorGE model; return the solved model.

    ``estimates`` maps each cost variable to its coefficient (trade costs
    t_ij^(1-sigma) = exp(sum of coefficient x variable)). ``omr_rescale`` is gegravity's
    scaling of outward multilateral resistances, which decides whether its solver converges.
    """
    import gegravity as ge

    variables = list(estimates)
    coefficients = pd.DataFrame({"var": variables, "beta": [float(estimates[v]) for v in variables],
                                 "stderr": 0.0})
    with _quiet() as printed:
        data = ge.BaselineData(baseline, imp_var_name="importer", exp_var_name="exporter",
                               year_var_name="year", trade_var_name="trade",
                               expend_var_name="E", output_var_name="Y")
        costs = ge.CostCoeffs(estimates=coefficients, identifier_col="var", coeff_col="beta",
                              stderr_col="stderr")
        model = ge.OneSectorGE(baseline=data, cost_coeff_values=costs, cost_variables=variables,
                               year=year, reference_importer=reference_importer, sigma=sigma)
        try:
            model.build_baseline(omr_rescale=omr_rescale)
            model.define_experiment(experiment)
            model.simulate()
        except ValueError as error:
            raise GEError(f"gegravity could not solve the model: {error}") from error
    failed = [stage for stage, result in model.solver_diagnostics.items() if not result.get("success", False)]
    if failed:
        raise GEError(f"gegravity's solver did not converge ({', '.join(failed)}): {printed.getvalue()[-400:]}")
    return model


def country_effects(model) -> pd.DataFrame:
    """The solved model's country results under plain names (percent changes; the welfare
    statistic is baseline over counterfactual real expenditure, below 1 for a gain), with
    ``real_expenditure_change`` = 100 (1 / welfare statistic - 1), indexed by country."""
    results = model.country_results.rename(columns=COUNTRY_COLUMNS)[list(COUNTRY_COLUMNS.values())]
    results["real_expenditure_change"] = 100 * (1 / results["welfare_statistic"] - 1)
    results.index.name = "country"
    return results
