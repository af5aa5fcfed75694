"""The summary sentences agree with the assessment they summarise and never prescribe."""
from __future__ import annotations

import re

import pytest

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.engine.matching import ELIGIBLE, INELIGIBLE, UNCERTAIN
from hccdecide.engine.levels import evidence_level
from hccdecide.engine.plain_summary import at_a_glance, headline, offered, shown_regimens
from hccdecide.engine.regimens import INDICATION_MET
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


def test_named_strategies_are_the_first_offered_in_the_ranked_list(glance):
    # the summary names the first regimens of the one ranked list that it may offer (fits or may fit,
    # with results, indication entered when it has one): those the patient fits, else those the
    # patient may fit; one built for an entered finding is not displaced by generic ones
    a, _, g = glance
    text = " ".join(g.sentences)
    offer = [r for r in a.regimens if offered(r)]
    eligible = [r for r in offer if r.status == ELIGIBLE]
    uncertain = [r for r in offer if r.status == UNCERTAIN]
    named = [r for r in a.regimens if f"{r.info.name} (" in text]
    assert named == list(shown_regimens(a))
    if eligible:
        shown_eligible = [r for r in named if r.status == ELIGIBLE]
        assert shown_eligible == eligible[:len(shown_eligible)]
        assert all(r.indication == INDICATION_MET for r in named if r.status == UNCERTAIN)
    else:
        assert named == uncertain[:3]
    for r in named:
        assert f"{r.info.name} ({r.status}" in text
        assert f"{r.lead.study.short_name} — Level {evidence_level(r.lead.study)}, " in text
    for r in a.regimens:
        if not offered(r):
            assert f"{r.info.name} (" not in text


def test_key_outcome_is_one_reported_figure_of_a_named_study(glance):
    a, _, g = glance
    for r in shown_regimens(a):
        sentence = next(s for s in g.sentences if s.startswith(f"{r.info.name} ("))
        h = headline(r)
        if h.figure is None:
            assert "no outcome figure comes from a study the patient" in sentence
            continue
        after = sentence.split(f"{h.figure.study.short_name} — Level")[1].split(" reports ")[1]
        number = float(re.findall(r"(\d+(?:\.\d+)?)(?=%| months)", after)[0])
        assert number == h.figure.outcome.estimate.value and h.figure in h.row.range_figures
        assert h.figure.study.short_name in sentence


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
    assert c.study.short_name in sentence
    if any(st.counted for st in c.states):
        assert f"risk group {c.stratum.name}" in sentence
    else:  # no factor of the model known: the cohort's own curve, said as such
        assert "risk group" not in sentence and "the cohort's average, not this patient's" in sentence
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


def test_the_stage_sentence_says_when_child_pugh_and_bclc_rest_on_entries_in_conflict():
    """Clinical review 4, case 9: score 5 entered against 10 from the components (bilirubin 60, albumin
    31, moderate ascites): the summary's first line must not state class C and stage D as settled."""
    from hccdecide.engine.plain_summary import stage_sentence

    values = dict(child_pugh_score=5, bilirubin_umol_l=60, albumin_g_l=31, inr=1.4, ascites="moderate_severe",
                  encephalopathy="none", ecog=1, tumour_count=2, largest_diameter_cm=4.0, vp=2, vv=0,
                  lnm_present=False, extrahepatic_spread=False)
    text = stage_sentence(assess(Patient.from_dict(values)))
    assert "BCLC stage D (2022 strategy; rests on entries in conflict)" in text
    assert "Child–Pugh C (10 points) from its components, in conflict with other entries (check Child–Pugh " \
           "score, Total bilirubin, Albumin, Ascites)" in text


# Clinical review 4, case 4: ECOG 1, bilirubin 22, albumin 33 (no INR, ascites or encephalopathy), three
# tumours up to 5.5 cm, Vp1, untreated; resectability, nodes and spread not entered.
HALF_LABS = dict(age_years=66, ecog=1, bilirubin_umol_l=22, albumin_g_l=33, tumour_count=3,
                 largest_diameter_cm=5.5, vp=1, treatment_naive=True, rt_dose_gy=50, rt_fractions=10)


def test_missing_entries_are_asked_for_even_when_a_domain_stays_unreported():
    """Guo 2022 took unresectable HCC with portal thrombus, no nodal or distant spread, Child-Pugh A-B7
    (Kang 2026, Table 3), and gives no performance-status criterion. Entering resectability, nodes,
    spread or the missing Child-Pugh components can still rule it out, so the summary names them and
    says only the unreported domain stays open, never that no entry can settle the fit."""
    from hccdecide.engine.plain_summary import why_text

    a = assess(Patient.from_dict(HALF_LABS))
    guo = next(r for r in a.regimens if r.lead.study.id == "guo2022_rt_tace_pvtt")
    text = why_text(guo)
    assert "no entry can settle" not in text
    assert text.startswith("; entering Resectable (surgical judgement), Lymph-node metastasis and 4 more would "
                           "check the fit to Guo 2022 further")
    assert "performance status" in text and "stays open whatever is entered" in text


def test_a_derived_value_is_asked_for_through_its_entries():
    """Child-Pugh score is derived: with bilirubin (22 umol/L) and albumin (33 g/L) entered, what is left
    to enter for Guo 2022's Child-Pugh <= 7 criterion is INR, ascites and encephalopathy."""
    m = assess(Patient.from_dict(HALF_LABS)).match("guo2022_rt_tace_pvtt")
    assert "child_pugh_score" in m.missing
    assert m.entries == ("resectable", "lnm_present", "extrahepatic_spread", "inr", "ascites", "encephalopathy")
    assert "Child–Pugh" not in m.uncertain_text.split("·")[0]
    assert "INR, Ascites, Hepatic encephalopathy" in m.uncertain_text
