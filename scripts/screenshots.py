"""Open the app on an example case in a real window and save a screenshot of every view.

Run under a virtual screen of the size to check (the file names carry the size):
    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots.py OUTDIR
    xvfb-run -a -s "-screen 0 1280x720x24" python scripts/screenshots.py OUTDIR
    xvfb-run -a -s "-screen 0 1920x1080x24" python scripts/screenshots.py OUTDIR

Windows open at their first-launch size for that screen (as a new user would see them), with the
app's style sheet. Saves: the clinic window with each regimen tab, the risk tab, the icon arrays tab
(the summary is above every main-window shot), the evidence browser, every presentation page, the
training window before and after a reveal, the what-if window (Child–Pugh A vs B) and the MDT worklist
(a table of the bundled cases with one bad row) before and after a step. Nothing is written to
the user's settings or case store (both go to a temporary folder).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

STEP_MS = 700


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="hccdecide-shots-"))
    os.environ.setdefault("HCCDECIDE_DATA_DIR", str(scratch))
    from hccdecide.gui.app import create_window, load_style  # after the data folder is set
    from hccdecide.paths import cases_dir

    app = QApplication(sys.argv[:1])
    load_style(app)
    screen = app.primaryScreen().size()
    prefix = f"{screen.width()}x{screen.height()}"
    settings = QSettings(str(scratch / "settings.ini"), QSettings.IniFormat)
    window = create_window(str(cases_dir() / "example_nodal_disease.json"), settings)
    window.show()
    views: dict[str, object] = {}
    steps = []

    def grab(widget, name: str) -> None:
        QApplication.processEvents()
        path = out / f"{prefix}_{name}.png"
        widget.screen().grabWindow(widget.winId()).save(str(path))
        print(f"saved {path}")

    def step(fn):
        steps.append(fn)
        return fn

    detail = window.results.detail
    for tab in range(detail.tabs.count()):
        @step
        def regimen_tab(tab=tab):
            window.tabs.setCurrentWidget(window.results)
            detail.tabs.setCurrentIndex(tab)
            QTimer.singleShot(200, lambda: grab(window, f"main_{tab}_{detail.tabs.tabText(tab).split()[0].lower()}"))

    @step
    def risk_view():
        window.tabs.setCurrentWidget(window.risk)
        # a fresh cache builds the bootstrap draws first (minutes on a busy machine): wait, so the risk
        # view and the overview slide show the band rather than "still computing"
        window.controller.wait_for_workers(600000)

    @step
    def risk_shot():
        QApplication.processEvents()
        grab(window, "main_risk")
        window.tabs.setCurrentWidget(window.results)

    @step
    def icon_arrays_view():
        window.tabs.setCurrentWidget(window.icon_arrays)

    @step
    def icon_arrays_shot():
        grab(window, "main_icon_arrays")
        window.tabs.setCurrentWidget(window.results)

    @step
    def open_evidence():
        views["evidence"] = browser = window.open_evidence_browser()
        browser.select_study("yan2025_lnm")

    @step
    def evidence_shot():
        grab(views["evidence"], "evidence_browser")
        views["evidence"].close()

    @step
    def open_presentation():
        views["presentation"] = window.open_presentation()

    def presentation_page(i: int):
        p = views["presentation"]
        grab(p, f"presentation_{i + 1:02d}_{p.pages[i].kind}")
        if i + 1 < p.page_count:
            p.next_page()
            steps.insert(steps.index(presentation_done), lambda: presentation_page(i + 1))

    @step
    def presentation_first():
        presentation_page(0)

    @step
    def presentation_done():
        views["presentation"].close()

    @step
    def open_training():
        views["training"] = t = window.open_training()
        t.case_list.setCurrentRow([c.file for c in t.cases].index("training_decompensated.json"))

    @step
    def training_question():
        grab(views["training"], "training_question")
        t = views["training"]
        t.set_answers({"palliative_rt", "rt_tki"}, "intermediate")
        t.reveal()

    @step
    def training_shot():
        grab(views["training"], "training_revealed")
        views["training"].close()

    @step
    def open_whatif():
        views["whatif"] = w = window.open_whatif()
        w.form.value_committed.emit("albumin_g_l", 30.0)  # Child–Pugh A to B
        w.form.value_committed.emit("bilirubin_umol_l", 40.0)

    @step
    def whatif_shot():
        grab(views["whatif"], "whatif")
        views["whatif"].close()
        window.controller.set_scenario_b(None)
        window.controller.mark_saved()  # the worklist would otherwise ask about the unsaved scenario

    @step
    def open_worklist():
        views["worklist"] = nav = window.worklist()
        nav.open_file(_worklist_table(scratch, cases_dir()))

    @step
    def worklist_shot():
        grab(views["worklist"].window, "worklist")
        views["worklist"].step(True)

    @step
    def worklist_step_shot():
        grab(window, "worklist_main_after_step")
        grab(views["worklist"].window, "worklist_after_step")

    def run(i=0):
        if i < len(steps):
            steps[i]()
            QTimer.singleShot(STEP_MS, lambda: run(i + 1))
        else:
            window.controller.mark_saved()
            window.close()
            app.quit()

    QTimer.singleShot(1500, run)
    return app.exec()


def _worklist_table(folder: Path, cases: Path) -> Path:
    """A week's list: four bundled cases with labels, and one row the parser refuses (row 4)."""
    import json

    import pandas as pd

    names = ("example_nodal_disease", "training_decompensated", "training_small_untreated", "training_main_trunk_pvtt")
    rows = []
    for i, name in enumerate(names):
        data = json.loads((cases / f"{name}.json").read_text(encoding="utf-8"))
        data["case_label"] = f"MDT patient {chr(65 + i)}"
        rows.append({k: ";".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v)
                     for k, v in data.items() if v is not None})
    rows.insert(2, {"case_label": "MDT patient X", "ecog": "7"})
    path = folder / "mdt_week.csv"
    pd.DataFrame(rows).fillna("").to_csv(path, index=False)
    return path


if __name__ == "__main__":
    raise SystemExit(main())
