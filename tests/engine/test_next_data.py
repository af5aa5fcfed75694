"""Next data to enter: every claim is checked by re-assessing the case with each value tried."""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.matching import UNCERTAIN
from hccdecide.engine.next_data import candidate_values, contradicts, next_data
from hccdecide.engine.prognosis import BASELINE
from hccdecide.patient import BOOLEAN, CHOICE, FIELD_BY_KEY, Patient
from hccdecide.paths import cases_dir

CASES = sorted(p.name for p in cases_dir().glob("*.json"))


def _open(a):
    """Uncertain items of a full assessment: study ids and study/model with a stratum range."""
    studies = {m.study.id for m in a.matches if m.status == UNCERTAIN and m.missing}
    models = {f"{c.study.id}/{c.model.id}" for c in a.curves
              if c.stage == BASELINE and c.model.default and c.applicable and len(c.stratum.possible) > 1}
    return studies | models


@pytest.fixture(scope="module", params=CASES)
def case(request):
    a = assess(Patient.from_file(cases_dir() / request.param))
    return a, next_data(a)


def test_each_key_settles_what_it_claims_for_every_value(case):
    a, items = case
    for item in items:
        spec = FIELD_BY_KEY[item.key]
        assert not a.patient.known(item.key) and not spec.identifying
        claimed = set(item.studies) | set(item.risk_models)
        resolved_by_some = set()
        for value in candidate_values(spec, a.library):
            if contradicts(a.patient.replace(**{item.key: value}), item.key):
                continue  # a contradictory value is no answer (its statuses are left uncertain on purpose)
            still_open = _open(assess(a.patient.replace(**{item.key: value})))
            assert not (claimed & still_open), (item.key, value, claimed & still_open)
            resolved_by_some |= _open(a) - still_open
        assert set(item.may_settle) <= resolved_by_some
        assert not claimed & set(item.may_settle)


def test_ranked_by_what_the_clinician_gains(case):
    # regimens decided first (whatever the value, then for some values, the better-ranked regimen first),
    # then studies, then risk groups, then what may be settled
    _, items = case
    keys = [(-len(i.regimens), -len(i.regimens_may_change), i.best_regimen_rank, -len(i.studies),
             -len(i.risk_models), -len(i.may_settle)) for i in items]
    assert keys == sorted(keys)
    assert all(i.settles or i.may_settle for i in items)


def test_each_key_decides_the_regimens_it_claims(case):
    """Re-assessed in full with every value: a claimed regimen, uncertain now, is decided (eligible or
    ineligible) for every value; a "may change" one for some value and not all."""
    a, items = case
    now = {r.info.key: r.status for r in a.regimens}
    for item in items[:4]:
        claimed = set(item.regimens) | set(item.regimens_may_change)
        assert all(now[k] == UNCERTAIN for k in claimed)
        decided = {k: [] for k in claimed}
        for value in candidate_values(FIELD_BY_KEY[item.key], a.library):
            if contradicts(a.patient.replace(**{item.key: value}), item.key):
                continue
            after = {r.info.key: r.status for r in assess(a.patient.replace(**{item.key: value})).regimens}
            for k in claimed:
                decided[k].append(after[k] != UNCERTAIN)
        assert all(all(decided[k]) for k in item.regimens), item.key
        assert all(any(decided[k]) and not all(decided[k]) for k in item.regimens_may_change), item.key


def test_a_key_that_settles_only_a_study_left_uncertain_ranks_below_one_that_decides_a_regimen():
    # Example case without its nodes (nodal disease would exclude listing for transplant): "transplant
    # candidate" settles Lee 2024 and Wong 2021 as far as patient data go, but both stay uncertain (the
    # review reports no performance-status criterion for them) unless the answer is "no"; it once topped
    # the list in 13 of 14 review cases. Keys that decide a regimen ranked higher in the list (adjuvant RT
    # here: "resected" closes it) come first.
    values = dict(Patient.from_file(cases_dir() / "example_nodal_disease.json").values, lnm_present=False)
    for key in ("lnm_stations", "lnm_count", "lnm_volume_cc"):
        values.pop(key, None)
    a = assess(Patient.from_dict(values))
    items = next_data(a)
    keys = [i.key for i in items]
    transplant = items[keys.index("transplant_candidate")]
    assert transplant.regimens_may_change == ("sbrt_bridging",) and not transplant.regimens
    assert keys.index("resected") < keys.index("transplant_candidate")
    assert "adjuvant_rt" in items[keys.index("resected")].regimens_may_change


