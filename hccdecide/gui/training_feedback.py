"""A resident's training feedback as HTML: what differed from the app, and why, criterion by criterion."""
from __future__ import annotations

from html import escape

from hccdecide.figure_words import HR_CI_HEADING
from hccdecide.engine.matching import ELIGIBLE, NOT_MET
from hccdecide.engine.training import NOT_APPLICABLE, STRATUM_ENDPOINT, RegimenFeedback, StratumFeedback, TrainingFeedback
from hccdecide.gui.results import STATUS_COLOUR, STATUS_TEXT
from hccdecide.patient import FIELD_BY_KEY, GROUPS, Patient
from hccdecide.variables import VARIABLES, choice_text

PRESENT = {True: ("present", "#b91c1c"), False: ("absent", "#15803d"), None: ("unknown", "#b45309")}
RULE = ("An <b>eligible</b> regimen should be ticked and an <b>ineligible</b> one left unticked. An <b>uncertain</b> "
        "regimen (data missing, or a criterion the source does not report) is an open question for the tumour "
        "board: either answer is accepted and it is not scored.")


def _status(status: str) -> str:
    return f"<b style='color:{STATUS_COLOUR[status]}'>{STATUS_TEXT[status]}</b>"


def _stratum_name(name: str | None) -> str:
    return "no answer" if name is None else ("not applicable" if name == NOT_APPLICABLE else name)


def stratum_html(s: StratumFeedback, study_name: str) -> str:
    mark = "✓" if s.correct else "✗"
    expected = " or ".join(_stratum_name(x) for x in s.expected)
    eligibility = f"The patient is {_status(s.study_status)} for {escape(study_name)}." if s.study_status else ""
    rows = []
    for st in s.factors:
        f = st.factor
        text, colour = PRESENT[st.present]
        counts = "yes" if st.significant and f.timing == "baseline" else "no (CI spans 1 or post-treatment)"
        hr = f"{f.effect:g} ({f.ci[0]:g}–{f.ci[1]:g})" if f.ci else f"{f.effect:g}"
        # the reason runs under its factor across the whole table: as a fifth column it left the
        # columns too narrow for whole words in a pane beside the answers (1280 px wide)
        rows.append(f"<tr><td><b>{escape(f.label)}</b></td><td style='color:{colour}'><b>{text}</b></td>"
                    f"<td>{hr}</td><td>{counts}</td></tr>"
                    f"<tr><td colspan='4' style='color:#374151'>Why: {escape(st.reason)}</td></tr>")
    table = ("<table border='1' cellspacing='0' cellpadding='3' width='99%'><tr><th align='left'>Factor</th>"
             f"<th align='left'>Patient</th><th align='left'>{HR_CI_HEADING}</th><th align='left'>Counts for stratum</th>"
             "</tr>" + "".join(rows) + "</table>") if rows else ""
    return (f"<h3>{mark} Risk stratum ({escape(study_name)} {STRATUM_ENDPOINT} model)</h3>"
            f"<p>Your answer: <b>{escape(_stratum_name(s.resident))}</b> · accepted: <b>{escape(expected)}</b>. "
            f"{eligibility}</p><p>Rule: {escape(s.rule)}</p>{table}")


def _score_parts(fb: TrainingFeedback) -> str:
    return " · ".join(f"{name}: {right} of {total}" for name, (right, total) in fb.score_parts().items())


def regimen_html(r: RegimenFeedback, mark: str = "✗") -> str:
    answer = "ticked" if r.ticked else "did not tick"
    head = f"<h4>{mark} {escape(r.name)} — you {answer} it; the app says {_status(r.app_status)}</h4>"
    items = []
    for sr in r.studies:
        if r.applies and sr.status == ELIGIBLE:
            detail = "every clinical criterion met"
        else:
            detail = "".join(f"<li>{'✗ not met' if c.status == NOT_MET else '? unknown'}: {escape(c.criterion.label)}"
                             f" — <i>{escape(c.reason)}</i></li>" for c in sr.criteria)
            detail = f"<ul>{detail}</ul>" if detail else "no criterion decides against it"
        caution = "".join(f"<br><span style='color:#b45309'>⚠ {escape(w)}</span>" for w in sr.warnings)
        items.append(f"<li><b>{escape(sr.short_name)}</b> {_status(sr.status)}: {detail}{caution}</li>")
    return head + f"<ul>{''.join(items)}</ul>"


def feedback_html(fb: TrainingFeedback, study_name: str) -> str:
    right, total = fb.score
    wrong = fb.wrong
    agreed = ", ".join(escape(r.name) for r in fb.regimens if r.scored and r.correct)
    parts = [f"<h2>Score {right} of {total}</h2><p>{_score_parts(fb)}</p><p>{RULE}</p>",
             stratum_html(fb.stratum, study_name)]
    if fb.missed:
        parts.append("<h3>Missed regimens (the patient is eligible)</h3>"
                     + "".join(regimen_html(r) for r in fb.missed))
    if fb.not_supported:
        parts.append("<h3>Ticked but not supported (every study excludes the patient)</h3>"
                     + "".join(regimen_html(r) for r in fb.not_supported))
    if not wrong:
        parts.append("<h3>✓ Every regimen answer agrees with the app</h3>")
    parts.append(f"<h3>✓ Agreed</h3><p>{agreed or '—'}</p>")
    if fb.open:
        parts.append("<h3>○ Uncertain: open questions, not scored</h3>"
                     + "".join(regimen_html(r, "○") for r in fb.open))
    return "".join(parts)


def case_values_html(patient: Patient) -> str:
    """The case values, read-only, grouped like the form; identifying fields left out."""
    out = []
    values = patient.anonymised().values
    for group in GROUPS:
        rows = []
        for key, value in values.items():
            spec = FIELD_BY_KEY[key]
            if spec.group != group:
                continue
            shown = ("yes" if value else "no") if isinstance(value, bool) else (
                ", ".join(map(choice_text, value)) if isinstance(value, tuple) else choice_text(value))
            unit = f" {spec.unit}" if spec.unit and not isinstance(value, (bool, str, tuple)) else ""
            rows.append(f"<tr><td>{escape(VARIABLES[key].label)}</td><td><b>{escape(shown + unit)}</b></td></tr>")
        if rows:
            out.append(f"<h4>{escape(group)}</h4><table cellpadding='2'>{''.join(rows)}</table>")
    return "".join(out) + "<p><i>Every other field is unknown.</i></p>"
