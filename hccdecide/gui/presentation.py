"""Tumour-board presentation mode: a full-screen window, one large-type page at a time, no identifiers.

Keys: → / PageDown / Space next, ← / PageUp previous, Home / End, Esc closes, Ctrl++ / Ctrl+- / Ctrl+0 zoom.
Keys are read in keyPressEvent rather than through QShortcut so they work on a shared screen whose
window manager may not make the window "active", and so a clicker sending PageDown just works.
The window follows the case controller: a new assessment or late-arriving bands rebuild the pages.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from hccdecide.gui.controller import CaseController
from hccdecide.gui.presentation_pages import INK, REFERENCE_HEIGHT, PageContent, Typography, build_pages

NEXT_KEYS = (Qt.Key_Right, Qt.Key_PageDown, Qt.Key_Space, Qt.Key_Down)
PREVIOUS_KEYS = (Qt.Key_Left, Qt.Key_PageUp, Qt.Key_Up, Qt.Key_Backspace)
ZOOM_STEP, ZOOM_MIN, ZOOM_MAX = 1.15, 0.6, 2.0
CHART_TEXT_FACTOR = 0.85  # chart text a little under body size so tick labels do not collide
LEGEND_OUTSIDE_MIN_WIDTH = 1100  # px of chart: below this the legend moves inside the axes
MARGINS = (60, 40, 60, 24)  # left, top, right, bottom
CHART_MIN_HEIGHT = 250
FIT_STEP, FIT_MIN = 0.9, 0.5  # type shrinks in steps until the fullest page fits, never below half


def _label(html: str) -> QLabel:
    label = QLabel(html)
    label.setObjectName("pageText")
    label.setTextFormat(Qt.RichText)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
    return label


class SurvivalChart(QWidget):
    """The individual curve with its band, drawn by the report's plot function, with type enlarged."""

    def __init__(self, curve, band, body_pt: float, parent: QWidget | None = None):
        super().__init__(parent)
        from matplotlib.figure import Figure
        from matplotlib.text import Text

        from hccdecide.gui.shown_canvas import ShownCanvas  # matplotlib loads with the first chart page
        from hccdecide.report.charts import plot_survival

        figure = Figure(figsize=(12, 5), layout="constrained")
        ax = figure.add_subplot()
        plot_survival(ax, curve, band)
        # The report draws for paper; a projected chart needs body-sized text, thicker lines and no
        # title (the page has one).
        ax.set_title("")
        for text in figure.findobj(Text):
            text.set_fontsize(max(float(text.get_fontsize()), CHART_TEXT_FACTOR * body_pt))
        for line in ax.get_lines():
            line.set_linewidth(max(line.get_linewidth(), 3.0))
        self.ax, self.legend_pt, self.legend_outside = ax, CHART_TEXT_FACTOR * body_pt, None
        self.canvas = ShownCanvas(figure)
        self.canvas.setObjectName("presentationChart")
        self.canvas.setFocusPolicy(Qt.NoFocus)  # keys belong to the window
        self.canvas.setMinimumSize(400, 250)  # constrained layout cannot place axes in a collapsed canvas
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self._place_legend(outside=True)

    def _place_legend(self, outside: bool) -> None:
        """Beside the axes when there is room (enlarged, inside, it hides the curves); inside otherwise,
        smaller, so a narrow screen or a high zoom never squeezes the axes to nothing."""
        if outside == self.legend_outside:
            return
        self.legend_outside = outside
        handles, labels = self.ax.get_legend_handles_labels()
        if not handles:
            return
        if outside:
            self.ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
                           fontsize=self.legend_pt)
        else:
            self.ax.legend(handles, labels, loc="lower left", frameon=True, fontsize=0.7 * self.legend_pt)
        self.canvas.draw_idle()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._place_legend(outside=event.size().width() >= LEGEND_OUTSIDE_MIN_WIDTH)
        super().resizeEvent(event)


