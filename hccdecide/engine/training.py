"""Training mode without Qt: compare a resident's answers with the app's assessment, criterion by criterion.

The resident ticks the regimens that fit the patient and picks a risk stratum for the default OS
model of Yan 2025. An *eligible* regimen must be ticked and an *ineligible* one left unticked; an
*uncertain* regimen (data missing, or a criterion the source does not report) is neither required
nor penalised: either answer is accepted and it is not counted in the score, so a resident who
follows the lesson "this patient fits almost no active regimen" is not marked down. A stratum answer
is right when it is one of the strata the app cannot rule out, or "not applicable" when the patient
is ineligible for the study the model comes from. The expert answer (the eligible regimens and an
accepted stratum) therefore scores in full.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hccdecide.engine.assessment import Assessment
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, NOT_MET, UNCERTAIN, UNKNOWN, CriterionResult
from hccdecide.engine.prognosis import FactorState
from hccdecide.paths import cases_dir

STRATUM_STUDY = "yan2025_lnm"
STRATUM_ENDPOINT = "OS"
NOT_APPLICABLE = "not_applicable"
STRATA = ("low", "intermediate", "high", NOT_APPLICABLE)
APPLIES = (ELIGIBLE, UNCERTAIN)


@dataclass(frozen=True)
class StudyReason:
    """Why one supporting study has the status it has: the criteria not met or unknown."""

    study_id: str
    short_name: str
    status: str
    criteria: tuple[CriterionResult, ...]
    warnings: tuple[str, ...] = ()  # e.g. a value outside the range the study treated


@dataclass(frozen=True)
class RegimenFeedback:
    key: str
    name: str
    app_status: str
    ticked: bool
    studies: tuple[StudyReason, ...]  # every supporting study, best ranked first

    @property
    def applies(self) -> bool:
        return self.app_status in APPLIES

    @property
    def scored(self) -> bool:
        """Uncertain regimens are open questions: not counted either way."""
        return self.app_status != UNCERTAIN

    @property
    def correct(self) -> bool:
        return not self.scored or self.ticked == (self.app_status == ELIGIBLE)

    @property
    def verdict(self) -> str:
        if not self.scored:
            return "open"
        if self.correct:
            return "agreed"
        return "missed" if self.app_status == ELIGIBLE else "not supported"


@dataclass(frozen=True)
class StratumFeedback:
    resident: str | None
    expected: tuple[str, ...]  # any of these is accepted
    study_status: str | None
    factors: tuple[FactorState, ...]  # the model's factors with present / absent / unknown
    rule: str

    @property
    def correct(self) -> bool:
        return self.resident in self.expected


@dataclass(frozen=True)
class TrainingFeedback:
    regimens: tuple[RegimenFeedback, ...]  # in the assessment's ranking
    stratum: StratumFeedback

    @property
    def wrong(self) -> tuple[RegimenFeedback, ...]:
        return tuple(r for r in self.regimens if not r.correct)

    @property
    def missed(self) -> tuple[RegimenFeedback, ...]:
        return tuple(r for r in self.regimens if r.verdict == "missed")

    @property
    def not_supported(self) -> tuple[RegimenFeedback, ...]:
        return tuple(r for r in self.regimens if r.verdict == "not supported")

    @property
    def open(self) -> tuple[RegimenFeedback, ...]:
        """Uncertain regimens: shown with their open questions, not scored."""
        return tuple(r for r in self.regimens if not r.scored)

    @property
    def score(self) -> tuple[int, int]:
        """(right answers, questions): one per eligible or ineligible regimen, plus the stratum."""
        scored = [r for r in self.regimens if r.scored]
        return sum(r.correct for r in scored) + int(self.stratum.correct), len(scored) + 1

    def score_parts(self) -> dict[str, tuple[int, int]]:
        """What the score is made of: eligible ticked, ineligible left unticked, stratum."""
        eligible = [r for r in self.regimens if r.app_status == ELIGIBLE]
        ineligible = [r for r in self.regimens if r.app_status == INELIGIBLE]
        return {"eligible ticked": (sum(r.ticked for r in eligible), len(eligible)),
                "ineligible left unticked": (sum(not r.ticked for r in ineligible), len(ineligible)),
                "risk stratum": (int(self.stratum.correct), 1)}


def expert_answer(assessment: Assessment) -> tuple[set[str], str]:
    """The answer that scores in full: every eligible regimen, and the first accepted stratum."""
    regimens = {r.info.key for r in assessment.regimens if r.status == ELIGIBLE}
    return regimens, stratum_feedback(None, assessment).expected[0]


def hint(assessment: Assessment) -> str:
    """A nudge before the reveal: how many regimens fit, and the values that decide most of them."""
    f = assessment.derived.facts
    eligible = sum(r.status == ELIGIBLE for r in assessment.regimens)
    uncertain = sum(r.status == UNCERTAIN for r in assessment.regimens)
    cp = f.get("child_pugh_class")
    bclc = assessment.derived.bclc.stage
    look = [f"Child–Pugh class {cp}" if cp else "Child–Pugh (not determined)",
            f"ECOG {assessment.patient['ecog']}" if assessment.patient["ecog"] is not None else "ECOG (unknown)",
            f"BCLC {bclc}" if bclc else "BCLC (not determined)"]
    return (f"{eligible} regimen(s) are eligible and {uncertain} uncertain for this patient. "
            f"Start from {', '.join(look)}: most study criteria turn on these.")


def _study_reasons(regimen) -> tuple[StudyReason, ...]:
    return tuple(StudyReason(m.study.id, m.study.short_name, m.status,
                             tuple(c for c in m.criteria if c.status in (NOT_MET, UNKNOWN)), m.warnings)
                 for m in regimen.matches)


def stratum_feedback(resident: str | None, assessment: Assessment) -> StratumFeedback:
    curve = assessment.default_curve(STRATUM_STUDY, STRATUM_ENDPOINT)
    try:
        status = assessment.match(STRATUM_STUDY).status
    except StopIteration:
        status = None
    if curve is None:
        return StratumFeedback(resident, (NOT_APPLICABLE,), status, (), "the model is not in the library")
    expected = curve.stratum.possible
    if status == INELIGIBLE:
        expected = (NOT_APPLICABLE,)
    elif status == UNCERTAIN:
        expected = expected + (NOT_APPLICABLE,)  # eligibility itself is still open
    return StratumFeedback(resident, expected, status, curve.states, curve.stratum.rule)


def compare(resident_regimens: set[str], resident_stratum: str | None, assessment: Assessment) -> TrainingFeedback:
    """Grade the resident's ticks (regimen keys) and stratum against ``assessment``."""
    unknown = set(resident_regimens) - {r.info.key for r in assessment.regimens}
    if unknown:
        raise KeyError(f"unknown regimen keys: {sorted(unknown)}")
    if resident_stratum is not None and resident_stratum not in STRATA:
        raise ValueError(f"stratum {resident_stratum!r}; expected one of {', '.join(STRATA)}")
    regimens = tuple(RegimenFeedback(r.info.key, r.info.name, r.status, r.info.key in resident_regimens,
                                     _study_reasons(r)) for r in assessment.regimens)
    return TrainingFeedback(regimens, stratum_feedback(resident_stratum, assessment))


# -- the bundled training cases ------------------------------------------------------------------
@dataclass(frozen=True)
class TrainingCase:
    file: str
    title: str
    vignette: str
    focus: str

    @property
    def path(self) -> Path:
        return cases_dir() / self.file


@lru_cache(maxsize=1)
def training_cases() -> tuple[TrainingCase, ...]:
    """The cases listed in resources/cases/training.yaml, in their listed order."""
    data: dict[str, Any] = yaml.safe_load((cases_dir() / "training.yaml").read_text(encoding="utf-8"))
    return tuple(TrainingCase(c["file"], c["title"], " ".join(c["vignette"].split()),
                              " ".join(c["focus"].split())) for c in data["cases"])
