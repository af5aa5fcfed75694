"""Worked patients: statuses reasoned by hand from the source documents (cited in each comment).

The review (Kang 2026) prints each study's major inclusion criteria in Tables 1-6; none of them states a
performance-status limit, so a study known only through the review is at best *uncertain* for any patient,
for a reason nothing entered can fix ("unreported_criteria"). Eligibility therefore comes only from
studies whose criteria cover liver function, performance status, extent and setting.
"""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.derive import derive
from hccdecide.engine.levels import evidence_level
from hccdecide.engine.matching import (ELIGIBLE, INELIGIBLE, MISSING_DATA, NOT_MET, UNCERTAIN, UNKNOWN,
                                       UNREPORTED_CRITERIA, match_study)
from hccdecide.patient import Patient

A5 = dict(bilirubin_umol_l=15, albumin_g_l=40, inr=1.1, ascites="none", encephalopathy="none")  # 1+1+1+1+1
NO_SPREAD = dict(lnm_present=False, extrahepatic_spread=False)


def statuses(values):
    a = assess(Patient.from_dict(values))
    return {m.study.id: m for m in a.matches}, {r.info.key: r for r in a.regimens}


def kinds(m):
    return [k["kind"] for k in m.uncertain_kinds]


def test_1_child_pugh_c_liver_only_tumour_is_eligible_for_nothing():
    # Issue example: C13 (bilirubin 62 -> 3, albumin 26 -> 3, INR 2.0 -> 2, moderate ascites 3,
    # encephalopathy 1-2 -> 2), ECOG 2, BCLC D, one 6 cm tumour. Hong 2023 (carbon ion) and Bae 2024
    # (proton meta-analysis) report no liver-function criterion (Kang 2026, Particle Therapy section), so
    # nothing checks that a decompensated patient fits: uncertain, and they never treated CP C.
    values = dict(ecog=2, bilirubin_umol_l=62, albumin_g_l=26, inr=2.0, ascites="moderate_severe",
                  encephalopathy="grade_1_2", tumour_count=1, largest_diameter_cm=6, vp=0, vv=0, **NO_SPREAD)
    matches, regimens = statuses(values)
    assert not [s for s, m in matches.items() if m.status == ELIGIBLE]
    for sid in ("hong2023_cirt_phase1", "bae2024_pbt_meta"):
        assert matches[sid].status == UNCERTAIN and UNREPORTED_CRITERIA in kinds(matches[sid])
        assert "liver_function" in matches[sid].unreported_domains
    particle = regimens["particle_therapy"]
    assert particle.status == UNCERTAIN
    assert any("Child–Pugh C" in g for g in particle.gate_messages)
    # Chiang 2024 (SBRT + immunotherapy, complete-response cohort) is not eligible either
    assert matches["chiang2024_lrt_io_cr"].status != ELIGIBLE


def test_2_ecog_3_is_eligible_for_nothing_and_regimens_say_so():
    # ECOG 3 is BCLC D; no study of the library has a performance-status criterion admitting ECOG 3
    # (Pan 2024 requires ECOG 0-1, Methods; Wang 2025 ECOG 0-1, Eligibility), so every regimen says so.
    values = dict(ecog=3, tumour_count=2, largest_diameter_cm=5, vp=0, vv=0, resectable=False, **A5, **NO_SPREAD)
    matches, regimens = statuses(values)
    assert not [s for s, m in matches.items() if m.status == ELIGIBLE]
    assert all(any("ECOG" in g for g in r.gate_messages) for r in regimens.values())


def test_3_recurrence_after_narrow_margin_resection_does_not_match_adjuvant_trials():
    # Chen 2021 and Long 2023 gave RT after hepatectomy to prevent recurrence (Kang 2026, Postoperative
    # radiotherapy): an intrahepatic recurrence is another setting, whatever the margin was.
    values = dict(ecog=0, recurrent=True, resected=True, narrow_margin=True, residual_disease=False,
                  tumour_count=1, largest_diameter_cm=2.5, vp=0, vv=0, **A5, **NO_SPREAD)
    matches, _ = statuses(values)
    for sid in ("chen2021_adjuvant_narrow_margin", "long2023_adjuvant_psm", "shi2022_adjuvant_sbrt_mvi"):
        assert matches[sid].status == INELIGIBLE, sid
    # Xi 2025 (phase III, recurrent HCC, single tumour <= 5 cm, Child-Pugh A; Kang 2026 Table 1) does take
    # recurrences, but reports no performance-status limit: uncertain, not eligible
    assert matches["xi2025_sbrt_vs_rfa"].status == UNCERTAIN
    assert matches["xi2025_sbrt_vs_rfa"].unreported_domains == ("performance_status",)


