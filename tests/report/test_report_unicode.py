"""The PDF writer takes any text: letters the font lacks are printed as their code, never dropped."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from hccdecide.engine.assessment import assess
from hccdecide.patient import Patient
from hccdecide.report import pdf_bytes
from hccdecide.report.items import Paragraph
from hccdecide.report.pdf import drawable, render_pdf

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "cases" / "example_nodal_disease.json"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_letters_the_font_has_are_kept_and_the_rest_are_named_by_code():
    # DejaVu Sans draws Latin, Greek, Hebrew and combining accents, but no CJK and not U+1F9EC (DNA).
    assert drawable("Müller µ ≥ α שלום e\u0301") == "Müller µ ≥ α שלום e\u0301"
    assert drawable("患者 🧬") == "[U+60A3][U+8005] [U+1F9EC]"
    assert drawable("a\u001bb\ud800") == "a[U+001B]b[U+D800]"
    assert drawable("line\nbreak") == "line\nbreak"


@pytest.mark.parametrize("label", ["患者 王 🧬", "Ünïcödé <b>&amp;</b> ß", "\u202eRTL"])
def test_a_case_with_any_unicode_label_gives_a_pdf(label):
    a = assess(Patient.from_dict({"case_label": label, "ecog": 1}))
    text = pdf_text(pdf_bytes(a, discussion_note=f"note for {label}\nsecond line"))
    assert drawable(label).split()[0] in text


def test_a_note_with_control_characters_and_a_lone_surrogate_still_renders():
    text = pdf_text(render_pdf([Paragraph("before \u0007 \ud800 after")]))
    assert "[U+0007]" in text and "[U+D800]" in text and "after" in text
