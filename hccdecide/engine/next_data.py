"""Next data to enter: the unknown case keys ranked by how many uncertain items each would settle.

An *item* is a study whose status is uncertain because patient data are missing, or a default
before-treatment risk model whose stratum is a range because a factor is unknown. A key *settles* an
item when, for every value tried (each choice, true and false, every whole number of a short scale,
values either side of each threshold the library uses, and a spread over the plausible range), the
item is no longer uncertain. A key that resolves an item for some values only *may settle* it.
Ranking: settles, then may settle, then form order.

Only matching and stratification are re-run (no curves, no bands), so the ranking is cheap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from hccdecide.engine.assessment import Assessment
from hccdecide.engine.derive import derive
from hccdecide.engine.matching import UNCERTAIN, match_study
from hccdecide.engine.prognosis import BASELINE, stratum_for
from hccdecide.evidence.library import Library
from hccdecide.evidence.schema import AnyOf, Condition, Rule
from hccdecide.patient import BOOLEAN, CHOICE, FIELDS, INTEGER, NUMBER, FieldSpec, Patient
from hccdecide.variables import VARIABLES

SHOWN_IN_SUMMARY = 3
SPREAD_POINTS = 9  # values across a numeric field's plausible range besides the thresholds


@dataclass(frozen=True)
class NextData:
    key: str  # a documented case key
    label: str
    studies: tuple[str, ...]  # study ids settled whatever the value
    risk_models: tuple[str, ...]  # "study/model" whose stratum is settled whatever the value
    may_settle: tuple[str, ...]  # study ids or study/model settled for some values only

    @property
    def settles(self) -> int:
        return len(self.studies) + len(self.risk_models)


def _conditions(rule: Rule | None) -> Iterable[Condition]:
    if rule is None:
        return
    if isinstance(rule, Condition):
        yield rule
        return
    for part in rule.any_of if isinstance(rule, AnyOf) else rule.all_of:
        yield from _conditions(part)


_THRESHOLDS: dict[str, dict[str, tuple[float, ...]]] = {}  # keyed by library digest


def _thresholds(library: Library) -> dict[str, tuple[float, ...]]:
    """Numeric values that criteria and factors compare each case key with directly."""
    if library.digest not in _THRESHOLDS:
        _THRESHOLDS[library.digest] = _collect_thresholds(library)
    return _THRESHOLDS[library.digest]


def _collect_thresholds(library: Library) -> dict[str, tuple[float, ...]]:
    rules = [c.rule for s in library.studies for c in s.criteria]
    rules += [f.present_when for s in library.studies for m in s.prognostic_models for f in m.factors]
    out: dict[str, set[float]] = {}
    for rule in rules:
        for cond in _conditions(rule):
            values = cond.value if isinstance(cond.value, (list, tuple)) else [cond.value]
            for v in values:
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    out.setdefault(cond.var, set()).add(float(v))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _numeric_values(spec: FieldSpec, thresholds: tuple[float, ...]) -> list[float | int]:
    low, high = float(spec.low), float(spec.high)
    if spec.kind == INTEGER and high - low <= 12:
        return list(range(int(low), int(high) + 1))
    spread = (np.geomspace(max(low, 1e-3), high, SPREAD_POINTS) if low >= 0 and high / max(low, 1e-3) > 100
              else np.linspace(low, high, SPREAD_POINTS))
    step = 1.0 if spec.kind == INTEGER else max(1e-3, 1e-3 * (high - low))
    near = [t + d for t in thresholds for d in (-step, 0.0, step)]
    values = sorted({min(high, max(low, float(v))) for v in [low, high, *spread, *near]})
    if spec.kind == INTEGER:
        return sorted({int(round(v)) for v in values})
    return [round(v, 6) for v in values]


def candidate_values(spec: FieldSpec, library: Library) -> list[Any]:
    """The values tried for ``spec``; empty for kinds that are not tried (text, station lists)."""
    if spec.kind == BOOLEAN:
        return [True, False]
    if spec.kind == CHOICE:
        return list(spec.choices)
    if spec.kind in (NUMBER, INTEGER):
        return _numeric_values(spec, _thresholds(library).get(spec.key, ()))
    return []


def _open_items(a: Assessment) -> tuple[dict[str, Any], dict[str, Any]]:
    studies = {m.study.id: m.study for m in a.matches if m.status == UNCERTAIN and m.missing}
    models = {f"{c.study.id}/{c.model.id}": c for c in a.curves
              if c.stage == BASELINE and c.model.default and len(c.stratum.possible) > 1}
    return studies, models


def _still_missing(m) -> bool:
    return m.status == UNCERTAIN and bool(m.missing)


def _resolved(patient: Patient, studies: dict, models: dict) -> set[str]:
    derived = derive(patient)
    # settled when no patient data is missing any more (a study may stay uncertain for criteria its
    # source does not report, which no entry can settle)
    done = {sid for sid, study in studies.items() if not _still_missing(match_study(study, derived))}
    for item, curve in models.items():
        stratum = stratum_for(curve.study, curve.model, derived.facts)
        if stratum is not None and len(stratum.possible) == 1:
            done.add(item)
    return done


def _relevant_vars(studies: dict, models: dict, a: Assessment) -> set[str]:
    out = {v for sid in studies for v in a.match(sid).missing}
    for curve in models.values():
        out |= {v for s in curve.states if s.present is None for v in _vars_of(s.factor.present_when)}
    return out


def _vars_of(rule: Rule | None) -> set[str]:
    return {c.var for c in _conditions(rule)}


def _may_matter(spec: FieldSpec, values: list[Any], patient: Patient, relevant: set[str]) -> bool:
    """Cheap pre-check: does any tried value change a variable an open item waits for?"""
    if spec.key in relevant:
        return True
    before = derive(patient).facts
    for value in values[:: max(1, len(values) // 4)] + values[-1:]:
        after = derive(patient.replace(**{spec.key: value})).facts
        if any(after.get(v) != before.get(v) for v in relevant):
            return True
    return False


def _tried_fields(patient: Patient) -> Iterable[FieldSpec]:
    return (f for f in FIELDS if not f.identifying and not patient.known(f.key))


def next_data(a: Assessment) -> tuple[NextData, ...]:
    """Unknown case keys that would settle or may settle an uncertain item, most useful first."""
    studies, models = _open_items(a)
    if not studies and not models:
        return ()
    relevant = _relevant_vars(studies, models, a)
    ranked = []
    for order, spec in enumerate(_tried_fields(a.patient)):
        values = candidate_values(spec, a.library)
        if not values or not _may_matter(spec, values, a.patient, relevant):
            continue
        per_value = [_resolved(a.patient.replace(**{spec.key: v}), studies, models) for v in values]
        always = set.intersection(*per_value)
        sometimes = set.union(*per_value) - always
        if always or sometimes:
            item = NextData(spec.key, VARIABLES[spec.key].label,
                            tuple(i for i in studies if i in always), tuple(i for i in models if i in always),
                            tuple(sorted(sometimes)))
            ranked.append((-item.settles, -len(item.may_settle), order, item))
    return tuple(r[-1] for r in sorted(ranked, key=lambda r: r[:3]))


def next_data_json(items: Iterable[NextData]) -> list[dict[str, Any]]:
    return [{"key": i.key, "label": i.label, "settles": i.settles, "studies": list(i.studies),
             "risk_models": list(i.risk_models), "may_settle": list(i.may_settle)} for i in items]
