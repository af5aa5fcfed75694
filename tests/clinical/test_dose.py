"""BED = D (1 + d / (α/β)); EQD2 = BED / (1 + 2 / (α/β))."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hccdecide.clinical.dose import bed, eqd2


@pytest.mark.parametrize("total, n, ab, expected_bed, expected_eqd2", [
    (60, 30, 10, 72.0, 60.0),     # d 2: 60 x 1.2 = 72; 72 / 1.2 = 60
    (45, 15, 10, 58.5, 48.75),    # d 3: 45 x 1.3 = 58.5; 58.5 / 1.2 = 48.75
    (40, 5, 10, 72.0, 60.0),      # d 8: 40 x 1.8 = 72
    (8, 1, 10, 14.4, 12.0),       # 8 x 1.8 = 14.4; / 1.2 = 12
    (60, 30, 3, 100.0, 60.0),     # 60 x (1 + 2/3) = 100; 100 / (5/3) = 60
    (40, 5, 3, 440 / 3, 88.0),    # 40 x (1 + 8/3) = 146.67; / (5/3) = 88
])
def test_bed_and_eqd2(total, n, ab, expected_bed, expected_eqd2):
    assert bed(total, n, ab) == pytest.approx(expected_bed)
    assert eqd2(total, n, ab) == pytest.approx(expected_eqd2)


def test_default_alpha_beta_is_10():
    assert bed(45, 15) == pytest.approx(58.5)


@pytest.mark.parametrize("args", [(0, 5, 10), (40, 0, 10), (40, 5, 0), (-1, 5, 10)])
def test_invalid_inputs_raise(args):
    with pytest.raises(ValueError):
        bed(*args)


@given(st.floats(1, 100), st.integers(1, 45), st.floats(1, 20))
def test_never_fails_in_range(total, n, ab):
    b, e = bed(total, n, ab), eqd2(total, n, ab)
    assert math.isfinite(b) and b > total
    # EQD2 equals the physical dose exactly when fractions are 2 Gy
    assert (e > total) == (total / n > 2 + 1e-9) or math.isclose(e, total, rel_tol=1e-9)
