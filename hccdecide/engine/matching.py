"""Eligibility: each criterion met / not met / unknown, with a reason naming the value and threshold.

A study is *ineligible* when any clinical criterion is not met. It is *eligible* only when every
clinical criterion is met **and** the met criteria cover every core domain (liver function,
performance status, disease extent, treatment setting) or the source states the domain unrestricted,
**and** no clinical gate is open (Child–Pugh C, ECOG >= 3, BCLC D) that no met criterion admits.
Otherwise it is *uncertain*, of one or both kinds, listed in this order:

- ``missing_data``: patient entries are unknown (or in conflict); entering the named fields settles it;
- ``to_judge``: a fact rests on a judgement no entry records (stage C from ECOG 1-2 alone, which holds
  only when the cancer causes it); the clinician's confirmation settles it;
- ``unreported_criteria``: the source reports no criterion for a domain (or none admitting the gated
  patient), or says it has criteria it does not print (``unavailable_criteria``, e.g. a list kept in a
  supplement the source lacks); nothing the clinician enters can settle it.

Administrative criteria are listed "to confirm" and never decide the status.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from hccdecide.engine.derive import POSSIBLE, POSSIBLE_WHY, Derived, entries_to_make
from hccdecide.engine.dose_check import dose_flags
from hccdecide.engine.read_memo import ReadMemo
from hccdecide.engine.vocabulary import ELIGIBLE, INELIGIBLE, MET, NOT_MET, TO_CONFIRM, UNCERTAIN, UNKNOWN  # noqa: F401
from hccdecide.evidence.schema import AnyOf, Bound, Condition, Criterion, Op, Rule, Study
from hccdecide.variables import CORE_DOMAINS, DOMAIN_LABEL, SETTING, VARIABLES, choice_text

MISSING_DATA, UNREPORTED_CRITERIA = "missing_data", "unreported_criteria"
# A criterion that rests on a judgement no entry records (stage C from ECOG 1-2 alone holds only when
# the cancer causes the impairment): the clinician confirms it; the source does report the criterion.
TO_JUDGE = "to_judge"

_OP_TEXT = {Op.EQ: "=", Op.NE: "≠", Op.LT: "<", Op.LE: "≤", Op.GT: ">", Op.GE: "≥",
            Op.IN: "one of", Op.NOT_IN: "not one of", Op.BETWEEN: "between",
            Op.IS_TRUE: "yes", Op.IS_FALSE: "no", Op.CONTAINS_ANY: "includes any of"}


@dataclass(frozen=True)
class Verdict:
    status: str  # met | not_met | unknown
    reason: str
    unknown_vars: tuple[str, ...] = ()
    to_judge: tuple[str, ...] = ()  # judgements that would decide it, in plain words


def _fmt_value(value: Any, unit: str = "", extra_digits: int = 0) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        digits = (3 if abs(value) < 10 else 4) + extra_digits
        text = f"{value:.{digits}g}"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(choice_text(v) for v in value)
    else:
        text = choice_text(value)
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
        return _evaluate_unknown(cond, facts, requirement)
    why = facts.get(POSSIBLE_WHY, {}).get(cond.var)
    if why:
        return _evaluate_judged(cond, facts, requirement, actual, why)
    ok = _test(cond.op, actual, cond.value)
    shown = _fmt_actual(actual, cond, VARIABLES[cond.var].unit)
    return Verdict(MET if ok else NOT_MET, f"{VARIABLES[cond.var].label} {shown}; requires {requirement}")


def _evaluate_unknown(cond: Condition, facts: Mapping[str, Any], requirement: str) -> Verdict:
    """An unknown fact still decides a criterion when every value it can take gives the same answer
    (BCLC "C unless Child-Pugh makes it D" fails "BCLC A or B" whatever the labs are)."""
    label = VARIABLES[cond.var].label
    options = facts.get(POSSIBLE, {}).get(cond.var, ())
    answers = {_test(cond.op, o, cond.value) for o in options}
    if len(answers) != 1:
        return Verdict(UNKNOWN, f"{label} unknown (needs {requirement})", (cond.var,))
    shown = " or ".join(_fmt_actual(o, cond, VARIABLES[cond.var].unit) for o in options)
    status = MET if answers == {True} else NOT_MET
    return Verdict(status, f"{label} {shown} (not yet decided, but every possibility gives the same "
                           f"answer); requires {requirement}")


def _evaluate_judged(cond: Condition, facts: Mapping[str, Any], requirement: str, actual: Any,
                     why: str) -> Verdict:
    """A fact that rests on a judgement no entry records (stage C from ECOG 1-2 alone) decides a
    criterion only when every value it could take gives the same answer; otherwise it is to judge."""
    label = VARIABLES[cond.var].label
    options = facts.get(POSSIBLE, {}).get(cond.var, (actual,))
    answers = {_test(cond.op, o, cond.value) for o in options}
    shown = _fmt_actual(actual, cond, VARIABLES[cond.var].unit)
    if len(answers) == 1:
        status = MET if answers == {True} else NOT_MET
        return Verdict(status, f"{label} {shown} ({why}; each gives the same answer); requires {requirement}")
    return Verdict(UNKNOWN, f"{label} {shown}, to confirm: {why}; requires {requirement}", (), (why,))


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
                       tuple(v for p in unknown for v in p.unknown_vars),
                       tuple(dict.fromkeys(j for p in unknown for j in p.to_judge)))
    return Verdict(other, "; ".join(p.reason for p in parts))


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    status: str  # met | not_met | unknown | to_confirm
    reason: str
    unknown_vars: tuple[str, ...] = ()
    to_judge: tuple[str, ...] = ()  # judgements that would decide it, in plain words
    in_conflict: tuple[str, ...] = ()  # entered fields set against each other, which leave it unknown


@dataclass(frozen=True)
class Gate:
    """A patient beyond what most studies treat; a study may be eligible only if a met criterion of
    its own tests the gated variable (and so admits such a patient)."""

    key: str
    label: str  # "Child–Pugh C", "ECOG 3 or more", "BCLC D"
    variables: tuple[str, ...]


GATES = (Gate("child_pugh_c", "Child–Pugh C liver function", ("child_pugh_class", "child_pugh_score")),
         Gate("ecog_3_plus", "ECOG performance status 3 or 4", ("ecog", "kps")),
         # BCLC D is end-stage liver function or ECOG 3-4: a met criterion on either admits it too (the
         # Child-Pugh C and ECOG gates still apply on their own)
         Gate("bclc_d", "BCLC stage D", ("bclc_stage", "child_pugh_class", "child_pugh_score", "ecog", "kps")))


def open_gates(facts: Mapping[str, Any]) -> tuple[Gate, ...]:
    ecog = facts.get("ecog")
    is_open = {"child_pugh_c": facts.get("child_pugh_class") == "C",
               "ecog_3_plus": ecog is not None and ecog >= 3,
               "bclc_d": facts.get("bclc_stage") == "D"}
    return tuple(g for g in GATES if is_open[g.key])


@dataclass(frozen=True)
class StudyMatch:
    study: Study
    status: str  # eligible | ineligible | uncertain
    criteria: tuple[CriterionResult, ...]
    warnings: tuple[str, ...] = ()
    unreported_domains: tuple[str, ...] = ()  # core domains no met criterion (nor the source) settles
    unadmitted_gates: tuple[Gate, ...] = ()  # open gates no met criterion of this study admits
    dose_flags: tuple[str, ...] = ()  # the planned course outside the study's dose (never decides status)
    # unadmitted gates that only a cohort description covers, with that description
    gate_descriptions: tuple[tuple[Gate, Criterion], ...] = ()
    # the case entries still to make for the unknown criteria (the entries behind a derived value, not
    # the fields in conflict); None when not worked out
    entries: tuple[str, ...] | None = None

    @property
    def unavailable_criteria(self) -> tuple[str, ...]:
        """Criteria the source has but does not print, in words with where it says so."""
        return tuple(f"its {u.what} ({u.why}; {u.location})" for u in self.study.unavailable_criteria)

    @property
    def uncertain_kinds(self) -> tuple[dict[str, Any], ...]:
        """Why an uncertain study is uncertain: missing data first (the clinician can act on it), then
        criteria the source does not report."""
        if self.status != UNCERTAIN:
            return ()
        out: list[dict[str, Any]] = []
        if self.missing:
            out.append({"kind": MISSING_DATA, "fields": list(self.missing)})
        if self.to_judge:
            out.append({"kind": TO_JUDGE, "questions": list(self.to_judge)})
        if self.unreported_domains or self.unadmitted_gates or self.unavailable_criteria:
            kind = {"kind": UNREPORTED_CRITERIA, "domains": list(self.unreported_domains),
                    "gates": [g.label for g in self.unadmitted_gates]}
            if self.unavailable_criteria:
                kind["unavailable"] = list(self.unavailable_criteria)
            if self.gate_descriptions:
                kind["gates_only_described"] = [{"gate": g.label, "criterion": c.id, "location": c.location,
                                                 "cohort_count": c.cohort_count or None}
                                                for g, c in self.gate_descriptions]
            out.append(kind)
        return tuple(out)

    def _domain_text(self, domain: str) -> str:
        cover = self.study.core_domains.get(domain)
        if domain == SETTING and cover is not None and cover.criteria:
            what = "systemic therapy" if gives_systemic_therapy(self.study) else "treatment"
            return (f"its line-of-therapy criterion (the review's major criteria say nothing of previous {what} "
                    "for a patient like this)")
        return f"its {DOMAIN_LABEL[domain]} criterion"

    def gate_text(self, gate: Gate) -> str:
        described = {g.key: c for g, c in self.gate_descriptions}
        c = described.get(gate.key)
        if c is not None and c.cohort_count:
            return (f"whether it admits {gate.label}: only its cohort description includes such patients "
                    f"({description_text(c)}), which is no inclusion criterion")
        if c is not None:
            return (f"whether it treated {gate.label} (its cohort description does not exclude such patients "
                    "but does not say whether any were treated)")
        return f"whether it treated {gate.label}"

    @property
    def checked_count(self) -> int:
        """Criteria decided against the patient's data (met or not met)."""
        return sum(1 for c in self.criteria if c.status in (MET, NOT_MET))

    @property
    def to_confirm_count(self) -> int:
        return sum(1 for c in self.criteria if c.status == TO_CONFIRM)

    @property
    def counts_text(self) -> str:
        unknown = len(self.with_status(UNKNOWN))
        parts = [f"{self.checked_count} checked"] + ([f"{unknown} unknown"] if unknown else [])
        return ", ".join(parts + [f"{self.to_confirm_count} to confirm"])

    @property
    def uncertain_text(self) -> str:
        """Plain words for each kind of uncertainty, missing data first."""
        out = []
        for kind in self.uncertain_kinds:
            if kind["kind"] == MISSING_DATA:
                out.append("missing data: " + self.data_text)
            elif kind["kind"] == TO_JUDGE:
                out.append("to confirm: " + "; ".join(kind["questions"]))
            else:
                what = [self._domain_text(d) for d in kind["domains"]]
                what += [self.gate_text(g) for g in self.unadmitted_gates]
                what += list(self.unavailable_criteria)
                out.append("not reported by the source: " + "; ".join(what))
        return " · ".join(out)

    def with_status(self, status: str) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status == status)

    def findings(self, *statuses: str) -> tuple[CriterionResult, ...]:
        """Criteria with these statuses, each reason once: a setting that requires resectability and a
        criterion that is resectability fail on the same value, one finding where only reasons are read."""
        seen: set[str] = set()
        out = []
        for c in self.criteria:
            if c.status in statuses and c.reason not in seen:
                seen.add(c.reason)
                out.append(c)
        return tuple(out)

    @property
    def to_judge(self) -> tuple[str, ...]:
        """Judgements no entry records that would settle the unknown criteria."""
        return tuple(dict.fromkeys(j for c in self.criteria if c.status == UNKNOWN for j in c.to_judge))

    @property
    def missing(self) -> tuple[str, ...]:
        """Variables whose values would settle the unknown criteria."""
        return tuple(dict.fromkeys(v for c in self.criteria for v in c.unknown_vars))

    @property
    def entries_or_missing(self) -> tuple[str, ...]:
        """The case entries to make, or the variables when the entries were not worked out."""
        return self.missing if self.entries is None else self.entries

    @property
    def data_text(self) -> str:
        """What the clinician can do about the missing data: the entries to make, the conflicts to resolve."""
        parts = [f"enter {_labels(self.entries_or_missing)}"] if self.entries_or_missing else []
        if self.in_conflict:
            parts.append(f"resolve the conflicting entries {_labels(self.in_conflict)}")
        return "; ".join(parts)

    @property
    def in_conflict(self) -> tuple[str, ...]:
        """Entered fields whose conflict leaves a criterion unknown: to resolve, not to enter."""
        return tuple(dict.fromkeys(f for c in self.criteria if c.status == UNKNOWN for f in c.in_conflict))


