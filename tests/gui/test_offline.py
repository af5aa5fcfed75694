"""Provably offline: with every way of opening a network connection made to fail, a full assessment
with its uncertainty bands, the PDF report, the window's start-up and a case-store round trip all
work, and none of them even tried to reach the network."""
from __future__ import annotations

import socket
import urllib.request

import pytest

from hccdecide.engine.assessment import assess, bands_for
from hccdecide.gui import pdf_export
from hccdecide.gui.pdf_export import PdfOptions
from hccdecide.patient import Patient
from hccdecide.report import write_pdf
from hccdecide.paths import cases_dir
from hccdecide.store import CaseStore, open_or_recover

EXAMPLE = cases_dir() / "example_nodal_disease.json"

NETWORK_CALLS = ("socket", "create_connection", "create_server", "socketpair", "fromfd", "getaddrinfo",
                 "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo")


@pytest.fixture
def no_network(monkeypatch):
    """Every socket-creating or name-resolving call in :mod:`socket` raises; returns the attempts."""
    attempts: list[str] = []

    def refuse(name):
        def _refuse(*_args, **_kwargs):
            attempts.append(name)
            raise OSError(f"network access attempted: socket.{name}")
        return _refuse
    for name in NETWORK_CALLS:
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_the_trap_is_armed(no_network):
    with pytest.raises(OSError, match="network access attempted"):
        socket.socket()
    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.org", timeout=1)
    assert no_network[:1] == ["socket"] and len(no_network) >= 2


def test_assessment_report_gui_and_store_work_without_any_network(qtbot, make_window, no_network, data_dir,
                                                                 library, tmp_path, monkeypatch):
    patient = Patient.from_file(EXAMPLE)
    a = assess(patient, library)
    bands = bands_for(a.curves)
    assert a.matches and a.curves and len(bands) == len(a.curves)
    pdf = write_pdf(a, tmp_path / "core.pdf", bands=bands)
    assert pdf.read_bytes().startswith(b"%PDF")

    store, message = open_or_recover(tmp_path / "store" / "cases.sqlite3")
    with store:
        case_id = store.save(patient, a)
        assert store.load(case_id) == patient and store.history(case_id)[0].intact
    assert message is None

    window = make_window(EXAMPLE)  # GUI start-up on the example case, bands computed in a worker
    assert window.controller.wait_for_workers(30000)
    stored = window.store.save()
    window.new_case()
    assert window.store.open_case(stored) and window.controller.patient == patient
    monkeypatch.setattr(pdf_export, "ask_pdf_options", lambda _parent, anonymous=False: PdfOptions())
    assert window.export_pdf(tmp_path / "gui.pdf")
    with CaseStore(data_dir / "cases.sqlite3") as again:
        assert [c.id for c in again.recent()] == [stored]
    assert no_network == []
