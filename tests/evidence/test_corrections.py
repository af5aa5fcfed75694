"""Evidence corrections checked against the source documents."""
from __future__ import annotations

import math

import pytest

from hccdecide.engine.derive import derive
from hccdecide.engine.matching import UNCERTAIN, match_study
from hccdecide.patient import Patient


def chi2_1df_upper_tail(x: float) -> float:
    return math.erfc(math.sqrt(x / 2))


@pytest.mark.parametrize("factor", ["child_pugh", "tumour_thrombus", "kps_low", "imrt_alone", "rt_dose_low",
                                    "intrahepatic_failure"])
def test_luo_os_rr_column_reproduces_its_p_values_as_chi_square_statistics(library, factor):
    # Luo Table 2, OS: the printed "RR" is the 1-df chi-square statistic of the printed p-value
    model = next(m for m in library.study("luo_oligomet").prognostic_models if m.endpoint == "OS")
    f = next(f for f in model.factors if f.id == factor)
    assert f.effect is None and f.ci is None  # stored as a statistic, never as a ratio
    assert chi2_1df_upper_tail(f.statistic) == pytest.approx(float(f.p), abs=0.0015)
    topics = [d.topic for d in library.study("luo_oligomet").discrepancies]
    assert any("test statistics" in t for t in topics)


@pytest.mark.parametrize("study_id, words", [
    ("luo_oligomet", "2 Gy per fraction"), ("kim2023_oligomet_local_meta", "grade"),
    ("pan2024_periop_mvi", "thrombus response"), ("choi2024_sabr_oligomet", "unit of analysis"),
    # found on a second reading of the four primary documents (each checked by hand against the text):
    ("yan2025_lnm", "family history"),  # 10 patients printed as 17.7% (= 11/62)
    ("yan2025_lnm", "no treatment-related death"),  # 4 GI deaths vs no grade 5 in Table 3
    ("yan2025_lnm", "How severe"),  # "mild to moderate" vs 54.8% grade 3-4 neutropenia
    ("pan2024_periop_mvi", "30.0% ORR and 36.6% DCR"),  # whole-patient figures called site figures
    ("wang2025_oligoprogression", "Albumin example"),  # one extra albumin point gives 6, not B7
    ("wang2025_oligoprogression", "stable for 3 months"),  # primary tumour vs whole disease
    ("wang2025_oligoprogression", "Vertebral target rule"),  # overlapping rules, spinous process
])
def test_in_document_conflicts_are_discrepancy_entries(library, study_id, words):
    assert any(words in d.topic for d in library.study(study_id).discrepancies)


def test_wei_2019_orr_from_pan_2024(library):
    arm = next(a for a in library.study("wei2019_neoadjuvant_pvtt").arms if a.id == "neoadjuvant_rt")
    orr = [o for o in arm.outcomes if o.endpoint == "ORR"]
    assert [o.estimate.value for o in orr] == [20.7] and "Pan et al. 2024" in orr[0].location
    assert "4 weeks" in arm.regimen.description


def test_wang_2023_nodal_sbrt_is_a_comparator_for_nodal_disease(library):
    # Yan 2025, Discussion: 148 patients, ORR 81.1%, median OS 22.0 months
    s = library.study("wang2023_sbrt_abdominal_lnm")
    assert s.n == 148 and s.regimen_keys == ["sbrt_nodal"]
    m = match_study(s, derive(Patient.from_dict({"lnm_stations": ["hepatic_hilum"], "ecog": 0})))
    assert m.status == UNCERTAIN and "performance_status" in m.unreported_domains


def test_each_conflict_entry_names_both_places(library):
    # a discrepancy is only useful when a reader can find both sides in the source
    for sid in ("yan2025_lnm", "pan2024_periop_mvi", "luo_oligomet", "wang2025_oligoprogression"):
        for d in library.study(sid).discrepancies:
            assert len(d.values) >= 2 and all(v.location for v in d.values), (sid, d.topic)
            assert d.used and d.why, (sid, d.topic)


def test_primary_studies_hold_thirty_conflict_entries(library):
    # 23 entries before the second reading + 7 listed above
    n = sum(len(library.study(s).discrepancies)
            for s in ("yan2025_lnm", "pan2024_periop_mvi", "luo_oligomet", "wang2025_oligoprogression"))
    assert n == 30


def test_luo_ascites_os_value_is_not_a_chi_square_of_its_p(library):
    model = next(m for m in library.study("luo_oligomet").prognostic_models if m.endpoint == "OS")
    f = next(f for f in model.factors if f.id == "ascites")
    assert chi2_1df_upper_tail(f.statistic) < 0.0001 < float(f.p)  # 21.32 -> ~4e-6, printed 0.007
    assert "unexplained" in f.note
