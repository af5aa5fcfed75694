"""95% bands for an individual curve: Monte Carlo over the published HRs and the cohort curve.

Each draw takes log HR_j ~ Normal(log HR_j, ((log hi − log lo) / 3.92)²) for every factor, and shifts
the published landmarks by their sampling error for the study's n (binomial variance S(1 − S)/n on
the logit scale, one shared shock per draw so the curve stays monotone; this equals Greenwood's
variance when nobody is censored before the landmark, so it is a lower bound). The baseline is re-solved
and the patient's curve recomputed; the band is the 2.5th–97.5th percentile at each time.

This is the slow part of an assessment (hundreds of milliseconds); the GUI runs it in a worker.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hccdecide.engine.prognosis import (CurveEstimate, baseline_cumhaz_on_grid, individual_curves,
                                        lp_distribution, median_from_curve, solve_baseline)

DEFAULT_DRAWS = 500
BAND_STEP_MONTHS = 1.0  # the band is drawn on a monthly grid: 4x cheaper, visually the same
DEFAULT_SEED = 20251


@dataclass(frozen=True)
class Band:
    grid: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    median_ci: tuple[float | None, float | None]  # None = not reached within the horizon
    landmark_ci: dict[int, tuple[float, float]]
    draws: int


def _log_hr_draws(estimate: CurveEstimate, rng: np.random.Generator, draws: int) -> np.ndarray:
    factors = estimate.model.factors
    mean = np.log([f.effect for f in factors])
    se = np.array([(np.log(f.ci[1]) - np.log(f.ci[0])) / 3.92 for f in factors])
    return mean + rng.standard_normal((draws, len(factors))) * se


def _landmark_draws(estimate: CurveEstimate, rng: np.random.Generator, draws: int) -> np.ndarray:
    s = np.clip(estimate.knots.survival, 1e-4, 1 - 1e-4)
    n = estimate.study.n or 0
    if n <= 0:
        return np.broadcast_to(s, (draws, s.size)).copy()
    logit = np.log(s / (1 - s))
    se = 1 / np.sqrt(n * s * (1 - s))
    shifted = logit + rng.standard_normal((draws, 1)) * se
    out = 1 / (1 + np.exp(-shifted))
    return np.minimum.accumulate(out, axis=1)


def uncertainty_band(estimate: CurveEstimate, draws: int = DEFAULT_DRAWS,
                     seed: int = DEFAULT_SEED) -> Band:
    """Percentile band around ``estimate``; deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    log_hr = _log_hr_draws(estimate, rng, draws)
    s_pop = _landmark_draws(estimate, rng, draws)
    prevalence = np.array([f.prevalence for f in estimate.model.factors], float)
    lp, probs = lp_distribution(log_hr, prevalence)
    s0 = solve_baseline(s_pop, lp, probs)
    grid = np.arange(0.0, estimate.horizon + 1e-9, BAND_STEP_MONTHS)
    h0 = baseline_cumhaz_on_grid(estimate.knots.times, s0, grid)
    present = [s.present if s.counted else None for s in estimate.states]
    curves, _, _ = individual_curves(h0, log_hr, prevalence, present)
    lower, upper = np.percentile(curves, [2.5, 97.5], axis=0)
    medians = np.array([m if m is not None else np.inf
                        for m in (median_from_curve(grid, c) for c in curves)])
    lo, hi = (float(np.percentile(medians, q, method=m)) for q, m in ((2.5, "lower"), (97.5, "higher")))
    median_ci = (lo if np.isfinite(lo) else None, hi if np.isfinite(hi) else None)
    landmark_ci = {}
    for t in estimate.landmarks:
        at_t = curves[:, int(round(t / BAND_STEP_MONTHS))]
        landmark_ci[t] = (float(np.percentile(at_t, 2.5)), float(np.percentile(at_t, 97.5)))
    return Band(grid, lower, upper, median_ci, landmark_ci, draws)
