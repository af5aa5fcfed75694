"""One study of the evidence library as HTML for the evidence browser: every field, with its source location.

Discrepancies between places in the source come first, in a coloured box, because they change how a
figure should be read. Rules are rendered with the engine's own requirement text, so the browser
shows exactly what the matching tests.
"""
from __future__ import annotations

from html import escape

from hccdecide.figure_words import CI_LEVEL, HR_CI_HEADING
from hccdecide.engine.levels import DESIGN_LABEL, level_label
from hccdecide.engine.matching import requirement_text
from hccdecide.engine.outcome_text import effect_text
from hccdecide.engine.regimens import row_label
from hccdecide.engine.reported import ANALYSIS_LABEL, figure_text
from hccdecide.evidence.library import Library
from hccdecide.evidence.schema import AllOf, AnyOf, Arm, Condition, Rule, Study
from hccdecide.gui.results import fmt_estimate

FROM_LIST = {"inclusion": "inclusion", "exclusion": "exclusion (stored as its negation)",
             "setting": "implied by the study setting"}
# QTextBrowser draws borders and backgrounds on tables only, so the box is a one-cell table. Tables are
# narrower than the pane: Qt adds the borders and padding to a percentage width (a 100% table scrolled
# the detail sideways).
DISCREPANCY_OPEN = ("<table width='95%' border='2' cellspacing='0' cellpadding='6' bgcolor='#fff7ed' "
                    "style='border-color:#c2410c; border-style:solid; margin-top:6px'><tr><td style='color:#7c2d12'>")
DISCREPANCY_CLOSE = "</td></tr></table>"


def rule_text(rule: Rule | None) -> str:
    if rule is None:
        return ""
    if isinstance(rule, Condition):
        return requirement_text(rule)
    parts, joiner = (rule.any_of, " or ") if isinstance(rule, AnyOf) else (rule.all_of, " and ")
    return joiner.join(f"({rule_text(r)})" if isinstance(r, (AnyOf, AllOf)) else rule_text(r) for r in parts)


def _e(value) -> str:
    return "—" if value in (None, "") else escape(str(value))


def _table(header: tuple[str, ...], rows: list[tuple]) -> str:
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td valign='top'>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table border='1' cellspacing='0' cellpadding='3' width='99%'><tr>{head}</tr>{body}</table>"


