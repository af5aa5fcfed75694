"""The case store from the window: save back to the store, the quit prompt, store errors caught in every
action, damaged records, the case history (who saved), backups restored, and private exports."""
from __future__ import annotations

import getpass
import os
import platform
import sqlite3
import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from hccdecide import atomic_file
from hccdecide.gui import dialogs, pdf_export, store_views
from hccdecide.gui.pdf_export import PdfOptions
from hccdecide.patient import Patient
from hccdecide.store import STORE_FILE_NAME, CaseStore
from hccdecide.store.backups import daily_backup


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def replies(monkeypatch):
    """replies("save", "discard") answers successive questions in that order; returns the questions."""
    asked: list[str] = []

    def _set(*answers: str) -> list[str]:
        queue = list(answers)

        def ask(_parent, _title, text, options):
            reply = queue.pop(0)
            assert reply in options
            asked.append(text)
            return reply
        monkeypatch.setattr(dialogs, "ask", ask)
        return asked
    return _set


def _stored_window(make_window, data_dir, **values):
    """A window on a case opened from the store (as File ▸ Open from case store does)."""
    with CaseStore(data_dir / STORE_FILE_NAME) as store:
        case_id = store.save(Patient.from_dict({"case_label": "Stored patient", "age_years": 60, **values}))
    w = make_window()
    assert w.store.open_case(case_id)
    return w, case_id


def _press(qtbot, window, key, modifiers=Qt.ControlModifier):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, key, modifiers)


def test_ctrl_s_saves_a_stored_case_back_to_the_store(qtbot, make_window, data_dir, monkeypatch):
    w, case_id = _stored_window(make_window, data_dir)
    w.controller.set_value("ecog", 1)
    _press(qtbot, w, Qt.Key_S)  # no file dialog may open (the fixture would fail the test)
    qtbot.waitUntil(lambda: not w.controller.dirty)
    history = w.store.history()
    assert len(history) == 2 and w.controller.store_id == case_id and w.controller.path is None
    assert w.store.store().load(case_id)["ecog"] == 1


def test_save_in_the_quit_prompt_saves_a_stored_case_to_the_store(qtbot, make_window, data_dir, replies):
    w, case_id = _stored_window(make_window, data_dir)
    w.controller.set_value("ecog", 2)
    asked = replies("save")
    w.close()
    assert len(asked) == 1 and not w.isVisible()
    with CaseStore(data_dir / STORE_FILE_NAME) as store:
        assert store.load(case_id)["ecog"] == 2 and len(store.history(case_id)) == 2


def test_a_file_case_saves_to_its_file_not_the_store(qtbot, window, data_dir):
    window.controller.set_value("afp_ng_ml", 99)
    path = window.controller.path
    before = path.read_text(encoding="utf-8")
    try:
        _press(qtbot, window, Qt.Key_S)
        qtbot.waitUntil(lambda: not window.controller.dirty)
        assert Patient.from_file(path)["afp_ng_ml"] == 99
        assert not (data_dir / STORE_FILE_NAME).exists()  # the store was not even opened
    finally:
        path.write_text(before, encoding="utf-8")


def test_cancelling_the_save_dialog_from_the_quit_prompt_asks_again(qtbot, empty_window, replies, monkeypatch):
    w = empty_window
    w.controller.set_value("ecog", 1)
    monkeypatch.setattr(w, "_choose_file", lambda *_a, **_k: None)  # the user cancels the file dialog
    asked = replies("save", "cancel")
    w.close()
    assert len(asked) == 2 and "not saved" in asked[1] and w.isVisible()  # nothing lost, still open
    asked.clear()
    replies("save", "discard")
    w.close()
    assert len(asked) == 2 and not w.isVisible()


# -- store errors ---------------------------------------------------------------------------------
def _broken(*_args, **_kwargs):
    raise sqlite3.OperationalError("disk I/O error")


@pytest.mark.parametrize("method", ["save", "recent", "load", "history", "load_save"])
def test_every_store_action_catches_store_errors(qtbot, make_window, data_dir, messages, monkeypatch, method):
    w, case_id = _stored_window(make_window, data_dir)
    first = w.store.history()[0]
    monkeypatch.setattr(CaseStore, method, _broken)
    monkeypatch.setattr(store_views, "choose_save", lambda *_a: first)
    w.controller.set_value("ecog", 1)
    actions = [w.store.save, w.store.recent, lambda: w.store.open_case(case_id),
               lambda: w.store.fill_recent_menu(w.recent_menu), w.store.show_history]
    w.controller.mark_saved()  # no unsaved-changes question in between
    for action in actions:
        action()  # never raises
    assert any("disk I/O error" in text for _title, text in messages)
    assert all("Stored patient" not in text for _title, text in messages)  # no case contents in errors


def test_an_unavailable_store_is_said_and_the_case_stays(qtbot, empty_window, data_dir, messages):
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("a file where the store's folder should be", encoding="utf-8")
    assert empty_window.store.save() is None
    title, text = messages[-1]
    assert title == "Case store unavailable" and "Save case file" in text


