"""An individual median beside the published subgroup medians of the patient's own levels.

The individual estimate combines the model's hazard ratios under independence and shrinkage; the
published subgroup median is a Kaplan–Meier median of the patients at one level, every other factor
as it fell. They answer different questions, but a large gap between them is a warning a reader
needs: the clinical review found single-factor estimates more optimistic than the source's own
subgroups (Yan 2025, Child-Pugh B: published median OS 10.0 months, 95% CI 9.1-10.9).

Rule (stated with every check):
- a published median with a 95% CI: flagged when the individual median lies outside the CI;
- a published median without a CI: flagged when the individual median differs from it by more than
  a quarter of the published value (``RELATIVE_GAP``);
- an individual median beyond the last published point counts as "more than the horizon": flagged
  only when the whole comparison range lies below the horizon;
- a published "not reached" median is not compared (no number to compare with).
An estimate outside the range is *flagged* only when the patient's other factors do not explain the
direction: more optimistic than the subgroup while none of the patient's other applied factors is at
its favourable level known, or more pessimistic while none is at its adverse level. (A patient with
Child-Pugh B is expected to do worse than the published "regional nodes" subgroup; one with Child-Pugh
B and nothing else known is not expected to do better than the published Child-Pugh B subgroup.)
Nothing here changes the estimate; the check is shown beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from hccdecide.figure_words import ci_text
from hccdecide.engine.bound import SubgroupFigure
from hccdecide.evidence.schema import Study

RELATIVE_GAP = 0.25
INSIDE, OUTSIDE, NOT_CHECKED = "inside", "outside", "not_checked"
RULE_CI = "flagged when the individual median lies outside the published 95% CI"
RULE_NO_CI = (f"no CI printed: flagged when the individual median differs from the published median by more "
              f"than {100 * RELATIVE_GAP:g}% of it")
RULE_NOT_REACHED = "published median not reached: not compared"


@dataclass(frozen=True)
class SubgroupCheck:
    figure: SubgroupFigure
    individual_median: float | None  # None: beyond the last published point (``horizon``)
    horizon: float
    verdict: str  # INSIDE | OUTSIDE | NOT_CHECKED
    rule: str
    direction: str | None  # "more optimistic" / "more pessimistic" when OUTSIDE
    explained_by: tuple[str, ...] = ()  # the patient's other applied factors that point the same way

    @property
    def outside(self) -> bool | None:
        return None if self.verdict == NOT_CHECKED else self.verdict == OUTSIDE

    @property
    def flag(self) -> bool:
        """Outside the published range, in a direction the patient's other factors do not explain."""
        return self.verdict == OUTSIDE and not self.explained_by

    def individual_text(self) -> str:
        return (f"beyond {self.horizon:g} months" if self.individual_median is None
                else f"{self.individual_median:.1f} months")

    @property
    def text(self) -> str:
        g = self.figure
        published = g.text.split(", log-rank")[0]  # "factor level: median … (95% CI …)"
        head = f"Published subgroup {published}; individual median {self.individual_text()}"
        if self.verdict == OUTSIDE:
            where = "outside the published CI" if g.ci else "differs by more than a quarter"
            text = f"{head}: {where}, {self.direction} than the source's own subgroup"
            if self.explained_by:
                return f"{text}, as this patient's other factors ({', '.join(self.explained_by)}) imply."
            return text + "."
        if self.verdict == INSIDE:
            return f"{head}: consistent ({self.rule})."
        return f"{head}: not compared ({self.rule})."


def _compare(median: float | None, horizon: float, low: float, high: float) -> str:
    if median is None:  # the individual median is somewhere beyond the horizon
        return OUTSIDE if high < horizon else NOT_CHECKED
    return INSIDE if low <= median <= high else OUTSIDE


def check(figure: SubgroupFigure, median: float | None, horizon: float) -> SubgroupCheck:
    """The individual ``median`` (None: beyond ``horizon``) against one published subgroup figure."""
    published = figure.median_months
    if published is None:
        return SubgroupCheck(figure, median, horizon, NOT_CHECKED, RULE_NOT_REACHED, None)
    if figure.ci is not None:
        rule, (low, high) = RULE_CI, figure.ci
    else:
        rule, low, high = RULE_NO_CI, published * (1 - RELATIVE_GAP), published * (1 + RELATIVE_GAP)
    verdict = _compare(median, horizon, low, high)
    direction = None
    if verdict == OUTSIDE:
        longer = median is None or median > high
        direction = "more optimistic" if longer else "more pessimistic"
    return SubgroupCheck(figure, median, horizon, verdict, rule, direction)


def subgroup_checks(figures: tuple[SubgroupFigure, ...], median: float | None, horizon: float,
                    factors: tuple[tuple[str, frozenset[str], bool], ...] = ()) -> tuple[SubgroupCheck, ...]:
    """Each figure checked; ``factors`` are the patient's known applied factors as (label, variables
    read, at the adverse level), to tell a direction explained by the patient's other factors."""
    out = []
    for g in figures:
        k = check(g, median, horizon)
        if k.verdict == OUTSIDE:
            adverse = k.direction == "more pessimistic"
            k = replace(k, explained_by=tuple(label for label, variables, bad in factors
                                              if bad == adverse and not variables & g.variables))
        out.append(k)
    return tuple(out)


@dataclass(frozen=True)
class PublishedMedian:
    """The study cohort's own published median for the endpoint (the cohort-average reference)."""

    months: float | None
    reached: bool
    ci: tuple[float, float] | None
    location: str

    def text(self, endpoint: str) -> str:
        if self.months is None:
            return f"Published cohort median {endpoint}: not reached ({self.location})"
        ci = f" ({ci_text(self.ci)})" if self.ci else ""
        return f"Published cohort median {endpoint}: {self.months:g} months{ci} ({self.location})"


def published_median(study: Study, arm_id: str | None, endpoint: str) -> PublishedMedian | None:
    arm = next((a for a in study.arms if a.id == arm_id), None)
    for o in arm.outcomes if arm else ():
        if o.endpoint == endpoint and o.measure == "median":
            e = o.estimate
            return PublishedMedian(e.value, e.reached,
                                   tuple(e.ci) if e.ci else None, f"{study.source_citation}: {o.location}")
    return None
