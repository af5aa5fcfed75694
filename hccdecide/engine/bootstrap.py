"""Parametric bootstrap of a published Cox model with lifelines: the draws behind the 95% bands.

Each draw simulates a cohort of the published size from the model as used (shrunk log-HRs, baseline
solved from the published curve, factors independent at their published prevalences), censors it
like the published cohort, refits :class:`lifelines.CoxPHFitter` with all of the model's covariates
and keeps the refit's log-HRs, its Breslow baseline cumulative hazard at x = 0 and the cohort's own
factor prevalences. A patient's band is the 2.5th–97.5th percentile of the curves these draws predict
for them (:mod:`hccdecide.engine.uncertainty`), so it carries the baseline's sampling error under
censoring, the correlation between the HRs and the instability of 8 covariates on ~30 events.

Censoring: uniform between the published minimum follow-up and an upper limit solved so that the
expected number of events equals the published count; everyone still event-free at the last published
point is censored there (the curve is never extended past it). The draws do not depend on the patient.

Each simulated cohort's own Kaplan–Meier 95% interval (lifelines, log-log) is kept as its half-width on
the log(−log S) scale; their mean over the cohorts, raised by three Monte Carlo standard errors, is the
width floor of every band (:mod:`hccdecide.engine.uncertainty`): no individual estimate is reported as
more precise than the Kaplan–Meier estimate of a whole cohort of the published size and follow-up.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np

from hccdecide.engine.prognosis import FittedModel

DRAWS = 500
SEED = 20251
BAND_STEP_MONTHS = 1.0
MAX_ABS_LOG_HR = 40.0  # numerical guard only: separated fits (|log HR| ~ 15-20) are kept, as published they would be
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Draws:
    coef: np.ndarray  # (D, k) refit log-HRs
    prevalence: np.ndarray  # (D, k) the simulated cohort's own factor shares
    h0: np.ndarray  # (D, G) Breslow baseline cumulative hazard at x = 0 on ``grid``
    grid: np.ndarray
    failed_fits: int
    events_target: int
    censor_window: tuple[float, float]  # uniform censoring between these months (inf: none)
    mean_events: float  # events per simulated cohort, on average
    km_halfwidth: np.ndarray | None = None  # (G,) width floor on the log(-log S) scale (module docstring)

    @property
    def count(self) -> int:
        return int(self.coef.shape[0])


def event_probability(fm: FittedModel, lo: float, hi: float) -> float:
    """Chance that a patient of the model-implied cohort has the event before censoring."""
    from hccdecide.engine.baseline import lp_distribution

    lp, probs = lp_distribution(fm.coef, fm.prevalence)
    surv = np.exp(-fm.h0[None, :] * np.exp(lp)[:, None])  # (combos, grid)
    died = probs @ (surv[:, :-1] - surv[:, 1:])  # events in each grid step
    mid = (fm.grid[:-1] + fm.grid[1:]) / 2
    uncensored = np.clip((hi - mid) / (hi - lo), 0.0, 1.0) if np.isfinite(hi) else np.ones_like(mid)
    return float(died @ np.where(mid < lo, 1.0, uncensored))


def censoring_window(fm: FittedModel, n: int, events: int | None, lo: float) -> tuple[float, float]:
    """Uniform censoring on (lo, hi) with hi solved for the published event count."""
    if events is None or n * event_probability(fm, lo, np.inf) <= events:
        return lo, np.inf  # no censoring before the last published point is needed (or known)
    a, b = lo + 1e-6, 1e4
    for _ in range(80):
        mid = (a + b) / 2
        a, b = (mid, b) if n * event_probability(fm, lo, mid) < events else (a, mid)
    return lo, (a + b) / 2


def simulate(fm: FittedModel, rng: np.random.Generator, n: int, window: tuple[float, float],
             coef: np.ndarray | None = None, prevalence: np.ndarray | None = None):
    """One cohort: covariates (n, k), observed times and event flags."""
    coef = fm.coef if coef is None else coef
    prevalence = fm.prevalence if prevalence is None else prevalence
    x = (rng.random((n, len(prevalence))) < prevalence).astype(float)
    target = rng.exponential(size=n) * np.exp(-(x @ coef))  # baseline cumulative hazard at the event
    event_time = np.where(target < fm.h0[-1], np.interp(target, fm.h0, fm.grid), np.inf)
    lo, hi = window
    censor = rng.uniform(lo, hi, n) if np.isfinite(hi) else np.full(n, np.inf)
    censor = np.minimum(censor, fm.horizon)
    observed = np.minimum(event_time, censor)
    return x, observed, (event_time <= censor).astype(int)


def refit(x: np.ndarray, times: np.ndarray, events: np.ndarray, names: list[str],
          grid: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """lifelines Cox refit: log-HRs and the Breslow baseline cumulative hazard at x = 0 on ``grid``."""
    import pandas as pd
    from lifelines import CoxPHFitter

    if events.sum() == 0:
        return None
    # a factor absent (or universal) in this cohort cannot be estimated: fitted without it, as an
    # analyst would, with log-HR 0 (its share in the cohort is then 0 or 1 and it averages out)
    varies = [j for j in range(x.shape[1]) if x[:, j].std() > 0]
    cols = [names[j] for j in varies]
    frame = pd.DataFrame(x[:, varies], columns=cols).assign(T=times, E=events)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cph = CoxPHFitter().fit(frame, "T", "E")
    except Exception:  # noqa: BLE001 - lifelines raises several types for a fit that does not converge
        return None
    beta = np.zeros(x.shape[1])
    beta[varies] = cph.params_[cols].to_numpy(float)
    if not np.all(np.isfinite(beta)) or np.max(np.abs(beta)) > MAX_ABS_LOG_HR:
        return None
    zero = pd.DataFrame(np.zeros((1, len(cols))), columns=cols)
    h0 = cph.predict_cumulative_hazard(zero, times=grid).to_numpy(float)[:, 0]
    return beta, h0


KM_FLOOR_MC_SES = 3.0  # the floor sits this many Monte Carlo standard errors above the mean half-width


def kaplan_meier_at(times: np.ndarray, events: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The simulated cohort's own Kaplan–Meier estimate at the published time points (lifelines)."""
    return kaplan_meier_fit(times, events, at)[0]


