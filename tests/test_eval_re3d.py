"""re3d evaluation: scorers on hand-made cases, the loader on tiny files, a smoke run on the gold set."""

from __future__ import annotations

import json

import pytest

from polemos.eval import re3d
from polemos.eval.base import EvalResult

TYPES = ("Organisation", "Person", "Location")


def test_match_spans_is_one_to_one_by_largest_overlap():
    gold = [(0, 10), (20, 30)]
    predicted = [(5, 8), (0, 10), (25, 40), (50, 55)]
    assert re3d.match_spans(gold, predicted) == [(0, 1), (1, 2)]
    assert re3d.match_spans(gold, []) == []


def test_entity_counts_typed_untyped_and_uncertain():
    gold = [
        re3d.GoldEntity("Organisation", (0, 5), "Syria"),
        re3d.GoldEntity("Person", (10, 20), "Bashar Assad"),
        re3d.GoldEntity("Location", (30, 37), "Damascus"),
    ]
    uncertain = [
        re3d.GoldEntity("Location", (40, 46), "Israel", 0.0),
        re3d.GoldEntity("Location", (0, 5), "Syria", 0),
    ]
    predicted = [
        re3d.PredEntity("Organisation", (0, 5), "Syria"),
        re3d.PredEntity("Location", (0, 5), "Syria"),  # wrong: the span is a certain Organisation
        re3d.PredEntity("Organisation", (10, 20), "Assad"),  # right span, wrong type
        re3d.PredEntity("Location", (30, 37), "Damascus"),
        re3d.PredEntity("Organisation", (40, 46), "Israel"),  # only uncertain gold there: ignored
    ]
    counts = re3d.entity_counts(gold, predicted, TYPES, uncertain)
    organisation = counts["Organisation"]
    assert (organisation.gold, organisation.predicted, organisation.matched, organisation.ignored) == (
        1,
        3,
        1,
        1,
    )
    assert organisation.precision == pytest.approx(0.5)
    assert organisation.strict_precision == pytest.approx(1 / 3)
    location = counts["Location"]
    assert (location.matched, location.predicted, location.ignored) == (1, 2, 0)
    assert counts["Person"].recall == 0.0
    untyped = counts[re3d.ALL]
    assert (untyped.gold, untyped.matched) == (3, 3)


def test_relation_matching_symmetry_and_direction():
    gold = re3d.GoldRelation(
        "FightingAgainst", (0, 4), (20, 25), "ISIS", "Iraqi army", "Organisation", "Organisation"
    )
    forward = re3d.PredRelation(
        "FightingAgainst", ((0, 4),), ((20, 25), (60, 65)), True, "ISIS fighting Iraq"
    )
    backward = re3d.PredRelation("FightingAgainst", ((21, 24),), ((0, 4),), True, "Iraq fighting ISIS")
    assert re3d.relation_matches(gold, forward)
    assert re3d.relation_matches(gold, backward)
    belongs = re3d.GoldRelation("BelongsTo", (0, 4), (20, 25), "a", "b", "Person", "Organisation")
    assert not re3d.relation_matches(
        belongs, re3d.PredRelation("BelongsTo", ((20, 25),), ((0, 4),), False, "x")
    )
    assert re3d.relation_matches(belongs, re3d.PredRelation("BelongsTo", ((0, 4),), ((20, 25),), False, "x"))
    assert not re3d.relation_matches(belongs, forward)  # another type


def test_relation_counts_and_scored_relations():
    gold = [
        re3d.GoldRelation("AlliesOf", (0, 3), (10, 13), "SDF", "USA", "Organisation", "Organisation"),
        re3d.GoldRelation("AlliesOf", (30, 33), (40, 45), "YPG", "Aleppo", "Organisation", "Location"),
        re3d.GoldRelation("CoLocated", (0, 3), (10, 13), "SDF", "USA", "Organisation", "Organisation"),
    ]
    scored = re3d.scored_relations(gold)
    assert scored == gold[:1]
    predicted = [
        re3d.PredRelation("AlliesOf", ((10, 13),), ((0, 3),), True, "USA allied_with SDF"),
        re3d.PredRelation("FightingAgainst", ((0, 3),), ((50, 55),), True, "SDF fighting ISIS"),
    ]
    counts = re3d.relation_counts(scored, predicted)
    assert (counts["AlliesOf"].gold, counts["AlliesOf"].found, counts["AlliesOf"].correct) == (1, 1, 1)
    assert (counts["FightingAgainst"].predicted, counts["FightingAgainst"].correct) == (1, 0)


