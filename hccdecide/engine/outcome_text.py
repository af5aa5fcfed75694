"""How reported outcome figures and their ranges read on screen and in the report (one wording for both)."""
from __future__ import annotations

from hccdecide.engine.regimens import OutcomeRow
from hccdecide.evidence.schema import Estimate


def estimate_text(est: Estimate, unit: str, months: str = "months") -> str:
    """"15.8 months (CI 13.1–19.4)"; a CI at another level than 95% says its level."""
    if not est.reached:
        return "not reached"
    text = f"{est.value:g}{'%' if unit == '%' else ' ' + months}"
    if est.ci:
        level = "" if est.ci_level == 95 else f"{est.ci_level:g}% "
        text += f" ({level}CI {est.ci[0]:g}–{est.ci[1]:g})"
    return text


def range_text(row: OutcomeRow) -> str:
    """The span of a row's figures across studies ("17–26 months"); a summary, never a pooled value."""
    rng = row.value_range
    if rng is None:
        return "not reached"
    span = f"{rng[0]:g}" if rng[0] == rng[1] else f"{rng[0]:g}–{rng[1]:g}"
    text = span + ("%" if row.unit == "%" else f" {row.unit}")
    text += " (some not reached)" if row.any_not_reached else ""
    return text + (f" — {row.range_note}" if row.range_note else "")
