"""Window sizes that fit the screen a window is on, from a 1280×720 projector up.

A first launch takes at most 90 % of the available screen; a saved geometry is restored only when it
still fits the screen the window will open on (a laptop undocked from a large monitor gets a fresh size).
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FIRST_LAUNCH_SHARE = 0.9
FRAME_ALLOWANCE = 8  # px a window manager's frame may add around the saved geometry


def available_geometry(widget: QWidget | None = None) -> QRect:
    if widget is not None and not widget.isVisible() and widget.parentWidget() is not None:
        widget = widget.parentWidget().window()  # a secondary window opens over its main window
    screen = None
    if widget is not None:
        # where the window is now (a moved window's screen() can lag behind), else where it will open
        screen = (QGuiApplication.screenAt(widget.frameGeometry().center()) if widget.isVisible() else None) \
            or widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def first_size(widget: QWidget, preferred: QSize) -> QSize:
    area = available_geometry(widget)
    return QSize(min(preferred.width(), int(FIRST_LAUNCH_SHARE * area.width())),
                 min(preferred.height(), int(FIRST_LAUNCH_SHARE * area.height())))


def fit_window(widget: QWidget, preferred: QSize) -> None:
    """Size ``widget`` to ``preferred`` or 90 % of its screen, whichever is smaller, and centre it."""
    area = available_geometry(widget)
    size = first_size(widget, preferred)
    widget.resize(size)
    widget.move(area.x() + (area.width() - size.width()) // 2, area.y() + (area.height() - size.height()) // 2)


def fits(widget: QWidget) -> bool:
    area = available_geometry(widget).adjusted(-FRAME_ALLOWANCE, -FRAME_ALLOWANCE, FRAME_ALLOWANCE, FRAME_ALLOWANCE)
    return area.contains(widget.frameGeometry()) or area.contains(widget.geometry())


def restore_or_fit(widget: QWidget, saved: QByteArray | None, preferred: QSize) -> bool:
    """Restore ``saved`` when it fits the screen; otherwise size afresh. Returns True if restored."""
    if saved is not None and widget.restoreGeometry(saved) and fits(widget):
        return True
    fit_window(widget, preferred)
    return False
