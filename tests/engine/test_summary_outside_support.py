"""The summary names no risk group for a patient outside the cohort's range, as the risk view, the slides
and the JSON do not (issue: all four independent adverse OS factors of Yan 2025 Table 2 together give a
combined HR near 200, a patient the 62-patient cohort is not expected to hold)."""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.plain_summary import risk_curve, risk_sentence
from hccdecide.patient import Patient

# Yan 2025 eligibility: nodal metastasis after RT; Child-Pugh B7 (bilirubin 40 -> 2, albumin 31 -> 2,
# INR 1.3 -> 1, no ascites 1, no encephalopathy 1 = 7) lies inside the cohort's 5-8 range.
ALL_ADVERSE = dict(ecog=1, bilirubin_umol_l=40, albumin_g_l=31, inr=1.3, pt_s=16.0, ascites="none",
                   encephalopathy="none", alt_u_l=80, afp_ng_ml=20, tumour_count=1, largest_diameter_cm=3,
                   vp=0, vv=0, lnm_present=True, lnm_stations=["hepatic_hilum"], lnm_count=2,
                   lnm_volume_cc=90, extrahepatic_spread=False, first_line_therapy="none")


def test_outside_support_summary_names_no_risk_group():
    a = assess(Patient.from_dict(ALL_ADVERSE))
    curve = risk_curve(a)
    assert curve is not None and curve.support is not None and not curve.support.inside
    sentence = risk_sentence(a, curve, {})
    assert "risk group" not in sentence.replace("no risk group", "")
    assert "outside the range" in sentence and "median" in sentence


def test_inside_support_summary_keeps_its_risk_group():
    inside = {**ALL_ADVERSE, "alt_u_l": 20, "pt_s": 12.0, "lnm_volume_cc": 20,
              "bilirubin_umol_l": 15, "albumin_g_l": 40, "inr": 1.0}
    a = assess(Patient.from_dict(inside))
    curve = risk_curve(a)
    assert curve is not None and curve.support.inside
    assert "risk group" in risk_sentence(a, curve, {})


def test_pfs_is_withheld_when_os_lies_beyond_the_cohorts_worst():
    # Yan's PFS model has no liver-function factor, so it would give this Child-Pugh B7 patient with
    # PT > 14.5 s a better PFS than the OS bound allows; a death is a PFS event, so PFS <= OS.
    from hccdecide.engine.prognosis import OUTSIDE_SUPPORT
    a = assess(Patient.from_dict(ALL_ADVERSE))
    os_ = a.default_curve("yan2025_lnm", "OS")
    pfs = a.default_curve("yan2025_lnm", "PFS")
    assert os_.withheld == OUTSIDE_SUPPORT and os_.bound.side == "above"
    assert pfs.withheld == OUTSIDE_SUPPORT and not pfs.shown
    assert "PFS cannot be higher" in pfs.withheld_text


def test_pfs_is_kept_when_os_is_inside_the_cohorts_range():
    inside = {**ALL_ADVERSE, "alt_u_l": 20, "pt_s": 12.0, "lnm_volume_cc": 20,
              "bilirubin_umol_l": 15, "albumin_g_l": 40, "inr": 1.0}
    a = assess(Patient.from_dict(inside))
    assert a.default_curve("yan2025_lnm", "OS").shown and a.default_curve("yan2025_lnm", "PFS").shown


def test_the_terminal_summary_carries_what_qualifies_a_shown_estimate():
    # Clinical review: Child-Pugh B7 (bilirubin 25 -> 1, albumin 31 -> 2, INR 1.2 -> 1, mild ascites 2,
    # no encephalopathy 1), nodes at the hilum and supraclavicular, ALT and PT not entered. The OS estimate
    # (median about 21 months) lies far above Yan 2025's own Child-Pugh B subgroup, median 10.0 months
    # (95% CI 9.1-10.9; Results, univariable survival), and the unknown factors may put the patient
    # outside the cohort's support: both belong next to the figure, not only on the risk view.
    from hccdecide.engine.summary import summary_text

    case = dict(ecog=1, bilirubin_umol_l=25, albumin_g_l=31, inr=1.2, ascites="mild", encephalopathy="none",
                afp_ng_ml=420, tumour_count=1, largest_diameter_cm=3.2, vp=0, vv=0, lnm_present=True,
                lnm_stations=["hepatic_hilum", "supraclavicular"], lnm_count=2, lnm_volume_cc=30,
                extrahepatic_spread=False, first_line_therapy="none")
    a = assess(Patient.from_dict(case))
    assert a.derived.facts["child_pugh_score"] == 7
    os_block = summary_text(a).split("Yan 2025 OS (baseline)")[1].split("Yan 2025 PFS")[0]
    assert "may lie outside the cohort's support" in os_block
    assert "Child-Pugh class B: median 10 months (95% CI 9.1–10.9)" in os_block
    assert "outside the published CI, more optimistic" in os_block


