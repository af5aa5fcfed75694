"""The assessment as plain JSON-ready data: the contract of ``hccdecide assess --json``.

Every key is documented in the README ("Assessment JSON"). Numbers are rounded for reading, not
for computing: survival in percent with one decimal, months with one decimal.
"""
from __future__ import annotations

from typing import Any

from hccdecide import __version__
from hccdecide.clinical.dose import DEFAULT_ALPHA_BETA_GY
from hccdecide.clinical.liver import ALBI_CONVENTION, CHILD_PUGH_CONVENTION, albi_digits
from hccdecide.clinical.nodes import station_source
from hccdecide.clinical.oligo import OLIGO_CONVENTION
from hccdecide.clinical.staging import BCLC_VERSION
from hccdecide.clinical.vascular import MVI_CONVENTION
from hccdecide.engine.assessment import Assessment
from hccdecide.engine.levels import DESIGN_LABEL, evidence_level, level_label
from hccdecide.engine.matching import StudyMatch
from hccdecide.engine.benefit import absolute_benefit, absolute_benefit_json
from hccdecide.engine.icon_array import glance_icons, icon_array_json
from hccdecide.engine.next_data import next_data_json
from hccdecide.engine.plain_summary import at_a_glance
from hccdecide.engine.prognosis import CurveEstimate
from hccdecide.engine.regimens import Benefit, Figure, OutcomeRow, RegimenResult, settleable
from hccdecide.engine.reported import ANALYSIS_LABEL, ReportedModel, ReportedSubgroup
from hccdecide.engine.uncertainty import Band
from hccdecide.evidence.schema import Estimate, Factor

DERIVED_KEYS = ("child_pugh_score", "child_pugh_class", "albi_score", "albi_grade", "bclc_stage",
                "mvi_grade", "mvi_present", "pvtt_cheng_type", "lnm_location", "m_stage",
                "extrahepatic_organs", "extrahepatic_lesions", "oligoprogression_type", "bed_gy", "eqd2_gy",
                "has_target_lesion", "disease_after_treatment")  # the last two: setting rules of this app


def conventions() -> dict[str, str]:
    return {
        "child_pugh": CHILD_PUGH_CONVENTION,
        "albi": ALBI_CONVENTION,
        "bclc": BCLC_VERSION + " strategy (Reig et al. 2022), simplified to the entered features",
        "mvi_grade": MVI_CONVENTION,
        "cheng_type": "approximated from Vp (Vp1 and Vp2≈I, Vp3≈II, Vp4≈III) unless entered; approximate",
        "lnm_location": "station table: " + station_source(),
        "oligoprogression": OLIGO_CONVENTION,
        "bed": f"linear-quadratic BED, α/β {DEFAULT_ALPHA_BETA_GY:g} Gy unless entered",
    }


def _r(x: float | None, digits: int = 1) -> float | None:
    return None if x is None else round(float(x), digits)


def derived_json(a: Assessment) -> dict[str, Any]:
    out = {k: a.derived.facts[k] for k in DERIVED_KEYS}
    out["lnm_location"] = out["lnm_location"] if out["lnm_location"] != "none" else None
    if out["albi_score"] is not None:  # enough digits that a score next to a cut-off does not print on it
        out["albi_score"] = _r(out["albi_score"], albi_digits(out["albi_score"]))
    out["bed_gy"], out["eqd2_gy"] = _r(out["bed_gy"]), _r(out["eqd2_gy"])
    cp = a.derived.child_pugh
    out["child_pugh_points"] = dict(cp.points)
    out["child_pugh_score_range"] = list(cp.score_range)
    out["bclc_reason"] = a.derived.bclc.reason
    out["bclc_caution"] = a.derived.bclc.caution or None
    out["oligoprogression_reason"] = a.derived.oligo.reason
    out["lnm_location_reason"] = a.derived.nodal.reason
    out["uln_used"] = {k: {"value": v, "source": s} for k, (v, s) in a.derived.uln_used.items()}
    return out