def test_4_fresh_resection_with_a_narrow_margin_is_uncertain_for_adjuvant_trials_not_excluded():
    # Resected, no residual tumour, not a recurrence: the adjuvant setting criteria are met; the review
    # gives no liver-function or performance-status criterion for Chen 2021, so uncertain (unreported).
    values = dict(ecog=0, resected=True, narrow_margin=True, residual_disease=False, recurrent=False,
                  central_location=True, microvascular_invasion=True, **A5)
    matches, _ = statuses(values)
    chen = matches["chen2021_adjuvant_narrow_margin"]
    assert chen.status == UNCERTAIN and kinds(chen) == [UNREPORTED_CRITERIA]
    assert {"liver_function", "performance_status"} <= set(chen.unreported_domains)
    # the same patient with tumour left behind is no adjuvant case
    left = dict(values, residual_disease=True)
    assert statuses(left)[0]["chen2021_adjuvant_narrow_margin"].status == INELIGIBLE


def test_5_main_trunk_pvtt_child_pugh_b_does_not_borrow_rtog_1112s_level():
    # Vp4, Child-Pugh B7 (mild ascites 2 points + albumin 35 -> 2): RTOG 1112 requires Child-Pugh A (Kang
    # 2026, Table 4), so it cannot lend its randomised phase III level to RT + TKI. Zhai 2025 (phase II,
    # single arm, Child-Pugh A-B) is the study this patient may fit: the regimen shows its level.
    values = dict(ecog=1, bilirubin_umol_l=26, albumin_g_l=35, inr=1.2, ascites="mild", encephalopathy="none",
                  vp=4, vv=0, tumour_count=3, largest_diameter_cm=9, resectable=False, treatment_naive=True,
                  **NO_SPREAD)
    matches, regimens = statuses(values)
    assert matches["dawson2025_rtog1112_sbrt_sorafenib"].status == INELIGIBLE
    tki = regimens["rt_tki"]
    giving = [m for m in tki.matches if m.status == tki.status]
    assert tki.best_level == min(evidence_level(m.study) for m in giving)
    assert tki.best_level != 1 and "dawson2025_rtog1112_sbrt_sorafenib" not in {m.study.id for m in giving}


def test_6_nodal_disease_entered_only_as_stations_meets_yans_nodal_criterion():
    # Yan 2025 inclusion (3): nodal metastasis (Methods). Two regional stations and no tick: the stations
    # imply nodal metastasis; the criterion is met, not unknown.
    values = dict(ecog=1, age_years=60, prior_rt_same_site=False,
                  lnm_stations=["hepatic_hilum", "hepatoduodenal_ligament"], **A5)
    m = match_study_of("yan2025_lnm", values)
    assert {c.criterion.id: c.status for c in m.criteria}["lnm"] == "met"
    # Child-Pugh 5 lies in the treated 5-8 (Table 1); no performance-status range is reported
    assert m.status == UNCERTAIN and kinds(m) == [UNREPORTED_CRITERIA]


def match_study_of(study_id, values):
    from hccdecide.evidence.library import default_library
    return match_study(default_library().study(study_id), derive(Patient.from_dict(values)))


