"""Studies the review discusses without figures are kept, all alike, as qualitative records: listed in
the library, no numbers, population only as described, never enough to make a patient eligible."""
from __future__ import annotations

from typing import get_args

import pydantic
import pytest

from hccdecide.evidence.schema import CoreDomain, Study

# Kang 2026: each named with its reference number; none of these passages gives a figure
QUALITATIVE = {
    "yoon2018_tace_ebrt_vs_sorafenib": 35,  # TACE + EBRT vs sorafenib: better PFS, no numbers
    "kim2021_pbt_vs_rfa": 73,  # PBT vs RFA: non-inferior local PFS
    "bush2023_pbt_vs_tace": 74,  # PBT vs TACE: similar OS, better PFS/LC
    "shibuya2022_cirt_four_fractions": 79,  # 4-fraction carbon ions: promising LC
    "dutta2024_sbrt_pvtt_recanalisation": 38,  # recanalisation pattern related to OS
    "wang2022_iort_central": 25,  # intraoperative RT improved recurrence-free outcomes
    "wei2022_neoadjuvant_meta": 28,  # meta-analysis: longer OS, no pooled figure
    "kim2023_oligomet_local_meta": 45,  # meta-analysis: favourable survival; only a "< 10%" bound
}


def _figures(s: Study) -> int:
    return (sum(len(a.outcomes) for a in s.arms) + len(s.comparisons) + len(s.prognostic_models)
            + len(s.subgroups))


def test_every_study_without_a_figure_is_a_protocol_or_a_qualitative_record(library):
    no_figures = {s.id for s in library.studies if _figures(s) == 0 and not s.is_protocol}
    assert no_figures == set(QUALITATIVE)
    assert {s.id for s in library.studies if s.qualitative} == set(QUALITATIVE)


@pytest.mark.parametrize("study_id, ref", sorted(QUALITATIVE.items()))
def test_qualitative_record_cites_its_reference_and_holds_no_figure(library, study_id, ref):
    s = library.study(study_id)
    assert f"{ref}" in s.source_citation + " ".join(c.location for c in s.criteria)
    assert _figures(s) == 0


@pytest.mark.parametrize("study_id", sorted(QUALITATIVE))
def test_qualitative_record_can_never_make_a_patient_eligible(library, study_id):
    # eligibility needs every core domain bounded by a criterion (DESIGN, Matching); a record whose
    # population is only described never bounds all four, and what it has is a description
    s = library.study(study_id)
    assert set(s.core_domains) < set(get_args(CoreDomain))
    assert all(c.basis == "cohort_description" for c in s.criteria if c.rule is not None)


def test_a_qualitative_record_with_an_outcome_is_refused(library):
    data = library.study("yoon2018_tace_ebrt_vs_sorafenib").model_dump(mode="json", exclude_none=True)
    data["arms"][0]["outcomes"] = [{"endpoint": "PFS", "measure": "median", "estimate": {"value": 5.0},
                                    "location": "invented"}]
    with pytest.raises(pydantic.ValidationError, match="qualitative record carries no figures"):
        Study.model_validate(data)


def test_a_qualitative_record_lends_no_level_while_a_study_with_figures_has_the_status():
    # small untreated tumour: proton/carbon studies with figures (Iwata 2021 phase II, Hong 2023 phase I,
    # Mizumoto 2024 registry: level 3) are uncertain, and so is Bush 2023 (randomised, level 2, no
    # figures in the review); the regimen's level is 3, not Bush's 2
    from pathlib import Path

    from hccdecide.engine.assessment import assess
    from hccdecide.engine.levels import evidence_level
    from hccdecide.patient import Patient

    case = Path(__file__).resolve().parents[2] / "resources" / "cases" / "training_small_untreated.json"
    a = assess(Patient.from_file(case))
    particle = next(r for r in a.regimens if r.info.key == "particle_therapy")
    bush = next(m for m in particle.status_studies if m.study.id == "bush2023_pbt_vs_tace")
    assert evidence_level(bush.study) == 2
    assert particle.best_level == 3
