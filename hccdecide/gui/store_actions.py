"""The embedded case store as seen from the File menu: save, open from a list, recent cases.

The store is opened on first use, not at start-up (the window must be interactive within a second).
A damaged database is moved aside by :func:`hccdecide.store.open_or_recover`; the user is told the
backup's name and works on in a fresh store. Labels may identify the patient: they appear here, in
the clinic window, and never in presentation mode.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QMenu, QVBoxLayout, QWidget

from hccdecide.errors import PatientError, StoreError
from hccdecide.gui import dialogs
from hccdecide.store import CaseStore, CaseSummary, default_store_path, open_or_recover

if TYPE_CHECKING:
    from hccdecide.gui.main_window import MainWindow

RECENT_LIMIT = 12


def local_time(utc_iso: str) -> str:
    try:
        return datetime.fromisoformat(utc_iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return utc_iso


def summary_text(s: CaseSummary) -> str:
    return f"{s.label or f'Case {s.id} (no label)'} — {local_time(s.updated_at)}"


class StorePicker(QDialog):
    """A list of stored cases, newest first; Enter or double-click opens the selected one."""

    def __init__(self, summaries: list[CaseSummary], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Open from case store")
        self.list = QListWidget()
        self.list.setObjectName("storeCases")
        for s in summaries:
            item = QListWidgetItem(summary_text(s))
            item.setData(Qt.UserRole, s.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.Open | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Most recently saved first:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item else None


def pick_case(parent: QWidget | None, summaries: list[CaseSummary]) -> int | None:
    """Let the user choose a stored case (patchable in tests like ``dialogs.ask``)."""
    picker = StorePicker(summaries, parent)
    return picker.chosen_id() if picker.exec() == QDialog.Accepted else None


class StoreActions:
    def __init__(self, window: "MainWindow", path: Path | None = None):
        self.window = window
        self.path = path
        self._store: CaseStore | None = None

    def store(self) -> CaseStore | None:
        if self._store is not None:
            return self._store
        try:
            self._store, message = open_or_recover(self.path or default_store_path())
        except (StoreError, OSError) as err:
            dialogs.inform(self.window, "Case store unavailable",
                           f"{err}\n\nYou can still save the case as a file (File ▸ Save case file).")
            return None
        if message:
            dialogs.inform(self.window, "Case store recovered", message)
        return self._store

    def save(self) -> int | None:
        store = self.store()
        c = self.window.controller
        if store is None or c.assessment is None:
            return None
        try:
            try:
                case_id = store.save(c.patient, c.assessment, case_id=c.store_id)
            except KeyError:  # deleted meanwhile (another window): keep the work as a new case
                case_id = store.save(c.patient, c.assessment)
        except (StoreError, sqlite3.Error, OSError) as err:
            dialogs.inform(self.window, "Case not saved", f"The case could not be saved in the store:\n{err}")
            return None
        c.mark_saved(store_id=case_id)
        self.window.statusBar().showMessage(f"Saved as case {case_id} in {store.path}", 5000)
        return case_id

    def recent(self, limit: int = RECENT_LIMIT) -> list[CaseSummary]:
        store = self.store()
        return store.recent(limit) if store is not None else []

    def open_case(self, case_id: int) -> bool:
        """Load a stored case into the window (the caller has asked about unsaved work)."""
        store = self.store()
        if store is None:
            return False
        try:
            patient = store.load(case_id)
        except (KeyError, PatientError, sqlite3.Error) as err:
            dialogs.inform(self.window, "Case not opened", f"Case {case_id} could not be opened:\n{err}")
            return False
        self.window.load_case(patient, store_id=case_id)
        return True

    def open_dialog(self) -> bool:
        if not self.window.confirm_discard():
            return False
        summaries = self.recent()
        if not summaries:
            if self._store is not None:
                dialogs.inform(self.window, "Case store", "The case store holds no case yet.", "information")
            return False
        case_id = pick_case(self.window, summaries)
        return case_id is not None and self.open_case(case_id)

    def fill_recent_menu(self, menu: QMenu) -> None:
        """Rebuilt each time the menu opens, so it lists saves made by other windows too."""
        menu.clear()
        for s in self.recent(8):
            menu.addAction(summary_text(s), lambda cid=s.id: self.window.confirm_discard() and self.open_case(cid))
        files = [f for f in self.window.app_settings.recent_files() if Path(f).exists()]
        if files:
            menu.addSeparator()
        for f in files:
            menu.addAction(Path(f).name, lambda f=f: self.window.confirm_discard() and self.window.open_case_file(f))
        if menu.isEmpty():
            menu.addAction("No recent cases").setEnabled(False)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
