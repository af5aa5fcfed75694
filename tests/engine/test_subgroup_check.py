"""The individual median beside the published subgroup medians of the patient's levels, and the
cohort's own published median beside the cohort-average estimate. Published figures are read from
the seed by hand (Yan et al. 2025, Results, Prognostic factors of OS / PFS; Tumor response and
survival analyses)."""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.engine.bound import SubgroupFigure
from hccdecide.engine.derive import derive
from hccdecide.engine.prognosis import estimate_curve
from hccdecide.engine.serialize import assessment_json
from hccdecide.engine.subgroup_check import INSIDE, NOT_CHECKED, OUTSIDE, check
from hccdecide.patient import Patient

LIVER_B = dict(bilirubin_umol_l=40, albumin_g_l=30, inr=1.0, ascites="mild", encephalopathy="none")


@pytest.fixture(scope="module")
def yan(library):
    return library.study("yan2025_lnm")


def curve(study, model_id, **values):
    m = next(x for x in study.prognostic_models if x.id == model_id)
    return estimate_curve(study, m, derive(Patient.from_dict(values)).facts)


def the_check(c, factor):
    return next(k for k in c.subgroup_checks if k.figure.factor == factor)


@pytest.mark.parametrize("model_id, values, factor, level, published, ci", [
    # Child-Pugh B: median OS 10.0 months (95% CI 9.1-10.9), Fig. 4G
    ("yan_os_table2", LIVER_B, "Child-Pugh class", "B", 10.0, (9.1, 10.9)),
    # PT above 14.5 s: median OS 10.0 months (95% CI 6.9-13.1), Fig. 4F
    ("yan_os_table2", dict(pt_s=16), "Prothrombin time", "above 14.5 s", 10.0, (6.9, 13.1)),
])
def test_a_single_factor_estimate_is_flagged_against_the_published_subgroup(yan, model_id, values, factor, level,
                                                                             published, ci):
    c = curve(yan, model_id, **values)
    assert c.shown
    k = the_check(c, factor)
    assert (k.figure.level, k.figure.median_months, k.figure.ci) == (level, published, ci)
    assert k.individual_median == c.median
    # the clinical review: these individual medians (14.4 and 20.0 months) are above the CI
    assert c.median is None or c.median > ci[1]
    assert k.verdict == OUTSIDE and k.outside is True and k.direction == "more optimistic"
    assert k.flag and k.explained_by == ()  # no other factor of the patient is at its favourable level
    assert "outside the published CI" in k.text


def test_a_gap_the_patients_other_factors_explain_is_not_flagged(yan):
    # Child-Pugh B with two nodes at the hilum: worse than the published "multiple nodes" subgroup
    # (median OS 22.0, 95% CI 15.8-28.2, Fig. 4B), as Child-Pugh B (HR 5.28) implies
    c = curve(yan, "yan_os_table2", **LIVER_B, lnm_present=True, lnm_count=2, lnm_stations=["hepatic_hilum"])
    k = the_check(c, "Number of involved nodes")
    assert (k.figure.median_months, k.figure.ci) == (22.0, (15.8, 28.2))
    assert c.median < 15.8 and k.outside and k.direction == "more pessimistic"
    assert k.explained_by == ("Child-Pugh B",) and not k.flag
    assert the_check(c, "Child-Pugh class").flag  # the Child-Pugh B gap itself is still flagged


def figure(median, ci=None, reached=True):
    return SubgroupFigure("ALT", "35 U/L or less", median, reached, ci, "0.012", "Fig. 4E")


@pytest.mark.parametrize("median, ci, individual, verdict", [
    (10.0, (9.1, 10.9), 10.5, INSIDE),
    (10.0, (9.1, 10.9), 9.0, OUTSIDE),  # below the CI: more pessimistic
    (43.0, None, 30.0, OUTSIDE),  # no CI: |30 - 43| = 13 > 43 / 4 = 10.75
    (43.0, None, 33.0, INSIDE),  # |33 - 43| = 10 <= 10.75
    (43.0, None, None, NOT_CHECKED),  # beyond 36 months: could be 43 (36 < 43 x 1.25)
    (10.0, (6.9, 13.1), None, OUTSIDE),  # beyond 36 months, the whole CI below 36
    (None, None, 20.0, NOT_CHECKED),  # published median not reached: nothing to compare
])
def test_the_rule_worked_by_hand(median, ci, individual, verdict):
    k = check(figure(median, ci, reached=median is not None), individual, 36.0)
    assert k.verdict == verdict
    if verdict == OUTSIDE:
        assert k.direction == ("more pessimistic" if individual is not None and individual < median else "more optimistic")


