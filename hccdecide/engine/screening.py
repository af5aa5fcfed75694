"""Registry screening: many patients from a CSV or XLSX table against every study of the library.

Table format (README, "Screening tables"): one patient per row, case keys as column names; an empty
cell is unknown; lists are separated by ``;``; booleans are true/false/yes/no (any case); numbers may
use a decimal comma; ``case_label`` identifies the row. A cell that cannot be accepted makes its row
*bad*: the row is reported (row number as a spreadsheet shows it, the header being row 1, the key and
the reason) and skipped; the other rows are screened. Statuses come from the same derivation and
matching as ``assess``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd

from hccdecide.engine.derive import derive
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, NOT_MET, UNCERTAIN, match_study
from hccdecide.engine.regimens import STATUS_RANK
from hccdecide.errors import PatientError
from hccdecide.evidence.library import Library
from hccdecide.tables import TableError, read_text_table
from hccdecide.patient import ALT_BY_KEY, BOOLEAN, FIELD_BY_KEY, TEXT_LIST, Patient, parse_text

TRUE_WORDS, FALSE_WORDS = ("true", "yes"), ("false", "no")
LONG_COLUMNS = ("row", "case_label", "study_id", "study", "status", "missing", "not_met")
HEADER_ROW = 1  # rows are numbered as a spreadsheet shows them: header 1, first patient 2


@dataclass(frozen=True)
class BadRow:
    row: int
    key: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.key}: {self.reason}"


@dataclass(frozen=True)
class Screened:
    row: int
    case_label: str
    statuses: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]  # study id, status, missing, not met

    @property
    def best_status(self) -> str:
        return min((s for _, s, _, _ in self.statuses), key=STATUS_RANK.__getitem__)


def read_table(path: str | Path) -> pd.DataFrame:
    """Every cell as text ('' when empty), columns checked against the case keys."""
    frame = read_text_table(path)
    unknown = [c for c in frame.columns if c not in FIELD_BY_KEY and c not in ALT_BY_KEY]
    if unknown:
        raise TableError(f"{path}: unknown column(s) {', '.join(unknown)}; columns must be case keys "
                         "(the README lists every key)")
    return frame


def parse_cell(key: str, text: str) -> Any:
    """The value of one cell (None when empty); PatientError names the key, value and what is accepted."""
    text = str(text).strip()
    if text == "":
        return None
    if key in ALT_BY_KEY:
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise PatientError(key, text, f"a number in {ALT_BY_KEY[key].unit}") from None
    spec = FIELD_BY_KEY[key]
    if spec.kind == BOOLEAN:
        word = text.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise PatientError(key, text, "true, false, yes or no (empty for unknown)")
    if spec.kind == TEXT_LIST:
        return list(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))
    return parse_text(key, text)  # numbers (decimal comma accepted), choices and text


def _in_table_words(accepted: str) -> str:
    """A table has no null: an unknown value is an empty cell."""
    return accepted.replace("or null for unknown", "or an empty cell for unknown")


def row_patient(record: dict[str, str], row: int) -> Patient | BadRow:
    values = {}
    for key, text in record.items():
        try:
            values[key] = parse_cell(key, text)
        except PatientError as err:  # quote the cell as typed, not the parsed number
            return BadRow(row, key, f"{str(text).strip()!r} is not accepted; expected {_in_table_words(err.accepted)}")
    try:
        return Patient.from_dict(values)
    except PatientError as err:
        return BadRow(row, err.key, f"{err.value!r} is not accepted; expected {_in_table_words(err.accepted)}")


def screen_patient(patient: Patient, library: Library) -> tuple[tuple[str, str, tuple, tuple], ...]:
    derived = derive(patient)
    out = []
    for study in library.studies:
        m = match_study(study, derived)
        out.append((study.id, m.status, m.missing, tuple(c.criterion.label for c in m.with_status(NOT_MET))))
    return tuple(out)


def screen_rows(frame: pd.DataFrame, library: Library,
                progress: Callable[[int, int], None] | None = None,
                with_labels: bool = False) -> Iterator[Screened | BadRow]:
    """Screen each row. The output names a patient by row number; the case label, which may identify
    the patient, is carried over only when the user asks (``with_labels``)."""
    total = len(frame)
    for i, record in enumerate(frame.to_dict(orient="records")):
        row = i + HEADER_ROW + 1
        patient = row_patient(record, row)
        if isinstance(patient, BadRow):
            yield patient
        else:
            label = (patient["case_label"] or "") if with_labels else ""
            yield Screened(row, label, screen_patient(patient, library))
        if progress:
            progress(i + 1, total)


def long_frame(results: list[Screened], library: Library) -> pd.DataFrame:
    names = {s.id: s.short_name for s in library.studies}
    rows = [(r.row, r.case_label, sid, names[sid], status, "; ".join(missing), "; ".join(not_met))
            for r in results for sid, status, missing, not_met in r.statuses]
    return pd.DataFrame(rows, columns=list(LONG_COLUMNS))


def wide_frame(results: list[Screened], library: Library) -> pd.DataFrame:
    ids = [s.id for s in library.studies]
    rows = []
    for r in results:
        statuses = {sid: status for sid, status, _, _ in r.statuses}
        counts = [sum(1 for s in statuses.values() if s == k) for k in (ELIGIBLE, UNCERTAIN)]
        rows.append([r.row, r.case_label, r.best_status, *counts, *(statuses[i] for i in ids)])
    return pd.DataFrame(rows, columns=["row", "case_label", "best_status", "eligible_studies",
                                       "uncertain_studies", *ids])


def count_table(results: list[Screened], library: Library) -> pd.DataFrame:
    """Per study: how many screened patients are eligible, uncertain and ineligible."""
    counts = {s.id: {ELIGIBLE: 0, UNCERTAIN: 0, INELIGIBLE: 0} for s in library.studies}
    for r in results:
        for sid, status, _, _ in r.statuses:
            counts[sid][status] += 1
    frame = pd.DataFrame.from_dict(counts, orient="index")[[ELIGIBLE, UNCERTAIN, INELIGIBLE]]
    frame.index.name = "study_id"
    return frame.sort_values([ELIGIBLE, UNCERTAIN], ascending=False)
