"""The assessment at a glance, above the result tabs: the summary sentences, the next data to enter as
links that focus their field, and "copy to clinical note".

The sentences come from :func:`hccdecide.engine.plain_summary.at_a_glance` (the same as the JSON, the
slides and the PDF). Ranking the next data re-runs the matching for each unknown key, so it runs in a
worker; the sentences show at once and the next data follows. The ranking starts once the edit's view
has been painted and is stopped when the patient changes again (gui/after_paint.py says why). A
ranking that fails says so in the summary; its traceback goes to the error output.
"""
from __future__ import annotations

import traceback
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter,
                               QVBoxLayout, QWidget)

from hccdecide.gui.background import BackgroundWork

if TYPE_CHECKING:  # the engine loads after the window's first paint; its names are imported where used
    from hccdecide.engine.assessment import Assessment
    from hccdecide.engine.plain_summary import Glance

LINK_PREFIX = "field:"
TALL_WINDOW_PX = 900  # from this window height up the summary can be read whole (a desktop monitor)
TALL_SHARE, TALL_MAX_PX = 0.4, 380  # of a tall window: the whole summary, the tabs keep the rest
SHORT_SHARE, SHORT_MAX_PX = 0.17, 190  # of a laptop or projector window: the curves need the rest
SHRUNK_HEIGHT_PX = 40  # a small window shrinks the summary (scrollable) before the charts below


def glance_height(window_height: int) -> int:
    """The summary panel's default height in a window ``window_height`` px tall."""
    if window_height >= TALL_WINDOW_PX:
        return min(TALL_MAX_PX, int(TALL_SHARE * window_height))
    return max(SHRUNK_HEIGHT_PX, min(SHORT_MAX_PX, int(SHORT_SHARE * window_height)))