def _labels(keys: tuple[str, ...]) -> str:
    return ", ".join(VARIABLES[v].label for v in keys)


def evaluate_criterion(criterion: Criterion, facts: Mapping[str, Any]) -> CriterionResult:
    if criterion.administrative or criterion.rule is None:
        return CriterionResult(criterion, TO_CONFIRM, "not decidable from patient data; confirm")
    verdict = evaluate_rule(criterion.rule, facts)
    return CriterionResult(criterion, verdict.status, verdict.reason, verdict.unknown_vars, verdict.to_judge)


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


# Every study except an adjuvant one aims its treatment at a lesion, so the patient must have one now.
# A study is adjuvant when one of its criteria reads residual disease (after a resection that left
# none): its target is the resection bed, not a lesion.
TARGET_LESION = Criterion(
    id="has_target_lesion", label="A lesion to treat now (the study's treatment is aimed at a tumour)",
    from_list="setting", rule=Condition(var="has_target_lesion", op=Op.IS_TRUE),
    location="matching rule of this application: every non-adjuvant study treats a lesion",
    note="Not in the source's list: a patient with no residual, recurrent or progressing disease has "
         "nothing for a tumour-directed treatment to aim at.")


# An adjuvant study treats the bed of a resection that left nothing behind: tumour left or grown since
# (progressing lesions, viable tumour after TACE, as well as the residual tumour and recurrence its own
# criteria name) puts the patient in another setting.
NO_DISEASE_LEFT = Criterion(
    id="no_disease_after_treatment", label="No tumour left or grown since treatment (adjuvant setting)",
    from_list="setting", rule=Condition(var="disease_after_treatment", op=Op.IS_FALSE),
    location="matching rule of this application: adjuvant treatment follows a resection that left no tumour",
    note="Not in the source's list: progressing lesions or viable tumour after TACE mean disease to treat, "
         "not a resection bed.")


