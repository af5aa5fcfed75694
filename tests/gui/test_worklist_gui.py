"""MDT worklist in the window: a real CSV and XLSX opened from the File menu, stepped through with
Ctrl+Page Down / Ctrl+Page Up, unsaved edits asked about, hidden in presentation mode, fitted to 1280×720."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, UNCERTAIN
from hccdecide.engine.plain_summary import at_a_glance
from hccdecide.engine.assessment import assess
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir
from screen_sizes import PROJECTOR, screen_sized

pytestmark = pytest.mark.gui
CASES = [cases_dir() / n for n in ("example_nodal_disease.json", "training_decompensated.json",
                                   "training_small_untreated.json")]
ORDER = {ELIGIBLE: 0, UNCERTAIN: 1, INELIGIBLE: 2}


def _cells(path: Path, label: str | None) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("case_label", None)
    if label:
        data["case_label"] = label
    return {k: ";".join(v) if isinstance(v, list) else ("yes" if v else "no") if isinstance(v, bool) else str(v)
            for k, v in data.items() if v is not None}


def _table(folder, suffix: str, labels: bool = True):
    rows = [_cells(p, f"Mr Example {i}" if labels else None) for i, p in enumerate(CASES)]
    rows.insert(1, {"ecog": "7", **({"case_label": "Ms Typo"} if labels else {})})  # row 3 is bad
    frame = pd.DataFrame(rows).fillna("")
    path = folder / f"mdt{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False, engine="openpyxl")
    return path


def _expected(i: int, labels: bool = True) -> Patient:
    p = Patient.from_file(CASES[i]).replace(case_label=None)
    return p.replace(case_label=f"Mr Example {i}") if labels else p


def _action(window, shortcut: str):
    return next(a for a in window.actions() if shortcut in [s.toString() for s in a.shortcuts()])


def _menu_action(window, text: str):
    return next(a for a in window.actions() if a.text().replace("&", "").startswith(text))


@pytest.fixture
def opened(window, tmp_path, monkeypatch):
    """The worklist CSV opened through File ▸ Open worklist…"""
    path = _table(tmp_path, ".csv")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    _menu_action(window, "Open worklist").trigger()
    return window.worklist()


def test_open_from_the_file_menu_lists_rows_labels_and_the_bad_row(qtbot, window, opened):
    w = opened.window
    qtbot.waitExposed(w)
    table = w.table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == \
        ["Row", "Case label", "Best status"]
    assert [table.item(r, 0).text().lstrip("▶ ") for r in range(table.rowCount())] == ["2", "3", "4", "5"]
    # the bad row: listed with its number and key, cannot be selected or opened
    assert table.item(1, 2).text() == "not read: ecog" and table.item(1, 0).flags() == Qt.NoItemFlags
    assert "row 3: ecog: '7' is not accepted" in w.bad.text()
    assert not opened.open_row(1)
    # the first patient is in the form, not tied to a file, and its best status is assess's
    assert window.controller.patient.values == _expected(0).values
    assert window.controller.path is None and not window.controller.dirty
    for r, i in ((0, 0), (2, 1), (3, 2)):
        statuses = [m.status for m in assess(_expected(i), window.library).matches]
        best = min(statuses, key=ORDER.__getitem__)
        assert table.item(r, 2).text().split(" · ")[0] == f"{'✓?✗'[ORDER[best]]} {best}"
        assert table.item(r, 1).text() == f"Mr Example {i}"
    assert table.item(0, 0).text().startswith("▶") and window.findChild(type(opened.position),
                                                                         "worklistPosition").text() \
        == "Worklist: patient 1 of 3"


def test_ctrl_page_down_and_up_step_through_the_patients(qtbot, window, opened):
    forward, back = _action(window, "Ctrl+PgDown"), _action(window, "Ctrl+PgUp")
    assert forward.shortcutContext() == Qt.ApplicationShortcut  # from any field of any window
    forward.trigger()  # row 3 is bad: skipped
    assert window.controller.patient.values == _expected(1).values and opened.current == 1
    forward.trigger()
    assert window.controller.patient.values == _expected(2).values
    forward.trigger()  # past the end: nothing changes, the status bar says so
    assert window.controller.patient.values == _expected(2).values
    assert "last patient" in window.statusBar().currentMessage()
    back.trigger()
    assert window.controller.patient.values == _expected(1).values
    qtbot.waitUntil(lambda: window.summary.ready, timeout=10000)
    expected = at_a_glance(window.controller.assessment, window.summary.bands, window.summary.glance.next_data)
    assert window.summary.glance.sentences == expected.sentences  # the summary is the stepped-to patient's
    # Enter on a row opens it
    opened.window.table.setCurrentCell(0, 0)
    opened.window.table.activated.emit(opened.window.table.currentIndex())
    assert window.controller.patient.values == _expected(0).values


def test_unsaved_edits_are_asked_about_and_kept_on_cancel(qtbot, window, opened, answer):
    window.controller.set_value("ecog", 2)
    asked = answer("cancel")
    _action(window, "Ctrl+PgDown").trigger()
    assert asked and "unsaved changes" in asked[0]
    assert window.controller.patient["ecog"] == 2 and window.controller.dirty and opened.current == 0
    answer("discard")
    _action(window, "Ctrl+PgDown").trigger()
    assert window.controller.patient.values == _expected(1).values and not window.controller.dirty


def test_xlsx_without_labels_has_no_label_column(qtbot, window, tmp_path):
    nav = window.worklist()
    assert nav.open_file(_table(tmp_path, ".xlsx", labels=False))
    table = nav.window.table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == ["Row", "Best status"]
    assert window.controller.patient.values == _expected(0, labels=False).values
    _action(window, "Ctrl+PgDown").trigger()
    assert window.controller.patient.values == _expected(1, labels=False).values


def test_a_table_that_cannot_be_read_leaves_the_case_alone(qtbot, window, tmp_path, messages):
    before = window.controller.patient
    path = tmp_path / "wrong.csv"
    path.write_text("ecog,favourite_colour\n1,blue\n", encoding="utf-8")
    assert not window.worklist().open_file(path)
    assert messages and "favourite_colour" in messages[-1][1]
    assert window.controller.patient is before


def test_presentation_hides_the_list_and_follows_the_worklist(qtbot, window, opened):
    qtbot.waitExposed(opened.window)
    p = window.open_presentation()
    qtbot.waitExposed(p)
    assert not opened.window.isVisible()  # labels identify: not beside the slides
    p.go_to(3)
    _action(window, "Ctrl+PgDown").trigger()
    assert p.index == 0 and "patient 2 of 3" in p.hint.text()
    expected = at_a_glance(window.controller.assessment, window.controller.bands).sentences[0]
    assert expected.split(",")[0] in p.current_text().replace("&nbsp;", " ")
    assert "Mr Example" not in p.all_text()
    p.close()
    qtbot.waitUntil(opened.window.isVisible, timeout=3000)


def test_the_list_fits_a_1280x720_projector_without_sideways_scrolling(qtbot, window, opened):
    screen = screen_sized(*PROJECTOR)
    window.setScreen(screen)
    window.move(screen.availableGeometry().topLeft())  # the list opens on the main window's screen
    w = opened.window
    w.hide()
    w.setScreen(screen)
    opened.show_window()
    qtbot.waitExposed(w)
    QApplication.processEvents()
    area = screen.availableGeometry()
    assert area.contains(w.frameGeometry()) or area.contains(w.geometry())
    table = w.table
    columns = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert columns <= table.viewport().width()
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff
    for button in (w.previous_button, w.next_button, w.open_button):
        assert button.focusPolicy() & Qt.TabFocus  # keyboard-reachable
