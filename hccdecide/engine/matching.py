"""Eligibility: each criterion met / not met / unknown, with a reason naming the value and threshold.

A study is *eligible* when every clinical criterion is met, *ineligible* when any is not met, and
*uncertain* otherwise (the unknown items named). Administrative criteria are listed "to confirm" and
never decide the status.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from hccdecide.engine.derive import Derived
from hccdecide.evidence.schema import AnyOf, Bound, Condition, Criterion, Op, Rule, Study
from hccdecide.variables import VARIABLES

MET, NOT_MET, UNKNOWN, TO_CONFIRM = "met", "not_met", "unknown", "to_confirm"
ELIGIBLE, INELIGIBLE, UNCERTAIN = "eligible", "ineligible", "uncertain"

_OP_TEXT = {Op.EQ: "=", Op.NE: "≠", Op.LT: "<", Op.LE: "≤", Op.GT: ">", Op.GE: "≥",
            Op.IN: "one of", Op.NOT_IN: "not one of", Op.BETWEEN: "between",
            Op.IS_TRUE: "yes", Op.IS_FALSE: "no", Op.CONTAINS_ANY: "includes any of"}


@dataclass(frozen=True)
class Verdict:
    status: str  # met | not_met | unknown
    reason: str
    unknown_vars: tuple[str, ...] = ()


def _fmt_value(value: Any, unit: str = "", extra_digits: int = 0) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        digits = (3 if abs(value) < 10 else 4) + extra_digits
        text = f"{value:.{digits}g}"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    if unit == "xULN":
        return f"{text}× ULN"
    return f"{text} {unit}".strip()


def _fmt_actual(actual: Any, cond: Condition, unit: str) -> str:
    """Show the patient's value; a number that rounds onto the threshold gets more digits."""
    shown = _fmt_value(actual, unit)
    if isinstance(actual, float) and isinstance(cond.value, (int, float)) and actual != cond.value:
        if shown == _fmt_value(float(cond.value), unit):
            shown = _fmt_value(actual, unit, extra_digits=3)
    return shown


def requirement_text(cond: Condition) -> str:
    label = VARIABLES[cond.var].label
    if cond.op in (Op.IS_TRUE, Op.IS_FALSE):
        return f"{label}: {_OP_TEXT[cond.op]}"
    if cond.op == Op.BETWEEN:
        lo, hi = cond.value
        return f"{label} {_fmt_value(lo)}–{_fmt_value(hi, cond.unit)}"
    return f"{label} {_OP_TEXT[cond.op]} {_fmt_value(cond.value, cond.unit)}"


def _test(op: Op, actual: Any, target: Any) -> bool:
    if op == Op.IS_TRUE:
        return actual is True
    if op == Op.IS_FALSE:
        return actual is False
    if op == Op.EQ:
        return actual == target
    if op == Op.NE:
        return actual != target
    if op == Op.IN:
        return actual in target
    if op == Op.NOT_IN:
        return actual not in target
    if op == Op.CONTAINS_ANY:
        return bool(set(actual) & set(target))
    if op == Op.BETWEEN:
        return target[0] <= actual <= target[1]
    return {Op.LT: actual < target, Op.LE: actual <= target,
            Op.GT: actual > target, Op.GE: actual >= target}[op]


def evaluate_condition(cond: Condition, facts: Mapping[str, Any]) -> Verdict:
    requirement = requirement_text(cond)
    actual = facts.get(cond.var)
    if actual is None:
        return Verdict(UNKNOWN, f"{VARIABLES[cond.var].label} unknown (needs {requirement})", (cond.var,))
    ok = _test(cond.op, actual, cond.value)
    shown = _fmt_actual(actual, cond, VARIABLES[cond.var].unit)
    return Verdict(MET if ok else NOT_MET, f"{VARIABLES[cond.var].label} {shown}; requires {requirement}")


