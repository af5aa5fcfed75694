"""Individual outcome curves from a published multivariable Cox model and its cohort's landmarks.

Method (README, Methods, "Prognosis"):
1. Applied factors. Only factors whose published CI excludes 1 move the estimate; the others are
   averaged over their cohort prevalence ("reported, not applied"). Applying all is a sensitivity option.
2. Shrinkage. Where the source prints the model's likelihood-ratio chi-square, every log-HR is
   multiplied by (chi2 − df) / chi2 (heuristic shrinkage, van Houwelingen and le Cessie 1990).
3. Baseline (:mod:`hccdecide.engine.baseline`), solved with the shrunk model so the cohort average
   still passes through the published points; S(t | x) = S0(t)^exp(β·x), unknown factors averaged.
4. Support (:mod:`hccdecide.engine.support`) and applicability: outside the cohort's support, or for a
   study the patient is ineligible for, no curve, median or landmark is given.
5. After response: a landmark analysis conditioned on being event-free at the assessment time.
6. Uncertainty: :mod:`hccdecide.engine.uncertainty` (parametric bootstrap with lifelines).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import numpy as np

from hccdecide.engine.baseline import (Knots, baseline_cumhaz_on_grid, calibration_knots, combinations,
                                       lp_distribution, median_from_curve, mixture_curves, solve_baseline)
from hccdecide.engine.bound import Bound, SubgroupFigure, patient_subgroups, rule_variables
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, MET, NOT_MET, UNCERTAIN, StudyMatch, evaluate_rule
from hccdecide.engine.strata import Stratum, stratum_of
from hccdecide.engine.subgroup_check import PublishedMedian, SubgroupCheck, published_median, subgroup_checks
from hccdecide.engine.support import LpDistribution, Support, assess_support, lp_distribution_of
from hccdecide.evidence.schema import Factor, PrognosticModel, Study

BASELINE, AFTER_RESPONSE = "baseline", "after_response"
GRID_STEP_MONTHS = 0.25
LANDMARK_MONTHS = (12, 24, 36)
SHRINKAGE_METHOD = "heuristic (van Houwelingen and le Cessie 1990): (chi2 - df) / chi2"
NOT_APPLICABLE, OUTSIDE_SUPPORT, AFTER_PROGRESSION = "not_applicable", "outside_support", "after_progression"
_PROGRESSED = {"PFS": "PD"}  # endpoint -> response level that is itself the event


@dataclass(frozen=True)
class Shrinkage:
    factor: float
    chi2: float
    df: int
    method: str = SHRINKAGE_METHOD


def shrinkage_of(model: PrognosticModel) -> Shrinkage | None:
    if model.lr_chi2 is None or model.lr_df is None:
        return None
    return Shrinkage(max(0.0, (model.lr_chi2 - model.lr_df) / model.lr_chi2), model.lr_chi2, model.lr_df)


def is_significant(f: Factor) -> bool:
    return f.ci is not None and (f.ci[0] > 1 or f.ci[1] < 1)


@dataclass(frozen=True)
class FittedModel:
    """Everything about a model that does not depend on the patient."""

    study: Study
    model: PrognosticModel
    coef: np.ndarray  # shrunk log-HRs, every factor
    prevalence: np.ndarray
    shrinkage: Shrinkage | None
    knots: Knots
    grid: np.ndarray
    h0: np.ndarray  # baseline cumulative hazard on grid
    # curves and distributions already computed for a level combination (see :func:`_remembered`)
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def horizon(self) -> float:
        return float(self.grid[-1])


MEMO_LIMIT = 512  # per model; a session meets far fewer combinations of factor levels (3^k at most)


def _remembered(fm: FittedModel, key: tuple, compute):
    """``compute()`` once per model and key. An edit changes one value, so most of a patient's
    curves (and the cohort's, the strata's cut-points, the sensitivity variants) are those of the
    edit before; their arrays are made read-only, as they are shared between estimates."""
    if key not in fm.memo:
        if len(fm.memo) >= MEMO_LIMIT:
            fm.memo.clear()
        value = compute()
        for array in value if isinstance(value, tuple) else ():
            if isinstance(array, np.ndarray):
                array.flags.writeable = False
        fm.memo[key] = value
    return fm.memo[key]


def combinable(model: PrognosticModel) -> bool:
    """Only a multivariable Cox model with every HR, CI and prevalence can make a curve."""
    return (model.analysis == "multivariable_cox" and model.calibrate_to_arm is not None
            and all(f.effect is not None and f.ci is not None and f.prevalence is not None
                    for f in model.factors))


_FITTED: dict[tuple[str, str, int], FittedModel | None] = {}


def fitted_model(study: Study, model: PrognosticModel) -> FittedModel | None:
    key = (study.id, model.id, id(model))
    if key not in _FITTED:
        _FITTED[key] = _fit(study, model)
    return _FITTED[key]


def _fit(study: Study, model: PrognosticModel) -> FittedModel | None:
    if not combinable(model):
        return None
    knots = calibration_knots(study, model)
    if knots is None:
        return None
    shrink = shrinkage_of(model)
    coef = np.log([f.effect for f in model.factors]) * (shrink.factor if shrink else 1.0)
    prev = np.array([f.prevalence for f in model.factors], float)
    s0 = solve_baseline(knots.survival, *lp_distribution(coef, prev))
    grid = np.arange(0.0, knots.times[-1] + 1e-9, GRID_STEP_MONTHS)
    return FittedModel(study, model, coef, prev, shrink, knots, grid, baseline_cumhaz_on_grid(knots.times, s0, grid))


@dataclass(frozen=True)
class FactorState:
    factor: Factor
    present: bool | None  # patient at the comparison level?
    reason: str
    applied: bool  # moves the individual estimate (CI excludes 1, or every factor applied)
    counted: bool  # applied, usable at this stage and known: enters with the patient's value
    significant: bool  # CI excludes 1: an independent predictor as reported

    @property
    def adverse_level(self) -> bool | None:
        """Is the patient at the higher-hazard level of this factor?"""
        if self.present is None or self.factor.effect is None:
            return None
        return self.present if self.factor.effect > 1 else not self.present


def factor_states(model: PrognosticModel, facts: Mapping[str, Any], stage: str,
                  apply_all: bool = False) -> tuple[FactorState, ...]:
    out = []
    for f in model.factors:
        verdict = evaluate_rule(f.present_when, facts) if f.present_when is not None else None
        present = None if verdict is None else {MET: True, NOT_MET: False}.get(verdict.status)
        reason = "no patient variable for this factor" if verdict is None else verdict.reason
        usable = f.timing == "baseline" or stage == AFTER_RESPONSE
        if not usable:
            reason = "known only after treatment; averaged over the cohort for this estimate"
        significant = is_significant(f)
        applied = usable and (significant or apply_all)
        if usable and not applied:
            reason = "reported, not applied (CI includes 1): averaged over the cohort; " + reason
        out.append(FactorState(f, present if usable else None, reason, applied,
                               applied and present is not None, significant))
    return tuple(out)


@dataclass(frozen=True)
class SensitivityLine:
    model_id: str
    label: str
    landmarks: Mapping[int, float] | None  # None when that estimate is withheld
    note: str


@dataclass(frozen=True)
class CurveEstimate:
    """The patient's predicted curve for one model at one stage, before uncertainty bands.

    When ``withheld`` is set (not applicable, outside support, after progression) the curve is kept
    for internal use only: no individual curve, median or landmark may be shown (``shown`` is False).
    """

    study: Study
    model: PrognosticModel
    stage: str
    states: tuple[FactorState, ...]
    stratum: Stratum
    grid: np.ndarray
    survival: np.ndarray  # point estimate (unknown and non-applied factors averaged over prevalence)
    envelope: tuple[np.ndarray, np.ndarray]  # lowest / highest curve over unknown factor levels
    population: np.ndarray  # the model's cohort-average curve (calibration check)
    knots: Knots
    median: float | None
    landmarks: Mapping[int, float]
    warnings: tuple[str, ...] = field(default_factory=tuple)
    status: str = ELIGIBLE
    support: Support | None = None
    shrinkage: Shrinkage | None = None
    apply_all: bool = False
    withheld: str | None = None  # NOT_APPLICABLE | OUTSIDE_SUPPORT | AFTER_PROGRESSION
    withheld_text: str = ""
    bound: Bound | None = None
    subgroups: tuple[SubgroupFigure, ...] = ()
    landmark_time: float | None = None  # after response: estimate conditioned on being event-free here
    sensitivity: tuple[SensitivityLine, ...] = ()
    subgroup_checks: tuple[SubgroupCheck, ...] = ()  # the individual median against the published subgroups
    published_median: PublishedMedian | None = None  # the cohort's own published median (cohort-average reference)

    @property
    def horizon(self) -> float:
        return float(self.grid[-1])

    @property
    def shown(self) -> bool:
        return self.withheld is None

    @property
    def cohort_average(self) -> bool:
        """Every factor that would move the estimate is unknown: what remains is the cohort's own curve."""
        return any(s.applied for s in self.states) and not any(s.counted for s in self.states)

    @property
    def applicable(self) -> bool:
        """False for a study the patient fails, and for one whose cohort is not known to hold anyone
        like this patient (an open clinical gate the source reports no criterion for)."""
        return self.status != INELIGIBLE and self.withheld != NOT_APPLICABLE


