""""Eligible" means checked: criteria a source has but does not print, and a criterion whose count the
patient record must hold before it can be decided.

Clinical review of the app's output: Pan 2024 was called "eligible" although its complete eligibility
list (any exclusion criteria with it) is in a supplement the source document lacks; Comito 2022's
requirement of exactly one earlier TAE/TACE cycle was "met" without the number of cycles being known.
"""
from __future__ import annotations

from hccdecide.engine.derive import derive
from hccdecide.engine.matching import (ELIGIBLE, INELIGIBLE, MET, NOT_MET, UNCERTAIN, UNKNOWN, UNREPORTED_CRITERIA,
                                       match_study)
from hccdecide.engine.regimens import settleable
from hccdecide.evidence.schema import UnavailableCriteria
from hccdecide.patient import Patient

LIVER_A5 = dict(bilirubin_umol_l=15, albumin_g_l=40, inr=1.1, ascites="none", encephalopathy="none")
# meets every criterion Pan 2024 prints (Methods, Study design and participants; Procedures)
PAN_FIT = dict(age_years=55, treatment_naive=True, resectable=True, vp=3, vv=0, ecog=0, alt_u_l=30, ast_u_l=30,
               platelets_10e9_l=150, extrahepatic_spread=False, lnm_present=False, **LIVER_A5)
# Comito 2022 (Kang 2026, Table 2): incomplete response after one TAE/TACE cycle, unresectable, BCLC A-B,
# Child-Pugh A-B; two tumours of 4.2 and 2.6 cm, no spread, ECOG 0, Child-Pugh A: BCLC B
COMITO_FIT = dict(age_years=67, ecog=0, tumour_count=2, largest_diameter_cm=4.2, sum_diameter_cm=6.8,
                  resectable=False, treatment_naive=False, prior_tace=True, tace_incomplete_response=True,
                  vp=0, vv=0, lnm_present=False, extrahepatic_spread=False, **LIVER_A5)


def match(library, study_id, values):
    return match_study(library.study(study_id), derive(Patient.from_dict(values)))


def test_pan_with_every_printed_criterion_met_is_uncertain_naming_the_supplement(library):
    """Pan 2024, Methods, Study design and participants: the major inclusion criteria are listed, and the
    complete eligibility list is said to be in the supplementary materials, which the document lacks."""
    m = match(library, "pan2024_periop_mvi", PAN_FIT)
    assert not m.with_status(NOT_MET) and not m.with_status(UNKNOWN)
    assert m.status == UNCERTAIN and not settleable(m)  # no entry can settle it
    (kind,) = m.uncertain_kinds
    assert kind["kind"] == UNREPORTED_CRITERIA and kind["domains"] == [] and kind["gates"] == []
    assert "its exclusion criteria" in m.uncertain_text
    assert "supplement, which is not available" in m.uncertain_text
    assert "Methods, Study design and participants" in m.uncertain_text


def test_a_failed_printed_criterion_still_makes_pan_ineligible(library):
    """Age 71 against the printed 18-70 (same section): what was checked and failed decides."""
    assert match(library, "pan2024_periop_mvi", dict(PAN_FIT, age_years=71)).status == INELIGIBLE


def test_the_flag_is_general_any_study_can_carry_it(library):
    """Luo (eligible for a patient meeting its printed criteria) becomes uncertain once it carries the
    same flag: the rule is in the data, not in a per-study branch of the code."""
    luo_fit = dict(extrahepatic_spread=True, ehm_lung_count=2, lnm_present=False, intrahepatic_metastasis=False,
                   prior_systemic_therapy=False, ecog=1, ehm_bone_count=0, ehm_adrenal_count=0, ehm_brain_count=0,
                   ehm_peritoneum_count=0, ehm_other_count=0, **LIVER_A5)
    luo = library.study("luo_oligomet")
    assert match_study(luo, derive(Patient.from_dict(luo_fit))).status == ELIGIBLE
    gap = UnavailableCriteria(what="exclusion criteria", why="kept in an appendix not available", location="Methods")
    flagged = luo.model_copy(update={"unavailable_criteria": [gap]})
    m = match_study(flagged, derive(Patient.from_dict(luo_fit)))
    assert m.status == UNCERTAIN and "kept in an appendix not available; Methods" in m.uncertain_text


def _comito_cycles(m):
    return next(c for c in m.criteria if c.criterion.id == "incomplete_after_tace")


def test_comito_one_tace_cycle_is_unknown_until_the_count_is_entered(library):
    """Kang 2026, Table 2: patients previously treated with one TAE/TACE cycle. Without the count the
    criterion cannot be met; the missing field is named so the clinician can enter it."""
    m = match(library, "comito2022_tace_sbrt", COMITO_FIT)
    assert _comito_cycles(m).status == UNKNOWN
    assert "tace_cycles" in m.missing


def test_comito_one_tace_cycle_met_with_one_and_not_met_with_three(library):
    assert _comito_cycles(match(library, "comito2022_tace_sbrt", dict(COMITO_FIT, tace_cycles=1))).status == MET
    three = match(library, "comito2022_tace_sbrt", dict(COMITO_FIT, tace_cycles=3))
    assert _comito_cycles(three).status == NOT_MET and three.status == INELIGIBLE


def test_a_cycle_count_against_no_previous_tace_leaves_the_criterion_uncertain(library):
    """One cycle entered while previous TACE is marked no: a conflict, decided from neither side."""
    m = match(library, "comito2022_tace_sbrt", dict(COMITO_FIT, prior_tace=False, tace_cycles=1))
    assert m.status == UNCERTAIN and _comito_cycles(m).status == UNKNOWN
    assert "1 TAE/TACE cycle(s) entered, yet previous TACE marked no" in _comito_cycles(m).reason
