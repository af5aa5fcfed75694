"""Derived values: everything the calculators can say about a patient, with conventions and conflicts.

The result's ``facts`` maps every variable of :data:`hccdecide.variables.VARIABLES` to a value or
``None`` (unknown); criteria and prognostic factors are evaluated on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

from hccdecide.clinical import dose, liver, nodes, oligo, staging, vascular
from hccdecide.patient import EHS_ORGANS, Patient
from hccdecide.paths import reference_file
from hccdecide.variables import VARIABLES
from hccdecide.yaml_data import read_table


@dataclass(frozen=True)
class Note:
    """Something the clinician should know about a derived value."""

    key: str
    kind: str  # conflict | override | assumption
    text: str


@dataclass(frozen=True)
class Derived:
    facts: Mapping[str, Any]
    child_pugh: liver.ChildPugh
    bclc: staging.Bclc
    mvi: vascular.MviGrade
    nodal: nodes.NodalLocation
    oligo: oligo.OligoResult
    uln_used: Mapping[str, tuple[float, str]]  # variable -> (ULN, "case" | "default")
    notes: tuple[Note, ...] = field(default_factory=tuple)

    def __getitem__(self, key: str) -> Any:
        return self.facts[key]


@lru_cache(maxsize=1)
def default_uln() -> Mapping[str, Mapping[str, Any]]:
    return read_table(reference_file("lab_normals.yaml"), "uln")


def _child_pugh(p: Patient, notes: list[Note]) -> tuple[liver.ChildPugh, int | None, str | None]:
    cp = liver.child_pugh(p["bilirubin_umol_l"], p["albumin_g_l"], p["inr"], p["pt_prolongation_s"],
                          p["ascites"], p["encephalopathy"])
    entered = p["child_pugh_score"]
    low, high = cp.score_range
    if cp.score is not None:
        if entered is not None and entered != cp.score:
            notes.append(Note("child_pugh_score", "conflict",
                              f"entered score {entered} differs from {cp.score} computed from the "
                              "components; the computed score is used"))
        return cp, cp.score, liver.child_pugh_class(cp.score)
    if entered is not None:
        if low <= entered <= high:
            notes.append(Note("child_pugh_score", "override",
                              f"entered score {entered} used (components incomplete: "
                              f"{', '.join(cp.missing)} unknown)"))
            return cp, entered, liver.child_pugh_class(entered)
        notes.append(Note("child_pugh_score", "conflict",
                          f"entered score {entered} is impossible with the known components "
                          f"({low}–{high}); Child–Pugh treated as unknown"))
        return cp, None, None
    return cp, None, cp.klass


def _albi(p: Patient) -> tuple[float | None, int | None]:
    bili, alb = p["bilirubin_umol_l"], p["albumin_g_l"]
    if bili is None or alb is None:
        return None, None
    score = liver.albi_score(bili, alb)
    return score, liver.albi_grade(score)


def _mvi_present(vp: int | None, vv: int | None) -> bool | None:
    if (vp or 0) > 0 or (vv or 0) > 0:
        return True
    if vp == 0 and vv == 0:
        return False
    return None


def _extrahepatic(p: Patient, nodal: nodes.NodalLocation, notes: list[Note]) -> dict[str, Any]:
    counts = {o: p[f"ehm_{o}_count"] for o in EHS_ORGANS}
    given = {o: c for o, c in counts.items() if c is not None}
    distant_nodes = nodal.location == "non_regional"
    node_lesions = (len([s for s in p["lnm_stations"] or ()
                         if nodes.station_table()[s].location == "non_regional"]) or 1) if distant_nodes else 0
    if p["extrahepatic_spread"] is False and not any(given.values()):
        organ_counts = {o: 0 for o in EHS_ORGANS}
    elif given:
        if len(given) < len(EHS_ORGANS):
            notes.append(Note("extrahepatic_organs", "assumption",
                              "organs without an entered count are taken as free of metastases"))
        organ_counts = {o: given.get(o, 0) for o in EHS_ORGANS}
    else:
        return {"extrahepatic_organs": None, "extrahepatic_lesions": None,
                "extrahepatic_max_per_organ": None, "distant_organ_mets": p["extrahepatic_spread"]}
    if p["extrahepatic_spread"] is False and any(given.values()):
        notes.append(Note("extrahepatic_spread", "conflict",
                          "extrahepatic spread marked absent but metastasis counts entered; counts used"))
    involved = [c for c in organ_counts.values() if c > 0]
    return {
        **{f"ehm_{o}_count": c for o, c in organ_counts.items()},
        "extrahepatic_organs": len(involved) + (1 if distant_nodes else 0),
        "extrahepatic_lesions": sum(involved) + node_lesions,
        "extrahepatic_max_per_organ": max(involved + [node_lesions]),
        "distant_organ_mets": bool(involved),
    }


def _lnm_present(p: Patient, notes: list[Note]) -> bool | None:
    """Listed stations outweigh a "no nodal metastasis" tick, as entered counts do for organs."""
    if p["lnm_present"] is False and p["lnm_stations"]:
        notes.append(Note("lnm_present", "conflict",
                          "nodal metastasis marked absent but stations listed; stations used"))
        return True
    return p["lnm_present"]


def _m_stage(distant_organ_mets: bool | None, nodal_location: str | None) -> str | None:
    if distant_organ_mets or nodal_location == "non_regional":
        return "M1"
    if distant_organ_mets is False and nodal_location in ("none", "regional"):
        return "M0"
    return None


def _uln_ratios(p: Patient) -> tuple[dict[str, float | None], dict[str, tuple[float, str]]]:
    ratios: dict[str, float | None] = {}
    used: dict[str, tuple[float, str]] = {}
    for var, spec in default_uln().items():
        case_key = spec.get("case_key")
        uln, source = (p[case_key], "case") if case_key and p[case_key] is not None else (spec["value"], "default")
        used[var] = (uln, source)
        value = p[var]
        ratios[var] = None if value is None else value / uln
    return ratios, used


def _hbv_active(p: Patient, uln: float) -> bool | None:
    if p["hbsag_positive"] is False:
        return False
    if p["hbsag_positive"] is True and p["hbv_dna_iu_ml"] is not None:
        return p["hbv_dna_iu_ml"] > uln
    return None


def _bed(p: Patient) -> tuple[float | None, float | None]:
    d, n = p["rt_dose_gy"], p["rt_fractions"]
    if d is None or n is None:
        return None, None
    ab = p["alpha_beta_gy"] or dose.DEFAULT_ALPHA_BETA_GY
    return dose.bed(d, n, ab), dose.eqd2(d, n, ab)


def _cheng(p: Patient, notes: list[Note]) -> int | None:
    entered, approx = p["cheng_type"], vascular.cheng_type_from_vp(p["vp"])
    if entered is not None:
        if approx is not None and approx != entered:
            notes.append(Note("pvtt_cheng_type", "conflict",
                              f"entered Cheng type {entered} differs from ≈{approx} suggested by Vp{p['vp']}; "
                              "the entered type is used"))
        return entered
    return approx


# Facts that follow logically from another answer: (if key is value) -> these keys are False.
IMPLIED_FALSE = (
    # an untreated liver tumour cannot be "treated and without progression"
    ("treatment_naive", True, ("prior_systemic_therapy", "prior_tace", "prior_rt_same_site", "resected",
                               "progressed_on_sorafenib", "anti_pd1_refractory", "tace_incomplete_response",
                               "primary_controlled")),
    ("prior_systemic_therapy", False, ("progressed_on_sorafenib", "anti_pd1_refractory")),
    ("prior_tace", False, ("tace_incomplete_response",)),
)


def _implied(p: Patient) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for key, value, consequences in IMPLIED_FALSE:
        if p[key] is value:
            out.update({c: False for c in consequences if p[c] is None})
    return out


def derive(p: Patient) -> Derived:
    """Compute every derived value for ``p``; unknown inputs give unknown (None) outputs."""
    notes: list[Note] = []
    cp, cp_score, cp_class = _child_pugh(p, notes)
    albi_score, albi_grade = _albi(p)
    mvi = vascular.mvi_grade(p["vp"], p["vv"])
    mvi_present = _mvi_present(p["vp"], p["vv"])
    lnm_present = _lnm_present(p, notes)
    nodal = nodes.nodal_location(lnm_present, p["lnm_stations"], p["lnm_location_override"])
    if nodal.overridden:
        notes.append(Note("lnm_location", "override", nodal.reason))
    ehs = _extrahepatic(p, nodal, notes)
    any_spread = True if (lnm_present or ehs["distant_organ_mets"]) else (
        False if lnm_present is False and ehs["distant_organ_mets"] is False else None)
    bclc = staging.bclc_stage(staging.BclcInputs(p["ecog"], cp_class, mvi_present, any_spread,
                                                 p["tumour_count"], p["largest_diameter_cm"]))
    olig = oligo.oligoprogression_type(p["progressing_lesions"], p["progressing_organs"],
                                       p["metastatic_history"], p["months_since_diagnosis"])
    ratios, uln_used = _uln_ratios(p)
    bed, eqd2 = _bed(p)
    transaminases = [r for r in (ratios["alt_u_l"], ratios["ast_u_l"]) if r is not None]
    derived = {
        "child_pugh_score": cp_score, "child_pugh_class": cp_class,
        "albi_score": albi_score, "albi_grade": albi_grade,
        "bclc_stage": bclc.stage, "mvi_present": mvi_present, "mvi_grade": mvi.value,
        "pvtt_cheng_type": _cheng(p, notes), "lnm_present": lnm_present, "lnm_location": nodal.location,
        "m_stage": _m_stage(ehs["distant_organ_mets"], nodal.location),
        "distant_organ_metastasis": ehs["distant_organ_mets"],
        "extrahepatic_organs": ehs["extrahepatic_organs"],
        "extrahepatic_lesions": ehs["extrahepatic_lesions"],
        "extrahepatic_max_per_organ": ehs["extrahepatic_max_per_organ"],
        "oligoprogression_type": olig.type, "bed_gy": bed, "eqd2_gy": eqd2,
        "bilirubin_x_uln": ratios["bilirubin_umol_l"], "alt_x_uln": ratios["alt_u_l"],
        "ast_x_uln": ratios["ast_u_l"],
        "transaminase_x_uln": max(transaminases) if len(transaminases) == 2 else None,
        "inr_x_uln": ratios["inr"],
        "hbv_active_untreated": _hbv_active(p, uln_used["hbv_dna_iu_ml"][0]),
    }
    facts = {key: p.values.get(key) for key in VARIABLES if key not in derived}
    facts.update(_implied(p))
    facts.update(derived)
    # organ counts implied by "no extrahepatic spread" (or by the counts entered for other organs)
    facts.update({k: v for k, v in ehs.items() if k.startswith("ehm_") and facts.get(k) is None})
    return Derived(facts, cp, bclc, mvi, nodal, olig, uln_used, tuple(notes))
