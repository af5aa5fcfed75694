"""95% bands for an individual curve from the model's bootstrap draws.

The draws (:mod:`hccdecide.engine.bootstrap`, cached by :mod:`hccdecide.engine.band_cache`) do not
depend on the patient. For a patient, each draw predicts a curve with its own refit log-HRs and
Breslow baseline, averaging unknown and non-applied factors over that simulated cohort's own
prevalences; the band is the 2.5th–97.5th percentile of these curves at each month. After response
the curves are conditioned on being event-free at the landmark, as the point estimate is.
Applying the draws to a patient takes a few milliseconds; building them takes seconds (once).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hccdecide.engine.baseline import combinations, median_from_curve
from hccdecide.engine.bootstrap import Draws, Progress
from hccdecide.engine.prognosis import CurveEstimate, condition_on

METHOD = "parametric_bootstrap"


@dataclass(frozen=True)
class Band:
    grid: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    median_ci: tuple[float | None, float | None]  # None = not reached within the horizon
    landmark_ci: dict[int, tuple[float, float]]
    draws: int
    failed_fits: int = 0
    method: str = METHOD


def draw_mixture(draws: Draws, present: list[bool | None]) -> np.ndarray:
    """Each draw's curve, factors given as None averaged over that draw's cohort prevalences.

    The same sum as :func:`hccdecide.engine.baseline.mixture_curves`, in single precision with a
    batched matrix product: with 8 unknown factors it is 256 combinations x 500 draws x 37 months.
    """
    known = np.array([p is not None for p in present])
    x = np.array([1.0 if p else 0.0 for p in present])
    open_idx = np.nonzero(~known)[0]
    combos = combinations(len(open_idx))
    prev = draws.prevalence[:, open_idx]
    probs = np.prod(np.where(combos == 1, prev[:, None, :], 1 - prev[:, None, :]), axis=-1)  # (D, c)
    lp = (draws.coef @ (x * known))[:, None] + draws.coef[:, open_idx] @ combos.T  # (D, c)
    h0 = draws.h0.astype(np.float32)
    curves = np.exp(-h0[:, None, :] * np.exp(lp).astype(np.float32)[:, :, None])  # (D, c, G)
    return np.matmul(probs.astype(np.float32)[:, None, :], curves)[:, 0, :].astype(float)


def draw_curves(estimate: CurveEstimate, draws: Draws) -> tuple[np.ndarray, np.ndarray]:
    """Every draw's predicted curve for the patient of ``estimate``: (grid, curves (D, G))."""
    present = [s.present if s.counted else None for s in estimate.states]
    curves = draw_mixture(draws, present)
    grid = draws.grid
    if estimate.landmark_time is not None:
        grid, (curves,) = condition_on(grid, [curves], estimate.landmark_time)
    return grid, curves


def band_from_draws(estimate: CurveEstimate, draws: Draws) -> Band:
    grid, curves = draw_curves(estimate, draws)
    lower, upper = np.percentile(curves, [2.5, 97.5], axis=0)
    medians = np.array([m if m is not None else np.inf for m in (median_from_curve(grid, c) for c in curves)])
    lo, hi = (float(np.percentile(medians, q, method=m)) for q, m in ((2.5, "lower"), (97.5, "higher")))
    landmark_ci = {}
    for t in estimate.landmarks:
        i = min(int(np.searchsorted(grid, t - 1e-9)), len(grid) - 1)  # the grid holds every whole month
        at_t = curves[:, i]
        landmark_ci[t] = (float(np.percentile(at_t, 2.5)), float(np.percentile(at_t, 97.5)))
    return Band(grid, lower, upper, (lo if np.isfinite(lo) else None, hi if np.isfinite(hi) else None),
                landmark_ci, draws.count, draws.failed_fits)


def uncertainty_band(estimate: CurveEstimate, progress: Progress | None = None) -> Band | None:
    """The band of a shown estimate (None when the estimate is withheld); builds the draws if needed."""
    if not estimate.shown:
        return None
    from hccdecide.engine.band_cache import draws_for

    return band_from_draws(estimate, draws_for(estimate.study, estimate.model, progress))
