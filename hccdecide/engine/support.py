"""Where a patient lies in the model-implied cohort: the distribution of the linear predictor.

The model-implied cohort is every combination of the applied factors, weighted by the product of the
factors' published prevalences (independence between factors is assumed: the sources give no joint
table). A patient is inside the cohort's support when the linear predictor lies between the 5th and
95th percentiles of that distribution. Outside it, fewer than 1 patient in 20 of the cohort was as
extreme, so the fitted hazard ratios are being extrapolated; no individual curve is shown then.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hccdecide.engine.baseline import combinations

SUPPORT_LOW, SUPPORT_HIGH = 0.05, 0.95
_TIE = 1e-9


@dataclass(frozen=True)
class LpDistribution:
    """Distinct linear-predictor values (ascending) and their probabilities in the cohort."""

    values: np.ndarray
    probs: np.ndarray

    def quantile(self, q: float) -> float:
        """Smallest value whose cumulative probability reaches ``q``."""
        cum = np.cumsum(self.probs)
        return float(self.values[min(int(np.searchsorted(cum, q - _TIE)), len(self.values) - 1)])

    def percentile(self, lp: float) -> float:
        """Mid-rank percentile of ``lp``: share below plus half the share tied with it, in percent."""
        below = self.probs[self.values < lp - _TIE].sum()
        tied = self.probs[np.abs(self.values - lp) <= _TIE].sum()
        return float(100 * (below + tied / 2))

    def share(self, low: float | None, high: float | None) -> float:
        """Probability of low < LP <= high (open ends when None)."""
        keep = np.ones(len(self.values), bool)
        if low is not None:
            keep &= self.values > low + _TIE
        if high is not None:
            keep &= self.values <= high + _TIE
        return float(self.probs[keep].sum())


def lp_distribution_of(log_hr: np.ndarray, prevalence: np.ndarray) -> LpDistribution:
    """Exact enumeration of the 2^k combinations, equal values merged."""
    combos = combinations(len(prevalence))
    probs = np.prod(np.where(combos == 1, prevalence, 1 - prevalence), axis=1)
    lp = combos @ log_hr
    order = np.argsort(lp, kind="stable")
    values, probs = lp[order], probs[order]
    keep = np.concatenate(([True], np.diff(values) > _TIE))
    groups = np.cumsum(keep) - 1
    return LpDistribution(values[keep], np.bincount(groups, weights=probs))


@dataclass(frozen=True)
class Support:
    inside: bool  # False only when every completion of the unknown factors lies outside, on one side
    lp_percentile: float | None  # None when unknown factors leave a range
    percentile_range: tuple[float, float]
    side: str | None  # "above" (worse than the 95th percentile) or "below" (better than the 5th)
    partly_outside: bool  # some completions of the unknown factors lie outside
    edge_lp: float | None  # the linear predictor at the crossed edge
    text: str


def rule_text() -> str:
    return (f"inside the cohort's support: linear predictor between the {100 * SUPPORT_LOW:g}th and "
            f"{100 * SUPPORT_HIGH:g}th percentiles of the model-implied cohort")


def assess_support(dist: LpDistribution, completions: np.ndarray) -> Support:
    """Support of a patient whose applied linear predictor is one of ``completions`` (one value when
    every applied factor is known, else one per level combination of the unknown ones)."""
    low, high = dist.quantile(SUPPORT_LOW), dist.quantile(SUPPORT_HIGH)
    pct = [dist.percentile(v) for v in completions]
    above = completions > high + _TIE
    below = completions < low - _TIE
    rng = (min(pct), max(pct))
    single = pct[0] if len(pct) == 1 else None
    where = f"percentile {single:.0f}" if single is not None else f"percentiles {rng[0]:.0f} to {rng[1]:.0f}"
    if above.all() or below.all():
        side = "above" if above.all() else "below"
        edge = high if side == "above" else low
        worse = "higher" if side == "above" else "lower"
        text = (f"Outside the cohort's support: this patient's combination of factors gives a {worse} "
                f"predicted risk than {100 * SUPPORT_HIGH:g}% of the cohort ({where} of the model-implied "
                "cohort), so the model would be extrapolated; no individual curve is given, only a bound "
                "at the edge of the cohort and the published subgroup figures.")
        return Support(False, single, rng, side, False, edge, text)
    partly = bool(above.any() or below.any())
    text = f"Inside the cohort's support ({where} of the model-implied cohort)."
    if partly:
        text = (f"Depending on the unknown factors ({where}), this patient may lie outside the cohort's "
                "support; the estimate averages over them.")
    return Support(True, single, rng, None, partly, None, text)
