"""MVI grade from Vp/Vv (Pan et al. 2024, Methods, Macrovascular invasion grading) and Cheng type."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hccdecide.clinical.vascular import cheng_type_from_vp, mvi_grade, mvi_grade_exact


@pytest.mark.parametrize("vp, vv, grade", [
    (0, 0, 0),  # no invasion
    (1, 0, 1), (2, 0, 2), (3, 0, 3),
    (0, 1, 3),  # Vv1 alone -> 3
    (4, 0, 4), (0, 2, 4), (0, 3, 4),
    (1, 1, 4), (2, 1, 4), (3, 1, 4), (4, 3, 4),  # portal plus hepatic vein -> 4
])
def test_grade_from_vp_vv(vp, vv, grade):
    assert mvi_grade_exact(vp, vv) == grade
    assert mvi_grade(vp, vv).value == grade


@pytest.mark.parametrize("vp, vv", [(5, 0), (-1, 0), (0, 4)])
def test_out_of_range_vp_vv_rejected(vp, vv):
    with pytest.raises(ValueError):
        mvi_grade_exact(vp, vv)


def test_unknown_vv_with_vp4_is_still_grade_4():
    assert mvi_grade(4, None).possible == (4,)
    assert mvi_grade(4, None).value == 4


def test_unknown_vv_with_vp2_leaves_2_or_4():
    # Vv0 -> 2; Vv1, Vv2 or Vv3 with Vp2 -> both veins -> 4
    g = mvi_grade(2, None)
    assert g.possible == (2, 4) and g.value is None


def test_unknown_vv_without_portal_invasion():
    # Vp0: Vv0 -> 0, Vv1 -> 3, Vv2/3 -> 4
    assert mvi_grade(0, None).possible == (0, 3, 4)


def test_unknown_vp_with_vv2_is_grade_4():
    assert mvi_grade(None, 2).value == 4


def test_unknown_vp_with_vv1():
    # Vp0 -> 3, Vp1-4 with Vv1 -> 4
    assert mvi_grade(None, 1).possible == (3, 4)


def test_both_unknown_leaves_every_grade():
    assert mvi_grade(None, None).possible == (0, 1, 2, 3, 4)


# Vp1 (thrombus beyond the second-order branches, Pan et al. 2024, Methods) lies in segmental or more
# peripheral branches: Cheng type I at most, like Vp2 (second-order branches)
@pytest.mark.parametrize("vp, cheng", [(0, 0), (1, 1), (2, 1), (3, 2), (4, 3), (None, None)])
def test_cheng_type_approximation(vp, cheng):
    # Vp2 ~ I, Vp3 ~ II, Vp4 ~ III; Vp1 has no Cheng counterpart; type IV is never derived
    assert cheng_type_from_vp(vp) == cheng


@given(st.one_of(st.none(), st.integers(0, 4)), st.one_of(st.none(), st.integers(0, 3)))
def test_possible_grades_always_contain_every_completion(vp, vv):
    g = mvi_grade(vp, vv)
    for p in ([vp] if vp is not None else range(5)):
        for v in ([vv] if vv is not None else range(4)):
            assert mvi_grade_exact(p, v) in g.possible
    assert set(g.possible) <= {0, 1, 2, 3, 4}
