"""Shared fixtures for the core tests (no Qt here; tests/gui/ brings its own)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# CI must never fail by chance: the "ci" profile draws the same examples on every run and prints the
# blob that reproduces a failure. "explore" draws new examples each run (for local bug hunting);
# long randomised runs live in benchmarks/fuzz.py.
settings.register_profile("ci", derandomize=True, print_blob=True, database=None, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Caches (the validated library) go to a temporary folder, never the user's cache folder.
os.environ.setdefault("HCCDECIDE_CACHE_DIR", tempfile.mkdtemp(prefix="hccdecide-test-cache-"))

from hccdecide.evidence.library import default_library
from hccdecide.patient import Patient

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    """A fresh, empty cache folder (HCCDECIDE_CACHE_DIR) for this test alone."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("HCCDECIDE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """The case store in a fresh folder (HCCDECIDE_DATA_DIR), never the user's."""
    folder = tmp_path / "data"
    monkeypatch.setenv("HCCDECIDE_DATA_DIR", str(folder))
    return folder


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


def _field_strategy(spec):
    from hypothesis import strategies as st

    from hccdecide.patient import BOOLEAN, CHOICE, INTEGER, NUMBER, TEXT_LIST, station_codes

    if spec.kind == NUMBER:
        return st.floats(spec.low, spec.high, allow_nan=False, allow_infinity=False)
    if spec.kind == INTEGER:
        return st.integers(int(spec.low), int(spec.high))
    if spec.kind == BOOLEAN:
        return st.booleans()
    if spec.kind == CHOICE:
        return st.sampled_from(spec.choices)
    if spec.kind == TEXT_LIST:
        return st.lists(st.sampled_from(sorted(station_codes())), min_size=1, max_size=4)
    # any text a case may hold: every character but controls and lone surrogates (text_rules)
    return st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)


@pytest.fixture(scope="session")
def field_values():
    """Hypothesis strategy per patient field, drawn from the field table's own ranges."""
    from hccdecide.patient import FIELDS

    return {spec.key: _field_strategy(spec) for spec in FIELDS}


@pytest.fixture(scope="session")
def patient_values(field_values):
    """Hypothesis strategy for a valid case dict: any subset of fields, each within its range."""
    from hypothesis import strategies as st

    return st.fixed_dictionaries({}, optional=field_values)


@pytest.fixture(scope="session", autouse=True)
def band_draws(tmp_path_factory, library):
    """The bootstrap draws of every combinable model, built once per test run in a temporary cache
    (HCCDECIDE_CACHE_DIR, inherited by CLI subprocesses), never in the user's cache directory."""
    from hccdecide.engine.band_cache import CACHE_ENV, draws_for
    from hccdecide.engine.prognosis import fitted_model

    previous = os.environ.get(CACHE_ENV)
    # HCCDECIDE_TEST_CACHE_DIR lets a developer keep the draws between local runs; CI never sets it
    os.environ[CACHE_ENV] = os.environ.get("HCCDECIDE_TEST_CACHE_DIR") or str(tmp_path_factory.mktemp("band-cache"))
    built = {(s.id, m.id): draws_for(s, m) for s in library.studies for m in s.prognostic_models
             if fitted_model(s, m) is not None}
    yield built
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous
