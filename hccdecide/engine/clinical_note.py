"""The assessment as a plain-text block for the clinical note ("copy to clinical note").

Plain text only (no markup), so it pastes into any record system. Identifying fields (the case label)
are left out unless the user asks for them. The evidence version and digest say which library
produced the text.
"""
from __future__ import annotations

from datetime import datetime

from hccdecide import __version__
from hccdecide.engine.assessment import Assessment
from hccdecide.engine.plain_summary import Glance
from hccdecide.engine.summary import DISCLAIMER


def note_text(a: Assessment, glance: Glance, include_label: bool = False, now: datetime | None = None) -> str:
    now = now or datetime.now().astimezone()
    lines = [f"hccdecide {__version__} decision-aid summary, {now:%Y-%m-%d %H:%M}"]
    label = a.patient["case_label"]
    if include_label and label:
        lines.append(f"Case: {label}")
    lines += [f"- {s}" for s in glance.sentences]
    lib = a.library
    lines += [f"Evidence library {lib.version}, SHA-256 {lib.digest}.", DISCLAIMER]
    return "\n".join(lines)
