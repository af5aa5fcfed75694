"""The content of each tumour-board page as rich text, sized for a shared 1920×1080 screen.

Pages carry no identifiers: the title page is built from derived values and a few clinical values of
``Patient.anonymised()``, never from the case label or the file name. Sizes are explicit points
(scaled by the zoom) because Qt's relative HTML sizes drift with the platform's default font.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape

from hccdecide.figure_words import BAND, ci_text
from hccdecide.engine.assessment import Assessment
from hccdecide.engine.levels import DESIGN_LABEL, LEVEL_LABEL
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, TO_CONFIRM, UNCERTAIN, UNKNOWN
from hccdecide.engine.prognosis import CurveEstimate
from hccdecide.engine.regimens import RegimenResult
from hccdecide.engine.summary import DISCLAIMER, SHOWN_DERIVED
from hccdecide.engine.uncertainty import Band
from hccdecide.engine.outcome_text import effect_text, estimate_text, range_text
from hccdecide.engine.icon_array import IconArray, glance_icons, individual_icons
from hccdecide.engine.plain_summary import at_a_glance, shown_regimens, why_text
from hccdecide.engine.regimens import ENDPOINT_LABEL
from hccdecide.gui.risk import prediction_html, stage_text
from hccdecide.variables import VARIABLES, value_text

BODY_PT = 28.0  # at zoom 1: readable from the back of a meeting room on a 1920×1080 screen
INK = "#111111"
# Darker than the clinic colours: contrast ≥ 7:1 on white for a projector that washes colours out.
# Three hues a projector keeps apart (green, amber, red), each always with its own symbol as well.
STATUS_INK = {ELIGIBLE: "#166534", UNCERTAIN: "#a16207", INELIGIBLE: "#991b1b"}
STATUS_MARK = {ELIGIBLE: "✓", UNCERTAIN: "?", INELIGIBLE: "✗"}
STRATUM_INK = {"low": "#166534", "intermediate": "#a16207", "high": "#991b1b"}
STRATUM_MARK = {"low": "▼", "intermediate": "●", "high": "▲"}
REFERENCE_HEIGHT = 1080  # px: the screen height BODY_PT is chosen for
MAX_UNCERTAIN_PER_PAGE = 5
KEY_VALUES = ("ecog", "afp_ng_ml", "tumour_count", "largest_diameter_cm", "vp", "lnm_present")
MAX_OUTCOME_ROWS = 5
MAX_STUDIES_NAMED = 4
SOURCES_PER_PAGE = 10  # at three quarters of body size
SOURCES_SIZE = 0.75
MAX_BENEFITS = 2
MAX_OVERVIEW_ICONS = 2  # the individual estimate and one randomised benefit fit a 1280×720 slide


@dataclass
class Typography:
    zoom: float = 1.0
    screen: float = 1.0  # screen height / 1080: type scales with the screen it is shown on
    fit: float = 1.0  # < 1 when the longest page needs smaller type to fit without scrolling

    @property
    def body(self) -> float:
        return BODY_PT * self.zoom * self.screen * self.fit

    def h1(self, text: str) -> str:
        return f"<p style='font-size:{1.45 * self.body:.0f}pt; font-weight:bold; margin:0 0 12px 0'>{text}</p>"

    def big(self, text: str, colour: str = INK) -> str:
        return f"<p style='font-size:{1.2 * self.body:.0f}pt; font-weight:bold; color:{colour}; margin:0 0 8px 0'>{text}</p>"

    def para(self, text: str) -> str:
        return f"<p style='font-size:{self.body:.0f}pt; margin:0 0 10px 0'>{text}</p>"

    def table(self, rows: list[tuple[str, ...]], size: float = 1.0) -> str:
        cells = "".join("<tr>" + "".join(f"<td style='padding:4px 28px 4px 0'>{c}</td>" for c in row) + "</tr>"
                        for row in rows)
        return f"<table style='font-size:{size * self.body:.0f}pt' cellspacing='0'>{cells}</table>"


@dataclass
class PageContent:
    kind: str  # title | regimen | risk | sources
    html: str
    curve_index: int | None = None
    cited: tuple[str, ...] = field(default_factory=tuple)  # study ids named on the page
    icons: tuple[IconArray, ...] = ()  # icon arrays drawn under the text; their sentences are in it


def _status(status: str, upper: bool = True) -> str:
    word = status.upper() if upper else status
    return f"<span style='color:{STATUS_INK[status]}'>{STATUS_MARK[status]} {word}</span>"


def _bracketed(name: str) -> str:
    """A study's name in brackets, its own brackets flattened: "(Dawson 2025, NRG/RTOG 1112)"."""
    return "(" + escape(name.replace(" (", ", ").replace("(", "").replace(")", "")) + ")"