def study_json(m: StudyMatch) -> dict[str, Any]:
    s = m.study
    return {
        "id": s.id, "short_name": s.short_name, "first_author": s.first_author, "year": s.year,
        "design": s.design.value, "design_label": DESIGN_LABEL[s.design], "n": s.n,
        "evidence_level": evidence_level(s), "evidence_level_label": level_label(s),
        "summarised_by_review": s.summarised_by_review, "source": s.source_citation,
        "hcc_share": s.hcc_share.model_dump() if s.hcc_share else None,
        "regimens": list(s.regimen_keys), "status": m.status, "missing": list(m.missing),
        "entries": list(m.entries_or_missing),
        "uncertain_kind": list(m.uncertain_kinds), "uncertain_text": m.uncertain_text,
        "dose_flags": list(m.dose_flags), "checked": m.checked_count, "to_confirm": m.to_confirm_count, "counts_text": m.counts_text,
        "core_domains": {d: c.model_dump() for d, c in s.core_domains.items()},
        "criteria": [{"id": c.criterion.id, "label": c.criterion.label, "status": c.status,
                      "reason": c.reason, "from_list": c.criterion.from_list, "basis": c.criterion.basis,
                      "location": c.criterion.location} for c in m.criteria],
        "warnings": list(m.warnings),
    }


def estimate_json(e: Estimate) -> dict[str, Any]:
    return {"value": e.value, "ci": list(e.ci) if e.ci else None, "ci_level": e.ci_level,
            "reached": e.reached}


def outcome_row_json(row: OutcomeRow) -> dict[str, Any]:
    rng = row.value_range
    return {
        "label": row.label, "endpoint": row.endpoint, "measure": row.measure,
        "time_origin": row.time_origin or None, "unit_of_analysis": row.unit_of_analysis,
        "site": row.site or None, "population_kind": row.population_kind, "population": row.population or None,
        "phase": row.phase or None, "arm": row.arm or None, "study_result": row.is_study_result,
        "at_months": row.at_months, "unit": row.unit, "range": list(rng) if rng else None,
        "any_not_reached": row.any_not_reached, "range_basis": row.range_basis,
        "range_note": row.range_note,
        "figures": [{"study": f.study.id, "arm": f.arm.label, "status": f.status,
                     **estimate_json(f.outcome.estimate), "definition": f.outcome.definition,
                     "population": f.outcome.population, "time_origin": f.outcome.time_origin,
                     "location": f"{f.study.source_citation}: {f.outcome.location}",
                     "comparator": comparator_json(f)}
                    for f in row.figures],
    }


def comparator_json(f: Figure) -> dict[str, Any] | None:
    """The comparison arm's figure for the same measure (see regimens.Comparator), or None."""
    c = f.comparator
    if c is None:
        return None
    return {"arm": c.arm.label, "randomised": c.randomised, "compared": c.compared, "test": c.test or None, **estimate_json(c.outcome.estimate),
            "location": f"{f.study.source_citation}: {c.outcome.location}"}


def benefit_json(b: Benefit) -> dict[str, Any]:
    c = b.comparison
    return {"study": b.study.id, "endpoint": c.endpoint, "measure": c.measure,
            "experimental": b.experimental.label, "control": b.control.label,
            **estimate_json(c.estimate), "p": c.p, "analysis": c.analysis, "status": b.status,
            "control_outcomes": [{"endpoint": o.endpoint, "measure": o.measure, "at_months": o.at_months,
                                  **estimate_json(o.estimate)} for o in b.control.outcomes],
            "location": f"{b.study.source_citation}: {c.location}",
            "absolute": absolute_benefit_json(absolute_benefit(b))}


def regimen_json(r: RegimenResult) -> dict[str, Any]:
    return {
        "key": r.info.key, "name": r.info.name, "summary": r.info.summary, "status": r.status,
        "best_evidence_level": r.best_level, "gate_messages": list(r.gate_messages),
        "indication": ({"label": r.info.indication_label, "state": r.indication}
                       if r.info.indication is not None else None),
        "lead_study": {"id": r.lead.study.id, "evidence_level": evidence_level(r.lead.study),
                       "fit_settleable": settleable(r.lead)},
        "studies": [{"id": m.study.id, "status": m.status, "evidence_level": evidence_level(m.study),
                     "n": m.study.n, "protocol": m.study.is_protocol} for m in r.matches],
        "outcomes": [outcome_row_json(row) for row in r.outcomes],
        "randomised_benefit": [benefit_json(b) for b in r.benefits],
        "open_trials": [m.study.id for m in r.open_trials],
    }


def _landmarks_json(landmarks, band: Band | None) -> dict[str, Any]:
    out = {}
    for t, s in landmarks.items():
        lo_hi = band.landmark_ci.get(t) if band else None
        out[str(t)] = {"estimate": _r(100 * s), "lower": _r(100 * lo_hi[0]) if lo_hi else None,
                       "upper": _r(100 * lo_hi[1]) if lo_hi else None}
    return out


