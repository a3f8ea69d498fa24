"""Event vocabulary end to end: hand-written news sentences -> the main event's ACLED sub-event type.

Covers the vocabulary of ACLED's strategic developments (disrupted weapons, new bases, changes to armed
groups, looting and arson), violence at protests (riots, excessive force, interventions), one-sided attacks,
and accidents that are not attacks.
"""

from __future__ import annotations

import pytest

import polemos


def events(text: str) -> list[dict]:
    return polemos.extract(text, date="2023-03-15")["events"]


def main_event(text: str) -> dict:
    found = events(text)
    assert found, f"no event in {text!r}"
    return found[0]


def sub_event_types(text: str) -> set[str | None]:
    return {e["acled_sub_event_type"] for e in events(text)}


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        # weapons seized, found, intercepted or defused
        (
            "Police seized two rifles and 300 rounds of ammunition from a house in Kano on Tuesday.",
            "Disrupted weapons use",
        ),
        ("Soldiers discovered a weapons cache in the village of Dara on Friday.", "Disrupted weapons use"),
        ("Customs officers intercepted a shipment of guns at the border with Togo.", "Disrupted weapons use"),
        ("Army engineers defused a roadside bomb near Kandahar on Monday.", "Disrupted weapons use"),
        # bases and posts
        (
            "Turkish troops established a new observation post near Idlib on Sunday.",
            "Headquarters or base established",
        ),
        (
            "The rebels have set up two military bases in the district of Kidal.",
            "Headquarters or base established",
        ),
        # armed groups change
        (
            "Dozens of fighters defected from the rebel group to the army in Kidal.",
            "Change to group/activity",
        ),
        ("The army reinforced its positions around Tripoli on Thursday.", "Change to group/activity"),
        # looting and arson
        ("Gunmen torched several houses in the village of Dogo on Sunday.", "Looting/property destruction"),
        # protests that turn violent
        ("Protesters clashed with police in Santiago on Monday.", "Violent demonstration"),
        (
            "The march turned violent when demonstrators threw stones at police in Paris.",
            "Violent demonstration",
        ),
        ("Protesters pelted police with stones in Srinagar on Friday.", "Violent demonstration"),
        # force against protesters
        (
            "Security forces opened fire on protesters in Basra, killing six.",
            "Excessive force against protesters",
        ),
        (
            "Riot police beat a protester in front of parliament in Beirut.",
            "Excessive force against protesters",
        ),
        ("Police fired tear gas at demonstrators in Nairobi on Monday.", "Protest with intervention"),
        ("Police arrested 40 protesters at a rally in Minsk on Sunday.", "Protest with intervention"),
        # a peaceful protest stays peaceful
        ("Thousands of students protested in Dhaka on Monday against the new law.", "Peaceful protest"),
        # one-sided violence against civilians
        ("Gunmen shot dead five villagers in Zamfara state on Monday.", "Attack"),
    ],
)
def test_main_event_sub_event_type(text: str, sub_event_type: str) -> None:
    event = main_event(text)
    assert event["acled_sub_event_type"] == sub_event_type, (event["type"], event["trigger"], event["mode"])


def test_weapons_seized_are_not_an_explosion() -> None:
    types = sub_event_types("Army engineers defused a roadside bomb near Kandahar on Monday.")
    assert "Remote explosive/landmine/IED" not in types


def test_weapons_seizure_is_coerce() -> None:
    event = main_event(
        "Police seized two rifles and 300 rounds of ammunition from a house in Kano on Tuesday."
    )
    assert event["type"] == "COERCE" and event["mode"] == "seize"


@pytest.mark.parametrize(
    "text",
    [
        "A gas explosion at a textile factory in Dhaka injured twelve workers on Tuesday.",
        "A boiler blast at a power plant in Gujarat injured 12 workers on Monday.",
        "A fireworks warehouse exploded in Hebei province on Sunday.",
        "A volcano eruption killed 20 people in Indonesia on Sunday.",
    ],
)
def test_accidents_are_not_attacks(text: str) -> None:
    assert not [e for e in events(text) if e["type"] == "ASSAULT"]


def test_chemical_plant_is_not_a_chemical_weapon() -> None:
    types = sub_event_types("Six people were killed when a chemical plant exploded near Prague on Thursday.")
    assert "Chemical weapon" not in types


def test_agentless_seizure_of_weapons_is_an_event():
    result = polemos.extract("Two rifles and a hand grenade were seized at a checkpoint outside the town.")
    disrupted = [e for e in result["events"] if e["acled_sub_event_type"] == "Disrupted weapons use"]
    assert disrupted and not disrupted[0]["source"]


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        # refusals, broken commitments and defiance
        ("The Kenyan minister declined to resign.", "REJECT"),
        ("The Zambian president reneged on his promise to hold early elections.", "REJECT"),
        ("Kenyan protesters violated the curfew on Monday.", "REJECT"),
        # money, loans and credit given
        ("Japan gave Ghana 20 million dollars of aid for rural roads on Tuesday.", "AID"),
        ("The World Bank granted Peru a loan of 300 million dollars.", "AID"),
        # links, ties and mediation suspended or ended
        ("France announced a suspension of air links with Mali on Friday.", "SANCTION"),
        ("Egyptian officials ended mediation efforts between the rival Palestinian factions.", "SANCTION"),
        # cyber operations, sworn violence
        ("North Korea tried to hack into the computers of South Korean officers.", "COERCE"),
        ("Tuareg rebels have sworn to fight until they control the north of Mali.", "THREATEN"),
        # forgiveness, new diplomatic ties
        ("Nigerian church leaders said they are willing to forgive the Nigerian president.", "SUPPORT"),
        ("Qatar has established diplomatic ties with Israel, the ministry said.", "SUPPORT"),
        # concessions: restrictions eased, demands accepted
        ("The Sudanese government relaxed the nightly curfew in Khartoum on Thursday.", "CONCEDE"),
        ("Turkey reopened its border crossings with Syria to allow trucks of food through.", "RETREAT"),
        ("Thousands of Syrians sought refuge in Turkey last month.", "REQUEST"),
    ],
)
def test_plover_event_vocabulary(text: str, event_type: str) -> None:
    assert main_event(text)["type"] == event_type


@pytest.mark.parametrize(
    "text",
    [
        "Oil prices declined sharply in London on Monday.",
        "The French minister declined to comment on the report.",
        "The Kenyan president vowed to fight corruption in the police.",
    ],
)
def test_non_events_of_the_new_vocabulary(text: str) -> None:
    assert all(e["type"] not in {"REJECT", "THREATEN"} for e in events(text))


def test_agreements_of_armed_groups_are_acled_agreements() -> None:
    rebels = events("The rebels agreed to withdraw their fighters from the city, the governor said.")
    assert [(e["type"], e["acled_sub_event_type"]) for e in rebels if e["trigger"] == "agreed"] == [
        ("AGREE", "Agreement")
    ]
    states = events("France and Germany agreed to hold talks on the budget.")
    assert [e["acled_sub_event_type"] for e in states if e["trigger"] == "agreed"] == [None]