def test_7_regional_nodes_exclude_pan_2024():
    # Pan 2024 excluded extrahepatic metastasis (Methods, Study design and participants); regional nodes
    # lie outside the liver, so a node at the hepatic hilum excludes the patient.
    base = dict(age_years=55, treatment_naive=True, resectable=True, vp=3, vv=0, ecog=0, alt_u_l=30,
                ast_u_l=30, platelets_10e9_l=150, extrahepatic_spread=False, lnm_present=False, **A5)
    # every checkable criterion met; uncertain only because the complete eligibility list is in a
    # supplement the document lacks (same section)
    fits = match_study_of("pan2024_periop_mvi", base)
    assert fits.status == UNCERTAIN and not fits.with_status(UNKNOWN) and not fits.with_status(NOT_MET)
    with_node = dict(base, lnm_present=True, lnm_stations=["hepatic_hilum"])
    assert match_study_of("pan2024_periop_mvi", with_node).status == INELIGIBLE


def test_8_luo_describes_child_pugh_c_patients_but_does_not_admit_them():
    # Luo Table 1: Child-Pugh A 14, B 5, C 2, KPS 60-70 or > 70. The A-C span is who happened to be
    # treated, not an inclusion criterion (the listed criteria in Patients and Methods say nothing of liver
    # function), and the 2 Child-Pugh C patients had a median PFS of 2 months (Table 1) against 12 for
    # class A. A Child-Pugh C patient with two lung metastases, KPS 70 and no systemic therapy therefore
    # stays *uncertain* (not eligible), the reason naming the description and its counts; the regimen
    # says that only a cohort description includes such patients.
    values = dict(ecog=2, kps=70, bilirubin_umol_l=60, albumin_g_l=26, inr=1.5, ascites="moderate_severe",
                  encephalopathy="none", extrahepatic_spread=True, ehm_lung_count=2, ehm_bone_count=0,
                  ehm_adrenal_count=0, ehm_brain_count=0, ehm_peritoneum_count=0, ehm_other_count=0,
                  lnm_present=False, intrahepatic_metastasis=False, prior_systemic_therapy=False)
    matches, regimens = statuses(values)
    assert derive(Patient.from_dict(values))["child_pugh_class"] == "C"   # 3 + 3 + 1 + 3 + 1 = 11
    luo = matches["luo_oligomet"]
    assert luo.status == UNCERTAIN and kinds(luo) == [UNREPORTED_CRITERIA]
    assert "2 of the 21" in luo.uncertain_text and "no inclusion criterion" in luo.uncertain_text
    described = luo.uncertain_kinds[0]["gates_only_described"]
    assert described[0]["criterion"] == "population_child_pugh_a_to_c"
    message = [g for g in regimens["imrt_tace_oligomet"].gate_messages if "Child–Pugh C" in g]
    assert message and "only a cohort description" in message[0]
    # the same patient with Child-Pugh B (bilirubin 30 < 34.2 -> 1, albumin 30 -> 2, INR 1.5 -> 1, mild
    # ascites 2, no encephalopathy 1 = 7): no gate is open and the description covers liver function
    child_b = dict(values, bilirubin_umol_l=30, albumin_g_l=30, ascites="mild")
    assert derive(Patient.from_dict(child_b))["child_pugh_class"] == "B"
    assert match_study_of("luo_oligomet", child_b).status == ELIGIBLE


def test_9_an_organ_left_blank_keeps_luo_uncertain():
    # Only the lung count is entered: Luo allows at most 2 organs and 3 lesions per organ (Methods); the
    # other organs may hold metastases, so the status waits for them (it once read them as 0: eligible).
    values = dict(ecog=1, extrahepatic_spread=True, ehm_lung_count=2, lnm_present=False,
                  intrahepatic_metastasis=False, prior_systemic_therapy=False, **A5)
    m = match_study_of("luo_oligomet", values)
    assert m.status == UNCERTAIN and kinds(m) == [MISSING_DATA]


def test_10_neoadjuvant_trials_need_an_untreated_tumour():
    # Wei 2019: neoadjuvant RT before hepatectomy for resectable HCC with PVTT (Kang 2026, Preoperative
    # radiotherapy). After a previous TACE the tumour is no longer untreated.
    values = dict(ecog=0, resectable=True, vp=3, vv=0, prior_tace=True, **A5)
    assert match_study_of("wei2019_neoadjuvant_pvtt", values).status == INELIGIBLE


