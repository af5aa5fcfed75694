"""95% bands for an individual curve from the model's bootstrap draws.

The draws (:mod:`hccdecide.engine.bootstrap`, cached by :mod:`hccdecide.engine.band_cache`) do not
depend on the patient. Each draw is a refit of the *whole* published covariate set. For a patient,
each draw predicts two curves with its own refit log-HRs and Breslow baseline:

- the applied-set curve, as the point estimate is made: factors whose published CI includes 1 (and
  unknown ones) averaged over that simulated cohort's own prevalences;
- the full-set curve: every factor the patient's record settles enters at the patient's level (only
  unknown factors averaged).

The band is the union of the two 2.5th–97.5th percentile bands, so it carries the model-selection
uncertainty of the reported-but-not-applied factors (a real effect that did not reach significance)
without letting such a factor move the point estimate. It is then widened, where needed, to the
width floor: the patient's curve S raised to exp(±h), h the mean Kaplan–Meier log-log half-width of a
simulated cohort of the published size and follow-up (:func:`hccdecide.engine.bootstrap.km_floor`).
After response the curves are conditioned on being event-free at the landmark, as the point estimate
is, and the floor (a property of the curve from the start of treatment) is not applied.

Applying the draws to a patient is one batched product over draws × combinations × months on arrays
prepared once per model (:class:`Prepared`); building the draws takes seconds (once).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hccdecide.engine.baseline import combinations
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
    covers_full_model: bool = False  # the full-set predictions differ from the applied set and are covered
    km_floor: bool = False  # the Kaplan–Meier width floor was applied (baseline stage)


CHUNK = 64  # draws per block: a block of 256 combinations x 37 months stays in the processor's cache


class Prepared:
    """Per-model arrays for fast application, made once when the draws are loaded: single-precision
    baseline, the combination tables, and the cohort-average curve of every draw (the worst case,
    every factor averaged: 2^k combinations)."""

    def __init__(self, draws: Draws):
        self.neg_h0 = (-draws.h0).astype(np.float32)  # (D, G)
        self.coef = draws.coef.astype(np.float64)
        self.prevalence = draws.prevalence.astype(np.float64)
        self._combos: dict[int, np.ndarray] = {}
        self.all_averaged = self.mixture([None] * self.coef.shape[1])

    def combos(self, k: int) -> np.ndarray:
        if k not in self._combos:
            self._combos[k] = combinations(k)
        return self._combos[k]

    def mixture(self, present: list[bool | None]) -> np.ndarray:
        """Each draw's curve (D, G), factors given as None averaged over that draw's cohort prevalences.

        The same sum as :func:`hccdecide.engine.baseline.mixture_curves`, in single precision, as one
        batched product over draws x combinations x months, in blocks of draws.
        """
        known = np.array([v is not None for v in present])
        x = np.array([1.0 if v else 0.0 for v in present])
        open_idx = np.nonzero(~known)[0]
        combos = self.combos(len(open_idx))  # (c, u)
        prev = self.prevalence[:, open_idx]  # (D, u)
        log_p1, log_p0 = np.log(np.clip(prev, 1e-300, 1.0)), np.log(np.clip(1 - prev, 1e-300, 1.0))
        probs = np.exp(log_p1 @ combos.T + log_p0 @ (1 - combos).T).astype(np.float32)[:, None, :]  # (D, 1, c)
        ratio = np.exp((self.coef @ x)[:, None] + self.coef[:, open_idx] @ combos.T).astype(np.float32)  # (D, c)
        d, g = self.neg_h0.shape
        out = np.empty((d, 1, g), np.float32)
        block = np.empty((min(CHUNK, d), len(combos), g), np.float32)
        for start in range(0, d, CHUNK):
            stop = min(start + CHUNK, d)
            b = block[:stop - start]
            np.multiply(ratio[start:stop, :, None], self.neg_h0[start:stop, None, :], out=b)
            np.exp(b, out=b)
            np.matmul(probs[start:stop], b, out=out[start:stop])
        return out[:, 0, :].astype(float)


_PREPARED: dict[int, tuple[Draws, Prepared]] = {}


def prepared(draws: Draws) -> Prepared:
    """The draws' prepared arrays (kept with a reference to the draws, so the id cannot be reused)."""
    hit = _PREPARED.get(id(draws))
    if hit is None or hit[0] is not draws:
        hit = _PREPARED[id(draws)] = (draws, Prepared(draws))
    return hit[1]


