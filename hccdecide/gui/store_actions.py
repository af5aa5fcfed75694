"""The embedded case store as seen from the File menu: save, open from a list, recent cases, the
history of a case, and the daily backups.

The store is opened on first use, not at start-up (the window must be interactive within a second).
Whatever :func:`hccdecide.store.open_or_recover` has to say (a damaged file moved aside, a damaged
log, files made private) is shown once. Every action catches store errors and says what happened;
a record that fails its checksum is named once and skipped, and every other case stays reachable.
Labels may identify the patient: they appear here, in the clinic window, and never in presentation mode.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QMenu, QVBoxLayout, QWidget

from hccdecide.errors import PatientError, StoreError
from hccdecide.gui import dialogs, store_views
from hccdecide.patient import Patient
if TYPE_CHECKING:  # the store loads when first used, not before the window's first paint
    from hccdecide.store import AuditRow, CaseStore, CaseSummary

RECENT_LIMIT = 12
STORE_ERRORS = (StoreError, sqlite3.Error, OSError)
local_time = store_views.local_time


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


class CaseWindow(Protocol):
    """What the store actions need of the window that holds the case (the clinic window), besides being
    the parent of their dialogs: the module knows the window only through these, so it does not import
    the window's module (which imports this one)."""

    controller: Any  # CaseController: patient, assessment, store_id, mark_saved
    app_settings: Any  # AppSettings: recent_files

    def statusBar(self) -> Any: ...  # noqa: N802 - Qt's name
    def load_case(self, patient: Patient, path: Path | None = None, store_id: int | None = None) -> None: ...
    def confirm_discard(self) -> bool: ...
    def open_case_file(self, path: str | Path) -> bool: ...