def test_11_contradictory_history_is_never_read_from_one_side():
    # Sanuki 2025 requires no previous HCC treatment (Kang 2026, Table 1). "No previous treatment" with a
    # previous TACE is a conflict: uncertain for missing (conflicting) data, not eligible nor ineligible.
    values = dict(ecog=0, treatment_naive=True, prior_tace=True, tumour_count=1, largest_diameter_cm=2.3,
                  vp=0, vv=0, **A5, **NO_SPREAD)
    m = match_study_of("sanuki2025_strsph", values)
    assert m.status == UNCERTAIN and MISSING_DATA in kinds(m)


def test_12_bilirubin_3_mg_dl_scores_two_points():
    # Pugh's bands are < 2 / 2-3 / > 3 mg/dL: 3.0 mg/dL (51.3 umol/L) scores 2 points, so with albumin 40,
    # INR 1.1 and no ascites or encephalopathy the score is 2 + 1 + 1 + 1 + 1 = 6 (class A, not B7).
    d = derive(Patient.from_dict(dict(A5, bilirubin_umol_l=3.0 * 17.104)))
    assert d["child_pugh_score"] == 6 and d["child_pugh_class"] == "A"


def test_13_oligoprogression_on_first_line_is_uncertain_for_the_review_trials():
    # Glicksman 2025 and Hsu 2026 (Kang 2026, Oligoprogressive disease; Table 6) report no liver-function
    # or performance-status criterion: a fit patient progressing in 2 lesions on first-line therapy is
    # uncertain for them for that reason only.
    values = dict(ecog=0, age_years=60, first_line_therapy="both", prior_systemic_therapy=True,
                  months_stable_on_first_line=8, progressing_lesions=2, progressing_organs=1, **A5)
    for sid in ("glicksman2025_radiant_oligoprogression", "hsu2026_sbrt_oligoprogression"):
        m = match_study_of(sid, values)
        assert m.status == UNCERTAIN and kinds(m) == [UNREPORTED_CRITERIA], (sid, m.uncertain_text)


# --- evidence levels and honest ranges ------------------------------------------------------------

@pytest.mark.parametrize("study_id, level", [
    ("chen2022_ebrt_sorafenib_meta", 4),   # 11 retrospective studies (Kang 2026, vascular invasion section)
    ("kim2023_oligomet_local_meta", 4),    # 10 retrospective studies (Kang 2026, oligometastatic section)
    ("wei2022_neoadjuvant_meta", 4),       # randomised and retrospective data (Kang 2026, Preoperative RT)
    ("bae2024_pbt_meta", 4),               # designs pooled not named: the lowest level it could be
    ("komiyama2025_sbrt_tace_meta", 4),
    ("dawson2025_rtog1112_sbrt_sorafenib", 1),   # randomised phase III
])
def test_meta_analyses_are_graded_by_what_they_pool(library, study_id, level):
    assert evidence_level(library.study(study_id)) == level


def test_a_meta_analysis_of_randomised_trials_is_level_1(library):
    chen = library.study("chen2022_ebrt_sorafenib_meta")
    rcts = chen.model_copy(update={"pooled": chen.pooled.model_copy(update={"designs": [
        chen.design.RCT_PHASE3, chen.design.RCT_PHASE2]})})
    assert evidence_level(rcts) == 1


def test_the_two_arms_of_juloori_are_different_regimens_and_never_share_a_range():
    # Kang 2026, Table 5: ORR 57% (nivolumab + ipilimumab) vs 0% (nivolumab alone) in one 14-patient pilot.
    values = dict(ecog=0, resectable=False, tumour_count=4, largest_diameter_cm=6, vp=2, vv=0, **A5, **NO_SPREAD)
    _, regimens = statuses(values)
    for key, expected in (("rt_io_dual", 57), ("rt_io", 0)):
        orr = [f for row in regimens[key].outcomes if row.endpoint == "ORR" for f in row.figures
               if f.study.id == "juloori2023_sbrt_nivo_ipi"]
        assert [f.outcome.estimate.value for f in orr] == [expected]