class PresentationWindow(QWidget):
    page_changed = Signal(int)

    def __init__(self, controller: CaseController, parent: QWidget | None = None):
        super().__init__(parent, Qt.Window)
        self.setObjectName("presentation")
        self.setWindowTitle("hccdecide — tumour board")  # never the file name: it may name the patient
        self.setFocusPolicy(Qt.StrongFocus)
        self.controller = controller
        self.typography = Typography()
        self.pages: list[PageContent] = []
        self.index = 0
        self._stale = True
        self.stack = QStackedWidget()
        self.hint = QLabel("→ next   ← previous   Esc closes")
        # The hint must not set a minimum width: on a small projector the window would outgrow the screen.
        self.hint.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.indicator = QLabel()
        self.indicator.setObjectName("pageIndicator")
        footer = QHBoxLayout()
        footer.addWidget(self.hint, 1)
        footer.addWidget(self.indicator)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*MARGINS)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)
        controller.assessment_changed.connect(self._invalidate)
        controller.bands_ready.connect(self._invalidate)
        self._apply_style()
        self.rebuild()

    # -- building ----------------------------------------------------------------------------
    def _apply_style(self) -> None:
        pt = self.typography.body
        self.setStyleSheet(f"QWidget#presentation {{ background: white; }}"
                           f"QWidget#presentation QLabel {{ color: {INK}; font-size: {pt:.0f}pt; background: white; }}"
                           f"QScrollArea {{ border: none; background: white; }}")

    def _invalidate(self, *_args) -> None:
        self._stale = True
        if self.isVisible():
            self.rebuild()

    def show_on(self, screen) -> None:
        """Fill ``screen`` (the projector the presenter chose); type scales with its height."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.typography.screen = screen.geometry().height() / REFERENCE_HEIGHT
        self._apply_style()
        self._stale = True

    def _page_area(self) -> tuple[int, int]:
        """Width and height a page has on the window's screen, below which nothing may scroll."""
        left, top, right, bottom = MARGINS
        footer = int(1.6 * self.typography.body * 96 / 72)
        return self.width() - left - right, self.height() - top - bottom - footer

    def _fits(self, pages: list[PageContent]) -> bool:
        width, height = self._page_area()
        doc = QTextDocument()
        for page in pages:
            doc.setHtml(page.html)
            doc.setTextWidth(width)
            room = height - (CHART_MIN_HEIGHT if page.kind == "risk" or page.icons else 0)
            if doc.size().height() > room:
                return False
        return True

    def _build_fitting(self, a) -> list[PageContent]:
        """Pages at the largest type (up to the chosen size) at which every page fits its screen."""
        self.typography.fit = 1.0
        pages = build_pages(a, self.controller.bands, self.typography)
        while not self._fits(pages) and self.typography.fit * FIT_STEP >= FIT_MIN:
            self.typography.fit *= FIT_STEP
            pages = build_pages(a, self.controller.bands, self.typography)
        self._apply_style()
        return pages

    def rebuild(self) -> None:
        a = self.controller.assessment
        self.pages = self._build_fitting(a) if a is not None else []
        while self.stack.count():
            old = self.stack.widget(0)
            self.stack.removeWidget(old)
            old.deleteLater()
        for page in self.pages:
            self.stack.addWidget(self._page_widget(page))
        self._stale = False
        self.go_to(min(self.index, max(0, len(self.pages) - 1)))

    def _page_widget(self, page: PageContent) -> QWidget:
        if page.kind == "risk" or page.icons:
            widget = QWidget()
            column = QVBoxLayout(widget)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(_label(page.html))
            charts = QHBoxLayout()
            if page.kind == "risk":
                curve = self.controller.assessment.curves[page.curve_index]
                band = self.controller.bands.get(page.curve_index)
                charts.addWidget(SurvivalChart(curve, band, self.typography.body), 2)
            if page.icons:  # the icon arrays (gui/icon_view.py), beside the curve on a risk page
                from hccdecide.gui.icon_view import SlideIcons

                charts.addWidget(SlideIcons(page.icons, CHART_TEXT_FACTOR * self.typography.body), 1)
            column.addLayout(charts, 1)
            return widget
        scroll = QScrollArea()  # a fallback only: the type is fitted so that no page needs it
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.NoFocus)
        scroll.setWidget(_label(page.html))
        return scroll

    # -- navigation --------------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        return len(self.pages)

    def go_to(self, index: int) -> None:
        if not self.pages:
            self.indicator.setText("no pages")
            return
        self.index = max(0, min(index, self.page_count - 1))
        self.stack.setCurrentIndex(self.index)
        self.indicator.setText(f"page {self.index + 1} of {self.page_count}")
        self.page_changed.emit(self.index)

    def next_page(self) -> None:
        self.go_to(self.index + 1)

    def previous_page(self) -> None:
        self.go_to(self.index - 1)

    def zoom(self, factor: float | None) -> None:
        """Multiply the type size by ``factor``; ``None`` resets it."""
        zoom = 1.0 if factor is None else self.typography.zoom * factor
        self.typography.zoom = max(ZOOM_MIN, min(ZOOM_MAX, zoom))
        self._apply_style()
        self.rebuild()

    def current_text(self) -> str:
        """Plain text of every label on the current page (tests, screen readers)."""
        return "\n".join(label.text() for label in self.stack.currentWidget().findChildren(QLabel)) \
            if self.pages else ""

    def all_text(self) -> str:
        labels = [w for i in range(self.stack.count()) for w in self.stack.widget(i).findChildren(QLabel)]
        return "\n".join([self.windowTitle(), self.hint.text(), self.indicator.text()]
                         + [label.text() for label in labels])

    # -- Qt overrides ------------------------------------------------------------------------
    def _command(self, event):
        """The action a key stands for here, or None."""
        key, ctrl = event.key(), bool(event.modifiers() & Qt.ControlModifier)
        if ctrl and (event.matches(QKeySequence.ZoomIn) or key in (Qt.Key_Plus, Qt.Key_Equal)):
            return lambda: self.zoom(ZOOM_STEP)
        if ctrl and (event.matches(QKeySequence.ZoomOut) or key == Qt.Key_Minus):
            return lambda: self.zoom(1 / ZOOM_STEP)
        if ctrl and key == Qt.Key_0:
            return lambda: self.zoom(None)
        if ctrl:
            return None
        return {**dict.fromkeys(NEXT_KEYS, self.next_page), **dict.fromkeys(PREVIOUS_KEYS, self.previous_page),
                Qt.Key_Home: lambda: self.go_to(0), Qt.Key_End: lambda: self.go_to(self.page_count - 1),
                Qt.Key_Escape: self.close}.get(key)

    def event(self, event) -> bool:
        # The main window owns Ctrl++/Ctrl+- shortcuts too; claiming our keys at ShortcutOverride
        # makes them arrive here as key presses instead of zooming the clinic window behind us.
        if event.type() == QEvent.ShortcutOverride and self._command(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        command = self._command(event)
        if command is None:
            super().keyPressEvent(event)
        else:
            command()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self.rebuild()
        super().showEvent(event)
        self.setFocus()
