"""Which regimens the summary names, in what order, and with whose level and figure.

Clinical review of the summary: it chose and ranked regimens by evidence level alone, so a randomised
trial that can never become "eligible" (its source reports no line-of-therapy criterion) headed the
summary of a patient with oligoprogression, the studies built for that situation went unnamed, a
pain regimen was offered to patients whose pain was never entered, and a sentence could pair one
study's level with another study's figure. The expectations below are worked out by hand from the
evidence files.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.icon_array import glance_icons
from hccdecide.engine.levels import evidence_level
from hccdecide.engine.matching import ELIGIBLE, UNCERTAIN, UNKNOWN, CriterionResult, StudyMatch
from hccdecide.engine.plain_summary import (at_a_glance, evidence_text, headline, offered, regimen_sentence,
                                            regimens_sentences, shown_regimens)
from hccdecide.engine.regimens import (INDICATION_MET, INDICATION_NOT_ENTERED, NO_INDICATION, group_regimens,
                                       settleable)
from hccdecide.evidence.schema import Criterion, Condition, Op
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir


def case(name: str, **changes):
    return _case(name, tuple(sorted(changes.items())))


@lru_cache(maxsize=None)
def _case(name: str, changes: tuple):
    p = Patient.from_file(cases_dir() / f"{name}.json")
    return assess(Patient.from_dict({**p.values, **dict(changes)}) if changes else p)


def named(a):
    return [r.info.key for r in shown_regimens(a)]


def sentence_of(a, key):
    r = next(r for r in a.regimens if r.info.key == key)
    return regimen_sentence(r)


@pytest.fixture(scope="module")
def oligo():
    return case("training_oligoprogression")


@pytest.fixture(scope="module")
def nodal():
    return case("example_nodal_disease")


# -- finding 1: oligoprogression on first-line atezolizumab-bevacizumab --------------------------------

def test_oligoprogression_leads_with_the_studies_built_for_it(oligo):
    # two progressing lesions in two organs, stable 8 months on first-line therapy: RT to the
    # oligoprogressive lesions (Hsu 2026, Glicksman 2025, Wang 2025 protocol) heads the list and the
    # summary; SBRT for 1-5 extrahepatic metastases (2 entered) follows; RT + TKI (RTOG 1112) comes
    # after both, generic and never checkable for this patient
    assert named(oligo) == ["rt_oligoprogression", "sbrt_oligomet", "rt_tki"]
    assert [r.info.key for r in oligo.regimens][:3] == named(oligo)  # the results list: the same order


def test_oligoprogression_sentence_names_hsu_its_level_and_figure_and_the_open_protocol(oligo):
    text = sentence_of(oligo, "rt_oligoprogression")
    # Hsu 2026, prospective phase II (Level 3), 2-year OS 84.9 %; the mixed-tumour RADIANT trial (70
    # patients) is larger but not HCC-specific, so it never heads the regimen
    assert "Hsu 2026 — Level 3, prospective single-arm — reports overall survival, 2-year: 84.9%" in text
    assert "Glicksman" not in text
    assert "built for oligoprogression on systemic therapy, as entered" in text
    assert "open trial, no results yet: Wang 2025 (eligible)" in text


def test_rtog1112_says_that_no_entry_can_settle_its_fit(oligo):
    text = sentence_of(oligo, "rt_tki")
    assert text == ("RT + tyrosine-kinase inhibitor (uncertain): Dawson 2025 (NRG/RTOG 1112) — Level 1, randomised "
                    "phase III — reports median overall survival: 15.8 months vs 12.3 months with sorafenib alone "
                    "(randomised, HR p = 0.04); Dawson 2025 (NRG/RTOG 1112) reports "
                    "no criterion on line of therapy, so no entry can settle the fit.")


def test_rtog1112_icons_follow_its_place_in_the_summary(oligo):
    # no individual estimate applies; RTOG 1112 is the only randomised comparison among the named
    # regimens, so its icon arrays remain, read with its sentence (third, "no entry can settle it")
    icons = glance_icons(oligo, at_a_glance(oligo), {})
    assert icons and all(i.title.startswith("Dawson 2025 (NRG/RTOG 1112)") for i in icons)
    assert not shown_regimens(oligo)[0].fitting_benefits and not shown_regimens(oligo)[1].fitting_benefits


# -- finding 2: nodal metastases --------------------------------------------------------------------

def test_nodal_patient_summary_names_yan_2025(nodal):
    # both regimens built for nodal disease rank before generic ones; within them equal fit (never
    # checkable) and level (4, retrospective): the larger total (Wang 2023 nodal SBRT) first
    assert named(nodal) == ["sbrt_nodal", "rt_systemic_nodal", "rt_tki"]
    text = sentence_of(nodal, "rt_systemic_nodal")
    assert text == ("Nodal RT + targeted and/or immunotherapy (uncertain; built for nodal metastases, as entered): "
                    "Yan 2025 — Level 4, retrospective — reports median overall survival (from first day of "
                    "treatment): 26 months; Yan 2025 reports no criterion on performance status, so no entry can "
                    "settle the fit.")


# -- finding 3: a regimen for an indication is offered only when the indication is entered ---------

@pytest.mark.parametrize("name", ["training_oligoprogression", "example_nodal_disease", "training_small_untreated",
                                  "training_main_trunk_pvtt", "training_decompensated", "training_missing_data"])
def test_pain_regimen_is_not_offered_while_pain_is_not_entered(name):
    a = case(name)
    pain = next(r for r in a.regimens if r.info.key == "palliative_rt")
    assert a.patient.values.get("painful_liver_tumour") is None
    assert pain.indication == INDICATION_NOT_ENTERED and not offered(pain)
    assert "Palliative single-fraction RT" not in " ".join(at_a_glance(a).sentences)


def test_pain_entered_as_present_offers_the_pain_regimen_with_its_own_figure():
    a = case("training_oligoprogression", painful_liver_tumour=True)
    pain = next(r for r in a.regimens if r.info.key == "palliative_rt")
    assert pain.indication == INDICATION_MET and pain in shown_regimens(a)
    # level and figure from the same trial: CCTG HE1, randomised phase III, 8 Gy arm pain response at
    # 1 month 67 % against 22 % with supportive care alone (not Yeung 2020's retrospective 50 %); only
    # 35 % of its patients had HCC (Kang 2026, Palliative RT for primary HCC section)
    text = regimen_sentence(pain)
    assert ("CCTG HE1 (Dawson 2024; only 35% had HCC) — Level 1, randomised phase III — reports pain response, "
            "1-month: 67% vs 22% with best supportive care alone (randomised, p = 0.0042)") in text
    assert "50%" not in text and "Yeung" not in text


def test_pain_entered_as_absent_keeps_the_regimen_out():
    a = case("training_small_untreated", painful_liver_tumour=False)
    assert all(r.info.key != "palliative_rt" for r in shown_regimens(a))


# -- finding 4: a level is never paired with another study's figure ---------------------------------

def test_level_and_figure_name_their_studies_when_they_differ(library):
    # RT + TKI with RTOG 1112 (Level 1) stripped of its figures and the Chen 2022 meta-analysis (pooling
    # not stated: Level 4) both uncertain: RTOG 1112 leads (level) but reports nothing, so the figure is
    # Chen's median OS 19.45 months, and the sentence says whose each is
    rtog = library.study("dawson2025_rtog1112_sbrt_sorafenib")
    bare = rtog.model_copy(update={"arms": [a.model_copy(update={"outcomes": []}) for a in rtog.arms]})
    chen = library.study("chen2022_ebrt_sorafenib_meta")
    rt_tki = next(r for r in group_regimens([StudyMatch(bare, UNCERTAIN, ()), StudyMatch(chen, UNCERTAIN, ())],
                                            library.regimens) if r.info.key == "rt_tki")
    h = headline(rt_tki)
    assert h.lead.study.id == rtog.id and h.figure.study.id == chen.id and not h.figure_from_lead
    assert evidence_text(rt_tki, h) == (
        "Dawson 2025 (NRG/RTOG 1112) — Level 1, randomised phase III — reports no outcome figure; "
        "Chen 2022 (meta-analysis) — Level 4, meta-analysis — reports median overall survival: 19.45 months")


@pytest.mark.parametrize("name", sorted(p.stem for p in cases_dir().glob("*.json")))
def test_every_named_figure_comes_from_the_study_named_with_it(name):
    a = case(name)
    for r in shown_regimens(a):
        h = headline(r)
        text = regimen_sentence(r)
        assert f"{h.lead.study.short_name} — Level {h.level}, " in text
        assert h.lead.status == r.status
        if h.figure is not None:
            # the figure follows the study it comes from, with that study's own level
            assert h.figure.status == r.status
            assert f"{h.figure.study.short_name} — Level {evidence_level(h.figure.study)}, " in text
            if not h.figure_from_lead:
                assert " — reports no outcome figure; " in text


# -- the rule: settleable before never checkable; setting before generic -----------------------------

def _unknown_pain(study) -> StudyMatch:
    crit = Criterion(id="pain", label="pain", rule=Condition(var="painful_liver_tumour", op=Op.IS_TRUE),
                     location="test")
    return StudyMatch(study, UNCERTAIN, (CriterionResult(crit, UNKNOWN, "unknown", ("painful_liver_tumour",)),))


def test_a_fit_entered_data_can_settle_ranks_before_a_higher_level_that_can_never_be_checked(library):
    never = StudyMatch(library.study("dawson2025_rtog1112_sbrt_sorafenib"), UNCERTAIN, (), unreported_domains=("setting",))
    can = _unknown_pain(library.study("mendezromero2023_trendy"))  # TRENDY, randomised phase II: Level 2
    assert settleable(can) and not settleable(never)
    keys = [r.info.key for r in group_regimens([never, can], library.regimens)]
    assert keys == ["sbrt_vs_tace", "rt_tki"]
    # both settleable: the level decides again (RTOG 1112, Level 1, first)
    both = [_unknown_pain(never.study), can]
    assert [r.info.key for r in group_regimens(both, library.regimens)] == ["rt_tki", "sbrt_vs_tace"]


def test_a_regimen_built_for_an_entered_finding_ranks_before_generic_ones(library, make_patient):
    # Yan 2025 (Level 4) vs RTOG 1112 (Level 1), both uncertain and never checkable: with nodes entered,
    # the nodal regimen first; nodes not entered, RT + TKI first and the nodal regimen not offered
    yan = StudyMatch(library.study("yan2025_lnm"), UNCERTAIN, (), unreported_domains=("performance_status",))
    rtog = StudyMatch(library.study("dawson2025_rtog1112_sbrt_sorafenib"), UNCERTAIN, (), unreported_domains=("setting",))
    with_nodes = group_regimens([rtog, yan], library.regimens, {"lnm_present": True})
    assert [(r.info.key, r.indication) for r in with_nodes] == [("rt_systemic_nodal", INDICATION_MET),
                                                                ("rt_tki", NO_INDICATION)]
    unknown = group_regimens([rtog, yan], library.regimens, {"lnm_present": None})
    assert [(r.info.key, r.indication) for r in unknown] == [("rt_tki", NO_INDICATION),
                                                             ("rt_systemic_nodal", INDICATION_NOT_ENTERED)]


# -- the other patients read right -------------------------------------------------------------------

def test_resectable_mvi_summary_names_the_perioperative_regimen():
    # Pan 2024 prints only its major inclusion criteria, the complete list being in a supplement the
    # document lacks (Methods, Study design and participants): every checkable criterion is met, yet the
    # regimen is uncertain, and the sentence names why. With no regimen fitted with certainty, the
    # uncertain ones built for the entered finding are named by level (Wei 2019: Level 2; Hu 2023, a
    # non-comparative randomised trial, and Pan 2024: Level 3, Hu's 60 patients before Pan's)
    a = case("training_resectable_mvi")
    assert named(a) == ["neoadjuvant_rt_resection", "rt_io_pvtt", "periop_pd1_imrt_mvi"]
    assert regimens_sentences(a)[3] == (
        "Perioperative PD-1 inhibitor + IMRT, then resection (uncertain; built for resectable disease with "
        "macrovascular invasion, as entered): Pan 2024 — Level 3, prospective single-arm — reports median "
        "overall survival (from first tislelizumab dose): 18.7 months; Pan 2024's exclusion criteria could not "
        "be checked (the document gives only the major inclusion criteria; the complete eligibility list is in "
        "the article's supplement, which is not available), so no entry can settle the fit.")


def test_unresectable_main_trunk_pvtt_child_pugh_b_leads_with_thrombus_regimens():
    a = case("training_main_trunk_pvtt")
    assert a.derived.facts["child_pugh_class"] == "B"
    # third place: RT + TKI and SBRT + immunotherapy both rank by a Level 3 lead (Juloori 2023 is randomised
    # only between two SBRT + immunotherapy variants, so no longer Level 2 for the strategy); the larger
    # total n decides (RT + TKI 177 against 161)
    # Guo 2022 randomised only the order of RT and TACE (both arms RT for the thrombus) and Hu 2023 did
    # not compare its arms (Kang 2026, Table 3; text with Table 6): both lead at Level 3, Hu's 60
    # patients checked on more domains first
    assert named(a) == ["rt_io_pvtt", "rt_mvi", "rt_tki"]
    assert ("Hu 2023 — Level 3, randomised (phase not stated; randomised but not designed to compare its arms, "
            "so each arm is a prospective series) — reports median overall survival: 12.7 months vs 8.6 months"
            in sentence_of(a, "rt_io_pvtt"))
    # the neoadjuvant regimen ends in a resection: not offered while resectability is not entered
    neo = next(r for r in a.regimens if r.info.key == "neoadjuvant_rt_resection")
    assert not offered(neo)


def test_decompensated_patient_reads_the_gates_once():
    a = case("training_decompensated")  # Child-Pugh C 13, ECOG 3, BCLC D, nodes and Vp2
    assert named(a) == ["sbrt_nodal", "rt_mvi", "rt_io"]
    for r in shown_regimens(a):
        text = regimen_sentence(r)
        assert "No study of this regimen" in text
        # the gate is said in its own sentence, not repeated in why the fit is uncertain; an entry still
        # missing (Juloori 2023: resectability) is asked for, the unreported domains stay open
        assert "admitting Child–Pugh C" not in text
        assert "so no entry can settle the fit" in text or "stays open whatever is entered" in text


def test_early_bclc_a_summary_reads_the_local_options():
    a = case("training_small_untreated")
    assert named(a) == ["tace_rt", "sbrt_vs_tace", "sbrt_curative"]
    assert "Chen 2025 — Level 1, randomised phase III — reports median overall survival: 47.1 months" in \
        sentence_of(a, "tace_rt")


def test_an_eligible_generic_regimen_leaves_a_place_for_the_entered_setting(oligo):
    # the oligoprogression patient with RT + TKI eligible: RT + TKI is named as fitting, and RT to the
    # oligoprogressive lesions still appears as the regimen built for the entered finding
    from dataclasses import replace
    regimens = tuple(r if r.info.key != "rt_tki" else
                     type(r)(r.info, tuple(m.__class__(m.study, ELIGIBLE, m.criteria) if m.study.id ==
                                           "dawson2025_rtog1112_sbrt_sorafenib" else m for m in r.matches),
                             r.outcomes, r.benefits, r.indication) for r in oligo.regimens)
    a = replace(oligo, regimens=regimens)
    assert named(a)[0] == "rt_tki" and "rt_oligoprogression" in named(a)
    sentences = regimens_sentences(a)
    assert sentences[0].startswith("Strategies the patient fits")
    assert "Built for an entered finding, the patient may also fit:" in sentences


# Clinical review case: Child-Pugh B8, Vp3, AFP 12,000, unresectable, untreated.
CP_B8_VP3 = dict(age_years=62, sex="male", ecog=1, bilirubin_umol_l=38, albumin_g_l=30, inr=1.35, ascites="mild",
                 encephalopathy="none", cirrhosis=True, afp_ng_ml=12000, alt_u_l=55, tumour_count=2,
                 largest_diameter_cm=8.5, sum_diameter_cm=11.0, resectable=False, treatment_naive=True, vp=3, vv=0,
                 lnm_present=False, extrahepatic_spread=False, first_line_therapy="none",
                 prior_systemic_therapy=False, prior_rt_same_site=False, rt_dose_gy=40, rt_fractions=10)


def test_the_lead_study_is_the_one_whose_fit_was_checked_on_more_domains():
    """SBRT + immunotherapy: Juloori 2023 (phase I, n = 14) reports no criterion on liver function,
    performance status or line of therapy; Li 2022 (phase II) checks BCLC B-C and Child-Pugh A-B and
    leaves only the line of therapy unreported (Kang 2026, Table 5). Li 2022 leads, and the regimen is
    ranked by Li 2022's level, not Juloori's."""
    a = assess(Patient.from_dict(CP_B8_VP3))
    rt_io = next(r for r in a.regimens if r.info.key == "rt_io")
    by_id = {m.study.id: m for m in rt_io.status_studies}
    assert len(by_id["juloori2023_sbrt_nivo_ipi"].unreported_domains) == 3
    assert by_id["li2022_sbrt_camrelizumab"].unreported_domains == ("setting",)
    assert rt_io.lead.study.id == "li2022_sbrt_camrelizumab"
    assert "Li 2022 — Level 3" in regimen_sentence(rt_io)
