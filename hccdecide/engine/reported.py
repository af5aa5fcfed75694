"""Figures that must be shown as reported, never combined: univariable HRs, RRs without CIs and
subgroup medians. For each, the level that applies to the patient is marked (or unknown).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from hccdecide.engine.matching import MET, NOT_MET, evaluate_rule
from hccdecide.engine.prognosis import combinable
from hccdecide.evidence.schema import Factor, PrognosticModel, Study, SubgroupComparison, SubgroupLevel

ANALYSIS_LABEL = {
    "multivariable_cox": "multivariable Cox HR",
    "univariable_cox": "univariable HR (not adjusted)",
    "multivariable_rr_no_ci": "multivariable RR without CI (direction as read; not combinable)",
    "multivariable_chi2_statistic": "multivariable test statistic (1-df chi-square) with p: no direction, "
                                    "no effect size",
    "subgroup_medians": "subgroup medians (log-rank, univariable)",
}


def figure_text(factor: Factor, analysis: str) -> str:
    """How one reported factor's figure reads everywhere (window, PDF, evidence browser): an HR or RR
    with its CI, or a test statistic that is never written as a ratio."""
    if factor.statistic is not None:
        return f"χ² (1 df) {factor.statistic:g}: no direction, no effect size"
    if factor.effect is None:
        return "not given"
    kind = "RR" if analysis == "multivariable_rr_no_ci" else "HR"
    ci = f" ({factor.ci[0]:g}–{factor.ci[1]:g})" if factor.ci else " (no CI)"
    return f"{kind} {factor.effect:g}{ci}"


@dataclass(frozen=True)
class ReportedFactor:
    factor: Factor
    applies: bool | None  # patient at the comparison level?
    reason: str


@dataclass(frozen=True)
class ReportedModel:
    study: Study
    model: PrognosticModel
    factors: tuple[ReportedFactor, ...]

    @property
    def analysis_label(self) -> str:
        return ANALYSIS_LABEL[self.model.analysis]


@dataclass(frozen=True)
class ReportedLevel:
    level: SubgroupLevel
    applies: bool | None


@dataclass(frozen=True)
class ReportedSubgroup:
    study: Study
    subgroup: SubgroupComparison
    levels: tuple[ReportedLevel, ...]

    @property
    def patient_level(self) -> ReportedLevel | None:
        return next((lv for lv in self.levels if lv.applies), None)

    @property
    def patient_text(self) -> str:
        """The patient's level; 'at none of its levels' when the patient is outside every group the
        study formed (a 5-fraction course against groups of 12-33 fractions), else unknown."""
        level = self.patient_level
        if level is not None:
            return level.level.label
        return "at none of its levels" if all(lv.applies is False for lv in self.levels) else "unknown"


def _applies(rule, facts: Mapping[str, Any]) -> tuple[bool | None, str]:
    if rule is None:
        return None, "no patient variable for this level"
    verdict = evaluate_rule(rule, facts)
    return {MET: True, NOT_MET: False}.get(verdict.status), verdict.reason


def reported_models(study: Study, facts: Mapping[str, Any]) -> tuple[ReportedModel, ...]:
    """Every prognostic model of ``study`` that is not turned into a curve, with the patient's levels."""
    out = []
    for model in study.prognostic_models:
        if combinable(model):
            continue
        factors = tuple(ReportedFactor(f, *_applies(f.present_when, facts)) for f in model.factors)
        out.append(ReportedModel(study, model, factors))
    return tuple(out)


def reported_subgroups(study: Study, facts: Mapping[str, Any]) -> tuple[ReportedSubgroup, ...]:
    return tuple(
        ReportedSubgroup(study, sg, tuple(ReportedLevel(lv, _applies(lv.present_when, facts)[0])
                                          for lv in sg.levels))
        for sg in study.subgroups)
