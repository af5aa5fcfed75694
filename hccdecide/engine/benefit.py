"""Absolute benefit of a randomised addition, derived from its hazard ratio and the control arm's figures.

Curve form (stated wherever the result is shown): the control arm's cumulative hazard H_c(t) runs
piecewise-linearly through (0, 0) and every published control point of the endpoint (the median as
S = 0.5, landmark rates at their times), i.e. a piecewise-exponential survival curve; with the median
alone it is the exponential curve through the median, S_c(t) = 2^(−t / median). Past the last published
point the last segment's hazard is carried on, and the difference is marked *extrapolated*; no
difference is given past three times the last published time (:data:`MAX_EXTRAPOLATION`).
Proportional hazards give the experimental arm S_e(t) = S_c(t)^HR. The absolute difference at 1 and 2
years is S_e − S_c in percentage points; where the HR's CI is printed, its two ends give the
difference's interval (S_c^HR is monotone in HR). A comparison without any control figure gets the HR
alone and the reason.

Only what supports it is turned into an absolute difference: a comparison between the randomised arms
of one trial (or a meta-analysis pooling only randomised trials) whose HR is statistically significant
(printed p < 0.05, or, without a p, a CI that excludes 1). A non-randomised comparison, or an HR whose
significance is not shown, is given as published with the reason no difference is derived.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from hccdecide.figure_words import ci_text
from hccdecide.engine.levels import DESIGN_LABEL, RANDOMISED_DESIGNS, evidence_level
from hccdecide.engine.regimens import Benefit, RegimenResult
from hccdecide.evidence.schema import Design

LANDMARKS_MONTHS = (12, 24)
CURVE_STEP_MONTHS = 0.25
MAX_EXTRAPOLATION = 3.0  # differences only up to this multiple of the last published control time
CURVE_FORM = ("piecewise-exponential control curve through the published control median and landmarks "
              "(exponential through the median when it is the only figure); experimental curve = "
              "control curve raised to the power HR (proportional hazards)")


@dataclass(frozen=True)
class Difference:
    months: int
    control: float  # survival 0–1
    experimental: float
    difference_pp: float  # percentage points, experimental minus control
    interval_pp: tuple[float, float] | None  # from the HR's CI, None when no CI is printed
    extrapolated: bool  # beyond the last published control point


@dataclass(frozen=True)
class AbsoluteBenefit:
    benefit: Benefit
    hr: float
    hr_ci: tuple[float, float] | None
    control_points: tuple[tuple[float, float], ...]  # (months, survival 0–1), published
    differences: tuple[Difference, ...]
    reason: str  # why no difference is given (empty when derived)

    @property
    def derived(self) -> bool:
        return bool(self.differences)

    def control_curve(self, horizon: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        horizon = horizon or max(30.0, max(t for t, _ in self.control_points) * 1.5)
        grid = np.arange(0.0, horizon + 1e-9, CURVE_STEP_MONTHS)
        return grid, control_survival(self.control_points, grid)

    def curves(self, horizon: float | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Control, experimental and (where a CI is printed) the experimental curve at each CI end."""
        grid, sc = self.control_curve(horizon)
        out = {"control": (grid, sc), "experimental": (grid, sc ** self.hr)}
        if self.hr_ci:
            out["experimental_ci_low"] = (grid, sc ** self.hr_ci[1])
            out["experimental_ci_high"] = (grid, sc ** self.hr_ci[0])
        return out


def control_points(b: Benefit) -> tuple[tuple[float, float], ...]:
    """Published points of the control arm for the comparison's endpoint, sorted by time."""
    points: dict[float, float] = {}
    for o in b.control.outcomes:
        if o.endpoint != b.comparison.endpoint or o.estimate.value is None or not o.estimate.reached:
            continue
        if o.measure == "median":
            points[float(o.estimate.value)] = 0.5
        elif o.measure == "rate" and o.at_months is not None:
            points[float(o.at_months)] = o.estimate.value / 100
    return tuple(sorted(points.items()))


def control_survival(points: Iterable[tuple[float, float]], t: np.ndarray | float) -> np.ndarray:
    """S_c(t) from the published points (see the module docstring for the form)."""
    pts = list(points)
    times = np.array([0.0] + [p[0] for p in pts])
    cumhaz = np.maximum.accumulate(np.array([0.0] + [-math.log(p[1]) for p in pts]))
    last_rate = (cumhaz[-1] - cumhaz[-2]) / (times[-1] - times[-2])
    t = np.asarray(t, float)
    inside = np.interp(t, times, cumhaz)
    beyond = cumhaz[-1] + last_rate * (t - times[-1])
    return np.exp(-np.where(t > times[-1], beyond, inside))


def _difference(points, months: int, hr: float, ci: tuple[float, float] | None) -> Difference:
    sc = float(control_survival(points, months))
    se = sc ** hr
    interval = None
    if ci:
        interval = (100 * (sc ** ci[1] - sc), 100 * (sc ** ci[0] - sc))
    return Difference(months, sc, se, 100 * (se - sc), interval, months > points[-1][0])


