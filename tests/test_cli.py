"""Command-line contract: ``python -m hccdecide assess CASE.json [--json]``."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

STUDY_STATUS = {"eligible", "ineligible", "uncertain"}
CRITERION_STATUS = {"met", "not_met", "unknown", "to_confirm"}


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "hccdecide", *args], cwd=root, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def example_json(root):
    result = run(root, "assess", "resources/cases/example_nodal_disease.json", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_derived_values_of_the_example(example_json):
    d = example_json["derived"]
    # bilirubin 18, albumin 39, INR 1.1, no ascites, no HE: 5 points, class A
    assert (d["child_pugh_score"], d["child_pugh_class"]) == (5, "A")
    assert d["albi_grade"] == 2          # 0.66*log10(18) - 0.085*39 = -2.487
    assert d["bclc_stage"] == "C"        # ECOG 1
    assert d["mvi_grade"] == 0           # Vp0 Vv0
    assert d["lnm_location"] == "regional"   # common hepatic artery + para-aortic
    assert d["oligoprogression_type"] is None
    assert d["bed_gy"] == 72.0           # 60 Gy / 30 fx, alpha/beta 10
    assert d["has_target_lesion"] is True  # nodal disease to treat now
    assert d["disease_after_treatment"] is None  # no resection or TACE entered: neither yes nor no


def test_studies_carry_identity_status_and_reasons(example_json):
    assert example_json["studies"]
    for s in example_json["studies"]:
        assert {"id", "first_author", "year", "design", "n", "status", "criteria"} <= set(s)
        assert s["status"] in STUDY_STATUS
        for c in s["criteria"]:
            assert c["label"] and c["reason"] and c["status"] in CRITERION_STATUS
    yan = next(s for s in example_json["studies"] if s["id"] == "yan2025_lnm")
    assert yan["first_author"] == "Yan" and yan["n"] == 62
    # every checkable criterion is met, but Yan 2025 reports no performance-status limit: uncertain, and
    # for a reason no entry can fix
    assert yan["status"] == "uncertain" and yan["uncertain_kind"] == [
        {"kind": "unreported_criteria", "domains": ["performance_status"], "gates": []}]
    assert yan["checked"] >= 4 and yan["to_confirm"] >= 1


def test_regimens_have_allowed_statuses(example_json):
    assert example_json["regimens"]
    assert all(r["status"] in STUDY_STATUS for r in example_json["regimens"])


def test_risk_curves(example_json):
    curves = {r["model"]: r for r in example_json["risk"] if r["model_type"] == "multivariable_cox"}
    os_ = curves["yan_os_table2"]
    for f in os_["factors"]:
        assert {"name", "present", "hr", "ci"} <= set(f)
    # ALT 42 > 35 and nodal GTV 72 > 60 cc: two independent adverse factors -> high
    assert os_["stratum"] == "high" and os_["possible_strata"] == ["high"]
    # no non-regional node, no organ metastasis: no adverse PFS predictor before treatment
    assert curves["yan_pfs_table2"]["stratum"] == "low"
    for c in curves.values():
        assert "median_months" in c["predicted"]
        for t in ("12", "24", "36"):
            mark = c["predicted"]["landmarks"][t]
            assert mark["lower"] <= mark["estimate"] <= mark["upper"]
    shown_as_reported = [r for r in example_json["risk"] if r["model_type"] in ("univariable_cox",
                                                                                 "multivariable_rr_no_ci")]
    assert shown_as_reported and all(r["combined"] is False for r in shown_as_reported)


def test_evidence_identity(example_json, root, library):
    meta = yaml.safe_load((root / "resources" / "evidence" / "_library.yaml").read_text(encoding="utf-8"))
    ev = example_json["evidence"]
    assert ev["version"] == str(meta["version"])
    assert re.fullmatch(r"[0-9a-f]{64}", ev["digest"]) and ev["digest"] == library.digest


@pytest.mark.parametrize("content, key", [
    ('{"ecog": 1,,}', "(file)"),                      # invalid JSON
    ('{"ecog": 7}', "ecog"),                          # out of range
    ('{"ecog": "1"}', "ecog"),                        # wrong type
    ('{"ecgo": 1}', "ecgo"),                          # unknown key
    ('{"albumin_g_l": 40, "albumin_g_dl": 3.5}', "albumin_g_dl"),   # units disagree
])
def test_bad_case_file_exits_non_zero_naming_the_key(root, tmp_path, content, key):
    case = tmp_path / "case.json"
    case.write_text(content, encoding="utf-8")
    result = run(root, "assess", str(case), "--json")
    assert result.returncode != 0
    assert key in result.stderr and result.stdout == ""


def test_missing_case_file_exits_non_zero(root, tmp_path):
    result = run(root, "assess", str(tmp_path / "absent.json"))
    assert result.returncode != 0 and "absent.json" in result.stderr


def test_text_summary_carries_the_disclaimer(root):
    result = run(root, "assess", "resources/cases/example_nodal_disease.json", "--no-bands")
    assert result.returncode == 0, result.stderr
    assert "decision aid" in result.stdout and "treating team decides" in result.stdout
    assert "BCLC" in result.stdout
