"""The rows the case store hands out: a case in the list, a save in a case's history, a damaged record."""
from __future__ import annotations

import json
from typing import NamedTuple

from hccdecide.store import schema

NOT_RECORDED = "not recorded"


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
    os_user: str  # NOT_RECORDED for saves made before the store recorded it
    host_name: str
    intact: bool  # False: the record fails its checksum; its fields may be damaged
    has_case: bool  # this save carries a copy of the case (every save since schema 2)


class DamagedRecord(NamedTuple):
    """A save whose checksum does not match: reported and skipped."""

    save_id: int
    case_id: int
    saved_at: str

    def describe(self) -> str:
        return (f"Case {self.case_id}: the save recorded at {self.saved_at[:19].replace('T', ' ')} UTC is "
                "damaged (its checksum does not match) and was skipped")


class SaveRow(NamedTuple):
    """A row of ``saves`` as read, checksum included."""

    id: int
    case_id: int
    saved_at: str
    app_version: str
    evidence_version: str
    evidence_digest: str
    overrides_json: str
    os_user: str | None
    host_name: str | None
    label: str | None
    case_json: str | None
    checksum: str | None

    @property
    def intact(self) -> bool:
        return self.checksum == schema.record_digest(*self[1:11])


def audit_row(s: SaveRow, intact: bool) -> AuditRow:
    try:
        overrides = json.loads(s.overrides_json) if intact else []
    except (TypeError, ValueError):
        overrides = []
    return AuditRow(s.id, s.case_id, str(s.saved_at), str(s.app_version), str(s.evidence_version),
                    str(s.evidence_digest), overrides, s.os_user or NOT_RECORDED, s.host_name or NOT_RECORDED,
                    intact, s.case_json is not None)
