"""Architecture: the core never imports Qt (import-linter contracts in pyproject.toml)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORE = ["hccdecide.patient", "hccdecide.variables", "hccdecide.clinical.liver", "hccdecide.clinical.staging",
        "hccdecide.clinical.vascular", "hccdecide.clinical.nodes", "hccdecide.clinical.oligo",
        "hccdecide.clinical.dose", "hccdecide.evidence.library", "hccdecide.engine.assessment",
        "hccdecide.engine.serialize", "hccdecide.engine.summary", "hccdecide.cli"]


def test_import_linter_contracts_are_kept(root):
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.fail(f"import-linter is not installed beside {sys.executable}")
    result = subprocess.run([str(lint)], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_core_modules_load_without_qt(root):
    code = ("import sys\n"
            f"for m in {CORE!r}: __import__(m)\n"
            "from hccdecide.engine.assessment import assess\n"
            "from hccdecide.patient import Patient\n"
            "assess(Patient())\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'hccdecide.gui'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
