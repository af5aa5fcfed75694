"""Where the bundled resources live: inside the installed package, or beside it in a checkout.

Nothing in the application finds a resource through the working directory.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    installed = _PACKAGE / "_resources"  # the wheel carries resources/ here
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"hccdecide resources not found beside {_PACKAGE}")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def evidence_dir() -> Path:
    return resource("evidence")


def reference_file(name: str) -> Path:
    return resource("reference", name)


def cases_dir() -> Path:
    return resource("cases")


CACHE_ENV = "HCCDECIDE_CACHE_DIR"


def cache_dir() -> Path:
    """Where derived data that can always be rebuilt is kept: ``$HCCDECIDE_CACHE_DIR`` when set (the
    tests point it at a temporary folder), else ``$XDG_CACHE_HOME/hccdecide`` (``~/.cache/hccdecide``)
    on Linux, ``~/Library/Caches/hccdecide`` on macOS, ``%LOCALAPPDATA%\\hccdecide\\cache`` on Windows."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "hccdecide" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "hccdecide"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hccdecide"
