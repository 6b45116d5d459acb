"""Structural gravity: prepare a trade panel and estimate PPML with fixed effects.

The handbook answers "did this agreement raise trade?" the way the field does: a
structural gravity equation estimated by Poisson pseudo-maximum likelihood (PPML) with
exporter-year and importer-year fixed effects (the multilateral resistance terms) and,
for policy variables, pair fixed effects, with standard errors clustered by country pair
(Yotov, Piermartini, Monteiro and Larch 2016).

- :func:`prepare_panel` checks a panel (columns, negative or missing trade), casts the
  Stata floats (``year``, ``pair_id``) to integers, keeps the sample years and the
  international or all flows, and adds ``ln_DIST``, ``INTL``, ``exp_year``,
  ``imp_year`` and ``intra_pair``.
- :func:`shift_years`, :func:`border_year_dummies` and :func:`add_size_and_remoteness`
  build the lags/leads, globalisation dummies and the size and remoteness terms of the
  guide's specifications.
- :func:`ppml` (pyfixest, fixed effects projected out) is the estimator the notebooks
  use; :func:`ppml_dummies` (statsmodels GLM-Poisson with one dummy per fixed-effect
  level) is the small-problem reference the tests compare it with; :func:`ols` is the
  log-linear benchmark on positive flows.

Standard errors follow the conventions of the guide's Stata code: the cluster-robust
sandwich scaled by G/(G-1) for PPML (Stata's ``ppml ..., cluster()``), and additionally by
(N-1)/(N-K), K counting every fixed-effect dummy, for OLS (``regress`` with dummies).
"""

from __future__ import annotations

import contextlib
import math
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

REQUIRED_COLUMNS = ("exporter", "importer", "year", "trade")
ORIGIN_FIXED_EFFECTS = ("exp_year", "imp_year")
_TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class GravityError(ValueError):
    """A panel or a specification that cannot give a meaningful gravity estimate."""


def _require_columns(frame: pd.DataFrame, columns, what: str = "panel") -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise GravityError(f"The {what} lacks required column(s): {', '.join(missing)}.")


def _check_trade(frame: pd.DataFrame, trade: str) -> None:
    values = pd.to_numeric(frame[trade], errors="coerce").astype("float64")
    missing = values.isna()
    if missing.any():
        raise GravityError(
            f"{int(missing.sum()):,} row(s) have a missing or non-numeric {trade!r} value "
            f"(first: {_describe_rows(frame, missing)}); gravity needs every flow, zeros included."
        )
    negative = values < 0
    if negative.any():
        raise GravityError(
            f"{int(negative.sum()):,} row(s) have a negative {trade!r} value "
            f"(first: {_describe_rows(frame, negative)}); trade flows cannot be negative."
        )


def _describe_rows(frame: pd.DataFrame, mask: pd.Series, limit: int = 3) -> str:
    rows = frame.loc[mask.to_numpy()].head(limit)
    keys = [column for column in ("exporter", "importer", "year") if column in frame.columns]
    if not keys:
        return ", ".join(f"row {index}" for index in rows.index)
    return "; ".join(" ".join(str(row[key]) for key in keys) for _, row in rows.iterrows())


def _whole_numbers(series: pd.Series, name: str) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    if values.isna().any():
        raise GravityError(f"Column {name!r} has {int(values.isna().sum()):,} missing value(s).")
    if not np.all(values == np.round(values)):
        raise GravityError(f"Column {name!r} must hold whole numbers (it is stored as float).")
    return values.astype("int64")


