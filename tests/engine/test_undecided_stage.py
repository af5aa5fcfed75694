"""A BCLC stage not yet decided still decides a criterion that every stage it can reach fails (or meets).

Worked patient (clinical review): ECOG 1, two tumours up to 4.5 cm, Vp1, incomplete response after
TACE, no labs entered. ECOG 1 alone makes BCLC 2022 stage C, and Child-Pugh C would make it D, so the
stage is "C or D" whatever the labs are. Chen 2025 and Comito 2022 (TACE followed by RT) took BCLC A-B
only (Kang 2026, Table 2), so both are not met on stage, and the regimen is ineligible rather than
"uncertain, enter Child-Pugh".
"""
from __future__ import annotations

from hccdecide.engine.assessment import assess
from hccdecide.engine.matching import INELIGIBLE, NOT_MET, UNKNOWN
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
