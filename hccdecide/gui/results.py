"""Regimen list with status badges, and the selected regimen's checklist, outcomes and benefit."""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QHeaderView, QLabel, QSplitter, QTabWidget, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from hccdecide.figure_words import ci_text
from hccdecide.engine.vocabulary import ELIGIBLE, INELIGIBLE, MET, NOT_MET, TO_CONFIRM, UNCERTAIN, UNKNOWN
from hccdecide.gui.columns import fit_columns

if TYPE_CHECKING:  # the engine loads after the window's first paint; its names are imported where used
    from hccdecide.engine.assessment import Assessment
    from hccdecide.engine.matching import StudyMatch
    from hccdecide.engine.regimens import RegimenResult

STATUS_COLOUR = {ELIGIBLE: "#15803d", UNCERTAIN: "#b45309", INELIGIBLE: "#b91c1c",
                 MET: "#15803d", NOT_MET: "#b91c1c", UNKNOWN: "#b45309", TO_CONFIRM: "#1d4ed8"}
STATUS_TEXT = {ELIGIBLE: "ELIGIBLE", UNCERTAIN: "UNCERTAIN", INELIGIBLE: "INELIGIBLE",
               MET: "✓ met", NOT_MET: "✗ not met", UNKNOWN: "? unknown", TO_CONFIRM: "☐ to confirm"}


def badge(item: QTreeWidgetItem, column: int, status: str) -> None:
    item.setText(column, STATUS_TEXT[status])
    item.setForeground(column, QBrush(QColor(STATUS_COLOUR[status])))
    font = QFont(item.font(column))
    font.setBold(True)
    item.setFont(column, font)


def study_headline(m: StudyMatch) -> str:
    """Why a study has its status, in one line, after how many criteria were checked: the failed
    criteria; else the two kinds of uncertain (missing data the clinician can enter, then criteria the
    source does not report); else the evidence level."""
    from hccdecide.engine.levels import level_label

    counts = f"[{m.counts_text}] "
    failed = [c.criterion.label for c in m.with_status(NOT_MET)]
    if failed:
        more = f" (+{len(failed) - 2} more)" if len(failed) > 2 else ""
        return counts + "not met: " + "; ".join(failed[:2]) + more
    if m.uncertain_text:
        return counts + m.uncertain_text
    return counts + level_label(m.study)


def fmt_estimate(est, unit: str) -> str:
    from hccdecide.engine.outcome_text import estimate_text

    return estimate_text(est, unit, months="mo")  # short: the checklist columns are narrow


