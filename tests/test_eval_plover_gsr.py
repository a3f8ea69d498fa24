"""PLOVER GSR evaluation: scorers on hand-made cases, the loader on a tiny file, a smoke run on gold."""

from __future__ import annotations

import json

import pytest

from polemos.eval import plover_gsr as gsr
from polemos.eval.base import EvalResult


def record(event: str, source=(), target=(), reciprocal=False, location=None, dead=None) -> gsr.GoldRecord:
    return gsr.GoldRecord(
        id=f"r-{event}",
        text="A sentence.",
        date="2000-01-01",
        gsr_event=event,
        event=event,
        mode=None,
        source=[gsr.ActorCode(code, sector) for code, sector in source],
        target=[gsr.ActorCode(code, sector) for code, sector in target],
        reciprocal=reciprocal,
        location=location,
        dead=dead,
    )


def prediction(main=None, types=(), source=(), target=(), names=(), fatalities=None) -> gsr.Prediction:
    return gsr.Prediction(
        main_type=main,
        types=list(types) or ([main] if main else []),
        source=[gsr.ActorCode(code, sector) for code, sector in source],
        target=[gsr.ActorCode(code, sector) for code, sector in target],
        location=names[0] if names else None,
        location_names=list(names),
        fatalities=fatalities,
    )


def test_type_scores_main_and_any_event():
    gold = [record("ASSAULT"), record("AGREE"), record("REQUEST"), record("ACCUSE")]
    predicted = [
        prediction("ASSAULT"),
        prediction("CONSULT", types=["CONSULT", "AGREE"]),
        prediction(None),
        prediction("ACCUSE"),
    ]
    result = gsr.score(gold, predicted)
    assert result.metrics["event_type_accuracy"] == pytest.approx(0.5)
    assert result.metrics["event_type_any_accuracy"] == pytest.approx(0.75)
    assert result.metrics["no_event_rate"] == pytest.approx(0.25)
    confusion = {(row[0], row[1]): row[2] for row in result.tables[1].rows}
    assert confusion == {("AGREE", "CONSULT"): 1, ("REQUEST", gsr.NO_EVENT): 1}
    assert [error.note for error in result.errors] == [
        "no event found",
        "gold type found, but not as the main event",
    ]


def test_actor_scores_country_sector_and_reciprocal():
    gold = [
        record("AGREE", source=[("HUN", "GOV"), ("ROU", "GOV")], reciprocal=True),
        record("ASSAULT", source=[("ISR", "MIL")], target=[("PSE", "REB")]),
        record("ACCUSE", source=[("USA", None)], target=[("IRN", "GOV")]),
    ]
    predicted = [
        prediction("AGREE", source=[("HUN", "GOV")], target=[("ROU", "GOV")]),  # reciprocal: both count
        prediction("ASSAULT", source=[("ISR", "GOV")], target=[("EGY", "REB")]),
        prediction("ACCUSE", source=[], target=[("IRN", "GOV")]),
    ]
    source = gsr.actor_scores(gold, predicted, "source")
    assert source["country_match"] == pytest.approx(2 / 3)
    assert source["country_exact"] == pytest.approx(2 / 3)
    assert source["sector_match"] == pytest.approx(2 / 3)  # HUN/GOV, ROU/GOV right; ISR/MIL wrong sector
    target = gsr.actor_scores(gold, predicted, "target")
    assert target["records"] == 2  # the reciprocal record has no gold target
    assert target["country_match"] == pytest.approx(0.5)
    assert target["sector_match"] == pytest.approx(0.5)


def test_location_and_fatalities_match():
    gold = [
        record("ASSAULT", location="Gorazde", dead=3),
        record("PROTEST", location="Britain"),
        record("AID"),
    ]
    predicted = [
        prediction("ASSAULT", names=["Goražde", "gorazde"], fatalities=3),
        prediction("PROTEST", names=["United Kingdom", "UK"]),
        prediction("AID", names=["Geneva"]),
    ]
    assert gsr.location_match(gold, predicted) == (0.5, 2)
    assert gsr.fatalities_match(gold, predicted) == (1.0, 1)


def test_normalisation_of_gsr_codes_and_actor_keys():
    assert gsr.normalise_code("JAP") == "JPN"
    assert gsr.normalise_code("IMG") == "TRANSNATIONAL"
    assert gsr.normalise_sector("CVLalb") == "CVL"
    assert gsr.normalise_sector("***") is None
    assert gsr.normalise_sector("CIV") == "CVL"
    assert gsr.actor_key("SYR", "GOV", "state") == "SYR"
    assert gsr.actor_key(None, "IGO", "igo") == "IGO"
    assert gsr.actor_key(None, None, "non-state") == "TRANSNATIONAL"
    assert gsr.actor_key(None, None, "person") is None


def test_load_tiny_file(tmp_path):
    rows = [
        {"id": "X-DOCUMENT-0001", "event": "DOCUMENT", "eventText": "header"},
        {
            "id": "X-FIGHT-0001",
            "date": "2000-01-01",
            "event": "FIGHT",
            "text": "Israeli troops fought Palestinian gunmen in Gaza, killing 3.",
            "source": [{"actorText": "Israeli troops", "code": "ISR", "sector": "MIL"}],
            "target": [{"actorText": "Palestinian gunmen", "code": "PSE", "sector": "REBpse"}],
            "eventLoc": {"name": "Gaza"},
            "dead": "3",
            "textInfo": {"markup": "(SRC: Israeli troops) (EVT: fought) (TAR: Palestinian gunmen)"},
        },
        {
            "id": "X-AGREE-0001",
            "date": "2000-01-01",
            "event": "AGREE",
            "text": "Japan and Italy agreed to cooperate.",
            "source": [{"actorText": "Japan", "code": "JAP"}, {"actorText": "Italy", "code": "ITL"}],
            "target": "",
            "textInfo": "(SRC/TAR: Japan) and (SRC/TAR: Italy) (EVT: agreed)",
        },
        {"id": "X-INVESTIGATE-0001", "event": "INVESTIGATE", "text": "Police probed it.", "source": []},
    ]
    (tmp_path / gsr.GOLD_FILE).write_text(json.dumps(rows), encoding="utf-8")
    records = gsr.load(tmp_path)
    assert [r.id for r in records] == ["X-FIGHT-0001", "X-AGREE-0001", "X-INVESTIGATE-0001"]
    fight, agree, investigate = records
    assert (fight.event, fight.gsr_event, fight.location, fight.dead) == ("ASSAULT", "FIGHT", "Gaza", 3)
    assert fight.target[0].sector == "REB" and not fight.reciprocal
    assert agree.reciprocal and [a.code for a in agree.source] == ["JPN", "ITA"] and agree.target == []
    assert (investigate.event, investigate.mode) == ("ACCUSE", "investigate")
    assert len(gsr.load(tmp_path, limit=1)) == 1


def test_unknown_gsr_event_is_an_error(tmp_path):
    (tmp_path / gsr.GOLD_FILE).write_text(json.dumps([{"id": "x", "event": "YIELD", "text": "t"}]))
    with pytest.raises(ValueError, match="YIELD"):
        gsr.load(tmp_path)


def test_smoke_on_gold_set(shared):
    result = gsr.evaluate(shared / "gold" / "plover-gsr", limit=20)
    assert isinstance(result, EvalResult) and result.records == 20
    assert result.dataset == "plover-gsr"
    assert {"event_type_accuracy", "source_country_match", "location_match"} <= result.metrics.keys()
    assert all(0.0 <= value <= 1.0 for value in result.metrics.values())
    assert len(result.errors) <= gsr.WORST_ERRORS and result.tables and result.notes
