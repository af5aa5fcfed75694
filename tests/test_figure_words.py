"""One spelling for intervals and counts, wherever text is shown (hccdecide.figure_words)."""
from hccdecide.engine.bound import SubgroupFigure
from hccdecide.figure_words import HR_CI_HEADING, counted, ci_text


def test_an_interval_names_its_level():
    assert ci_text((9.1, 10.9)) == "95% CI 9.1–10.9"
    assert ci_text((16.6, 46.5), 90) == "90% CI 16.6–46.5"  # Pan 2024 reports its ORR with a 90% CI
    assert HR_CI_HEADING == "HR (95% CI)"


def test_counts_read_as_words_not_as_a_bracketed_plural():
    assert counted(1, "other figure") == "1 other figure"
    assert counted(3, "other figure") == "3 other figures"
    assert counted(2, "patient") == "2 patients"
    assert counted(0, "criterion", "criteria") == "0 criteria"


def test_a_published_subgroup_median_reads_with_its_interval():
    # Yan 2025, Child-Pugh B subgroup: median OS 10.0 months (95% CI 9.1-10.9)
    g = SubgroupFigure(factor="Child-Pugh", level="B", median_months=10.0, reached=True, ci=(9.1, 10.9),
                       p="<0.001", location="Yan 2025, Table 2")
    assert g.text.startswith("Child-Pugh B: median 10 months (95% CI 9.1–10.9), log-rank p <0.001")
