"""Open the app on an example case in a real window and save screenshots of its main views.

Run under a virtual screen:  xvfb-run -a -s "-screen 0 1920x1080x24" python scripts/screenshots.py OUTDIR

Saves main_window.png, risk_curves.png, evidence_browser.png, presentation.png (title page),
presentation_regimen.png, presentation_chart.png (a risk page with its chart), training.png (after a
reveal). Each step runs after the previous one had time to paint; nothing is written to the user's
settings or case store (both go to a temporary folder).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

STEP_MS = 900


def grab(widget, path: Path) -> None:
    QApplication.processEvents()
    widget.screen().grabWindow(widget.winId()).save(str(path))
    print(f"saved {path}")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="hccdecide-shots-"))
    os.environ.setdefault("HCCDECIDE_DATA_DIR", str(scratch))
    from hccdecide.gui.app import create_window, load_style  # after the data folder is set
    from hccdecide.paths import cases_dir

    app = QApplication(sys.argv[:1])
    load_style(app)
    settings = QSettings(str(scratch / "settings.ini"), QSettings.IniFormat)
    window = create_window(str(cases_dir() / "example_nodal_disease.json"), settings)
    window.resize(1900, 1040)
    window.move(0, 0)
    window.show()
    views: dict[str, object] = {}
    steps = []

    def step(fn):
        steps.append(fn)
        return fn

    @step
    def main_view():
        grab(window, out / "main_window.png")
        window.tabs.setCurrentWidget(window.risk)

    @step
    def risk_view():
        window.controller.wait_for_workers(10000)
        QApplication.processEvents()
        grab(window, out / "risk_curves.png")
        window.tabs.setCurrentWidget(window.results)

    @step
    def open_evidence():
        views["evidence"] = browser = window.open_evidence_browser()
        browser.resize(1800, 1000)
        browser.move(40, 20)
        browser.select_study("yan2025_lnm")

    @step
    def evidence_shot():
        grab(views["evidence"], out / "evidence_browser.png")
        views["evidence"].close()

    @step
    def open_presentation():
        views["presentation"] = window.open_presentation()

    @step
    def presentation_title():
        grab(views["presentation"], out / "presentation.png")
        views["presentation"].next_page()

    @step
    def presentation_regimen():
        p = views["presentation"]
        grab(p, out / "presentation_regimen.png")
        p.go_to([page.kind for page in p.pages].index("risk"))

    @step
    def presentation_chart():
        p = views["presentation"]
        grab(p, out / "presentation_chart.png")
        p.go_to([page.kind for page in p.pages].index("sources"))

    @step
    def presentation_sources():
        grab(views["presentation"], out / "presentation_sources.png")
        views["presentation"].close()

    @step
    def open_training():
        views["training"] = t = window.open_training()
        t.resize(1800, 1000)
        t.move(40, 20)
        t.case_list.setCurrentRow([c.file for c in t.cases].index("training_decompensated.json"))
        t.set_answers({"palliative_rt", "rt_tki"}, "intermediate")
        t.reveal()

    @step
    def training_shot():
        grab(views["training"], out / "training.png")
        views["training"].close()

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


if __name__ == "__main__":
    raise SystemExit(main())
