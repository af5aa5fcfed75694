"""Icon-array counts: "of 100 patients like this, about N are alive at 2 years".

Counts are whole patients out of 100, rounded from the survival estimate; a band becomes a range of
icons (the lower end drawn as alive, the span up to the upper end drawn as "uncertain"). For a
randomised comparison the control arm's survivors are drawn first, then the additional survivors
derived for the experimental arm. One object feeds the GUI, the presentation and the PDF.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hccdecide.figure_words import BAND
from hccdecide.engine.benefit import AbsoluteBenefit
from hccdecide.engine.prognosis import CurveEstimate
from hccdecide.engine.vocabulary import UNCERTAIN
from hccdecide.engine.uncertainty import Band

TOTAL = 100
ALIVE, RANGE, ADDED, ADDED_RANGE, NOT_ALIVE = "alive", "range", "added", "added_range", "not_alive"
ENDPOINT_STATE = {"OS": "alive", "PFS": "alive without progression", "RFS": "alive without recurrence",
                  "DFS": "alive without disease", "TTP": "without progression", "LC": "locally controlled"}
# the complement in plain words ("not alive without progression" reads as a riddle)
ENDPOINT_EVENT = {"OS": "not alive", "PFS": "progressed or died", "RFS": "recurred or died",
                  "DFS": "disease returned or died", "TTP": "progressed", "LC": "local progression"}


@dataclass(frozen=True)
class IconArray:
    title: str
    sentence: str
    counts: tuple[tuple[str, int], ...]  # (kind, icons) in drawing order; sums to 100
    labels: dict[str, str]  # kind -> legend text

    def count(self, kind: str) -> int:
        return sum(n for k, n in self.counts if k == kind)


def _lower_first(label: str) -> str:
    """Lower-case the first letter of a label unless it starts an acronym (SBRT, TACE)."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def per_hundred(survival: float) -> int:
    return int(round(TOTAL * min(1.0, max(0.0, survival))))


def _when(months: int, adjective: bool = False) -> str:
    """"2 years" (or "2-year" before a noun), "18 months" ("18-month")."""
    if adjective:
        return f"{months // 12}-year" if months % 12 == 0 else f"{months}-month"
    return f"{months // 12} year{'s' if months >= 24 else ''}" if months % 12 == 0 else f"{months} months"


def _state(endpoint: str) -> str:
    return ENDPOINT_STATE.get(endpoint, f"free of the {endpoint} event")


def _event(endpoint: str) -> str:
    return ENDPOINT_EVENT.get(endpoint, f"not {_state(endpoint)}")


def individual_icons(curve: CurveEstimate, band: Band | None, months: int = 24) -> IconArray | None:
    """The patient's estimate at ``months`` as icons; None when the curve does not reach that time."""
    if months not in curve.landmarks:
        return None
    n = per_hundred(curve.landmarks[months])
    lo, hi = n, n
    if band is not None and months in band.landmark_ci:
        lo, hi = (per_hundred(x) for x in band.landmark_ci[months])
        lo, hi = min(lo, n), max(hi, n)
    state = _state(curve.model.endpoint)
    sentence = f"Of 100 {_whom(curve)}, about {n} are {state} at {_when(months)}"
    sentence += f" ({BAND} {lo}–{hi})" if (lo, hi) != (n, n) else ""
    low, high = (per_hundred(float(np.interp(months, curve.grid, s))) for s in curve.envelope)
    if low != high:  # the band is the estimate's uncertainty at the entered values, not of those left out
        sentence += f"; with the factors not entered, anywhere from {low} to {high}"
    sentence += "."
    if curve.status == UNCERTAIN:
        sentence += f" Whether this patient is one of those {curve.study.short_name} treated is not settled."
    counts = ((ALIVE, lo), (RANGE, hi - lo), (NOT_ALIVE, TOTAL - hi))
    labels = {ALIVE: f"{state} (band's lower end)" if hi > lo else state,
              RANGE: f"within the {BAND}", NOT_ALIVE: _event(curve.model.endpoint)}
    return IconArray(f"{curve.study.short_name}: individual estimate, {_when(months)}", sentence, counts, labels)