def kaplan_meier_fit(times: np.ndarray, events: np.ndarray, at: np.ndarray,
                     grid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Kaplan–Meier survival at ``at`` and, on ``grid``, the half-width of lifelines' 95% log-log
    interval on the log(−log S) scale: lower = S^exp(h), upper = S^exp(−h); 0 before the first event."""
    from lifelines import KaplanMeierFitter

    km = KaplanMeierFitter().fit(times, events)
    at_points = km.survival_function_at_times(at).to_numpy(float)
    if grid is None:
        return at_points, None
    index = km.survival_function_.index.to_numpy(float)
    rows = np.searchsorted(index, grid, side="right") - 1  # the step in force at each grid month
    surv = km.survival_function_.to_numpy(float)[rows, 0]
    lower = km.confidence_interval_survival_function_.to_numpy(float)[rows, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        half = np.log(np.log(np.clip(lower, 1e-300, 1.0)) / np.log(surv))
    return at_points, np.where((surv < 1) & (surv > 0) & np.isfinite(half), half, 0.0)


def km_floor(halfwidths: np.ndarray) -> np.ndarray:
    """Mean half-width over the simulated cohorts plus ``KM_FLOOR_MC_SES`` Monte Carlo standard errors,
    so that simulation noise does not make the floor narrower than the Kaplan–Meier interval."""
    d = halfwidths.shape[0]
    return halfwidths.mean(axis=0) + KM_FLOOR_MC_SES * halfwidths.std(axis=0, ddof=1) / np.sqrt(d)


def recalibrate(h0: np.ndarray, grid: np.ndarray, beta: np.ndarray, prevalence: np.ndarray,
                knot_times: np.ndarray, km: np.ndarray) -> np.ndarray | None:
    """Scale the Breslow baseline so that the draw's cohort average meets its own Kaplan–Meier curve
    at the published time points, as the point estimate meets the published curve.

    The scale is solved at each published point and interpolated linearly between them (held
    constant before the first), so the Breslow curve keeps its shape.
    """
    from hccdecide.engine.baseline import lp_distribution, solve_baseline

    if np.any(km <= 0) or np.any(km >= 1):
        return None
    target = -np.log(solve_baseline(km, *lp_distribution(beta, prevalence)))
    breslow = np.interp(knot_times, grid, h0)
    if np.any(breslow <= 0):
        return None
    scale = np.interp(grid, knot_times, target / breslow)
    return np.maximum.accumulate(h0 * scale)


def build_draws(fm: FittedModel, draws: int = DRAWS, seed: int = SEED,
                progress: Progress | None = None) -> Draws:
    """``draws`` successful refits (failed ones are redrawn and counted)."""
    n = fm.study.n
    lo = fm.model.follow_up_range_months[0] if fm.model.follow_up_range_months else 0.0
    window = censoring_window(fm, n, fm.model.events, lo)
    rng = np.random.default_rng(seed)
    grid = np.arange(0.0, fm.horizon + 1e-9, BAND_STEP_MONTHS)
    names = [f"x{j}" for j in range(len(fm.coef))]
    coefs, prevs, h0s, failed, events, halves = [], [], [], 0, [], []
    while len(coefs) < draws:
        if failed > 10 * draws:
            raise RuntimeError(f"{fm.model.id}: {failed} of {failed + len(coefs)} refits failed")
        x, t, e = simulate(fm, rng, n, window)
        fit = refit(x, t, e, names, grid)
        km, half = kaplan_meier_fit(t, e, fm.knots.times, grid)
        h0 = None if fit is None else recalibrate(fit[1], grid, fit[0], x.mean(axis=0), fm.knots.times, km)
        if h0 is None:
            failed += 1
            continue
        coefs.append(fit[0])
        h0s.append(h0)
        prevs.append(x.mean(axis=0))
        events.append(e.sum())
        halves.append(half)
        if progress is not None:
            progress(len(coefs), draws)
    return Draws(np.array(coefs), np.array(prevs), np.array(h0s), grid, failed,
                 fm.model.events or 0, window, float(np.mean(events)), km_floor(np.array(halves)))