def _predicted_json(c: CurveEstimate, band: Band | None) -> dict[str, Any] | None:
    if not c.shown:
        return None
    median_ci = list(band.median_ci) if band else None
    return {"horizon_months": c.horizon, "from_months": float(c.grid[0]),
            "median_months": _r(c.median), "median_beyond_horizon": c.median is None,
            "median_ci": [_r(x) for x in median_ci] if median_ci else None,
            "landmarks": _landmarks_json(c.landmarks, band)}


def _bound_json(c: CurveEstimate) -> dict[str, Any] | None:
    b = c.bound
    if b is None:
        return None
    key = "at_most" if b.side == "above" else "at_least"
    return {"side": b.side, "edge_percentile": b.edge_percentile, "text": b.text(c.model.endpoint),
            "landmarks": {str(t): {key: _r(100 * s)} for t, s in b.landmarks.items()},
            "median_months": {key: _r(b.median)} if b.median is not None else None}


def _sensitivity_json(c: CurveEstimate, band: Band | None) -> list[dict[str, Any]]:
    out = []
    for line in c.sensitivity:
        landmarks = None
        if line.landmarks is not None:
            landmarks = {}
            for t, s in line.landmarks.items():
                ci = band.landmark_ci.get(t) if band else None
                outside = None if ci is None else bool(s < ci[0] or s > ci[1])
                landmarks[str(t)] = {"estimate": _r(100 * s), "outside_default_band": outside}
        out.append({"model": line.model_id, "label": line.label, "landmarks": landmarks, "note": line.note})
    return out


def _subgroup_check_json(c: CurveEstimate) -> list[dict[str, Any]]:
    """The individual median beside each published subgroup median of the patient's levels."""
    return [{"factor": k.figure.factor, "level": k.figure.level,
             "published_median_months": k.figure.median_months, "published_reached": k.figure.reached,
             "published_ci": list(k.figure.ci) if k.figure.ci else None,
             "individual_median_months": _r(k.individual_median),
             "individual_median_beyond_horizon": k.individual_median is None,
             "verdict": k.verdict, "outside": k.outside, "direction": k.direction,
             "flag": k.flag, "explained_by": list(k.explained_by), "rule": k.rule,
             "text": k.text, "location": f"{c.study.source_citation}: {k.figure.location}"}
            for k in c.subgroup_checks]


def _published_median_json(c: CurveEstimate) -> dict[str, Any] | None:
    pm = c.published_median
    if pm is None:
        return None
    return {"median_months": pm.months, "reached": pm.reached, "ci": list(pm.ci) if pm.ci else None,
            "location": pm.location, "text": pm.text(c.model.endpoint)}


def _stratum_json(c: CurveEstimate) -> dict[str, Any]:
    """The risk stratum, or nulls when no individual estimate is given (not applicable, outside the
    cohort's support, after progression): a stratum is itself an individual statement."""
    keys = ("stratum", "possible_strata", "stratum_rule", "stratum_factors_present", "stratum_factors_unknown",
            "stratum_cutpoints", "stratum_shares")
    if not c.shown:
        return dict.fromkeys(keys)
    st = c.stratum
    return {
        "stratum": st.name, "possible_strata": list(st.possible), "stratum_rule": st.rule,
        "stratum_factors_present": list(st.present), "stratum_factors_unknown": list(st.unknown),
        "stratum_cutpoints": [{"linear_predictor": _r(lp, 3), "survival_months": st.cut_months,
                               "survival_pct": _r(100 * sv) if st.cut_survival else None}
                              for lp, sv in zip(st.cut_lp, st.cut_survival or (None, None))],
        "stratum_shares": {n: _r(100 * x) for n, x in zip(("low", "intermediate", "high"), st.shares)},
    }