def _ci(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f" ({ci[0]:g}–{ci[1]:g})"


def identity_html(s: Study, library: Library) -> str:
    rows = [("First author", _e(s.first_author)), ("Year", _e(s.year)), ("Journal", _e(s.journal)),
            ("Registry", _e(s.registry)), ("DOI", _e(s.doi)), ("Trial name", _e(s.trial_name)),
            ("Design", _e(DESIGN_LABEL[s.design]) + (f", phase {_e(s.phase)}" if s.phase else "")),
            ("Evidence level", _e(level_label(s))), ("n", _e(s.n)),
            ("Follow-up", _e(f"{s.follow_up_months:g} months" if s.follow_up_months else None)),
            ("Citation", _e(s.source_citation)),
            ("Summarised by a review", "<b>yes</b> — figures as the review reports them" if s.summarised_by_review
             else "no — read from the study itself"),
            ("Qualitative record", "<b>yes</b> — discussed without figures; nothing numeric is stored, and its "
             "population is only as described, so it can never make a patient eligible" if s.qualitative else "no"),
            ("Regimens", _e(", ".join(library.regimens[k].name for k in s.regimen_keys)))]
    return "<table cellpadding='2'>" + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>"


def discrepancies_html(s: Study) -> str:
    out = []
    for d in s.discrepancies:
        values = "".join(f"<li>{escape(v.value)} <i>— {escape(v.location)}</i></li>" for v in d.values)
        out.append(f"{DISCREPANCY_OPEN}<b>⚠ Discrepancy: {escape(d.topic)}</b><ul>{values}</ul>"
                   f"<b>Used:</b> {escape(d.used)}<br><b>Why:</b> {escape(d.why)}{DISCREPANCY_CLOSE}")
    return "".join(out)


def criteria_html(s: Study) -> str:
    rows = []
    for c in s.criteria:
        rule = "<b>administrative — confirm; never decides the status</b>" if c.administrative else escape(rule_text(c.rule))
        kind = FROM_LIST[c.from_list]
        if c.from_list == "setting":
            kind = f"<b>{kind}</b>"
        rows.append((escape(c.label), kind, rule, escape(c.location), _e(c.note)))
    return _table(("Criterion", "List", "Rule tested", "Location", "Note"), rows) if rows else "<p>No criteria recorded.</p>"


def arm_html(a: Arm, library: Library) -> str:
    regimen = library.regimens[a.regimen_key].name if a.regimen_key else "control arm"
    r = a.regimen
    dose = " · ".join(x for x in (
        r.rt_technique or "",
        f"{r.dose_gy:g} Gy" if r.dose_gy else (f"{r.dose_range_gy[0]:g}–{r.dose_range_gy[1]:g} Gy" if r.dose_range_gy else ""),
        f"{r.fractions} fx" if r.fractions else (f"{r.fractions_range[0]}–{r.fractions_range[1]} fx" if r.fractions_range else ""),
        ", ".join(r.systemic), "TACE" if r.tace else "", "surgery" if r.surgery else "") if x)
    outcomes = [(escape(row_label(o.endpoint, o.measure, o.at_months)), escape(fmt_estimate(o.estimate, o.unit)),
                 _e(o.definition), _e(o.time_origin), _e(o.population), escape(o.location), _e(o.note))
                for o in a.outcomes]
    tox = [(escape(t.event), _e(f"{t.grade3plus_pct:g}%" if t.grade3plus_pct is not None else None),
            _e(f"{t.any_grade_pct:g}%" if t.any_grade_pct is not None else None), escape(t.location))
           for t in a.toxicities]
    return (f"<h4>{escape(a.label)} (n = {_e(a.n)}) — {escape(regimen)}</h4>"
            f"<p>{escape(dose)}<br>{escape(r.description)}<br><i>{escape(a.location)}</i></p>"
            + (_table(("Outcome", "Value (CI)", "Definition", "Time origin", "Population", "Location", "Note"), outcomes)
               if outcomes else "<p>No outcomes (protocol or not reported).</p>")
            + (_table(("Toxicity", "Grade ≥ 3", "Any grade", "Location"), tox) if tox else ""))


def comparisons_html(s: Study) -> str:
    arms = {a.id: a.label for a in s.arms}
    rows = [(escape(c.endpoint), escape(f"{arms[c.experimental]} vs {arms[c.control]}"),
             escape(effect_text(c) + _ci(c.estimate.ci)), _e(c.p), _e(c.analysis), escape(c.location), _e(c.note))
            for c in s.comparisons]
    return _table(("Endpoint", "Arms", "Effect", "p", "Analysis", "Location", "Note"), rows)


def models_html(s: Study) -> str:
    out = []
    for m in s.prognostic_models:
        measure = {"multivariable_rr_no_ci": "RR", "multivariable_chi2_statistic": "Test statistic"}.get(
            m.analysis, HR_CI_HEADING)
        rows = [(escape(f.label), escape(f"{f.reference} → {f.comparison}"),
                 _e(figure_text(f, m.analysis) if f.effect is not None or f.statistic is not None else None),
                 _e(f.p),
                 escape(f.timing.replace("_", " ")),
                 _e(f"{f.prevalence:.0%} ({f.prevalence_location})" if f.prevalence is not None else None),
                 _e(rule_text(f.present_when)), escape(f.location)) for f in m.factors]
        flags = " · default model" if m.default else ""
        flags += f" · calibrated to arm {m.calibrate_to_arm}" if m.calibrate_to_arm else ""
        out.append(f"<h4>{escape(m.label)} — {escape(m.endpoint)}</h4>"
                   f"<p><b>Analysis: {escape(ANALYSIS_LABEL[m.analysis])}</b>{escape(flags)} · <i>{escape(m.location)}</i>"
                   + (f"<br>{escape(m.note)}" if m.note else "") + "</p>"
                   + _table(("Factor", "Reference → comparison", measure, "p", "Timing",
                             "Prevalence", "Patient rule", "Location"), rows))
    return "".join(out)


def subgroups_html(s: Study) -> str:
    out = []
    for g in s.subgroups:
        rows = [(escape(lv.label), _e(lv.n), "not reached" if not lv.reached else _e(
            f"{lv.median_months:g} months{_ci(lv.ci)}" if lv.median_months is not None else None),
                 _e(rule_text(lv.present_when))) for lv in g.levels]
        out.append(f"<p><b>{escape(g.endpoint)} by {escape(g.factor)}</b> (univariable subgroup medians, "
                   f"{escape(g.timing.replace('_', ' '))}), p {_e(g.p)} · <i>{escape(g.location)}</i>"
                   + (f"<br>{escape(g.note)}" if g.note else "") + "</p>"
                   + _table(("Level", "n", f"Median ({CI_LEVEL}% CI)", "Patient rule"), rows))
    return "".join(out)


def _variable_label(key: str) -> str:
    """The clinical name of a case variable (the evidence check refuses unknown keys)."""
    from hccdecide.variables import VARIABLES

    variable = VARIABLES.get(key)
    return variable.label + (f" ({variable.unit})" if variable and variable.unit else "") if variable else key


def study_html(s: Study, library: Library) -> str:
    bounds = [(escape(_variable_label(b.var)), _e(b.low), _e(b.high), escape(b.location), _e(b.note)) for b in s.population_bounds]
    sections = [
        f"<h2>{escape(s.short_name)}</h2>"
        f"<p>{escape(s.title)}</p>",
        discrepancies_html(s),
        "<h3>Identity</h3>" + identity_html(s, library),
        f"<h3>Setting</h3><p>{escape(s.setting)}</p>",
        *([f"<p>⚠ Only {s.hcc_share.percent:g}% of the patients had HCC ({escape(s.hcc_share.location)}).</p>"]
          if s.hcc_share else []),
        f"<h3>Criteria ({len(s.criteria)})</h3>" + criteria_html(s),
        ("<h3>Range treated in the cohort</h3>" + _table(("Variable", "Low", "High", "Location", "Note"), bounds))
        if bounds else "",
        f"<h3>Arms ({len(s.arms)})</h3>" + "".join(arm_html(a, library) for a in s.arms),
        ("<h3>Comparisons between arms</h3>" + comparisons_html(s)) if s.comparisons else "",
        ("<h3>Prognostic models</h3>" + models_html(s)) if s.prognostic_models else "",
        ("<h3>Subgroups</h3>" + subgroups_html(s)) if s.subgroups else "",
        f"<h3>Notes</h3><p>{escape(s.notes)}</p>" if s.notes else "",
    ]
    return "".join(sections)
