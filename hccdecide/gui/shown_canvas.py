"""A matplotlib canvas that draws only while it is shown.

matplotlib draws a canvas whenever it is resized, shown or not. The slides of a tumour board are built
together and all but one are hidden; a hidden slide's chart is laid out at its minimum size until its
page is shown, and a constrained layout at that size squeezes the axes to nothing (matplotlib warned
"axes sizes collapsed to zero" for the icon arrays on a 1280x720 projector). Held back, the drawing is
made by the first paint, at the size the chart is seen at.
"""
from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg


class ShownCanvas(FigureCanvasQTAgg):
    def _draw_idle(self) -> None:
        if getattr(self, "_draw_pending", False) and not self.isVisible():
            return  # still pending: paintEvent draws it once the canvas is shown
        super()._draw_idle()