def draw_mixture(draws: Draws, present: list[bool | None]) -> np.ndarray:
    """Each draw's curve (D, G) for the factor levels ``present`` (None: averaged)."""
    p = prepared(draws)
    return p.all_averaged if all(v is None for v in present) else p.mixture(present)


def _presents(estimate: CurveEstimate) -> tuple[list[bool | None], list[bool | None]]:
    """The applied-set and full-set levels: counted factors only, or every factor usable and known."""
    applied = [s.present if s.counted else None for s in estimate.states]
    return applied, [s.present for s in estimate.states]


def _on_band_grid(estimate: CurveEstimate, draws: Draws, curves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if estimate.landmark_time is None:
        return draws.grid, curves
    grid, (conditioned,) = condition_on(draws.grid, [curves], estimate.landmark_time)
    return grid, conditioned


def draw_curves(estimate: CurveEstimate, draws: Draws, full: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Every draw's predicted curve for the patient of ``estimate``: (grid, curves (D, G)).
    ``full``: the full-set prediction (every known factor at the patient's level)."""
    return _on_band_grid(estimate, draws, draw_mixture(draws, _presents(estimate)[full]))


def first_crossing(grid: np.ndarray, curves: np.ndarray) -> np.ndarray:
    """Time each curve (rows) first reaches 0.5, linearly interpolated; inf when it stays above."""
    below = curves <= 0.5
    i = np.argmax(below, axis=-1)
    reached = below[np.arange(curves.shape[0]), i]
    prev = np.maximum(i - 1, 0)
    rows = np.arange(curves.shape[0])
    s0, s1 = curves[rows, prev], curves[rows, i]
    t0, t1 = grid[prev], grid[i]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(s0 != s1, t0 + (s0 - 0.5) * (t1 - t0) / (s0 - s1), t1)
    return np.where(reached, np.where(i == 0, grid[0], t), np.inf)


def _floored(estimate: CurveEstimate, draws: Draws, grid: np.ndarray, lower: np.ndarray,
             upper: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Widen the band to the Kaplan–Meier floor around the patient's own point estimate."""
    if estimate.landmark_time is not None or draws.km_halfwidth is None:
        return lower, upper, False
    point = np.interp(grid, estimate.grid, estimate.survival)
    factor = np.exp(draws.km_halfwidth)
    return np.minimum(lower, point ** factor), np.maximum(upper, point ** (1 / factor)), True


def band_from_draws(estimate: CurveEstimate, draws: Draws) -> Band:
    applied, full = _presents(estimate)
    grid, curves = _on_band_grid(estimate, draws, draw_mixture(draws, applied))
    lower, upper = np.percentile(curves, [2.5, 97.5], axis=0)
    covers_full = full != applied
    if covers_full:
        _, full_curves = _on_band_grid(estimate, draws, draw_mixture(draws, full))
        full_lower, full_upper = np.percentile(full_curves, [2.5, 97.5], axis=0)
        lower, upper = np.minimum(lower, full_lower), np.maximum(upper, full_upper)
    lower, upper, floored = _floored(estimate, draws, grid, lower, upper)
    # the band's own 0.5-crossings: for monotone curves the pointwise 2.5th percentile curve crosses
    # 0.5 where 2.5% of the draws' medians lie, so this is the percentile interval of the median
    lo, hi = first_crossing(grid, np.vstack((lower, upper)))
    landmark_ci = {}
    for t in estimate.landmarks:
        i = min(int(np.searchsorted(grid, t - 1e-9)), len(grid) - 1)  # the grid holds every whole month
        landmark_ci[t] = (float(lower[i]), float(upper[i]))
    return Band(grid, lower, upper, (float(lo) if np.isfinite(lo) else None, float(hi) if np.isfinite(hi) else None),
                landmark_ci, draws.count, draws.failed_fits, METHOD, covers_full, floored)


def uncertainty_band(estimate: CurveEstimate, progress: Progress | None = None) -> Band | None:
    """The band of a shown estimate (None when the estimate is withheld); builds the draws if needed."""
    if not estimate.shown:
        return None
    from hccdecide.engine.band_cache import draws_for

    return band_from_draws(estimate, draws_for(estimate.study, estimate.model, progress))
