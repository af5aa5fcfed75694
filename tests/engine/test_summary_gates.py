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


def test_an_uncounted_cohort_description_is_not_said_to_include_gated_patients():
    """Juloori 2023 is described only as advanced or unresectable HCC (Kang 2026, Table 5), read as a
    stage other than 0 or A; the source gives no count and never says stage-D patients were treated
    (clinical review 4, case 9). Child-Pugh C from bilirubin 60 (3 points), albumin 31 (2), INR 1.4 (1),
    moderate ascites (3), no encephalopathy (1) = 10 makes BCLC D: the regimen must say only that no
    study reports treating such patients."""
    a = assess(Patient.from_dict(dict(bilirubin_umol_l=60, albumin_g_l=31, inr=1.4, ascites="moderate_severe",
                                      encephalopathy="none", ecog=1, tumour_count=2, largest_diameter_cm=4.0,
                                      resectable=False, vp=2, vv=0, lnm_present=False, extrahepatic_spread=False)))
    assert a.derived.bclc.stage == "D"
    sbrt_io = next(r for r in a.regimens if any(m.study.id == "juloori2023_sbrt_nivo_ipi" for m in r.matches))
    assert "No study of this regimen reports treating patients with BCLC stage D." in sbrt_io.gate_messages
    assert not any("a few" in g or "includes" in g for g in sbrt_io.gate_messages)
    juloori = a.match("juloori2023_sbrt_nivo_ipi")
    assert "does not say whether any were treated" in juloori.uncertain_text
    assert "includes such patients" not in juloori.uncertain_text
