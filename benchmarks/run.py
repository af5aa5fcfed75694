"""Print the performance figures the design budgets (2-core machine). Not a test: it measures.

    python benchmarks/run.py            # all figures
    python benchmarks/run.py startup    # one group: startup, core, edit, pdf, memory
Budgets: first paint with the example case <= 0.5 s and <= 3x a bare PySide6 window measured in the
same run; assessment <= 20 ms; edit -> refreshed view <= 50 ms; bands <= 300 ms (worker thread);
full PDF <= 1.0 s, one-page PDF <= 0.5 s; peak memory with every chart opened once <= 250 MB.
The machine's load average is printed first: figures taken under load are not comparable.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the code beside this script, whichever checkout the interpreter's environment was installed from
sys.path.insert(0, str(ROOT))
CASE = ROOT / "resources" / "cases" / "example_nodal_disease.json"

# Both snippets report the first Paint event of the window (a paint pass starts with the window itself,
# then draws its children), so work scheduled after the first paint is not counted in it; the app
# snippet then reports when the assessment of the case is on screen. The probe watches the window
# only: an application-wide Python filter would be called for every event of every widget while the
# window is shown, a cost that grows with the number of widgets and is not the app's.
_FIRST_PAINT = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
class FirstPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint and not self.seen:
            self.seen = True
            print(f"painted {1000 * time.process_time():.0f}", flush=True)
        return False
app = QApplication(sys.argv[:1])
first_paint = FirstPaint()
"""
BARE_SNIPPET = _FIRST_PAINT + r"""
from PySide6.QtWidgets import QMainWindow
w = QMainWindow(); w.resize(1280, 800)
w.installEventFilter(first_paint); w.show()
while not first_paint.seen:
    app.processEvents()
"""
# As main.py launches the app: hccdecide.gui.app is imported first (it loads the core before Qt).
STARTUP_SNIPPET = "import hccdecide.gui.app\n" + _FIRST_PAINT + r"""
from hccdecide.gui.app import create_window, load_style
w = create_window(sys.argv[1], open_after_paint=True); load_style(app)
w.installEventFilter(first_paint); w.show()
while not first_paint.seen:
    app.processEvents()
while w.controller.assessment is None or not w.controller.patient.values:
    app.processEvents()
print(f"assessed {1000 * time.process_time():.0f}", flush=True)
w.controller.mark_saved(); w.controller.wait_for_workers(10000)
"""


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def timed_gui(fn, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and GUI-thread CPU milliseconds of each call. The CPU time of the calling (GUI) thread
    leaves out the band worker and other processes: on a shared, loaded machine it shows what an
    edit costs, the wall time what it took."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.thread_time()
        fn()
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return wall, cpu


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def line(name: str, values_ms: list[float], budget_ms: float) -> None:
    med = statistics.median(values_ms)
    flag = "ok" if med <= budget_ms else "OVER BUDGET"
    print(f"{name:42} median {med:8.1f} ms   p95 {p95(values_ms):8.1f} ms   max {max(values_ms):8.1f} ms   "
          f"budget {budget_ms:6.0f} ms   {flag}")


def gui_lines(name: str, measured: tuple[list[float], list[float]], budget_ms: float) -> None:
    line(f"{name} (wall)", measured[0], budget_ms)
    line(f"{name} (GUI CPU)", measured[1], budget_ms)


def _child_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # as on a user's machine: compiled bytecode is written on the first launch and reused after
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _launch(snippet: str, marks: tuple[str, ...]) -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds from process start to each printed mark: wall time seen from outside
    (interpreter start included, the shutdown after the last mark excluded), CPU time of the process
    as it reports it (less sensitive to other work on a shared machine)."""
    env = _child_env()
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", snippet, str(CASE)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    out = []
    for mark in marks:
        said = child.stdout.readline().split()
        if not said or said[0] != mark:
            raise RuntimeError(f"start-up snippet did not print {mark!r}")
        out.append(((time.perf_counter() - t) * 1000, float(said[1])))
    child.communicate()
    return out


def startup(runs: int = 11) -> None:
    """First paint of the app on the example case against a bare PySide6 window, alternated in one run."""
    bare, painted, assessed = [], [], []
    _launch(BARE_SNIPPET, ("painted",))  # warm-up launches (bytecode written, files cached): not counted
    _launch(STARTUP_SNIPPET, ("painted", "assessed"))
    for _ in range(runs):
        bare += _launch(BARE_SNIPPET, ("painted",))
        p, a = _launch(STARTUP_SNIPPET, ("painted", "assessed"))
        painted.append(p)
        assessed.append(a)
    for i, kind in ((0, "wall"), (1, "CPU")):
        line(f"launch -> bare PySide6 window painted ({kind})", [x[i] for x in bare], 500)
        line(f"launch -> first paint, example case ({kind})", [x[i] for x in painted], 500)
        ratio = statistics.median(x[i] for x in painted) / statistics.median(x[i] for x in bare)
        print(f"{f'first paint / bare window ({kind} medians)':42} ratio  {ratio:8.2f}      budget    3.0      "
              f"{'ok' if ratio <= 3 else 'OVER BUDGET'}")
    line("launch -> assessment on screen (wall)", [x[0] for x in assessed], 1000)


def core() -> None:
    from hccdecide.engine.assessment import assess, bands_for
    from hccdecide.evidence.library import default_library, load_library
    from hccdecide.patient import Patient

    from hccdecide.evidence.cache import cached_library

    line("evidence library load (all files)", timed(load_library, 5), 500)
    line("evidence library from the disk cache", timed(cached_library, 5), 500)
    lib = default_library()
    patient = Patient.from_file(CASE)
    assess(patient, lib)
    line("one full assessment", timed(lambda: assess(patient, lib), 50), 20)
    a = assess(patient, lib)
    for i, c in enumerate(a.curves):
        line(f"bands {c.study.short_name} {c.model.id} ({c.stage})",
             timed(lambda c=c: bands_for([c]), 5), 300)
    return a


def edit_refresh() -> None:
    """Edit -> refreshed view with the curves tab showing (the slow case), with the app's style sheet.

    Three kinds of edit: a value the curve does not depend on at this level (ALT 40-69, all above the
    model's 35 U/L cut-off: the chart is left as drawn), a value that redraws the curve (ALT crossing
    35 U/L), and typing three characters into the AFP field followed by Tab (the entry commits on
    completion). The band worker runs in its thread; its redraw is not part of an edit's time. Last,
    how often the hidden charts redraw while the regimens tab is showing (must be 0). Each figure is
    given as wall time and as CPU time of the GUI thread (see :func:`timed_gui`), over 30 edits: the
    time until the event queue is empty again, and (wall) until the refreshed view has been painted,
    seen by an event posted below the priority of the window's update request (gui/after_paint.py),
    the moment the background work of the edit starts.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from hccdecide.gui.after_paint import AfterPaint
    from hccdecide.gui.app import create_window, load_style
    app = QApplication.instance() or QApplication(sys.argv[:1])
    load_style(app)
    scratch = tempfile.mkdtemp(prefix="hccdecide-bench-")
    window = create_window(str(CASE), QSettings(str(Path(scratch) / "s.ini"), QSettings.IniFormat))
    window.resize(1366, 768)
    window.show()
    window.tabs.setCurrentWidget(window.risk)
    app.processEvents()
    window.controller.wait_for_workers(10000)
    app.processEvents()

    def settle():  # the edit's background work done, as after a pause in typing
        app.processEvents()
        window.controller.wait_for_workers(10000)
        window.summary.wait_for_ranking(10000)
        app.processEvents()  # the band's redraw and the ranked next data, outside the timed edit

    same = iter([40 + (i % 30) for i in range(1000)])
    crossing = iter([30 if i % 2 else 50 for i in range(1000)])

    painted: list[float] = []  # when each edit's view had been painted (perf_counter)
    marker = AfterPaint(lambda: painted.append(time.perf_counter()))

    def edit(values):
        window.controller.set_value("alt_u_l", next(values))
        marker.request()
        app.processEvents()

    def measure(fn, repeat: int = 30) -> tuple[list[float], list[float], list[float]]:
        wall, cpu, to_paint = [], [], []
        for _ in range(repeat):
            painted.clear()
            start = time.perf_counter()
            w, c = timed_gui(fn, 1)
            wall += w
            cpu += c
            if painted:
                to_paint.append((painted[0] - start) * 1000)
            settle()
        return wall, cpu, to_paint

    def edit_lines(name: str, measured, budget_ms: float) -> None:
        gui_lines(name, measured[:2], budget_ms)
        if measured[2]:
            line(f"{name} (wall, to painted)", measured[2], budget_ms)

    print("edit -> refreshed view, curves tab showing, 1366x768, app style sheet:")
    edit_lines("edit -> view, curve unchanged", measure(lambda: edit(same)), 50)
    edit_lines("edit -> view, curve redrawn", measure(lambda: edit(crossing)), 50)
    field = window.form.editor("afp_ng_ml").editor
    typed = iter([str(300 + i) for i in range(1000)])

    def type_three():
        field.setFocus()
        field.selectAll()
        QTest.keyClicks(field, next(typed))
        QTest.keyClick(field, Qt.Key_Tab)
        marker.request()
        app.processEvents()

    edit_lines("3 characters + Tab", measure(type_three), 200)
    window.tabs.setCurrentWidget(window.results)
    charts = window.risk._charts
    before = charts.draw_count
    for _ in range(10):
        edit(crossing)
        settle()
    print(f"{'hidden charts redrawn during 10 edits':42} {charts.draw_count - before:8d}          budget      0   "
          f"{'ok' if charts.draw_count == before else 'OVER BUDGET'}")
    window.controller.mark_saved()
    window.close()


def report(a=None) -> None:
    """Both PDFs of the example case, bands already computed (as when the window exports)."""
    from hccdecide.engine.assessment import assess, bands_for
    from hccdecide.patient import Patient
    from hccdecide.report import write_pdf, write_summary_pdf

    a = a or assess(Patient.from_file(CASE))
    bands = bands_for(a.curves)
    with tempfile.TemporaryDirectory() as tmp:
        write_pdf(a, Path(tmp) / "warm.pdf", bands=bands)  # fonts registered once per process
        line("full PDF record (with bands)", timed(lambda: write_pdf(a, Path(tmp) / "r.pdf", bands=bands), 5),
             1000)
        line("one-page PDF summary (with bands)",
             timed(lambda: write_summary_pdf(a, Path(tmp) / "s.pdf", bands=bands), 5), 500)


MEMORY_SNIPPET = r"""
import resource, sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from hccdecide.gui.app import create_window
w = create_window(sys.argv[1]); w.show(); app.processEvents()
w.controller.wait_for_workers(60000); app.processEvents()
w.tabs.setCurrentWidget(w.risk); app.processEvents()
for i in range(w.risk.model_box.count()):  # every risk model's curve and forest plot once
    w.risk.model_box.setCurrentIndex(i); app.processEvents()
for opener in ("open_presentation", "open_evidence_browser", "open_training"):
    shown = getattr(w, opener)(); app.processEvents()
    for _ in range(getattr(shown, "page_count", 0)):  # presentation: every page and chart
        shown.next_page(); app.processEvents()
w.controller.wait_for_workers(60000); app.processEvents()
heavy = [m for m in ("scipy", "lifelines", "pandas") if m in sys.modules]
try:  # this process's own peak: ru_maxrss would also count the benchmark process it was started from
    peak_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except OSError:  # not Linux
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
print(" ".join(heavy) or "-", peak_kb // 1024, flush=True)
w.controller.mark_saved()
"""


def memory() -> None:
    """Peak resident memory of the app with the risk charts, presentation mode, evidence browser and
    training opened once (a separate process, so the benchmarks above do not count: its peak is read as
    VmHWM, because Linux hands a child started from a large process that process's peak as the
    child's ru_maxrss). With the band
    cache built, SciPy, lifelines and pandas must not load (they serve only to build the draws)."""
    env = _child_env()
    run = subprocess.run([sys.executable, "-c", MEMORY_SNIPPET, str(CASE)], env=env, capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    if run.returncode != 0 or not run.stdout.strip():
        print(f"peak memory: the measuring process failed: {run.stderr[-500:]}")
        return
    heavy, rss = run.stdout.split()[-2:]
    rss_mb = int(rss)
    print(f"{'peak memory, every chart opened once':42} {rss_mb:8d} MB   budget 250 MB   "
          f"{'ok' if rss_mb <= 250 else 'OVER BUDGET'}")
    print(f"{'  of SciPy, lifelines, pandas, loaded:':42} {heavy:>8}      (none once the band cache is built)")


GROUPS = {"startup": startup, "core": core, "edit": edit_refresh, "pdf": report, "memory": memory}


def main(argv: list[str] | None = None) -> int:
    chosen = (argv if argv is not None else sys.argv[1:]) or list(GROUPS)
    print(f"hccdecide benchmarks on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f}")
    for name in chosen:
        GROUPS[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
