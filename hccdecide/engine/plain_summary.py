"""The assessment at a glance: a few plain-language sentences, the same on screen, slide, PDF and JSON.

The sentences inform and never recommend: they say what the patient fits and what the evidence
reports, never what should be done. Every number in them is read from the assessment.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from hccdecide.figure_words import BAND
from hccdecide.engine.assessment import Assessment
from hccdecide.engine.baseline import median_from_curve
from hccdecide.engine.levels import design_text, evidence_level
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, NO_CHECKABLE_CRITERIA, UNCERTAIN, StudyMatch
from hccdecide.engine.next_data import SHOWN_IN_SUMMARY, NextData, next_data
from hccdecide.engine.outcome_text import comparator_text
from hccdecide.engine.prognosis import BASELINE, CurveEstimate
from hccdecide.engine.regimens import (INDICATION_ABSENT, INDICATION_MET, INDICATION_NOT_ENTERED, Figure,
                                       OutcomeRow, RegimenResult, settleable)
from hccdecide.engine.uncertainty import Band
from hccdecide.variables import DOMAIN_LABEL, SETTING, VARIABLES

SHOWN_REGIMENS = 3
# Key outcome of a regimen: the first of these rows that has a figure.
KEY_OUTCOMES: tuple[tuple[str, str, float | None], ...] = (
    ("OS", "median", None), ("OS", "rate", 24), ("OS", "rate", 12), ("PFS", "median", None),
    ("RFS", "median", None), ("PFS", "rate", 12), ("LC", "rate", 12), ("LC", "rate", 24),
    ("ORR", "rate", None), ("DCR", "rate", None))


@dataclass(frozen=True)
class Glance:
    """Everything shown "at a glance": the sentences and the next data they name."""

    sentences: tuple[str, ...]
    next_data: tuple[NextData, ...]
    risk_curve: CurveEstimate | None  # the estimate the risk sentence reads


def stage_sentence(a: Assessment) -> str:
    f = a.derived.facts
    bclc = a.derived.bclc.label
    if f["child_pugh_class"]:
        score = f" ({f['child_pugh_score']} points)" if f["child_pugh_score"] else ""
        liver = f"Child–Pugh {f['child_pugh_class']}{score}"
    else:
        liver = "Child–Pugh class unknown"
    albi = f"ALBI grade {f['albi_grade']}" if f["albi_grade"] else "ALBI grade unknown"
    # a stage that rests on a judgement no entry records, or on entries in conflict, says so where it is
    # read first
    why = a.derived.bclc.possible_why
    strategy = f"2022 strategy; to confirm: {why}" if why else "2022 strategy"
    conflicted = a.derived.conflicted
    if "bclc_stage" in conflicted:
        strategy += "; rests on entries in conflict"
    if "child_pugh_class" in conflicted and f["child_pugh_class"]:
        fields = ", ".join(VARIABLES[k].label for k in conflicted["child_pugh_class"].fields)
        liver += f" from its components, in conflict with other entries (check {fields})"
    return f"Stage and liver function: {bclc} ({strategy}); {liver}; {albi}."


def fit_counts(regimens: Iterable[RegimenResult]) -> dict[str, int]:
    counts = {ELIGIBLE: 0, UNCERTAIN: 0, INELIGIBLE: 0}
    for r in regimens:
        counts[r.status] += 1
    return counts


def fit_sentence(a: Assessment) -> str:
    c = fit_counts(a.regimens)
    return (f"Of {len(a.regimens)} treatment strategies in the evidence library, the patient fits "
            f"{c[ELIGIBLE]} (every checked criterion met) and may fit {c[UNCERTAIN]} more (uncertain); "
            f"{c[INELIGIBLE]} do not fit.")


def key_outcome(r: RegimenResult) -> OutcomeRow | None:
    """The headline row, read only from studies with the regimen's own status (a row held up by
    trials the patient does not fit is no expectation for this patient)."""
    rows = _key_rows(r)
    return rows[0] if rows else None


def _key_rows(r: RegimenResult) -> list[OutcomeRow]:
    """The regimen's outcome rows in headline order: the first row of a kind is the whole cohort, all
    sites; the regimen's own key endpoint first (pain response for palliative RT), then kinds in
    KEY_OUTCOMES order, then the rest in display order."""
    rows: dict = {}
    for row in r.fitting_outcomes():
        rows.setdefault((row.endpoint, row.measure, row.at_months), row)
    ordered = [rows[k] for k in KEY_OUTCOMES if k in rows] + [v for k, v in rows.items() if k not in KEY_OUTCOMES]
    return sorted(ordered, key=lambda row: row.endpoint != r.info.key_endpoint)


@dataclass(frozen=True)
class Headline:
    """What the summary says of one regimen: the study whose level it quotes, and one key figure with
    the study it comes from (the same study when that study reports one)."""

    lead: StudyMatch
    row: OutcomeRow | None = None
    figure: Figure | None = None

    @property
    def level(self) -> int:
        return evidence_level(self.lead.study)

    @property
    def figure_from_lead(self) -> bool:
        return self.figure is not None and self.figure.study.id == self.lead.study.id


def headline(r: RegimenResult) -> Headline:
    """The lead study (the one the regimen ranks by) and its own key figure; only when it reports none,
    the key figure of the next study with the regimen's status, named as such. A level is never paired
    with another study's figure without saying so."""
    rows = _key_rows(r)
    lead = r.lead
    for m in (lead, *(m for m in r.status_studies if m is not lead)):
        for row in rows:
            figure = next((f for f in row.range_figures if f.study.id == m.study.id), None)
            if figure is not None:
                return Headline(lead, row, figure)
    return Headline(lead)


