"""Incidents: disasters and accidents are reported as incidents, and their harm is not coded as an attack."""

from __future__ import annotations

from pathlib import Path

import pytest

import polemos
from polemos.events.incidents import load_hazards


def code(text: str, date: str = "2024-05-06") -> dict:
    return polemos.extract(text, date=date)


def types(result: dict) -> list[str]:
    return [event["type"] for event in result["events"]]


def test_a_flood_that_kills_is_an_incident_not_an_attack():
    result = code(
        "At least 31 people died after flash floods and landslides swept through villages in "
        "northern Pakistan on Sunday, officials said."
    )
    (incident,) = result["incidents"]
    assert incident["category"] == "natural"
    assert incident["hazard"] == "flood"
    assert incident["hazards"] == ["flood", "landslide"]
    assert incident["fatalities"] == 31
    assert incident["location"]["country"] == "PAK"
    assert incident["date"]["start"] == "2024-05-05"
    assert incident["trigger"] == "flash floods"
    start, end = incident["trigger_span"]
    assert result_text(result, start, end) == "flash floods"
    assert "ASSAULT" not in types(result)
    assert not [e for e in result["events"] if e["coded_by"] == "classifier"]


def result_text(result: dict, start: int, end: int) -> str:
    sentence = result["incidents"][0]["sentence"]
    offset = result["incidents"][0]["span"][0]
    return sentence[start - offset : end - offset]


def test_a_plant_explosion_is_an_accident():
    result = code("Four workers were killed when a fertilizer plant exploded near Toulouse on Tuesday.")
    (incident,) = result["incidents"]
    assert (incident["category"], incident["hazard"]) == ("technological", "explosion")
    assert incident["fatalities"] == 4
    assert "ASSAULT" not in types(result)


def test_a_later_bare_mention_joins_the_incident():
    result = code(
        "A series of explosions ripped through a chemical warehouse in the port of Mersin. "
        "The blasts killed at least nine people."
    )
    (incident,) = result["incidents"]
    assert len(incident["mentions"]) == 2
    assert incident["fatalities"] == 9
    assert "ASSAULT" not in types(result)


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bomber blew himself up at a crowded market in Kabul, killing 12 people.",
        "Rebels opened fire on a market in Goma, killing three traders.",
        "An explosion at an army checkpoint killed five soldiers near Mosul on Monday.",
        "Militants set fire to a school in the village of Kaduna, police said.",
        "A flood of refugees crossed the border into Chad after the fighting.",
        "The vote was a political earthquake for the ruling party.",
    ],
)
def test_attacks_and_figures_of_speech_are_no_incidents(text):
    assert code(text)["incidents"] == []


def test_an_attack_stays_an_attack():
    result = code("A roadside bomb exploded near a police convoy in Kandahar, killing two officers.")
    assert result["incidents"] == []
    assert "ASSAULT" in types(result)


def test_relief_is_aid_in_the_disaster_context():
    result = code("The army mobilized troops to rescue people trapped by the floods in northern Iran.")
    assert result["incidents"]
    (event,) = [e for e in result["events"] if e["trigger"] == "mobilized"]
    assert event["type"] == "AID"
    assert "disasters" in event["context"]
    assert event["acled_event_type"] is None and event["acled_sub_event_type"] is None


def test_events_in_other_sentences_are_untouched():
    result = code(
        "An earthquake struck eastern Turkey on Friday, killing 20 people. "
        "In a separate incident, gunmen killed three police officers in Diyarbakir."
    )
    assert [i["hazard"] for i in result["incidents"]] == ["earthquake"]
    assault = [e for e in result["events"] if e["type"] == "ASSAULT"]
    assert assault and "Diyarbakir" in assault[0]["sentence"]


def test_a_malformed_hazard_file_names_itself(tmp_path: Path):
    bad = tmp_path / "hazards.yaml"
    bad.write_text("hazards:\n  flood: {nouns: [flood]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"hazards\.yaml.*flood.*category"):
        load_hazards.__wrapped__(bad)
