"""Lymph-node stations → regional / non-regional, from the station table in resources/reference/.

The table (ln_stations.yaml) records its source (Yan et al. 2025 after the NCCN guideline). Any
non-regional station makes the nodal disease non-regional. A clinician's override wins and is reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from hccdecide.errors import EvidenceError
from hccdecide.paths import reference_file
from hccdecide.yaml_data import read_table, read_yaml


@dataclass(frozen=True)
class Station:
    code: str
    label: str
    location: str  # regional | non_regional
    note: str = ""


@lru_cache(maxsize=1)
def station_table() -> Mapping[str, Station]:
    path = reference_file("ln_stations.yaml")
    try:
        return {code: Station(code, v["label"], v["location"], v.get("note", ""))
                for code, v in read_table(path, "stations").items()}
    except (KeyError, TypeError, AttributeError) as exc:
        raise EvidenceError(path.name, "stations", f"each station needs a label and a location ({exc!r})") from None


def station_source() -> str:
    path = reference_file("ln_stations.yaml")
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("source"), str):
        raise EvidenceError(path.name, "source", "must name the source of the station table")
    return data["source"]


def abdominal_nodes(lnm_present: bool | None, stations: tuple[str, ...] | None) -> bool | None:
    """Whether any node lies in the liver hilum or the abdominal cavity (the table's regional stations,
    as the source defines them): yes with one such station; no without nodes, or when every listed
    station is known and none is; unknown when the stations are not given or one is unrecognised."""
    if lnm_present is False:
        return False
    if not stations:
        return None
    table = station_table()
    if any(s in table and table[s].location == "regional" for s in stations):
        return True
    return False if all(s in table for s in stations) else None


@dataclass(frozen=True)
class NodalLocation:
    location: str | None  # none / regional / non_regional / None = unknown
    reason: str
    unknown_stations: tuple[str, ...] = ()
    overridden: bool = False


def nodal_location(lnm_present: bool | None, stations: tuple[str, ...] | None,
                   override: str | None = None) -> NodalLocation:
    if override is not None:
        return NodalLocation(override, f"set by the clinician to {override.replace('_', '-')}",
                             overridden=True)
    if lnm_present is False:
        return NodalLocation("none", "no nodal metastasis")
    if not stations:
        return NodalLocation(None, "stations not given")
    table = station_table()
    unknown = tuple(s for s in stations if s not in table)
    distant = [table[s].label for s in stations if s in table and table[s].location == "non_regional"]
    if distant:
        return NodalLocation("non_regional", "non-regional station: " + ", ".join(distant), unknown)
    if unknown:
        return NodalLocation(None, "unrecognised station code(s): " + ", ".join(unknown), unknown)
    return NodalLocation("regional", "all stations regional: "
                         + ", ".join(table[s].label for s in stations))
