"""Copies of the case store: a rolling daily backup, restore from it, and damaged files moved aside.

- Daily backups are taken with SQLite's online backup API (a consistent copy even while other
  windows write), into ``backups/cases-YYYY-MM-DD.sqlite3`` beside the store: the first opening of
  a day makes that day's copy, and the newest :data:`KEEP_DAILY` are kept. Each copy is a single
  self-contained file (rollback journal, no WAL), mode 600, in a folder of mode 700.
- Restoring writes the chosen copy into the live store through the same API, so other open windows
  see the restored cases at once; the store as it was is first copied to
  ``backups/cases-before-restore-<UTC>.sqlite3`` (kept until deleted by hand), so a restore can be undone.
- A damaged file is renamed to ``<name>.corrupt-<UTC>.bak``; a damaged write-ahead log is copied
  (with its database) to ``<name>.wal-damaged-<UTC>.bak`` before SQLite drops its unreadable part.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

from hccdecide.errors import StoreError
from hccdecide.store.private import PRIVATE_FILE_MODE, create_private_file, make_private_dir, posix_modes

BACKUP_DIR_NAME = "backups"
KEEP_DAILY = 7
_DAILY = re.compile(r"^cases-(\d{4}-\d{2}-\d{2})\.sqlite3$")


class Backup(NamedTuple):
    path: Path
    day: date | None  # None for a before-restore copy
    cases: int | None  # None when the copy cannot be read


def backup_dir(store_path: Path) -> Path:
    return store_path.parent / BACKUP_DIR_NAME


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _copy_into(conn: sqlite3.Connection, target: Path) -> None:
    """Write a consistent copy of ``conn``'s database to ``target`` (mode 600), atomically."""
    make_private_dir(target.parent)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    create_private_file(tmp)
    try:
        dst = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            dst.close()
        os.replace(tmp, target)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)


def daily_backup(conn: sqlite3.Connection, store_path: Path, today: date | None = None) -> Path | None:
    """Make today's backup if there is none yet and drop the oldest beyond :data:`KEEP_DAILY`."""
    today = today or datetime.now(timezone.utc).date()
    target = backup_dir(store_path) / f"cases-{today.isoformat()}.sqlite3"
    if target.exists():
        return None
    _copy_into(conn, target)
    for old in [b.path for b in list_backups(store_path) if b.day is not None][KEEP_DAILY:]:
        old.unlink(missing_ok=True)
    return target


def _count_cases(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def list_backups(store_path: Path) -> list[Backup]:
    """Daily backups newest first, then before-restore copies newest first."""
    folder = backup_dir(store_path)
    if not folder.is_dir():
        return []
    daily, before = [], []
    for p in folder.glob("cases-*.sqlite3"):
        m = _DAILY.match(p.name)
        if m:
            daily.append(Backup(p, date.fromisoformat(m.group(1)), _count_cases(p)))
        elif p.name.startswith("cases-before-restore-"):
            before.append(Backup(p, None, _count_cases(p)))
    return sorted(daily, key=lambda b: b.day, reverse=True) + sorted(before, key=lambda b: b.path.name,
                                                                        reverse=True)


def restore_backup(conn: sqlite3.Connection, store_path: Path, backup: Path) -> Path:
    """Replace the store's contents by ``backup``; return the before-restore copy of what was there.

    Raises StoreError (nothing changed) when the backup is unreadable or not a case store.
    """
    try:
        src = sqlite3.connect(f"{Path(backup).as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(str(backup), f"cannot be opened as a backup ({exc})") from None
    try:
        check = src.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok" or not src.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone():
            raise StoreError(str(backup), f"is not a readable case-store backup ({check})")
        safety = backup_dir(store_path) / f"cases-before-restore-{_stamp()}.sqlite3"
        _copy_into(conn, safety)
        src.backup(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(str(backup), f"cannot be restored ({exc})") from None
    finally:
        src.close()
    return safety


def _aside_name(path: Path, kind: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.{kind}-{stamp}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{kind}-{stamp}-{n}.bak")
    return candidate


def move_aside(path: Path) -> Path:
    """Rename a damaged store (and its -wal/-shm) to ``<name>.corrupt-<UTC>.bak``; return the new name."""
    backup = _aside_name(path, "corrupt")
    os.replace(path, backup)
    for suffix in ("-wal", "-shm"):  # a stale log must never be replayed into the fresh store
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, backup.with_name(backup.name + suffix))
    return backup


def copy_damaged_wal(path: Path) -> Path:
    """Copy the store and its damaged log aside (mode 600) before SQLite drops the log's tail."""
    copy = _aside_name(path, "wal-damaged")
    for suffix in ("", "-wal"):
        target = copy.with_name(copy.name + suffix)
        shutil.copyfile(path.with_name(path.name + suffix), target)
        if posix_modes():
            os.chmod(target, PRIVATE_FILE_MODE)
    return copy
