"""Checks across an evidence record that the schema alone cannot make.

Each check returns (field path, reason) pairs; an empty list means the record is consistent with the
patient vocabulary, the regimen table and itself.
"""
from __future__ import annotations

import math
from typing import Iterator

from hccdecide.evidence.schema import AllOf, AnyOf, Condition, Op, Rule, Study
from hccdecide.patient import BOOLEAN, CHOICE, INTEGER, NUMBER, TEXT_LIST
from hccdecide.variables import BCLC_ALSO_BOUNDS, DOMAIN_OF, VARIABLES

_NUMERIC_OPS = {Op.LT, Op.LE, Op.GT, Op.GE, Op.BETWEEN, Op.EQ, Op.NE, Op.IN, Op.NOT_IN}
_OPS_BY_KIND = {
    NUMBER: _NUMERIC_OPS,
    INTEGER: _NUMERIC_OPS,
    BOOLEAN: {Op.IS_TRUE, Op.IS_FALSE},
    CHOICE: {Op.EQ, Op.NE, Op.IN, Op.NOT_IN},
    TEXT_LIST: {Op.CONTAINS_ANY},
}

Problem = tuple[str, str]


def iter_conditions(rule: Rule | None, path: str) -> Iterator[tuple[Condition, str]]:
    if rule is None:
        return
    if isinstance(rule, Condition):
        yield rule, path
    elif isinstance(rule, AnyOf):
        for i, sub in enumerate(rule.any_of):
            yield from iter_conditions(sub, f"{path}.any_of.{i}")
    elif isinstance(rule, AllOf):
        for i, sub in enumerate(rule.all_of):
            yield from iter_conditions(sub, f"{path}.all_of.{i}")


def check_condition(cond: Condition, path: str) -> list[Problem]:
    var = VARIABLES.get(cond.var)
    if var is None:
        return [(f"{path}.var", f"unknown variable {cond.var!r}")]
    problems: list[Problem] = []
    if cond.op not in _OPS_BY_KIND.get(var.kind, set()):
        problems.append((f"{path}.op", f"{cond.op.value!r} does not apply to {var.kind} variable {cond.var}"))
    if cond.unit != var.unit and var.kind in (NUMBER, INTEGER):
        problems.append((f"{path}.unit", f"{cond.var} is in {var.unit!r}, the rule says {cond.unit!r}"))
    problems += _value_types(cond, path, var.kind)
    if var.kind == CHOICE:
        values = cond.value if isinstance(cond.value, list) else [cond.value]
        bad = [v for v in values if v not in var.choices]
        if bad:
            problems.append((f"{path}.value", f"{bad} not among {list(var.choices)} for {cond.var}"))
    return problems


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _value_types(cond: Condition, path: str, kind: str) -> list[Problem]:
    """A rule's value has the type of its variable: numbers for a numeric one (``"5"`` and ``true``
    are not numbers), text codes for a list or choice; ``between`` runs low to high."""
    if cond.value is None:
        return []
    values = cond.value if isinstance(cond.value, list) else [cond.value]
    if kind in (NUMBER, INTEGER):
        bad = [v for v in values if not _is_number(v)]
        if bad:
            return [(f"{path}.value", f"{bad[0]!r} is not a number; {cond.var} is numeric")]
        if cond.op == Op.BETWEEN and values[0] > values[1]:
            return [(f"{path}.value", f"between needs [low, high], not {values}")]
    elif kind in (CHOICE, TEXT_LIST):
        bad = [v for v in values if not isinstance(v, str)]
        if bad:
            return [(f"{path}.value", f"{bad[0]!r} is not text; {cond.var} takes text codes")]
    return []


def _rules(study: Study) -> Iterator[tuple[Rule | None, str]]:
    for i, c in enumerate(study.criteria):
        yield c.rule, f"criteria.{i}({c.id}).rule"
    for m in study.prognostic_models:
        for j, f in enumerate(m.factors):
            yield f.present_when, f"prognostic_models.{m.id}.factors.{j}({f.id}).present_when"
    for s in study.subgroups:
        for j, level in enumerate(s.levels):
            yield level.present_when, f"subgroups.{s.id}.levels.{j}.present_when"


def check_rules(study: Study) -> list[Problem]:
    problems: list[Problem] = []
    for rule, path in _rules(study):
        for cond, cpath in iter_conditions(rule, path):
            problems += check_condition(cond, cpath)
    for i, b in enumerate(study.population_bounds):
        if b.var not in VARIABLES:
            problems.append((f"population_bounds.{i}.var", f"unknown variable {b.var!r}"))
    return problems