def test_rows_never_merge_time_origins_or_units():
    _, regimens = statuses(dict(ecog=1, **A5))
    for r in regimens.values():
        for row in r.outcomes:
            origins = {f.outcome.time_origin.strip() or "not stated" for f in row.figures}
            if row.endpoint not in ("ORR", "DCR", "CR", "PCR", "PCR_MPR", "PAIN_RESPONSE", "TOX_G3PLUS",
                                    "VASCULAR_RESPONSE", "VASCULAR_DCR"):
                assert len(origins) == 1, (r.info.key, row.label, origins)
            assert len({f.outcome.unit_of_analysis for f in row.figures}) == 1
    # Choi 2024's ORR 75.8% is not k/40 (unit not stated): it never shares a row with Chen 2023 (sintilimab)
    rows = [row for row in regimens["sbrt_oligomet"].outcomes if row.endpoint == "ORR"]
    assert len(rows) == 2 and all(len({f.study.id for f in row.figures}) == 1 for row in rows)


# --- planned dose against protocol dose ---------------------------------------------------------

def test_14_oligoprogression_with_a_low_planned_bed_is_flagged_against_wang_2025():
    # Wang 2025 requires BED >= 60 Gy (alpha/beta 10) to every oligoprogressive lesion (Study intervention,
    # Dose/fractionation). 30 Gy in 5 fractions: 30 x (1 + 6/10) = 48 Gy; EQD2 = 48 / 1.2 = 40 Gy.
    values = dict(ecog=0, age_years=60, first_line_therapy="both", months_stable_on_first_line=8,
                  hbsag_positive=False, progressing_lesions=2, progressing_organs=1,
                  metastatic_history="non_metastatic", months_since_diagnosis=14, rt_dose_gy=30, rt_fractions=5,
                  **A5)
    m = match_study_of("wang2025_oligoprogression", values)
    assert len(m.dose_flags) == 1
    assert "BED10 48.0 Gy" in m.dose_flags[0] and "EQD2 40.0 Gy" in m.dose_flags[0] and "60" in m.dose_flags[0]
    # the flag informs; it does not decide eligibility
    assert m.status == match_study_of("wang2025_oligoprogression", dict(values, rt_dose_gy=40)).status
    # 40 Gy in 5: 40 x 1.8 = 72 Gy >= 60: no flag
    assert match_study_of("wang2025_oligoprogression", dict(values, rt_dose_gy=40)).dose_flags == ()


@pytest.mark.parametrize("dose, fractions, flagged", [
    (40, 5, False),     # Sanuki 2025 gave 40 Gy in 5 (Kang 2026, Table 1): BED10 72 Gy
    (30, 5, True),      # BED10 48 Gy, below 72
    (60, 30, True),     # BED10 72 Gy but 30 fractions, not 5
])
def test_planned_course_against_the_study_schedule(dose, fractions, flagged):
    m = match_study_of("sanuki2025_strsph", dict(rt_dose_gy=dose, rt_fractions=fractions))
    assert bool(m.dose_flags) is flagged
    if flagged:
        assert f"{dose:g} Gy in {fractions}" in m.dose_flags[0] and "40 Gy in 5 fractions" in " ".join(m.dose_flags)


def test_no_checkable_criterion_is_not_a_population_caution():
    # Komiyama 2025 and Brunner 2021 record no checkable criterion: that is no statement about the treated
    # population, so "SBRT instead of TACE" is not marked "outside the treated population" for it.
    _, regimens = statuses(dict(ecog=1, **A5))
    assert regimens["sbrt_vs_tace"].population_cautions == ()


# --- a lesion to treat, line of therapy, derived diameters ---------------------------------------

R0 = dict(ecog=0, age_years=58, resected=True, residual_disease=False, recurrent=False, narrow_margin=True,
          microvascular_invasion=True, central_location=True, resectable=True, tumour_count=1,
          largest_diameter_cm=4.5, vp=0, vv=0, **A5, **NO_SPREAD)
ADJUVANT = {"chen2021_adjuvant_narrow_margin", "long2023_adjuvant_psm", "shi2022_adjuvant_sbrt_mvi",
            "sun2019_adjuvant_pvtt", "yu2014_adjuvant_central"}


