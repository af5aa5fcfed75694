"""Regimens: the studies that support each, ranked, with expected-outcome ranges and randomised benefits.

Ranking (one order for the results list, the summary, the slides, the PDF and the JSON): eligible before
uncertain before ineligible; regimens with published results before open protocols; then a regimen
built for a finding the patient has (its indication: nodal disease, oligoprogression, pain ...) before
a generic one, and a regimen whose indication is not entered last; then the regimen's lead study (see
``RegimenResult.lead``): an uncertain fit that entered data can still settle before one the source
leaves uncheckable, then an HCC study with figures before a qualitative record or a study not limited
to HCC, then that study's evidence level; then sample size. Within a regimen, the lead is the study
whose fit was checked on the most domains before the one with the best level (a level says how strong
a study is, not whether this patient is one of its patients). The level that ranks a regimen
is always the level of the study that gives it its place, never one borrowed from a study it does not
rank by. Outcome figures are listed per study with
their source location; the range is only a summary of those figures (min–max), never a pooled estimate,
and it spans only the studies with the patient's best status (eligible, else uncertain, else
ineligible); the others stay listed. A row holds one endpoint, one measure and landmark, one time
origin (for time-to-event endpoints; "not stated" is a group of its own) and one unit of analysis
(patients vs lesions), one disease site, one population (whole cohort, a named subgroup, or a group
selected by outcome) and one treatment phase, and each arm belongs to its own regimen (two arms of one
trial on the same regimen get a row each), so a range never spans different regimens, time origins,
units, sites, populations or phases.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterable, Mapping

from hccdecide.figure_words import counted
from hccdecide.engine.levels import RANDOMISED_DESIGNS, evidence_level
from hccdecide.engine.matching import (ELIGIBLE, INELIGIBLE, MET, MISSING_DATA, NO_CHECKABLE_CRITERIA, NOT_MET,
                                       TO_JUDGE, UNCERTAIN, StudyMatch, description_text, evaluate_rule)
from hccdecide.evidence.library import RegimenInfo
from hccdecide.evidence.schema import Arm, Comparison, Outcome, Study

STATUS_RANK = {ELIGIBLE: 0, UNCERTAIN: 1, INELIGIBLE: 2}
# The patient and the regimen's indication: has it, generic regimen, not entered, does not have it.
INDICATION_MET, NO_INDICATION, INDICATION_NOT_ENTERED, INDICATION_ABSENT = "met", "none", "not_entered", "absent"
INDICATION_RANK = {INDICATION_MET: 0, NO_INDICATION: 1, INDICATION_NOT_ENTERED: 2, INDICATION_ABSENT: 2}
# Endpoints whose figures do not depend on a time origin (a proportion of patients or lesions).
NO_TIME_ORIGIN = frozenset({"ORR", "DCR", "CR", "PCR", "PCR_MPR", "PAIN_RESPONSE", "TOX_G3PLUS",
                            "VASCULAR_RESPONSE", "VASCULAR_DCR"})
NOT_STATED = "not stated"
# Outcome rows shown for a regimen, in display order: (endpoint, measure, landmark months).
SUMMARY_ROWS: tuple[tuple[str, str, float | None], ...] = (
    ("ORR", "rate", None), ("DCR", "rate", None), ("CR", "rate", None),
    ("OS", "median", None), ("OS", "rate", 12), ("OS", "rate", 24), ("OS", "rate", 36),
    ("PFS", "median", None), ("PFS", "rate", 12), ("PFS", "rate", 24), ("PFS", "rate", 36),
    ("RFS", "median", None), ("DFS", "rate", 60), ("TTP", "median", None),
    ("LC", "rate", 12), ("LC", "rate", 24), ("LC", "rate", 36), ("LPFS", "rate", 24),
    ("PCR_MPR", "rate", None), ("PAIN_RESPONSE", "rate", None), ("TOX_G3PLUS", "rate", None),
)
ENDPOINT_LABEL = {
    "ORR": "Objective response", "DCR": "Disease control", "CR": "Complete response",
    "OS": "Overall survival", "PFS": "Progression-free survival", "RFS": "Recurrence-free survival",
    "DFS": "Disease-free survival", "TTP": "Time to progression", "LC": "Local control",
    "LPFS": "Local progression-free survival", "PCR_MPR": "pCR or major pathological response",
    "PCR": "Pathological complete response", "PAIN_RESPONSE": "Pain response",
    "TOX_G3PLUS": "Grade ≥ 3 toxicity", "INFIELD_PFS": "In-field progression- or relapse-free survival",
    "FREEDOM_FROM_SYSTEMIC_CHANGE": "Free of systemic-therapy change",
    "TRANSPLANT_DROPOUT": "Transplant wait-list dropout", "LOCAL_PROGRESSION": "Local progression",
    "VASCULAR_RESPONSE": "Response of the vascular tumour thrombus",
    "VASCULAR_DCR": "Control of the vascular tumour thrombus",
}


def row_label(endpoint: str, measure: str, at_months: float | None) -> str:
    base = ENDPOINT_LABEL.get(endpoint, endpoint)
    if measure == "median":
        return f"Median {base[0].lower() + base[1:]}"
    if at_months is not None:
        years = at_months / 12
        when = f"{years:g}-year" if at_months % 12 == 0 else f"{at_months:g}-month"
        return f"{base}, {when}"
    return base


@dataclass(frozen=True)
class Comparator:
    """The same measure in the study's comparison arm (its control, or the arm it was matched to): a
    figure from a comparative study is never shown without the figure it was compared with."""

    arm: Arm
    outcome: Outcome
    randomised: bool
    compared: bool = True  # False: randomised, but the trial was not designed to compare its arms
    test: str = ""  # the printed test of the difference: "p = 0.072", "not significant", "HR p = 0.054", ""


@dataclass(frozen=True)
class Figure:
    """One reported number for one arm of one study."""

    study: Study
    arm: Arm
    outcome: Outcome
    status: str  # the patient's status for that study
    comparator: Comparator | None = None


def time_origin_of(endpoint: str, outcome: Outcome) -> str:
    """The row's time origin: "" for endpoints without one, else the stated origin or "not stated"."""
    if endpoint in NO_TIME_ORIGIN:
        return ""
    return outcome.time_origin.strip() or NOT_STATED