def check_regimens(study: Study, regimen_keys: set[str]) -> list[Problem]:
    problems = [(f"regimen_keys.{i}", f"unknown regimen {k!r}")
                for i, k in enumerate(study.regimen_keys) if k not in regimen_keys]
    for arm in study.arms:
        if arm.regimen_key is not None and arm.regimen_key not in regimen_keys:
            problems.append((f"arms.{arm.id}.regimen_key", f"unknown regimen {arm.regimen_key!r}"))
    return problems


def check_arm_sizes(study: Study) -> list[Problem]:
    """Arm sizes add up to n, unless a discrepancy entry explains the difference."""
    parts = [a for a in study.arms if a.n is not None and a.n != study.n]
    if study.n is None or len(parts) < 2:
        return []
    total = sum(a.n for a in parts)
    explained = any("arm" in d.topic.lower() or "size" in d.topic.lower() for d in study.discrepancies)
    if total != study.n and not explained:
        return [("arms", f"arm sizes add to {total}, not n = {study.n}, and no discrepancy explains it")]
    return []


def check_models(study: Study) -> list[Problem]:
    problems: list[Problem] = []
    defaults: dict[str, str] = {}
    for m in study.prognostic_models:
        if m.default:
            if m.endpoint in defaults:
                problems.append((f"prognostic_models.{m.id}.default",
                                 f"second default model for {m.endpoint} (first: {defaults[m.endpoint]})"))
            defaults[m.endpoint] = m.id
        for f in m.factors:
            where = f"prognostic_models.{m.id}.factors.{f.id}"
            stat_model = m.analysis == "multivariable_chi2_statistic"
            if stat_model != (f.statistic is not None):
                problems.append((f"{where}.statistic", "a chi-square-statistic model gives every factor a "
                                 "statistic (and only such a model does)"))
            if m.analysis == "multivariable_rr_no_ci" and f.ci is not None:
                problems.append((f"{where}.ci", "an RR-without-CI model carries no CI"))
            if m.analysis != "multivariable_rr_no_ci" and f.effect is not None and f.ci is None:
                problems.append((f"{where}.ci", "an HR without CI belongs in a *_no_ci analysis"))
            if m.calibrate_to_arm and f.prevalence is None:
                problems.append((f"{where}.prevalence", "a calibrated model needs every factor's prevalence"))
    return problems


def _bclc_admits_d(cond: Condition) -> bool:
    values = cond.value if isinstance(cond.value, list) else [cond.value]
    if cond.op in (Op.EQ, Op.IN):
        return "D" in values
    if cond.op in (Op.NE, Op.NOT_IN):
        return "D" not in values
    return True


def criterion_domains(rule: Rule | None) -> set[str]:
    """The core domains a rule bounds, read from the variables it tests (see variables.DOMAIN_OF)."""
    out: set[str] = set()
    for cond, _ in iter_conditions(rule, ""):
        if cond.var in DOMAIN_OF:
            out.add(DOMAIN_OF[cond.var])
        if cond.var == "bclc_stage" and not _bclc_admits_d(cond):
            out.update(BCLC_ALSO_BOUNDS)
    return out


def check_domains(study: Study) -> list[Problem]:
    """The recorded domain coverage agrees with the criteria: each listed criterion bounds its domain,
    and each criterion that bounds a domain is listed there."""
    problems: list[Problem] = []
    by_id = {c.id: c for c in study.criteria}
    for domain, cover in study.core_domains.items():
        for cid in cover.criteria:
            if cid in by_id and domain not in criterion_domains(by_id[cid].rule):
                problems.append((f"core_domains.{domain}", f"criterion {cid} tests no {domain} variable"))
    for c in study.criteria:
        for domain in sorted(criterion_domains(c.rule)):
            cover = study.core_domains.get(domain)
            if cover is None or c.id not in cover.criteria:
                problems.append((f"core_domains.{domain}", f"criterion {c.id} bounds {domain} but is not listed"))
    return problems


def check_pooled(study: Study) -> list[Problem]:
    """A meta-analysis says what it pools (its level depends on it); other designs pool nothing."""
    if study.design.value == "meta_analysis" and study.pooled is None:
        return [("pooled", "a meta-analysis needs 'pooled' (designs as the source states them, or [] "
                 "with the location saying they are not named)")]
    if study.design.value != "meta_analysis" and study.pooled is not None:
        return [("pooled", "only a meta-analysis pools studies")]
    return []


def check_study(study: Study, regimen_keys: set[str]) -> list[Problem]:
    return (check_rules(study) + check_regimens(study, regimen_keys) + check_arm_sizes(study)
            + check_models(study) + check_domains(study) + check_pooled(study))
