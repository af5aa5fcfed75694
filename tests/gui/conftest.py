"""pytest-qt fixtures: an offscreen Qt, isolated settings and case store, and answered questions.

QT_QPA_PLATFORM is set before anything imports Qt so the suite runs without a screen; the offscreen
platform is given three screens (screens.json): a 1920×1080 desktop (primary), a 1366×768 laptop and
a 1280×720 projector, so tests can put a window on the screens people actually have. The app's own
style sheet is loaded, as the app loads it, and the zoom is reset after every test. Every question
the app would ask (``dialogs.ask``) fails the test unless the test answers it, so no modal dialog can
ever block the run; messages (``dialogs.inform``) are recorded for the test to read.
"""
from __future__ import annotations

import os

from pathlib import Path  # noqa: E402

SCREENS_CONFIG = Path(__file__).with_name("screens.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS_CONFIG}"

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox  # noqa: E402

from hccdecide.gui import dialogs, zoom  # noqa: E402
from hccdecide.gui.app import load_style  # noqa: E402
from hccdecide.gui.main_window import MainWindow  # noqa: E402
from hccdecide.patient import Patient  # noqa: E402
from hccdecide.paths import cases_dir  # noqa: E402
from screen_sizes import screen_sized  # noqa: E402

EXAMPLE = cases_dir() / "example_nodal_disease.json"


@pytest.fixture(autouse=True)
def app_style(qapp):
    """The app's real style sheet, as the app loads it; the zoom back at 1 after each test.

    Windows of earlier tests are deleted first (pytest-qt only schedules their deletion): a style
    sheet set or a zoom step would otherwise re-polish every window the session ever built."""
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    if not qapp.styleSheet():
        load_style(qapp)
    yield
    zoom.reset_application_font()


@pytest.fixture(autouse=True)
def data_dir(data_folder):
    """Every GUI test keeps its case store in a temporary folder, never the user's."""
    return data_folder


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def messages(monkeypatch):
    """Everything the app told the user, as (title, text) pairs."""
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "inform", lambda _parent, title, text, kind="warning": told.append((title, text)))
    return told


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog would wait forever offscreen: fail fast instead, naming what opened."""
    def refuse(what):
        def _refuse(*_args, **_kwargs):
            raise AssertionError(f"a modal {what} opened in a test; patch the function that shows it")
        return _refuse
    monkeypatch.setattr(QDialog, "exec", refuse("dialog"))
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, refuse(f"QFileDialog.{name}"))
    for name in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, refuse(f"QMessageBox.{name}"))


@pytest.fixture(autouse=True)
def no_unanswered_questions(monkeypatch):
    def unexpected(_parent, title, text, _answers):
        raise AssertionError(f"unexpected question: {title}: {text}")
    monkeypatch.setattr(dialogs, "ask", unexpected)


@pytest.fixture
def answer(monkeypatch):
    """answer("discard") makes every question return "discard"; returns the list of questions asked."""
    asked: list[str] = []

    def _set(reply: str) -> list[str]:
        def ask(_parent, title, text, answers):
            assert reply in answers, f"{reply!r} is not one of {answers}"
            asked.append(text)
            return reply
        monkeypatch.setattr(dialogs, "ask", ask)
        return asked
    return _set


@pytest.fixture
def example_patient() -> Patient:
    return Patient.from_file(EXAMPLE)


def _discard_changes(w: MainWindow) -> None:
    w.form.show_patient(w.controller.patient)  # text left invalid by the test is put back
    w.controller.mark_saved()  # qtbot closes the window: no unsaved-changes question then


@pytest.fixture
def make_window(qtbot, library, settings, messages):
    """Build a main window (optionally on a case file), shown offscreen and closed after the test."""
    def _make(case=None) -> MainWindow:
        w = MainWindow(library, settings)
        qtbot.addWidget(w, before_close_func=_discard_changes)
        if case is not None:
            w.open_case_file(case)
        w.show()
        qtbot.waitExposed(w)
        return w
    return _make


@pytest.fixture
def window_on(make_window):
    """window_on((1366, 768)): the main window on the example case, sized as a first launch on that screen."""
    def _on(size, case=EXAMPLE) -> MainWindow:
        w = make_window(case)
        screen = screen_sized(*size)
        w.setScreen(screen)
        w.move(screen.availableGeometry().topLeft())
        w.fit_to_screen()
        QApplication.processEvents()
        return w
    return _on


@pytest.fixture
def window(make_window):
    """The main window on the example case."""
    return make_window(EXAMPLE)


@pytest.fixture
def empty_window(make_window):
    return make_window()
