"""Risk strata and individual curves, with the figures that are shown as reported and never combined.

matplotlib is imported only when the charts are first shown, so the window opens fast.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QScrollArea, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QSplitter,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from hccdecide.figure_words import BAND, HR_CI_HEADING, ci_text
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
CHART_MIN_HEIGHT = 240  # px: the charts' own minimum (gui/charts.py); the issue asks for at least 220
CHART_MAX_HEIGHT = 460  # px: taller adds nothing a reader needs, and leaves the tables below the fold
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
    """The estimate and, with ``detail``, how it was made (the risk view shows the two parts apart:
    :func:`prediction_head_html` above the chart, :func:`prediction_detail_html` below it)."""
    if not c.shown or not detail:
        return prediction_head_html(c, band, detail)
    return prediction_head_html(c, band) + prediction_detail_html(c, band)


def prediction_head_html(c: CurveEstimate, band: Band | None, detail: bool = True) -> str:
    """The estimate: median and landmarks with their band, the cohort's published median and any
    flagged subgroup; in place of a withheld estimate, why, and the bound."""
    if not c.shown:
        return withheld_html(c, detail)
    if c.median is None:
        med = f"beyond {c.horizon:g} months (the last published landmark)"
    else:
        med = f"{c.median:.1f} months"
    if band is not None:
        lo, hi = band.median_ci
        med += f" ({BAND} {lo:.1f}–" if lo is not None else f" ({BAND} beyond horizon–"
        med += f"{hi:.1f})" if hi is not None else f">{c.horizon:g})"
    rates = []
    for t, s in c.landmarks.items():
        ci = band.landmark_ci.get(t) if band else None
        rates.append(f"{t // 12}-year {100 * s:.0f}%" + (f" ({100 * ci[0]:.0f}–{100 * ci[1]:.0f}%)" if ci else ""))
    given = f" given event-free at {c.landmark_time:g} months" if c.landmark_time else ""
    head = f"Predicted median {escape(c.model.endpoint)}{given}: <b>{med}</b><br>" + " · ".join(rates)
    return head + published_median_html(c) + subgroup_check_html(c, detail=False)


def prediction_detail_html(c: CurveEstimate, band: Band | None) -> str:
    """How the estimate was made: the published subgroups it was checked against, support, shrinkage,
    the band's method and the sensitivity analyses (empty for a withheld estimate)."""
    if not c.shown:
        return ""
    shrink = (f"log-HRs shrunk ×{c.shrinkage.factor:.2f} (χ² {c.shrinkage.chi2:g}, {c.shrinkage.df} df)"
              if c.shrinkage else "optimism not corrected (no χ² printed)")
    how = (f"{BAND}: parametric bootstrap, {band.draws} lifelines refits ({band.failed_fits} failed)"
           if band else f"{BAND} pending")
    return (subgroup_check_html(c, detail=True, flags=False)
            + f"<br><span style='font-size:small'>{escape(c.support.text)} {escape(shrink)}; {escape(how)}.</span>"
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


def subgroup_check_html(c: CurveEstimate, detail: bool = True, flags: bool = True) -> str:
    """Flags where the individual median lies outside the published subgroup median of one of the
    patient's levels (its CI, or a quarter either side without one) in a direction the patient's other
    factors do not explain; a slide shows the flags only, the risk view the flags above the chart and
    the rest (``flags`` False) below it."""
    from hccdecide.engine.subgroup_check import RULE_CI, RULE_NO_CI

    lines, quiet = [], []
    for k in c.subgroup_checks:
        g = k.figure
        name = f"{g.factor} {g.level}"
        if k.flag and not flags:
            continue
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
    return f"<span style='font-size:large'>Risk stratum: <b>{names}</b></span> — {escape(has + unknown)}"


def strata_rule_html(c: CurveEstimate) -> str:
    return (f"<span style='font-size:small'>How strata are made: {escape(c.stratum.rule)}</span>"
            if c.applicable and c.shown else "")


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
        self._shown: tuple | None = None  # what the rows show (see _reported_key)

    def show_assessment(self, a: Assessment) -> None:
        status = {m.study.id: m.status for m in a.matches}
        relevant = lambda study_id: status[study_id] != "ineligible"  # noqa: E731
        shown = _reported_key(a, relevant)
        if shown == self._shown:
            return  # most edits: the same figures, marked for the patient as before
        self._shown = shown
        self._fill(a, relevant)

    def _fill(self, a: Assessment, relevant) -> None:
        from hccdecide.engine.reported import ANALYSIS_LABEL, figure_text

        items = []
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
            top = QTreeWidgetItem([f"{rs.study.short_name} · {rs.subgroup.endpoint} · subgroup medians · {rs.subgroup.factor}",
                                   rs.patient_text, f"p {rs.subgroup.p}",
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


def _reported_key(a: Assessment, relevant) -> tuple:
    """Everything the reported-figures rows show that can change with the patient: which analyses are
    listed and the patient's mark on each factor and subgroup level (the rest is the study's own text)."""
    # the records themselves, not their ids: compared by identity first, so this is cheap
    models = tuple((rm.study, rm.model, tuple(f.applies for f in rm.factors))
                   for rm in a.reported_models if relevant(rm.study.id))
    subgroups = tuple((rs.study, rs.subgroup, tuple(lv.applies for lv in rs.levels))
                      for rs in a.reported_subgroups if relevant(rs.study.id))
    return models, subgroups


class _ChartRoom(QObject):
    """Refits the chart when the view or the headline above the chart changes size."""

    def __init__(self, panel: RiskPanel):
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Resize:
            self.panel.fit_chart(headline_resized=watched is self.panel.headline)
        elif event.type() == QEvent.LayoutRequest and watched is self.panel.chart_host:
            self.panel.fit_chart()  # the charts need another height (the forest plot under the curve)
        return False


class RiskPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.assessment: Assessment | None = None
        self.bands: dict[int, Band] = {}
        self._charts = None
        self._model_entries: list[tuple[str, int]] = []  # (title, curve index) in the model box
        self._fitted_for = None  # the subject the chart's height was fitted for
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
        self.busy.setFormat(f"computing {BAND}s…")
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
        # Above the chart only what a reader takes from it (the stratum, the estimate and its band), so
        # the curve is on screen without scrolling on a laptop or a projector; how the estimate was
        # made, its source and its caveats follow right below the chart.
        self.stratum = QLabel()
        self.stratum.setObjectName("stratumLabel")
        self.stratum.setWordWrap(True)
        self.prediction = QLabel()
        self.prediction.setObjectName("predictionLabel")
        self.prediction.setWordWrap(True)
        self.headline = SteadyColumn(self.stratum, self.prediction)  # no jumps while typing
        layout.addWidget(self.headline)
        self.chart_host = QWidget()
        self.chart_host.setObjectName("chartHost")
        self.chart_layout = QHBoxLayout(self.chart_host)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_host.setMinimumHeight(CHART_MIN_HEIGHT)  # never a sliver on a 720-pixel screen
        layout.addWidget(self.chart_host)
        self.details = QLabel()
        self.details.setObjectName("riskDetails")
        self.details.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("riskWarnings")
        self.warnings.setWordWrap(True)
        self.text_column = SteadyColumn(self.details, self.warnings)  # the tables below do not jump either
        layout.addWidget(self.text_column)
        self.split = QSplitter(Qt.Vertical)
        self.factors = FactorTable()
        self.split.addWidget(self.factors)
        self.reported = ReportedTree()
        self.split.addWidget(self.reported)
        self.factors.setMinimumHeight(140)
        self.reported.setMinimumHeight(120)
        self.split.setMinimumHeight(280)
        layout.addWidget(self.split, 1)
        self.scroll = scroll = QScrollArea()  # all of it scrolls together below the chart
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # never sideways at 1366×768
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self._room = _ChartRoom(self)
        scroll.viewport().installEventFilter(self._room)
        self.headline.installEventFilter(self._room)
        self.chart_host.installEventFilter(self._room)

    def fit_chart(self, headline_resized: bool = False) -> None:
        """The chart takes the height the headline leaves in the view (not less than its minimum, nor
        more than is useful), so it is seen whole with the estimate above it. It is fitted when the
        view changes size or another model is shown, never by an edit: an edit updates the chart in
        place instead of drawing it afresh (~100 ms). A line is kept in hand for an edit that lengthens
        the headline (a median "beyond 36 months (the last published landmark)" takes two)."""
        if headline_resized and self._fitted_for == self.headline.subject:
            return
        self._fitted_for = self.headline.subject
        view = self.scroll.viewport().height()
        spacing = self.scroll.widget().layout().spacing()
        room = view - self.headline.height() - spacing - self.prediction.fontMetrics().lineSpacing()
        least = max(CHART_MIN_HEIGHT, self.chart_host.minimumSizeHint().height() if self._charts else 0)
        height = max(least, min(CHART_MAX_HEIGHT, room))  # the charts' own minimum wins
        if self.chart_host.height() != height or self.chart_host.maximumHeight() != height:
            self.chart_host.setFixedHeight(height)

    # -- data ------------------------------------------------------------------------------
    def show_assessment(self, a: Assessment) -> None:
        self.assessment, self.bands = a, {}
        order = sorted(range(len(a.curves)), key=lambda i: self._curve_rank(a, i))
        entries = [(curve_title(a.curves[i]), i) for i in order]
        if entries != self._model_entries:  # most edits keep the list: the box is not refilled (and repainted)
            self._model_entries = entries
            previous = self.model_box.currentText()
            self.model_box.blockSignals(True)
            self.model_box.clear()
            for title, i in entries:
                self.model_box.addItem(title, i)
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
        self.busy.setFormat(f"computing {BAND}s…")
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
        self.warnings.setText(f"<span style='color:#b91c1c'>{BAND}s could not be computed: {escape(message)}</span>")

    # -- view ------------------------------------------------------------------------------
    def _refresh_curve(self) -> None:
        current = self.current_curve()
        if current is None:
            self.stratum.setText("No multivariable model applies: individual curves are drawn only from "
                                 "multivariable Cox models with CIs (see the figures reported as published below).")
            self.prediction.clear()
            self.details.clear()
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
        self.prediction.setText(prediction_head_html(c, band))
        source = (f"<span style='font-size:small'>Patient is <span style='color:{STATUS_COLOUR[status]}'>{status}"
                  f"</span> for {escape(c.study.short_name)}; source {escape(c.study.source_citation)}: "
                  f"{escape(c.model.location)}</span>")
        detail = "".join(f"{part}<br>" for part in (strata_rule_html(c), prediction_detail_html(c, band).removeprefix("<br>"),
                                                    self._other_stage_html(c).removeprefix("<br>")) if part)
        self.details.setText(detail + source)
        about = (f"<span style='color:#334155'>ℹ About this model: {escape(c.model.note)}</span><br>"
                 if c.model.note else "")
        self.warnings.setText(about + "".join(f"<span style='color:#b45309'>⚠ {escape(w)}</span><br>"
                                              for w in c.warnings))
        self.factors.show_curve(c)
        subject = (c.study.id, c.model.id, c.stage, self.apply_all.isChecked())
        self.headline.hold(subject)
        self.text_column.hold(subject)
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
            self.fit_chart()
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
