"""Nothing individual is quoted beyond the evidence's reach.

Three patients from a clinical review of the app:
- ECOG 3 with para-aortic nodes (BCLC D by performance status). Yan et al. 2025 report no
  performance-status limit and their OS model has no performance-status term (Methods; Table 2), so the
  study stays uncertain on an unreported gate — and a model fitted on a cohort not known to contain
  such a patient must give no individual curve, median or landmark for him.
- Child–Pugh C (13 points) with two lung metastases: the summary's key outcome and the derived
  randomised benefit must not come from a trial the patient fails (TRENDY needs Child–Pugh A and
  BCLC A–B, review Table 1; RTOG 1112 needs Child–Pugh A, review Table 4).
"""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.engine.icon_array import glance_icons
from hccdecide.engine.matching import INELIGIBLE
from hccdecide.engine.plain_summary import at_a_glance, key_outcome
from hccdecide.engine.prognosis import NOT_APPLICABLE
from hccdecide.patient import Patient

ECOG3_NODAL = dict(age_years=71, ecog=3, bilirubin_umol_l=18, albumin_g_l=37, inr=1.1, pt_s=13.0,
                   ascites="none", encephalopathy="none", afp_ng_ml=90, alt_u_l=30, tumour_count=2,
                   largest_diameter_cm=6.0, resectable=False, treatment_naive=True, vp=3, vv=0,
                   lnm_stations=["para_aortic"], lnm_count=1, lnm_volume_cc=25, extrahepatic_spread=False,
                   first_line_therapy="none", prior_rt_same_site=False)

CP_C_LUNG = dict(age_years=66, ecog=2, bilirubin_umol_l=62, albumin_g_l=26, inr=1.9,
                 ascites="moderate_severe", encephalopathy="grade_1_2", afp_ng_ml=1500, alt_u_l=60,
                 tumour_count=1, largest_diameter_cm=4.0, resectable=False, treatment_naive=True,
                 vp=0, vv=0, lnm_present=False, extrahepatic_spread=True, ehm_lung_count=2,
                 ehm_bone_count=0, ehm_adrenal_count=0, ehm_brain_count=0, ehm_peritoneum_count=0,
                 ehm_other_count=0, first_line_therapy="none")


def test_a_gated_patient_gets_no_individual_estimate_from_a_cohort_not_known_to_hold_him():
    a = assess(Patient.from_dict(ECOG3_NODAL))
    yan = a.match("yan2025_lnm")
    assert yan.status != INELIGIBLE and yan.unadmitted_gates  # uncertain on the performance-status gate
    curves = a.curves_for("yan2025_lnm")
    assert curves
    for c in curves:
        assert c.withheld == NOT_APPLICABLE and not c.applicable
        assert "ECOG" in c.withheld_text or "performance" in c.withheld_text.lower()
    g = at_a_glance(a, bands_for(a.curves))
    assert g.risk_curve is None
    assert not any("risk group low" in s for s in g.sentences)


@pytest.fixture(scope="module")
def cp_c():
    a = assess(Patient.from_dict(CP_C_LUNG))
    return a, at_a_glance(a, bands_for(a.curves))


def test_key_outcomes_come_only_from_studies_with_the_regimens_own_status(cp_c):
    a, _ = cp_c
    for r in a.regimens:
        row = key_outcome(r)
        if row is None:
            continue
        quoted = {f.study.id for f in row.range_figures}
        statuses = {a.match(s).status for s in quoted}
        assert statuses == {r.status}, (r.info.name, quoted, statuses)


def test_no_derived_benefit_is_drawn_from_a_trial_the_patient_fails(cp_c):
    a, g = cp_c
    failed = {m.study.short_name for m in a.matches if m.status == INELIGIBLE}
    for icons in glance_icons(a, g, bands_for(a.curves)):
        assert not any(name in icons.title for name in failed), icons.title
    for r in a.regimens:
        assert all(b.status == r.status for b in r.fitting_benefits)
        if r.status != INELIGIBLE:
            assert not any(b.status == INELIGIBLE for b in r.fitting_benefits)
    rtog = a.match("dawson2025_rtog1112_sbrt_sorafenib")
    assert rtog.status == INELIGIBLE  # Child-Pugh A only (review Table 4)
    assert not any(b.study.id == rtog.study.id for r in a.regimens if r.status != INELIGIBLE
                   for b in r.fitting_benefits)
