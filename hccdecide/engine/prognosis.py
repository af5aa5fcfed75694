"""Individual outcome curves from a published multivariable Cox model and its cohort's landmarks.

Method (README, "Prognosis"):
1. Baseline curve. For every published landmark S_pop(t) of the calibration arm (and S = 0.5 at the
   median), solve S_pop(t) = Σ_x P(x) · S0(t)^exp(β·x) for S0(t) by bisection, with P(x) from the
   factors' cohort prevalences (independence assumed). Between landmarks the baseline cumulative
   hazard is interpolated linearly (piecewise-exponential); nothing is extrapolated past the last one.
2. Individual curve. S(t | x) = S0(t)^exp(β·x). An unknown factor is averaged over its cohort
   prevalence for the point estimate, and both of its levels are shown as the envelope.
3. Uncertainty (see :mod:`hccdecide.engine.uncertainty`).
4. Only multivariable Cox HRs with CIs from one model are combined, and only baseline factors before
   treatment. Post-treatment factors enter only in the after-response estimate.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from hccdecide.engine.matching import MET, NOT_MET, evaluate_rule
from hccdecide.evidence.schema import Factor, PrognosticModel, Study

BASELINE, AFTER_RESPONSE = "baseline", "after_response"
GRID_STEP_MONTHS = 0.25
# An individual combination expected in fewer patients than this is "barely contained" in the cohort.
SPARSE_EXPECTED_PATIENTS = 1.0


@dataclass(frozen=True)
class Knots:
    """Published points of the calibration arm's curve: times (months) and survival (0–1)."""

    times: np.ndarray
    survival: np.ndarray
    locations: tuple[str, ...]


def calibration_knots(study: Study, model: PrognosticModel) -> Knots | None:
    """Landmark rates and the median of the model's calibration arm, sorted by time."""
    arm = next((a for a in study.arms if a.id == model.calibrate_to_arm), None)
    if arm is None:
        return None
    points: dict[float, tuple[float, str]] = {}
    for o in arm.outcomes:
        if o.endpoint != model.endpoint or o.estimate.value is None:
            continue
        if o.measure == "rate" and o.at_months is not None:
            points[o.at_months] = (o.estimate.value / 100, f"{o.location} ({o.at_months:g} mo)")
        elif o.measure == "median":
            points[o.estimate.value] = (0.5, f"{o.location} (median)")
    if len(points) < 2:
        return None
    times = sorted(points)
    surv = np.array([points[t][0] for t in times])
    if np.any(np.diff(surv) > 0):
        return None  # not a survival curve; the library check should have caught it
    return Knots(np.array(times, float), surv, tuple(points[t][1] for t in times))


