"""Errors raised by the core. Each names what was wrong, the offending value and what is accepted."""
from __future__ import annotations

from typing import Any

MAX_SHOWN = 80  # characters of a value quoted in a message; the rest is counted, not repeated


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """``repr(value)`` cut to about ``limit`` characters, saying how long the whole was.

    ``repr`` escapes control characters and lone surrogates, so the message itself can always be
    printed and saved.
    """
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an integer past Python's digit limit, a deep structure
        return f"a {type(value).__name__} too large to show"
    if len(text) <= limit:
        return text
    return f"{text[:limit - 1]}… ({len(text):,} characters in all)"


def shown_key(key: str) -> str:
    """A key as written when it is short plain text, else quoted and cut like a value."""
    if isinstance(key, str) and len(key) <= MAX_SHOWN and key.isprintable():
        return key
    return shown(key)


class HccDecideError(Exception):
    """Base class of every error the core raises on purpose."""


class PatientError(HccDecideError, ValueError):
    """A case value that cannot be accepted."""

    def __init__(self, key: str, value: Any, accepted: str):
        self.key = key
        self.value = value
        self.accepted = accepted
        super().__init__(f"{shown_key(key)}: {shown(value)} is not accepted; expected {accepted}")


class EvidenceError(HccDecideError, ValueError):
    """An evidence file that cannot be loaded or fails a cross-check."""

    def __init__(self, file: str, field: str, reason: str):
        self.file = file
        self.field = field
        self.reason = reason
        super().__init__(f"{file}: {field}: {reason}")

    def __reduce__(self):  # pickled with the library cache: rebuild from the three parts
        return type(self), (self.file, self.field, self.reason)


class StoreError(HccDecideError):
    """A case store that cannot be opened or used: corrupt, from a newer version, or not a case store.

    ``corrupt`` is true when the file is damaged (``open_or_recover`` then moves it aside).
    """

    def __init__(self, path: str, reason: str, corrupt: bool = False):
        self.path = path
        self.reason = reason
        self.corrupt = corrupt
        super().__init__(f"case store {path}: {reason}")
