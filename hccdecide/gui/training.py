"""Training mode: a resident reads a case, says which regimens apply and which risk stratum, then reveals.

The case is shown read-only here so the user's own case in the main window stays untouched; "Open in
main window" goes through the window's usual unsaved-changes question. Grading is
:func:`hccdecide.engine.training.compare` (no Qt); this module only collects answers and shows feedback.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialog, QGridLayout, QGroupBox, QLabel, QListWidget,
                               QListWidgetItem, QMessageBox, QPushButton, QRadioButton, QScrollArea, QSplitter,
                               QTextBrowser, QVBoxLayout, QWidget)

from hccdecide.engine.assessment import Assessment, assess
from hccdecide.engine.training import (NOT_APPLICABLE, STRATA, STRATUM_STUDY, TrainingCase, TrainingFeedback,
                                       compare, hint, training_cases)
from hccdecide.errors import PatientError
from hccdecide.evidence.library import Library
from hccdecide.gui import screen_fit
from hccdecide.gui.training_feedback import case_values_html, feedback_html
from hccdecide.gui.wrapping_check import WrappingCheckBox
from hccdecide.patient import Patient

RIGHT, WRONG, OPEN = "#15803d", "#b91c1c", "#b45309"


class TrainingDialog(QDialog):
    open_in_main = Signal(object)  # Patient

    def __init__(self, library: Library, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainingDialog")
        self.setWindowTitle("Training — hccdecide")
        self.library = library
        self.cases: tuple[TrainingCase, ...] = training_cases()
        self.patient: Patient | None = None
        self.assessment: Assessment | None = None
        self.feedback: TrainingFeedback | None = None
        self.settings = getattr(parent, "app_settings", None)  # progress is kept with the app's settings
        self.case_list = QListWidget()
        self.case_list.setObjectName("trainingCases")
        self.case_list.setWordWrap(True)  # whole titles, never cut
        for case in self.cases:
            item = QListWidgetItem(self._case_title(case))
            item.setToolTip(case.focus)
            self.case_list.addItem(item)
        self.case_view = QTextBrowser()
        self.case_view.setObjectName("trainingCase")
        self.feedback_view = QTextBrowser()
        self.feedback_view.setObjectName("trainingFeedback")
        self.feedback_view.setPlaceholderText("Your feedback appears here, beside your answer, after Reveal.")
        for view in (self.case_view, self.feedback_view):
            view.setWordWrapMode(QTextOption.WrapMode.WordWrap)  # "Prothrombin", never "Prothro mbin"
        self.hint_button = QPushButton("&Hint")
        self.hint_button.setObjectName("hintButton")
        self.checks: dict[str, QCheckBox] = {}
        self.strata = QButtonGroup(self)
        self.reveal_button = QPushButton("&Reveal")
        self.reveal_button.setObjectName("revealButton")
        self.reset_button = QPushButton("Try &again")
        self.open_button = QPushButton("&Open in main window")
        self._layout()
        self.case_list.currentRowChanged.connect(self.select_case)
        self.reveal_button.clicked.connect(self.reveal)
        self.hint_button.clicked.connect(self.show_hint)
        self.reset_button.clicked.connect(self.reset_answers)
        self.open_button.clicked.connect(lambda: self.patient and self.open_in_main.emit(self.patient))
        screen_fit.fit_window(self, QSize(1500, 900))
        if self.cases:
            self.case_list.setCurrentRow(0)

    # -- layout ------------------------------------------------------------------------------
    def _answers(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        intro = QLabel("Tick every regimen the patient is <b>eligible</b> for. Uncertain regimens (data "
                       "missing, or a criterion not reported) count either way: they are open questions.")
        intro.setWordWrap(True)
        column.addWidget(intro)
        ticks = QWidget()
        tick_column = QVBoxLayout(ticks)
        for key, info in sorted(self.library.regimens.items(), key=lambda kv: kv[1].order):
            check = WrappingCheckBox(info.name)  # long names wrap: the list never scrolls sideways
            check.setObjectName(f"regimen_{key}")
            check.setToolTip(info.summary)
            tick_column.addWidget(check)
            self.checks[key] = check
        tick_column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("trainingAnswers")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(ticks)
        column.addWidget(scroll, 1)
        # the strata and the buttons two to a row: in one row they kept the column too wide for the
        # feedback beside it to show its table with whole words on a 1280 px screen
        strata = QGroupBox(f"Risk stratum, {self._study_name()} OS model")
        grid = QGridLayout(strata)
        for i, name in enumerate(STRATA):
            button = QRadioButton("not applicable" if name == NOT_APPLICABLE else name)
            button.setObjectName(f"stratum_{name}")
            button.setProperty("stratum", name)
            self.strata.addButton(button)
            grid.addWidget(button, i // 2, i % 2)
        column.addWidget(strata)
        buttons = QGridLayout()
        for i, b in enumerate((self.hint_button, self.reveal_button, self.reset_button, self.open_button)):
            buttons.addWidget(b, i // 2, i % 2)
        column.addLayout(buttons)
        return box

    def _layout(self) -> None:
        # The case, the answer and the feedback side by side: the reveal never hides the answer.
        left = QSplitter(Qt.Vertical)
        left.addWidget(self.case_list)
        left.addWidget(self.case_view)
        left.setSizes([160, 600])
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(self._answers())
        split.addWidget(self.feedback_view)
        split.setSizes([360, 320, 470])  # the feedback table needs ~380 px for whole words
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _study_name(self) -> str:
        try:
            return self.library.study(STRATUM_STUDY).short_name
        except KeyError:
            return STRATUM_STUDY

    # -- case --------------------------------------------------------------------------------
    def current_case(self) -> TrainingCase | None:
        row = self.case_list.currentRow()
        return self.cases[row] if 0 <= row < len(self.cases) else None

    def select_case(self, row: int) -> None:
        self.reset_answers()
        if not 0 <= row < len(self.cases):
            return
        case = self.cases[row]
        try:
            self.patient = Patient.from_file(case.path)
        except PatientError as err:
            self.patient, self.assessment = None, None
            self.case_view.setHtml(f"<p style='color:{WRONG}'>This training case cannot be read: {escape(str(err))}</p>")
            return
        self.assessment = assess(self.patient, self.library)
        self.case_view.setHtml(f"<h2>{escape(case.title)}</h2><p>{escape(case.vignette)}</p>"
                               f"<p><b>Learning focus:</b> {escape(case.focus)}</p><h3>Case values</h3>"
                               + case_values_html(self.patient))

    # -- answers -----------------------------------------------------------------------------
    def ticked(self) -> set[str]:
        return {key for key, check in self.checks.items() if check.isChecked()}

    def chosen_stratum(self) -> str | None:
        button = self.strata.checkedButton()
        return button.property("stratum") if button else None

    def set_answers(self, regimens: set[str], stratum: str | None) -> None:
        for key, check in self.checks.items():
            check.setChecked(key in regimens)
        for button in self.strata.buttons():
            button.setChecked(button.property("stratum") == stratum)

    def reset_answers(self) -> None:
        self.strata.setExclusive(False)  # an exclusive group refuses to uncheck its last button
        self.set_answers(set(), None)
        self.strata.setExclusive(True)
        for key, check in self.checks.items():
            check.setStyleSheet("")
            check.setText(self.library.regimens[key].name)
        self.feedback = None
        self.feedback_view.clear()

    def reveal(self) -> TrainingFeedback | None:
        if self.assessment is None:
            QMessageBox.information(self, "Training", "Choose a readable training case first.")
            return None
        self.feedback = compare(self.ticked(), self.chosen_stratum(), self.assessment)
        for r in self.feedback.regimens:
            if r.key in self.checks:
                mark, colour = ("○", OPEN) if not r.scored else (("✓", RIGHT) if r.correct else ("✗", WRONG))
                self.checks[r.key].setText(f"{mark} {r.name}")
                self.checks[r.key].setStyleSheet(f"color: {colour}")
        self.feedback_view.setHtml(feedback_html(self.feedback, self._study_name()))
        self._record_score()
        return self.feedback

    def show_hint(self) -> str:
        """A nudge before the reveal (the answer stays the resident's own)."""
        if self.assessment is None:
            return ""
        text = hint(self.assessment)
        self.feedback_view.setHtml(f"<h3>Hint</h3><p>{escape(text)}</p>")
        return text

    def _case_title(self, case: TrainingCase) -> str:
        scores = self.settings.training_scores(case.file) if self.settings is not None else []
        if not scores:
            return case.title
        right, total = scores[-1]
        return f"{case.title}  — last score {right}/{total} ({len(scores)} attempt{'s' if len(scores) > 1 else ''})"

    def _record_score(self) -> None:
        case = self.current_case()
        if case is None or self.settings is None:
            return
        self.settings.add_training_score(case.file, *self.feedback.score)
        self.case_list.item(self.case_list.currentRow()).setText(self._case_title(case))
