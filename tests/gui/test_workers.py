"""Background work (the uncertainty bands, the next-data ranking): it starts once the edit is on screen,
a ranking for a patient that has changed is stopped, a failure is told in the summary, and no worker
outlives the window (one still running Python when the interpreter shuts down is ended mid-call:
"Qt Concurrent has caught an exception thrown from a worker thread")."""
from __future__ import annotations

import sys
import time

import pytest

from PySide6.QtCore import QEvent, QObject, QThreadPool
from PySide6.QtWidgets import QApplication

from hccdecide.engine import next_data as next_data_module
from hccdecide.gui.summary_panel import RANKING_FAILED


def _endless_ranking(started: list):
    def rank(_a, stop=None):
        started.append(time.monotonic())
        while not stop():
            time.sleep(0.005)
        raise next_data_module.RankingStopped
    return rank


def test_a_failed_ranking_is_told_in_the_summary(qtbot, window, example_patient, monkeypatch):
    def broken(_a, stop=None):
        raise ValueError("no threshold for this key")
    monkeypatch.setattr(next_data_module, "next_data", broken)
    window.load_case(example_patient.replace(alt_u_l=50))
    qtbot.waitUntil(lambda: window.summary.ready, timeout=10000)
    text = window.summary.text.text()
    assert RANKING_FAILED in text and "ValueError: no threshold for this key" in text
    assert window.summary.glance is not None and window.summary.glance.next_data == ()


def test_a_ranking_for_an_edited_patient_is_stopped(qtbot, window, example_patient, monkeypatch):
    started: list = []
    monkeypatch.setattr(next_data_module, "next_data", _endless_ranking(started))
    window.load_case(example_patient.replace(alt_u_l=50))
    qtbot.waitUntil(lambda: len(started) == 1, timeout=10000)
    monkeypatch.setattr(next_data_module, "next_data", lambda _a, stop=None: ())
    window.controller.set_value("alt_u_l", 20)  # the running ranking is for the patient before
    assert window.summary.wait_for_ranking(5000)  # ends: stopped, and the new one done
    qtbot.waitUntil(lambda: window.summary.ready, timeout=5000)
    assert window.controller.assessment.patient["alt_u_l"] == 20


def test_closing_the_window_stops_and_waits_for_its_workers(qtbot, make_window, example_patient, monkeypatch):
    started: list = []
    monkeypatch.setattr(next_data_module, "next_data", _endless_ranking(started))
    window = make_window()
    window.load_case(example_patient)
    qtbot.waitUntil(lambda: len(started) == 1, timeout=10000)
    pool = window.summary.ranking_pool
    window.controller.mark_saved()
    window.close()
    assert pool.activeThreadCount() == 0
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def test_background_work_starts_after_the_edit_is_painted(qtbot, window):
    window.controller.wait_for_workers(20000)
    window.summary.wait_for_ranking(10000)
    QApplication.processEvents()
    summary, controller = window.summary, window.controller
    old = set(summary.ranking_jobs), set(controller.band_jobs)

    def started() -> tuple[int, int]:
        return len(set(summary.ranking_jobs) - old[0]), len(set(controller.band_jobs) - old[1])

    at_paint: list[tuple[int, int]] = []

    class Paints(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Paint:
                at_paint.append(started())
            return False

    paints = Paints()
    window.installEventFilter(paints)
    controller.set_value("alt_u_l", 52)
    assert started() == (0, 0)  # nothing started during the edit
    QApplication.processEvents()
    window.removeEventFilter(paints)
    assert at_paint and at_paint[0] == (0, 0)  # the view was painted before anything started
    assert started() == (1, 1)  # then the ranking and the bands started


def test_a_window_with_workers_takes_the_interpreter_back_within_a_millisecond(window):
    """A worker running Python holds the interpreter; the GUI thread gets it back at the switch
    interval, 5 ms by default: too long for each hand-over while a value is being typed."""
    from hccdecide.gui.background import GIL_SWITCH_S

    assert GIL_SWITCH_S <= 0.001
    assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_S)
