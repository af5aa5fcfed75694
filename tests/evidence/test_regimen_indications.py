"""Regimen indications (regimens.yaml): a rule on the case, its variables from the vocabulary."""
from __future__ import annotations

import pytest

from hccdecide.errors import EvidenceError
from hccdecide.evidence.library import _indication, load_regimens


def test_regimens_built_for_a_finding_carry_it_and_generic_ones_do_not():
    regimens = load_regimens()
    with_indication = {k for k, r in regimens.items() if r.indication is not None}
    assert {"palliative_rt", "rt_oligoprogression", "rt_systemic_nodal", "sbrt_nodal", "rt_mvi", "rt_io_pvtt",
            "sbrt_bridging", "periop_pd1_imrt_mvi", "neoadjuvant_rt_resection", "adjuvant_rt"} <= with_indication
    assert not {"rt_tki", "rt_io", "tace_rt", "sbrt_vs_tace", "sbrt_curative"} & with_indication
    assert regimens["palliative_rt"].key_endpoint == "PAIN_RESPONSE"


def test_an_indication_naming_an_unknown_variable_is_refused():
    with pytest.raises(EvidenceError, match="not in the vocabulary: liver_pain"):
        _indication("regimens.yaml", "x", {"label": "pain", "rule": {"var": "liver_pain", "op": "is_true"}})


def test_an_indication_without_a_rule_is_refused():
    with pytest.raises(EvidenceError, match="needs a text label and a rule"):
        _indication("regimens.yaml", "x", {"label": "pain"})
    with pytest.raises(EvidenceError, match="rule is not valid"):
        _indication("regimens.yaml", "x", {"label": "pain", "rule": {"var": "ecog", "op": "between", "value": 3}})
