"""One kind of background job of the window (uncertainty bands, next-data ranking).

A job is asked for by an edit and started once that edit's view has been painted (gui/after_paint.py);
a newer edit stops the jobs still running, since their patient is gone; closing the window stops them
and waits, so no worker runs Python while the interpreter shuts down.
"""
from __future__ import annotations

import sys
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool

from hccdecide.gui.after_paint import AfterPaint


GIL_SWITCH_S = 0.001


def share_interpreter_with_workers() -> None:
    """The workers run Python beside the GUI thread, and one thread at a time holds the interpreter.
    By default a waiting thread gets it after 5 ms: a keystroke that came while a worker ran waited
    that long at each hand-over. At 1 ms the GUI thread answers sooner; the workers' cost is a few
    more switches."""
    sys.setswitchinterval(GIL_SWITCH_S)


class BackgroundWork(QObject):
    def __init__(self, make_job: Callable[[], QRunnable | None], pool: QThreadPool, parent: QObject | None = None):
        super().__init__(parent)
        share_interpreter_with_workers()
        self._make_job = make_job
        self.pool = pool
        self.jobs: set = set()  # kept until done: a job's signals must outlive its run
        self._after_paint = AfterPaint(self._start, self)

    def request(self) -> None:
        """Start a job once the current edit has been painted."""
        self._after_paint.request()

    def _start(self) -> None:
        job = self._make_job()
        if job is None:
            return
        job.setAutoDelete(False)
        self.jobs.add(job)
        self.pool.start(job)

    def stop(self) -> None:
        """The patient is changing: queued jobs are dropped, running ones asked to stop."""
        self.pool.clear()
        for job in self.jobs:
            job.stop()

    def forget_before(self, generation: int) -> None:
        self.jobs = {j for j in self.jobs if j.generation >= generation}

    def wait(self, msecs: int) -> bool:
        """Start a job that waits for a paint, and wait for the jobs (tests, PDF export)."""
        self._after_paint.run_now()
        return self.pool.waitForDone(msecs)

    def shut_down(self, msecs: int) -> bool:
        self._after_paint.cancel()
        self.stop()
        return self.pool.waitForDone(msecs)
