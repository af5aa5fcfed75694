"""No leaks: an unexpected error never prints or shows case contents beyond a short cut of its message."""
from __future__ import annotations

import sys

from hccdecide.gui.app import error_texts
from hccdecide.patient import Patient


def _raise_with(message: str):
    try:
        raise RuntimeError(message)
    except RuntimeError:
        return sys.exc_info()


def test_an_unexpected_error_cuts_its_message_and_prints_no_values():
    case_json = Patient.from_dict({"case_label": "Jane Doe, MRN 12345678", "age_years": 61,
                                   "afp_ng_ml": 9876}).to_json() * 20
    try:
        secret = "Jane Doe, MRN 12345678"  # a local holding case contents: never printed
        raise ValueError("could not handle the case " + case_json) from KeyError(secret)
    except ValueError:
        summary, details = error_texts(*sys.exc_info())
    assert summary.startswith("ValueError: could not handle the case")
    assert len(summary) < 140 and "characters in all" in summary
    # At most the first ~80 characters of the message appear, once; the chained KeyError's is left out.
    assert details.count("Jane Doe") == 1 and "afp_ng_ml" not in details and "9876" not in details
    assert "raise ValueError" in details  # the call stack is still there for a bug report


def test_a_short_message_is_shown_whole():
    summary, details = error_texts(*_raise_with("disk full"))
    assert summary == "RuntimeError: disk full" and details.endswith("RuntimeError: disk full\n")
