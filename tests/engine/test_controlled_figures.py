"""A figure from a comparative study is shown with its comparison arm's figure, and a randomised result
is offered as a randomised comparison.

Clinical review of the app's output: CCTG HE1's randomised pain result was quoted as the RT arm's rate
alone, without saying that only about a third of its patients had HCC; the adjuvant RT trials showed
their RT arms' survival without the resection-alone arms they were compared with. Every expected value
below is read by hand from the Kang 2026 review (seed 003).
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.benefit import absolute_benefit
from hccdecide.engine.outcome_text import effect_text, figure_value_text
from hccdecide.engine.plain_summary import regimen_sentence
from hccdecide.engine.serialize import assessment_json
from hccdecide.engine.summary import summary_text
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir

CCTG = "cctg_he1_palliative"


@lru_cache(maxsize=None)
def painful_case():
    return assess(Patient.from_file(cases_dir() / "training_painful_liver.json"))


def regimen(a, key):
    """A regimen's result; its outcome rows list every study's figures, whatever the patient's fit."""
    return next(r for r in a.regimens if r.info.key == key)


def figure(r, study_id, endpoint, at_months=None):
    return next(f for row in r.outcomes for f in row.figures
                if f.study.id == study_id and row.endpoint == endpoint and row.at_months == at_months
                and row.population_kind == "whole")


def test_cctg_pain_result_is_a_randomised_comparison_with_its_control(library):
    """Kang 2026, Palliative RT for primary HCC section: one 8 Gy fraction + BSC vs BSC alone, pain response
    (>= 2-point fall in worst pain) at one month 67% vs 22% of evaluable patients, p = 0.0042; 67 - 22 = 45
    percentage points. Not a hazard ratio, so no survival difference is derived from it."""
    study = library.study(CCTG)
    pain = next(c for c in study.comparisons if c.endpoint == "PAIN_RESPONSE")
    assert (pain.experimental, pain.control, pain.measure, pain.p) == ("rt_bsc", "bsc", "difference", "0.0042")
    assert pain.estimate.value == 45
    assert effect_text(pain) == "difference +45 percentage points"
    benefit = next(b for b in regimen(painful_case(), "palliative_rt").benefits if b.comparison == pain)
    assert benefit.control.label == "Best supportive care alone"
    assert "not reported as a hazard ratio" in absolute_benefit(benefit).reason


def test_cctg_figures_say_the_population_was_mostly_not_hcc():
    """Kang 2026, same section: painful hepatic cancer, of whom 35% had HCC. The study's name carries it,
    so every place that quotes one of its figures says it."""
    r = regimen(painful_case(), "palliative_rt")
    text = regimen_sentence(r)
    assert ("CCTG HE1 (Dawson 2024; only 35% had HCC) — Level 1, randomised phase III — reports pain response, "
            "1-month: 67% vs 22% with best supportive care alone (randomised, p = 0.0042)") in text


def test_cctg_pain_figure_carries_its_control_in_text_and_json():
    a = painful_case()
    r = regimen(a, "palliative_rt")
    fig = figure(r, CCTG, "PAIN_RESPONSE", 1)
    assert figure_value_text(fig, "%") == "67% vs 22% with best supportive care alone (randomised, p = 0.0042)"
    assert "CCTG HE1 (Dawson 2024; only 35% had HCC): 67% vs 22% with best supportive care alone (randomised, p = 0.0042)" \
        in summary_text(a)
    rows = next(x for x in assessment_json(a)["regimens"] if x["key"] == "palliative_rt")["outcomes"]
    pain = next(f for row in rows for f in row["figures"] if f["study"] == CCTG and row["endpoint"] == "PAIN_RESPONSE")
    assert pain["value"] == 67 and pain["comparator"]["value"] == 22
    assert pain["comparator"]["randomised"] is True
    assert "Palliative RT for primary HCC section" in pain["comparator"]["location"]


