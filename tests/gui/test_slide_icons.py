"""Icon arrays on the tumour-board slides: the overview carries the summary's arrays (the individual
estimate with its band as a range of icons, and the derived randomised benefit), each risk slide its own."""
from __future__ import annotations

from html import escape

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from hccdecide.engine.icon_array import ADDED, ALIVE, NOT_ALIVE, RANGE
from hccdecide.gui.icon_view import SlideIcons
from screen_sizes import PROJECTOR, screen_sized

pytestmark = pytest.mark.gui
RTOG = "Dawson 2025"


@pytest.fixture
def presenting(qtbot, window):
    window.controller.wait_for_workers(30000)  # the bands, so the arrays show their range
    qtbot.waitUntil(lambda: bool(window.controller.bands), timeout=10000)
    window.choose_presentation_screen(screen_sized(*PROJECTOR).name())
    p = window.open_presentation()
    qtbot.waitExposed(p)
    QApplication.processEvents()
    yield p
    p.close()


def _drawn(icons: SlideIcons) -> list[list[int]]:
    return [[len(c.get_offsets()) for c in ax.collections] for ax in icons.canvas.figure.axes]


def test_overview_slide_draws_the_individual_band_and_the_randomised_benefit(presenting, window):
    p = presenting
    a, bands = window.controller.assessment, window.controller.bands
    curve = next(x for x in a.curves if x.study.short_name == "Yan 2025" and x.model.endpoint == "OS"
                 and x.model.default and x.stage == "baseline")
    band = bands[a.curves.index(curve)]
    # worked here from the curve and its band: 24-month survival and its 95% band, in whole patients
    n = round(100 * curve.landmarks[24])
    lo, hi = (round(100 * x) for x in band.landmark_ci[24])
    page = p.stack.widget(0)
    icons = page.findChild(SlideIcons)
    assert icons is not None and p.pages[0].kind == "overview"
    individual, benefit = icons.icons
    assert individual.count(ALIVE) == min(lo, n) and individual.count(RANGE) == max(hi, n) - min(lo, n)
    assert f"about {n} are alive at 2 years" in individual.sentence
    # RTOG 1112, 2 years: 26 alive with sorafenib alone, 12 more derived for SBRT first (test_benefit.py)
    assert benefit.title.startswith(RTOG) and (benefit.count(ALIVE), benefit.count(ADDED)) == (26, 12)
    assert "extrapolated" in benefit.sentence
    assert _drawn(icons) == [[k for _, k in i.counts if k] for i in icons.icons]
    for i in icons.icons:
        assert escape(i.sentence) in p.pages[0].html  # the sentence is in the slide's text, large
    label = page.findChild(QLabel, "pageText")
    assert label.height() >= label.heightForWidth(label.width())  # the text is not cut by the chart


def test_each_risk_slide_carries_its_own_icon_array(presenting, window):
    p = presenting
    a, bands = window.controller.assessment, window.controller.bands
    risk = [i for i, page in enumerate(p.pages) if page.kind == "risk"]
    assert risk
    for i in risk:
        curve = a.curves[p.pages[i].curve_index]
        icons = p.stack.widget(i).findChild(SlideIcons)
        if not curve.shown:
            assert icons is None
            continue
        (array,) = icons.icons
        n = round(100 * curve.landmarks[24])
        lo, hi = (round(100 * x) for x in bands[p.pages[i].curve_index].landmark_ci[24])
        assert array.count(NOT_ALIVE) == 100 - max(hi, n) and array.count(ALIVE) == min(lo, n)
        assert _drawn(icons) == [[k for _, k in array.counts if k]]
        assert escape(array.sentence) in p.pages[i].html


def test_overview_says_the_band_is_still_computing_until_the_worker_delivers_it(qtbot, window):
    # the bands come from a worker; an overview built before they arrive (a first run building the
    # bootstrap draws) must not show the individual array as if it had no uncertainty
    from hccdecide.gui.presentation_pages import BAND_PENDING, Typography, overview_page
    a = window.controller.assessment
    pending = overview_page(a, {}, Typography())
    individual = pending.icons[0]
    assert individual.title.startswith("Yan 2025: individual estimate")
    assert BAND_PENDING in individual.title and f"({BAND_PENDING})." in individual.sentence
    assert individual.count(RANGE) == 0 and escape(individual.sentence) in pending.html
    window.controller.wait_for_workers(30000)
    qtbot.waitUntil(lambda: bool(window.controller.bands), timeout=10000)
    ready = overview_page(a, window.controller.bands, Typography())
    assert BAND_PENDING not in ready.html and ready.icons[0].count(RANGE) > 0
