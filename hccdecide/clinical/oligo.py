"""Oligoprogression type after first-line systemic therapy, per Wang et al. 2025 (Fig. 2 and
"Defining oligoprogression after systemic therapy").

New or progressing lesions must number 1–5 in at most 3 organs (the primary counts as an organ;
each nodal site and each vascular thrombus counts as a lesion). The type follows the state before:
- metachronous: no metastases before, new ones found more than 6 months after diagnosis;
- repeat: oligometastatic before (≤ 5 metastases, ≤ 3 organs);
- induced: polymetastatic before (> 5 metastases or > 3 organs).
More than 5 progressing lesions or more than 3 organs is not oligoprogression; new metastases
within 6 months of diagnosis in a previously non-metastatic patient are synchronous, none of the three.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_LESIONS = 5
MAX_ORGANS = 3
METACHRONOUS_AFTER_MONTHS = 6

OLIGO_CONVENTION = ("Oligoprogression (Wang et al. 2025): 1–5 new or progressing lesions in ≤3 organs; "
                    "metachronous if no prior metastases and >6 months from diagnosis, repeat if "
                    "previously oligometastatic, induced if previously polymetastatic.")


@dataclass(frozen=True)
class OligoResult:
    type: str | None  # metachronous / repeat / induced / not_oligoprogressive, None = undetermined
    reason: str
    missing: tuple[str, ...] = ()


def oligoprogression_type(progressing_lesions: int | None, progressing_organs: int | None,
                          metastatic_history: str | None,
                          months_since_diagnosis: float | None) -> OligoResult:
    if progressing_lesions is not None and progressing_lesions > MAX_LESIONS:
        return OligoResult("not_oligoprogressive", f"{progressing_lesions} progressing lesions (> {MAX_LESIONS})")
    if progressing_organs is not None and progressing_organs > MAX_ORGANS:
        return OligoResult("not_oligoprogressive", f"{progressing_organs} organs involved (> {MAX_ORGANS})")
    if progressing_lesions == 0:
        return OligoResult("not_oligoprogressive", "no new or progressing lesion")
    missing = tuple(k for k, v in (("progressing_lesions", progressing_lesions),
                                   ("progressing_organs", progressing_organs),
                                   ("metastatic_history", metastatic_history)) if v is None)
    if missing:
        return OligoResult(None, "needs " + ", ".join(missing), missing)
    count = f"{progressing_lesions} lesion(s) in {progressing_organs} organ(s)"
    if metastatic_history == "oligometastatic":
        return OligoResult("repeat", f"{count} after an oligometastatic state")
    if metastatic_history == "polymetastatic":
        return OligoResult("induced", f"{count} after a polymetastatic state")
    if months_since_diagnosis is None:
        return OligoResult(None, "needs months_since_diagnosis", ("months_since_diagnosis",))
    if months_since_diagnosis > METACHRONOUS_AFTER_MONTHS:
        return OligoResult("metachronous",
                           f"{count}, first metastases {months_since_diagnosis:g} months after diagnosis (> 6)")
    return OligoResult("not_oligoprogressive",
                       f"first metastases {months_since_diagnosis:g} months after diagnosis (≤ 6): synchronous")