def test_15_disease_free_after_r0_resection_has_nothing_to_aim_tumour_directed_rt_at():
    # Resected with no residual tumour and no recurrence: the 4.5 cm tumour entered is the one removed.
    # Every study except the adjuvant ones treats a lesion (SBRT, TACE + RT, nodal or oligometastasis RT,
    # particles ...), so each is ineligible on "a lesion to treat now". Wang 2022 gives its electron RT
    # during the hepatectomy (Kang 2026, Postoperative radiotherapy; ref. 25): with the operation done
    # and nothing left, it is ineligible too. The adjuvant trials (Kang 2026, Postoperative radiotherapy)
    # stay as they were: uncertain, for criteria the review does not report; Sun 2019 needs a PVTT.
    d = derive(Patient.from_dict(R0))
    assert d["has_target_lesion"] is False
    # BCLC is not staged from a tumour that is gone: the stage is labelled as the one before resection
    assert d.bclc.label == "BCLC stage A before resection" and "no tumour to stage now" in d.bclc.reason
    from hccdecide.engine.summary import summary_text
    assert "A before resection" in summary_text(assess(Patient.from_dict(R0))).split("Regimens")[0]
    matches, regimens = statuses(R0)
    for sid, m in matches.items():
        lesion = [c for c in m.criteria if c.criterion.id == "has_target_lesion"]
        if sid in ADJUVANT:
            assert not lesion, sid
        else:
            assert m.status == INELIGIBLE and lesion[0].status == "not_met", sid
    for sid in ADJUVANT - {"sun2019_adjuvant_pvtt"}:
        assert matches[sid].status == UNCERTAIN and kinds(matches[sid]) == [UNREPORTED_CRITERIA], sid
    assert matches["sun2019_adjuvant_pvtt"].status == INELIGIBLE
    assert {k for k, r in regimens.items() if r.status != INELIGIBLE} == {"adjuvant_rt"}


def test_16_a_recurrence_or_an_unknown_residual_reopens_the_lesion_question():
    # A recurrence after the same resection is a lesion again: Xi 2025 (recurrent HCC, single tumour
    # <= 5 cm, Child-Pugh A; Kang 2026 Table 1) is no longer excluded (uncertain: no performance-status
    # criterion), and the adjuvant trials are (not before a recurrence).
    recurrence = dict(R0, recurrent=True, tumour_count=1, largest_diameter_cm=2)
    matches, _ = statuses(recurrence)
    assert derive(Patient.from_dict(recurrence))["has_target_lesion"] is True
    assert matches["xi2025_sbrt_vs_rfa"].status == UNCERTAIN
    assert all(matches[s].status == INELIGIBLE for s in ADJUVANT)
    # Residual tumour not entered: the tumour entered may be the one removed, so a lesion is unknown, and
    # Bae 2024 (protons; no checkable criterion) waits for it instead of being excluded or offered
    unknown = {k: v for k, v in R0.items() if k != "residual_disease"}
    assert derive(Patient.from_dict(unknown))["has_target_lesion"] is None
    bae = match_study_of("bae2024_pbt_meta", unknown)
    assert bae.status == UNCERTAIN and "has_target_lesion" in bae.missing
    assert match_study_of("bae2024_pbt_meta", R0).status == INELIGIBLE
    # an untreated tumour is a lesion; "no tumour, no thrombus, no extrahepatic disease" is none
    assert derive(Patient.from_dict(dict(tumour_count=2)))["has_target_lesion"] is True
    assert derive(Patient.from_dict(dict(tumour_count=0, vp=0, vv=0, **NO_SPREAD)))["has_target_lesion"] is False
    assert derive(Patient.from_dict({}))["has_target_lesion"] is None


