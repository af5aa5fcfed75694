"""matplotlib canvases embedded in Qt; the drawing itself is shared with the PDF report.

Chart text follows the app's zoom: after each drawing every text is scaled by the zoom level, and a
change of the application font redraws at the new scale.

An edit that changes only the patient's values (same model, same kind of chart) does not redraw the
charts: the curves, band and factor colours are updated in place and only they are drawn again over
the cached rest of the figure (axes, ticks, text, legend) — a few milliseconds instead of ~60 ms per
chart for a full draw with constrained layout.
"""
from __future__ import annotations

import math

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QWidget

from hccdecide.engine.prognosis import CurveEstimate
from hccdecide.engine.uncertainty import Band
from hccdecide.gui import zoom
from hccdecide.report.charts import (forest_shape, legend_below_axis, plot_forest, plot_survival, refresh_forest,
                                     refresh_survival, survival_shape)

CHART_MIN_HEIGHT = 240  # px: below ~220 constrained layout squeezes the axes to nothing
CHART_MIN_WIDTH = 200
SIDE_BY_SIDE_MIN_WIDTH = 560  # px at zoom 1: narrower, the forest plot goes under the curve
LABEL_GAP = 0.25  # of a line, between two row labels of the forest plot


class ChartCanvas(FigureCanvasQTAgg):
    def __init__(self, width: float = 5.0, height: float = 3.4):
        self.figure = Figure(figsize=(width, height), layout="constrained")
        super().__init__(self.figure)
        self.ax = self.figure.add_subplot()
        self.setMinimumSize(CHART_MIN_WIDTH, CHART_MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self._base_sizes: dict[int, float] = {}
        self.shape: tuple | None = None  # what kind of chart is drawn (None: nothing yet)
        self.full_draws = 0  # complete redraws of the figure (tests: an edit of values does none)
        self._live: list = []  # artists drawn over the cached background
        self._background = None  # (pixels, renderer) of the last full draw without the live artists
        self.mpl_connect("draw_event", self._after_full_draw)

    def remember_text_sizes(self) -> None:
        """Record each text's size as drawn at zoom 1, before scaling."""
        self._base_sizes = {id(t): float(t.get_fontsize()) for t in self.figure.findobj(Text)}

    def scale_text(self, scale: float) -> None:
        for text in self.figure.findobj(Text):
            base = self._base_sizes.get(id(text))
            if base is not None:
                text.set_fontsize(base * scale)
        for ax in self.figure.axes:  # a legend under the axis moves down with the larger tick labels
            legend = ax.get_legend()
            if legend is not None and hasattr(legend, "below_axis_x"):
                legend_below_axis(legend, legend.below_axis_x, scale)

    def make_live(self) -> None:
        """After plotting: the artists inside the axes drawn above the grid and ticks (data, spines,
        notes) are left out of full draws and drawn over the cached background instead, in the order
        a full draw would draw them (by zorder), so the pixels are the same either way."""
        ax = self.ax
        inside = {*ax.lines, *ax.collections, *ax.texts, *ax.spines.values()}
        below = max(ax.xaxis.get_zorder(), ax.yaxis.get_zorder())
        live = [a for a in ax.get_children() if a in inside and a.get_zorder() > below]
        for artist in live:
            artist.set_animated(True)
        self._live = sorted(live, key=lambda a: a.get_zorder())
        self._background = None

    def _after_full_draw(self, event) -> None:
        if self.figure.canvas.is_saving():  # a saved figure includes the live artists itself
            return
        self.full_draws += 1
        if event.renderer is self.get_renderer():
            self._background = (self.copy_from_bbox(self.figure.bbox), event.renderer)
        for artist in self._live:
            artist.draw(event.renderer)

    def redraw_live(self) -> None:
        """Show changed live artists: restore the background and draw only them (a full draw when
        there is no usable background: none yet, a pending full draw, or a new size)."""
        pending = getattr(self, "_draw_pending", False)  # FigureCanvasQT: a full draw is queued
        if self._background is None or pending or self._background[1] is not self.get_renderer():
            self.draw_idle()
            return
        self.restore_region(self._background[0])
        for artist in self._live:
            self.ax.draw_artist(artist)
        self.blit(self.figure.bbox)

    def blit(self, bbox=None) -> None:
        """Show the canvas's changed pixels with the rest of the edit's changes, in the window's next
        paint. (matplotlib repaints at once: in the middle of an edit that paints the whole window a
        first time, before the text and tables around the chart have been updated.)"""
        bbox = bbox if bbox is not None else self.figure.bbox
        left, bottom, width, height = (int(v / self.device_pixel_ratio) for v in bbox.bounds)
        self.update(left, self.rect().height() - (bottom + height), width, height)


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
        self.box = layout = QBoxLayout(QBoxLayout.LeftToRight, self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.survival = ChartCanvas()
        self.survival.setObjectName("survivalChart")
        self.forest = ChartCanvas()
        self.forest.setObjectName("forestChart")
        layout.addWidget(self.survival, 3)
        layout.addWidget(self.forest, 2)
        self.forest.mpl_connect("draw_event", self._forest_drawn)
        self.scale = 1.0
        self.draw_count = 0  # how often the charts were drawn (tests: hidden charts never redraw)
        self._curve: tuple | None = ()  # what is drawn now; () = nothing yet
        self._band: tuple | None = None

    def draw(self, curve: CurveEstimate | None, band: Band | None) -> None:
        """Draw ``curve`` with ``band``; an unchanged curve is not drawn again (an edit of a value the
        model does not use, or the same curve while its new band is still computing keeps the old band)."""
        key = _curve_key(curve)
        if key == self._curve and (band is None or _band_key(band) == self._band):
            return
        self._curve, self._band = key, _band_key(band)
        if curve is None:
            self._replot(self.survival, None, lambda ax: None)
            self._replot(self.forest, None, lambda ax: None)
        else:
            self._show(self.survival, survival_shape(curve, band), lambda ax: plot_survival(ax, curve, band),
                       lambda ax: refresh_survival(ax, curve, band))
            self._show(self.forest, forest_shape(curve), lambda ax: plot_forest(ax, curve),
                       lambda ax: refresh_forest(ax, curve))
        self.draw_count += 1

    def _show(self, canvas: ChartCanvas, shape: tuple, plot, refresh) -> None:
        """Update the values in place when the chart is of the same shape, else plot it afresh."""
        if shape == canvas.shape:
            before = _look(canvas.ax)
            refresh(canvas.ax)
            if _look(canvas.ax) != before:
                canvas.redraw_live()
        else:
            self._replot(canvas, shape, plot)

    def _replot(self, canvas: ChartCanvas, shape: tuple | None, plot) -> None:
        canvas.ax.clear()
        _undo_collapse(canvas.ax)
        plot(canvas.ax)
        canvas.shape = shape
        self.scale = zoom.current_scale()
        canvas.remember_text_sizes()
        canvas.scale_text(self.scale)
        canvas.make_live()
        canvas.draw_idle()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """Side by side when wide enough for both at the current zoom, else one above the other."""
        wide = self.width() >= SIDE_BY_SIDE_MIN_WIDTH * zoom.current_scale()
        direction = QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            if wide:  # beside the curve the forest plot has the curve's height
                self.forest.setMinimumHeight(CHART_MIN_HEIGHT)

    def _forest_drawn(self, event) -> None:
        """Under the curve, the forest plot takes the height its factor labels need at the current
        zoom (at zoom 1.4 in a 240 px strip they overlapped). Measured after each full drawing, as
        drawn: the label heights depend on the model's labels and the zoom, and the layout's margins
        (title, axis, legend) on the zoom alone, so a second drawing at the new height fits."""
        if self.forest.figure.canvas.is_saving() or self.box.direction() != QBoxLayout.TopToBottom:
            return
        needed = forest_height_needed(self.forest.ax, event.renderer) / self.forest.device_pixel_ratio
        height = max(CHART_MIN_HEIGHT, math.ceil(needed))
        if height != self.forest.minimumHeight():
            self.forest.setMinimumHeight(height)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.FontChange and abs(zoom.current_scale() - self.scale) > 1e-6:
            self.scale = zoom.current_scale()
            self._arrange()
            for canvas in (self.survival, self.forest):
                canvas.scale_text(self.scale)
                canvas.draw_idle()


def forest_height_needed(ax, renderer) -> float:
    """The figure height (pixels) at which no two row labels of the forest plot ``ax`` overlap."""
    ticks = sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda tick: tick[0])
    heights = [label.get_window_extent(renderer).height for _y, label in ticks if label.get_text()]
    if len(heights) < 2:
        return 0.0
    gap = LABEL_GAP * min(heights)  # the shortest label is one line
    pitch = max((a + b) / 2 for a, b in zip(heights, heights[1:])) + gap
    rows = abs(ax.get_ylim()[1] - ax.get_ylim()[0])  # in rows: the axis spans a fraction of a row more
    margins = ax.figure.bbox.height - ax.bbox.height  # title, axis labels and legend
    return margins + pitch * rows


def _look(ax) -> list:
    """The data and colours of the axes' lines and collections (to skip redrawing what did not change)."""
    lines = [(line.get_xydata().tobytes(), line.get_color(), line.get_markerfacecolor()) for line in ax.get_lines()]
    return lines + [tuple(p.vertices.tobytes() for p in c.get_paths()) for c in ax.collections]


def _curve_key(curve: CurveEstimate | None) -> tuple | None:
    if curve is None:
        return None
    return (curve.study.id, curve.model.id, curve.stage, tuple(s.present for s in curve.states),
            curve.survival.tobytes(), curve.envelope[0].tobytes(), curve.envelope[1].tobytes())


def _band_key(band: Band | None) -> tuple | None:
    return None if band is None else (band.lower.tobytes(), band.upper.tobytes())
