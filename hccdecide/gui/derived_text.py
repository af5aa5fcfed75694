"""The derived values of an assessment as short rich-text lines, one block per form group."""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from hccdecide.clinical.liver import ALBI_CONVENTION, CHILD_PUGH_CONVENTION, albi_text
from hccdecide.clinical.oligo import OLIGO_CONVENTION
from hccdecide.clinical.staging import BCLC_VERSION
from hccdecide.clinical.vascular import MVI_CONVENTION
from hccdecide.patient import G_EHS, G_LIVER, G_MVI, G_NODES, G_OLIGO, G_RT, G_TUMOUR

if TYPE_CHECKING:  # the engine loads after the window's first paint
    from hccdecide.engine.assessment import Assessment

DERIVED_BY_GROUP = (G_LIVER, G_TUMOUR, G_MVI, G_NODES, G_EHS, G_OLIGO, G_RT)


def _v(value, unknown: str = "unknown") -> str:
    if value is None:
        return f"<i>{unknown}</i>"
    if isinstance(value, float):
        return f"{value:.1f}"
    return escape(str(value).replace("_", " "))


def _conv(text: str) -> str:
    return f"<br><span style='font-size:small'>{escape(text)}</span>"


def liver_text(a: Assessment) -> str:
    cp = a.derived.child_pugh
    pts = ", ".join(f"{k} {v if v is not None else '?'}" for k, v in cp.points.items())
    f = a.derived.facts
    if f["child_pugh_score"] is not None:
        head = f"<b>Child–Pugh {f['child_pugh_score']} ({f['child_pugh_class']})</b>"
    else:
        low, high = cp.score_range
        head = f"<b>Child–Pugh {low}–{high}</b> (class {_v(f['child_pugh_class'], 'undetermined')})"
    albi = (f"<b>ALBI {albi_text(f['albi_score'])} (grade {f['albi_grade']})</b>" if f["albi_score"] is not None
            else "ALBI <i>needs bilirubin and albumin</i>")
    notes = "".join(f"<br><span style='color:#b45309'>⚠ {escape(n.text)}</span>"
                    for n in a.derived.notes if n.key == "child_pugh_score")
    return (f"{head} — points: {pts} (coagulation by {cp.coagulation_source}){notes}<br>{albi}"
            + _conv(CHILD_PUGH_CONVENTION + " " + ALBI_CONVENTION))


def tumour_text(a: Assessment) -> str:
    b = a.derived.bclc
    caution = f"<br><span style='color:#b45309'>⚠ {escape(b.caution)}</span>" if b.caution else ""
    return f"<b>{BCLC_VERSION}: {_v(b.stage, 'not determined')}</b> — {escape(b.reason)}{caution}"


def mvi_text(a: Assessment) -> str:
    f, mvi = a.derived.facts, a.derived.mvi
    grade = _v(f["mvi_grade"]) if f["mvi_grade"] is not None else (
        "possible " + ", ".join(str(g) for g in mvi.possible))
    cheng = _v(f["pvtt_cheng_type"], "n/a")
    notes = "".join(f"<br><span style='color:#b45309'>⚠ {escape(n.text)}</span>"
                    for n in a.derived.notes if n.key == "pvtt_cheng_type")
    return (f"<b>MVI grade {grade}</b> · Cheng type {cheng} (approximate from Vp){notes}"
            + _conv(MVI_CONVENTION))


def nodes_text(a: Assessment) -> str:
    n = a.derived.nodal
    flag = " <span style='color:#b45309'>(override)</span>" if n.overridden else ""
    notes = "".join(f"<br><span style='color:#b45309'>⚠ {escape(note.text)}</span>"
                    for note in a.derived.notes if note.key == "lnm_present")
    return f"<b>Nodal location: {_v(n.location)}</b>{flag} — {escape(n.reason)}{notes}"


def ehs_text(a: Assessment) -> str:
    f = a.derived.facts
    notes = "".join(f"<br><span style='color:#b45309'>⚠ {escape(n.text)}</span>"
                    for n in a.derived.notes if n.key.startswith("extrahepatic"))
    return (f"<b>M stage {_v(f['m_stage'])}</b> · organs {_v(f['extrahepatic_organs'])} · "
            f"lesions {_v(f['extrahepatic_lesions'])}{notes}")


def oligo_text(a: Assessment) -> str:
    o = a.derived.oligo
    return f"<b>Oligoprogression: {_v(o.type, 'undetermined')}</b> — {escape(o.reason)}" + _conv(OLIGO_CONVENTION)


def rt_text(a: Assessment) -> str:
    f = a.derived.facts
    if f["bed_gy"] is None:
        return "<b>BED</b> <i>needs dose and fractions</i>"
    ab = a.patient["alpha_beta_gy"] or 10
    return f"<b>BED {f['bed_gy']:.1f} Gy · EQD2 {f['eqd2_gy']:.1f} Gy</b> (α/β {ab:g} Gy)"


def derived_texts(a: Assessment) -> dict[str, str]:
    return {G_LIVER: liver_text(a), G_TUMOUR: tumour_text(a), G_MVI: mvi_text(a), G_NODES: nodes_text(a),
            G_EHS: ehs_text(a), G_OLIGO: oligo_text(a), G_RT: rt_text(a)}