def lp_distribution(log_hr: np.ndarray, prevalence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All 2^k factor combinations: their linear predictors (…, 2^k) and probabilities (2^k,)."""
    combos = np.array(list(itertools.product((0, 1), repeat=len(prevalence))), float)
    probs = np.prod(np.where(combos == 1, prevalence, 1 - prevalence), axis=1)
    lp = log_hr @ combos.T if log_hr.ndim == 1 else np.einsum("dk,ck->dc", log_hr, combos)
    return lp, probs


def solve_baseline(s_pop: np.ndarray, lp: np.ndarray, probs: np.ndarray, iterations: int = 12) -> np.ndarray:
    """S0 such that Σ probs · S0^exp(lp) = s_pop, elementwise.

    Solved for u = log(−log S0) by Newton's method, where the mixture is smooth and monotone,
    falling back to bisection steps whenever Newton would leave the bracket.
    ``s_pop`` has shape (..., knots); ``lp`` has shape (..., combos) matching the leading dims.
    """
    ratio = np.exp(lp)[..., None, :]  # (..., 1, combos)
    target = np.clip(s_pop, 1e-9, 1 - 1e-9)
    lo = np.full(target.shape, -30.0)  # u bracket: S0 = exp(-exp(u))
    hi = np.full(target.shape, 10.0)
    u = np.log(-np.log(target)) - np.sum(probs * lp, axis=-1)[..., None]
    for _ in range(iterations):
        hz = np.exp(u)[..., None] * ratio  # hazards of each combination
        surv = np.exp(-hz)
        f = np.sum(probs * surv, axis=-1) - target  # decreasing in u
        lo = np.where(f > 0, u, lo)
        hi = np.where(f > 0, hi, u)
        slope = -np.sum(probs * hz * surv, axis=-1)
        step = np.where(slope < 0, f / np.where(slope < 0, slope, -1.0), 0.0)
        candidate = u - step
        outside = (candidate < lo) | (candidate > hi) | ~np.isfinite(candidate)
        u = np.where(outside, (lo + hi) / 2, candidate)
        if np.all(np.abs(f) < 1e-12):
            break
    return np.exp(-np.exp(u))


def baseline_cumhaz_on_grid(knot_times: np.ndarray, s0: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Piecewise-linear baseline cumulative hazard through (0, 0) and the knots."""
    h = -np.log(np.clip(s0, 1e-12, 1.0))
    times = np.concatenate(([0.0], knot_times))
    hs = np.concatenate((np.zeros(h.shape[:-1] + (1,)), h), axis=-1)
    hs = np.maximum.accumulate(hs, axis=-1)  # a cumulative hazard never falls
    if hs.ndim == 1:
        return np.interp(grid, times, hs)
    return np.stack([np.interp(grid, times, row) for row in hs.reshape(-1, hs.shape[-1])]).reshape(
        hs.shape[:-1] + grid.shape)


def median_from_curve(grid: np.ndarray, surv: np.ndarray) -> float | None:
    """First time the curve reaches 0.5 (linear interpolation); None if it stays above."""
    below = np.nonzero(surv <= 0.5)[0]
    if below.size == 0:
        return None
    i = below[0]
    if i == 0:
        return float(grid[0])
    t0, t1, s0, s1 = grid[i - 1], grid[i], surv[i - 1], surv[i]
    return float(t0 + (s0 - 0.5) * (t1 - t0) / (s0 - s1)) if s0 != s1 else float(t1)


@dataclass(frozen=True)
class FactorState:
    factor: Factor
    present: bool | None  # patient at the comparison level?
    reason: str
    counted: bool  # used with a known value in this estimate (else averaged over prevalence)
    significant: bool  # CI excludes 1: an independent predictor as reported

    @property
    def adverse_level(self) -> bool | None:
        """Is the patient at the higher-hazard level of this factor?"""
        if self.present is None or self.factor.effect is None:
            return None
        return self.present if self.factor.effect > 1 else not self.present


def factor_states(model: PrognosticModel, facts: Mapping[str, Any], stage: str) -> tuple[FactorState, ...]:
    out = []
    for f in model.factors:
        verdict = evaluate_rule(f.present_when, facts) if f.present_when is not None else None
        present = None if verdict is None else {MET: True, NOT_MET: False}.get(verdict.status)
        reason = "no patient variable for this factor" if verdict is None else verdict.reason
        usable = f.timing == "baseline" or stage == AFTER_RESPONSE
        if f.timing != "baseline" and stage == BASELINE:
            reason = "known only after treatment; averaged over the cohort for this estimate"
        counted = usable and present is not None
        significant = f.ci is not None and (f.ci[0] > 1 or f.ci[1] < 1)
        out.append(FactorState(f, present if usable else None, reason, counted, significant))
    return tuple(out)


@dataclass(frozen=True)
class Stratum:
    possible: tuple[str, ...]  # one name when determined, several when unknown factors leave a range
    adverse_present: int
    adverse_unknown: int
    rule: str

    @property
    def name(self) -> str:
        return self.possible[0] if len(self.possible) == 1 else " to ".join((self.possible[0], self.possible[-1]))


def stratum_name(count: int) -> str:
    return "low" if count == 0 else ("intermediate" if count == 1 else "high")


def risk_stratum(states: tuple[FactorState, ...]) -> Stratum:
    """Adverse independent baseline predictors present: 0 low, 1 intermediate, ≥ 2 high."""
    relevant = [s for s in states if s.significant and s.factor.timing == "baseline"]
    present = sum(1 for s in relevant if s.adverse_level is True)
    unknown = sum(1 for s in relevant if s.adverse_level is None)
    names = tuple(dict.fromkeys(stratum_name(c) for c in range(present, present + unknown + 1)))
    rule = ("count of independent adverse baseline predictors (CI excluding 1) present: "
            + ", ".join(s.factor.label for s in relevant) + "; 0 low, 1 intermediate, ≥ 2 high")
    return Stratum(names, present, unknown, rule)


@dataclass(frozen=True)
class CurveEstimate:
    """The patient's predicted curve for one model at one stage, before uncertainty bands."""

    study: Study
    model: PrognosticModel
    stage: str
    states: tuple[FactorState, ...]
    stratum: Stratum
    grid: np.ndarray
    survival: np.ndarray  # point estimate (unknowns averaged over prevalence)
    envelope: tuple[np.ndarray, np.ndarray]  # lowest / highest curve over unknown factor levels
    population: np.ndarray  # the model's cohort-average curve (calibration check)
    knots: Knots
    median: float | None
    landmarks: Mapping[int, float]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def horizon(self) -> float:
        return float(self.grid[-1])


def _log_hr(model: PrognosticModel) -> np.ndarray:
    return np.log(np.array([f.effect for f in model.factors], float))


def _prevalence(model: PrognosticModel) -> np.ndarray:
    return np.array([f.prevalence for f in model.factors], float)


def individual_curves(h0: np.ndarray, log_hr: np.ndarray, prevalence: np.ndarray,
                      present: list[bool | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point curve (unknowns averaged) and envelope over unknown levels, given baseline H0(grid).

    ``h0`` may carry leading draw dimensions; ``log_hr`` then has the same leading dimensions.
    """
    known = np.array([p is not None for p in present])
    x_known = np.array([1.0 if p else 0.0 for p in present])
    unknown_idx = np.nonzero(~known)[0]
    combos = np.array(list(itertools.product((0, 1), repeat=len(unknown_idx))), float).reshape(
        2 ** len(unknown_idx), len(unknown_idx))
    probs = np.prod(np.where(combos == 1, prevalence[unknown_idx], 1 - prevalence[unknown_idx]), axis=1)
    lp_known = log_hr @ (x_known * known)
    lp = lp_known[..., None] + combos @ log_hr[..., unknown_idx].T if log_hr.ndim == 1 else \
        lp_known[..., None] + np.einsum("dk,ck->dc", log_hr[..., unknown_idx], combos)
    curves = np.exp(-h0[..., None, :] * np.exp(lp)[..., :, None])  # (..., combos, grid)
    point = np.einsum("c,...cg->...g", probs, curves)
    return point, curves.min(axis=-2), curves.max(axis=-2)


def sparse_warning(model: PrognosticModel, states: tuple[FactorState, ...], n: int | None) -> str | None:
    if n is None:
        return None
    prob = 1.0
    for s in states:
        if s.counted:
            p = s.factor.prevalence
            prob *= p if s.present else 1 - p
    expected = n * prob
    if expected < SPARSE_EXPECTED_PATIENTS:
        return (f"This combination of known factors is expected in about {expected:.1f} of the {n} "
                "patients (prevalences taken as independent): the cohort barely contained such patients.")
    return None


def reversed_factor_warnings(states: tuple[FactorState, ...]) -> list[str]:
    """Name each known factor whose published HR is below 1 with a CI spanning 1: it lowers the
    predicted risk of the comparison level although the data do not establish a protective effect."""
    out = []
    for s in states:
        f = s.factor
        if s.counted and f.effect is not None and f.effect < 1 and not s.significant:
            effect = "lowers" if s.present else "raises"
            out.append(f"{f.label}: the model's HR is {f.effect:g} ({f.ci[0]:g}–{f.ci[1]:g}, p {f.p}), so this "
                       f"patient's value {effect} the predicted risk; the effect is not significant and may "
                       "contradict other analyses of the same study.")
    return out


def combinable(model: PrognosticModel) -> bool:
    """Only a multivariable Cox model with every HR, CI and prevalence can make a curve."""
    return (model.analysis == "multivariable_cox" and model.calibrate_to_arm is not None
            and all(f.effect is not None and f.ci is not None and f.prevalence is not None
                    for f in model.factors))


def estimate_curve(study: Study, model: PrognosticModel, facts: Mapping[str, Any],
                   stage: str = BASELINE) -> CurveEstimate | None:
    """The patient's curve for ``model`` or None when the model cannot be combined into one."""
    if not combinable(model):
        return None
    knots = calibration_knots(study, model)
    if knots is None:
        return None
    states = factor_states(model, facts, stage)
    log_hr, prev = _log_hr(model), _prevalence(model)
    lp, probs = lp_distribution(log_hr, prev)
    s0 = solve_baseline(knots.survival, lp, probs)
    grid = np.arange(0.0, knots.times[-1] + 1e-9, GRID_STEP_MONTHS)
    h0 = baseline_cumhaz_on_grid(knots.times, s0, grid)
    present = [s.present if s.counted else None for s in states]
    point, low, high = individual_curves(h0, log_hr, prev, present)
    population, _, _ = individual_curves(h0, log_hr, prev, [None] * len(states))
    landmarks = {int(t): float(np.interp(t, grid, point)) for t in (12, 24, 36) if t <= grid[-1] + 1e-9}
    warnings = [w for w in (sparse_warning(model, states, study.n),) if w]
    warnings += reversed_factor_warnings(states)
    return CurveEstimate(study, model, stage, states, risk_stratum(states), grid, point, (low, high),
                         population, knots, median_from_curve(grid, point), landmarks, tuple(warnings))
