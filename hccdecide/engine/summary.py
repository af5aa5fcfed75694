"""A plain-text summary of an assessment for the terminal (``hccdecide assess CASE.json``)."""
from __future__ import annotations

from hccdecide.figure_words import BAND
from hccdecide.engine.assessment import Assessment
from hccdecide.engine.levels import LEVEL_LABEL
from hccdecide.engine.matching import NOT_MET, TO_CONFIRM, UNKNOWN
from hccdecide.engine.outcome_text import figure_value_text, range_text
from hccdecide.engine.plain_summary import at_a_glance
from hccdecide.engine.uncertainty import Band
from hccdecide.engine.vocabulary import DISCLAIMER  # noqa: F401 - re-exported
from hccdecide.variables import VARIABLES, choice_text

SHOWN_DERIVED = ("child_pugh_score", "child_pugh_class", "albi_grade", "bclc_stage", "mvi_grade",
                 "lnm_location", "m_stage", "oligoprogression_type", "bed_gy")


def fmt_value(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, float):
        return f"{value:.1f}"
    return choice_text(value)


def _derived_value(a: Assessment, key: str) -> str:
    if key == "bclc_stage":  # "A before resection", "undecided: C or D": the bare letter would mislead
        return a.derived.bclc.label.removeprefix("BCLC stage ")
    return fmt_value(a.derived.facts[key])


def _derived_lines(a: Assessment) -> list[str]:
    lines = ["Derived values"]
    for key in SHOWN_DERIVED:
        lines.append(f"  {VARIABLES[key].label:48} {_derived_value(a, key)}")
    lines += [f"  ! {a.derived.bclc.caution}"] if a.derived.bclc.caution else []
    lines += [f"  ! {n.text}" for n in a.derived.notes]
    return lines


def _regimen_lines(a: Assessment) -> list[str]:
    lines = ["Regimens (best supported first)"]
    for r in a.regimens:
        lines.append(f"  [{r.status.upper():10}] {r.info.name} — {LEVEL_LABEL[r.best_level]}")
        lines += [f"      ! {g}" for g in r.gate_messages]
        for m in r.matches[:4]:
            extra = ""
            if m.status != "eligible":
                items = m.findings(NOT_MET, UNKNOWN)
                extra = "; ".join(f"{'✗' if c.status == NOT_MET else '?'} {c.reason}" for c in items[:2])
                extra = extra or "; ".join(m.warnings[:1])  # e.g. no checkable criterion
            lines.append(f"      {m.study.short_name:28} {m.status:10} [{m.counts_text}] {extra}".rstrip())
            lines += [f"      {'':28} {'':10} ! dose: {f}" for f in m.dose_flags]
            if m.uncertain_text:  # the two kinds of uncertain, missing data first
                lines.append(f"      {'':28} {'':10} why uncertain: {m.uncertain_text}")
        for row in r.outcomes[:5]:
            if row.value_range:
                spanned = len(row.range_figures)
                lines.append(f"      {row.label:40} {range_text(row)}"
                             + (f"; {spanned} figures in the range" if spanned > 1 else ""))
                lines += [f"        {f.study.short_name}: {figure_value_text(f, row.unit)}"
                          for f in row.figures if f.comparator is not None]
    return lines


def _risk_lines(a: Assessment, bands: dict[int, Band]) -> list[str]:
    lines = ["Individual estimates (multivariable Cox models)"]
    for i, c in enumerate(a.curves):
        if not c.model.default:
            continue
        band = bands.get(i)
        if not c.shown:  # not applicable, outside the cohort's support, or after progression
            lines.append(f"  {c.study.short_name} {c.model.endpoint} ({c.stage.replace('_', ' ')}): "
                         f"no individual estimate. {c.withheld_text}")
            if c.bound is not None:
                lines.append(f"      Bound {c.bound.text(c.model.endpoint)}")
                lines += [f"      published: {g.text}" for g in c.subgroups]
            continue
        med = "beyond " + f"{c.horizon:g} months" if c.median is None else f"{c.median:.1f} months"
        lines.append(f"  {c.study.short_name} {c.model.endpoint} ({c.stage.replace('_', ' ')}): "
                     f"stratum {c.stratum.name}; median {med}")
        for t, s in c.landmarks.items():
            ci = band.landmark_ci.get(t) if band else None
            ci_text = f" ({BAND} {100 * ci[0]:.0f}–{100 * ci[1]:.0f}%)" if ci else ""
            lines.append(f"      {t // 12}-year {100 * s:.0f}%{ci_text}")
        lines += [f"      ! {w}" for w in c.warnings]
        lines += [f"      ! {note}" for note in _curve_cautions(c)]
    return lines


def _curve_cautions(c) -> list[str]:
    """What qualifies a shown estimate: unknown factors that may put the patient outside the cohort, and
    every published subgroup of the patient's levels the estimate lies outside (explained or not)."""
    notes = [c.support.text] if c.support.partly_outside else []
    return notes + [k.text for k in c.subgroup_checks if k.outside]


def summary_text(a: Assessment, bands: dict[int, Band] | None = None) -> str:
    bands = bands or {}
    to_confirm = sum(1 for m in a.matches for c in m.criteria if c.status == TO_CONFIRM)
    glance = ["At a glance"] + [f"  {s}" for s in at_a_glance(a, bands).sentences]
    parts = glance + [""] + _derived_lines(a) + [""] + _regimen_lines(a) + [""] + _risk_lines(a, bands)
    parts += ["", f"{to_confirm} administrative criteria to confirm across studies.",
              f"Evidence library {a.library.version}, digest {a.library.short_digest}.", DISCLAIMER]
    return "\n".join(parts)
