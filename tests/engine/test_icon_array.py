"""Icon arrays of the individual estimate: whole patients out of 100, the band as a range of icons."""
from __future__ import annotations

import numpy as np
import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.icon_array import ALIVE, NOT_ALIVE, RANGE, individual_icons, per_hundred
from hccdecide.engine.uncertainty import Band
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir


@pytest.fixture(scope="module")
def curve():
    a = assess(Patient.from_file(cases_dir() / "example_nodal_disease.json"))
    return next(c for c in a.curves if c.model.default and 24 in c.landmarks)


def test_counts_follow_the_estimate_and_band(curve):
    n = round(100 * curve.landmarks[24])
    band = Band(np.array([0.0]), np.array([1.0]), np.array([1.0]), (None, None),
                {24: (max(0.0, curve.landmarks[24] - 0.104), min(1.0, curve.landmarks[24] + 0.204))}, 10)
    icons = individual_icons(curve, band)
    lo, hi = round(100 * band.landmark_ci[24][0]), round(100 * band.landmark_ci[24][1])
    assert icons.count(ALIVE) == lo and icons.count(RANGE) == hi - lo and icons.count(NOT_ALIVE) == 100 - hi
    assert f"about {n} are alive at 2 years" in icons.sentence and f"{lo}–{hi}" in icons.sentence


def test_without_a_band_the_estimate_alone(curve):
    icons = individual_icons(curve, None)
    n = round(100 * curve.landmarks[24])
    assert icons.count(ALIVE) == n and icons.count(RANGE) == 0 and "band" not in icons.sentence


def test_no_icons_past_the_curve(curve):
    assert individual_icons(curve, None, months=int(curve.horizon) + 12) is None


@pytest.mark.parametrize("s, n", [(0.0, 0), (0.004, 0), (0.005, 0), (0.376, 38), (1.0, 100), (1.2, 100)])
def test_per_hundred_rounds_and_clips(s, n):
    assert per_hundred(s) == n