def test_with_no_risk_factor_entered_the_summary_says_it_quotes_the_cohort_average():
    # Clinical review: nodes at the coeliac station, no ALT, PT, INR or nodal volume. Yan 2025's OS model
    # applies ALT, PT, Child-Pugh class and nodal GTV (Table 2, CI excluding 1): none is known, so the
    # curve is the cohort's own (median 26.0 months) and the patient may lie anywhere in its range.
    case = dict(ecog=1, bilirubin_umol_l=21, albumin_g_l=34, tumour_count=2, largest_diameter_cm=6, vp=2,
                lnm_stations=["celiac"], rt_dose_gy=50, rt_fractions=10)
    a = assess(Patient.from_dict(case))
    curve = risk_curve(a)
    assert curve.study.id == "yan2025_lnm" and round(curve.median, 1) == 26.0
    sentence = risk_sentence(a, curve, {})
    assert "the cohort's average, not this patient's" in sentence and "risk group" not in sentence
    assert "may lie outside the cohort's range" in sentence
    known = assess(Patient.from_dict(dict(case, alt_u_l=20, pt_s=12.0, inr=1.0, ascites="none",
                                          encephalopathy="none", lnm_volume_cc=20)))
    assert "cohort's average" not in risk_sentence(known, risk_curve(known), {})


# The c04 patient of the clinical review: half the labs, no nodal entry at all. Yan 2025 took only
# patients with lymph-node metastasis, so its estimate describes nodal patients.
HALF_THE_LABS = dict(age_years=66, sex="female", ecog=1, bilirubin_umol_l=22, albumin_g_l=33, tumour_count=3,
                     largest_diameter_cm=5.5, vp=1, treatment_naive=True, rt_dose_gy=50, rt_fractions=10)


def test_a_cohort_average_quotes_the_published_median_and_says_the_fit_is_not_settled():
    """The cohort's own median OS is 26 months (95% CI 10.7-41.3; Yan 2025, Results): the model's
    average is quoted beside it, and the sentence says the patient may not be one of Yan's patients
    (lymph-node metastasis is not entered)."""
    a = assess(Patient.from_dict(HALF_THE_LABS))
    curve = risk_curve(a)
    assert curve.study.id == "yan2025_lnm" and curve.cohort_average
    sentence = risk_sentence(a, curve, {})
    assert "Published cohort median OS: 26 months (95% CI 10.7–41.3)" in sentence
    assert "whether this patient is one is not settled (missing data: enter Lymph-node metastasis" in sentence


def test_the_summary_gives_the_spread_the_factors_not_entered_allow():
    """With every applied factor of Yan's OS model entered (ALT, PT, Child-Pugh class, nodal GTV) the
    median has no spread; with the nodal volume left out it could lie on either side of the estimate."""
    from hccdecide.engine.baseline import median_from_curve

    known = dict(ALL_ADVERSE, alt_u_l=20, pt_s=12.0, lnm_volume_cc=20, bilirubin_umol_l=15, albumin_g_l=40,
                 inr=1.0)
    a = assess(Patient.from_dict(known))
    assert "factors not entered" not in risk_sentence(a, risk_curve(a), {})
    unknown_volume = {k: v for k, v in known.items() if k != "lnm_volume_cc"}
    a = assess(Patient.from_dict(unknown_volume))
    curve = risk_curve(a)
    sentence = risk_sentence(a, curve, {})
    assert "with the factors not entered, the median could be anywhere from" in sentence
    low, high = (median_from_curve(curve.grid, s) for s in curve.envelope)
    assert low < (curve.median or curve.horizon) and (high is None or high > curve.median)


def test_the_icon_array_of_a_cohort_average_names_the_cohort_not_this_patient():
    from hccdecide.engine.icon_array import individual_icons

    a = assess(Patient.from_dict(HALF_THE_LABS))
    icons = individual_icons(risk_curve(a), None)
    assert icons.sentence.startswith("Of 100 patients of the Yan 2025 cohort (none of this patient's risk factors")
    assert "patients like this" not in icons.sentence
    assert "Whether this patient is one of those Yan 2025 treated is not settled" in icons.sentence


def test_a_curve_for_a_course_the_study_did_not_give_says_so():
    """50 Gy in 25 fractions is BED10 50 x (1 + 2/10) = 60 Gy, below the 62.4-79.2 Gy Yan 2025 gave
    (Results, Patient characteristics): the individual curve carries the dose flag, not only the study row."""
    planned = dict(ALL_ADVERSE, alt_u_l=20, pt_s=12.0, lnm_volume_cc=20, bilirubin_umol_l=15, albumin_g_l=40,
                   inr=1.0, rt_dose_gy=50, rt_fractions=25)
    curve = risk_curve(assess(Patient.from_dict(planned)))
    assert curve.study.id == "yan2025_lnm"
    flagged = [w for w in curve.warnings if "the curve is for patients treated as the study treated them" in w]
    assert len(flagged) == 1 and "BED10 60.0 Gy" in flagged[0] and "62.4–79.2 Gy" in flagged[0]
    at_study_dose = risk_curve(assess(Patient.from_dict(dict(planned, rt_dose_gy=60, rt_fractions=30))))
    assert not [w for w in at_study_dose.warnings if "patients treated as the study" in w]


def test_a_curve_fitted_on_a_mixed_cohort_says_how_many_had_hcc(library):
    """Yan 2025, Table 1: 13 of its 62 patients (21.0%) had a tumour other than HCC, so 79.0% had HCC;
    the model's HRs and baseline come from all 62, and every curve of it says so."""
    share = library.study("yan2025_lnm").hcc_share
    assert share.percent == pytest.approx(100 * 49 / 62, abs=0.05)
    curve = risk_curve(assess(Patient.from_dict(ALL_ADVERSE)))
    assert curve.study.id == "yan2025_lnm"
    assert [w for w in curve.warnings if w.startswith("The model was fitted on a cohort in which 79% of patients had HCC")]
    assert library.study("dawson2025_rtog1112_sbrt_sorafenib").hcc_share is None
