"""Evidence files are typed strictly and every fault names its file: nothing reaches the engine mistyped.

Each case here was once accepted (``value: "5"`` passed ``evidence --check`` and then crashed ``assess``
with a TypeError), or gave a traceback instead of naming the file.
"""
from __future__ import annotations

import shutil

import pytest
import yaml

from hccdecide import cli, paths
from hccdecide.engine.assessment import assess
from hccdecide.errors import EvidenceError
from hccdecide.evidence.library import all_problems, default_library, load_library, load_regimens, parse_study
from hccdecide.patient import Patient

STUDY = "yan2025_lnm.yaml"  # criteria.0 is "adult": age_years >= 18 years


def write_study(folder, data, name=STUDY):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def refused(path) -> EvidenceError:
    with pytest.raises(EvidenceError) as exc:
        parse_study(path, set(load_regimens()))
    return exc.value


def first_criterion(value):
    return lambda d: d["criteria"][0]["rule"].update(value=value)


def set_key(*where_and_value):
    *where, value = where_and_value

    def change(d):
        target = d
        for step in where[:-1]:
            target = target[step]
        target[where[-1]] = value
    return change


@pytest.mark.parametrize("change, field", [
    (first_criterion("18"), "criteria.0(adult).rule.value"),       # text where a number belongs
    (first_criterion(True), "criteria.0(adult).rule.value"),       # a boolean is not a number
    (set_key("n", "62"), "n"),                                     # a count written as text
    (set_key("n", 62.5), "n"),                                     # a count must be whole
    (set_key("year", True), "year"),
    (set_key("arms", 0, "n", "62"), "arms.0.n"),
    (set_key("summarised_by_review", "no"), "summarised_by_review"),
    (set_key("follow_up_months", "20"), "follow_up_months"),
    (set_key("criteria", 0, "administrative", 1), "criteria.0.administrative"),
])
def test_a_mistyped_number_or_flag_is_refused_naming_file_and_field(tmp_path, study_yaml, change, field):
    data = study_yaml(STUDY)
    change(data)
    err = refused(write_study(tmp_path, data))
    assert err.file == STUDY and err.field.startswith(field), (err.field, err.reason)


def test_a_mistyped_estimate_deep_in_an_arm_is_refused(tmp_path, study_yaml):
    data = study_yaml(STUDY)
    data["arms"][0]["outcomes"][0]["estimate"]["value"] = "26.0"
    err = refused(write_study(tmp_path, data))
    assert err.field.startswith("arms.0.outcomes.0.estimate")


def test_a_mistyped_hazard_ratio_is_refused(tmp_path, study_yaml):
    data = study_yaml(STUDY)
    data["prognostic_models"][0]["factors"][0]["effect"] = "3.42"
    assert refused(write_study(tmp_path, data)).field.startswith("prognostic_models.0.factors.0.effect")


def test_check_lists_every_mistyped_value(tmp_path, study_yaml):
    data = study_yaml(STUDY)
    data["criteria"][0]["rule"]["value"] = "18"
    data["n"] = "62"
    faults = all_problems(write_study(tmp_path, data), set(load_regimens()))
    assert {e.field for e in faults} >= {"n"} and all(e.file == STUDY for e in faults)


def test_between_must_run_low_to_high(tmp_path, study_yaml):
    data = study_yaml(STUDY)
    data["criteria"][0]["rule"].update(op="between", value=[80, 18])
    assert "low, high" in refused(write_study(tmp_path, data)).reason


def test_yaml_nan_is_refused(tmp_path, study_yaml):
    data = study_yaml(STUDY)
    path = write_study(tmp_path, data)
    path.write_text(path.read_text(encoding="utf-8").replace("value: 18", "value: .nan", 1), encoding="utf-8")
    assert refused(path).file == STUDY


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "expands" in refused(path).reason


# --- extra evidence: a faulty file is skipped, the app still assesses ----------------------------------

@pytest.fixture
def fresh_default_library():
    default_library.cache_clear()
    yield
    default_library.cache_clear()


