"""The evidence browser's study list says which records are qualitative (discussed without figures)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from hccdecide.gui.evidence_browser import COLUMNS, StudyTableModel


def test_qualitative_records_are_marked_in_the_design_column(qtbot, library):
    model = StudyTableModel(library)
    design = COLUMNS.index("Design")
    by_id = {s.id: model.data(model.index(row, design), Qt.DisplayRole)
             for row, s in enumerate(library.studies)}
    assert "qualitative, no figures" in by_id["bush2023_pbt_vs_tace"]  # review, Particle Therapy: no figures
    assert "qualitative" not in by_id["xi2025_sbrt_vs_rfa"]  # Table 1 gives its figures
