"""Contradictory entries become conflict notes, and the criteria that read them are left uncertain."""
from __future__ import annotations

import pytest

from hccdecide.engine.derive import derive
from hccdecide.engine.matching import INELIGIBLE, NOT_MET, UNCERTAIN, UNKNOWN, match_study
from hccdecide.patient import Patient


def conflicts(**values):
    return [n for n in derive(Patient.from_dict(values)).notes if n.kind == "conflict"]


@pytest.mark.parametrize("values, fields", [
    # 0 tumours cannot have a 12 cm diameter
    (dict(tumour_count=0, largest_diameter_cm=12), {"tumour_count", "largest_diameter_cm"}),
    # a sum of diameters cannot be below the largest one
    (dict(largest_diameter_cm=6, sum_diameter_cm=4), {"largest_diameter_cm", "sum_diameter_cm"}),
    # "no nodal metastasis" with 5 involved nodes
    (dict(lnm_present=False, lnm_count=5), {"lnm_present", "lnm_count"}),
    # untreated, yet TACE or resection given before
    (dict(treatment_naive=True, prior_tace=True), {"treatment_naive", "prior_tace"}),
    (dict(treatment_naive=True, resected=True), {"treatment_naive", "resected"}),
    (dict(treatment_naive=True, first_line_therapy="both"), {"treatment_naive", "first_line_therapy"}),
    # no systemic therapy, yet progression on sorafenib
    (dict(prior_systemic_therapy=False, progressed_on_sorafenib=True),
     {"prior_systemic_therapy", "progressed_on_sorafenib"}),
    # 2 progressing lesions in 0 organs
    (dict(progressing_lesions=2, progressing_organs=0), {"progressing_lesions", "progressing_organs"}),
    # INR 5.3 scores 3 points, a PT prolongation of 0.007 s scores 1
    (dict(inr=5.3, pt_prolongation_s=0.007), {"inr", "pt_prolongation_s"}),
    # a non-regional location set for nodes marked absent
    (dict(lnm_present=False, lnm_location_override="non_regional"), {"lnm_present", "lnm_location_override"}),
    (dict(resected=False, narrow_margin=True), {"resected", "narrow_margin"}),
    # a count of TAE/TACE cycles against the yes/no answers about TACE and previous treatment
    (dict(prior_tace=False, tace_cycles=2), {"prior_tace", "tace_cycles"}),
    (dict(treatment_naive=True, tace_cycles=1), {"treatment_naive", "tace_cycles"}),
    (dict(tace_incomplete_response=True, tace_cycles=0), {"tace_incomplete_response", "tace_cycles"}),
])
def test_each_contradiction_is_a_conflict_at_the_fields_involved(values, fields):
    notes = conflicts(**values)
    assert notes, values
    assert fields <= set(notes[0].fields)


@pytest.mark.parametrize("values", [
    dict(tumour_count=1, largest_diameter_cm=3, sum_diameter_cm=3),
    dict(inr=1.1, pt_prolongation_s=1.0),          # both 1 point
    dict(treatment_naive=True, prior_tace=False),
    dict(treatment_naive=True, prior_tace=False, tace_cycles=0),
    dict(prior_tace=True, tace_incomplete_response=True, tace_cycles=1),
    dict(progressing_lesions=3, progressing_organs=2),
    dict(lnm_present=True, lnm_count=2, lnm_stations=["hepatic_hilum"]),
])
def test_consistent_entries_raise_no_conflict(values):
    assert conflicts(**values) == []


def test_a_criterion_reading_a_conflict_is_uncertain_not_decided_from_one_side(library):
    # Sanuki 2025 requires no previous HCC treatment (Kang 2026, Table 1). "No previous treatment"
    # entered together with a previous TACE must not be read as either side.
    sanuki = library.study("sanuki2025_strsph")
    d = derive(Patient.from_dict(dict(treatment_naive=True, prior_tace=True)))
    m = match_study(sanuki, d)
    naive = [c for c in m.criteria if "treatment_naive" in str(c.criterion.rule)]
    assert naive and all(c.status == UNKNOWN and "conflicting" in c.reason for c in naive)
    # without the conflict the same criterion is decided
    m2 = match_study(sanuki, derive(Patient.from_dict(dict(treatment_naive=False))))
    assert any(c.status == NOT_MET for c in m2.criteria if "treatment_naive" in str(c.criterion.rule))


def test_a_conflict_reaches_criteria_through_derived_values(library):
    # Child-Pugh depends on INR: an INR that disagrees with the PT prolongation unsettles a Child-Pugh A
    # criterion (Xi 2025) although INR alone would decide it.
    xi = library.study("xi2025_sbrt_vs_rfa")
    liver = dict(bilirubin_umol_l=15, albumin_g_l=40, ascites="none", encephalopathy="none")
    m = match_study(xi, derive(Patient.from_dict({**liver, "inr": 5.3, "pt_prolongation_s": 0.007})))
    cp = [c for c in m.criteria if "child_pugh" in str(c.criterion.rule)]
    assert cp and all(c.status == UNKNOWN for c in cp)
    assert m.status in (UNCERTAIN, INELIGIBLE)


@pytest.mark.parametrize("values, expected", [
    (dict(lnm_stations=["hepatic_hilum"]), True),      # stations imply nodal metastasis
    (dict(lnm_count=3), True),
    (dict(lnm_volume_cc=12.0), True),
    (dict(lnm_count=0), False),
    ({}, None),
])
def test_nodal_entries_imply_nodal_metastasis(values, expected):
    assert derive(Patient.from_dict(values))["lnm_present"] is expected


