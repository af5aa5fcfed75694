"""The store's own events, beside each case's saves: a case deleted, a backup restored.

Neither is a save of a case (a deleted case keeps no save, a restore replaces every case at once), so
each is one row of ``events``: when (UTC), who (operating-system user and host), which app version,
the case concerned and what was done. Rows are appended and never changed (triggers refuse an update
and a delete), sealed like saves with the SHA-256 of their JSON, and hold no patient data: the label
of a deleted case is not kept.
"""
from __future__ import annotations

import sqlite3
from typing import NamedTuple

from hccdecide.store.schema import EVENT_FIELDS, record_digest

CASE_DELETED, BACKUP_RESTORED = "case deleted", "backup restored"


class StoreEvent(NamedTuple):
    id: int
    at: str  # UTC, ISO 8601
    kind: str  # CASE_DELETED | BACKUP_RESTORED
    case_id: int | None
    detail: str
    os_user: str
    host_name: str
    app_version: str
    intact: bool  # False: the row fails its checksum; its fields may be damaged


def append_event(conn: sqlite3.Connection, at: str, kind: str, case_id: int | None, detail: str,
                 who: tuple[str, str], app_version: str) -> None:
    """Add one event row (inside the caller's transaction, so it stands or falls with the change)."""
    record = (at, kind, case_id, detail, *who, app_version)
    conn.execute(f"INSERT INTO events ({', '.join(EVENT_FIELDS)}, checksum) "
                 f"VALUES ({', '.join('?' * len(record))}, ?)", (*record, record_digest(*record)))


def read_events(conn: sqlite3.Connection) -> list[StoreEvent]:
    """Every event, oldest first; a damaged row is kept in place, marked not intact."""
    rows = conn.execute(f"SELECT id, {', '.join(EVENT_FIELDS)}, checksum FROM events ORDER BY id").fetchall()
    return [_event(row) for row in rows]


def _event(row: tuple) -> StoreEvent:
    fields, checksum = row[1:-1], row[-1]
    at, kind, case_id, detail, user, host, version = fields
    return StoreEvent(row[0], str(at), str(kind), case_id, str(detail), str(user), str(host), str(version),
                      checksum == record_digest(*fields))