@dataclass(frozen=True)
class OutcomeRow:
    endpoint: str
    measure: str
    at_months: float | None
    figures: tuple[Figure, ...]
    time_origin: str = ""  # "" for response rates; else as stated, or "not stated"
    unit_of_analysis: str = "patients"
    # what the figures cover (see Outcome): disease site, population, treatment phase, and the arm
    # when one study gives this regimen in more than one arm (e.g. two sequences of RT and TACE)
    site: str = ""
    population_kind: str = "whole"
    population: str = ""
    phase: str = ""
    arm: str = ""

    @property
    def label(self) -> str:
        base = row_label(self.endpoint, self.measure, self.at_months)
        if self.time_origin and self.time_origin != NOT_STATED:
            base += f" (from {self.time_origin})"
        if self.unit_of_analysis == "lesions":
            base += ", per lesion"
        elif self.unit_of_analysis == "not_stated":
            base += " (unit of analysis not stated)"
        return base + self.scope_text

    @property
    def scope_text(self) -> str:
        """What the row covers when it is not the whole cohort, all sites, whole course."""
        parts = [f"site: {self.site}" if self.site else "", f"{self.phase} phase" if self.phase else "",
                 f"arm: {self.arm}" if self.arm else "",
                 f"subgroup: {self.population}" if self.population_kind == "subgroup" else "",
                 f"subgroup selected by outcome ({self.population}), not the study's result"
                 if self.population_kind == "outcome_defined" else ""]
        parts = [p for p in parts if p]
        return f" — {'; '.join(parts)}" if parts else ""

    @property
    def is_study_result(self) -> bool:
        """A figure of the whole cohort or a subgroup known before treatment; a group selected by what
        happened after treatment (resected after induction) is never the study's result."""
        return self.population_kind != "outcome_defined"

    @property
    def unit(self) -> str:
        return "%" if self.measure == "rate" else "months"

    @cached_property
    def range_basis(self) -> str:
        """The patient's best status among the studies with a figure; only those studies span the range,
        so a study the patient does not fit never widens the expectation of one they do fit."""
        return min((f.status for f in self.figures), key=STATUS_RANK.__getitem__)

    @cached_property
    def range_figures(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.status == self.range_basis)

    @property
    def range_note(self) -> str:
        """Empty when every figure spans the range; otherwise which studies it comes from."""
        left_out = len(self.figures) - len(self.range_figures)
        listed = f" ({counted(left_out, 'other figure')} listed)" if left_out else ""
        if self.range_basis == ELIGIBLE:
            return f"from eligible studies only{listed}" if left_out else ""
        one = len({f.study.id for f in self.range_figures}) == 1
        if self.range_basis == UNCERTAIN:
            source = "from the one study" if one else "range from the studies"
            return f"no eligible study: {source} whose fit is uncertain{listed}"
        source = "from the one study" if one else "range from studies"
        return f"no eligible or uncertain study: {source} the patient does not fit"

    @property
    def value_range(self) -> tuple[float, float] | None:
        values = [f.outcome.estimate.value for f in self.range_figures if f.outcome.estimate.value is not None]
        return (min(values), max(values)) if values else None

    @property
    def within_study_notes(self) -> tuple[str, ...]:
        """For a study that gives several figures of the range, what sets them apart (as recorded), so a
        span inside one study is never read as two studies or as a range of patients."""
        notes = {f"{f.study.short_name}: {f.outcome.sets_apart}" for f in self.range_figures if f.outcome.sets_apart}
        return tuple(sorted(notes))

    @property
    def any_not_reached(self) -> bool:
        return any(not f.outcome.estimate.reached for f in self.range_figures)


