"""The validated evidence library kept on disk, so a start-up need not parse and validate every file.

The key is a SHA-256 over everything the validated library is made from: the bytes of every evidence
file (bundled and extra), of the reference tables, of the code that reads and checks them, the app,
Python and pydantic versions. Any change gives a new key, so a stale library is never used; an
unreadable or damaged cache file is ignored and rebuilt. The file is a pickle in the user's own cache
folder (:func:`hccdecide.paths.cache_dir`, mode 700): only the user, who can run code anyway, writes it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

import pydantic

from hccdecide import __version__
from hccdecide.atomic_file import write_atomically
from hccdecide.evidence.library import EXTRA_EVIDENCE_ENV, Library, load_library
from hccdecide.paths import cache_dir, evidence_dir, resource

FORMAT = "library-1"  # bump when the way the library is pickled changes
_CODE = ("patient.py", "variables.py", "yaml_data.py", "evidence/schema.py", "evidence/crosscheck.py",
         "evidence/library.py")
_PACKAGE = Path(__file__).resolve().parents[1]


def _add_files(h: "hashlib._Hash", label: str, paths: list[Path]) -> None:
    for path in sorted(paths):
        h.update(f"{label}/{path.name}\0".encode())
        h.update(path.read_bytes())
        h.update(b"\0")


def library_key(folder: Path, extra: Path | None) -> str:
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0{pydantic.VERSION}\0".encode())
    _add_files(h, "code", [_PACKAGE / name for name in _CODE])
    _add_files(h, "evidence", list(folder.glob("*.yaml")))
    _add_files(h, "reference", list(resource("reference").glob("*.yaml")))
    extra_is_dir = extra is not None and extra.is_dir()
    h.update(f"extra\0{extra}\0{extra_is_dir}\0".encode())
    if extra_is_dir:
        _add_files(h, "extra", list(extra.glob("*.yaml")))
    return h.hexdigest()


def _read(path: Path) -> Library | None:
    try:
        with path.open("rb") as fh:
            library = pickle.load(fh)  # noqa: S301 - the user's own cache folder, keyed by content
    except Exception:  # noqa: BLE001 - absent, unreadable or damaged: rebuild
        return None
    return library if isinstance(library, Library) else None


def _write(path: Path, library: Library) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(pickle.dumps(library, protocol=pickle.HIGHEST_PROTOCOL), path)
        for old in path.parent.glob("library-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk costs speed, never the library


def cached_library(folder: Path | None = None, extra: Path | None = None) -> Library:
    """:func:`load_library`, read from the cache when nothing it is made from has changed."""
    folder = folder or evidence_dir()
    if extra is None and os.environ.get(EXTRA_EVIDENCE_ENV):
        extra = Path(os.environ[EXTRA_EVIDENCE_ENV])
    try:
        path = cache_dir() / f"library-{library_key(folder, extra)[:40]}.pickle"
    except OSError:  # a file vanished while it was read: load the slow way, which names it
        return load_library(folder, extra)
    library = _read(path)
    if library is None:
        library = load_library(folder, extra)
        _write(path, library)
    return library
