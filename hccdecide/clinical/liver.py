"""Liver function: Child–Pugh score and class, ALBI score and grade.

Child–Pugh convention used (stated on screen): bilirubin < 2 / 2–3 / > 3 mg/dL as Pugh defined it,
i.e. < 34.2 / 34.2–51.3 / > 51.3 µmol/L, compared at 0.1 µmol/L (the precision of the converted band
edges, so 3.0 mg/dL = 51.3 µmol/L scores 2 points as in mg/dL); albumin > 35 /
28–35 / < 28 g/L; INR < 1.7 / 1.7–2.3 / > 2.3, or, only when INR is unknown, PT prolongation
< 4 / 4–6 / > 6 s over control; ascites none / mild / moderate–severe; encephalopathy none /
grade 1–2 / grade 3–4. Some sources put the albumin edge at 30 g/L; this one uses 28.

ALBI (Johnson et al., J Clin Oncol 2015): 0.66 · log10(bilirubin µmol/L) − 0.085 · albumin g/L;
grade 1 ≤ −2.60 < grade 2 ≤ −1.39 < grade 3.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

CHILD_PUGH_CONVENTION = (
    "Child–Pugh: bilirubin <34.2 / 34.2–51.3 / >51.3 µmol/L (Pugh's <2 / 2–3 / >3 mg/dL, compared at "
    "0.1 µmol/L); albumin >35 / 28–35 / <28 g/L; "
    "INR <1.7 / 1.7–2.3 / >2.3 (PT prolongation <4 / 4–6 / >6 s only if INR unknown); "
    "ascites none / mild / moderate–severe; encephalopathy none / grade 1–2 / grade 3–4.")
ALBI_CONVENTION = "ALBI = 0.66·log10(bilirubin µmol/L) − 0.085·albumin g/L; grade 1 ≤ −2.60 < 2 ≤ −1.39 < 3."

ASCITES_POINTS = {"none": 1, "mild": 2, "moderate_severe": 3}
ENCEPHALOPATHY_POINTS = {"none": 1, "grade_1_2": 2, "grade_3_4": 3}


# Pugh's bands are in mg/dL (< 2, 2–3, > 3); 1 mg/dL = 17.104 µmol/L gives these edges.
BILIRUBIN_EDGES_UMOL_L = (34.2, 51.3)


def bilirubin_points(umol_l: float) -> int:
    # Compared at 0.1 µmol/L: a round mg/dL value converted (3.0 mg/dL = 51.31 µmol/L) must land on the
    # same side of the edge as in Pugh's mg/dL definition.
    value = round(umol_l, 1)
    low, high = BILIRUBIN_EDGES_UMOL_L
    return 1 if value < low else (2 if value <= high else 3)


def albumin_points(g_l: float) -> int:
    return 1 if g_l > 35 else (2 if g_l >= 28 else 3)


def inr_points(inr: float) -> int:
    return 1 if inr < 1.7 else (2 if inr <= 2.3 else 3)


def pt_prolongation_points(seconds: float) -> int:
    return 1 if seconds < 4 else (2 if seconds <= 6 else 3)


def child_pugh_class(score: int) -> str:
    return "A" if score <= 6 else ("B" if score <= 9 else "C")


@dataclass(frozen=True)
class ChildPugh:
    """Points per component (None = unknown), the total when complete, and the possible range."""

    points: dict[str, int | None]
    coagulation_source: str  # "INR", "PT prolongation" or "unknown"

    @property
    def missing(self) -> list[str]:
        return [k for k, v in self.points.items() if v is None]

    @property
    def score(self) -> int | None:
        return None if self.missing else sum(self.points.values())  # type: ignore[arg-type]

    @property
    def score_range(self) -> tuple[int, int]:
        known = sum(v for v in self.points.values() if v is not None)
        return known + len(self.missing), known + 3 * len(self.missing)

    @property
    def klass(self) -> str | None:
        """The class when every possible score falls in one class, else None."""
        low, high = self.score_range
        lo_class, hi_class = child_pugh_class(low), child_pugh_class(high)
        return lo_class if lo_class == hi_class else None


def child_pugh(bilirubin_umol_l: float | None = None, albumin_g_l: float | None = None,
               inr: float | None = None, pt_prolongation_s: float | None = None,
               ascites: str | None = None, encephalopathy: str | None = None) -> ChildPugh:
    """Child–Pugh points from components; any component may be None (unknown)."""
    if inr is not None:
        coag, source = inr_points(inr), "INR"
    elif pt_prolongation_s is not None:
        coag, source = pt_prolongation_points(pt_prolongation_s), "PT prolongation"
    else:
        coag, source = None, "unknown"
    points = {
        "bilirubin": None if bilirubin_umol_l is None else bilirubin_points(bilirubin_umol_l),
        "albumin": None if albumin_g_l is None else albumin_points(albumin_g_l),
        "coagulation": coag,
        "ascites": None if ascites is None else ASCITES_POINTS[ascites],
        "encephalopathy": None if encephalopathy is None else ENCEPHALOPATHY_POINTS[encephalopathy],
    }
    return ChildPugh(points, source)


def albi_score(bilirubin_umol_l: float, albumin_g_l: float) -> float:
    """ALBI linear predictor; bilirubin in µmol/L (> 0), albumin in g/L."""
    if bilirubin_umol_l <= 0:
        raise ValueError("bilirubin must be positive for ALBI (log10)")
    return 0.66 * math.log10(bilirubin_umol_l) - 0.085 * albumin_g_l


ALBI_CUTOFFS = (-2.60, -1.39)


def albi_grade(score: float) -> int:
    """Grade from the unrounded score (a score that prints as −2.60 may still be grade 2)."""
    low, high = ALBI_CUTOFFS
    return 1 if score <= low else (2 if score <= high else 3)


def albi_digits(score: float) -> int:
    """Decimals to show: 2, or more when two would print the score onto a cut-off it does not equal."""
    digits = 2
    while digits < 6 and any(round(score, digits) == c and score != c for c in ALBI_CUTOFFS):
        digits += 1
    return digits


def albi_text(score: float) -> str:
    return f"{score:.{albi_digits(score)}f}"
