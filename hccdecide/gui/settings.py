"""What the app remembers between sessions, typed, in one place (QSettings stores strings on some platforms).

Tests pass an INI-backed QSettings in a temporary folder so they never touch the user's settings.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from hccdecide.paths import cases_dir

MAX_RECENT_FILES = 8
MAX_TRAINING_SCORES = 20


class AppSettings:
    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or QSettings("hccdecide", "hccdecide")

    # -- zoom ----------------------------------------------------------------------------------
    @property
    def font_scale(self) -> float:
        try:
            return float(self.q.value("font_scale", 1.0))
        except (TypeError, ValueError):
            return 1.0

    @font_scale.setter
    def font_scale(self, scale: float) -> None:
        self.q.setValue("font_scale", float(scale))

    # -- who may read exported files ------------------------------------------------------------
    @property
    def private_exports(self) -> bool:
        """Files the app writes (case JSON, PDF, tables) get mode 600 unless the user turned this off."""
        value = self.q.value("private_exports", True)
        return value if isinstance(value, bool) else str(value).lower() not in ("false", "0", "no")

    @private_exports.setter
    def private_exports(self, private: bool) -> None:
        self.q.setValue("private_exports", bool(private))

    # -- folders and files ---------------------------------------------------------------------
    @property
    def last_folder(self) -> str:
        return str(self.q.value("last_folder", str(cases_dir())))

    def remember_folder(self, path: str | Path) -> None:
        path = Path(path)
        self.q.setValue("last_folder", str(path if path.is_dir() else path.parent))

    def recent_files(self) -> list[str]:
        value = self.q.value("recent_files", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [p for p in items if p]

    def add_recent_file(self, path: str | Path) -> None:
        path = str(path)
        items = [path] + [p for p in self.recent_files() if p != path]
        self.q.setValue("recent_files", items[:MAX_RECENT_FILES])

    # -- units chosen on the form --------------------------------------------------------------
    def unit_index(self, key: str) -> int:
        try:
            return int(self.q.value(f"units/{key}", 0))
        except (TypeError, ValueError):
            return 0

    def set_unit_index(self, key: str, index: int) -> None:
        self.q.setValue(f"units/{key}", int(index))

    # -- window geometry -----------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, data: QByteArray) -> None:
        self.q.setValue("window/geometry", data)

    def window_state(self) -> QByteArray | None:
        value = self.q.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, data: QByteArray) -> None:
        self.q.setValue("window/state", data)

    # -- training progress ---------------------------------------------------------------------
    def training_scores(self, case_file: str) -> list[tuple[int, int]]:
        """Every score this user had on ``case_file``, oldest first, as (right, questions)."""
        value = self.q.value(f"training/{case_file}", [])
        items = [value] if isinstance(value, str) else list(value or [])
        out = []
        for item in items:
            right, _, total = str(item).partition("/")
            if right.isdigit() and total.isdigit():
                out.append((int(right), int(total)))
        return out

    def add_training_score(self, case_file: str, right: int, total: int) -> None:
        items = [f"{r}/{t}" for r, t in self.training_scores(case_file)] + [f"{right}/{total}"]
        self.q.setValue(f"training/{case_file}", items[-MAX_TRAINING_SCORES:])

    def sync(self) -> None:
        """Write the settings to disk, readable by the user only: the recent-files list and the last
        folder may name patients (file names often do)."""
        self.q.sync()
        path = Path(self.q.fileName())
        if os.name == "posix" and path.is_file():  # on Windows the settings live in the user's registry
            try:
                os.chmod(path, 0o600)
            except OSError:
                pass  # not written (read-only location): nothing to protect
