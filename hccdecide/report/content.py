"""What the MDT report says, as a list of declarative items (rendered by :mod:`hccdecide.report.pdf`).

Order: title block (date and time, app version, evidence library version and digest), the decision-aid
disclaimer, the discussion note, then 1 inputs, 2 derived values with conventions and notes,
3 regimens, 4 eligibility checklists, 5 risk strata and individual estimates with charts,
6 figures reported as published (not combined), 7 sources.

``anonymous=True`` drops every identifying field (``FieldSpec.identifying``, e.g. the case label)
from the title block, the inputs and the page footer.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping, Sequence

from hccdecide.figure_words import BAND, HR_CI_HEADING
from hccdecide import __version__
from hccdecide.clinical.nodes import station_table
from hccdecide.clinical.liver import albi_text
from hccdecide.engine.assessment import Assessment
from hccdecide.engine.levels import DESIGN_LABEL, LEVEL_LABEL, evidence_level, level_label
from hccdecide.engine.matching import (ELIGIBLE, INELIGIBLE, MET, NOT_MET, TO_CONFIRM, UNCERTAIN, UNKNOWN,
                                       StudyMatch)
from hccdecide.engine.outcome_text import effect_text, estimate_text, figure_value_text, range_text
from hccdecide.engine.prognosis import AFTER_RESPONSE, CurveEstimate
from hccdecide.engine.regimens import RegimenResult, row_label
from hccdecide.engine.reported import ANALYSIS_LABEL, figure_text
from hccdecide.engine.serialize import DERIVED_KEYS, conventions
from hccdecide.engine.summary import DISCLAIMER
from hccdecide.engine.uncertainty import Band
from hccdecide.evidence.schema import Factor, Study
from hccdecide.patient import BOOLEAN, CHOICE, GROUPS, INTEGER, NUMBER, TEXT_LIST, FieldSpec, iter_fields
from hccdecide.report.items import (BAD, CONFIRM, GOOD, OPEN, Figure, Heading, Item, KeyValueTable, Note,
                                    Paragraph, Table, plain_text)
from hccdecide.variables import VARIABLES

__all__ = ["build_items", "report_meta", "plain_text", "TITLE"]

TITLE = "hccdecide · MDT record: radiotherapy options in hepatocellular carcinoma"
CHART_WIDTH_MM = 180
STATUS_TEXT = {ELIGIBLE: "ELIGIBLE", UNCERTAIN: "UNCERTAIN", INELIGIBLE: "INELIGIBLE",
               MET: "✓ met", NOT_MET: "✗ not met", UNKNOWN: "? unknown", TO_CONFIRM: "☐ to confirm"}
STATUS_TONE = {ELIGIBLE: GOOD, UNCERTAIN: OPEN, INELIGIBLE: BAD,
               MET: GOOD, NOT_MET: BAD, UNKNOWN: OPEN, TO_CONFIRM: CONFIRM}
CRITERION_ORDER = {NOT_MET: 0, UNKNOWN: 1, TO_CONFIRM: 2, MET: 3}
PRESENT_TEXT = {True: "present", False: "absent", None: "unknown"}
CONVENTION_LABEL = {"child_pugh": "Child–Pugh", "albi": "ALBI", "bclc": "BCLC", "mvi_grade": "MVI grade",
                    "cheng_type": "Cheng PVTT type", "lnm_location": "Nodal location",
                    "oligoprogression": "Oligoprogression type", "bed": "BED / EQD2"}


# -- formatting -------------------------------------------------------------------------------
def num(x: float | int | None, digits: int | None = None) -> str:
    if x is None:
        return "unknown"
    return f"{x:.{digits}f}" if digits is not None else f"{x:g}"


def fmt_input(spec: FieldSpec, value: Any) -> str:
    """A patient value with its unit, as a reader expects it."""
    if spec.kind == BOOLEAN:
        return "yes" if value else "no"
    if spec.kind == CHOICE:
        return str(value).replace("_", " ")
    if spec.key == "lnm_stations":
        table = station_table()
        return "; ".join(f"{table[c].label} ({table[c].location.replace('_', '-')})" if c in table else c
                         for c in value)
    if spec.kind == TEXT_LIST:
        return ", ".join(str(v).replace("_", " ") for v in value)
    if spec.kind in (NUMBER, INTEGER):
        unit = spec.unit
        if unit in ("grade", "type"):  # "Vp grade 3", not "3 grade"
            return f"{unit} {value:g}"
        return f"{value:g}" + ("" if not unit else ("%" if unit == "%" else f" {unit}"))
    return str(value)


def fmt_fact(key: str, value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    unit = VARIABLES[key].unit
    if isinstance(value, float):
        text = albi_text(value) if key == "albi_score" else f"{value:.1f}"
    else:
        text = str(value).replace("_", " ")
    return f"{text} {unit}" if unit in ("Gy",) else text




def fmt_ci(ci: tuple[float, float] | None) -> str:
    return f"{ci[0]:g}–{ci[1]:g}" if ci else "no CI"


def median_text(c: CurveEstimate, band: Band | None) -> str:
    text = f"beyond {c.horizon:g} months (last published point)" if c.median is None else f"{c.median:.1f} months"
    if band is not None:
        lo, hi = band.median_ci
        text += (f" ({BAND} {lo:.1f}" if lo is not None else f" ({BAND} >{c.horizon:g}")
        text += f"–{hi:.1f})" if hi is not None else f" to >{c.horizon:g})"
    return text


def landmark_text(c: CurveEstimate, band: Band | None, months: int) -> str:
    s = c.landmarks[months]
    ci = band.landmark_ci.get(months) if band else None
    return f"{100 * s:.0f}%" + (f" ({BAND} {100 * ci[0]:.0f}–{100 * ci[1]:.0f}%)" if ci else "")


def factor_text(f: Factor) -> str:
    """The factor's label with its comparison and reference levels."""
    if f.comparison.strip().lower() in f.label.lower():
        return f"{f.label} (vs {f.reference})"
    return f"{f.label} ({f.comparison} vs {f.reference})"


