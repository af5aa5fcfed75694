"""Print what the case store's safeguards cost (not a test: it measures).

    python benchmarks/store.py [N_CASES]

Figures: one save (assessment given, checksum and audit included); ``recent()`` over N cases (every
latest save's checksum verified); opening the store (WAL inspection, permission check, daily backup);
reading a write-ahead log of about 1,000 pages (the longest SQLite keeps before a checkpoint).
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hccdecide.engine.assessment import assess  # noqa: E402
from hccdecide.patient import Patient  # noqa: E402
from hccdecide.store import CaseStore, open_or_recover  # noqa: E402
from hccdecide.store.wal import inspect_wal  # noqa: E402

CASE = ROOT / "resources" / "cases" / "example_nodal_disease.json"


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:.2f} ms (min {min(seconds) * 1000:.2f}, n={len(seconds)})"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main(n_cases: int = 1000) -> None:
    folder = Path(tempfile.mkdtemp())
    path = folder / "data" / "cases.sqlite3"
    patient = Patient.from_file(CASE)
    a = assess(patient)
    store = CaseStore(path)
    saves = timed(lambda: store.save(patient, a), n_cases)
    print(f"save (one case, audit + checksum, synchronous=FULL): {ms(saves)}")
    print(f"recent(12) over {n_cases} cases (checksums verified): {ms(timed(lambda: store.recent(12), 20))}")
    store.close()

    def reopen() -> None:
        s, _msg = open_or_recover(path)
        s.close()
    print(f"open_or_recover (WAL check, modes, daily backup present): {ms(timed(reopen, 20))}")

    live = CaseStore(path)
    live.connection.execute("PRAGMA wal_autocheckpoint=0")
    while (wal := path.with_name(path.name + "-wal")).exists() and wal.stat().st_size < 1000 * 4120:
        live.save(patient, a)
    copy = folder / "copy.sqlite3-wal"
    shutil.copyfile(wal, copy)
    live.close()
    size_mib = copy.stat().st_size / 2**20
    print(f"inspect_wal on a {size_mib:.1f} MiB log: {ms(timed(lambda: inspect_wal(copy), 5))}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
