"""The patient: typed, unit-bearing, range-checked fields, every one of which may be unknown.

A case is a flat JSON object whose keys carry their unit (``bilirubin_umol_l``, ``afp_ng_ml`` ...).
An absent key or ``null`` means *unknown*. The field table :data:`FIELDS` is the single source
for the parser, the GUI form, the README key table and the evidence cross-checks.

Errors are :class:`PatientError` (a ``ValueError``) naming the key, the value and what is accepted.
Nothing is coerced silently: ``"12"`` is not a number, ``"yes"`` is not a boolean.
"""
from __future__ import annotations

import difflib
import json
import math
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from hccdecide.case_json import decode_case_bytes, load_case_text, read_case_bytes
from hccdecide.errors import PatientError
from hccdecide.paths import reference_file
from hccdecide.text_rules import ACCEPTED_TEXT, text_problem
from hccdecide.yaml_data import read_table

NUMBER = "number"
INTEGER = "integer"
BOOLEAN = "boolean"
CHOICE = "choice"
TEXT = "text"
TEXT_LIST = "list"


@dataclass(frozen=True)
class FieldSpec:
    """One patient variable: its key, type, unit, plausible range and where it sits on the form."""

    key: str
    label: str
    kind: str
    group: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""
    identifying: bool = False  # hidden in presentation mode and reports marked anonymous
    post_treatment: bool = False  # known only after the first response assessment
    detail_of: str | None = None  # a detail of a yes/no finding (nodal volume of nodes): asked once it is present

    def accepted(self) -> str:
        """A sentence fragment saying what this field accepts, for error messages and tooltips."""
        if self.kind in (NUMBER, INTEGER):
            what = "a whole number" if self.kind == INTEGER else "a number"
            unit = f" {self.unit}" if self.unit else ""
            return f"{what} from {_fmt(self.low)} to {_fmt(self.high)}{unit}, or null for unknown"
        if self.kind == BOOLEAN:
            return "true or false, or null for unknown"
        if self.kind == CHOICE:
            return "one of " + ", ".join(repr(c) for c in self.choices) + ", or null for unknown"
        if self.kind == TEXT_LIST:
            return "a list of text codes, or null for unknown"
        return "text, or null"


@dataclass(frozen=True)
class AltUnit:
    """An accepted alternative key for a quantity, converted explicitly to the canonical key."""

    key: str
    canonical: str
    factor: float
    unit: str
    low: float
    high: float


@lru_cache(maxsize=1)
def station_codes() -> frozenset[str]:
    """Nodal station codes of the reference table (the only list field is lnm_stations)."""
    return frozenset(read_table(reference_file("ln_stations.yaml"), "stations"))


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}"


G_ID, G_PS, G_LIVER, G_LABS, G_TUMOUR, G_MVI, G_NODES, G_EHS, G_OLIGO, G_SYS, G_LOCAL, G_RT, G_POST = (
    "Case", "Performance status", "Liver function", "Labs", "Tumour", "Macrovascular invasion",
    "Lymph nodes", "Extrahepatic disease", "Oligoprogression history", "Systemic therapy",
    "Prior and planned local therapy", "Planned radiotherapy", "After first response assessment")

GROUPS: tuple[str, ...] = (G_ID, G_PS, G_LIVER, G_LABS, G_TUMOUR, G_MVI, G_NODES, G_EHS, G_OLIGO,
                           G_SYS, G_LOCAL, G_RT, G_POST)

EHS_ORGANS: tuple[str, ...] = ("lung", "bone", "adrenal", "brain", "peritoneum", "other")

