"""Read the YAML data files (evidence, reference tables) so that any fault names the file, never a trace.

libyaml's C parser is used when PyYAML has it (about ten times faster than the pure-Python one, and
start-up reads every evidence file); it also refuses nesting deeper than 1,000 levels. Aliases are
allowed, but a file whose aliases expand past :data:`MAX_NODES` values (a "billion laughs" file) or
refer to themselves is refused before anything walks it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hccdecide.errors import EvidenceError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 2_000_000  # the largest study file is about 30 kB
MAX_NODES = 200_000  # values after expanding aliases


def _expanded_size(data: Any, sizes: dict[int, int], open_: set[int]) -> int:
    """Number of values in ``data`` with every alias expanded (memoised per shared object)."""
    if not isinstance(data, (dict, list)):
        return 1
    key = id(data)
    if key in sizes:
        return sizes[key]
    if key in open_:
        raise ValueError("an alias refers to the value that contains it")
    open_.add(key)
    children = list(data.values()) if isinstance(data, dict) else data
    total = 1
    for child in children:
        total += _expanded_size(child, sizes, open_)
        if total > MAX_NODES:
            break
    open_.discard(key)
    sizes[key] = total
    return total


def read_yaml(path: Path) -> Any:
    """The parsed content of ``path``; raise EvidenceError naming the file and what is wrong."""
    name = path.name
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_BYTES:
            raise EvidenceError(name, "(file)", f"is larger than {MAX_BYTES:,} bytes")
        data = yaml.load(raw.decode("utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise EvidenceError(name, "(file)", f"cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise EvidenceError(name, "(file)", f"is not UTF-8 text (byte {exc.start + 1})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise EvidenceError(name, where, f"is not valid YAML: {problem}") from None
    try:
        too_big = _expanded_size(data, {}, set()) > MAX_NODES
    except (ValueError, RecursionError) as exc:
        raise EvidenceError(name, "(file)", f"cannot be used: {exc}") from None
    if too_big:
        raise EvidenceError(name, "(file)", f"expands to more than {MAX_NODES:,} values")
    return data


def read_table(path: Path, key: str) -> dict:
    """The mapping under ``key`` of a reference table, checked to be one."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), dict):
        raise EvidenceError(path.name, key, "must be a mapping (key: value lines) under this name")
    return data[key]
