"""Case files that must never crash the reader: each failure once seen, then a few hundred generated files.

Every malformed file gives a PatientError (exit 2 from the CLI) naming the key or the place at fault,
in a message short enough to read; every valid file loads and writes back unchanged.
"""
from __future__ import annotations

import json

import pytest
from case_generator import EITHER, INVALID, VALID, cases

from hccdecide import cli
from hccdecide.atomic_file import write_atomically
from hccdecide.errors import PatientError
from hccdecide.patient import Patient

MAX_MESSAGE = 600  # the longest accepted-values list (station codes) plus a cut value fits well within


def refusal(data: bytes | str) -> PatientError:
    with pytest.raises(PatientError) as exc:
        Patient.from_json(data)
    return exc.value


@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000])
def test_deep_nesting_is_refused_without_a_recursion_error(body):
    err = refusal('{"ecog": ' + body + "}")
    assert err.key == "(file)" and "nesting" in str(err)


def test_a_4301_digit_integer_is_refused_without_a_value_error():
    err = refusal('{"age_years": ' + "1" * 4301 + "}")
    assert "4301 characters" in str(err)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999", "-1E400"])
def test_nan_and_infinity_are_refused(token):
    err = refusal(f'{{"afp_ng_ml": {token}}}')
    assert token in str(err)


def test_a_duplicate_key_is_refused_naming_it_even_with_a_valid_last_value():
    err = refusal('{"ecog": 9, "age_years": 60, "ecog": 1}')
    assert err.key == "ecog" and "twice" in str(err)


def test_non_utf8_bytes_are_refused_naming_the_byte():
    err = refusal('{"case_label": "Müller"}'.encode("latin-1"))
    assert "UTF-8" in str(err) and "byte 18 (0xfc)" in str(err)


def test_a_utf8_byte_order_mark_is_accepted():
    assert Patient.from_json(b'\xef\xbb\xbf{"ecog": 2}')["ecog"] == 2


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "x\\ud83dy", "\\u0000", "a\\nb", "\\u001b[2J",
                                    "\\u007f", "\\u0085", "a\\tb"])
def test_control_characters_and_lone_surrogates_in_text_are_refused(escape):
    err = refusal(f'{{"case_label": "{escape}"}}')
    assert err.key == "case_label"
    assert "control character" in str(err) or "lone surrogate" in str(err)
    str(err).encode("utf-8")  # the message itself can be printed and saved


LABELS = ["患者 王", "😀🧬", "Ünïcödé ß", "שלום עולם", "e\u0301", "\u200dzwj", "<b>&amp;</b>", "\U0010fffd"]


@pytest.mark.parametrize("label", LABELS)
def test_any_valid_unicode_label_writes_and_reads_back(label, tmp_path):
    patient = Patient.from_dict({"case_label": label, "ecog": 1})
    path = write_atomically(patient.to_json(), tmp_path / "case.json")
    again = Patient.from_file(path)
    assert again["case_label"] == label and again == patient


def test_a_long_value_is_cut_in_the_message():
    err = refusal(json.dumps({"lnm_stations": ["s" * 100_000]}))
    assert len(str(err)) < MAX_MESSAGE and "100,004 characters in all" in str(err)


def test_a_long_unknown_key_is_cut_in_the_message():
    err = refusal(json.dumps({"k" * 100_000: 1}))
    assert len(str(err)) < MAX_MESSAGE


@pytest.mark.parametrize("value", [0.05, 53])
def test_bilirubin_in_mg_dl_is_checked_in_mg_dl(value):
    # 0.05 mg/dL x 17.104 = 0.855 umol/L, below the 1 umol/L floor; 53 x 17.104 = 906.5, above 900.
    err = refusal(json.dumps({"bilirubin_mg_dl": value}))
    assert err.key == "bilirubin_mg_dl" and "mg/dL" in str(err)
    assert "umol" not in str(err) and "µmol" not in str(err)


@pytest.mark.parametrize("value, umol", [(0.06, 1.02624), (52.6, 899.6704)])
def test_the_mg_dl_range_edges_convert_inside_the_umol_range(value, umol):
    assert Patient.from_dict({"bilirubin_mg_dl": value})["bilirubin_umol_l"] == pytest.approx(umol)


def test_an_oversized_file_is_refused_before_parsing():
    err = refusal(b'{"case_label": "' + b"a" * 1_000_001 + b'"}')
    assert "1,000,000 bytes" in str(err)


def test_a_device_or_folder_is_refused(tmp_path):
    with pytest.raises(PatientError):
        Patient.from_file(tmp_path)


GENERATED = cases(440, seed=12)


def test_the_generated_files_cover_every_kind_and_outcome():
    kinds = {c.kind for c in GENERATED}
    assert len(kinds) >= 18 and {c.expect for c in GENERATED} == {VALID, INVALID, EITHER}


@pytest.mark.parametrize("case", GENERATED, ids=lambda c: c.kind)
def test_a_generated_file_loads_or_is_refused_clearly(case):
    try:
        patient = Patient.from_json(case.data)
    except PatientError as err:
        assert case.expect != VALID, str(err)
        message = str(err)
        assert len(message) < MAX_MESSAGE
        message.encode("utf-8")
        if case.key is not None:
            assert err.key == case.key
        return
    assert case.expect != INVALID, f"{case.kind} accepted: {case.data[:200]!r}"
    assert Patient.from_json(patient.to_json().encode("utf-8")) == patient


@pytest.mark.parametrize("case", cases(44, seed=1212)[:22], ids=lambda c: c.kind)
def test_the_cli_exits_2_with_a_message_for_every_kind(case, tmp_path, capsys):
    path = tmp_path / "case.json"
    path.write_bytes(case.data)
    status = cli.main(["assess", str(path), "--json", "--no-bands"])
    out, err = capsys.readouterr()
    if case.expect == INVALID:
        assert status == 2 and out == "" and "error in" in err
    elif case.expect == VALID:
        assert status == 0 and json.loads(out)
    else:
        assert status in (0, 2)
    assert "Traceback" not in err


@pytest.mark.parametrize("label", LABELS)
def test_any_valid_unicode_label_survives_the_case_store(label, tmp_path):
    from hccdecide.store import CaseStore

    patient = Patient.from_dict({"case_label": label, "ecog": 1})
    store = CaseStore(tmp_path / "cases.sqlite3")
    try:
        case_id = store.save(patient)
        assert store.load(case_id) == patient
        assert [c.label for c in store.recent()] == [label]
    finally:
        store.close()
