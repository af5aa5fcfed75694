"""Questions to the user behind one patchable function, so tests can answer them (pytest-qt habit)."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

_BUTTONS = {"save": QMessageBox.Save, "discard": QMessageBox.Discard, "cancel": QMessageBox.Cancel,
            "yes": QMessageBox.Yes, "no": QMessageBox.No, "ok": QMessageBox.Ok}


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
