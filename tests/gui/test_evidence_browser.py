"""Evidence browser: every study listed and filterable; the detail shows criteria, models and discrepancies."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hccdecide.gui.evidence_browser import StudyTableModel


def test_lists_every_study_with_version_and_digest(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window._evidence is not None and window._evidence.isVisible())
    b = window._evidence
    lib = window.library
    assert b.model.rowCount() == len(lib.studies) == b.proxy.rowCount()
    assert sorted(b.visible_ids()) == sorted(s.id for s in lib.studies)
    assert lib.version in b.header.text() and lib.short_digest in b.header.text()
    assert lib.digest in b.header.toolTip()
    assert f"{len(lib.studies)} of {len(lib.studies)} studies" == b.count.text()


def test_item_model_is_well_behaved(qtmodeltester, library):
    qtmodeltester.check(StudyTableModel(library))


def test_filter_by_text_and_regimen(qtbot, window):
    b = window.open_evidence_browser()
    qtbot.keyClicks(b.filter_edit, "yan")
    assert "yan2025_lnm" in b.visible_ids() and len(b.visible_ids()) < b.model.rowCount()
    b.filter_edit.clear()
    b.regimen_box.setCurrentIndex(b.regimen_box.findData("palliative_rt"))
    ids = b.visible_ids()
    assert ids and all("palliative_rt" in window.library.study(i).regimen_keys
                       or any(a.regimen_key == "palliative_rt" for a in window.library.study(i).arms) for i in ids)
    qtbot.keyClicks(b.filter_edit, "no study has this text")
    assert b.visible_ids() == [] and "No study matches" in b.detail.toPlainText()


def test_yan_detail_shows_criteria_models_and_discrepancies(qtbot, window):
    b = window.open_evidence_browser()
    assert b.select_study("yan2025_lnm")
    text = b.detail.toPlainText()
    assert "Discrepancy: PFS hazard ratio for non-regional nodes" in text
    assert "3.19 (1.24-8.16)" in text and "Table 2 value 3.54" in text  # both values, which is used
    assert "Why:" in text
    assert "Age ≥ 18 years" in text  # a rule, in the engine's own words
    assert "administrative — confirm" in text
    assert "multivariable Cox HR" in text
    assert "Nodal GTV above 60 cc" in text and "Time origin" in text
    assert "Summarised by a review" in text and "Yan et al. 2025" in text  # cited, not by file name
    assert "000_8d05056f33051ad6.txt" not in text and "(yan2025_lnm)" not in text


def test_select_study_clears_a_hiding_filter(qtbot, window):
    b = window.open_evidence_browser()
    qtbot.keyClicks(b.filter_edit, "proton")
    assert "yan2025_lnm" not in b.visible_ids()
    assert b.select_study("yan2025_lnm")
    assert "Yan 2025" in b.detail.toPlainText()
    assert not b.select_study("no_such_study")
