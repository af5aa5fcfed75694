"""The app's own monotone cubic (PCHIP) gives SciPy's PchipInterpolator results, so the app need not
load SciPy (about 50 MB) to draw a curve. SciPy is imported here only, as the reference."""
from __future__ import annotations

import numpy as np
import pytest

from hccdecide.engine.baseline import baseline_cumhaz_on_grid, calibration_knots, monotone_cubic

PchipInterpolator = pytest.importorskip("scipy.interpolate").PchipInterpolator

# Yan et al. 2025 (Results, survival): overall survival 78.93 % at 12, 57.37 % at 24, 49.12 % at
# 36 months, median 26 months; the curve starts at (0, 100 %).
YAN_TIMES = np.array([0.0, 12.0, 24.0, 26.0, 36.0])
YAN_SURVIVAL = np.array([1.0, 0.7893, 0.5737, 0.5, 0.4912])


def scipy_pchip(x, y, at):
    return PchipInterpolator(x, y, axis=-1, extrapolate=False)(at)


def test_equals_scipy_on_the_yan_knots():
    cumhaz = -np.log(YAN_SURVIVAL)
    at = np.linspace(0, 36, 3601)
    ours = monotone_cubic(YAN_TIMES, cumhaz, at)
    assert np.max(np.abs(ours - scipy_pchip(YAN_TIMES, cumhaz, at))) < 1e-12
    assert np.allclose(monotone_cubic(YAN_TIMES, cumhaz, YAN_TIMES), cumhaz, atol=1e-15)  # through every knot
    assert np.all(np.diff(ours) >= 0)  # a cumulative hazard never falls


def test_the_baseline_through_the_library_knots_equals_scipy(library):
    study = library.study("yan2025_lnm")
    for model in study.prognostic_models:
        knots = calibration_knots(study, model)
        times = np.concatenate(([0.0], knots.times))
        cumhaz = np.concatenate(([0.0], -np.log(knots.survival)))
        at = np.linspace(0, times[-1], 721)
        expected = scipy_pchip(times, cumhaz, at)
        assert np.max(np.abs(baseline_cumhaz_on_grid(knots.times, knots.survival, at) - expected)) < 1e-12


@pytest.mark.parametrize("seed", range(40))
def test_equals_scipy_on_random_monotone_data(seed):
    # uneven knots, flat stretches (zero secants), rows of draws in a leading dimension, and points
    # outside the knots (NaN in both)
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    x = np.cumsum(rng.uniform(0.05, 12.0, n)) - (0.0 if seed % 3 else 1.0)
    steps = np.where(rng.random((5, n)) < 0.25, 0.0, rng.exponential(0.5, (5, n)))
    y = np.cumsum(steps, axis=-1)
    at = np.concatenate((np.linspace(x[0] - 2, x[-1] + 2, 400), x))
    ours, theirs = monotone_cubic(x, y, at), scipy_pchip(x, y, at)
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    assert np.isnan(ours[..., 0]).all() and not np.isnan(ours[..., -1]).any()
    assert np.nanmax(np.abs(ours - theirs)) < 1e-12
    inside = (at >= x[0]) & (at <= x[-1])
    order = np.argsort(at[inside])
    assert np.all(np.diff(ours[:, inside][:, order], axis=-1) >= -1e-12)  # monotone data stay monotone


def test_non_monotone_data_keep_scipy_end_conditions():
    # the end slopes are clipped (wrong sign -> 0, overshoot -> 3 x the end secant) as in SciPy
    x = np.array([0.0, 1.0, 1.5, 4.0, 4.2])
    for y in ([0.0, 2.0, 0.0, 1.0, 1.0], [0.0, 0.1, 3.0, 2.9, 0.0], [1.0, 0.0, 0.5, 0.4, 3.0]):
        at = np.linspace(0, 4.2, 300)
        assert np.max(np.abs(monotone_cubic(x, np.array(y), at) - scipy_pchip(x, np.array(y), at))) < 1e-12
