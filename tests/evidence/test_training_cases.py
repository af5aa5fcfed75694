"""The bundled training cases (resources/cases/training.yaml): each names its learning goal in `focus`,
and the app's answer must agree with that goal. The expected values below are worked out by hand from the
case values, the project's stated conventions (README, Clinical conventions) and the sources; they are
re-derived whenever the matching rules change. Statuses that are not part of a case's goal are left
free, so a rule change elsewhere does not make a case teach something else silently."""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE
from hccdecide.engine.training import expert_answer, stratum_feedback, training_cases
from hccdecide.patient import Patient

CASES = {c.file: c for c in training_cases()}


@pytest.fixture(scope="module")
def assessed():
    return {name: assess(Patient.from_file(c.path)) for name, c in CASES.items()}


def _regimen(a, key):
    return next(r for r in a.regimens if r.info.key == key).status


def _study(a, sid):
    return a.match(sid).status


def test_every_case_names_its_goal():
    assert len(CASES) == 9
    assert all(len(c.focus.split()) >= 12 for c in CASES.values())


# Child-Pugh by the stated convention (bilirubin <34.2/34.2-51.3/>51.3 umol/L; albumin >35/28-35/<28 g/L;
# INR <1.7/1.7-2.3/>2.3; ascites and encephalopathy none/mild or grade 1-2/moderate-severe or 3-4):
CHILD_PUGH = {
    "training_small_untreated.json": 5,  # 14 -> 1, 40 -> 1, 1.05 -> 1, none 1, none 1
    "training_incomplete_tace.json": 5,  # 19 -> 1, 36 -> 1, 1.15 -> 1, 1, 1
    "training_main_trunk_pvtt.json": 7,  # 26 -> 1, 35 -> 2 (28-35), 1.2 -> 1, mild ascites 2, 1
    "training_resectable_mvi.json": 5,  # 15, 41, 1.0, none, none
    "training_decompensated.json": 13,  # 62 -> 3, 26 -> 3, 2.0 -> 2, moderate-severe 3, grade 1-2 -> 2
    "training_extrahepatic_oligometastasis.json": 5,  # 21, 37, 1.1, none, none
    "training_oligoprogression.json": 6,  # 24 -> 1, 34 -> 2, 1.2 -> 1, none, none
    "training_painful_liver.json": 7,  # 30 -> 1, 31 -> 2, 1.3 -> 1, mild 2, none 1
}


@pytest.mark.parametrize("name, score", sorted(CHILD_PUGH.items()))
def test_child_pugh_is_worked_out_from_the_components(assessed, name, score):
    f = assessed[name].derived.facts
    assert f["child_pugh_score"] == score
    assert f["child_pugh_class"] == ("A" if score <= 6 else "B" if score <= 9 else "C")


@pytest.mark.parametrize("name, stage", [
    ("training_small_untreated.json", "A"),  # single 2.6 cm (> 2 cm), ECOG 0, Child-Pugh A
    ("training_incomplete_tace.json", "B"),  # two nodules, largest 4.2 cm (> 3 cm): multinodular
    ("training_main_trunk_pvtt.json", "C"),  # portal invasion
    ("training_resectable_mvi.json", "C"),  # portal invasion, even though resectable
    ("training_decompensated.json", "D"),  # Child-Pugh C and ECOG 3
    ("training_extrahepatic_oligometastasis.json", "C"),  # lung metastases
])
def test_bclc_stage(assessed, name, stage):
    assert assessed[name].derived.bclc.stage == stage


def test_small_untreated_curative_sbrt_setting(assessed):
    # focus: curative-intent SBRT; regimens for vascular invasion, nodes or oligometastases do not apply
    a = assessed["training_small_untreated.json"]
    assert _regimen(a, "sbrt_curative") != INELIGIBLE
    assert _study(a, "sanuki2025_strsph") != INELIGIBLE  # untreated, solitary 1-5 cm, score <= 7
    for key in ("rt_mvi", "rt_io_pvtt", "rt_systemic_nodal", "sbrt_nodal", "sbrt_oligomet", "imrt_tace_oligomet"):
        assert _regimen(a, key) == INELIGIBLE, key