def test_the_cohort_average_estimate_carries_the_published_cohort_median(yan):
    # Results, Tumor response and survival analyses: median OS 26.0 (10.7-41.3), PFS 17.0 (4.4-29.6)
    os_, pfs = curve(yan, "yan_os_table2"), curve(yan, "yan_pfs_table2")
    assert (os_.published_median.months, os_.published_median.ci) == (26.0, (10.7, 41.3))
    assert (pfs.published_median.months, pfs.published_median.ci) == (17.0, (4.4, 29.6))
    assert os_.median == pytest.approx(26.0, abs=0.25)  # the cohort average passes through it
    assert "26 months (95% CI 10.7–41.3)" in os_.published_median.text("OS")


def risk_rows(values):
    a = assess(Patient.from_dict(values))
    data = assessment_json(a, bands_for(a.curves))
    return {r["model"]: r for r in data["risk"] if r["model_type"] == "multivariable_cox" and r["stage"] == "baseline"}


def test_json_subgroup_check_and_published_cohort_median():
    os_ = risk_rows(dict(LIVER_B, lnm_present=True, lnm_count=2, lnm_stations=["hepatic_hilum"]))["yan_os_table2"]
    row = next(r for r in os_["subgroup_check"] if r["factor"] == "Child-Pugh class")
    assert row["published_median_months"] == 10.0 and row["published_ci"] == [9.1, 10.9]
    assert row["individual_median_months"] == pytest.approx(os_["predicted"]["median_months"], abs=0.05)
    assert row["outside"] is (not 9.1 <= os_["predicted"]["median_months"] <= 10.9)
    assert row["verdict"] in {"inside", "outside"} and row["rule"]
    assert row["flag"] is (row["outside"] and not row["explained_by"])
    assert os_["published_cohort_median"]["median_months"] == 26.0
    assert os_["published_cohort_median"]["ci"] == [10.7, 41.3]


def test_json_withheld_estimate_has_no_stratum_and_no_check():
    # no nodal metastasis: outside Yan's population (inclusion 3)
    os_ = risk_rows(dict(lnm_present=False, **LIVER_B))["yan_os_table2"]
    assert os_["withheld"] == "not_applicable"
    for key in ("stratum", "possible_strata", "stratum_rule", "stratum_cutpoints", "stratum_shares",
                "stratum_factors_present", "stratum_factors_unknown"):
        assert os_[key] is None, key
    assert os_["subgroup_check"] == []
    # outside the cohort's support (ALT, PT, Child-Pugh B and large nodes): withheld as well
    far = risk_rows(dict(LIVER_B, lnm_present=True, lnm_count=2, lnm_stations=["hepatic_hilum"], alt_u_l=50,
                         pt_s=16, lnm_volume_cc=80))["yan_os_table2"]
    assert far["withheld"] == "outside_support" and far["stratum"] is None and far["stratum_cutpoints"] is None


def test_non_regional_nodes_pfs_against_the_published_subgroup(yan):
    # median PFS 7.0 months (95% CI 4.6-9.4) with non-regional nodes (Fig. 5A)
    unknown_m = curve(yan, "yan_pfs_table2", lnm_present=True, lnm_stations=["mediastinal"])
    k = the_check(unknown_m, "Nodal location")
    assert (k.figure.level, k.figure.median_months, k.figure.ci) == ("non-regional", 7.0, (4.6, 9.4))
    assert (k.verdict == INSIDE) is (4.6 <= unknown_m.median <= 9.4)
    # without organ metastasis (M0, HR 2.75 for M1 not applied to this patient) the estimate is longer
    # than the subgroup's median, which mixes in the M1 patients: outside, explained, not flagged
    m0 = curve(yan, "yan_pfs_table2", lnm_present=True, lnm_stations=["mediastinal"], extrahepatic_spread=False)
    k = the_check(m0, "Nodal location")
    assert m0.median > 9.4 and k.outside and k.direction == "more optimistic"
    assert k.explained_by == ("M0",) and not k.flag
