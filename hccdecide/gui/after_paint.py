"""Start background work only once the edit that asked for it is on screen.

Python runs one thread at a time. A worker busy in Python (ranking the next data, applying the band
draws) takes the interpreter lock from the GUI thread each time the GUI thread lets go of it to call
Qt, and the GUI thread then waits up to the interpreter's switch interval (5 ms) to get it back: an
edit's 30 ms of work took 90-100 ms of wall time while the workers ran beside it.

Qt paints a window when it handles the update request that the edit's first change posted, at low
priority. An event posted here at a still lower priority is delivered after that paint, in the same
pass of the event loop, so the work starts when the refreshed view has been drawn.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt

_START = QEvent.Type(QEvent.registerEventType())
AFTER_UPDATES = Qt.LowEventPriority.value - 1  # below the priority of the window's update request


class AfterPaint(QObject):
    """Calls ``action`` once after the next paint, however often it was requested before that."""

    def __init__(self, action: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self._action = action
        self._pending = False

    @property
    def pending(self) -> bool:
        return self._pending

    def request(self) -> None:
        if not self._pending:
            self._pending = True
            QCoreApplication.postEvent(self, QEvent(_START), AFTER_UPDATES)

    def cancel(self) -> None:
        """Drop a requested call (the window is closing)."""
        self._pending = False

    def run_now(self) -> None:
        """Make a requested call at once (a caller is about to wait for its result)."""
        if self._pending:
            self._pending = False
            self._action()

    def event(self, event: QEvent) -> bool:
        if event.type() == _START:
            self.run_now()
            return True
        return super().event(event)