class RegimenList(QTreeWidget):
    regimen_selected = Signal(object)  # RegimenResult | None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("regimenList")
        self.setHeaderLabels(["Status", "Regimen", "Best evidence", "Studies"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.header().setSectionResizeMode(1, QHeaderView.Stretch)
        self.header().setStretchLastSection(False)
        fit_columns(self, {1: 1})
        self.regimens: tuple[RegimenResult, ...] = ()
        self.currentItemChanged.connect(self._changed)

    def show_regimens(self, regimens: tuple[RegimenResult, ...], keep_selection: bool = True) -> None:
        """List the regimens; an edit keeps the one being read, a new case starts at the best-supported."""
        from hccdecide.engine.levels import LEVEL_LABEL

        selected = self.current_key() if keep_selection else None
        self.blockSignals(True)
        self.clear()
        self.regimens = regimens
        for r in regimens:
            item = QTreeWidgetItem()
            badge(item, 0, r.status)
            item.setText(1, r.info.name)
            item.setToolTip(1, r.info.summary)
            cautions = r.population_cautions
            if cautions:
                item.setText(0, item.text(0) + " ⚠")
                item.setText(1, f"{r.info.name}  — outside the treated population")
                item.setToolTip(0, "\n".join(cautions))
                item.setToolTip(1, "\n".join(cautions))
            item.setText(2, LEVEL_LABEL[r.best_level].split(" · ")[0])
            item.setToolTip(2, LEVEL_LABEL[r.best_level])
            counts = {s: sum(1 for m in r.matches if m.status == s) for s in (ELIGIBLE, UNCERTAIN, INELIGIBLE)}
            item.setText(3, f"{len(r.matches)} ({counts[ELIGIBLE]}✓ {counts[UNCERTAIN]}? {counts[INELIGIBLE]}✗)")
            item.setData(0, Qt.UserRole, r.info.key)
            self.addTopLevelItem(item)
        # column widths: gui/columns.py fits them to the pane
        self.blockSignals(False)
        keys = [r.info.key for r in regimens]
        self.setCurrentItem(self.topLevelItem(keys.index(selected) if selected in keys else 0))

    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(0, Qt.UserRole) if item else None

    def _changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        key = current.data(0, Qt.UserRole) if current else None
        self.regimen_selected.emit(next((r for r in self.regimens if r.info.key == key), None))


class ChecklistTree(QTreeWidget):
    """Each supporting study with its criteria: met / not met / unknown / to confirm, with reasons."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checklist")
        self.setHeaderLabels(["Study / criterion", "Status", "Reason", "Source"])
        self.setWordWrap(True)
        self.header().setSectionResizeMode(2, QHeaderView.Stretch)
        fit_columns(self, {0: 3, 2: 3, 3: 1.2}, wrap={0, 2})

    def show_regimen(self, r: RegimenResult | None) -> None:
        from hccdecide.engine.levels import DESIGN_LABEL

        self.clear()
        if r is None:
            return
        for m in r.matches:
            top = QTreeWidgetItem([f"{m.study.short_name} — {DESIGN_LABEL[m.study.design]}, "
                                   + (f"n = {m.study.n}" if m.study.n else "n not given")])
            badge(top, 1, m.status)
            notes = (*m.warnings, *(f"dose: {f}" for f in m.dose_flags))
            top.setText(2, study_headline(m) + ("  · " + " · ".join(notes) if notes else ""))
            top.setText(3, m.study.source_citation)
            for c in m.criteria:
                label = c.criterion.label + ("  [implied by study setting]" if c.criterion.from_list == "setting" else "")
                child = QTreeWidgetItem([label])
                child.setToolTip(0, label)
                badge(child, 1, c.status)
                child.setText(2, c.reason)
                child.setToolTip(2, c.reason)
                child.setText(3, c.criterion.location)
                top.addChild(child)
            self.addTopLevelItem(top)
            top.setExpanded(m.status != INELIGIBLE or len(r.matches) == 1)
        # column widths: gui/columns.py fits them to the pane


class OutcomeTree(QTreeWidget):
    """Outcome rows (range across studies) with every figure, its status and source location."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("outcomes")
        self.setHeaderLabels(["Outcome", "Range / value", "Study · arm", "Source"])
        self.header().setSectionResizeMode(3, QHeaderView.Stretch)
        fit_columns(self, {0: 2, 1: 2, 2: 2, 3: 1.5}, wrap={0, 1, 2})

    def show_regimen(self, r: RegimenResult | None) -> None:
        from hccdecide.engine.outcome_text import figure_value_text, range_text

        self.clear()
        if r is None:
            return
        if not r.outcomes:
            note = "Open protocol: no results yet." if r.open_trials else "No outcomes reported."
            self.addTopLevelItem(QTreeWidgetItem([note]))
        for row in r.outcomes:
            studies = ", ".join(dict.fromkeys(f.study.short_name for f in row.figures))
            top = QTreeWidgetItem([row.label, range_text(row), studies])
            top.setToolTip(1, range_text(row))
            if row.range_basis != ELIGIBLE:  # no study the patient fits: read with caution
                for col in range(3):
                    top.setForeground(col, QBrush(QColor("#6b7280")))
            for fig in row.figures:
                child = QTreeWidgetItem(["", figure_value_text(fig, row.unit, months="mo"),
                                         f"{fig.study.short_name} · {fig.arm.label}",
                                         f"{fig.study.source_citation}: {fig.outcome.location}"])
                badge(child, 0, fig.status)
                tip = "; ".join(t for t in (fig.outcome.definition, fig.outcome.population,
                                            f"time origin: {fig.outcome.time_origin}" if fig.outcome.time_origin else "",
                                            fig.outcome.note) if t)
                child.setToolTip(1, tip)
                child.setToolTip(2, tip)
                top.addChild(child)
            self.addTopLevelItem(top)
        # column widths: gui/columns.py fits them to the pane


class BenefitTree(QTreeWidget):
    """Randomised comparisons where the regimen is the experimental arm, with the control's outcomes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("benefit")
        self.setHeaderLabels(["Comparison", "Effect", "Control arm reference", "Source"])
        self.header().setSectionResizeMode(2, QHeaderView.Stretch)
        fit_columns(self, {0: 3, 1: 2, 2: 3, 3: 1.5}, wrap={0, 1, 2})

    def show_regimen(self, r: RegimenResult | None) -> None:
        from hccdecide.engine.outcome_text import effect_text
        from hccdecide.engine.regimens import ENDPOINT_LABEL

        self.clear()
        if r is None or not r.benefits:
            self.addTopLevelItem(QTreeWidgetItem(["No randomised comparison for this regimen."]))
            return
        for b in r.benefits:
            c = b.comparison
            est = c.estimate
            effect = effect_text(c) + (f" ({ci_text(est.ci, est.ci_level)})" if est.ci else "")
            effect += f", p {c.p}" if c.p else ""
            control = "; ".join(
                f"{ENDPOINT_LABEL.get(o.endpoint, o.endpoint)} {'median' if o.measure == 'median' else ''}"
                f"{'' if o.at_months is None else f' at {o.at_months:g} mo'} {fmt_estimate(o.estimate, o.unit)}"
                for o in b.control.outcomes)
            item = QTreeWidgetItem([f"{b.study.short_name}: {ENDPOINT_LABEL.get(c.endpoint, c.endpoint)} — "
                                    f"{b.experimental.label} vs {b.control.label}", effect, control or "—",
                                    f"{b.study.source_citation}: {c.location}"])
            item.setToolTip(0, f"Patient status for this study: {b.status}")
            self.addTopLevelItem(item)
        # column widths: gui/columns.py fits them to the pane


class ToxicityTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("toxicity")
        self.setHeaderLabels(["Study · arm", "Event", "Grade ≥ 3", "Source"])
        self.header().setSectionResizeMode(3, QHeaderView.Stretch)
        fit_columns(self, {0: 2, 1: 2, 3: 1.5}, wrap={0, 1})

    def show_regimen(self, r: RegimenResult | None) -> None:
        self.clear()
        if r is None:
            return
        for m in r.matches:
            for arm in (a for a in m.study.arms if a.regimen_key == r.info.key):
                for t in arm.toxicities:
                    g3 = "—" if t.grade3plus_pct is None else f"{t.grade3plus_pct:g}%"
                    self.addTopLevelItem(QTreeWidgetItem([f"{m.study.short_name} · {arm.label}", t.event, g3,
                                                          f"{m.study.source_citation}: {t.location}"]))
        if self.topLevelItemCount() == 0:
            self.addTopLevelItem(QTreeWidgetItem(["No event-level toxicity reported (see Outcomes for grade ≥ 3 rates)."]))
        # column widths: gui/columns.py fits them to the pane


class RegimenDetail(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("regimenTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.tabs = QTabWidget()
        self.checklist, self.outcomes = ChecklistTree(), OutcomeTree()
        self.benefit, self.toxicity = BenefitTree(), ToxicityTree()
        self.tabs.addTab(self.checklist, "Eligibility")
        self.tabs.addTab(self.outcomes, "Expected outcomes")
        self.tabs.addTab(self.benefit, "Randomised benefit")
        self.tabs.addTab(self.toxicity, "Toxicity")
        layout.addWidget(self.tabs)

    def show_regimen(self, r: RegimenResult | None) -> None:
        from hccdecide.engine.levels import LEVEL_LABEL

        if r is None:
            self.title.setText("")
        else:
            self.title.setText(f"<b>{r.info.name}</b> — {STATUS_TEXT[r.status].lower()} · "
                               f"{LEVEL_LABEL[r.best_level]}<br><span>{r.info.summary}</span>"
                               + "".join(f"<br><b>⚠ {escape(g)}</b>" for g in r.gate_messages))
        for view in (self.checklist, self.outcomes, self.benefit, self.toxicity):
            view.show_regimen(r)


class ResultsPanel(QSplitter):
    """The live results: regimen list over the selected regimen's detail."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Vertical, parent)
        self.regimen_list = RegimenList()
        self.detail = RegimenDetail()
        self.addWidget(self.regimen_list)
        self.addWidget(self.detail)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self._sized = False
        self._waiting: tuple[Assessment, bool] | None = None  # shown when the tab is next shown
        self.regimen_list.regimen_selected.connect(self.detail.show_regimen)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """First shown: the list gets an even share (its size hint would leave 3–4 rows on a laptop)."""
        super().showEvent(event)
        if not self._sized and self.height() > 0:
            self._sized = True
            half = self.height() // 2
            self.setSizes([half, self.height() - half])
        if self._waiting is not None:
            self._fill(*self._waiting)

    def show_assessment(self, a: Assessment, new_case: bool = False) -> None:
        """Fill the list now, or when the tab is shown if another tab is showing (an edit made with the
        curves showing does not wait for tables nobody sees)."""
        if self._waiting is not None:  # a new case stays a new case until it is shown
            new_case = new_case or self._waiting[1]
        if self.window().isVisible() and not self.isVisible():
            self._waiting = (a, new_case)
            return
        self._fill(a, new_case)

    def _fill(self, a: Assessment, new_case: bool) -> None:
        self._waiting = None
        self.regimen_list.show_regimens(a.regimens, keep_selection=not new_case)