def stage_text(stage: str) -> str:
    return "after response" if stage == AFTER_RESPONSE else "before treatment"


def curve_title(c: CurveEstimate) -> str:
    return f"{c.study.short_name} · {c.model.endpoint} · {c.model.label} · {stage_text(c.stage)}"


def report_meta(a: Assessment, anonymous: bool = False) -> dict[str, str]:
    """Document metadata and the page footer (no identifier when anonymous)."""
    label = None if anonymous else a.patient.values.get("case_label")
    footer = (f"hccdecide {__version__} · evidence {a.library.version} ({a.library.short_digest}) · "
              "decision aid: the treating team decides")
    return {"title": TITLE + (f" · {label}" if label else ""), "subject": "MDT record",
            "footer": footer, "case": label or ""}


# -- the builder -----------------------------------------------------------------------------
class _Builder:
    def __init__(self, a: Assessment, bands: Mapping[int, Band], anonymous: bool, charts: bool):
        self.a, self.bands, self.anonymous, self.charts = a, bands, anonymous, charts
        self.items: list[Item] = []
        self.cited: dict[str, Study] = {}
        self.status = {m.study.id: m.status for m in a.matches}

    def add(self, *items: Item) -> None:
        self.items.extend(items)

    def cite(self, study: Study) -> str:
        self.cited.setdefault(study.id, study)
        return study.short_name

    def relevant(self, study: Study) -> bool:
        return self.status[study.id] != INELIGIBLE

    # -- title block -------------------------------------------------------------------------
    def header(self, now: datetime, discussion_note: str) -> None:
        lib = self.a.library
        label = self.a.patient.values.get("case_label")
        case = "anonymised: identifying fields omitted" if self.anonymous else (label or "(no case label)")
        offset = now.strftime("%z")
        when = now.strftime("%Y-%m-%d %H:%M") + (f" (UTC{offset[:3]}:{offset[3:]})" if offset else "")
        draws = {b.draws for b in self.bands.values()}
        bands = (f"{BAND}s from {', '.join(str(d) for d in sorted(draws))} Monte Carlo draws"
                 if self.bands else f"not computed: estimates are shown without {BAND}s")
        self.add(Heading(TITLE, 1), KeyValueTable((
            ("Case", case), ("Date and time", when), ("Application", f"hccdecide {__version__}"),
            ("Evidence library", f"version {lib.version} · {len(lib.studies)} studies"),
            ("Evidence digest (SHA-256)", lib.digest), ("Uncertainty bands", bands))),
            Note(DISCLAIMER, "disclaimer"))
        for err in lib.problems:
            self.add(Note(f"Evidence file skipped: {err}", "warning"))
        if discussion_note.strip():
            self.add(Heading("MDT discussion note", 2), Paragraph(discussion_note.strip()))

    # -- save history (from the case store) -------------------------------------------------------
    def audit(self, saves: Sequence[Any]) -> None:
        """Who saved the case, when, with which app and evidence (rows of the store's case history)."""
        if not saves:
            return
        rows = []
        for s in saves:
            when = s.saved_at[:16].replace("T", " ") + " UTC"
            if not s.intact:
                rows.append((when, "record damaged (checksum does not match)", "", ""))
                continue
            rows.append((when, f"{s.os_user} @ {s.host_name}", s.app_version, s.evidence_digest[:12]))
        self.add(Heading("Save history (case store)", 2),
                 Table(("Saved", "By (user @ computer)", "App", "Evidence digest"), tuple(rows),
                       (0.24, 0.40, 0.14, 0.22)))

    # -- 1 inputs ----------------------------------------------------------------------------
    def inputs(self) -> None:
        p = self.a.patient
        rows, unknown, omitted = [], [], []
        for group in GROUPS:
            first = True
            for spec in iter_fields(group):
                if spec.identifying and self.anonymous:
                    omitted.append(spec.label)
                    continue
                if not p.known(spec.key):
                    unknown.append(spec.label)
                    continue
                label = spec.label + (" (after treatment)" if spec.post_treatment else "")
                rows.append((group if first else "", label, fmt_input(spec, p.values[spec.key])))
                first = False
        self.add(Heading("1 Patient data entered", 1))
        if rows:
            self.add(Table(("Group", "Field", "Value"), tuple(rows), (0.24, 0.46, 0.30)))
        else:
            self.add(Paragraph("No value was entered."))
        if omitted:
            self.add(Paragraph("Identifying fields omitted (anonymised report): " + ", ".join(omitted) + ".",
                               "small"))
        if unknown:
            self.add(Paragraph(f"Not entered, treated as unknown ({len(unknown)}): " + "; ".join(unknown) + ".",
                               "small"))

    # -- 2 derived values --------------------------------------------------------------------
    def derived(self) -> None:
        d = self.a.derived
        cp = d.child_pugh
        points = ", ".join(f"{k} {'?' if v is None else v}" for k, v in cp.points.items())
        cp_basis = f"points: {points} (coagulation from {cp.coagulation_source})"
        if cp.score is None:
            cp_basis += f"; possible {cp.score_range[0]}–{cp.score_range[1]}"
        basis = {"child_pugh_score": cp_basis,
                 "bclc_stage": d.bclc.reason + (f"; {d.bclc.caution}" if d.bclc.caution else ""),
                 "lnm_location": d.nodal.reason, "oligoprogression_type": d.oligo.reason,
                 "pvtt_cheng_type": conventions()["cheng_type"]}
        rows = []
        for key in DERIVED_KEYS:
            value = d.facts[key]
            if key == "lnm_location" and value == "none":
                value = "no nodal metastasis"
            shown = d.bclc.label.removeprefix("BCLC stage ") if key == "bclc_stage" else fmt_fact(key, value)
            rows.append((VARIABLES[key].label, shown, basis.get(key, "")))
        uln = "; ".join(f"{VARIABLES[k].label} {v:g} {VARIABLES[k].unit}".rstrip()
                        + (" (entered)" if src == "case" else " (reference default)")
                        for k, (v, src) in d.uln_used.items())
        self.add(Heading("2 Derived values", 1),
                 Table(("Derived value", "Result", "How it was reached"), tuple(rows), (0.33, 0.14, 0.53)),
                 Paragraph(f"Upper limits of normal used: {uln}.", "small"),
                 Heading("Overridden or conflicting values", 2))
        if d.notes:
            for n in d.notes:
                label = VARIABLES[n.key].label if n.key in VARIABLES else n.key
                self.add(Note(f"{n.kind.capitalize()} · {label}: {n.text}", "warning"))
        else:
            self.add(Paragraph("None: no derived value was overridden, assumed or in conflict."))
        self.add(Heading("Conventions", 2),
                 KeyValueTable(tuple((CONVENTION_LABEL.get(k, k), v) for k, v in conventions().items()), 0.2))

    # -- 3 regimens --------------------------------------------------------------------------
    def _open_items(self, r: RegimenResult) -> str:
        if r.status == ELIGIBLE:
            return "eligible in: " + ", ".join(self.cite(m.study) for m in r.matches if m.status == ELIGIBLE)
        best = next((m for m in r.matches if not m.study.is_protocol), r.matches[0])
        if r.status == UNCERTAIN:
            m = next(m for m in r.matches if m.status == UNCERTAIN)
            return f"{self.cite(m.study)}: {m.uncertain_text or 'see checklist'}"
        reason = next((c.reason for c in best.criteria if c.status == NOT_MET), "")
        return f"{self.cite(best.study)}: {reason}"

    def regimens(self) -> None:
        a = self.a
        self.add(Heading("3 Regimens", 1), Paragraph(
            "Each regimen gathers the studies that support it. Ranking: eligible before uncertain before "
            "ineligible, then evidence level (randomised > prospective > retrospective), then sample size. "
            "An outcome range is the lowest and highest figure from the studies the patient fits best "
            "(eligible, else uncertain, else ineligible); every figure is still listed with its study, and "
            "a range is never a pooled estimate. Regimens for which the patient is ineligible in every study are only "
            "listed here."))
        rows, tones = [], []
        for r in a.regimens:
            counts = [sum(1 for m in r.matches if m.status == s) for s in (ELIGIBLE, UNCERTAIN, INELIGIBLE)]
            rows.append((STATUS_TEXT[r.status], r.info.name, LEVEL_LABEL[r.best_level].split(" · ")[0],
                         f"{len(r.matches)} ({counts[0]} ✓ {counts[1]} ? {counts[2]} ✗)", self._open_items(r)))
            tones.append(STATUS_TONE[r.status])
        self.add(Table(("Status", "Regimen", "Best evidence", "Studies", "Why / open items"), tuple(rows),
                       (0.13, 0.27, 0.09, 0.12, 0.39), tone_column=0, tones=tuple(tones)))
        for r in a.regimens:
            if r.status != INELIGIBLE:
                self._regimen_detail(r)

    def _regimen_detail(self, r: RegimenResult) -> None:
        self.add(Heading(r.info.name, 2), Paragraph(
            f"{STATUS_TEXT[r.status]} · best evidence {LEVEL_LABEL[r.best_level]} · "
            f"{r.total_n} patients in the studies with results. {r.info.summary}"
            + "".join(f" ⚠ {g}" for g in r.gate_messages)))
        rows, tones = [], []
        for m in r.matches:
            s = m.study
            open_items = "; ".join([f"{m.counts_text}"] + [c.reason for c in m.findings(NOT_MET)]
                                   + ([m.uncertain_text] if m.uncertain_text else []))
            rows.append((self.cite(s), DESIGN_LABEL[s.design], num(s.n) if s.n else "—",
                         str(evidence_level(s)), STATUS_TEXT[m.status], open_items))
            tones.append(STATUS_TONE[m.status])
        self.add(Table(("Study", "Design", "n", "Level", "Patient", "Not met or unknown"), tuple(rows),
                       (0.16, 0.17, 0.06, 0.06, 0.13, 0.42), tone_column=4, tones=tuple(tones),
                       caption="Supporting studies"))
        rows = []
        for row in r.outcomes:
            for i, f in enumerate(row.figures):
                who = f"{self.cite(f.study)} · {f.arm.label}" + ("" if f.status == ELIGIBLE else f" ({f.status})")
                origin = f"; from {f.outcome.time_origin}" if f.outcome.time_origin else ""
                rows.append((row.label if i == 0 else "", range_text(row) if i == 0 else "",
                             figure_value_text(f, row.unit) + origin, who,
                             f"{f.study.source_citation}: {f.outcome.location}"))
        if rows:
            self.add(Table(("Outcome", "Range", "Figure", "Study · arm", "Source location"), tuple(rows),
                           (0.18, 0.12, 0.2, 0.25, 0.25), caption="Expected outcomes, as reported"))
        elif r.open_trials:
            self.add(Paragraph("Open protocol only: no results yet."))
        if r.benefits:
            rows = []
            for b in r.benefits:
                c = b.comparison
                ref = "; ".join(f"{row_label(o.endpoint, o.measure, o.at_months)} {estimate_text(o.estimate, o.unit)}"
                                for o in b.control.outcomes if o.endpoint == c.endpoint) or "not reported"
                est = c.estimate
                effect = effect_text(c) + (f" ({fmt_ci(est.ci)})" if est.ci else "")
                rows.append((f"{self.cite(b.study)} ({b.status})", f"{b.experimental.label} vs {b.control.label}",
                             c.endpoint, effect, c.p or "—", ref, f"{b.study.source_citation}: {c.location}"))
            self.add(Table(("Study", "Comparison", "Endpoint", "Effect", "p", "Control arm (reference)", "Source"),
                           tuple(rows), (0.12, 0.21, 0.1, 0.13, 0.06, 0.19, 0.19),
                           caption="Randomised benefit of this regimen over its control"))
        if r.open_trials:
            names = ", ".join(self.cite(m.study) + (f" ({m.study.registry})" if m.study.registry else "")
                              for m in r.open_trials)
            self.add(Paragraph(f"Open trials (protocols, no results yet): {names}.", "small"))

    # -- 4 eligibility -----------------------------------------------------------------------
    def checklists(self) -> None:
        self.add(Heading("4 Eligibility checklists", 1), Paragraph(
            "Every study for which the patient is eligible or uncertain. ✓ met · ✗ not met · ? unknown (the "
            "value is needed) · ☐ to confirm (administrative: not decidable from patient data; never decides "
            "the status). Exclusion criteria are phrased as what the patient must satisfy."))
        for m in self.a.matches:
            if m.status != INELIGIBLE:
                self._checklist(m)

    def _checklist(self, m: StudyMatch) -> None:
        s = m.study
        n = f"n = {s.n}" + (" planned" if s.is_protocol else "") if s.n else "n not given"
        self.add(Heading(f"{self.cite(s)} — {STATUS_TEXT[m.status]}", 3),
                 Paragraph(f"{DESIGN_LABEL[s.design]} · {n} · {level_label(s)} · {s.setting}", "small"),
                 Paragraph(f"{m.counts_text}." + (f" Uncertain — {m.uncertain_text}." if m.uncertain_text else "")
                           + "".join(f" Dose: {f}." for f in m.dose_flags), "small"))
        results = sorted(m.criteria, key=lambda c: CRITERION_ORDER[c.status])
        rows = tuple((STATUS_TEXT[c.status], c.criterion.label + ("" if c.criterion.from_list == "inclusion"
                                                                   else f" ({c.criterion.from_list})"),
                      c.reason, c.criterion.location) for c in results)
        if rows:
            self.add(Table(("Result", "Criterion", "Patient value and requirement", "Source"), rows,
                           (0.13, 0.35, 0.33, 0.19), tone_column=0,
                           tones=tuple(STATUS_TONE[c.status] for c in results)))
        else:
            self.add(Paragraph("No eligibility criterion is recorded for this study; its population is "
                               "described above.", "small"))
        for w in m.warnings:
            self.add(Note(w, "warning"))

    # -- 5 risk ------------------------------------------------------------------------------
    def _curve_rank(self, i: int) -> tuple:
        c = self.a.curves[i]
        return ({ELIGIBLE: 0, UNCERTAIN: 1, INELIGIBLE: 2}[self.status[c.study.id]], c.model.endpoint != "OS",
                c.stage != "baseline", c.study.id, c.model.endpoint)

    def risk(self) -> None:
        self.add(Heading("5 Risk strata and individual estimates", 1), Paragraph(
            "Individual curves come only from multivariable Cox models with confidence intervals, combining "
            "baseline factors only for the estimate before treatment. Only factors whose CI excludes 1 move the "
            "estimate; the others are averaged over the cohort (reported, not applied). Where the source prints "
            "the model's likelihood-ratio chi-square the log hazard ratios are shrunk by (chi2 - df)/chi2. The "
            "study cohort's published points calibrate the baseline curve (factors independent, at their cohort "
            "prevalence). A patient beyond the 5th-95th percentile of the cohort's predicted risk gets a bound, "
            f"not a curve. The {BAND} is a parametric bootstrap: cohorts of the published size are simulated "
            "and the Cox model refitted (lifelines). Risk stratum: thirds of the cohort's predicted risk. "
            "Studies for which the patient is ineligible give no estimate."))
        order = sorted((i for i, c in enumerate(self.a.curves) if self.relevant(c.study)), key=self._curve_rank)
        default = [i for i in order if self.a.curves[i].model.default]
        if not default:
            self.add(Paragraph("No multivariable model of a study the patient is eligible or uncertain for "
                               "applies; see the figures reported as published."))
        for i in default:
            self._curve(self.a.curves[i], self.bands.get(i))
        not_applicable = [c for c in self.a.curves if c.model.default and not c.applicable]
        if not_applicable:
            self.add(Note(" ".join(f"{self.cite(c.study)} {c.model.endpoint}: {c.withheld_text}"
                                   for c in not_applicable), "info"))
        others = [i for i in order if not self.a.curves[i].model.default]
        if others:
            rows = []
            for i in others:
                c, band = self.a.curves[i], self.bands.get(i)
                rates = "; ".join(f"{t // 12}-year {landmark_text(c, band, t)}" for t in c.landmarks)
                median = median_text(c, band) if c.shown else "no individual estimate"
                rows.append((self.cite(c.study), f"{c.model.endpoint} · {c.model.label}", stage_text(c.stage),
                             c.stratum.name if c.shown else "—", median, rates or c.withheld_text))
            self.add(Heading("Other models of these studies (not the study's default)", 2),
                     Table(("Study", "Model", "Stage", "Stratum", "Median", "Landmarks"), tuple(rows),
                           (0.1, 0.24, 0.11, 0.1, 0.2, 0.25)))

    def _estimate_rows(self, c: CurveEstimate, band: Band | None) -> list[tuple[str, str]]:
        if not c.shown:
            rows = [("Individual estimate", c.withheld_text)]
            if c.bound is not None:
                rows.append(("Bound", c.bound.text(c.model.endpoint)))
                rows += [("Published subgroup", g.text) for g in c.subgroups]
            return rows
        rows = [(f"Predicted median {c.model.endpoint}", median_text(c, band))]
        rows += [(f"{c.model.endpoint} at {t // 12} year{'s' if t > 12 else ''}", landmark_text(c, band, t))
                 for t in c.landmarks]
        if c.published_median is not None and c.landmark_time is None:
            rows.append(("Study cohort, published", c.published_median.text(c.model.endpoint)))
        rows += [("Subgroup check" + (" — FLAG" if k.flag else ""), k.text) for k in c.subgroup_checks]
        rows.append(("Support", c.support.text))
        for line in c.sensitivity:
            rates = ("; ".join(f"{t // 12}-year {100 * v:.0f}%" for t, v in line.landmarks.items())
                     if line.landmarks is not None else line.note)
            rows.append((f"Sensitivity: {line.label}", rates))
        if band is not None:
            rows.append(("Band", f"parametric bootstrap, {band.draws} lifelines refits ({band.failed_fits} failed)"))
        return rows

    def _curve(self, c: CurveEstimate, band: Band | None) -> None:
        st = c.stratum
        detail = ("factors present: " + ", ".join(st.present)) if st.present else "no applied adverse factor present"
        if st.unknown:
            detail += f"; {len(st.unknown)} unknown, so a range is shown"
        shrink = (f"log-HRs x {c.shrinkage.factor:.3f} (chi2 {c.shrinkage.chi2:g} on {c.shrinkage.df} df)"
                  if c.shrinkage else "none: no chi-square printed, optimism not corrected")
        rows = [("Patient status for the study", STATUS_TEXT[self.status[c.study.id]]),
                ("Risk stratum", f"{st.name.upper()} ({detail})" if c.shown else "not given (no individual estimate)"),
                ("Stratum rule", st.rule),
                ("Shrinkage", shrink)]
        rows += self._estimate_rows(c, band)
        rows.append(("Source", f"{c.study.source_citation}: {c.model.location}"))
        self.cite(c.study)
        self.add(Heading(curve_title(c), 2), KeyValueTable(tuple(rows), 0.3))
        frows, tones = [], []
        for s in c.states:
            f = s.factor
            use = ("applied" if s.counted else "unknown: averaged" if s.applied
                   else "reported, not applied")
            frows.append((factor_text(f), PRESENT_TEXT[s.present],
                          f"{f.effect:g} ({fmt_ci(f.ci)})", f.p or "—", f.timing.replace("_", " "),
                          f"{use}; prevalence {f.prevalence:g}"))
            tones.append({True: BAD, False: GOOD, None: OPEN}[s.adverse_level])
        self.add(Table(("Factor (comparison vs reference)", "Patient", HR_CI_HEADING, "p", "Timing", "Use"),
                       tuple(frows), (0.34, 0.1, 0.15, 0.08, 0.11, 0.22), tone_column=1, tones=tuple(tones)))
        if c.model.note:
            self.add(Note(f"About this model: {c.model.note}", "info"))
        for w in c.warnings:
            self.add(Note(w, "warning"))
        if self.charts:
            from hccdecide.report.charts import chart_pair_png  # matplotlib loads only when charts are drawn
            band_text = (f"{BAND} shaded" if band is not None else "no band computed") if c.shown else \
                "no individual curve"
            self.add(Figure(chart_pair_png(c, band), CHART_WIDTH_MM,
                            f"Left: predicted {c.model.endpoint} for this patient ({band_text}), the study cohort's "
                            "curve and the published points. Right: hazard ratios of the model (log scale); filled "
                            "markers are factors present in this patient (red raises the hazard, green lowers it)."))

    # -- 6 reported as is --------------------------------------------------------------------
    def reported(self) -> None:
        a = self.a
        self.add(Heading("6 Figures reported as published (not combined)", 1), Paragraph(
            "Univariable hazard ratios, relative risks without confidence intervals and subgroup medians are "
            "shown as the studies report them, side by side. They are not combined with each other or with the "
            "estimates above. Studies for which the patient is ineligible are left out."))
        shown = False
        for rm in a.reported_models:
            if not self.relevant(rm.study):
                continue
            shown = True
            rows = tuple((factor_text(f.factor), PRESENT_TEXT[f.applies],
                          figure_text(f.factor, rm.model.analysis), f.factor.p or "—", f.factor.timing.replace("_", " "), f.factor.location)
                         for f in rm.factors)
            self.add(Heading(f"{self.cite(rm.study)} · {rm.model.endpoint} · {ANALYSIS_LABEL[rm.model.analysis]} "
                             "— not combined", 3),
                     Table(("Factor (comparison vs reference)", "Patient", "Figure", "p", "Timing", "Source"), rows,
                           (0.33, 0.1, 0.19, 0.08, 0.11, 0.19),
                           caption=f"{rm.study.source_citation}: {rm.model.location}"))
        by_study: dict[str, list] = {}
        for rs in a.reported_subgroups:
            if self.relevant(rs.study):
                by_study.setdefault(rs.study.id, []).append(rs)
        for group in by_study.values():
            shown = True
            study = group[0].study
            rows, tones = [], []
            for rs in group:
                for i, lv in enumerate(rs.levels):
                    level = lv.level
                    med = ("not reached" if not level.reached else
                           f"{level.median_months:g} months" if level.median_months is not None else "not given")
                    if level.ci:
                        med += f" ({fmt_ci(level.ci)})"
                    rows.append((f"{rs.subgroup.endpoint} · {rs.subgroup.factor}" if i == 0 else "",
                                 level.label + (f" (n = {level.n})" if level.n else ""), med,
                                 "◀ patient" if lv.applies else (rs.patient_text if i == 0
                                                                and rs.patient_level is None else ""),
                                 (rs.subgroup.p or "—") if i == 0 else "", rs.subgroup.location if i == 0 else ""))
                    tones.append(CONFIRM if lv.applies else "")
            self.add(Heading(f"{self.cite(study)} · subgroup medians (univariable) — not combined", 3),
                     Table(("Endpoint · subgroup", "Level", "Median", "Patient", "p", "Source"), tuple(rows),
                           (0.23, 0.17, 0.17, 0.11, 0.08, 0.24), tone_column=3, tones=tuple(tones),
                           caption=study.source_citation))
        if not shown:
            self.add(Paragraph("None for the studies the patient is eligible or uncertain for."))

    # -- 7 sources ---------------------------------------------------------------------------
    def sources(self) -> None:
        files = self.a.library.files
        rows = []
        for s in sorted(self.cited.values(), key=lambda s: (s.short_name.lower(), s.id)):
            ids = [x for x in (s.journal, str(s.year) if s.year else None, f"DOI {s.doi}" if s.doi else None,
                               s.registry, s.trial_name) if x]
            design = DESIGN_LABEL[s.design] + (f", n = {s.n}" if s.n else "")
            via = " (summarised by review)" if s.summarised_by_review else ""
            rows.append((s.short_name, design, f"{s.source_citation}{via}\nevidence file: {files.get(s.id, '—')}",
                         " · ".join(ids) or "—"))
        self.add(Heading("7 Sources", 1), Paragraph(
            "Every study cited in this record, with the citation its figures are taken from and the evidence "
            "file that holds them. Figure-level locations are given beside each figure above."),
                 Table(("Study", "Design", "Source citation and evidence file", "Journal · year · identifiers"),
                       tuple(rows), (0.16, 0.17, 0.41, 0.26)))


def build_items(assessment: Assessment, bands: Mapping[int, Band] | None = None, anonymous: bool = False,
                discussion_note: str = "", now: datetime | None = None, charts: bool = True,
                audit: Sequence[Any] = ()) -> list[Item]:
    """The report's items, in reading order.

    Parameters
    ----------
    assessment : Assessment
    bands : dict of int to Band, optional
        From :func:`hccdecide.engine.assessment.bands_for`, keyed by index into ``assessment.curves``.
    anonymous : bool
        Drop identifying fields (the case label) everywhere.
    discussion_note : str
        Free text of the MDT discussion, printed as given.
    now : datetime, optional
        The time printed in the report (default: now, local time zone).
    charts : bool
        Draw the charts (matplotlib); False gives the same text without figures, faster.
    audit : sequence of hccdecide.store.AuditRow, optional
        The case's saves in the store, printed after the title block (who, when, app, evidence).
    """
    b = _Builder(assessment, dict(bands or {}), anonymous, charts)
    b.header(now or datetime.now().astimezone(), discussion_note)
    b.audit(audit)
    b.inputs()
    b.derived()
    b.regimens()
    b.checklists()
    b.risk()
    b.reported()
    b.sources()
    return b.items
