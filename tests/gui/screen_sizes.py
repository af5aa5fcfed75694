"""The screen sizes the GUI tests use (see screens.json) and how to find each offscreen screen."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication

DESKTOP, LAPTOP, PROJECTOR = (1920, 1080), (1366, 768), (1280, 720)


def screen_sized(width: int, height: int):
    return next(s for s in QApplication.screens() if (s.size().width(), s.size().height()) == (width, height))