def prepare_panel(frame: pd.DataFrame, *, years=None, flows: str = "all",
                  distance: str | None = "DIST") -> pd.DataFrame:
    """A clean gravity panel: checked, typed, filtered, with the usual derived columns.

    ``years``: the sample years to keep (all if None). ``flows``: ``"all"`` keeps
    intra-national flows (exporter = importer), ``"international"`` drops them.
    ``distance``: the distance column to log as ``ln_DIST`` (None to skip).
    If there is no ``pair_id`` column, a symmetric one is built from the two countries.
    """
    if flows not in ("all", "international"):
        raise GravityError(f"flows must be 'all' or 'international', not {flows!r}.")
    _require_columns(frame, REQUIRED_COLUMNS + ((distance,) if distance else ()))
    _check_trade(frame, "trade")

    panel = frame.copy()
    panel["exporter"] = panel["exporter"].astype("string").astype(object)
    panel["importer"] = panel["importer"].astype("string").astype(object)
    panel["year"] = _whole_numbers(panel["year"], "year")
    panel["trade"] = panel["trade"].astype("float64")
    if "pair_id" in panel.columns:
        panel["pair_id"] = _whole_numbers(panel["pair_id"], "pair_id")
    else:
        low = panel[["exporter", "importer"]].min(axis=1)
        high = panel[["exporter", "importer"]].max(axis=1)
        keys = low + "-" + high
        codes = {key: number for number, key in enumerate(sorted(set(keys)), start=1)}
        panel["pair_id"] = keys.map(codes).astype("int64")
    for column in panel.columns:
        # pandas nullable numbers (Float64, Int64, ...) as NumPy floats for the estimators
        if isinstance(panel[column].dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(panel[column]):
            panel[column] = panel[column].astype("float64")

    if years is not None:
        years = sorted(int(year) for year in years)
        absent = [year for year in years if year not in set(panel["year"])]
        if absent:
            raise GravityError(f"Sample year(s) not in the panel: {', '.join(map(str, absent))}.")
        panel = panel[panel["year"].isin(years)]
    panel["INTL"] = (panel["exporter"] != panel["importer"]).astype("int64")
    if flows == "international":
        panel = panel[panel["INTL"] == 1]
    if panel.empty:
        raise GravityError("The panel has no rows left after choosing years and flows.")

    if distance:
        dist = panel[distance].astype("float64")
        if (dist <= 0).any():
            raise GravityError(f"{int((dist <= 0).sum()):,} row(s) have a non-positive {distance!r}.")
        panel["ln_DIST"] = np.log(dist)
    year_text = panel["year"].astype(str)
    panel["exp_year"] = panel["exporter"] + "_" + year_text
    panel["imp_year"] = panel["importer"] + "_" + year_text
    panel["intra_pair"] = np.where(panel["INTL"] == 1, "international", panel["exporter"])
    return panel.sort_values(["year", "exporter", "importer"], kind="mergesort").reset_index(drop=True)


def shift_years(panel: pd.DataFrame, column: str, years: int, *, outside: str = "missing") -> pd.Series:
    """``column`` of the same exporter-importer pair ``years`` earlier (lag) or later (lead, < 0).

    Computed by calendar year, so the panel must hold the years needed (use the annual
    panel before keeping sample years). Where the shifted year lies outside the panel,
    ``outside="missing"`` gives NaN and ``outside="nearest"`` takes the pair's value in
    the first (for a lag) or last (for a lead) year of the panel: a stated assumption that
    the status did not change outside the observed years.
    """
    _require_columns(panel, ("exporter", "importer", "year", column))
    if outside not in ("missing", "nearest"):
        raise GravityError(f"outside must be 'missing' or 'nearest', not {outside!r}.")
    first, last = int(panel["year"].min()), int(panel["year"].max())
    source = panel[["exporter", "importer", "year", column]].copy()
    target_year = panel["year"].astype("int64") - years
    if outside == "nearest":
        target_year = target_year.clip(first, last)
    lookup = source.set_index(["exporter", "importer", "year"])[column]
    keys = pd.MultiIndex.from_arrays([panel["exporter"], panel["importer"], target_year])
    return pd.Series(lookup.reindex(keys).to_numpy(), index=panel.index, name=column)


def border_year_dummies(panel: pd.DataFrame, years) -> list[str]:
    """Add ``INTL_BRDR_<year>`` = 1 for international flows in that year; return the names."""
    _require_columns(panel, ("INTL", "year"))
    names = []
    for year in years:
        name = f"INTL_BRDR_{int(year)}"
        panel[name] = ((panel["INTL"] == 1) & (panel["year"] == int(year))).astype("int64")
        names.append(name)
    return names


def add_size_and_remoteness(panel: pd.DataFrame) -> pd.DataFrame:
    """Add ln_Y, ln_E (exporter output and importer expenditure: sums of all flows in the
    panel, intra-national included) and the remoteness indexes ln_REM_EXP, ln_REM_IMP
    (distance weighted by partners' shares of world expenditure or output)."""
    _require_columns(panel, ("exporter", "importer", "year", "trade", "DIST"))
    out = panel.copy()
    out["Y"] = out.groupby(["exporter", "year"])["trade"].transform("sum")
    out["E"] = out.groupby(["importer", "year"])["trade"].transform("sum")
    world = out.groupby("year")["trade"].transform("sum")
    out["ln_Y"] = np.log(out["Y"])
    out["ln_E"] = np.log(out["E"])
    out["ln_REM_EXP"] = np.log((out["DIST"] / (out["E"] / world)).groupby([out["exporter"], out["year"]]).transform("sum"))
    out["ln_REM_IMP"] = np.log((out["DIST"] / (out["Y"] / world)).groupby([out["importer"], out["year"]]).transform("sum"))
    return out


@dataclass(frozen=True)
class GravityFit:
    """One estimated column: coefficients with clustered standard errors and fit figures."""

    estimator: str
    coefficients: pd.DataFrame  # index: term; columns: estimate, std_error
    vcov: pd.DataFrame
    nobs: int
    r2: float
    dropped: int
    clusters: int
    fixed_effects: tuple[str, ...]
    model: object = field(repr=False, compare=False, default=None)

    def estimate(self, term: str) -> float:
        return float(self.coefficients.loc[term, "estimate"])

    def std_error(self, term: str) -> float:
        return float(self.coefficients.loc[term, "std_error"])

    def combined(self, terms) -> tuple[float, float]:
        """Sum of the coefficients of ``terms`` and its standard error (like Stata's lincom)."""
        terms = list(terms)
        weights = np.ones(len(terms))
        value = float(self.coefficients.loc[terms, "estimate"].sum())
        variance = float(weights @ self.vcov.loc[terms, terms].to_numpy() @ weights)
        return value, math.sqrt(variance)


def percent_effect(coefficient: float) -> float:
    """The percentage change in trade implied by a dummy's coefficient: 100 (e^b - 1)."""
    return 100.0 * math.expm1(coefficient)


def _check_specification(panel: pd.DataFrame, dependent: str, regressors, fixed_effects, cluster) -> None:
    regressors = list(regressors)
    if not regressors:
        raise GravityError("Name at least one regressor.")
    for name in [dependent, *regressors, *fixed_effects, cluster]:
        if not _TERM.match(name):
            raise GravityError(f"{name!r} is not a plain column name.")
    _require_columns(panel, [dependent, *regressors, *fixed_effects, cluster],
                     what="panel for this specification")
    if dependent == "trade":
        _check_trade(panel, "trade")
    for name in regressors:
        values = panel[name]
        if values.isna().any():
            raise GravityError(f"Regressor {name!r} has {int(values.isna().sum()):,} missing value(s).")
        if values.nunique() < 2:
            raise GravityError(
                f"Regressor {name!r} has no variation in this panel (every row is {values.iloc[0]}); "
                "its effect cannot be estimated."
            )


def _fit(model, estimator: str, regressors, fixed_effects, cluster_values, r2: float,
         rows: int) -> GravityFit:
    names = list(regressors)
    coef = model.coef().reindex(names)
    se = model.se().reindex(names)
    vcov = pd.DataFrame(model._vcov, index=model._coefnames, columns=model._coefnames).loc[names, names]
    return GravityFit(
        estimator=estimator,
        coefficients=pd.DataFrame({"estimate": coef.astype(float), "std_error": se.astype(float)}).rename_axis(None),
        vcov=vcov,
        nobs=int(model._N),
        r2=float(r2),
        dropped=int(rows - model._N),
        clusters=int(cluster_values.nunique()),
        fixed_effects=tuple(fixed_effects),
        model=model,
    )


@contextlib.contextmanager
def _quiet_pyfixest():
    """pyfixest 0.60 calls pandas methods with ``inplace=``, which pandas 3.1 deprecates
    (Pandas4Warning). The warning is about pyfixest's code, not our data: hide exactly it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The inplace keyword in DataFrame")
        yield


def _formula(dependent: str, regressors, fixed_effects) -> str:
    formula = f"{dependent} ~ {' + '.join(regressors)}"
    return formula + (f" | {' + '.join(fixed_effects)}" if fixed_effects else "")


def ppml(panel: pd.DataFrame, regressors, *, fixed_effects=ORIGIN_FIXED_EFFECTS,
         pair_effects: bool = False, cluster: str = "pair_id",
         iwls_tol: float = 1e-10, fixef_tol: float = 1e-10) -> GravityFit:
    """PPML of ``trade`` on ``regressors`` with high-dimensional fixed effects (pyfixest).

    ``fixed_effects`` are projected out (default exporter-year and importer-year);
    ``pair_effects=True`` adds one effect per ``pair_id``. Standard errors are clustered
    by ``cluster`` with the G/(G-1) correction. ``r2`` is the squared correlation of
    observed and fitted trade, as the guide reports for PPML. ``iwls_tol`` and
    ``fixef_tol`` are pyfixest's convergence tolerances, tighter than its defaults (1e-8,
    1e-6): with the defaults, estimates vary in the sixth decimal from run to run (the
    parallel projections add in varying order and may stop an iteration earlier or later),
    which strict nbval would catch; tight tolerances cost about twice the time. Observations separated by
    the fixed effects (pairs that never trade, with pair effects) are dropped and counted
    in ``dropped``.
    """
    import pyfixest as pf

    fixed_effects = list(fixed_effects) + (["pair_id"] if pair_effects else [])
    _check_specification(panel, "trade", regressors, fixed_effects, cluster)
    with _quiet_pyfixest():
        # pyfixest drops observations separated by the fixed effects (a pair whose flows
        # are all zero has no finite pair effect) and warns; the fit reports the count.
        warnings.filterwarnings("ignore", message=r"\d+ observations removed because of separation")
        model = pf.fepois(
            _formula("trade", regressors, fixed_effects), data=panel,
            vcov={"CRV1": cluster}, ssc=pf.ssc(k_adj=False, G_adj=True),
            iwls_tol=iwls_tol, demeaner=pf.MapDemeaner(fixef_tol=fixef_tol),
        )
    fitted = np.asarray(model._Y_hat_response, dtype=float).ravel()
    observed = model._data["trade"].to_numpy(dtype=float)  # the rows pyfixest kept
    r2 = float(np.corrcoef(observed, fitted)[0, 1] ** 2)
    return _fit(model, "PPML", regressors, fixed_effects, model._data[cluster], r2, len(panel))


def ols(panel: pd.DataFrame, regressors, *, fixed_effects=ORIGIN_FIXED_EFFECTS,
        cluster: str = "pair_id") -> GravityFit:
    """OLS of log trade on ``regressors`` for positive flows (zeros cannot be logged).

    Standard errors clustered by ``cluster``, with Stata's ``regress`` corrections
    (N-1)/(N-K) x G/(G-1), K counting every fixed-effect dummy.
    """
    import pyfixest as pf

    fixed_effects = list(fixed_effects)
    _check_specification(panel, "trade", regressors, fixed_effects, cluster)
    positive = panel[panel["trade"] > 0].assign(ln_trade=lambda frame: np.log(frame["trade"]))
    _check_specification(positive, "ln_trade", regressors, fixed_effects, cluster)
    with _quiet_pyfixest():
        model = pf.feols(
            _formula("ln_trade", regressors, fixed_effects), data=positive,
            vcov={"CRV1": cluster}, ssc=pf.ssc(k_adj=True, k_fixef="full", G_adj=True),
            demeaner=pf.MapDemeaner(fixef_tol=1e-10),
        )
    return _fit(model, "OLS", regressors, fixed_effects, model._data[cluster], model._r2, len(positive))


def ppml_dummies(panel: pd.DataFrame, regressors, *, fixed_effects=ORIGIN_FIXED_EFFECTS,
                 pair_effects: bool = False, cluster: str = "pair_id") -> GravityFit:
    """The same PPML as :func:`ppml`, with one dummy per fixed-effect level (statsmodels GLM).

    Memory grows with rows x dummies: a reference for small panels, not for the full one.
    """
    import statsmodels.api as sm

    fixed_effects = list(fixed_effects) + (["pair_id"] if pair_effects else [])
    _check_specification(panel, "trade", regressors, fixed_effects, cluster)
    data = panel.reset_index(drop=True)
    dummies = _independent_dummies(data, fixed_effects)
    exog = pd.concat([data[list(regressors)].astype("float64"), dummies], axis=1)
    groups = pd.factorize(data[cluster])[0]
    result = sm.GLM(data["trade"].to_numpy(dtype=float), exog, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False}, tol=1e-10,
    )
    n_groups = len(np.unique(groups))
    names = list(regressors)
    vcov = pd.DataFrame(np.asarray(result.cov_params()), index=exog.columns, columns=exog.columns)
    vcov = vcov.loc[names, names] * n_groups / (n_groups - 1)
    fitted = np.asarray(result.fittedvalues, dtype=float)
    r2 = float(np.corrcoef(data["trade"].to_numpy(dtype=float), fitted)[0, 1] ** 2)
    return GravityFit(
        estimator="PPML (dummies)",
        coefficients=pd.DataFrame({"estimate": result.params[names].astype(float),
                                   "std_error": np.sqrt(np.diag(vcov.to_numpy()))}, index=names),
        vcov=vcov,
        nobs=int(result.nobs),
        r2=r2,
        dropped=0,
        clusters=n_groups,
        fixed_effects=tuple(fixed_effects),
        model=result,
    )


def _independent_dummies(data: pd.DataFrame, fixed_effects) -> pd.DataFrame:
    """One dummy per level of every fixed effect, less those that are linear combinations
    of the others (exporter-year and importer-year dummies both span the year effects).

    Dependent columns are found by a pivoted QR of the small Gram matrix D'D, which has the
    same column dependencies as D. A full-rank design keeps the clustered standard errors
    exact (a pseudo-inverse of a rank-deficient design distorts them).
    """
    from scipy import linalg, sparse

    blocks = [pd.get_dummies(data[effect].astype(str), prefix=effect, prefix_sep=":", dtype="float64")
              for effect in fixed_effects]
    dummies = pd.concat(blocks, axis=1)
    matrix = sparse.csr_matrix(dummies.to_numpy())
    gram = (matrix.T @ matrix).toarray()
    _, r, pivots = linalg.qr(gram, pivoting=True, mode="economic")
    diagonal = np.abs(np.diag(r))
    rank = int((diagonal > diagonal[0] * 1e-10).sum())
    keep = np.sort(pivots[:rank])
    return dummies.iloc[:, keep]


def effects_frame(fits: dict, term: str, z: float = 1.96) -> pd.DataFrame:
    """One row per fit holding ``term``: estimate, standard error, the interval
    estimate +/- z x SE, and the implied percentage change in trade (as a fraction), in
    the order of ``fits`` (``order`` column) for charts and tables.

    Figures are at full precision; their last bits vary from run to run (parallel
    fixed-effect projections add in varying order), so a chart states the digits it
    publishes them with (``charts.annotate(..., digits=...)``)."""
    rows = [
        {"column": name, "order": order, "estimate": fit.estimate(term), "std_error": fit.std_error(term)}
        for order, (name, fit) in enumerate(fits.items()) if term in fit.coefficients.index
    ]
    frame = pd.DataFrame(rows, columns=["column", "order", "estimate", "std_error"])
    frame["low"] = frame["estimate"] - z * frame["std_error"]
    frame["high"] = frame["estimate"] + z * frame["std_error"]
    frame["percent"] = frame["estimate"].map(percent_effect) / 100
    return frame


FIXED_EFFECT_LABELS = {"exp_year": "exporter-year", "imp_year": "importer-year",
                       "pair_id": "pair", "intra_pair": "intra-national"}


def regression_table(fits: dict, labels: dict | None = None, digits: int = 3) -> pd.DataFrame:
    """Side-by-side table: one column per fit, coefficient over (standard error), then
    observations, R-squared and the fixed effects. Text cells, rounded, deterministic."""
    labels = labels or {}
    terms: list[str] = []
    for fit in fits.values():
        terms += [term for term in fit.coefficients.index if term not in terms]
    rows = []
    for term in terms:
        label = labels.get(term, term)
        estimates = {}
        errors = {}
        for name, fit in fits.items():
            if term in fit.coefficients.index:
                estimates[name] = f"{fit.estimate(term):.{digits}f}"
                errors[name] = f"({fit.std_error(term):.{digits}f})"
            else:
                estimates[name] = errors[name] = ""
        rows.append({"": label, **estimates})
        rows.append({"": "", **errors})
    rows.append({"": "Observations", **{name: f"{fit.nobs:,}" for name, fit in fits.items()}})
    rows.append({"": "R-squared", **{name: f"{fit.r2:.{digits}f}" for name, fit in fits.items()}})
    rows.append({"": "Fixed effects", **{
        name: ", ".join(FIXED_EFFECT_LABELS.get(effect, effect) for effect in fit.fixed_effects) or "none"
        for name, fit in fits.items()}})
    rows.append({"": "Clusters (pairs)", **{name: f"{fit.clusters:,}" for name, fit in fits.items()}})
    return pd.DataFrame(rows, columns=["", *fits.keys()])
