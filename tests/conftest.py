"""Shared fixtures for the core tests (no Qt here; tests/gui/ brings its own)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hccdecide.evidence.library import default_library
from hccdecide.patient import Patient

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def library():
    """The bundled evidence library, loaded once."""
    return default_library()


@pytest.fixture
def make_patient():
    """Build a validated Patient from keyword values (absent = unknown)."""
    def _make(**values) -> Patient:
        return Patient.from_dict(values)
    return _make


@pytest.fixture
def study_yaml():
    """Load one bundled evidence file as a plain dict, for tests that break a copy of it."""
    def _load(name: str) -> dict:
        return yaml.safe_load((ROOT / "resources" / "evidence" / name).read_text(encoding="utf-8"))
    return _load
