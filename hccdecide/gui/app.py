"""Start the desktop application: ``hccdecide-gui [CASE.json]`` or ``python main.py [CASE.json]``."""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from hccdecide.errors import MAX_SHOWN, EvidenceError
from hccdecide.evidence.library import default_library
from hccdecide.gui.platform_check import check_display
from hccdecide.paths import resource

STYLE_SHEET = "style/app.qss"


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


def load_style(app: QApplication) -> None:
    path = resource(STYLE_SHEET)
    if path.exists():
        app.setStyleSheet(path.read_text(encoding="utf-8"))


def create_window(case: str | None = None, settings: QSettings | None = None):
    from hccdecide.gui.main_window import MainWindow

    window = MainWindow(default_library(), settings)
    if case:
        window.open_case_file(Path(case))
    return window


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    problem = check_display()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("hccdecide")
    app.setOrganizationName("hccdecide")
    load_style(app)
    install_exception_hook(app)
    case = next((a for a in argv[1:] if not a.startswith("-")), None)
    try:
        window = create_window(case)
    except EvidenceError as err:  # a damaged bundled or reference file: say which, then stop
        QMessageBox.critical(None, "Evidence library not loaded",
                             f"hccdecide cannot start because a data file is faulty:\n\n{err}")
        return 3
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
