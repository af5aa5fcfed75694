"""Malformed case files and unsafe text reach the user as a clear message, never 'Unexpected error'."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("name, data, named", [
    ("deep.json", b'{"ecog": ' + b"[" * 1000 + b"]" * 1000 + b"}", "nesting"),
    ("digits.json", b'{"age_years": ' + b"7" * 4301 + b"}", "4301 characters"),
    ("surrogate.json", b'{"case_label": "\\ud800"}', "case_label"),
    ("twice.json", b'{"ecog": 1, "ecog": 2}', "twice"),
    ("latin1.json", '{"case_label": "Müller"}'.encode("latin-1"), "UTF-8"),
    ("nan.json", b'{"inr": NaN}', "NaN"),
])
def test_a_malformed_file_is_refused_with_a_message(qtbot, window, tmp_path, messages, name, data, named):
    before = window.controller.patient
    path = tmp_path / name
    path.write_bytes(data)
    assert not window.open_case_file(path)
    title, text = messages[-1]
    assert title == "Case file not opened" and name in text and named in text
    assert window.controller.patient is before


@pytest.mark.parametrize("typed, named", [("MDT\x1b[2J", "control character"), ("A\tB", "control character")])
def test_control_characters_typed_in_the_label_are_refused(qtbot, window, typed, named):
    before = window.controller.patient
    editor = window.form.editor("case_label")
    editor.editor.setText(typed)
    editor.editor.textEdited.emit(typed)
    assert editor.error.isVisibleTo(window) and named in editor.error.text()
    assert window.controller.patient is before
    editor.editor.setText("患者 😀")
    editor.editor.textEdited.emit("患者 😀")
    editor.editor.editingFinished.emit()  # the entry is complete
    assert not editor.error.isVisibleTo(window)
    assert window.controller.patient["case_label"] == "患者 😀"


def test_a_faulty_bundled_data_file_stops_start_up_with_a_named_message(qapp, monkeypatch):
    from hccdecide.errors import EvidenceError
    from hccdecide.gui import app as app_module

    shown = []

    def faulty(_case=None, _settings=None, **_launch):
        raise EvidenceError("regimens.yaml", "regimens", "must be a mapping")

    monkeypatch.setattr(app_module, "create_window", faulty)
    monkeypatch.setattr(app_module, "check_display", lambda: None)
    monkeypatch.setattr(app_module, "load_style", lambda _app: None)  # leave the shared app as it is
    monkeypatch.setattr(app_module, "install_exception_hook", lambda _app: None)
    monkeypatch.setattr(app_module.QMessageBox, "critical", lambda _p, title, text: shown.append((title, text)))
    assert app_module.main(["hccdecide"]) == 3
    (title, text), = shown
    assert title == "Evidence library not loaded" and "regimens.yaml: regimens" in text


@pytest.mark.parametrize("typed", ["0.05", "53", "abc"])
def test_bilirubin_typed_in_mg_dl_is_refused_in_mg_dl(qtbot, window, typed):
    # 0.05 mg/dL is 0.86 µmol/L (below 1), 53 mg/dL is 906.5 µmol/L (above 900)
    editor = window.form.editor("bilirubin_umol_l")
    editor.unit_box.setCurrentIndex(1)  # mg/dL
    before = window.controller.patient["bilirubin_umol_l"]
    editor.editor.setText(typed)
    editor.editor.textEdited.emit(typed)
    message = editor.error.text()
    assert f"'{typed}'" in message and "0.06–52.6 mg/dL" in message and "bilirubin_" not in message
    assert window.controller.patient["bilirubin_umol_l"] == before
