"""The shared scoring helpers and the report writer."""

from __future__ import annotations

import pytest

from polemos.eval.base import ErrorCase, EvalResult, Table, classification_report, confusions
from polemos.eval.report import write_report


def test_classification_report_known_answer():
    gold = ["A", "A", "B", "B", "C"]
    predicted = ["A", "B", "B", "B", "X"]
    per_class, summary = classification_report(gold, predicted)
    scores = {c.label: c for c in per_class}
    assert scores["A"].precision == 1.0 and scores["A"].recall == 0.5
    assert scores["B"].precision == pytest.approx(2 / 3) and scores["B"].recall == 1.0
    assert scores["C"].f1 == 0.0
    assert summary["accuracy"] == pytest.approx(3 / 5)
    assert summary["macro_f1"] == pytest.approx((2 / 3 + 0.8 + 0.0) / 3)
    assert summary["weighted_f1"] == pytest.approx((2 / 3 * 2 + 0.8 * 2) / 5)
    assert confusions(gold, predicted) == [("A", "B", 1), ("C", "X", 1)]
    with pytest.raises(ValueError):
        classification_report(["A"], [])


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_report_holds_metrics_tables_and_escaped_errors(tmp_path, suffix):
    result = EvalResult(
        dataset="toy",
        path="/gold/toy",
        records=2,
        metrics={"accuracy": 0.5},
        tables=[Table("Per class", ["label", "F1"], [["A", 0.5]])],
        errors=[ErrorCase("r1", "Rebels <b>shelled</b> the town.", "SHELLING", "ARMED_CLASH")],
        notes=["labels mapped from ACLED names"],
    )
    text = write_report(result, tmp_path / f"report{suffix}").read_text(encoding="utf-8")
    assert "0.500" in text and "Per class" in text and "SHELLING" in text and "labels mapped" in text
    if suffix == ".html":
        assert "<b>shelled</b>" not in text and "&lt;b&gt;shelled" in text
