"""Icon arrays and absolute-benefit curves, drawn on any matplotlib Axes (GUI canvas, slide or PDF).

Colours are the Okabe–Ito colour-blind-safe palette, and every kind of icon also has its own marker
shape, so the array reads in greyscale and without colour vision.
"""
from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from hccdecide.engine.benefit import CURVE_FORM, AbsoluteBenefit
from hccdecide.engine.icon_array import ADDED, ADDED_RANGE, ALIVE, NOT_ALIVE, RANGE, IconArray

# kind -> (face colour, marker, edge colour); Okabe–Ito blue, sky blue, bluish green, orange, grey
STYLE = {
    ALIVE: ("#0072B2", "o", "#0072B2"),
    RANGE: ("#56B4E9", "D", "#0072B2"),
    ADDED: ("#009E73", "^", "#009E73"),
    ADDED_RANGE: ("#E69F00", "s", "#9a6a00"),
    NOT_ALIVE: ("#ffffff", "o", "#8c8c8c"),
}
COLUMNS = 10
FONT = 7.5


def icon_positions(total: int = 100) -> list[tuple[int, int]]:
    """Row-major positions filling from the top-left, so counts read like text."""
    return [(i % COLUMNS, -(i // COLUMNS)) for i in range(total)]


def draw_icon_array(ax: Axes, icons: IconArray, legend: bool | str = True, size: float = 40,
                    title: bool = True, font: float = FONT, wrap: int | None = None, title_wrap: int = 60) -> Axes:
    """Draw ``icons`` as a 10 x 10 grid on ``ax`` and return it.

    ``legend``: True (right of the grid), ``"below"`` (under it, for arrays side by side) or False.
    ``title``: the sentence above the grid (a slide puts it in its own text instead). ``wrap``: legend
    labels wrapped at this many characters (large type on a slide).
    """
    positions = icon_positions(sum(n for _, n in icons.counts))
    start = 0
    handles = []
    for kind, n in icons.counts:
        face, marker, edge = STYLE[kind]
        if n:
            xs = [p[0] for p in positions[start:start + n]]
            ys = [p[1] for p in positions[start:start + n]]
            ax.scatter(xs, ys, s=size, c=face, marker=marker, edgecolors=edge, linewidths=0.8)
            label = f"{icons.labels[kind]} ({n})"
            handles.append(Line2D([], [], ls="", marker=marker, markerfacecolor=face, markeredgecolor=edge,
                                  label=textwrap.fill(label, wrap) if wrap else label))
        start += n
    ax.set_xlim(-0.7, COLUMNS - 0.3)
    ax.set_ylim(-COLUMNS + 0.3, 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title("\n".join(textwrap.wrap(icons.sentence, title_wrap)), fontsize=font, loc="left")
    if legend:
        below = legend == "below"
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.0) if below else (1.0, 1.0),
                  fontsize=font - 0.5, frameon=False)
    return ax


def plot_absolute_benefit(ax: Axes, ab: AbsoluteBenefit, horizon: float | None = None) -> Axes:
    """Control and derived experimental curves (with the HR's CI where printed) and the published points."""
    curves = ab.curves(horizon)
    grid, sc = curves["control"]
    _, se = curves["experimental"]
    b = ab.benefit
    if "experimental_ci_low" in curves:
        ax.fill_between(grid, 100 * curves["experimental_ci_low"][1], 100 * curves["experimental_ci_high"][1],
                        color="#009E73", alpha=0.2, lw=0, label="from the HR's 95% CI")
    ax.plot(grid, 100 * sc, color="#0072B2", lw=1.4, ls="--", label=f"{b.control.label} (from published figures)")
    ax.plot(grid, 100 * se, color="#009E73", lw=1.6, label=f"{b.experimental.label} (derived, HR {ab.hr:g})")
    ax.plot([t for t, _ in ab.control_points], [100 * s for _, s in ab.control_points], "o", color="#0072B2",
            ms=4, label="published control figure")
    for d in ab.differences:
        ax.annotate(f"{d.difference_pp:+.0f} pp" + (" (extrapolated)" if d.extrapolated else ""),
                    (d.months, 100 * d.experimental), fontsize=FONT,
                    xytext=(3, 4), textcoords="offset points")
        ax.axvline(d.months, color="#d4d4d4", lw=0.6, zorder=0)
    ax.set_ylim(0, 100)
    ax.set_xlim(0, grid[-1])
    ax.set_xlabel("months", fontsize=FONT)
    ax.set_ylabel(f"{b.comparison.endpoint} (%)", fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    ax.legend(fontsize=FONT - 0.5, frameon=False, loc="lower left")
    ax.set_title("\n".join(textwrap.wrap(f"Derived: {CURVE_FORM}.", 95)), fontsize=FONT - 1, loc="left")
    return ax
