"""How counts and intervals read wherever text is shown: one spelling for the screen, slides, PDF and CLI.

Confidence intervals in the library are at 95% unless an estimate records another level, so a CI
always names its level ("95% CI 9.1–10.9") and a 90% interval can never pass for a 95% one. The
individual curves' bootstrap bands are always 95%.
"""
from __future__ import annotations

CI_LEVEL = 95  # the level of every interval the library records without one
HR_CI_HEADING = f"HR ({CI_LEVEL}% CI)"
BAND = f"{CI_LEVEL}% band"


def ci_text(ci: tuple[float, float], level: float = CI_LEVEL) -> str:
    """"95% CI 9.1–10.9"."""
    return f"{level:g}% CI {ci[0]:g}–{ci[1]:g}"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """"1 figure", "3 figures" (an irregular plural is given)."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
