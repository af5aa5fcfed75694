"""CSV and XLSX tables in and out (pandas; openpyxl for .xlsx), written with the project's atomic writer
so exports get the same file-mode rules as cases and reports."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from hccdecide.atomic_file import write_atomically

TABLE_SUFFIXES = (".csv", ".xlsx")


class TableError(ValueError):
    """A table that cannot be read or written as asked (unreadable, wrong type, unknown column)."""


def check_suffix(path: Path) -> None:
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise TableError(f"{path}: a table must be .csv or .xlsx (got {path.suffix or 'no suffix'!r})")


def read_text_table(path: str | Path) -> pd.DataFrame:
    """Every cell as text ('' when empty), column names stripped."""
    path = Path(path)
    check_suffix(path)
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise TableError(f"{path}: cannot be read as a table ({err})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("")


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """CSV (UTF-8) or XLSX by suffix."""
    path = Path(path)
    check_suffix(path)
    if path.suffix.lower() == ".csv":
        return write_atomically(frame.to_csv(index=False), path)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return write_atomically(buffer.getvalue(), path)
