"""Read the bytes of a case file into a plain JSON object, refusing anything that could hurt later.

``json.loads`` alone accepts more than a case file should hold, and fails badly on some inputs: it
recurses once per nesting level (a file nested 1,000 deep raises ``RecursionError``), it turns an
integer of 4,301 digits into a ``ValueError``, it accepts ``NaN`` and ``Infinity`` and lets the last
of two equal keys win without a word. This module checks the cheap things first (size, encoding,
nesting depth, number length) and then parses with hooks that refuse the rest, so every problem is a
:class:`PatientError` naming where it is.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from hccdecide.errors import PatientError

MAX_CASE_BYTES = 1_000_000  # a case is a few kilobytes; a larger file is not a case file
MAX_DEPTH = 20  # a case is flat; lists of station codes add one level
MAX_NUMBER_CHARS = 40  # more digits than any measured value needs, far below Python's 4,300 limit

FILE = "(file)"

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_NUMBER = re.compile(r"-?[0-9][0-9.eE+\-]*")


def read_case_bytes(path: Path) -> bytes:
    """The bytes of a case file, reading no more than the size limit allows (a device never ends)."""
    try:
        with path.open("rb") as fh:
            return fh.read(MAX_CASE_BYTES + 1)
    except OSError as exc:
        raise PatientError(FILE, str(path),
                           f"a readable JSON case file ({exc.strerror or exc})") from None


def decode_case_bytes(raw: bytes) -> str:
    """The text of a case file: UTF-8 (a leading byte-order mark is allowed), at most 1 MB."""
    if len(raw) > MAX_CASE_BYTES:
        raise PatientError(FILE, f"more than {MAX_CASE_BYTES:,} bytes",
                           f"a case file of at most {MAX_CASE_BYTES:,} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PatientError(FILE, f"byte {exc.start + 1} (0x{raw[exc.start]:02x})",
                           "UTF-8 text (save the file as UTF-8)") from None


def _check_shape(text: str) -> None:
    """Refuse deep nesting and overlong numbers before the parser sees them."""
    outside_strings = _STRING.sub('""', text)
    depth = 0
    for match in _BRACKET.finditer(outside_strings):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise PatientError(FILE, f"nesting deeper than {MAX_DEPTH} levels",
                               "a flat JSON object of key: value pairs")
    for match in _NUMBER.finditer(outside_strings):
        if len(match.group()) > MAX_NUMBER_CHARS:
            raise PatientError(FILE, f"a number of {len(match.group())} characters",
                               f"numbers of at most {MAX_NUMBER_CHARS} characters")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise PatientError(key, value, "each key once (this key appears twice in the file)")
        out[key] = value
    return out


def _finite_float(token: str) -> float:
    number = float(token)
    if not math.isfinite(number):
        raise PatientError(FILE, token, "numbers within the range of a measurement")
    return number


def _no_constant(token: str) -> Any:
    raise PatientError(FILE, token, "a number (NaN and Infinity are not JSON numbers), or null")


def load_case_text(text: str) -> Any:
    """Parse case-file text into Python values; raise PatientError naming the problem."""
    _check_shape(text)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_float=_finite_float,
                          parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise PatientError(FILE, f"line {exc.lineno} column {exc.colno}",
                           f"valid JSON ({exc.msg})") from None
    except (RecursionError, ValueError) as exc:  # a last guard: the checks above should catch these
        if isinstance(exc, PatientError):
            raise
        raise PatientError(FILE, type(exc).__name__, "a flat JSON object of key: value pairs") from None
