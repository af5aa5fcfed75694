"""A BCLC stage not yet decided still decides a criterion that every stage it can reach fails (or meets).

Worked patient (clinical review): ECOG 1, two tumours up to 4.5 cm, Vp1, incomplete response after
TACE, no labs entered. ECOG 1 alone makes BCLC 2022 stage C, and Child-Pugh C would make it D, so the
stage is "C or D" whatever the labs are. Chen 2025 and Comito 2022 (TACE followed by RT) took BCLC A-B
only (Kang 2026, Table 2), so both are not met on stage, and the regimen is ineligible rather than
"uncertain, enter Child-Pugh".
"""
from __future__ import annotations

from hccdecide.engine.assessment import assess
from hccdecide.engine.matching import INELIGIBLE, NOT_MET, UNCERTAIN, UNKNOWN
from hccdecide.patient import Patient

NO_LABS_ECOG_1 = dict(ecog=1, tumour_count=2, largest_diameter_cm=4.5, sum_diameter_cm=7, resectable=False,
                      prior_tace=True, tace_incomplete_response=True, vp=1, vv=0, lnm_present=False,
                      extrahepatic_spread=False, first_line_therapy="none")


def _stage_results(a, study_id):
    match = a.match(study_id)
    return [r for r in match.criteria if r.criterion.rule is not None and "bclc_stage" in repr(r.criterion.rule)]


def test_stage_c_or_d_fails_a_bclc_a_or_b_criterion_without_the_labs():
    a = assess(Patient.from_dict(NO_LABS_ECOG_1))
    assert a.derived.bclc.stage is None and a.derived.bclc.possible == ("C", "D")
    assert "C or D" in a.derived.bclc.label
    for sid in ("chen2025_tace_ebrt", "comito2022_tace_sbrt"):
        results = _stage_results(a, sid)
        assert results and all(r.status == NOT_MET for r in results), sid
        assert a.match(sid).status == INELIGIBLE
    tace_rt = [r for r in a.regimens if r.info.key == "tace_rt"]
    assert tace_rt and tace_rt[0].status == INELIGIBLE


def test_a_stage_that_could_still_be_a_or_b_stays_unknown():
    # ECOG 0, nothing else known: every stage from 0 to D is reachable, so "BCLC A or B" is open
    values = dict(ecog=0, tumour_count=2, largest_diameter_cm=4.5, prior_tace=True,
                  tace_incomplete_response=True, resectable=False)
    a = assess(Patient.from_dict(values))
    results = _stage_results(a, "comito2022_tace_sbrt")
    assert results and all(r.status == UNKNOWN for r in results)


def test_the_labs_then_give_the_same_answer():
    # entering normal labs (Child-Pugh A5) decides stage C, and the criterion stays not met
    labs = dict(bilirubin_umol_l=15, albumin_g_l=40, inr=1.1, ascites="none", encephalopathy="none")
    a = assess(Patient.from_dict({**NO_LABS_ECOG_1, **labs}))
    assert a.derived.bclc.stage == "C"
    assert all(r.status == NOT_MET for r in _stage_results(a, "chen2025_tace_ebrt"))


def test_the_terminal_summary_prints_the_stage_as_labelled_not_a_bare_letter():
    from hccdecide.engine.summary import summary_text

    text = summary_text(assess(Patient.from_dict(NO_LABS_ECOG_1)))
    derived = text.split("Derived values")[1].split("\n\n")[0]
    assert "BCLC stage (2022)" in derived
    line = next(ln for ln in derived.splitlines() if "BCLC stage (2022)" in ln)
    assert line.rstrip().endswith("undecided: C or D")


# Clinical review 4, case 8: 75 years, ECOG 1, one 9 cm tumour, no vascular invasion or spread, Child-Pugh
# A5 (bilirubin 15, albumin 39, INR 1.05, no ascites or encephalopathy), not resectable nor ablatable.
SOLITARY_9CM_ECOG_1 = dict(age_years=75, ecog=1, bilirubin_umol_l=15, albumin_g_l=39, inr=1.05, ascites="none",
                           encephalopathy="none", tumour_count=1, largest_diameter_cm=9.0, sum_diameter_cm=9.0,
                           resectable=False, ablation_candidate=False, treatment_naive=True, recurrent=False,
                           vp=0, vv=0, lnm_present=False, extrahepatic_spread=False, transplant_candidate=False)