def _applied_idx(states: tuple[FactorState, ...]) -> np.ndarray:
    return np.array([i for i, s in enumerate(states) if s.applied], int)


def applied_distribution(fm: FittedModel, states: tuple[FactorState, ...]) -> LpDistribution:
    idx = _applied_idx(states)
    return _remembered(fm, ("distribution", tuple(idx)), lambda: lp_distribution_of(fm.coef[idx], fm.prevalence[idx]))


def _completions(fm: FittedModel, states: tuple[FactorState, ...]) -> np.ndarray:
    """The patient's applied linear predictor under every level combination of unknown applied factors."""
    idx = _applied_idx(states)
    known = sum(fm.coef[i] for i in idx if states[i].present)
    unknown = [i for i in idx if states[i].present is None]
    return known + combinations(len(unknown)) @ fm.coef[unknown]


def condition_on(grid: np.ndarray, curves: list[np.ndarray], at: float) -> tuple[np.ndarray, list[np.ndarray]]:
    """Curves from ``at`` on, divided by their value at ``at``: survival given event-free at ``at``."""
    start = int(np.searchsorted(grid, at - 1e-9))
    return grid[start:], [c[..., start:] / c[..., start:start + 1] for c in curves]


def _landmark_time(model: PrognosticModel, stage: str) -> float | None:
    if stage != AFTER_RESPONSE:
        return None
    times = [f.assessed_at_months for f in model.factors if f.timing != "baseline" and f.assessed_at_months]
    return max(times) if times else None


