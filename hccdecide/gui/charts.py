"""matplotlib canvases embedded in Qt; the drawing itself is shared with the PDF report."""
from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QHBoxLayout, QWidget

from hccdecide.engine.prognosis import CurveEstimate
from hccdecide.engine.uncertainty import Band
from hccdecide.report.charts import plot_forest, plot_survival


class ChartCanvas(FigureCanvasQTAgg):
    def __init__(self, width: float = 5.0, height: float = 3.4):
        self.figure = Figure(figsize=(width, height), layout="constrained")
        super().__init__(self.figure)
        self.ax = self.figure.add_subplot()


def _undo_collapse(ax) -> None:
    """Constrained layout shrinks the axes to nothing while the canvas is briefly laid out at ~0 px
    (e.g. while the panel above grows); drawing into a zero-size axes then fails (singular transform).
    Give the axes a sane box again; the layout takes over at the next draw."""
    box = ax.get_position()
    if box.width <= 0.01 or box.height <= 0.01:
        ax.set_position((0.12, 0.15, 0.8, 0.75))


class ChartPair(QWidget):
    """The individual survival curve with its band, and the forest plot of the model's HRs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.survival = ChartCanvas()
        self.survival.setObjectName("survivalChart")
        self.forest = ChartCanvas()
        self.forest.setObjectName("forestChart")
        layout.addWidget(self.survival, 3)
        layout.addWidget(self.forest, 2)

    def draw(self, curve: CurveEstimate | None, band: Band | None) -> None:
        for canvas in (self.survival, self.forest):
            canvas.ax.clear()
            _undo_collapse(canvas.ax)
        if curve is not None:
            plot_survival(self.survival.ax, curve, band)
            plot_forest(self.forest.ax, curve)
        self.survival.draw_idle()
        self.forest.draw_idle()
