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


def km_interval_widths(fm, n: int, events: int, seed: int, cohorts: int = 500) -> dict[int, float]:
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
            row = ci[ci.index <= months + 1e-9].iloc[-1]
            widths[months].append(float(row.iloc[1] - row.iloc[0]))
    return {m: float(np.mean(w)) for m, w in widths.items()}


@pytest.mark.parametrize("model_id", ["yan_os_table2", "yan_pfs_table2"])
def test_band_of_the_cohort_average_patient_is_as_wide_as_the_cohorts_own_km_interval(yan, model_id, band_draws):
    """At 12 and 36 months the band is at least as wide as the lifelines Kaplan–Meier 95% interval of
    a cohort of the published size, deaths and follow-up (mean over 500 simulated cohorts drawn
    here with their own seed), without allowance."""
    m = model(yan, model_id)
    fm = fitted_model(yan, m)
    km = km_interval_widths(fm, yan.n, m.events, seed=8)
    band = band_from_draws(curve(yan, model_id), band_draws[("yan2025_lnm", model_id)])
    assert band.km_floor
    for t in (12, 36):
        lo, hi = band.landmark_ci[t]
        assert hi - lo >= km[t], (t, hi - lo, km[t])


def test_the_width_floor_is_the_km_interval_moved_to_the_patients_curve(yan, band_draws):
    """Where the floor binds, the band is S^exp(+h) to S^exp(-h) around the patient's own estimate S:
    lifelines' log-log interval shape, with h the cohorts' half-width on the log(-log S) scale."""
    d = band_draws[("yan2025_lnm", "yan_os_table2")]
    c = curve(yan, "yan_os_table2")
    band = band_from_draws(c, d)
    i = int(np.searchsorted(band.grid, 12))
    s, h = c.landmarks[12], d.km_halfwidth[i]
    assert 0.3 < h < 1.0  # 28 deaths in 62: a wide interval on this scale
    assert band.landmark_ci[12][0] <= s ** np.exp(h) + 1e-9
    assert band.landmark_ci[12][1] >= s ** np.exp(-h) - 1e-9


def test_the_band_covers_the_full_model_for_a_factor_reported_but_not_applied(yan, band_draws):
    """A single node (Table 2 HR 3.97 for multiple nodes, CI 0.49-32.30: not applied) does not move
    the point estimate, but the band reaches the draws' full-model predictions for a single node,
    which lie above the applied-set ones (every refit is fitted with all eight covariates)."""
    from hccdecide.engine.uncertainty import draw_curves

    d = band_draws[("yan2025_lnm", "yan_os_table2")]
    base = dict(alt_u_l=30, pt_s=12, lnm_volume_cc=30)
    unknown_count = curve(yan, "yan_os_table2", **base)
    single = curve(yan, "yan_os_table2", **base, lnm_present=True, lnm_count=1)
    assert single.landmarks == unknown_count.landmarks  # the point estimate does not move
    wide, narrow = band_from_draws(single, d), band_from_draws(unknown_count, d)
    assert wide.covers_full_model and not narrow.covers_full_model
    grid, full = draw_curves(single, d, full=True)
    for t in (12, 36):
        i = int(np.searchsorted(grid, t))
        assert wide.landmark_ci[t][1] >= np.percentile(full[:, i], 97.5) - 1e-9
        assert wide.landmark_ci[t][1] > narrow.landmark_ci[t][1]
        assert wide.landmark_ci[t][0] <= narrow.landmark_ci[t][0] + 1e-9


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
        assert set(z.files) == {"coef", "prevalence", "h0", "grid", "km_halfwidth", "meta"}
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
