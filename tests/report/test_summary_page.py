"""The one-page MDT record: exactly one A4 page whatever the case, with the required content."""
from __future__ import annotations

import io
import subprocess
import sys

import pypdf
import pytest

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.engine.plain_summary import at_a_glance
from hccdecide.engine.summary import DISCLAIMER
from hccdecide.patient import Patient
from hccdecide.paths import cases_dir
from hccdecide.report.summary_page import summary_pdf_bytes

CASES = sorted(p.name for p in cases_dir().glob("*.json"))


def read(pdf: bytes) -> tuple[int, str, tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    return len(reader.pages), text, (float(box.width), float(box.height))


@pytest.mark.parametrize("name", CASES)
def test_every_case_fits_one_a4_page_with_its_content(name):
    a = assess(Patient.from_file(cases_dir() / name))
    bands = bands_for(a.curves)
    pages, text, size = read(summary_pdf_bytes(a, bands))
    assert pages == 1
    assert size == pytest.approx((595.3, 841.9), abs=0.5)  # A4 in points
    glance = at_a_glance(a, bands)
    assert " ".join(glance.sentences[0].split()) in text  # stage and liver function
    assert a.library.version in text and a.library.digest[:16] in text.replace(" ", "")
    assert " ".join(DISCLAIMER.split()) in text
    assert "Open questions and next data" in text


def test_a_long_note_is_trimmed_to_one_page():
    a = assess(Patient.from_file(cases_dir() / "training_missing_data.json"))
    note = "The board discussed the options at length. " * 40
    pages, text, _ = read(summary_pdf_bytes(a, bands_for(a.curves), discussion_note=note))
    assert pages == 1 and "MDT discussion note" in text


def test_anonymous_leaves_out_the_case_label():
    a = assess(Patient.from_file(cases_dir() / "example_nodal_disease.json"))
    label = a.patient["case_label"]
    assert label in read(summary_pdf_bytes(a))[1]
    assert label not in read(summary_pdf_bytes(a, anonymous=True))[1]


def test_cli_summary_is_one_page_and_the_full_record_stays(root, tmp_path):
    case = "resources/cases/example_nodal_disease.json"
    for extra, one_page in ((["--summary"], True), ([], False)):
        out = tmp_path / f"r{len(extra)}.pdf"
        result = subprocess.run([sys.executable, "-m", "hccdecide", "report", case, "-o", str(out), "--no-bands",
                                 *extra], cwd=root, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        pages = len(pypdf.PdfReader(out).pages)
        assert (pages == 1) if one_page else (pages > 1)


def test_page_one_table_pairs_each_level_with_its_own_study_and_figure():
    # oligoprogression on first-line therapy, pain not entered: the table follows the ranked list the
    # summary offers (the oligoprogression regimen first, no pain regimen), the level names the study it
    # comes from and the figure names its own study
    from hccdecide.report.summary_page import regimen_table
    a = assess(Patient.from_file(cases_dir() / "training_oligoprogression.json"))
    table = regimen_table(a, 5)
    assert [row[0] for row in table.rows][:3] == [
        "RT to oligoprogressive lesions, continuing first-line therapy",
        "SBRT for oligometastatic HCC (± systemic therapy)", "RT + tyrosine-kinase inhibitor"]
    assert table.rows[0][2:] == ("Level 3 (Hsu 2026)", "Overall survival, 2-year: 84.9% (Hsu 2026)")
    assert table.rows[2][2:] == ("Level 1 (Dawson 2025 (NRG/RTOG 1112))",
                                 "Median overall survival: 15.8 months vs 12.3 months with sorafenib alone "
                                 "(randomised, HR p = 0.04) (Dawson 2025 (NRG/RTOG 1112))")
    assert all("Palliative" not in row[0] for row in table.rows)
