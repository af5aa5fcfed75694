"""What-if comparison window: scenario B, an editable copy of the case, beside scenario A.

Left: B's form (the same form as the clinic view). Right: the case keys that differ, the regimens and
the studies (two tabs; those whose status changed first and highlighted), both summaries, and the two scenarios' curves of the same
model overlaid. Everything shown comes from :func:`hccdecide.engine.whatif.compare`. B is handed back
to the main window, which keeps it with the case (case-file key ``scenario_b``).

Keyboard: Ctrl+Shift+W opens it from the main window; Tab moves through B's form and the tables;
Ctrl+R resets B to a copy of A; Esc closes.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea, QSplitter, QTabWidget,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from hccdecide.engine.assessment import Assessment, assess
from hccdecide.engine.whatif import Changed, WhatIf, compare, status_text
from hccdecide.errors import PatientError
from hccdecide.gui import screen_fit
from hccdecide.gui.derived_text import derived_texts
from hccdecide.variables import value_text
from hccdecide.gui.patient_form import PatientForm
from hccdecide.patient import Patient

PREFERRED_SIZE = QSize(1500, 900)
CHANGED_BG = QColor("#fef3c7")  # amber 100: a changed row (the text also says "changed")
INPUT_ROWS_SEEN, INPUT_ROWS_MAX = 2, 3  # rows of "what differs" (a scenario usually changes one to three)


def _table_height(table: QTableWidget, rows: int) -> int:
    """The height that shows ``rows`` rows of ``table`` under its header."""
    return (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth())


class WhatIfWindow(QWidget):
    scenario_changed = Signal(object)  # Patient (B), for the main window to keep with the case

    def __init__(self, library, parent: QWidget | None = None):
        super().__init__(parent, Qt.Window)
        self.setObjectName("whatIfWindow")
        self.setWindowTitle("What-if: scenario A (the case) and scenario B")
        self.library = library
        self.a: Assessment | None = None
        self.b_patient: Patient | None = None
        self.result: WhatIf | None = None
        self.form = PatientForm()
        self.form.setObjectName("scenarioBForm")
        self.form.value_committed.connect(self._edit_b)
        self.inputs = self._table(("Entry", "A", "B"), "whatIfInputs")
        self.regimens = self._table(("Regimen", "A", "B", ""), "whatIfRegimens")
        self.studies = self._table(("Study", "A", "B", ""), "whatIfStudies")
        self.summary_a, self.summary_b = QLabel(), QLabel()
        for label, name in ((self.summary_a, "summaryA"), (self.summary_b, "summaryB")):
            label.setObjectName(name)
            label.setWordWrap(True)
            label.setTextFormat(Qt.RichText)
            label.setAlignment(Qt.AlignTop)
        self.canvas = None
        self.reset_button = QPushButton("&Reset B to a copy of A")
        self.reset_button.clicked.connect(self.reset_b)
        self._build()
        self.close_shortcut = QShortcut(QKeySequence("Esc"), self, activated=self.close)
        self.reset_shortcut = QShortcut(QKeySequence("Ctrl+R"), self, activated=self.reset_b)
        screen_fit.fit_window(self, PREFERRED_SIZE)  # at most 90 % of the screen (1280×720 projectors too)

    def _table(self, header, name) -> QTableWidget:
        t = QTableWidget(0, len(header))
        t.setObjectName(name)
        t.setHorizontalHeaderLabels(header)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        t.verticalHeader().hide()
        t.setEditTriggers(QTableWidget.NoEditTriggers)
        t.setTabKeyNavigation(False)  # Tab leaves the table: keyboard users move on
        return t

    def _build(self) -> None:
        right = QWidget()
        col = QVBoxLayout(right)
        col.addWidget(QLabel("<b>What differs</b> (B's form is on the left)"))
        col.addWidget(self.inputs, 1)
        self.inputs.setMinimumHeight(_table_height(self.inputs, INPUT_ROWS_SEEN))
        self.inputs.setMaximumHeight(_table_height(self.inputs, INPUT_ROWS_MAX))
        sums_box = QWidget()
        sums = QHBoxLayout(sums_box)
        sums.setContentsMargins(0, 0, 0, 0)
        sums.addWidget(self.summary_a, 1)
        sums.addWidget(self.summary_b, 1)
        sums_scroll = QScrollArea()
        sums_scroll.setObjectName("whatIfSummaries")
        sums_scroll.setWidgetResizable(True)
        sums_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        sums_scroll.setWidget(sums_box)
        # one at a time, each with the height of all three: stacked, a 1280×720 screen showed two rows
        # of each table and a few lines of each summary
        self.status_tabs = QTabWidget()
        self.status_tabs.setObjectName("whatIfStatusTabs")
        self.status_tabs.addTab(self.regimens, "Regimens")
        self.status_tabs.addTab(self.studies, "Studies")
        self.status_tabs.addTab(sums_scroll, "Summaries A and B")
        col.addWidget(QLabel("<b>Regimens, studies and summaries</b> (what changed first, highlighted or in bold)"))
        col.addWidget(self.status_tabs, 4)
        self.chart_box = QVBoxLayout()
        col.addLayout(self.chart_box, 2)
        col.addWidget(self.reset_button)
        left = QWidget()
        lcol = QVBoxLayout(left)
        lcol.addWidget(QLabel("<b>Scenario B</b>: edit any value"))
        lcol.addWidget(self.form, 1)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([560, 940])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    # -- scenarios -------------------------------------------------------------------------------
    def set_case(self, a: Assessment, b: Patient | None) -> None:
        """Show A (the current case) and B (kept with the case, else a fresh copy of A)."""
        self.a = a
        self.b_patient = b if b is not None else Patient(a.patient.values)
        self.form.show_patient(self.b_patient)
        self._refresh()

    def reset_b(self) -> None:
        if self.a is not None:
            self.b_patient = Patient(self.a.patient.values)
            self.form.show_patient(self.b_patient)
            self._refresh()
            self.scenario_changed.emit(self.b_patient)

    def _edit_b(self, key: str, value) -> None:
        try:
            self.b_patient = self.b_patient.replace(**{key: value})
        except PatientError as err:
            self.form.editor(key).show_error(str(err))
            return
        self._refresh()
        self.scenario_changed.emit(self.b_patient)

    def _refresh(self) -> None:
        b = assess(self.b_patient, self.library)
        self.result = compare(self.a, b)
        self.form.show_derived(derived_texts(b))
        self._fill(self.inputs, [(c.label, value_text(c.key, c.a), value_text(c.key, c.b)) for c in self.result.inputs], ())
        for tab, (table, items, name) in enumerate(((self.regimens, self.result.regimens, "Regimens"),
                                                    (self.studies, self.result.studies, "Studies"))):
            self._fill_status(table, items)
            changed = sum(c.changed for c in items)
            self.status_tabs.setTabText(tab, f"{name} · {changed} changed" if changed else f"{name} · none changed")
        self.summary_a.setText(self._summary_html("A (the case)", self.result.glance_a.sentences,
                                                  self.result.glance_b.sentences))
        self.summary_b.setText(self._summary_html("B", self.result.glance_b.sentences,
                                                  self.result.glance_a.sentences))
        if self.isVisible():
            self.draw_curves()

    @staticmethod
    def _summary_html(title: str, own, other) -> str:
        rows = [f"<p style='margin:1px 0'>{'<b>' if s not in other else ''}{escape(s)}"
                f"{'</b>' if s not in other else ''}</p>" for s in own]
        return f"<b>Summary {title}</b> (differing sentences in bold)" + "".join(rows)

    def _fill(self, table: QTableWidget, rows, changed) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if r in changed:
                    item.setBackground(QBrush(CHANGED_BG))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)

    def _fill_status(self, table: QTableWidget, items: tuple[Changed, ...]) -> None:
        rows = [(c.label, status_text(c.a, c.level_a), status_text(c.b, c.level_b), "changed" if c.changed else "")
                for c in items]
        self._fill(table, rows, {i for i, c in enumerate(items) if c.changed})

    # -- curves ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.draw_curves()

    def draw_curves(self) -> None:
        from hccdecide.report.scenario_chart import plot_scenarios

        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.canvas = FigureCanvasQTAgg(Figure(figsize=(6, 2.6), layout="constrained"))
            self.canvas.setObjectName("whatIfCurves")
            self.canvas.setMinimumHeight(170)
            self.canvas.setMaximumHeight(230)
            self.chart_box.addWidget(self.canvas)
        fig = self.canvas.figure
        fig.clear()
        if self.result is not None:
            plot_scenarios(fig.add_subplot(), *self.result.curves)
        self.canvas.draw_idle()
