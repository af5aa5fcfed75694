"""The vocabulary criteria and prognostic factors may speak of: patient fields plus derived values.

A derived value is computed by the engine from the patient (Child–Pugh from its components, MVI grade
from Vp/Vv ...). Evidence files name variables from this table only; the library cross-check enforces it.
"""
from __future__ import annotations

from dataclasses import dataclass

from hccdecide.patient import BOOLEAN, CHOICE, FIELDS, INTEGER, NUMBER, TEXT_LIST


@dataclass(frozen=True)
class Variable:
    key: str
    label: str
    kind: str
    unit: str = ""
    choices: tuple[str, ...] = ()
    derived: bool = False
    post_treatment: bool = False


DERIVED: tuple[Variable, ...] = (
    Variable("child_pugh_score", "Child–Pugh score", INTEGER, "points", derived=True),
    Variable("child_pugh_class", "Child–Pugh class", CHOICE, choices=("A", "B", "C"), derived=True),
    Variable("albi_score", "ALBI score", NUMBER, derived=True),
    Variable("albi_grade", "ALBI grade", INTEGER, "grade", derived=True),
    Variable("bclc_stage", "BCLC stage (2022)", CHOICE, choices=("0", "A", "B", "C", "D"), derived=True),
    Variable("mvi_present", "Macrovascular invasion present", BOOLEAN, derived=True),
    Variable("mvi_grade", "MVI grade (Pan et al. 2024; 0 = none)", INTEGER, "grade", derived=True),
    Variable("pvtt_cheng_type", "Cheng PVTT type (entered, else approximated from Vp)", INTEGER,
             "type", derived=True),
    Variable("lnm_location", "Nodal location", CHOICE, choices=("none", "regional", "non_regional"),
             derived=True),
    Variable("abdominal_nodes", "Nodes in the liver hilum or abdominal cavity", BOOLEAN, derived=True),
    Variable("m_stage", "M stage (distant organ or non-regional nodes)", CHOICE,
             choices=("M0", "M1"), derived=True),
    Variable("distant_organ_metastasis", "Distant organ metastasis (nodes not counted)", BOOLEAN,
             derived=True),
    Variable("extrahepatic_disease", "Extrahepatic disease (nodal or distant organ metastasis)", BOOLEAN,
             derived=True),
    Variable("extrahepatic_organs", "Organs with extrahepatic metastases (non-regional nodes = 1)",
             INTEGER, derived=True),
    Variable("extrahepatic_lesions", "Extrahepatic metastatic lesions", INTEGER, derived=True),
    Variable("extrahepatic_max_per_organ", "Most lesions in one extrahepatic organ", INTEGER,
             derived=True),
    Variable("oligoprogression_type", "Oligoprogression type (Wang et al. 2025)", CHOICE,
             choices=("metachronous", "repeat", "induced", "not_oligoprogressive"), derived=True),
    Variable("bed_gy", "BED of the planned course", NUMBER, "Gy", derived=True),
    Variable("eqd2_gy", "EQD2 of the planned course", NUMBER, "Gy", derived=True),
    Variable("bilirubin_x_uln", "Bilirubin / upper limit of normal", NUMBER, "xULN", derived=True),
    Variable("alt_x_uln", "ALT / upper limit of normal", NUMBER, "xULN", derived=True),
    Variable("ast_x_uln", "AST / upper limit of normal", NUMBER, "xULN", derived=True),
    Variable("transaminase_x_uln", "Higher of ALT and AST / ULN", NUMBER, "xULN", derived=True),
    Variable("inr_x_uln", "INR / upper limit of normal", NUMBER, "xULN", derived=True),
    # residual, recurrent, untreated or progressing tumour, thrombus, nodes or metastases (derive.py)
    Variable("has_target_lesion", "A lesion to treat now", BOOLEAN, derived=True),
    # residual tumour, recurrence, progressing lesions or viable tumour after TACE (derive.py)
    Variable("disease_after_treatment", "Tumour left or grown since treatment", BOOLEAN, derived=True),
    Variable("hbv_active_untreated", "HBsAg positive with HBV DNA above normal", BOOLEAN,
             derived=True),
)

