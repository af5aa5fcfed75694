"""What is said instead of a curve for a patient outside the cohort's support: the estimate at the
edge of the support as a bound, and the published subgroup figures for the patient's own levels."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from hccdecide.figure_words import ci_text
from hccdecide.engine.matching import MET, evaluate_rule
from hccdecide.evidence.schema import Study


@dataclass(frozen=True)
class SubgroupFigure:
    """One published univariable subgroup figure at the patient's level (shown as reported)."""

    factor: str
    level: str
    median_months: float | None
    reached: bool
    ci: tuple[float, float] | None
    p: str | None
    location: str
    variables: frozenset[str] = frozenset()  # the patient variables the level's rule reads

    @property
    def short_text(self) -> str:
        med = (f"median {self.median_months:g} months" if self.median_months is not None
               else "median not reached" if not self.reached else "median not given")
        return f"{self.factor} {self.level}: {med}"

    @property
    def text(self) -> str:
        if self.median_months is not None:
            ci = f" ({ci_text(self.ci)})" if self.ci else ""
            med = f"median {self.median_months:g} months{ci}"
        else:
            med = "median not reached" if not self.reached else "median not given"
        return f"{self.factor} {self.level}: {med}, log-rank p {self.p} ({self.location})"


@dataclass(frozen=True)
class Bound:
    side: str  # "above": survival at most the edge values; "below": at least
    edge_percentile: float  # the percentile of the crossed edge (95 or 5)
    landmarks: Mapping[int, float]  # survival (0-1) at the edge of support
    median: float | None  # at the edge; None = beyond the last published point
    horizon: float
    subgroups: tuple[SubgroupFigure, ...]

    @property
    def word(self) -> str:
        return "at most" if self.side == "above" else "at least"

    def landmark_text(self, endpoint: str) -> list[str]:
        return [f"{t // 12}-year {endpoint} {self.word} {100 * s:.0f}%" for t, s in self.landmarks.items()]

    def median_text(self, endpoint: str) -> str:
        if self.median is None:
            if self.side == "above":
                return f"median {endpoint} not bounded within {self.horizon:g} months"
            return f"median {endpoint} beyond {self.horizon:g} months"
        return f"median {endpoint} {self.word} {self.median:.0f} months"

    def text(self, endpoint: str) -> str:
        edge = f"at the edge of the cohort's support ({self.edge_percentile:g}th percentile)"
        return f"{edge}: " + "; ".join(self.landmark_text(endpoint) + [self.median_text(endpoint)]) + "."


def rule_variables(rule) -> frozenset[str]:
    """Every patient variable a rule reads (through ``any_of`` / ``all_of``)."""
    if rule is None:
        return frozenset()
    parts = getattr(rule, "any_of", None) or getattr(rule, "all_of", None)
    if parts:
        return frozenset().union(*(rule_variables(r) for r in parts))
    return frozenset({rule.var})


def patient_subgroups(study: Study, endpoint: str, timing: str, facts: Mapping[str, Any]) -> tuple[SubgroupFigure, ...]:
    """The published subgroup figures of ``endpoint`` at the levels this patient has."""
    out = []
    for sg in study.subgroups:
        if sg.endpoint != endpoint or sg.timing != timing:
            continue
        for lv in sg.levels:
            if lv.present_when is not None and evaluate_rule(lv.present_when, facts).status == MET:
                out.append(SubgroupFigure(sg.factor, lv.label, lv.median_months, lv.reached,
                                          tuple(lv.ci) if lv.ci else None, sg.p, sg.location,
                                          rule_variables(lv.present_when)))
    return tuple(out)
