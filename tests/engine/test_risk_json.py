"""The `risk[]` JSON contract of multivariable models (README, "Assessment JSON")."""
from __future__ import annotations

import pytest

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.engine.serialize import assessment_json
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir

KEYS = {"applicable", "support", "predicted", "bound", "factors", "shrinkage", "band", "stratum",
        "stratum_cutpoints", "stratum_shares", "sensitivity", "withheld", "withheld_text", "published_subgroups"}
NODAL = dict(lnm_present=True, lnm_count=2, lnm_stations=["hepatic_hilum"])
LIVER_B = dict(bilirubin_umol_l=40, albumin_g_l=30, inr=1.0, ascites="mild", encephalopathy="none")


def risk(values: dict) -> dict[str, dict]:
    a = assess(Patient.from_dict(values))
    data = assessment_json(a, bands_for(a.curves))
    return {r["model"]: r for r in data["risk"] if r["model_type"] == "multivariable_cox" and r["stage"] == "baseline"}


def test_example_case_carries_every_key():
    a = assess(Patient.from_file(cases_dir() / "example_nodal_disease.json"))
    data = assessment_json(a, bands_for(a.curves))
    os_ = next(r for r in data["risk"] if r.get("model") == "yan_os_table2")
    assert KEYS <= set(os_)
    assert os_["applicable"] is True and os_["support"]["inside"] is True and os_["bound"] is None
    assert set(os_["support"]) >= {"inside", "lp_percentile", "text"}
    assert os_["shrinkage"]["factor"] == pytest.approx(round((45.76 - 8) / 45.76, 4))
    assert (os_["shrinkage"]["chi2"], os_["shrinkage"]["df"]) == (45.76, 8)
    assert os_["band"]["method"] == "parametric_bootstrap" and os_["band"]["draws"] >= 500
    assert isinstance(os_["band"]["failed_fits"], int)
    applied = {f["id"]: f["applied"] for f in os_["factors"]}
    assert applied == {"alt": True, "pt": True, "he": False, "child_pugh": True, "afp": False, "gtv": True,
                       "multiple_lnm": False, "non_regional": False}
    assert sum(os_["stratum_shares"].values()) == pytest.approx(100, abs=0.2)
    assert len(os_["stratum_cutpoints"]) == 2
    assert os_["stratum_factors_present"] == ["ALT above 35 U/L", "Nodal GTV above 60 cc"]
    sens = {s["model"]: s for s in os_["sensitivity"]}
    assert set(sens) == {"yan_os_abstract", "yan_os_table2"}
    for t in ("12", "24", "36"):
        mark = os_["predicted"]["landmarks"][t]
        assert mark["lower"] <= mark["estimate"] <= mark["upper"]
        assert isinstance(sens["yan_os_abstract"]["landmarks"][t]["outside_default_band"], bool)


def test_outside_support_has_a_bound_and_no_prediction():
    os_ = risk(dict(NODAL, **LIVER_B, alt_u_l=50, pt_s=16, lnm_volume_cc=80))["yan_os_table2"]
    assert os_["support"]["inside"] is False and os_["withheld"] == "outside_support"
    assert os_["predicted"] is None and os_["band"] is None and os_["sensitivity"] == []
    assert os_["bound"]["side"] == "above" and set(os_["bound"]["landmarks"]["12"]) == {"at_most"}
    levels = {(g["factor"], g["level"]) for g in os_["published_subgroups"]}
    assert ("Prothrombin time", "above 14.5 s") in levels and ("Child-Pugh class", "B") in levels


def test_not_applicable_has_no_prediction():
    os_ = risk(dict(lnm_present=False, alt_u_l=30))["yan_os_table2"]
    assert os_["applicable"] is False and os_["withheld"] == "not_applicable"
    assert os_["predicted"] is None and os_["band"] is None and os_["bound"] is None
    assert os_["withheld_text"].startswith("Not applicable")
