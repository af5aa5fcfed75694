"""At launch the window paints first (form filled from the case) and assesses right after."""
from __future__ import annotations

import json

from hccdecide.gui.app import create_window
from hccdecide.patient import Patient

from conftest import EXAMPLE, _discard_changes


def launch(qtbot, case, settings):
    window = create_window(case, settings, open_after_paint=True)
    qtbot.addWidget(window, before_close_func=_discard_changes)
    return window


def test_the_form_shows_the_case_before_the_first_assessment(qtbot, settings):
    window = launch(qtbot, str(EXAMPLE), settings)
    example = Patient.from_file(EXAMPLE)
    assert window.controller.assessment is None  # nothing assessed before the window is painted
    assert window.form.editor("afp_ng_ml").editor.text() == f"{example['afp_ng_ml']:g}"
    window.show()
    qtbot.waitUntil(lambda: window.controller.assessment is not None, timeout=10000)
    assert window.controller.patient == example and window.controller.path == EXAMPLE
    assert window.results.regimen_list.topLevelItemCount() > 0  # the regimen list is filled
    assert not window.controller.dirty


def test_a_bad_case_at_launch_is_told_after_the_paint_and_the_empty_form_is_assessed(
        qtbot, settings, tmp_path, messages):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"ecog": 9}), encoding="utf-8")
    window = launch(qtbot, str(bad), settings)
    window.show()
    qtbot.waitUntil(lambda: window.controller.assessment is not None, timeout=10000)
    assert "bad.json" in messages[-1][1] and "ecog" in messages[-1][1]
    assert window.controller.patient == Patient()


def test_a_launch_without_a_case_is_assessed_after_the_paint(qtbot, settings):
    window = launch(qtbot, None, settings)
    assert window.controller.assessment is None
    window.show()
    qtbot.waitUntil(lambda: window.controller.assessment is not None, timeout=10000)