def _curves(fm: FittedModel, present: list[bool | None], at: float | None):
    point, low, high = _remembered(fm, ("mixture", tuple(present)),
                                   lambda: mixture_curves(fm.h0, fm.coef, fm.prevalence, present))
    population = _remembered(fm, ("mixture", (None,) * len(present)),
                             lambda: mixture_curves(fm.h0, fm.coef, fm.prevalence, [None] * len(present)))[0]
    grid = fm.grid
    if at is not None:
        grid, (point, low, high, population) = condition_on(grid, [point, low, high, population], at)
    return grid, point, (low, high), population


def _summary(grid: np.ndarray, curve: np.ndarray) -> tuple[dict[int, float], float | None]:
    landmarks = {t: float(np.interp(t, grid, curve)) for t in LANDMARK_MONTHS if grid[0] <= t <= grid[-1] + 1e-9}
    return landmarks, median_from_curve(grid, curve)


def _curve_at_lp(fm: FittedModel, states, lp: float, at: float | None) -> tuple[np.ndarray, np.ndarray]:
    """The curve of the applied-factor combination whose linear predictor is ``lp`` (others averaged)."""
    idx = _applied_idx(states)
    combos = combinations(len(idx))
    combo = combos[int(np.argmin(np.abs(combos @ fm.coef[idx] - lp)))]
    present: list[bool | None] = [None] * len(states)
    for j, i in enumerate(idx):
        present[i] = bool(combo[j])
    grid, point, _, _ = _curves(fm, present, at)
    return grid, point


