"""Clinical language on screen and on slides: no study ids, file names or stored choice values; one
spelling of the 95% band and CI; a study's own brackets never nested in another pair; the risk slide
names the factors behind the stratum once, in a readable sentence."""
from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from hccdecide.variables import CHOICE_TEXT, choice_text

from screen_sizes import PROJECTOR, screen_sized


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def slides(window) -> list:
    window.choose_presentation_screen(screen_sized(*PROJECTOR).name())
    p = window.open_presentation()
    QApplication.processEvents()
    pages = list(p.pages)
    p.close()
    return pages


def test_choice_values_read_in_clinical_words():
    assert choice_text("grade_1_2") == "grade 1–2"
    assert choice_text("moderate_severe") == "moderate to severe"
    assert choice_text("non_regional") == "non-regional"
    assert choice_text("polymetastatic") == "polymetastatic"
    assert all("_" not in text for text in CHOICE_TEXT.values())


def test_the_evidence_detail_names_no_id_file_or_stored_value(qtbot, window):
    browser = window.open_evidence_browser()
    lib = window.library
    ids = [s.id for s in lib.studies]  # a note about a related study names it as a reader would
    for study in lib.studies:
        assert browser.select_study(study.id)
        text = browser.detail.toPlainText()
        raw = [x for x in (*ids, study.source_document, lib.files.get(study.id), *CHOICE_TEXT) if x and x in text]
        raw += re.findall(r"\b[a-z0-9]+_[a-z0-9_]+\b", text)  # case keys, model ids, field names
        assert not raw, (study.id, raw)
    assert browser.select_study("yan2025_lnm")
    text = browser.detail.toPlainText()
    assert "Hepatic encephalopathy one of grade 1–2, grade 3–4" in text  # a factor's levels, in words


def test_slides_use_one_spelling_and_no_nested_brackets(qtbot, window):
    for page in slides(window):
        text = plain(page.html).replace("(s)", "")  # "figure(s)" is a plural, not a bracket
        assert "95 %" not in text, page.kind
        assert not re.search(r"\([^()]*\([^()]*\)[^()]*\)", text), (page.kind, text)  # "(A (B))"
        assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", text), (page.kind, text)  # stored keys


def test_the_risk_slide_names_the_factors_once(qtbot, window):
    page = next(pg for pg in slides(window) if pg.kind == "risk")
    c = window.controller.assessment.curves[page.curve_index]
    text = plain(page.html)
    present = [s.factor.label for s in c.states if s.significant and s.factor.timing == "baseline" and s.adverse_level]
    assert present
    for label in present:
        assert text.count(label) == 1, label
    assert f"Why: {', '.join(present)} present" in text


@pytest.mark.parametrize("value, words", [("moderate_severe", "moderate to severe"), ("grade_1_2", "grade 1–2")])
def test_the_form_offers_choices_in_words(qtbot, window, value, words):
    key = "ascites" if value == "moderate_severe" else "encephalopathy"
    box = window.form.editor(key).editor
    assert box.itemText(box.findData(value)) == words