def is_adjuvant(study: Study) -> bool:
    return any(c.rule is not None and "residual_disease" in rule_vars(c.rule) for c in study.criteria)


def setting_rules(study: Study) -> tuple[Criterion, ...]:
    """Criteria the engine adds to a study's own: the lesion a tumour-directed treatment needs, or the
    absence of disease an adjuvant one needs."""
    return (NO_DISEASE_LEFT,) if is_adjuvant(study) else (TARGET_LESION,)


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
                           f"{result.status.replace('_', ' ')} as entered)", note.fields, (), note.fields)


# A study known only through a review comes with its "major inclusion criteria", not its full list, so
# silence about the line of therapy is no evidence that any line was taken. For such a study the setting
# domain is covered only by a criterion that checks where the patient stands in the course of treatment:
# previous treatment, line, response, resection done, recurrence, awaiting a transplant. Resectability,
# ablation candidacy, a central site, a margin or pain describe the tumour or the intent, not the line.
# When the study gives a systemic agent, the check must reach systemic therapy: "previously treated"
# does not say whether a patient progressing on first-line therapy was taken.
SYSTEMIC_LINE_VARS = frozenset({"prior_systemic_therapy", "progressed_on_sorafenib", "anti_pd1_refractory",
                                "first_line_therapy", "months_stable_on_first_line"})