_F = FieldSpec
FIELDS: tuple[FieldSpec, ...] = (
    _F("case_label", "Case label", TEXT, G_ID, help="Free text; never shown in presentation mode.",
       identifying=True),
    _F("age_years", "Age", INTEGER, G_ID, "years", 1, 110),
    _F("sex", "Sex", CHOICE, G_ID, choices=("male", "female")),
    _F("ecog", "ECOG performance status", INTEGER, G_PS, "", 0, 4),
    _F("kps", "Karnofsky performance status", INTEGER, G_PS, "%", 10, 100),
    _F("bilirubin_umol_l", "Total bilirubin", NUMBER, G_LIVER, "µmol/L", 1, 900),
    _F("albumin_g_l", "Albumin", NUMBER, G_LIVER, "g/L", 10, 60),
    _F("inr", "INR", NUMBER, G_LIVER, "", 0.7, 10),
    _F("pt_s", "Prothrombin time", NUMBER, G_LIVER, "s", 8, 80),
    _F("pt_prolongation_s", "PT prolongation over control", NUMBER, G_LIVER, "s", 0, 60,
       help="Seconds above the laboratory control; used for Child–Pugh only when INR is unknown."),
    _F("ascites", "Ascites", CHOICE, G_LIVER, choices=("none", "mild", "moderate_severe")),
    _F("encephalopathy", "Hepatic encephalopathy", CHOICE, G_LIVER,
       choices=("none", "grade_1_2", "grade_3_4")),
    _F("child_pugh_score", "Child–Pugh score (entered)", INTEGER, G_LIVER, "points", 5, 15,
       help="Optional; checked against the score computed from the components."),
    _F("cirrhosis", "Cirrhosis", BOOLEAN, G_LIVER),
    _F("afp_ng_ml", "AFP", NUMBER, G_LABS, "ng/mL", 0, 10_000_000),
    _F("alt_u_l", "ALT", NUMBER, G_LABS, "U/L", 1, 10_000),
    _F("ast_u_l", "AST", NUMBER, G_LABS, "U/L", 1, 10_000),
    _F("alp_u_l", "ALP", NUMBER, G_LABS, "U/L", 1, 10_000),
    _F("platelets_10e9_l", "Platelets", NUMBER, G_LABS, "×10⁹/L", 1, 2000),
    _F("ca19_9_u_ml", "CA19-9", NUMBER, G_LABS, "U/mL", 0, 1_000_000),
    _F("hbsag_positive", "HBsAg positive", BOOLEAN, G_LABS),
    _F("bilirubin_uln_umol_l", "Bilirubin upper limit of normal", NUMBER, G_LABS, "µmol/L", 5, 40,
       help="Your laboratory's ULN; the reference table's default is used when unknown."),
    _F("alt_uln_u_l", "ALT upper limit of normal", NUMBER, G_LABS, "U/L", 10, 80),
    _F("ast_uln_u_l", "AST upper limit of normal", NUMBER, G_LABS, "U/L", 10, 80),
    _F("inr_uln", "INR upper limit of normal", NUMBER, G_LABS, "", 0.9, 1.6),
    _F("hbv_dna_iu_ml", "HBV DNA", NUMBER, G_LABS, "IU/mL", 0, 1e10),
    _F("tumour_count", "Intrahepatic tumours", INTEGER, G_TUMOUR, "", 0, 99),
    _F("largest_diameter_cm", "Largest tumour diameter", NUMBER, G_TUMOUR, "cm", 0.1, 30),
    _F("sum_diameter_cm", "Sum of tumour diameters", NUMBER, G_TUMOUR, "cm", 0.1, 60),
    _F("central_location", "Centrally located tumour", BOOLEAN, G_TUMOUR),
    _F("resectable", "Resectable (surgical judgement)", BOOLEAN, G_TUMOUR),
    _F("treatment_naive", "No previous HCC treatment", BOOLEAN, G_TUMOUR),
    _F("recurrent", "Recurrence after curative treatment", BOOLEAN, G_TUMOUR),
    _F("intrahepatic_metastasis", "Intrahepatic metastases (satellite or multifocal spread)", BOOLEAN,
       G_TUMOUR),
    _F("vp", "Portal vein invasion (Vp)", INTEGER, G_MVI, "grade", 0, 4,
       help="Liver Cancer Study Group of Japan: 0 none, 1 beyond 2nd-order branch, 2 second-order, "
            "3 first-order branch, 4 main trunk."),
    _F("vv", "Hepatic vein invasion (Vv)", INTEGER, G_MVI, "grade", 0, 3,
       help="0 none, 1 peripheral hepatic vein, 2 major hepatic vein, 3 inferior vena cava."),
    _F("cheng_type", "Cheng PVTT type (entered)", INTEGER, G_MVI, "type", 0, 4,
       help="Optional; type IV (superior mesenteric vein) cannot be derived from Vp."),
    _F("lnm_present", "Lymph-node metastasis", BOOLEAN, G_NODES),
    _F("lnm_stations", "Involved nodal stations", TEXT_LIST, G_NODES,
       help="Station codes from the station table (e.g. hepatic_hilum, para_aortic).", detail_of="lnm_present"),
    _F("lnm_count", "Number of involved nodes", INTEGER, G_NODES, "", 0, 99, detail_of="lnm_present"),
    _F("lnm_volume_cc", "Nodal gross tumour volume", NUMBER, G_NODES, "cc", 0.1, 3000, detail_of="lnm_present"),
    _F("lnm_location_override", "Nodal location (override)", CHOICE, G_NODES, detail_of="lnm_present",
       choices=("regional", "non_regional"),
       help="Overrides the location derived from the stations; the assessment says so."),
    _F("extrahepatic_spread", "Extrahepatic metastases (other than nodes)", BOOLEAN, G_EHS),
    *(_F(f"ehm_{organ}_count", f"Metastases: {organ}", INTEGER, G_EHS, "lesions", 0, 99)
      for organ in EHS_ORGANS),
    _F("metastatic_history", "State before current progression", CHOICE, G_OLIGO,
       choices=("non_metastatic", "oligometastatic", "polymetastatic"),
       help="Polymetastatic: more than 5 metastases or more than 3 organs."),
    _F("months_since_diagnosis", "Months from primary diagnosis to new lesions", NUMBER, G_OLIGO,
       "months", 0, 600),
    _F("progressing_lesions", "New or progressing lesions", INTEGER, G_OLIGO, "", 0, 99),
    _F("progressing_organs", "Organs with new or progressing lesions", INTEGER, G_OLIGO, "", 0, 20),
    _F("first_line_therapy", "Current first-line systemic therapy", CHOICE, G_SYS,
       choices=("none", "targeted", "immunotherapy", "both")),
    _F("months_stable_on_first_line", "Months of stable disease on first line", NUMBER, G_SYS,
       "months", 0, 240),
    _F("prior_systemic_therapy", "Any previous systemic therapy", BOOLEAN, G_SYS),
    _F("progressed_on_sorafenib", "Progressed on sorafenib", BOOLEAN, G_SYS),
    _F("anti_pd1_refractory", "Refractory to anti-PD-1 therapy", BOOLEAN, G_SYS),
    _F("ablation_candidate", "Suitable for percutaneous ablation", BOOLEAN, G_LOCAL),
    _F("resected", "Curative resection already performed", BOOLEAN, G_LOCAL,
       help="For adjuvant settings: the tumour has been resected."),
    _F("residual_disease", "Residual tumour after resection (R1/R2 or lesions left)", BOOLEAN, G_LOCAL,
       help="For adjuvant settings: adjuvant trials treated patients without residual tumour."),
    _F("narrow_margin", "Narrow resection margin (< 1 cm)", BOOLEAN, G_LOCAL),
    _F("microvascular_invasion", "Microvascular invasion on pathology", BOOLEAN, G_LOCAL),
    _F("primary_controlled", "Primary liver tumour controlled", BOOLEAN, G_LOCAL,
       help="Liver tumour treated and without progression (oligometastasis trials)."),
    _F("prior_tace", "Previous TACE", BOOLEAN, G_LOCAL),
    _F("tace_incomplete_response", "Incomplete response after TACE", BOOLEAN, G_LOCAL),
    _F("tace_cycles", "TAE/TACE cycles given so far", INTEGER, G_LOCAL, "", 0, 50,
       help="Trials after an incomplete TACE state how many cycles came before (e.g. exactly one)."),
    _F("prior_rt_same_site", "Previous radiotherapy to the same site", BOOLEAN, G_LOCAL),
    _F("transplant_candidate", "Listed or candidate for liver transplant", BOOLEAN, G_LOCAL),
    _F("painful_liver_tumour", "Pain from the liver tumour", BOOLEAN, G_LOCAL),
    _F("rt_dose_gy", "Planned total dose", NUMBER, G_RT, "Gy", 1, 100),
    _F("rt_fractions", "Planned fractions", INTEGER, G_RT, "", 1, 45),
    _F("alpha_beta_gy", "α/β for BED", NUMBER, G_RT, "Gy", 1, 20,
       help="Default 10 Gy (tumour) when unknown."),
    _F("response", "Best response (RECIST/mRECIST)", CHOICE, G_POST, choices=("CR", "PR", "SD", "PD"),
       post_treatment=True),
    _F("afp_reduction_pct", "AFP reduction from baseline", NUMBER, G_POST, "%", -10_000, 100,
       post_treatment=True, help="Positive = fall; 90 means a 90% reduction."),
    _F("pathological_response", "Pathological response", CHOICE, G_POST,
       choices=("pCR", "MPR", "none"), post_treatment=True),
)

