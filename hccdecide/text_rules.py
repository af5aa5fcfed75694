"""What free text a case may hold: any valid Unicode except control characters and lone surrogates.

A lone surrogate (``"\\ud800"`` in JSON) is not a character: it cannot be written as UTF-8, so a case
holding one could be opened but never saved, stored or printed. Control characters (line breaks,
tabs, escape codes) have no place in a one-line label and can garble what is shown or printed.
"""
from __future__ import annotations

import re

ACCEPTED_TEXT = "text without control characters (such as line breaks or tabs) or invalid characters"


# Unicode categories Cc (control) and Cs (surrogate), spelled out so the check is one regex search
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be kept, naming the first offending character and its place; else None."""
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    code, place = ord(match.group()), match.start() + 1
    if 0xD800 <= code <= 0xDFFF:
        return f"an invalid character (lone surrogate U+{code:04X}) at position {place}"
    return f"a control character (U+{code:04X}) at position {place}"
