"""Icon arrays and benefit curves drawn on a plain Agg axes: what is drawn is what the counts say."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from hccdecide.engine.benefit import absolute_benefit
from hccdecide.engine.icon_array import ADDED, ALIVE, NOT_ALIVE, IconArray, benefit_icons
from hccdecide.engine.matching import ELIGIBLE
from hccdecide.engine.regimens import Benefit
from hccdecide.report.icon_chart import STYLE, draw_icon_array, plot_absolute_benefit


def _rtog_os(library):
    study = library.study("dawson2025_rtog1112_sbrt_sorafenib")
    comp = next(c for c in study.comparisons if c.endpoint == "OS")
    arms = {a.id: a for a in study.arms}
    return Benefit(study, comp, arms[comp.experimental], arms[comp.control], ELIGIBLE)


def test_each_kind_drawn_with_its_count_and_own_marker(library):
    icons = benefit_icons(absolute_benefit(_rtog_os(library)))
    ax = Figure().add_subplot()
    draw_icon_array(ax, icons)
    drawn = [(len(c.get_offsets()), tuple(np.round(c.get_facecolor()[0][:3], 3))) for c in ax.collections]
    assert [n for n, _ in drawn] == [n for _, n in icons.counts if n]
    assert sum(n for n, _ in drawn) == 100
    # every kind has its own marker, so the array reads without colour
    assert len({STYLE[k][1] + STYLE[k][0] for k in STYLE}) == len(STYLE)
    assert len({STYLE[k][1] for k in (ALIVE, ADDED)}) == 2
    assert "about 26" in ax.get_title(loc="left").replace("\n", " ")


def test_icons_fill_rows_from_the_top_left():
    icons = IconArray("t", "s", ((ALIVE, 13), (NOT_ALIVE, 87)), {ALIVE: "a", NOT_ALIVE: "n"})
    ax = Figure().add_subplot()
    draw_icon_array(ax, icons, legend=False)
    alive = ax.collections[0].get_offsets()
    assert {tuple(p) for p in alive} == {(x, 0) for x in range(10)} | {(0, -1), (1, -1), (2, -1)}


def test_benefit_curves_pass_through_the_published_median(library):
    ab = absolute_benefit(_rtog_os(library))
    ax = Figure().add_subplot()
    plot_absolute_benefit(ax, ab)
    control = next(l for l in ax.get_lines() if "Sorafenib alone" in l.get_label())
    x, y = control.get_data()
    assert np.interp(12.3, x, y) == __import__("pytest").approx(50, abs=0.1)
    assert "proportional hazards" in ax.get_title(loc="left").replace("\n", " ")
