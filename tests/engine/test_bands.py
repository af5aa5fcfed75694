"""95% bands by parametric bootstrap with lifelines, and their on-disk cache."""
from __future__ import annotations

import numpy as np
import pytest

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.engine.band_cache import cache_dir, cached_draws, model_digest
from hccdecide.engine.bootstrap import DRAWS, censoring_window, simulate
from hccdecide.engine.derive import derive
from hccdecide.engine.prognosis import estimate_curve, fitted_model
from hccdecide.engine.uncertainty import band_from_draws, uncertainty_band
from hccdecide.evidence.schema import Study
from hccdecide.patient import Patient


@pytest.fixture(scope="module")
def yan(library):
    return library.study("yan2025_lnm")


def model(study, model_id):
    return next(m for m in study.prognostic_models if m.id == model_id)


def curve(study, model_id, **values):
    return estimate_curve(study, model(study, model_id), derive(Patient.from_dict(values)).facts)


def test_every_combinable_model_has_500_successful_refits(band_draws):
    assert band_draws, "no combinable model in the library"
    for (study_id, model_id), d in band_draws.items():
        assert d.count == DRAWS >= 500
        assert d.failed_fits >= 0 and d.coef.shape[1] == d.prevalence.shape[1]
        assert np.all(np.diff(d.h0, axis=1) >= -1e-12)  # every refit's baseline is a cumulative hazard


def test_simulated_cohorts_match_the_published_event_count(band_draws, yan):
    # Results, Patterns of failure: 28 deaths of 62; PFS: 26 progressions + 7 deaths without one
    assert band_draws[("yan2025_lnm", "yan_os_table2")].mean_events == pytest.approx(28, abs=1.0)
    assert band_draws[("yan2025_lnm", "yan_pfs_table2")].mean_events == pytest.approx(33, abs=1.0)
    lo, hi = band_draws[("yan2025_lnm", "yan_os_table2")].censor_window
    assert lo == 10  # the shortest published follow-up


@pytest.mark.parametrize("values", [{}, {"alt_u_l": 50, "lnm_volume_cc": 30}, {"lnm_volume_cc": 80, "pt_s": 12}])
def test_band_holds_the_point_estimate(yan, values):
    c = curve(yan, "yan_os_table2", **values)
    band = uncertainty_band(c)
    for t in (12, 24, 36):
        lo, hi = band.landmark_ci[t]
        assert lo <= c.landmarks[t] <= hi
    assert np.all(band.lower <= band.upper) and band.method == "parametric_bootstrap"


def km_interval_widths(fm, n: int, events: int, seed: int, cohorts: int = 20) -> dict[int, float]:
    """Mean width of the lifelines Kaplan–Meier 95% interval at 12 and 36 months over simulated
    cohorts of the published size, event count and follow-up."""
    from lifelines import KaplanMeierFitter

    window = censoring_window(fm, n, events, fm.model.follow_up_range_months[0])
    rng = np.random.default_rng(seed)
    widths = {12: [], 36: []}
    for _ in range(cohorts):
        _, t, e = simulate(fm, rng, n, window)
        km = KaplanMeierFitter().fit(t, e)
        ci = km.confidence_interval_survival_function_
        for months in widths:
            row = ci[ci.index <= months - 1e-9].iloc[-1]
            widths[months].append(float(row.iloc[1] - row.iloc[0]))
    return {m: float(np.mean(w)) for m, w in widths.items()}


@pytest.mark.parametrize("model_id", ["yan_os_table2", "yan_pfs_table2"])
def test_band_of_the_cohort_average_patient_is_as_wide_as_the_cohorts_own_km_interval(yan, model_id, band_draws):
    """The band's width at 12 and 36 months reaches the Kaplan–Meier interval's, up to the Monte Carlo
    error of percentiles taken from 500 draws (two standard errors, estimated here by resampling the
    draws): the bootstrap reproduces the Kaplan–Meier sampling spread, which lifelines' log-log
    interval slightly overstates at 12 months."""
    from hccdecide.engine.uncertainty import draw_curves

    m = model(yan, model_id)
    fm = fitted_model(yan, m)
    km = km_interval_widths(fm, yan.n, m.events, seed=8)
    c = curve(yan, model_id)
    grid, curves = draw_curves(c, band_draws[("yan2025_lnm", model_id)])
    rng = np.random.default_rng(3)
    for t in (12, 36):
        at = curves[:, int(np.searchsorted(grid, t))]
        width = float(np.diff(np.percentile(at, [2.5, 97.5]))[0])
        resampled = [np.diff(np.percentile(rng.choice(at, at.size), [2.5, 97.5]))[0] for _ in range(200)]
        mc_se = float(np.std(resampled))
        assert width + 2 * mc_se >= km[t], (t, width, mc_se, km[t])
        assert width >= 0.9 * km[t]


def test_an_individual_band_is_wider_than_the_cohort_average(yan):
    average = uncertainty_band(curve(yan, "yan_os_table2"))
    one = uncertainty_band(curve(yan, "yan_os_table2", alt_u_l=50, pt_s=12, lnm_volume_cc=80,
                                 bilirubin_umol_l=15, albumin_g_l=40, inr=1.0, ascites="none",
                                 encephalopathy="none"))
    for t in (12, 36):
        assert np.diff(one.landmark_ci[t])[0] > np.diff(average.landmark_ci[t])[0]


def test_withheld_estimates_get_no_band(library):
    a = assess(Patient.from_dict({"lnm_present": False}), library)
    bands = bands_for(a.curves)
    for i, c in enumerate(a.curves):
        assert (i in bands) is c.shown


def test_draws_are_read_back_from_disk_unchanged(yan):
    m = model(yan, "yan_os_table2")
    files = list(cache_dir().glob(f"draws-yan2025_lnm-yan_os_table2-{model_digest(yan, m)[:16]}.npz"))
    assert len(files) == 1
    assert files[0].stat().st_mode & 0o777 == 0o600  # written through mkstemp: private
    with np.load(files[0]) as z:  # model-derived arrays only: nothing about any patient
        assert set(z.files) == {"coef", "prevalence", "h0", "grid", "meta"}
    from hccdecide.engine import band_cache
    band_cache._memory.clear()
    again = cached_draws(yan, m)
    c = curve(yan, "yan_os_table2", alt_u_l=50)
    assert band_from_draws(c, again).landmark_ci == uncertainty_band(c).landmark_ci


def test_cache_key_follows_the_models_own_evidence_only(yan):
    m = model(yan, "yan_os_table2")
    key = model_digest(yan, m)
    record = yan.model_dump(mode="json")
    record["arms"][0]["toxicities"] = record["arms"][0]["toxicities"][:1]  # unrelated edit
    record["notes"] = "edited"
    unrelated = Study.model_validate(record)
    assert model_digest(unrelated, model(unrelated, "yan_os_table2")) == key
    record["prognostic_models"][0]["factors"][0]["effect"] = 3.5  # the model's own HR
    changed = Study.model_validate(record)
    assert model_digest(changed, model(changed, "yan_os_table2")) != key
    record = yan.model_dump(mode="json")
    os_12 = next(o for o in record["arms"][0]["outcomes"] if o["endpoint"] == "OS" and o.get("at_months") == 12)
    os_12["estimate"]["value"] = 80.0  # a published point the baseline is solved from
    moved = Study.model_validate(record)
    assert model_digest(moved, model(moved, "yan_os_table2")) != key