class StoreActions:
    def __init__(self, window: CaseWindow, path: Path | None = None):
        self.window = window
        self.path = path
        self._store: CaseStore | None = None
        self._reported: set[int] = set()  # damaged saves already named to the user

    def store(self) -> CaseStore | None:
        from hccdecide.store import default_store_path, open_or_recover

        if self._store is not None:
            return self._store
        try:
            self._store, message = open_or_recover(self.path or default_store_path())
        except STORE_ERRORS as err:
            dialogs.inform(self.window, "Case store unavailable",
                           f"{err}\n\nYou can still save the case as a file (File ▸ Save case file).")
            return None
        if message:
            dialogs.inform(self.window, "Case store recovered", message)
        return self._store

    def _failed(self, title: str, what: str, err: Exception) -> None:
        dialogs.inform(self.window, title, f"{what}:\n{err}")

    def _report_damage(self) -> None:
        """Name each newly found damaged record once; the rest of the store works on."""
        store = self._store
        new = [d for sid, d in (store.damaged.items() if store else ()) if sid not in self._reported]
        if not new:
            return
        self._reported.update(d.save_id for d in new)
        lines = "\n".join(f"• {d.describe()}." for d in new)
        dialogs.inform(self.window, "Damaged record skipped",
                       f"{lines}\n\nEvery other case can be opened as usual. Earlier intact versions of a "
                       "damaged case can be opened from its history, and whole-store backups from "
                       "File ▸ Case store backups.")

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
        except STORE_ERRORS as err:
            self._failed("Case not saved", "The case could not be saved in the store", err)
            return None
        c.mark_saved(store_id=case_id)
        self.window.statusBar().showMessage(f"Saved as case {case_id} in {store.path}", 5000)
        return case_id

    def recent(self, limit: int = RECENT_LIMIT) -> list[CaseSummary]:
        store = self.store()
        if store is None:
            return []
        try:
            summaries = store.recent(limit)
        except STORE_ERRORS as err:
            self._failed("Case store not read", "The list of stored cases could not be read", err)
            return []
        self._report_damage()
        return summaries

    def _load(self, what: str, load: Callable[[], Patient]) -> Patient | None:
        try:
            return load()
        except (KeyError, PatientError, *STORE_ERRORS) as err:
            self._report_damage()
            self._failed("Case not opened", f"{what} could not be opened; the current case is unchanged", err)
            return None

    def open_case(self, case_id: int) -> bool:
        """Load a stored case into the window (the caller has asked about unsaved work)."""
        store = self.store()
        patient = None if store is None else self._load(f"Case {case_id}", lambda: store.load(case_id))
        if patient is None:
            return False
        self.window.load_case(patient, store_id=case_id)
        return True

    def open_dialog(self) -> bool:
        if not self.window.confirm_discard():
            return False
        summaries = self.recent()
        if not summaries:
            if self._store is not None:
                dialogs.inform(self.window, "Case store", "The case store holds no case that can be opened.",
                               "information")
            return False
        case_id = pick_case(self.window, summaries)
        return case_id is not None and self.open_case(case_id)

    def history(self, case_id: int | None = None) -> list[AuditRow]:
        """Every save of the case (default: the one in the window); [] when it is not stored."""
        case_id = self.window.controller.store_id if case_id is None else case_id
        store = self.store() if case_id is not None else None
        if store is None:
            return []
        try:
            rows = store.history(case_id)
        except KeyError:
            return []
        except STORE_ERRORS as err:
            self._failed("History not read", f"The history of case {case_id} could not be read", err)
            return []
        self._report_damage()
        return rows

    def show_history(self) -> bool:
        """The history of the case in the window; the user may open an earlier version."""
        case_id = self.window.controller.store_id
        rows = self.history(case_id)
        if not rows:
            dialogs.inform(self.window, "Case history", "This case is not in the case store yet: save it there "
                           "(File ▸ Save to case store) to start its history.", "information")
            return False
        chosen = store_views.choose_save(self.window, case_id, rows)
        if chosen is not None and (not chosen.intact or not chosen.has_case):
            why = ("is damaged (its checksum does not match)" if not chosen.intact else
                   "was made before the store kept every version: it records the save, not the case")
            dialogs.inform(self.window, "Version not opened", f"The save of {local_time(chosen.saved_at)} {why}.",
                           "information")
            return False
        if chosen is None or not self.window.confirm_discard():
            return False
        patient = self._load(f"The save of {local_time(chosen.saved_at)}", lambda: self._store.load_save(chosen.id))
        if patient is None:
            return False
        self.window.load_case(patient, store_id=case_id)
        return True

    def show_events(self) -> bool:
        """The store's deletions and restores, with who made them."""
        store = self.store()
        if store is None:
            return False
        try:
            events = store.events()
        except STORE_ERRORS as err:
            self._failed("Events not read", "The case store's events could not be read", err)
            return False
        if not events:
            dialogs.inform(self.window, "Case store events", "No case has been deleted and no backup restored.",
                           "information")
            return False
        store_views.show_events(self.window, events)
        return True

    def show_backups(self) -> bool:
        """List the daily backups; restore the chosen one into the store after asking."""
        from hccdecide.store import list_backups

        store = self.store()
        if store is None:
            return False
        try:
            backups = list_backups(store.path)
        except OSError as err:
            self._failed("Backups not read", "The backup folder could not be read", err)
            return False
        if not backups:
            dialogs.inform(self.window, "Case store backups", "There is no backup yet.", "information")
            return False
        chosen = store_views.choose_backup(self.window, backups)
        if chosen is None:
            return False
        when = chosen.day.isoformat() if chosen.day else "before a restore"
        if dialogs.ask(self.window, "Restore backup",
                       f"Replace every case in the store by the backup of {when}? The store as it is now is "
                       "kept as a copy first.", ("yes", "no")) != "yes":
            return False
        try:
            safety = store.restore(chosen.path)
        except STORE_ERRORS as err:
            self._failed("Backup not restored", "The backup could not be restored; the store is unchanged", err)
            return False
        dialogs.inform(self.window, "Backup restored", f"The store now holds the cases of the backup of {when}. "
                       f"The store as it was before is kept in {safety}.", "information")
        return True

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