def _stratum(name: str) -> str:
    return f"<span style='color:{STRATUM_INK[name]}'>{STRATUM_MARK[name]} {name.upper()}</span>"


def overview_page(a: Assessment, bands: dict[int, Band], t: Typography) -> PageContent:
    """The first slide: the case in plain words, the regimens that fit, and the risk third."""
    glance = at_a_glance(a, bands)
    # the regimens the summary names, so the slide and the summary never disagree
    fitting = shown_regimens(a)
    counts = {s: sum(1 for r in a.regimens if r.status == s) for s in (ELIGIBLE, UNCERTAIN, INELIGIBLE)}
    overview = " · ".join(f"{counts[s]} {_status(s, upper=False)}" for s in counts)
    names = ", ".join(escape(r.info.name) for r in fitting[:MAX_STUDIES_NAMED]) or "none"
    fit_label = "May fit (uncertain)" if fitting and fitting[0].status == UNCERTAIN else "Fitting"
    curve = glance.risk_curve
    risk = ""
    if curve is not None:
        stratum = " to ".join(_stratum(n) for n in _ends(curve.stratum.possible))
        risk = t.para(f"Risk stratum {_bracketed(f'{curve.study.short_name} {curve.model.endpoint} model')}: "
                      f"<b>{stratum}</b> — " + _factor_text(curve))
    sentences = "".join(t.para(escape(x)) for x in glance.sentences[:2])
    icons = _band_pending(glance_icons(a, glance, bands)[:MAX_OVERVIEW_ICONS], a, curve, bands)
    html = (t.h1("Overview (anonymised)") + sentences + t.para(f"Regimens: {overview}")
            + t.para(f"{fit_label}: <b>{names}</b>") + risk + _icon_sentences(icons, t))
    return PageContent("overview", html, icons=icons)


BAND_PENDING = f"{BAND} still computing"


def _band_pending(icons: tuple[IconArray, ...], a: Assessment, curve: CurveEstimate | None,
                  bands: dict[int, Band]) -> tuple[IconArray, ...]:
    """The individual array drawn before its band has come from the worker says so, rather than
    reading as an estimate without uncertainty (the slide is rebuilt when the band arrives)."""
    if curve is None or not curve.shown or not icons or bands.get(a.curves.index(curve)) is not None:
        return icons
    first = icons[0]
    if not first.title.startswith(f"{curve.study.short_name}: individual estimate"):
        return icons
    pending = replace(first, title=f"{first.title} · {BAND_PENDING}",
                      sentence=f"{first.sentence.rstrip('.')} ({BAND_PENDING}).")
    return (pending, *icons[1:])


def _icon_sentences(icons: tuple[IconArray, ...], t: Typography) -> str:
    return "".join(t.para(escape(i.sentence)) for i in icons)


def _ends(names: tuple[str, ...]) -> tuple[str, ...]:
    return (names[0], names[-1])[: 1 if len(names) == 1 else 2]


def _factor_text(c: CurveEstimate) -> str:
    """The factors that make the stratum: adverse predictors present, and those still unknown."""
    counted = [s.factor.label for s in c.states if s.significant and s.factor.timing == "baseline"
               and s.adverse_level]
    unknown = [s.factor.label for s in c.states if s.significant and s.factor.timing == "baseline"
               and s.present is None]
    text = f"{escape(', '.join(counted))} present" if counted else "no adverse predictor present"
    return text + (f"; unknown: {escape(', '.join(unknown))}" if unknown else "")


def title_page(a: Assessment, t: Typography) -> PageContent:
    patient = a.patient.anonymised()
    derived = [(escape(VARIABLES[k].label), f"<b>{escape(value_text(k, a.derived.facts[k]))}</b>")
               for k in SHOWN_DERIVED]
    known = [f"{escape(VARIABLES[k].label)} <b>{escape(value_text(k, patient[k]))}</b>"
             for k in KEY_VALUES if patient.known(k)]
    counts = {s: sum(1 for r in a.regimens if r.status == s) for s in (ELIGIBLE, UNCERTAIN, INELIGIBLE)}
    overview = " · ".join(f"{counts[s]} {_status(s, upper=False)}" for s in counts)
    notes = "".join(t.para(f"⚠ {escape(n.text)}") for n in a.derived.notes if n.kind == "conflict")
    html = (t.h1("Case summary (anonymised)") + t.table(derived)
            + (t.para("Key values: " + " · ".join(known)) if known else "") + notes
            + t.para(f"Regimens: {overview}") + t.para(escape(DISCLAIMER)))
    return PageContent("title", html)


