"""The clinic window: patient form on the left, live results on the right."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from hccdecide.engine.assessment import Assessment
from hccdecide.engine.summary import DISCLAIMER
from hccdecide.errors import HccDecideError, PatientError
from hccdecide.evidence.library import Library
from hccdecide.gui.controller import CaseController
from hccdecide.gui.derived_text import derived_texts
from hccdecide.gui.dialogs import ask
from hccdecide.gui.patient_form import PatientForm
from hccdecide.gui.results import ResultsPanel
from hccdecide.gui.risk import RiskPanel
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir

APP_TITLE = "hccdecide"


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings or QSettings("hccdecide", "hccdecide")
        self.controller = CaseController(library, self)
        self.form = PatientForm()
        self.results = ResultsPanel()
        self.risk = RiskPanel()
        self._build_layout(library)
        self._build_actions()
        self._connect()
        self.resize(1500, 950)
        self._apply_font_scale(float(self.settings.value("font_scale", 1.0)))
        self.controller.recompute()

    # -- layout ----------------------------------------------------------------------------
    def _build_layout(self, library: Library) -> None:
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(4, 4, 4, 4)
        banner = QLabel(DISCLAIMER)
        banner.setObjectName("disclaimer")
        banner.setWordWrap(True)
        column.addWidget(banner)
        self.conflicts = QLabel()
        self.conflicts.setObjectName("conflicts")
        self.conflicts.setWordWrap(True)
        self.conflicts.hide()
        column.addWidget(self.conflicts)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultTabs")
        self.tabs.addTab(self.results, "Regimens")
        self.tabs.addTab(self.risk, "Risk and outcome curves")
        column.addWidget(self.tabs, 1)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.form)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([560, 940])
        self.setCentralWidget(split)
        self.evidence_label = QLabel(f"Evidence {library.version} · {len(library.studies)} studies · "
                                     f"digest {library.short_digest}")
        self.evidence_label.setToolTip(f"SHA-256 {library.digest}")
        self.statusBar().addPermanentWidget(self.evidence_label)
        for problem in library.problems:
            self.statusBar().showMessage(f"Skipped evidence file: {problem}", 15000)

    def _action(self, text: str, slot, shortcut=None, menu=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if menu is not None:
            menu.addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action("&New case", self.new_case, QKeySequence.New, file_menu)
        self._action("&Open case file…", self.open_case_dialog, QKeySequence.Open, file_menu)
        self._action("&Save case file", self.save_case, QKeySequence.Save, file_menu)
        self._action("Save case file &as…", self.save_case_as, QKeySequence.SaveAs, file_menu)
        file_menu.addSeparator()
        self._action("&Quit", self.close, QKeySequence.Quit, file_menu)
        self.view_menu = self.menuBar().addMenu("&View")
        self._action("Zoom &in", lambda: self.zoom(1.1), QKeySequence.ZoomIn, self.view_menu)
        self._action("Zoom &out", lambda: self.zoom(1 / 1.1), QKeySequence.ZoomOut, self.view_menu)
        self._action("&Reset zoom", lambda: self._apply_font_scale(1.0), "Ctrl+0", self.view_menu)

    def _connect(self) -> None:
        c = self.controller
        self.form.value_committed.connect(c.set_value)
        c.patient_changed.connect(self._patient_changed)
        c.assessment_changed.connect(self._assessment_changed)
        c.bands_started.connect(self.risk.bands_started)
        c.bands_ready.connect(self.risk.bands_ready)
        c.bands_failed.connect(self.risk.bands_failed)
        c.dirty_changed.connect(lambda _d: self._update_title())
        c.path_changed.connect(lambda _p: self._update_title())

    # -- reactions -------------------------------------------------------------------------
    def _patient_changed(self, patient: Patient) -> None:
        if not self.form._updating and self.sender() is self.controller and not self.controller.dirty:
            self.form.show_patient(patient)

    def _assessment_changed(self, a: Assessment) -> None:
        self.form.show_derived(derived_texts(a))
        self.results.show_assessment(a)
        self.risk.show_assessment(a)
        conflicts = [n.text for n in a.derived.notes if n.kind == "conflict"]
        self.conflicts.setText("".join(f"⚠ {t}<br>" for t in conflicts))
        self.conflicts.setVisible(bool(conflicts))

    def _update_title(self) -> None:
        name = self.controller.path.name if self.controller.path else "untitled case"
        self.setWindowTitle(f"{APP_TITLE} — {name}{' •' if self.controller.dirty else ''}")

    # -- files -----------------------------------------------------------------------------
    def load_case(self, patient: Patient, path: Path | None = None, store_id: int | None = None) -> None:
        self.form.show_patient(patient)
        self.controller.load_patient(patient, path, store_id)

    def open_case_file(self, path: str | Path) -> bool:
        try:
            patient = Patient.from_file(path)
        except PatientError as err:
            QMessageBox.warning(self, "Case file not opened", f"{Path(path).name} could not be opened.\n\n{err}")
            return False
        self.load_case(patient, Path(path))
        self.settings.setValue("last_folder", str(Path(path).parent))
        return True

    def _last_folder(self) -> str:
        return str(self.settings.value("last_folder", str(cases_dir())))

    def open_case_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open case", self._last_folder(), "Case files (*.json)")
        if path:
            self.open_case_file(path)

    def new_case(self) -> None:
        if self.confirm_discard():
            self.load_case(Patient())

    def save_case(self) -> bool:
        if self.controller.path is None:
            return self.save_case_as()
        return self._write_case(self.controller.path)

    def save_case_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save case", self._last_folder(), "Case files (*.json)")
        if not path:
            return False
        return self._write_case(Path(path).with_suffix(".json"))

    def _write_case(self, path: Path) -> bool:
        tmp = path.with_suffix(path.suffix + ".tmp")
        try:
            tmp.write_text(self.controller.patient.to_json(), encoding="utf-8")
            tmp.replace(path)  # atomic: a crash never leaves half a file
        except OSError as err:
            QMessageBox.critical(self, "Case not saved", f"Could not write {path}:\n{err}")
            return False
        self.controller.mark_saved(path)
        self.settings.setValue("last_folder", str(path.parent))
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def confirm_discard(self) -> bool:
        if not self.controller.dirty:
            return True
        answer = ask(self, "Unsaved changes", "The current case has unsaved changes. Save them first?",
                     ("save", "discard", "cancel"))
        if answer == "save":
            return self.save_case()
        return answer == "discard"

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.confirm_discard():
            self.controller.wait_for_workers(3000)
            event.accept()
        else:
            event.ignore()

    # -- zoom ------------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        self._apply_font_scale(float(self.settings.value("font_scale", 1.0)) * factor)

    def _apply_font_scale(self, scale: float) -> None:
        scale = min(2.5, max(0.7, scale))
        self.settings.setValue("font_scale", scale)
        font = self.font()
        font.setPointSizeF(10 * scale)
        self.setFont(font)


def show_error(parent, title: str, err: HccDecideError) -> None:
    QMessageBox.warning(parent, title, str(err))
