"""The validated library read back from the disk cache is the library; any change to its files is seen."""
from __future__ import annotations

import shutil

import pytest
import yaml

from hccdecide.evidence import cache
from hccdecide.evidence.cache import cached_library, library_key
from hccdecide.evidence.library import load_library
from hccdecide.paths import evidence_dir


@pytest.fixture
def no_rebuild(monkeypatch):
    """After this, building the library the slow way fails the test: it must come from the cache."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the library was rebuilt although nothing changed")
    return lambda: monkeypatch.setattr(cache, "load_library", refuse)


def test_the_cached_library_equals_a_fresh_load(cache_folder, no_rebuild, tmp_path):
    fresh = load_library(extra=tmp_path / "none")
    first = cached_library(extra=tmp_path / "none")
    no_rebuild()
    again = cached_library(extra=tmp_path / "none")
    assert again.studies == fresh.studies and again.regimens == fresh.regimens
    assert (again.version, again.digest, again.files) == (fresh.version, fresh.digest, fresh.files)
    assert [str(p) for p in again.problems] == [str(p) for p in fresh.problems] == [str(p) for p in first.problems]
    assert len(list(cache_folder.glob("library-*.pickle"))) == 1


def test_an_edited_study_file_is_read_afresh(cache_folder, tmp_path):
    folder = tmp_path / "evidence"
    shutil.copytree(evidence_dir(), folder)
    before = cached_library(folder, tmp_path / "none")
    path = folder / "yan2025_lnm.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["n"] = 63
    data["discrepancies"].append({"topic": "arm size for the test", "values": [
        {"value": "62", "location": "a"}, {"value": "63", "location": "b"}], "used": "63", "why": "test"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    after = cached_library(folder, tmp_path / "none")
    assert before.study("yan2025_lnm").n == 62 and after.study("yan2025_lnm").n == 63
    assert after.digest != before.digest
    assert len(list(cache_folder.glob("library-*.pickle"))) == 1  # the stale one is removed


def test_a_damaged_cache_file_is_ignored_and_rebuilt(cache_folder, tmp_path):
    good = cached_library(extra=tmp_path / "none")
    (stored,) = cache_folder.glob("library-*.pickle")
    stored.write_bytes(b"not a pickle")
    assert cached_library(extra=tmp_path / "none").digest == good.digest


def test_skipped_extra_files_survive_the_cache_and_a_new_folder_is_seen(cache_folder, no_rebuild, tmp_path):
    extra = tmp_path / "extra"
    missing = cached_library(extra=extra)
    assert "does not exist" in str(missing.problems[0])
    extra.mkdir()
    (extra / "mine.yaml").write_text("id: mine\n  : :\n", encoding="utf-8")
    assert library_key(evidence_dir(), extra) != library_key(evidence_dir(), tmp_path / "other")
    seen = cached_library(extra=extra)
    no_rebuild()
    again = cached_library(extra=extra)
    assert [(p.file, p.field, p.reason) for p in again.problems] == [
        (p.file, p.field, p.reason) for p in seen.problems] and seen.problems[0].file == "mine.yaml"


def test_an_unwritable_cache_folder_costs_speed_not_the_library(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("HCCDECIDE_CACHE_DIR", str(blocker / "cache"))  # a folder inside a file
    assert cached_library(extra=tmp_path / "none").studies
