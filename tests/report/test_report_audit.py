"""The PDF record prints the case's save history: who saved (user @ computer), when, app and evidence."""
from __future__ import annotations

from hccdecide.engine.assessment import assess
from hccdecide.patient import Patient
from hccdecide.report import build_items, plain_text
from hccdecide.store import CaseStore


def test_save_history_is_printed_with_user_host_and_damaged_rows_flagged(tmp_path, library, monkeypatch):
    monkeypatch.setattr("hccdecide.store.casestore.current_user", lambda: "dr_tumourboard")
    monkeypatch.setattr("hccdecide.store.casestore.current_host", lambda: "mdt-room-pc")
    p = Patient.from_dict({"case_label": "Mr X", "age_years": 70})
    a = assess(p, library)
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        history = store.history(store.save(p, a))
    damaged = history[0]._replace(intact=False)
    text = plain_text(build_items(a, charts=False, audit=[history[0], damaged], anonymous=True))
    assert "Save history (case store)" in text
    assert "dr_tumourboard @ mdt-room-pc" in text and library.digest[:12] in text
    assert "record damaged (checksum does not match)" in text
    assert "Mr X" not in text  # anonymous still leaves the patient out
    assert "Save history" not in plain_text(build_items(a, charts=False))  # not stored: no section
