"""The case store: SQLite (no server), private files, sealed append-only saves, daily backups.

    >>> store, message = open_or_recover()       # message: anything the user must be told
    >>> case_id = store.save(patient, assessment)
    >>> store.recent(), store.history(case_id), store.load(case_id)
    >>> store.delete(case_id), store.restore(backup), store.events()   # deletions and restores are kept

Modules: :mod:`.casestore` (the store), :mod:`.records` (the rows it returns), :mod:`.schema` (tables,
migrations, record checksum), :mod:`.events` (deletions and restores), :mod:`.private` (file modes),
:mod:`.backups` (daily backups, restore, damaged files moved aside), :mod:`.wal` (what a damaged
write-ahead log loses).
"""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from hccdecide.errors import StoreError
from hccdecide.store.backups import (Backup, backup_dir, copy_damaged_wal, daily_backup, list_backups, move_aside,
                                     restore_backup)
from hccdecide.store.casestore import CaseStore
from hccdecide.store.events import BACKUP_RESTORED, CASE_DELETED, StoreEvent
from hccdecide.store.records import NOT_RECORDED, AuditRow, CaseSummary, DamagedRecord
from hccdecide.store.private import tighten_store
from hccdecide.store.schema import MIGRATIONS, SCHEMA_VERSION
from hccdecide.store.wal import inspect_wal

__all__ = ["AuditRow", "BACKUP_RESTORED", "Backup", "CASE_DELETED", "CaseStore", "CaseSummary", "DamagedRecord",
           "MIGRATIONS", "NOT_RECORDED", "SCHEMA_VERSION", "StoreEvent", "default_store_path", "list_backups",
           "open_or_recover", "restore_backup"]

DATA_DIR_ENV = "HCCDECIDE_DATA_DIR"
STORE_FILE_NAME = "cases.sqlite3"


def default_store_path() -> Path:
    """Where the user's case store lives.

    ``$HCCDECIDE_DATA_DIR/cases.sqlite3`` when that variable is set; otherwise the user's data
    directory: ``$XDG_DATA_HOME/hccdecide`` (else ``~/.local/share/hccdecide``) on Linux,
    ``~/Library/Application Support/hccdecide`` on macOS, ``%LOCALAPPDATA%\\hccdecide`` on Windows.
    The directory is created (mode 700) when the store is opened, not here.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser() / STORE_FILE_NAME
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "hccdecide" / STORE_FILE_NAME


def _open_damaged(path: Path, reason: str) -> tuple[CaseStore, str]:
    backup = move_aside(path)
    return CaseStore(path), (f"The case store {path} could not be read ({reason}). It was moved to {backup} "
                             "and a new, empty case store was started.")


def open_or_recover(path: str | Path | None = None, backup: bool = True) -> tuple[CaseStore, str | None]:
    """Open the store at ``path`` (default :func:`default_store_path`); never lose anything silently.

    Returns ``(store, message)``; ``message`` (None when all was well) tells the user, in one text:

    - a damaged or empty file: renamed to ``<name>.corrupt-<UTC>.bak`` (with its -wal/-shm), and a
      fresh store started; the message names the backup;
    - a damaged write-ahead log: how many committed changes it loses, and where the damaged files
      were copied first;
    - files that other logins could read: tightened to 700/600 (said once: afterwards they are private).

    With ``backup`` (the default) the day's backup is made (see :mod:`.backups`).
    A store from a newer version, or a file that is not a case store, is left alone: StoreError.
    """
    path = Path(path) if path is not None else default_store_path()
    notes = []
    if path.exists() and path.stat().st_size > 0:
        damage = inspect_wal(path.with_name(path.name + "-wal"))
        if damage is not None:
            copy = copy_damaged_wal(path)
            notes.append(f"The case store {path} was opened, but {damage.describe()}. The damaged files "
                         f"were copied to {copy} (and {copy.name}-wal) before opening.")
    try:
        store = CaseStore(path)
    except StoreError as err:
        if not err.corrupt:
            raise
        store, message = _open_damaged(path, err.reason)
        notes.append(message)
    tightened = tighten_store(path, backup_dir(path))
    if tightened:
        notes.append("The case store's files could be read by other logins on this computer; they are now "
                     f"private to you ({'; '.join(tightened)}).")
    if backup:
        try:
            daily_backup(store.connection, path)
        except (OSError, sqlite3.Error) as exc:  # a failed backup must not stop the work
            notes.append(f"Today's backup of the case store could not be made ({exc}).")
    return store, "\n\n".join(notes) or None
