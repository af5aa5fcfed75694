"""What-if: two assessments side by side (scenario A, the case; scenario B, an edited copy).

Computed once here and rendered by the window: the case keys that differ, every study and regimen
whose status changed, the summaries of both, and the curves of the same model for both scenarios so
they can be overlaid. Typical uses: Child–Pugh A vs B, before vs after response, regional vs
non-regional nodes, planned dose A vs B.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from hccdecide.engine.assessment import Assessment
from hccdecide.engine.levels import PROTOCOL_LEVEL
from hccdecide.engine.plain_summary import Glance, at_a_glance, risk_curve
from hccdecide.engine.prognosis import CurveEstimate
from hccdecide.engine.serialize import curve_json
from hccdecide.engine.summary import _risk_lines as risk_lines  # the same lines as the case's own
from hccdecide.engine.summary import fmt_value
from hccdecide.patient import FIELDS
from hccdecide.variables import VARIABLES


@dataclass(frozen=True)
class Changed:
    key: str  # a case key, a study id or a regimen key
    label: str
    a: Any
    b: Any
    level_a: int | None = None  # regimens: the evidence level the status gives, in each scenario
    level_b: int | None = None

    @property
    def changed(self) -> bool:
        return (self.a, self.level_a) != (self.b, self.level_b)


@dataclass(frozen=True)
class WhatIf:
    a: Assessment
    b: Assessment
    inputs: tuple[Changed, ...]  # case keys whose values differ
    studies: tuple[Changed, ...]  # every study: a and b status (changed ones first)
    regimens: tuple[Changed, ...]  # every regimen: a and b status (changed ones first)
    glance_a: Glance
    glance_b: Glance
    curves: tuple[CurveEstimate | None, CurveEstimate | None]  # one model, both scenarios

    @property
    def changed_studies(self) -> tuple[Changed, ...]:
        return tuple(c for c in self.studies if c.changed)

    @property
    def changed_regimens(self) -> tuple[Changed, ...]:
        return tuple(c for c in self.regimens if c.changed)


def input_changes(a: Assessment, b: Assessment) -> tuple[Changed, ...]:
    va, vb = a.patient.values, b.patient.values
    # the case label names the scenario, not the patient's state: a renamed copy is no clinical change
    return tuple(Changed(f.key, VARIABLES[f.key].label, va.get(f.key), vb.get(f.key))
                 for f in FIELDS if f.key != "case_label" and va.get(f.key) != vb.get(f.key))


def _changed_first(items: list[Changed]) -> tuple[Changed, ...]:
    return tuple(sorted(items, key=lambda c: not c.changed))  # stable: rank order kept within each part


def study_changes(a: Assessment, b: Assessment) -> tuple[Changed, ...]:
    status_b = {m.study.id: m.status for m in b.matches}
    return _changed_first([Changed(m.study.id, m.study.short_name, m.status, status_b.get(m.study.id))
                           for m in a.matches])


def regimen_changes(a: Assessment, b: Assessment) -> tuple[Changed, ...]:
    in_b = {r.info.key: r for r in b.regimens}
    return _changed_first([Changed(r.info.key, r.info.name, r.status, in_b[r.info.key].status, r.best_level,
                                   in_b[r.info.key].best_level) for r in a.regimens if r.info.key in in_b])


def paired_curves(a: Assessment, b: Assessment) -> tuple[CurveEstimate | None, CurveEstimate | None]:
    """A's summary curve and the same model's curve for B (or B's own when A has none)."""
    ca = risk_curve(a)
    if ca is None:
        cb = risk_curve(b)
        ca = next((c for c in a.curves if cb is not None and c.study.id == cb.study.id
                   and c.model.id == cb.model.id and c.stage == cb.stage), None)
        return ca, cb
    cb = next((c for c in b.curves if c.study.id == ca.study.id and c.model.id == ca.model.id
               and c.stage == ca.stage), None)
    return ca, cb


def compare(a: Assessment, b: Assessment, bands_a: Mapping[int, Any] | None = None,
            bands_b: Mapping[int, Any] | None = None) -> WhatIf:
    return WhatIf(a, b, input_changes(a, b), study_changes(a, b), regimen_changes(a, b),
                  at_a_glance(a, bands_a or {}), at_a_glance(b, bands_b or {}), paired_curves(a, b))


def whatif_json(w: WhatIf, bands_b: Mapping[int, Any] | None = None) -> dict[str, Any]:
    """The comparison for ``assess --json`` (key ``whatif``): what differs, the statuses that changed,
    B's summary and B's individual estimates in the format of the assessment's ``risk[]``."""
    bands_b = bands_b or {}
    return {
        "inputs": [{"key": c.key, "label": c.label, "a": c.a, "b": c.b} for c in w.inputs],
        "studies": [{"id": c.key, "short_name": c.label, "a": c.a, "b": c.b} for c in w.changed_studies],
        "regimens": [{"key": c.key, "name": c.label, "a": c.a, "b": c.b, "level_a": c.level_a, "level_b": c.level_b}
                     for c in w.changed_regimens],
        "summary_b": list(w.glance_b.sentences),
        "risk_b": [curve_json(c, bands_b.get(i)) for i, c in enumerate(w.b.curves)],
    }


def whatif_text(w: WhatIf, bands_b: Mapping[int, Any] | None = None) -> str:
    """The comparison for ``assess`` on the terminal, printed after the case's own summary."""
    lines = ["What-if: scenario B (kept with the case) compared with the case (A)"]
    if w.inputs:
        lines.append("  B differs from the case in")
        lines += [f"    {c.label}{_unit(c.key)}: {_value(c.a)} → {_value(c.b)}" for c in w.inputs]
    else:
        lines.append("  B holds the same values as the case.")
    changed = [("regimen", c) for c in w.changed_regimens] + [("study", c) for c in w.changed_studies]
    if changed:
        lines.append("  Statuses that change from A to B")
        lines += [f"    {kind:7} {c.label}: {status_text(c.a, c.level_a)} → {status_text(c.b, c.level_b)}" for kind, c in changed]
    else:
        lines.append("  No regimen or study changes status between A and B.")
    lines += ["", "At a glance, scenario B"] + [f"  {s}" for s in w.glance_b.sentences]
    risk = risk_lines(w.b, dict(bands_b or {}))
    return "\n".join(lines + ["", f"{risk[0]}, scenario B"] + risk[1:])


def status_text(status: Any, level: int | None) -> str:
    """"uncertain, Level 1"; a regimen backed only by open protocols says so instead of a level."""
    if level is None:
        return str(status)
    return f"{status}, Level {level}" if level < PROTOCOL_LEVEL else f"{status}, protocol only"


def _unit(key: str) -> str:
    unit = VARIABLES[key].unit
    return f" ({unit})" if unit and unit != "grade" else ""


def _value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value) or "none"
    return fmt_value(value)
