"""The assessment at a glance: a few plain-language sentences, the same on screen, slide, PDF and JSON.

The sentences inform and never recommend: they say what the patient fits and what the evidence
reports, never what should be done. Every number in them is read from the assessment.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from hccdecide.engine.assessment import Assessment
from hccdecide.engine.levels import LEVEL_LABEL
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, UNCERTAIN
from hccdecide.engine.next_data import SHOWN_IN_SUMMARY, NextData, next_data
from hccdecide.engine.prognosis import BASELINE, CurveEstimate
from hccdecide.engine.regimens import OutcomeRow, RegimenResult
from hccdecide.engine.uncertainty import Band

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
    return f"Stage and liver function: {bclc} (2022 strategy); {liver}; {albi}."


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
    """The headline figure, read only from studies with the regimen's own status (a row held up by
    trials the patient does not fit is no expectation for this patient)."""
    rows: dict = {}
    for row in r.fitting_outcomes():  # the first row of a kind is the whole cohort, all sites
        rows.setdefault((row.endpoint, row.measure, row.at_months), row)
    return next((rows[k] for k in KEY_OUTCOMES if k in rows), next(iter(rows.values()), None))


def span_text(row: OutcomeRow) -> str:
    lo, hi = row.value_range
    span = f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"
    return span + ("%" if row.unit == "%" else f" {row.unit}")


def shown_regimens(a: Assessment) -> tuple[RegimenResult, ...]:
    """The best-supported regimens the patient fits, else those the patient may fit."""
    for status in (ELIGIBLE, UNCERTAIN):
        chosen = [r for r in a.regimens if r.status == status and any(not m.study.is_protocol for m in r.matches)]
        if chosen:
            return tuple(chosen[:SHOWN_REGIMENS])
    return ()


def regimen_sentence(r: RegimenResult) -> str:
    level = LEVEL_LABEL[r.best_level].replace(" · ", ", ")
    row = key_outcome(r)
    reported = (f"; the evidence reports {row.label[0].lower() + row.label[1:]}: {span_text(row)}"
                if row else f"; no outcome figure comes from a study the patient {_fits_word(r.status)}")
    # a gate no study of the regimen admits travels with the regimen into the summary, which is read alone
    gates = "".join(f" {g}" for g in r.gate_messages)
    return f"{r.info.name} ({r.status}; {level}){reported}.{gates}"


def _fits_word(status: str) -> str:
    return "fits" if status == ELIGIBLE else "may fit"


def regimens_sentences(a: Assessment) -> list[str]:
    chosen = shown_regimens(a)
    if not chosen:
        return ["No strategy with published results fits this patient, even with missing data filled in."]
    head = "Best-supported strategies the patient fits:" if chosen[0].status == ELIGIBLE else \
        "No strategy is fitted with certainty; best-supported strategies the patient may fit:"
    return [head] + [regimen_sentence(r) for r in chosen]


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
        text += f" (95% band {lo:.1f}–{hi:.1f})" if hi is not None else f" (95% band from {lo:.1f})"
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
    return f"{source}: {group_text}; {median_text(curve, band)}."


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
