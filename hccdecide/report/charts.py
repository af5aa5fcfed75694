"""The two risk charts, drawn on any matplotlib Axes (the GUI's Qt canvas or the report's Agg figure).

- :func:`plot_survival`: the patient's predicted curve, its 95% band, the study cohort's curve (the
  model averaged over the cohort, which passes through the published points) and those published
  landmark points.
- :func:`plot_forest`: the model's hazard ratios with 95% CIs on a log scale, the factors present in
  the patient marked.

Both take ``ax`` first and return it (lifelines style). :func:`chart_pair_png` and friends render to
PNG bytes with the Agg canvas directly: pyplot and the global backend are never touched, so this
module is safe beside the Qt GUI and in worker threads.
"""
from __future__ import annotations

import io
import textwrap
from typing import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullLocator
from matplotlib.transforms import offset_copy

from hccdecide.figure_words import BAND as BAND_WORDS  # the words; BAND below is its colour
from hccdecide.engine.prognosis import AFTER_RESPONSE, CurveEstimate
from hccdecide.engine.uncertainty import Band

PATIENT, COHORT, BAND, ADVERSE, PROTECTIVE, UNKNOWN_C, GRID = (
    "#1d4ed8", "#6b7280", "#93c5fd", "#b91c1c", "#15803d", "#9ca3af", "#e5e7eb")
FONT = 7.5
HR_TICKS = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
MAX_HR_TICKS = 5
NOT_APPLIED = "#c4c8cf"  # reported, not applied (CI includes 1)
LABEL_CHARS = 22  # forest-plot labels wrap at this width, on at most two lines
LEGEND_DROP_FONTS = 3.4  # a legend below the axes starts this many font sizes under it (tick labels, title)


def _months_ticks(horizon: float) -> np.ndarray:
    step = 6 if horizon <= 48 else 12
    return np.arange(0, horizon + 1e-9, step)


WITHHELD_LABEL = {"not_applicable": "not applicable to this patient",
                  "outside_support": "outside the cohort's support",
                  "after_progression": "no estimate after progression"}


def plot_survival(ax: Axes, curve: CurveEstimate, band: Band | None = None) -> Axes:
    """Draw the individual curve of ``curve`` on ``ax``, in percent against months.

    Parameters
    ----------
    ax : matplotlib Axes
    curve : CurveEstimate
        The patient's estimate; its ``population`` curve and published ``knots`` are drawn too. When
        the estimate is withheld (not applicable, outside support, after progression) no individual
        curve is drawn: the axes say why, and an outside-support bound is marked at the landmarks.
    band : Band, optional
        The 95% band (parametric bootstrap); omitted when None.
    """
    endpoint = curve.model.endpoint
    if curve.shown:
        if band is not None:
            ax.fill_between(band.grid, 100 * band.lower, 100 * band.upper, color=BAND, alpha=0.45, lw=0,
                            label=BAND_WORDS, gid="band")
        low, high = curve.envelope
        if _envelope_shown(curve):
            ax.plot(curve.grid, 100 * low, color=PATIENT, lw=0.8, ls=":", label="range over unknown factors",
                    gid="envelope_low")
            ax.plot(curve.grid, 100 * high, color=PATIENT, lw=0.8, ls=":", gid="envelope_high")
    ax.plot(curve.grid, 100 * curve.population, color=COHORT, lw=1.2, ls="--", gid="cohort",
            label=f"{curve.study.short_name} cohort (n = {curve.study.n})" if curve.study.n else "study cohort")
    if curve.shown:
        ax.plot(curve.grid, 100 * curve.survival, color=PATIENT, lw=2.0, label="this patient", gid="patient")
    elif curve.bound is not None:
        marker = "v" if curve.bound.side == "above" else "^"
        ax.plot(*_bound_points(curve), marker, color=PATIENT, ms=7, ls="", gid="bound",
                label=f"bound: {curve.bound.word} (edge of support)", zorder=6, clip_on=False)
    if curve.landmark_time is None:  # published points are unconditional: not on a landmark curve
        ax.plot(curve.knots.times, 100 * curve.knots.survival, "o", color=COHORT, ms=6, mfc="white", mew=1.6,
                label="published points", zorder=5, clip_on=False, gid="published")
    if not curve.shown:
        ax.text(0.5, 0.93, "No individual curve\n" + WITHHELD_LABEL.get(curve.withheld, ""),
                transform=ax.transAxes, ha="center", va="top", fontsize=FONT + 0.5, color=ADVERSE,
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=ADVERSE, lw=0.8))
    ax.axhline(50, color=GRID, lw=0.8, zorder=0)
    ax.set_xlim(0, curve.horizon)
    ax.set_ylim(0, 100)
    ax.set_xticks(_months_ticks(curve.horizon))
    ax.set_yticks(range(0, 101, 25))
    ax.set_xlabel("Months from the start of treatment", fontsize=FONT)
    ax.set_ylabel(f"{endpoint} (%)", fontsize=FONT)
    stage = "after response" if curve.stage == AFTER_RESPONSE else "before treatment"
    flag = " · applicability uncertain" if curve.status == "uncertain" else ""
    ax.set_title(f"{curve.study.short_name} · {endpoint} · {stage}{flag}", fontsize=FONT + 1, wrap=True)
    ax.tick_params(labelsize=FONT)
    ax.grid(axis="y", color=GRID, lw=0.5)
    ax.set_axisbelow(True)  # grid under the band and curves (and :func:`refresh_survival` can redraw them alone)
    # below the axes, never over the band or the curve
    # (placed in points below the axis, clear of its tick labels and axis title at any height of the
    # axes: a fraction of the axes overlapped the axis title on a short chart)
    legend = ax.legend(fontsize=FONT - 1, loc="upper center", ncol=2, frameon=False, handlelength=1.6,
                       columnspacing=1.0, borderaxespad=0)
    legend_below_axis(legend, 0.5)
    return ax


