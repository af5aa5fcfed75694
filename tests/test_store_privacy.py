"""Private by default: file modes whatever the umask, tightening of a wider store, exports at 600."""
from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest

from hccdecide import atomic_file
from hccdecide.atomic_file import write_atomically
from hccdecide.patient import Patient
from hccdecide.store import CaseStore, open_or_recover

EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "cases" / "example_nodal_disease.json"
posix_only = pytest.mark.skipif(os.name != "posix", reason="mode bits decide access only on POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_new_store_folder_database_log_and_backup_are_private(tmp_path, mask):
    folder = tmp_path / "data" / "hccdecide"
    path = folder / "cases.sqlite3"
    with umask(mask):
        store, message = open_or_recover(path)
        try:
            store.save(Patient.from_file(EXAMPLE))
            wal, shm = path.with_name("cases.sqlite3-wal"), path.with_name("cases.sqlite3-shm")
            assert wal.exists() and shm.exists()  # present while the store is open
            modes = {p.name: mode(p) for p in (path, wal, shm)}
        finally:
            store.close()
    assert message is None
    assert mode(folder) == 0o700
    assert modes == {"cases.sqlite3": 0o600, "cases.sqlite3-wal": 0o600, "cases.sqlite3-shm": 0o600}
    (daily,) = (folder / "backups").iterdir()
    assert mode(folder / "backups") == 0o700 and mode(daily) == 0o600
    # Nothing else was left in the folder (no temporary file of the atomic creation).
    assert sorted(p.name for p in folder.iterdir()) == ["backups", "cases.sqlite3"]


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_corrupt_file_moved_aside_stays_private(tmp_path, mask):
    path = tmp_path / "cases.sqlite3"
    with umask(mask):
        path.write_bytes(b"not a database" * 100)
        os.chmod(path, 0o644)
        store, message = open_or_recover(path)
        store.close()
    (aside,) = tmp_path.glob("cases.sqlite3.corrupt-*.bak")
    assert str(aside) in message
    assert mode(aside) == 0o600 and mode(path) == 0o600


@posix_only
def test_a_wider_store_is_tightened_and_the_user_told_once(tmp_path):
    folder = tmp_path / "store"
    path = folder / "cases.sqlite3"
    CaseStore(path).close()
    os.chmod(folder, 0o755)
    os.chmod(path, 0o644)
    (folder / "backups").mkdir(mode=0o777)
    os.chmod(folder / "backups", 0o777)
    old_backup = folder / "backups" / "cases-2020-01-01.sqlite3"
    old_backup.write_bytes(path.read_bytes())
    os.chmod(old_backup, 0o664)

    store, message = open_or_recover(path)
    store.close()
    assert "private to you" in message
    assert "cases.sqlite3: 644 → 600" in message and "store: 755 → 700" in message
    assert "backups: 777 → 700" in message and "cases-2020-01-01.sqlite3: 664 → 600" in message
    assert (mode(folder), mode(path), mode(folder / "backups"), mode(old_backup)) == (0o700, 0o600, 0o700, 0o600)

    store, message = open_or_recover(path)  # the second time there is nothing to say
    store.close()
    assert message is None


@posix_only
def test_tightening_keeps_a_read_only_file_read_only(tmp_path):
    path = tmp_path / "cases.sqlite3"
    CaseStore(path).close()
    os.chmod(path, 0o444)
    from hccdecide.store.private import tighten

    assert tighten(path, 0o600) == "cases.sqlite3: 444 → 400"
    assert mode(path) == 0o400


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_exports_are_private_unless_the_user_opts_out(tmp_path, mask):
    with umask(mask):
        private = write_atomically("{}", tmp_path / "case.json")
        store = CaseStore(tmp_path / "cases.sqlite3")
        try:
            exported = store.export_json(store.save(Patient.from_file(EXAMPLE)), tmp_path / "out.json")
        finally:
            store.close()
        atomic_file.set_private_exports(False)
        try:
            shared = write_atomically(b"%PDF", tmp_path / "report.pdf")
            forced = write_atomically(b"%PDF", tmp_path / "forced.pdf", private=True)
        finally:
            atomic_file.set_private_exports(True)
    assert mode(private) == 0o600 and mode(exported) == 0o600 and mode(forced) == 0o600
    assert mode(shared) == 0o666 & ~mask
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left


@posix_only
def test_overwriting_an_export_makes_it_private(tmp_path):
    target = tmp_path / "case.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o644)
    write_atomically("new", target)
    assert target.read_text(encoding="utf-8") == "new" and mode(target) == 0o600


@posix_only
def test_the_command_line_report_is_private_under_umask_000(tmp_path):
    from hccdecide.cli import main

    with umask(0o000):
        assert main(["report", str(EXAMPLE), "-o", str(tmp_path / "record.pdf"), "--no-bands", "--summary"]) == 0
    assert mode(tmp_path / "record.pdf") == 0o600


@posix_only
def test_a_folder_shared_with_other_files_is_left_alone_but_the_store_is_private(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    (shared / "team-notes.txt").write_text("not ours", encoding="utf-8")
    CaseStore(shared / "cases.sqlite3").close()
    os.chmod(shared / "cases.sqlite3", 0o644)
    store, message = open_or_recover(shared / "cases.sqlite3")
    store.close()
    assert mode(shared) == 0o755 and mode(shared / "cases.sqlite3") == 0o600
    assert "cases.sqlite3: 644 → 600" in message and "shared:" not in message
