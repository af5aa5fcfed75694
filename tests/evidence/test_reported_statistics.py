"""Luo Table 2's OS column holds 1-df chi-square statistics: everywhere they appear (JSON, PDF items,
the shared figure text) they read as test statistics with their p, never as an RR or HR."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.reported import figure_text
from hccdecide.engine.serialize import assessment_json
from hccdecide.patient import Patient
from hccdecide.report import build_items
from hccdecide.report.items import Heading, Table

CASE = Path(__file__).resolve().parents[2] / "resources" / "cases" / "training_extrahepatic_oligometastasis.json"


@pytest.fixture(scope="module")
def assessed():
    return assess(Patient.from_file(CASE))


def _luo_os(library):
    return next(m for m in library.study("luo_oligomet").prognostic_models if m.endpoint == "OS")


def test_figure_text_never_calls_a_statistic_a_ratio(library):
    model = _luo_os(library)
    kps = next(f for f in model.factors if f.id == "kps_low")
    text = figure_text(kps, model.analysis)
    assert text.startswith("χ² (1 df) 8.8") and "no direction" in text
    assert "RR" not in text and "HR" not in text


def test_pfs_rr_still_reads_as_an_rr(library):
    pfs = next(m for m in library.study("luo_oligomet").prognostic_models if m.endpoint == "PFS")
    cp = next(f for f in pfs.factors if f.id == "child_pugh")
    assert figure_text(cp, pfs.analysis) == "RR 1.72 (no CI)"


def test_json_gives_the_statistic_under_its_own_name(assessed):
    data = json.loads(json.dumps(assessment_json(assessed)))
    luo_os = [r for r in data["risk"] if r.get("model") == "luo_os_table2"]
    assert luo_os, "the case is not ineligible for Luo, so its OS model is reported"
    for f in luo_os[0]["factors"]:
        assert "rr" not in f and "hr" not in f
        assert f["chi2_1df"] > 0 and f["effect_size"] is None and f["p"]
    assert "no direction" in luo_os[0]["model_label"]


def test_pdf_rows_show_the_statistic_not_an_rr(assessed):
    items = build_items(assessed, {}, charts=False)
    heading_at = next(i for i, it in enumerate(items) if isinstance(it, Heading)
                      and "Luo" in it.text and "· OS ·" in it.text)
    table = next(it for it in items[heading_at:] if isinstance(it, Table))
    figures = [row[2] for row in table.rows]
    assert all(f.startswith("χ² (1 df)") for f in figures), figures
    assert not any(f.startswith(("RR", "HR")) for f in figures)
