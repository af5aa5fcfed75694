"""MDT worklist: the week's patients from a screening table (CSV or XLSX), stepped through one by one.

File ▸ Open worklist… reads the table with the screening parser (:mod:`hccdecide.engine.worklist`)
and lists every row: row number, the case label when the table has one, and the patient's best
status. A bad row is listed by row number, key and reason and cannot be opened; the other rows stay
usable. Ctrl+Page Down / Ctrl+Page Up load the next / previous patient into the form, after the
usual question about unsaved edits (nothing is discarded unasked). A patient from the list is not
tied to a file: Save asks where, or goes to the case store.

The list names patients, so it hides while presentation mode is on; a presentation open while
stepping shows the new patient's first slide.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, UNCERTAIN
from hccdecide.engine.screening import BadRow
from hccdecide.engine.worklist import Worklist, WorklistEntry, read_worklist
from hccdecide.gui import dialogs, screen_fit
from hccdecide.tables import TableError

TABLE_FILTER = "Worklists (*.csv *.xlsx)"
PREFERRED_SIZE = QSize(600, 440)
STATUS_COLOUR = {ELIGIBLE: "#15803d", UNCERTAIN: "#b45309", INELIGIBLE: "#b91c1c"}
STATUS_MARK = {ELIGIBLE: "✓", UNCERTAIN: "?", INELIGIBLE: "✗"}
BAD_COLOUR = "#6b7280"
CURRENT_MARK = "▶"


class WorklistWindow(QWidget):
    """The list itself; every decision (loading, asking) belongs to :class:`WorklistNavigator`."""

    def __init__(self, navigator: "WorklistNavigator", parent: QWidget | None = None):
        super().__init__(parent, Qt.Window)
        self.setObjectName("worklistWindow")
        self.navigator = navigator
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("worklistTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setSelectionMode(QTableWidget.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the status column elides instead
        self.table.activated.connect(lambda index: self.navigator.open_row(index.row()))
        self.bad = QLabel()
        self.bad.setObjectName("worklistBadRows")
        self.bad.setWordWrap(True)
        self.bad.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.previous_button = QPushButton("◀ &Previous patient")
        self.next_button = QPushButton("&Next patient ▶")
        self.open_button = QPushButton("&Open selected")
        self.previous_button.clicked.connect(lambda: self.navigator.step(False))
        self.next_button.clicked.connect(lambda: self.navigator.step(True))
        self.open_button.clicked.connect(lambda: self.navigator.open_row(self.table.currentRow()))
        buttons = QHBoxLayout()
        for b in (self.previous_button, self.next_button, self.open_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.bad)
        layout.addLayout(buttons)
        self.close_shortcut = QShortcut(QKeySequence("Esc"), self, activated=self.close)

    def show_worklist(self, worklist: Worklist, current: int | None) -> None:
        labels = worklist.has_labels
        header = ["Row"] + (["Case label"] if labels else []) + ["Best status"]
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setHorizontalHeaderLabels(header)
        self.table.setRowCount(len(worklist.items))
        entries = worklist.entries
        for r, item in enumerate(worklist.items):
            is_current = current is not None and isinstance(item, WorklistEntry) and entries[current] is item
            cells = [self._row_cell(item.row, is_current)]
            if labels:
                cells.append(QTableWidgetItem(item.label if isinstance(item, WorklistEntry) else ""))
            cells.append(self._status_cell(item))
            for c, cell in enumerate(cells):
                if isinstance(item, BadRow):
                    cell.setFlags(Qt.NoItemFlags)  # listed, but it cannot be opened
                    cell.setForeground(QBrush(QColor(BAD_COLOUR)))
                if is_current:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(r, c, cell)
        head = self.table.horizontalHeader()
        for c in range(len(header) - 1):
            head.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        head.setSectionResizeMode(len(header) - 1, QHeaderView.Stretch)
        self._show_heading(worklist, current)
        self._show_bad_rows(worklist.bad_rows)
        if current is not None:
            self.table.selectRow(worklist.items.index(entries[current]))

    @staticmethod
    def _row_cell(row: int, current: bool) -> QTableWidgetItem:
        cell = QTableWidgetItem(f"{CURRENT_MARK} {row}" if current else str(row))
        cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
        return cell

    @staticmethod
    def _status_cell(item) -> QTableWidgetItem:
        if isinstance(item, BadRow):
            cell = QTableWidgetItem(f"not read: {item.key}")
            cell.setToolTip(str(item))
            return cell
        cell = QTableWidgetItem(f"{STATUS_MARK[item.best_status]} {item.status_text}")
        cell.setForeground(QBrush(QColor(STATUS_COLOUR[item.best_status])))
        return cell

    def _show_heading(self, worklist: Worklist, current: int | None) -> None:
        n = len(worklist.entries)
        where = f"patient {current + 1} of {n} open" if current is not None else "no patient open yet"
        skipped = f", {len(worklist.bad_rows)} row(s) not read" if worklist.bad_rows else ""
        self.heading.setText(f"<b>{escape(worklist.path.name, quote=False)}</b>: {n} patient(s){skipped} · {where}<br>"
                             "Ctrl+Page Down next patient · Ctrl+Page Up previous · Enter opens the selected row")
        self.setWindowTitle(f"Worklist — {n} patient(s)")

    def _show_bad_rows(self, bad: tuple[BadRow, ...]) -> None:
        self.bad.setText("<b>Rows not read</b> (fix them in the table and open it again):<br>"
                         + "<br>".join(escape(str(b), quote=False) for b in bad) if bad else "")
        self.bad.setVisible(bool(bad))


class WorklistNavigator(QObject):
    """The open worklist and the patient of it in the form; steps ask before unsaved edits go."""

    def __init__(self, main_window):
        super().__init__(main_window)
        self.main = main_window
        self.worklist: Worklist | None = None
        self.current: int | None = None  # index into worklist.entries
        self.window = WorklistWindow(self, main_window)
        self._hidden_for_presentation = False
        self.position = QLabel()
        self.position.setObjectName("worklistPosition")
        main_window.statusBar().addPermanentWidget(self.position)
        self.position.hide()

    # -- opening ---------------------------------------------------------------------------------
    def open_dialog(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(self.main, "Open worklist", self.main.app_settings.last_folder,
                                              TABLE_FILTER)
        return self.open_file(path) if path else False

    def open_file(self, path: str | Path) -> bool:
        """Read the table, list it, and open its first readable patient (asking about unsaved edits)."""
        try:
            worklist = read_worklist(path, self.main.library)
        except TableError as err:
            dialogs.inform(self.main, "Worklist not opened", f"{err}\n\nThe current case is unchanged.")
            return False
        self.worklist, self.current = worklist, None
        self.main.app_settings.remember_folder(Path(path))
        self.show_window()
        if worklist.entries:
            self.open_entry(0)
        else:
            dialogs.inform(self.main, "No readable patient",
                           f"No row of {Path(path).name} could be read; the list names each row and why.")
        self._refresh()
        return True

    def show_window(self) -> None:
        if self.worklist is None:
            return
        if not self.window.isVisible():  # in the screen's lower right corner, over the least-read part
            screen_fit.fit_window(self.window, PREFERRED_SIZE)
            area = screen_fit.available_geometry(self.window)
            frame = 2 * screen_fit.FRAME_ALLOWANCE  # the window manager's frame is not known before showing
            self.window.move(area.x() + area.width() - self.window.width() - frame,
                             area.y() + area.height() - self.window.height() - frame)
        self._refresh()
        self.window.show()
        self.window.raise_()
        self.window.table.setFocus()

    # -- stepping --------------------------------------------------------------------------------
    def step(self, forward: bool) -> bool:
        if self.worklist is None:
            self.main.statusBar().showMessage("No worklist open (File ▸ Open worklist…)", 5000)
            return False
        index = self.worklist.step(self.current, forward)
        if index is None:
            end = "last" if forward else "first"
            self.main.statusBar().showMessage(f"This is the {end} patient of the worklist", 5000)
            return False
        return self.open_entry(index)

    def open_row(self, table_row: int) -> bool:
        """Open the patient on a row of the list (a bad row opens nothing)."""
        if self.worklist is None or not 0 <= table_row < len(self.worklist.items):
            return False
        item = self.worklist.items[table_row]
        if isinstance(item, BadRow):
            self.main.statusBar().showMessage(f"Not read: {item}", 8000)
            return False
        return self.open_entry(self.worklist.entries.index(item))

    def open_entry(self, index: int) -> bool:
        if not self.main.confirm_discard():  # the user keeps the case (and its unsaved edits)
            return False
        entry = self.worklist.entries[index]
        self.main.load_case(entry.patient)
        self.current = index
        self._refresh()
        presentation = self.main._presentation
        if presentation is not None and presentation.isVisible():
            presentation.go_to(0)  # the next patient's slides from the overview
        return True

    # -- presentation ----------------------------------------------------------------------------
    def hide_for(self, presentation: QWidget) -> None:
        """Presentation mode is on: the list (labels identify) hides until the presentation closes."""
        presentation.removeEventFilter(self)
        presentation.installEventFilter(self)
        if self.window.isVisible():
            self._hidden_for_presentation = True
            self.window.hide()
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Hide and self._hidden_for_presentation:
            self._hidden_for_presentation = False
            self.show_window()
        return False

    def _refresh(self) -> None:
        if self.worklist is None:
            return
        self.window.show_worklist(self.worklist, self.current)
        n = len(self.worklist.entries)
        text = f"Worklist: patient {self.current + 1} of {n}" if self.current is not None else f"Worklist: {n} patients"
        self.position.setText(text)
        self.position.show()
        presentation = self.main._presentation
        if presentation is not None:  # row numbers do not identify; labels never reach the slides
            where = f"patient {self.current + 1} of {n}" if self.current is not None else f"{n} patients"
            presentation.hint.setText(f"→ next   ← previous   Ctrl+PgDn / Ctrl+PgUp next / previous patient "
                                      f"(worklist {where})   Esc closes")