def curve_json(c: CurveEstimate, band: Band | None) -> dict[str, Any]:
    sup, sh = c.support, c.shrinkage
    return {
        "study": c.study.id, "model": c.model.id, "endpoint": c.model.endpoint,
        "model_type": c.model.analysis, "model_label": c.model.label, "default": c.model.default,
        "model_note": c.model.note, "all_factors_applied": c.apply_all,
        "stage": c.stage, "landmark_months": c.landmark_time,
        "location": f"{c.study.source_citation}: {c.model.location}",
        "study_status": c.status, "applicable": c.applicable,
        "withheld": c.withheld, "withheld_text": c.withheld_text or None,
        "factors": [{"id": s.factor.id, "name": s.factor.label, "present": s.present, "hr": s.factor.effect,
                     "ci": list(s.factor.ci) if s.factor.ci else None, "p": s.factor.p,
                     "timing": s.factor.timing, "applied": s.applied, "counted": s.counted,
                     "significant": s.significant, "prevalence": s.factor.prevalence, "reason": s.reason}
                    for s in c.states],
        "shrinkage": ({"factor": round(sh.factor, 4), "method": sh.method, "chi2": sh.chi2, "df": sh.df,
                       "location": c.model.lr_chi2_location} if sh else None),
        "support": {"inside": sup.inside, "lp_percentile": _r(sup.lp_percentile),
                    "lp_percentile_range": [_r(x) for x in sup.percentile_range],
                    "partly_outside": sup.partly_outside, "text": sup.text},
        "bound": _bound_json(c),
        "published_subgroups": [{"factor": g.factor, "level": g.level, "median_months": g.median_months,
                                 "reached": g.reached, "ci": list(g.ci) if g.ci else None, "p": g.p,
                                 "location": f"{c.study.source_citation}: {g.location}"} for g in c.subgroups],
        **_stratum_json(c),
        "predicted": _predicted_json(c, band),
        "subgroup_check": _subgroup_check_json(c),
        "published_cohort_median": _published_median_json(c),
        "band": ({"method": band.method, "draws": band.draws, "failed_fits": band.failed_fits,
                  "level": 0.95, "covers_full_model": band.covers_full_model, "km_floor": band.km_floor}
                 if band else None),
        "sensitivity": _sensitivity_json(c, band),
        "calibration_points": [{"months": float(t), "published": _r(100 * s)}
                               for t, s in zip(c.knots.times, c.knots.survival)],
        "warnings": list(c.warnings),
    }


def _reported_figure(analysis: str, factor: Factor) -> dict[str, Any]:
    """The factor's printed figure under its true name: hr, rr, or a 1-df chi-square statistic (which
    has no direction and no effect size, so it is never given as hr or rr)."""
    if factor.statistic is not None:
        return {"chi2_1df": factor.statistic, "effect_size": None}
    return {"hr" if analysis != "multivariable_rr_no_ci" else "rr": factor.effect}


def reported_model_json(rm: ReportedModel) -> dict[str, Any]:
    return {
        "study": rm.study.id, "model": rm.model.id, "endpoint": rm.model.endpoint,
        "model_type": rm.model.analysis, "model_label": ANALYSIS_LABEL[rm.model.analysis],
        "combined": False, "location": f"{rm.study.source_citation}: {rm.model.location}",
        "factors": [{"id": f.factor.id, "name": f.factor.label, "present": f.applies,
                     **_reported_figure(rm.model.analysis, f.factor),
                     "ci": list(f.factor.ci) if f.factor.ci else None, "p": f.factor.p,
                     "timing": f.factor.timing, "reason": f.reason} for f in rm.factors],
    }


def reported_subgroup_json(rs: ReportedSubgroup) -> dict[str, Any]:
    return {
        "study": rs.study.id, "id": rs.subgroup.id, "endpoint": rs.subgroup.endpoint,
        "model_type": "subgroup_medians", "factor": rs.subgroup.factor, "timing": rs.subgroup.timing,
        "p": rs.subgroup.p, "location": f"{rs.study.source_citation}: {rs.subgroup.location}",
        "patient_level": rs.patient_text,
        "levels": [{"label": lv.level.label, "n": lv.level.n, "median_months": lv.level.median_months,
                    "reached": lv.level.reached, "ci": list(lv.level.ci) if lv.level.ci else None,
                    "patient": lv.applies} for lv in rs.levels],
    }


def assessment_json(a: Assessment, bands: dict[int, Band] | None = None) -> dict[str, Any]:
    bands = bands or {}
    glance = at_a_glance(a, bands)
    return {
        "app_version": __version__,
        "summary": list(glance.sentences),
        "next_data": next_data_json(glance.next_data),
        "icon_arrays": [icon_array_json(i) for i in glance_icons(a, glance, bands)],
        "derived": derived_json(a),
        "notes": [{"key": n.key, "kind": n.kind, "text": n.text, "fields": list(n.fields)} for n in a.derived.notes],
        "conventions": conventions(),
        "studies": [study_json(m) for m in a.matches],
        "regimens": [regimen_json(r) for r in a.regimens],
        "risk": [curve_json(c, bands.get(i)) for i, c in enumerate(a.curves)]
                + [reported_model_json(rm) for rm in a.reported_models]
                + [reported_subgroup_json(rs) for rs in a.reported_subgroups],
        "evidence": {"version": a.library.version, "digest": a.library.digest,
                     "studies": len(a.library.studies),
                     "skipped_files": [str(e) for e in a.library.problems]},
    }