def test_a_damaged_record_is_named_once_and_the_others_stay_reachable(qtbot, make_window, data_dir, messages):
    path = data_dir / STORE_FILE_NAME
    with CaseStore(path) as store:
        ids = [store.save(Patient.from_dict({"case_label": name})) for name in ("Ann-A", "Bob-B", "Cid-C")]
    path.write_bytes(path.read_bytes().replace(b"Bob-B", b"Bob-\xff"))
    w = make_window()
    assert [s.label for s in w.store.recent()] == ["Cid-C", "Ann-A"]
    titles = [t for t, _ in messages]
    assert titles.count("Damaged record skipped") == 1 and f"Case {ids[1]}" in messages[-1][1]
    w.store.recent()
    assert [t for t, _ in messages].count("Damaged record skipped") == 1  # said once
    assert w.store.open_case(ids[0]) and not w.store.open_case(ids[1])
    assert w.controller.patient["case_label"] == "Ann-A"  # the failed open changed nothing


# -- history, backups, exports -------------------------------------------------------------------
def test_history_shows_who_saved_and_opens_an_earlier_version(qtbot, make_window, data_dir, monkeypatch):
    w, case_id = _stored_window(make_window, data_dir)
    w.controller.set_value("ecog", 2)
    w.store.save()
    rows = w.store.history()
    dialog = store_views.HistoryDialog(case_id, rows)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 1).text() == f"{getpass.getuser()} @ {platform.node()}"
    assert dialog.table.item(1, 4).text() == "none" and dialog.table.item(1, 5).text() == "intact"
    monkeypatch.setattr(store_views, "choose_save", lambda _p, _id, offered: offered[0])
    assert w.store.show_history()
    assert "ecog" not in w.controller.patient.values and w.controller.store_id == case_id


def test_a_backup_is_restored_from_the_window(qtbot, make_window, data_dir, replies, messages, monkeypatch):
    w, case_id = _stored_window(make_window, data_dir)
    store = w.store.store()
    from datetime import date
    daily_backup(store.connection, store.path, date(2020, 1, 1))
    store.delete(case_id)
    assert w.store.recent() == []
    monkeypatch.setattr(store_views, "choose_backup", lambda _p, backups: backups[-1])
    asked = replies("yes")
    assert w.store.show_backups()
    assert asked and [s.id for s in w.store.recent()] == [case_id]
    assert messages[-1][0] == "Backup restored" and "cases-before-restore-" in messages[-1][1]
    assert [e.kind for e in store.events()] == ["backup restored"]  # the restore is kept in the store


def test_deletions_and_restores_are_listed_with_who_made_them(qtbot, make_window, data_dir, messages, monkeypatch):
    w, case_id = _stored_window(make_window, data_dir)
    assert not w.store.show_events() and messages[-1][0] == "Case store events"  # nothing yet: said so
    store = w.store.store()
    store.delete(case_id)
    shown = []
    monkeypatch.setattr(store_views, "show_events", lambda _p, events: shown.append(events))
    assert w.store.show_events()
    dialog = store_views.EventsDialog(shown[0])
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert cells[1:4] == ["case deleted", str(case_id), "1 save removed, the last made " + cells[3].split("made ")[1]]
    assert cells[4] == f"{getpass.getuser()} @ {platform.node()}" and cells[6] == "intact"
    assert any(a.text() == "Case store &events…" for a in w.findChildren(QAction))


@pytest.mark.skipif(os.name != "posix", reason="mode bits decide access only on POSIX")
def test_exports_are_private_until_the_setting_is_turned_off(qtbot, make_window, settings, tmp_path):
    w = make_window()
    assert w.private_exports_action.isChecked()
    old = os.umask(0o022)
    try:
        assert w.export_json(tmp_path / "private")
        w.private_exports_action.trigger()
        assert w.export_json(tmp_path / "shared")
    finally:
        os.umask(old)
        atomic_file.set_private_exports(True)
    assert mode(tmp_path / "private.json") == 0o600 and mode(tmp_path / "shared.json") == 0o644
    assert w.app_settings.private_exports is False
    w2 = make_window()  # the choice is remembered
    assert not w2.private_exports_action.isChecked() and not atomic_file.private_exports()
    atomic_file.set_private_exports(True)


def test_the_pdf_of_a_stored_case_carries_its_save_history(qtbot, make_window, data_dir, monkeypatch, tmp_path):
    w, _case_id = _stored_window(make_window, data_dir)
    captured = {}
    monkeypatch.setattr(pdf_export, "ask_pdf_options", lambda _parent, anonymous=False: PdfOptions())
    monkeypatch.setattr(pdf_export, "write_report", lambda *_a, audit=(), **_k: captured.setdefault("audit", audit))
    assert w.export_pdf(tmp_path / "r.pdf")
    (row,) = captured["audit"]
    assert row.os_user == getpass.getuser() and row.intact


@pytest.mark.skipif(os.name != "posix", reason="mode bits decide access only on POSIX")
def test_the_settings_file_is_private_whatever_the_umask(qtbot, make_window, settings, example_patient):
    old = os.umask(0o000)
    try:
        w = make_window()
        w.app_settings.add_recent_file("/clinic/cases/Jane Doe.json")  # file names often name patients
        w.close()
    finally:
        os.umask(old)
    assert mode(settings.fileName()) == 0o600


def test_a_damaged_version_in_the_history_is_not_opened_and_says_why(qtbot, make_window, data_dir, messages,
                                                                     monkeypatch):
    w, case_id = _stored_window(make_window, data_dir)
    (row,) = w.store.history()
    monkeypatch.setattr(store_views, "choose_save", lambda *_a: row._replace(intact=False))
    before = w.controller.patient
    assert not w.store.show_history()
    assert messages[-1][0] == "Version not opened" and "damaged" in messages[-1][1]
    assert w.controller.patient is before
