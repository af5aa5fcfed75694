"""Load, validate and fingerprint the evidence library.

The bundled files must all load (a fault there is a defect and raises). Files a user adds to an
extra folder are validated the same way; a faulty one is reported and skipped so the app still starts.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from pydantic import TypeAdapter, ValidationError

from hccdecide.errors import EvidenceError
from hccdecide.evidence.crosscheck import check_study
from hccdecide.evidence.schema import AnyOf, Condition, Rule, Study
from hccdecide.paths import evidence_dir, reference_file
from hccdecide.variables import VARIABLES
from hccdecide.yaml_data import read_table, read_yaml

EXTRA_EVIDENCE_ENV = "HCCDECIDE_EXTRA_EVIDENCE"


def validate_study(data: object) -> Study:
    """A Study from parsed YAML, strictly typed: a number must be a number (``"5"`` and ``true`` are
    not), a count a whole number, a flag a boolean. Validated in pydantic's JSON mode, where strict
    still reads YAML lists as tuples and text as enum values, exactly as the file means them."""
    try:
        text = json.dumps(data, allow_nan=False)
    except ValueError:
        raise EvidenceError("(record)", "(file)", "holds NaN or infinity where a number is needed") from None
    except TypeError as exc:  # a YAML date or timestamp: the schema has no date fields
        raise EvidenceError("(record)", "(file)", f"holds a value that is not plain data ({exc}); "
                            "quote dates") from None
    return Study.model_validate_json(text, strict=True)


@dataclass(frozen=True)
class RegimenInfo:
    key: str
    name: str
    summary: str
    order: int
    # the finding the regimen is built for (nodal disease, oligoprogression, pain ...); None: generic
    indication: Rule | None = None
    indication_label: str = ""
    key_endpoint: str = ""  # the endpoint the summary quotes first (pain response for palliative RT)


@dataclass(frozen=True)
class Library:
    studies: tuple[Study, ...]
    regimens: Mapping[str, RegimenInfo]
    version: str
    digest: str  # SHA-256 over every loaded file's name and bytes
    problems: tuple[EvidenceError, ...] = ()  # skipped user files
    files: Mapping[str, str] = field(default_factory=dict)  # study id -> file name

    def study(self, study_id: str) -> Study:
        for s in self.studies:
            if s.id == study_id:
                return s
        raise KeyError(study_id)

    @property
    def short_digest(self) -> str:
        return self.digest[:12]


def _pydantic_to_errors(file: str, exc: ValidationError) -> list[EvidenceError]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(record)"
        out.append(EvidenceError(file, where, err["msg"]))
    return out


def parse_study(path: Path, regimen_keys: set[str]) -> Study:
    """Read and validate one study file; raise EvidenceError naming file, field and reason."""
    name = path.name
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise EvidenceError(name, "(record)", "must be a mapping of fields")
    try:
        study = validate_study(data)
    except EvidenceError as err:
        raise EvidenceError(name, err.field, err.reason) from None
    except ValidationError as exc:
        errors = _pydantic_to_errors(name, exc)
        first = errors[0]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        raise EvidenceError(name, first.field, first.reason + more) from None
    problems = check_study(study, regimen_keys)
    if problems:
        where, reason = problems[0]
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        raise EvidenceError(name, where, reason + more)
    if path.stem != study.id:
        raise EvidenceError(name, "id", f"file name must be the study id ({study.id}.yaml)")
    return study


def all_problems(path: Path, regimen_keys: set[str]) -> list[EvidenceError]:
    """Every fault of one file (for the --check report), not only the first."""
    try:
        data = read_yaml(path)
        study = validate_study(data)
    except ValidationError as exc:
        return _pydantic_to_errors(path.name, exc)
    except Exception:  # noqa: BLE001 - parse_study gives the precise message
        try:
            parse_study(path, regimen_keys)
        except EvidenceError as err:
            return [err]
        return []
    return [EvidenceError(path.name, w, r) for w, r in check_study(study, regimen_keys)]


def load_regimens() -> dict[str, RegimenInfo]:
    path = reference_file("regimens.yaml")
    out = {}
    for i, (key, v) in enumerate(read_table(path, "regimens").items()):
        if not (isinstance(v, dict) and isinstance(v.get("name"), str) and isinstance(v.get("summary"), str)):
            raise EvidenceError(path.name, f"regimens.{key}", "needs a text name and a text summary")
        label, rule = _indication(path.name, str(key), v.get("indication"))
        endpoint = v.get("key_endpoint", "")
        if not isinstance(endpoint, str):
            raise EvidenceError(path.name, f"regimens.{key}.key_endpoint", "needs an endpoint name")
        out[str(key)] = RegimenInfo(str(key), v["name"], v["summary"], i, rule, label, endpoint)
    return out


_RULE = TypeAdapter(Rule)


def _indication(file: str, key: str, raw: object) -> tuple[str, Rule | None]:
    """A regimen's indication: a label and a rule on the case, its variables from the vocabulary."""
    if raw is None:
        return "", None
    where = f"regimens.{key}.indication"
    if not (isinstance(raw, dict) and isinstance(raw.get("label"), str) and raw.get("rule") is not None):
        raise EvidenceError(file, where, "needs a text label and a rule")
    try:
        rule = _RULE.validate_python(raw["rule"])
    except ValidationError as exc:
        raise EvidenceError(file, where, f"rule is not valid: {exc.errors()[0]['msg']}") from None
    unknown = sorted(v for v in rule_variables(rule) if v not in VARIABLES)
    if unknown:
        raise EvidenceError(file, where, f"names variables not in the vocabulary: {', '.join(unknown)}")
    return raw["label"], rule


