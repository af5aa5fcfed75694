"""An edit redraws only what changed, so that typing stays quick with the curves showing.

- The risk charts of the same model are updated in place and show exactly what a fresh drawing shows.
- Text above the charts that an edit rewords does not resize them (which would draw them afresh).
- Tables whose rows did not change are kept as they are; hidden tables are fitted when shown.
Speed itself is measured by benchmarks/run.py, not here.
"""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.gui.charts import ChartPair
from hccdecide.gui.steady_height import SteadyColumn

from screen_sizes import LAPTOP, PROJECTOR
from test_screens import horizontal_overflow

SIZES = [pytest.param(LAPTOP, id="1366x768"), pytest.param(PROJECTOR, id="1280x720")]
ALT_CUT_OFF = 35  # U/L: the example's OS model counts ALT above this as adverse (seed table of the model)


def settle(window) -> None:
    QApplication.processEvents()
    window.controller.wait_for_workers(20000)
    QApplication.processEvents()


def first_shown_curve(a):
    return next(c for c in a.curves if c.shown)


def pixels(canvas) -> np.ndarray:
    return np.asarray(canvas.buffer_rgba()).copy()


def drawn_pair(qtbot, curve, band) -> ChartPair:
    pair = ChartPair()
    qtbot.addWidget(pair)
    pair.resize(900, 330)
    pair.show()
    qtbot.waitExposed(pair)
    pair.draw(curve, band)
    QApplication.processEvents()
    return pair


def test_a_chart_updated_in_place_shows_what_a_fresh_drawing_shows(qtbot, library, example_patient):
    above, below = (assess(example_patient.replace(alt_u_l=v), library) for v in (ALT_CUT_OFF + 15, ALT_CUT_OFF - 5))
    c_above, c_below = first_shown_curve(above), first_shown_curve(below)
    assert (c_above.study.id, c_above.model.id) == (c_below.study.id, c_below.model.id)
    assert not np.array_equal(c_above.survival, c_below.survival)  # the edit changes the curve
    band_above, band_below = bands_for([c_above])[0], bands_for([c_below])[0]

    pair = drawn_pair(qtbot, c_above, band_above)
    drawn_above = pixels(pair.survival), pixels(pair.forest)
    full = pair.survival.full_draws, pair.forest.full_draws
    pair.draw(c_below, band_below)
    QApplication.processEvents()
    assert (pair.survival.full_draws, pair.forest.full_draws) == full  # updated in place

    fresh = drawn_pair(qtbot, c_below, band_below)
    for updated, new, old in zip((pair.survival, pair.forest), (fresh.survival, fresh.forest), drawn_above):
        assert np.array_equal(pixels(updated), pixels(new)), updated.objectName()
        assert not np.array_equal(pixels(updated), old), updated.objectName()  # and it did change


def test_a_chart_of_another_model_is_drawn_afresh(qtbot, library, example_patient):
    a = assess(example_patient, library)
    os_curve = first_shown_curve(a)
    pfs_curve = next(c for c in a.curves if c.shown and c.model.endpoint != os_curve.model.endpoint)
    pair = drawn_pair(qtbot, os_curve, None)
    full = pair.survival.full_draws, pair.forest.full_draws
    pair.draw(pfs_curve, None)
    QApplication.processEvents()
    assert pair.survival.full_draws > full[0] and pair.forest.full_draws > full[1]
    assert pfs_curve.model.endpoint in pair.survival.ax.get_title()
    labels = [t.get_text() for t in pair.forest.ax.get_yticklabels()]
    assert any("node" in text for text in labels) and not any("ALT" in text for text in labels)


@pytest.mark.parametrize("size", SIZES)
def test_an_edit_draws_no_chart_afresh(qtbot, window_on, size):
    w = window_on(size)
    w.tabs.setCurrentWidget(w.risk)
    qtbot.waitUntil(lambda: w.risk._charts is not None)
    w.controller.set_value("alt_u_l", ALT_CUT_OFF + 15)
    for _ in range(3):  # the first layout of the tab takes a few passes
        settle(w)
    charts = w.risk._charts
    full = charts.survival.full_draws, charts.forest.full_draws
    height = charts.survival.height()
    patient = next(line for line in charts.survival.ax.get_lines() if line.get_label() == "this patient")
    before = patient.get_ydata().copy()
    w.controller.set_value("alt_u_l", ALT_CUT_OFF - 5)  # rewords the stratum and the prediction
    settle(w)
    i, c = w.risk.current_curve()
    assert not np.array_equal(before, patient.get_ydata())
    assert np.allclose(patient.get_ydata(), 100 * c.survival)
    assert (charts.survival.full_draws, charts.forest.full_draws) == full
    assert charts.survival.height() == height >= 220


