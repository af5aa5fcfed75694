"""Absolute benefit from a randomised HR and the control arm's published figures, worked by hand."""
from __future__ import annotations

import math

import pytest

from hccdecide.engine.benefit import absolute_benefit, control_survival, difference_text
from hccdecide.engine.icon_array import ADDED, ADDED_RANGE, ALIVE, NOT_ALIVE, benefit_icons
from hccdecide.engine.matching import ELIGIBLE
from hccdecide.engine.regimens import Benefit

RTOG = "dawson2025_rtog1112_sbrt_sorafenib"


def rtog_benefit(library, endpoint, **estimate):
    study = library.study(RTOG)
    comp = next(c for c in study.comparisons if c.endpoint == endpoint)
    if estimate:
        comp = comp.model_copy(update={"estimate": comp.estimate.model_copy(update=estimate)})
    arms = {a.id: a for a in study.arms}
    return Benefit(study, comp, arms[comp.experimental], arms[comp.control], ELIGIBLE)


def test_rtog1112_overall_survival_by_hand(library):
    """Kang 2026, Table 4: control (sorafenib) median OS 12.3 months, HR 0.72, no CI printed.
    Exponential through the median: S_c(t) = 2^(-t/12.3).
      1 year: S_c = 2^(-0.97561) = 0.50852; S_e = 0.50852^0.72 = 0.61453; difference +10.60 pp
      2 years: S_c = 2^(-1.95122) = 0.25860; S_e = 0.25860^0.72 = 0.37765; difference +11.91 pp
    """
    ab = absolute_benefit(rtog_benefit(library, "OS"))
    one, two = ab.differences
    assert (one.months, two.months) == (12, 24)
    assert one.control == pytest.approx(0.50852, abs=5e-5) and one.experimental == pytest.approx(0.61453, abs=5e-5)
    assert one.difference_pp == pytest.approx(10.60, abs=0.01)
    assert two.control == pytest.approx(0.25860, abs=5e-5) and two.experimental == pytest.approx(0.37765, abs=5e-5)
    assert two.difference_pp == pytest.approx(11.91, abs=0.01)
    assert one.interval_pp is None and "no CI printed" in difference_text(one)
    assert not one.extrapolated and two.extrapolated  # 24 months lies past the 12.3-month median
    assert "derived" in difference_text(two) and "extrapolated" in difference_text(two)


def test_rtog1112_progression_free_by_hand(library):
    """Control median PFS 5.5 months, HR 0.55: 1 year S_c = 2^(-12/5.5) = 0.22040, S_e = 0.43528
    (+21.49 pp). 2 years lies beyond three times the median (16.5 months): not derived."""
    (one,) = absolute_benefit(rtog_benefit(library, "PFS")).differences
    assert one.months == 12 and one.difference_pp == pytest.approx(21.49, abs=0.01)


def test_hr_ci_is_carried_through(library):
    """With a CI of 0.5–1.0 on the OS HR: at 1 year S_c = 0.50852, S_c^1.0 − S_c = 0 and
    S_c^0.5 − S_c = 0.71311 − 0.50852 = +20.46 pp."""
    ab = absolute_benefit(rtog_benefit(library, "OS", ci=[0.5, 1.0]))
    lo, hi = ab.differences[0].interval_pp
    assert lo == pytest.approx(0.0, abs=1e-9) and hi == pytest.approx(20.46, abs=0.01)
    assert lo <= ab.differences[0].difference_pp <= hi


def test_no_control_figure_gives_the_hr_alone_with_the_reason(library):
    ab = absolute_benefit(rtog_benefit(library, "TTP"))  # Table 4 prints no TTP medians
    assert not ab.derived and ab.hr == 0.69
    assert "no median or landmark for the control arm" in ab.reason


def test_control_curve_passes_through_published_points():
    points = ((6.0, 0.7), (12.0, 0.5), (24.0, 0.3))
    for t, s in points:
        assert float(control_survival(points, t)) == pytest.approx(s)
    # piecewise exponential: halfway between 12 and 24 months the cumulative hazard is the mean
    mid = -(math.log(0.5) + math.log(0.3)) / 2
    assert float(control_survival(points, 18.0)) == pytest.approx(math.exp(-mid))


def test_too_far_beyond_the_last_control_figure_is_not_derived(library):
    study = library.study("cctg_he1_palliative")  # control OS only at 3 months
    # its HR (p 0.068) is not significant; made significant here so that only the horizon rule speaks
    comp = next(c for c in study.comparisons if c.endpoint == "OS").model_copy(update={"p": "0.01"})
    arms = {a.id: a for a in study.arms}
    ab = absolute_benefit(Benefit(study, comp, arms[comp.experimental], arms[comp.control], ELIGIBLE))
    assert not ab.derived and "end at 3 months" in ab.reason


def test_benefit_icons_count_control_and_added_survivors(library):
    """2 years: 26 of 100 alive with sorafenib alone (25.86), 38 with SBRT first (37.77): 12 added."""
    icons = benefit_icons(absolute_benefit(rtog_benefit(library, "OS")))
    assert (icons.count(ALIVE), icons.count(ADDED), icons.count(ADDED_RANGE), icons.count(NOT_ALIVE)) == (26, 12, 0, 62)
    assert "about 26" in icons.sentence and "about 38" in icons.sentence