LINE_VARS = SYSTEMIC_LINE_VARS | {"treatment_naive", "recurrent", "resected", "residual_disease", "prior_tace",
                                  "tace_incomplete_response", "prior_rt_same_site", "primary_controlled",
                                  "transplant_candidate"}


def gives_systemic_therapy(study: Study) -> bool:
    return any(arm.regimen.systemic for arm in study.arms)


def _condition_checks_line(cond: Condition, systemic: bool) -> bool:
    if not systemic:
        return cond.var in LINE_VARS
    # "untreated" rules out any systemic therapy; "previously treated" does not say which line
    return cond.var in SYSTEMIC_LINE_VARS or (cond.var == "treatment_naive" and cond.op == Op.IS_TRUE)


def checks_line(rule: Rule | None, facts: Mapping[str, Any], systemic: bool) -> bool:
    """Whether the way this patient meets ``rule`` goes through a line-of-therapy check: for any_of, a
    part the patient meets must check it (meeting "unresectable" in "unresectable or previously
    treated" checks no line)."""
    if rule is None:
        return False
    if isinstance(rule, Condition):
        return _condition_checks_line(rule, systemic)
    if isinstance(rule, AnyOf):
        return any(checks_line(r, facts, systemic) for r in rule.any_of if evaluate_rule(r, facts).status == MET)
    return any(checks_line(r, facts, systemic) for r in rule.all_of)


def _covers(domain: str, r: CriterionResult, facts: Mapping[str, Any], line_needed: bool, systemic: bool) -> bool:
    if domain != SETTING or not line_needed:
        return r.status in (MET, UNKNOWN)  # an unknown criterion is missing data, not unreported
    if r.status == UNKNOWN:
        return any(_condition_checks_line(c, systemic) for c in _conditions(r.criterion.rule))
    return r.status == MET and checks_line(r.criterion.rule, facts, systemic)


def _conditions(rule: Rule | None) -> Iterator[Condition]:
    if isinstance(rule, Condition):
        yield rule
    elif rule is not None:
        for part in rule.any_of if isinstance(rule, AnyOf) else rule.all_of:
            yield from _conditions(part)


