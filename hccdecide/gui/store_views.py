"""Views of the case store: the history of a case (every save, who made it), the store's own events
(cases deleted, backups restored) and the daily backups.

Each is a plain dialog built from a list the store returns; :func:`choose_save` and
:func:`choose_backup` show theirs and are patchable in tests like ``dialogs.ask``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

if TYPE_CHECKING:  # the store loads when first used, not before the window's first paint
    from hccdecide.store import AuditRow, Backup, StoreEvent

EVENT_COLUMNS = ("When (local time)", "Event", "Case", "What was done", "By (user @ computer)", "App", "Record")
HISTORY_COLUMNS = ("Saved (local time)", "By (user @ computer)", "App", "Evidence digest", "Values overridden",
                   "Record")


def local_time(utc_iso: str, seconds: bool = False) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(utc_iso).astimezone().strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""))
    except ValueError:
        return utc_iso


def who(row: AuditRow) -> str:
    return f"{row.os_user} @ {row.host_name}"


def history_cells(row: AuditRow) -> tuple[str, ...]:
    when = local_time(row.saved_at, seconds=True)  # saves minutes apart must stay distinguishable
    if not row.intact:
        return (when, "—", "—", "—", "—", "damaged: checksum does not match")
    overrides = ", ".join(o.get("key", "?") for o in row.overrides) or "none"
    kept = "intact" if row.has_case else "intact (audit only: saved before versions were kept)"
    return (when, who(row), row.app_version, row.evidence_digest[:12], overrides, kept)


def event_cells(e: StoreEvent) -> tuple[str, ...]:
    when = local_time(e.at, seconds=True)
    if not e.intact:
        return (when, "—", "—", "—", "—", "—", "damaged: checksum does not match")
    case = str(e.case_id) if e.case_id is not None else "all cases"
    return (when, e.kind, case, e.detail, f"{e.os_user} @ {e.host_name}", e.app_version, "intact")


class _TableDialog(QDialog):
    def __init__(self, title: str, intro: str, columns: tuple[str, ...], rows: list[tuple[str, ...]],
                 ok_text: str | None, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.table = QTableWidget(len(rows), len(columns))
        self.table.setHorizontalHeaderLabels(list(columns))
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        if ok_text:
            buttons.addButton(ok_text, QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(lambda _i: ok_text and self.accept())
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        if rows:
            self.table.selectRow(len(rows) - 1 if title.startswith("History") else 0)
        screen = self.screen().availableGeometry()
        self.resize(min(900, int(screen.width() * 0.9)), min(420, int(screen.height() * 0.9)))

    def chosen_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None


class HistoryDialog(_TableDialog):
    """Every save of one case, oldest first; an intact save carrying the case can be opened."""

    def __init__(self, case_id: int, rows: list[AuditRow], parent: QWidget | None = None):
        self.rows = rows
        super().__init__(f"History of case {case_id}",
                         "Every save is kept as it was made; none is ever changed. Open a version to read "
                         "it (it opens as the stored case: saving it again adds a new version).",
                         HISTORY_COLUMNS, [history_cells(r) for r in rows], "Open this version", parent)
        self.setObjectName("caseHistory")
        for r, row in enumerate(rows):  # the full digest on hover: the table shows its first 12 characters
            self.table.item(r, 3).setToolTip(f"SHA-256 {row.evidence_digest}" if row.intact else "")


class EventsDialog(_TableDialog):
    """The store's events, oldest first: what left the store and when, beside the saves of each case."""

    def __init__(self, events: list[StoreEvent], parent: QWidget | None = None):
        super().__init__("Case store events",
                         "Deletions and backup restores are recorded here, with who made them; a record is "
                         "never changed. A deleted case's label and contents are not kept.",
                         EVENT_COLUMNS, [event_cells(e) for e in events], None, parent)
        self.setObjectName("storeEvents")


class BackupsDialog(_TableDialog):
    def __init__(self, backups: list[Backup], parent: QWidget | None = None):
        self.backups = backups
        rows = [(b.day.isoformat() if b.day else "before a restore", str(b.cases) if b.cases is not None
                 else "unreadable", b.path.name) for b in backups]
        super().__init__("Case store backups",
                         "One backup is made on the first start of each day; the last 7 are kept. Restoring "
                         "replaces every case in the store by the backup's; the store as it is now is kept "
                         "as a 'before a restore' copy first, so a restore can be undone.",
                         ("Day", "Cases", "File"), rows, "Restore this backup", parent)
        self.setObjectName("storeBackups")


def choose_save(parent: QWidget | None, case_id: int, rows: list[AuditRow]) -> AuditRow | None:
    """Show the history; the save the user chose to open, or None."""
    dialog = HistoryDialog(case_id, rows, parent)
    if dialog.exec() != QDialog.Accepted or dialog.chosen_row() is None:
        return None
    return rows[dialog.chosen_row()]


def show_events(parent: QWidget | None, events: list[StoreEvent]) -> None:
    EventsDialog(events, parent).exec()


def choose_backup(parent: QWidget | None, backups: list[Backup]) -> Backup | None:
    dialog = BackupsDialog(backups, parent)
    if dialog.exec() != QDialog.Accepted or dialog.chosen_row() is None:
        return None
    return backups[dialog.chosen_row()]
