"""Entries that contradict each other. Each becomes a conflict note naming the fields involved; the
statuses of criteria that depend on those fields are then left uncertain, never decided from one side.

(Conflicts the derivations settle themselves, such as an entered Child–Pugh score against its
components, INR against PT prolongation or nodal entries against each other, are noted where they are
derived.)
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from hccdecide.engine.notes import Note

# Treatments that contradict "no previous HCC treatment" when marked as given.
PREVIOUS_TREATMENTS = ("prior_tace", "resected", "prior_systemic_therapy", "prior_rt_same_site",
                       "progressed_on_sorafenib", "anti_pd1_refractory", "tace_incomplete_response",
                       "recurrent")
SYSTEMIC_EXPOSURE = ("progressed_on_sorafenib", "anti_pd1_refractory")
_LABEL = {"prior_tace": "previous TACE", "resected": "resection", "prior_systemic_therapy":
          "previous systemic therapy", "prior_rt_same_site": "previous RT to the same site",
          "progressed_on_sorafenib": "progression on sorafenib", "anti_pd1_refractory":
          "anti-PD-1 refractoriness", "tace_incomplete_response": "incomplete response after TACE",
          "recurrent": "recurrence after curative treatment"}


def _tumour(v: Mapping[str, Any]) -> list[Note]:
    out = []
    count, largest, total = v.get("tumour_count"), v.get("largest_diameter_cm"), v.get("sum_diameter_cm")
    if count == 0 and (largest is not None or total is not None):
        out.append(Note("tumour_count", "conflict", "0 intrahepatic tumours entered together with a tumour "
                        "diameter", ("tumour_count", "largest_diameter_cm", "sum_diameter_cm")))
    if largest is not None and total is not None and total < largest:
        out.append(Note("sum_diameter_cm", "conflict", f"sum of diameters {total:g} cm is smaller than the "
                        f"largest diameter {largest:g} cm", ("largest_diameter_cm", "sum_diameter_cm")))
    if count == 1 and largest is not None and total is not None and abs(total - largest) > 1e-9:
        out.append(Note("sum_diameter_cm", "conflict", f"one tumour, but the sum of diameters {total:g} cm "
                        f"differs from its diameter {largest:g} cm",
                        ("tumour_count", "largest_diameter_cm", "sum_diameter_cm")))
    return out


def _history(v: Mapping[str, Any]) -> list[Note]:
    out = []
    if v.get("treatment_naive") is True:
        given = [k for k in PREVIOUS_TREATMENTS if v.get(k) is True]
        if v.get("first_line_therapy") not in (None, "none"):
            given.append("first_line_therapy")
        if given:
            names = ", ".join(_LABEL.get(k, "current first-line therapy") for k in given)
            out.append(Note("treatment_naive", "conflict",
                            f"'no previous HCC treatment' entered together with {names}",
                            ("treatment_naive", *given)))
    if v.get("prior_systemic_therapy") is False:
        given = [k for k in SYSTEMIC_EXPOSURE if v.get(k) is True]
        if given:
            out.append(Note("prior_systemic_therapy", "conflict",
                            "no previous systemic therapy entered together with "
                            + ", ".join(_LABEL[k] for k in given), ("prior_systemic_therapy", *given)))
    if v.get("prior_tace") is False and v.get("tace_incomplete_response") is True:
        out.append(Note("prior_tace", "conflict", "no previous TACE, yet an incomplete response after TACE",
                        ("prior_tace", "tace_incomplete_response")))
    if v.get("resected") is False and v.get("narrow_margin") is True:
        out.append(Note("resected", "conflict", "no resection, yet a narrow resection margin",
                        ("resected", "narrow_margin")))
    return out


def _tace_count(v: Mapping[str, Any]) -> list[Note]:
    """The number of TAE/TACE cycles against the yes/no answers about TACE."""
    cycles = v.get("tace_cycles")
    if cycles is None:
        return []
    if cycles > 0:
        denied = [k for k in ("prior_tace",) if v.get(k) is False] + \
            [k for k in ("treatment_naive",) if v.get(k) is True]
        what = f"{cycles} TAE/TACE cycle(s) entered, yet"
    else:
        denied = [k for k in ("prior_tace", "tace_incomplete_response") if v.get(k) is True]
        what = "no TAE/TACE cycle entered, yet"
    if not denied:
        return []
    words = {"prior_tace": "previous TACE marked " + ("no" if cycles > 0 else "yes"),
             "treatment_naive": "no previous HCC treatment marked", "tace_incomplete_response":
             "an incomplete response after TACE marked"}
    return [Note("tace_cycles", "conflict", f"{what} {' and '.join(words[k] for k in denied)}",
                 ("tace_cycles", *denied))]


def _progression(v: Mapping[str, Any]) -> list[Note]:
    lesions, organs = v.get("progressing_lesions"), v.get("progressing_organs")
    if lesions is None or organs is None:
        return []
    if (lesions > 0 and organs == 0) or (lesions == 0 and organs > 0) or organs > lesions:
        return [Note("progressing_organs", "conflict", f"{lesions} progressing lesion(s) in {organs} organ(s)",
                     ("progressing_lesions", "progressing_organs"))]
    return []


def _nodes(v: Mapping[str, Any]) -> list[Note]:
    if v.get("lnm_location_override") is not None and v.get("lnm_present") is False:
        return [Note("lnm_location", "conflict", "a nodal location is set although nodal metastasis is "
                     "marked absent", ("lnm_present", "lnm_location_override"))]
    return []


CHECKS: tuple[Callable[[Mapping[str, Any]], list[Note]], ...] = (_tumour, _history, _tace_count, _progression,
                                                                   _nodes)


def conflicts(values: Mapping[str, Any]) -> list[Note]:
    """Conflict notes among the entered values (absent keys are unknown)."""
    return [n for check in CHECKS for n in check(values)]
