"""A match or curve is reused only while every fact it read is unchanged (engine/read_memo.py).

The equivalence test walks each bundled case through a fixed, seeded series of edits and asserts that
the assessment made with the memo warm is the one made from scratch: the same statuses, criterion
verdicts and reasons, outcome rows, curves and figures.
"""
from __future__ import annotations

import json
import random

import pytest

from hccdecide.engine import assessment, matching
from hccdecide.engine.assessment import assess
from hccdecide.engine.read_memo import ReadMemo, TrackedFacts
from hccdecide.engine.serialize import assessment_json
from hccdecide.errors import PatientError
from hccdecide.paths import resource
from hccdecide.patient import FIELDS, TEXT, Patient

from case_generator import _in_range

CASES = sorted(p.name for p in resource("cases").iterdir() if p.suffix == ".json")
EDITS_PER_CASE = 8


def test_tracked_facts_note_each_key_read_and_each_key_missing():
    tracked = TrackedFacts({"ecog": 1, "afp_ng_ml": 400.0})
    assert tracked.get("ecog") == 1
    assert "ascites" not in tracked
    assert tracked.get("ascites", "none") == "none"
    with pytest.raises(KeyError):
        tracked["bilirubin_umol_l"]
    assert set(tracked.reads) == {"ecog", "ascites", "bilirubin_umol_l"}
    assert not tracked.read_everything
    list(tracked)
    assert tracked.read_everything


def test_a_result_is_reused_only_while_what_it_read_is_unchanged():
    memo, calls, study = ReadMemo(), [], object()

    def size_class(facts):
        calls.append(1)
        return "large" if facts.get("size_cm", 0) > 5 else "small"

    assert memo.get((study,), {"size_cm": 4.0, "ecog": 0}, size_class) == "small"
    assert memo.get((study,), {"size_cm": 4.0, "ecog": 2}, size_class) == "small"  # ecog was not read
    assert len(calls) == 1
    assert memo.get((study,), {"size_cm": 6.0, "ecog": 2}, size_class) == "large"
    assert memo.get((study,), {"size_cm": 4, "ecog": 2}, size_class) == "small"  # 4 is printed unlike 4.0
    assert len(calls) == 3
    assert memo.get((object(),), {"size_cm": 6.0}, size_class) == "large"  # other inputs: computed afresh
    assert len(calls) == 4


def test_a_computation_that_reads_every_fact_is_not_remembered():
    memo, calls = ReadMemo(), []

    def count(facts):
        calls.append(1)
        return len(facts)

    memo.get(("x",), {"a": 1}, count)
    memo.get(("x",), {"a": 1}, count)
    assert len(calls) == 2


def _fresh(patient: Patient):
    matching._MATCHES.clear()
    assessment._CURVES.clear()
    return assess(patient)


def _edits(rng: random.Random, patient: Patient):
    specs = [s for s in FIELDS if s.kind != TEXT]
    for _ in range(EDITS_PER_CASE):
        spec = rng.choice(specs)
        value = None if rng.random() < 0.15 else _in_range(rng, spec)
        try:
            patient = patient.replace(**{spec.key: value})
        except PatientError:
            continue  # a value the case refuses: the form never sends it
        yield patient


@pytest.mark.parametrize("case", CASES)
def test_an_assessment_with_the_memo_is_the_one_made_from_scratch(case):
    rng = random.Random(f"read-memo {case}")  # fixed: the same edits on every run
    patient = Patient.from_file(resource("cases") / case)
    _fresh(patient)
    for edited in _edits(rng, patient):
        warm = assess(edited)
        cold = _fresh(edited)
        assess(edited)  # warm the memo again from this patient for the next edit
        assert warm.matches == cold.matches
        assert json.dumps(assessment_json(warm), sort_keys=True, default=str) == \
            json.dumps(assessment_json(cold), sort_keys=True, default=str)
