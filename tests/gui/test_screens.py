"""The app on the screens people have: a 1366×768 laptop and a 1280×720 projector, style sheet loaded."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScrollArea, QTreeView

from hccdecide.gui import screen_fit
from hccdecide.gui.main_window import MainWindow

from screen_sizes import LAPTOP, PROJECTOR, screen_sized

SIZES = [pytest.param(LAPTOP, id="1366x768"), pytest.param(PROJECTOR, id="1280x720")]


def fits_screen(widget, size) -> bool:
    area = screen_sized(*size).availableGeometry()
    return area.contains(widget.frameGeometry()) and widget.minimumSizeHint().height() <= area.height() \
        and widget.minimumSizeHint().width() <= area.width()


def horizontal_overflow(area: QAbstractScrollArea) -> int:
    """How many pixels of content lie beyond the pane's width (0 = nothing to scroll sideways)."""
    if isinstance(area, QTreeView):
        return max(0, area.header().length() - area.viewport().width())
    if isinstance(area, QScrollArea) and area.widget() is not None:
        return max(0, area.widget().minimumSizeHint().width() - area.viewport().width())
    return area.horizontalScrollBar().maximum()


def visible_panes(window):
    return [a for a in window.findChildren(QAbstractScrollArea) if a.isVisible() and a.viewport().width() > 0]


@pytest.mark.parametrize("size", SIZES)
def test_first_launch_fits_the_screen(window_on, size):
    w = window_on(size)
    area = screen_sized(*size).availableGeometry()
    assert fits_screen(w, size)
    assert w.width() <= 0.9 * area.width() + 1 and w.height() <= 0.9 * area.height() + 1


def test_saved_geometry_restored_only_when_it_fits(qtbot, library, settings, messages):
    first = MainWindow(library, settings)
    qtbot.addWidget(first)
    first.setGeometry(100, 100, 1000, 700)
    first.close()  # saves the geometry
    second = MainWindow(library, QSettings(settings.fileName(), QSettings.IniFormat))
    qtbot.addWidget(second)
    assert (second.x(), second.y(), second.width(), second.height()) == (100, 100, 1000, 700)
    second.setGeometry(0, 0, 3000, 1800)  # larger than any screen of this machine
    screen_fit.restore_or_fit(second, second.saveGeometry(), second.size())
    assert screen_fit.fits(second)


def test_unreadable_saved_geometry_gives_a_fresh_size(qtbot, library, settings, messages):
    settings.setValue("window/geometry", QByteArray(b"not a geometry"))
    w = MainWindow(library, settings)
    qtbot.addWidget(w)
    assert screen_fit.fits(w)


@pytest.mark.parametrize("size", SIZES)
def test_charts_are_at_least_220_px_tall(qtbot, window_on, size):
    w = window_on(size)
    w.tabs.setCurrentWidget(w.risk)
    qtbot.waitUntil(lambda: w.risk._charts is not None and w.risk._charts.isVisible())
    QApplication.processEvents()
    for canvas in (w.risk._charts.survival, w.risk._charts.forest):
        assert canvas.height() >= 220, canvas.objectName()
    assert fits_screen(w, size)


def one_regimen_per_status(window) -> list[int]:
    tree = window.results.regimen_list
    rows = {}
    for row in range(tree.topLevelItemCount()):
        rows.setdefault(tree.regimens[row].status, row)
    return sorted(rows.values())


@pytest.mark.parametrize("size", SIZES)
def test_no_pane_scrolls_sideways(qtbot, window_on, size):
    w = window_on(size)
    detail = w.results.detail
    for row in one_regimen_per_status(w):
        w.results.regimen_list.setCurrentItem(w.results.regimen_list.topLevelItem(row))
        for tab in range(detail.tabs.count()):
            detail.tabs.setCurrentIndex(tab)
            QApplication.processEvents()
            wide = {a.objectName(): horizontal_overflow(a) for a in visible_panes(w) if horizontal_overflow(a)}
            assert not wide, (row, detail.tabs.tabText(tab), wide)
    w.tabs.setCurrentWidget(w.risk)
    qtbot.waitUntil(lambda: w.risk._charts is not None)
    QApplication.processEvents()
    wide = {a.objectName(): horizontal_overflow(a) for a in visible_panes(w) if horizontal_overflow(a)}
    assert not wide


@pytest.mark.parametrize("size", SIZES)
def test_secondary_windows_fit(qtbot, window_on, size):
    w = window_on(size)
    for view in (w.open_evidence_browser(), w.open_training()):
        QApplication.processEvents()
        assert fits_screen(view, size), view.objectName()


def form_label(w):
    return w.form._rows["Liver function"][0][0]


@pytest.mark.parametrize("size", SIZES)
def test_five_ctrl_plus_grow_the_form_text(qtbot, window_on, size):
    w = window_on(size)
    label, field = form_label(w), w.form.editor("afp_ng_ml").editor
    before = label.fontInfo().pointSizeF(), field.fontInfo().pointSizeF()
    field.setFocus()
    for _ in range(5):
        qtbot.keyClick(field, Qt.Key_Plus, Qt.ControlModifier)
    after = label.fontInfo().pointSizeF(), field.fontInfo().pointSizeF()
    assert after[0] >= 1.4 * before[0] and after[1] >= 1.4 * before[1]
    assert w.results.regimen_list.fontInfo().pointSizeF() >= 1.4 * before[0]
    assert fits_screen(w, size)


def test_ctrl_equals_zooms_in_and_ctrl_minus_zooms_out(qtbot, window):
    field = window.form.editor("afp_ng_ml").editor
    base = form_label(window).fontInfo().pointSizeF()
    qtbot.keyClick(field, Qt.Key_Equal, Qt.ControlModifier)
    assert form_label(window).fontInfo().pointSizeF() > base
    qtbot.keyClick(field, Qt.Key_Minus, Qt.ControlModifier)
    qtbot.keyClick(field, Qt.Key_Minus, Qt.ControlModifier)
    assert form_label(window).fontInfo().pointSizeF() < base


def test_zoom_reaches_the_chart_text_and_other_windows(qtbot, window):
    window.tabs.setCurrentWidget(window.risk)
    qtbot.waitUntil(lambda: window.risk._charts is not None)
    charts = window.risk._charts
    title = charts.survival.ax.xaxis.label
    before = title.get_fontsize()
    browser = window.open_evidence_browser()
    text_before = browser.fontInfo().pointSizeF()
    for _ in range(3):
        window.zoom(1.1)
    assert title.get_fontsize() == pytest.approx(before * 1.331, rel=0.02)
    assert browser.fontInfo().pointSizeF() >= 1.3 * text_before


def test_zoom_level_is_remembered(qtbot, library, settings, messages):
    first = MainWindow(library, settings)
    qtbot.addWidget(first)
    for _ in range(3):
        first.zoom(1.1)
    first.close()
    again = MainWindow(library, QSettings(settings.fileName(), QSettings.IniFormat))
    qtbot.addWidget(again)
    assert form_label(again).font().pointSizeF() == pytest.approx(10 * 1.331, rel=0.01)