def test_an_unlisted_yes_no_or_choice_key_settles_nothing(library):
    a = assess(Patient.from_file(cases_dir() / "training_missing_data.json"))
    listed = {i.key for i in next_data(a)}
    before = _open(a)
    assert before, "the case must leave something uncertain for this test to mean anything"
    for spec in FIELD_BY_KEY.values():
        if spec.key in listed or a.patient.known(spec.key) or spec.kind not in (BOOLEAN, CHOICE) \
                or spec.identifying:
            continue
        for value in candidate_values(spec, library):
            assert _open(assess(a.patient.replace(**{spec.key: value}))) >= before, (spec.key, value)


def test_removing_ecog_makes_studies_uncertain_that_ecog_then_settles(library):
    """The example case is decided; without ECOG (and KPS) some statuses wait for it, and ECOG is
    listed as settling exactly those."""
    full = Patient.from_file(cases_dir() / "example_nodal_disease.json")
    before = _open(assess(full))
    a = assess(full.replace(ecog=None, kps=None))
    newly = _open(a) - before
    assert newly, "ECOG must matter to some study for this test to mean anything"
    items = {i.key: i for i in next_data(a)}
    assert candidate_values(FIELD_BY_KEY["ecog"], library) == [0, 1, 2, 3, 4]
    assert set(items["ecog"].studies) | set(items["ecog"].risk_models) == newly


def test_numeric_values_straddle_each_threshold(library):
    values = candidate_values(FIELD_BY_KEY["sum_diameter_cm"], library)
    # RTOG 1112 requires a sum of diameters of 20 cm or less: both sides are tried
    assert any(v <= 20 for v in values) and any(v > 20 for v in values)
    assert min(values) == FIELD_BY_KEY["sum_diameter_cm"].low and max(values) == FIELD_BY_KEY["sum_diameter_cm"].high


def test_a_ranking_asked_to_stop_stops(library, make_patient):
    from hccdecide.engine.assessment import assess, bands_for
    from hccdecide.engine.next_data import RankingStopped, next_data

    a = assess(make_patient(ecog=1), library)
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 3  # the patient changes while the fourth value is being tried
    with pytest.raises(RankingStopped):
        next_data(a, stop=stop)
    assert len(asked) == 4
    assert bands_for(a.curves, stop=lambda: True) is None


def test_no_data_is_asked_for_the_risk_group_of_a_model_that_does_not_apply():
    # Clinical review: a transplant candidate without nodal disease was asked for prothrombin time and ALT,
    # which only settle the Yan 2025 risk group, a model of patients with nodal metastases.
    case = dict(ecog=0, bilirubin_umol_l=40, albumin_g_l=30, inr=1.4, ascites="mild", encephalopathy="none",
                tumour_count=2, largest_diameter_cm=3.5, resectable=False, treatment_naive=True,
                ablation_candidate=False, transplant_candidate=True, vp=0, vv=0, lnm_present=False,
                extrahepatic_spread=False, first_line_therapy="none")
    a = assess(Patient.from_dict(case))
    assert a.match("yan2025_lnm").status != UNCERTAIN  # fails Yan: no nodal metastasis
    keys = {n.key for n in next_data(a)}
    assert not keys & {"pt_s", "pt_prolongation_s", "alt_u_l"}


def test_a_detail_of_a_finding_is_asked_for_only_once_the_finding_is_present():
    """Clinical review: with nodal status not entered, "nodal gross tumour volume" topped the list
    ("settles 7") only because any volume says that nodes exist; the question is whether there are
    nodes. Once they are entered as present, their volume, count and stations can be asked for."""
    half_the_labs = dict(age_years=66, sex="female", ecog=1, bilirubin_umol_l=22, albumin_g_l=33, tumour_count=3,
                         largest_diameter_cm=5.5, vp=1, treatment_naive=True, rt_dose_gy=50, rt_fractions=10)
    keys = [i.key for i in next_data(assess(Patient.from_dict(half_the_labs)))]
    assert "lnm_present" in keys
    assert not {"lnm_volume_cc", "lnm_count", "lnm_stations", "lnm_location_override"} & set(keys)
    example = Patient.from_file(cases_dir() / "example_nodal_disease.json")  # nodes entered as present
    assert example["lnm_present"] is True
    without_volume = {k: v for k, v in example.values.items() if k != "lnm_volume_cc"}
    # the volume is a factor of Yan 2025's OS model (nodal GTV > 60 cc, Table 2): now worth asking for
    assert "lnm_volume_cc" in [i.key for i in next_data(assess(Patient.from_dict(without_volume)))]
