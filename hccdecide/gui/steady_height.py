"""A column of wrapped text that does not jump while the same thing is being edited.

The risk view's text above the charts is reworded by most edits (a stratum, a band, a warning), often
by a line. If the column followed the text exactly, everything below it would move and be repainted on
every keystroke, and the chart would be resized and drawn afresh. Here the column grows as the text
needs, but only shrinks back when the subject changes (another model) or the width does.
"""
from __future__ import annotations

from typing import Hashable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class SteadyColumn(QWidget):
    def __init__(self, *widgets: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)  # when the text is shorter than the column, the space is below it
        self._subject: Hashable = None
        self._width = -1
        self.floor = 0  # the column's height never goes below this while the subject is the same

    @property
    def subject(self) -> Hashable:
        return self._subject

    def hold(self, subject: Hashable) -> None:
        """Call after the text changed; a new ``subject`` lets the column shrink to its text again."""
        if subject != self._subject:
            self._subject = subject
            self._release()

    def _release(self) -> None:
        self.floor = 0
        self.setMinimumHeight(0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """The layout sizes the column to its text; the height reached is kept as the floor (measuring
        the text here instead of after each edit costs nothing extra)."""
        super().resizeEvent(event)
        if event.size().width() != self._width:  # rewrapped at a new width: measure afresh
            self._width = event.size().width()
            self._release()
            return
        if event.size().height() > self.floor:
            self.floor = event.size().height()
            self.setMinimumHeight(self.floor)
