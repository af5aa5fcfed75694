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
