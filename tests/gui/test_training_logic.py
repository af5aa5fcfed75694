"""The training comparison is Qt-free: graded straight from an Assessment (no widget involved)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from hccdecide.engine.assessment import assess
from hccdecide.engine.training import NOT_APPLICABLE, compare, training_cases
from hccdecide.patient import Patient


@pytest.fixture(scope="module")
def decompensated(library):
    return assess(Patient.from_file(next(c for c in training_cases() if c.file == "training_decompensated.json").path),
                  library)


def test_module_imports_no_qt():
    code = ("import sys, hccdecide.engine.training; "
            "sys.exit(any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_perfect_answers_score_full_marks(decompensated):
    applies = {r.info.key for r in decompensated.regimens if r.status in ("eligible", "uncertain")}
    scored = [r for r in decompensated.regimens if r.status != "uncertain"]  # uncertain: open, not scored
    # Yan 2025 treated Child-Pugh 5-8 only (Table 1): this Child-Pugh 13 patient is outside it, so the
    # Yan risk model does not apply
    fb = compare(applies, NOT_APPLICABLE, decompensated)
    assert fb.wrong == () and fb.stratum.correct
    assert fb.score == (len(scored) + 1, len(scored) + 1)


def test_missed_and_unsupported_regimens_carry_their_reasons(decompensated):
    fb = compare({"sbrt_curative"}, "low", decompensated)
    missed = {r.key: r for r in fb.missed}
    # palliative RT for pain (CCTG HE1) is uncertain: pain is not entered, and the trial reports no
    # liver-function criterion; an open question is neither required nor penalised
    assert "palliative_rt" not in missed and "palliative_rt" in {r.key for r in fb.open}
    assert set(missed) == {r.info.key for r in decompensated.regimens if r.status == "eligible"}
    (wrong,) = fb.not_supported
    assert wrong.key == "sbrt_curative" and wrong.app_status == "ineligible"
    reasons = [c for s in wrong.studies for c in s.criteria]
    assert reasons and all(c.status in ("not_met", "unknown") for c in reasons)
    assert not fb.stratum.correct and fb.stratum.expected == (NOT_APPLICABLE,)
    present = {s.factor.id: s.present for s in fb.stratum.factors}
    assert present["pt"] is True and present["gtv"] is False


def test_stratum_is_not_applicable_without_nodal_disease(library):
    a = assess(Patient.from_file(next(c for c in training_cases() if c.file == "training_small_untreated.json").path),
               library)
    assert compare(set(), NOT_APPLICABLE, a).stratum.correct
    assert not compare(set(), "low", a).stratum.correct


def test_unknown_regimen_or_stratum_is_refused(decompensated):
    with pytest.raises(KeyError):
        compare({"no_such_regimen"}, None, decompensated)
    with pytest.raises(ValueError):
        compare(set(), "medium", decompensated)
