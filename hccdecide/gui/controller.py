"""The case being worked on: its patient, its assessment, and the uncertainty bands computed in a worker.

Widgets never compute: they call :meth:`CaseController.set_value` and listen to the signals.
Bands are stamped with a generation number so a result for an older patient is dropped. They start
once the edit's refreshed view has been painted (gui/after_paint.py), and a job still running when
the patient changes again is stopped: it would only compete with the new edit.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from hccdecide.gui.background import BackgroundWork
from hccdecide.patient import Patient

if TYPE_CHECKING:  # the engine loads on the first assessment, after the window's first paint
    from hccdecide.engine.assessment import Assessment
    from hccdecide.evidence.library import Library


class _BandSignals(QObject):
    done = Signal(int, object)  # generation, {curve index: Band}
    failed = Signal(int, str)
    progress = Signal(int, int, int)  # generation, refits done, refits wanted (first build of a model's draws)


class _BandJob(QRunnable):
    def __init__(self, generation: int, assessment: Assessment):
        super().__init__()
        self.generation = generation
        self.assessment = assessment
        self.signals = _BandSignals()
        self.stopped = False  # set from the GUI thread; read between curves

    def stop(self) -> None:
        self.stopped = True

    def run(self) -> None:  # runs in a pool thread
        from hccdecide.engine.assessment import bands_for

        try:
            bands = bands_for(self.assessment.curves, self._progress, stop=lambda: self.stopped)
        except Exception as exc:  # noqa: BLE001 - reported to the UI, never lost
            traceback.print_exc()
            self._emit(self.signals.failed, f"{type(exc).__name__}: {exc}")
            return
        if bands is not None:  # None: stopped, a newer patient's job follows
            self._emit(self.signals.done, bands)

    def _progress(self, done: int, total: int) -> None:
        if done % 10 == 0 or done == total:  # a few dozen updates, not hundreds
            self._emit(self.signals.progress, done, total)

    def _emit(self, signal, *payload) -> None:
        try:
            signal.emit(self.generation, *payload)
        except RuntimeError:
            pass  # the window closed while we computed: nobody is waiting for this result


class CaseController(QObject):
    patient_changed = Signal(object)  # Patient
    assessment_changed = Signal(object)  # Assessment
    recompute_started = Signal()  # an assessment is about to be made: older background work is moot
    bands_started = Signal()
    bands_ready = Signal(object)  # {curve index: Band}
    bands_failed = Signal(str)
    bands_progress = Signal(int, int)  # refits done, wanted: the one-off build of a model's draws
    dirty_changed = Signal(bool)
    path_changed = Signal(object)  # Path | None

    def __init__(self, library: Library | None, parent: QObject | None = None):
        super().__init__(parent)
        self.library = library
        self.patient = Patient()
        self.assessment: Assessment | None = None
        self.bands: dict = {}
        self.path: Path | None = None
        self.store_id: int | None = None
        self._dirty = False
        self._generation = 0
        self._bands_work = BackgroundWork(self._band_job, QThreadPool.globalInstance(), self)

    # -- state -----------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def set_value(self, key: str, value: Any) -> None:
        """Set one field (already validated by the form); ``None`` makes it unknown."""
        if self.patient.values.get(key) == value:
            return
        self.patient = self.patient.replace(**{key: value})
        self._set_dirty(True)
        self.patient_changed.emit(self.patient)
        self.recompute()

    def set_scenario_b(self, scenario_b: Patient | None) -> None:
        """Keep the what-if scenario B with the case (saved with it); A's assessment is unchanged."""
        if self.patient.scenario_b == scenario_b:
            return
        self.patient = self.patient.with_scenario_b(scenario_b)
        self._set_dirty(True)

    def load_patient(self, patient: Patient, path: Path | None = None, store_id: int | None = None) -> None:
        self.patient = patient
        self.path = path
        self.store_id = store_id
        self._set_dirty(False)
        self.path_changed.emit(path)
        self.patient_changed.emit(patient)
        self.recompute()

    def mark_saved(self, path: Path | None = None, store_id: int | None = None) -> None:
        if path is not None:
            self.path = path
            self.path_changed.emit(path)
        if store_id is not None:
            self.store_id = store_id
        self._set_dirty(False)

    # -- computation -----------------------------------------------------------------------
    def recompute(self) -> None:
        from hccdecide.engine.assessment import assess

        self._bands_work.stop()  # their patient is being replaced: let the new assessment have the CPU
        self.recompute_started.emit()
        self.assessment = assess(self.patient, self.library)
        self.bands = {}
        self._generation += 1
        self.assessment_changed.emit(self.assessment)
        self._bands_work.request()

    def _band_job(self) -> _BandJob | None:
        if not self.assessment or not self.assessment.curves:
            return None
        job = _BandJob(self._generation, self.assessment)
        job.signals.done.connect(self._on_bands)
        job.signals.failed.connect(self._on_bands_failed)
        job.signals.progress.connect(self._on_bands_progress)
        self.bands_started.emit()
        return job

    @Slot(int, object)
    def _on_bands(self, generation: int, bands: dict) -> None:
        self._bands_work.forget_before(self._generation)
        if generation != self._generation:
            return  # an older patient's result
        self.bands = bands
        self.bands_ready.emit(bands)

    @Slot(int, int, int)
    def _on_bands_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.bands_progress.emit(done, total)

    @Slot(int, str)
    def _on_bands_failed(self, generation: int, message: str) -> None:
        self._bands_work.forget_before(self._generation)
        if generation == self._generation:
            self.bands_failed.emit(message)

    @property
    def band_jobs(self) -> set[_BandJob]:
        return self._bands_work.jobs

    def wait_for_workers(self, msecs: int = 5000) -> bool:
        """Start the bands if they wait for a paint, and wait for them (tests, PDF export)."""
        return self._bands_work.wait(msecs)

    def shut_down(self, msecs: int = 3000) -> bool:
        """The window closes: start nothing more, stop the running job and wait for it to end."""
        return self._bands_work.shut_down(msecs)