SIGNIFICANCE = 0.05


def is_randomised_comparison(b: Benefit) -> bool:
    design = b.study.design
    if b.study.non_comparative:  # each arm judged on its own: no comparison to derive a benefit from
        return False
    return design in RANDOMISED_DESIGNS or (design == Design.META_ANALYSIS and evidence_level(b.study) == 1)


def significant(p: str | None, ci: tuple[float, float] | None) -> bool | None:
    """Whether the HR is significant at 5 %: from the printed p ("0.03", "<0.001", "NS"), else from the
    CI; None when the source shows neither."""
    text = (p or "").strip().replace(" ", "")
    if text.upper() == "NS":
        return False
    try:
        if text[:1] in ("<", "≤"):
            return float(text[1:]) <= SIGNIFICANCE
        if text:
            return float(text) < SIGNIFICANCE
    except ValueError:
        pass
    if ci is not None:
        return ci[1] < 1 or ci[0] > 1
    return None


def _support_reason(b: Benefit) -> str:
    c = b.comparison
    if not is_randomised_comparison(b):
        what = ("a meta-analysis not limited to randomised trials" if b.study.design == Design.META_ANALYSIS
                else f"a {DESIGN_LABEL[b.study.design]} study")
        return (f"the comparison is not between randomised arms ({what}), so no absolute difference is "
                "derived from its hazard ratio")
    sig = significant(c.p, tuple(c.estimate.ci) if c.estimate.ci else None)
    if sig is None:
        return "the source shows neither a p value nor a CI for the hazard ratio, so no absolute difference is derived"
    if not sig:
        shown = f"p = {c.p}" if c.p else ci_text(c.estimate.ci, c.estimate.ci_level)
        return (f"the hazard ratio {c.estimate.value:g} is not statistically significant ({shown}), so no "
                "absolute difference is derived from it")
    return ""


def _no_derivation_reason(b: Benefit, points) -> str:
    c = b.comparison
    if c.measure != "HR":
        return "the comparison is not reported as a hazard ratio"
    if c.estimate.value is None:
        return "no hazard ratio is printed"
    unsupported = _support_reason(b)
    if unsupported:
        return unsupported
    if c.endpoint in ("ORR", "DCR", "CR", "TOX_G3PLUS"):
        return "the endpoint is not a time-to-event endpoint"
    if not points:
        return (f"the source prints no median or landmark for the control arm ({b.control.label}), so "
                "only the hazard ratio can be shown")
    return ""


def absolute_benefit(b: Benefit) -> AbsoluteBenefit:
    c = b.comparison
    points = control_points(b)
    reason = _no_derivation_reason(b, points)
    hr = c.estimate.value if c.estimate.value is not None else float("nan")
    ci = tuple(c.estimate.ci) if c.estimate.ci else None
    if reason:
        return AbsoluteBenefit(b, hr, ci, points, (), reason)
    reach = MAX_EXTRAPOLATION * points[-1][0]
    diffs = tuple(_difference(points, m, hr, ci) for m in LANDMARKS_MONTHS if m <= reach)
    if not diffs:
        reason = (f"the control arm's published figures end at {points[-1][0]:g} months; 1 and 2 years lie "
                  f"beyond {MAX_EXTRAPOLATION:g} times that, too far to extrapolate")
    return AbsoluteBenefit(b, hr, ci, points, diffs, reason)


def regimen_benefits(r: RegimenResult) -> tuple[AbsoluteBenefit, ...]:
    return tuple(absolute_benefit(b) for b in r.benefits)


def difference_text(d: Difference) -> str:
    """"+10.6 percentage points at 1 year (derived)" with the interval where the CI is printed."""
    years = d.months // 12
    text = f"{d.difference_pp:+.1f} percentage points at {years} year{'s' if years > 1 else ''}"
    if d.interval_pp:
        text += f" (from the HR's CI: {d.interval_pp[0]:+.1f} to {d.interval_pp[1]:+.1f})"
    else:
        text += " (no CI printed for the HR, so no interval)"
    return text + (" — derived, extrapolated past the last published point" if d.extrapolated else " — derived")


def absolute_benefit_json(ab: AbsoluteBenefit) -> dict:
    c = ab.benefit.comparison
    return {
        "study": ab.benefit.study.id, "endpoint": c.endpoint, "hr": ab.hr,
        "hr_ci": list(ab.hr_ci) if ab.hr_ci else None, "derived": ab.derived,
        "curve_form": CURVE_FORM if ab.derived else None,
        "control_points": [{"months": t, "survival_pct": round(100 * s, 1)} for t, s in ab.control_points],
        "differences": [{"months": d.months, "control_pct": round(100 * d.control, 1),
                         "experimental_pct": round(100 * d.experimental, 1),
                         "difference_pp": round(d.difference_pp, 1),
                         "interval_pp": [round(x, 1) for x in d.interval_pp] if d.interval_pp else None,
                         "extrapolated": d.extrapolated} for d in ab.differences],
        "reason": ab.reason or None,
    }
