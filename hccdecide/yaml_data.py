"""Read the YAML data files (evidence, reference tables) so that any fault names the file, never a trace.

libyaml's C parser is used when PyYAML has it (about ten times faster than the pure-Python one, and
start-up reads every evidence file); it also refuses nesting deeper than 1,000 levels. Aliases are
allowed, but a file whose aliases expand past :data:`MAX_NODES` values (a "billion laughs" file) or
refer to themselves is refused before anything walks it.

The clinic window reads the nodal-station table before its first paint, and loading PyYAML alone
takes longer than the rest of that read: a reference table once read is kept as JSON in the cache
folder (:func:`hccdecide.paths.cache_dir`), keyed by the file's name, size and CRC-32, so a later
launch reads the JSON and never loads PyYAML. Any change to the file gives a new key.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

from hccdecide.errors import EvidenceError

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
    return _parse(path.name, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(path.name, "(file)", f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise EvidenceError(path.name, "(file)", f"is larger than {MAX_BYTES:,} bytes")
    return raw


def _parse(name: str, raw: bytes) -> Any:
    import yaml  # loaded only when a file is parsed (see the module's notes)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - a safe loader
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
    """The mapping under ``key`` of a reference table, checked to be one (kept as JSON: see above)."""
    raw = _read_bytes(path)
    kept = _kept_path(path, key, raw)
    table = _read_kept(kept)
    if table is None:
        data = _parse(path.name, raw)
        if not isinstance(data, dict) or not isinstance(data.get(key), dict):
            raise EvidenceError(path.name, key, "must be a mapping (key: value lines) under this name")
        table = data[key]
        _keep(kept, table)
    return table


def _kept_path(path: Path, key: str, raw: bytes) -> Path | None:
    from hccdecide.paths import cache_dir

    try:
        return cache_dir() / f"table-{path.stem}-{key}-{len(raw)}-{zlib.crc32(raw):08x}.json"
    except (OSError, RuntimeError):  # no home folder to hold a cache: read the YAML each time
        return None


def _read_kept(kept: Path | None) -> dict | None:
    try:
        table = json.loads(kept.read_bytes()) if kept is not None else None
    except (OSError, ValueError):  # absent, unreadable or damaged: read the YAML
        return None
    return table if isinstance(table, dict) else None


def _keep(kept: Path | None, table: dict) -> None:
    """Write the table as JSON if JSON gives it back unchanged (YAML dates or number keys would not)."""
    try:
        text = json.dumps(table, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return
    if kept is None or json.loads(text) != table:
        return
    from hccdecide.atomic_file import write_atomically

    try:
        kept.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomically(text, kept, private=True)
        for old in kept.parent.glob(f"{kept.name.rsplit('-', 2)[0]}-*.json"):
            if old != kept:
                old.unlink(missing_ok=True)  # an earlier version of the same table
    except OSError:
        pass  # a read-only or full disk costs speed, never the table