def figure_text(row: OutcomeRow, figure: Figure) -> str:
    """The key figure, with the comparison arm's figure when the study compared arms (a controlled
    result is never quoted without its control)."""
    estimate = figure.outcome.estimate
    if not estimate.reached or estimate.value is None:
        return "not reached" + comparator_text(figure, row.unit)
    own = [f.outcome.estimate.value for f in row.range_figures
           if f.study.id == figure.study.id and f.outcome.estimate.value is not None]
    if len(own) > 1:  # the study printed more than one figure for it: never quote just one of them
        unit = "%" if row.unit == "%" else f" {row.unit}"
        apart = f" ({figure.outcome.sets_apart})" if figure.outcome.sets_apart else ""
        return f"{min(own):g}–{max(own):g}{unit}{apart}"
    return f"{estimate.value:g}" + ("%" if row.unit == "%" else f" {row.unit}") + comparator_text(figure, row.unit)


def span_text(row: OutcomeRow) -> str:
    lo, hi = row.value_range
    span = f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"
    return span + ("%" if row.unit == "%" else f" {row.unit}")


def offered(r: RegimenResult) -> bool:
    """Whether the summary may name the regimen: the patient fits or may fit it, it has published
    results, and, when it is built for a finding (pain, transplant listing ...), the finding is entered
    as present: a regimen for an indication the patient is not known to have is not offered."""
    return (r.status != INELIGIBLE and any(not m.study.is_protocol for m in r.matches)
            and r.indication not in (INDICATION_NOT_ENTERED, INDICATION_ABSENT))


def shown_regimens(a: Assessment) -> tuple[RegimenResult, ...]:
    """The first regimens of the ranked list the summary may name: those the patient fits, else those
    the patient may fit. A regimen built for a finding the patient has is never displaced by generic
    ones: when no fitting regimen is built for it, the last place goes to the best such uncertain one."""
    chosen = [r for r in a.regimens if offered(r)]
    eligible = [r for r in chosen if r.status == ELIGIBLE]
    uncertain = [r for r in chosen if r.status == UNCERTAIN]
    if not eligible:
        return tuple(uncertain[:SHOWN_REGIMENS])
    matched = [r for r in uncertain if r.indication == INDICATION_MET]
    if not matched or any(r.indication == INDICATION_MET for r in eligible):
        return tuple(eligible[:SHOWN_REGIMENS])
    keep = min(len(eligible), SHOWN_REGIMENS - 1)
    return tuple(eligible[:keep] + matched[:SHOWN_REGIMENS - keep])


def why_text(r: RegimenResult) -> str:
    """For an uncertain regimen, what its lead study waits for: data the clinician can enter, or a
    criterion the source does not report (which no entry can settle)."""
    if r.status != UNCERTAIN:
        return ""
    lead = r.lead
    name = lead.study.short_name
    if settleable(lead):
        return _settle_text(lead)
    if NO_CHECKABLE_CRITERIA in lead.warnings:
        return f"; {name} gives no criterion that can be checked, so no entry can settle the fit"
    if lead.study.unavailable_criteria:
        what = " and ".join(u.what for u in lead.study.unavailable_criteria)
        why = "; ".join(u.why for u in lead.study.unavailable_criteria)
        return _unsettled(lead, f"{name}'s {what} could not be checked ({why})")
    missing = [_domain_words(lead, d) for d in lead.unreported_domains]
    # a gate no study of the regimen admits has its own sentence after this one: not said twice
    said = {g.key for g in r.unadmitted_gates}
    missing += [f"admitting {g.label}" for g in lead.unadmitted_gates if g.key not in said]
    if not missing:
        return "; no study of it admits a patient like this, so no entry can settle the fit"
    listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} or {missing[-1]}"
    return _unsettled(lead, f"{name} reports no criterion on {listed}")


