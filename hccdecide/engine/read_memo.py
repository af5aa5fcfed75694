"""Reuse a result computed from a patient's facts while the facts it read are unchanged.

An edit changes one entry of the case, and most studies never read it: ALT moves two or three of the
58 matches and one or two curves. Re-matching every study on every keystroke was a third of the edit's
time. A computation here runs on a view of the facts that records each key it reads (and a key it
looked for and did not find); its result is reused for as long as those keys hold the same values, of
the same type ("4" and "4.0" are printed differently). A computation that walks all the facts is not
remembered. The memo is shared by the GUI thread and the next-data worker: entries are replaced, never
changed in place, so a reader never sees half an entry.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")
_MISSING = object()
ENTRIES_PER_KEY = 4  # a value typed back and forth, and the next-data worker's trial values
MAX_KEYS = 2048  # inputs that no longer occur (an older match of a study) are let go, oldest first


class TrackedFacts(Mapping):
    """The facts, read-only, noting every key read and the value found."""

    def __init__(self, facts: Mapping[str, Any]):
        self._facts = facts
        self.reads: dict[str, Any] = {}
        self.read_everything = False

    def _read(self, key: str) -> Any:
        value = self._facts.get(key, _MISSING)
        self.reads[key] = value
        return value

    def __getitem__(self, key: str) -> Any:
        value = self._read(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._read(key)
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._read(key) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        self.read_everything = True
        return iter(self._facts)

    def __len__(self) -> int:
        self.read_everything = True
        return len(self._facts)


def _same(facts: Mapping[str, Any], reads: Mapping[str, Any]) -> bool:
    for key, value in reads.items():
        now = facts.get(key, _MISSING)
        if now is not value and (type(now) is not type(value) or now != value):
            return False
    return True


class ReadMemo(Generic[T]):
    """Results keyed by the identity of their other inputs, each kept with the facts it read."""

    def __init__(self) -> None:
        self._entries: dict[tuple[int, ...], tuple[tuple[tuple, dict[str, Any], T], ...]] = {}

    def get(self, inputs: tuple, facts: Mapping[str, Any], compute: Callable[[Mapping[str, Any]], T]) -> T:
        """``compute(tracked_facts)``, or its remembered result when ``inputs`` are the same objects
        and every fact it read is unchanged."""
        key = tuple(id(x) for x in inputs)
        entries = self._entries.get(key, ())
        for held, reads, result in entries:
            if all(a is b for a, b in zip(held, inputs)) and _same(facts, reads):
                return result
        tracked = TrackedFacts(facts)
        result = compute(tracked)
        if not tracked.read_everything:
            self._remember(key, ((inputs, tracked.reads, result), *entries[:ENTRIES_PER_KEY - 1]))
        return result

    def _remember(self, key: tuple[int, ...], entries: tuple) -> None:
        table = dict(self._entries)  # a new table: a reader in another thread keeps the one it has
        table.pop(key, None)
        table[key] = entries
        while len(table) > MAX_KEYS:
            del table[next(iter(table))]
        self._entries = table

    def clear(self) -> None:
        self._entries = {}