def evaluate_rule(rule: Rule, facts: Mapping[str, Any]) -> Verdict:
    """Three-valued evaluation: any_of is met if one part is met, all_of fails if one part fails."""
    if isinstance(rule, Condition):
        return evaluate_condition(rule, facts)
    parts = [evaluate_rule(r, facts) for r in (rule.any_of if isinstance(rule, AnyOf) else rule.all_of)]
    decisive, other = (MET, NOT_MET) if isinstance(rule, AnyOf) else (NOT_MET, MET)
    hits = [p for p in parts if p.status == decisive]
    if hits:
        return Verdict(decisive, "; ".join(p.reason for p in hits))
    unknown = [p for p in parts if p.status == UNKNOWN]
    if unknown:
        joiner = " or " if isinstance(rule, AnyOf) else " and "
        return Verdict(UNKNOWN, joiner.join(p.reason for p in unknown),
                       tuple(v for p in unknown for v in p.unknown_vars))
    return Verdict(other, "; ".join(p.reason for p in parts))


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    status: str  # met | not_met | unknown | to_confirm
    reason: str
    unknown_vars: tuple[str, ...] = ()


@dataclass(frozen=True)
class StudyMatch:
    study: Study
    status: str  # eligible | ineligible | uncertain
    criteria: tuple[CriterionResult, ...]
    warnings: tuple[str, ...] = ()

    def with_status(self, status: str) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status == status)

    @property
    def missing(self) -> tuple[str, ...]:
        """Variables whose values would settle the unknown criteria."""
        return tuple(dict.fromkeys(v for c in self.criteria for v in c.unknown_vars))


def evaluate_criterion(criterion: Criterion, facts: Mapping[str, Any]) -> CriterionResult:
    if criterion.administrative or criterion.rule is None:
        return CriterionResult(criterion, TO_CONFIRM, "not decidable from patient data; confirm")
    verdict = evaluate_rule(criterion.rule, facts)
    return CriterionResult(criterion, verdict.status, verdict.reason, verdict.unknown_vars)


def study_status(results: tuple[CriterionResult, ...]) -> str:
    statuses = {r.status for r in results}
    if NOT_MET in statuses:
        return INELIGIBLE
    if UNKNOWN in statuses:
        return UNCERTAIN
    return ELIGIBLE


def population_warnings(bounds: list[Bound], facts: Mapping[str, Any]) -> tuple[str, ...]:
    out = []
    for b in bounds:
        value = facts.get(b.var)
        if value is None:
            continue
        if (b.low is not None and value < b.low) or (b.high is not None and value > b.high):
            label = VARIABLES[b.var].label
            out.append(f"{label} {_fmt_value(value, VARIABLES[b.var].unit)} lies outside the range "
                       f"treated in the study ({_fmt_value(b.low)}–{_fmt_value(b.high)}; {b.location})")
    return tuple(out)


NO_CHECKABLE_CRITERIA = ("the source gives no patient-level criterion that can be checked, "
                         "so whether this patient fits cannot be judged from the data")


def rule_vars(rule: Rule) -> frozenset[str]:
    if isinstance(rule, Condition):
        return frozenset((rule.var,))
    parts = rule.any_of if isinstance(rule, AnyOf) else rule.all_of
    return frozenset().union(*(rule_vars(p) for p in parts))


def _unsettle_conflicts(result: CriterionResult, derived: Derived) -> CriterionResult:
    """A criterion that reads an entry in conflict is not decided from either side of it."""
    if result.status not in (MET, NOT_MET) or result.criterion.rule is None:
        return result
    conflicted = derived.conflicted
    hit = [conflicted[v] for v in sorted(rule_vars(result.criterion.rule)) if v in conflicted]
    if not hit:
        return result
    note = hit[0]
    return CriterionResult(result.criterion, UNKNOWN, f"conflicting entries: {note.text} (would be "
                           f"{result.status.replace('_', ' ')} as entered)", note.fields)


def match_study(study: Study, derived: Derived) -> StudyMatch:
    results = tuple(_unsettle_conflicts(evaluate_criterion(c, derived.facts), derived) for c in study.criteria)
    warnings = population_warnings(study.population_bounds, derived.facts)
    status = study_status(results)
    if all(r.status == TO_CONFIRM for r in results):
        # "eligible" would claim a fit nothing was checked against
        status, warnings = UNCERTAIN, (NO_CHECKABLE_CRITERIA, *warnings)
    return StudyMatch(study, status, results, warnings)
