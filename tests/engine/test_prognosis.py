"""Individual curves from Yan et al. 2025, Table 2 (multivariable Cox) calibrated to the cohort."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from hccdecide.engine.derive import derive
from hccdecide.engine.prognosis import (AFTER_RESPONSE, BASELINE, baseline_cumhaz_on_grid,
                                        calibration_knots, estimate_curve, individual_curves,
                                        lp_distribution, solve_baseline)
from hccdecide.engine.uncertainty import uncertainty_band
from hccdecide.patient import Patient

# Published cohort figures (Yan et al. 2025, Results, Tumor response and survival analyses)
PUBLISHED = {
    "yan_os_table2": ({12: 78.93, 24: 57.37, 36: 49.12}, 26.0),
    "yan_os_abstract": ({12: 78.93, 24: 57.37, 36: 49.12}, 26.0),
    "yan_pfs_table2": ({12: 59.06, 24: 49.22, 36: 39.37}, 17.0),
}
# Every Table 2 OS factor at its reference level: ALT <= 35, PT <= 14.5, no HE, Child–Pugh A,
# AFP <= 400, GTV <= 60, a single node, regional.
OS_REFERENCE = dict(alt_u_l=30, pt_s=12.0, encephalopathy="none", bilirubin_umol_l=15, albumin_g_l=40,
                    inr=1.0, ascites="none", afp_ng_ml=100, lnm_volume_cc=30, lnm_present=True,
                    lnm_count=1, lnm_stations=["hepatic_hilum"])


@pytest.fixture(scope="module")
def yan(library):
    return library.study("yan2025_lnm")


def model(study, model_id):
    return next(m for m in study.prognostic_models if m.id == model_id)


def curve(study, model_id, stage=BASELINE, **values):
    return estimate_curve(study, model(study, model_id), derive(Patient.from_dict(values)).facts, stage)


@pytest.mark.parametrize("model_id", sorted(PUBLISHED))
def test_cohort_average_gives_back_the_published_curve(yan, model_id):
    landmarks, median = PUBLISHED[model_id]
    c = curve(yan, model_id)  # every factor unknown: averaged at cohort prevalence
    for t, s in landmarks.items():
        assert 100 * c.landmarks[t] == pytest.approx(s, abs=2.0)
        assert 100 * np.interp(t, c.grid, c.population) == pytest.approx(s, abs=2.0)
    assert c.median == pytest.approx(median, abs=1.0)


def test_patient_without_adverse_factors_does_better_than_the_cohort(yan):
    c = curve(yan, "yan_os_table2", **OS_REFERENCE)
    assert all(s.present is False for s in c.states)
    pop = {t: np.interp(t, c.grid, c.population) for t in (12, 24, 36)}
    assert all(c.landmarks[t] > pop[t] for t in (12, 24, 36))


def test_patient_with_alt_pt_and_gtv_adverse_does_worse(yan):
    c = curve(yan, "yan_os_table2", alt_u_l=50, pt_s=16.0, lnm_volume_cc=80)
    pop = {t: np.interp(t, c.grid, c.population) for t in (12, 24, 36)}
    assert all(c.landmarks[t] < pop[t] for t in (12, 24, 36))
    assert c.median < 26.0


def test_alt_alone_multiplies_the_cumulative_hazard_by_its_hr(yan):
    # ALT 35 is the reference level (> 35 required), 35.1 the comparison level.
    low = curve(yan, "yan_os_table2", **{**OS_REFERENCE, "alt_u_l": 35})
    high = curve(yan, "yan_os_table2", **{**OS_REFERENCE, "alt_u_l": 35.1})
    for t in (3, 12, 24, 36):
        i = int(np.searchsorted(low.grid, t))
        ratio = np.log(high.survival[i]) / np.log(low.survival[i])
        assert ratio == pytest.approx(3.42, rel=1e-6)


def test_envelope_holds_the_point_estimate(yan):
    c = curve(yan, "yan_os_table2", alt_u_l=50)
    lo, hi = c.envelope
    assert np.all(lo <= c.survival + 1e-12) and np.all(c.survival <= hi + 1e-12)
    assert np.any(hi - lo > 0.05)  # unknown PT, Child–Pugh, GTV ... leave room


@pytest.mark.parametrize("values, strata", [
    ({}, ("low", "intermediate", "high")),
    ({"alt_u_l": 50}, ("intermediate", "high")),                  # 1 present, 3 unknown
    ({"alt_u_l": 50, "lnm_volume_cc": 80}, ("high",)),            # 2 present: high whatever else
    (OS_REFERENCE, ("low",)),
    ({**OS_REFERENCE, "pt_s": 15.0}, ("intermediate",)),
    # HE (HR 1.60, CI spans 1) and several nodes (3.97, CI spans 1) are not independent predictors
    ({**OS_REFERENCE, "encephalopathy": "grade_1_2", "lnm_count": 4}, ("low",)),
])
def test_risk_stratum_counts_independent_adverse_factors(yan, values, strata):
    assert curve(yan, "yan_os_table2", **values).stratum.possible == strata


PFS_KNOWN = dict(lnm_present=True, lnm_count=2, lnm_stations=["hepatic_hilum"], extrahepatic_spread=False,
                 ca19_9_u_ml=20)


def test_response_is_not_used_before_treatment(yan):
    with_response = curve(yan, "yan_pfs_table2", **PFS_KNOWN, response="PD")
    without = curve(yan, "yan_pfs_table2", **PFS_KNOWN)
    state = next(s for s in with_response.states if s.factor.id == "response")
    assert state.counted is False and state.present is None
    assert np.allclose(with_response.survival, without.survival)


def test_response_is_used_after_treatment(yan):
    before = curve(yan, "yan_pfs_table2", **PFS_KNOWN, response="PD")
    after = curve(yan, "yan_pfs_table2", AFTER_RESPONSE, **PFS_KNOWN, response="PD")
    state = next(s for s in after.states if s.factor.id == "response")
    assert state.counted and state.present is True
    assert all(after.landmarks[t] < before.landmarks[t] for t in (12, 24, 36))  # HR 3.60 vs averaged
    good = curve(yan, "yan_pfs_table2", AFTER_RESPONSE, **PFS_KNOWN, response="PR")
    assert all(good.landmarks[t] > before.landmarks[t] for t in (12, 24, 36))
    # the stratum is a baseline notion: response never counts in it
    assert after.stratum.possible == before.stratum.possible


def test_band_holds_the_point_estimate_and_is_reproducible(yan):
    c = curve(yan, "yan_os_table2", alt_u_l=50, lnm_volume_cc=30)
    band = uncertainty_band(c, draws=200, seed=11)
    for t in (12, 24, 36):
        lo, hi = band.landmark_ci[t]
        assert lo <= c.landmarks[t] <= hi
    assert np.all(band.lower <= band.upper)
    again = uncertainty_band(c, draws=200, seed=11)
    assert np.array_equal(band.lower, again.lower) and band.landmark_ci == again.landmark_ci
    other = uncertainty_band(c, draws=200, seed=12)
    assert not np.array_equal(band.lower, other.lower)


@pytest.mark.parametrize("model_id", ["yan_os_table2", "yan_pfs_table2"])
def test_simulated_cohort_recovers_the_published_model(yan, model_id):
    """Draw 20 000 patients from the model, refit with lifelines, compare with the publication."""
    from lifelines import CoxPHFitter, KaplanMeierFitter
    import pandas as pd

    m = model(yan, model_id)
    hr = np.array([f.effect for f in m.factors])
    prev = np.array([f.prevalence for f in m.factors])
    knots = calibration_knots(yan, m)
    lp, probs = lp_distribution(np.log(hr), prev)
    grid = np.arange(0.0, 36.0 + 1e-9, 0.25)
    h0 = baseline_cumhaz_on_grid(knots.times, solve_baseline(knots.survival, lp, probs), grid)

    rng = np.random.default_rng(2025)
    n = 20_000
    x = (rng.random((n, len(hr))) < prev).astype(int)
    times, events = np.empty(n), np.zeros(n, int)
    combos = np.array(list(itertools.product((0, 1), repeat=len(hr))))
    codes = x @ (2 ** np.arange(len(hr))[::-1])
    for code, combo in enumerate(combos):
        idx = np.nonzero(codes == code)[0]
        if idx.size == 0:
            continue
        surv, _, _ = individual_curves(h0, np.log(hr), prev, [bool(v) for v in combo])
        cumhaz = -np.log(surv)
        target = -np.log(rng.random(idx.size))          # inverse transform on the cumulative hazard
        dead = target <= cumhaz[-1]
        times[idx] = np.where(dead, np.interp(target, cumhaz, grid), 36.0)
        events[idx] = dead
    df = pd.DataFrame(x, columns=[f.id for f in m.factors]).assign(T=times, E=events)

    fitted = np.exp(CoxPHFitter().fit(df, "T", "E").params_[[f.id for f in m.factors]].to_numpy())
    assert np.all(np.abs(fitted / hr - 1) < 0.10), dict(zip([f.id for f in m.factors], fitted.round(2)))
    km = KaplanMeierFitter().fit(df["T"], df["E"])
    for t, s in PUBLISHED[model_id][0].items():
        assert 100 * km.survival_function_at_times(t).iloc[0] == pytest.approx(s, abs=2.0)