def _unsettled(lead: StudyMatch, open_part: str) -> str:
    """What no entry can settle; when entries (or a judgement) can still rule the study out, those first."""
    if lead.missing or lead.to_judge:
        return (f"; {_open_items(lead)} would check the fit to {lead.study.short_name} further, but "
                f"{open_part}, which stays open whatever is entered")
    return f"; {open_part}, so no entry can settle the fit"


def _entering(m: StudyMatch) -> str:
    """"entering A, B and 3 more": the case entries to make (the inputs of a derived value, not the value)."""
    fields = [VARIABLES[v].label for v in m.entries_or_missing]
    more = f" and {len(fields) - 2} more" if len(fields) > 2 else ""
    return f"entering {', '.join(fields[:2])}{more}"


def _open_items(m: StudyMatch) -> str:
    """The entries to make, the conflicts to resolve and the judgements no entry records that the
    study's fit waits for."""
    entering = _entering(m) if m.entries_or_missing else ""
    conflicts = [VARIABLES[v].label for v in m.in_conflict]
    resolving = f"resolving the conflicting entries ({', '.join(conflicts)})" if conflicts else ""
    # the one judgement no entry records is the stage's, said in full in the first sentence: each
    # regimen sentence points to it instead of repeating it
    judged = "the stage judgement of the first sentence" if m.to_judge else ""
    return " and ".join(p for p in (entering, resolving, judged) if p)


def _settle_text(lead: StudyMatch) -> str:
    """What would settle the fit to a study whose source reports every criterion."""
    return f"; {_open_items(lead)} would settle the fit to {lead.study.short_name}"


def _domain_words(m: StudyMatch, domain: str) -> str:
    """A domain as the summary names it: a setting the source does bound, but not by the line of
    therapy, is the line of therapy that is missing (see matching: a review's major criteria)."""
    cover = m.study.core_domains.get(domain)
    if domain == SETTING and cover is not None and cover.criteria:
        return "line of therapy"
    return DOMAIN_LABEL[domain]


def indication_text(r: RegimenResult) -> str:
    return f"; built for {r.info.indication_label}, as entered" if r.indication == INDICATION_MET else ""


def study_level_text(study) -> str:
    return f"{study.short_name} — Level {evidence_level(study)}, {design_text(study)} —"


def evidence_text(r: RegimenResult, h: Headline) -> str:
    """The lead study with its level, and the key figure with the study it comes from."""
    lead = study_level_text(h.lead.study)
    if h.figure is None:
        return f"{lead.rstrip(' —')}; no outcome figure comes from a study the patient {_fits_word(r.status)}"
    what = f"{h.row.label[0].lower() + h.row.label[1:]}: {figure_text(h.row, h.figure)}"
    if h.figure_from_lead:
        return f"{lead} reports {what}"
    return f"{lead} reports no outcome figure; {study_level_text(h.figure.study)} reports {what}"


def trials_text(r: RegimenResult) -> str:
    """Open protocols of the regimen the patient fits or may fit (no results, so never the level)."""
    trials = [m for m in r.open_trials if m.status != INELIGIBLE]
    if not trials:
        return ""
    return "; open trial, no results yet: " + ", ".join(f"{m.study.short_name} ({m.status})" for m in trials)


def regimen_sentence(r: RegimenResult) -> str:
    h = headline(r)
    # a gate no study of the regimen admits travels with the regimen into the summary, which is read alone
    gates = "".join(f" {g}" for g in r.gate_messages)
    return (f"{r.info.name} ({r.status}{indication_text(r)}): {evidence_text(r, h)}{why_text(r)}"
            f"{trials_text(r)}.{gates}")


def _fits_word(status: str) -> str:
    return "fits" if status == ELIGIBLE else "may fit"


FITS_HEAD = "Strategies the patient fits (those built for an entered finding first):"
MAY_FIT_HEAD = ("No strategy is fitted with certainty; strategies the patient may fit (those built for an "
                "entered finding first, then those whose fit entered data can settle):")
ALSO_HEAD = "Built for an entered finding, the patient may also fit:"


def regimens_sentences(a: Assessment) -> list[str]:
    chosen = shown_regimens(a)
    if not chosen:
        return ["No strategy with published results is offered here: none fits this patient, or those "
                "that may fit are built for a finding not entered as present."]
    if chosen[0].status != ELIGIBLE:
        return [MAY_FIT_HEAD] + [regimen_sentence(r) for r in chosen]
    out = [FITS_HEAD] + [regimen_sentence(r) for r in chosen if r.status == ELIGIBLE]
    also = [regimen_sentence(r) for r in chosen if r.status != ELIGIBLE]
    return out + ([ALSO_HEAD] + also if also else [])


