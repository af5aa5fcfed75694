"""The case store: an embedded SQLite database (no server) in which every save appends a sealed record.

- One file, WAL journal (readers never block the writer; a second window or process sees every
  committed save), every write in one explicit transaction (a save is all or nothing).
- A new store file is built under a temporary name (mode 600) and linked into place complete, so a
  0-byte store is never one of ours: it is reported as damaged, not opened as empty.
- Each save is a row of ``saves`` (see :mod:`.schema`): who, when, with which app and evidence, and
  the case's JSON, sealed by a SHA-256 checksum verified whenever the row is read. A damaged record
  is skipped and listed in :attr:`CaseStore.damaged`; it never breaks the list or any other record.
- Text is decoded leniently (undecodable bytes are kept as escapes), so one damaged byte can only
  fail its own record's checksum, never a whole query.

A damaged file raises :class:`~hccdecide.errors.StoreError` with ``corrupt=True``;
:func:`hccdecide.store.open_or_recover` moves it aside. A missing case id raises ``KeyError``.
"""
from __future__ import annotations

import getpass
import json
import os
import platform
import sqlite3
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from hccdecide import __version__
from hccdecide.atomic_file import write_atomically
from hccdecide.errors import StoreError
from hccdecide.patient import Patient
from hccdecide.figure_words import counted
from hccdecide.store import events, schema
from hccdecide.store.backups import restore_backup
from hccdecide.store.private import create_private_file, make_private_dir
from hccdecide.store.records import NOT_RECORDED, AuditRow, CaseSummary, DamagedRecord, SaveRow, audit_row  # noqa: F401

if TYPE_CHECKING:  # the engine is imported only when a save needs an assessment computed
    from hccdecide.engine.assessment import Assessment

BUSY_TIMEOUT_S = 5.0  # wait this long for another connection's write lock before failing
AUDITED_NOTE_KINDS = ("override", "conflict")

_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_CORRUPT_PHRASES = ("file is not a database", "malformed", "file is encrypted", "disk image")
_SAVE_COLUMNS = "s.id, " + ", ".join(f"s.{f}" for f in schema.RECORD_FIELDS) + ", s.checksum"


def current_user() -> str:
    """The operating-system login name saving the case."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in the environment or the user database
        return NOT_RECORDED


def current_host() -> str:
    return platform.node() or NOT_RECORDED


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None and (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    text = str(exc).lower()
    return any(phrase in text for phrase in _CORRUPT_PHRASES)


def _create_store_file(path: Path) -> None:
    """Build a new, migrated store beside ``path`` and link it into place complete (mode 600)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.new")
    create_private_file(tmp)
    try:
        CaseStore(tmp, _fresh=True).close()  # closing checkpoints the log into the file
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another window created it at the same moment: use theirs
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)


