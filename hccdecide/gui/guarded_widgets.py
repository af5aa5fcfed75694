"""Form widgets that cannot change a case by accident and do not swallow the app's shortcuts.

A wheel turn over a choice box the user is not working in scrolls the form instead of changing the
value (ascites none → mild would silently change Child–Pugh). A text field gives the app's own
shortcuts (Ctrl+E, Ctrl+N, Ctrl+P…) precedence over its line-editing keys, since the cursor is
usually in a field when the user reaches for them.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QLineEdit

APP_SHORTCUTS: set[str] = set()  # the main window's shortcuts, as QKeySequence text


def register_shortcuts(sequences) -> None:
    APP_SHORTCUTS.update(QKeySequence(s).toString() for s in sequences)


class StillComboBox(QComboBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.StrongFocus)  # a wheel turn does not give it focus either

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # goes on to the scrolling pane around the form


class FieldLineEdit(QLineEdit):
    def event(self, event) -> bool:
        if (event.type() == QEvent.ShortcutOverride and event.modifiers() & (Qt.ControlModifier | Qt.AltModifier)
                and QKeySequence(event.keyCombination()).toString() in APP_SHORTCUTS):
            return True  # not accepted here: the application shortcut fires
        return super().event(event)
