"""The evidence library as one table for reviewers: one row per outcome figure and per comparison.

Columns: study, arm, regimen, endpoint, measure, value, CI, time point, time origin, population and
source location (plus the study id, design and the library version and digest, so a printed sheet
says which library it checks).
"""
from __future__ import annotations

import pandas as pd

from hccdecide.evidence.library import Library
from hccdecide.evidence.schema import Estimate, Study

COLUMNS = ("study_id", "study", "design", "arm", "regimen", "endpoint", "measure", "value", "ci_low",
           "ci_high", "ci_level", "reached", "at_months", "time_origin", "site", "population",
           "population_kind", "phase", "definition", "location", "library_version", "library_digest")


def _estimate(e: Estimate) -> dict:
    return {"value": e.value, "ci_low": e.ci[0] if e.ci else None, "ci_high": e.ci[1] if e.ci else None,
            "ci_level": e.ci_level if e.ci else None, "reached": e.reached}


def _outcome_rows(study: Study) -> list[dict]:
    rows = []
    for arm in study.arms:
        for o in arm.outcomes:
            rows.append({"arm": arm.label, "regimen": arm.regimen_key or "", "endpoint": o.endpoint,
                         "measure": o.measure, **_estimate(o.estimate), "at_months": o.at_months,
                         "time_origin": o.time_origin, "site": o.site, "population": o.population,
                         "population_kind": o.population_kind, "phase": o.phase,
                         "definition": o.definition, "location": f"{study.source_citation}: {o.location}"})
    return rows


def _comparison_rows(study: Study) -> list[dict]:
    arms = {a.id: a for a in study.arms}
    return [{"arm": f"{arms[c.experimental].label} vs {arms[c.control].label}",
             "regimen": arms[c.experimental].regimen_key or "", "endpoint": c.endpoint, "measure": c.measure,
             **_estimate(c.estimate), "at_months": None, "time_origin": "", "site": "",
             "population": c.analysis, "population_kind": "whole", "phase": "",
             "definition": f"p {c.p}" if c.p else "", "location": f"{study.source_citation}: {c.location}"}
            for c in study.comparisons]


def evidence_frame(library: Library) -> pd.DataFrame:
    rows = []
    for s in library.studies:
        for row in _outcome_rows(s) + _comparison_rows(s):
            rows.append({"study_id": s.id, "study": s.short_name, "design": s.design.value, **row,
                         "library_version": library.version, "library_digest": library.digest})
    return pd.DataFrame(rows, columns=list(COLUMNS))
