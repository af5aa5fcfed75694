"""Individual curves from Yan et al. 2025, Table 2 (multivariable Cox), calibrated to the cohort.

Every expected number is worked out here from the published figures, not read back from the engine.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.baseline import baseline_cumhaz_on_grid, calibration_knots, lp_distribution, solve_baseline
from hccdecide.engine.derive import derive
from hccdecide.engine.prognosis import (AFTER_PROGRESSION, AFTER_RESPONSE, BASELINE, NOT_APPLICABLE,
                                        estimate_curve)
from hccdecide.patient import Patient

# Published cohort figures (Yan et al. 2025, Results, Tumor response and survival analyses)
PUBLISHED = {
    "yan_os_table2": ({12: 78.93, 24: 57.37, 36: 49.12}, 26.0),
    "yan_os_abstract": ({12: 78.93, 24: 57.37, 36: 49.12}, 26.0),
    "yan_pfs_table2": ({12: 59.06, 24: 49.22, 36: 39.37}, 17.0),
}
# Likelihood-ratio chi-squares (Results, multivariate paragraphs) over the covariates of Table 2.
OS_SHRINK = (45.76 - 8) / 45.76
PFS_SHRINK = (31.81 - 5) / 31.81
LIVER_A = dict(bilirubin_umol_l=15, albumin_g_l=40, inr=1.0, ascites="none", encephalopathy="none")
# Every Table 2 OS factor at its reference level: ALT <= 35, PT <= 14.5, no HE, Child–Pugh A,
# AFP <= 400, GTV <= 60, a single node, regional.
OS_REFERENCE = dict(LIVER_A, alt_u_l=30, pt_s=12.0, afp_ng_ml=100, lnm_volume_cc=30, lnm_present=True,
                    lnm_count=1, lnm_stations=["hepatic_hilum"])


@pytest.fixture(scope="module")
def yan(library):
    return library.study("yan2025_lnm")


def model(study, model_id):
    return next(m for m in study.prognostic_models if m.id == model_id)


def curve(study, model_id, stage=BASELINE, apply_all=False, **values):
    return estimate_curve(study, model(study, model_id), derive(Patient.from_dict(values)).facts, stage,
                          apply_all=apply_all)


def test_shrinkage_factor_from_the_printed_chi_square(yan):
    assert curve(yan, "yan_os_table2").shrinkage.factor == pytest.approx(OS_SHRINK, abs=1e-12)
    assert curve(yan, "yan_os_table2").shrinkage.df == 8
    assert curve(yan, "yan_pfs_table2").shrinkage.factor == pytest.approx(PFS_SHRINK, abs=1e-12)
    abstract = curve(yan, "yan_os_abstract")
    assert abstract.shrinkage is None
    assert any("optimism" in w and "not corrected" in w for w in abstract.warnings)


@pytest.mark.parametrize("model_id", sorted(PUBLISHED))
def test_cohort_average_gives_back_the_published_curve_after_shrinkage(yan, model_id):
    landmarks, median = PUBLISHED[model_id]
    c = curve(yan, model_id)  # every factor unknown: averaged at cohort prevalence
    for t, s in landmarks.items():
        assert 100 * c.landmarks[t] == pytest.approx(s, abs=0.5)
        assert 100 * np.interp(t, c.grid, c.population) == pytest.approx(s, abs=0.5)
    assert c.median == pytest.approx(median, abs=0.25)


def test_alt_moves_the_cumulative_hazard_by_its_shrunk_hr(yan):
    # ALT 35 is the reference level (> 35 required), 35.1 the comparison level. With every factor
    # known and applied the model is proportional hazards: H(t | ALT high) / H(t | ALT low) = 3.42^shrink.
    low = curve(yan, "yan_os_table2", apply_all=True, **{**OS_REFERENCE, "alt_u_l": 35})
    high = curve(yan, "yan_os_table2", apply_all=True, **{**OS_REFERENCE, "alt_u_l": 35.1})
    for t in (3, 12, 24, 36):
        i = int(np.searchsorted(low.grid, t))
        ratio = np.log(high.survival[i]) / np.log(low.survival[i])
        assert ratio == pytest.approx(3.42 ** OS_SHRINK, rel=1e-6)
    # by default the non-applied factors are averaged: a mixture, so the ratio is attenuated below the HR
    low, high = (curve(yan, "yan_os_table2", **{**OS_REFERENCE, "alt_u_l": v}) for v in (35, 35.1))
    assert 1 < np.log(high.landmarks[36]) / np.log(low.landmarks[36]) < 3.42 ** OS_SHRINK


def test_non_significant_afp_does_not_move_the_estimate(yan):
    # Table 2: AFP > 400 HR 0.43 (0.15-1.21) -- the CI includes 1, so it is reported, not applied
    low = curve(yan, "yan_os_table2", **OS_REFERENCE)
    high = curve(yan, "yan_os_table2", **{**OS_REFERENCE, "afp_ng_ml": 1000})
    assert np.array_equal(low.survival, high.survival)
    afp = next(s for s in high.states if s.factor.id == "afp")
    assert afp.present is True and afp.applied is False and afp.counted is False
    # the sensitivity option applies it: the wrong-sign HR now improves the estimate, with a warning
    typical = {**OS_REFERENCE, "alt_u_l": 50, "lnm_count": 3}  # inside the support with all 8 applied
    every = curve(yan, "yan_os_table2", apply_all=True, **{**typical, "afp_ng_ml": 1000})
    ref_every = curve(yan, "yan_os_table2", apply_all=True, **typical)
    assert every.shown and ref_every.shown
    assert every.landmarks[12] > ref_every.landmarks[12]
    assert any("AFP" in w and "sensitivity" in w for w in every.warnings)


def test_reported_not_applied_factors_average_over_their_prevalence(yan):
    """HE, AFP, nodes and location are averaged: the reference patient's curve is the mixture over
    them with their shrunk HRs and published shares, the applied four at reference."""
    c = curve(yan, "yan_os_table2", **OS_REFERENCE)
    m = model(yan, "yan_os_table2")
    beta = OS_SHRINK * np.log([f.effect for f in m.factors])
    prev = np.array([f.prevalence for f in m.factors])
    knots = calibration_knots(yan, m)
    s0 = solve_baseline(knots.survival, *lp_distribution(beta, prev))
    h0 = baseline_cumhaz_on_grid(knots.times, s0, np.array([36.0]))[0]
    averaged = [2, 4, 6, 7]  # he, afp, multiple_lnm, non_regional
    total = 0.0
    for combo in itertools.product((0, 1), repeat=4):
        p = math.prod(prev[j] if x else 1 - prev[j] for j, x in zip(averaged, combo))
        total += p * math.exp(-h0 * math.exp(sum(beta[j] * x for j, x in zip(averaged, combo))))
    assert c.landmarks[36] == pytest.approx(total, abs=1e-9)


def test_baseline_is_monotone_smooth_and_stops_at_the_last_point(yan):
    c = curve(yan, "yan_os_table2")
    assert c.grid[-1] == 36.0
    assert np.all(np.diff(c.survival) <= 1e-12)
    # the knots are passed exactly (published 12, 24, 26 = median, 36 months)
    for t, s in zip(c.knots.times, c.knots.survival):
        assert np.interp(t, c.grid, c.population) == pytest.approx(s, abs=1e-6)
    # no cliff at a knot (24, 26 = the median, 36 would be kinks with straight lines): the hazard,
    # the slope of the cumulative hazard, is the same just before and just after each inner knot
    m = model(yan, "yan_os_table2")
    s0 = solve_baseline(c.knots.survival, *lp_distribution(OS_SHRINK * np.log([f.effect for f in m.factors]),
                                                           np.array([f.prevalence for f in m.factors])))
    eps = 1e-5
    for t in c.knots.times[:-1]:
        h = baseline_cumhaz_on_grid(c.knots.times, s0, np.array([t - 2 * eps, t - eps, t, t + eps, t + 2 * eps]))
        before, after = (h[1] - h[0]) / eps, (h[4] - h[3]) / eps
        assert after == pytest.approx(before, rel=1e-3, abs=1e-6)
    # a straight line through (24, 57.37 %) and (26, 50 %) then (36, 49.12 %) has slopes 100 times
    # apart; the hazard still falls steeply after the median because the published points do
    with pytest.raises(ValueError, match="past the last published point"):
        baseline_cumhaz_on_grid(c.knots.times, c.knots.survival, np.array([40.0]))


def test_envelope_holds_the_point_estimate(yan):
    c = curve(yan, "yan_os_table2", alt_u_l=50)
    lo, hi = c.envelope
    assert np.all(lo <= c.survival + 1e-12) and np.all(c.survival <= hi + 1e-12)
    assert np.any(hi - lo > 0.05)  # unknown PT, Child–Pugh, GTV ... leave room


PFS_KNOWN = dict(lnm_present=True, lnm_count=2, lnm_stations=["hepatic_hilum"], extrahepatic_spread=False,
                 ca19_9_u_ml=20)


def test_response_is_not_used_before_treatment(yan):
    with_response = curve(yan, "yan_pfs_table2", **PFS_KNOWN, response="SD")
    without = curve(yan, "yan_pfs_table2", **PFS_KNOWN)
    state = next(s for s in with_response.states if s.factor.id == "response")
    assert state.counted is False and state.present is None
    assert np.allclose(with_response.survival, without.survival)


def test_after_response_is_a_landmark_analysis_from_three_months(yan):
    from hccdecide.engine.baseline import mixture_curves
    from hccdecide.engine.prognosis import fitted_model

    sd = curve(yan, "yan_pfs_table2", AFTER_RESPONSE, **PFS_KNOWN, response="SD")
    assert sd.landmark_time == 3 and sd.grid[0] == 3.0 and sd.survival[0] == pytest.approx(1.0)
    assert [s.present if s.counted else None for s in sd.states] == [None, False, False, True, None]
    # S(t | event-free at 3 months) = S(t) / S(3), S with SD applied: regional, M0, SD; multiple nodes
    # and CA19-9 (CIs include 1) averaged
    fm = fitted_model(yan, model(yan, "yan_pfs_table2"))
    whole = mixture_curves(fm.h0, fm.coef, fm.prevalence, [None, False, False, True, None])[0]
    at = {t: np.interp(t, fm.grid, whole) for t in (3, 12, 24, 36)}
    for t in (12, 24, 36):
        assert sd.landmarks[t] == pytest.approx(at[t] / at[3], abs=1e-9)
    assert fm.coef[3] == pytest.approx(PFS_SHRINK * math.log(3.60))
    assert any("guarantee-time" in w for w in sd.warnings)
    pr = curve(yan, "yan_pfs_table2", AFTER_RESPONSE, **PFS_KNOWN, response="PR")
    assert all(pr.landmarks[t] > sd.landmarks[t] for t in (12, 24, 36))


def test_no_pfs_estimate_after_progression(yan):
    pd_ = curve(yan, "yan_pfs_table2", AFTER_RESPONSE, **PFS_KNOWN, response="PD")
    assert pd_.withheld == AFTER_PROGRESSION and not pd_.shown
    assert "PD" in pd_.withheld_text


def test_ineligible_patient_gets_no_curve(library):
    no_nodes = {k: v for k, v in OS_REFERENCE.items() if k not in ("lnm_count", "lnm_stations", "lnm_volume_cc")}
    a = assess(Patient.from_dict({**no_nodes, "lnm_present": False}), library)
    assert a.match("yan2025_lnm").status == "ineligible"
    yan_curves = [c for c in a.curves if c.study.id == "yan2025_lnm"]
    assert yan_curves and all(c.withheld == NOT_APPLICABLE and not c.applicable for c in yan_curves)
    assert all(c.withheld_text.startswith("Not applicable: outside this study's population") for c in yan_curves)


def test_uncertain_study_keeps_its_curve_labelled(library):
    a = assess(Patient.from_dict({"alt_u_l": 50}), library)  # nodal status unknown
    assert a.match("yan2025_lnm").status == "uncertain"
    c = a.default_curve("yan2025_lnm", "OS")
    assert c.shown and c.status == "uncertain"
    assert any("uncertain" in w for w in c.warnings)


def test_alternative_model_shown_as_sensitivity(yan):
    c = curve(yan, "yan_os_table2", alt_u_l=50, lnm_volume_cc=80, afp_ng_ml=1000)
    lines = {(line.model_id, line.label) for line in c.sensitivity}
    assert ("yan_os_abstract", model(yan, "yan_os_abstract").label) in lines
    abstract = curve(yan, "yan_os_abstract", alt_u_l=50, lnm_volume_cc=80, afp_ng_ml=1000)
    line = next(x for x in c.sensitivity if x.model_id == "yan_os_abstract")
    assert line.landmarks == abstract.landmarks
    every = next(x for x in c.sensitivity if x.model_id == "yan_os_table2")
    assert "every factor applied" in every.label


@pytest.mark.parametrize("model_id", ["yan_os_table2", "yan_pfs_table2"])
def test_simulated_cohort_recovers_the_model_as_used(yan, model_id):
    """Draw 20 000 patients from the shrunk model, refit with lifelines, compare HRs and KM."""
    from lifelines import CoxPHFitter, KaplanMeierFitter
    import pandas as pd

    from hccdecide.engine.prognosis import fitted_model
    from hccdecide.engine.bootstrap import simulate

    m = model(yan, model_id)
    fm = fitted_model(yan, m)
    shrink = OS_SHRINK if model_id == "yan_os_table2" else PFS_SHRINK
    hr = np.array([f.effect for f in m.factors]) ** shrink
    x, t, e = simulate(fm, np.random.default_rng(2025), 20_000, (0.0, np.inf))
    df = pd.DataFrame(x, columns=[f.id for f in m.factors]).assign(T=t, E=e)
    fitted = np.exp(CoxPHFitter().fit(df, "T", "E").params_[[f.id for f in m.factors]].to_numpy())
    assert np.all(np.abs(fitted / hr - 1) < 0.10), dict(zip([f.id for f in m.factors], fitted.round(2)))
    km = KaplanMeierFitter().fit(df["T"], df["E"])
    for months, s in PUBLISHED[model_id][0].items():
        assert 100 * km.survival_function_at_times(months - 1e-6).iloc[0] == pytest.approx(s, abs=1.5)