def test_incomplete_tace_takes_tace_plus_rt(assessed):
    # focus: TACE-plus-RT studies after incomplete TACE; Comito 2022 asks exactly this (Kang 2026, Table 2)
    a = assessed["training_incomplete_tace.json"]
    assert _regimen(a, "tace_rt") != INELIGIBLE
    assert _study(a, "comito2022_tace_sbrt") != INELIGIBLE
    assert _study(a, "saad2024_tace_sbrt") != INELIGIBLE  # BCLC B, 2 nodules <= 5 cm, no invasion


def test_main_trunk_child_pugh_b_closes_class_a_trials(assessed):
    # focus: mild ascites makes class B, which closes trials requiring class A (Kang 2026, Tables 4 and 6)
    a = assessed["training_main_trunk_pvtt.json"]
    for sid in ("dawson2025_rtog1112_sbrt_sorafenib", "kim2024_nextrah", "zhu2024_sintilimab_bev_rt_pvtt"):
        assert _study(a, sid) == INELIGIBLE, sid
    f = a.derived.facts
    assert f["mvi_grade"] == 4  # Vp4 is grade 4 (Pan 2024, Methods, MVI grading)
    assert f["pvtt_cheng_type"] == 3  # main trunk: Cheng III on the approximate crosswalk


def test_resectable_mvi_perioperative_not_unresectable_regimens(assessed):
    # focus: resectable disease with MVI; trials that require unresectable disease exclude him
    a = assessed["training_resectable_mvi.json"]
    assert _study(a, "pan2024_periop_mvi") != INELIGIBLE
    for sid in ("guo2022_rt_tace_pvtt", "mo2025_cadonilimab_lenvatinib_sbrt", "kim2024_nextrah",
                "li2022_sbrt_camrelizumab"):
        assert _study(a, sid) == INELIGIBLE, sid


def test_decompensated_fits_no_regimen(assessed):
    # focus: class C, ECOG 3, BCLC D leave no regimen he fits; Yan treated scores 5-8 only
    a = assessed["training_decompensated.json"]
    assert not [r.info.key for r in a.regimens if r.status == ELIGIBLE]
    assert _study(a, "yan2025_lnm") == INELIGIBLE
    assert expert_answer(a)[0] == set()


def test_extrahepatic_oligometastasis_is_not_oligoprogression(assessed):
    # focus: two lung metastases in one organ at presentation are oligometastatic, not oligoprogression
    a = assessed["training_extrahepatic_oligometastasis.json"]
    assert _study(a, "luo_oligomet") != INELIGIBLE  # lung lesions <= 3, one organ, no systemic therapy
    assert _regimen(a, "rt_oligoprogression") == INELIGIBLE
    for sid in ("hsu2026_sbrt_oligoprogression", "glicksman2025_radiant_oligoprogression"):
        assert _study(a, sid) == INELIGIBLE, sid


def test_oligoprogression_is_classified_and_first_line_matters(assessed):
    # focus: classify the oligoprogression; the continuing first-line therapy changes the matching
    a = assessed["training_oligoprogression.json"]
    # oligometastatic before, now 2 lesions progress on first-line therapy: repeat oligoprogression
    # (Wang 2025, Figure 2b)
    assert a.derived.facts["oligoprogression_type"] == "repeat"
    assert _study(a, "wang2025_oligoprogression") != INELIGIBLE
    assert _study(a, "luo_oligomet") == INELIGIBLE  # Luo excludes previous systemic therapy


def test_painful_liver_palliative_setting(assessed):
    # focus: single-fraction RT for pain; oligometastatic regimens do not fit six lung metastases
    a = assessed["training_painful_liver.json"]
    assert _study(a, "cctg_he1_palliative") != INELIGIBLE
    assert _regimen(a, "palliative_rt") != INELIGIBLE
    for key in ("sbrt_oligomet", "imrt_tace_oligomet"):
        assert _regimen(a, key) == INELIGIBLE, key


def test_missing_data_is_uncertain_not_ineligible(assessed):
    # focus: uncertain is not ineligible; missing values are listed; the stratum is a range
    a = assessed["training_missing_data.json"]
    yan = a.match("yan2025_lnm")
    assert yan.status != INELIGIBLE and yan.missing
    assert len(stratum_feedback(None, a).expected) > 1