def test_stage_c_from_ecog_1_alone_does_not_fail_a_stage_a_or_b_criterion():
    """BCLC 2022 counts ECOG 1-2 as stage C only when the cancer causes it; otherwise one tumour of 9 cm
    (Child-Pugh A, no MVI or spread) is stage A. Chen 2025 took BCLC A-B (Kang 2026, Table 2): stage C
    fails it and stage A meets it, so the criterion is to confirm, not "not met", and the study, whose
    other criteria (no surgery or ablation, up to 3 lesions, Child-Pugh A) are met, is uncertain."""
    a = assess(Patient.from_dict(SOLITARY_9CM_ECOG_1))
    assert a.derived.bclc.stage == "C" and a.derived.bclc.possible == ("A", "C")
    [stage] = _stage_results(a, "chen2025_tace_ebrt")
    assert stage.status == UNKNOWN and stage.unknown_vars == ()
    assert "stage C rests on ECOG 1 alone; stage A if the performance status is not caused by the cancer" \
        in stage.reason
    chen = a.match("chen2025_tace_ebrt")
    assert chen.status == UNCERTAIN and not chen.with_status(NOT_MET)
    assert {"kind": "to_judge", "questions": [stage.to_judge[0]]} in chen.uncertain_kinds


def test_stage_c_from_ecog_1_alone_does_not_meet_beyond_early_stage():
    """Juloori 2023 treated advanced or unresectable HCC (Kang 2026, Table 5), read as a stage other than
    0 or A: stage C meets it, stage A does not, so it is not met on stage C alone."""
    a = assess(Patient.from_dict(SOLITARY_9CM_ECOG_1))
    [stage] = _stage_results(a, "juloori2023_sbrt_nivo_ipi")
    assert stage.status == UNKNOWN and "ECOG 1 alone" in stage.reason


def test_same_answer_for_both_stages_keeps_the_verdict():
    """Saad 2024 took BCLC B only (Kang 2026, Table 2): neither C nor A is B, so not met stands."""
    a = assess(Patient.from_dict(SOLITARY_9CM_ECOG_1))
    [stage] = _stage_results(a, "saad2024_tace_sbrt")
    assert stage.status == NOT_MET and "each gives the same answer" in stage.reason


def test_the_summary_first_line_carries_the_caution():
    from hccdecide.engine.plain_summary import stage_sentence

    text = stage_sentence(assess(Patient.from_dict(SOLITARY_9CM_ECOG_1)))
    assert text.startswith("Stage and liver function: BCLC stage C (2022 strategy; to confirm: stage C rests "
                           "on ECOG 1 alone; stage A if the performance status is not caused by the cancer)")


def test_with_another_stage_c_feature_the_stage_is_not_in_doubt():
    # Vp1 is macrovascular invasion: stage C whatever the performance status, and Chen 2025 is not met
    a = assess(Patient.from_dict({**SOLITARY_9CM_ECOG_1, "vp": 1}))
    assert a.derived.bclc.possible == () and not a.derived.bclc.possible_why
    assert all(r.status == NOT_MET for r in _stage_results(a, "chen2025_tace_ebrt"))


def test_the_stage_judgement_is_said_once_in_the_summary():
    """Re-review: the caution came four times in one summary (first line, then each regimen). The
    regimen sentences point to the first sentence instead."""
    from hccdecide.engine.plain_summary import at_a_glance

    sentences = at_a_glance(assess(Patient.from_dict(SOLITARY_9CM_ECOG_1)), {}, ()).sentences
    text = " ".join(sentences)
    assert text.count("stage C rests on ECOG 1 alone") == 1
    assert any("the stage judgement of the first sentence would check the fit to Chen 2025" in s for s in sentences)
