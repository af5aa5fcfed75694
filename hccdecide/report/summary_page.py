"""The one-page MDT record: exactly one A4 page, read at the meeting and filed with the notes.

Content: key patient data; the summary sentences (the same as on screen and in the JSON); the
strategies the patient fits or may fit with their evidence level and key outcome; the derived absolute
benefit of their randomised comparisons; the risk group with a small curve and its icon array; open
questions and next data; the evidence version and digest; the disclaimer. The full record stays
available (``hccdecide report`` without ``--summary``).

The page must never run over: it is rendered, and while it has more than one page the least important
detail is dropped (:data:`TRIM_STEPS`) and it is rendered again.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Mapping

from hccdecide.figure_words import BAND
from hccdecide import __version__
from hccdecide.engine.assessment import Assessment
from hccdecide.engine.benefit import absolute_benefit, difference_text
from hccdecide.engine.icon_array import individual_icons
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, TO_CONFIRM, UNCERTAIN
from hccdecide.engine.plain_summary import Glance, at_a_glance, figure_text, headline, offered, regimens_sentences
from hccdecide.engine.summary import DISCLAIMER
from hccdecide.engine.uncertainty import Band
from hccdecide.report.content import report_meta
from hccdecide.report.items import GOOD, OPEN, Figure, Heading, Item, KeyValueTable, Note, Paragraph, Table

TITLE = "hccdecide · MDT record (one page)"
MAX_REGIMENS = 6
# (regimen rows, benefit lines, chart, open questions) from fullest to leanest
TRIM_STEPS = ((6, 3, True, 4), (4, 2, True, 3), (3, 1, True, 2), (3, 0, False, 2), (2, 0, False, 1))
PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def _fact(a: Assessment, key: str, unit: str = "") -> str:
    value = a.derived.facts.get(key)
    if value is None:
        return "unknown"
    return (f"{value:.0f}" if isinstance(value, float) else str(value).replace("_", " ")) + unit


def key_data(a: Assessment, anonymous: bool) -> tuple[tuple[str, str], ...]:
    p, f = a.patient, a.derived.facts
    rows = []
    if not anonymous:
        rows.append(("Case", p["case_label"] or "(no case label)"))
    age_sex = " ".join(x for x in (f"{p['age_years']} years" if p["age_years"] else "", p["sex"] or "") if x)
    rows += [
        ("Age, sex, ECOG", f"{age_sex or 'unknown'} · ECOG {p['ecog'] if p['ecog'] is not None else 'unknown'}"),
        ("Liver", f"Child–Pugh {_fact(a, 'child_pugh_class')} ({_fact(a, 'child_pugh_score')} points) · "
                  f"ALBI grade {_fact(a, 'albi_grade')}"),
        ("Stage", f"BCLC {_fact(a, 'bclc_stage')} · MVI grade {_fact(a, 'mvi_grade')} · nodes "
                  f"{_fact(a, 'lnm_location')} · {_fact(a, 'm_stage')}"),
        ("Tumour", f"{p['tumour_count'] if p['tumour_count'] is not None else '?'} lesion(s), largest "
                   f"{p['largest_diameter_cm'] if p['largest_diameter_cm'] is not None else '?'} cm · AFP "
                   f"{p['afp_ng_ml'] if p['afp_ng_ml'] is not None else '?'} ng/mL"),
    ]
    if f["bed_gy"] is not None:
        rows.append(("Planned RT", f"{p['rt_dose_gy']:g} Gy in {p['rt_fractions']} fractions · "
                                   f"BED10 {f['bed_gy']:.1f} Gy"))
    return tuple(rows)


def regimen_sentence_set(a: Assessment) -> set[str]:
    return set(regimens_sentences(a))


def regimen_table(a: Assessment, limit: int) -> Table | None:
    """The strategies the summary may offer, in the ranked order, each with the level of the study it
    ranks by and one key figure named with the study it comes from."""
    chosen = [r for r in a.regimens if offered(r)][:limit]
    if not chosen:
        return None
    rows = []
    for r in chosen:
        h = headline(r)
        outcome = f"{h.row.label}: {figure_text(h.row, h.figure)} ({h.figure.study.short_name})" if h.figure \
            else "no figure reported"
        rows.append((r.info.name, r.status, f"Level {h.level} ({h.lead.study.short_name})", outcome))
    tones = tuple(GOOD if r.status == ELIGIBLE else OPEN for r in chosen)
    return Table(("Strategy", "Fit", "Evidence", "Key outcome as reported"), tuple(rows),
                 (0.3, 0.1, 0.2, 0.4), tone_column=1, tones=tones)


def benefit_lines(a: Assessment, limit: int) -> list[str]:
    out = []
    for r in a.regimens:
        if not offered(r):
            continue
        for b in r.fitting_benefits:
            ab = absolute_benefit(b)
            if ab.derived:
                diffs = "; ".join(difference_text(d) for d in ab.differences)
                out.append(f"{b.study.short_name}, {b.comparison.endpoint} (HR {ab.hr:g}) vs "
                           f"{b.control.label}: {diffs}.")
    return out[:limit]


def risk_figure(a: Assessment, glance: Glance, bands: Mapping[int, Band]) -> Figure | None:
    curve = glance.risk_curve
    if curve is None:
        return None
    from hccdecide.report.charts import plot_survival, render_png
    from hccdecide.report.icon_chart import draw_icon_array

    band = bands.get(a.curves.index(curve))
    icons = individual_icons(curve, band)

    def draw(fig) -> None:
        ax = plot_survival(fig.add_axes((0.07, 0.2, 0.36, 0.68)), curve, band)
        handles, labels = ax.get_legend_handles_labels()
        if handles:  # below this small axes the legend would cover the axis label and run off the page
            ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.70, 0.02), bbox_transform=fig.transFigure,
                      fontsize=5.5, frameon=False)
        if icons is not None:
            draw_icon_array(fig.add_axes((0.5, 0.04, 0.19, 0.78)), icons, size=13)  # clear of the curve's title

    png = render_png(draw, 7.1, 2.0, dpi=130, layout=None)
    return Figure(png, 180, f"Risk group {curve.stratum.name} ({curve.study.short_name}, {curve.model.endpoint}, "
                            f"before treatment): curve with {BAND} and icons out of 100 patients.")


def open_questions(a: Assessment, glance: Glance, limit: int) -> list[str]:
    uncertain = [m for m in a.matches if m.status == UNCERTAIN]
    to_confirm = sum(1 for m in a.matches if m.status != INELIGIBLE for c in m.criteria if c.status == TO_CONFIRM)
    lines = [f"{len(uncertain)} studies are uncertain; {to_confirm} administrative criteria of the studies the "
             "patient may fit are to be confirmed."]
    for m in uncertain[:limit]:
        if m.missing:
            lines.append(f"{m.study.short_name}: {m.data_text}.")
        elif m.to_judge:
            lines.append(f"{m.study.short_name}: to confirm: " + "; ".join(m.to_judge) + ".")
        else:
            lines.append(f"{m.study.short_name}: {m.warnings[0] if m.warnings else 'fit not decidable'}.")
    return lines


def build_summary_items(a: Assessment, bands: Mapping[int, Band] | None = None, anonymous: bool = False,
                        discussion_note: str = "", step: int = 0, glance: Glance | None = None,
                        now: datetime | None = None, risk_chart: Figure | None = None) -> list[Item]:
    bands = bands or {}
    glance = glance or at_a_glance(a, bands)
    rows, benefits, chart, questions = TRIM_STEPS[step]
    now = now or datetime.now().astimezone()
    items: list[Item] = [Heading(TITLE, 1), KeyValueTable(key_data(a, anonymous), 0.2)]
    # the per-strategy sentences are the table below, so they are not printed twice
    table = regimen_table(a, rows)
    shown = [s for s in glance.sentences if table is None or s not in regimen_sentence_set(a)]
    items += [Heading("At a glance", 2)] + [Paragraph(s, "small") for s in shown]
    if table is not None:
        items += [Heading("Strategies the patient fits or may fit", 3), table]
    lines = benefit_lines(a, benefits)
    if lines:
        items += [Heading("Absolute benefit, derived (proportional hazards)", 3)]
        items += [Paragraph(x, "small") for x in lines]
    figure = (risk_chart or risk_figure(a, glance, bands)) if chart else None
    if figure is not None:
        items.append(figure)
    items += [Heading("Open questions and next data", 3)]
    items += [Paragraph(x, "small") for x in open_questions(a, glance, questions)]
    if discussion_note.strip():
        items += [Heading("MDT discussion note", 3), Paragraph(discussion_note.strip()[:600], "small")]
    lib = a.library
    items += [Paragraph(f"{now:%Y-%m-%d %H:%M} · hccdecide {__version__} · evidence library {lib.version}, "
                        f"SHA-256 {lib.digest}. The full record (every criterion, figure and source) is "
                        "written by “hccdecide report” without --summary.", "small"),
              Note(DISCLAIMER, "disclaimer")]
    return items


def page_count(pdf: bytes) -> int:
    return len(PAGE.findall(pdf))


def summary_pdf_bytes(a: Assessment, bands: Mapping[int, Band] | None = None, anonymous: bool = False,
                      discussion_note: str = "") -> bytes:
    """The one-page record as PDF bytes; trimmed step by step until it fits on one A4 page."""
    from hccdecide.report.pdf import render_pdf

    glance = at_a_glance(a, bands or {})
    meta = report_meta(a, anonymous)
    meta["title"] = TITLE + (f" · {meta['case']}" if meta["case"] else "")
    meta["footer"] = f"hccdecide {__version__} · evidence {a.library.version} ({a.library.short_digest})"
    now = datetime.now().astimezone()
    chart = risk_figure(a, glance, bands or {})  # drawn once: each trim step shows the same chart
    for step in range(len(TRIM_STEPS)):
        pdf = render_pdf(build_summary_items(a, bands, anonymous, discussion_note, step, glance, now, chart),
                         meta)
        if page_count(pdf) == 1:
            return pdf
    return pdf  # the leanest form; the page test in the suite guards against this
