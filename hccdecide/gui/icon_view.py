"""Icon arrays in the window: "of 100 patients like this, about N ...", drawn by the same matplotlib
function as the PDF and the slides (:func:`hccdecide.report.icon_chart.draw_icon_array`).

matplotlib loads when the tab is first shown, not at start-up.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:  # the engine loads after the window's first paint
    from hccdecide.engine.icon_array import IconArray

SLIDE_MARKER = 0.6  # marker width as a share of a grid cell
SLIDE_LEGEND = 0.75  # legend type, a share of the slide's chart text
SLIDE_WRAP = 30  # legend labels wrapped at this many characters


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
            # side by side, a sentence wrapped at 60 characters would run into its neighbour's
            draw_icon_array(fig.add_subplot(1, n, k + 1), icons, legend="below", size=18, title_wrap=120 // (n + 1),
                            wrap=40)
        canvas.draw_idle()


class SlideIcons(QWidget):
    """Icon arrays on a tumour-board slide: the grids side by side with their legends in large type.
    The sentences are in the slide's own text (fitted to the screen); each grid is titled with its
    source. Icons are sized to the grid each time it is drawn, so they never overlap on a small screen."""

    def __init__(self, icons: tuple[IconArray, ...], text_pt: float, parent: QWidget | None = None):
        super().__init__(parent)
        from matplotlib.figure import Figure

        from hccdecide.gui.shown_canvas import ShownCanvas  # matplotlib loads with the first slide
        from hccdecide.report.icon_chart import draw_icon_array

        self.icons = tuple(icons)
        figure = Figure(figsize=(6 * len(self.icons), 4), layout="constrained")
        for k, icons_k in enumerate(self.icons):
            ax = figure.add_subplot(1, len(self.icons), k + 1)
            draw_icon_array(ax, icons_k, legend=True, title=False, font=SLIDE_LEGEND * text_pt, wrap=SLIDE_WRAP)
            ax.set_title(icons_k.title, fontsize=SLIDE_LEGEND * text_pt, loc="left")
        self.canvas = ShownCanvas(figure)
        self.canvas.setObjectName("presentationIcons")
        self.canvas.setFocusPolicy(Qt.NoFocus)  # keys belong to the presentation window
        self.canvas.setMinimumSize(300, 200)
        self.canvas.mpl_connect("draw_event", self._fit_icons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)

    def _fit_icons(self, _event) -> None:
        """Marker area from the grid's cell size (one data unit once the layout is done); redraw only on change."""
        changed = False
        for ax in self.canvas.figure.axes:
            (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])  # one cell, in pixels
            cell_pt = min(abs(x1 - x0), abs(y1 - y0)) * 72 / self.canvas.figure.dpi
            area = (SLIDE_MARKER * cell_pt) ** 2
            for collection in ax.collections:
                sizes = collection.get_sizes()
                if len(sizes) and abs(sizes[0] - area) > 0.05 * area:
                    collection.set_sizes([area])
                    changed = True
        if changed:
            self.canvas.draw_idle()