def _edge_bound(fm: FittedModel, states, support: Support, at: float | None, subgroups) -> Bound:
    landmarks, median = _summary(*_curve_at_lp(fm, states, support.edge_lp, at))
    return Bound(support.side, 95.0 if support.side == "above" else 5.0, landmarks, median, fm.horizon, subgroups)


def _withheld(study: Study, model: PrognosticModel, stage: str, facts: Mapping[str, Any],
              match: StudyMatch | None, support: Support) -> tuple[str | None, str]:
    if match is not None and match.status == INELIGIBLE:
        why = "; ".join(c.criterion.label for c in match.with_status(NOT_MET))  # reasons: the checklist
        return NOT_APPLICABLE, f"Not applicable: outside this study's population: {why}."
    if match is not None and match.unadmitted_gates:
        # The cohort is not known to have held anyone like this (Child-Pugh C, ECOG >= 3, BCLC D): an
        # estimate would reach beyond the patients the model was fitted on.
        gates = ", ".join(g.label for g in match.unadmitted_gates)
        return NOT_APPLICABLE, (f"Not applicable: the source does not report treating patients with {gates}, "
                                "so no individual estimate is given.")
    if stage == AFTER_RESPONSE and facts.get("response") == _PROGRESSED.get(model.endpoint):
        return AFTER_PROGRESSION, (f"No {model.endpoint} estimate after a best response of PD: progression "
                                   f"is itself the {model.endpoint} event.")
    if not support.inside:
        return OUTSIDE_SUPPORT, support.text
    return None, ""


def _warnings(fm: FittedModel, states, match: StudyMatch | None, at: float | None) -> list[str]:
    out = []
    if any(s.applied and not s.significant for s in states):
        out.append("Sensitivity analysis: every factor is applied, including those whose CI includes 1; "
                   "the default estimate averages those over the cohort.")
    if fm.shrinkage is None:
        out.append("The source prints no likelihood-ratio chi-square for this model, so its optimism "
                   "(overfitting) is not corrected.")
    if match is not None and match.status == UNCERTAIN:
        out.append("Whether this patient fits the study's population is uncertain: the curve is shown, "
                   "labelled uncertain.")
    share = match.study.hcc_share if match is not None else None
    if share is not None:  # the model's hazards and baseline come from the whole cohort, HCC or not
        out.append(f"The model was fitted on a cohort in which {share.percent:g}% of patients had HCC "
                   f"({share.location}); the rest had tumours other than HCC.")
    for flag in match.dose_flags if match is not None else ():
        # the cohort's outcome followed the cohort's course: another dose is outside what it describes
        out.append(f"The course planned differs from the study's, and the curve is for patients treated as "
                   f"the study treated them: {flag}")
    for s in states:
        f = s.factor
        if s.counted and not s.significant and f.effect < 1:
            out.append(f"{f.label}: HR {f.effect:g} ({f.ci[0]:g}–{f.ci[1]:g}, p {f.p}) is not significant "
                       "and is applied only in this sensitivity analysis; it moves the estimate the "
                       "way the data do not establish.")
    if at is not None:
        out.append(f"Landmark analysis: given event-free at {at:g} months, when the source assesses "
                   "response. The published HR was estimated from the start of treatment, so it still "
                   "carries some guarantee-time bias.")
    return out


def _stratum(fm: FittedModel, states: tuple[FactorState, ...]) -> tuple[Stratum, tuple[FactorState, ...]]:
    """Thirds of the cohort's predicted risk, from the applied baseline factors only."""
    baseline_applied = [s for s in states if s.applied and s.factor.timing == "baseline"]
    kept = tuple(s if s in baseline_applied else FactorState(s.factor, None, s.reason, False, False, s.significant)
                 for s in states)
    return stratum_of(applied_distribution(fm, kept), _completions(fm, kept),
                      tuple(s.factor.label for s in baseline_applied if s.adverse_level),
                      tuple(s.factor.label for s in baseline_applied if s.present is None), fm.model.label), kept


