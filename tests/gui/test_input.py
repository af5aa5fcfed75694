"""Input that cannot silently change a case: complete entries only, no wheel changes, named ignored fields."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from screen_sizes import LAPTOP, PROJECTOR

SIZES = [pytest.param(LAPTOP, id="1366x768"), pytest.param(PROJECTOR, id="1280x720")]


def committed_values(window) -> list:
    seen: list = []
    window.form.value_committed.connect(lambda key, value: seen.append((key, value)))
    return seen


def retype(qtbot, window, key: str, text: str) -> None:
    edit = window.form.editor(key).editor
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


@pytest.mark.parametrize("size", SIZES)
def test_partial_keystrokes_are_never_committed(qtbot, window_on, size):
    w = window_on(size)
    seen = committed_values(w)
    before = w.controller.patient["sum_diameter_cm"]
    retype(qtbot, w, "sum_diameter_cm", "12")
    assert seen == [] and w.controller.patient["sum_diameter_cm"] == before  # still typing: "1" never reaches the case
    qtbot.keyClick(w.form.editor("sum_diameter_cm").editor, Qt.Key_Return)
    assert seen == [("sum_diameter_cm", 12)]
    assert w.controller.patient["sum_diameter_cm"] == 12


def test_an_invalid_entry_leaves_the_case_as_it_was(qtbot, window):
    seen = committed_values(window)
    before = window.controller.patient["ecog"]
    retype(qtbot, window, "ecog", "12")  # "1" is valid on the way; it must not reach the case
    qtbot.keyClick(window.form.editor("ecog").editor, Qt.Key_Return)
    assert seen == [] and window.controller.patient["ecog"] == before


def test_a_pause_in_typing_ends_the_entry(qtbot, window):
    retype(qtbot, window, "afp_ng_ml", "1200")
    qtbot.waitUntil(lambda: window.controller.patient["afp_ng_ml"] == 1200, timeout=3000)


def wheel_over(widget) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(widget.rect().center())), QPoint(0, 0),
                        QPoint(0, -120), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


@pytest.mark.parametrize("size", SIZES)
def test_the_wheel_never_changes_an_unfocused_box(qtbot, window_on, size):
    w = window_on(size)
    w.form.editor("afp_ng_ml").editor.setFocus()
    before = w.controller.patient
    for key in ("ascites", "encephalopathy", "sex", "cirrhosis"):
        box = w.form.editor(key).editor
        index = box.currentIndex()
        wheel_over(box)
        assert box.currentIndex() == index, key
    unit = w.form.editor("albumin_g_l").unit_box
    wheel_over(unit)
    assert unit.currentIndex() == 0
    assert w.controller.patient is before


@pytest.mark.parametrize("size", SIZES)
def test_an_ignored_field_is_listed_on_the_results_side(qtbot, window_on, size):
    w = window_on(size)
    retype(qtbot, w, "afp_ng_ml", "abc")
    assert w.ignored.isVisible()
    assert "AFP ignored: 'abc' is not a number" in w.ignored.text()
    assert w.controller.patient["afp_ng_ml"] == 850  # the last valid value
    retype(qtbot, w, "afp_ng_ml", "900")
    qtbot.keyClick(w.form.editor("afp_ng_ml").editor, Qt.Key_Return)
    assert not w.ignored.isVisible()


@pytest.mark.parametrize("key, text, expected", [
    ("afp_ng_ml", "20000000", "'20000000' is outside 0–10 000 000 ng/mL"),
    ("ecog", "7", "'7' is outside 0–4"),
    ("tumour_count", "2.5", "'2.5' is not a whole number"),
])
def test_messages_use_label_unit_and_range(qtbot, window, key, text, expected):
    retype(qtbot, window, key, text)
    message = window.form.editor(key).error.text()
    assert expected in message
    for raw in (key, "null", "e+0", "None"):
        assert raw not in message and raw not in window.ignored.text()


def test_albumin_with_a_decimal_comma_suggests_g_per_dl(qtbot, window):
    retype(qtbot, window, "albumin_g_l", "3,9")
    message = window.form.editor("albumin_g_l").error.text()
    assert "outside 10–60 g/L" in message and "probably g/dL" in message
    window.form.editor("albumin_g_l").unit_box.setCurrentIndex(1)  # the user takes the suggestion
    assert window.controller.patient["albumin_g_l"] == pytest.approx(39)


def test_quit_asks_when_only_invalid_text_is_left(qtbot, window, answer):
    retype(qtbot, window, "afp_ng_ml", "abc")
    assert not window.controller.dirty
    asked = answer("cancel")
    window.close()
    assert asked and "AFP" in asked[0] and window.isVisible()


def test_quit_commits_a_value_still_being_typed_and_asks(qtbot, window, answer):
    retype(qtbot, window, "afp_ng_ml", "1200")
    asked = answer("cancel")
    window.close()
    assert asked and window.controller.patient["afp_ng_ml"] == 1200


def test_ctrl_e_opens_the_evidence_browser_from_a_text_field(qtbot, window):
    field = window.form.editor("afp_ng_ml").editor
    field.setFocus()
    qtbot.keyClick(field, Qt.Key_E, Qt.ControlModifier)
    assert window._evidence is not None and window._evidence.isVisible()
