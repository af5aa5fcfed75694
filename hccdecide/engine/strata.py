"""Risk strata from the model itself: thirds of the model-implied cohort's predicted risk.

The cut-points are the 1/3 and 2/3 quantiles of the applied linear predictor over the model-implied
cohort (see :mod:`hccdecide.engine.support`). The predictor takes few distinct values, so the shares
are not exactly thirds: they are stated with the cut-points. A patient with unknown applied factors
gets every stratum their completions reach, not a guess (low and high without intermediate can happen:
one unknown factor with a large HR jumps over the middle third).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hccdecide.engine.support import LpDistribution

NAMES = ("low", "intermediate", "high")


@dataclass(frozen=True)
class Stratum:
    possible: tuple[str, ...]  # one name when determined, several when unknown factors leave a range
    present: tuple[str, ...]  # labels of the applied adverse factors this patient has
    unknown: tuple[str, ...]  # labels of applied factors not known for this patient
    cut_lp: tuple[float, float]  # linear predictor at the two cut-points (low <= c1 < intermediate <= c2 < high)
    shares: tuple[float, float, float]  # share of the model-implied cohort in each stratum
    rule: str
    cut_survival: tuple[float, float] | None = None  # survival at ``cut_months`` at the two cut-points
    cut_months: float | None = None

    @property
    def name(self) -> str:
        return self.possible[0] if len(self.possible) == 1 else " to ".join((self.possible[0], self.possible[-1]))

    @property
    def adverse_present(self) -> int:
        return len(self.present)

    @property
    def adverse_unknown(self) -> int:
        return len(self.unknown)


def cut_points(dist: LpDistribution) -> tuple[float, float]:
    return dist.quantile(1 / 3), dist.quantile(2 / 3)


def stratum_index(lp: float, cuts: tuple[float, float]) -> int:
    return 0 if lp <= cuts[0] + 1e-9 else (1 if lp <= cuts[1] + 1e-9 else 2)


def stratum_of(dist: LpDistribution, completions: np.ndarray, present: tuple[str, ...],
               unknown: tuple[str, ...], model_label: str) -> Stratum:
    cuts = cut_points(dist)
    shares = (dist.share(None, cuts[0]), dist.share(cuts[0], cuts[1]), dist.share(cuts[1], None))
    reached = sorted({stratum_index(float(v), cuts) for v in completions})
    possible = tuple(NAMES[i] for i in reached)  # only strata some completion reaches
    rule = (f"Thirds of the predicted risk of the {model_label}'s cohort (factors at their published "
            f"prevalences): low {100 * shares[0]:.0f}%, intermediate {100 * shares[1]:.0f}%, high "
            f"{100 * shares[2]:.0f}% of the cohort (the shares are not exact thirds because the factors "
            "are binary).")
    return Stratum(possible, present, unknown, cuts, shares, rule)
