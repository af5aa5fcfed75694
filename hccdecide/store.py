"""The case store: an embedded SQLite database (no server) with an audit row for every save.

- One file, WAL journal (readers never block the writer; a second window or process sees every
  committed save), every write in one explicit transaction (a save is all or nothing).
- ``schema_version`` records each migration step applied; :data:`MIGRATIONS` is the ordered list of
  steps, so opening an older store upgrades it and opening a current one changes nothing.
- ``cases`` holds the flat JSON case (:meth:`Patient.to_json`) and its label, which may identify the
  patient: it is stored, but :meth:`CaseStore.recent` can hide it (presentation mode).
- ``saves`` is the audit: when (UTC), which app version, which evidence library version and SHA-256
  digest, and which derived values were overridden or in conflict (``Derived.notes``).

A damaged file raises :class:`~hccdecide.errors.StoreError` with ``corrupt=True``;
:func:`open_or_recover` moves such a file aside (``<name>.corrupt-<UTC timestamp>.bak``) and starts a
fresh store, returning a message that names the backup. A missing case id raises ``KeyError``.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple

from hccdecide import __version__
from hccdecide.atomic_file import write_atomically
from hccdecide.errors import StoreError
from hccdecide.patient import Patient

if TYPE_CHECKING:  # the engine is imported only when a save needs an assessment computed
    from hccdecide.engine.assessment import Assessment

DATA_DIR_ENV = "HCCDECIDE_DATA_DIR"
STORE_FILE_NAME = "cases.sqlite3"
BUSY_TIMEOUT_S = 5.0  # wait this long for another connection's write lock before failing
AUDITED_NOTE_KINDS = ("override", "conflict")

# Ordered migration steps; step i (1-based) brings the schema to version i. Never edit a released
# step: append a new one. The pending steps and their version rows are applied in one transaction.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: cases and the audit of their saves
        """CREATE TABLE cases (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               label TEXT,                 -- may identify the patient (case_label); may be NULL
               case_json TEXT NOT NULL,    -- the flat JSON case format
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
)
SCHEMA_VERSION = len(MIGRATIONS)

_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_CORRUPT_PHRASES = ("file is not a database", "malformed", "file is encrypted", "disk image")


class CaseSummary(NamedTuple):
    """One row of :meth:`CaseStore.recent`."""

    id: int
    label: str | None
    updated_at: str  # UTC, ISO 8601


class AuditRow(NamedTuple):
    """One save of a case, as recorded at the time."""

    id: int
    case_id: int
    saved_at: str  # UTC, ISO 8601
    app_version: str
    evidence_version: str
    evidence_digest: str
    overrides: list[dict[str, str]]  # [{"key", "kind", "text"}]