@dataclass(frozen=True)
class Benefit:
    """A randomised comparison in which this regimen is the experimental arm."""

    study: Study
    comparison: Comparison
    experimental: Arm
    control: Arm
    status: str


@dataclass(frozen=True)
class RegimenResult:
    info: RegimenInfo
    matches: tuple[StudyMatch, ...]  # ranked
    outcomes: tuple[OutcomeRow, ...]
    benefits: tuple[Benefit, ...]
    indication: str = NO_INDICATION  # whether the patient has the finding the regimen is built for

    @property
    def status(self) -> str:
        reported = [m for m in self.matches if not m.study.is_protocol] or list(self.matches)
        return min((m.status for m in reported), key=STATUS_RANK.__getitem__)

    @property
    def fitting_benefits(self) -> tuple[Benefit, ...]:
        """Randomised comparisons from the studies that give the regimen its status: a derived benefit
        (absolute difference, icon array) is never quoted from a trial the patient does not fit as well."""
        return tuple(b for b in self.benefits if b.status == self.status)

    def fitting_outcomes(self) -> tuple[OutcomeRow, ...]:
        """Outcome rows whose range comes from studies with the regimen's own status."""
        return tuple(row for row in self.outcomes if row.value_range and row.range_basis == self.status
                     and row.is_study_result)

    @property
    def population_cautions(self) -> tuple[str, ...]:
        """Warnings that qualify an eligible or uncertain regimen: each study that gives it its status
        treated no one like this patient in some respect (e.g. age 85 where the cohort spanned 29–79)."""
        if self.status == INELIGIBLE:
            return ()
        giving = self.status_studies
        # "no checkable criterion" says nothing about the treated population
        ranges = {m.study.id: [w for w in m.warnings if w != NO_CHECKABLE_CRITERIA] for m in giving}
        if not all(ranges.values()):
            return ()
        return tuple(f"{m.study.short_name}: {w}" for m in giving for w in ranges[m.study.id])

    @property
    def status_studies(self) -> tuple[StudyMatch, ...]:
        """The studies that give the regimen its status (protocols only when nothing else has it)."""
        return tuple(m for m in self.matches if m.status == self.status and not m.study.is_protocol) or \
            tuple(m for m in self.matches if m.status == self.status)

    @property
    def best_level(self) -> int:
        """The best level among the studies that give the regimen its status: never borrowed from a
        study the patient fails (unless the patient fails them all), nor from a qualitative record (a
        study discussed without figures) while a study with figures gives the same status."""
        with_figures = [m for m in self.status_studies if not m.study.qualitative] or self.status_studies
        return min(evidence_level(m.study) for m in with_figures)

    @property
    def lead(self) -> StudyMatch:
        """The study that heads the regimen and gives the level it ranks by: among those that give it its
        status (an HCC study with figures before a qualitative record or a study not limited to HCC),
        one whose fit entered data can still settle before one the source leaves uncheckable, then the
        fewest unchecked domains, then the best level, then the largest."""
        return min(self.status_studies, key=lambda m: (m.study.qualitative or m.study.indirect, not settleable(m),
                                                       unchecked_count(m), evidence_level(m.study),
                                                       -(m.study.n or 0), m.study.id))

    @property
    def can_be_settled(self) -> bool:
        """Uncertain, and a study giving that status is uncertain only for data the clinician can enter."""
        return settleable(self.lead)

    @property
    def gate_messages(self) -> tuple[str, ...]:
        """Plain words for each clinical gate (Child–Pugh C, ECOG 3-4, BCLC D) that no study of this
        regimen admits: none reports treating patients like this one."""
        return tuple(self._gate_message(g) for g in self.unadmitted_gates)

    @property
    def unadmitted_gates(self) -> tuple:
        """The clinical gates (Child–Pugh C, ECOG 3-4, BCLC D) that no study of this regimen admits."""
        gates = {g.key: g for m in self.matches for g in m.unadmitted_gates}
        return tuple(g for key, g in gates.items()
                     if all(any(x.key == key for x in m.unadmitted_gates) for m in self.matches))

    def _gate_message(self, gate) -> str:
        # a description that does not exclude such patients (Juloori's "advanced" read as not stage 0-A)
        # says nothing of whether any were treated: only one that counts them does
        counted = [(m.study, c) for m in self.matches for g, c in m.gate_descriptions
                   if g.key == gate.key and c.cohort_count]
        if not counted:
            return f"No study of this regimen reports treating patients with {gate.label}."
        where = "; ".join(f"{s.short_name}: {description_text(c)}" for s, c in counted)
        return (f"No study of this regimen has a criterion admitting patients with {gate.label}; "
                f"only a cohort description reports such patients among those treated ({where}).")

    @property
    def open_trials(self) -> tuple[StudyMatch, ...]:
        return tuple(m for m in self.matches if m.study.is_protocol)

    @property
    def total_n(self) -> int:
        return sum(m.study.n or 0 for m in self.matches if not m.study.is_protocol)


