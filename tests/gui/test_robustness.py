"""The global exception hook and the band worker: errors are shown, the view stays usable."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from hccdecide.gui import app as app_module
from hccdecide.patient import parse_text


class FakeBox:
    shown: list["FakeBox"] = []
    Critical = 3

    def __init__(self, icon, title, text):
        self.title, self.text, self.details = title, text, ""

    def setDetailedText(self, text):  # noqa: N802 - Qt spelling
        self.details = text

    def exec(self):
        FakeBox.shown.append(self)
        return 0


def test_exception_hook_shows_a_readable_message(qapp, monkeypatch, capsys):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(app_module, "QMessageBox", FakeBox)
    FakeBox.shown.clear()
    app_module.install_exception_hook(qapp)
    try:
        raise ValueError("boom in a slot")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    (box,) = FakeBox.shown
    assert box.title == "Unexpected error"
    assert "ValueError: boom in a slot" in box.text and "unchanged" in box.text
    assert "Traceback" in box.details
    assert "boom in a slot" in capsys.readouterr().err


def test_bands_arrive_and_the_busy_indicator_hides(qtbot, window, example_patient):
    window.tabs.setCurrentWidget(window.risk)
    with qtbot.waitSignal(window.controller.bands_started, timeout=5000):
        with qtbot.waitSignal(window.controller.bands_ready, timeout=20000) as blocker:
            window.load_case(example_patient.replace(alt_u_l=20))
            # due while the worker runs (shown if it takes longer than a moment)
            assert window.risk._busy_later.isActive() or window.risk.busy.isVisibleTo(window)
    assert blocker.args[0] and window.controller.bands == blocker.args[0]
    qtbot.waitUntil(lambda: not window.risk.busy.isVisibleTo(window))
    assert not window.risk._busy_later.isActive()  # and does not appear after the bands arrived
    assert "95% band" in window.risk.prediction.text()


def test_the_busy_indicator_shows_when_the_bands_take_a_while(qtbot, window):
    # The case's own bands, still on their way from the worker, would hide the bar when they land:
    # let them land first, so only the job started below is pending.
    assert window.controller.wait_for_workers(20000)  # (they start after the first paint: this starts them)
    qtbot.waitUntil(lambda: bool(window.controller.bands))
    window.tabs.setCurrentWidget(window.risk)
    window.risk.bands_started()  # no bands_ready follows: a slow worker
    assert not window.risk.busy.isVisibleTo(window)  # no flash for bands that arrive at once
    qtbot.waitUntil(lambda: window.risk.busy.isVisibleTo(window), timeout=3000)


def test_a_late_band_for_an_older_patient_is_dropped(qtbot, window, example_patient):
    c = window.controller
    with qtbot.waitSignal(c.bands_ready, timeout=20000):
        window.load_case(example_patient.replace(alt_u_l=20))
        window.load_case(example_patient.replace(alt_u_l=80))  # supersedes the first job
    assert c.assessment.patient["alt_u_l"] == 80
    c.wait_for_workers(10000)
    qtbot.wait(50)  # let any queued result of the first job arrive, and be dropped
    assert c.bands.keys() == set(range(len(c.assessment.curves)))


def type_text(qtbot, widget, text: str) -> None:
    """QTest types ASCII only; other characters go in as key events carrying just their text."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))


@pytest.mark.parametrize("text", ["abc", "1e999", "-5", "12,5,3", "  ", "٣", "NaN"])
def test_odd_text_in_number_fields_never_crashes(qtbot, window, text):
    """A complete entry is either a value in the case or a message in clinical words, never a crash."""
    for key in ("afp_ng_ml", "bilirubin_umol_l", "tumour_count"):
        editor = window.form.editor(key)
        editor.editor.selectAll()
        type_text(qtbot, editor.editor, text)
        qtbot.keyClick(editor.editor, Qt.Key_Return)
        value = window.controller.patient[key]
        if editor.error.isVisibleTo(window):
            assert editor.error.text() and key not in editor.error.text()
            assert value is None or isinstance(value, (int, float))  # the last valid value, kept
        else:
            assert value == parse_text(key, editor.editor.text())
    assert window.controller.assessment.patient == window.controller.patient


def test_the_risk_panel_shows_what_the_model_is_made_of(qtbot, window, example_patient):
    # Yan Table 2 fits eight covariates on 28 deaths; that caveat must sit next to the curve.
    window.tabs.setCurrentWidget(window.risk)
    window.load_case(example_patient)
    text = window.risk.warnings.text()
    assert "About this model" in text and "28 deaths" in text


def test_after_response_estimate_is_shown_beside_the_baseline_one(qtbot, window, example_patient):
    # Yan PFS model: response SD/PD is a post-treatment factor (HR 3.60). Entering it adds an after-
    # response estimate; viewing it shows the before-treatment one of the same model next to it.
    window.tabs.setCurrentWidget(window.risk)
    window.load_case(example_patient.replace(response="SD"))
    box = window.risk.model_box
    titles = [box.itemText(i) for i in range(box.count())]
    after = next(i for i, t in enumerate(titles) if "PFS" in t and "after response" in t)
    box.setCurrentIndex(after)
    text = window.risk.details.text()  # how the estimate was made: below the chart
    assert "Same model before treatment" in text
    a = window.controller.assessment
    c = a.curves[box.currentData()]
    baseline = a.other_stage(c)
    assert baseline.stage == "baseline" and baseline.model.id == c.model.id
    assert c.median < (baseline.median or float("inf"))  # SD/PD shortens predicted PFS