class GlanceSplit(QSplitter):
    """The summary above the result tabs, at :func:`glance_height` of the window's height until the
    user drags the handle.

    The height is set on every resize, from the window's height at that moment: a share taken from a
    size hint would be read once, at the splitter's first layout, which can come before the window
    has its size (a hidden window is 640×480), and QSplitter keeps that first size for good."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Vertical, parent)
        self.user_sized = False
        self.splitterMoved.connect(self._dragged)

    def _dragged(self) -> None:
        self.user_sized = True

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not self.user_sized and self.count() == 2:
            self.give_default_height()

    def give_default_height(self) -> None:
        total = sum(self.sizes())
        room = total - self.widget(1).minimumSizeHint().height()
        summary = max(0, min(glance_height(self.window().height()), room))
        self.setSizes([summary, total - summary])


RANKING_FAILED = "The data that would settle uncertain items could not be ranked"


class _Signals(QObject):
    done = Signal(int, object)  # generation, tuple[NextData]
    failed = Signal(int, str)  # generation, what went wrong


class _NextDataJob(QRunnable):
    def __init__(self, generation: int, assessment: Assessment):
        super().__init__()
        self.generation, self.assessment = generation, assessment
        self.signals = _Signals()
        self.stopped = False  # set from the GUI thread; read before each value tried

    def stop(self) -> None:
        self.stopped = True

    def run(self) -> None:  # pool thread
        from hccdecide.engine.next_data import RankingStopped, next_data

        try:
            items = next_data(self.assessment, stop=lambda: self.stopped)
        except RankingStopped:
            return  # the patient changed: a newer ranking follows
        except Exception as exc:  # noqa: BLE001 - told in the summary, never lost, never a crash
            traceback.print_exc()
            self._emit(self.signals.failed, f"{type(exc).__name__}: {exc}")
            return
        self._emit(self.signals.done, items)

    def _emit(self, signal, payload) -> None:
        try:
            signal.emit(self.generation, payload)
        except RuntimeError:
            pass  # the panel was closed meanwhile


def summary_html(glance: Glance, pending: bool, failure: str = "") -> str:
    """The sentences as rich text; the next-data labels are links to their fields."""
    from hccdecide.engine.plain_summary import NEXT_DATA_LEAD, NO_NEXT_DATA, next_data_parts

    parts = [f"<p style='margin:2px 0'>{escape(s)}</p>" for s in glance.sentences[:-1]]
    if failure:
        last = f"<span style='color:#b91c1c'>{escape(RANKING_FAILED)} ({escape(failure)}).</span>"
    elif pending:
        last = "Ranking the data that would settle uncertain items…"
    elif not glance.next_data:
        last = escape(NO_NEXT_DATA)
    else:
        links = "; ".join(f"<a href='{LINK_PREFIX}{i.key}'>{escape(i.label)}</a> ({escape(what)})"
                          for i, what in next_data_parts(glance.next_data))
        last = escape(NEXT_DATA_LEAD) + links + "."
    return "".join(parts) + f"<p style='margin:2px 0'>{last}</p>"


class SummaryPanel(QFrame):
    """Summary sentences with next-data links; emits ``field_requested(key)`` when a link is used."""

    field_requested = Signal(str)
    glance_changed = Signal(object)  # Glance, once the next data are known

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("summaryPanel")
        self.setFrameShape(QFrame.StyledPanel)
        self.assessment: Assessment | None = None
        self.bands: dict = {}
        self.glance: Glance | None = None
        self._items = None  # next data of the current assessment, None while ranking
        self._failure = ""  # why the current ranking failed
        self._generation = 0
        # its own single thread: the ranking never queues the uncertainty bands behind it
        pool = QThreadPool(self)
        pool.setMaxThreadCount(1)
        self._ranking = BackgroundWork(self._ranking_job, pool, self)
        self.text = QLabel()
        self.text.setObjectName("summaryText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.RichText)
        self.text.setTextInteractionFlags(Qt.TextBrowserInteraction)  # links reachable with Tab
        self.text.linkActivated.connect(self._link)
        self.copy_button = QPushButton("Copy to clinical &note")
        self.copy_button.setObjectName("copyNote")
        self.copy_button.setToolTip("Plain text with the evidence version and digest; no case label "
                                    "(Ctrl+Shift+C; Edit menu for a copy with the label)")
        self.copy_button.clicked.connect(lambda: self.copy_note(False))
        title = QLabel("<b>At a glance</b>")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(head)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("summaryScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setWidget(self.text)
        self.scroll.setMinimumHeight(SHRUNK_HEIGHT_PX)
        layout.addWidget(self.scroll)

    def show_assessment(self, a: Assessment, bands: dict | None = None) -> None:
        self.stop_ranking()
        self.assessment, self.bands, self._items, self._failure = a, bands or {}, None, ""
        self._generation += 1
        self._render()
        self._ranking.request()

    def _ranking_job(self) -> _NextDataJob:
        job = _NextDataJob(self._generation, self.assessment)
        job.signals.done.connect(self._next_data_ready)
        job.signals.failed.connect(self._ranking_failed)
        return job

    @property
    def ranking_jobs(self) -> set[_NextDataJob]:
        return self._ranking.jobs

    @property
    def ranking_pool(self) -> QThreadPool:
        return self._ranking.pool

    def stop_ranking(self) -> None:
        """The patient is changing: a ranking still running or queued is for an older patient."""
        self._ranking.stop()

    def show_bands(self, bands: dict) -> None:
        self.bands = bands or {}
        if self.assessment is not None:
            self._render()
            if self.ready:
                self.glance_changed.emit(self.glance)

    def _next_data_ready(self, generation: int, items) -> None:
        self._ranking.forget_before(generation + 1)
        if generation != self._generation:
            return  # an older patient's ranking
        self._items = tuple(items)
        self._render()
        self.glance_changed.emit(self.glance)

    def _ranking_failed(self, generation: int, message: str) -> None:
        self._ranking.forget_before(generation + 1)
        if generation != self._generation:
            return
        self._items, self._failure = (), message
        self._render()
        self.glance_changed.emit(self.glance)

    def _render(self) -> None:
        from hccdecide.engine.plain_summary import at_a_glance

        self.glance = at_a_glance(self.assessment, self.bands, self._items or ())
        self.text.setText(summary_html(self.glance, self._items is None, self._failure))

    def _link(self, href: str) -> None:
        if href.startswith(LINK_PREFIX):
            self.field_requested.emit(href[len(LINK_PREFIX):])

    def wait_for_ranking(self, msecs: int = 5000) -> bool:
        """Start the ranking if it waits for a paint, and wait for it."""
        return self._ranking.wait(msecs)

    def shut_down(self, msecs: int = 3000) -> bool:
        """The window closes: start nothing more, stop the ranking and wait for its thread to end."""
        return self._ranking.shut_down(msecs)

    @property
    def ready(self) -> bool:
        return self._items is not None

    def copy_note(self, include_label: bool = False) -> str:
        """Put the plain-text note on the clipboard and return it."""
        from hccdecide.engine.clinical_note import note_text

        if self.assessment is None:
            return ""
        text = note_text(self.assessment, self.glance, include_label)
        QApplication.clipboard().setText(text)
        return text


def focus_field(form, key: str) -> None:
    """Scroll the form to ``key`` and put the cursor in it (next-data links)."""
    editor = form.editor(key).editor
    form.ensureWidgetVisible(editor)
    editor.setFocus(Qt.OtherFocusReason)