def rule_variables(rule: Rule) -> set[str]:
    if isinstance(rule, Condition):
        return {rule.var}
    parts = rule.any_of if isinstance(rule, AnyOf) else rule.all_of
    return set().union(*(rule_variables(p) for p in parts))


def study_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def _digest(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda p: p.name):
        h.update(p.name.encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _extra_folder() -> Path | None:
    value = os.environ.get(EXTRA_EVIDENCE_ENV)
    return Path(value) if value else None


def _library_version(folder: Path) -> str:
    """The version in ``_library.yaml`` (``unversioned`` when the file is absent)."""
    path = folder / "_library.yaml"
    if not path.exists():
        return "unversioned"
    meta = read_yaml(path)
    if not isinstance(meta, dict) or not isinstance(meta.get("version", ""), (str, int, float)):
        raise EvidenceError(path.name, "version", "must be a mapping with a text version")
    return str(meta.get("version", "unversioned"))


def _missing_extra(extra: Path) -> EvidenceError:
    what = "is not a folder" if extra.exists() else "does not exist"
    return EvidenceError(str(extra), "(folder)",
                         f"{EXTRA_EVIDENCE_ENV} names a folder that {what}; no extra studies were loaded")


def load_library(folder: Path | None = None, extra: Path | None = None) -> Library:
    """Load the bundled evidence (every file must be valid) plus optional user files (skipped if bad)."""
    folder = folder or evidence_dir()
    extra = extra if extra is not None else _extra_folder()
    regimens = load_regimens()
    keys = set(regimens)
    studies: list[Study] = []
    files: dict[str, str] = {}
    used: list[Path] = []
    for path in study_files(folder):
        study = parse_study(path, keys)  # a bundled fault raises
        studies.append(study)
        files[study.id] = path.name
        used.append(path)
    problems: list[EvidenceError] = []
    if extra is not None and not extra.is_dir():
        problems.append(_missing_extra(extra))
    elif extra is not None:
        for path in study_files(extra):
            try:
                study = parse_study(path, keys)
            except EvidenceError as err:
                problems.append(err)
                continue
            except Exception as exc:  # noqa: BLE001 - a user's file must never stop the app
                problems.append(EvidenceError(path.name, "(record)", f"cannot be checked ({exc!r:.200})"))
                continue
            if study.id in files:
                problems.append(EvidenceError(path.name, "id", f"duplicates bundled study {study.id}"))
                continue
            studies.append(study)
            files[study.id] = path.name
            used.append(path)
    version = _library_version(folder)
    digest = _digest(used + [reference_file("regimens.yaml")])
    return Library(tuple(studies), regimens, version, digest, tuple(problems), files)


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The bundled library (with any extra files), loaded once per process; read from the disk cache
    when no file it is made from has changed (start-up then skips parsing and validation)."""
    from hccdecide.evidence.cache import cached_library  # the cache module builds on this one

    return cached_library()
