"""The clinic window: patient form on the left, live results on the right, and the menus that reach
the case files, the case store, the PDF report, presentation mode, the evidence browser and training.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QLabel, QMainWindow, QScrollArea, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from hccdecide import atomic_file
from hccdecide.atomic_file import write_atomically
from hccdecide.engine.vocabulary import DISCLAIMER
from hccdecide.errors import PatientError
from hccdecide.gui import dialogs, guarded_widgets, pdf_export, screen_fit, zoom
from hccdecide.gui.controller import CaseController
from hccdecide.gui.derived_text import derived_texts
from hccdecide.gui.patient_form import ALT_UNIT, PatientForm
from hccdecide.gui.icon_view import IconArrayPanel
from hccdecide.gui.results import ResultsPanel
from hccdecide.gui.risk import RiskPanel
from hccdecide.gui.settings import AppSettings
from hccdecide.gui.store_actions import StoreActions
from hccdecide.gui.summary_panel import GlanceSplit, SummaryPanel, focus_field
from hccdecide.patient import Patient

if TYPE_CHECKING:  # the engine and the evidence schema load after the window's first paint (gui/app.py)
    from hccdecide.engine.assessment import Assessment
    from hccdecide.evidence.library import Library

APP_TITLE = "hccdecide"
PREFERRED_SIZE = QSize(1500, 950)
FORM_SHARE = 0.42  # of the window width, for the form on first launch
JSON_FILTER = "Case files (*.json)"


class MainWindow(QMainWindow):
    def __init__(self, library: Library | None, settings: QSettings | None = None, store_path: Path | None = None,
                 assess_now: bool = True):
        """``library`` None: the evidence library is loaded when first needed (at launch, right after
        the first paint, so that the window appears before the evidence schema and numpy load)."""
        super().__init__()
        self._library = None
        self._loading_case = False
        self.app_settings = AppSettings(settings)
        self.settings = self.app_settings.q
        self.controller = CaseController(library, self)
        self.store = StoreActions(self, store_path)
        self.form = PatientForm()
        self.results = ResultsPanel()
        self.risk = RiskPanel()
        self.summary = SummaryPanel()
        self.icon_arrays = IconArrayPanel()
        self._whatif = None
        self._worklist = None  # the MDT worklist navigator, built on first use (gui/worklist.py)
        self._presentation = self._evidence = self._training = None
        self._build_layout()
        if library is not None:
            self.use_library(library)
        self._build_actions()
        self._connect()
        self._restore_settings()
        if assess_now:  # at launch the first assessment waits for the first paint (gui/app.py)
            self.controller.recompute()

    # -- layout ----------------------------------------------------------------------------
    def _build_layout(self) -> None:
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
        # the summary and the result tabs share the height; the summary can be dragged smaller or shut
        self.summary_split = GlanceSplit()
        self.summary_split.setObjectName("summarySplit")
        self.summary_split.addWidget(self.summary)
        lower = QWidget()
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        self.summary_split.addWidget(lower)
        self.summary_split.setCollapsible(0, True)
        self.summary_split.setCollapsible(1, False)
        self.summary_split.setStretchFactor(1, 1)
        column.addWidget(self.summary_split, 1)
        self.ignored = QLabel()
        self.ignored.setObjectName("ignoredFields")
        self.ignored.setWordWrap(True)
        self.ignored.hide()
        below.addWidget(self.ignored)
        self.tabs = ResultTabs()
        self.tabs.setObjectName("resultTabs")
        self.tabs.addTab(self.results, "Regimens")
        self.tabs.addTab(self.risk, "Risk and outcome curves")
        self.tabs.addTab(self.icon_arrays, "Of 100 patients")
        below.addWidget(self.tabs, 1)
        self.split = QSplitter(Qt.Horizontal)
        self.split.addWidget(self.form)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setChildrenCollapsible(False)
        self.setCentralWidget(self.split)
        self.evidence_label = QLabel("Evidence library loading…")
        self.statusBar().addPermanentWidget(self.evidence_label)

    @property
    def library(self) -> Library:
        if self._library is None:
            from hccdecide.evidence.library import default_library

            self.use_library(default_library())
        return self._library

    def use_library(self, lib: Library) -> None:
        """Assess against ``lib`` from now on, and show which library it is in the status bar."""
        self._library = self.controller.library = lib
        self.evidence_label.setText(f"Evidence {lib.version} · {len(lib.studies)} studies · digest {lib.short_digest}")
        self.evidence_label.setToolTip(f"SHA-256 {lib.digest}")
        for problem in lib.problems:
            self.statusBar().showMessage(f"Skipped evidence file: {problem}", 15000)

    def _action(self, text: str, slot, shortcut=None, menu=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, (list, tuple)) else [shortcut]
            # the same key twice (Ctrl++ is also the platform's ZoomIn) would make the shortcut ambiguous
            sequences = {QKeySequence(k).toString(): QKeySequence(k) for k in keys}
            action.setShortcuts(list(sequences.values()))
            action.setShortcutContext(Qt.ApplicationShortcut)  # from any field and any hccdecide window
        action.triggered.connect(lambda _checked=False: slot())
        if menu is not None:
            menu.addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        f = self.menuBar().addMenu("&File")
        self._action("&New case", self.new_case, QKeySequence.New, f)
        self._action("&Open case file…", self.open_case_dialog, QKeySequence.Open, f)
        self.recent_menu = f.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(lambda: self.store.fill_recent_menu(self.recent_menu))
        self._action("&Save case file", self.save_case, QKeySequence.Save, f)
        # Ctrl+Shift+S belongs to the case store (the everyday save); Save-as moves to Ctrl+Alt+S.
        self._action("Save case file &as…", self.save_case_as, "Ctrl+Alt+S", f)
        f.addSeparator()
        self._action("Save to case s&tore", self.store.save, "Ctrl+Shift+S", f)
        self._action("Open from case stor&e…", self.store.open_dialog, "Ctrl+Shift+O", f)
        self._action("Case &history…", self.store.show_history, None, f)
        self._action("Case store &backups…", self.store.show_backups, None, f)
        self._action("Case store &events…", self.store.show_events, None, f)
        f.addSeparator()
        self._action("Open &worklist (CSV/XLSX)…", lambda: self.worklist().open_dialog(), None, f)
        self._action("Next patient in work&list", lambda: self.worklist().step(True), "Ctrl+PgDown", f)
        self._action("Pre&vious patient in worklist", lambda: self.worklist().step(False), "Ctrl+PgUp", f)
        f.addSeparator()
        self._action("&Import case JSON…", self.import_json, None, f)
        self._action("E&xport case JSON…", self.export_json, None, f)
        self._action("Export &PDF report…", self.export_pdf, QKeySequence.Print, f)
        self.private_exports_action = self._action(
            "Exported files readable by me &only", self._toggle_private_exports, None, f)
        self.private_exports_action.setCheckable(True)
        f.addSeparator()
        self._action("&Quit", self.close, QKeySequence.Quit, f)
        self.view_menu = v = self.menuBar().addMenu("&View")
        self._action("&Presentation mode", self.open_presentation, "F5", v)
        self.display_menu = v.addMenu("Presentation &display")
        self.display_menu.aboutToShow.connect(self._fill_display_menu)
        self._action("&Evidence browser", self.open_evidence_browser, "Ctrl+E", v)
        self._action("&Training mode", self.open_training, "Ctrl+T", v)
        self._action("&What-if comparison (scenario B)…", self.open_whatif, "Ctrl+Shift+W", v)
        self._action("Go to first &field", self.form.focus_first, "Ctrl+L", v)
        self._action("Show wor&klist", lambda: self.worklist().show_window(), None, v)
        e = self.menuBar().addMenu("&Edit")
        self._action("&Copy to clinical note", lambda: self.summary.copy_note(False), "Ctrl+Shift+C", e)
        self._action("Copy to clinical note with case &label", lambda: self.summary.copy_note(True), None, e)
        v.addSeparator()
        self._action("Zoom &in", lambda: self.zoom(zoom.STEP), ["Ctrl++", "Ctrl+=", QKeySequence.ZoomIn], v)
        self._action("Zoom &out", lambda: self.zoom(1 / zoom.STEP), ["Ctrl+-", QKeySequence.ZoomOut], v)
        self._action("&Reset zoom", lambda: self._apply_font_scale(1.0), "Ctrl+0", v)
        guarded_widgets.register_shortcuts(k for a in self.actions() for k in a.shortcuts())

    def _connect(self) -> None:
        c = self.controller
        self.form.value_committed.connect(c.set_value)
        self.form.unit_changed.connect(self.app_settings.set_unit_index)
        self.form.invalid_changed.connect(self._show_ignored)
        c.patient_changed.connect(self._patient_changed)
        c.recompute_started.connect(self.summary.stop_ranking)
        c.assessment_changed.connect(self._assessment_changed)
        c.bands_started.connect(self.risk.bands_started)
        c.bands_ready.connect(self.risk.bands_ready)
        c.bands_ready.connect(self.summary.show_bands)
        self.summary.field_requested.connect(lambda key: focus_field(self.form, key))
        self.summary.glance_changed.connect(self._glance_changed)
        c.bands_failed.connect(self.risk.bands_failed)
        c.bands_progress.connect(self.risk.bands_progress)
        c.dirty_changed.connect(lambda _d: self._update_title())
        c.path_changed.connect(lambda _p: self._update_title())

    def _restore_settings(self) -> None:
        for key in ALT_UNIT:
            self.form.editor(key).set_unit_index(self.app_settings.unit_index(key))
        restored = screen_fit.restore_or_fit(self, self.app_settings.geometry(), PREFERRED_SIZE)
        state = self.app_settings.window_state()
        if not (restored and state is not None and self.split.restoreState(state)):
            self._default_split()
        self._apply_font_scale(self.app_settings.font_scale)
        self.private_exports_action.setChecked(self.app_settings.private_exports)
        atomic_file.set_private_exports(self.app_settings.private_exports)

    def fit_to_screen(self) -> None:
        """Size the window afresh for the screen it is on (first-launch size, default split)."""
        screen_fit.fit_window(self, PREFERRED_SIZE)
        self._default_split()

    def _default_split(self) -> None:
        width = self.width()
        self.split.setSizes([int(FORM_SHARE * width), width - int(FORM_SHARE * width)])

    # -- reactions -------------------------------------------------------------------------
    def _patient_changed(self, patient: Patient) -> None:
        if not self.form._updating and self.sender() is self.controller and not self.controller.dirty:
            self.form.show_patient(patient)

    def _assessment_changed(self, a: Assessment) -> None:
        self.form.show_derived(derived_texts(a))
        self.results.show_assessment(a, new_case=self._loading_case)
        self.risk.show_assessment(a)
        self.summary.show_assessment(a, self.controller.bands)
        if self._whatif is not None and self._whatif.isVisible():
            self._whatif.set_case(a, self.controller.patient.scenario_b)
        conflicts = [n.text for n in a.derived.notes if n.kind == "conflict"]
        self.conflicts.setText("".join(f"⚠ {t}<br>" for t in conflicts))
        self.conflicts.setVisible(bool(conflicts))

    def open_whatif(self):
        """Scenario B beside the case: B is the copy kept with the case, or a fresh copy of it."""
        from hccdecide.gui.whatif_window import WhatIfWindow

        if self.controller.assessment is None:
            return None
        if self._whatif is None:
            self._whatif = WhatIfWindow(self.library, self)
            self._whatif.scenario_changed.connect(self.controller.set_scenario_b)
        self._whatif.set_case(self.controller.assessment, self.controller.patient.scenario_b)
        self._whatif.show()
        self._whatif.raise_()
        self._whatif.activateWindow()
        self._whatif.form.focus_first()
        return self._whatif

    def _glance_changed(self, glance) -> None:
        from hccdecide.engine.icon_array import glance_icons

        a = self.summary.assessment
        self.icon_arrays.show_icons(glance_icons(a, glance, self.summary.bands))

    def _show_ignored(self, invalid: dict[str, str]) -> None:
        """Fields whose text the case ignores (it keeps their last valid value), in clinical words."""
        lines = [f"⚠ {escape(label, quote=False)} ignored: {escape(message, quote=False)}"
                 for label, message in invalid.items()]
        self.ignored.setText("<br>".join(lines))
        self.ignored.setVisible(bool(lines))

    def _update_title(self) -> None:
        c = self.controller
        name = c.path.name if c.path else (f"stored case {c.store_id}" if c.store_id else "untitled case")
        self.setWindowTitle(f"{APP_TITLE} — {name}{' •' if c.dirty else ''}")

    # -- case files ------------------------------------------------------------------------
    def load_case(self, patient: Patient, path: Path | None = None, store_id: int | None = None) -> None:
        self.form.show_patient(patient)
        self._loading_case = True  # the first assessment of a new case starts at the top regimen
        try:
            self.controller.load_patient(patient, path, store_id)
        finally:
            self._loading_case = False

    def _read_case(self, path: str | Path) -> Patient | None:
        """The case in ``path``, or None after telling the user why not (the open case is untouched)."""
        try:
            return Patient.from_file(path)
        except PatientError as err:
            dialogs.inform(self, "Case file not opened",
                           f"{Path(path).name} could not be opened; the current case is unchanged.\n\n{err}")
            return None

    def open_case_file(self, path: str | Path) -> bool:
        patient = self._read_case(path)
        if patient is None:
            return False
        self.load_case(patient, Path(path))
        self.app_settings.remember_folder(path)
        self.app_settings.add_recent_file(Path(path).resolve())
        return True

    def _choose_file(self, title: str, save: bool = False) -> Path | None:
        chooser = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = chooser(self, title, self.app_settings.last_folder, JSON_FILTER)
        return Path(path) if path else None

    def open_case_dialog(self) -> None:
        if self.confirm_discard():
            path = self._choose_file("Open case")
            if path:
                self.open_case_file(path)

    def new_case(self) -> None:
        if self.confirm_discard():
            self.load_case(Patient())

    def save_case(self) -> bool:
        """Save where the case belongs: a case from the store back to the store, a file to its file."""
        if self.controller.path is None and self.controller.store_id is not None:
            return self.store.save() is not None
        if self.controller.path is None:
            return self.save_case_as()
        return self._write_case(self.controller.path)

    def save_case_as(self) -> bool:
        path = self._choose_file("Save case", save=True)
        return self._write_case(path.with_suffix(".json")) if path else False

    def _write_json(self, path: Path) -> bool:
        try:
            write_atomically(self.controller.patient.to_json() + "\n", path)
        except OSError as err:
            dialogs.inform(self, "Case not written", f"Could not write {path}:\n{err}", "critical")
            return False
        self.app_settings.remember_folder(path)
        return True

    def _write_case(self, path: Path) -> bool:
        if not self._write_json(path):
            return False
        self.controller.mark_saved(path)
        self.app_settings.add_recent_file(path.resolve())
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def import_json(self, path: str | Path | None = None) -> bool:
        """Read a case file as a new, unsaved case (not tied to the file; save it to the store)."""
        if not self.confirm_discard():
            return False
        path = Path(path) if path else self._choose_file("Import case JSON")
        patient = self._read_case(path) if path else None
        if patient is None:
            return False
        self.load_case(patient)  # not tied to the file: Save goes to a new file or to the store
        self.app_settings.remember_folder(path)
        self.statusBar().showMessage(f"Imported {path.name}", 5000)
        return True

    def export_json(self, path: str | Path | None = None) -> bool:
        """Write the current case to a file without changing where the case is saved."""
        path = Path(path) if path else self._choose_file("Export case JSON", save=True)
        if not path:
            return False
        path = path.with_suffix(".json")
        if self._write_json(path):
            self.statusBar().showMessage(f"Exported {path}", 5000)
            return True
        return False

    def export_pdf(self, path: str | Path | None = None, options=None) -> bool:
        if self.controller.assessment is None:
            return False
        options = options or pdf_export.ask_pdf_options(self)  # through the module: patchable
        if options is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export PDF report", self.app_settings.last_folder,
                                                    "PDF files (*.pdf)")
            if not chosen:
                return False
            path = chosen
        path = Path(path).with_suffix(".pdf")
        if self.controller.assessment.curves and not self.controller.bands:
            # The bands take a few hundred ms; wait for them so the report shows them, then let
            # the queued bands_ready reach the controller.
            self.controller.wait_for_workers(3000)
            QApplication.processEvents()
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            pdf_export.write_report(self.controller.assessment, path, self.controller.bands, options,
                                    audit=self.store.history() if self.controller.store_id else ())
        except Exception as err:  # noqa: BLE001 - any failure of the report is told, the case stays
            dialogs.inform(self, "Report not written", f"The PDF report could not be written to {path}:\n{err}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.app_settings.remember_folder(path)
        self.statusBar().showMessage(f"Report written to {path}", 5000)
        return True

    def load_training_case(self, patient: Patient) -> bool:
        """Training ▸ Open in main window: the user's own case is asked about first."""
        if not self.confirm_discard():
            return False
        self.load_case(patient)
        self.raise_()
        self.activateWindow()
        return True

    def confirm_discard(self) -> bool:
        self.form.commit_pending()  # a value still being typed is part of the case
        invalid = self.form.invalid_fields()
        ignored = "".join(f"\n• {label}: {message}" for label, message in invalid.items())
        if not self.controller.dirty:
            if not invalid:
                return True
            answer = dialogs.ask(self, "Entries not accepted",
                                 f"These entries cannot be accepted and are not part of the case:{ignored}\n\n"
                                 "Leave them anyway?", ("discard", "cancel"))
            return answer == "discard"
        question = "The current case has unsaved changes. Save them first?"
        if ignored:
            question += f"\n\nThese entries cannot be accepted and would not be saved:{ignored}"
        for _attempt in range(3):
            answer = dialogs.ask(self, "Unsaved changes", question, ("save", "discard", "cancel"))
            if answer != "save":
                return answer == "discard"
            if self.save_case():
                return True
            # The save dialog was cancelled or the save failed: ask again rather than decide for the user.
            question = "The case was not saved. Save it, discard the changes, or cancel?"
        return False

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.confirm_discard():
            event.ignore()
            return
        self.app_settings.set_geometry(self.saveGeometry())
        self.app_settings.set_window_state(self.split.saveState())
        self.app_settings.sync()
        worklist = self._worklist.window if self._worklist is not None else None
        for child in (self._presentation, self._evidence, self._training, self._whatif, worklist):
            if child is not None:
                child.close()
        # no worker may outlive the window: one still running Python when the interpreter shuts down
        # is ended by it mid-call ("Qt Concurrent has caught an exception thrown from a worker thread")
        self.summary.shut_down()
        self.controller.shut_down()
        self.store.close()
        event.accept()

    def _toggle_private_exports(self) -> None:
        private = self.private_exports_action.isChecked()
        self.app_settings.private_exports = private
        atomic_file.set_private_exports(private)

    # -- other views -----------------------------------------------------------------------
    def open_presentation(self):
        from hccdecide.gui.presentation import PresentationWindow  # matplotlib loads with it

        if self._presentation is None:
            self._presentation = PresentationWindow(self.controller, self)
        self._presentation.go_to(0)
        if self._worklist is not None:  # the list names patients: hidden while presenting
            self._worklist.hide_for(self._presentation)
        # Without a window manager (a bare X server, some kiosk set-ups) the full-screen request is
        # not acted on; sizing to the screen first makes the window cover it either way.
        self._presentation.show_on(self.presentation_screen())
        self._presentation.showFullScreen()
        self._presentation.raise_()
        self._presentation.activateWindow()
        return self._presentation

    def presentation_screen(self):
        """The screen chosen in View ▸ Presentation display, else the one this window is on."""
        chosen = self.app_settings.q.value("presentation/screen", "")
        screens = QApplication.screens()
        return next((s for s in screens if s.name() == chosen), None) or self.screen()

    def choose_presentation_screen(self, name: str) -> None:
        self.app_settings.q.setValue("presentation/screen", name)

    def _fill_display_menu(self) -> None:
        self.display_menu.clear()
        current = self.presentation_screen()
        for i, screen in enumerate(QApplication.screens(), start=1):
            size = screen.geometry()
            action = self.display_menu.addAction(f"Display {i}: {screen.name()} ({size.width()}×{size.height()})")
            action.setCheckable(True)
            action.setChecked(screen is current)
            action.triggered.connect(lambda _c=False, n=screen.name(): self.choose_presentation_screen(n))

    def worklist(self):
        """The MDT worklist navigator (File ▸ Open worklist…), built on first use."""
        from hccdecide.gui.worklist import WorklistNavigator

        if self._worklist is None:
            self._worklist = WorklistNavigator(self)
        return self._worklist

    def open_evidence_browser(self):
        from hccdecide.gui.evidence_browser import EvidenceBrowser

        if self._evidence is None:
            self._evidence = EvidenceBrowser(self.library, self)
        return _bring_up(self._evidence)

    def open_training(self):
        from hccdecide.gui.training import TrainingDialog

        if self._training is None:
            self._training = TrainingDialog(self.library, self)
            self._training.open_in_main.connect(self.load_training_case)
        return _bring_up(self._training)

    # -- zoom ------------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        self._apply_font_scale(self.app_settings.font_scale * factor)

    def _apply_font_scale(self, scale: float) -> None:
        self.app_settings.font_scale = zoom.apply_scale(scale)



class ResultTabs(QTabWidget):
    """The result tabs; setCurrentWidget also finds a page that sits inside a scroll area."""

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt override
        for i in range(self.count()):
            page = self.widget(i)
            if page is widget or (isinstance(page, QScrollArea) and page.widget() is widget):
                self.setCurrentIndex(i)
                return
        super().setCurrentWidget(widget)


def _bring_up(window: QWidget) -> QWidget:
    """Show a secondary window, in front and focused (it is kept, so its state survives closing)."""
    window.show()
    window.raise_()
    window.activateWindow()
    return window
