"""How reported outcome figures and their ranges read on screen and in the report (one wording for both)."""
from __future__ import annotations

from hccdecide.engine.regimens import Figure, OutcomeRow
from hccdecide.evidence.schema import Comparison, Estimate


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
    text += "".join(f" — {note}" for note in row.within_study_notes)
    return text + (f" — {row.range_note}" if row.range_note else "")


def _lower_first(label: str) -> str:
    """"Resection alone" -> "resection alone"; an acronym ("TACE alone") keeps its capitals."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def comparator_text(fig: Figure, unit: str, months: str = "months") -> str:
    """" vs 26.3% with resection alone (randomised)": the comparison arm's figure for the same measure,
    or "" for a figure without one."""
    c = fig.comparator
    if c is None:
        return ""
    how = ("randomised" if c.compared else "randomised, the trial not designed to compare the arms") \
        if c.randomised else "not randomised"
    if c.compared:  # a difference is read as a benefit unless its test is said with it
        how += f", {c.test}" if c.test else ", no test of this difference printed"
    return f" vs {estimate_text(c.outcome.estimate, unit, months)} with {_lower_first(c.arm.label)} ({how})"


def figure_value_text(fig: Figure, unit: str, months: str = "months") -> str:
    """One study's figure as shown in a list, with its comparison arm's figure where it has one."""
    return estimate_text(fig.outcome.estimate, unit, months) + comparator_text(fig, unit, months)


def effect_text(c: Comparison) -> str:
    """A comparison's effect with its measure: "HR 0.72", or "difference +45 percentage points"."""
    value = c.estimate.value
    if value is None:
        return f"{c.measure}: not reached"
    if c.measure == "difference":
        return f"difference {value:+g} percentage points"
    return f"{c.measure} {value:g}"
