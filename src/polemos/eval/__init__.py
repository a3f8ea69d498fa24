"""Evaluation on public gold data: ``polemos eval DATASET PATH``.

Each dataset module exposes ``evaluate(path, limit=None, progress=None) -> EvalResult``.
"""

from __future__ import annotations

from importlib import import_module

from polemos.eval.base import ErrorCase, EvalResult, Table

# dataset name → module (under polemos.eval) that evaluates it
DATASETS = {
    "case2021-task2-dev": "case2021",
    "plover-gsr": "plover_gsr",
    "tr-news": "trnews",
    "re3d": "re3d",
    "ucdp-ged-sample": "ucdp",
}

__all__ = ["DATASETS", "ErrorCase", "EvalResult", "Table", "evaluator"]


def evaluator(name: str):
    """The ``evaluate`` function of dataset ``name`` (KeyError for an unknown name)."""
    return import_module(f"polemos.eval.{DATASETS[name]}").evaluate
