"""BCLC stage, 2022 strategy (Reig et al., J Hepatol 2022), simplified to the inputs on the form.

- D: ECOG 3–4, or Child–Pugh C (end-stage liver function).
- C: ECOG 1–2, or macrovascular invasion, or extrahepatic spread (nodal or distant).
- 0: single tumour ≤ 2 cm, ECOG 0, preserved liver function.
- A: single tumour, or 2–3 tumours each ≤ 3 cm, ECOG 0, preserved liver function.
- B: multinodular beyond A, ECOG 0, preserved liver function.
Child–Pugh B with ECOG 0 and no MVI/spread is staged by tumour burden and flagged: the 2022 strategy
asks for preserved liver function in stages 0–B. A stage is given only when the known inputs decide it;
otherwise the missing inputs are named.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import product

BCLC_VERSION = "BCLC 2022"


@dataclass(frozen=True)
class Bclc:
    stage: str | None
    reason: str
    missing: tuple[str, ...] = ()
    caution: str = ""
    before_resection: bool = False  # staged from a tumour since resected with no residual disease
    # stages still reachable while the stage is undecided; for stage C resting on ECOG 1-2 alone, the
    # stages the patient could be in (C, and those the tumour burden gives)
    possible: tuple[str, ...] = ()
    possible_why: str = ""  # why a decided stage still has other possible stages

    @property
    def label(self) -> str:
        if self.stage is None and 0 < len(self.possible) < 5:
            return "BCLC stage undecided: " + " or ".join(self.possible)
        if self.stage is None:
            return "BCLC stage unknown"
        return f"BCLC stage {self.stage}" + (" before resection" if self.before_resection else "")


@dataclass(frozen=True)
class BclcInputs:
    ecog: int | None
    child_pugh_class: str | None
    mvi_present: bool | None
    extrahepatic_spread: bool | None  # nodal or distant
    tumour_count: int | None
    largest_diameter_cm: float | None


def _tumour_stage(i: BclcInputs) -> tuple[str | None, str, tuple[str, ...]]:
    missing = tuple(k for k, v in (("tumour_count", i.tumour_count),
                                   ("largest_diameter_cm", i.largest_diameter_cm)) if v is None)
    if i.tumour_count is not None and i.tumour_count > 3:
        return "B", f"{i.tumour_count} tumours (multinodular)", ()
    if missing:
        return None, "tumour burden unknown", missing
    n, size = i.tumour_count, i.largest_diameter_cm
    if n == 1 and size <= 2:
        return "0", f"single tumour {size:g} cm (≤ 2 cm)", ()
    if n == 1:
        return "A", f"single tumour {size:g} cm", ()
    if n <= 3 and size <= 3:
        return "A", f"{n} tumours, largest {size:g} cm (≤ 3 cm)", ()
    return "B", f"{n} tumours, largest {size:g} cm (beyond 2–3 × ≤ 3 cm)", ()


def bclc_stage(i: BclcInputs) -> Bclc:
    if i.ecog is not None and i.ecog >= 3:
        return Bclc("D", f"ECOG {i.ecog} (3–4)")
    if i.child_pugh_class == "C":
        return Bclc("D", "Child–Pugh C (end-stage liver function)")
    advanced = [r for r, v in ((f"ECOG {i.ecog} (1–2)", i.ecog is not None and 1 <= i.ecog <= 2),
                               ("macrovascular invasion", i.mvi_present is True),
                               ("extrahepatic spread", i.extrahepatic_spread is True)) if v]
    undecided = tuple(k for k, v in (("ecog", i.ecog), ("child_pugh_class", i.child_pugh_class)) if v is None)
    if advanced:
        if undecided:
            return Bclc(None, "C unless " + " or ".join(undecided) + " makes it D", undecided)
        caution = _performance_only_caution(i, advanced)
        return Bclc("C", ", ".join(advanced), (), caution, possible_why=_performance_only_why(i) if caution else "")
    undecided += tuple(k for k, v in (("mvi", i.mvi_present),
                                      ("extrahepatic_spread", i.extrahepatic_spread)) if v is None)
    stage, reason, missing = _tumour_stage(i)
    if undecided or missing:
        return Bclc(None, "cannot stage: " + ", ".join(undecided + missing) + " unknown",
                    undecided + missing)
    caution = ("Child–Pugh B: the 2022 strategy expects preserved liver function in stages 0–B"
               if i.child_pugh_class == "B" else "")
    return Bclc(stage, f"ECOG 0, no MVI or spread; {reason}", (), caution)


def _performance_only_caution(i: BclcInputs, advanced: list[str]) -> str:
    """Stage C from ECOG 1-2 alone holds only when the cancer impairs the patient (BCLC 2022): say which
    stage the tumour burden would give otherwise, so a frail patient with early disease is not read as C."""
    if len(advanced) != 1 or not advanced[0].startswith("ECOG"):
        return ""
    stage, reason, _missing = _tumour_stage(i)
    otherwise = f"stage {stage} ({reason})" if stage else "the stage its burden gives (tumour burden not entered)"
    return (f"ECOG {i.ecog} is the only stage-C feature: BCLC 2022 counts it when the cancer causes it; "
            f"if age or other illness does, the tumour would be {otherwise}.")


def _performance_only_why(i: BclcInputs) -> str:
    others = " or ".join(stages_without_performance(i))
    return (f"stage C rests on ECOG {i.ecog} alone; stage {others} if the performance status is not caused "
            "by the cancer")


def stages_without_performance(i: BclcInputs) -> tuple[str, ...]:
    """The stages the tumour burden, liver function, MVI and spread give with ECOG 0: what a patient
    whose ECOG 1-2 is not caused by the cancer could be in."""
    return possible_stages(replace(i, ecog=0))


def performance_only_possible(b: Bclc, i: BclcInputs) -> Bclc:
    """Stage C from ECOG 1-2 alone with the stages it could otherwise be, so a criterion that reads the
    stage is decided only when every one of them gives the same answer."""
    if not b.possible_why:
        return b
    return replace(b, possible=tuple(s for s in ("0", "A", "B", "C", "D")
                                     if s == "C" or s in stages_without_performance(i)))


def before_resection(b: Bclc) -> Bclc:
    """The stage of a tumour that has since been resected with no residual disease: it describes the
    patient before the operation, not now (nothing is left to stage). Kept, and labelled, so criteria
    that read the stage at diagnosis can still use it."""
    if b.stage is None:
        return b
    return replace(b, reason=f"before resection: {b.reason}; resected since with no residual tumour and no "
                   "recurrence, so there is no tumour to stage now", before_resection=True)


# Values tried for an unknown input when listing the stages a case can still reach: every ECOG grade and
# Child-Pugh class, both answers for MVI and spread, and tumour counts/sizes that reach stages 0, A and B.
_UNKNOWN_DOMAINS = {
    "ecog": (0, 1, 2, 3, 4),
    "child_pugh_class": ("A", "B", "C"),
    "mvi_present": (False, True),
    "extrahepatic_spread": (False, True),
    "tumour_count": (1, 2, 5),
    "largest_diameter_cm": (1.0, 2.5, 5.0),
}


def possible_stages(i: BclcInputs) -> tuple[str, ...]:
    """The stages still reachable when some inputs are unknown (every stage if nothing is known), in
    stage order. A criterion that every reachable stage fails is not met, whatever the missing values."""
    unknown = [k for k in _UNKNOWN_DOMAINS if getattr(i, k) is None]
    stages = set()
    for values in product(*(_UNKNOWN_DOMAINS[k] for k in unknown)):
        stages.add(bclc_stage(replace(i, **dict(zip(unknown, values)))).stage)
    return tuple(s for s in ("0", "A", "B", "C", "D") if s in stages)
