"""The pipeline's own duties: long texts in pieces, provenance, error isolation."""

from __future__ import annotations

import pytest

from polemos import pipeline as pipeline_module
from polemos.model import Document
from polemos.pipeline import Pipeline, split_text

PARAGRAPH = (
    "Rebels attacked an army checkpoint near Idlib on Monday, killing three soldiers, the army said.\n"
    "The Syrian army accused Hayat Tahrir al-Sham of shelling the town of Saraqib.\n"
)


@pytest.mark.parametrize("size", [50, 200, 1000])
def test_split_text_gives_the_text_back_in_bounded_pieces(size):
    text = PARAGRAPH * 40 + "x" * 3000 + " tail"
    pieces = split_text(text, size)
    assert "".join(pieces) == text
    assert all(len(piece) <= size for piece in pieces)
    assert len(pieces) > 1


def test_long_text_is_coded_in_pieces_with_offsets_into_the_whole_text(monkeypatch):
    monkeypatch.setattr(pipeline_module, "PIECE_CHARS", 1_000)
    text = PARAGRAPH * 30  # ~5,000 characters → several pieces
    pieces = []
    real_join = pipeline_module._join
    monkeypatch.setattr(pipeline_module, "_join", lambda docs: pieces.append(len(docs)) or real_join(docs))
    result = next(Pipeline().run([Document(id="long", text=text, date="2023-03-15")]))
    assert not result.errors
    assert pieces == [len(split_text(text, 1_000))] and pieces[0] >= 5
    assaults = [e for e in result.events if e.type == "ASSAULT"]
    assert len({e.span for e in assaults}) >= 30  # every repetition is coded, the last pieces too
    for event in result.events:
        start, end = event.span
        assert text[start:end].strip() == event.sentence
        assert event.document == "long"
    for actor in result.actors:
        for start, end in actor.mentions:
            assert text[start:end].strip()


def test_a_failing_stage_fails_one_document_not_the_run(monkeypatch):
    real = pipeline_module.find_relations

    def broken(sents, *args):
        if "BOOM" in sents[0].doc.text:
            raise RuntimeError("stage exploded")
        return real(sents, *args)

    monkeypatch.setattr(pipeline_module, "find_relations", broken)
    documents = [
        Document(id="ok1", text=PARAGRAPH),
        Document(id="bad", text="BOOM. " + PARAGRAPH, origin="bad.txt"),
        Document(id="ok2", text=PARAGRAPH),
    ]
    results = list(Pipeline().run(documents))
    assert [r.id for r in results] == ["ok1", "bad", "ok2"]
    assert results[0].events and results[2].events
    assert (
        results[1].errors and "bad.txt" in results[1].errors[0] and "stage exploded" in results[1].errors[0]
    )
