"""The model's baseline curve, solved from the published cohort curve.

For every published point S_pop(t) of the calibration arm (the landmark rates, and S = 0.5 at the
median) S0(t) solves S_pop(t) = Σ_x P(x) · S0(t)^exp(β·x), with P(x) from the factors' cohort
prevalences taken as independent. The baseline cumulative hazard runs through (0, 0) and these knots
with a monotone cubic (PCHIP) interpolation: smooth, never decreasing, and never past the last
published point. The interpolation is written here in numpy (:func:`monotone_cubic`, Fritsch–Carlson
slopes as SciPy's ``PchipInterpolator`` computes them) so that the app never loads SciPy for it.
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

from hccdecide.evidence.schema import PrognosticModel, Study


@dataclass(frozen=True)
class Knots:
    """Published points of the calibration arm's curve: times (months) and survival (0–1)."""

    times: np.ndarray
    survival: np.ndarray
    locations: tuple[str, ...]


def calibration_knots(study: Study, model: PrognosticModel) -> Knots | None:
    """Landmark rates and the median of the model's calibration arm, sorted by time."""
    arm = next((a for a in study.arms if a.id == model.calibrate_to_arm), None)
    if arm is None:
        return None
    points: dict[float, tuple[float, str]] = {}
    for o in arm.outcomes:
        if o.endpoint != model.endpoint or o.estimate.value is None:
            continue
        if o.measure == "rate" and o.at_months is not None:
            points[o.at_months] = (o.estimate.value / 100, f"{o.location} ({o.at_months:g} mo)")
        elif o.measure == "median":
            points[o.estimate.value] = (0.5, f"{o.location} (median)")
    if len(points) < 2:
        return None
    times = sorted(points)
    surv = np.array([points[t][0] for t in times])
    if np.any(np.diff(surv) > 0):
        return None  # not a survival curve; the library check should have caught it
    return Knots(np.array(times, float), surv, tuple(points[t][1] for t in times))


@functools.lru_cache(maxsize=None)
def combinations(k: int) -> np.ndarray:
    """All 2^k levels of k binary factors, one row each (shape (2^k, k)); read-only, made once per k."""
    combos = np.array(list(itertools.product((0, 1), repeat=k)), float).reshape(2 ** k, k)
    combos.flags.writeable = False
    return combos


