"""At launch the window paints first (form filled from the case) and assesses right after."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hccdecide.gui.app import ASSESSING, create_window
from hccdecide.gui.main_window import MainWindow
from hccdecide.patient import Patient

from conftest import EXAMPLE, _discard_changes

ROOT = Path(__file__).resolve().parents[2]


def launch(qtbot, case, settings):
    window = create_window(case, settings, open_after_paint=True)
    qtbot.addWidget(window, before_close_func=_discard_changes)
    return window


def test_the_form_shows_the_case_before_the_first_assessment(qtbot, settings):
    window = launch(qtbot, str(EXAMPLE), settings)
    example = Patient.from_file(EXAMPLE)
    assert window.controller.assessment is None  # nothing assessed before the window is painted
    assert window.form.editor("afp_ng_ml").editor.text() == f"{example['afp_ng_ml']:g}"
    window.show()
    qtbot.waitUntil(lambda: window.controller.assessment is not None, timeout=10000)
    assert window.controller.patient == example and window.controller.path == EXAMPLE
    assert window.results.regimen_list.topLevelItemCount() > 0  # the regimen list is filled
    assert not window.controller.dirty


def test_a_bad_case_at_launch_is_told_after_the_paint_and_the_empty_form_is_assessed(
        qtbot, settings, tmp_path, messages):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"ecog": 9}), encoding="utf-8")
    window = launch(qtbot, str(bad), settings)
    window.show()
    qtbot.waitUntil(lambda: window.controller.assessment is not None, timeout=10000)
    assert "bad.json" in messages[-1][1] and "ecog" in messages[-1][1]
    assert window.controller.patient == Patient()


def test_a_launch_without_a_case_is_assessed_after_the_paint(qtbot, settings):
    window = launch(qtbot, None, settings)
    assert window.controller.assessment is None
    window.show()
    qtbot.waitUntil(lambda: window.controller.assessment is not None, timeout=10000)


# Builds the window as a launch does and lists, at the first paint of any widget, which of the heavy
# libraries are loaded (in a fresh process: the test session has loaded them all already).
PAINT_PROBE = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication
from hccdecide.gui.app import create_window, load_style

HEAVY = ("numpy", "pandas", "pydantic", "matplotlib", "lifelines", "scipy", "reportlab")
class FirstPaint(QObject):
    loaded = None
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint and self.loaded is None:
            self.loaded = [m for m in HEAVY if m in sys.modules]
        return False
app = QApplication(sys.argv[:1])
window = create_window(sys.argv[1], QSettings(sys.argv[2], QSettings.IniFormat), open_after_paint=True)
load_style(app)
probe = FirstPaint()
app.installEventFilter(probe)
window.show()
while probe.loaded is None:
    app.processEvents()
app.removeEventFilter(probe)
painted_text = window.summary.text.text()
while window.controller.assessment is None:
    app.processEvents()
print(json.dumps({"at_paint": probe.loaded, "painted_text": painted_text,
                  "after": [m for m in HEAVY if m in sys.modules], "evidence": window.evidence_label.text()}))
window.controller.mark_saved()
window.controller.wait_for_workers(60000)
"""


def test_nothing_heavy_is_imported_before_the_first_paint(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HCCDECIDE_DATA_DIR=str(tmp_path / "data"))
    run = subprocess.run([sys.executable, "-c", PAINT_PROBE, str(EXAMPLE), str(tmp_path / "settings.ini")],
                         env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["at_paint"] == []  # the engine, evidence schema and charts load after the paint
    assert seen["painted_text"] == ASSESSING  # what the summary says for that instant
    assert {"numpy", "pydantic"} <= set(seen["after"])  # the probe can see them: they load for the assessment
    assert seen["evidence"].startswith("Evidence ") and "studies · digest" in seen["evidence"]


def test_the_library_is_loaded_when_first_needed_by_a_window_built_without_it(qtbot, settings):
    window = MainWindow(None, settings, assess_now=False)
    qtbot.addWidget(window, before_close_func=_discard_changes)
    assert window.evidence_label.text() == "Evidence library loading…"
    lib = window.library
    assert window.controller.library is lib and f"{len(lib.studies)} studies" in window.evidence_label.text()


def test_a_faulty_data_file_found_after_the_paint_stops_the_app_with_a_named_message(qtbot, settings, monkeypatch):
    from hccdecide.errors import EvidenceError
    from hccdecide.gui import app as app_module

    window = launch(qtbot, str(EXAMPLE), settings)
    shown, exits = [], []

    def faulty():
        raise EvidenceError("_library.yaml", "version", "must be text")

    monkeypatch.setattr(type(window), "library", property(lambda _w: faulty()))
    monkeypatch.setattr(app_module.QMessageBox, "critical", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(app_module.QApplication, "exit", lambda code=0: exits.append(code))
    window.show()
    qtbot.waitUntil(lambda: bool(exits), timeout=10000)
    assert exits == [app_module.EVIDENCE_FAULT] and window.controller.assessment is None
    (title, text), = shown
    assert title == "Evidence library not loaded" and "_library.yaml: version" in text


# Every view once, as the memory benchmark opens them: with the band cache built (by the session's
# band_draws fixture, in HCCDECIDE_CACHE_DIR, which the probe inherits), SciPy, lifelines and pandas
# (about 100 MB between them) serve only to build draws and must not load.
EVERY_VIEW_PROBE = r"""
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from hccdecide.gui.app import create_window

app = QApplication(sys.argv[:1])
w = create_window(sys.argv[1], QSettings(sys.argv[2], QSettings.IniFormat))
w.show(); app.processEvents()
w.controller.wait_for_workers(60000); app.processEvents()
assert w.controller.bands, "no bands"
w.tabs.setCurrentWidget(w.risk); app.processEvents()
for i in range(w.risk.model_box.count()):
    w.risk.model_box.setCurrentIndex(i); app.processEvents()
w.tabs.setCurrentWidget(w.icon_arrays); app.processEvents()
for opener in ("open_presentation", "open_evidence_browser", "open_training", "open_whatif"):
    shown = getattr(w, opener)(); app.processEvents()
    for _ in range(getattr(shown, "page_count", 0)):
        shown.next_page(); app.processEvents()
w.controller.wait_for_workers(60000); app.processEvents()
print(" ".join(m for m in ("scipy", "lifelines", "pandas", "matplotlib") if m in sys.modules))
w.controller.mark_saved()
"""


def test_no_view_loads_scipy_lifelines_or_pandas_once_the_band_cache_is_built(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HCCDECIDE_DATA_DIR=str(tmp_path / "data"))
    run = subprocess.run([sys.executable, "-c", EVERY_VIEW_PROBE, str(EXAMPLE), str(tmp_path / "settings.ini")],
                         env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["matplotlib"]  # the charts were drawn; nothing else heavy loaded


def test_the_first_assessment_runs_even_if_the_window_is_never_sent_a_paint_event(qtbot, monkeypatch):
    from PySide6.QtGui import QShowEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from hccdecide.gui.app import AfterFirstPaint

    monkeypatch.setattr(AfterFirstPaint, "LATEST_MS", 50)
    window, ran = QWidget(), []
    qtbot.addWidget(window)
    AfterFirstPaint(window, lambda: ran.append("assessed"))
    QApplication.sendEvent(window, QShowEvent())  # shown, as far as the watcher can tell, never painted
    qtbot.waitUntil(lambda: ran == ["assessed"], timeout=2000)
    window.show()  # a late paint does not run it twice
    qtbot.wait(100)
    assert ran == ["assessed"]
