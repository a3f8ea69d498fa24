"""Tests of the country and sector an actor takes from its context (polemos.actors.resolve)."""

from __future__ import annotations

import pytest

from polemos.actors import find_actor_mentions
from polemos.model import ActorMention
from polemos.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def by_text(mentions: list[ActorMention], text: str) -> ActorMention:
    found = [m for m in mentions if m.text == text]
    assert found, f"no mention {text!r} in {[m.text for m in mentions]}"
    return found[0]


def test_group_takes_the_one_state_of_its_sentence(nlp):
    mentions = find_actor_mentions(
        nlp("The government of Mozambique accepted demands from the rebels on Monday.")
    )
    rebels = by_text(mentions, "rebels")
    assert rebels.country == "MOZ"
    assert rebels.sector == "REB"
    assert rebels.code == "MOZ-REB"


def test_titled_person_takes_the_one_state_of_its_sentence(nlp):
    mentions = find_actor_mentions(nlp("President Jomo Wekesa said Kenya would not accept the ruling."))
    person = next(m for m in mentions if m.type == "person")
    assert person.country == "KEN"


def test_two_states_leave_the_group_without_country(nlp):
    mentions = find_actor_mentions(nlp("Officials from Ghana and Togo met the rebels near the border."))
    assert by_text(mentions, "rebels").country is None


def test_no_state_in_the_sentence_leaves_the_group_without_country(nlp):
    mentions = find_actor_mentions(nlp("The rebels attacked a convoy on the main road."))
    assert by_text(mentions, "rebels").country is None


def test_international_organisations_take_no_country(nlp):
    mentions = find_actor_mentions(nlp("Aid workers delivered food to villages in Chad."))
    assert all(m.country is None for m in mentions if m.sector == "NGO")


@pytest.mark.parametrize(
    ("text", "name", "code", "sector"),
    [
        ("The European Community pledged new aid to the region.", "European Community", "EC", "IGO"),
        ("Fighters of the Kosovo Liberation Army ambushed a patrol.", "Kosovo Liberation Army", "KLA", "REB"),
        ("The Liberation Tigers rejected the truce.", "Liberation Tigers", "LTTE", "REB"),
    ],
)
def test_well_known_organisations_of_earlier_decades(nlp, text, name, code, sector):
    mention = by_text(find_actor_mentions(nlp(text)), name)
    assert (mention.code, mention.sector) == (code, sector)


def test_country_that_begins_a_longer_name_composes_nothing(nlp):
    mentions = find_actor_mentions(nlp("Fighters of the Kosovo Liberation Army ambushed a patrol."))
    assert by_text(mentions, "Kosovo Liberation Army").code == "KLA"
    assert by_text(mentions, "Fighters").country is None


@pytest.mark.parametrize(
    ("text", "name", "sector"),
    [
        ("Chadian youths threw stones at the convoy.", "Chadian youths", "CVL"),
        ("Afghan guerillas shelled the airport.", "Afghan guerillas", "REB"),
        ("Army officers seized the radio station.", "Army officers", "MIL"),
    ],
)
def test_group_heads_give_the_sector(nlp, text, name, sector):
    assert by_text(find_actor_mentions(nlp(text)), name).sector == sector


def test_a_people_with_its_country_is_an_actor_a_count_of_people_is_not(nlp):
    mentions = find_actor_mentions(nlp("The Malian people voted while 28 people were killed in the north."))
    people = by_text(mentions, "Malian people")
    assert (people.country, people.sector) == ("MLI", "CVL")
    assert "people" not in [m.text for m in mentions]


def test_partners_and_allies_with_a_country_or_qualifier(nlp):
    mentions = find_actor_mentions(nlp("Kenyan allies met international partners in Nairobi."))
    assert by_text(mentions, "Kenyan allies").code == "KEN-GOV"
    assert by_text(mentions, "international partners").sector == "GOV"


def test_the_international_community(nlp):
    mentions = find_actor_mentions(nlp("The international community must act now."))
    assert by_text(mentions, "international community").code == "INTERNATIONAL-COMMUNITY"


@pytest.mark.parametrize(
    ("text", "name", "sector"),
    [
        ("A terrorist organisation claimed the bombing.", "terrorist organisation", "REB"),
        ("Violent extremist groups recruit online.", "Violent extremist groups", "REB"),
        ("Police are hunting the perpetrators.", "perpetrators", "UAF"),
        ("Civil society must be heard.", "Civil society", "CVL"),
    ],
)
def test_more_group_heads(nlp, text, name, sector):
    assert by_text(find_actor_mentions(nlp(text)), name).sector == sector


def test_country_after_a_place_is_where_the_place_is(nlp):
    mentions = find_actor_mentions(nlp("Officials met in Istanbul, Turkey, on Friday."))
    assert "Turkey" not in [m.text for m in mentions]
    assert "Turkey" in [m.text for m in find_actor_mentions(nlp("Turkey, a NATO member, rejected the plan."))]


def test_a_group_acted_upon_does_not_take_the_state_that_acts(nlp):
    mentions = find_actor_mentions(
        nlp("The Pentagon accused the Russians of attacking coalition partners and injuring some fighters.")
    )
    assert by_text(mentions, "coalition partners").country is None
    assert by_text(mentions, "fighters").country is None
