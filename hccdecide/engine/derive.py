"""Derived values: everything the calculators can say about a patient, with conventions and conflicts.

The result's ``facts`` maps every variable of :data:`hccdecide.variables.VARIABLES` to a value or
``None`` (unknown); criteria and prognostic factors are evaluated on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any, Mapping

from hccdecide.clinical import dose, liver, nodes, oligo, staging, vascular
from hccdecide.engine.conflicts import conflicts
from hccdecide.engine.notes import Note
from hccdecide.patient import EHS_ORGANS, Patient
from hccdecide.paths import reference_file
from hccdecide.variables import VARIABLES
from hccdecide.yaml_data import read_table


_LIVER = ("bilirubin_umol_l", "albumin_g_l", "inr", "pt_prolongation_s", "ascites", "encephalopathy",
          "child_pugh_score")
_NODES = ("lnm_present", "lnm_stations", "lnm_count", "lnm_volume_cc", "lnm_location_override")
_ORGANS = ("extrahepatic_spread", *(f"ehm_{o}_count" for o in EHS_ORGANS))
# The entered fields each derived value is computed from, so that a conflict between entries also
# unsettles the criteria that read them through a derived value.
DEPENDS_ON: Mapping[str, tuple[str, ...]] = {
    "child_pugh_score": _LIVER, "child_pugh_class": _LIVER,
    "albi_score": ("bilirubin_umol_l", "albumin_g_l"), "albi_grade": ("bilirubin_umol_l", "albumin_g_l"),
    "bclc_stage": ("ecog", *_LIVER, "vp", "vv", *_NODES, *_ORGANS, "tumour_count", "largest_diameter_cm"),
    "mvi_present": ("vp", "vv"), "mvi_grade": ("vp", "vv"), "pvtt_cheng_type": ("cheng_type", "vp"),
    "lnm_location": _NODES, "abdominal_nodes": _NODES, "m_stage": (*_NODES, *_ORGANS), "distant_organ_metastasis": _ORGANS,
    "extrahepatic_disease": (*_NODES, *_ORGANS), "extrahepatic_organs": (*_NODES, *_ORGANS),
    "extrahepatic_lesions": (*_NODES, *_ORGANS), "extrahepatic_max_per_organ": (*_NODES, *_ORGANS),
    "oligoprogression_type": ("progressing_lesions", "progressing_organs", "metastatic_history",
                              "months_since_diagnosis"),
    "bed_gy": ("rt_dose_gy", "rt_fractions", "alpha_beta_gy"), "eqd2_gy": ("rt_dose_gy", "rt_fractions",
                                                                           "alpha_beta_gy"),
    "inr_x_uln": ("inr", "inr_uln"), "bilirubin_x_uln": ("bilirubin_umol_l", "bilirubin_uln_umol_l"),
    "disease_after_treatment": ("resected", "residual_disease", "recurrent", "progressing_lesions",
                                "tace_incomplete_response"),
    "has_target_lesion": ("tace_incomplete_response", "resected", "residual_disease", "recurrent", "progressing_lesions", "tumour_count",
                          "largest_diameter_cm", "vp", "vv", "intrahepatic_metastasis", *_NODES, *_ORGANS),
}


_CHILD_PUGH_ENTRIES = ("bilirubin_umol_l", "albumin_g_l", "inr", "ascites", "encephalopathy")
# The entries that stand behind a derived value when a criterion waits for it: what the clinician types
# in, not the value the app computes (Child-Pugh from its components, BCLC from what it is staged on).
_ENTRIES_BEHIND = {
    "child_pugh_score": _CHILD_PUGH_ENTRIES, "child_pugh_class": _CHILD_PUGH_ENTRIES,
    "bclc_stage": ("ecog", *_CHILD_PUGH_ENTRIES, "vp", "vv", "lnm_present", "extrahepatic_spread", "tumour_count",
                   "largest_diameter_cm"),
}


def entries_to_make(var: str, facts: Mapping[str, Any]) -> tuple[str, ...]:
    """The case entries to make so that ``var`` can be known: the unknown entries behind a derived value
    (INR stands for coagulation unless a PT prolongation is entered), else the variable itself."""
    behind = _ENTRIES_BEHIND.get(var, ())
    out = tuple(k for k in behind if facts.get(k) is None
                and not (k == "inr" and facts.get("pt_prolongation_s") is not None))
    return out or (var,)


# Key of the facts mapping that lists, for an unknown fact, the values it can still take (only BCLC stage
# today): a criterion is decided when every one of them gives the same answer. A known fact may have
# them too when it rests on a judgement the entries cannot make (stage C from ECOG 1-2 alone, which
# holds only when the cancer causes it); POSSIBLE_WHY then says why. Neither is a case variable.
POSSIBLE = "_possible"
POSSIBLE_WHY = "_possible_why"


def _possible_values(bclc: staging.Bclc) -> dict[str, tuple[Any, ...]]:
    return {"bclc_stage": bclc.possible} if bclc.possible else {}


def _possible_why(bclc: staging.Bclc) -> dict[str, str]:
    return {"bclc_stage": bclc.possible_why} if bclc.possible and bclc.possible_why else {}


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

    @cached_property  # read by every criterion of every study: worked out once per patient
    def conflicted(self) -> Mapping[str, Note]:
        """Facts that rest on entries in conflict, each with the conflict note concerned."""
        out: dict[str, Note] = {}
        for note in self.notes:
            if note.kind != "conflict" or not note.fields:
                continue
            fields = set(note.fields)
            out.update({f: note for f in fields if f not in out})
            out.update({k: note for k, deps in DEPENDS_ON.items() if fields & set(deps) and k not in out})
        return out


@lru_cache(maxsize=1)
def default_uln() -> Mapping[str, Mapping[str, Any]]:
    return read_table(reference_file("lab_normals.yaml"), "uln")


def _coagulation_choice(p: Patient, notes: list[Note]) -> liver.ChildPugh:
    """INR scores coagulation; PT prolongation only when INR is unknown. When both are entered and
    score differently, that is a conflict: it is noted (so no status rests on it), and the score uses
    INR unless only the PT prolongation settles the class, so an added INR never unsettles a class."""
    parts = (p["bilirubin_umol_l"], p["albumin_g_l"])
    rest = (p["ascites"], p["encephalopathy"])
    by_inr = liver.child_pugh(*parts, p["inr"], None, *rest)
    if p["inr"] is None or p["pt_prolongation_s"] is None:
        return liver.child_pugh(*parts, p["inr"], p["pt_prolongation_s"], *rest)
    by_pt = liver.child_pugh(*parts, None, p["pt_prolongation_s"], *rest)
    if by_inr.points["coagulation"] == by_pt.points["coagulation"]:
        return by_inr
    notes.append(Note("inr", "conflict",
                      f"INR {p['inr']:g} ({by_inr.points['coagulation']} Child–Pugh points) and PT prolongation "
                      f"{p['pt_prolongation_s']:g} s ({by_pt.points['coagulation']} points) disagree; check both",
                      ("inr", "pt_prolongation_s")))
    return by_pt if by_inr.klass is None and by_pt.klass is not None else by_inr


_CP_FIELD = {"bilirubin": "bilirubin_umol_l", "albumin": "albumin_g_l", "ascites": "ascites",
             "encephalopathy": "encephalopathy"}


def _disagreeing(cp: liver.ChildPugh, entered: int) -> list[str]:
    """The components that contradict an entered score: those scoring above 1 point when the entered
    score is below what they add up to, those scoring below 3 when it is above."""
    low, _high = cp.score_range
    return [k for k, v in cp.points.items() if v is not None and (v > 1 if entered < low else v < 3)]


def _score_conflict(cp: liver.ChildPugh, entered: int, what: str) -> Note:
    """An entered score that contradicts its components: neither side decides (README, conflicting
    entries), so the note names the score and the components that disagree with it."""
    parts = _disagreeing(cp, entered)
    coagulation = "inr" if cp.coagulation_source == "INR" else "pt_prolongation_s"
    fields = tuple(_CP_FIELD.get(k, coagulation) for k in parts)
    words = ", ".join(f"{cp.coagulation_source if k == 'coagulation' else k} {cp.points[k]} points" for k in parts)
    return Note("child_pugh_score", "conflict",
                f"entered Child–Pugh score {entered} {what} ({words}); what reads Child–Pugh or the BCLC "
                "stage stays unknown until they agree", ("child_pugh_score", *fields))


def _child_pugh(p: Patient, notes: list[Note]) -> tuple[liver.ChildPugh, int | None, str | None]:
    cp = _coagulation_choice(p, notes)
    entered = p["child_pugh_score"]
    low, high = cp.score_range
    if cp.score is not None:
        if entered is not None and entered != cp.score:
            notes.append(_score_conflict(cp, entered, f"differs from {cp.score} computed from the components"))
        return cp, cp.score, liver.child_pugh_class(cp.score)
    if entered is not None:
        if low <= entered <= high:
            notes.append(Note("child_pugh_score", "override",
                              f"entered score {entered} used (components incomplete: "
                              f"{', '.join(cp.missing)} unknown)"))
            return cp, entered, liver.child_pugh_class(entered)
        notes.append(_score_conflict(cp, entered, f"is impossible with the known components ({low}–{high})"))
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
    if p["extrahepatic_spread"] is False:
        # "no extrahepatic metastasis" settles the organs without a count
        organ_counts: dict[str, int | None] = {o: given.get(o, 0) for o in EHS_ORGANS}
        if any(given.values()):
            notes.append(Note("extrahepatic_spread", "conflict",
                              "extrahepatic spread marked absent but metastasis counts entered; counts used",
                              ("extrahepatic_spread", *(f"ehm_{o}_count" for o in given))))
    else:
        organ_counts = dict(counts)  # an organ left blank stays unknown
    known = [c for c in organ_counts.values() if c is not None]
    involved = [c for c in known if c > 0]
    complete = len(known) == len(EHS_ORGANS)  # totals also need to know whether distant nodes count
    totals = complete and nodal.location is not None
    if involved:
        distant = True
    elif complete:
        distant = False
    else:
        distant = False if p["extrahepatic_spread"] is False else (True if p["extrahepatic_spread"] else None)
    return {
        **{f"ehm_{o}_count": c for o, c in organ_counts.items()},
        "extrahepatic_organs": len(involved) + (1 if distant_nodes else 0) if totals else None,
        "extrahepatic_lesions": sum(involved) + node_lesions if totals else None,
        "extrahepatic_max_per_organ": max(involved + [node_lesions]) if totals else None,
        "distant_organ_mets": distant,
    }


NODAL_FIELDS = ("lnm_present", "lnm_stations", "lnm_count", "lnm_volume_cc")


def _lnm_present(p: Patient, notes: list[Note]) -> bool | None:
    """Listed stations, a node count above 0 or a nodal volume imply nodal metastasis; a count of 0
    implies none. Entries that contradict each other are noted; the nodal evidence is then used."""
    evidence = [what for what, given in (("stations listed", bool(p["lnm_stations"])),
                                         (f"{p['lnm_count']} involved nodes", (p["lnm_count"] or 0) > 0),
                                         ("a nodal volume", p["lnm_volume_cc"] is not None)) if given]
    if evidence and (p["lnm_present"] is False or p["lnm_count"] == 0):
        said_no = "nodal metastasis marked absent" if p["lnm_present"] is False else "0 involved nodes entered"
        notes.append(Note("lnm_present", "conflict", f"{said_no} but {', '.join(evidence)}; nodal metastasis "
                          "taken as present", NODAL_FIELDS))
        return True
    if evidence:
        return True
    if p["lnm_present"] is True and p["lnm_count"] == 0:
        notes.append(Note("lnm_present", "conflict", "nodal metastasis marked present but 0 involved nodes "
                          "entered", NODAL_FIELDS))
        return True
    if p["lnm_present"] is None and p["lnm_count"] == 0:
        return False
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


_NAIVE_EXCLUDES = ("prior_systemic_therapy", "prior_tace", "prior_rt_same_site", "resected",
                   "progressed_on_sorafenib", "anti_pd1_refractory", "tace_incomplete_response",
                   "primary_controlled", "recurrent")
# Facts that follow logically from another answer: (if key is value) -> these keys take these values.
# They fill only unknown keys; an entry that contradicts one is a conflict (engine/conflicts.py), and
# the statuses that read it are left uncertain.
IMPLIED: tuple[tuple[str, Any, Mapping[str, Any]], ...] = (
    # an untreated HCC has had no treatment of any kind, systemic included, and is not on one now;
    # it cannot be "treated and without progression" either
    ("treatment_naive", True, {**{k: False for k in _NAIVE_EXCLUDES}, "first_line_therapy": "none"}),
    ("prior_systemic_therapy", False, {"progressed_on_sorafenib": False, "anti_pd1_refractory": False}),
    ("prior_tace", False, {"tace_incomplete_response": False}),
    # any previous treatment means the HCC is not treatment-naive
    *((k, True, {"treatment_naive": False}) for k in _NAIVE_EXCLUDES if k != "primary_controlled"),
    ("progressed_on_sorafenib", True, {"prior_systemic_therapy": True}),
    ("anti_pd1_refractory", True, {"prior_systemic_therapy": True}),
)


def _implied(p: Patient) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value, consequences in IMPLIED:
        if p[key] is value:
            out.update({c: v for c, v in consequences.items() if p[c] is None and c not in out})
    return out


def _any_extrahepatic(lnm_present: bool | None, distant: bool | None) -> bool | None:
    """Nodal or distant-organ metastasis: the reading of criteria that exclude extrahepatic metastasis."""
    if lnm_present or distant:
        return True
    return False if lnm_present is False and distant is False else None


def _diameters(p: Patient) -> tuple[float | None, float | None]:
    """Largest and summed diameter; with one tumour each is the other (an entered pair that differs is
    a conflict, engine/conflicts.py, and both are then kept as entered)."""
    largest, total = p["largest_diameter_cm"], p["sum_diameter_cm"]
    if p["tumour_count"] == 1:
        return (total if largest is None else largest), (largest if total is None else total)
    return largest, total


def _cleared_by_resection(p: Patient) -> bool | None:
    """Whether a resection removed every lesion and nothing has come back since: True after a resection
    with no residual tumour and no recurrence, None when one of the three is unknown."""
    if p["resected"] is not True or p["residual_disease"] is not False:
        return False if p["resected"] is False or p["residual_disease"] is True else None
    return None if p["recurrent"] is None else not p["recurrent"]


def disease_after_treatment(p: Patient) -> bool | None:
    """Tumour left or grown since treatment: residual tumour, a recurrence, progressing lesions or viable
    tumour after TACE (yes); a resection with no residual tumour and no recurrence (no); else unknown.
    The adjuvant setting needs "no"."""
    if (p["recurrent"] is True or p["residual_disease"] is True or (p["progressing_lesions"] or 0) > 0
            or p["tace_incomplete_response"] is True):
        return True
    return False if _cleared_by_resection(p) else None


def has_target_lesion(p: Patient, facts: Mapping[str, Any]) -> bool | None:
    """A lesion that tumour-directed treatment could aim at now. After a complete resection the entered
    tumour, thrombus and nodes describe what was removed, so only a recurrence or a progressing lesion
    counts; otherwise any tumour, thrombus, node or metastasis entered counts. Unknown stays unknown:
    "no lesion" needs either a complete resection without recurrence, or no intrahepatic tumour, no
    vascular invasion and no extrahepatic disease entered as such."""
    disease = disease_after_treatment(p)
    if disease is not None:
        return disease
    cleared = _cleared_by_resection(p)
    if p["resected"] is True and cleared is None:
        return None  # the entered tumour may be the one resected
    present = [(p["tumour_count"] or 0) > 0, p["largest_diameter_cm"] is not None, facts["mvi_present"] is True,
               facts["lnm_present"] is True, facts["distant_organ_metastasis"] is True,
               p["intrahepatic_metastasis"] is True]
    if any(present):
        return True
    if p["tumour_count"] == 0 and facts["mvi_present"] is not True and facts["extrahepatic_disease"] is False:
        return False
    return None


def derive(p: Patient) -> Derived:
    """Compute every derived value for ``p``; unknown inputs give unknown (None) outputs."""
    notes: list[Note] = []
    cp, cp_score, cp_class = _child_pugh(p, notes)
    albi_score, albi_grade = _albi(p)
    mvi = vascular.mvi_grade(p["vp"], p["vv"])
    mvi_present = _mvi_present(p["vp"], p["vv"])
    lnm_present = _lnm_present(p, notes)
    nodal = nodes.nodal_location(lnm_present, p["lnm_stations"], p["lnm_location_override"])
    if nodal.overridden and lnm_present is not False:
        notes.append(Note("lnm_location", "override", nodal.reason))
    ehs = _extrahepatic(p, nodal, notes)
    any_spread = _any_extrahepatic(lnm_present, ehs["distant_organ_mets"])
    largest, total = _diameters(p)
    bclc_inputs = staging.BclcInputs(p["ecog"], cp_class, mvi_present, any_spread, p["tumour_count"], largest)
    bclc = staging.bclc_stage(bclc_inputs)
    if bclc.stage is None:
        bclc = replace(bclc, possible=staging.possible_stages(bclc_inputs))
    bclc = staging.performance_only_possible(bclc, bclc_inputs)
    if _cleared_by_resection(p):
        bclc = staging.before_resection(bclc)
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
        "abdominal_nodes": nodes.abdominal_nodes(lnm_present, p["lnm_stations"]),
        "m_stage": _m_stage(ehs["distant_organ_mets"], nodal.location),
        "distant_organ_metastasis": ehs["distant_organ_mets"], "extrahepatic_disease": any_spread,
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
    facts.update(largest_diameter_cm=largest, sum_diameter_cm=total)
    facts["has_target_lesion"] = has_target_lesion(p, facts)
    facts["disease_after_treatment"] = disease_after_treatment(p)
    facts[POSSIBLE] = _possible_values(bclc)
    facts[POSSIBLE_WHY] = _possible_why(bclc)
    # organ counts implied by "no extrahepatic spread" (or by the counts entered for other organs)
    facts.update({k: v for k, v in ehs.items() if k.startswith("ehm_") and facts.get(k) is None})
    notes.extend(conflicts(p.values))
    return Derived(facts, cp, bclc, mvi, nodal, olig, uln_used, tuple(notes))