def _subgroup_checks(subgroups, median: float | None, horizon: float, states) -> tuple[SubgroupCheck, ...]:
    known = tuple((s.factor.comparison if s.present else s.factor.reference, rule_variables(s.factor.present_when),
                   bool(s.adverse_level)) for s in states if s.counted)
    return subgroup_checks(subgroups, median, horizon, known)


def stratum_for(study: Study, model: PrognosticModel, facts: Mapping[str, Any]) -> Stratum | None:
    """The patient's risk stratum alone (no curve): cheap enough to try many candidate values."""
    fm = fitted_model(study, model)
    return None if fm is None else _stratum(fm, factor_states(model, facts, BASELINE))[0]


def estimate_curve(study: Study, model: PrognosticModel, facts: Mapping[str, Any], stage: str = BASELINE,
                   match: StudyMatch | None = None, apply_all: bool = False,
                   with_sensitivity: bool = True) -> CurveEstimate | None:
    """The patient's curve for ``model`` or None when the model cannot be combined into one."""
    fm = fitted_model(study, model)
    if fm is None:
        return None
    states = factor_states(model, facts, stage, apply_all)
    at = _landmark_time(model, stage)
    present = [s.present if s.counted else None for s in states]
    grid, point, envelope, population = _curves(fm, present, at)
    landmarks, median = _summary(grid, point)
    dist, completions = applied_distribution(fm, states), _completions(fm, states)
    support = assess_support(dist, completions)
    stratum, stratum_states = _stratum(fm, states)
    stratum = replace(stratum, cut_months=fm.horizon, cut_survival=tuple(
        float(_curve_at_lp(fm, stratum_states, c, None)[1][-1]) for c in stratum.cut_lp))
    withheld, text = _withheld(study, model, stage, facts, match, support)
    timing = "post_treatment" if stage == AFTER_RESPONSE else "baseline"
    subgroups = patient_subgroups(study, model.endpoint, timing, facts)
    bound = _edge_bound(fm, states, support, at, subgroups) if withheld == OUTSIDE_SUPPORT else None
    if withheld is not None:  # nothing individual may leak to a reader that forgets to check ``shown``
        median, landmarks = None, {}
    curve = CurveEstimate(study, model, stage, states, stratum, grid, point, envelope, population, fm.knots,
                          median, landmarks, tuple(_warnings(fm, states, match, at)),
                          match.status if match else ELIGIBLE, support, fm.shrinkage, apply_all, withheld,
                          text, bound, subgroups, at,
                          subgroup_checks=_subgroup_checks(subgroups, median, fm.horizon, states) if withheld is None else (),
                          published_median=published_median(study, model.calibrate_to_arm, model.endpoint))
    if with_sensitivity and curve.shown:
        curve = _with_sensitivity(curve, facts, match)
    return curve


def _with_sensitivity(c: CurveEstimate, facts: Mapping[str, Any], match: StudyMatch | None) -> CurveEstimate:
    lines = []
    models = {m.id: m for m in c.study.prognostic_models}
    for alt_id in c.model.alternative_models:
        alt = estimate_curve(c.study, models[alt_id], facts, c.stage, match, with_sensitivity=False)
        if alt is not None:
            lines.append(SensitivityLine(alt_id, alt.model.label, alt.landmarks if alt.shown else None,
                                         alt.withheld_text or "alternative model of the same study"))
    if all(s.significant for s in c.states):
        return replace(c, sensitivity=tuple(lines))  # applying every factor would change nothing
    other = estimate_curve(c.study, c.model, facts, c.stage, match, not c.apply_all, with_sensitivity=False)
    if other is not None:
        label = "every factor applied" if other.apply_all else "only factors with CI excluding 1 applied"
        lines.append(SensitivityLine(c.model.id, f"{c.model.label}, {label}",
                                     other.landmarks if other.shown else None, other.withheld_text or label))
    return replace(c, sensitivity=tuple(lines))
