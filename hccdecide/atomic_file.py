"""Write a file so that a crash or a full disk never leaves half of it: a temporary file, then a rename.

Every file the app writes for the user (case JSON, PDF report, table exports) goes through
:func:`write_atomically`, so the rule on who may read them lives here: such files may identify a
patient, so by default they get mode 600 (only the user; other logins on a shared workstation
cannot read them), whatever the umask. The user can opt out in the settings
(:func:`set_private_exports`), and the files then get the usual 0666 less the umask. On Windows mode
bits mean little and only the usual per-user folder permissions apply.
"""
from __future__ import annotations

import os
from pathlib import Path

PRIVATE_MODE = 0o600
SHARED_MODE = 0o666  # less the umask, like any file the user saves with another program

_private_exports = True


def set_private_exports(private: bool) -> None:
    """Choose the mode of files written from now on: 600 (True, the default) or 0666 less the umask."""
    global _private_exports
    _private_exports = bool(private)


def private_exports() -> bool:
    return _private_exports


def write_atomically(data: bytes | str, path: str | Path, private: bool | None = None) -> Path:
    """Write ``data`` (text is UTF-8) to ``path`` and return the path.

    ``private`` overrides the setting for this one file (None: follow :func:`set_private_exports`).
    The temporary file sits beside the target so the rename stays on one file system; it has its
    final mode from creation on (never a moment readable by others) and is removed if writing fails.
    """
    target = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    private = _private_exports if private is None else private
    mode = PRIVATE_MODE if private else SHARED_MODE  # open() takes the umask off the shared mode
    tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            if private and os.name == "posix":
                os.fchmod(fh.fileno(), PRIVATE_MODE)  # exactly 600: a strict umask may have narrowed it
            fh.write(raw)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
