"""The README documents every case key and the two commands that CI and newcomers rely on."""
from pathlib import Path

from hccdecide.patient import ALT_UNITS, FIELDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_case_key_is_documented():
    missing = [f.key for f in FIELDS if f"`{f.key}`" not in README]
    missing += [a.key for a in ALT_UNITS if f"`{a.key}`" not in README]
    assert missing == []


def test_two_commands_exist_and_ci_calls_the_test_command():
    assert "bash scripts/launch.sh" in README and "bash scripts/test.sh" in README
    assert (ROOT / "scripts" / "launch.sh").exists() and (ROOT / "scripts" / "test.sh").exists()
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
