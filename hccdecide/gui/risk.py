"""Risk strata and individual curves, with the figures that are shown as reported and never combined.

matplotlib is imported only when the charts are first shown, so the window opens fast.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QScrollArea, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QSplitter,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from hccdecide.figure_words import HR_CI_HEADING, ci_text
from hccdecide.gui.columns import fit_columns
from hccdecide.gui.guarded_widgets import StillComboBox
from hccdecide.gui.results import STATUS_COLOUR
from hccdecide.gui.steady_height import SteadyColumn
from hccdecide.gui.tree_items import replace_items

if TYPE_CHECKING:  # the engine loads after the window's first paint; its names are imported where used
    from hccdecide.engine.assessment import Assessment
    from hccdecide.engine.prognosis import CurveEstimate
    from hccdecide.engine.uncertainty import Band

PRESENT_TEXT = {True: "present", False: "absent", None: "unknown"}
CHART_MIN_HEIGHT = 300
BUSY_AFTER_MS = 400  # the busy bar shows only when the bands take longer than this


def stage_text(c: CurveEstimate) -> str:
    from hccdecide.engine.prognosis import AFTER_RESPONSE

    return "after response" if c.stage == AFTER_RESPONSE else "before treatment"


WITHHELD_SHORT = {"not_applicable": "not applicable", "outside_support": "outside the cohort's support",
                  "after_progression": "no estimate after PD"}


def curve_title(c: CurveEstimate) -> str:
    flag = f" — {WITHHELD_SHORT[c.withheld]}" if c.withheld else ""
    return f"{c.study.short_name} · {c.model.endpoint} · {c.model.label} · {stage_text(c)}{flag}"


def withheld_html(c: CurveEstimate, detail: bool = True) -> str:
    """What stands in place of a curve: why, the bound at the edge of support, the published figures."""
    if not detail:  # a slide: the reason in a few words and the bound
        html = f"<b style='color:#b91c1c'>No individual estimate: {escape(WITHHELD_SHORT[c.withheld])}.</b>"
        return html + (f"<br>Bound {escape(c.bound.text(c.model.endpoint))}" if c.bound is not None else "")
    html = f"<b style='color:#b91c1c'>No individual estimate.</b> {escape(c.withheld_text)}"
    if c.bound is not None:
        html += f"<br>Bound {escape(c.bound.text(c.model.endpoint))}"
        if c.subgroups:
            html += "<br><span style='font-size:small'>Published subgroup figures at this patient's levels: "
            html += "; ".join(escape(g.short_text) for g in c.subgroups) + "</span>"
    return html


def sensitivity_html(c: CurveEstimate, band: Band | None) -> str:
    lines = []
    for line in c.sensitivity:
        if line.landmarks is None:
            lines.append(f"{escape(line.label)}: {escape(line.note)}")
            continue
        parts = []
        for t, v in line.landmarks.items():
            ci = band.landmark_ci.get(t) if band else None
            outside = ci is not None and not (ci[0] <= v <= ci[1])
            text = f"{t // 12}-year {100 * v:.0f}%"
            parts.append(f"<b style='color:#b91c1c'>{text} (outside the band)</b>" if outside else text)
        lines.append(f"{escape(line.label)}: " + " · ".join(parts))
    return "".join(f"<br><span style='font-size:small'>Sensitivity — {x}</span>" for x in lines)


def prediction_html(c: CurveEstimate, band: Band | None, detail: bool = True) -> str:
    if not c.shown:
        return withheld_html(c, detail)
    if c.median is None:
        med = f"beyond {c.horizon:g} months (the last published landmark)"
    else:
        med = f"{c.median:.1f} months"
    if band is not None:
        lo, hi = band.median_ci
        med += f" (95% band {lo:.1f}–" if lo is not None else " (95% band beyond horizon–"
        med += f"{hi:.1f})" if hi is not None else f">{c.horizon:g})"
    rates = []
    for t, s in c.landmarks.items():
        ci = band.landmark_ci.get(t) if band else None
        rates.append(f"{t // 12}-year {100 * s:.0f}%" + (f" ({100 * ci[0]:.0f}–{100 * ci[1]:.0f}%)" if ci else ""))
    given = f" given event-free at {c.landmark_time:g} months" if c.landmark_time else ""
    shrink = (f"log-HRs shrunk ×{c.shrinkage.factor:.2f} (χ² {c.shrinkage.chi2:g}, {c.shrinkage.df} df)"
              if c.shrinkage else "optimism not corrected (no χ² printed)")
    how = (f"95% band: parametric bootstrap, {band.draws} lifelines refits ({band.failed_fits} failed)"
           if band else "95% band pending")
    head = f"Predicted median {escape(c.model.endpoint)}{given}: <b>{med}</b><br>" + " · ".join(rates)
    head += published_median_html(c) + subgroup_check_html(c, detail)
    if not detail:
        return head
    return (head + f"<br><span style='font-size:small'>{escape(c.support.text)} {escape(shrink)}; {escape(how)}.</span>"
            + sensitivity_html(c, band))


def published_median_html(c: CurveEstimate) -> str:
    """The cohort's own published median beside the estimate (the cohort-average reference)."""
    pm = c.published_median
    if pm is None or c.landmark_time is not None:
        return ""
    if pm.months is None:
        return f"<br><span style='color:#334155'>Study cohort, published: median {escape(c.model.endpoint)} not reached</span>"
    ci = f" ({ci_text(pm.ci)})" if pm.ci else ""
    return (f"<br><span style='color:#334155'>Study cohort, published: median {escape(c.model.endpoint)} "
            f"{pm.months:g} months{ci}</span>")


