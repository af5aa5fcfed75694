"""Bootstrap draws cached on disk, one file per model, built lazily on first use.

The key is a SHA-256 over the method version and exactly the evidence the draws depend on: the
model's own record, the study size and the calibration arm's published points for the model's
endpoint. An edit elsewhere in the library (another study, a criterion, a toxicity) leaves the cache
valid; an edit to anything the draws are computed from invalidates it. The files hold only
model-derived numbers, never patient data.

Location: the project's one cache folder, :func:`hccdecide.paths.cache_dir`.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from hccdecide.engine.bootstrap import DRAWS, SEED, Draws, Progress, build_draws
from hccdecide.engine.prognosis import fitted_model
from hccdecide.evidence.schema import PrognosticModel, Study
from hccdecide.paths import CACHE_ENV, cache_dir  # noqa: F401  (CACHE_ENV re-exported for callers)

METHOD_VERSION = "parametric-bootstrap-2"  # bump when the simulation, refit or model use changes

_memory: dict[str, Draws] = {}
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def model_digest(study: Study, model: PrognosticModel) -> str:
    arm = next((a for a in study.arms if a.id == model.calibrate_to_arm), None)
    points = [o.model_dump(mode="json") for o in (arm.outcomes if arm else []) if o.endpoint == model.endpoint]
    record = {"method": METHOD_VERSION, "draws": DRAWS, "seed": SEED, "n": study.n,
              "model": model.model_dump(mode="json"), "calibration": points}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def _path(study: Study, model: PrognosticModel, digest: str) -> Path:
    return cache_dir() / f"draws-{study.id}-{model.id}-{digest[:16]}.npz"


def _load(path: Path) -> Draws | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            return Draws(z["coef"], z["prevalence"], z["h0"], z["grid"], meta["failed_fits"],
                         meta["events_target"],
                         tuple(np.inf if v is None else v for v in meta["censor_window"]), meta["mean_events"],
                         z["km_halfwidth"])
    except (OSError, KeyError, ValueError):
        return None  # missing or unreadable: rebuilt


def _save(path: Path, d: Draws) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # private like the rest of the cache folder
    meta = json.dumps({"failed_fits": d.failed_fits, "events_target": d.events_target,
                       "censor_window": [d.censor_window[0], d.censor_window[1] if np.isfinite(d.censor_window[1]) else None],
                       "mean_events": d.mean_events})
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.part")
    with os.fdopen(fd, "wb") as fh:
        np.savez(fh, coef=d.coef, prevalence=d.prevalence, h0=d.h0, grid=d.grid, km_halfwidth=d.km_halfwidth,
                 meta=np.array(meta))
    os.replace(tmp, path)  # atomic: a reader never sees half a file


def cached_draws(study: Study, model: PrognosticModel) -> Draws | None:
    """The draws if already built (memory or disk), without building them."""
    digest = model_digest(study, model)
    if digest in _memory:
        return _memory[digest]
    d = _load(_path(study, model, digest))
    if d is not None:
        _remember(digest, d)
    return d


def _remember(digest: str, d: Draws) -> None:
    from hccdecide.engine.uncertainty import prepared

    prepared(d)  # the per-model arrays for fast application, made here (in the loading worker)
    _memory[digest] = d


def draws_for(study: Study, model: PrognosticModel, progress: Progress | None = None) -> Draws:
    """The model's draws, built (once, even across threads) and stored when not yet cached."""
    digest = model_digest(study, model)
    with _guard:
        lock = _locks.setdefault(digest, threading.Lock())
    with lock:
        d = cached_draws(study, model)
        if d is None:
            fm = fitted_model(study, model)
            if fm is None:
                raise ValueError(f"model {model.id} of {study.id} cannot be combined into a curve")
            d = build_draws(fm, progress=progress)
            _save(_path(study, model, digest), d)
            _remember(digest, d)
        return d