def write_lines(path, rows):
    path.write_text("\ufeff" + "\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")


def test_load_tiny_folder(tmp_path):
    text = "Syria has accused Israel of bombing Damascus. ISIS fights the Iraqi army."
    folder = tmp_path / "BBC_Online"
    folder.mkdir()
    write_lines(
        folder / "documents.json", [{"_id": "D1", "title": "T", "text": text}, {"_id": "D2", "text": "x"}]
    )

    def entity(begin, end, kind, confidence=1):
        return {"documentId": "D1", "begin": begin, "end": end, "type": kind, "value": text[begin:end],
                "confidence": confidence}  # fmt: skip

    write_lines(
        folder / "entities.json",
        [entity(0, 5, "Organisation"), entity(18, 24, "Location", 0), entity(36, 44, "Location"),
         entity(46, 50, "Organisation"), entity(58, 72, "Organisation", 0.9)],
    )  # fmt: skip
    write_lines(
        folder / "relations.json",
        [{"documentId": "D1", "type": "FightingAgainst", "sourceBegin": 46, "sourceEnd": 50, "source": "ISIS",
          "targetBegin": 58, "targetEnd": 72, "target": "the Iraqi army", "value": "fights",
          "confidence": 0.8},
         {"documentId": "D1", "type": "Likes", "sourceBegin": 0, "sourceEnd": 5, "source": "Syria",
          "targetBegin": 18, "targetEnd": 24, "target": "Israel", "confidence": 0.1}],
    )  # fmt: skip
    (tmp_path / "README_re3d.md").write_text("not a folder")
    documents = re3d.load(tmp_path)
    assert [d.id for d in documents] == ["D1", "D2"]
    first = documents[0]
    assert first.folder == "BBC_Online" and first.offset_mismatches == 0
    assert [(e.type, e.text) for e in first.entities] == [
        ("Organisation", "Syria"),
        ("Location", "Damascus"),
        ("Organisation", "ISIS"),
        ("Organisation", "the Iraqi army"),
    ]
    assert [e.text for e in first.uncertain] == ["Israel"]
    assert len(first.relations) == 1
    relation = first.relations[0]
    assert (relation.source_type, relation.target_type, relation.cue) == (
        "Organisation",
        "Organisation",
        "fights",
    )
    assert len(re3d.load(tmp_path, limit=1)) == 1


def test_smoke_on_gold_set(shared):
    result = re3d.evaluate(shared / "gold" / "re3d", limit=20)
    assert isinstance(result, EvalResult) and result.records == 20
    assert {"organisation_f1", "person_f1", "location_f1", "relation_precision"} <= result.metrics.keys()
    assert all(0.0 <= value <= 1.0 for value in result.metrics.values())
    assert len(result.errors) <= re3d.WORST_ERRORS and result.tables and result.notes


def test_a_state_that_acts_is_an_organisation_not_also_a_location():
    from polemos.model import Actor, DocumentResult, Place

    france = Actor("a1", "France", "FRA", "GOV", "state", mentions=[(0, 6)])
    places = [
        Place("p1", "France", 3017382, 46.0, 2.0, "FRA", None, "country", mentions=[(0, 6)]),
        Place("p2", "Syria", 163843, 35.0, 38.0, "SYR", None, "country", mentions=[(28, 33)]),
    ]
    result = DocumentResult("d", None, None, None, "en", actors=[france], places=places)
    entities, _ = re3d.predict(result)
    assert [(e.type, e.span) for e in entities] == [("Organisation", (0, 6)), ("Location", (28, 33))]