def subgroup_check_html(c: CurveEstimate, detail: bool = True) -> str:
    """Flags where the individual median lies outside the published subgroup median of one of the
    patient's levels (its CI, or a quarter either side without one) in a direction the patient's other
    factors do not explain; a slide shows the flags only."""
    from hccdecide.engine.subgroup_check import RULE_CI, RULE_NO_CI

    lines, quiet = [], []
    for k in c.subgroup_checks:
        g = k.figure
        name = f"{g.factor} {g.level}"
        if k.flag:
            ci = f", {ci_text(g.ci)}" if g.ci else ", no CI printed"
            lines.append(f"<b style='color:#b91c1c'>⚑ Published subgroup {escape(name)}: median "
                         f"{g.median_months:g} months{ci} — this estimate ({escape(k.individual_text())}) is "
                         f"outside it, {escape(k.direction)}</b>")
        elif k.outside:
            quiet.append(f"{name} ({g.median_months:g} mo): {k.direction}, as the patient's "
                         f"{', '.join(k.explained_by)} imply")
        else:
            med = f"{g.median_months:g} mo" if g.median_months is not None else "not reached"
            quiet.append(f"{name} ({med}): {'consistent' if k.outside is False else 'not compared'}")
    if detail and quiet:
        lines.append("<span style='font-size:small;color:#334155'>Published subgroups at this patient's levels — "
                     + escape("; ".join(quiet)) + ".</span>")
    if detail and c.subgroup_checks:
        lines.append(f"<span style='font-size:small;color:#334155'>Subgroup check: {escape(RULE_CI)}; "
                     f"{escape(RULE_NO_CI)}; not flagged when the patient's other factors explain the "
                     "direction.</span>")
    return "".join(f"<br>{x}" for x in lines)


def stratum_html(c: CurveEstimate) -> str:
    if not c.applicable:
        return ("<span style='font-size:large'>Risk stratum: <b>not applicable</b></span> — the patient is "
                "outside this study's population")
    if not c.shown:  # a stratum is itself an individual statement
        return ("<span style='font-size:large'>Risk stratum: <b>not given</b></span> — no individual "
                f"estimate ({escape(WITHHELD_SHORT[c.withheld])})")
    colour = {"low": "#15803d", "intermediate": "#b45309", "high": "#b91c1c"}
    st = c.stratum
    names = " or ".join(f"<span style='color:{colour[n]}'>{n.upper()}</span>" for n in st.possible)
    has = ("this patient has: " + ", ".join(st.present)) if st.present else "none of the applied adverse factors known present"
    unknown = f"; unknown: {', '.join(st.unknown)}, so more than one stratum is possible" if len(st.possible) > 1 else ""
    return (f"<span style='font-size:large'>Risk stratum: <b>{names}</b></span> — {escape(has + unknown)}"
            f"<br><span style='font-size:small'>How strata are made: {escape(st.rule)}</span>")


