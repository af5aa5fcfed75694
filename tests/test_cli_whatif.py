"""Scenario B on the command line: `assess --json` carries a `whatif` block, `assess` prints the comparison."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.plain_summary import at_a_glance
from hccdecide.patient import SCENARIO_KEY, Patient
from hccdecide.paths import cases_dir

EXAMPLE = cases_dir() / "example_nodal_disease.json"
RTOG = "dawson2025_rtog1112_sbrt_sorafenib"
# Child–Pugh A to B: albumin 30 g/L and bilirubin 40 µmol/L score 2 points each (7 points, class B)
B_CHANGES = {"albumin_g_l": 30.0, "bilirubin_umol_l": 40.0}


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "hccdecide", *args], cwd=root, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def case_with_b(tmp_path_factory):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data[SCENARIO_KEY] = {**{k: v for k, v in data.items() if k != SCENARIO_KEY}, **B_CHANGES}
    path = tmp_path_factory.mktemp("whatif") / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def a_and_b(case_with_b, library):
    patient = Patient.from_file(case_with_b)
    return assess(patient, library), assess(patient.scenario_b, library)


def test_json_whatif_block_holds_changes_b_summary_and_b_risk(root, case_with_b, a_and_b):
    result = run(root, "assess", str(case_with_b), "--json", "--no-bands")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    a, b = a_and_b
    w = data["whatif"]
    assert {(i["key"], i["a"], i["b"]) for i in w["inputs"]} == \
        {("albumin_g_l", a.patient["albumin_g_l"], 30.0), ("bilirubin_umol_l", a.patient["bilirubin_umol_l"], 40.0)}
    status_b = {m.study.id: m.status for m in b.matches}
    changed = {m.study.id: (m.status, status_b[m.study.id]) for m in a.matches if m.status != status_b[m.study.id]}
    assert {s["id"]: (s["a"], s["b"]) for s in w["studies"]} == changed
    assert changed[RTOG][1] == "ineligible"  # RTOG 1112 enrolled Child–Pugh A only
    # a regimen is listed when its status or the evidence level that status gives changes
    regimens_b = {r.info.key: (r.status, r.best_level) for r in b.regimens}
    assert {r["key"] for r in w["regimens"]} == \
        {r.info.key for r in a.regimens if (r.status, r.best_level) != regimens_b[r.info.key]}
    assert all({"level_a", "level_b"} <= r.keys() for r in w["regimens"])
    assert w["summary_b"] == list(at_a_glance(b, {}).sentences) and "Child–Pugh B" in w["summary_b"][0]
    assert data["summary"] == list(at_a_glance(a, {}).sentences)  # A is still the case
    assert len(w["risk_b"]) == len(b.curves)
    for entry, c in zip(w["risk_b"], b.curves):
        assert (entry["study"], entry["model"], entry["stage"]) == (c.study.id, c.model.id, c.stage)
        if c.shown:
            assert entry["predicted"]["landmarks"]["12"]["estimate"] == pytest.approx(100 * c.landmarks[12], abs=0.05)
        else:
            assert entry["predicted"] is None and entry["withheld"] == c.withheld


def test_text_prints_the_comparison_after_the_case(root, case_with_b, a_and_b):
    result = run(root, "assess", str(case_with_b), "--no-bands")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    a, b = a_and_b
    head, _, tail = out.partition("What-if: scenario B")
    assert at_a_glance(a, {}).sentences[0] in head and tail
    assert "Albumin" in tail and "→ 30.0" in tail
    rtog = next(m for m in a.matches if m.study.id == RTOG)
    assert f"study   {rtog.study.short_name}: {rtog.status} → ineligible" in tail
    assert at_a_glance(b, {}).sentences[0] in tail and "scenario B" in tail.split("Individual estimates")[-1]


def test_a_case_without_scenario_b_has_no_whatif(root):
    result = run(root, "assess", str(EXAMPLE), "--json", "--no-bands")
    assert result.returncode == 0 and "whatif" not in json.loads(result.stdout)
    assert "What-if" not in run(root, "assess", str(EXAMPLE), "--no-bands").stdout
