"""Outcome rows never merge different things: disease sites, a subgroup and the whole cohort, a subgroup
selected by outcome (never the study's result), treatment phases, or two arms of one trial.

Each expectation is read from the documents (location named)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from hccdecide.engine.plain_summary import key_outcome
from hccdecide.engine.regimens import RegimenResult, outcome_rows
from hccdecide.evidence.export import evidence_frame


def _rows(library, study_id, regimen, status="uncertain"):
    match = SimpleNamespace(study=library.study(study_id), status=status)
    return outcome_rows(regimen, [match])


def _values(row):
    return sorted(f.outcome.estimate.value for f in row.figures if f.outcome.estimate.value is not None)


def _find(rows, endpoint, measure="rate", **scope):
    return [r for r in rows if r.endpoint == endpoint and r.measure == measure
            and all(getattr(r, k) == v for k, v in scope.items())]


def test_luo_intrahepatic_and_extrahepatic_response_are_apart(library):
    # Luo, Results: intrahepatic ORR 81% (3 CR + 14 PR of 21); extrahepatic 100% (6 CR + 10 PR)
    rows = _rows(library, "luo_oligomet", "imrt_tace_oligomet")
    orr = _find(rows, "ORR")
    assert {r.site: _values(r) for r in orr} == {"intrahepatic tumour": [81], "extrahepatic metastases": [100]}
    assert all("site:" in r.label for r in orr)


def test_luo_whole_cohort_median_os_is_apart_from_its_treatment_subgroups(library):
    # Luo: median OS 21 months (whole cohort); Table 1: 24 with TACE (n 14), 20 without (n 7)
    rows = _find(_rows(library, "luo_oligomet", "imrt_tace_oligomet"), "OS", "median")
    assert [_values(r) for r in rows] == [[21], [24], [20]] or [_values(r) for r in rows] == [[21], [20], [24]]
    assert rows[0].population_kind == "whole" and "subgroup" not in rows[0].label
    assert all(r.population_kind == "subgroup" and "not randomised" in r.label for r in rows[1:])


def test_mo_primary_and_thrombus_response_are_apart(library):
    # Kang 2026, Table 6: ORR 38.1% (primary liver lesions) and 76.2% (PVTT)
    rows = _rows(library, "mo2025_cadonilimab_lenvatinib_sbrt", "rt_io_pvtt")
    assert [_values(r) for r in _find(rows, "ORR")] == [[38.1]]
    assert [_values(r) for r in _find(rows, "VASCULAR_RESPONSE")] == [[76.2]]


def test_pan_outcome_defined_subgroup_is_not_the_study_result(library):
    # Pan, Results: median OS 18.7 months (all 30); 7.0 months in the 15 judged unresectable after
    # induction (selected by how they responded) and not reached in the 15 resected
    rows = _find(_rows(library, "pan2024_periop_mvi", "periop_pd1_imrt_mvi"), "OS", "median")
    whole = [r for r in rows if r.is_study_result]
    assert [_values(r) for r in whole] == [[18.7]]
    selected = [r for r in rows if not r.is_study_result]
    assert sorted(v for r in selected for v in _values(r)) == [7.0]
    assert all("not the study's result" in r.label for r in selected)


def test_pan_key_outcome_never_comes_from_a_selected_subgroup(library):
    match = SimpleNamespace(study=library.study("pan2024_periop_mvi"), status="uncertain")
    rows = outcome_rows("periop_pd1_imrt_mvi", [match])
    regimen = RegimenResult(info=library.regimens["periop_pd1_imrt_mvi"], matches=(match,), outcomes=rows,
                            benefits=())
    assert all(r.is_study_result for r in regimen.fitting_outcomes())
    assert key_outcome(regimen).is_study_result


def test_pan_toxicity_phases_are_apart(library):
    # Pan, Results (Safety profile): grade 3 TRAEs 3 of 30 preoperative (10%), 1 of 15 adjuvant
    # (6.7%); Abstract: 4 of 30 (13.3%) over the whole course
    rows = _find(_rows(library, "pan2024_periop_mvi", "periop_pd1_imrt_mvi"), "TOX_G3PLUS")
    assert {r.phase: _values(r) for r in rows} == {"": [13.3], "preoperative": [10], "adjuvant": [6.7]}
    adjuvant = next(r for r in rows if r.phase == "adjuvant")
    assert not adjuvant.is_study_result  # only the resected half reached the adjuvant phase


def test_guo_arms_are_never_one_range(library):
    # Kang 2026, Table 3: median OS 15.4 (RT then TACE) vs 11.5 months (TACE then RT), a randomised
    # comparison of sequences; a 11.5-15.4 range would hide it
    rows = _find(_rows(library, "guo2022_rt_tace_pvtt", "rt_mvi"), "OS", "median")
    assert sorted(_values(r) for r in rows) == [[11.5], [15.4]]
    assert all(r.arm and f"arm: {r.arm}" in r.label for r in rows)


def test_export_carries_site_population_and_phase(library):
    frame = evidence_frame(library)
    pan = frame[(frame.study_id == "pan2024_periop_mvi") & (frame.endpoint == "TOX_G3PLUS")]
    assert sorted(pan.phase) == ["", "adjuvant", "preoperative"]
    luo = frame[(frame.study_id == "luo_oligomet") & (frame.endpoint == "ORR")]
    assert sorted(luo.site) == ["extrahepatic metastases", "intrahepatic tumour"]
    unresectable = frame[(frame.study_id == "pan2024_periop_mvi") & (frame.value == 7.0)]
    assert list(unresectable.population_kind) == ["outcome_defined"]


@pytest.mark.parametrize("study_id", ["yan2025_lnm"])
def test_nodal_response_is_labelled_as_nodal(library, study_id):
    # Yan, Methods (Assessments): response was that of the nodal metastases
    rows = _rows(library, study_id, "rt_systemic_nodal")
    assert all(r.site == "irradiated lymph-node metastases" for r in _find(rows, "ORR"))
