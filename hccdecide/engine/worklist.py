"""The week's MDT worklist: a screening table (CSV or XLSX, the format of ``hccdecide screen``) read as a
list of patients to step through, each with its best status.

Rows are read by the screening parser, so a worklist and ``screen`` agree on every cell. A bad row is
kept in the list (row number, key and reason) but cannot be opened; the other rows stay usable.
The case label is part of each patient (the form shows it); whoever lists the patients decides
whether to show it, since a label may identify the patient.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hccdecide.engine.matching import ELIGIBLE, UNCERTAIN
from hccdecide.engine.screening import HEADER_ROW, BadRow, Screened, read_table, row_patient, screen_patient
from hccdecide.evidence.library import Library
from hccdecide.patient import Patient


@dataclass(frozen=True)
class WorklistEntry:
    row: int  # as a spreadsheet shows it: header row 1, first patient row 2
    patient: Patient
    screened: Screened

    @property
    def label(self) -> str:
        return self.patient["case_label"] or ""

    @property
    def best_status(self) -> str:
        return self.screened.best_status

    def count(self, status: str) -> int:
        return sum(1 for _, s, _, _ in self.screened.statuses if s == status)

    @property
    def status_text(self) -> str:
        """"eligible · 3 eligible, 12 uncertain studies": the best status and how it is reached."""
        return (f"{self.best_status} · {self.count(ELIGIBLE)} eligible, "
                f"{self.count(UNCERTAIN)} uncertain studies")


@dataclass(frozen=True)
class Worklist:
    path: Path
    items: tuple[WorklistEntry | BadRow, ...]  # in row order

    @property
    def entries(self) -> tuple[WorklistEntry, ...]:
        return tuple(i for i in self.items if isinstance(i, WorklistEntry))

    @property
    def bad_rows(self) -> tuple[BadRow, ...]:
        return tuple(i for i in self.items if isinstance(i, BadRow))

    @property
    def has_labels(self) -> bool:
        return any(e.label for e in self.entries)

    def step(self, current: int | None, forward: bool) -> int | None:
        """The entry after (or before) ``current`` (an index into :attr:`entries`); None past either end.
        With no current patient, forward starts at the first and backward at the last."""
        n = len(self.entries)
        if not n:
            return None
        if current is None:
            return 0 if forward else n - 1
        nxt = current + (1 if forward else -1)
        return nxt if 0 <= nxt < n else None


def read_worklist(path: str | Path, library: Library) -> Worklist:
    """Every row of the table as an entry or a bad row. Raises TableError for a table that cannot be
    read at all (wrong type, unreadable, unknown column)."""
    frame = read_table(path)
    items: list[WorklistEntry | BadRow] = []
    for i, record in enumerate(frame.to_dict(orient="records")):
        row = i + HEADER_ROW + 1
        patient = row_patient(record, row)
        if isinstance(patient, BadRow):
            items.append(patient)
        else:
            label = patient["case_label"] or ""
            items.append(WorklistEntry(row, patient, Screened(row, label, screen_patient(patient, library))))
    return Worklist(Path(path), tuple(items))
