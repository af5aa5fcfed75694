"""The summary sentences agree with the assessment they summarise and never prescribe."""
from __future__ import annotations

import re

import pytest

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, UNCERTAIN
from hccdecide.engine.plain_summary import at_a_glance
from hccdecide.engine.serialize import assessment_json
from hccdecide.patient import FIELD_BY_KEY, Patient
from hccdecide.paths import cases_dir

CASES = sorted(p.name for p in cases_dir().glob("*.json"))
PRESCRIPTIVE = re.compile(r"\b(should|recommend\w*|advis\w*|must|ought|indicated|suggest\w*|prefer\w*|"
                          r"best option|treatment of choice)\b", re.I)


@pytest.fixture(scope="module", params=CASES)
def glance(request):
    a = assess(Patient.from_file(cases_dir() / request.param))
    bands = bands_for(a.curves)
    return a, bands, at_a_glance(a, bands)


def test_no_prescriptive_word(glance):
    _, _, g = glance
    for sentence in g.sentences:
        assert not PRESCRIPTIVE.search(sentence), sentence


def test_stage_and_liver_function_match_the_derived_values(glance):
    a, _, g = glance
    f = a.derived.facts
    first = g.sentences[0]
    reachable = f["_possible"].get("bclc_stage", ())
    undecided = f"BCLC stage undecided: {' or '.join(reachable)}" if 0 < len(reachable) < 5 else "BCLC stage unknown"
    assert (f"BCLC stage {f['bclc_stage']}" if f["bclc_stage"] else undecided) in first
    assert (f"Child–Pugh {f['child_pugh_class']}" if f["child_pugh_class"] else "Child–Pugh class unknown") in first


def test_counts_match_the_regimen_statuses(glance):
    a, _, g = glance
    text = next(s for s in g.sentences if "treatment strategies" in s)
    total, fits, may, no = map(int, re.findall(r"\d+", text))
    statuses = [r.status for r in a.regimens]
    assert total == len(a.regimens)
    assert (fits, may, no) == (statuses.count(ELIGIBLE), statuses.count(UNCERTAIN), statuses.count(INELIGIBLE))


def test_named_strategies_are_the_best_ranked_that_fit(glance):
    a, _, g = glance
    text = " ".join(g.sentences)
    with_results = [r for r in a.regimens if any(not m.study.is_protocol for m in r.matches)]
    eligible = [r for r in with_results if r.status == ELIGIBLE]
    expected = eligible or [r for r in with_results if r.status == UNCERTAIN]
    named = [r for r in a.regimens if f"{r.info.name} (" in text]
    assert named == expected[:3]
    for r in named:
        assert f"{r.info.name} ({r.status};" in text
        assert f"Level {r.best_level}" in text
    for r in a.regimens:
        if r.status == INELIGIBLE:
            assert f"{r.info.name} (" not in text


def test_key_outcome_is_a_reported_figure_range(glance):
    a, _, g = glance
    for r in a.regimens:
        sentence = next((s for s in g.sentences if s.startswith(f"{r.info.name} (")), None)
        if sentence is None or "no outcome figure" in sentence:
            continue
        numbers = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)(?=%| months|–)", sentence.split("reports")[1])]
        figures = {f.outcome.estimate.value for row in r.outcomes for f in row.range_figures}
        assert numbers and set(numbers) <= figures, (sentence, figures)


def test_risk_sentence_reads_the_curve_it_names(glance):
    a, bands, g = glance
    sentence = next(s for s in g.sentences if "risk estimate" in s or "Individual estimate" in s)
    c = g.risk_curve
    if c is None:
        assert "No individual risk estimate" in sentence
        assert not any(x.model.default and x.stage == "baseline" and a.match(x.study.id).status != INELIGIBLE
                       for x in a.curves)
        return
    assert a.match(c.study.id).status != INELIGIBLE
    assert c.study.short_name in sentence and f"risk group {c.stratum.name}" in sentence
    if c.median is not None:
        assert f"predicted median {round(c.median, 1):.1f} months" in sentence
        lo, hi = bands[a.curves.index(c)].median_ci
        if lo is not None and hi is not None:
            assert f"{lo:.1f}–{hi:.1f}" in sentence


def test_next_data_sentence_names_the_top_three(glance):
    _, _, g = glance
    last = g.sentences[-1]
    for item in g.next_data[:3]:
        assert item.label in last
    for item in g.next_data[3:]:
        assert f"{item.label} (" not in last


def test_json_carries_the_same_sentences_and_documented_keys(glance, root):
    a, bands, g = glance
    out = assessment_json(a, bands)
    assert out["summary"] == list(g.sentences)
    readme = (root / "README.md").read_text(encoding="utf-8")
    for entry in out["next_data"]:
        assert entry["key"] in FIELD_BY_KEY and f"`{entry['key']}`" in readme
        assert entry["settles"] == len(entry["studies"]) + len(entry["risk_models"])
