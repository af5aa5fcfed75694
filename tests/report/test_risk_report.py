"""The PDF's risk section: the published subgroup check and the cohort's published median beside the
individual estimate, and no stratum where no individual estimate is given."""
from __future__ import annotations

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.patient import Patient
from hccdecide.report import build_items, plain_text

NODES = dict(lnm_present=True, lnm_count=2, lnm_stations=["hepatic_hilum"])
LIVER_B = dict(bilirubin_umol_l=40, albumin_g_l=30, inr=1.0, ascites="mild", encephalopathy="none")


def report_text(values: dict) -> str:
    a = assess(Patient.from_dict(values))
    return plain_text(build_items(a, bands_for(a.curves)))


def test_child_pugh_b_only_is_flagged_against_the_published_subgroup():
    text = report_text(dict(NODES, **LIVER_B))
    # Yan 2025, Results, Prognostic factors of OS (Fig. 4G): Child-Pugh B median OS 10.0 (9.1-10.9)
    assert "Subgroup check — FLAG" in text
    assert "Child-Pugh class B: median 10 months (95% CI 9.1–10.9)" in text
    # Results, Tumor response and survival analyses: median OS 26.0 (10.7-41.3), PFS 17.0 (4.4-29.6)
    assert "Published cohort median OS: 26 months (95% CI 10.7–41.3)" in text
    assert "Published cohort median PFS: 17 months (95% CI 4.4–29.6)" in text


def test_outside_support_gives_no_stratum():
    text = report_text(dict(NODES, **LIVER_B, alt_u_l=50, pt_s=16, lnm_volume_cc=80))
    assert "not given (no individual estimate)" in text
