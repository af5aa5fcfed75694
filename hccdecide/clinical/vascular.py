"""Macrovascular invasion: MVI grade from Vp/Vv (Pan et al. 2024) and an approximate Cheng PVTT type.

MVI grade, as defined in Pan et al. 2024 (Methods, Macrovascular invasion grading; Table 1 footnote):
Vp1 → 1, Vp2 → 2, Vp3 or Vv1 → 3; Vp4, Vv2, Vv3, or any portal (Vp1–4) together with any hepatic
vein (Vv1–3) invasion → 4. No invasion (Vp0 and Vv0) is reported here as grade 0.

Cheng's PVTT types are not one-to-one with Vp: Vp1 and Vp2 ≈ type I, Vp3 ≈ II, Vp4 ≈ III (type IV,
extension into the superior mesenteric vein, has no Vp equivalent). Type I is thrombus in segmental or
sectoral branches; Vp2 is thrombus in second-order branches and Vp1 beyond them (Pan et al. 2024,
Methods, Macrovascular invasion grading). Neither reaches the right or left portal vein (type II) or
beyond, and both are thrombus (not type 0), so of the types 0-IV only I fits either. The crosswalk is
approximate and labelled so; criteria written in Cheng types are matched on an entered Cheng type first.
"""
from __future__ import annotations

from dataclasses import dataclass

MVI_CONVENTION = ("MVI grade (Pan et al. 2024): Vp1→1, Vp2→2, Vp3 or Vv1→3; Vp4, Vv2, Vv3, or portal "
                  "plus hepatic vein invasion→4; none→0.")
CHENG_FROM_VP = {0: 0, 1: 1, 2: 1, 3: 2, 4: 3}  # approximate (see the module text)


def mvi_grade_exact(vp: int, vv: int) -> int:
    """MVI grade 0–4 for known Vp (0–4) and Vv (0–3)."""
    if not (0 <= vp <= 4 and 0 <= vv <= 3):
        raise ValueError(f"Vp must be 0-4 and Vv 0-3, got Vp{vp} Vv{vv}")
    if vp == 4 or vv >= 2 or (vp >= 1 and vv >= 1):
        return 4
    if vp == 3 or vv == 1:
        return 3
    return vp  # 0, 1 or 2


@dataclass(frozen=True)
class MviGrade:
    possible: tuple[int, ...]  # every grade consistent with what is known

    @property
    def value(self) -> int | None:
        return self.possible[0] if len(self.possible) == 1 else None


def mvi_grade(vp: int | None, vv: int | None) -> MviGrade:
    """MVI grade with unknown Vp and/or Vv: the set of grades still possible."""
    vps = range(5) if vp is None else [vp]
    vvs = range(4) if vv is None else [vv]
    return MviGrade(tuple(sorted({mvi_grade_exact(p, v) for p in vps for v in vvs})))


def cheng_type_from_vp(vp: int | None) -> int | None:
    """Approximate Cheng type for a Vp grade; None when Vp is unknown."""
    if vp is None:
        return None
    return CHENG_FROM_VP.get(vp)
