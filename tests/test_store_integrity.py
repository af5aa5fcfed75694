"""The store never loses silently: each failure found by hand is reproduced here, plus the audit,
the version-1 → 2 migration, append-only saves and the daily backups."""
from __future__ import annotations

import getpass
import json
import os
import platform
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from hccdecide import __version__
from hccdecide.engine.assessment import assess
from hccdecide.errors import StoreError
from hccdecide.patient import Patient
from hccdecide.store import (BACKUP_RESTORED, CASE_DELETED, NOT_RECORDED, SCHEMA_VERSION, CaseStore, list_backups,
                             open_or_recover, restore_backup)
from hccdecide.store.backups import KEEP_DAILY, daily_backup
from hccdecide.store.wal import inspect_wal

EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "cases" / "example_nodal_disease.json"


def case(label: str, age: int = 60) -> Patient:
    return Patient.from_dict({"case_label": label, "age_years": age})


# -- 0-byte store --------------------------------------------------------------------------------
def test_zero_byte_store_is_moved_aside_with_a_message_naming_the_backup(tmp_path):
    path = tmp_path / "cases.sqlite3"
    path.write_bytes(b"")
    store, message = open_or_recover(path)
    try:
        (aside,) = tmp_path.glob("cases.sqlite3.corrupt-*.bak")
        assert aside.stat().st_size == 0
        assert str(aside) in message and "empty (0 bytes)" in message
        assert store.recent() == []
        assert store.path.stat().st_size > 0  # the fresh store is a complete file at once
    finally:
        store.close()


def test_a_new_store_is_never_visible_as_a_zero_byte_file(tmp_path):
    path = tmp_path / "cases.sqlite3"
    CaseStore(path).close()
    assert path.stat().st_size > 0
    assert not [p for p in tmp_path.iterdir() if p.name != "cases.sqlite3"]


# -- damaged write-ahead log --------------------------------------------------------------------
def _crash_copy_with_saves_in_the_log(tmp_path: Path, saves: int) -> Path:
    """A store whose last ``saves`` saves are only in its WAL, as after a crash (kill -9)."""
    live = tmp_path / "live" / "cases.sqlite3"
    CaseStore(live).close()  # the schema is checkpointed into the file
    store = CaseStore(live)
    store.connection.execute("PRAGMA wal_autocheckpoint=0")
    for i in range(saves):
        store.save(case(f"patient {i}"))
    crashed = tmp_path / "crashed" / "cases.sqlite3"
    crashed.parent.mkdir(mode=0o700)
    for suffix in ("", "-wal"):  # copied while the connection is open: nothing checkpointed
        shutil.copyfile(live.with_name(live.name + suffix), crashed.with_name(crashed.name + suffix))
        os.chmod(crashed.with_name(crashed.name + suffix), 0o600)  # as private as the original
    store.close()
    return crashed


def test_an_intact_log_after_a_crash_is_replayed_without_a_message(tmp_path):
    crashed = _crash_copy_with_saves_in_the_log(tmp_path, 5)
    assert inspect_wal(crashed.with_name("cases.sqlite3-wal")) is None
    store, message = open_or_recover(crashed, backup=False)
    try:
        assert message is None
        assert len(store.recent()) == 5
    finally:
        store.close()


def test_a_damaged_log_is_detected_and_what_was_lost_is_said(tmp_path):
    crashed = _crash_copy_with_saves_in_the_log(tmp_path, 5)
    wal = crashed.with_name("cases.sqlite3-wal")
    raw = bytearray(wal.read_bytes())
    raw[32 + 24 + 100] ^= 0xFF  # one byte inside the first frame's page
    wal.write_bytes(bytes(raw))

    store, message = open_or_recover(crashed, backup=False)
    try:
        assert store.recent() == []  # SQLite itself drops the log from the damaged frame on ...
    finally:
        store.close()
    # ... and the user is told: how many saves, and where the damaged files were kept.
    assert "write-ahead log cases.sqlite3-wal is damaged" in message
    assert "5 committed change(s) after the damage" in message and "0 before it were kept" in message
    (copy,) = crashed.parent.glob("cases.sqlite3.wal-damaged-*.bak")
    assert str(copy) in message
    assert copy.with_name(copy.name + "-wal").read_bytes() == bytes(raw)