def lp_distribution(log_hr: np.ndarray, prevalence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All 2^k factor combinations: their linear predictors (…, 2^k) and probabilities (2^k,)."""
    combos = combinations(len(prevalence))
    probs = np.prod(np.where(combos == 1, prevalence, 1 - prevalence), axis=1)
    lp = log_hr @ combos.T if log_hr.ndim == 1 else np.einsum("dk,ck->dc", log_hr, combos)
    return lp, probs


def solve_baseline(s_pop: np.ndarray, lp: np.ndarray, probs: np.ndarray, iterations: int = 40) -> np.ndarray:
    """S0 such that Σ probs · S0^exp(lp) = s_pop, elementwise.

    Solved for u = log(−log S0) by Newton's method, where the mixture is smooth and monotone,
    falling back to bisection steps whenever Newton would leave the bracket.
    ``s_pop`` has shape (..., knots); ``lp`` has shape (..., combos) matching the leading dims.
    """
    ratio = np.exp(lp)[..., None, :]  # (..., 1, combos)
    target = np.clip(s_pop, 1e-9, 1 - 1e-9)
    lo = np.full(target.shape, -30.0)  # u bracket: S0 = exp(-exp(u))
    hi = np.full(target.shape, 10.0)
    u = np.log(-np.log(target)) - np.sum(probs * lp, axis=-1)[..., None]
    for _ in range(iterations):
        hz = np.exp(u)[..., None] * ratio  # hazards of each combination
        surv = np.exp(-hz)
        f = np.sum(probs * surv, axis=-1) - target  # decreasing in u
        lo = np.where(f > 0, u, lo)
        hi = np.where(f > 0, hi, u)
        slope = -np.sum(probs * hz * surv, axis=-1)
        step = np.where(slope < 0, f / np.where(slope < 0, slope, -1.0), 0.0)
        candidate = u - step
        outside = (candidate < lo) | (candidate > hi) | ~np.isfinite(candidate)
        u = np.where(outside, (lo + hi) / 2, candidate)
        if np.all(np.abs(f) < 1e-12):
            break
    return np.exp(-np.exp(u))


def baseline_cumhaz_on_grid(knot_times: np.ndarray, s0: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Baseline cumulative hazard on ``grid`` through (0, 0) and the knots, monotone cubic (PCHIP).

    ``s0`` may carry leading dimensions (one baseline per row). Values past the last knot are not
    defined: ``grid`` must stop there.
    """
    h = -np.log(np.clip(s0, 1e-12, 1.0))
    times = np.concatenate(([0.0], knot_times))
    hs = np.concatenate((np.zeros(h.shape[:-1] + (1,)), h), axis=-1)
    hs = np.maximum.accumulate(hs, axis=-1)  # a cumulative hazard never falls
    if np.any(grid > times[-1] + 1e-9):
        raise ValueError(f"grid runs past the last published point ({times[-1]:g} months)")
    return monotone_cubic(times, hs, grid)


def monotone_cubic(x: np.ndarray, y: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Piecewise cubic Hermite interpolation of ``y`` (..., n) at knots ``x`` (n, strictly increasing),
    with the shape-preserving PCHIP slopes, evaluated at ``at``; NaN outside [x[0], x[-1]].

    The same algorithm, end conditions and polynomial form as SciPy's ``PchipInterpolator`` with
    ``extrapolate=False`` (tests compare the two).
    """
    x, y, at = np.asarray(x, float), np.asarray(y, float), np.asarray(at, float)
    h = np.diff(x)
    slope = np.diff(y, axis=-1) / h
    d = pchip_slopes(h, slope)
    i = np.clip(np.searchsorted(x, at, side="right") - 1, 0, x.size - 2)  # the last knot closes the last piece
    hi, s = h[i], at - x[i]
    d0, d1, m = d[..., i], d[..., i + 1], slope[..., i]
    t = (d0 + d1 - 2 * m) / hi
    c3, c2 = t / hi, (m - d0) / hi - t  # coefficients of s**3 and s**2; then d0 (s) and y (1)
    value = y[..., i] + d0 * s + c2 * s ** 2 + c3 * s ** 3
    return np.where((at < x[0]) | (at > x[-1]), np.nan, value)


def pchip_slopes(h: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Slopes at the knots (Fritsch–Carlson): 0 where the neighbouring secants differ in sign or one is
    flat, else their weighted harmonic mean; one-sided three-point estimates at the ends, kept to the
    end secant's sign and to three times its size. ``h``: knot spacing (n-1,); ``m``: secants (..., n-1).
    """
    if h.size == 1:  # two knots: the straight line
        return np.concatenate((m, m), axis=-1)
    flat = (np.sign(m[..., 1:]) != np.sign(m[..., :-1])) | (m[..., 1:] == 0) | (m[..., :-1] == 0)
    w1, w2 = 2 * h[1:] + h[:-1], h[1:] + 2 * h[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):  # the flat places, excluded just below
        inner = np.where(flat, 0.0, (w1 + w2) / (w1 / m[..., :-1] + w2 / m[..., 1:]))
    first = _end_slope(h[0], h[1], m[..., 0], m[..., 1])
    last = _end_slope(h[-1], h[-2], m[..., -1], m[..., -2])
    return np.concatenate((first[..., None], inner, last[..., None]), axis=-1)


def _end_slope(h0: float, h1: float, m0: np.ndarray, m1: np.ndarray) -> np.ndarray:
    d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
    wrong_sign = np.sign(d) != np.sign(m0)
    overshoot = ~wrong_sign & (np.sign(m0) != np.sign(m1)) & (np.abs(d) > 3 * np.abs(m0))
    return np.where(wrong_sign, 0.0, np.where(overshoot, 3 * m0, d))


def median_from_curve(grid: np.ndarray, surv: np.ndarray) -> float | None:
    """First time the curve reaches 0.5 (linear interpolation); None if it stays above."""
    below = np.nonzero(surv <= 0.5)[0]
    if below.size == 0:
        return None
    i = below[0]
    if i == 0:
        return float(grid[0])
    t0, t1, s0, s1 = grid[i - 1], grid[i], surv[i - 1], surv[i]
    return float(t0 + (s0 - 0.5) * (t1 - t0) / (s0 - s1)) if s0 != s1 else float(t1)


def mixture_curves(h0: np.ndarray, log_hr: np.ndarray, prevalence: np.ndarray,
                   present: list[bool | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point curve (factors given as None averaged over ``prevalence``) and the lowest / highest
    curve over their levels, given the baseline cumulative hazard ``h0`` on a grid.

    ``h0`` may carry a leading draw dimension; ``log_hr`` and ``prevalence`` then carry the same one.
    """
    known = np.array([p is not None for p in present])
    x_known = np.array([1.0 if p else 0.0 for p in present])
    open_idx = np.nonzero(~known)[0]
    combos = combinations(len(open_idx))
    prev = prevalence[..., open_idx]
    probs = np.prod(np.where(combos == 1, prev[..., None, :], 1 - prev[..., None, :]), axis=-1)  # (..., c)
    lp = (log_hr * (x_known * known)).sum(axis=-1)[..., None] + log_hr[..., open_idx] @ combos.T
    curves = np.exp(-h0[..., None, :] * np.exp(lp)[..., :, None])  # (..., combos, grid)
    point = np.einsum("...c,...cg->...g", probs, curves)
    return point, curves.min(axis=-2), curves.max(axis=-2)