def unchecked_count(m: StudyMatch) -> int:
    """Core domains and clinical gates on which the source gives no criterion to check this patient by."""
    return len(m.unreported_domains) + len(m.unadmitted_gates)


def settleable(m: StudyMatch) -> bool:
    """An uncertain study whose fit entering the missing data (or confirming a judgement the entries
    cannot record) would settle: the source reports a criterion for every domain (and admits every open
    gate), only the patient's values are missing."""
    kinds = m.uncertain_kinds
    return bool(kinds) and all(k["kind"] in (MISSING_DATA, TO_JUDGE) for k in kinds)


def indication_state(info: RegimenInfo, facts: Mapping[str, Any] | None) -> str:
    if info.indication is None or facts is None:
        return NO_INDICATION
    verdict = evaluate_rule(info.indication, facts).status
    return INDICATION_MET if verdict == MET else INDICATION_ABSENT if verdict == NOT_MET else INDICATION_NOT_ENTERED


def match_rank(m: StudyMatch) -> tuple:
    return (STATUS_RANK[m.status], evidence_level(m.study), -(m.study.n or 0), m.study.id)


def _comparison_arms(study: Study, arm: Arm) -> list[Arm]:
    """The arms this arm was compared with: the controls its comparisons name, and any arm without a
    regimen of its own (no treatment, supportive care, surgery or drug alone)."""
    named = {c.control for c in study.comparisons if c.experimental == arm.id}
    return [a for a in study.arms if a.id != arm.id and (a.id in named or a.regimen_key is None)]


def _same_measure(a: Outcome, b: Outcome) -> bool:
    return (a.endpoint, a.measure, a.at_months, time_origin_of(a.endpoint, a), a.unit_of_analysis, a.site,
            a.population_kind, a.population, a.phase) == \
        (b.endpoint, b.measure, b.at_months, time_origin_of(b.endpoint, b), b.unit_of_analysis, b.site,
         b.population_kind, b.population, b.phase)


def difference_test(study: Study, outcome: Outcome) -> str:
    """The test of a figure against its comparison arm as printed: the figure's own p, else the p of
    the study's one comparison of that endpoint (an HR's), else '' (none printed)."""
    p = outcome.vs_control_p
    if p is not None:
        words = {"NS": "not significant", "significant": "called significant, no p printed"}
        return words.get(p) or (f"p < {p[1:]}" if p.startswith("<") else f"p = {p}")
    same = [c for c in study.comparisons if c.endpoint == outcome.endpoint and c.p]
    if len(same) != 1:
        return ""
    prefix = "HR " if same[0].measure == "HR" else ""
    return f"{prefix}p = {same[0].p}".replace("= <", "< ")


