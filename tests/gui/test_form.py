"""The patient form: typing updates derived values and statuses at once; bad input never loses the case."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hccdecide.patient import FIELDS


def type_into(qtbot, window, key: str, text: str) -> None:
    edit = window.form.editor(key).editor
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key_Return)  # the entry is complete: the value reaches the case


def choose(window, key: str, value) -> None:
    box = window.form.editor(key).editor
    box.setCurrentIndex(box.findData(value))


def regimen_row(window, key: str):
    tree = window.results.regimen_list
    return next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).data(0, Qt.UserRole) == key)


def test_liver_values_update_child_pugh_text(qtbot, empty_window):
    w = empty_window
    derived = w.form.derived_labels["Liver function"]
    assert "Child–Pugh 5–15" in derived.text()
    type_into(qtbot, w, "bilirubin_umol_l", "18")
    type_into(qtbot, w, "albumin_g_l", "39")
    type_into(qtbot, w, "inr", "1.1")
    choose(w, "ascites", "none")
    choose(w, "encephalopathy", "none")
    qtbot.waitUntil(lambda: "Child–Pugh 5 (A)" in derived.text())
    type_into(qtbot, w, "albumin_g_l", "25")  # < 28 g/L: 3 points
    qtbot.waitUntil(lambda: "Child–Pugh 7 (B)" in derived.text())
    choose(w, "encephalopathy", "grade_1_2")
    qtbot.waitUntil(lambda: "Child–Pugh 8 (B)" in derived.text())
    assert w.controller.patient["albumin_g_l"] == 25
    assert w.controller.dirty


def erase(qtbot, window, key: str) -> None:
    """Empty a text field as a user would (select all, Delete)."""
    edit = window.form.editor(key).editor
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key_Delete)


def untick_all_stations(window) -> None:
    stations = window.form.editor("lnm_stations").editor
    for i in range(stations.count()):
        stations.item(i).setCheckState(Qt.Unchecked)


def no_nodal_disease(qtbot, window) -> None:
    untick_all_stations(window)
    for key in ("lnm_count", "lnm_volume_cc"):
        erase(qtbot, window, key)
    choose(window, "lnm_present", False)


def test_no_nodal_disease_makes_yan_ineligible(qtbot, window):
    # Yan 2025 reports no performance-status limit, so the example is uncertain for it, not eligible
    assert regimen_row(window, "rt_systemic_nodal").text(0) == "UNCERTAIN"
    no_nodal_disease(qtbot, window)
    qtbot.waitUntil(lambda: regimen_row(window, "rt_systemic_nodal").text(0) == "INELIGIBLE")
    assert window.controller.assessment.match("yan2025_lnm").status == "ineligible"


def test_selecting_a_regimen_shows_its_checklist(qtbot, window):
    window.results.regimen_list.setCurrentItem(regimen_row(window, "rt_systemic_nodal"))
    checklist = window.results.detail.checklist
    qtbot.waitUntil(lambda: checklist.topLevelItemCount() == 1)
    top = checklist.topLevelItem(0)
    assert top.text(0).startswith("Yan 2025")
    study = window.library.study("yan2025_lnm")
    assert top.childCount() == len(study.criteria) + 1  # and the engine's "a lesion to treat now"
    rows = {top.child(i).text(0): top.child(i).text(1) for i in range(top.childCount())}
    assert rows["Aged 18 or over"] == "✓ met"
    assert window.library.regimens["rt_systemic_nodal"].name in window.results.detail.title.text()


def test_an_ineligible_study_row_names_the_failed_criterion(qtbot, window):
    no_nodal_disease(qtbot, window)
    qtbot.waitUntil(lambda: regimen_row(window, "rt_systemic_nodal").text(0) == "INELIGIBLE")
    window.results.regimen_list.setCurrentItem(regimen_row(window, "rt_systemic_nodal"))
    checklist = window.results.detail.checklist
    qtbot.waitUntil(lambda: checklist.topLevelItemCount() == 1)
    failed = [c.criterion.label for c in window.controller.assessment.match("yan2025_lnm").with_status("not_met")]
    assert failed
    text = checklist.topLevelItem(0).text(2)
    assert "not met: " + failed[0] in text and "checked" in text  # how many criteria were checked


def test_no_nodes_ticked_while_stations_are_listed_is_flagged_not_hidden(qtbot, window):
    choose(window, "lnm_present", False)  # the example still lists its stations
    qtbot.waitUntil(lambda: any(n.key == "lnm_present" for n in window.controller.assessment.derived.notes))
    # a conflict decides nothing: the nodal criterion (and so the regimen) is left uncertain
    qtbot.waitUntil(lambda: regimen_row(window, "rt_systemic_nodal").text(0) == "UNCERTAIN")
    assert "taken as present" in window.form.derived_labels["Lymph nodes"].text()


def test_letters_in_afp_show_a_message_and_keep_the_case(qtbot, window):
    before_patient, before_assessment = window.controller.patient, window.controller.assessment
    editor = window.form.editor("afp_ng_ml")
    editor.editor.selectAll()
    qtbot.keyClicks(editor.editor, "abc")
    assert editor.error.isVisibleTo(window)
    assert "'abc' is not a number" in editor.error.text()
    assert window.controller.patient["afp_ng_ml"] == 850
    assert window.controller.patient is before_patient
    assert window.controller.assessment is before_assessment
    assert editor.editor.text() == "abc"  # what was typed stays to be corrected, not silently replaced
    editor.editor.clear()
    qtbot.keyClicks(editor.editor, "900")
    qtbot.keyClick(editor.editor, Qt.Key_Return)
    assert not editor.error.isVisibleTo(window)
    assert window.controller.patient["afp_ng_ml"] == 900


def test_out_of_range_value_names_what_is_accepted(qtbot, window):
    editor = window.form.editor("ecog")
    editor.editor.clear()
    qtbot.keyClicks(editor.editor, "7")
    assert "'7' is outside 0–4" in editor.error.text()
    assert window.controller.patient["ecog"] == 1


def test_bilirubin_unit_choice_converts_and_persists(qtbot, make_window):
    w = make_window()
    units = w.form.editor("bilirubin_umol_l").unit_box
    units.setCurrentIndex(1)  # mg/dL
    type_into(qtbot, w, "bilirubin_umol_l", "1.0")
    assert abs(w.controller.patient["bilirubin_umol_l"] - 17.104) < 1e-6
    w.controller.mark_saved()
    w.close()
    again = make_window()
    assert again.form.editor("bilirubin_umol_l").unit_box.currentIndex() == 1
    again.load_case(w.controller.patient)
    assert again.form.editor("bilirubin_umol_l").editor.text() == "1"  # 17.104 µmol/L shown as 1 mg/dL


def test_ctrl_l_focuses_first_field(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.form.editor("afp_ng_ml").editor.setFocus()
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.form.editor(FIELDS[0].key).editor)


def test_tab_follows_the_field_table(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.form.focus_first()
    expected = [w.objectName() for e in window.form.editors.values() for w in (e.editor, e.unit_box) if w is not None]
    seen = [QApplication.focusWidget().objectName()]
    for _ in range(len(expected) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        seen.append(QApplication.focusWidget().objectName())
    assert seen == expected


def test_form_uses_two_columns_when_wide(qtbot, window):
    window.split.setSizes([1200, 300])
    qtbot.waitUntil(lambda: window.form.columns == 2)
    window.split.setSizes([450, 1050])
    qtbot.waitUntil(lambda: window.form.columns == 1)


def test_a_new_case_starts_at_the_best_supported_regimen_and_an_edit_keeps_the_choice(qtbot, window,
                                                                                      example_patient):
    regimens = window.results.regimen_list
    regimens.setCurrentItem(regimen_row(window, "rt_systemic_nodal"))
    type_into(qtbot, window, "afp_ng_ml", "900")
    qtbot.waitUntil(lambda: window.controller.patient["afp_ng_ml"] == 900)
    assert regimens.current_key() == "rt_systemic_nodal"  # an edit keeps what is being read
    window.controller.mark_saved()
    window.load_case(example_patient)
    assert regimens.current_key() == window.controller.assessment.regimens[0].info.key


def test_outcomes_tab_lists_every_figure_but_ranges_only_the_studies_the_patient_fits(qtbot, window):
    # Example nodal case, RT + TKI: no study is eligible (RTOG 1112 is uncertain: the review prints no
    # line-of-therapy criterion), so median OS 15.8 (RTOG 1112) and 19.45 (Chen 2022), both uncertain, span
    # the range; Zhai 2025 (16.5, ineligible) is listed beneath it with its status.
    window.results.regimen_list.setCurrentItem(regimen_row(window, "rt_tki"))
    tree = window.results.detail.outcomes
    rows = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    median_os = rows["Median overall survival"]
    assert median_os.text(1).startswith("15.8–19.45 months — no eligible study")
    figures = {median_os.child(i).text(2).split(" · ")[0]: (median_os.child(i).text(0), median_os.child(i).text(1))
               for i in range(median_os.childCount())}
    assert figures["Dawson 2025 (NRG/RTOG 1112)"][0] == "UNCERTAIN"
    assert figures["Zhai 2025"] == ("INELIGIBLE", "16.5 mo")
    assert figures["Chen 2022 (meta-analysis)"][0] == "UNCERTAIN"
    # a row held up only by a study the patient does not fit is greyed and says so
    orr = rows["Objective response"]
    assert "no eligible or uncertain study: from the one study the patient does not fit" in orr.text(1)
    assert orr.foreground(0).color().name() == "#6b7280"


def test_a_regimen_outside_the_treated_population_is_marked(qtbot, window):
    # Yan 2025's patients were aged 29-79 (Results, Patient characteristics): at 85 the regimen keeps
    # its status (uncertain: no performance-status limit reported) but is marked.
    assert "⚠" not in regimen_row(window, "rt_systemic_nodal").text(0)
    type_into(qtbot, window, "age_years", "85")
    qtbot.waitUntil(lambda: regimen_row(window, "rt_systemic_nodal").text(0) == "UNCERTAIN ⚠")
    row = regimen_row(window, "rt_systemic_nodal")
    assert "outside the treated population" in row.text(1)
    assert "Age" in row.toolTip(0) and "Yan 2025" in row.toolTip(0)


def test_child_pugh_c_is_outside_yan_and_ineligible(qtbot, window):
    # Yan's cohort spanned Child-Pugh 5-8 (Table 1), now a setting criterion: class C does not fit.
    choose(window, "ascites", "moderate_severe")
    choose(window, "encephalopathy", "grade_3_4")
    type_into(qtbot, window, "bilirubin_umol_l", "60")
    type_into(qtbot, window, "albumin_g_l", "25")
    qtbot.waitUntil(lambda: window.controller.assessment.derived["child_pugh_class"] == "C")
    qtbot.waitUntil(lambda: regimen_row(window, "rt_systemic_nodal").text(0) == "INELIGIBLE")
