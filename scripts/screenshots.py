"""Open the app on an example case in a real window and save screenshots of its main views.

Run under a virtual screen:  xvfb-run -a -s "-screen 0 1920x1080x24" python scripts/screenshots.py OUTDIR
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hccdecide.gui.app import create_window, load_style
from hccdecide.paths import cases_dir


def grab(widget, path: Path) -> None:
    QApplication.processEvents()
    widget.screen().grabWindow(widget.winId()).save(str(path))
    print(f"saved {path}")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    load_style(app)
    window = create_window(str(cases_dir() / "example_nodal_disease.json"))
    window.resize(1900, 1040)
    window.show()
    steps = []

    def step(fn):
        steps.append(fn)

    @step
    def main_view():
        grab(window, out / "main_window.png")

    @step
    def risk_view():
        window.tabs.setCurrentWidget(window.risk)

    @step
    def risk_shot():
        window.controller.wait_for_workers(5000)
        grab(window, out / "risk_curves.png")

    for name in ("evidence_browser", "presentation"):
        opener = getattr(window, f"open_{name}", None)
        if opener is None:
            continue

        def open_it(opener=opener):
            opener()

        def shot(name=name):
            target = QApplication.activeWindow() or window
            grab(target, out / f"{name}.png")
            if target is not window:
                target.close()

        steps.extend([open_it, shot])

    def run(i=0):
        if i < len(steps):
            steps[i]()
            QTimer.singleShot(700, lambda: run(i + 1))
        else:
            window.controller.mark_saved()
            app.quit()

    QTimer.singleShot(1200, run)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
