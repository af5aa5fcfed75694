"""Radiobiological dose: BED and EQD2 under the linear-quadratic model.

BED = D · (1 + d / (α/β)), d = D / n;  EQD2 = BED / (1 + 2 / (α/β)). Doses in Gy. α/β defaults to
10 Gy (tumour), the value Wang et al. 2025 state for their BED ≥ 60 Gy requirement.
"""
from __future__ import annotations

DEFAULT_ALPHA_BETA_GY = 10.0


def _check(total_gy: float, fractions: int, alpha_beta_gy: float) -> None:
    if total_gy <= 0 or fractions < 1 or alpha_beta_gy <= 0:
        raise ValueError(f"need dose > 0 Gy, fractions >= 1, alpha/beta > 0; got {total_gy}, "
                         f"{fractions}, {alpha_beta_gy}")


def bed(total_gy: float, fractions: int, alpha_beta_gy: float = DEFAULT_ALPHA_BETA_GY) -> float:
    """Biologically effective dose in Gy."""
    _check(total_gy, fractions, alpha_beta_gy)
    per_fraction = total_gy / fractions
    return total_gy * (1 + per_fraction / alpha_beta_gy)


def eqd2(total_gy: float, fractions: int, alpha_beta_gy: float = DEFAULT_ALPHA_BETA_GY) -> float:
    """Equivalent dose in 2 Gy fractions, in Gy."""
    return bed(total_gy, fractions, alpha_beta_gy) / (1 + 2 / alpha_beta_gy)