@pytest.mark.parametrize("study_id, endpoint, at_months, shown", [
    # Kang 2026, Perioperative radiotherapy, Postoperative radiotherapy: Shi 2022 5-year DFS 56.1% with SBRT
    # vs 26.3% after resection alone (randomised)
    ("shi2022_adjuvant_sbrt_mvi", "DFS", 60, "56.1% vs 26.3% with resection alone (randomised, p = 0.005)"),
    # same paragraph: Long 2023, propensity-matched, 5-year DFS 56.3% vs 31.6%, OS 74.7% vs 63.6%
    ("long2023_adjuvant_psm", "DFS", 60,
     "56.3% vs 31.6% with narrow-margin hepatectomy alone (matched) (not randomised, p = 0.001)"),
    ("long2023_adjuvant_psm", "OS", 60,
     "74.7% vs 63.6% with narrow-margin hepatectomy alone (matched) (not randomised, p = 0.045)"),
    # same paragraph: Yu 2014, 5-year RFS 36.9% vs 16.0% (randomised)
    ("yu2014_adjuvant_central", "RFS", 60, "36.9% vs 16% with hepatectomy alone (randomised, p = 0.03)"),
    # same paragraph: Sun 2019, median OS 18.9 vs 10.8 months, 1-year OS 76.9% vs 26.9% (randomised)
    ("sun2019_adjuvant_pvtt", "OS", 12, "76.9% vs 26.9% with hepatectomy alone (randomised, p = 0.005)"),
])
def test_adjuvant_rt_figures_carry_their_comparison_arm(study_id, endpoint, at_months, shown):
    fig = figure(regimen(painful_case(), "adjuvant_rt"), study_id, endpoint, at_months)
    assert figure_value_text(fig, "%") == shown


def test_sun_median_carries_its_control_and_a_single_arm_study_has_none():
    """Sun 2019 median OS 18.9 vs 10.8 months; Chen 2021 (single-arm phase II, 5-year OS 72.2%) has no
    comparison arm, so its figure stands alone."""
    r = regimen(painful_case(), "adjuvant_rt")
    sun = figure(r, "sun2019_adjuvant_pvtt", "OS")
    assert figure_value_text(sun, "months") == "18.9 months vs 10.8 months with hepatectomy alone (randomised, called significant, no p printed)"
    chen = figure(r, "chen2021_adjuvant_narrow_margin", "OS", 60)
    assert chen.comparator is None and figure_value_text(chen, "%") == "72.2%"


def test_a_difference_the_source_calls_not_significant_says_so_beside_its_comparator(library):
    """Chen 2025 (Kang 2026, Table 2): median OS 47.1 vs 36.8 months, not significant; PFS 15.4 vs 11.6
    months, p = 0.072 (a trend). A bare 'vs' would read as a benefit."""
    from hccdecide.engine.regimens import comparator_of

    study = library.study("chen2025_tace_ebrt")
    arm = next(a for a in study.arms if a.regimen_key == "tace_rt")
    tests = {o.endpoint: comparator_of(study, arm, o).test for o in arm.outcomes}
    assert tests == {"LC": "p < 0.001", "PFS": "p = 0.072", "OS": "not significant"}
    guo = library.study("guo2022_rt_tace_pvtt")  # OS by HR p = 0.054, from its comparison record
    first = next(a for a in guo.arms if any(o.estimate.value == 15.4 for o in a.outcomes))
    os_median = next(o for o in first.outcomes if o.endpoint == "OS")
    assert comparator_of(guo, first, os_median).test == "HR p = 0.054"


def test_a_range_of_one_study_is_not_called_a_range_and_left_out_figures_are_counted():
    """Re-review: '72.5% — no eligible study: range from studies whose fit is uncertain (4 figures)'
    named a range for one figure and counted figures it did not span."""
    from hccdecide.engine.summary import summary_text

    a = assess(Patient.from_dict(dict(ecog=1, bilirubin_umol_l=38, albumin_g_l=30, inr=1.35, ascites="mild",
                                      encephalopathy="none", tumour_count=2, largest_diameter_cm=8.5, vp=3,
                                      vv=0, resectable=False, treatment_naive=True, lnm_present=False,
                                      extrahepatic_spread=False)))
    text = summary_text(a)
    assert "range from studies whose fit is uncertain (4 figures)" not in text
    assert "from the one study whose fit is uncertain (" in text and "other figures listed)" in text