def test_damage_in_the_middle_of_the_log_keeps_the_saves_before_it(tmp_path):
    crashed = _crash_copy_with_saves_in_the_log(tmp_path, 5)
    wal = crashed.with_name("cases.sqlite3-wal")
    raw = bytearray(wal.read_bytes())
    page_size = int.from_bytes(raw[8:12], "big")
    frame = 24 + page_size
    commits = [i for i in range((len(raw) - 32) // frame)
               if int.from_bytes(raw[32 + i * frame + 4:32 + i * frame + 8], "big")]
    assert len(commits) == 5  # one commit frame per save
    raw[32 + (commits[2] + 1) * frame + 24 + 50] ^= 0x01  # first frame of the fourth save
    wal.write_bytes(bytes(raw))

    damage = inspect_wal(wal)
    assert (damage.lost_commits, damage.intact_commits) == (2, 3)
    store, message = open_or_recover(crashed, backup=False)
    try:
        assert sorted(c.label for c in store.recent()) == ["patient 0", "patient 1", "patient 2"]
    finally:
        store.close()
    assert "2 committed change(s) after the damage" in message


# -- damaged record ------------------------------------------------------------------------------
def _flip_in_file(path: Path, needle: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(needle) >= 1, needle
    path.write_bytes(data.replace(needle, new))


@pytest.mark.parametrize("new_bytes", [b"Pbtient-B", b"P\xfftient-B"], ids=["valid-utf8", "invalid-utf8"])
def test_a_damaged_byte_in_a_label_skips_that_case_only(tmp_path, new_bytes):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        ids = {name: store.save(case(name)) for name in ("Patient-A", "Patient-B", "Patient-C")}
    _flip_in_file(path, b"Patient-B", new_bytes)  # in the label column and inside the case JSON
    store, message = open_or_recover(path, backup=False)
    try:
        assert message is None  # quick_check does not see damage inside stored text
        assert [c.label for c in store.recent()] == ["Patient-C", "Patient-A"]
        (damaged,) = store.damaged.values()
        assert damaged.case_id == ids["Patient-B"]
        assert f"Case {ids['Patient-B']}" in damaged.describe() and "checksum" in damaged.describe()
        with pytest.raises(StoreError, match="damaged"):
            store.load(ids["Patient-B"])
        assert store.load(ids["Patient-A"])["case_label"] == "Patient-A"
        (row,) = store.history(ids["Patient-B"])
        assert not row.intact
    finally:
        store.close()


def test_every_field_of_a_save_is_sealed(tmp_path):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        case_id = store.save(case("Patient-A"))
        digest = store.history(case_id)[0].evidence_digest
    _flip_in_file(path, digest.encode(), digest[:-1].encode() + (b"0" if digest[-1] != "0" else b"1"))
    with CaseStore(path) as store:
        assert store.recent() == [] and list(store.damaged) == [store.history(case_id)[0].id]


# -- audit and append-only saves ------------------------------------------------------------------
def test_each_save_records_user_host_time_app_and_evidence(tmp_path, library):
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        p = Patient.from_file(EXAMPLE)
        (row,) = store.history(store.save(p, assess(p, library)))
    assert row.os_user == getpass.getuser() and row.host_name == platform.node()
    assert (row.app_version, row.evidence_digest) == (__version__, library.digest)
    assert row.saved_at.endswith("+00:00") and row.intact and row.has_case


def test_a_save_appends_and_earlier_versions_stay_readable(tmp_path):
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case_id = store.save(case("X", age=60))
        store.save(case("X", age=61), case_id=case_id)
        first, second = store.history(case_id)
        assert store.load_save(first.id)["age_years"] == 60
        assert store.load_save(second.id)["age_years"] == 61
        assert store.load(case_id)["age_years"] == 61
        with pytest.raises(sqlite3.IntegrityError, match="never rewritten"):
            store.connection.execute("UPDATE saves SET os_user = 'someone else' WHERE id = ?", (first.id,))
        assert store.history(case_id)[0] == first


# -- migration from the schema of version 1 ------------------------------------------------------
SCHEMA_1 = (
    """CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)""",
    """CREATE TABLE cases (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT, case_json TEXT NOT NULL,
       created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX cases_by_update ON cases (updated_at)",
    """CREATE TABLE saves (id INTEGER PRIMARY KEY AUTOINCREMENT,
       case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE, saved_at TEXT NOT NULL,
       app_version TEXT NOT NULL, evidence_version TEXT NOT NULL, evidence_digest TEXT NOT NULL,
       overrides_json TEXT NOT NULL)""",
    "CREATE INDEX saves_by_case ON saves (case_id, id)",
    "INSERT INTO schema_version VALUES (1, '2026-11-30T10:00:00+00:00')",
)


def _version_1_store(path: Path) -> None:
    """A store as version 1 wrote it: the case in ``cases`` (updated in place), audit rows in ``saves``."""
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode=WAL")
    for statement in SCHEMA_1:
        raw.execute(statement)
    a = case("Old patient A", 70).to_json()
    b = case("Old patient B", 55).to_json()
    raw.execute("INSERT INTO cases VALUES (1, 'Old patient A', ?, '2026-11-30T10:00:00+00:00', "
                "'2026-11-30T11:00:00+00:00')", (a,))
    raw.execute("INSERT INTO cases VALUES (2, 'Old patient B', ?, '2026-11-30T10:30:00+00:00', "
                "'2026-11-30T10:30:00+00:00')", (b,))
    audit = "INSERT INTO saves VALUES (NULL, ?, ?, '0.1.0', '2026.1', ?, ?)"
    raw.execute(audit, (1, "2026-11-30T10:00:00+00:00", "d" * 64, "[]"))
    raw.execute(audit, (2, "2026-11-30T10:30:00+00:00", "d" * 64, "[]"))
    raw.execute(audit, (1, "2026-11-30T11:00:00+00:00", "e" * 64,
                        json.dumps([{"key": "child_pugh_score", "kind": "conflict", "text": "7 vs 5"}])))
    raw.commit()
    raw.close()


def test_a_version_1_store_is_migrated_keeping_every_case_and_audit_row(tmp_path):
    path = tmp_path / "cases.sqlite3"
    _version_1_store(path)
    store, message = open_or_recover(path, backup=False)
    try:  # version 1 left its files readable by every login (umask 022): now tightened and said
        assert message.startswith("The case store's files could be read by other logins")
        assert store.schema_version == SCHEMA_VERSION == 3
        assert [(c.id, c.label) for c in store.recent()] == [(1, "Old patient A"), (2, "Old patient B")]
        assert store.load(1) == case("Old patient A", 70) and store.load(2) == case("Old patient B", 55)
        first, last = store.history(1)
        assert (first.os_user, first.host_name, first.has_case) == (NOT_RECORDED, NOT_RECORDED, False)
        assert last.has_case and last.intact and first.intact
        assert last.evidence_digest == "e" * 64 and last.overrides[0]["key"] == "child_pugh_score"
        store.save(case("Old patient A", 71), case_id=1)
        newest = store.history(1)[-1]
        assert (newest.os_user, newest.host_name) == (getpass.getuser(), platform.node())
        assert store.load(1)["age_years"] == 71 and store.load_save(last.id)["age_years"] == 70
        with pytest.raises(KeyError, match="predates"):
            store.load_save(first.id)
    finally:
        store.close()
    raw = sqlite3.connect(path)
    try:  # the index no longer holds patient data
        assert raw.execute("SELECT COUNT(*) FROM cases WHERE label IS NOT NULL OR case_json != ''").fetchone() == (0,)
        assert [r[0] for r in raw.execute("SELECT version FROM schema_version")] == [1, 2, 3]
    finally:
        raw.close()


# -- daily backups -------------------------------------------------------------------------------
def test_one_backup_a_day_the_last_seven_kept(tmp_path):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        start = date(2026, 11, 1)
        for day in range(10):
            store.save(case(f"day {day}"))
            assert daily_backup(store.connection, path, start + timedelta(days=day)) is not None
            assert daily_backup(store.connection, path, start + timedelta(days=day)) is None  # once a day
    backups = list_backups(path)
    assert [b.day for b in backups] == [start + timedelta(days=d) for d in range(9, 9 - KEEP_DAILY, -1)]
    assert [b.cases for b in backups] == list(range(10, 10 - KEEP_DAILY, -1))


def test_restoring_a_backup_brings_its_cases_back_for_every_open_window(tmp_path):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store, CaseStore(path) as other_window:
        kept = store.save(case("kept"))
        backup = daily_backup(store.connection, path, date(2026, 11, 1))
        store.delete(kept)
        store.save(case("later"))
        before = restore_backup(store.connection, path, backup)
        assert [c.label for c in store.recent()] == ["kept"]
        assert [c.label for c in other_window.recent()] == ["kept"]
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert before.name.startswith("cases-before-restore-")
    with CaseStore(before) as previous:
        assert [c.label for c in previous.recent()] == ["later"]


def test_a_bad_backup_is_refused_and_nothing_changes(tmp_path):
    path = tmp_path / "cases.sqlite3"
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"garbage" * 500)
    with CaseStore(path) as store:
        store.save(case("mine"))
        with pytest.raises(StoreError):
            restore_backup(store.connection, path, bogus)
        assert [c.label for c in store.recent()] == ["mine"]


# -- events: what is not a save --------------------------------------------------------------------
def test_a_deleted_case_leaves_an_event_with_no_patient_data(tmp_path):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        gone = store.save(case("Mrs Example", 70))
        store.save(case("Mrs Example", 71), case_id=gone)
        kept = store.save(case("Mr Other"))
        store.delete(gone)
        assert [c.id for c in store.recent()] == [kept]
        (event,) = store.events()
    assert (event.kind, event.case_id, event.intact) == (CASE_DELETED, gone, True)
    assert event.detail.startswith("2 saves removed")
    assert (event.os_user, event.host_name, event.app_version) == (getpass.getuser(), platform.node(), __version__)
    raw = sqlite3.connect(path)
    try:  # nothing of the deleted case is left in the file's tables
        rows = raw.execute("SELECT * FROM events").fetchall() + raw.execute("SELECT * FROM saves").fetchall()
        assert "Mrs Example" not in json.dumps(rows) and '"age_years": 70' not in json.dumps(rows)
    finally:
        raw.close()


def test_events_are_never_rewritten_nor_deleted_and_damage_shows(tmp_path):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        store.delete(store.save(case("x")))
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in ("UPDATE events SET detail = 'nothing happened'", "DELETE FROM events"):
            with pytest.raises(sqlite3.DatabaseError, match="never"):
                raw.execute(statement)
        raw.execute("DROP TRIGGER events_never_rewritten")  # as a damaged or hand-edited file might be
        raw.execute("UPDATE events SET case_id = 99")
    finally:
        raw.close()
    with CaseStore(path) as store:
        (event,) = store.events()
    assert event.case_id == 99 and not event.intact


def test_a_restore_is_an_event_and_an_older_backup_is_brought_up_to_date(tmp_path):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        kept = store.save(case("kept"))
        backup = daily_backup(store.connection, path, date(2026, 11, 1))
        store.delete(kept)
        old = sqlite3.connect(backup, isolation_level=None)  # as a version-2 store wrote it
        old.execute("DROP TABLE events")
        old.execute("DELETE FROM schema_version WHERE version = 3")
        old.close()
        before = store.restore(backup)
        assert store.schema_version == SCHEMA_VERSION and [c.label for c in store.recent()] == ["kept"]
        (event,) = store.events()
        assert event.kind == BACKUP_RESTORED and event.case_id is None and event.intact
        assert backup.name in event.detail and before.name in event.detail
        store.delete(kept)  # the restored store records events again
        assert [e.kind for e in store.events()] == [BACKUP_RESTORED, CASE_DELETED]
    with CaseStore(before) as previous:  # the deletion made before the restore is kept in the copy
        assert [(e.kind, e.case_id) for e in previous.events()] == [(CASE_DELETED, kept)]