def test_icons_of_an_hr_without_a_ci_say_that_their_uncertainty_cannot_be_shown(library):
    """RTOG 1112 prints OS HR 0.72, p = 0.04 and no CI (Kang 2026, Table 4): the 12 added icons are a
    point estimate, and the sentence and legend say so; with a CI the range is drawn instead."""
    icons = benefit_icons(absolute_benefit(rtog_benefit(library, "OS")))
    assert "no CI for the HR (HR 0.72, p = 0.04)" in icons.sentence
    assert "12 additional patients are cannot be shown" in icons.sentence
    assert "no CI in the source" in icons.labels[ADDED]
    with_ci = benefit_icons(absolute_benefit(rtog_benefit(library, "OS", ci=[0.5, 1.0])))
    assert "no CI" not in with_ci.sentence + with_ci.labels[ADDED]


def test_the_extrapolated_two_year_figure_says_so_in_the_icons(library):
    """RTOG 1112's only control OS figure is the 12.3-month median: 2 years lies past it (extrapolated),
    1 year does not. The icon sentence, title and legend carry the mark wherever they are drawn."""
    ab = absolute_benefit(rtog_benefit(library, "OS"))
    two, one = benefit_icons(ab, 24), benefit_icons(ab, 12)
    assert "The 2-year figure is extrapolated" in two.sentence and "published figure is at 12.3 months" in two.sentence
    assert two.title.endswith("extrapolated") and "extrapolated" in two.labels[ADDED]
    assert "extrapolated" not in one.sentence + one.title + one.labels[ADDED]


def test_benefit_icons_show_the_ci_as_a_range(library):
    """CI 0.5–1.0: 2-year S_c = 0.2586 → 26; S_c^0.5 = 0.5085 → 51; S_c^1.0 → 26: 25 icons in range."""
    icons = benefit_icons(absolute_benefit(rtog_benefit(library, "OS", ci=[0.5, 1.0])))
    assert icons.count(ALIVE) == 26 and icons.count(ADDED) == 0 and icons.count(ADDED_RANGE) == 25
    assert sum(n for _, n in icons.counts) == 100


def _benefit(library, study_id, endpoint):
    study = library.study(study_id)
    comp = next(c for c in study.comparisons if c.endpoint == endpoint)
    arms = {a.id: a for a in study.arms}
    return Benefit(study, comp, arms[comp.experimental], arms[comp.control], ELIGIBLE)


def test_a_non_significant_randomised_hr_gives_no_absolute_difference(library):
    """Guo 2022 (Kang 2026, Table 3): RT first vs TACE first, OS HR 0.68, p = 0.054 (the review calls the
    gain marginal). Through the control median of 11.5 months it would read +12.6 points at 1 year; a
    non-significant HR does not support that, so only the HR is shown, with the reason."""
    ab = absolute_benefit(_benefit(library, "guo2022_rt_tace_pvtt", "OS"))
    assert not ab.derived and ab.hr == 0.68
    assert "not statistically significant" in ab.reason and "p = 0.054" in ab.reason


def test_a_significant_randomised_hr_is_derived_by_hand(library):
    """Guo 2022 PFS: HR 0.66, p = 0.030, control (TACE first) median 4.2 months.
    S_c(12) = 2^(-12/4.2) = 0.13803; S_e = 0.13803^0.66 = 0.27065; +13.26 points. 24 months lies past
    3 x 4.2 = 12.6 months: not derived."""
    (one,) = absolute_benefit(_benefit(library, "guo2022_rt_tace_pvtt", "PFS")).differences
    assert one.control == pytest.approx(0.13803, abs=5e-5)
    assert one.experimental == pytest.approx(0.27065, abs=5e-5)
    assert one.difference_pp == pytest.approx(13.26, abs=0.01)


@pytest.mark.parametrize("study_id, endpoint, words", [
    ("tao2023_neoadjuvant_central", "RFS", "not between randomised arms"),        # retrospective
    ("komiyama2025_sbrt_tace_meta", "LC", "meta-analysis not limited to randomised"),
    ("cctg_he1_palliative", "OS", "not statistically significant"),              # p 0.068, CI 0.30-1.05
    ("feray2023_tacerte", "PFS", "neither a p value nor a CI"),
])
def test_only_supported_comparisons_are_derived(library, study_id, endpoint, words):
    ab = absolute_benefit(_benefit(library, study_id, endpoint))
    assert not ab.derived and words in ab.reason


@pytest.mark.parametrize("p, ci, expected", [
    ("0.04", None, True), ("0.054", None, False), ("<0.001", None, True), ("< 0.05", None, True),
    ("NS", (0.5, 0.9), False), (None, (0.3, 1.05), False), (None, (0.09, 0.67), True),
    (None, (1.2, 2.0), True), (None, None, None), ("n.a.", None, None),
])
def test_significance_reads_p_first_then_the_ci(p, ci, expected):
    from hccdecide.engine.benefit import significant
    assert significant(p, ci) is expected


def test_icons_name_the_complement_of_the_endpoint_in_plain_words(library):
    """PFS: the icons outside "alive without progression" are patients who progressed or died."""
    pfs = benefit_icons(absolute_benefit(rtog_benefit(library, "PFS")), 12)
    assert pfs.labels[NOT_ALIVE] == "progressed or died"
    assert benefit_icons(absolute_benefit(rtog_benefit(library, "OS"))).labels[NOT_ALIVE] == "not alive"
