"""Next data to enter: every claim is checked by re-assessing the case with each value tried."""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.matching import UNCERTAIN
from hccdecide.engine.next_data import candidate_values, next_data
from hccdecide.engine.prognosis import BASELINE
from hccdecide.patient import BOOLEAN, CHOICE, FIELD_BY_KEY, Patient
from hccdecide.paths import cases_dir

CASES = sorted(p.name for p in cases_dir().glob("*.json"))


def _open(a):
    """Uncertain items of a full assessment: study ids and study/model with a stratum range."""
    studies = {m.study.id for m in a.matches if m.status == UNCERTAIN and m.missing}
    models = {f"{c.study.id}/{c.model.id}" for c in a.curves
              if c.stage == BASELINE and c.model.default and len(c.stratum.possible) > 1}
    return studies | models


@pytest.fixture(scope="module", params=CASES)
def case(request):
    a = assess(Patient.from_file(cases_dir() / request.param))
    return a, next_data(a)


def test_each_key_settles_what_it_claims_for_every_value(case):
    a, items = case
    for item in items:
        spec = FIELD_BY_KEY[item.key]
        assert not a.patient.known(item.key) and not spec.identifying
        claimed = set(item.studies) | set(item.risk_models)
        resolved_by_some = set()
        for value in candidate_values(spec, a.library):
            still_open = _open(assess(a.patient.replace(**{item.key: value})))
            assert not (claimed & still_open), (item.key, value, claimed & still_open)
            resolved_by_some |= _open(a) - still_open
        assert set(item.may_settle) <= resolved_by_some
        assert not claimed & set(item.may_settle)


def test_ranked_by_items_settled(case):
    _, items = case
    keys = [(i.settles, len(i.may_settle)) for i in items]
    assert keys == sorted(keys, reverse=True)
    assert all(i.settles or i.may_settle for i in items)


def test_an_unlisted_yes_no_or_choice_key_settles_nothing(library):
    a = assess(Patient.from_file(cases_dir() / "training_missing_data.json"))
    listed = {i.key for i in next_data(a)}
    before = _open(a)
    assert before, "the case must leave something uncertain for this test to mean anything"
    for spec in FIELD_BY_KEY.values():
        if spec.key in listed or a.patient.known(spec.key) or spec.kind not in (BOOLEAN, CHOICE) \
                or spec.identifying:
            continue
        for value in candidate_values(spec, library):
            assert _open(assess(a.patient.replace(**{spec.key: value}))) >= before, (spec.key, value)


def test_removing_ecog_makes_studies_uncertain_that_ecog_then_settles(library):
    """The example case is decided; without ECOG (and KPS) some statuses wait for it, and ECOG is
    listed as settling exactly those."""
    full = Patient.from_file(cases_dir() / "example_nodal_disease.json")
    before = _open(assess(full))
    a = assess(full.replace(ecog=None, kps=None))
    newly = _open(a) - before
    assert newly, "ECOG must matter to some study for this test to mean anything"
    items = {i.key: i for i in next_data(a)}
    assert candidate_values(FIELD_BY_KEY["ecog"], library) == [0, 1, 2, 3, 4]
    assert set(items["ecog"].studies) | set(items["ecog"].risk_models) == newly


def test_numeric_values_straddle_each_threshold(library):
    values = candidate_values(FIELD_BY_KEY["sum_diameter_cm"], library)
    # RTOG 1112 requires a sum of diameters of 20 cm or less: both sides are tried
    assert any(v <= 20 for v in values) and any(v > 20 for v in values)
    assert min(values) == FIELD_BY_KEY["sum_diameter_cm"].low and max(values) == FIELD_BY_KEY["sum_diameter_cm"].high
