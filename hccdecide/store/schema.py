"""The case store's tables and their migrations, and the checksum that seals each save.

``schema_version`` records each migration step applied; :data:`MIGRATIONS` is the ordered list of
steps, so opening an older store upgrades it and opening a current one changes nothing. Never edit a
released step: append a new one.

Since version 2 a save appends and nothing is rewritten:

- ``saves`` holds one row per save: when (UTC), who (operating-system user and host name), which app
  version and evidence library (version and SHA-256 digest), which derived values were overridden
  or in conflict, the case's label and its flat JSON, and ``checksum``, the SHA-256 of the row's
  JSON (:func:`record_digest`). A trigger refuses any UPDATE of a save.
- ``cases`` is only the index: id, when created, when last saved. The case as it stands is its
  latest save; earlier saves stay readable.

Since version 3, ``events`` records what is not a save (see :mod:`.events`): a case deleted, a
backup restored; appended only, sealed like saves, without patient data.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

RECORD_FIELDS = ("case_id", "saved_at", "app_version", "evidence_version", "evidence_digest",
                 "overrides_json", "os_user", "host_name", "label", "case_json")
EVENT_FIELDS = ("at", "kind", "case_id", "detail", "os_user", "host_name", "app_version")
DIGEST_FUNCTION = "hccdecide_record_digest"

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: cases and the audit of their saves
        """CREATE TABLE cases (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               label TEXT,                 -- version 1 only; NULL since version 2
               case_json TEXT NOT NULL,    -- version 1 only; '' since version 2
               created_at TEXT NOT NULL,   -- UTC, ISO 8601
               updated_at TEXT NOT NULL    -- UTC, ISO 8601
           )""",
        "CREATE INDEX cases_by_update ON cases (updated_at)",
        """CREATE TABLE saves (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
               saved_at TEXT NOT NULL,          -- UTC, ISO 8601
               app_version TEXT NOT NULL,
               evidence_version TEXT NOT NULL,
               evidence_digest TEXT NOT NULL,   -- SHA-256 of the evidence files used
               overrides_json TEXT NOT NULL     -- [{key, kind, text}] for overridden/conflicting values
           )""",
        "CREATE INDEX saves_by_case ON saves (case_id, id)",
    ),
    (  # 2: who saved; each save carries its own copy of the case, sealed by a checksum; saves append
        "ALTER TABLE saves ADD COLUMN os_user TEXT",  # NULL: saved before version 2 recorded it
        "ALTER TABLE saves ADD COLUMN host_name TEXT",
        "ALTER TABLE saves ADD COLUMN label TEXT",  # may identify the patient
        "ALTER TABLE saves ADD COLUMN case_json TEXT",  # NULL on saves older than the case's last in v1
        "ALTER TABLE saves ADD COLUMN checksum TEXT",  # SHA-256 of the row's JSON (record_digest)
        # A hand-made version-1 case without any save row still needs one to carry its data.
        """INSERT INTO saves (case_id, saved_at, app_version, evidence_version, evidence_digest, overrides_json)
           SELECT id, updated_at, 'not recorded', 'not recorded', 'not recorded', '[]' FROM cases
           WHERE id NOT IN (SELECT case_id FROM saves)""",
        # The case as it stands moves into its latest save ...
        """UPDATE saves SET label = (SELECT label FROM cases WHERE cases.id = saves.case_id),
                            case_json = (SELECT case_json FROM cases WHERE cases.id = saves.case_id)
           WHERE id IN (SELECT MAX(id) FROM saves GROUP BY case_id)""",
        f"UPDATE saves SET checksum = {DIGEST_FUNCTION}({', '.join(RECORD_FIELDS)})",
        # ... and the index keeps no patient data.
        "UPDATE cases SET label = NULL, case_json = ''",
        """CREATE TRIGGER saves_append_only BEFORE UPDATE ON saves
           BEGIN SELECT RAISE(ABORT, 'a save is never rewritten: save again to append'); END""",
    ),
    (  # 3: the store's own events (a case deleted, a backup restored), appended only, no patient data
        """CREATE TABLE events (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               at TEXT NOT NULL,            -- UTC, ISO 8601
               kind TEXT NOT NULL,          -- 'case deleted' | 'backup restored'
               case_id INTEGER,             -- no foreign key: the case may be gone
               detail TEXT NOT NULL,
               os_user TEXT NOT NULL,
               host_name TEXT NOT NULL,
               app_version TEXT NOT NULL,
               checksum TEXT NOT NULL       -- SHA-256 of the row's JSON (record_digest)
           )""",
        """CREATE TRIGGER events_never_rewritten BEFORE UPDATE ON events
           BEGIN SELECT RAISE(ABORT, 'a store event is never rewritten'); END""",
        """CREATE TRIGGER events_never_deleted BEFORE DELETE ON events
           BEGIN SELECT RAISE(ABORT, 'a store event is never deleted'); END""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def record_digest(*values: Any) -> str:
    """SHA-256 of the JSON list of a save's :data:`RECORD_FIELDS`, in that order.

    Text read back from a damaged file may hold undecodable bytes (kept as escapes by the store's
    lenient decoding); they are hashed as escapes, so the digest differs and the damage shows.
    """
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


def register_functions(conn: sqlite3.Connection) -> None:
    """Make :func:`record_digest` callable from SQL (the version-2 migration seals old rows with it)."""
    conn.create_function(DIGEST_FUNCTION, len(RECORD_FIELDS), record_digest, deterministic=True)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def schema_version(conn: sqlite3.Connection) -> int:
    if not _has_table(conn, "schema_version"):
        return 0
    return conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]


def foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables in a file without ``schema_version``: any means it is some other program's database."""
    return sorted(r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
