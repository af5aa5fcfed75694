"""Evidence library: loading, validation errors, digest, and spot checks against the documents."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
import yaml

from hccdecide.errors import EvidenceError
from hccdecide.evidence.library import load_library, load_regimens, parse_study, study_files
from hccdecide.paths import evidence_dir


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True),
                    encoding="utf-8")
    return path


def _parse(path):
    return parse_study(path, set(load_regimens()))


# --- the bundled library -------------------------------------------------------------------------

def test_bundled_library_loads(library):
    assert len(library.studies) == len(study_files(evidence_dir())) >= 5
    assert library.problems == ()
    assert {"yan2025_lnm", "pan2024_periop_mvi", "luo_oligomet", "wang2025_oligoprogression"} <= {
        s.id for s in library.studies}


def test_each_file_is_named_after_its_study(library):
    for study in library.studies:
        assert library.files[study.id] == f"{study.id}.yaml"


def test_version_comes_from_the_metadata_file(library):
    meta = yaml.safe_load((evidence_dir() / "_library.yaml").read_text(encoding="utf-8"))
    assert library.version == str(meta["version"])


def test_digest_is_sha256_hex(library):
    assert re.fullmatch(r"[0-9a-f]{64}", library.digest)
    assert library.short_digest == library.digest[:12]


def test_digest_follows_the_file_contents(tmp_path, library):
    folder = tmp_path / "evidence"
    shutil.copytree(evidence_dir(), folder)
    assert load_library(folder=folder, extra=tmp_path / "none").digest == library.digest
    target = folder / "yan2025_lnm.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert load_library(folder=folder, extra=tmp_path / "none").digest != library.digest


def test_evidence_check_command_passes(root):
    result = subprocess.run([sys.executable, "-m", "hccdecide", "evidence", "--check"], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "FAULT" not in result.stderr


def test_no_sentence_is_copied_from_the_documents(root):
    tool = root.parent / "shared" / "tools" / "check_verbatim.py"
    if not tool.exists():
        pytest.skip("../shared/tools/check_verbatim.py is not present beside the checkout")
    result = subprocess.run([sys.executable, str(tool)], cwd=root, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


# --- broken files are reported with file and field -------------------------------------------------

def _broken(tmp_path, study_yaml, name, change):
    data = study_yaml(name)
    change(data)
    return _write(tmp_path, name, data)


def test_bad_yaml(tmp_path):
    path = _write(tmp_path, "yan2025_lnm.yaml", "id: yan2025_lnm\ncriteria: [unclosed\n")
    with pytest.raises(EvidenceError) as exc:
        _parse(path)
    assert exc.value.file == "yan2025_lnm.yaml" and exc.value.field.startswith("line")


def test_unknown_field(tmp_path, study_yaml):
    path = _broken(tmp_path, study_yaml, "yan2025_lnm.yaml", lambda d: d.update(colour="blue"))
    with pytest.raises(EvidenceError) as exc:
        _parse(path)
    assert exc.value.file == "yan2025_lnm.yaml" and exc.value.field == "colour"


def test_unknown_variable(tmp_path, study_yaml):
    def change(d):
        d["criteria"][0]["rule"]["var"] = "age_in_years"
    path = _broken(tmp_path, study_yaml, "yan2025_lnm.yaml", change)
    with pytest.raises(EvidenceError) as exc:
        _parse(path)
    assert exc.value.field == "criteria.0(adult).rule.var"
    assert "age_in_years" in exc.value.reason


def test_wrong_unit(tmp_path, study_yaml):
    def change(d):
        d["criteria"][0]["rule"]["unit"] = "months"
    path = _broken(tmp_path, study_yaml, "yan2025_lnm.yaml", change)
    with pytest.raises(EvidenceError) as exc:
        _parse(path)
    assert exc.value.file == "yan2025_lnm.yaml" and exc.value.field == "criteria.0(adult).rule.unit"


def test_ci_not_containing_the_estimate(tmp_path, study_yaml):
    def change(d):
        median = next(o for o in d["arms"][0]["outcomes"] if o["endpoint"] == "OS" and o["measure"] == "median")
        median["estimate"]["ci"] = [27.0, 41.3]  # 26.0 lies outside
    path = _broken(tmp_path, study_yaml, "yan2025_lnm.yaml", change)
    with pytest.raises(EvidenceError) as exc:
        _parse(path)
    assert exc.value.field.startswith("arms.0.outcomes.") and exc.value.field.endswith("estimate")


def test_protocol_with_outcomes(tmp_path, study_yaml):
    def change(d):
        d["arms"][0]["outcomes"] = [{"endpoint": "PFS", "measure": "median", "estimate": {"value": 5.0},
                                     "location": "invented for the test"}]
    path = _broken(tmp_path, study_yaml, "wang2025_oligoprogression.yaml", change)
    with pytest.raises(EvidenceError) as exc:
        _parse(path)
    assert exc.value.file == "wang2025_oligoprogression.yaml"
    assert "outcomes" in exc.value.reason
    # the field named must point at the offending part of the record, not the record as a whole
    assert "outcomes" in exc.value.field or exc.value.field.startswith(("arms", "design"))


def test_arm_sizes_not_adding_up_without_a_discrepancy(tmp_path, study_yaml):
    def change(d):
        next(a for a in d["arms"] if a["id"] == "imrt_tace")["n"] = 15  # 15 + 7 = 22, n = 21
        d["discrepancies"] = [x for x in d["discrepancies"] if "arm" not in x["topic"].lower()]
    path = _broken(tmp_path, study_yaml, "luo_oligomet.yaml", change)
    with pytest.raises(EvidenceError) as exc:
        _parse(path)
    assert exc.value.file == "luo_oligomet.yaml" and exc.value.field == "arms"


def test_arm_sizes_not_adding_up_with_a_discrepancy_load(tmp_path, study_yaml):
    def change(d):
        next(a for a in d["arms"] if a["id"] == "imrt_tace")["n"] = 15
    assert _parse(_broken(tmp_path, study_yaml, "luo_oligomet.yaml", change)).id == "luo_oligomet"


def test_file_name_must_match_id(tmp_path, study_yaml):
    path = _write(tmp_path, "yan_copy.yaml", study_yaml("yan2025_lnm.yaml"))
    with pytest.raises(EvidenceError) as exc:
        _parse(path)
    assert exc.value.file == "yan_copy.yaml" and exc.value.field == "id"


def test_broken_user_file_is_skipped_and_reported(tmp_path, library, study_yaml):
    extra = tmp_path / "extra"
    extra.mkdir()
    _write(extra, "mine_bad.yaml", "id: mine_bad\n  : : :\n")
    good = study_yaml("yan2025_lnm.yaml")
    good["id"] = "mine_good"
    _write(extra, "mine_good.yaml", good)
    _write(extra, "yan2025_lnm.yaml", study_yaml("yan2025_lnm.yaml"))  # duplicates a bundled id
    lib = load_library(extra=extra)
    assert len(lib.studies) == len(library.studies) + 1
    assert {e.file for e in lib.problems} == {"mine_bad.yaml", "yan2025_lnm.yaml"}
    assert lib.digest != library.digest


# --- spot checks against the source documents -----------------------------------------------------

def _factor(study, model_id, factor_id):
    model = next(m for m in study.prognostic_models if m.id == model_id)
    return next(f for f in model.factors if f.id == factor_id)


@pytest.mark.parametrize("factor, hr, ci", [
    ("alt", 3.42, (1.47, 7.97)), ("pt", 2.67, (1.13, 6.27)),
    ("child_pugh", 5.28, (1.59, 17.53)), ("gtv", 4.22, (1.61, 11.06)),
])
def test_yan_table2_os(library, factor, hr, ci):
    f = _factor(library.study("yan2025_lnm"), "yan_os_table2", factor)
    assert f.effect == hr and tuple(f.ci) == ci and f.location == "Table 2"


def test_yan_table2_pfs_non_regional_and_abstract_discrepancy(library):
    yan = library.study("yan2025_lnm")
    f = _factor(yan, "yan_pfs_table2", "non_regional")
    assert f.effect == 3.54 and tuple(f.ci) == (1.32, 9.49)
    d = next(d for d in yan.discrepancies if "non-regional" in d.topic.lower())
    assert any("3.19" in v.value and "Abstract" in v.location for v in d.values)
    assert "3.54" in d.used


def test_yan_survival_figures(library):
    arm = library.study("yan2025_lnm").arms[0]
    os_ = {(o.measure, o.at_months): o.estimate for o in arm.outcomes if o.endpoint == "OS"}
    assert os_[("median", None)].value == 26.0 and tuple(os_[("median", None)].ci) == (10.7, 41.3)
    assert [os_[("rate", t)].value for t in (12, 24, 36)] == [78.93, 57.37, 49.12]


def test_pan_primary_results(library):
    arm = library.study("pan2024_periop_mvi").arms[0]
    orr = next(o for o in arm.outcomes if o.endpoint == "ORR")
    median_os = next(o for o in arm.outcomes if o.endpoint == "OS" and o.measure == "median")
    assert orr.estimate.value == 30.0 and median_os.estimate.value == 18.7


def test_rtog1112_os_hazard_ratio(library):
    study = library.study("dawson2025_rtog1112_sbrt_sorafenib")
    c = next(c for c in study.comparisons if c.endpoint == "OS")
    assert c.estimate.value == 0.72 and c.control == "sorafenib"


def test_luo_arm_size_conflict_is_recorded(library):
    d = next(d for d in library.study("luo_oligomet").discrepancies if "arm" in d.topic.lower())
    text = " ".join(v.value for v in d.values)
    assert "14" in text and "15" in text and d.used and d.why


def test_wang_protocol_has_no_outcomes(library):
    wang = library.study("wang2025_oligoprogression")
    assert wang.is_protocol and wang.arms and all(not a.outcomes for a in wang.arms)


def test_vascular_responses_are_not_stored_as_tumour_orr(library):
    # Kang 2026 Table 4 (RTOG 1112, MVI response 9% vs 38%); Pan 2024 Discussion (thrombus ORR 33.3%, DCR 93.3%)
    rtog = library.study("dawson2025_rtog1112_sbrt_sorafenib")
    vascular = {(a.id, o.estimate.value) for a in rtog.arms for o in a.outcomes if o.endpoint == "VASCULAR_RESPONSE"}
    assert vascular == {("sorafenib", 9.0), ("sbrt_sorafenib", 38.0)}
    assert not any(o.endpoint == "ORR" for a in rtog.arms for o in a.outcomes)
    pan = {(o.endpoint, o.estimate.value) for o in library.study("pan2024_periop_mvi").arms[0].outcomes}
    assert {("VASCULAR_RESPONSE", 33.3), ("VASCULAR_DCR", 93.3)} <= pan
    assert ("ORR", 33.3) not in pan and ("DCR", 93.3) not in pan


def test_guo_both_arms_received_rt(library):
    # Kang 2026 Table 3: both sequences include EBRT 50 Gy to primary and thrombus; only the order differs
    arms = library.study("guo2022_rt_tace_pvtt").arms
    assert all(a.regimen_key == "rt_mvi" and a.regimen.dose_gy == 50 and a.regimen.tace for a in arms)
