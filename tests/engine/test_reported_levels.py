"""A published subgroup marks the patient's level only where the patient's course is one the groups
were formed from (Luo: physical dose of IMRT in 12-33 fractions, Methods; groups at 52 Gy, Table 1)."""
from __future__ import annotations

from hccdecide.engine.derive import derive
from hccdecide.engine.reported import reported_subgroups
from hccdecide.patient import Patient

# Clinical review case: three lung metastases, one progressing on lenvatinib, SBRT planned
OLIGO = dict(ecog=2, bilirubin_umol_l=20, albumin_g_l=35, inr=1.1, ascites="none", encephalopathy="none",
             tumour_count=1, largest_diameter_cm=3.0, extrahepatic_spread=True, ehm_lung_count=3,
             primary_controlled=True, treatment_naive=False)


def dose_group(library, dose_gy, fractions, endpoint="OS"):
    facts = derive(Patient.from_dict(dict(OLIGO, rt_dose_gy=dose_gy, rt_fractions=fractions))).facts
    luo = library.study("luo_oligomet")
    return next(rs for rs in reported_subgroups(luo, facts)
                if rs.subgroup.factor == "Radiotherapy dose" and rs.subgroup.endpoint == endpoint)


def test_sbrt_in_five_fractions_is_in_neither_of_luos_physical_dose_groups(library):
    """50 Gy in 5 fractions (BED10 100 Gy) is not the '52 Gy or less' group of 2-3 Gy fractions, whose
    median OS was 13 months against 21 (Table 1; Figure 2b)."""
    rs = dose_group(library, 50, 5)
    assert [lv.applies for lv in rs.levels] == [False, False]
    assert rs.patient_text == "at none of its levels"


def test_a_conventional_course_is_placed_in_its_group(library):
    assert dose_group(library, 50, 25).patient_text == "52 Gy or less"
    assert dose_group(library, 60, 30, "PFS").patient_text == "above 52 Gy"
    assert dose_group(library, 50, None).patient_text == "unknown"  # fractions not entered
