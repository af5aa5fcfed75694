"""Declarative report items: what the report says, independent of how it is rendered.

:mod:`hccdecide.report.content` builds a list of these from an assessment; :mod:`hccdecide.report.pdf`
renders them with reportlab; :func:`plain_text` renders them as text (tests, previews). Every text is
plain Unicode, never markup: renderers escape it.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Iterable, Union

# Status words that renderers may colour (eligibility, criteria, risk strata).
GOOD, BAD, OPEN, CONFIRM = "good", "bad", "open", "confirm"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 section, 2 subsection, 3 minor heading


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | small


@dataclass(frozen=True)
class KeyValueTable:
    rows: tuple[tuple[str, str], ...]
    key_width: float = 0.28  # share of the text width taken by the keys


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``widths`` are relative column widths (summing to anything).

    ``tones`` optionally gives, per row, a tone (GOOD / BAD / OPEN / CONFIRM / "") for the cell in
    ``tone_column``, so a renderer can colour statuses without parsing words.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None
    tone_column: int | None = None
    tones: tuple[str, ...] = ()
    caption: str = ""

    def __post_init__(self) -> None:
        n = len(self.header)
        if any(len(r) != n for r in self.rows):
            raise ValueError(f"every row needs {n} cells")
        if self.widths is not None and len(self.widths) != n:
            raise ValueError(f"widths need {n} entries")
        if self.tones and len(self.tones) != len(self.rows):
            raise ValueError("one tone per row")


@dataclass(frozen=True)
class Figure:
    """A PNG image shown ``width_mm`` wide (height from the image's aspect ratio)."""

    png: bytes
    width_mm: float
    caption: str = ""

    @property
    def pixel_size(self) -> tuple[int, int]:
        if self.png[:8] != b"\x89PNG\r\n\x1a\n":
            raise ValueError("Figure.png is not PNG data")
        width, height = struct.unpack(">II", self.png[16:24])
        return width, height

    @property
    def height_mm(self) -> float:
        w, h = self.pixel_size
        return self.width_mm * h / w


@dataclass(frozen=True)
class Note:
    """A boxed remark: ``disclaimer``, ``warning`` (conflicts, population warnings) or ``info``."""

    text: str
    kind: str = "info"


@dataclass(frozen=True)
class PageBreak:
    pass


Item = Union[Heading, Paragraph, KeyValueTable, Table, Figure, Note, PageBreak]


def plain_text(items: Iterable[Item]) -> str:
    """The report as plain text: every word the PDF shows (figures as their captions)."""
    out: list[str] = []
    for item in items:
        if isinstance(item, Heading):
            out += ["", "#" * item.level + " " + item.text]
        elif isinstance(item, Paragraph):
            out.append(item.text)
        elif isinstance(item, KeyValueTable):
            out += [f"{k}: {v}" for k, v in item.rows]
        elif isinstance(item, Table):
            if item.caption:
                out.append(item.caption)
            out += [" | ".join(item.header)] + [" | ".join(r) for r in item.rows]
        elif isinstance(item, Figure):
            out.append(f"[figure] {item.caption}")
        elif isinstance(item, Note):
            out.append(f"[{item.kind}] {item.text}")
    return "\n".join(out)
