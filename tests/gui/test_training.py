"""Training mode: the resident answers, reveals, and reads criterion-by-criterion feedback."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hccdecide.engine.training import training_cases


def open_case(qtbot, window, file_name: str):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key_T, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window._training is not None and window._training.isVisible())
    t = window._training
    t.case_list.setCurrentRow([c.file for c in t.cases].index(file_name))
    return t


def test_every_listed_case_has_a_vignette_and_opens(qtbot, window):
    t = window.open_training()
    assert t.case_list.count() == len(training_cases()) >= 9
    for row in range(t.case_list.count()):
        t.case_list.setCurrentRow(row)
        assert t.assessment is not None
        text = t.case_view.toPlainText()
        assert t.cases[row].vignette[:40] in text and "Learning focus" in text
        assert "Training —" not in text  # the case label stays out of the read-only values


def test_reveal_names_a_missed_regimen_and_the_stratum_factors(qtbot, window):
    t = open_case(qtbot, window, "training_decompensated.json")
    qtbot.mouseClick(t.checks["palliative_rt"], Qt.LeftButton)
    t.strata.buttons()[0].setChecked(True)  # "low"; the model does not apply (Yan treated Child-Pugh 5-8)
    qtbot.mouseClick(t.reveal_button, Qt.LeftButton)
    fb = t.feedback
    # Child-Pugh C13, ECOG 3: no regimen is eligible, so nothing is missed; RT + TKI is an open question
    assert fb is not None and fb.missed == () and "rt_tki" in {r.key for r in fb.open}
    text = t.feedback_view.toPlainText()
    assert t.case_view.isVisibleTo(t) and t.feedback_view.isVisibleTo(t)  # beside the answer, not instead
    assert "Uncertain: open questions, not scored" in text
    assert f"{window.library.regimens['rt_tki'].name} — you did not tick it" in text
    assert "Yan 2025" in text
    assert "✗ Risk stratum" in text and "accepted: not applicable" in text
    assert "PT above 14.5 s" in text and "Child-Pugh B" in text
    assert "palliative_rt" not in {r.key for r in fb.wrong}


def test_ticking_an_excluded_regimen_shows_the_unmet_criteria(qtbot, window):
    t = open_case(qtbot, window, "training_small_untreated.json")
    t.checks["rt_systemic_nodal"].setChecked(True)
    t.reveal()
    text = t.feedback_view.toPlainText()
    assert "Ticked but not supported" in text
    assert "✗ not met: Nodal metastasis" in text and "Lymph-node metastasis no" in text


def test_open_in_main_window_asks_before_replacing_unsaved_work(qtbot, window, answer):
    window.form.editor("afp_ng_ml").editor.setText("")
    window.controller.set_value("afp_ng_ml", 999)
    mine = window.controller.patient
    t = open_case(qtbot, window, "training_painful_liver.json")
    asked = answer("cancel")
    qtbot.mouseClick(t.open_button, Qt.LeftButton)
    assert asked and window.controller.patient is mine
    answer("discard")
    qtbot.mouseClick(t.open_button, Qt.LeftButton)
    assert window.controller.patient == t.patient


def test_case_values_read_in_clinical_words(qtbot, window):
    t = open_case(qtbot, window, "training_decompensated.json")
    text = t.case_view.toPlainText()
    # the stored choices "moderate_severe" and "grade_1_2", as the form names them
    assert "moderate to severe" in text and "grade 1–2" in text
    assert "moderate severe" not in text and "grade 1 2" not in text
