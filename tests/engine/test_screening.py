"""Registry screening: every row gets the statuses `assess` gives, bad rows are named and skipped."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.screening import parse_cell, row_patient, BadRow
from hccdecide.errors import PatientError
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir

CASES = sorted(cases_dir().glob("*.json"))


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "hccdecide", *args], cwd=root, capture_output=True,
                          text=True, timeout=300)


def cell(value, i):
    """Write values the way a spreadsheet would, varying the accepted spellings."""
    if isinstance(value, bool):
        return [("true", "false"), ("yes", "no"), ("TRUE", "FALSE"), ("Yes", "No")][i % 4][0 if value else 1]
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, float) and i % 2:
        return str(value).replace(".", ",")  # decimal comma
    return str(value)


def registry_rows():
    rows = []
    for i, path in enumerate(CASES):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["case_label"] = f"patient {i}"
        rows.append({k: cell(v, i) for k, v in data.items() if v is not None})
    return rows


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    rows = registry_rows()
    bad = [{"case_label": "bad ecog", "ecog": "7"}, {"case_label": "bad bool", "cirrhosis": "maybe"}]
    frame = pd.DataFrame(rows[:3] + bad[:1] + rows[3:] + bad[1:]).fillna("")
    folder = tmp_path_factory.mktemp("screen")
    frame.to_csv(folder / "cases.csv", index=False)
    return folder, frame


def test_statuses_equal_assess_for_every_row(root, registry):
    folder, frame = registry
    result = run(root, "screen", str(folder / "cases.csv"), "-o", str(folder / "out.csv"), "--labels")
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(folder / "out.csv", keep_default_na=False)
    assert set(out["case_label"]) == {f"patient {i}" for i in range(len(CASES))}
    for i, path in enumerate(CASES):
        expected = {m.study.id: m.status for m in assess(Patient.from_file(path)).matches}
        got = out[out["case_label"] == f"patient {i}"].set_index("study_id")["status"].to_dict()
        assert got == expected, path.name
        missing = out[out["case_label"] == f"patient {i}"].set_index("study_id")["missing"].to_dict()
        for m in assess(Patient.from_file(path)).matches:
            assert missing[m.study.id] == "; ".join(m.missing)


def test_bad_rows_named_by_number_and_key_and_skipped(root, registry):
    folder, frame = registry
    result = run(root, "screen", str(folder / "cases.csv"), "-o", str(folder / "out2.csv"), "--labels")
    # header is row 1: the bad ECOG row is the 4th data row (row 5), the bad boolean the last
    assert "row 5: ecog: '7' is not accepted" in result.stderr
    assert f"row {len(frame) + 1}: cirrhosis: 'maybe' is not accepted; expected true, false, yes or no" in result.stderr
    out = pd.read_csv(folder / "out2.csv", keep_default_na=False)
    assert "bad ecog" not in set(out["case_label"]) and "bad bool" not in set(out["case_label"])
    # the count table at the end: one line per study with eligible / uncertain / ineligible
    assert "eligible" in result.stdout and "dawson2025_rtog1112_sbrt_sorafenib" in result.stdout
    assert "2 row(s) skipped" in result.stdout


def test_labels_leave_only_when_asked(root, registry):
    """Case labels may identify patients: without --labels the output names rows by number only."""
    folder, frame = registry
    result = run(root, "screen", str(folder / "cases.csv"), "-o", str(folder / "plain.csv"))
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(folder / "plain.csv", keep_default_na=False)
    assert set(out["case_label"]) == {""}
    assert not any(f"patient {i}" in result.stdout + result.stderr for i in range(len(CASES)))
    assert len(set(out["row"])) == len(frame) - 2  # every good row, named by its number


def test_no_good_row_exits_2(root, tmp_path):
    pd.DataFrame([{"ecog": "9"}]).to_csv(tmp_path / "bad.csv", index=False)
    result = run(root, "screen", str(tmp_path / "bad.csv"), "-o", str(tmp_path / "out.csv"))
    assert result.returncode == 2 and "row 2: ecog" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_unknown_column_is_refused_with_its_name(root, tmp_path):
    pd.DataFrame([{"ecgo": "1"}]).to_csv(tmp_path / "t.csv", index=False)
    result = run(root, "screen", str(tmp_path / "t.csv"), "-o", str(tmp_path / "out.csv"))
    assert result.returncode == 2 and "unknown column(s) ecgo" in result.stderr


def test_xlsx_in_and_wide_xlsx_out(root, registry):
    folder, frame = registry
    frame.to_excel(folder / "cases.xlsx", index=False)
    result = run(root, "screen", str(folder / "cases.xlsx"), "-o", str(folder / "wide.xlsx"), "--wide", "--labels")
    assert result.returncode == 0, result.stderr
    wide = pd.read_excel(folder / "wide.xlsx").set_index("case_label")
    a = assess(Patient.from_file(CASES[0]))
    for m in a.matches:
        assert wide.loc["patient 0", m.study.id] == m.status
    statuses = [m.status for m in a.matches]
    assert wide.loc["patient 0", "eligible_studies"] == statuses.count("eligible")
    assert wide.loc["patient 0", "best_status"] == min(statuses, key=["eligible", "uncertain", "ineligible"].index)


def test_progress_on_stderr_for_long_files(root, tmp_path):
    row = registry_rows()[0]
    pd.DataFrame([row] * 200).to_csv(tmp_path / "many.csv", index=False)
    result = run(root, "screen", str(tmp_path / "many.csv"), "-o", str(tmp_path / "o.csv"))
    assert result.returncode == 0
    assert "screened 100/200 rows" in result.stderr and "screened 200/200 rows" in result.stderr


@pytest.mark.parametrize("key, text, value", [
    ("cirrhosis", "Yes", True), ("cirrhosis", "false", False), ("cirrhosis", "", None),
    ("albumin_g_l", "35,5", 35.5), ("ecog", "1", 1), ("ecog", "1.0", 1),
    ("lnm_stations", "hepatic_hilum; para_aortic", ["hepatic_hilum", "para_aortic"]),
    ("sex", "female", "female"), ("bilirubin_mg_dl", "1,2", 1.2),
])
def test_cells(key, text, value):
    assert parse_cell(key, text) == value


@pytest.mark.parametrize("key, text", [("cirrhosis", "1"), ("ecog", "1.5"), ("sex", "F"), ("albumin_g_l", "low")])
def test_bad_cells_name_key_and_value(key, text):
    with pytest.raises(PatientError) as err:
        parse_cell(key, text)
    assert err.value.key == key and err.value.value == text


def test_units_that_disagree_make_a_bad_row():
    bad = row_patient({"bilirubin_umol_l": "20", "bilirubin_mg_dl": "3"}, 7)
    assert isinstance(bad, BadRow) and bad.row == 7 and bad.key == "bilirubin_mg_dl"


def test_a_bad_cell_says_an_empty_cell_means_unknown_not_null():
    """A worklist is a spreadsheet: its reader leaves a cell empty, never types null."""
    bad = row_patient({"albumin_g_l": "low"}, 3)
    assert isinstance(bad, BadRow) and bad.key == "albumin_g_l"
    assert "or an empty cell for unknown" in bad.reason and "null" not in bad.reason
