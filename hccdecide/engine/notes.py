"""A note on a derived value: a conflict between entries, a clinician override or an assumption."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """Something the clinician should know about a derived value."""

    key: str
    kind: str  # conflict | override | assumption
    text: str
    # the entered fields a conflict sets against each other; criteria that depend on them (directly or
    # through a derived value) are not decided from either side
    fields: tuple[str, ...] = ()
