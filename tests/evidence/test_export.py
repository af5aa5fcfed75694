"""Evidence export for reviewers: one row per outcome figure (and per comparison), with its source."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd

from hccdecide.evidence.export import COLUMNS, evidence_frame


def test_one_row_per_figure_and_comparison(library):
    frame = evidence_frame(library)
    expected = sum(len(a.outcomes) for s in library.studies for a in s.arms)
    expected += sum(len(s.comparisons) for s in library.studies)
    assert len(frame) == expected and list(frame.columns) == list(COLUMNS)
    rtog = frame[(frame.study_id == "dawson2025_rtog1112_sbrt_sorafenib") & (frame.endpoint == "OS")]
    medians = rtog[rtog.measure == "median"].set_index("arm")["value"].to_dict()
    assert medians == {"Sorafenib alone": 12.3, "SBRT to all liver and vascular tumour, then sorafenib": 15.8}
    hr = rtog[rtog.measure == "HR"].iloc[0]
    assert hr.value == 0.72 and pd.isna(hr.ci_low) and "Table 4" in hr.location
    assert (frame.library_digest == library.digest).all()


def test_cli_writes_xlsx_and_csv(root, tmp_path, library):
    for name in ("ev.xlsx", "ev.csv"):
        result = subprocess.run([sys.executable, "-m", "hccdecide", "evidence", "--export", str(tmp_path / name)],
                                cwd=root, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        back = pd.read_excel(tmp_path / name) if name.endswith("xlsx") else pd.read_csv(tmp_path / name)
        assert len(back) == len(evidence_frame(library)) and f"{len(back)} figures" in result.stdout


def test_wrong_suffix_is_refused(root, tmp_path):
    result = subprocess.run([sys.executable, "-m", "hccdecide", "evidence", "--export", str(tmp_path / "ev.ods")],
                            cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "must be .csv or .xlsx" in result.stderr
