"""Screening benchmark: 1,000 patients (the bundled cases, cycled, with ages and labs varied) through
``hccdecide screen`` as a user runs it (a fresh process, CSV in and out). Budget: 20 s on 2 cores.

    python benchmarks/screen.py [N]
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 20.0


def registry(n: int) -> pd.DataFrame:
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "resources/cases").glob("*.json"))]
    rows = []
    for i in range(n):
        data = dict(cases[i % len(cases)])
        data["case_label"] = f"patient {i + 1}"
        if data.get("age_years") is not None:
            data["age_years"] = 40 + i % 45
        if data.get("albumin_g_l") is not None:
            data["albumin_g_l"] = 28 + (i % 15)
        rows.append({k: ";".join(v) if isinstance(v, list) else ("" if v is None else str(v).lower()
                     if isinstance(v, bool) else str(v)) for k, v in data.items()})
    return pd.DataFrame(rows).fillna("")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "registry.csv", Path(tmp) / "out.csv"
        registry(n).to_csv(src, index=False)
        for wide in (False, True):
            args = [sys.executable, "-m", "hccdecide", "screen", str(src), "-o", str(out)] + (["--wide"] if wide else [])
            started = time.perf_counter()
            result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            rows = len(pd.read_csv(out))
            print(f"screen {n} patients{' --wide' if wide else ''}: {elapsed:.2f} s (budget {BUDGET_S:g} s), "
                  f"exit {result.returncode}, {rows} output rows")


if __name__ == "__main__":
    main()