FIELD_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}

ALT_UNITS: tuple[AltUnit, ...] = (
    # each range lies inside the canonical one once converted (0.06 x 17.104 = 1.03, 52.6 x 17.104 = 899.7)
    AltUnit("bilirubin_mg_dl", "bilirubin_umol_l", 17.104, "mg/dL", 0.06, 52.6),
    AltUnit("albumin_g_dl", "albumin_g_l", 10.0, "g/dL", 1.0, 6.0),
    AltUnit("afp_ug_l", "afp_ng_ml", 1.0, "µg/L", 0, 10_000_000),
)
ALT_BY_KEY: dict[str, AltUnit] = {a.key: a for a in ALT_UNITS}

# Two entries of one quantity in different units must agree to this relative tolerance
# (rounding in the laboratory report is allowed for, a different value is not).
UNIT_AGREEMENT_REL_TOL = 0.02


def _check_number(spec_key: str, value: Any, low: float | None, high: float | None, unit: str,
                  integer: bool, accepted: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PatientError(spec_key, value, accepted)
    if isinstance(value, float) and not math.isfinite(value):
        raise PatientError(spec_key, value, accepted)
    if integer and isinstance(value, float):
        if not value.is_integer():
            raise PatientError(spec_key, value, accepted)
        value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise PatientError(spec_key, value, accepted)
    return value


def validate_value(key: str, value: Any) -> Any:
    """Return ``value`` checked against the field ``key``; ``None`` stays ``None`` (unknown)."""
    spec = FIELD_BY_KEY.get(key)
    if spec is None:
        raise PatientError(key, value, _unknown_key_hint(key))
    if value is None:
        return None
    accepted = spec.accepted()
    if spec.kind in (NUMBER, INTEGER):
        return _check_number(key, value, spec.low, spec.high, spec.unit, spec.kind == INTEGER,
                             accepted)
    if spec.kind == BOOLEAN:
        if not isinstance(value, bool):
            raise PatientError(key, value, accepted)
        return value
    if spec.kind == CHOICE:
        if value not in spec.choices:
            raise PatientError(key, value, accepted)
        return value
    if spec.kind == TEXT_LIST:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise PatientError(key, value, accepted)
        codes = tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
        known = station_codes()
        bad = [c for c in codes if c not in known]
        if bad:
            raise PatientError(key, bad, "station codes among " + ", ".join(sorted(known)))
        return codes
    if not isinstance(value, str):
        raise PatientError(key, value, accepted)
    problem = text_problem(value)
    if problem:
        raise PatientError(key, value, f"{ACCEPTED_TEXT}; this has {problem}")
    return value


def _unknown_key_hint(key: str) -> str:
    known = [f.key for f in FIELDS] + [a.key for a in ALT_UNITS]
    close = difflib.get_close_matches(key, known, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return "a known case key" + hint + "; the README lists every key"


def _merge_alternative_units(data: Mapping[str, Any]) -> dict[str, Any]:
    """Convert alternative-unit keys to canonical ones; two units that disagree are an error."""
    out = {k: v for k, v in data.items() if k not in ALT_BY_KEY}
    for key, value in data.items():
        alt = ALT_BY_KEY.get(key)
        if alt is None or value is None:
            continue
        accepted = f"a number from {_fmt(alt.low)} to {_fmt(alt.high)} {alt.unit}, or null"
        number = _check_number(key, value, alt.low, alt.high, alt.unit, False, accepted)
        converted = round(number * alt.factor, 6)
        try:  # checked in the unit the user wrote: the message names their key, their unit
            validate_value(alt.canonical, converted)
        except PatientError:
            raise PatientError(key, value, accepted) from None
        existing = out.get(alt.canonical)
        if existing is not None:
            # validate the canonical value first so a bad one is reported, not replaced
            existing = validate_value(alt.canonical, existing)
            if abs(existing - converted) > UNIT_AGREEMENT_REL_TOL * max(abs(existing), abs(converted)):
                raise PatientError(
                    key, value,
                    f"a value that agrees with {alt.canonical} = {existing:g} "
                    f"({value:g} {alt.unit} is {converted:g}); give one unit or make them agree")
            continue
        out[alt.canonical] = converted
    return out


SCENARIO_KEY = "scenario_b"  # case-file key holding the what-if scenario B (an object of case keys)


def _scenario_b(data: Any) -> "Patient | None":
    """Scenario B of a case file, validated like a case; its errors name ``scenario_b.<key>``."""
    if data is None:
        return None
    if not isinstance(data, Mapping) or SCENARIO_KEY in data:
        raise PatientError(SCENARIO_KEY, type(data).__name__ if not isinstance(data, Mapping) else "nested scenario",
                           "a JSON object of case keys (the what-if scenario B), without a scenario of its own")
    try:
        return Patient.from_dict(data)
    except PatientError as err:
        raise PatientError(f"{SCENARIO_KEY}.{err.key}", err.value, err.accepted) from None


@dataclass(frozen=True)
class Patient:
    """An immutable set of patient values; a key that is not set is unknown.

    Use :meth:`from_dict` / :meth:`from_json` to build one (validated) and :meth:`replace` to edit.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    scenario_b: "Patient | None" = None  # the what-if scenario saved with the case (SCENARIO_KEY)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Patient":
        if not isinstance(data, Mapping):
            raise PatientError("(case)", type(data).__name__, "a JSON object of key: value pairs")
        data = dict(data)
        scenario_b = _scenario_b(data.pop(SCENARIO_KEY, None))
        merged = _merge_alternative_units(data)
        checked = {}
        for key, value in merged.items():
            checked[key] = validate_value(key, value)
        return cls({k: v for k, v in checked.items() if v is not None}, scenario_b)

    @classmethod
    def from_json(cls, text: str | bytes) -> "Patient":
        """Parse case-file text (or its raw bytes); any malformed input raises PatientError."""
        if isinstance(text, bytes):
            text = decode_case_bytes(text)
        return cls.from_dict(load_case_text(text))

    @classmethod
    def from_file(cls, path: str | Path) -> "Patient":
        return cls.from_json(read_case_bytes(Path(path)))

    def get(self, key: str, default: Any = None) -> Any:
        if key not in FIELD_BY_KEY:
            raise KeyError(f"unknown patient field {key!r}")
        return self.values.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def known(self, key: str) -> bool:
        return self.values.get(key) is not None

    def replace(self, **changes: Any) -> "Patient":
        """A new patient with ``changes`` applied (``None`` makes a value unknown)."""
        data = dict(self.values)
        for key, value in changes.items():
            checked = validate_value(key, value)
            if checked is None:
                data.pop(key, None)
            else:
                data[key] = checked
        return Patient(data, self.scenario_b)

    def with_scenario_b(self, scenario_b: "Patient | None") -> "Patient":
        """The same case carrying ``scenario_b`` (None removes it); B never carries a scenario itself."""
        if scenario_b is not None and scenario_b.scenario_b is not None:
            scenario_b = Patient(scenario_b.values)
        return Patient(self.values, scenario_b)

    def to_dict(self) -> dict[str, Any]:
        """The flat JSON form, in field-table order, lists as lists."""
        out = {}
        for spec in FIELDS:
            if spec.key in self.values:
                value = self.values[spec.key]
                out[spec.key] = list(value) if isinstance(value, tuple) else value
        if self.scenario_b is not None:
            out[SCENARIO_KEY] = self.scenario_b.to_dict()
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def anonymised(self) -> "Patient":
        """The same case without identifying fields (presentation mode, shared reports)."""
        b = self.scenario_b.anonymised() if self.scenario_b is not None else None
        return Patient({k: v for k, v in self.values.items() if not FIELD_BY_KEY[k].identifying}, b)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def parse_text(key: str, text: str) -> Any:
    """Parse what a person typed into the form field ``key``; empty text is unknown.

    Accepts a decimal comma as well as a point. Raises :class:`PatientError` otherwise.
    """
    spec = FIELD_BY_KEY[key]
    stripped = text.strip()
    if stripped == "":
        return None
    if spec.kind in (NUMBER, INTEGER):
        normalised = stripped.replace(",", ".").replace(" ", "")
        try:
            number: float | int = float(normalised)
        except ValueError:
            raise PatientError(key, text, spec.accepted()) from None
        if spec.kind == INTEGER:
            if not float(number).is_integer():
                raise PatientError(key, text, spec.accepted())
            number = int(number)
        return validate_value(key, number)
    if spec.kind == TEXT_LIST:
        return validate_value(key, [p for p in stripped.replace(";", ",").split(",")])
    return validate_value(key, stripped)


def iter_fields(group: str | None = None) -> Iterable[FieldSpec]:
    return (f for f in FIELDS if group is None or f.group == group)
