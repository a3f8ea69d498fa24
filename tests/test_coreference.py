"""Tests of the light coreference of pronouns and descriptions (polemos.actors.coreference)."""

from __future__ import annotations

import pytest

from polemos.actors import build_actors, find_actor_mentions
from polemos.actors.coreference import CoreferentMention, coreferents_of, quote_regions
from polemos.model import Actor
from polemos.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def actors_of(nlp, text: str) -> list[Actor]:
    actors, _ = build_actors(find_actor_mentions(nlp(text)))
    return actors


def mention_texts(actor: Actor, text: str) -> list[str]:
    return [text[start:end] for start, end in actor.mentions]


def actor_named(actors: list[Actor], part: str) -> Actor:
    found = [a for a in actors if part in a.name]
    assert found, f"no actor {part!r} in {[a.name for a in actors]}"
    return found[0]


def test_quote_regions_pair_marks_within_a_paragraph():
    text = 'He said: "We will stay." Then “they left”.\n"An open quote\nends with its paragraph'
    regions = [text[start:end] for start, end in quote_regions(text)]
    assert regions == ["We will stay.", "they left", "An open quote"]


def test_doubled_quote_marks_count_as_one():
    text = '"""We agreed,"" says Karim. ""It was hard."""'
    regions = [text[start:end] for start, end in quote_regions(text)]
    assert regions == ["We agreed,", "It was hard."]


def test_he_stands_for_the_nearest_earlier_person(nlp):
    text = "Colonel Harald Brunvik visited the camp on Monday. He said the convoy had arrived safely."
    person = actor_named(actors_of(nlp, text), "Brunvik")
    assert "He" in mention_texts(person, text)


def test_pronouns_stay_out_of_the_mentions_the_event_coder_reads(nlp):
    text = "Colonel Harald Brunvik visited the camp on Monday. He said the convoy had arrived safely."
    mentions = find_actor_mentions(nlp(text))
    assert not any(isinstance(m, CoreferentMention) for m in mentions)
    brunvik = next(m for m in mentions if "Brunvik" in m.name)
    assert [c.text for c in coreferents_of(brunvik)] == ["He"]
    assert coreferents_of(brunvik)[0].kind == "pronoun"


def test_it_after_a_speech_verb_stands_for_the_speaker(nlp):
    text = "Hezbollah said on Tuesday that it would withdraw from the border villages."
    group = actor_named(actors_of(nlp, text), "Hezbollah")
    assert mention_texts(group, text) == ["Hezbollah", "it"]


def test_pleonastic_it_stands_for_nothing(nlp):
    text = "Hezbollah fighters entered the village. It is unclear how many people were hurt."
    actors = actors_of(nlp, text)
    assert all("It" not in mention_texts(actor, text) for actor in actors)


def test_possessives_are_not_mentions(nlp):
    text = "Hezbollah said that its fighters would stay."
    actors = actors_of(nlp, text)
    assert all("its" not in mention_texts(actor, text) for actor in actors)


def test_the_group_stands_for_the_nearest_non_state_group(nlp):
    text = "Hezbollah fighters shelled the hills overnight. The group later said the strikes were over."
    group = actor_named(actors_of(nlp, text), "Hezbollah")
    assert "The group" in mention_texts(group, text)


def test_first_person_in_a_quote_stands_for_the_speaker_and_their_organisation(nlp):
    text = (
        "General Tom Reedley, commander of U.S. Central Command, said: "
        '"We will keep up the pressure. I am proud of our troops."'
    )
    actors = actors_of(nlp, text)
    assert "I" in mention_texts(actor_named(actors, "Reedley"), text)
    command = actor_named(actors, "Central Command")
    assert "We" in mention_texts(command, text)


def test_first_person_outside_quotes_stands_for_no_named_actor(nlp):
    text = "Hezbollah fighters shelled the hills. We could hear the explosions from the hotel."
    actors = actors_of(nlp, text)
    # no named actor takes the writer's "We": at most the unnamed group of those who speak
    named = [actor for actor in actors if actor.name != "unnamed speakers' group"]
    assert all("We" not in mention_texts(actor, text) for actor in named)


def test_we_outside_quotes_stands_for_the_organisation_issuing_the_statement(nlp):
    text = (
        "Canada strongly condemns the bombing of the market in Tarvel. "
        "We call on all parties to respect the ceasefire, and our embassy stands ready to help."
    )
    canada = actor_named(actors_of(nlp, text), "Canada")
    texts = mention_texts(canada, text)
    assert "We" in texts and "our" in texts


def test_we_outside_quotes_needs_an_issuer_named_in_the_first_sentences(nlp):
    text = (
        "The market in Tarvel was busy on Friday. Prices rose after the harvest. "
        "Canada sent food aid to the region. We saw long queues at the stalls."
    )
    actors = actors_of(nlp, text)
    # no named actor takes the writer's "We": at most the unnamed group of those who speak
    named = [actor for actor in actors if actor.name != "unnamed speakers' group"]
    assert all("We" not in mention_texts(actor, text) for actor in named)


def test_statement_after_a_colon_is_the_speakers(nlp):
    text = "Colonel Harald Brunvik said:\n\nI welcome the agreement reached yesterday."
    person = actor_named(actors_of(nlp, text), "Brunvik")
    assert "I" in mention_texts(person, text)


def test_pronoun_outside_a_quote_takes_no_antecedent_inside_it(nlp):
    text = 'Karl Brenner said: "Ask Colonel Harald Brunvik." He left.'
    actors = actors_of(nlp, text)
    assert "He" in mention_texts(actor_named(actors, "Brenner"), text)
    assert "He" not in mention_texts(actor_named(actors, "Brunvik"), text)


def test_reporters_we_before_any_author_is_looked_for():
    """A reporter's "As we reported:" asks for the document's author while statements are still being read."""
    import polemos

    text = (
        "Citizens in Shanghai took to the streets and called for the resignation of officials. "
        "As we reported:\n"
        "The petition to the State Council was signed by more than 11 million people."
    )
    result = polemos.extract(text, date="2014-02-20")
    assert result["errors"] == []
    assert result["events"]
