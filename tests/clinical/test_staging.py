"""BCLC 2022 stage from ECOG, Child–Pugh class, MVI, spread and tumour burden."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hccdecide.clinical.staging import BclcInputs, bclc_stage, possible_stages

BASE = dict(ecog=0, child_pugh_class="A", mvi_present=False, extrahepatic_spread=False,
            tumour_count=1, largest_diameter_cm=1.5)


def stage(**changes):
    return bclc_stage(BclcInputs(**{**BASE, **changes}))


@pytest.mark.parametrize("changes, expected", [
    ({"tumour_count": 1, "largest_diameter_cm": 2.0}, "0"),
    ({"tumour_count": 1, "largest_diameter_cm": 2.1}, "A"),
    ({"tumour_count": 1, "largest_diameter_cm": 12.0}, "A"),   # single, any size
    ({"tumour_count": 2, "largest_diameter_cm": 3.0}, "A"),
    ({"tumour_count": 3, "largest_diameter_cm": 3.0}, "A"),
    ({"tumour_count": 2, "largest_diameter_cm": 3.1}, "B"),
    ({"tumour_count": 3, "largest_diameter_cm": 3.1}, "B"),
    ({"tumour_count": 4, "largest_diameter_cm": 1.0}, "B"),
    ({"ecog": 1}, "C"), ({"ecog": 2}, "C"),
    ({"mvi_present": True}, "C"),
    ({"extrahepatic_spread": True}, "C"),
    ({"ecog": 3}, "D"), ({"ecog": 4}, "D"),
    ({"child_pugh_class": "C"}, "D"),
    ({"child_pugh_class": "C", "mvi_present": True, "ecog": 1}, "D"),
])
def test_stage(changes, expected):
    result = stage(**changes)
    assert result.stage == expected and result.missing == ()


def test_child_pugh_b_is_staged_by_burden_with_caution():
    result = stage(child_pugh_class="B", tumour_count=1, largest_diameter_cm=4.0)
    assert result.stage == "A" and "Child–Pugh B" in result.caution
    assert stage().caution == ""


def test_ecog_3_decides_d_whatever_else_is_unknown():
    result = bclc_stage(BclcInputs(3, None, None, None, None, None))
    assert result.stage == "D"


def test_many_tumours_decide_b_without_the_size():
    assert stage(tumour_count=4, largest_diameter_cm=None).stage == "B"


@pytest.mark.parametrize("changes, missing", [
    ({"ecog": None}, {"ecog"}),
    ({"child_pugh_class": None}, {"child_pugh_class"}),
    ({"mvi_present": None}, {"mvi"}),
    ({"extrahepatic_spread": None}, {"extrahepatic_spread"}),
    ({"largest_diameter_cm": None}, {"largest_diameter_cm"}),
    ({"tumour_count": None, "largest_diameter_cm": None}, {"tumour_count", "largest_diameter_cm"}),
])
def test_unknowns_give_no_stage_and_name_what_is_missing(changes, missing):
    result = stage(**changes)
    assert result.stage is None
    assert set(result.missing) == missing


def test_advanced_features_with_unknown_liver_function_could_still_be_d():
    # MVI makes it at least C, but Child–Pugh C would make it D
    result = stage(mvi_present=True, child_pugh_class=None)
    assert result.stage is None and result.missing == ("child_pugh_class",)


_inputs = st.builds(
    BclcInputs,
    ecog=st.one_of(st.none(), st.integers(0, 4)),
    child_pugh_class=st.sampled_from([None, "A", "B", "C"]),
    mvi_present=st.sampled_from([None, True, False]),
    extrahepatic_spread=st.sampled_from([None, True, False]),
    tumour_count=st.one_of(st.none(), st.integers(0, 99)),
    largest_diameter_cm=st.one_of(st.none(), st.floats(0.1, 30)),
)


@given(_inputs)
def test_stage_never_fails_and_is_explained(inputs):
    result = bclc_stage(inputs)
    assert result.stage in (None, "0", "A", "B", "C", "D")
    assert result.reason
    if result.stage is None:
        assert result.missing


@pytest.mark.parametrize("changes, reachable", [
    # ECOG 1 makes it C unless Child-Pugh C makes it D
    ({"ecog": 1, "child_pugh_class": None}, ("C", "D")),
    ({"mvi_present": True, "child_pugh_class": None}, ("C", "D")),
    # ECOG 0, Child-Pugh A, nothing outside the liver: the tumour burden alone decides 0, A or B
    ({"tumour_count": None, "largest_diameter_cm": None}, ("0", "A", "B")),
    # two tumours: never 0; A up to 3 cm, B beyond
    ({"tumour_count": 2, "largest_diameter_cm": None}, ("A", "B")),
    # one tumour of 4 cm and unknown spread: A without spread, C with it
    ({"largest_diameter_cm": 4.0, "extrahepatic_spread": None}, ("A", "C")),
    # a complete case reaches only its own stage
    ({}, ("0",)),
])
def test_possible_stages(changes, reachable):
    assert possible_stages(BclcInputs(**{**BASE, **changes})) == reachable


def test_nothing_known_reaches_every_stage():
    assert possible_stages(BclcInputs(None, None, None, None, None, None)) == ("0", "A", "B", "C", "D")


_values = dict(ecog=st.integers(0, 4), child_pugh_class=st.sampled_from(["A", "B", "C"]),
               mvi_present=st.booleans(), extrahepatic_spread=st.booleans(),
               tumour_count=st.integers(0, 99), largest_diameter_cm=st.floats(0.1, 30))


@given(_inputs, st.fixed_dictionaries(_values))
def test_every_completion_of_a_partial_case_is_among_its_possible_stages(partial, filler):
    """The listed stages cover whatever the missing values turn out to be, so a criterion that all of
    them fail can be called not met without waiting for the values."""
    complete = BclcInputs(**{k: filler[k] if getattr(partial, k) is None else getattr(partial, k)
                             for k in _values})
    assert bclc_stage(complete).stage in possible_stages(partial)


def test_stage_c_from_performance_alone_says_what_the_tumour_would_give():
    # Clinical review: age 78, ECOG 1, one 2.2 cm tumour, Child-Pugh A. ECOG 1 makes BCLC 2022 stage C
    # only when the cancer causes it; the tumour alone is stage A (single tumour > 2 cm).
    from hccdecide.clinical.staging import BclcInputs, bclc_stage
    b = bclc_stage(BclcInputs(1, "A", False, False, 1, 2.2))
    assert b.stage == "C"
    assert "when the cancer causes it" in b.caution and "stage A (single tumour 2.2 cm)" in b.caution
    # with another stage-C feature the performance status does not decide the stage: no caution
    assert bclc_stage(BclcInputs(1, "A", True, False, 1, 2.2)).caution == ""
    # tumour burden not entered: the caution cannot name a stage
    assert "tumour burden not entered" in bclc_stage(BclcInputs(2, "A", False, False, None, None)).caution