class FactorTable(QTreeWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("factorTable")
        self.setRootIsDecorated(False)
        self.setHeaderLabels(["Factor (comparison level)", "Patient", HR_CI_HEADING, "p", "Timing", "Use"])
        self.header().setSectionResizeMode(0, QHeaderView.Stretch)
        fit_columns(self, {0: 3, 5: 1.5})

    def show_curve(self, c: CurveEstimate | None) -> None:
        items = []
        for s in c.states if c is not None else ():
            f = s.factor
            hr = f"{f.effect:g} ({f.ci[0]:g}–{f.ci[1]:g})" if f.ci else f"{f.effect:g}"
            use = "applied" if s.counted else ("unknown: averaged" if s.applied else "reported, not applied")
            item = QTreeWidgetItem([f.label, PRESENT_TEXT[s.present], hr, f.p or "", f.timing.replace("_", " "), use])
            colour = "#b91c1c" if s.adverse_level else ("#15803d" if s.adverse_level is False else "#b45309")
            item.setForeground(1, QBrush(QColor(colour)))
            if not s.applied:  # greyed: CI includes 1, averaged over the cohort whatever the patient has
                for col in (0, 2, 3, 4, 5):
                    item.setForeground(col, QBrush(QColor("#6b7280")))
            item.setToolTip(0, f"{f.reference} vs {f.comparison}; prevalence {f.prevalence}; {f.location}")
            item.setToolTip(1, s.reason)
            items.append(item)
        replace_items(self, items)  # most edits leave the rows as they are
        # column widths: gui/columns.py fits them to the pane


class ReportedTree(QTreeWidget):
    """Univariable HRs, RRs without CIs and subgroup medians, side by side, marked for the patient."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reportedTree")
        self.setHeaderLabels(["Study · analysis · factor", "Patient", "Figure", "Source"])
        self.header().setSectionResizeMode(3, QHeaderView.Stretch)
        fit_columns(self, {0: 3, 2: 2, 3: 1.5}, wrap={0, 2})

    def show_assessment(self, a: Assessment) -> None:
        from hccdecide.engine.reported import ANALYSIS_LABEL, figure_text

        items = []
        status = {m.study.id: m.status for m in a.matches}
        relevant = lambda study_id: status[study_id] != "ineligible"  # noqa: E731
        for rm in a.reported_models:
            if not relevant(rm.study.id):
                continue
            top = QTreeWidgetItem([f"{rm.study.short_name} · {rm.model.endpoint} · {ANALYSIS_LABEL[rm.model.analysis]}",
                                   "", "not combined", f"{rm.study.source_citation}: {rm.model.location}"])
            for f in rm.factors:
                top.addChild(QTreeWidgetItem([f"{f.factor.label} ({f.factor.timing.replace('_', ' ')})",
                                              PRESENT_TEXT[f.applies],
                                              f"{figure_text(f.factor, rm.model.analysis)}, p {f.factor.p}",
                                              f.factor.location]))
            items.append(top)
        for rs in a.reported_subgroups:
            if not relevant(rs.study.id):
                continue
            level = rs.patient_level
            top = QTreeWidgetItem([f"{rs.study.short_name} · {rs.subgroup.endpoint} · subgroup medians · {rs.subgroup.factor}",
                                   level.level.label if level else "unknown", f"p {rs.subgroup.p}",
                                   f"{rs.study.source_citation}: {rs.subgroup.location}"])
            for lv in rs.levels:
                med = "not reached" if not lv.level.reached else (
                    f"{lv.level.median_months:g} mo" if lv.level.median_months is not None else "not given")
                ci = f" ({lv.level.ci[0]:g}–{lv.level.ci[1]:g})" if lv.level.ci else ""
                child = QTreeWidgetItem([lv.level.label + (f" (n = {lv.level.n})" if lv.level.n else ""),
                                         "◀ patient" if lv.applies else "", f"median {med}{ci}", ""])
                top.addChild(child)
            items.append(top)
        replace_items(self, items)  # most edits leave the rows as they are
        # column widths: gui/columns.py fits them to the pane


class RiskPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.assessment: Assessment | None = None
        self.bands: dict[int, Band] = {}
        self._charts = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Model:"))
        self.model_box = StillComboBox()  # a wheel turn over it never switches the model unasked
        self.model_box.setObjectName("modelBox")
        self.model_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.model_box.setMinimumContentsLength(20)  # long model names must not widen the pane
        self.model_box.currentIndexChanged.connect(self._refresh_curve)
        top.addWidget(self.model_box, 1)
        self.apply_all = QCheckBox("Apply every factor (sensitivity)")
        self.apply_all.setObjectName("applyAllFactors")
        self.apply_all.setToolTip("Also apply the factors whose CI includes 1 (by default they are averaged "
                                  "over the cohort and listed as reported, not applied)")
        self.apply_all.toggled.connect(self._refresh_curve)
        top.addWidget(self.apply_all)
        self.busy = QProgressBar()
        self.busy.setObjectName("bandsBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setFormat("computing 95% bands…")
        self.busy.setTextVisible(True)
        self.busy.hide()
        self._busy_later = QTimer(self)  # bands from cached draws arrive in ms: no flash of the bar
        self._busy_later.setSingleShot(True)
        self._busy_later.setInterval(BUSY_AFTER_MS)
        self._busy_later.timeout.connect(self.busy.show)
        top.addWidget(self.busy)
        layout.addLayout(top)
        outer, body = layout, QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stratum = QLabel()
        self.stratum.setObjectName("stratumLabel")
        self.stratum.setWordWrap(True)
        self.prediction = QLabel()
        self.prediction.setObjectName("predictionLabel")
        self.prediction.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("riskWarnings")
        self.warnings.setWordWrap(True)
        self.text_column = SteadyColumn(self.stratum, self.prediction, self.warnings)  # no jumps while typing
        layout.addWidget(self.text_column)
        self.split = QSplitter(Qt.Vertical)
        self.chart_host = QWidget()
        self.chart_layout = QHBoxLayout(self.chart_host)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_host.setMinimumHeight(CHART_MIN_HEIGHT)  # never a sliver on a 768-pixel screen
        self.split.addWidget(self.chart_host)
        self.factors = FactorTable()
        self.split.addWidget(self.factors)
        self.reported = ReportedTree()
        self.split.addWidget(self.reported)
        # The tables take up what the text above gains or loses when an edit rewords it: the chart
        # keeps its size, so an edit updates it in place instead of drawing it afresh (~100 ms).
        for pane, stretch in ((0, 0), (1, 1), (2, 1)):
            self.split.setStretchFactor(pane, stretch)
        self.factors.setMinimumHeight(140)
        self.reported.setMinimumHeight(120)
        self.split.setMinimumHeight(CHART_MIN_HEIGHT + 280)
        layout.addWidget(self.split, 1)
        scroll = QScrollArea()  # text, chart and tables scroll together when the window is short
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # never sideways at 1366×768
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

    # -- data ------------------------------------------------------------------------------
    def show_assessment(self, a: Assessment) -> None:
        previous = self.model_box.currentText()
        self.assessment, self.bands = a, {}
        self.model_box.blockSignals(True)
        self.model_box.clear()
        order = sorted(range(len(a.curves)), key=lambda i: self._curve_rank(a, i))
        for i in order:
            self.model_box.addItem(curve_title(a.curves[i]), i)
        idx = self.model_box.findText(previous)
        self.model_box.setCurrentIndex(idx if idx >= 0 else 0)
        self.model_box.blockSignals(False)
        self.reported.show_assessment(a)
        self._refresh_curve()

    @staticmethod
    def _curve_rank(a: Assessment, i: int) -> tuple:
        c = a.curves[i]
        status = a.match(c.study.id).status
        return ({"eligible": 0, "uncertain": 1, "ineligible": 2}[status], not c.model.default,
                c.model.endpoint != "OS", c.stage != "baseline", c.study.id)

    def current_curve(self) -> tuple[int, CurveEstimate] | None:
        if self.assessment is None or self.model_box.count() == 0:
            return None
        i = self.model_box.currentData()
        return i, self.assessment.curves[i]

    def bands_started(self) -> None:
        self.busy.setRange(0, 0)
        self.busy.setFormat("computing 95% bands…")
        self._busy_later.start()

    def bands_progress(self, done: int, total: int) -> None:
        """The one-off build of a model's bootstrap draws (seconds; cached on disk afterwards)."""
        self.busy.setRange(0, total)
        self.busy.setValue(done)
        self.busy.setFormat("bootstrap refits %v/%m (once)")
        self._busy_later.stop()
        self.busy.show()

    def bands_ready(self, bands: dict[int, Band]) -> None:
        self.bands = bands
        self._busy_later.stop()
        self.busy.hide()
        self._refresh_curve()

    def bands_failed(self, message: str) -> None:
        self._busy_later.stop()
        self.busy.hide()
        self.warnings.setText(f"<span style='color:#b91c1c'>95% bands could not be computed: {escape(message)}</span>")

    # -- view ------------------------------------------------------------------------------
    def _refresh_curve(self) -> None:
        current = self.current_curve()
        if current is None:
            self.stratum.setText("No multivariable model applies: individual curves are drawn only from "
                                 "multivariable Cox models with CIs (see the figures reported as published below).")
            self.prediction.clear()
            self.warnings.clear()
            self.factors.show_curve(None)
            self._draw(None, None)
            return
        i, c = current
        band = self.bands.get(i) or self._cached_band(c)  # cached draws: the band at once, no "pending"
        if self.apply_all.isChecked():
            c, band = self._every_factor(c), None
            band = self._cached_band(c)
        status = self.assessment.match(c.study.id).status
        self.stratum.setText(stratum_html(c))
        self.prediction.setText(prediction_html(c, band) + self._other_stage_html(c)
                                + f"<br><span style='font-size:small'>Patient is "
                                f"<span style='color:{STATUS_COLOUR[status]}'>{status}</span> for {escape(c.study.short_name)}; "
                                f"source {escape(c.study.source_citation)}: {escape(c.model.location)}</span>")
        about = (f"<span style='color:#334155'>ℹ About this model: {escape(c.model.note)}</span><br>"
                 if c.model.note else "")
        self.warnings.setText(about + "".join(f"<span style='color:#b45309'>⚠ {escape(w)}</span><br>"
                                              for w in c.warnings))
        self.factors.show_curve(c)
        self.text_column.hold((c.study.id, c.model.id, c.stage, self.apply_all.isChecked()))
        self._draw(c, band)

    def _every_factor(self, c: CurveEstimate) -> CurveEstimate:
        """The same model with every factor applied: a labelled sensitivity analysis."""
        from hccdecide.engine.prognosis import estimate_curve

        a = self.assessment
        return estimate_curve(c.study, c.model, a.derived.facts, c.stage, a.match(c.study.id), apply_all=True)

    @staticmethod
    def _cached_band(c: CurveEstimate) -> Band | None:
        """A band from draws already built (milliseconds); None while they are being built."""
        from hccdecide.engine.band_cache import cached_draws
        from hccdecide.engine.uncertainty import band_from_draws

        draws = cached_draws(c.study, c.model) if c.shown else None
        return band_from_draws(c, draws) if draws is not None else None

    def _other_stage_html(self, c: CurveEstimate) -> str:
        """The same model at the other stage, beside this one (two-stage use)."""
        other = self.assessment.other_stage(c)
        if other is None:
            return ""
        i = self.assessment.curves.index(other)
        return (f"<br><span style='color:#334155'>Same model {escape(stage_text(other))}: "
                f"{prediction_html(other, self.bands.get(i)).replace('<br>', ' · ')}</span>")

    def _ensure_charts(self):
        if self._charts is None:
            from hccdecide.gui.charts import ChartPair  # matplotlib loads here, not at start-up
            self._charts = ChartPair()
            self.chart_layout.addWidget(self._charts)
        return self._charts

    def _draw(self, c: CurveEstimate | None, band: Band | None) -> None:
        # Hidden charts never draw: showEvent draws the current curve when the tab is shown.
        if c is None and self._charts is None:
            return
        if self.isVisible():
            self._ensure_charts().draw(c, band)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        current = self.current_curve()
        if current is not None:
            i, c = current
            self._ensure_charts().draw(c, self.bands.get(i))
