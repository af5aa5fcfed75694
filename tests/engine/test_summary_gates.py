"""The summary is often read alone (slide, one-page record, clinical note): a regimen it names for a
patient no study of that regimen reports treating (Child-Pugh C, ECOG 3-4, BCLC D) carries that warning
in its own sentence, as its row in the list does."""
from __future__ import annotations

from hccdecide.engine.assessment import assess
from hccdecide.engine.plain_summary import regimen_sentence, shown_regimens
from hccdecide.patient import Patient

# ECOG 3 is BCLC D (2022 strategy) whatever the liver; Pan 2024 and Wang 2025, the primary studies with a
# performance criterion, took ECOG 0-1, and the review reports none for its studies.
ECOG_3 = dict(ecog=3, bilirubin_umol_l=15, albumin_g_l=40, inr=1.1, ascites="none", encephalopathy="none",
              tumour_count=2, largest_diameter_cm=5, vp=0, vv=0, resectable=False, lnm_present=False,
              extrahepatic_spread=False)
ECOG_0 = {**ECOG_3, "ecog": 0}


def test_a_named_regimen_says_no_study_treated_ecog_3():
    a = assess(Patient.from_dict(ECOG_3))
    named = shown_regimens(a)
    assert named
    for r in named:
        sentence = regimen_sentence(r)
        assert "ECOG performance status 3 or 4" in sentence, sentence
        assert all(g in sentence for g in r.gate_messages)


def test_no_gate_no_warning():
    a = assess(Patient.from_dict(ECOG_0))
    assert all("No study of this regimen" not in regimen_sentence(r) for r in shown_regimens(a))