def test_the_text_column_grows_but_keeps_its_height_for_the_same_subject(qtbot):
    label = QLabel("short")
    label.setWordWrap(True)
    column = SteadyColumn(label)
    host = QWidget()  # as in the risk view: the column above a part that takes the rest
    layout = QVBoxLayout(host)
    layout.addWidget(column)
    below = QWidget()
    layout.addWidget(below, 1)
    qtbot.addWidget(host)
    host.resize(300, 600)
    host.show()
    qtbot.waitExposed(host)

    def show(text: str, subject: str) -> int:
        label.setText(text)
        column.hold(subject)
        for _ in range(3):
            QApplication.processEvents()
        return below.y()

    short = show("short", "model A")
    tall = show(" ".join(["a long line of words"] * 12), "model A")
    assert tall > short + 2 * label.fontMetrics().height()
    assert show("short", "model A") == tall  # the same model: what is below does not move
    assert show("short", "model B") == short  # another model: the column fits its text again


def test_an_edit_that_changes_no_row_keeps_the_risk_tables(qtbot, window):
    window.tabs.setCurrentWidget(window.risk)
    qtbot.waitUntil(lambda: window.risk._charts is not None)
    settle(window)
    window.controller.set_value("alt_u_l", ALT_CUT_OFF + 15)
    settle(window)
    tables = window.risk.factors, window.risk.reported
    rows = [[t.topLevelItem(i) for i in range(t.topLevelItemCount())] for t in tables]
    window.controller.set_value("alt_u_l", ALT_CUT_OFF + 16)  # still above the cut-off: same rows
    settle(window)
    assert [[t.topLevelItem(i) for i in range(t.topLevelItemCount())] for t in tables] == rows
    alt = next(item for item in rows[0] if "ALT" in item.text(0))
    assert str(ALT_CUT_OFF + 16) in alt.toolTip(1)  # the row's details follow the value
    window.controller.set_value("alt_u_l", ALT_CUT_OFF - 5)  # below it: the ALT row says so
    settle(window)
    factors = window.risk.factors
    alt = [factors.topLevelItem(i) for i in range(factors.topLevelItemCount()) if "ALT" in factors.topLevelItem(i).text(0)]
    assert [item.text(1) for item in alt] == ["absent"]


@pytest.mark.parametrize("size", SIZES)
def test_tables_changed_while_hidden_fit_when_shown(qtbot, window_on, size):
    w = window_on(size)
    w.tabs.setCurrentWidget(w.risk)
    w.controller.set_value("ecog", 1)
    w.controller.set_value("alt_u_l", ALT_CUT_OFF + 20)
    settle(w)
    w.tabs.setCurrentWidget(w.results)
    QApplication.processEvents()
    QApplication.processEvents()
    tree = w.results.regimen_list
    assert tree.topLevelItemCount() > 0
    assert horizontal_overflow(tree) == 0
    assert sum(tree.header().sectionSize(c) for c in range(tree.header().count())) >= tree.viewport().width() - 4


def test_a_wrapped_row_whose_text_grows_takes_its_new_height_at_unchanged_widths(qtbot):
    """The column fitter lays the rows out again only when a width changed; a row whose wrapped text
    got longer must still grow (the tree measures changed rows itself)."""
    from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

    from hccdecide.gui.columns import fit_columns

    tree = QTreeWidget()
    tree.setHeaderLabels(["Criterion", "Patient"])
    fitter = fit_columns(tree, {0: 1})
    qtbot.addWidget(tree)
    tree.resize(360, 300)
    tree.show()
    qtbot.waitExposed(tree)
    item = QTreeWidgetItem(["Child-Pugh A", "yes"])
    tree.addTopLevelItem(item)
    qtbot.waitUntil(lambda: not fitter._timer.isActive())
    widths = [tree.header().sectionSize(c) for c in range(2)]
    one_line = tree.visualItemRect(item).height()
    item.setText(0, "Child-Pugh A or B7 with no ascites needing treatment, bilirubin under twice the "
                    "upper limit of normal and an albumin of at least 28 g/L")
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not fitter._timer.isActive())
    assert [tree.header().sectionSize(c) for c in range(2)] == widths  # the widths did not change
    assert tree.visualItemRect(item).height() >= 3 * one_line