def _envelope_shown(curve: CurveEstimate) -> bool:
    low, high = curve.envelope
    return curve.shown and bool(np.max(high - low) > 1e-3)


def _bound_points(curve: CurveEstimate) -> tuple[list, list]:
    ts = list(curve.bound.landmarks)
    return ts, [100 * curve.bound.landmarks[t] for t in ts]


def survival_shape(curve: CurveEstimate, band: Band | None) -> tuple:
    """Everything :func:`plot_survival` draws except the curves' values: two estimates of the same
    shape differ only in data, which :func:`refresh_survival` updates in place."""
    bound = curve.bound
    return (band is None, curve.withheld, _envelope_shown(curve), curve.study.short_name, curve.study.n,
            None if bound is None or curve.shown else (bound.side, tuple(bound.landmarks)),
            curve.landmark_time is None, curve.horizon, curve.model.endpoint, curve.stage, curve.status)


def refresh_survival(ax: Axes, curve: CurveEstimate, band: Band | None = None) -> list:
    """Put the values of ``curve`` and ``band`` into a chart that :func:`plot_survival` drew for an
    estimate of the same :func:`survival_shape`; the axes, text and legend are left as they are.
    Returns the artists whose data changed."""
    drawn = {a.get_gid(): a for a in ax.get_children() if a.get_gid()}
    values = {"envelope_low": curve.envelope[0], "envelope_high": curve.envelope[1],
              "cohort": curve.population, "patient": curve.survival}
    for gid, y in values.items():
        if gid in drawn:
            drawn[gid].set_data(curve.grid, 100 * y)
    if "band" in drawn:
        drawn["band"].set_data(band.grid, 100 * band.lower, 100 * band.upper)
    if "bound" in drawn:
        drawn["bound"].set_data(*_bound_points(curve))
    if "published" in drawn:
        drawn["published"].set_data(curve.knots.times, 100 * curve.knots.survival)
    return list(drawn.values())


def _short(text: str) -> str:
    lines = textwrap.wrap(text, LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder="…")]
    return "\n".join(lines)


def _factor_colours(s) -> tuple[str, str]:
    """(line colour, marker face) of a factor's row."""
    if not s.applied:  # reported, not applied: greyed and hollow
        return NOT_APPLIED, "white"
    if not s.counted:
        return UNKNOWN_C, UNKNOWN_C
    if s.present:
        colour = ADVERSE if s.factor.effect > 1 else PROTECTIVE
        return colour, colour
    return "#374151", "white"


def forest_shape(curve: CurveEstimate) -> tuple:
    """Everything :func:`plot_forest` draws except the rows' colours (see :func:`refresh_forest`)."""
    return curve.model.endpoint, tuple((s.factor.label, s.factor.effect, s.factor.ci) for s in curve.states)


def refresh_forest(ax: Axes, curve: CurveEstimate) -> list:
    """Recolour the rows of a forest plot drawn for a curve of the same :func:`forest_shape` (the
    patient's factors changed, the model did not). Returns the recoloured artists."""
    drawn = {a.get_gid(): a for a in ax.get_lines() if a.get_gid()}
    for k, s in enumerate(curve.states):
        colour, face = _factor_colours(s)
        drawn[f"ci{k}"].set_color(colour)
        drawn[f"hr{k}"].set_color(colour)
        drawn[f"hr{k}"].set_markerfacecolor(face)
    return list(drawn.values())


def hr_ticks(lo: float, hi: float) -> list[float]:
    """HR ticks inside (lo, hi); beyond MAX_HR_TICKS every other one, always keeping 1, so that labels
    such as "10" and "20" do not run together in the narrow pane beside the curve."""
    ticks = [t for t in HR_TICKS if lo <= t <= hi]
    if len(ticks) <= MAX_HR_TICKS or 1 not in ticks:
        return ticks
    one = ticks.index(1)
    return [t for i, t in enumerate(ticks) if (i - one) % 2 == 0]


