"""The assessment at a glance, above the result tabs: the summary sentences, the next data to enter as
links that focus their field, and "copy to clinical note".

The sentences come from :func:`hccdecide.engine.plain_summary.at_a_glance` (the same as the JSON, the
slides and the PDF). Ranking the next data re-runs the matching for each unknown key, so it runs in a
worker; the sentences show at once and the next data follows.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QSize, QThreadPool, Qt, Signal
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

if TYPE_CHECKING:  # the engine loads after the window's first paint; its names are imported where used
    from hccdecide.engine.assessment import Assessment
    from hccdecide.engine.plain_summary import Glance

LINK_PREFIX = "field:"
MAX_HEIGHT_PX = 190  # the result tabs below keep most of the height on a laptop screen
PREFERRED_HEIGHT_PX = 160
SHRUNK_HEIGHT_PX = 40  # a small window shrinks the summary (scrollable) before the charts below


class _SummaryScroll(QScrollArea):
    """Asks for a comfortable height but gives it up when the window is small."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().sizeHint().width(), PREFERRED_HEIGHT_PX)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().minimumSizeHint().width(), SHRUNK_HEIGHT_PX)


class _Signals(QObject):
    done = Signal(int, object)  # generation, tuple[NextData]


class _NextDataJob(QRunnable):
    def __init__(self, generation: int, assessment: Assessment):
        super().__init__()
        self.generation, self.assessment = generation, assessment
        self.signals = _Signals()

    def run(self) -> None:  # pool thread
        from hccdecide.engine.next_data import next_data

        try:
            items = next_data(self.assessment)
        except Exception:  # noqa: BLE001 - the summary then names no next data, never crashes
            items = ()
        try:
            self.signals.done.emit(self.generation, items)
        except RuntimeError:
            pass  # the panel was closed meanwhile


def summary_html(glance: Glance, pending: bool) -> str:
    """The sentences as rich text; the next-data labels are links to their fields."""
    from hccdecide.engine.plain_summary import NEXT_DATA_LEAD, NO_NEXT_DATA, next_data_parts

    parts = [f"<p style='margin:2px 0'>{escape(s)}</p>" for s in glance.sentences[:-1]]
    if pending:
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
        self._generation = 0
        self._jobs: set[_NextDataJob] = set()
        # its own single thread: the ranking never queues the uncertainty bands behind it
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
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
        scroll = _SummaryScroll()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(self.text)
        scroll.setMaximumHeight(MAX_HEIGHT_PX)
        layout.addWidget(scroll)

    def show_assessment(self, a: Assessment, bands: dict | None = None) -> None:
        self.assessment, self.bands, self._items = a, bands or {}, None
        self._generation += 1
        self._render()
        job = _NextDataJob(self._generation, a)
        job.signals.done.connect(self._next_data_ready)
        self._jobs.add(job)
        self._pool.clear()  # a ranking not yet started is for an older patient
        self._pool.start(job)

    def show_bands(self, bands: dict) -> None:
        self.bands = bands or {}
        if self.assessment is not None:
            self._render()
            if self.ready:
                self.glance_changed.emit(self.glance)

    def _next_data_ready(self, generation: int, items) -> None:
        self._jobs = {j for j in self._jobs if j.generation > generation}
        if generation != self._generation:
            return  # an older patient's ranking
        self._items = tuple(items)
        self._render()
        self.glance_changed.emit(self.glance)

    def _render(self) -> None:
        from hccdecide.engine.plain_summary import at_a_glance

        self.glance = at_a_glance(self.assessment, self.bands, self._items or ())
        self.text.setText(summary_html(self.glance, self._items is None))

    def _link(self, href: str) -> None:
        if href.startswith(LINK_PREFIX):
            self.field_requested.emit(href[len(LINK_PREFIX):])

    def wait_for_ranking(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)

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
