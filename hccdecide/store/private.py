"""Files only the user can read: the store's folder is 700 and every file in it 600, whatever the umask.

Clinic workstations are shared by several logins. The usual umask (022) would leave a new folder 755
and a new file 644, readable by every other login, so files holding patient data are created with
the private mode from the start (never a moment with a wider one) and set to exactly that mode
afterwards (the umask can only narrow what ``open``/``mkdir`` ask for; it could also narrow 600 to
400, which would stop the user writing). A store found with wider modes is tightened, and the caller
tells the user once.

On Windows the mode bits mean little: the files live in the per-user data folder
(``%LOCALAPPDATA%``), whose access list already admits only the user, and nothing is changed here.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def posix_modes() -> bool:
    """Mode bits control who can read (Linux, macOS); not on Windows."""
    return os.name == "posix"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents, with the usual modes) and give it mode 700 if created."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE)
    except FileExistsError:  # another process made it at the same moment
        return
    if posix_modes():
        os.chmod(path, PRIVATE_DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file with mode 600 (fails if it exists: callers use fresh temporary names)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE_MODE)
    try:
        if posix_modes():
            os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)


def tighten(path: Path, private_mode: int) -> str | None:
    """Take away what group and others may do with ``path``; return "name: old → new", or None.

    Only bits are removed: a file the user made read-only stays read-only.
    """
    if not posix_modes() or not path.exists():
        return None
    old = mode_of(path)
    new = old & private_mode
    if new == old:
        return None
    os.chmod(path, new)
    return f"{path.name}: {old:o} → {new:o}"


def tighten_store(store_path: Path, backups: Path) -> list[str]:
    """Make the store's folder (when it holds only the store), database, WAL/SHM files, backups and
    moved-aside copies private.

    Returns one "name: old → new" entry for each path that was wider than private.
    """
    folder = store_path.parent
    own = (store_path.name, f".{store_path.name}.", backups.name)
    # A folder that also holds other things (HCCDECIDE_DATA_DIR pointed at a shared folder or at
    # home) is not ours to narrow; the store's own files in it are still made private.
    ours_only = all(p.name.startswith(own) for p in folder.iterdir()) if folder.is_dir() else False
    changed = [tighten(folder, PRIVATE_DIR_MODE) if ours_only else None, tighten(backups, PRIVATE_DIR_MODE)]
    files = [store_path.with_name(store_path.name + suffix) for suffix in ("", "-wal", "-shm")]
    files += sorted(store_path.parent.glob(store_path.name + ".*.bak*"))
    if backups.is_dir():
        files += sorted(p for p in backups.iterdir() if p.is_file())
    changed += [tighten(f, PRIVATE_FILE_MODE) for f in files]
    return [c for c in changed if c]
