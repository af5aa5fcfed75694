"""Population limits: every criterion says whether the source gives it as an eligibility rule or only
describes who was treated (``basis``), and the ranges the sources report are recorded with their place.

Expected values are read from the documents by hand (table and section named at each test)."""
from __future__ import annotations

import pydantic
import pytest

from hccdecide.evidence.crosscheck import iter_conditions
from hccdecide.evidence.schema import Criterion

_RULE = {"var": "ecog", "op": "le", "value": 1}


def _criterion(**extra) -> Criterion:
    return Criterion.model_validate({"id": "x", "label": "x", "rule": _RULE, "location": "Table 1", **extra})


@pytest.mark.parametrize("from_list, expected", [("inclusion", "criterion"), ("exclusion", "criterion"),
                                                 ("setting", "cohort_description")])
def test_basis_left_out_follows_the_list(from_list, expected):
    # a range read from the described population never opens a gate by being left unmarked
    assert _criterion(from_list=from_list).basis == expected


def test_basis_given_overrides_the_list():
    assert _criterion(from_list="setting", basis="criterion").basis == "criterion"


def test_cohort_count_needs_a_cohort_description():
    with pytest.raises(pydantic.ValidationError, match="cohort_count"):
        _criterion(from_list="inclusion", cohort_count="2 of 21")


def test_unknown_basis_is_refused_naming_the_field():
    with pytest.raises(pydantic.ValidationError, match="basis"):
        _criterion(basis="guess")


def test_every_bundled_criterion_states_its_basis_consistently(library):
    # a listed inclusion/exclusion item is a rule of the study; an item read from the described
    # population is a description, unless curated otherwise with a reason in its note
    for study in library.studies:
        for c in study.criteria:
            if c.from_list in ("inclusion", "exclusion"):
                assert c.basis == "criterion", (study.id, c.id)
            else:
                assert c.basis == "cohort_description" or c.note, (study.id, c.id)


def _study(library, sid):
    return library.study(sid)


def _crit(study, cid):
    return next(c for c in study.criteria if c.id == cid)


def test_luo_child_pugh_and_kps_are_descriptions_with_their_counts(library):
    luo = _study(library, "luo_oligomet")
    cp = _crit(luo, "population_child_pugh_a_to_c")
    kps = _crit(luo, "population_kps_60")
    # Luo Table 1: Child-Pugh A 14, B 5, C 2 (= 21 treated); KPS > 70 11, 60-70 10 (= 21)
    assert 14 + 5 + 2 == luo.n == 11 + 10
    assert cp.basis == kps.basis == "cohort_description"
    assert "2 of the 21" in cp.cohort_count and "Child-Pugh C" in cp.cohort_count
    assert "10 of the 21" in kps.cohort_count
    assert cp.location.startswith("Table 1") and kps.location.startswith("Table 1")


def test_yan_child_pugh_range_is_a_description(library):
    yan = _study(library, "yan2025_lnm")
    cp = _crit(yan, "population_child_pugh_5_8")
    # Yan Table 1: score 5: 39, 6: 13, 7: 6, 8: 4 -> 62 patients, highest score 8
    assert 39 + 13 + 6 + 4 == yan.n
    assert cp.basis == "cohort_description" and cp.rule.value == [5, 8]
    assert "4 of the 62" in cp.cohort_count


def test_pan_resectability_test_bounds_child_pugh(library):
    pan = _study(library, "pan2024_periop_mvi")
    cp = _crit(pan, "child_pugh_a_b")
    # Pan, Methods, Procedures: the resectability definition (an entry requirement) asks Child-Pugh A or B
    assert cp.basis == "criterion" and sorted(cp.rule.value) == ["A", "B"]
    assert "Procedures" in cp.location
    assert "child_pugh_a_b" in pan.core_domains["liver_function"].criteria


def _admits(c: Criterion, var: str, value) -> bool:
    """Whether any condition of the criterion on ``var`` lets ``value`` through (a literal test)."""
    for cond, _ in iter_conditions(c.rule, ""):
        if cond.var != var:
            continue
        v = cond.value
        if (cond.op.value == "in" and value in v) or (cond.op.value == "ge" and value >= v) \
                or (cond.op.value == "between" and v[0] <= value <= v[1]):
            return True
    return False


def test_only_rahmani_admits_child_pugh_c_by_a_rule(library):
    # Reading the sources: Rahmani 2026 enrolled Child-Pugh B8 or worse by design (review, As Bridging
    # Therapy; reference 18 title: advanced cirrhosis); Luo merely treated 2 Child-Pugh C patients.
    rules, descriptions = set(), set()
    for study in library.studies:
        for c in study.criteria:
            if _admits(c, "child_pugh_class", "C") or _admits(c, "child_pugh_score", 10):
                (rules if c.basis == "criterion" else descriptions).add((study.id, c.id))
    assert rules == {("rahmani2026_sbrt_advanced_cirrhosis", "child_pugh_b8_plus")}
    assert descriptions == {("luo_oligomet", "population_child_pugh_a_to_c")}