def _reason_lines(r: RegimenResult) -> list[str]:
    """Why the regimen is uncertain (the best uncertain study's unknowns), or what is left to confirm."""
    if r.status == UNCERTAIN:
        m = next(m for m in r.matches if m.status == UNCERTAIN)
        if not m.missing and (m.to_judge or m.warnings):  # nothing to enter: a judgement to confirm, a caution
            said = [f"to confirm: {j}" for j in m.to_judge] + list(m.warnings)
            return [f"<b>Open question</b> {_bracketed(m.study.short_name)}: " + escape("; ".join(said))]
        if not m.missing:  # no criterion on a domain: the summary's words, which name the study
            return ["<b>Open question</b>: " + escape(why_text(r).removeprefix("; "))]
        first = next((c.reason for c in m.criteria if c.status == UNKNOWN), "")
        return [f"<b>Main open question</b> {_bracketed(m.study.short_name)}: {escape(m.data_text)}",
                escape(first)]
    m = next(m for m in r.matches if m.status == ELIGIBLE)
    lines = [f"<b>⚠ Outside the treated population</b> — {escape(c)}" for c in r.population_cautions]
    confirm = [c.criterion.label for c in m.criteria if c.status == TO_CONFIRM]
    if confirm:
        more = f" (+{len(confirm) - 2} more)" if len(confirm) > 2 else ""
        lines.append(f"<b>To confirm</b> {_bracketed(m.study.short_name)}: " + escape("; ".join(confirm[:2])) + more)
    return lines


def regimen_page(r: RegimenResult, t: Typography) -> PageContent:
    open_ = [m for m in r.matches if m.status != INELIGIBLE]
    named = ", ".join(f"{escape(m.study.short_name)}: {m.status}" for m in open_[:MAX_STUDIES_NAMED])
    extra = len(open_) - MAX_STUDIES_NAMED
    named += f", +{extra} more" if extra > 0 else ""
    rows = []
    cited = {m.study.id for m in open_}
    # a slide shows only figures from studies the patient is not excluded from; the clinic view lists all
    fitting = [row for row in r.outcomes if row.value_range and row.range_basis != INELIGIBLE]
    for row in fitting[:MAX_OUTCOME_ROWS]:
        names = list(dict.fromkeys(f.study.short_name for f in row.figures))
        cited.update(f.study.id for f in row.figures)
        rows.append((escape(row.label), f"<b>{escape(range_text(row))}</b>", escape(", ".join(names))))
    outcomes = t.table([("<b>Outcome</b>", "<b>Range across studies</b>", "<b>Source</b>")] + rows) if rows else \
        t.para("No outcome figures reported yet (open protocol)." if r.open_trials else "No outcome figures reported.")
    html = (t.h1(escape(r.info.name)) + t.big(f"{_status(r.status)} · {escape(LEVEL_LABEL[r.best_level])}")
            + t.para(f"Studies: {named}") + outcomes + _benefit_html(r, t)
            + "".join(t.para(line) for line in _reason_lines(r) if line))
    cited.update(b.study.id for b in r.benefits[:MAX_BENEFITS])
    return PageContent("regimen", html, cited=tuple(sorted(cited)))


def _benefit_html(r: RegimenResult, t: Typography) -> str:
    """Randomised comparisons: the hazard ratio with its CI, beside what the control arm achieved."""
    lines = []
    for b in r.benefits[:MAX_BENEFITS]:
        c, est = b.comparison, b.comparison.estimate
        ci = f" ({ci_text(est.ci, est.ci_level)})" if est.ci else " (no CI reported)"
        control = "; ".join(f"{ENDPOINT_LABEL.get(o.endpoint, o.endpoint)} {estimate_text(o.estimate, o.unit)}"
                            for o in b.control.outcomes[:2])
        lines.append(f"<b>Randomised</b> {_bracketed(b.study.short_name)}: "
                     f"<b>{escape(effect_text(c))}</b>{escape(ci)} for {escape(ENDPOINT_LABEL.get(c.endpoint, c.endpoint))} "
                     f"vs {escape(b.control.label)}" + (f" — control arm: {escape(control)}" if control else ""))
    return "".join(t.para(line) for line in lines)


def _caution(r: RegimenResult) -> str:
    if not r.population_cautions:
        return ""
    return f"<br><b>⚠ Outside the treated population</b> — {escape(r.population_cautions[0])}"


