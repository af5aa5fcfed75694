"""The PDF report for the MDT record: declarative items (:mod:`.content`) rendered by :mod:`.pdf`.

    >>> from hccdecide.engine.assessment import assess, bands_for
    >>> a = assess(patient)
    >>> write_pdf(a, "case.pdf", bands=bands_for(a.curves), anonymous=True)

Charts are drawn with matplotlib's Agg canvas (:mod:`.charts`); nothing here imports Qt.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from hccdecide.atomic_file import write_atomically
from hccdecide.engine.assessment import Assessment
from hccdecide.engine.uncertainty import Band
from hccdecide.report.content import build_items, report_meta
from hccdecide.report.items import plain_text

__all__ = ["write_pdf", "write_summary_pdf", "build_items", "plain_text", "pdf_bytes"]


def pdf_bytes(assessment: Assessment, bands: Mapping[int, Band] | None = None, anonymous: bool = False,
              discussion_note: str = "", audit: Sequence[Any] = ()) -> bytes:
    """The report as PDF bytes (see :func:`write_pdf`)."""
    from hccdecide.report.pdf import render_pdf  # reportlab loads only when a PDF is made

    items = build_items(assessment, bands, anonymous=anonymous, discussion_note=discussion_note, audit=audit)
    return render_pdf(items, report_meta(assessment, anonymous))


def write_pdf(assessment: Assessment, path: str | Path, bands: Mapping[int, Band] | None = None,
              anonymous: bool = False, discussion_note: str = "", audit: Sequence[Any] = ()) -> Path:
    """Write the MDT report of ``assessment`` to ``path`` (A4 PDF) and return the path.

    Parameters
    ----------
    assessment : Assessment
        From :func:`hccdecide.engine.assessment.assess`.
    path : str or Path
        The PDF file; written atomically (a temporary file, then a rename).
    bands : dict of int to Band, optional
        95% bands from :func:`hccdecide.engine.assessment.bands_for`; without them the estimates
        are printed without bands and the report says so.
    anonymous : bool
        Leave out identifying fields (the case label) from the text, the footer and the metadata.
    discussion_note : str
        Free text of the MDT discussion, printed under the disclaimer.
    audit : sequence of hccdecide.store.AuditRow, optional
        The case's save history in the store (who saved, when, app and evidence), printed in the record.
    """
    return write_atomically(pdf_bytes(assessment, bands, anonymous, discussion_note, audit), path)


def write_summary_pdf(assessment: Assessment, path: str | Path, bands: Mapping[int, Band] | None = None,
                      anonymous: bool = False, discussion_note: str = "") -> Path:
    """Write the one-page MDT record (one A4 page; see :mod:`hccdecide.report.summary_page`)."""
    from hccdecide.report.summary_page import summary_pdf_bytes

    return write_atomically(summary_pdf_bytes(assessment, bands, anonymous, discussion_note), path)
