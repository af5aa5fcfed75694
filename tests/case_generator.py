"""Case files, valid and adversarial, drawn from a seeded generator (the same seed gives the same files).

Used by the malformed-file tests (a few hundred, fixed seed) and by ``benchmarks/fuzz.py`` (thousands,
any seed). Each case says what it is, what a correct reader must do with it, and, when one key is at
fault, which key the refusal must name.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Callable

from hccdecide.patient import (ALT_UNITS, BOOLEAN, CHOICE, FIELDS, INTEGER, NUMBER, TEXT, TEXT_LIST,
                               station_codes)

VALID, INVALID, EITHER = "valid", "invalid", "either"


@dataclass(frozen=True)
class Case:
    kind: str
    data: bytes
    expect: str  # VALID, INVALID or EITHER (a random mutation may or may not still be a good case)
    key: str | None = None  # the key a refusal must name, when one key is at fault


def _in_range(rng: random.Random, spec) -> object:
    if spec.kind == NUMBER:
        value = round(rng.uniform(spec.low, spec.high), rng.choice([0, 1, 2, 4]))
        return min(max(value, spec.low), spec.high)
    if spec.kind == INTEGER:
        return rng.randint(int(spec.low), int(spec.high))
    if spec.kind == BOOLEAN:
        return rng.choice([True, False])
    if spec.kind == CHOICE:
        return rng.choice(spec.choices)
    if spec.kind == TEXT_LIST:
        return rng.sample(sorted(station_codes()), rng.randint(1, 3))
    return rng.choice(["MDT 12", "Case A-7", "患者 三", "Ünïcödé 😀", "שלום", "e\u0301", "<b>&amp;</b>", ""])


def _valid_dict(rng: random.Random) -> dict:
    specs = rng.sample(FIELDS, rng.randint(0, len(FIELDS)))
    out = {}
    for spec in specs:
        out[spec.key] = _in_range(rng, spec) if rng.random() > 0.05 else None
    return out


def _dump(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def valid(rng):
    return Case("valid", _dump(_valid_dict(rng)), VALID)


def valid_unicode_label(rng):
    label = "".join(rng.choice(["患", "者", "😀", "🧬", "é", "ß", "ع", " ", "Ω", "\u200d", "✓"])
                    for _ in range(rng.randint(1, 40)))
    return Case("valid_unicode_label", _dump({"case_label": label, "ecog": 1}), VALID)


def valid_alt_unit(rng):
    alt = rng.choice(ALT_UNITS)
    canonical = next(f for f in FIELDS if f.key == alt.canonical)
    low = max(alt.low, canonical.low / alt.factor)
    high = min(alt.high, canonical.high / alt.factor)
    return Case("valid_alt_unit", _dump({alt.key: round(rng.uniform(low, high), 3) or low}), VALID)


def _number_spec(rng):
    return rng.choice([f for f in FIELDS if f.kind in (NUMBER, INTEGER)])


def out_of_range(rng):
    spec = _number_spec(rng)
    span = (spec.high - spec.low) or 1
    value = rng.choice([spec.low - rng.uniform(0.01, 1) * span, spec.high + rng.uniform(0.01, 10) * span])
    if spec.kind == INTEGER:
        value = int(value) + (1 if value > spec.high else -1)
    return Case("out_of_range", _dump({spec.key: value}), INVALID, spec.key)


def alt_unit_out_of_range(rng):
    alt = rng.choice(ALT_UNITS)
    value = rng.choice([alt.low - abs(alt.low) * 0.5 - 0.01, alt.high * 1.5 + 1, -1])
    return Case("alt_unit_out_of_range", _dump({alt.key: value}), INVALID, alt.key)


_WRONG = {NUMBER: ["12", True, [1], {"v": 1}, "NaN"], INTEGER: [1.5, "2", False, [2]],
          BOOLEAN: [1, 0, "true", "yes"], CHOICE: [1, "Male", "", ["male"]],
          TEXT_LIST: ["hepatic_hilum", [1], ["nowhere"], {"a": 1}], TEXT: [12, ["x"], {"x": 1}, True]}


def wrong_type(rng):
    spec = rng.choice([f for f in FIELDS if f.kind in _WRONG])
    value = rng.choice(_WRONG[spec.kind])
    return Case("wrong_type", _dump({spec.key: value}), INVALID, spec.key)


def unknown_key(rng):
    spec = rng.choice(FIELDS)
    key = rng.choice([spec.key[:-1], spec.key + "x", spec.key.upper(), "x" * rng.randint(1, 100_000),
                      "key\u0000", "\ud800", "ключ"])
    text = json.dumps({key: 1}, ensure_ascii=True)  # a lone surrogate only travels as an escape
    return Case("unknown_key", text.encode("ascii"), INVALID, key)


def duplicate_key(rng):
    spec = rng.choice(FIELDS)
    first, second = _in_range(rng, spec), _in_range(rng, spec)
    body = f'{{"{spec.key}": {json.dumps(first)}, "ecog": 1, "{spec.key}": {json.dumps(second)}}}'
    return Case("duplicate_key", body.encode("utf-8"), INVALID, spec.key)


def deep(rng):
    depth = rng.choice([21, 50, 999, 1000, 5000, 100_000])
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    body = '{"ecog": ' + opener * depth + "1" + closer * depth + "}"
    return Case("deep", body.encode(), INVALID)


def long_number(rng):
    digits = rng.choice([41, 400, 4300, 4301, 10_000])
    number = rng.choice(["1" * digits, "-" + "9" * digits, "0." + "3" * digits, "1e" + "9" * min(digits, 50)])
    return Case("long_number", f'{{"age_years": {number}}}'.encode(), INVALID)


def huge_exponent(rng):
    token = rng.choice(["1e400", "-1e999", "1E+999", "2.5e308"])
    return Case("huge_exponent", f'{{"afp_ng_ml": {token}}}'.encode(), INVALID)


def constant(rng):
    token = rng.choice(["NaN", "Infinity", "-Infinity"])
    key = _number_spec(rng).key
    return Case("constant", f'{{"{key}": {token}}}'.encode(), INVALID)


def bad_text(rng):
    bad = rng.choice(["\\ud800", "\\udfff", "a\\udc80b", "\\u0000", "line\\nbreak", "\\u001b[31m", "\\u007f",
                      "\\u0085", "tab\\there", "\\ud83d"])
    return Case("bad_text", f'{{"case_label": "{bad}"}}'.encode(), INVALID, "case_label")


def long_value(rng):
    big = "x" * rng.choice([81, 1000, 100_000])
    key, value = rng.choice([("lnm_stations", [big]), ("sex", big), ("ascites", big), ("ecog", big)])
    return Case("long_value", _dump({key: value}), INVALID, key)


def not_an_object(rng):
    body = rng.choice(["[]", "1", '"case"', "null", "true", "[{}]", ""])
    return Case("not_an_object", body.encode(), INVALID)


def non_utf8(rng):
    text = json.dumps({"case_label": "Müller", "ecog": 1}, ensure_ascii=False)
    data = rng.choice([text.encode("latin-1"), text.encode("utf-16"), b"\xff\xfe\xfd", b'{"a": "\xc3"}'])
    return Case("non_utf8", data, INVALID)


def utf8_bom(rng):
    return Case("utf8_bom", b"\xef\xbb\xbf" + _dump({"ecog": rng.randint(0, 4)}), VALID)


def noise(rng):
    return Case("noise", bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 3000))), EITHER)


def mutated(rng):
    data = bytearray(_dump(_valid_dict(rng)))
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        place = rng.randint(0, len(data))
        if op < 0.3 and data:
            data[min(place, len(data) - 1)] = rng.getrandbits(8)
        elif op < 0.6:
            data[place:place] = rng.choice([b"[", b"{", b'"', b",", b"\\", b"\x00", b"\xff", b"1e999", b"-"])
        elif op < 0.8:
            del data[place:place + rng.randint(1, 5)]
        else:
            data = data[:place]
    return Case("mutated", bytes(data), EITHER)


GENERATORS: tuple[Callable[[random.Random], Case], ...] = (
    valid, valid, valid, valid_unicode_label, valid_alt_unit, utf8_bom, out_of_range, alt_unit_out_of_range,
    wrong_type, unknown_key, duplicate_key, deep, long_number, huge_exponent, constant, bad_text,
    long_value, not_an_object, non_utf8, noise, mutated, mutated)


def cases(count: int, seed: int = 0) -> list[Case]:
    """``count`` cases, cycling through every generator, the same for the same seed."""
    rng = random.Random(seed)
    return [GENERATORS[i % len(GENERATORS)](rng) for i in range(count)]
