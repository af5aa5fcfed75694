"""Evidence level from study design (and the sample size used to break ties in ranking)."""
from __future__ import annotations

from hccdecide.evidence.schema import Design, Study

# 1 = randomised phase III or meta-analysis, 2 = other randomised, 3 = prospective non-randomised,
# 4 = retrospective, 5 = protocol without results.
LEVEL_BY_DESIGN = {
    Design.META_ANALYSIS: 1,
    Design.RCT_PHASE3: 1,
    Design.RCT_PHASE2: 2,
    Design.RANDOMISED: 2,
    Design.RANDOMISED_PILOT: 2,
    Design.PROSPECTIVE: 3,
    Design.PROSPECTIVE_OBSERVATIONAL: 3,
    Design.RETROSPECTIVE: 4,
    Design.PROTOCOL: 5,
}
LEVEL_LABEL = {
    1: "Level 1 · randomised phase III or meta-analysis",
    2: "Level 2 · randomised phase II, pilot or phase not stated",
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


def evidence_level(study: Study) -> int:
    return LEVEL_BY_DESIGN[study.design]


def level_label(study: Study) -> str:
    return LEVEL_LABEL[evidence_level(study)]
