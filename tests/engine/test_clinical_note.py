"""Copy to clinical note: plain text with the evidence version and digest, no case label unless asked."""
from __future__ import annotations

from datetime import datetime, timezone

from hccdecide.engine.assessment import assess
from hccdecide.engine.clinical_note import note_text
from hccdecide.engine.plain_summary import at_a_glance
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir


def test_note_carries_summary_and_evidence_identity_without_the_label():
    a = assess(Patient.from_file(cases_dir() / "example_nodal_disease.json"))
    g = at_a_glance(a)
    text = note_text(a, g, now=datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc))
    assert a.patient["case_label"] not in text
    assert a.library.version in text and a.library.digest in text
    assert "2026-03-02 09:30" in text
    for sentence in g.sentences:
        assert f"- {sentence}" in text
    assert "<" not in text and "&" not in text  # plain text, no markup
    assert a.patient["case_label"] in note_text(a, g, include_label=True)
