"""The learned event-type classifier: encoder, shipped head, its provenance, retraining, and its use as the
pipeline's fallback when the lexicon finds no event."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

import polemos
from polemos.events.classifier import (
    HEAD_FILE,
    PROVENANCE_FILE,
    EventTypeClassifier,
    load_classifier,
    read_stories,
    threshold,
)
from polemos.events.embedding import DIMENSIONS, encode
from polemos.events.lexicon import load_lexicon
from polemos.model import Document
from polemos.pipeline import Pipeline

REPO = Path(__file__).resolve().parents[1]
NGEC_FILE = "train/ngec-synthetic/gpt_synthetic_events_2023-10-19_19.csv"


def test_encoder_gives_unit_vectors_that_put_paraphrases_close():
    vectors = encode(
        [
            "Police shot dead a protester in Lagos.",
            "A demonstrator was killed by police gunfire in Lagos.",
            "The central bank left interest rates unchanged.",
            "",
        ]
    )
    assert vectors.shape == (4, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.6
    assert similarity[0, 1] > similarity[0, 2] + 0.3


def test_encoder_keeps_the_callers_order_whatever_the_lengths():
    texts = ["A long sentence about an airstrike on a village near the river, with many words.", "Short."]
    together = encode(texts)
    assert np.allclose(together[0], encode(texts[:1])[0], atol=1e-5)
    assert np.allclose(together[1], encode(texts[1:])[0], atol=1e-5)


def test_shipped_head_covers_valid_plover_types():
    classifier = load_classifier()
    plover_types = set(load_lexicon().plover_types)
    assert len(classifier.classes) == 16
    assert set(classifier.classes) <= plover_types
    assert classifier.weights.shape == (16, DIMENSIONS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thousands of people protested in the capital against the new tax law.", "PROTEST"),
        ("Gunmen opened fire on a police convoy, killing four officers.", "ASSAULT"),
        ("The foreign ministers of both countries met in Geneva to discuss the border.", "CONSULT"),
    ],
)
def test_shipped_head_types_plain_sentences(text, expected):
    (guess,) = load_classifier().classify([text])
    assert guess.type == expected
    assert 0.0 < guess.probability <= 1.0


def test_provenance_names_the_training_file_by_its_hash(shared):
    record = yaml.safe_load(PROVENANCE_FILE.read_text(encoding="utf-8"))
    stories = shared / NGEC_FILE
    assert record["training_data"]["sha256"] == hashlib.sha256(stories.read_bytes()).hexdigest()
    assert record["classes"] == load_classifier().classes
    assert sum(record["training_data"]["per_class"].values()) == record["training_data"]["examples"]
    assert 0.0 < threshold() < 1.0


def test_read_stories_makes_three_examples_a_story(tmp_path):
    file = tmp_path / "stories.csv"
    with file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["title", "text", "label"])
        writer.writeheader()
        writer.writerow(
            {"title": "Army shells town", "text": "The army shelled the town. Ten died.", "label": "ASSAULT"}
        )
        writer.writerow({"title": "", "text": "", "label": "PROTEST"})  # no text: skipped
    texts, labels = read_stories(file)
    assert texts == ["Army shells town", "The army shelled the town.", "The army shelled the town. Ten died."]
    assert labels == ["ASSAULT"] * 3
    (tmp_path / "empty.csv").write_text("title,text,label\n", encoding="utf-8")
    with pytest.raises(ValueError, match="empty.csv"):
        read_stories(tmp_path / "empty.csv")


def test_retraining_script_writes_a_head_that_loads_and_predicts(shared, tmp_path):
    output, provenance = tmp_path / "head.npz", tmp_path / "head.yaml"
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "train_event_classifier.py"),
            str(shared / NGEC_FILE),
            "--output",
            str(output),
            "--provenance",
            str(provenance),
            "--limit",
            "60",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    classifier = EventTypeClassifier.load(output)
    record = yaml.safe_load(provenance.read_text(encoding="utf-8"))
    assert record["training_data"]["examples"] == 180
    assert record["classes"] == classifier.classes
    assert output.stat().st_size > 1000 and HEAD_FILE.exists()
    guesses = classifier.classify(["Police fired tear gas at the crowd."])
    assert guesses[0].type in classifier.classes


def test_head_shapes_are_checked():
    with pytest.raises(ValueError, match="2 classes"):
        EventTypeClassifier(["A", "B"], np.zeros((3, DIMENSIONS)), np.zeros(2))


def test_pipeline_codes_the_lead_with_the_classifier_when_no_trigger_matches():
    text = "The European Union imposed new tariffs on Chinese steel."
    (event,) = polemos.extract(text)["events"]
    assert event["type"] == "SANCTION"
    assert event["coded_by"] == "classifier"
    assert event["confidence"] >= threshold()
    assert [actor["name"] for actor in event["source"]] == ["European Union"]
    assert event["trigger"] == "imposed"
    without = next(Pipeline(classifier=False).run([Document(id="d", text=text)]))
    assert without.events == []


def test_the_classifier_does_not_overrule_the_lexicon():
    # "decline" is a lexicon trigger whose constraints reject "declined to comment": no event, learned or not
    assert polemos.extract("The French minister declined to comment on the report.")["events"] == []


def test_classifier_events_need_a_political_actor():
    assert polemos.extract("Manchester United beat Chelsea 2-1 on Saturday.")["events"] == []


def test_lexicon_events_are_marked_as_such():
    result = polemos.extract("Rebels attacked an army base near Aleppo on Monday.")
    assert result["events"]
    assert all(event["coded_by"] == "lexicon" and event["confidence"] is None for event in result["events"])
