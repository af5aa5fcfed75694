"""The risk view: outside support and not applicable show no curve; the all-factors sensitivity
option is labelled; the bootstrap build shows its progress."""
from __future__ import annotations

from hccdecide.engine.prognosis import OUTSIDE_SUPPORT


def wait_for_bands(qtbot, window, patient):
    window.tabs.setCurrentWidget(window.risk)
    with qtbot.waitSignal(window.controller.bands_ready, timeout=20000):
        window.load_case(patient)


def test_outside_support_shows_a_bound_and_no_curve(qtbot, window, example_patient):
    # PT 16 s and Child-Pugh B on top of the example's ALT and nodal GTV: all four applied OS factors
    wait_for_bands(qtbot, window, example_patient.replace(pt_s=16.0, bilirubin_umol_l=40, albumin_g_l=30,
                                                          ascites="mild"))
    i, c = window.risk.current_curve()
    assert c.withheld == OUTSIDE_SUPPORT
    text = window.risk.prediction.text()
    assert "No individual estimate" in text and "at most" in text and "Predicted median" not in text
    assert "outside the cohort's support" in window.risk.model_box.currentText()
    ax = window.risk._charts.survival.ax
    assert not any(line.get_label() == "this patient" for line in ax.get_lines())


def test_not_applicable_says_why(qtbot, window, example_patient):
    patient = example_patient.replace(lnm_present=False, lnm_stations=None, lnm_count=None, lnm_volume_cc=None)
    window.tabs.setCurrentWidget(window.risk)
    window.load_case(patient)
    qtbot.waitUntil(lambda: window.risk.current_curve() is not None)
    box = window.risk.model_box
    box.setCurrentIndex(next(i for i in range(box.count()) if box.itemText(i).startswith("Yan 2025 · OS · Multi")))
    _, c = window.risk.current_curve()
    assert c.study.id == "yan2025_lnm" and not c.applicable
    assert "not applicable" in box.currentText()
    assert "not applicable" in window.risk.stratum.text()
    assert "Not applicable" in window.risk.prediction.text()


def test_every_factor_option_is_labelled_and_reversible(qtbot, window, example_patient):
    wait_for_bands(qtbot, window, example_patient)
    default = window.risk.prediction.text()
    window.risk.apply_all.setChecked(True)
    assert "every factor is applied" in window.risk.warnings.text()
    assert window.risk.prediction.text() != default
    window.risk.apply_all.setChecked(False)
    assert window.risk.prediction.text() == default


def test_progress_bar_counts_refits(qtbot, window):
    window.tabs.setCurrentWidget(window.risk)
    window.risk.bands_progress(120, 500)
    assert window.risk.busy.isVisibleTo(window)
    assert (window.risk.busy.value(), window.risk.busy.maximum()) == (120, 500)
    assert "once" in window.risk.busy.format()


CHILD_PUGH_B_ONLY = dict(bilirubin_umol_l=40, albumin_g_l=30, inr=1.0, ascites="mild", encephalopathy="none",
                         alt_u_l=None, lnm_volume_cc=None, pt_s=None)


def select_yan_os(window):
    box = window.risk.model_box
    box.setCurrentIndex(next(i for i in range(box.count()) if box.itemText(i).startswith("Yan 2025 · OS · Multi")))
    return window.risk.current_curve()[1]


def test_subgroup_flag_and_the_published_cohort_median(qtbot, window, example_patient):
    # Child-Pugh B (score 8) with the other applied factors unknown: the published Child-Pugh B subgroup
    # had a median OS of 10.0 months, 95% CI 9.1-10.9 (Results, Prognostic factors of OS; Fig. 4G)
    wait_for_bands(qtbot, window, example_patient.replace(**CHILD_PUGH_B_ONLY))
    c = select_yan_os(window)
    assert c.shown and c.median > 10.9
    text = window.risk.prediction.text()
    assert "⚑ Published subgroup Child-Pugh class B: median 10 months, 95% CI 9.1–10.9" in text
    assert "more optimistic" in text
    # the cohort's own median OS 26.0 months (95% CI 10.7-41.3), Results, Tumor response and survival
    assert "Study cohort, published: median OS 26 months (95% CI 10.7–41.3)" in text


def test_outside_support_gives_no_stratum(qtbot, window, example_patient):
    wait_for_bands(qtbot, window, example_patient.replace(pt_s=16.0, bilirubin_umol_l=40, albumin_g_l=30,
                                                          ascites="mild"))
    c = select_yan_os(window)
    assert c.withheld == OUTSIDE_SUPPORT
    assert "not given" in window.risk.stratum.text() and "HIGH" not in window.risk.stratum.text()
