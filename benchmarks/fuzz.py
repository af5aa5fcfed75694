"""Long randomised run over case files: valid, out-of-range, mistyped and malformed. Not a test: it counts.

    python benchmarks/fuzz.py                       # 6,000 cases, a new seed each run (printed)
    python benchmarks/fuzz.py --count 20000 --seed 7 --cli 2000 --processes 200

Every case is read and, when it loads, assessed in this process; a sample goes through the command
line in this process (``assess CASE --json --no-bands``: read, validate, assess, serialise to JSON,
about 0.3 s a valid case), and a smaller sample as a whole ``python -m hccdecide`` process. The cases
come from ``tests/case_generator.py``, which the test suite uses with a fixed seed. Invariants:

- nothing but a refusal (exit 2) or an assessment (exit 0) comes out: no traceback, no other status;
- a valid case is assessed, and its JSON output parses; a case written wrong is refused;
- a loaded case writes back to the same case, as UTF-8;
- a refusal is short (under 600 characters), printable, and names the key at fault when one is.

Prints the counts and exits 1 if any crash or violation was seen.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from case_generator import EITHER, INVALID, VALID, Case, cases  # noqa: E402

from hccdecide import cli  # noqa: E402
from hccdecide.engine.assessment import assess  # noqa: E402
from hccdecide.errors import PatientError, shown_key  # noqa: E402
from hccdecide.patient import Patient  # noqa: E402

MAX_MESSAGE = 600


class Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.examples: list[str] = []

    def note(self, what: str, case: Case, detail: str) -> None:
        self.counts[what] += 1
        if len(self.examples) < 12:
            self.examples.append(f"{what} [{case.kind}] {detail[:300]} | data {case.data[:120]!r}")


def check_reader(case: Case, tally: Tally) -> None:
    """The reader itself: refusal or a case that writes back unchanged."""
    try:
        patient = Patient.from_json(case.data)
    except PatientError as err:
        message = str(err)
        tally.counts["refused"] += 1
        if case.expect == VALID:
            tally.note("violation: valid case refused", case, message)
        if len(message) >= MAX_MESSAGE:
            tally.note("violation: message too long", case, f"{len(message)} characters")
        try:
            message.encode("utf-8")
        except UnicodeEncodeError:
            tally.note("violation: message cannot be printed", case, repr(message[:100]))
        if case.key is not None and (err.key != case.key or not message.startswith(shown_key(case.key))):
            tally.note("message not naming its key", case, f"expected {case.key[:40]!r}: {message}")
        return
    except Exception as exc:  # noqa: BLE001 - counting crashes is the point
        tally.note("crash in the reader", case, f"{type(exc).__name__}: {exc}")
        return
    tally.counts["loaded"] += 1
    if case.expect == INVALID:
        tally.note("violation: bad case accepted", case, repr(patient.to_dict())[:200])
    try:
        again = Patient.from_json(patient.to_json().encode("utf-8"))
    except Exception as exc:  # noqa: BLE001
        tally.note("violation: loaded case does not write back", case, f"{type(exc).__name__}: {exc}")
        return
    if again != patient:
        tally.note("violation: loaded case writes back differently", case, repr(patient.to_dict())[:200])
    try:
        assess(patient)
    except Exception as exc:  # noqa: BLE001
        tally.note("crash in the assessment", case, f"{type(exc).__name__}: {exc}")


def check_cli_in_process(case: Case, path: Path, tally: Tally) -> None:
    path.write_bytes(case.data)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(["assess", str(path), "--json", "--no-bands"])
    except Exception as exc:  # noqa: BLE001
        tally.note("crash in the command line", case, f"{type(exc).__name__}: {exc}")
        return
    judge_cli(case, status, out.getvalue(), err.getvalue(), tally, "")


def judge_cli(case: Case, status: int, out: str, err: str, tally: Tally, where: str) -> None:
    if status not in (0, 2) or "Traceback" in err:
        tally.note(f"crash in the command line{where}", case, f"exit {status}: {err[-300:]}")
        return
    tally.counts[f"cli{where} exit {status}"] += 1
    if status == 0:
        try:
            json.loads(out)
        except ValueError:
            tally.note(f"violation: output is not JSON{where}", case, out[:200])
    expected = {VALID: 0, INVALID: 2}.get(case.expect)
    if expected is not None and status != expected:
        tally.note(f"violation: exit {status} for a {case.expect} case{where}", case, err[-200:])


def check_processes(sample: list[Case], folder: Path, tally: Tally) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for i, case in enumerate(sample):
        path = folder / f"p{i}.json"
        path.write_bytes(case.data)
        run = subprocess.run([sys.executable, "-m", "hccdecide", "assess", str(path), "--json", "--no-bands"],
                             capture_output=True, cwd=ROOT, env=env, timeout=120)
        judge_cli(case, run.returncode, run.stdout.decode("utf-8", "replace"),
                  run.stderr.decode("utf-8", "replace"), tally, " (process)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=6000, help="cases to generate (default 6000)")
    parser.add_argument("--seed", type=int, default=None, help="generator seed (default: a new one)")
    parser.add_argument("--cli", type=int, default=1000,
                        help="cases also run through the command line in this process (default 1000)")
    parser.add_argument("--processes", type=int, default=100,
                        help="cases also run as a whole process (default 100)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    started = time.perf_counter()
    generated = cases(args.count, seed)
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for case in generated:
            tally.kinds[case.expect] += 1
            check_reader(case, tally)
        pick = random.Random(seed)
        for case in pick.sample(generated, min(args.cli, len(generated))):
            check_cli_in_process(case, folder / "case.json", tally)
        check_processes(pick.sample(generated, min(args.processes, len(generated))), folder, tally)
    report(args, seed, generated, tally, time.perf_counter() - started)
    bad = sum(n for what, n in tally.counts.items() if what.startswith(("crash", "violation", "message not")))
    return 1 if bad else 0


def report(args, seed: int, generated: list[Case], tally: Tally, seconds: float) -> None:
    kinds = Counter(c.kind for c in generated)
    print(f"hccdecide fuzz: {len(generated)} cases (seed {seed}), {len(kinds)} kinds, {seconds:.0f} s")
    print(f"  expected valid {tally.kinds[VALID]}, invalid {tally.kinds[INVALID]}, "
          f"either (random mutations) {tally.kinds[EITHER]}")
    print(f"  in process: {tally.counts['loaded']} loaded and assessed, {tally.counts['refused']} refused")
    cli_counts = {k: v for k, v in sorted(tally.counts.items()) if k.startswith("cli")}
    print(f"  command line ({args.cli} in this process, {args.processes} as whole processes): "
          + ", ".join(f"{k[4:]} {v}" for k, v in cli_counts.items()))
    crashes = sum(v for k, v in tally.counts.items() if k.startswith("crash"))
    violations = sum(v for k, v in tally.counts.items() if k.startswith("violation"))
    print(f"  crashes: {crashes}")
    print(f"  invariant violations: {violations}")
    print(f"  messages not naming their key: {tally.counts['message not naming its key']}")
    for line in tally.examples:
        print("   ", line)


if __name__ == "__main__":
    raise SystemExit(main())