VARIABLES: dict[str, Variable] = {
    **{f.key: Variable(f.key, f.label, f.kind, f.unit, f.choices, post_treatment=f.post_treatment)
       for f in FIELDS},
    **{v.key: v for v in DERIVED},
}

# Core domains: what a study must have checked before a patient can be called eligible for it.
LIVER, PS, EXTENT, SETTING = "liver_function", "performance_status", "extent", "setting"
CORE_DOMAINS: tuple[str, ...] = (LIVER, PS, EXTENT, SETTING)
DOMAIN_LABEL = {LIVER: "liver function", PS: "performance status", EXTENT: "disease extent or stage",
                SETTING: "treatment setting"}
_DOMAIN_VARS = {
    LIVER: ("child_pugh_score", "child_pugh_class", "albi_score", "albi_grade", "bilirubin_umol_l",
            "bilirubin_x_uln", "albumin_g_l", "inr", "inr_x_uln", "pt_s", "pt_prolongation_s", "ascites",
            "encephalopathy", "cirrhosis"),
    PS: ("ecog", "kps"),
    EXTENT: ("bclc_stage", "tumour_count", "largest_diameter_cm", "sum_diameter_cm", "vp", "vv",
             "mvi_present", "mvi_grade", "pvtt_cheng_type", "lnm_present", "lnm_stations", "lnm_count",
             "lnm_volume_cc", "lnm_location", "abdominal_nodes", "m_stage", "distant_organ_metastasis", "extrahepatic_disease",
             "extrahepatic_spread", "extrahepatic_organs", "extrahepatic_lesions", "extrahepatic_max_per_organ",
             "intrahepatic_metastasis", "progressing_lesions", "progressing_organs", "oligoprogression_type",
             "metastatic_history", *(f"ehm_{o}_count" for o in ("lung", "bone", "adrenal", "brain",
                                                               "peritoneum", "other"))),
    SETTING: ("treatment_naive", "recurrent", "resectable", "resected", "residual_disease", "narrow_margin",
              "microvascular_invasion", "prior_systemic_therapy", "progressed_on_sorafenib",
              "anti_pd1_refractory", "first_line_therapy", "months_stable_on_first_line", "ablation_candidate",
              "transplant_candidate", "prior_tace", "tace_incomplete_response", "tace_cycles", "prior_rt_same_site",
              "primary_controlled", "painful_liver_tumour", "central_location"),
}
DOMAIN_OF: dict[str, str] = {v: d for d, vs in _DOMAIN_VARS.items() for v in vs}
# A BCLC stage that excludes D also bounds performance status (ECOG <= 2) and liver function (not
# end-stage); one that admits D bounds only the extent.
BCLC_ALSO_BOUNDS = (LIVER, PS)

NUMERIC_KINDS = (NUMBER, INTEGER)

# How the choice values read on screen and in print; the rest read with spaces for underscores
CHOICE_TEXT = {"grade_1_2": "grade 1–2", "grade_3_4": "grade 3–4", "moderate_severe": "moderate to severe",
               "non_regional": "non-regional", "non_metastatic": "non-metastatic",
               "not_oligoprogressive": "not oligoprogressive"}


def choice_text(value: object) -> str:
    """A choice value in clinical words ("grade 1–2", never the stored "grade_1_2")."""
    return CHOICE_TEXT.get(value, str(value).replace("_", " ")) if isinstance(value, str) else str(value)


UNITS_NOT_PRINTED = ("", "grade", "type")  # "Vp 3", not "3 grade"


def value_text(key: str, value: object) -> str:
    """An entered or derived value as a clinician reads it: yes/no, choices in words, numbers without
    trailing zeros and with their unit ("40 g/L", "4.5 cm", "hepatic hilum, para-aortic")."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(choice_text(v) for v in value)
    if isinstance(value, (int, float)):
        unit = VARIABLES[key].unit if key in VARIABLES else ""
        number = f"{value:g}"
        return number if unit in UNITS_NOT_PRINTED else f"{number} {unit}"
    return choice_text(value)


__all__ = ["Variable", "DERIVED", "VARIABLES", "NUMERIC_KINDS", "TEXT_LIST", "CORE_DOMAINS", "DOMAIN_OF",
           "DOMAIN_LABEL", "CHOICE_TEXT", "choice_text", "value_text"]
