"""Reference tables are kept as JSON after a first read, so a launch need not load the YAML parser;
any change to a table's file is seen, and a faulty file is still named."""
from __future__ import annotations

import os
import stat

import pytest

from hccdecide import yaml_data
from hccdecide.errors import EvidenceError
from hccdecide.yaml_data import read_table

TABLE = """source: a made-up table for the test
stations:
  hepatic_hilum: {label: Hepatic hilum, location: regional}
  para_aortic: {label: Para-aortic, location: non_regional, note: "beyond the regional field"}
"""


@pytest.fixture
def table_file(tmp_path):
    path = tmp_path / "stations.yaml"
    path.write_text(TABLE, encoding="utf-8")
    return path


def no_parsing(monkeypatch):
    def refuse(*_args):
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr(yaml_data, "_parse", refuse)


def test_a_second_read_comes_from_the_kept_json(cache_folder, table_file, monkeypatch):
    first = read_table(table_file, "stations")
    assert first["para_aortic"] == {"label": "Para-aortic", "location": "non_regional",
                                    "note": "beyond the regional field"}
    (kept,) = cache_folder.glob("table-stations-stations-*.json")
    if os.name == "posix":
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    no_parsing(monkeypatch)
    assert read_table(table_file, "stations") == first


def test_an_edited_table_is_read_afresh_and_the_old_copy_dropped(cache_folder, table_file):
    read_table(table_file, "stations")
    table_file.write_text(TABLE.replace("Hepatic hilum", "Porta hepatis"), encoding="utf-8")
    assert read_table(table_file, "stations")["hepatic_hilum"]["label"] == "Porta hepatis"
    assert len(list(cache_folder.glob("table-stations-stations-*.json"))) == 1


def test_a_damaged_kept_copy_is_ignored(cache_folder, table_file):
    good = read_table(table_file, "stations")
    (kept,) = cache_folder.glob("table-stations-stations-*.json")
    kept.write_bytes(b"{\"hepatic_hilum\": ")
    assert read_table(table_file, "stations") == good


def test_a_table_json_cannot_give_back_is_read_from_yaml_each_time(cache_folder, tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text("uln:\n  1: 40\n  reviewed: 2024-05-01\n", encoding="utf-8")
    table = read_table(path, "uln")
    assert table[1] == 40 and str(table["reviewed"]) == "2024-05-01"  # a number key and a date
    assert not list(cache_folder.glob("table-odd-*.json"))


def test_a_faulty_table_is_named_even_after_a_good_version_was_kept(cache_folder, table_file):
    read_table(table_file, "stations")
    table_file.write_text("stations: [hepatic_hilum, para_aortic]\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="stations.yaml: stations"):
        read_table(table_file, "stations")
    table_file.write_text("stations: {a: [\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="stations.yaml.*not valid YAML"):
        read_table(table_file, "stations")


def test_an_unwritable_cache_folder_costs_speed_not_the_table(tmp_path, table_file, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("HCCDECIDE_CACHE_DIR", str(blocker / "cache"))
    assert read_table(table_file, "stations")["hepatic_hilum"]["location"] == "regional"
