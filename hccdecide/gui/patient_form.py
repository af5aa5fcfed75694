"""The patient form: one editor per field of the patient table, grouped as a clinician thinks.

A value reaches the case when its entry is complete: on leaving the field (Tab, Enter, a click
elsewhere) or after a short pause in typing, never from a partial keystroke ("45" never passes
through 4). Text that cannot be accepted stays in the field with a message under it in clinical
words (label, unit, range; the other unit when the value fits that one); the case keeps its last
valid value and the results side lists the field as ignored. Derived values are shown in each group.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QScrollArea, QVBoxLayout, QWidget)

from hccdecide.clinical.nodes import station_table
from hccdecide.errors import PatientError
from hccdecide.gui.derived_text import DERIVED_BY_GROUP
from hccdecide.gui.field_messages import field_message
from hccdecide.gui.guarded_widgets import FieldLineEdit, StillComboBox
from hccdecide.patient import (ALT_UNITS, BOOLEAN, CHOICE, FIELDS, GROUPS, INTEGER, NUMBER, TEXT, TEXT_LIST, FieldSpec,
                               Patient, parse_text)

UNKNOWN_TEXT = "— unknown"
# Fields with a second common unit: canonical key -> (alternative unit label, factor to canonical).
ALT_UNIT = {"bilirubin_umol_l": ("mg/dL", 17.104), "albumin_g_l": ("g/dL", 10.0)}
TWO_COLUMN_MIN_WIDTH = 720  # px of viewport: two label/editor pairs of ~360 px side by side
MAX_COLUMNS = 2
LABEL_MIN_WIDTH = 120
PAUSE_MS = 700  # a pause in typing this long ends the entry (Tab or Enter end it at once)
_NOTHING = object()  # no typed value waiting to be committed


def _choice_text(value: str) -> str:
    from hccdecide.variables import choice_text

    return choice_text(value)


class FieldEditor(QWidget):
    """Editor for one patient field; emits ``committed(key, value)`` for every accepted value."""

    committed = Signal(str, object)
    unit_changed = Signal(str, int)
    validity_changed = Signal(str, str)  # key, message ("" = valid)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.factor = 1.0
        self.value: Any = None  # last value shown or accepted, in the canonical unit
        self._pending: Any = _NOTHING  # a valid typed value not yet committed
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.commit_pending)
        self._build()
        self.setFocusProxy(self.editor)

    # -- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.editor = self._make_editor()
        self.editor.setObjectName(f"field_{self.spec.key}")
        self.editor.setToolTip(self._tooltip())
        row.addWidget(self.editor, 1)
        self.unit_box = None
        if self.spec.key in ALT_UNIT:
            self.unit_box = StillComboBox()
            self.unit_box.setObjectName(f"unit_{self.spec.key}")
            self.unit_box.addItems([self.spec.unit, ALT_UNIT[self.spec.key][0]])
            self.unit_box.currentIndexChanged.connect(self._unit_changed)
            row.addWidget(self.unit_box)
        elif self.spec.unit and self.spec.kind in (NUMBER, INTEGER):
            unit = QLabel(self.spec.unit)
            unit.setObjectName("unitLabel")
            row.addWidget(unit)
        layout.addLayout(row)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    def _tooltip(self) -> str:
        accepted = self.spec.accepted().replace(", or null for unknown", "; empty = unknown")
        text = f"{self.spec.label} — accepts {accepted}"
        return text + (f"\n{self.spec.help}" if self.spec.help else "")

    def _make_editor(self) -> QWidget:
        kind = self.spec.kind
        if kind in (BOOLEAN, CHOICE):
            box = StillComboBox()
            box.addItem(UNKNOWN_TEXT, None)
            options = [(True, "yes"), (False, "no")] if kind == BOOLEAN else [
                (c, _choice_text(c)) for c in self.spec.choices]
            for value, text in options:
                box.addItem(text, value)
            box.currentIndexChanged.connect(lambda _i: self._commit(box.currentData()))
            return box
        if kind == TEXT_LIST:
            return self._make_station_list()
        edit = FieldLineEdit()
        edit.setClearButtonEnabled(True)
        edit.setPlaceholderText("unknown")
        edit.textEdited.connect(self._text_edited)
        edit.editingFinished.connect(self.commit_pending)
        return edit

    def _make_station_list(self) -> QListWidget:
        lst = QListWidget()
        for code, station in station_table().items():
            item = QListWidgetItem(f"{station.label}  ({station.location.replace('_', '-')})")
            item.setData(Qt.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            item.setToolTip(station.note or station.label)
            lst.addItem(item)
        lst.setMaximumHeight(150)
        lst.setWordWrap(True)  # long station names wrap in a narrow pane instead of scrolling sideways
        lst.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        lst.itemChanged.connect(lambda _item: self._commit(self._checked_stations() or None))
        return lst

    # -- reading and writing ---------------------------------------------------------------
    def _checked_stations(self) -> list[str]:
        lst: QListWidget = self.editor  # type: ignore[assignment]
        return [lst.item(i).data(Qt.UserRole) for i in range(lst.count())
                if lst.item(i).checkState() == Qt.Checked]

    def _text_edited(self, text: str) -> None:
        """Check the text as typed; a valid value waits for the end of the entry."""
        try:
            value = self._parse(text)
        except PatientError as err:
            self._pending = _NOTHING
            self._pause.stop()
            self.show_error(self._message(text, err))
            return
        self.show_error("")
        self._pending = value
        self._pause.start()

    def commit_pending(self) -> None:
        """End the entry: a valid typed value reaches the case now."""
        self._pause.stop()
        if self._pending is not _NOTHING:
            value, self._pending = self._pending, _NOTHING
            if value != self.value:
                self._commit(value)

    @property
    def has_pending(self) -> bool:
        return self._pending is not _NOTHING

    def _message(self, text: str, err: PatientError) -> str:
        unit = self.unit_box.currentText() if self.unit_box is not None else None
        spec = self.spec
        alt = next((a for a in ALT_UNITS if a.canonical == spec.key and a.factor == self.factor), None)
        if alt is not None:  # the range as accepted in the chosen unit (0.06–52.6 mg/dL), not converted
            spec = replace(spec, low=alt.low * self.factor, high=alt.high * self.factor)
        return field_message(spec, text, self.factor, unit, ALT_UNIT.get(self.spec.key), err.accepted)

    @property
    def invalid_message(self) -> str:
        """What is wrong with the text in the field ("" when it is valid)."""
        return self.error.text() if self.editor.property("invalid") else ""

    def _parse(self, text: str) -> Any:
        if self.factor == 1.0 or text.strip() == "":
            return parse_text(self.spec.key, text)
        # a refusal names the unit the user chose (bilirubin_mg_dl and its mg/dL range), not µmol/L
        alt = next(a for a in ALT_UNITS if a.canonical == self.spec.key and a.factor == self.factor)
        refusal = PatientError(alt.key, text, f"a number from {alt.low:g} to {alt.high:g} {alt.unit}, or empty")
        try:
            return parse_text(self.spec.key, repr(round(float(text.strip().replace(",", ".")) * self.factor, 6)))
        except (ValueError, PatientError):
            raise refusal from None

    def _factor_for(self, unit_index: int) -> float:
        return 1.0 if unit_index == 0 else ALT_UNIT[self.spec.key][1]

    def _unit_changed(self, index: int) -> None:
        self.factor = self._factor_for(index)
        self.unit_changed.emit(self.spec.key, index)
        self._text_edited(self.editor.text())  # re-read what is typed in the new unit
        self.commit_pending()

    def set_unit_index(self, index: int) -> None:
        """Choose the unit without re-reading the text (restoring the user's preferred unit)."""
        if self.unit_box is None or not 0 <= index < self.unit_box.count():
            return
        self.unit_box.blockSignals(True)
        self.unit_box.setCurrentIndex(index)
        self.unit_box.blockSignals(False)
        self.factor = self._factor_for(index)
        self.editor.blockSignals(True)
        self.set_value(self.value)  # the same quantity, shown in the chosen unit
        self.editor.blockSignals(False)

    def _commit(self, value: Any) -> None:
        self.value = value
        self.committed.emit(self.spec.key, value)

    def show_error(self, message: str) -> None:
        was = self.invalid_message
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.editor.setProperty("invalid", bool(message))
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)
        if message != was:
            self.validity_changed.emit(self.spec.key, message)

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting (the caller blocks signals)."""
        self.value = value
        self._pending = _NOTHING
        self._pause.stop()
        kind = self.spec.kind
        if kind in (BOOLEAN, CHOICE):
            box: QComboBox = self.editor  # type: ignore[assignment]
            box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)
        elif kind == TEXT_LIST:
            lst: QListWidget = self.editor  # type: ignore[assignment]
            chosen = set(value or ())
            for i in range(lst.count()):
                lst.item(i).setCheckState(Qt.Checked if lst.item(i).data(Qt.UserRole) in chosen else Qt.Unchecked)
        else:
            edit: QLineEdit = self.editor  # type: ignore[assignment]
            if value is None:
                edit.setText("")
            elif kind == TEXT:
                edit.setText(str(value))
            else:
                shown = value / self.factor if self.factor != 1.0 else value
                edit.setText(f"{shown:g}")
        self.show_error("")


class PatientForm(QScrollArea):
    """All groups of fields, with each group's derived values shown under its inputs.

    When the pane is wide enough each group lays its fields in two columns (row by row, so Tab moves
    left to right then down, the order of the field table); narrow, it falls back to one column.
    """

    value_committed = Signal(str, object)
    unit_changed = Signal(str, int)  # field key, unit index (0 = canonical)
    invalid_changed = Signal(dict)  # {field label: message} of every field whose text is ignored

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("patientForm")
        self.setWidgetResizable(True)
        self.editors: dict[str, FieldEditor] = {}
        self.derived_labels: dict[str, QLabel] = {}
        self.group_boxes: dict[str, QGroupBox] = {}
        self._rows: dict[str, list[tuple[QLabel, FieldEditor]]] = {}
        self._updating = False
        self.columns = 0
        body = QWidget()
        column = QVBoxLayout(body)
        for group in GROUPS:
            column.addWidget(self._group_box(group))
        column.addStretch(1)
        self.setWidget(body)
        self._arrange(1)
        self._chain_tab_order()

    def _group_box(self, group: str) -> QGroupBox:
        box = QGroupBox(group)
        box.setObjectName(f"group_{group}")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        rows = []
        for spec in (f for f in FIELDS if f.group == group):
            editor = FieldEditor(spec)
            editor.committed.connect(self._on_committed)
            editor.unit_changed.connect(self.unit_changed)
            editor.validity_changed.connect(lambda _k, _m: self.invalid_changed.emit(self.invalid_fields()))
            label = QLabel(spec.label)
            label.setBuddy(editor.editor)
            label.setWordWrap(True)
            label.setMinimumWidth(LABEL_MIN_WIDTH)
            rows.append((label, editor))
            self.editors[spec.key] = editor
        self._rows[group] = rows
        if group in DERIVED_BY_GROUP:
            derived = QLabel()
            derived.setObjectName(f"derived_{group}")
            derived.setProperty("role", "derived")
            derived.setWordWrap(True)
            derived.setTextFormat(Qt.RichText)
            self.derived_labels[group] = derived
        self.group_boxes[group] = box
        return box

    def _arrange(self, columns: int) -> None:
        """Place every group's fields in ``columns`` label/editor pairs per row."""
        if columns == self.columns:
            return
        self.columns = columns
        for group, rows in self._rows.items():
            grid: QGridLayout = self.group_boxes[group].layout()  # type: ignore[assignment]
            while grid.count():
                grid.takeAt(0)
            row = col = 0
            for label, editor in rows:
                wide = editor.spec.kind == TEXT_LIST  # the station checklist needs the full width
                if wide and col:
                    row, col = row + 1, 0
                grid.addWidget(label, row, 2 * col, Qt.AlignTop if wide else Qt.AlignVCenter)
                grid.addWidget(editor, row, 2 * col + 1, 1, 2 * columns - 1 if wide else 1)
                col = 0 if wide else col + 1
                if col == 0 or col == columns:
                    row, col = row + 1, 0
            if group in self.derived_labels:
                grid.addWidget(self.derived_labels[group], row + (1 if col else 0), 0, 1, 2 * columns)
            for c in range(2 * MAX_COLUMNS):
                grid.setColumnStretch(c, 1 if c % 2 and c < 2 * columns else 0)

    def _chain_tab_order(self) -> None:
        chain = [w for e in self.editors.values() for w in (e.editor, e.unit_box) if w is not None]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange(2 if self.viewport().width() >= TWO_COLUMN_MIN_WIDTH else 1)

    def _on_committed(self, key: str, value: Any) -> None:
        if not self._updating:
            self.value_committed.emit(key, value)

    def show_patient(self, patient: Patient) -> None:
        """Fill every editor from ``patient`` without echoing the values back."""
        self._updating = True
        try:
            for key, editor in self.editors.items():
                editor.blockSignals(True)
                editor.editor.blockSignals(True)
                editor.set_value(patient.values.get(key))
                editor.editor.blockSignals(False)
                editor.blockSignals(False)
        finally:
            self._updating = False

    def show_derived(self, texts: dict[str, str]) -> None:
        for group, label in self.derived_labels.items():
            label.setText(texts.get(group, ""))

    def invalid_fields(self) -> dict[str, str]:
        """{label: message} of every field whose text cannot be accepted (the case ignores it)."""
        return {e.spec.label: e.invalid_message for e in self.editors.values() if e.invalid_message}

    def commit_pending(self) -> None:
        """End every entry still being typed (before saving, closing or reading the case)."""
        for editor in self.editors.values():
            if editor.has_pending:
                editor.commit_pending()

    def editor(self, key: str) -> FieldEditor:
        return self.editors[key]

    def focus_first(self) -> None:
        """Ctrl+L: the first field of the form, scrolled into view, ready for typing."""
        first = self.editors[FIELDS[0].key].editor
        self.ensureWidgetVisible(first)
        first.setFocus(Qt.ShortcutFocusReason)
        if isinstance(first, QLineEdit):
            first.selectAll()
