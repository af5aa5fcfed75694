"""One call from a Patient to everything the app shows: derived values, study matches, regimens,
individual curves (without bands) and the figures shown as reported.

Uncertainty bands are computed separately (:func:`bands_for`) so a GUI can run them in a worker.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

from hccdecide.engine.derive import Derived, derive
from hccdecide.engine.matching import StudyMatch, match_study_reusing
from hccdecide.engine.prognosis import AFTER_RESPONSE, BASELINE, OUTSIDE_SUPPORT, CurveEstimate, estimate_curve
from hccdecide.engine.regimens import RegimenResult, group_regimens, match_rank
from hccdecide.engine.read_memo import ReadMemo
from hccdecide.engine.reported import ReportedModel, ReportedSubgroup, reported_models, reported_subgroups
from hccdecide.engine.bootstrap import Progress
from hccdecide.engine.uncertainty import Band, uncertainty_band
from hccdecide.evidence.library import Library, default_library
from hccdecide.patient import Patient


@dataclass(frozen=True)
class Assessment:
    patient: Patient
    derived: Derived
    matches: tuple[StudyMatch, ...]  # ranked
    regimens: tuple[RegimenResult, ...]  # ranked
    curves: tuple[CurveEstimate, ...]  # baseline, then after-response where post-treatment data exist
    reported_models: tuple[ReportedModel, ...]
    reported_subgroups: tuple[ReportedSubgroup, ...]
    library: Library

    def match(self, study_id: str) -> StudyMatch:
        return next(m for m in self.matches if m.study.id == study_id)

    def curves_for(self, study_id: str, stage: str = BASELINE) -> tuple[CurveEstimate, ...]:
        return tuple(c for c in self.curves if c.study.id == study_id and c.stage == stage)

    def default_curve(self, study_id: str, endpoint: str, stage: str = BASELINE) -> CurveEstimate | None:
        return next((c for c in self.curves if c.study.id == study_id and c.stage == stage
                     and c.model.endpoint == endpoint and c.model.default), None)

    def other_stage(self, c: CurveEstimate) -> CurveEstimate | None:
        """The same model's estimate at the other stage (before treatment <-> after response), if any,
        so the two can be read side by side."""
        return next((o for o in self.curves if o.study.id == c.study.id and o.model.id == c.model.id
                     and o.stage != c.stage), None)


def _has_post_treatment_data(patient: Patient) -> bool:
    return any(patient.known(k) for k in ("response", "afp_reduction_pct", "pathological_response"))


# A curve is reused while its match is the same (a reused match, engine/read_memo.py) and the facts it
# read are unchanged: an edit redraws one or two of the dozen curves, not all of them.
_CURVES: ReadMemo[CurveEstimate | None] = ReadMemo()


def _curves(matches: Iterable[StudyMatch], derived: Derived, after_response: bool,
            apply_all: bool = False) -> tuple[CurveEstimate, ...]:
    out = []
    stages = (BASELINE, AFTER_RESPONSE) if after_response else (BASELINE,)
    for m in matches:
        for model in m.study.prognostic_models:
            for stage in stages:
                if stage == AFTER_RESPONSE and all(f.timing == "baseline" for f in model.factors):
                    continue
                curve = _CURVES.get((m, model, stage, apply_all), derived.facts,
                                    lambda facts: estimate_curve(m.study, model, facts, stage, m, apply_all))
                if curve is not None:
                    out.append(curve)
    return tuple(_pfs_within_os(c, out) for c in out)


def _pfs_within_os(c: CurveEstimate, curves: list[CurveEstimate]) -> CurveEstimate:
    """A death is a PFS event, so PFS cannot exceed OS. When the same study's OS estimate is withheld
    because the patient's risk lies beyond the cohort's worst (OS "at most ..."), a PFS model that lacks
    the factors driving that risk (Yan's has no liver-function term) would read better than OS can be:
    the PFS estimate is withheld as well."""
    if c.model.endpoint != "PFS" or not c.shown:
        return c
    os_ = next((o for o in curves if o.study.id == c.study.id and o.stage == c.stage
                and o.model.endpoint == "OS" and o.model.default), None)
    if os_ is None or os_.withheld != OUTSIDE_SUPPORT or os_.bound is None or os_.bound.side != "above":
        return c
    return replace(c, withheld=OUTSIDE_SUPPORT, withheld_text=(
        f"No PFS estimate: this patient's overall survival lies beyond the cohort's range (OS "
        f"{os_.bound.text('OS')}), and a death counts as a PFS event, so PFS cannot be higher than that; "
        "the PFS model, which lacks the factors behind this risk, would read better than OS can be."))


def assess(patient: Patient, library: Library | None = None, apply_all: bool = False) -> Assessment:
    """The full assessment of ``patient`` against every study of ``library`` (bundled by default).

    ``apply_all`` is the labelled sensitivity analysis that also applies factors whose CI includes 1.
    """
    library = library or default_library()
    derived = derive(patient)
    matches = tuple(sorted((match_study_reusing(s, derived) for s in library.studies), key=match_rank))
    regimens = group_regimens(matches, library.regimens, derived.facts)
    curves = _curves(matches, derived, _has_post_treatment_data(patient), apply_all)
    models = tuple(rm for m in matches for rm in reported_models(m.study, derived.facts))
    subgroups = tuple(rs for m in matches for rs in reported_subgroups(m.study, derived.facts))
    return Assessment(patient, derived, matches, regimens, curves, models, subgroups, library)


def bands_for(curves: Iterable[CurveEstimate], progress: Progress | None = None,
              draws: int | None = None, stop: Callable[[], bool] | None = None) -> dict[int, Band] | None:
    """Uncertainty bands keyed by the index of each shown curve in ``curves``.

    ``draws`` is accepted for older callers and ignored: the cached bootstrap fixes the count (500).

    Fast once the model's bootstrap draws are cached; the first call for a model builds them (seconds),
    reporting ``progress(done, total)`` per model. ``stop`` is asked before each curve: when it
    answers True (the patient changed meanwhile) no bands are returned, None instead.
    """
    out = {}
    for i, c in enumerate(curves):
        if stop is not None and stop():
            return None
        band = uncertainty_band(c, progress)
        if band is not None:
            out[i] = band
    return out
