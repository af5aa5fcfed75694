"""Write a file so that a crash or a full disk never leaves half of it: a temporary file, then a rename."""
from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_atomically(data: bytes | str, path: str | Path) -> Path:
    """Write ``data`` (text is UTF-8) to ``path`` and return the path.

    The temporary file sits beside the target so the rename stays on one file system; it gets the usual
    permissions (0666 less the umask), like any file the user saves, and is removed if writing fails.
    """
    target = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
