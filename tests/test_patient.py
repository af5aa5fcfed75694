"""Patient parsing: types, ranges, units, unknown keys, JSON and typed text."""
from __future__ import annotations

import pytest

from hccdecide.errors import PatientError
from hccdecide.patient import Patient, parse_text
from hccdecide.paths import cases_dir

CASE_FILES = sorted(cases_dir().glob("*.json"))


def test_there_are_case_files_to_check():
    assert len(CASE_FILES) >= 10


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_bundled_case_parses_and_round_trips(path):
    p = Patient.from_file(path)
    assert len(p) > 0
    assert Patient.from_json(p.to_json()) == p


def test_values_keep_their_types():
    p = Patient.from_dict({"ecog": 1.0, "albumin_g_l": 35, "cirrhosis": True,
                           "lnm_stations": ["hepatic_hilum", "para_aortic"]})
    assert p["ecog"] == 1 and isinstance(p["ecog"], int)  # 1.0 is a whole number
    assert p["cirrhosis"] is True
    assert p["lnm_stations"] == ("hepatic_hilum", "para_aortic")
    assert p["inr"] is None and not p.known("inr")


@pytest.mark.parametrize("key, value", [
    ("ecog", "1"),              # text is not a number
    ("albumin_g_l", "12"),
    ("cirrhosis", "yes"),       # text is not a boolean
    ("cirrhosis", 1),
    ("ecog", True),             # a boolean is not a number
    ("ecog", 1.5),              # not a whole number
    ("albumin_g_l", float("nan")),
    ("ascites", "severe"),      # not one of the choices
    ("lnm_stations", "hepatic_hilum"),  # a list is required
])
def test_wrong_type_is_rejected_naming_the_key(key, value):
    with pytest.raises(PatientError) as exc:
        Patient.from_dict({key: value})
    assert exc.value.key == key
    assert key in str(exc.value)


@pytest.mark.parametrize("key, low, high", [
    ("ecog", 0, 4), ("albumin_g_l", 10, 60), ("bilirubin_umol_l", 1, 900), ("inr", 0.7, 10),
    ("vp", 0, 4), ("vv", 0, 3), ("age_years", 1, 110),
])
def test_range_edges_are_inclusive(key, low, high):
    assert Patient.from_dict({key: low})[key] == low
    assert Patient.from_dict({key: high})[key] == high
    step = 1 if isinstance(low, int) and isinstance(high, int) else 0.01
    for outside in (low - step, high + step):
        with pytest.raises(PatientError) as exc:
            Patient.from_dict({key: outside})
        assert exc.value.key == key


def test_unknown_key_is_rejected_with_a_suggestion():
    with pytest.raises(PatientError) as exc:
        Patient.from_dict({"ecgo": 1})
    assert exc.value.key == "ecgo"
    assert "did you mean" in str(exc.value) and "ecog" in str(exc.value)


def test_unknown_key_is_rejected_even_when_null():
    with pytest.raises(PatientError):
        Patient.from_dict({"albumine": None})


def test_null_means_unknown():
    p = Patient.from_dict({"ecog": None, "albumin_g_l": 40})
    assert not p.known("ecog") and "ecog" not in p.to_dict()


def test_bilirubin_in_mg_dl_is_converted():
    # 2.0 mg/dL x 17.104 = 34.208 umol/L
    p = Patient.from_dict({"bilirubin_mg_dl": 2.0})
    assert p["bilirubin_umol_l"] == pytest.approx(34.208)
    assert "bilirubin_mg_dl" not in p.to_dict()


def test_albumin_in_g_dl_is_converted():
    # 3.5 g/dL x 10 = 35 g/L
    assert Patient.from_dict({"albumin_g_dl": 3.5})["albumin_g_l"] == pytest.approx(35.0)


def test_two_units_that_disagree_raise_naming_both_keys():
    # 40 g/L against 3.5 g/dL = 35 g/L: 12.5 % apart
    with pytest.raises(PatientError) as exc:
        Patient.from_dict({"albumin_g_l": 40, "albumin_g_dl": 3.5})
    assert exc.value.key == "albumin_g_dl"
    assert "albumin_g_l" in str(exc.value)


