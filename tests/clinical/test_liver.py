"""Child–Pugh (bilirubin 34.2/51.3 µmol/L = Pugh's 2/3 mg/dL, albumin 35/28, INR 1.7/2.3 or PT 4/6 s) and ALBI."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hccdecide.clinical import liver
from hccdecide.clinical.liver import albi_grade, albi_score, child_pugh, child_pugh_class

NORMAL = dict(bilirubin_umol_l=10, albumin_g_l=40, inr=1.0, ascites="none", encephalopathy="none")


@pytest.mark.parametrize("value, points", [(34.1, 1), (34.2, 2), (51.3, 2), (51.4, 3)])
def test_bilirubin_band_edges(value, points):
    assert liver.bilirubin_points(value) == points


# Pugh defined the bands in mg/dL: < 2 one point, 2-3 two points, > 3 three points. A value entered in
# mg/dL is converted at 17.104 umol/L per mg/dL (3.0 mg/dL = 51.312 umol/L) and must score as in mg/dL.
@pytest.mark.parametrize("mg_dl, points", [(1.99, 1), (2.0, 2), (2.5, 2), (3.0, 2), (3.01, 3), (3.1, 3)])
def test_bilirubin_in_mg_dl_scores_as_pugh_defined(mg_dl, points):
    assert liver.bilirubin_points(mg_dl * 17.104) == points


@pytest.mark.parametrize("score, text", [(-2.5996, "-2.5996"), (-2.6004, "-2.6004"), (-2.6, "-2.60"),
                                         (-1.3899, "-1.3899"), (-1.3901, "-1.3901"), (-2.123, "-2.12")])
def test_albi_shown_with_enough_digits_at_a_cut_off(score, text):
    # -2.5996 is grade 2 (above -2.60); printed with two decimals it would read "-2.60", a grade-1 value
    assert liver.albi_text(score) == text


@pytest.mark.parametrize("value, points", [(35.1, 1), (35, 2), (28, 2), (27.9, 3)])
def test_albumin_band_edges(value, points):
    assert liver.albumin_points(value) == points


@pytest.mark.parametrize("value, points", [(1.69, 1), (1.7, 2), (2.3, 2), (2.31, 3)])
def test_inr_band_edges(value, points):
    assert liver.inr_points(value) == points


@pytest.mark.parametrize("value, points", [(3.9, 1), (4, 2), (6, 2), (6.1, 3)])
def test_pt_prolongation_band_edges(value, points):
    assert liver.pt_prolongation_points(value) == points


def test_pt_prolongation_used_only_when_inr_unknown():
    with_inr = child_pugh(**{**NORMAL, "inr": 1.0}, pt_prolongation_s=6.1)
    assert with_inr.points["coagulation"] == 1 and with_inr.coagulation_source == "INR"
    without = child_pugh(**{**NORMAL, "inr": None}, pt_prolongation_s=6.1)
    assert without.points["coagulation"] == 3 and without.coagulation_source == "PT prolongation"
    neither = child_pugh(**{**NORMAL, "inr": None})
    assert neither.points["coagulation"] is None and neither.coagulation_source == "unknown"


@pytest.mark.parametrize("score, klass", [(5, "A"), (6, "A"), (7, "B"), (9, "B"), (10, "C"), (15, "C")])
def test_class_from_score(score, klass):
    assert child_pugh_class(score) == klass


@pytest.mark.parametrize("changes, score, klass", [
    ({}, 5, "A"),
    ({"ascites": "mild"}, 6, "A"),                                     # 5 + 1
    ({"ascites": "mild", "albumin_g_l": 30}, 7, "B"),                  # 1+2+1+2+1
    ({"bilirubin_umol_l": 40, "albumin_g_l": 30, "ascites": "mild", "encephalopathy": "grade_1_2"},
     9, "B"),                                                          # 2+2+1+2+2
    ({"bilirubin_umol_l": 40, "albumin_g_l": 30, "inr": 1.8, "ascites": "mild",
      "encephalopathy": "grade_1_2"}, 10, "C"),                        # 2+2+2+2+2
    ({"bilirubin_umol_l": 60, "albumin_g_l": 25, "inr": 2.5, "ascites": "moderate_severe",
      "encephalopathy": "grade_3_4"}, 15, "C"),
])
def test_total_score_and_class(changes, score, klass):
    cp = child_pugh(**{**NORMAL, **changes})
    assert cp.score == score and cp.score_range == (score, score) and cp.klass == klass
    assert cp.missing == []


def test_incomplete_components_give_a_range():
    # four components known at 1 point, encephalopathy unknown: 4 + 1 .. 4 + 3 = 5..7 spans A and B
    cp = child_pugh(**{**NORMAL, "encephalopathy": None})
    assert cp.score is None and cp.missing == ["encephalopathy"]
    assert cp.score_range == (5, 7) and cp.klass is None


def test_range_within_one_class_gives_the_class():
    # bilirubin 2 + albumin 2 + INR 1 + ascites 1 = 6, encephalopathy unknown: 7..9 -> all B
    cp = child_pugh(bilirubin_umol_l=40, albumin_g_l=30, inr=1.0, ascites="none")
    assert cp.score is None and cp.score_range == (7, 9) and cp.klass == "B"
    # 3 + 3 + 2 = 8, ascites and encephalopathy unknown: 10..14 -> all C
    cp = child_pugh(bilirubin_umol_l=60, albumin_g_l=25, inr=2.0)
    assert cp.score_range == (10, 14) and cp.klass == "C"


def test_nothing_known_gives_full_range():
    cp = child_pugh()
    assert cp.score_range == (5, 15) and cp.klass is None and len(cp.missing) == 5


def test_albi_worked_example():
    # 0.66 * log10(17) - 0.085 * 40 = 0.66 * 1.230449 - 3.4 = 0.812096 - 3.4 = -2.587904 -> grade 2
    assert albi_score(17, 40) == pytest.approx(-2.587904, abs=1e-6)
    assert albi_grade(albi_score(17, 40)) == 2


@pytest.mark.parametrize("bili, alb, expected, grade", [
    (10, 45, 0.66 - 3.825, 1),   # log10(10) = 1 -> -3.165
    (100, 25, 1.32 - 2.125, 3),  # log10(100) = 2 -> -0.805
    (10, 30, 0.66 - 2.55, 2),    # -1.89
])
def test_albi_other_values(bili, alb, expected, grade):
    assert albi_score(bili, alb) == pytest.approx(expected)
    assert albi_grade(albi_score(bili, alb)) == grade


@pytest.mark.parametrize("score, grade", [(-2.60, 1), (-2.5999, 2), (-1.39, 2), (-1.3899, 3), (-4.0, 1)])
def test_albi_grade_cut_offs(score, grade):
    assert albi_grade(score) == grade


def test_albi_needs_positive_bilirubin():
    with pytest.raises(ValueError):
        albi_score(0, 40)


_component = st.one_of(st.none(), st.floats(1, 900))


@given(bili=_component, alb=st.one_of(st.none(), st.floats(10, 60)),
       inr=st.one_of(st.none(), st.floats(0.7, 10)), pt=st.one_of(st.none(), st.floats(0, 60)),
       asc=st.sampled_from([None, "none", "mild", "moderate_severe"]),
       enc=st.sampled_from([None, "none", "grade_1_2", "grade_3_4"]))
def test_child_pugh_never_fails_in_range(bili, alb, inr, pt, asc, enc):
    cp = child_pugh(bili, alb, inr, pt, asc, enc)
    low, high = cp.score_range
    assert 5 <= low <= high <= 15
    if cp.score is not None:
        assert low == high == cp.score and cp.klass == child_pugh_class(cp.score)


@given(st.floats(1, 900), st.floats(10, 60))
def test_albi_never_fails_in_range(bili, alb):
    score = albi_score(bili, alb)
    assert math.isfinite(score) and albi_grade(score) in (1, 2, 3)