def test_a_mistyped_extra_file_is_skipped_and_assess_still_works(tmp_path, study_yaml, library):
    data = study_yaml(STUDY)
    data["id"] = "mine"
    data["criteria"][0]["rule"]["value"] = "5"
    write_study(tmp_path / "extra", data, "mine.yaml")
    lib = load_library(extra=tmp_path / "extra")
    assert [e.file for e in lib.problems] == ["mine.yaml"]
    assert len(lib.studies) == len(library.studies)
    assert assess(Patient.from_dict({"age_years": 60}), lib).matches


def test_the_cli_assesses_with_a_faulty_extra_folder_and_names_the_file(
        tmp_path, study_yaml, root, monkeypatch, capsys, fresh_default_library):
    data = study_yaml(STUDY)
    data["id"] = "mine"
    data["n"] = "177"
    write_study(tmp_path / "extra", data, "mine.yaml")
    monkeypatch.setenv("HCCDECIDE_EXTRA_EVIDENCE", str(tmp_path / "extra"))
    case = str(root / "resources" / "cases" / "example_nodal_disease.json")
    assert cli.main(["assess", case, "--json", "--no-bands"]) == 0
    assert "mine.yaml: n:" in capsys.readouterr().out  # listed among the skipped files
    assert cli.main(["evidence", "--check"]) == 1
    assert "mine.yaml: n:" in capsys.readouterr().err


def test_a_missing_extra_folder_is_reported_not_ignored(tmp_path, library):
    lib = load_library(extra=tmp_path / "no such folder")
    (problem,) = lib.problems
    assert "no such folder" in str(problem) and "does not exist" in str(problem)
    assert len(lib.studies) == len(library.studies)


# --- bundled metadata and reference tables name the file ----------------------------------------------

@pytest.fixture
def resources_copy(tmp_path, root, monkeypatch, fresh_default_library):
    """A copy of resources/ that the app reads instead of the bundled one."""
    folder = tmp_path / "resources"
    shutil.copytree(root / "resources", folder)
    monkeypatch.setattr(paths, "resources_dir", lambda: folder)
    return folder


@pytest.mark.parametrize("relative, text, name", [
    ("evidence/_library.yaml", "version: [unclosed\n", "_library.yaml"),
    ("evidence/_library.yaml", "- just\n- a list\n", "_library.yaml"),
    ("reference/regimens.yaml", "regimens: {a: [unclosed\n", "regimens.yaml"),
    ("reference/regimens.yaml", "regimens:\n  rt_only: 5\n", "regimens.yaml"),
    ("reference/regimens.yaml", "other: 1\n", "regimens.yaml"),
])
def test_a_faulty_library_file_is_named_without_a_traceback(resources_copy, capsys, relative, text, name):
    (resources_copy / relative).write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError) as exc:
        load_library()
    assert exc.value.file == name
    assert cli.main(["evidence", "--check"]) == 1
    err = capsys.readouterr().err
    assert name in err and "Traceback" not in err


@pytest.mark.parametrize("relative, text", [
    ("reference/ln_stations.yaml", "stations: [unclosed\n"),
    ("reference/lab_normals.yaml", "uln: 5\n"),
])
def test_a_faulty_reference_table_is_named_by_assess(resources_copy, capsys, relative, text):
    from hccdecide.clinical import nodes
    from hccdecide.engine import derive
    from hccdecide import patient as patient_module

    for cached in (nodes.station_table, derive.default_uln, patient_module.station_codes):
        cached.cache_clear()
    (resources_copy / relative).write_text(text, encoding="utf-8")
    try:
        status = cli.main(["assess", str(resources_copy / "cases" / "example_nodal_disease.json"),
                           "--no-bands"])
    finally:
        for cached in (nodes.station_table, derive.default_uln, patient_module.station_codes):
            cached.cache_clear()
    assert status == 3
    assert relative.split("/")[1] in capsys.readouterr().err