def plot_forest(ax: Axes, curve: CurveEstimate) -> Axes:
    """Draw the model's hazard ratios and 95% CIs on a log axis; mark the patient's levels.

    A filled marker is a factor present in the patient (red if it raises the hazard, green if it
    lowers it), a hollow one a factor absent, a grey one a factor unknown or not counted at this
    stage (averaged over the cohort).
    """
    states = curve.states
    ys = np.arange(len(states))[::-1]
    values = []
    for k, (y, s) in enumerate(zip(ys, states)):
        f = s.factor
        lo, hi = f.ci if f.ci else (f.effect, f.effect)
        values += [lo, hi]
        colour, face = _factor_colours(s)
        ax.plot([lo, hi], [y, y], color=colour, lw=1.4, solid_capstyle="butt", gid=f"ci{k}")
        ax.plot([f.effect], [y], "s", color=colour, mfc=face, ms=5.5, mew=1.2, zorder=5, gid=f"hr{k}")
    ax.axvline(1.0, color=COHORT, lw=0.8, ls="--", zorder=0)
    ax.set_xscale("log")
    lo, hi = (min(values), max(values)) if values else (0.5, 2.0)
    lo, hi = min(lo, 0.9) / 1.25, max(hi, 1.1) * 1.25
    ax.set_xlim(lo, hi)
    ticks = hr_ticks(lo, hi)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.set_yticks(ys)
    ax.set_yticklabels([_short(s.factor.label) for s in states])
    ax.set_ylim(-0.7, len(states) - 0.3)
    ax.tick_params(labelsize=FONT)
    ax.set_xlabel("HR (95% CI, log scale)", fontsize=FONT)  # short: the pane beside the curve is narrow
    ax.set_title(f"Hazard ratios · {curve.model.endpoint} model", fontsize=FONT + 1, wrap=True)
    handles = [Line2D([], [], ls="", marker="s", color=ADVERSE, mfc=ADVERSE, label="present"),
               Line2D([], [], ls="", marker="s", color="#374151", mfc="white", label="absent"),
               Line2D([], [], ls="", marker="s", color=UNKNOWN_C, mfc=UNKNOWN_C, label="unknown"),
               Line2D([], [], ls="", marker="s", color=NOT_APPLIED, mfc="white", label="not applied")]
    # anchored at the right edge so that it extends left, under the factor labels
    legend = ax.legend(handles=handles, fontsize=FONT - 1, loc="upper right", ncol=2, frameon=False,
                       handletextpad=0.1, columnspacing=0.7, borderaxespad=0)
    legend_below_axis(legend, 1.0)
    return ax


def legend_below_axis(legend, x: float, scale: float = 1.0) -> None:
    """Anchor ``legend`` at ``x`` (axes fraction) under the axis, below its tick labels and title: a
    distance in points, scaled with the text (``scale``: the app's zoom), not a fraction of the axes."""
    legend.below_axis_x = x
    transform = offset_copy(legend.axes.transAxes, fig=legend.axes.figure, y=-LEGEND_DROP_FONTS * FONT * scale,
                            units="points")
    legend.set_bbox_to_anchor((x, 0), transform=transform)


def render_png(draw: Callable[[Figure], None], width_in: float, height_in: float, dpi: int = 150,
               layout: str | None = "constrained") -> bytes:
    """Run ``draw(figure)`` on a fresh Agg figure and return the PNG bytes.

    ``layout=None`` leaves the axes where ``draw`` put them (faster than constrained layout).
    """
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, layout=layout)
    FigureCanvasAgg(fig)
    draw(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def survival_png(curve: CurveEstimate, band: Band | None = None, width_in: float = 4.2,
                 height_in: float = 3.0, dpi: int = 150) -> bytes:
    return render_png(lambda fig: plot_survival(fig.add_subplot(), curve, band), width_in, height_in, dpi)


def forest_png(curve: CurveEstimate, width_in: float = 3.0, height_in: float = 3.0, dpi: int = 150) -> bytes:
    return render_png(lambda fig: plot_forest(fig.add_subplot(), curve), width_in, height_in, dpi)


def chart_pair_png(curve: CurveEstimate, band: Band | None = None, width_in: float = 7.1,
                   height_in: float = 3.6, dpi: int = 150) -> bytes:
    """Survival chart (left) and forest plot (right) side by side, as one PNG.

    The axes are placed in inches (no layout engine: a third of the time); the forest plot keeps
    1.55 in on its left for its wrapped factor labels.
    """
    def draw(fig: Figure) -> None:
        w, h = width_in, height_in
        top, bottom = h - 0.3, 1.0  # the survival legend sits below its axes
        left = fig.add_axes((0.55 / w, bottom / h, 2.9 / w, (top - bottom) / h))
        forest_left = 0.55 + 2.9 + 1.55
        right = fig.add_axes((forest_left / w, 0.95 / h, (w - forest_left - 0.12) / w, (top - 0.95) / h))
        plot_survival(left, curve, band)
        plot_forest(right, curve)
    return render_png(draw, width_in, height_in, dpi, layout=None)
