"""At a glance in the window: summary with next-data links, copy to note, icon arrays, one-page PDF."""
from __future__ import annotations

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hccdecide.engine.plain_summary import at_a_glance
from hccdecide.gui import pdf_export
from hccdecide.gui.pdf_export import PdfOptions
from hccdecide.paths import cases_dir

pytestmark = pytest.mark.gui
MISSING = cases_dir() / "training_missing_data.json"


def test_summary_shows_the_core_sentences(qtbot, window):
    qtbot.waitUntil(lambda: window.summary.ready, timeout=10000)
    a = window.controller.assessment
    expected = at_a_glance(a, window.summary.bands, window.summary.glance.next_data)
    assert window.summary.glance.sentences == expected.sentences
    shown = window.summary.text.text()
    strategies = f"Of {len(a.regimens)} treatment strategies"
    assert expected.sentences[0] in shown and strategies in shown.replace("&nbsp;", " ")


def test_next_data_link_focuses_its_field(qtbot, make_window):
    window = make_window(MISSING)
    qtbot.waitUntil(lambda: window.summary.ready, timeout=10000)
    items = window.summary.glance.next_data
    assert items, "the missing-data case must name next data"
    first = items[0]
    assert f"href='field:{first.key}'" in window.summary.text.text()
    window.summary.text.linkActivated.emit(f"field:{first.key}")
    editor = window.form.editor(first.key).editor
    qtbot.waitUntil(lambda: editor.hasFocus() or QApplication.focusWidget() is editor, timeout=3000)


def test_entering_the_named_key_changes_the_summary(qtbot, make_window):
    window = make_window(MISSING)
    qtbot.waitUntil(lambda: window.summary.ready, timeout=10000)
    first = window.summary.glance.next_data[0]
    before = set(first.studies)
    value = 6 if first.key == "child_pugh_score" else True
    window.controller.set_value(first.key, value)
    qtbot.waitUntil(lambda: window.summary.ready, timeout=10000)
    uncertain = {m.study.id for m in window.controller.assessment.matches if m.status == "uncertain"}
    assert not before & uncertain
    assert first.key not in {i.key for i in window.summary.glance.next_data}


def test_copy_to_clinical_note(qtbot, window):
    qtbot.waitUntil(lambda: window.summary.ready, timeout=10000)
    qtbot.mouseClick(window.summary.copy_button, Qt.LeftButton)
    text = QApplication.clipboard().text()
    label = window.controller.patient["case_label"]
    assert label not in text and window.library.digest in text
    assert window.summary.glance.sentences[0] in text
    action = next(a for a in window.actions() if a.shortcut().toString() == "Ctrl+Shift+C")
    QApplication.clipboard().clear()
    action.trigger()
    assert QApplication.clipboard().text() == text
    assert label in window.summary.copy_note(True)


def test_icon_arrays_tab_draws_the_core_counts(qtbot, window):
    qtbot.waitUntil(lambda: window.summary.ready, timeout=10000)
    window.controller.wait_for_workers(10000)
    qtbot.waitUntil(lambda: bool(window.icon_arrays.icons), timeout=5000)
    window.tabs.setCurrentWidget(window.icon_arrays)
    qtbot.waitUntil(lambda: window.icon_arrays.canvas is not None, timeout=5000)
    axes = window.icon_arrays.canvas.figure.axes
    assert len(axes) == min(3, len(window.icon_arrays.icons))
    for ax, icons in zip(axes, window.icon_arrays.icons):
        assert sum(len(c.get_offsets()) for c in ax.collections) == 100
        assert [len(c.get_offsets()) for c in ax.collections] == [n for _, n in icons.counts if n]


def test_default_pdf_export_is_one_page(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_export, "ask_pdf_options", lambda _parent, anonymous=False: PdfOptions())
    window.controller.wait_for_workers(10000)
    assert window.export_pdf(tmp_path / "one.pdf")
    assert len(pypdf.PdfReader(tmp_path / "one.pdf").pages) == 1
    monkeypatch.setattr(pdf_export, "ask_pdf_options",
                        lambda _parent, anonymous=False: PdfOptions(full_record=True))
    assert window.export_pdf(tmp_path / "full.pdf")
    assert len(pypdf.PdfReader(tmp_path / "full.pdf").pages) > 1
