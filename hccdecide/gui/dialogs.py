"""Questions and messages to the user behind patchable functions, so tests can answer them (pytest-qt habit).

Callers use ``dialogs.ask(...)`` / ``dialogs.inform(...)`` through the module, never a name imported
from it, so one ``monkeypatch.setattr(dialogs, "ask", ...)`` answers every question in the app.
"""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

_BUTTONS = {"save": QMessageBox.Save, "discard": QMessageBox.Discard, "cancel": QMessageBox.Cancel,
            "yes": QMessageBox.Yes, "no": QMessageBox.No, "ok": QMessageBox.Ok}
_KINDS = {"information": QMessageBox.information, "warning": QMessageBox.warning,
          "critical": QMessageBox.critical}


def ask(parent: QWidget | None, title: str, text: str, answers: tuple[str, ...]) -> str:
    """Ask a question with the given answers; returns the chosen answer's name."""
    buttons = QMessageBox.NoButton
    for a in answers:
        buttons |= _BUTTONS[a]
    chosen = QMessageBox.question(parent, title, text, buttons, _BUTTONS[answers[0]])
    for name, button in _BUTTONS.items():
        if chosen == button:
            return name
    return answers[-1]


def inform(parent: QWidget | None, title: str, text: str, kind: str = "warning") -> None:
    """Tell the user something that needs reading (an error, a recovery); ``kind`` picks the icon."""
    _KINDS[kind](parent, title, text)
