"""Nodal stations -> regional / non-regional (station table after Yan et al. 2025)."""
from __future__ import annotations

import pytest

from hccdecide.clinical.nodes import nodal_location, station_source, station_table


def test_station_table_holds_both_kinds_and_names_its_source():
    table = station_table()
    assert {s.location for s in table.values()} == {"regional", "non_regional"}
    assert "Yan" in station_source()


@pytest.mark.parametrize("code, location", [
    ("hepatic_hilum", "regional"), ("hepatoduodenal_ligament", "regional"),
    ("common_hepatic_artery", "regional"), ("posterior_pancreatic_head", "regional"),
    ("cardiophrenic", "non_regional"), ("mediastinal", "non_regional"),
    ("supraclavicular", "non_regional"),
])
def test_station_kinds(code, location):
    assert station_table()[code].location == location
    assert nodal_location(True, (code,)).location == location


def test_all_regional_stations_give_regional():
    result = nodal_location(True, ("hepatic_hilum", "common_hepatic_artery"))
    assert result.location == "regional" and not result.overridden


def test_one_non_regional_station_makes_it_non_regional():
    result = nodal_location(True, ("hepatic_hilum", "cardiophrenic"))
    assert result.location == "non_regional"
    assert "Cardiophrenic" in result.reason


def test_no_nodes_is_none_not_unknown():
    assert nodal_location(False, None).location == "none"


@pytest.mark.parametrize("stations", [None, ()])
def test_nodes_without_stations_are_unknown(stations):
    assert nodal_location(True, stations).location is None


def test_unrecognised_station_gives_unknown_and_is_named():
    result = nodal_location(True, ("hepatic_hilum", "liver_gate"))
    assert result.location is None and result.unknown_stations == ("liver_gate",)


def test_override_wins_and_is_reported():
    result = nodal_location(True, ("hepatic_hilum",), override="non_regional")
    assert result.location == "non_regional" and result.overridden
    assert "clinician" in result.reason
    assert nodal_location(None, None, override="regional").location == "regional"


@pytest.mark.parametrize("present, stations, expected", [
    (False, None, False),                           # no nodes
    (True, None, None),                             # nodes, stations not given
    (True, ("mediastinal",), False),                # chest only
    (True, ("cardiophrenic", "celiac"), True),      # one abdominal station
    (True, ("mediastinal", "unknown_code"), None),  # an unrecognised station might be abdominal
])
def test_abdominal_nodes(present, stations, expected):
    from hccdecide.clinical.nodes import abdominal_nodes
    assert abdominal_nodes(present, stations) is expected
