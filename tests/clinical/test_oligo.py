"""Oligoprogression type (Wang et al. 2025): 1–5 lesions in ≤ 3 organs; metachronous > 6 months."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hccdecide.clinical.oligo import oligoprogression_type


def kind(lesions=2, organs=1, history="oligometastatic", months=12.0):
    return oligoprogression_type(lesions, organs, history, months).type


@pytest.mark.parametrize("lesions, expected", [(1, "repeat"), (5, "repeat"), (6, "not_oligoprogressive"),
                                               (0, "not_oligoprogressive")])
def test_lesion_count_limit(lesions, expected):
    assert kind(lesions=lesions) == expected


@pytest.mark.parametrize("organs, expected", [(3, "repeat"), (4, "not_oligoprogressive")])
def test_organ_count_limit(organs, expected):
    assert kind(organs=organs) == expected


@pytest.mark.parametrize("months, expected", [(6.0, "not_oligoprogressive"), (6.1, "metachronous"),
                                              (0.0, "not_oligoprogressive"), (40.0, "metachronous")])
def test_metachronous_needs_more_than_six_months(months, expected):
    result = oligoprogression_type(2, 1, "non_metastatic", months)
    assert result.type == expected
    if expected == "not_oligoprogressive":
        assert "synchronous" in result.reason


def test_repeat_after_oligometastatic_state():
    assert kind(history="oligometastatic", months=None) == "repeat"  # months not needed


def test_induced_after_polymetastatic_state():
    assert kind(history="polymetastatic", months=None) == "induced"


def test_too_many_lesions_decide_even_with_other_inputs_unknown():
    result = oligoprogression_type(6, None, None, None)
    assert result.type == "not_oligoprogressive" and result.missing == ()
    assert oligoprogression_type(None, 4, None, None).type == "not_oligoprogressive"


@pytest.mark.parametrize("args, missing", [
    ((None, 1, "oligometastatic", 12.0), ("progressing_lesions",)),
    ((2, None, "oligometastatic", 12.0), ("progressing_organs",)),
    ((2, 1, None, 12.0), ("metastatic_history",)),
    ((2, 1, "non_metastatic", None), ("months_since_diagnosis",)),
    ((None, None, None, None), ("progressing_lesions", "progressing_organs", "metastatic_history")),
])
def test_missing_inputs_are_named(args, missing):
    result = oligoprogression_type(*args)
    assert result.type is None and result.missing == missing


@given(st.one_of(st.none(), st.integers(0, 99)), st.one_of(st.none(), st.integers(0, 20)),
       st.sampled_from([None, "non_metastatic", "oligometastatic", "polymetastatic"]),
       st.one_of(st.none(), st.floats(0, 600)))
def test_never_fails_and_respects_the_limits(lesions, organs, history, months):
    result = oligoprogression_type(lesions, organs, history, months)
    assert result.type in (None, "metachronous", "repeat", "induced", "not_oligoprogressive")
    if result.type in ("metachronous", "repeat", "induced"):
        assert 1 <= lesions <= 5 and organs <= 3
