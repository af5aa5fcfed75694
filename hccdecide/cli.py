"""Command line: ``python -m hccdecide assess CASE.json [--json]``, ``evidence [--check | --export FILE]``,
``report``, ``screen TABLE -o OUT [--wide]``."""
from __future__ import annotations

import argparse
import json
import sys

from hccdecide.figure_words import BAND
from hccdecide.errors import EvidenceError, PatientError


def _export_evidence(path: str) -> int:
    from hccdecide.evidence.export import evidence_frame
    from hccdecide.evidence.library import load_library
    from hccdecide.tables import TableError, write_table

    try:
        library = load_library()
        frame = evidence_frame(library)
        out = write_table(frame, path)
    except EvidenceError as err:
        print(f"FAULT {err}", file=sys.stderr)
        return 1
    except TableError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"cannot write {path}: {err.strerror or err}", file=sys.stderr)
        return 4
    print(f"wrote {out}: {len(frame)} figures from {frame['study_id'].nunique()} studies "
          f"(library {library.version}, digest {library.short_digest})")
    return 0


def _cmd_evidence(args: argparse.Namespace) -> int:
    from hccdecide.evidence.library import all_problems, load_library, load_regimens, study_files
    from hccdecide.paths import evidence_dir

    if args.export:
        return _export_evidence(args.export)

    if args.check:
        try:
            keys = set(load_regimens())
        except EvidenceError as err:
            print(f"FAULT {err}", file=sys.stderr)
            return 1
        faults = [err for path in study_files(evidence_dir()) for err in all_problems(path, keys)]
        for err in faults:
            print(f"FAULT {err}", file=sys.stderr)
        if faults:
            print(f"{len(faults)} fault(s) in the evidence library", file=sys.stderr)
            return 1
    try:
        library = load_library()
    except EvidenceError as err:
        print(f"FAULT {err}", file=sys.stderr)
        return 1
    for err in library.problems:
        print(f"SKIPPED {err}", file=sys.stderr)
    if args.check:
        print(f"evidence library {library.version}: {len(library.studies)} studies valid; "
              f"digest {library.digest}")
        return 1 if library.problems else 0
    print(f"{'id':36} {'first author':16} {'year':>4}  {'design':26} {'n':>5}  setting")
    for s in library.studies:
        year = s.year if s.year is not None else "—"
        n = s.n if s.n is not None else "—"
        print(f"{s.id:36} {s.first_author:16} {year!s:>4}  {s.design.value:26} {n!s:>5}  {s.setting}")
    print(f"\nlibrary {library.version}, {len(library.studies)} studies, digest {library.digest}")
    return 0


def _load_case(path: str):
    from hccdecide.patient import Patient

    return Patient.from_file(path)


def _band_progress(done: int, total: int) -> None:
    """The one-off build of a model's bootstrap draws, on stderr (stdout may carry JSON)."""
    # a log file or pipe gets one line at the end, not a run of carriage-return updates
    shown = done == total or sys.stderr.isatty() and (done == 1 or done % 50 == 0)
    if shown:
        end = "\n" if done == total else ""
        print(f"\rbuilding the {BAND} draws (once per model): {done}/{total} refits", end=end,
              file=sys.stderr, flush=True)


def _assess_case(path: str, apply_all: bool = False):
    """The assessment of a case file, or the exit status after a message naming what was wrong."""
    from hccdecide.engine.assessment import assess

    try:
        patient = _load_case(path)
    except PatientError as err:
        print(f"error in {path}: {err}", file=sys.stderr)
        return 2
    try:
        return assess(patient, apply_all=apply_all)
    except EvidenceError as err:
        print(f"evidence library fault: {err}", file=sys.stderr)
        return 3


def _cmd_assess(args: argparse.Namespace) -> int:
    from hccdecide.engine.assessment import bands_for
    from hccdecide.engine.serialize import assessment_json
    from hccdecide.engine.summary import summary_text

    assessment = _assess_case(args.case, args.all_factors)
    if isinstance(assessment, int):
        return assessment
    bands = {} if args.no_bands else bands_for(assessment.curves, _band_progress)
    whatif, bands_b = _scenario_b(assessment, bands, args)
    if args.json:
        data = assessment_json(assessment, bands)
        if whatif is not None:
            from hccdecide.engine.whatif import whatif_json

            data["whatif"] = whatif_json(whatif, bands_b)
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(summary_text(assessment, bands))
        if whatif is not None:
            from hccdecide.engine.whatif import whatif_text

            print("\n" + whatif_text(whatif, bands_b))
    return 0


def _scenario_b(a, bands: dict, args: argparse.Namespace):
    """The what-if comparison with the case's scenario B (and B's bands), or (None, {}) without one."""
    from hccdecide.engine.assessment import assess, bands_for
    from hccdecide.engine.whatif import compare

    if a.patient.scenario_b is None:
        return None, {}
    b = assess(a.patient.scenario_b, a.library, apply_all=args.all_factors)
    bands_b = {} if args.no_bands else bands_for(b.curves, _band_progress)
    return compare(a, b, bands, bands_b), bands_b


