"""Export the current assessment as a PDF report: a small dialog for the discussion note and anonymity.

The report itself is :func:`hccdecide.report.write_pdf` (no Qt); it is imported when first used so
reportlab does not slow the window's start.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout,
                               QWidget)


@dataclass(frozen=True)
class PdfOptions:
    discussion_note: str = ""
    anonymous: bool = False
    full_record: bool = False  # default export: the one-page record


class PdfOptionsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, anonymous: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Export PDF report")
        self.note = QPlainTextEdit()
        self.note.setObjectName("discussionNote")
        self.note.setPlaceholderText("Optional: what the tumour board discussed or decided")
        self.note.setTabChangesFocus(True)  # Tab moves on instead of typing a tab: keyboard users
        self.anonymous = QCheckBox("&Anonymous (leave out the case label and other identifying fields)")
        self.anonymous.setObjectName("anonymousReport")
        self.anonymous.setChecked(anonymous)
        self.full_record = QCheckBox("&Full record (every criterion, figure and source; several pages) instead "
                                     "of the one-page record")
        self.full_record.setObjectName("fullRecord")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        label = QLabel("&Discussion note:")
        label.setBuddy(self.note)
        layout.addWidget(label)
        layout.addWidget(self.note)
        layout.addWidget(self.anonymous)
        layout.addWidget(self.full_record)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def options(self) -> PdfOptions:
        return PdfOptions(self.note.toPlainText().strip(), self.anonymous.isChecked(), self.full_record.isChecked())


def ask_pdf_options(parent: QWidget | None, anonymous: bool = False) -> PdfOptions | None:
    """The user's choices, or None when cancelled (patchable in tests)."""
    dialog = PdfOptionsDialog(parent, anonymous)
    return dialog.options() if dialog.exec() == QDialog.Accepted else None


def write_report(assessment, path, bands: dict, options: PdfOptions, audit=()) -> None:
    """The one-page record by default, the full record when asked. ``audit``: the case's save history in
    the store, printed in the full record."""
    from hccdecide.report import write_pdf, write_summary_pdf  # reportlab loads here, on the first export

    if not options.full_record:
        write_summary_pdf(assessment, path, bands=bands, anonymous=options.anonymous,
                          discussion_note=options.discussion_note)
        return
    write_pdf(assessment, path, bands=bands, anonymous=options.anonymous, discussion_note=options.discussion_note,
              audit=audit)