def default_store_path() -> Path:
    """Where the user's case store lives.

    ``$HCCDECIDE_DATA_DIR/cases.sqlite3`` when that variable is set; otherwise the user's data
    directory: ``$XDG_DATA_HOME/hccdecide`` (else ``~/.local/share/hccdecide``) on Linux,
    ``~/Library/Application Support/hccdecide`` on macOS, ``%LOCALAPPDATA%\\hccdecide`` on Windows.
    The directory is created when the store is opened, not here.
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


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None and (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    text = str(exc).lower()
    return any(phrase in text for phrase in _CORRUPT_PHRASES)


class CaseStore:
    """Cases and their save history in one SQLite file.

    Parameters
    ----------
    path : str or Path
        The database file; created (with its folder) when missing.

    Raises
    ------
    StoreError
        The file is damaged (``corrupt=True``), was written by a newer hccdecide, or is an SQLite
        database of something else; or it cannot be opened at all.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        where = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit transactions; every write goes through _transaction()
            self._conn = sqlite3.connect(where, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(where, f"cannot be opened ({exc})") from None
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
        """Switch to WAL. On a brand-new file that another connection is creating at the same moment,
        SQLite reports "locked" at once instead of waiting (the busy handler is not used for the
        journal-mode change), so retry until the busy timeout."""
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

    def _has_table(self, name: str) -> bool:
        return self._conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (name,)).fetchone() is not None

    def _version(self) -> int:
        if not self._has_table("schema_version"):
            return 0
        return self._conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]

    def _migrate(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return  # the common case: read only, no write lock taken
        # All pending steps in one transaction: the upgrade is all or nothing, and the write lock
        # makes a second process opening the same new file wait, then find it up to date.
        with self._transaction() as c:
            if not self._has_table("schema_version"):
                others = [r[0] for r in c.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
                if others:
                    raise StoreError(str(self.path), "is an SQLite database but not an hccdecide case "
                                     f"store (tables: {', '.join(sorted(others))})")
                c.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            current = self._version()
            if current > SCHEMA_VERSION:
                raise StoreError(str(self.path), f"was written by a newer hccdecide (schema {current}; "
                                 f"this version knows up to {SCHEMA_VERSION}); update hccdecide")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version - 1]:
                    c.execute(statement)
                c.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                          (version, _utc_now()))

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
        return self._version()

    # -- cases ---------------------------------------------------------------------------------
    def save(self, patient: Patient, assessment: "Assessment | None" = None,
             case_id: int | None = None) -> int:
        """Store ``patient`` (as a new case, or over ``case_id``) and audit the save; return the id.

        ``assessment`` must be the assessment of this very patient (its evidence digest and
        derived-value notes are recorded); when None it is computed with the bundled library.

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
        now = _utc_now()
        label = patient.values.get("case_label")
        case_json = patient.to_json()
        with self._transaction() as c:
            if case_id is None:
                case_id = c.execute(
                    "INSERT INTO cases (label, case_json, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    (label, case_json, now, now)).lastrowid
            elif c.execute("UPDATE cases SET label = ?, case_json = ?, updated_at = ? WHERE id = ?",
                           (label, case_json, now, case_id)).rowcount == 0:
                raise KeyError(f"no case {case_id} in {self.path}")
            c.execute("INSERT INTO saves (case_id, saved_at, app_version, evidence_version, evidence_digest, "
                      "overrides_json) VALUES (?, ?, ?, ?, ?, ?)",
                      (case_id, now, __version__, assessment.library.version, assessment.library.digest,
                       json.dumps(overrides, ensure_ascii=False)))
        return int(case_id)

    def _row(self, sql: str, case_id: int) -> tuple[Any, ...]:
        row = self._conn.execute(sql, (case_id,)).fetchone()
        if row is None:
            raise KeyError(f"no case {case_id} in {self.path}")
        return row

    def load(self, case_id: int) -> Patient:
        """The stored case. A stored value no longer accepted raises PatientError naming the key."""
        (case_json,) = self._row("SELECT case_json FROM cases WHERE id = ?", case_id)
        return Patient.from_json(case_json)

    def recent(self, limit: int = 10, hide_labels: bool = False) -> list[CaseSummary]:
        """The most recently saved cases first: (id, label, updated_at).

        ``hide_labels`` replaces each label by ``"Case <id>"`` (presentation mode).
        """
        rows = self._conn.execute("SELECT id, label, updated_at FROM cases "
                                  "ORDER BY updated_at DESC, id DESC LIMIT ?", (int(limit),)).fetchall()
        return [CaseSummary(i, f"Case {i}" if hide_labels else label, t) for i, label, t in rows]

    def history(self, case_id: int) -> list[AuditRow]:
        """Every save of ``case_id``, oldest first."""
        self._row("SELECT 1 FROM cases WHERE id = ?", case_id)
        rows = self._conn.execute(
            "SELECT id, case_id, saved_at, app_version, evidence_version, evidence_digest, overrides_json "
            "FROM saves WHERE case_id = ? ORDER BY id", (case_id,)).fetchall()
        return [AuditRow(*r[:6], json.loads(r[6])) for r in rows]

    def delete(self, case_id: int) -> None:
        """Remove the case and its save history (both, in one transaction)."""
        with self._transaction() as c:
            if c.execute("DELETE FROM cases WHERE id = ?", (case_id,)).rowcount == 0:
                raise KeyError(f"no case {case_id} in {self.path}")

    # -- files ---------------------------------------------------------------------------------
    def import_json(self, path: str | Path) -> int:
        """Read a case file (flat JSON format) and save it as a new case; PatientError names a bad key."""
        return self.save(Patient.from_file(path))

    def export_json(self, case_id: int, path: str | Path) -> Path:
        """Write the case as a flat JSON case file (atomically: a temporary file, then a rename)."""
        return write_atomically(self.load(case_id).to_json() + "\n", path)

    # -- lifetime ------------------------------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "CaseStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _backup_name(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{n}.bak")
    return candidate


def open_or_recover(path: str | Path | None = None) -> tuple[CaseStore, str | None]:
    """Open the store at ``path`` (default :func:`default_store_path`); recover from a damaged file.

    Returns ``(store, message)``. ``message`` is None when the store opened normally. When the file
    is damaged it is renamed to ``<name>.corrupt-<UTC timestamp>.bak`` (its ``-wal``/``-shm`` files
    alongside), a fresh store is started, and ``message`` names the backup for the user.
    A store from a newer version, or a file that is not a case store, is left alone: StoreError.
    """
    path = Path(path) if path is not None else default_store_path()
    try:
        return CaseStore(path), None
    except StoreError as err:
        if not err.corrupt:
            raise
        reason = err.reason
    backup = _backup_name(path)
    os.replace(path, backup)
    for suffix in ("-wal", "-shm"):  # a stale WAL must never be replayed into the fresh store
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, backup.with_name(backup.name + suffix))
    store = CaseStore(path)
    return store, (f"The case store {path} could not be read ({reason}). It was moved to {backup} "
                   "and a new, empty case store was started.")