def _cmd_report(args: argparse.Namespace) -> int:
    import time

    from hccdecide.engine.assessment import bands_for
    from hccdecide.report import write_pdf, write_summary_pdf

    assessment = _assess_case(args.case)
    if isinstance(assessment, int):
        return assessment
    started = time.perf_counter()
    bands = None if args.no_bands else bands_for(assessment.curves, _band_progress)
    try:
        if args.summary:
            out = write_summary_pdf(assessment, args.output, bands=bands, anonymous=args.anonymous,
                                    discussion_note=args.note or "")
        else:
            out = write_pdf(assessment, args.output, bands=bands, anonymous=args.anonymous,
                            discussion_note=args.note or "")
    except OSError as err:
        print(f"cannot write {args.output}: {err.strerror or err}", file=sys.stderr)
        return 4
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB, {time.perf_counter() - started:.2f} s"
          f"{', one page' if args.summary else ''}{', anonymous' if args.anonymous else ''}{', without bands' if args.no_bands else ''})")
    return 0


def _cmd_screen(args: argparse.Namespace) -> int:
    from hccdecide.engine.screening import BadRow, count_table, long_frame, read_table, screen_rows, wide_frame
    from hccdecide.evidence.library import load_library
    from hccdecide.tables import TableError, check_suffix, write_table
    from pathlib import Path

    try:
        check_suffix(Path(args.output))
        frame = read_table(args.table)
        library = load_library()
    except TableError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except EvidenceError as err:
        print(f"evidence library fault: {err}", file=sys.stderr)
        return 3
    step = max(100, len(frame) // 10)

    def progress(done: int, total: int) -> None:
        if total >= 2 * step and (done % step == 0 or done == total):
            print(f"screened {done}/{total} rows", file=sys.stderr)

    screened, bad = [], 0
    for result in screen_rows(frame, library, progress, with_labels=args.labels):
        if isinstance(result, BadRow):
            bad += 1
            print(f"skipped {result}", file=sys.stderr)
        else:
            screened.append(result)
    if not screened:
        print(f"no row of {args.table} could be screened ({bad} bad)", file=sys.stderr)
        return 2
    out_frame = wide_frame(screened, library) if args.wide else long_frame(screened, library)
    try:
        out = write_table(out_frame, args.output)
    except OSError as err:
        print(f"cannot write {args.output}: {err.strerror or err}", file=sys.stderr)
        return 4
    print(count_table(screened, library).to_string())
    print(f"\nscreened {len(screened)} patient(s) against {len(library.studies)} studies, {bad} row(s) skipped; "
          f"wrote {out} (library {library.version}, digest {library.short_digest})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hccdecide", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    asm = sub.add_parser("assess", help="assess a case file against the evidence library")
    asm.add_argument("case", help="case file (flat JSON; see the README for keys)")
    asm.add_argument("--json", action="store_true", help="print the assessment as JSON")
    asm.add_argument("--no-bands", action="store_true", help="skip the uncertainty bands (faster)")
    asm.add_argument("--all-factors", action="store_true",
                     help="sensitivity analysis: also apply the factors whose CI includes 1 (labelled)")
    asm.set_defaults(func=_cmd_assess)
    ev = sub.add_parser("evidence", help="list the studies of the evidence library")
    ev.add_argument("--check", action="store_true", help="validate every file; exit 1 on any fault")
    ev.add_argument("--export", metavar="FILE", help="write every outcome figure to FILE (.csv or .xlsx)")
    ev.set_defaults(func=_cmd_evidence)
    scr = sub.add_parser("screen", help="screen a table of patients (CSV or XLSX) against every study")
    scr.add_argument("table", help="one patient per row, case keys as columns (see the README)")
    scr.add_argument("-o", "--output", required=True, help="the table to write (.csv or .xlsx)")
    scr.add_argument("--wide", action="store_true", help="one row per patient, one column per study")
    scr.add_argument("--labels", action="store_true",
                     help="copy each row's case_label into the output (left empty otherwise: labels may identify)")
    scr.set_defaults(func=_cmd_screen)
    rep = sub.add_parser("report", help="write the PDF report of a case for the MDT record")
    rep.add_argument("case", help="case file (flat JSON; see the README for keys)")
    rep.add_argument("-o", "--output", required=True, help="the PDF file to write")
    rep.add_argument("--anonymous", action="store_true", help="leave out identifying fields (case label)")
    rep.add_argument("--no-bands", action="store_true", help="skip the uncertainty bands (faster)")
    rep.add_argument("--note", help="discussion note to print in the report")
    rep.add_argument("--summary", action="store_true",
                     help="the one-page record (one A4 page) instead of the full record")
    rep.set_defaults(func=_cmd_report)
    return parser


def _printable_streams() -> None:
    """A file name or message holding characters the terminal cannot show is escaped, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _printable_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except EvidenceError as err:  # a bundled or reference file at fault: name it, no trace
        print(f"evidence library fault: {err}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # output piped into head & co.: not an error
        sys.stderr.close()
        return 0
