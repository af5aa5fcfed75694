"""Case store, case files and the PDF report from the File menu; nothing the user does loses the case."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hccdecide.gui import pdf_export, store_actions
from hccdecide.gui.pdf_export import PdfOptions
from hccdecide.patient import Patient
from hccdecide.store import STORE_FILE_NAME


def test_save_to_store_and_reopen_gives_the_same_patient(qtbot, window, example_patient, monkeypatch):
    window.controller.set_value("afp_ng_ml", 640)
    edited = window.controller.patient
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: not window.controller.dirty)
    case_id = window.controller.store_id
    assert case_id is not None and "stored case" not in window.windowTitle()  # the file name still shows
    window.new_case()
    assert window.controller.patient == Patient()
    offered = []
    monkeypatch.setattr(store_actions, "pick_case", lambda _parent, summaries: offered.extend(summaries) or case_id)
    assert window.store.open_dialog()
    assert window.controller.patient == edited
    assert window.controller.store_id == case_id and not window.controller.dirty
    assert offered[0].label == example_patient["case_label"]
    assert window.form.editor("afp_ng_ml").editor.text() == "640"


def test_saving_again_updates_the_same_stored_case(qtbot, window):
    first = window.store.save()
    window.controller.set_value("ecog", 2)
    assert window.store.save() == first
    assert [s.id for s in window.store.recent()] == [first]
    assert window.store.store().load(first)["ecog"] == 2


def test_recent_menu_lists_stored_cases_and_files(qtbot, window, example_patient):
    window.store.save()
    window.store.fill_recent_menu(window.recent_menu)
    texts = [a.text() for a in window.recent_menu.actions()]
    assert any(t.startswith(example_patient["case_label"]) for t in texts)
    assert "example_nodal_disease.json" in texts


def test_store_picker_lists_label_and_date(qtbot, window):
    window.store.save()
    picker = store_actions.StorePicker(window.store.recent())
    qtbot.addWidget(picker)
    assert picker.list.count() == 1 and picker.list.item(0).text().startswith("Example")
    assert picker.chosen_id() == window.controller.store_id


def test_corrupt_store_is_moved_aside_and_named(qtbot, window, data_dir, messages):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / STORE_FILE_NAME).write_bytes(b"this is not an SQLite database" * 100)
    case_id = window.store.save()
    assert case_id == 1  # a fresh store
    title, text = messages[-1]
    backups = list(data_dir.glob(f"{STORE_FILE_NAME}.corrupt-*.bak"))
    assert title == "Case store recovered" and len(backups) == 1 and backups[0].name in text


def test_export_json_then_import_gives_the_same_patient(qtbot, window, tmp_path):
    window.controller.set_value("ca19_9_u_ml", 41.5)
    original = window.controller.patient
    target = tmp_path / "exported"
    assert window.export_json(target)
    assert json.loads((tmp_path / "exported.json").read_text(encoding="utf-8"))["ca19_9_u_ml"] == 41.5
    assert window.controller.dirty  # exporting is not saving the case
    window.controller.mark_saved()
    window.new_case()
    assert window.import_json(tmp_path / "exported.json")
    assert window.controller.patient == original
    assert window.controller.path is None  # imported, not tied to the file


def test_pdf_export_writes_a_report(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_export, "ask_pdf_options", lambda _parent, anonymous=False: PdfOptions("Agreed: SBRT", True))
    window.controller.wait_for_workers(10000)
    assert window.export_pdf(tmp_path / "report.pdf")
    data = (tmp_path / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000


def test_pdf_options_dialog_reads_note_and_anonymity(qtbot):
    dialog = pdf_export.PdfOptionsDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.note, "Discussed at MDT")
    dialog.anonymous.setChecked(True)
    assert dialog.options() == PdfOptions("Discussed at MDT", True)


def test_corrupt_case_file_shows_a_message_and_keeps_the_case(qtbot, window, tmp_path, messages):
    before = window.controller.patient
    bad = tmp_path / "broken.json"
    bad.write_text('{"afp_ng_ml": 12,', encoding="utf-8")
    assert not window.open_case_file(bad)
    title, text = messages[-1]
    assert "broken.json" in text and "unchanged" in text
    assert window.controller.patient is before
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"afp_ng_ml": "high"}', encoding="utf-8")
    assert not window.open_case_file(wrong)
    assert "afp_ng_ml" in messages[-1][1]
    assert window.controller.patient is before


def test_closing_with_unsaved_changes_asks(qtbot, window, answer):
    window.controller.set_value("ecog", 2)
    asked = answer("cancel")
    window.close()
    assert asked and window.isVisible() and window.controller.patient["ecog"] == 2
    asked = answer("discard")
    window.close()
    assert asked and not window.isVisible()


def test_closing_remembers_geometry_and_zoom(qtbot, make_window, settings):
    w = make_window()
    w.resize(700, 520)  # inside the 800×600 offscreen screen, which restoreGeometry clamps to
    w.zoom(1.1)
    w.close()
    again = make_window()
    assert abs(again.app_settings.font_scale - 1.1) < 1e-6
    assert again.size().width() == 700
