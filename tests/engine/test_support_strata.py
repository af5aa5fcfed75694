"""Cohort support, the bound outside it, and risk strata by thirds, for the Yan 2025 OS model.

The model-implied cohort is enumerated here by hand from Table 2 (HRs) and Table 1 (prevalences)."""
from __future__ import annotations

import itertools
import math

import pytest

from hccdecide.engine.derive import derive
from hccdecide.engine.prognosis import OUTSIDE_SUPPORT, estimate_curve
from hccdecide.patient import Patient

SHRINK = (45.76 - 8) / 45.76
# the four OS factors whose CI excludes 1 (Table 2) with their Table 1 shares
APPLIED = {"alt": (3.42, 0.339), "pt": (2.67, 0.161), "child_pugh": (5.28, 0.161), "gtv": (4.22, 0.500)}
LIVER_A = dict(bilirubin_umol_l=15, albumin_g_l=40, inr=1.0, ascites="none", encephalopathy="none")
# bilirubin 40 umol/L 2 + albumin 30 g/L 2 + mild ascites 2 + no HE 1 + INR 1.0 1 = 8 points: class B
LIVER_B = dict(bilirubin_umol_l=40, albumin_g_l=30, inr=1.0, ascites="mild", encephalopathy="none")


def patient(alt: bool, pt: bool, child_pugh_b: bool, gtv: bool) -> dict:
    return dict(LIVER_B if child_pugh_b else LIVER_A, alt_u_l=50 if alt else 30, pt_s=16 if pt else 12,
                lnm_volume_cc=80 if gtv else 30)


def cohort():
    """(lp, probability) of all 16 combinations of the applied factors, sorted by lp."""
    rows = []
    for combo in itertools.product((0, 1), repeat=4):
        lp = sum(SHRINK * math.log(hr) * x for (hr, _), x in zip(APPLIED.values(), combo))
        p = math.prod(prev if x else 1 - prev for (_, prev), x in zip(APPLIED.values(), combo))
        rows.append((lp, p, combo))
    return sorted(rows)


def quantile(rows, q):
    cum = 0.0
    for lp, p, _ in rows:
        cum += p
        if cum >= q - 1e-12:
            return lp
    return rows[-1][0]


@pytest.fixture(scope="module")
def os_model(library):
    yan = library.study("yan2025_lnm")
    return yan, next(m for m in yan.prognostic_models if m.id == "yan_os_table2")


def estimate(os_model, **values):
    yan, m = os_model
    return estimate_curve(yan, m, derive(Patient.from_dict(values)).facts)


def test_probabilities_of_the_model_implied_cohort_sum_to_one():
    assert sum(p for _, p, _ in cohort()) == pytest.approx(1.0)


@pytest.mark.parametrize("combo", list(itertools.product((False, True), repeat=4)))
def test_support_is_the_5th_to_95th_percentile_of_the_linear_predictor(os_model, combo):
    rows = cohort()
    low, high = quantile(rows, 0.05), quantile(rows, 0.95)
    lp = sum(SHRINK * math.log(hr) for (hr, _), x in zip(APPLIED.values(), combo) if x)
    below = sum(p for v, p, _ in rows if v < lp - 1e-9)
    tied = sum(p for v, p, _ in rows if abs(v - lp) <= 1e-9)
    c = estimate(os_model, **patient(*combo))
    assert c.support.lp_percentile == pytest.approx(100 * (below + tied / 2))
    inside = low - 1e-9 <= lp <= high + 1e-9
    assert c.support.inside is inside
    assert c.shown is inside
    if not inside:
        assert c.withheld == OUTSIDE_SUPPORT and "Outside the cohort's support" in c.withheld_text


def test_patient_without_adverse_factors_is_inside_support(os_model):
    c = estimate(os_model, **patient(False, False, False, False))
    p_none = (1 - 0.339) * (1 - 0.161) * (1 - 0.161) * (1 - 0.5)
    assert c.support.inside and c.support.lp_percentile == pytest.approx(100 * p_none / 2)