def needs_line_check(study: Study) -> bool:
    return study.summarised_by_review


def unreported_domains(study: Study, results: tuple[CriterionResult, ...],
                       facts: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """Core domains that neither a met criterion nor a stated absence of limits settles. A domain whose
    criterion is unknown is missing data, not unreported, so it is left out here. The setting domain
    of a study known only through a review needs a criterion that checks the line of therapy."""
    facts = {} if facts is None else facts
    line_needed, systemic = needs_line_check(study), gives_systemic_therapy(study)
    out = []
    for domain in CORE_DOMAINS:
        cover = study.core_domains.get(domain)
        if cover is not None and cover.unrestricted:
            continue
        listed = [r for r in results if cover is not None and r.criterion.id in cover.criteria]
        if not any(_covers(domain, r, facts, line_needed, systemic) for r in listed):
            out.append(domain)
    return tuple(out)


def description_text(c: Criterion) -> str:
    """A cohort description with how many patients it held at its edge, where the source says."""
    return f"{c.cohort_count}; {c.location}" if c.cohort_count else c.location


def _tests_gate(g: Gate, r: CriterionResult) -> bool:
    return r.status == MET and r.criterion.rule is not None and bool(rule_vars(r.criterion.rule) & set(g.variables))


def unadmitted_gates(gates: tuple[Gate, ...], results: tuple[CriterionResult, ...]) -> tuple[Gate, ...]:
    """Open gates no met *criterion* admits. A range that only describes the cohort (``basis:
    cohort_description``) does not admit: a few such patients among those treated is not a rule that
    took them in, and their outcomes are not the cohort's."""
    return tuple(g for g in gates
                 if not any(_tests_gate(g, r) and r.criterion.basis == "criterion" for r in results))


def described_gates(gates: tuple[Gate, ...], results: tuple[CriterionResult, ...]) -> tuple[tuple[Gate, Criterion], ...]:
    """Of the unadmitted gates, those a met cohort description covers, with that description."""
    out = []
    for g in gates:
        hit = next((r.criterion for r in results if _tests_gate(g, r) and r.criterion.basis != "criterion"), None)
        if hit is not None:
            out.append((g, hit))
    return tuple(out)


def match_study(study: Study, derived: Derived) -> StudyMatch:
    own = tuple(_unsettle_conflicts(evaluate_criterion(c, derived.facts), derived) for c in study.criteria)
    results = own + tuple(_unsettle_conflicts(evaluate_criterion(c, derived.facts), derived)
                          for c in setting_rules(study))
    warnings = population_warnings(study.population_bounds, derived.facts)
    status = study_status(results)
    if all(r.status == TO_CONFIRM for r in own) and status != INELIGIBLE:
        # "eligible" would claim a fit nothing was checked against
        status, warnings = UNCERTAIN, (NO_CHECKABLE_CRITERIA, *warnings)
    # a gate opened by a value in conflict is not opened from one side of it either
    conflicted = derived.conflicted
    gates = unadmitted_gates(tuple(g for g in open_gates(derived.facts) if g.variables[0] not in conflicted), results)
    described = described_gates(gates, results)
    doses = dose_flags(study, derived.facts)
    entries = _entries(results, derived.facts)
    if status == INELIGIBLE:
        return StudyMatch(study, status, results, warnings, (), gates, doses, described, entries)
    domains = unreported_domains(study, results, derived.facts)
    if domains or gates or study.unavailable_criteria:  # "eligible" only on criteria all checked
        status = UNCERTAIN
    return StudyMatch(study, status, results, warnings, domains, gates, doses, described, entries)


def _entries(results: tuple[CriterionResult, ...], facts: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e for r in results for v in r.unknown_vars if v not in r.in_conflict
                               for e in entries_to_make(v, facts)))


@dataclass(frozen=True)
class _FactsOnly:
    """What :func:`match_study` reads of a patient without entries in conflict. Anything more it
    might come to read fails loudly here instead of being left out of what the memo compares."""
    facts: Mapping[str, Any]
    conflicted: Mapping[str, Any] = frozenset()


_MATCHES: ReadMemo[StudyMatch] = ReadMemo()


def match_study_reusing(study: Study, derived: Derived) -> StudyMatch:
    """:func:`match_study`, reusing the study's last match while the facts it read are unchanged
    (engine/read_memo.py). Entries in conflict are rare and read through another path: then every
    study is matched afresh."""
    if derived.conflicted:
        return match_study(study, derived)
    return _MATCHES.get((study,), derived.facts, lambda facts: match_study(study, _FactsOnly(facts)))
