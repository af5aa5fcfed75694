"""Start the desktop application: ``hccdecide-gui [CASE.json]`` or ``python main.py [CASE.json]``."""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

# One BLAS thread: the app's arrays are small, and numpy then loads ~30 ms faster (set before numpy loads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# The part of the core the window shows before its first paint is imported before Qt on purpose: once
# PySide6 is loaded it reads the source of every module imported after it (its "feature" import hook).
# The engine, the evidence schema and numpy are not among them: they load after the first paint.
import hccdecide.atomic_file  # noqa: F401,I001 - imported early for the reason above
import hccdecide.clinical.liver  # noqa: F401
import hccdecide.clinical.nodes  # noqa: F401
import hccdecide.clinical.oligo  # noqa: F401
import hccdecide.clinical.staging  # noqa: F401
import hccdecide.clinical.vascular  # noqa: F401
import hccdecide.engine.vocabulary  # noqa: F401
import hccdecide.variables  # noqa: F401
from hccdecide.errors import MAX_SHOWN, EvidenceError, PatientError
from hccdecide.gui.platform_check import check_display
from hccdecide.patient import Patient
from hccdecide.paths import resource

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

STYLE_SHEET = "style/app.qss"
ASSESSING = "Assessing…"
EVIDENCE_FAULT = 3  # exit status when a bundled data file is faulty


def error_texts(exc_type, exc, tb) -> tuple[str, str]:
    """(summary, details) of an unexpected error, safe to show and print on a shared screen.

    An exception's message may quote case contents (a label, a whole case), so it is cut to about
    80 characters, and the details are the call stack (file, line, code: no values) and that summary;
    chained exceptions' messages are left out for the same reason.
    """
    message = str(exc)
    if len(message) > MAX_SHOWN:
        message = f"{message[:MAX_SHOWN - 1]}… ({len(message):,} characters in all)"
    summary = f"{exc_type.__name__}: {message}"
    return summary, "Traceback (most recent call last):\n" + "".join(traceback.format_tb(tb)) + summary + "\n"


def install_exception_hook(app: QApplication) -> None:
    """Show an unexpected error in a readable dialog; the case stays open and unchanged."""

    def hook(exc_type, exc, tb):
        summary, details = error_texts(exc_type, exc, tb)
        sys.stderr.write(details)
        box = QMessageBox(QMessageBox.Critical, "Unexpected error",
                          f"{summary}\n\nYour case is still open and unchanged; "
                          "save it before doing anything else.")
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook


def evidence_fault(err: EvidenceError) -> None:
    """A damaged bundled or reference file: say which (the app then stops)."""
    QMessageBox.critical(None, "Evidence library not loaded",
                         f"hccdecide cannot start because a data file is faulty:\n\n{err}")


def load_style(app: QApplication) -> None:
    path = resource(STYLE_SHEET)
    if path.exists():
        app.setStyleSheet(path.read_text(encoding="utf-8"))


class AfterFirstPaint(QObject):
    """Runs ``action`` once, after the first paint of ``window`` has been drawn.

    Painting starts with the window itself (its children are drawn after it, in the same pass), so
    only the window is watched: a Python filter on all the application's events would cost time. In
    case a platform never sends the window a paint event, the action also runs :data:`LATEST_MS`
    after the window is shown."""

    LATEST_MS = 1000

    def __init__(self, window, action):
        super().__init__(window)
        self.window, self.action, self.done = window, action, False
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.window and event.type() == QEvent.Show:
            QTimer.singleShot(self.LATEST_MS, self, self._run)  # dropped if the window is closed first
        elif obj is self.window and event.type() == QEvent.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # queued: runs once this paint has been drawn
        return False

    def _run(self) -> None:
        if not self.done:
            self.done = True
            self.action()


def create_window(case: str | None = None, settings: QSettings | None = None, open_after_paint: bool = False):
    """The main window, on ``case`` when given.

    With ``open_after_paint`` (the launch) the form shows the case's values at once, and the evidence
    library is loaded and the case opened (assessed, bands started in their worker) only after the
    window's first paint: the window appears before the evidence schema, numpy and the engine load,
    and the band worker never competes with that paint.
    """
    from hccdecide.gui import zoom
    from hccdecide.gui.main_window import MainWindow
    from hccdecide.gui.settings import AppSettings

    # the user's zoom before any widget exists: widgets are then made at that size, not each resized after
    zoom.apply_scale(AppSettings(settings).font_scale)
    if open_after_paint:
        window = MainWindow(None, settings, assess_now=False)
        window.summary.text.setText(ASSESSING)  # until the assessment replaces it, right after the paint
        if case:
            try:
                window.form.show_patient(Patient.from_file(case))
            except PatientError:
                pass  # opening it after the paint says what is wrong
        window.after_first_paint = AfterFirstPaint(window, lambda: _first_assessment(window, case))
        return window
    from hccdecide.evidence.library import default_library

    window = MainWindow(default_library(), settings)
    if case:
        window.open_case_file(Path(case))
    return window


def _first_assessment(window, case: str | None) -> None:
    try:
        window.library  # noqa: B018 - loads the evidence library (and says so in the status bar)
    except EvidenceError as err:
        evidence_fault(err)
        QApplication.exit(EVIDENCE_FAULT)
        return
    if not (case and window.open_case_file(Path(case))):
        window.controller.recompute()  # no case, or a case that could not be opened: the empty form


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    problem = check_display()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("hccdecide")
    app.setOrganizationName("hccdecide")
    install_exception_hook(app)
    case = next((a for a in argv[1:] if not a.startswith("-")), None)
    try:
        window = create_window(case, open_after_paint=True)
    except EvidenceError as err:  # a damaged reference file: say which, then stop
        evidence_fault(err)
        return EVIDENCE_FAULT
    # styled once the window is built: styling first re-polishes every widget each time it is
    # re-parented while the window is assembled (a third of the window's build time)
    load_style(app)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
