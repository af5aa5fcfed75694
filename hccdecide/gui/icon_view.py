"""Icon arrays in the window: "of 100 patients like this, about N ...", drawn by the same matplotlib
function as the PDF and the slides (:func:`hccdecide.report.icon_chart.draw_icon_array`).

matplotlib loads when the tab is first shown, not at start-up.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:  # the engine loads after the window's first paint
    from hccdecide.engine.icon_array import IconArray


class IconArrayPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("iconArrays")
        self.icons: tuple[IconArray, ...] = ()
        self.canvas = None
        self.empty = QLabel("No individual estimate or derived randomised benefit applies to this patient.")
        self.empty.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.empty)
        self.empty.hide()

    def show_icons(self, icons: tuple[IconArray, ...]) -> None:
        self.icons = tuple(icons)
        if self.isVisible():
            self.draw()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.draw()

    def _ensure_canvas(self):
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.canvas = FigureCanvasQTAgg(Figure(figsize=(7, 4), layout="constrained"))
            self.canvas.setObjectName("iconCanvas")
            self.layout_.addWidget(self.canvas, 1)
        return self.canvas

    def draw(self) -> None:
        from hccdecide.report.icon_chart import draw_icon_array

        self.empty.setVisible(not self.icons)
        canvas = self._ensure_canvas()
        canvas.setVisible(bool(self.icons))
        fig = canvas.figure
        fig.clear()
        n = max(1, min(len(self.icons), 3))
        for k, icons in enumerate(self.icons[:3]):
            draw_icon_array(fig.add_subplot(1, n, k + 1), icons, legend="below", size=18)
        canvas.draw_idle()
