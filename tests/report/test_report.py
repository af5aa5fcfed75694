"""The MDT report: its items (content and order), the charts on a given Axes, the PDF and the CLI."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

from hccdecide import __version__
from hccdecide.cli import main
from hccdecide.engine.assessment import assess, bands_for
from hccdecide.engine.summary import DISCLAIMER
from hccdecide.patient import Patient
from hccdecide.report import build_items, plain_text, write_pdf
from hccdecide.report.charts import chart_pair_png, plot_forest, plot_survival
from hccdecide.report.items import Figure, Heading, KeyValueTable, Note, Table

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "cases" / "example_nodal_disease.json"
NOW = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def assessed():
    a = assess(Patient.from_file(EXAMPLE))
    return a, bands_for(a.curves)


@pytest.fixture(scope="module")
def items(assessed):
    a, bands = assessed
    return build_items(a, bands, discussion_note="Board favoured nodal IMRT with a TKI.", now=NOW)


@pytest.fixture(scope="module")
def text(items) -> str:
    return plain_text(items)


def yan_os(a):
    return a.default_curve("yan2025_lnm", "OS")


def test_items_hold_disclaimer_versions_and_digest(assessed, items, text):
    a, _ = assessed
    assert isinstance(items[0], Heading) and items[0].level == 1
    assert DISCLAIMER in text
    assert a.library.digest in text and a.library.version in text
    assert f"hccdecide {__version__}" in text
    assert "2026-03-04 09:30" in text
    assert "Board favoured nodal IMRT with a TKI." in text
    disclaimer = next(i for i, item in enumerate(items) if isinstance(item, Note) and item.kind == "disclaimer")
    first_section = next(i for i, item in enumerate(items) if isinstance(item, Heading) and item.text.startswith("1 "))
    assert disclaimer < first_section


def test_sections_come_in_order(items):
    sections = [item.text for item in items if isinstance(item, Heading) and item.level == 1][1:]
    assert [s.split()[0] for s in sections] == ["1", "2", "3", "4", "5", "6", "7"]
    assert "not combined" in sections[5]


def test_items_name_every_regimen_and_the_yan_estimates(assessed, text):
    a, bands = assessed
    for r in a.regimens:
        assert r.info.name in text
    curve = yan_os(a)
    index = a.curves.index(curve)
    assert f"{curve.median:.1f} months" in text
    lo, hi = bands[index].landmark_ci[12]
    assert f"{100 * curve.landmarks[12]:.0f}% (95% band {100 * lo:.0f}–{100 * hi:.0f}%)" in text
    assert "Yan et al. 2025" in text  # the source citation of the sources section


def test_inputs_have_labels_and_units_and_derived_values_their_conventions(text):
    assert "Total bilirubin | 18 µmol/L" in text
    assert "Nodal gross tumour volume | 72 cc" in text
    assert "Involved nodal stations | Common hepatic artery (regional); Abdominal para-aortic" in text
    assert "Case label | Example — nodal metastases" in text
    assert "Child–Pugh: bilirubin <34" in text  # conventions()
    assert "α/β 10 Gy" in text


def test_checklists_give_every_status_with_reasons(assessed, items):
    a, _ = assessed
    yan = next(i for i, item in enumerate(items) if isinstance(item, Heading) and item.text.startswith("Yan 2025 —"))
    table = next(item for item in items[yan:] if isinstance(item, Table))
    assert table.header[0] == "Result"
    statuses = {row[0] for row in table.rows}
    assert {"✓ met", "☐ to confirm"} <= statuses
    assert any("Lymph-node metastasis yes" in row[2] for row in table.rows)
    checklist_names = {item.text.split(" — ")[0] for item in items
                       if isinstance(item, Heading) and item.level == 3 and " — " in item.text
                       and "not combined" not in item.text}
    expected = {m.study.short_name for m in a.matches if m.status != "ineligible"}
    assert checklist_names == expected


def test_reported_figures_are_marked_not_combined(items):
    headings = [item.text for item in items if isinstance(item, Heading)]
    assert any("subgroup medians" in h and "not combined" in h for h in headings)
    subgroup_table = next(item for item in items
                          if isinstance(item, Table) and item.header[0] == "Endpoint · subgroup")
    assert any(row[3] == "◀ patient" for row in subgroup_table.rows)


def test_charts_are_figures_of_png(items):
    figures = [item for item in items if isinstance(item, Figure)]
    assert len(figures) >= 2  # Yan OS and PFS default models
    assert all(f.png.startswith(b"\x89PNG") and f.height_mm > 0 for f in figures)


def test_anonymous_drops_the_case_label(assessed):
    a, bands = assessed
    label = a.patient["case_label"]
    anonymous = plain_text(build_items(a, bands, anonymous=True, charts=False))
    assert label not in anonymous
    assert "Case label" in anonymous  # named as omitted, never shown
    assert "anonymised" in anonymous
    assert label in plain_text(build_items(a, bands, charts=False))


def test_without_bands_the_report_says_so(assessed):
    a, _ = assessed
    items = build_items(a, None, charts=False)
    assert "not computed" in plain_text(items)
    estimates = [dict(item.rows) for item in items
                 if isinstance(item, KeyValueTable) and item.rows[0][0] == "Patient status for the study"]
    assert estimates and all("95% band" not in value for rows in estimates for value in rows.values())


def test_plot_functions_draw_on_the_given_axes(assessed):
    a, bands = assessed
    curve = yan_os(a)
    fig = MplFigure()
    FigureCanvasAgg(fig)
    ax_s, ax_f = fig.subplots(1, 2)
    assert plot_survival(ax_s, curve, bands[a.curves.index(curve)]) is ax_s
    assert len(ax_s.lines) >= 3  # patient, cohort, published points
    assert ax_s.collections  # the 95% band
    assert plot_forest(ax_f, curve) is ax_f
    assert ax_f.get_xscale() == "log"
    assert len(ax_f.lines) >= 2 * len(curve.states)  # a CI line and a marker per factor
    fig.canvas.draw()
    assert chart_pair_png(curve, None).startswith(b"\x89PNG")


def test_write_pdf_produces_an_a4_pdf(assessed, tmp_path):
    a, bands = assessed
    out = write_pdf(a, tmp_path / "report.pdf", bands=bands, discussion_note="ok")
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 50_000
    assert b"DejaVuSans" in data  # the Unicode font is embedded
    assert not list(tmp_path.glob(".*.tmp"))


def test_pdf_text_renders_unicode_and_hides_the_label_when_anonymous(assessed, tmp_path):
    a, bands = assessed
    out = write_pdf(a, tmp_path / "anon.pdf", bands=bands, anonymous=True)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "≥" in text and "µmol/L" in text and "α/β" in text and "✓ met" in text
    assert a.patient["case_label"] not in text
    assert a.library.digest in text


def test_cli_report_writes_the_pdf(tmp_path, capsys):
    out = tmp_path / "cli.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(out), "--anonymous", "--no-bands"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "wrote" in capsys.readouterr().out


def test_cli_report_names_the_bad_key(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"albumin_g_l": "low"}', encoding="utf-8")
    assert main(["report", str(bad), "-o", str(tmp_path / "x.pdf")]) != 0
    assert "albumin_g_l" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_table_cells_are_wrapped_to_their_column():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from hccdecide.report.pdf import FONT, register_fonts, wrap_text

    register_fonts()
    text = ("Kang 2026, Table 2 and TACE versus TACE+SBRT/EBRT section: glicksman2025_radiant_oligoprogression.yaml "
            "≥ 1.5× ULN\nsecond paragraph")
    wrapped = wrap_text(text, FONT, 7.5, 80)
    lines = wrapped.split("\n")
    assert len(lines) > 3 and "second paragraph" in lines
    assert all(stringWidth(line, FONT, 7.5) <= 80 for line in lines)
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
