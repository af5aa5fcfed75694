"""Next data to enter: the unknown case keys ranked by how many uncertain items each would settle.

An *item* is a study whose status is uncertain because patient data are missing, or a default
before-treatment risk model whose stratum is a range because a factor is unknown. A key *settles* an
item when, for every value tried (each choice, true and false, every whole number of a short scale,
values either side of each threshold the library uses, and a spread over the plausible range), the
item is no longer uncertain. A key that resolves an item for some values only *may settle* it. A
value that contradicts the case (a conflict note naming the key) is no answer and is not tried.

Ranking follows what the clinician gains: first the uncertain regimens that a key decides (eligible or
ineligible) whatever the value, then those it decides for some values (a key that can only close a minor option ranks below
one that decides a regimen higher in the list: ties go to the best-ranked regimen affected), then the
studies settled, then the risk groups settled, then what may be settled, then form order.

Only matching and stratification are re-run (no curves, no bands), so the ranking is cheap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np

from hccdecide.engine.assessment import Assessment
from hccdecide.engine.derive import derive
from hccdecide.engine.matching import UNCERTAIN, match_study
from hccdecide.engine.regimens import STATUS_RANK
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
    regimens: tuple[str, ...] = ()  # uncertain regimens decided whatever the value
    regimens_may_change: tuple[str, ...] = ()  # uncertain regimens decided for some values only
    best_regimen_rank: int = 10_000  # position in the regimen list of the best-ranked regimen affected

    @property
    def settles(self) -> int:
        return len(self.studies) + len(self.risk_models)

    @property
    def rank_key(self) -> tuple:
        return (-len(self.regimens), -len(self.regimens_may_change), self.best_regimen_rank,
                -len(self.studies), -len(self.risk_models), -len(self.may_settle))


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
    # a model that does not apply to the patient (a study he fails) has no stratum worth settling
    models = {f"{c.study.id}/{c.model.id}": c for c in a.curves
              if c.stage == BASELINE and c.model.default and c.applicable and len(c.stratum.possible) > 1}
    return studies, models


def _still_missing(m) -> bool:
    return m.status == UNCERTAIN and bool(m.missing)


def regimen_status(statuses: dict[str, str], matches: Iterable) -> str:
    """A regimen's status from its studies' statuses, as RegimenResult.status reads them."""
    reported = [m.study.id for m in matches if not m.study.is_protocol] or [m.study.id for m in matches]
    return min((statuses[sid] for sid in reported), key=STATUS_RANK.__getitem__)


def contradicts(patient: Patient, key: str) -> bool:
    """Whether the value of ``key`` conflicts with the rest of the case: such a value is no answer."""
    return any(n.kind == "conflict" and key in n.fields for n in derive(patient).notes)


def _resolved(patient: Patient, key: str, studies: dict, models: dict):
    """Items settled for this patient, and the new status of each open study; None when the value of
    ``key`` contradicts the case."""
    derived = derive(patient)
    if any(n.kind == "conflict" and key in n.fields for n in derived.notes):
        return None
    # only a study with missing data can change with a consistent entry: the others keep their status
    matches = {sid: match_study(study, derived) for sid, study in studies.items()}
    statuses = {sid: m.status for sid, m in matches.items()}
    # settled when no patient data is missing any more (a study may stay uncertain for criteria its
    # source does not report, which no entry can settle)
    done = {sid for sid, m in matches.items() if not _still_missing(m)}
    for item, curve in models.items():
        stratum = stratum_for(curve.study, curve.model, derived.facts)
        if stratum is not None and len(stratum.possible) == 1:
            done.add(item)
    return done, statuses


def _watched(a: Assessment, studies: dict) -> list:
    """(position, regimen) of the regimens an open study belongs to."""
    return [(i, r) for i, r in enumerate(a.regimens) if any(m.study.id in studies for m in r.matches)]


def _regimen_changes(a: Assessment, regimens: list, per_value: list[dict[str, str]]):
    current = {m.study.id: m.status for m in a.matches}
    always, sometimes, ranks = [], [], []
    for rank, r in regimens:
        if r.status != UNCERTAIN:  # a decided regimen gains nothing (an entry can only add doubt to it)
            continue
        changed = [regimen_status({**current, **v}, r.matches) != UNCERTAIN for v in per_value]
        if all(changed):
            always.append(r.info.key)
        elif any(changed):
            sometimes.append(r.info.key)
        if any(changed):
            ranks.append(rank)
    return tuple(always), tuple(sometimes), min(ranks, default=10_000)


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
    """Unknown fields a clinician can enter; the detail of a finding (the nodal volume) only once the
    finding is entered as present: before that, any value of it would only say that nodes exist."""
    return (f for f in FIELDS if not f.identifying and not patient.known(f.key)
            and (f.detail_of is None or patient.values.get(f.detail_of) is True))


class RankingStopped(Exception):
    """The ranking was stopped before it finished (its patient has changed)."""


def next_data(a: Assessment, stop: Callable[[], bool] | None = None) -> tuple[NextData, ...]:
    """Unknown case keys that would settle or may settle an uncertain item, most useful first.

    ``stop`` is asked before each value is tried; when it answers True, :class:`RankingStopped` is
    raised (a GUI stops a ranking for a patient that has just been edited)."""
    def tried(key: str, value: Any):
        if stop is not None and stop():
            raise RankingStopped
        return _resolved(a.patient.replace(**{key: value}), key, studies, models)

    studies, models = _open_items(a)
    if not studies and not models:
        return ()
    relevant = _relevant_vars(studies, models, a)
    regimens = _watched(a, studies)
    ranked = []
    for order, spec in enumerate(_tried_fields(a.patient)):
        values = candidate_values(spec, a.library)
        if not values or not _may_matter(spec, values, a.patient, relevant):
            continue
        # a value that contradicts the case (e.g. "untreated" after systemic therapy) is not an answer
        results = [r for r in (tried(spec.key, v) for v in values) if r is not None]
        if not results:
            continue
        done = [d for d, _ in results]
        always = set.intersection(*done)
        sometimes = set.union(*done) - always
        if always or sometimes:
            changes, may_change, best = _regimen_changes(a, regimens, [st for _, st in results])
            item = NextData(spec.key, VARIABLES[spec.key].label,
                            tuple(i for i in studies if i in always), tuple(i for i in models if i in always),
                            tuple(sorted(sometimes)), changes, may_change, best)
            ranked.append((item.rank_key, order, item))
    return tuple(r[-1] for r in sorted(ranked, key=lambda r: r[:2]))


def next_data_json(items: Iterable[NextData]) -> list[dict[str, Any]]:
    return [{"key": i.key, "label": i.label, "settles": i.settles, "studies": list(i.studies),
             "risk_models": list(i.risk_models), "may_settle": list(i.may_settle),
             "regimens": list(i.regimens), "regimens_may_change": list(i.regimens_may_change)} for i in items]