def risk_curve(a: Assessment) -> CurveEstimate | None:
    """The default before-treatment estimate of a study the patient is not excluded from (OS first)."""
    candidates = [c for c in a.curves if c.stage == BASELINE and c.model.default
                  and a.match(c.study.id).status != INELIGIBLE and getattr(c, "applicable", True)]
    candidates.sort(key=lambda c: (c.model.endpoint != "OS", a.match(c.study.id).status != ELIGIBLE))
    return candidates[0] if candidates else None


def _outside_support(c: CurveEstimate) -> bool:
    support = getattr(c, "support", None)
    return support is not None and not getattr(support, "inside", True)


def median_text(c: CurveEstimate, band: Band | None) -> str:
    if _outside_support(c):
        return "no individual median: the patient lies outside the cohort's range"
    if c.median is None:
        return f"predicted median beyond the {c.horizon:g} months the study covers"
    text = f"predicted median {c.median:.1f} months"
    if band is not None and band.median_ci is not None and band.median_ci[0] is not None:
        lo, hi = band.median_ci
        text += f" ({BAND} {lo:.1f}–{hi:.1f})" if hi is not None else f" ({BAND} from {lo:.1f})"
    return text


def risk_sentence(a: Assessment, curve: CurveEstimate | None, bands: Mapping[int, Band]) -> str:
    if curve is None:
        return "No individual risk estimate applies (no combinable model from a study the patient may fit)."
    source = f"Individual estimate ({curve.study.short_name}, {curve.model.endpoint} model, before treatment)"
    if _outside_support(curve):
        # the risk view, slides and JSON give no stratum here; the summary must not name one either
        return (f"{source}: not given: the patient lies outside the range of patients the cohort contained "
                "(no risk group, no median; the risk view shows the bound and the published subgroups).")
    band = bands.get(a.curves.index(curve))
    group = curve.stratum.name
    group_text = f"risk group {group}" if len(curve.stratum.possible) == 1 else \
        f"risk group {group} (a range: a factor is unknown)"
    if curve.cohort_average:
        group_text = ("none of the model's risk factors is entered, so this is the cohort's average, "
                      "not this patient's")
    caution = ("; depending on the factors not entered, the patient may lie outside the cohort's range"
               if getattr(curve.support, "partly_outside", False) else "")
    text = f"{source}: {group_text}; {median_text(curve, band)}{unknown_spread_text(curve)}{caution}."
    if curve.cohort_average and curve.published_median is not None:
        text += f" {curve.published_median.text(curve.model.endpoint)}."
    return text + cohort_fit_text(a, curve)


def unknown_spread_text(c: CurveEstimate) -> str:
    """How far the factors not entered could move the median: the band is the uncertainty of the
    estimate at the entered values, not of the values left out (the chart draws both)."""
    low, high = (median_from_curve(c.grid, s) for s in c.envelope)
    if low == high or not c.shown:
        return ""
    worst = f"{low:.1f}" if low is not None else f"beyond {c.horizon:g}"
    best = f"{high:.1f}" if high is not None else f"beyond {c.horizon:g}"
    return f"; with the factors not entered, the median could be anywhere from {worst} to {best} months"


def cohort_fit_text(a: Assessment, c: CurveEstimate) -> str:
    """An estimate from a study the patient may not fit describes that study's patients."""
    m = a.match(c.study.id)
    if m.status != UNCERTAIN:
        return ""
    return (f" It describes patients like those {c.study.short_name} treated, and whether this patient is "
            f"one is not settled ({m.uncertain_text}).")


NEXT_DATA_LEAD = "Most useful data to enter: "
NO_NEXT_DATA = "No missing case data would settle an uncertain study or risk group."


def next_data_parts(items: tuple[NextData, ...]) -> list[tuple[NextData, str]]:
    """(item, what it settles) for the items the summary names; views render the label as a link."""
    parts = []
    for i in items[:SHOWN_IN_SUMMARY]:
        if i.settles:
            parts.append((i, f"settles {i.settles} uncertain item{'s' if i.settles > 1 else ''}"))
        else:
            parts.append((i, f"may settle {len(i.may_settle)}, depending on the value"))
    return parts


def next_data_sentence(items: tuple[NextData, ...]) -> str:
    if not items:
        return NO_NEXT_DATA
    return NEXT_DATA_LEAD + "; ".join(f"{i.label} ({what})" for i, what in next_data_parts(items)) + "."


def at_a_glance(a: Assessment, bands: Mapping[int, Band] | None = None,
                items: tuple[NextData, ...] | None = None) -> Glance:
    """The summary sentences and next data of ``a`` (bands optional: without them no band is quoted)."""
    bands = bands or {}
    items = next_data(a) if items is None else items
    curve = risk_curve(a)
    sentences = [stage_sentence(a), fit_sentence(a), *regimens_sentences(a), risk_sentence(a, curve, bands),
                 next_data_sentence(items)]
    return Glance(tuple(sentences), items, curve)
