"""The planned course against each study's dose: a protocol requirement (Wang 2025: BED >= 60 Gy with
alpha/beta 10 to every lesion) or the schedules the study's RT arms gave (from their total dose and
fractions). A planned course outside is flagged on the study row with both numbers; it never changes
the eligibility status, because a study's dose describes the treatment, not the patient.

BED is compared with alpha/beta 10 Gy whatever alpha/beta the case uses, as the sources state their
doses for tumour.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from hccdecide.clinical.dose import DEFAULT_ALPHA_BETA_GY, bed, eqd2
from hccdecide.evidence.schema import Arm, Study
from hccdecide.figure_words import counted

TOLERANCE_GY = 0.05  # a printed BED rounded to 0.1 Gy is not "outside"


@dataclass(frozen=True)
class Schedule:
    """The span of the schedules of a study's RT arms (None = not given)."""

    bed_low: float | None
    bed_high: float | None
    fx_low: int | None
    fx_high: int | None
    text: str
    location: str


def _arm_schedule(arm: Arm) -> Schedule | None:
    r = arm.regimen
    doses = r.dose_range_gy or ((r.dose_gy, r.dose_gy) if r.dose_gy is not None else None)
    fxs = r.fractions_range or ((r.fractions, r.fractions) if r.fractions is not None else None)
    if doses is None and fxs is None:
        return None
    bed_low, bed_high = r.bed10_range_gy or _bed_corners(doses, fxs)
    text = " in ".join(t for t in (_span_text(doses, "Gy"), _fractions_text(fxs)) if t)
    if bed_low is not None:
        text += f" (BED10 {_span(bed_low, bed_high)} Gy)"
    return Schedule(bed_low, bed_high, fxs[0] if fxs else None, fxs[1] if fxs else None, text, arm.location)


def _bed_corners(doses, fxs) -> tuple[float | None, float | None]:
    """The widest BED10 span the dose and fraction ranges allow (a source that prints none)."""
    if not (doses and fxs):
        return None, None
    return bed(doses[0], fxs[1], DEFAULT_ALPHA_BETA_GY), bed(doses[1], fxs[0], DEFAULT_ALPHA_BETA_GY)


def _span_text(span, unit: str) -> str:
    if span is None:
        return ""
    return f"{span[0]:g} {unit}" if span[0] == span[1] else f"{span[0]:g}–{span[1]:g} {unit}"


def _fractions_text(fxs) -> str:
    if fxs is None:
        return ""
    return counted(fxs[0], "fraction") if fxs[0] == fxs[1] else f"{fxs[0]}–{fxs[1]} fractions"


def _span(low: float, high: float) -> str:
    return f"{low:.1f}" if abs(high - low) < 0.05 else f"{low:.1f}–{high:.1f}"


def study_schedules(study: Study) -> list[Schedule]:
    return [s for a in study.arms if a.regimen_key is not None for s in [_arm_schedule(a)] if s is not None]


def _planned_text(dose_gy: float, fractions: int) -> str:
    return (f"planned {dose_gy:g} Gy in {counted(fractions, 'fraction')} "
            f"(BED10 {bed(dose_gy, fractions):.1f} Gy, EQD2 {eqd2(dose_gy, fractions):.1f} Gy)")


def _requirement_flags(study: Study, planned_bed: float, planned: str) -> list[str]:
    req = study.dose_requirement
    if req is None:
        return []
    out = []
    if req.min_bed10_gy is not None and planned_bed < req.min_bed10_gy - TOLERANCE_GY:
        out.append(f"{planned} is below the protocol's BED10 ≥ {req.min_bed10_gy:g} Gy ({req.location})")
    if req.max_bed10_gy is not None and planned_bed > req.max_bed10_gy + TOLERANCE_GY:
        out.append(f"{planned} is above the protocol's BED10 ≤ {req.max_bed10_gy:g} Gy ({req.location})")
    return out


def _bed_mismatch(schedules: list[Schedule], planned_bed: float) -> str | None:
    with_bed = [s for s in schedules if s.bed_low is not None]
    if not with_bed:
        return None
    low = min(s.bed_low for s in with_bed)  # type: ignore[type-var]
    high = max(s.bed_high for s in with_bed)  # type: ignore[type-var]
    if low - TOLERANCE_GY <= planned_bed <= high + TOLERANCE_GY:
        return None
    return f"BED10 {'below' if planned_bed < low else 'above'} the study's {_span(low, high)} Gy"


def _fractions_mismatch(schedules: list[Schedule], fractions: int) -> str | None:
    with_fx = [s for s in schedules if s.fx_low is not None]
    if not with_fx:
        return None
    lo, hi = min(s.fx_low for s in with_fx), max(s.fx_high for s in with_fx)  # type: ignore[type-var]
    if lo <= fractions <= hi:
        return None
    return f"{counted(fractions, 'fraction')} where the study gave {_fractions_text((lo, hi))}"


def _schedule_flags(schedules: list[Schedule], planned_bed: float, fractions: int, planned: str) -> list[str]:
    """One flag per study: what differs (BED, fractions), then the study's schedules, each named once."""
    problems = [p for p in (_bed_mismatch(schedules, planned_bed), _fractions_mismatch(schedules, fractions)) if p]
    if not problems:
        return []
    given = dict.fromkeys(f"{s.text}, {s.location}" for s in schedules)  # two arms of one schedule: once
    label = "schedule" if len(given) == 1 else "schedules"
    return [f"{planned}: {' and '.join(problems)}. The study's {label}: {'; '.join(given)}"]


def dose_flags(study: Study, facts: Mapping[str, Any]) -> tuple[str, ...]:
    dose_gy, fractions = facts.get("rt_dose_gy"), facts.get("rt_fractions")
    if dose_gy is None or fractions is None or study.is_protocol and study.dose_requirement is None:
        return ()
    planned_bed = bed(dose_gy, fractions)
    planned = _planned_text(dose_gy, fractions)
    flags = _requirement_flags(study, planned_bed, planned)
    if study.dose_requirement is None:
        flags += _schedule_flags(study_schedules(study), planned_bed, fractions, planned)
    return tuple(flags)
