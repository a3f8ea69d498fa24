"""PLOVER contexts from the sentence's words, and ACLED's rule that ordinary police work is not coded."""

from __future__ import annotations

from pathlib import Path

import pytest

import polemos
from polemos.events.contexts import load_context_rules


def main_event(text: str) -> dict:
    result = polemos.extract(text, date="2024-02-01")
    assert result["events"], result
    return result["events"][0]


def test_a_drug_seizure_is_illegal_drugs_and_not_an_acled_event():
    event = main_event(
        "Dutch police arrested four men and seized 200 kilograms of cocaine in Rotterdam on Tuesday."
    )
    assert event["type"] == "COERCE"
    assert "illegal_drugs" in event["context"]
    assert event["acled_sub_event_type"] is None


def test_an_arrest_for_robbery_is_crime():
    event = main_event("Police arrested three men suspected of an armed robbery at a jewellery shop in Lyon.")
    assert "crime" in event["context"]
    assert event["acled_event_type"] is None


def test_the_arrest_of_an_opposition_leader_stays_an_acled_arrest():
    event = main_event("Police arrested an opposition lawmaker on fraud charges in Kampala on Monday.")
    assert event["type"] == "COERCE"
    assert event["acled_sub_event_type"] == "Arrests"


def test_an_arrest_without_crime_words_keeps_its_acled_type():
    event = main_event("Security forces arrested 40 protesters in central Khartoum on Friday.")
    assert event["acled_sub_event_type"] is not None
    assert not {"crime", "illegal_drugs", "trafficking"} & set(event["context"])


def test_war_crimes_are_not_crime():
    event = main_event("Rebels accused the army of war crimes in the town of Kidal.")
    assert "crime" not in event["context"]


def test_an_unknown_context_names_the_file(tmp_path: Path):
    bad = tmp_path / "contexts.yaml"
    bad.write_text("contexts:\n  piracy: {words: [pirate]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"contexts\.yaml.*piracy"):
        load_context_rules.__wrapped__(bad)
