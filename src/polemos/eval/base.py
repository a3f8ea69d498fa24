"""What every gold-data evaluation returns, and the small scoring helpers they share.

An evaluation reads a public gold set from its path (never copied into the repository), codes its texts with
polemos, and scores what polemos produced against the gold labels. It returns an ``EvalResult``: headline
metrics, tables for people (per class, confusions) and the worst errors with their sentences.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

Progress = Callable[[int, int], None]  # (done, total)
HALVES = ("even", "odd")
T = TypeVar("T")


def select(records: list[T], half: str | None = None, limit: int | None = None) -> list[T]:
    """One half of a gold set by record index parity in file order ("even": 0, 2, 4, …), then the first
    ``limit``. Rules are developed on one half and checked on the other, so both can be reported."""
    if half is not None:
        if half not in HALVES:
            raise ValueError(f"half must be one of {', '.join(HALVES)}, not {half!r}")
        records = records[HALVES.index(half) :: 2]
    return records[:limit] if limit is not None else records


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class ErrorCase:
    """One thing polemos got wrong, shown with its text so a person sees why."""

    id: str
    text: str
    expected: str
    got: str
    note: str = ""


@dataclass
class EvalResult:
    dataset: str
    path: str
    records: int
    metrics: dict[str, float]  # headline figures, e.g. {"weighted_f1": 0.61}
    tables: list[Table] = field(default_factory=list)
    errors: list[ErrorCase] = field(default_factory=list)  # worst first
    notes: list[str] = field(default_factory=list)  # how labels were mapped, what was skipped


@dataclass
class ClassScores:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def classification_report(
    gold: list[str], predicted: list[str]
) -> tuple[list[ClassScores], dict[str, float]]:
    """Per-class precision/recall/F1 over the gold labels, and accuracy, macro and weighted F1.

    Labels predicted but absent from the gold set count as false positives of no gold class (they lower
    precision of nothing and recall of the true class), as in scikit-learn with ``labels=gold labels``.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    labels = sorted(set(gold))
    true_positive: Counter[str] = Counter()
    predicted_count: Counter[str] = Counter(predicted)
    gold_count: Counter[str] = Counter(gold)
    for expected, got in zip(gold, predicted, strict=True):
        if expected == got:
            true_positive[expected] += 1
    per_class = []
    for label in labels:
        precision = ratio(true_positive[label], predicted_count[label])
        recall = ratio(true_positive[label], gold_count[label])
        per_class.append(ClassScores(label, precision, recall, f1(precision, recall), gold_count[label]))
    total = len(gold)
    summary = {
        "accuracy": ratio(sum(true_positive.values()), total),
        "macro_f1": ratio(sum(c.f1 for c in per_class), len(per_class)),
        "weighted_f1": ratio(sum(c.f1 * c.support for c in per_class), total),
    }
    return per_class, summary


def confusions(gold: Iterable[str], predicted: Iterable[str], top: int = 15) -> list[tuple[str, str, int]]:
    """The most frequent (gold, predicted) pairs that differ."""
    pairs = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return [(g, p, n) for (g, p), n in pairs.most_common(top)]


def per_class_table(title: str, per_class: list[ClassScores]) -> Table:
    return Table(
        title,
        ["label", "precision", "recall", "F1", "support"],
        [[c.label, round(c.precision, 3), round(c.recall, 3), round(c.f1, 3), c.support] for c in per_class],
    )