def test_17_review_trials_without_a_line_of_therapy_criterion_are_not_eligible():
    # Li 2022 (SBRT + camrelizumab) and Chen 2023 (SBRT then toripalimab + anlotinib) are known through
    # the review's "major inclusion criteria" only (Kang 2026, Table 5): unresectable, BCLC B-C, Child-
    # Pugh A(-B). Neither says whether patients already treated with a PD-1 antibody were taken. For an
    # ECOG 1 (BCLC C) patient refractory to first-line atezolizumab-bevacizumab, every listed criterion
    # is met (before this rule both read "eligible"), but the setting is unreported: uncertain.
    values = dict(ecog=1, resectable=False, tumour_count=3, largest_diameter_cm=6, vp=2, vv=0,
                  prior_systemic_therapy=True, anti_pd1_refractory=True, first_line_therapy="both",
                  **A5, **NO_SPREAD)
    matches, _ = statuses(values)
    for sid in ("li2022_sbrt_camrelizumab", "chen2023_sbrt_toripalimab_anlotinib"):
        m = matches[sid]
        assert not m.with_status("not_met") and not m.with_status("unknown"), sid
        assert m.status == UNCERTAIN and m.unreported_domains == ("setting",), sid
        assert "line-of-therapy" in m.uncertain_text and "systemic therapy" in m.uncertain_text
    # REUNION-1 (Tang 2025) requires anti-PD-1 refractoriness (Kang 2026, Table 5): its setting is checked
    assert "setting" not in matches["tang2025_reunion1"].unreported_domains
    # RTOG 1112 gives sorafenib; its "unsuitable for or progressing after local therapy" says nothing of
    # earlier systemic therapy (Kang 2026, Table 3), so "previously treated" does not settle the line
    assert "setting" in matches["dawson2025_rtog1112_sbrt_sorafenib"].unreported_domains


def test_18_a_primary_study_with_its_full_criteria_keeps_its_setting():
    # Yan 2025 prints its whole inclusion and exclusion list (Methods, Patients): no previous RT to the
    # site is its setting criterion and no line of therapy is excluded, so the line rule of the review
    # trials does not apply to it: the example case stays as it was for Yan.
    from hccdecide.paths import cases_dir
    a = assess(Patient.from_file(cases_dir() / "example_nodal_disease.json"))
    assert "setting" not in a.match("yan2025_lnm").unreported_domains


def test_19_one_tumour_gives_its_diameter_as_the_sum():
    # One 3.1 cm tumour and no sum entered: the sum of diameters is 3.1 cm, so RTOG 1112's "sum of
    # diameters <= 20 cm" (Kang 2026, Table 3) is met instead of waiting for the sum; with two tumours the
    # sum stays unknown.
    one = dict(tumour_count=1, largest_diameter_cm=3.1)
    assert derive(Patient.from_dict(one))["sum_diameter_cm"] == 3.1
    rtog = match_study_of("dawson2025_rtog1112_sbrt_sorafenib", one)
    assert next(c for c in rtog.criteria if c.criterion.id == "sum_diameter_20cm").status == "met"
    assert derive(Patient.from_dict(dict(tumour_count=2, largest_diameter_cm=3.1)))["sum_diameter_cm"] is None
    assert derive(Patient.from_dict(dict(tumour_count=1, sum_diameter_cm=2.0)))["largest_diameter_cm"] == 2.0


def test_20_a_marginal_sequencing_trial_lends_no_absolute_gain():
    # Unresectable HCC with a first-order portal branch thrombus (Vp3), Child-Pugh A, no spread: Guo 2022
    # (RT before vs after TACE; Kang 2026, Table 3: OS 15.4 vs 11.5 months, HR 0.68, p = 0.054) is
    # listed under RT for macrovascular invasion. Its OS HR is not significant, so no "+12.6 points at
    # 1 year" is derived from it (exp. through the 11.5-month median: 2^(-12/11.5) = 0.486, ^0.68 = 0.612);
    # its PFS HR (0.66, p = 0.030) is randomised and significant, so that one is derived.
    from hccdecide.engine.benefit import absolute_benefit
    values = dict(ecog=0, resectable=False, tumour_count=1, largest_diameter_cm=7, vp=3, vv=0, **A5,
                  **NO_SPREAD)
    _, regimens = statuses(values)
    guo = {b.comparison.endpoint: absolute_benefit(b) for b in regimens["rt_mvi"].benefits
           if b.study.id == "guo2022_rt_tace_pvtt"}
    assert not guo["OS"].derived and "p = 0.054" in guo["OS"].reason
    assert guo["PFS"].derived


