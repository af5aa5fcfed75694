"""What the app says of a figure is no more (and no less) than its source says.

Clinical review of the app's output: Luo's group sizes were shown as n = 7 / 14 although its own Results
text gives 6 / 15; Lee 2024's ORR read "62.5–78.1%" without saying what separates the two figures;
Juloori 2023, randomised only between two variants of SBRT + immunotherapy, lent that strategy a
randomised level. Expected values are read by hand from the seeds (location in each docstring).
"""
from __future__ import annotations

from functools import lru_cache

from hccdecide.engine.assessment import assess
from hccdecide.engine.levels import evidence_level, level_label
from hccdecide.engine.outcome_text import range_text
from hccdecide.engine.plain_summary import study_level_text
from hccdecide.evidence.schema import Design
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir


@lru_cache(maxsize=None)
def painful_case():
    return assess(Patient.from_file(cases_dir() / "training_painful_liver.json"))


def regimen(key):
    return next(r for r in painful_case().regimens if r.info.key == key)


def test_luo_group_sizes_show_both_counts_with_their_locations(library):
    """Luo, Abstract (Patients and Methods) and Tables 1-2: 7 IMRT alone, 14 IMRT + TACE; Results, Follow-Up
    and Treatment: 15 and 6. Both are shown wherever the groups' figures are, and the conflict is
    recorded with its locations."""
    r = regimen("imrt_tace_oligomet")
    labels = [row.label for row in r.outcomes if row.population_kind == "subgroup" and "TACE" in row.population]
    assert any("IMRT without TACE (n = 7 in the abstract and Tables 1-2, but 6 in Results, Follow-Up and "
               "Treatment" in label for label in labels)
    assert any("given TACE with IMRT (n = 14 in the abstract and Tables 1-2, but 15 in Results, Follow-Up and "
               "Treatment" in label for label in labels)
    sizes = next(d for d in library.study("luo_oligomet").discrepancies if d.topic.startswith("Arm sizes"))
    assert {(v.value, v.location) for v in sizes.values} >= {
        ("14 IMRT + TACE, 7 IMRT alone", "Abstract, Patients and Methods"),
        ("15 IMRT + TACE, 6 IMRT alone", "Results, Follow-Up and Treatment")}


def test_lee_span_says_the_source_does_not_separate_its_ends():
    """Kang 2026, As Bridging Therapy section: a phase II non-randomised trial reported ORRs of 62.5-78.1%
    after SBRT, with nothing said of what separates the two figures. The row says so."""
    row = next(row for row in regimen("sbrt_bridging").outcomes if row.endpoint == "ORR")
    assert row.value_range == (62.5, 78.1)
    assert range_text(row).startswith("62.5–78.1% — Lee 2024: the review prints 62.5% and 78.1% as one span "
                                      "and does not say what separates them")


def test_a_range_across_studies_carries_no_such_note():
    """Adjuvant RT 5-year DFS: Chen 2021 51.6%, Shi 2022 56.1%, Long 2023 56.3% (Kang 2026, Perioperative
    radiotherapy): one figure per study, nothing to separate within a study."""
    row = next(row for row in regimen("adjuvant_rt").outcomes if row.endpoint == "DFS" and row.at_months == 60)
    assert row.value_range == (51.6, 56.3) and row.within_study_notes == ()


def test_juloori_is_a_prospective_series_for_sbrt_plus_immunotherapy(library):
    """Kang 2026, Table 5 and reference 53: phase I trial randomising SBRT followed by nivolumab with or
    without ipilimumab. Both arms are SBRT + checkpoint blockade, so for that strategy there is no
    randomised control: level 3, said in the level and the design text."""
    study = library.study("juloori2023_sbrt_nivo_ipi")
    assert study.design == Design.RANDOMISED_PILOT and study.randomised_within_strategy
    assert evidence_level(study) == 3
    assert "randomised only between variants of the same strategy" in level_label(study)
    assert study_level_text(study) == ("Juloori 2023 — Level 3, randomised pilot (randomised only between variants "
                                       "of the same strategy, so a prospective series for it) —")
    assert regimen("rt_io_dual").best_level == 3


def test_a_trial_randomised_against_another_strategy_keeps_its_level(library):
    """RTOG 1112 randomised SBRT + sorafenib against sorafenib alone (Kang 2026, Table 4): level 1."""
    study = library.study("dawson2025_rtog1112_sbrt_sorafenib")
    assert not study.randomised_within_strategy and evidence_level(study) == 1


def test_a_non_comparative_randomised_trial_is_a_prospective_series_and_its_arms_are_not_compared(library):
    """Hu 2023: 'multicenter, open-label, non-comparative randomized trial' of camrelizumab + apatinib with
    or without SBRT (Kang 2026, text with Table 6). Each arm is judged on its own: level 3, said in the
    level text, and the SBRT arm's median OS of 12.7 months is shown beside the 8.6 months of the other
    arm as randomised but not compared, never as a randomised benefit."""
    from hccdecide.engine.benefit import is_randomised_comparison
    from hccdecide.engine.matching import ELIGIBLE
    from hccdecide.engine.outcome_text import comparator_text
    from hccdecide.engine.regimens import Benefit, comparator_of

    study = library.study("hu2023_sbrt_camrelizumab_apatinib_pvtt")
    assert study.non_comparative and evidence_level(study) == 3
    assert study_level_text(study) == ("Hu 2023 — Level 3, randomised (phase not stated; randomised but not "
                                       "designed to compare its arms, so each arm is a prospective series) —")
    sbrt = next(a for a in study.arms if a.regimen_key == "rt_io_pvtt")
    os_median = next(o for o in sbrt.outcomes if o.endpoint == "OS")
    comparator = comparator_of(study, sbrt, os_median)
    assert comparator.outcome.estimate.value == 8.6 and comparator.randomised and not comparator.compared
    fig = type("Fig", (), {"comparator": comparator})()
    assert comparator_text(fig, "months").endswith("(randomised, the trial not designed to compare the arms)")
    other = next(a for a in study.arms if a is not sbrt)
    assert not is_randomised_comparison(Benefit(study, None, sbrt, other, ELIGIBLE))


def test_the_summary_quotes_both_of_lee_2024s_response_figures():
    """Lee 2024's ORR is printed as one span, 62.5-78.1% (Kang 2026, As Bridging Therapy): the summary
    sentence quoted 62.5% alone."""
    from hccdecide.engine.plain_summary import figure_text, headline

    listed = assess(Patient.from_dict(dict(ecog=0, bilirubin_umol_l=25, albumin_g_l=33, inr=1.2, ascites="none",
                                           encephalopathy="none", tumour_count=2, largest_diameter_cm=3.5,
                                           transplant_candidate=True, vp=0, vv=0, lnm_present=False,
                                           extrahepatic_spread=False)))
    bridging = next(r for r in listed.regimens if r.info.key == "sbrt_bridging")
    h = headline(bridging)
    assert h.lead.study.id == "lee2024_sbrt_transplant"
    assert figure_text(h.row, h.figure).startswith("62.5–78.1% (the review prints 62.5% and 78.1% as one span")
