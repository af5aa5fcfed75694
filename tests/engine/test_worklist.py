"""The MDT worklist's core: rows read as `screen` reads them, best status as `assess` gives it."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, UNCERTAIN
from hccdecide.engine.screening import BadRow
from hccdecide.engine.worklist import WorklistEntry, read_worklist
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir
from hccdecide.tables import TableError

CASES = sorted(cases_dir().glob("*.json"))[:4]
ORDER = {ELIGIBLE: 0, UNCERTAIN: 1, INELIGIBLE: 2}


def _row(path, label):
    data = json.loads(path.read_text(encoding="utf-8"))
    data["case_label"] = label
    return {k: ";".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in data.items() if v is not None}


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    rows = [_row(p, f"MDT {i}") for i, p in enumerate(CASES)]
    rows.insert(2, {"case_label": "typo", "ecog": "five"})
    path = tmp_path_factory.mktemp("worklist") / "week.csv"
    pd.DataFrame(rows).fillna("").to_csv(path, index=False)
    return path


def test_every_row_listed_in_order_with_the_bad_one_by_number_and_key(table, library):
    w = read_worklist(table, library)
    assert [i.row for i in w.items] == [2, 3, 4, 5, 6]  # header is row 1
    bad = w.items[2]
    assert isinstance(bad, BadRow) and (bad.row, bad.key) == (4, "ecog") and "'five'" in bad.reason
    assert w.bad_rows == (bad,) and len(w.entries) == len(CASES) and w.has_labels


def test_entries_are_the_case_files_and_their_best_status_is_assess_s(table, library):
    w = read_worklist(table, library)
    for i, (entry, path) in enumerate(zip(w.entries, CASES)):
        expected = Patient.from_file(path).replace(case_label=f"MDT {i}")
        assert entry.patient.values == expected.values, path.name
        statuses = [m.status for m in assess(expected, library).matches]
        assert entry.best_status == min(statuses, key=ORDER.__getitem__)
        assert entry.count(ELIGIBLE) == statuses.count(ELIGIBLE)
        assert f"{statuses.count(UNCERTAIN)} uncertain" in entry.status_text


def test_stepping_stops_at_either_end(table, library):
    w = read_worklist(table, library)
    last = len(w.entries) - 1
    assert w.step(None, True) == 0 and w.step(None, False) == last
    assert w.step(0, True) == 1 and w.step(1, False) == 0
    assert w.step(last, True) is None and w.step(0, False) is None


def test_a_table_without_labels_has_no_label_column(tmp_path, library):
    path = tmp_path / "anon.csv"
    path.write_text("ecog,child_pugh_score\n0,5\n1,\n", encoding="utf-8")
    w = read_worklist(path, library)
    assert not w.has_labels and all(isinstance(e, WorklistEntry) for e in w.items)
    assert w.entries[1].patient["child_pugh_score"] is None  # empty cell: unknown


def test_an_unreadable_table_names_the_column(tmp_path, library):
    path = tmp_path / "bad.csv"
    path.write_text("ecog,blood_group\n0,A\n", encoding="utf-8")
    with pytest.raises(TableError, match="blood_group"):
        read_worklist(path, library)