def test_21_progressing_disease_is_not_an_adjuvant_setting_and_next_data_stays_consistent():
    # The oligoprogression training case has 2 progressing lesions on atezolizumab-bevacizumab after
    # earlier therapy. Adjuvant RT follows a resection that left no tumour (Kang 2026, Postoperative
    # radiotherapy): with lesions progressing, the adjuvant trials are out whatever the resection history,
    # so no "resected?"/"margin?" question is asked for them. "No previous HCC treatment" would contradict
    # the case, so it is no answer and not offered.
    from hccdecide.engine.next_data import next_data
    from hccdecide.paths import cases_dir
    a = assess(Patient.from_file(cases_dir() / "training_oligoprogression.json"))
    assert a.derived["disease_after_treatment"] is True
    assert all(a.match(s).status == INELIGIBLE for s in ADJUVANT)
    items = next_data(a)
    keys = [i.key for i in items]
    assert "treatment_naive" not in keys and "resected" not in keys and "narrow_margin" not in keys
    # lung and bone metastases rule out listing for transplant: the bridging question is not asked
    assert "transplant_candidate" not in keys
    # a key that decides a regimen comes before any that settles a study only
    decides = [bool(i.regimens or i.regimens_may_change) for i in items]
    assert decides == sorted(decides, reverse=True)


@pytest.mark.parametrize("dose, fractions, flagged", [
    (60, 30, None),      # 60 x (1 + 2/10) = 72.0 Gy: inside Yan's printed BED10 62.4-79.2 Gy
    (52, 33, "below"),   # 52 x (1 + 1.576/10) = 60.2 Gy: both ends of the dose and fraction ranges, yet
                         # below the printed span (pairing the range ends would have allowed 60.2-87.8)
    (66, 20, "above"),   # 66 x (1 + 3.3/10) = 87.8 Gy: above 79.2
])
def test_yan_dose_is_checked_against_the_bed_span_it_printed(dose, fractions, flagged):
    m = match_study_of("yan2025_lnm", dict(rt_dose_gy=dose, rt_fractions=fractions))
    if flagged is None:
        assert m.dose_flags == ()
        return
    (flag,) = m.dose_flags
    assert f"BED10 {flagged} the study's 62.4–79.2 Gy" in flag
    assert "52–66 Gy in 20–33 fractions (BED10 62.4–79.2 Gy)" in flag


def test_one_flag_per_study_names_each_schedule_once():
    # Juloori 2023 gave 40 Gy in 5 fractions in both arms (Kang 2026, Table 5); a 60 Gy in 30 course differs
    # in fractions only (BED10 72.0 Gy either way)
    (flag,) = match_study_of("juloori2023_sbrt_nivo_ipi", dict(rt_dose_gy=60, rt_fractions=30)).dose_flags
    assert "30 fractions where the study gave 5 fractions" in flag and "BED10 above" not in flag
    assert flag.count("40 Gy in 5 fractions") == 1
    # CCTG HE1 gave a single 8 Gy fraction: both differ, said in one flag, in the singular
    (flag,) = match_study_of("cctg_he1_palliative", dict(rt_dose_gy=60, rt_fractions=30)).dose_flags
    assert "BED10 above the study's 14.4 Gy and 30 fractions where the study gave 1 fraction." in flag


@pytest.mark.parametrize("stations, expected", [
    (["mediastinal"], "not_met"),                    # a chest node only: not the abdominal nodes Wang 2023 treated
    (["hepatic_hilum"], "met"),
    (["mediastinal", "para_aortic"], "met"),         # one abdominal station is enough
    (None, "unknown"),                               # nodes present, stations not given
])
def test_wang_2023_treated_abdominal_nodes_only(stations, expected):
    # Wang 2023 (cited in Yan 2025, Discussion): 148 patients with abdominal lymph-node metastases
    values = dict(lnm_present=True, **({"lnm_stations": stations} if stations else {}))
    m = match_study_of("wang2023_sbrt_abdominal_lnm", values)
    (result,) = [r for r in m.criteria if r.criterion.id == "setting_abdominal_nodes"]
    assert result.status == expected
    if expected == "not_met":
        assert m.status == INELIGIBLE
