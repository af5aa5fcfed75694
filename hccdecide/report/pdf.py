"""Render report items to an A4 PDF with reportlab (pure Python, no system libraries).

Text is set in DejaVu Sans, taken from matplotlib's bundled fonts, so ≤ ≥ α β µ ✓ ✗ render. Tables
wrap their cells and repeat their header row across pages; a heading never ends a page; every
page carries a footer (app and evidence version, page x of y, the case label unless anonymous).
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, SimpleDocTemplate, Spacer
from reportlab.platypus import Image as RLImage
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from hccdecide.report.items import (BAD, CONFIRM, GOOD, OPEN, Figure, Heading, Item, KeyValueTable, Note,
                                    PageBreak, Paragraph, Table)

# Binary (not ASCII85) compressed streams: a fifth of the rendering time saved, same PDF validity.
rl_config.useA85 = 0

FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
MARGIN = 15 * mm
CELL_PAD = 3
# A heading or caption starts a new page unless this much room is left for what follows it.
# (keepWithNext would move a whole long table to the next page, leaving a blank half page.)
KEEP_TOGETHER_ROWS = 12
KEEP_WITH_NEXT = {"h1": 60 * mm, "h2": 60 * mm, "h3": 30 * mm, "caption": 25 * mm}
TONE_COLOUR = {GOOD: colors.HexColor("#15803d"), BAD: colors.HexColor("#b91c1c"),
               OPEN: colors.HexColor("#b45309"), CONFIRM: colors.HexColor("#1d4ed8")}
NOTE_COLOURS = {"disclaimer": ("#fffbeb", "#d97706"), "warning": ("#fef2f2", "#dc2626"),
                "info": ("#eff6ff", "#2563eb")}
RULE, HEAD_BG = colors.HexColor("#cbd5e1"), colors.HexColor("#f1f5f9")


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register DejaVu Sans (regular, bold, oblique) from matplotlib's fonts; return the family name."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf",
             "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
    for name, file in faces.items():
        path = folder / file
        if not path.is_file():
            raise FileNotFoundError(f"font {file} not found in {folder}; matplotlib's bundled fonts are needed")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic="DejaVuSans-BoldOblique")
    return FONT


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.8, spaceAfter=4, alignment=TA_LEFT)
    s = {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.6, textColor=colors.HexColor("#374151")),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=13.5, leading=17, spaceBefore=10,
                             spaceAfter=5, textColor=colors.HexColor("#0f172a")),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8,
                             spaceAfter=3, textColor=colors.HexColor("#1e3a8a")),
        "h3": ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceBefore=7,
                             spaceAfter=2),
        "caption": ParagraphStyle("caption", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10,
                                  spaceBefore=3, spaceAfter=2, textColor=colors.HexColor("#334155")),
        "figcaption": ParagraphStyle("figcaption", parent=body, fontName=FONT_ITALIC, fontSize=7.5, leading=9.5,
                                     textColor=colors.HexColor("#374151")),
        # table cells are pre-wrapped plain strings; these two give their font size and leading
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9.2, spaceAfter=0),
        "value": ParagraphStyle("value", parent=body, fontSize=8.5, leading=10.8, spaceAfter=0),
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
    }
    return s


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    """Code points every face of the report font can draw (the bold face covers slightly fewer)."""
    register_fonts()
    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in (FONT, FONT_BOLD, FONT_ITALIC)]
    return frozenset(faces[0]).intersection(*faces[1:])


def drawable(text: str) -> str:
    """``text`` with each character the font cannot draw written as its code (``[U+4E2D]``), so a
    name in a script the font lacks (CJK, emoji) is never printed as blank boxes or dropped."""
    glyphs = _glyphs()
    if all(ord(c) in glyphs or c in "\n\t" for c in text):
        return text
    return "".join(c if ord(c) in glyphs or c in "\n\t" else f"[U+{ord(c):04X}]" for c in text)


def _text(text: str) -> str:
    return escape(drawable(text)).replace("\n", "<br/>")


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _split_word(word: str, font: str, size: float, room: float) -> list[str]:
    """A word wider than the column, cut into pieces that fit (binary search per piece)."""
    pieces = []
    while len(word) > 1 and _width(word, font, size) > room:
        lo, hi = 1, len(word) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _width(word[:mid], font, size) <= room:
                lo = mid
            else:
                hi = mid - 1
        pieces.append(word[:lo])
        word = word[lo:]
    return pieces + [word]


def wrap_text(text: str, font: str, size: float, room: float) -> str:
    """``text`` broken into lines no wider than ``room`` points (greedy, at spaces; a word wider
    than the column is cut). Table cells are set as such pre-broken plain strings: reportlab draws
    them several times faster than Paragraphs, and a report has thousands of cells."""
    space = _width(" ", font, size)
    lines: list[str] = []
    for para in drawable(text).split("\n"):
        line: list[str] = []
        used = 0.0
        for word in para.split():
            w = _width(word, font, size)
            if line and used + space + w <= room:
                line.append(word)
                used += space + w
                continue
            if line:
                lines.append(" ".join(line))
            *whole, word = _split_word(word, font, size, room) if w > room else [word]
            lines += whole
            line, used = [word], _width(word, font, size)
        lines.append(" ".join(line))
    return "\n".join(lines)


def _grid(rows: list[list[str]], fonts: list[list[str]], col: list[float], size: float) -> list[list[str]]:
    return [[wrap_text(text, fonts[r][c], size, col[c] - 2 * CELL_PAD) for c, text in enumerate(row)]
            for r, row in enumerate(rows)]


def _table(item: Table, width: float) -> list[Flowable]:
    """A table of pre-wrapped plain-string cells; the header row repeats on every page."""
    st = styles()
    size, leading = st["cell"].fontSize, st["cell"].leading
    weights = item.widths or (1.0,) * len(item.header)
    col = [width * w / sum(weights) for w in weights]
    commands: list[tuple] = [("FONT", (0, 0), (-1, -1), FONT, size, leading),
                             ("FONT", (0, 0), (-1, 0), FONT_BOLD, size, leading)]
    fonts = [[FONT_BOLD] * len(item.header)] + [[FONT] * len(item.header) for _ in item.rows]
    if item.tone_column is not None:
        for r, tone in enumerate(item.tones, start=1):
            if tone:
                c = item.tone_column
                fonts[r][c] = FONT_BOLD
                commands += [("FONT", (c, r), (c, r), FONT_BOLD, size, leading),
                             ("TEXTCOLOR", (c, r), (c, r), TONE_COLOUR[tone])]
    data = _grid([list(item.header)] + [list(r) for r in item.rows], fonts, col, size)
    table = RLTable(data, colWidths=col, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands + [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#94a3b8")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#94a3b8")),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    head = [RLParagraph(_text(item.caption), st["caption"])] if item.caption else []
    if len(item.rows) <= KEEP_TOGETHER_ROWS:  # a short table is never split over two pages
        return [KeepTogether(head + [table]), Spacer(1, 4)]
    return ([CondPageBreak(KEEP_WITH_NEXT["caption"])] if head else []) + head + [table, Spacer(1, 4)]


def _key_values(item: KeyValueTable, width: float) -> list[Flowable]:
    size, leading = styles()["value"].fontSize, styles()["value"].leading
    col = [width * item.key_width, width * (1 - item.key_width)]
    fonts = [[FONT_BOLD, FONT] for _ in item.rows]
    table = RLTable(_grid([list(r) for r in item.rows], fonts, col, size), colWidths=col, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, size, leading),
        ("FONT", (0, 0), (0, -1), FONT_BOLD, size, leading),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return [table, Spacer(1, 5)]


def _note(item: Note, width: float) -> list[Flowable]:
    fill, edge = NOTE_COLOURS.get(item.kind, NOTE_COLOURS["info"])
    prefix = {"warning": "⚠ ", "disclaimer": ""}.get(item.kind, "")
    style = styles()["note"]
    if item.kind == "disclaimer":
        style = ParagraphStyle("disclaimer", parent=style, fontName=FONT_BOLD)
    box = RLTable([[RLParagraph(_text(prefix + item.text), style)]], colWidths=[width], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, colors.HexColor(edge)),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return [box, Spacer(1, 4)]


def _figure(item: Figure, width: float) -> list[Flowable]:
    w = min(item.width_mm * mm, width)
    h = w * item.height_mm / item.width_mm
    image = RLImage(io.BytesIO(item.png), width=w, height=h)
    image.hAlign = "LEFT"
    parts: list[Flowable] = [image]
    if item.caption:
        parts.append(RLParagraph(_text(item.caption), styles()["figcaption"]))
    return [KeepTogether(parts), Spacer(1, 6)]


def flowables(items: Iterable[Item], width: float) -> list[Flowable]:
    """reportlab flowables for ``items`` on a frame ``width`` points wide."""
    st = styles()
    out: list[Flowable] = []
    for item in items:
        if isinstance(item, Heading):
            style = f"h{min(max(item.level, 1), 3)}"
            out += [CondPageBreak(KEEP_WITH_NEXT[style]), RLParagraph(_text(item.text), st[style])]
        elif isinstance(item, Paragraph):
            out.append(RLParagraph(_text(item.text), st.get(item.style, st["body"])))
        elif isinstance(item, KeyValueTable):
            out += _key_values(item, width)
        elif isinstance(item, Table):
            out += _table(item, width)
        elif isinstance(item, Note):
            out += _note(item, width)
        elif isinstance(item, Figure):
            out += _figure(item, width)
        elif isinstance(item, PageBreak):
            out.append(RLPageBreak())
        else:
            raise TypeError(f"not a report item: {type(item).__name__}")
    return out


def _numbered_canvas(footer: str, case: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Defers each page until the total is known, to print "page x of y"."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            self.line(MARGIN, 11 * mm, width - MARGIN, 11 * mm)
            self.setFont(FONT, 7)
            self.setFillColor(colors.HexColor("#475569"))
            self.drawString(MARGIN, 7 * mm, footer)
            right = f"page {self._pageNumber} of {total}"
            if case:
                right = f"{drawable(case)} · {right}"
            self.drawRightString(width - MARGIN, 7 * mm, right)
            self.restoreState()

    return NumberedCanvas


def render_pdf(items: Iterable[Item], meta: Mapping[str, str] | None = None) -> bytes:
    """The PDF bytes of ``items`` (A4). ``meta``: title, subject, footer, case (all optional)."""
    meta = dict(meta or {})
    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=16 * mm, title=meta.get("title", "hccdecide report"),
                            author="hccdecide", subject=meta.get("subject", ""), creator="hccdecide")
    doc.build(flowables(items, doc.width),
              canvasmaker=_numbered_canvas(meta.get("footer", "hccdecide"), meta.get("case", "")))
    return buf.getvalue()
