"""Costs of the bootstrap bands. Not a test: it measures and prints.

    python benchmarks/bands.py [--rebuild]

- building each combinable model's 500 lifelines refits (once per model; cached afterwards);
- applying the cached draws to one patient (applied-set and full-set predictions, width floor): the
  example case, every factor unknown (2^8 combinations for the Yan OS model, precomputed when the draws
  load) and one factor known (2^7 combinations, the costliest case computed per patient), budget 30 ms
  for the median and the 95th percentile; the load average is printed with the figures;
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
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) >= 2 else values[0]
    flag = "ok" if p95 <= budget else "OVER BUDGET"
    print(f"{name:62} median {med:8.1f} {unit}  p95 {p95:8.1f} {unit}  max {max(values):8.1f} {unit}  "
          f"budget {budget:g} {unit}  {flag}")


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
    print(f"load average before timing: {os.getloadavg()[0]:.2f}")
    cases = (("example case", Patient.from_file(CASE)), ("every factor unknown", Patient()),
             ("one factor known (ALT)", Patient.from_dict({"alt_u_l": 50})))
    for label, patient in cases:
        a = assess(patient, lib)
        for c in a.curves:
            if c.shown:
                d = draws[c.model.id]
                report(f"apply draws: {label}, {c.model.id} ({c.stage})", ms(lambda: band_from_draws(c, d), 100), 30)
    print(f"load average after timing: {os.getloadavg()[0]:.2f}")
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hccdecide", "assess", str(CASE), "--json"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, check=True)
        runs.append(time.perf_counter() - t)
    report("assess --json, example case, whole process (cache built)", runs, 2.0, "s")


if __name__ == "__main__":
    main()
