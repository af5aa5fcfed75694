"""What the form says about text it cannot accept, in clinical words: the field's label, its unit and
range, never a key, "null" or exponent notation; and the other unit when the value fits that one."""
from __future__ import annotations

from hccdecide.patient import INTEGER, NUMBER, FieldSpec


def plain_number(value: float) -> str:
    """12, 4.5, 10 000 000: never 1e+07."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:.6g}" if abs(value) < 1e6 else f"{value:,.1f}".replace(",", " ")


def range_text(spec: FieldSpec, factor: float = 1.0, unit: str | None = None) -> str:
    """"0–4", "10–60 g/L" (in the unit shown: the canonical range divided by ``factor``)."""
    unit = spec.unit if unit is None else unit
    low, high = spec.low / factor, spec.high / factor
    return f"{plain_number(round(low, 3))}–{plain_number(round(high, 3))}" + (f" {unit}" if unit else "")


def read_number(text: str) -> float | None:
    """The number typed (a decimal comma accepted), or None when it is not a number."""
    try:
        return float(text.strip().replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def _other_unit(spec: FieldSpec, shown: float, factor: float, alternative: tuple[str, float] | None) -> str:
    """", probably g/dL: choose g/dL beside the field" when the value fits the other unit's range."""
    if alternative is None:
        return ""
    alt_unit, alt_factor = alternative
    other_factor, other_unit = (alt_factor, alt_unit) if factor == 1.0 else (1.0, spec.unit)
    canonical = shown * other_factor
    if spec.low <= canonical <= spec.high:
        return f"; probably {other_unit}: choose {other_unit} in the unit box beside the field"
    return ""


def field_message(spec: FieldSpec, text: str, factor: float = 1.0, unit: str | None = None,
                  alternative: tuple[str, float] | None = None, accepted: str = "") -> str:
    """Why ``text`` is not accepted for ``spec``, without the label (the form then keeps the last
    valid value). ``accepted`` is the validator's own wording, used for fields that are not numbers."""
    shown = f"'{text.strip()}'"
    if spec.kind not in (NUMBER, INTEGER):
        accepted = accepted.replace(", or null for unknown", "").replace("null", "empty")
        return f"{shown} is not accepted" + (f"; expected {accepted}" if accepted else "")
    number = read_number(text)
    expected = range_text(spec, factor, unit)
    if number is None:
        return f"{shown} is not a number; enter {expected}"
    if spec.kind == INTEGER and not number.is_integer():
        return f"{shown} is not a whole number; enter {expected}"
    if not spec.low <= number * factor <= spec.high:
        return f"{shown} is outside {expected}" + _other_unit(spec, number, factor, alternative)
    return f"{shown} is not accepted; enter {expected}"
