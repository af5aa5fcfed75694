"""The SQLite case store: round trips, audit rows, ordering, WAL, migrations, corruption, concurrency."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from hccdecide import __version__
from hccdecide.engine.assessment import assess
from hccdecide.errors import PatientError, StoreError
from hccdecide.patient import Patient
from hccdecide.store import (SCHEMA_VERSION, CaseStore, default_store_path, open_or_recover)

EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "cases" / "example_nodal_disease.json"


@pytest.fixture
def patient() -> Patient:
    return Patient.from_file(EXAMPLE)


@pytest.fixture
def store(tmp_path):
    s = CaseStore(tmp_path / "cases.sqlite3")
    yield s
    s.close()


def test_save_load_round_trip_is_equal(store, patient, library):
    case_id = store.save(patient, assess(patient, library))
    loaded = store.load(case_id)
    assert loaded == patient
    assert loaded["lnm_stations"] == ("common_hepatic_artery", "para_aortic")
    assert loaded.to_json() == patient.to_json()


def test_audit_row_records_digest_versions_and_overrides(store, library):
    # An entered Child–Pugh score that disagrees with the components is a recorded conflict.
    p = Patient.from_dict({"case_label": "Mr X", "bilirubin_umol_l": 18, "albumin_g_l": 39, "inr": 1.1,
                           "ascites": "none", "encephalopathy": "none", "child_pugh_score": 7})
    a = assess(p, library)
    case_id = store.save(p, a)
    (row,) = store.history(case_id)
    assert row.case_id == case_id
    assert row.evidence_digest == library.digest and len(row.evidence_digest) == 64
    assert row.evidence_version == library.version
    assert row.app_version == __version__
    assert [o["key"] for o in row.overrides] == ["child_pugh_score"]
    assert row.overrides[0]["kind"] == "conflict"
    assert row.saved_at.endswith("+00:00")  # UTC


def test_every_save_adds_an_audit_row_and_updates_in_place(store, patient, library):
    case_id = store.save(patient, assess(patient, library))
    edited = patient.replace(afp_ng_ml=12)
    assert store.save(edited, assess(edited, library), case_id=case_id) == case_id
    assert [r.case_id for r in store.history(case_id)] == [case_id, case_id]
    assert store.load(case_id)["afp_ng_ml"] == 12
    assert len(store.recent()) == 1


def test_save_without_assessment_computes_one(store, patient, library):
    case_id = store.save(patient)
    assert store.history(case_id)[0].evidence_digest == library.digest


def test_assessment_of_another_patient_is_refused(store, patient, library):
    with pytest.raises(ValueError, match="different patient"):
        store.save(patient.replace(afp_ng_ml=1), assess(patient, library))
    assert store.recent() == []


def test_recent_orders_by_last_save_and_can_hide_labels(store, library):
    ids = {}
    for name in ("first", "second", "third"):
        p = Patient.from_dict({"case_label": name, "age_years": 60})
        ids[name] = store.save(p, assess(p, library))
    p = Patient.from_dict({"case_label": "first", "age_years": 61})
    store.save(p, assess(p, library), case_id=ids["first"])
    assert [c.label for c in store.recent()] == ["first", "third", "second"]
    assert [c.id for c in store.recent(limit=2)] == [ids["first"], ids["third"]]
    hidden = store.recent(hide_labels=True)
    assert [c.label for c in hidden] == [f"Case {ids[n]}" for n in ("first", "third", "second")]
    assert all("+00:00" in c.updated_at for c in hidden)


def test_wal_mode_is_on(store):
    raw = sqlite3.connect(store.path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_migrations_are_idempotent(tmp_path, patient):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as first:
        case_id = first.save(patient)
        assert first.schema_version == SCHEMA_VERSION
    with CaseStore(path) as second:
        assert second.schema_version == SCHEMA_VERSION
        assert second.load(case_id) == patient
    raw = sqlite3.connect(path)
    try:
        versions = [r[0] for r in raw.execute("SELECT version FROM schema_version ORDER BY version")]
    finally:
        raw.close()
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_store_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "cases.sqlite3"
    CaseStore(path).close()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="newer hccdecide") as info:
        open_or_recover(path)
    assert not info.value.corrupt
    assert not list(tmp_path.glob("*.bak"))


def test_foreign_sqlite_file_is_not_taken_over(tmp_path):
    path = tmp_path / "other.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE accounts (id INTEGER)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="not an hccdecide case store"):
        CaseStore(path)


def test_corrupt_file_raises_then_recovers_with_a_backup(tmp_path, patient):
    path = tmp_path / "cases.sqlite3"
    garbage = b"this is not a database\x00\xff" * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as info:
        CaseStore(path)
    assert info.value.corrupt and str(path) in str(info.value)

    store, message = open_or_recover(path)
    try:
        (backup,) = tmp_path.glob("cases.sqlite3.corrupt-*.bak")
        assert backup.read_bytes() == garbage
        assert str(backup) in message
        assert store.recent() == []
        case_id = store.save(patient)
        assert store.load(case_id) == patient
    finally:
        store.close()
    reopened, message = open_or_recover(path)
    reopened.close()
    assert message is None


def test_second_connection_sees_committed_data(tmp_path, patient):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as writer, CaseStore(path) as reader:
        assert reader.recent() == []
        case_id = writer.save(patient)
        assert reader.load(case_id) == patient
        assert [c.id for c in reader.recent()] == [case_id]
        writer.delete(case_id)
        assert reader.recent() == []


def test_failed_write_leaves_nothing_behind(store, patient, library):
    with pytest.raises(KeyError):
        store.save(patient, assess(patient, library), case_id=999)
    raw = sqlite3.connect(store.path)
    try:
        assert raw.execute("SELECT COUNT(*) FROM saves").fetchone()[0] == 0
    finally:
        raw.close()


def test_delete_removes_case_and_history(store, patient):
    case_id = store.save(patient)
    store.delete(case_id)
    for call in (store.load, store.history, store.delete):
        with pytest.raises(KeyError):
            call(case_id)


def test_import_and_export_use_the_flat_case_format(store, patient, tmp_path):
    case_id = store.import_json(EXAMPLE)
    out = store.export_json(case_id, tmp_path / "out.json")
    assert Patient.from_file(out) == patient
    assert json.loads(out.read_text(encoding="utf-8"))["case_label"] == patient["case_label"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"ecog": 9}', encoding="utf-8")
    with pytest.raises(PatientError, match="ecog"):
        store.import_json(bad)


def test_default_store_path(monkeypatch, tmp_path):
    monkeypatch.setenv("HCCDECIDE_DATA_DIR", str(tmp_path / "data"))
    assert default_store_path() == tmp_path / "data" / "cases.sqlite3"
    monkeypatch.delenv("HCCDECIDE_DATA_DIR")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "hccdecide" / "cases.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_store_path() == tmp_path / "home" / ".local" / "share" / "hccdecide" / "cases.sqlite3"


def test_connections_creating_the_same_new_store_at_once_all_succeed(tmp_path):
    import threading

    for attempt in range(10):
        path = tmp_path / f"new{attempt}.sqlite3"
        errors: list[Exception] = []

        def open_close() -> None:
            try:
                CaseStore(path).close()
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                errors.append(exc)

        threads = [threading.Thread(target=open_close) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        with CaseStore(path) as store:
            assert store.schema_version == SCHEMA_VERSION