def comparator_of(study: Study, arm: Arm, outcome: Outcome) -> Comparator | None:
    """The comparison arm's figure for the same measure, when exactly one arm reports it."""
    found = [Comparator(other, o, study.design in RANDOMISED_DESIGNS, not study.non_comparative,
                        difference_test(study, outcome))
             for other in _comparison_arms(study, arm) for o in other.outcomes if _same_measure(outcome, o)]
    return found[0] if len(found) == 1 else None


def _regimen_arms(study: Study, key: str) -> list[Arm]:
    return [a for a in study.arms if a.regimen_key == key]


def _whole_cohort_arms(arms: list[Arm]) -> int:
    return sum(any(o.population_kind == "whole" for o in a.outcomes) for a in arms)


def _row_key(o: Outcome, arm: Arm, split_arms: bool) -> tuple:
    """Figures share a row only when they measure the same thing: endpoint, measure, landmark, time
    origin, unit of analysis, site, population (a subgroup is its own row), phase, and the arm when one
    study gives the regimen in several arms."""
    population = "" if o.population_kind == "whole" else o.population
    arm_label = arm.label if split_arms and o.population_kind == "whole" else ""
    return (o.endpoint, o.measure, o.at_months, time_origin_of(o.endpoint, o), o.unit_of_analysis,
            o.site, o.population_kind, population, o.phase, arm_label)


_KIND_ORDER = {"whole": 0, "subgroup": 1, "outcome_defined": 2}


def outcome_rows(key: str, matches: Iterable[StudyMatch]) -> tuple[OutcomeRow, ...]:
    buckets: dict[tuple, list[Figure]] = {}
    for m in matches:
        if m.study.is_protocol:
            continue
        arms = _regimen_arms(m.study, key)
        split = _whole_cohort_arms(arms) > 1
        for arm in arms:
            for o in arm.outcomes:
                figure = Figure(m.study, arm, o, m.status, comparator_of(m.study, arm, o))
                buckets.setdefault(_row_key(o, arm, split), []).append(figure)
    order = {k: i for i, k in enumerate(SUMMARY_ROWS)}
    rows = [OutcomeRow(e, meas, at, tuple(v), origin, unit, site, kind, pop, phase, arm)
            for (e, meas, at, origin, unit, site, kind, pop, phase, arm), v in buckets.items()]
    # grouped by endpoint, then time origin (stated origins first), then unit; whole cohort and all
    # sites before subgroups, sites and phases, so the first row of an endpoint is the study result
    return tuple(sorted(rows, key=lambda r: (order.get((r.endpoint, r.measure, r.at_months), 999),
                                             r.endpoint, r.measure, r.at_months or 0,
                                             r.time_origin == NOT_STATED, r.time_origin, r.unit_of_analysis,
                                             _KIND_ORDER[r.population_kind], r.site != "", r.site,
                                             r.phase, r.population, r.arm)))


def benefits(key: str, matches: Iterable[StudyMatch]) -> tuple[Benefit, ...]:
    out = []
    for m in matches:
        arms = {a.id: a for a in m.study.arms}
        for c in m.study.comparisons:
            if arms[c.experimental].regimen_key == key:
                out.append(Benefit(m.study, c, arms[c.experimental], arms[c.control], m.status))
    return tuple(out)


def group_regimens(matches: Iterable[StudyMatch], regimens: Mapping[str, RegimenInfo],
                   facts: Mapping[str, Any] | None = None) -> tuple[RegimenResult, ...]:
    """The regimens of ``matches``, ranked; ``facts`` (the patient's) decide each regimen's indication."""
    by_key: dict[str, list[StudyMatch]] = {}
    for m in matches:
        for key in m.study.regimen_keys:
            by_key.setdefault(key, []).append(m)
    results = []
    for key, ms in by_key.items():
        ranked = tuple(sorted(ms, key=match_rank))
        results.append(RegimenResult(regimens[key], ranked, outcome_rows(key, ranked), benefits(key, ranked),
                                     indication_state(regimens[key], facts)))
    return tuple(sorted(results, key=regimen_rank))


def regimen_rank(r: RegimenResult) -> tuple:
    """The one regimen order (see the module text): status, results, indication, then the lead study's
    settleability, whether it is an HCC study with figures, and its level, then size."""
    has_results = 0 if any(not m.study.is_protocol for m in r.matches) else 1
    lead = r.lead
    return (STATUS_RANK[r.status], has_results, INDICATION_RANK[r.indication], not settleable(lead),
            lead.study.qualitative or lead.study.indirect, evidence_level(lead.study), -r.total_n, r.info.order)