def _whom(curve: CurveEstimate) -> str:
    """Patients like this one, or, with none of the model's factors entered, the cohort itself."""
    if curve.cohort_average:
        return f"patients of the {curve.study.short_name} cohort (none of this patient's risk factors entered)"
    return "patients like this"


def benefit_icons(ab: AbsoluteBenefit, months: int = 24) -> IconArray | None:
    """Control-arm survivors, then the additional survivors derived for the experimental arm."""
    d = next((x for x in ab.differences if x.months == months), None)
    if d is None:
        return None
    control, experimental = per_hundred(d.control), per_hundred(d.experimental)
    lo_e, hi_e = experimental, experimental
    if d.interval_pp:
        lo_e = per_hundred(d.control + d.interval_pp[0] / 100)
        hi_e = per_hundred(d.control + d.interval_pp[1] / 100)
    sure_added = max(0, lo_e - control)
    added_range = max(0, hi_e - control - sure_added)
    state = _state(ab.benefit.comparison.endpoint)
    b = ab.benefit
    sentence = (f"Of 100 patients like those in {b.study.short_name}, about {control} are {state} at {_when(months)} "
                f"with {_lower_first(b.control.label)} and about {experimental} with "
                f"{_lower_first(b.experimental.label)} (derived from the HR, proportional hazards).")
    if d.interval_pp is None:  # the icons look as sure as any other: the sentence must say they are not
        sentence += (f" The source prints no CI for the HR ({_hr_printed(ab)}), so how uncertain the "
                     f"{experimental - control} additional patients are cannot be shown.")
    if d.extrapolated:  # the benefit engine marks it; the icons must say so wherever they appear
        sentence += (f" The {_when(months, adjective=True)} figure is extrapolated: the control arm's last "
                     f"published figure is at {ab.control_points[-1][0]:g} months.")
    counts = ((ALIVE, control), (ADDED, sure_added), (ADDED_RANGE, added_range),
              (NOT_ALIVE, TOTAL - control - sure_added - added_range))
    derived = ", ".join(("derived", *(["no CI in the source"] if d.interval_pp is None else []),
                         *(["extrapolated"] if d.extrapolated else [])))
    labels = {ALIVE: f"{state} with {_lower_first(b.control.label)}", ADDED: f"additionally with the addition ({derived})",
              ADDED_RANGE: "additional within the HR's CI", NOT_ALIVE: _event(ab.benefit.comparison.endpoint)}
    title = f"{b.study.short_name}: {b.comparison.endpoint}, {_when(months)}"
    title += ", extrapolated" if d.extrapolated else ""
    return IconArray(title, sentence, counts, labels)


def _hr_printed(ab: AbsoluteBenefit) -> str:
    p = ab.benefit.comparison.p
    return f"HR {ab.hr:g}" + (f", p = {p}" if p else "")


def glance_icons(a, glance, bands) -> tuple[IconArray, ...]:
    """The icon arrays shown with the summary: the risk sentence's estimate, then the derived benefit of
    each randomised comparison of the strategies the summary names."""
    from hccdecide.engine.benefit import absolute_benefit
    from hccdecide.engine.plain_summary import shown_regimens

    out = []
    if glance.risk_curve is not None:
        out.append(individual_icons(glance.risk_curve, bands.get(a.curves.index(glance.risk_curve))))
    for r in shown_regimens(a):
        out += [benefit_icons(absolute_benefit(b)) for b in r.fitting_benefits]
    return tuple(i for i in out if i is not None)


def icon_array_json(icons: IconArray) -> dict:
    return {"title": icons.title, "sentence": icons.sentence, "counts": dict(icons.counts),
            "labels": icons.labels}
