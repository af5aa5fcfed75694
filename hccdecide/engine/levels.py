"""Evidence level from study design (and the sample size used to break ties in ranking).

Levels follow the Oxford CEBM 2011 table for treatment benefits, on the project's five-step scale:
1 = randomised phase III, or a meta-analysis (systematic review) of randomised trials; 2 = other
randomised; 3 = prospective non-randomised; 4 = retrospective; 5 = protocol without results. A
meta-analysis is graded by what it pools: of randomised trials only, level 1; otherwise the level of
the least rigorous design it pools; when the source does not say what it pools, level 4 (the lowest
it could be, so that it never lends more authority than it may have). A trial randomised only between
variants of one strategy (``randomised_within_strategy``) has no randomised control for the strategy
itself, and one not designed to compare its arms (``non_comparative``) gives no comparison either, so
for the strategy either trial is a prospective series, level 3.
"""
from __future__ import annotations

from hccdecide.evidence.schema import Design, Study

LEVEL_BY_DESIGN = {
    Design.META_ANALYSIS: 1,  # only when it pools randomised trials; see evidence_level
    Design.RCT_PHASE3: 1,
    Design.RCT_PHASE2: 2,
    Design.RANDOMISED: 2,
    Design.RANDOMISED_PILOT: 2,
    Design.PROSPECTIVE: 3,
    Design.PROSPECTIVE_OBSERVATIONAL: 3,
    Design.RETROSPECTIVE: 4,
    Design.PROTOCOL: 5,
}
RANDOMISED_DESIGNS = frozenset({Design.RCT_PHASE3, Design.RCT_PHASE2, Design.RANDOMISED, Design.RANDOMISED_PILOT})
UNSTATED_POOL_LEVEL = 4
PROTOCOL_LEVEL = LEVEL_BY_DESIGN[Design.PROTOCOL]  # no results yet
LEVEL_LABEL = {
    1: "Level 1 · randomised phase III or meta-analysis of randomised trials",
    2: "Level 2 · other randomised trial: phase I–II, pilot or phase not stated",
    3: "Level 3 · prospective, non-randomised",
    4: "Level 4 · retrospective",
    5: "Open protocol · no results yet",
}
DESIGN_LABEL = {
    Design.META_ANALYSIS: "meta-analysis",
    Design.RCT_PHASE3: "randomised phase III",
    Design.RCT_PHASE2: "randomised phase II",
    Design.RANDOMISED: "randomised (phase not stated)",
    Design.RANDOMISED_PILOT: "randomised pilot",
    Design.PROSPECTIVE: "prospective single-arm",
    Design.PROSPECTIVE_OBSERVATIONAL: "prospective observational",
    Design.RETROSPECTIVE: "retrospective",
    Design.PROTOCOL: "protocol (no results)",
}
META_RULE = ("a meta-analysis is graded by what it pools (Oxford CEBM 2011): of randomised trials only, "
             "level 1; otherwise the level of its least rigorous design; not stated, level 4")


WITHIN_STRATEGY = "randomised only between variants of the same strategy, so a prospective series for it"
NON_COMPARATIVE = "randomised but not designed to compare its arms, so each arm is a prospective series"


def no_randomised_comparison(study: Study) -> str:
    """Why a randomised trial gives no randomised comparison for the strategy ('' when it does)."""
    if study.randomised_within_strategy:
        return WITHIN_STRATEGY
    return NON_COMPARATIVE if study.non_comparative else ""


def design_text(study: Study) -> str:
    """The design in words, saying when its randomisation does not test the strategy itself."""
    label, why = DESIGN_LABEL[study.design], no_randomised_comparison(study)
    if not why:
        return label
    return f"{label[:-1]}; {why})" if label.endswith(")") else f"{label} ({why})"


def evidence_level(study: Study) -> int:
    if no_randomised_comparison(study):
        return LEVEL_BY_DESIGN[Design.PROSPECTIVE]
    if study.design != Design.META_ANALYSIS:
        return LEVEL_BY_DESIGN[study.design]
    designs = study.pooled.designs if study.pooled else []
    if not designs:
        return UNSTATED_POOL_LEVEL
    if all(d in RANDOMISED_DESIGNS for d in designs):
        return 1
    return max(LEVEL_BY_DESIGN[d] for d in designs if d != Design.META_ANALYSIS)


def pooled_text(study: Study) -> str:
    """What a meta-analysis pools, in words, with the grading rule."""
    if study.design != Design.META_ANALYSIS:
        return ""
    pooled = study.pooled
    if pooled is None or not pooled.designs:
        what = "pooled designs not stated by the source"
    else:
        count = f"{pooled.studies} " if pooled.studies else ""
        what = f"pools {count}" + " and ".join(DESIGN_LABEL[d] for d in pooled.designs) + " studies"
    return f"meta-analysis; {what}; {META_RULE}"


def level_label(study: Study) -> str:
    base = LEVEL_LABEL[evidence_level(study)]
    if no_randomised_comparison(study):
        return f"{base} ({design_text(study)})"
    return f"{base} ({pooled_text(study)})" if study.design == Design.META_ANALYSIS else base