def uncertain_pages(regimens: list[RegimenResult], t: Typography) -> list[PageContent]:
    """Uncertain regimens together, a few per page, each with its main open question."""
    chunks = [regimens[i:i + MAX_UNCERTAIN_PER_PAGE] for i in range(0, len(regimens), MAX_UNCERTAIN_PER_PAGE)]
    pages = []
    for i, chunk in enumerate(chunks):
        part = f" ({i + 1} of {len(chunks)})" if len(chunks) > 1 else ""
        rows = [(f"<b>{escape(r.info.name)}</b>", _reason_lines(r)[0] + _caution(r)) for r in chunk]
        cited = tuple(next(m.study.id for m in r.matches if m.status == UNCERTAIN) for r in chunk)
        pages.append(PageContent("uncertain", t.h1(f"Uncertain regimens{part}") + t.big(_status(UNCERTAIN) +
                                 ": data missing or a criterion not reported") + t.table(rows), cited=cited))
    return pages


def risk_page(a: Assessment, index: int, band: Band | None, t: Typography) -> PageContent:
    c: CurveEstimate = a.curves[index]
    names = c.stratum.possible
    stratum = " or ".join(f"<span style='color:{STRATUM_INK[n]}'>{n.upper()}</span>" for n in names)
    unknown = f" — {len(c.stratum.unknown)} factors unknown" if len(names) > 1 else ""
    why = t.para("Why: " + _factor_text(c))  # the factors are named once, here
    if not c.applicable:
        stratum, unknown, why = "not applicable", "", ""
    elif not c.shown:  # outside the cohort's support or after progression: no individual statement
        stratum, unknown = "not given", ""
    status = a.match(c.study.id).status
    band_note = "" if band is not None or not c.shown else f" · {BAND_PENDING}"
    icons = tuple(i for i in (individual_icons(c, band),) if i is not None)
    html = (t.h1(escape(f"{c.study.short_name} · {c.model.endpoint} · {stage_text(c)}"))
            + t.big(f"Risk stratum: {stratum}{escape(unknown)}") + why
            + t.para(prediction_html(c, band, detail=False) + band_note)
            + t.para(f"Patient is {_status(status)} for {escape(c.study.short_name)} · {escape(c.model.label)}")
            + _icon_sentences(icons, t))
    return PageContent("risk", html, curve_index=index, cited=(c.study.id,), icons=icons)


def sources_pages(a: Assessment, cited: list[str], t: Typography) -> list[PageContent]:
    lib = a.library
    head = t.para(f"Evidence library {escape(lib.version)} · {len(lib.studies)} studies<br>"
                  f"SHA-256 {lib.digest[:32]}<br>{lib.digest[32:]}")  # 64 hex digits do not fit one line
    skipped = "".join(t.para(f"⚠ Skipped user file: {escape(str(p))}") for p in lib.problems)
    rows = []
    for sid in cited:
        s = lib.study(sid)
        rows.append((f"<b>{escape(s.short_name)}</b>",
                     escape(f"{s.source_citation} · {DESIGN_LABEL[s.design]}"
                            + (f" · n = {s.n}" if s.n else " · n not given"))))
    # Citations wrap to two or three lines at this size; the first page also carries the digest.
    first = SOURCES_PER_PAGE - 2
    chunks = [rows[:first]] + [rows[i:i + SOURCES_PER_PAGE] for i in range(first, len(rows), SOURCES_PER_PAGE)]
    pages = []
    for i, chunk in enumerate(chunks):
        part = f" ({i + 1} of {len(chunks)})" if len(chunks) > 1 else ""
        body = head + skipped if i == 0 else ""
        pages.append(PageContent("sources", t.h1(f"Sources{part}") + body + t.table(chunk, SOURCES_SIZE)))
    return pages


def build_pages(a: Assessment, bands: dict[int, Band], t: Typography) -> list[PageContent]:
    """Overview, the case, each eligible regimen, the uncertain ones together, every default curve,
    then the sources."""
    pages = [overview_page(a, bands, t), title_page(a, t)]
    pages += [regimen_page(r, t) for r in a.regimens if r.status == ELIGIBLE]
    pages += uncertain_pages([r for r in a.regimens if r.status == UNCERTAIN], t)
    pages += [risk_page(a, i, bands.get(i), t) for i, c in enumerate(a.curves) if c.model.default]
    cited = list(dict.fromkeys(sid for p in pages for sid in p.cited))
    cited.sort(key=lambda sid: a.library.study(sid).short_name)
    return pages + sources_pages(a, cited, t)
