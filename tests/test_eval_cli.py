"""`polemos eval DATASET PATH --limit 20 --report FILE` on every gold set (smoke test)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from polemos.cli import app
from polemos.eval import DATASETS

runner = CliRunner()


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_eval_runs_on_20_records_and_writes_a_report(shared, tmp_path, dataset):
    report = tmp_path / f"{dataset}.md"
    result = runner.invoke(
        app, ["eval", dataset, str(shared / "gold" / dataset), "--limit", "20", "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    assert "Metrics" in result.stdout
    text = report.read_text(encoding="utf-8")
    assert text.startswith(f"# polemos on {dataset}") and "| metric | value |" in text


def test_eval_rejects_unknown_dataset_and_missing_path(shared):
    assert runner.invoke(app, ["eval", "nope", str(shared)]).exit_code == 2
    assert runner.invoke(app, ["eval", "tr-news", "/no/such/folder"]).exit_code == 2


def test_eval_half_scores_one_parity_half(shared):
    result = runner.invoke(
        app, ["eval", "plover-gsr", str(shared / "gold" / "plover-gsr"), "--half", "odd", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "odd half" in result.stdout
    assert runner.invoke(app, ["eval", "plover-gsr", str(shared), "--half", "both"]).exit_code == 2


def test_select_takes_every_other_record_then_the_limit():
    from polemos.eval.base import select

    records = list(range(7))
    assert select(records) == records
    assert select(records, "even") == [0, 2, 4, 6]
    assert select(records, "odd") == [1, 3, 5]
    assert select(records, "odd", limit=2) == [1, 3]
    with pytest.raises(ValueError, match="half"):
        select(records, "middle")
