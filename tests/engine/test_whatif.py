"""What-if: differences between two assessments, and scenario B kept in the case file."""
from __future__ import annotations

import json

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.whatif import compare
from hccdecide.errors import PatientError
from hccdecide.patient import SCENARIO_KEY, Patient
from hccdecide.paths import cases_dir

EXAMPLE = cases_dir() / "example_nodal_disease.json"


@pytest.fixture(scope="module")
def child_pugh_a_vs_b():
    a = Patient.from_file(EXAMPLE)
    b = a.replace(albumin_g_l=30.0, bilirubin_umol_l=40.0)  # albumin 2 points, bilirubin 2 points: 7, class B
    return assess(a), assess(b)


def test_changed_inputs_and_statuses_match_the_two_assessments(child_pugh_a_vs_b):
    a, b = child_pugh_a_vs_b
    w = compare(a, b)
    assert {c.key for c in w.inputs} == {"albumin_g_l", "bilirubin_umol_l"}
    assert (a.derived.facts["child_pugh_class"], b.derived.facts["child_pugh_class"]) == ("A", "B")
    status_b = {m.study.id: m.status for m in b.matches}
    expected = {m.study.id for m in a.matches if m.status != status_b[m.study.id]}
    assert {c.key for c in w.changed_studies} == expected
    assert expected, "Child-Pugh A to B must change some study (RTOG 1112 needs Child-Pugh A)"
    rtog = next(c for c in w.studies if c.key == "dawson2025_rtog1112_sbrt_sorafenib")
    # RTOG 1112 needs Child-Pugh A: uncertain for A (no line-of-therapy criterion in the review), out for B
    assert (rtog.a, rtog.b) == ("uncertain", "ineligible")
    # changed rows come first, in rank order
    n = len(w.changed_studies)
    assert all(c.a != c.b for c in w.studies[:n]) and all(c.a == c.b for c in w.studies[n:])


def test_summaries_and_paired_curves(child_pugh_a_vs_b):
    a, b = child_pugh_a_vs_b
    w = compare(a, b)
    assert "Child–Pugh A" in w.glance_a.sentences[0] and "Child–Pugh B" in w.glance_b.sentences[0]
    ca, cb = w.curves
    if ca is not None and cb is not None:
        assert (ca.study.id, ca.model.id, ca.stage) == (cb.study.id, cb.model.id, cb.stage)


def test_identical_scenarios_differ_in_nothing(child_pugh_a_vs_b):
    a, _ = child_pugh_a_vs_b
    w = compare(a, assess(Patient(a.patient.values)))
    assert w.inputs == () and w.changed_studies == () and w.changed_regimens == ()


def test_scenario_b_round_trips_through_the_case_file():
    a = Patient.from_file(EXAMPLE)
    b = a.replace(rt_dose_gy=50.0, rt_fractions=10)
    case = a.with_scenario_b(b)
    data = json.loads(case.to_json())
    assert data[SCENARIO_KEY]["rt_dose_gy"] == 50.0 and data["rt_dose_gy"] == 60
    back = Patient.from_json(case.to_json())
    assert back == case and back.scenario_b == b
    assert back.replace(ecog=2).scenario_b == b  # editing A keeps B
    assert back.anonymised().scenario_b.values.get("case_label") is None


def test_a_bad_scenario_value_names_its_key():
    with pytest.raises(PatientError) as err:
        Patient.from_dict({"ecog": 1, SCENARIO_KEY: {"ecog": 9}})
    assert err.value.key == "scenario_b.ecog"
    with pytest.raises(PatientError) as err:
        Patient.from_dict({SCENARIO_KEY: [1, 2]})
    assert err.value.key == SCENARIO_KEY


def test_a_regimen_whose_level_changes_is_listed_and_a_new_label_is_no_change(child_pugh_a_vs_b):
    a, b = child_pugh_a_vs_b
    relabelled = assess(b.patient.replace(case_label="Scenario B: Child-Pugh B"))
    w = compare(a, relabelled)
    assert "case_label" not in {c.key for c in w.inputs}  # the name of a scenario is not a clinical change
    # RT + TKI stays uncertain, but for B its status comes from Chen 2022 (a meta-analysis of retrospective
    # studies: level 4) instead of RTOG 1112 (randomised phase III: level 1), which Child-Pugh B fails
    rt_tki = next(c for c in w.changed_regimens if c.key == "rt_tki")
    assert (rt_tki.a, rt_tki.b, rt_tki.level_a, rt_tki.level_b) == ("uncertain", "uncertain", 1, 4)
    from hccdecide.engine.whatif import whatif_text
    assert "RT + tyrosine-kinase inhibitor: uncertain, Level 1 → uncertain, Level 4" in whatif_text(w)