def test_two_units_agreeing_within_two_percent_are_accepted():
    # 1.0 mg/dL = 17.104 umol/L; 17.104 x 1.019 = 17.429 is 1.9 % away -> accepted, umol/L kept
    p = Patient.from_dict({"bilirubin_umol_l": 17.429, "bilirubin_mg_dl": 1.0})
    assert p["bilirubin_umol_l"] == pytest.approx(17.429)
    # 17.104 x 1.021 = 17.463 is 2.1 % away -> rejected
    with pytest.raises(PatientError) as exc:
        Patient.from_dict({"bilirubin_umol_l": 17.463, "bilirubin_mg_dl": 1.0})
    assert exc.value.key == "bilirubin_mg_dl"


@pytest.mark.parametrize("bad", ["12", True])
def test_a_badly_typed_value_is_not_hidden_by_its_alternative_unit(bad):
    # The canonical key carries a wrong type; the mg/dL value must not silently replace it.
    with pytest.raises(PatientError) as exc:
        Patient.from_dict({"bilirubin_umol_l": bad, "bilirubin_mg_dl": 1.0})
    assert exc.value.key in ("bilirubin_umol_l", "bilirubin_mg_dl")


def test_alternative_unit_out_of_its_range_is_rejected():
    with pytest.raises(PatientError) as exc:
        Patient.from_dict({"albumin_g_dl": 0.5})  # accepted 1-6 g/dL
    assert exc.value.key == "albumin_g_dl"


def test_json_syntax_error_names_the_position():
    with pytest.raises(PatientError) as exc:
        Patient.from_json('{"ecog": 1,,}')
    assert exc.value.key == "(file)"
    assert "line 1" in str(exc.value)


def test_json_must_be_an_object():
    with pytest.raises(PatientError):
        Patient.from_json("[1, 2]")


def test_round_trip_preserves_every_value():
    p = Patient.from_dict({"age_years": 61, "albumin_g_l": 38.5, "ascites": "mild", "cirrhosis": False,
                           "lnm_stations": ["celiac"], "case_label": "x"})
    q = Patient.from_json(p.to_json())
    assert q == p
    assert q.to_dict()["lnm_stations"] == ["celiac"]


def test_replace_sets_and_clears_values():
    p = Patient.from_dict({"ecog": 1})
    q = p.replace(ecog=None, inr=1.2)
    assert not q.known("ecog") and q["inr"] == 1.2
    assert p["ecog"] == 1  # the original is unchanged
    with pytest.raises(PatientError):
        p.replace(ecog=9)


def test_anonymised_drops_identifying_fields():
    p = Patient.from_dict({"case_label": "Mr X", "ecog": 0})
    assert dict(p.anonymised().values) == {"ecog": 0}


def test_parse_text_accepts_a_decimal_comma():
    assert parse_text("albumin_g_l", "35,5") == pytest.approx(35.5)
    assert parse_text("inr", " 1.25 ") == pytest.approx(1.25)
    assert parse_text("ecog", "2") == 2


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_text_empty_is_unknown(text):
    assert parse_text("albumin_g_l", text) is None


@pytest.mark.parametrize("key, text", [("albumin_g_l", "abc"), ("ecog", "1,5"), ("ecog", "7"),
                                       ("ascites", "lots")])
def test_parse_text_rejects_bad_input(key, text):
    with pytest.raises(PatientError) as exc:
        parse_text(key, text)
    assert exc.value.key == key


def test_parse_text_reads_station_lists():
    assert parse_text("lnm_stations", "hepatic_hilum; para_aortic") == ("hepatic_hilum", "para_aortic")


def test_unknown_station_code_is_rejected():
    with pytest.raises(PatientError) as exc:
        parse_text("lnm_stations", "hepatic_hilum, liver_gate")
    assert exc.value.key == "lnm_stations" and "liver_gate" in str(exc.value)
    with pytest.raises(PatientError):
        Patient.from_dict({"lnm_stations": ["nowhere"]})


def test_values_read_as_a_clinician_writes_them():
    """One format for every view that prints an entry: units, no trailing zeros, words for choices."""
    from hccdecide.variables import value_text

    assert value_text("albumin_g_l", 40.0) == "40 g/L"
    assert value_text("bilirubin_umol_l", 18) == "18 µmol/L"
    assert value_text("largest_diameter_cm", 4.5) == "4.5 cm"
    assert value_text("vp", 3) == "3"
    assert value_text("ascites", "moderate_severe") == "moderate to severe"
    assert value_text("lnm_stations", ["hepatic_hilum", "para_aortic"]) == "hepatic hilum, para aortic"
    assert value_text("resectable", False) == "no"
    assert value_text("afp_ng_ml", None) == "unknown"
