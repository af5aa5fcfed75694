"""Two scenarios' curves of the same model overlaid (what-if), drawn on any matplotlib Axes."""
from __future__ import annotations

from matplotlib.axes import Axes

from hccdecide.engine.prognosis import CurveEstimate

SCENARIO_STYLE = {"A": ("#0072B2", "-"), "B": ("#D55E00", "--")}  # Okabe-Ito blue and vermilion, two dashes
FONT = 7.5


def plot_scenarios(ax: Axes, a: CurveEstimate | None, b: CurveEstimate | None) -> Axes:
    """A solid, B dashed; a scenario without an applicable curve is named in the title."""
    missing = []
    for name, curve in (("A", a), ("B", b)):
        colour, dash = SCENARIO_STYLE[name]
        support = getattr(curve, "support", None)
        if curve is None or (support is not None and not getattr(support, "inside", True)):
            missing.append(name if curve is None else f"{name} (outside the cohort's range)")
            continue
        median = f"median {curve.median:.1f} mo" if curve.median is not None else "median not reached"
        ax.plot(curve.grid, 100 * curve.survival, color=colour, ls=dash, lw=1.8,
                label=f"{name}: risk group {curve.stratum.name}, {median}")
    shown = a or b
    title = (f"{shown.study.short_name} · {shown.model.endpoint} · before treatment" if shown
             else "No individual estimate applies to either scenario")
    if shown and missing:
        title += f" (no curve for {' and '.join(missing)})"
    ax.set_title(title, fontsize=FONT + 1)
    ax.set_ylim(0, 100)
    ax.set_xlabel("Months", fontsize=FONT)
    ax.set_ylabel("%", fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    if shown:
        ax.legend(fontsize=FONT, frameon=False, loc="lower left")
    return ax
