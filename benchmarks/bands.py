"""Costs of the bootstrap bands. Not a test: it measures and prints.

    python benchmarks/bands.py [--rebuild]

- building each combinable model's 500 lifelines refits (once per model; cached afterwards);
- applying the cached draws to one patient: the example case and the worst case (every factor
  unknown, 2^8 combinations for the Yan OS model), budget 30 ms;
- ``assess --json`` on the example case as a whole process, with the cache built, budget 2 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CASE = ROOT / "resources" / "cases" / "example_nodal_disease.json"


def ms(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - t))
    return out


def report(name: str, values: list[float], budget: float, unit: str = "ms") -> None:
    med = statistics.median(values)
    flag = "ok" if med <= budget else "OVER BUDGET"
    print(f"{name:58} median {med:9.1f} {unit}  max {max(values):9.1f} {unit}  budget {budget:g} {unit}  {flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build the draws in a fresh temporary cache")
    args = parser.parse_args()
    if args.rebuild:
        os.environ["HCCDECIDE_CACHE_DIR"] = tempfile.mkdtemp(prefix="hccdecide-bands-")
    from hccdecide.engine.assessment import assess
    from hccdecide.engine.band_cache import cache_dir, draws_for
    from hccdecide.engine.prognosis import fitted_model
    from hccdecide.engine.uncertainty import band_from_draws
    from hccdecide.evidence.library import default_library
    from hccdecide.patient import Patient

    lib = default_library()
    print(f"cache: {cache_dir()}")
    draws = {}
    for s in lib.studies:
        for m in s.prognostic_models:
            if fitted_model(s, m) is None:
                continue
            t = time.perf_counter()
            draws[m.id] = draws_for(s, m)
            d = draws[m.id]
            print(f"draws {s.short_name} {m.id:24} {d.count} refits, {d.failed_fits} failed, "
                  f"{time.perf_counter() - t:6.1f} s (0 s when cached), mean events {d.mean_events:.1f}")
    for label, patient in (("example case", Patient.from_file(CASE)), ("every factor unknown", Patient())):
        a = assess(patient, lib)
        for c in a.curves:
            if c.shown:
                d = draws[c.model.id]
                report(f"apply draws: {label}, {c.model.id} ({c.stage})", ms(lambda: band_from_draws(c, d), 20), 30)
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hccdecide", "assess", str(CASE), "--json"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, check=True)
        runs.append(time.perf_counter() - t)
    report("assess --json, example case, whole process (cache built)", runs, 2.0, "s")


if __name__ == "__main__":
    main()