class CaseStore:
    """Cases and their save history in one SQLite file.

    Parameters
    ----------
    path : str or Path
        The database file; created (with its folder, mode 700, and itself mode 600) when missing.

    Raises
    ------
    StoreError
        The file is damaged or empty (``corrupt=True``), was written by a newer hccdecide, or is an
        SQLite database of something else; or it cannot be opened at all.
    """

    def __init__(self, path: str | Path, _fresh: bool = False):
        self.path = Path(path)
        self.damaged: dict[int, DamagedRecord] = {}  # by save id; filled as records are read
        where = str(self.path)
        try:
            make_private_dir(self.path.parent)
            if not _fresh and not self.path.exists():
                _create_store_file(self.path)
            if not _fresh and self.path.stat().st_size == 0:
                raise StoreError(where, "is empty (0 bytes): its contents were lost before this start",
                                 corrupt=True)
            # isolation_level=None: no implicit transactions; every write goes through _transaction()
            self._conn = sqlite3.connect(where, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(where, f"cannot be opened ({exc})") from None
        self._conn.text_factory = _lenient_text
        schema.register_functions(self._conn)
        try:
            self._configure()
            self._migrate()
        except StoreError:
            self._conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            if _is_corruption(exc):
                raise StoreError(where, f"is damaged or not an SQLite database ({exc})", corrupt=True) from None
            raise StoreError(where, f"cannot be used ({exc})") from None

    # -- set-up --------------------------------------------------------------------------------
    def _enable_wal(self) -> str:
        """Switch to WAL. While another connection is creating or migrating the file, SQLite reports
        "locked" at once instead of waiting (the busy handler is not used for the journal-mode
        change), so retry until the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                return self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _configure(self) -> None:
        c = self._conn
        mode = self._enable_wal()
        if str(mode).lower() != "wal":
            raise StoreError(str(self.path), f"cannot use write-ahead logging (journal mode {mode})")
        c.execute("PRAGMA foreign_keys=ON")
        c.execute("PRAGMA synchronous=FULL")  # a committed save survives a power cut
        problems = [" ".join(str(row[0]).split()) for row in c.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise StoreError(str(self.path), "is damaged: " + "; ".join(problems), corrupt=True)

    def _migrate(self) -> None:
        if schema.schema_version(self._conn) == schema.SCHEMA_VERSION:
            return  # the common case: read only, no write lock taken
        # All pending steps in one transaction: the upgrade is all or nothing, and the write lock
        # makes a second process opening the same file wait, then find it up to date.
        with self._transaction() as c:
            if schema.schema_version(c) == 0 and not c.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone():
                others = schema.foreign_tables(c)
                if others:
                    raise StoreError(str(self.path), "is an SQLite database but not an hccdecide case "
                                     f"store (tables: {', '.join(others)})")
                c.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            current = schema.schema_version(c)
            if current > schema.SCHEMA_VERSION:
                raise StoreError(str(self.path), f"was written by a newer hccdecide (schema {current}; "
                                 f"this version knows up to {schema.SCHEMA_VERSION}); update hccdecide")
            for version in range(current + 1, schema.SCHEMA_VERSION + 1):
                for statement in schema.MIGRATIONS[version - 1]:
                    c.execute(statement)
                c.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, utc_now()))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return schema.schema_version(self._conn)

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection (for the online backup API in :mod:`.backups`)."""
        return self._conn

    # -- cases ---------------------------------------------------------------------------------
    def save(self, patient: Patient, assessment: "Assessment | None" = None,
             case_id: int | None = None) -> int:
        """Append a save of ``patient`` (a new case, or a new version of ``case_id``); return the id.

        ``assessment`` must be the assessment of this very patient (its evidence digest and
        derived-value notes are recorded); when None it is computed with the bundled library.
        Earlier saves are never changed.

        Raises
        ------
        KeyError
            ``case_id`` is not in the store (nothing is written).
        ValueError
            ``assessment`` was made for different patient values.
        """
        if assessment is None:
            from hccdecide.engine.assessment import assess
            assessment = assess(patient)
        elif assessment.patient != patient:
            raise ValueError("the assessment was made for different patient values; "
                             "assess the patient being saved")
        overrides = [{"key": n.key, "kind": n.kind, "text": n.text}
                     for n in assessment.derived.notes if n.kind in AUDITED_NOTE_KINDS]
        now = utc_now()
        with self._transaction() as c:
            if case_id is None:
                case_id = c.execute("INSERT INTO cases (label, case_json, created_at, updated_at) "
                                    "VALUES (NULL, '', ?, ?)", (now, now)).lastrowid
            elif c.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now, case_id)).rowcount == 0:
                raise KeyError(f"no case {case_id} in {self.path}")
            record = (int(case_id), now, __version__, assessment.library.version, assessment.library.digest,
                      json.dumps(overrides, ensure_ascii=False), current_user(), current_host(),
                      patient.values.get("case_label"), patient.to_json())
            c.execute(f"INSERT INTO saves ({', '.join(schema.RECORD_FIELDS)}, checksum) "
                      f"VALUES ({', '.join('?' * len(record))}, ?)", (*record, schema.record_digest(*record)))
        return int(case_id)

    def _verified(self, rows: list[tuple[Any, ...]]) -> list[SaveRow]:
        """The intact saves among ``rows``; the others are noted in :attr:`damaged`."""
        good = []
        for row in rows:
            save = SaveRow(*row)
            if save.intact:
                good.append(save)
            else:
                self.damaged[save.id] = DamagedRecord(save.id, save.case_id, str(save.saved_at))
        return good

    def _latest(self, case_id: int) -> SaveRow:
        row = self._conn.execute(f"SELECT {_SAVE_COLUMNS} FROM saves s WHERE s.case_id = ? "
                                 "ORDER BY s.id DESC LIMIT 1", (case_id,)).fetchone()
        if row is None:
            raise KeyError(f"no case {case_id} in {self.path}")
        (save,) = self._verified([row]) or (None,)
        if save is None:
            raise StoreError(str(self.path), self.damaged[row[0]].describe())
        return save

    def load(self, case_id: int) -> Patient:
        """The case as last saved. A damaged record raises StoreError; a stored value no longer
        accepted raises PatientError naming the key."""
        return Patient.from_json(self._latest(case_id).case_json or "")

    def load_save(self, save_id: int) -> Patient:
        """The case as it was at one save (from :meth:`history`)."""
        row = self._conn.execute(f"SELECT {_SAVE_COLUMNS} FROM saves s WHERE s.id = ?", (save_id,)).fetchone()
        if row is None:
            raise KeyError(f"no save {save_id} in {self.path}")
        (save,) = self._verified([row]) or (None,)
        if save is None:
            raise StoreError(str(self.path), self.damaged[save_id].describe())
        if save.case_json is None:
            raise KeyError(f"save {save_id} predates the store keeping every version of a case")
        return Patient.from_json(save.case_json)

    def recent(self, limit: int = 10, hide_labels: bool = False) -> list[CaseSummary]:
        """The most recently saved cases first: (id, label, updated_at).

        A case whose latest save is damaged is left out (see :attr:`damaged`).
        ``hide_labels`` replaces each label by ``"Case <id>"`` (presentation mode).
        """
        cursor = self._conn.execute(
            f"SELECT {_SAVE_COLUMNS} FROM cases c JOIN saves s "
            "ON s.id = (SELECT MAX(id) FROM saves WHERE case_id = c.id) "
            "ORDER BY c.updated_at DESC, c.id DESC")
        saves: list[SaveRow] = []
        while len(saves) < int(limit):  # read (and verify) only as far as the list needs
            row = cursor.fetchone()
            if row is None:
                break
            saves += self._verified([row])
        cursor.close()
        return [CaseSummary(s.case_id, f"Case {s.case_id}" if hide_labels else s.label, s.saved_at)
                for s in saves]

    def history(self, case_id: int) -> list[AuditRow]:
        """Every save of ``case_id``, oldest first; a damaged one is kept in place, marked not intact."""
        rows = self._conn.execute(f"SELECT {_SAVE_COLUMNS} FROM saves s WHERE s.case_id = ? ORDER BY s.id",
                                  (case_id,)).fetchall()
        if not rows:
            raise KeyError(f"no case {case_id} in {self.path}")
        intact = {s.id for s in self._verified(rows)}
        return [audit_row(SaveRow(*r), r[0] in intact) for r in rows]

    def delete(self, case_id: int) -> None:
        """Remove the case and its saves; an event row keeps that it was deleted (one transaction)."""
        with self._transaction() as c:
            count, last = c.execute("SELECT COUNT(*), MAX(saved_at) FROM saves WHERE case_id = ?", (case_id,)).fetchone()
            if c.execute("DELETE FROM cases WHERE id = ?", (case_id,)).rowcount == 0:
                raise KeyError(f"no case {case_id} in {self.path}")
            self._event(c, events.CASE_DELETED, case_id, f"{counted(count, 'save')} removed, the last made {last}")

    def restore(self, backup: str | Path) -> Path:
        """Replace every case by the backup's (:func:`~hccdecide.store.backups.restore_backup`), bring it
        to this version's tables, and record the restore as an event; return the before-restore copy."""
        safety = restore_backup(self._conn, self.path, Path(backup))
        self._migrate()  # a backup made by an older version is upgraded like any store
        with self._transaction() as c:
            self._event(c, events.BACKUP_RESTORED, None,
                        f"restored from {Path(backup).name}; the store as it was is kept in {safety.name}")
        return safety

    def events(self) -> list[events.StoreEvent]:
        """The store's events (deletions, restores), oldest first."""
        return events.read_events(self._conn)

    def _event(self, c: sqlite3.Connection, kind: str, case_id: int | None, detail: str) -> None:
        events.append_event(c, utc_now(), kind, case_id, detail, (current_user(), current_host()), __version__)

    # -- files ---------------------------------------------------------------------------------
    def import_json(self, path: str | Path) -> int:
        """Read a case file (flat JSON format) and save it as a new case; PatientError names a bad key."""
        return self.save(Patient.from_file(path))

    def export_json(self, case_id: int, path: str | Path) -> Path:
        """Write the case as a flat JSON case file (atomically; mode as :mod:`hccdecide.atomic_file`)."""
        return write_atomically(self.load(case_id).to_json() + "\n", path)

    # -- lifetime ------------------------------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "CaseStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
