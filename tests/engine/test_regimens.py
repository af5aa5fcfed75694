"""Regimens: ranking, open protocols, outcome figures with locations, randomised benefit."""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, UNCERTAIN, StudyMatch
from hccdecide.engine.regimens import group_regimens, match_rank
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir


@pytest.fixture(scope="module")
def oligo_assessment():
    return assess(Patient.from_file(cases_dir() / "training_oligoprogression.json"))


def fake(library, study_id, status, n=None):
    study = library.study(study_id)
    if n is not None:
        study = study.model_copy(update={"n": n})
    return StudyMatch(study, status, ())


def test_studies_rank_by_status_then_level_then_size(library):
    rct = "dawson2025_rtog1112_sbrt_sorafenib"     # randomised phase III
    prospective = "pan2024_periop_mvi"             # single-arm phase II
    retro = "yan2025_lnm"                          # retrospective
    matches = [
        fake(library, rct, INELIGIBLE),
        fake(library, rct, UNCERTAIN),
        fake(library, retro, ELIGIBLE, n=62),
        fake(library, retro, ELIGIBLE, n=500),
        fake(library, prospective, ELIGIBLE),
        fake(library, rct, ELIGIBLE),
    ]
    ranked = sorted(matches, key=match_rank)
    order = [(m.study.id, m.status, m.study.n) for m in ranked]
    assert order == [
        (rct, ELIGIBLE, 177), (prospective, ELIGIBLE, 30), (retro, ELIGIBLE, 500), (retro, ELIGIBLE, 62),
        (rct, UNCERTAIN, 177), (rct, INELIGIBLE, 177)]


def test_regimens_rank_by_their_best_status(library):
    matches = [fake(library, "dawson2025_rtog1112_sbrt_sorafenib", INELIGIBLE),   # rt_tki
               fake(library, "pan2024_periop_mvi", UNCERTAIN),                     # periop_pd1_imrt_mvi
               fake(library, "yan2025_lnm", ELIGIBLE)]                             # rt_systemic_nodal
    keys = [r.info.key for r in group_regimens(matches, library.regimens)]
    assert keys == ["rt_systemic_nodal", "periop_pd1_imrt_mvi", "rt_tki"]


def test_assessment_matches_are_ranked(oligo_assessment):
    keys = [match_rank(m) for m in oligo_assessment.matches]
    assert keys == sorted(keys)
    for r in oligo_assessment.regimens:
        assert [match_rank(m) for m in r.matches] == sorted(match_rank(m) for m in r.matches)


def test_protocol_is_an_open_trial_without_outcomes(oligo_assessment):
    regimen = next(r for r in oligo_assessment.regimens if r.info.key == "rt_oligoprogression")
    assert "wang2025_oligoprogression" in [m.study.id for m in regimen.open_trials]
    assert all(f.study.id != "wang2025_oligoprogression" for row in regimen.outcomes for f in row.figures)
    assert regimen.total_n == sum(m.study.n or 0 for m in regimen.matches if not m.study.is_protocol)


def test_every_outcome_figure_carries_its_location(oligo_assessment):
    figures = [f for r in oligo_assessment.regimens for row in r.outcomes for f in row.figures]
    assert figures
    assert all(f.outcome.location.strip() for f in figures)


def test_outcome_range_spans_the_figures_of_the_best_fitting_studies(oligo_assessment):
    rank = {"eligible": 0, "uncertain": 1, "ineligible": 2}
    for r in oligo_assessment.regimens:
        for row in r.outcomes:
            best = min((f.status for f in row.figures), key=rank.__getitem__)
            values = [f.outcome.estimate.value for f in row.figures
                      if f.status == best and f.outcome.estimate.value is not None]
            if values:
                assert row.value_range == (min(values), max(values))


def test_an_ineligible_study_does_not_widen_the_range_of_eligible_ones(library):
    # RT + TKI has a median OS of 15.8 months from RTOG 1112, 19.45 from the Chen 2022 meta-analysis and
    # 16.5 from Zhai 2025. With RTOG 1112 eligible, Chen uncertain and Zhai ineligible, all stay listed;
    # only the eligible study spans the expected range. (RTOG 1112's 38% is a response of the vascular
    # invasion only, stored as VASCULAR_RESPONSE, so it is not in the ORR row.)
    matches = [fake(library, "dawson2025_rtog1112_sbrt_sorafenib", ELIGIBLE),
               fake(library, "chen2022_ebrt_sorafenib_meta", UNCERTAIN),
               fake(library, "zhai2025_sorafenib_rt_vtt", INELIGIBLE)]
    rt_tki = next(r for r in group_regimens(matches, library.regimens) if r.info.key == "rt_tki")
    mos = next(row for row in rt_tki.outcomes if row.endpoint == "OS" and row.measure == "median")
    assert {(f.study.id, f.status, f.outcome.estimate.value) for f in mos.figures} == {
        ("dawson2025_rtog1112_sbrt_sorafenib", "eligible", 15.8),
        ("chen2022_ebrt_sorafenib_meta", "uncertain", 19.45),
        ("zhai2025_sorafenib_rt_vtt", "ineligible", 16.5)}
    assert mos.value_range == (15.8, 15.8)
    assert mos.range_basis == "eligible" and "eligible studies only" in mos.range_note


def test_rtog1112_benefit_against_sorafenib_alone(library):
    regimens = group_regimens([fake(library, "dawson2025_rtog1112_sbrt_sorafenib", ELIGIBLE)],
                              library.regimens)
    rt_tki = next(r for r in regimens if r.info.key == "rt_tki")
    os_benefit = next(b for b in rt_tki.benefits if b.comparison.endpoint == "OS")
    assert os_benefit.comparison.estimate.value == 0.72
    assert os_benefit.control.id == "sorafenib" and os_benefit.control.regimen_key is None
    assert os_benefit.experimental.id == "sbrt_sorafenib"
    control_os = next(o for o in os_benefit.control.outcomes if o.endpoint == "OS" and o.measure == "median")
    assert control_os.estimate.value == 12.3  # sorafenib arm, Kang 2026 Table 4
    # the control arm's figures are not shown as outcomes of the RT regimen
    assert all(f.arm.id != "sorafenib" for row in rt_tki.outcomes for f in row.figures)