def test_nodal_metastasis_is_extrahepatic_disease():
    d = derive(Patient.from_dict(dict(lnm_stations=["hepatic_hilum"], extrahepatic_spread=False)))
    assert d["extrahepatic_disease"] is True and d["distant_organ_metastasis"] is False and d["m_stage"] == "M0"


def test_treatment_naive_settles_systemic_therapy():
    f = derive(Patient.from_dict(dict(treatment_naive=True))).facts
    assert f["prior_systemic_therapy"] is False and f["first_line_therapy"] == "none"
    assert f["recurrent"] is False and f["resected"] is False
    # and a previous treatment or a recurrence settles "not treatment-naive"
    assert derive(Patient.from_dict(dict(recurrent=True)))["treatment_naive"] is False


def test_adding_an_inr_to_a_pt_case_keeps_the_class():
    # bilirubin 40 (2), albumin 30 (2), PT 1 s (1), ascites none (1), encephalopathy unknown: 6 + 1..3 = 7-9 -> B.
    # INR 2.5 would give 3 points (8 + 1..3 = 9-11, B or C); the class must not become unknown.
    base = dict(bilirubin_umol_l=40, albumin_g_l=30, pt_prolongation_s=1.0, ascites="none")
    assert derive(Patient.from_dict(base))["child_pugh_class"] == "B"
    d = derive(Patient.from_dict({**base, "inr": 2.5}))
    assert d["child_pugh_class"] == "B" and any(n.key == "inr" for n in d.notes)


# Clinical review 4, case 9: Child-Pugh score entered as 5, but bilirubin 60 umol/L (> 51.3: 3 points),
# albumin 31 g/L (28-35: 2 points), INR 1.4 (< 1.7: 1 point), moderate ascites (3 points), no
# encephalopathy (1 point): 10 points, class C, from the components (Pugh's bands, hccdecide/clinical/liver.py).
SCORE_5_AGAINST_10 = dict(child_pugh_score=5, bilirubin_umol_l=60, albumin_g_l=31, inr=1.4,
                          ascites="moderate_severe", encephalopathy="none", ecog=1, tumour_count=2,
                          largest_diameter_cm=4.0, sum_diameter_cm=6.0, resectable=False, treatment_naive=True,
                          vp=2, vv=0, lnm_present=False, extrahepatic_spread=False)


def test_an_entered_child_pugh_score_against_its_components_names_the_fields_that_disagree():
    """Score 5 means every component scores 1 point; bilirubin (3), albumin (2) and ascites (3) do not,
    INR (1) and encephalopathy (1) do: the conflict names the score and those three, so the form can
    point at them."""
    [note] = [n for n in derive(Patient.from_dict(SCORE_5_AGAINST_10)).notes if n.key == "child_pugh_score"]
    assert note.kind == "conflict"
    assert note.fields == ("child_pugh_score", "bilirubin_umol_l", "albumin_g_l", "ascites")
    assert "5" in note.text and "10" in note.text


def test_child_pugh_and_bclc_criteria_are_not_decided_from_either_side(library):
    """Zhai 2025 took Child-Pugh A-B (Kang 2026, Table 4, major inclusion criteria): class C from the
    components would fail it, class A from the entered score would meet it, so it is unknown, and the
    study is not ineligible. Chen 2025's BCLC A-B criterion (Kang 2026, Table 2) reads the stage, which
    rests on Child-Pugh (D from class C): unknown as well."""
    d = derive(Patient.from_dict(SCORE_5_AGAINST_10))
    zhai = match_study(library.study("zhai2025_sorafenib_rt_vtt"), d)
    [cp] = [c for c in zhai.criteria if "child_pugh" in str(c.criterion.rule)]
    assert cp.status == UNKNOWN and "conflicting entries" in cp.reason
    assert "child_pugh_score" in cp.unknown_vars and zhai.status == UNCERTAIN
    chen = match_study(library.study("chen2025_tace_ebrt"), d)
    [stage] = [c for c in chen.criteria if "bclc_stage" in str(c.criterion.rule)]
    assert stage.status == UNKNOWN
    # no Child-Pugh C or BCLC D gate is opened from one side either
    assert not zhai.unadmitted_gates and not chen.unadmitted_gates


def test_an_impossible_entered_score_names_the_fields_too():
    # albumin 25 g/L (3 points) and bilirubin 60 umol/L (3 points) leave 9-15: an entered 6 is impossible
    [note] = [n for n in derive(Patient.from_dict(dict(bilirubin_umol_l=60, albumin_g_l=25, child_pugh_score=6))).notes
              if n.key == "child_pugh_score"]
    assert note.fields == ("child_pugh_score", "bilirubin_umol_l", "albumin_g_l")


def test_entries_in_conflict_are_to_resolve_not_to_enter(library):
    """The fields of the score-5-against-10 conflict are entered already: Zhai 2025 waits for them to be
    reconciled, so it asks to resolve them, not to enter them."""
    zhai = match_study(library.study("zhai2025_sorafenib_rt_vtt"), derive(Patient.from_dict(SCORE_5_AGAINST_10)))
    assert zhai.in_conflict == ("child_pugh_score", "bilirubin_umol_l", "albumin_g_l", "ascites")
    assert zhai.entries == ()
    assert "resolve the conflicting entries Child–Pugh score, Total bilirubin, Albumin, Ascites" in zhai.uncertain_text
    assert "enter Child–Pugh" not in zhai.uncertain_text