def test_all_four_adverse_factors_give_a_bound_at_the_edge_not_a_curve(os_model):
    c = estimate(os_model, **patient(True, True, True, True))
    p_all = 0.339 * 0.161 * 0.161 * 0.5
    assert p_all * 62 < 0.5  # about 0.3 of the 62 patients: no curve can be fitted to that
    assert not c.shown and c.support.side == "above"
    rows = cohort()
    edge = quantile(rows, 0.95)
    edge_combo = next(combo for lp, _, combo in rows if abs(lp - edge) < 1e-9)
    at_edge = estimate(os_model, **patient(*map(bool, edge_combo)))
    assert c.bound.side == "above" and c.bound.word == "at most"
    for t in (12, 24, 36):
        assert c.bound.landmarks[t] == pytest.approx(at_edge.landmarks[t])
    assert c.bound.median == pytest.approx(at_edge.median)
    # the published subgroup figures at this patient's levels (Results, Prognostic factors of OS)
    medians = {(g.factor, g.level): g.median_months for g in c.subgroups}
    assert medians[("ALT", "above 35 U/L")] == 15.0
    assert medians[("Prothrombin time", "above 14.5 s")] == 10.0
    assert medians[("Child-Pugh class", "B")] == 10.0
    assert medians[("Nodal GTV", "above 60 cc")] == 15.0


def test_unknown_factors_that_may_cross_the_edge_are_flagged(os_model):
    c = estimate(os_model, alt_u_l=50, pt_s=16, lnm_volume_cc=80)  # Child-Pugh unknown
    # Child-Pugh A keeps the patient inside or not, B puts them beyond: the estimate stays, with a warning
    rows = cohort()
    lp_a = SHRINK * (math.log(3.42) + math.log(2.67) + math.log(4.22))
    assert (lp_a <= quantile(rows, 0.95) + 1e-9) is c.support.inside
    if c.support.inside:
        assert c.support.partly_outside and "may lie outside" in c.support.text


def test_strata_are_thirds_of_the_model_implied_cohort(os_model):
    rows = cohort()
    c1, c2 = quantile(rows, 1 / 3), quantile(rows, 2 / 3)
    shares = (sum(p for v, p, _ in rows if v <= c1 + 1e-9), sum(p for v, p, _ in rows if c1 + 1e-9 < v <= c2 + 1e-9),
              sum(p for v, p, _ in rows if v > c2 + 1e-9))
    for lp, _, combo in rows:
        expected = "low" if lp <= c1 + 1e-9 else ("intermediate" if lp <= c2 + 1e-9 else "high")
        st = estimate(os_model, **patient(*map(bool, combo))).stratum
        assert st.possible == (expected,)
        assert st.cut_lp == pytest.approx((c1, c2))
        assert st.shares == pytest.approx(shares)


def test_stratum_names_the_patients_own_factors_and_ranges_over_unknowns(os_model):
    st = estimate(os_model, **patient(True, False, False, True)).stratum
    assert st.present == ("ALT above 35 U/L", "Nodal GTV above 60 cc") and st.unknown == ()
    assert "ALT" not in st.rule  # the rule is explained on its own, without factor names
    # ALT above 35 known, the other three applied factors unknown: every stratum reachable is listed
    rows = cohort()
    c1, c2 = quantile(rows, 1 / 3), quantile(rows, 2 / 3)
    reach = {("low" if lp <= c1 + 1e-9 else "intermediate" if lp <= c2 + 1e-9 else "high")
             for lp, _, combo in rows if combo[0] == 1}
    order = ("low", "intermediate", "high")
    st = estimate(os_model, alt_u_l=50).stratum
    assert set(st.possible) == reach and st.possible == tuple(n for n in order if n in reach)
    assert len(st.unknown) == 3


def test_non_applied_factors_do_not_change_the_stratum(os_model):
    base = patient(False, False, False, False)
    he_afp = dict(base, encephalopathy="grade_1_2", afp_ng_ml=2000, lnm_count=4)
    assert estimate(os_model, **he_afp).stratum.possible == estimate(os_model, **base).stratum.possible == ("low",)
