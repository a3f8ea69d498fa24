"""The coder on hand-written sentences: types, arguments, claims, flags, casualties, places, affiliations."""

from __future__ import annotations

import pytest

import polemos
from polemos.events.coder import _specific_assault_leads
from polemos.model import Claim, DateRange, Event


def code(text: str, date: str = "2023-03-15") -> dict:
    return polemos.extract(text, date=date)


def events_of(result: dict, event_type: str) -> list[dict]:
    return [e for e in result["events"] if e["type"] == event_type]


def names(refs: list[dict]) -> str:
    return " | ".join(f"{r['name']} {r['text']}" for r in refs)


def test_shelling_with_casualties_and_attribution():
    result = code(
        "Government forces shelled the town of Kafr Nabl on Monday, killing five civilians, "
        "the Syrian Observatory for Human Rights said."
    )
    assault = events_of(result, "ASSAULT")
    assert assault, result["events"]
    event = assault[0]
    assert event["mode"] == "heavy-weapons"
    assert event["acled_event_type"] == "Explosions/Remote violence"
    assert event["acled_sub_event_type"] == "Shelling/artillery/missile attack"
    assert event["fatalities"] == 5
    assert event["claim"]["status"] == "asserted"
    assert "Observatory" in event["claim"]["speaker"]["name"]
    assert event["date"]["start"] == "2023-03-13"


def test_passive_voice_gives_agent_as_source():
    result = code("Three soldiers were killed by Boko Haram militants near Maiduguri on Sunday.")
    event = events_of(result, "ASSAULT")[0]
    assert "Boko Haram" in names(event["source"])
    assert event["fatalities"] == 3
    assert event["location"]["name"].lower().startswith("maiduguri")
    assert event["location"]["country"] == "NGA"
    assert event["location"]["relation"] == "near"


def test_accusation_embeds_alleged_event():
    result = code("Ukraine accused Russia of shelling residential areas of Kharkiv overnight.")
    accuse = events_of(result, "ACCUSE")
    assert (
        accuse and accuse[0]["source"][0]["country"] == "UKR" and accuse[0]["target"][0]["country"] == "RUS"
    )
    assault = events_of(result, "ASSAULT")
    assert assault and assault[0]["source"][0]["country"] == "RUS"
    assert assault[0]["claim"]["status"] == "alleged"
    assert assault[0]["claim"]["speaker"]["country"] == "UKR"
    assert assault[0]["claim"]["event"] == accuse[0]["id"]
    assert accuse[0]["claim"]["status"] == "asserted" and accuse[0]["claim"]["speaker"]["kind"] == "outlet"


def test_denial():
    result = code("The Israeli military denied that its troops had fired on the convoy in Gaza.")
    assault = events_of(result, "ASSAULT")
    assert assault and assault[0]["claim"]["status"] == "denied"
    assert assault[0]["claim"]["speaker"]["country"] == "ISR"


def test_negation_hypothetical_future():
    negated = events_of(code("Hezbollah fighters did not attack Israeli positions on Tuesday."), "ASSAULT")
    assert negated and negated[0]["negated"]
    hypothetical = code("If Russian troops attack Moldova, NATO would respond.")["events"]
    assert any(e["type"] == "ASSAULT" and e["hypothetical"] for e in hypothetical)
    future = events_of(
        code("Turkey will launch a new offensive against the YPG in northern Syria."), "ASSAULT"
    )
    assert future and future[0]["future"] and not future[0]["negated"]


def test_drone_strike_is_remote_violence():
    result = code(
        "A US drone strike killed four al-Shabaab fighters near Jilib on Friday, "
        "according to Somali officials."
    )
    event = events_of(result, "ASSAULT")[0]
    assert event["acled_sub_event_type"] == "Air/drone strike"
    assert event["fatalities"] == 4
    assert any("Shabaab" in t["name"] for t in event["target"])


def test_civilian_target_is_violence_against_civilians():
    result = code("Gunmen from the Islamic State abducted twelve villagers in Borno state.")
    event = events_of(result, "ASSAULT")[0]
    assert event["acled_event_type"] == "Violence against civilians"


def test_outlet_voice_by_default():
    result = polemos.extract(
        "Rebels attacked an army checkpoint in Idlib province.",
        date="2023-01-02",
        url="https://www.example-news.org/a/1",
    )
    event = events_of(result, "ASSAULT")[0]
    assert event["claim"] == {**event["claim"], "status": "asserted"}
    assert event["claim"]["speaker"] == {"kind": "outlet", "name": "example-news.org"}


@pytest.mark.parametrize(
    ("sentence", "backed", "backer"),
    [
        ("The Iranian-backed Houthis fired missiles at Saudi Arabia.", "Houthi", "IRN"),
        ("M23 rebels, supported by Rwanda, seized the town of Bunagana.", "M23", "RWA"),
        ("The Turkish-backed Syrian National Army shelled Manbij.", "Syrian National Army", "TUR"),
    ],
)
def test_backed_by(sentence, backed, backer):
    result = code(sentence)
    by_id = {a["id"]: a for a in result["actors"]}
    found = [
        (by_id[r["actor"]]["name"], by_id[r["other"]]["country"])
        for r in result["relations"]
        if r["relation"] == "backed_by" and r["origin"] == "text"
    ]
    assert any(backed.lower() in name.lower() and country == backer for name, country in found), found


def test_events_are_ordered_by_salience():
    result = code(
        "The foreign minister met his Qatari counterpart in Doha. Later, an air strike by the "
        "Saudi-led coalition killed 20 people at a market in Saada."
    )
    assert result["events"][0]["type"] == "ASSAULT"
    assert result["events"][0]["fatalities"] == 20


def test_denial_answers_the_accusation_and_disputes_the_claim():
    result = code(
        "The Syrian army accused Hayat Tahrir al-Sham of attacking its positions south of Idlib. "
        "The group denied the accusation."
    )
    accuse = events_of(result, "ACCUSE")[0]
    denial = events_of(result, "REJECT")[0]
    assert "Hayat Tahrir al-Sham" in names(denial["source"])  # "the group" → the accused
    assert denial["target"][0]["country"] == "SYR" and denial["target"][0]["sector"] == "MIL"
    alleged = events_of(result, "ASSAULT")[0]
    assert alleged["claim"]["event"] == accuse["id"]
    assert alleged["claim"]["disputed_by"] == [denial["id"]]
    assert alleged["location"]["relation"] == "south of"


def test_headline_and_dateline_are_their_own_lines():
    text = (
        "Rebels shell Kafr Nabl\nIDLIB, 14 March 2023 (Levant Wire) — Turkish-backed rebels shelled the "
        "town of Kafr Nabl on Monday, killing five civilians."
    )
    result = polemos.extract(text)
    assert result["title"] == "Rebels shell Kafr Nabl" and result["date"] == "2023-03-14"
    body = [e for e in events_of(result, "ASSAULT") if e["fatalities"] == 5]
    assert body and body[0]["date"]["start"] == "2023-03-13"
    assert body[0]["claim"]["speaker"] == {"kind": "outlet", "name": "Levant Wire"}
    assert not any("Levant" in p["name"] for p in result["places"])  # the outlet's name is no place
    assert not any("Nabl" in a["name"] for a in result["actors"])  # a town, not a person


def relations_of(result: dict, relation: str) -> list[tuple[str, str]]:
    by_id = {a["id"]: a for a in result["actors"]}
    return [
        (by_id[r["actor"]]["name"], by_id[r["other"]]["name"])
        for r in result["relations"]
        if r["relation"] == relation and r["origin"] == "text"
    ]


def test_allied_part_of_and_origin_relations():
    allied = code("Wagner Group, allied with the Malian junta, attacked a village near Mopti.")
    assert any("Wagner" in a and "Mali" in b for a, b in relations_of(allied, "allied_with")), allied[
        "relations"
    ]
    part = code("The YPG, a faction of the Syrian Democratic Forces, shelled Turkish positions.")
    assert any("People's Protection Units" in a or "YPG" in a for a, _ in relations_of(part, "part_of"))
    origin = code("Shiite militias from Iran and Iraq fought alongside Syrian troops near Aleppo.")
    tied = {b for _, b in relations_of(origin, "allied_with")}
    assert {"Iran", "Iraq"} <= tied


def test_fighting_relation_unless_negated():
    fought = code(
        "Heavy fighting between the Rapid Support Forces and the Sudanese Armed Forces killed 12 people."
    )
    assert relations_of(fought, "fighting")
    quiet = code("There was no fighting between the Rapid Support Forces and the Sudanese Armed Forces.")
    assert not relations_of(quiet, "fighting")


def test_according_to_names_the_speaker():
    result = code(
        "According to the Syrian Observatory for Human Rights, Russian jets bombed Idlib on Tuesday."
    )
    event = events_of(result, "ASSAULT")[0]
    assert event["claim"]["status"] == "asserted"
    assert "Observatory" in event["claim"]["speaker"]["name"]
    assert event["mode"] == "aerial" and event["acled_sub_event_type"] == "Air/drone strike"


# --- main events, stated intentions and governing acts (issue #3) ------------------------------------------


def main_event(text: str) -> dict:
    events = code(text)["events"]
    assert events, text
    return events[0]


def countries(refs: list[dict]) -> set[str | None]:
    return {ref["country"] for ref in refs}


def test_pronoun_subject_stands_for_the_speaker():
    event = main_event("Syria says it is willing to withdraw its troops from Lebanon.")
    assert event["type"] == "AGREE" and countries(event["source"]) == {"SYR"}
    retreat = events_of(code("Syria says it is willing to withdraw its troops from Lebanon."), "RETREAT")
    assert retreat and "SYR" in countries(retreat[0]["source"]) and retreat[0]["future"]
    assert not any(ref["sector"] == "MIL" for ref in retreat[0]["target"])  # its own troops are no target


def test_possessive_pronoun_names_the_owner_of_a_generic_actor():
    event = events_of(code("Israel said its soldiers killed two gunmen in Jenin."), "ASSAULT")[0]
    assert "ISR" in countries(event["source"]), event["source"]


@pytest.mark.parametrize(
    ("sentence", "intent", "mode", "source", "content"),
    [
        ("Japan said it will provide emergency aid to Indonesia.", "AGREE", None, "JPN", "AID"),
        ("Kenya said it would not accept more refugees from Somalia.", "REJECT", None, "KEN", "AGREE"),
        (
            "Iran said it will attack Israeli bases if the strikes continue.",
            "THREATEN",
            "violence",
            "IRN",
            "ASSAULT",
        ),
        (
            "Chad will withdraw its soldiers from Mali unless the junta holds elections.",
            "THREATEN",
            None,
            "TCD",
            "RETREAT",
        ),
    ],
)
def test_stated_intention_is_the_main_event(sentence, intent, mode, source, content):
    result = code(sentence)
    event = result["events"][0]
    assert (event["type"], event["mode"]) == (intent, mode), result["events"]
    assert countries(event["source"]) == {source}
    assert any(e["type"] == content for e in result["events"][1:]), result["events"]


def test_complement_of_an_agreement_is_its_content():
    event = main_event("Kenya's opposition coalition agreed to postpone the protest in Nairobi.")
    assert event["type"] == "AGREE", event


def test_demand_targets_the_subject_of_what_is_demanded():
    event = main_event("Egypt demanded that Israel halt its attacks on Gaza.")
    assert event["type"] == "REQUEST"
    assert countries(event["source"]) == {"EGY"} and countries(event["target"]) == {"ISR"}


def test_reported_obligation_is_a_demand():
    event = main_event("France said that Iran must release the detained journalists.")
    assert event["type"] == "REQUEST" and event["trigger"] == "must"
    assert countries(event["source"]) == {"FRA"} and countries(event["target"]) == {"IRN"}


def test_participial_statement_of_demand_takes_the_issuer_as_source():
    event = main_event(
        "The rebel group issued a statement demanding that the Kenyan government free the prisoners."
    )
    assert event["type"] == "REQUEST" and "rebel" in names(event["source"]).lower()
    assert countries(event["target"]) == {"KEN"}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Inmates rioted at the central prison in Kabul, setting fire to mattresses.", "PROTEST"),
        ("Nigeria deployed troops to Borno to fight Boko Haram insurgents.", "MOBILIZE"),
    ],
)
def test_purpose_and_elaboration_rank_below_the_act(sentence, expected):
    assert main_event(sentence)["type"] == expected


def test_order_of_a_material_act_is_the_act_by_the_authority():
    event = main_event("The Ethiopian government ordered troops to seize the town of Adigrat.")
    assert event["type"] == "ASSAULT" and "ETH" in countries(event["source"])


def test_first_of_coordinated_acts_leads():
    event = main_event(
        "Brazil rejected the proposal and asked Argentina to reconsider its position on tariffs."
    )
    assert event["type"] == "REJECT" and countries(event["source"]) == {"BRA"}


def test_state_withdrawing_its_troops_is_a_retreat():
    event = main_event("Turkey withdrew its troops from northern Iraq on Sunday.")
    assert event["type"] == "RETREAT" and countries(event["source"]) == {"TUR"}


def test_failing_to_act_negates_the_act():
    result = code("Armenia and Azerbaijan failed to reach an agreement on the corridor.")
    reached = [e for e in result["events"] if e["trigger"] == "reach"]
    assert reached and all(e["negated"] for e in reached), result["events"]


def test_subordinate_event_without_actors_ranks_below_the_main_clause():
    event = main_event("Mali's government lifted the curfew that was imposed after deadly clashes in Gao.")
    assert event["type"] != "ASSAULT" and countries(event["source"]) == {"MLI"}, event


@pytest.mark.parametrize(
    ("sentence", "act", "target"),
    [
        ("Norway offered to hold talks with Colombia on Monday.", "AGREE", "COL"),
        ("Iran threatened to cut diplomatic ties with Bahrain.", "THREATEN", "BHR"),
    ],
)
def test_governing_act_takes_the_target_of_its_content(sentence, act, target):
    event = main_event(sentence)
    assert event["type"] == act and countries(event["target"]) == {target}, event


def test_reported_would_is_carried_speech_not_an_intention():
    result = code(
        "The Russian Defense Ministry complained that the militia crossed the river unopposed. "
        "In addition, the militia would attack Syrian troops."
    )
    assert not events_of(result, "THREATEN")
    attack = events_of(result, "ASSAULT")[0]
    assert attack["claim"]["status"] == "alleged" and attack["claim"]["speaker"]["country"] == "RUS"


def test_a_spokesman_makes_no_demand_of_his_own_ministry():
    result = code(
        "Russian Defense Ministry spokesman Igor Konashenkov said the ministry should publish the "
        "photographs."
    )
    assert not [e for e in events_of(result, "REQUEST") if "Defense" in names(e["target"])]


def test_headline_event_is_folded_into_the_lead():
    text = (
        "Rebels shell Kafr Nabl\nIDLIB, 14 March 2023 (Levant Wire) — Rebels shelled the town of Kafr Nabl "
        "on Monday, killing five civilians.\nThe army said it would respond."
    )
    result = polemos.extract(text)
    shelling = [e for e in events_of(result, "ASSAULT") if e["mode"] == "heavy-weapons"]
    assert len(shelling) == 1 and shelling[0]["fatalities"] == 5


@pytest.mark.parametrize(
    ("sentence", "sub_event"),
    [
        (
            "Army troops took control of the village of Karna after heavy fighting.",
            "Government regains territory",
        ),
        ("Rebels took control of two border posts on Friday.", "Non-state actor overtakes territory"),
        (
            "Soldiers have wrested control of a police camp from separatist fighters.",
            "Government regains territory",
        ),
    ],
)
def test_taking_control_of_a_place_is_a_territorial_change(sentence, sub_event):
    assault = events_of(code(sentence), "ASSAULT")
    assert assault and assault[0]["acled_sub_event_type"] == sub_event, assault


def test_a_participle_kills_with_the_weapon_of_its_main_clause():
    result = code("Warplanes flew sorties over rebel positions in the west, killing several fighters.")
    assault = events_of(result, "ASSAULT")
    assert assault and assault[0]["mode"] == "aerial", assault
    assert assault[0]["acled_sub_event_type"] == "Air/drone strike"


def _assault(trigger: str, mode: str | None, acled: tuple[str, str], salience: float) -> Event:
    sentence = "Nine were killed when a bomber struck the gate."
    return Event(
        id="",
        type="ASSAULT",
        mode=mode,
        context=[],
        cameo="19",
        acled_event_type=acled[0],
        acled_sub_event_type=acled[1],
        source=[],
        target=[],
        location=None,
        date=DateRange(None, None, "unknown"),
        fatalities=None,
        negated=False,
        hypothetical=False,
        claim=Claim(speaker={}, status="asserted"),
        sentence=sentence,
        span=(0, len(sentence)),
        trigger=trigger,
        salience=salience,
    )


def test_remote_violence_of_a_sentence_leads_a_bare_killing():
    killed = _assault("killed", None, ("Battles", "Armed clash"), 5.0)
    bombing = _assault("struck", "suicide-attack", ("Explosions/Remote violence", "Suicide bomb"), 4.2)
    _specific_assault_leads([killed, bombing])
    ranked = sorted([killed, bombing], key=lambda e: -e.salience)
    assert ranked[0] is bombing
    elsewhere = _assault("struck", "aerial", ("Explosions/Remote violence", "Air/drone strike"), 4.2)
    elsewhere.span = (100, 140)
    _specific_assault_leads([killed, elsewhere])
    assert elsewhere.salience < killed.salience


def test_remote_violence_told_first_leads_a_later_bare_killing():
    """'A suicide bomber set off a blast. … killing five': the later killing is the blast's toll."""
    blast = _assault("blast", "suicide-attack", ("Explosions/Remote violence", "Suicide bomb"), 4.2)
    killed = _assault("killed", None, ("Battles", "Armed clash"), 5.0)
    killed.span = (100, 140)
    _specific_assault_leads([killed, blast])
    assert blast.salience > killed.salience


@pytest.mark.parametrize(
    ("sentence", "event_type", "target"),
    [
        (
            "Peru threatened to cut diplomatic relations with Ecuador unless the raids stopped.",
            "THREATEN",
            "Ecuador",
        ),
        ("Kenya handed over two suspects to Uganda on Friday.", "RETREAT", "Uganda"),
    ],
)
def test_a_country_in_a_complement_or_after_a_handover_is_the_target(sentence, event_type, target):
    found = events_of(code(sentence), event_type)
    assert found, code(sentence)["events"]
    assert target in names(found[0]["target"])


# --- states named as places or adjectives; persons of the sentence's country ----------------------------


def _main(result: dict, event_type: str) -> dict:
    found = events_of(result, event_type)
    assert found, result["events"]
    return found[0]


def test_country_adjective_on_the_object_names_the_target_state():
    result = code("Norway turned down a Chilean offer to host the fisheries summit.")
    event = _main(result, "REJECT")
    assert [r["country"] for r in event["target"]] == ["CHL"]
    actor = next(a for a in result["actors"] if a["id"] == event["target"][0]["id"])
    assert actor["type"] == "state" and actor["mentions"] == []  # the adjective is no actor mention


def test_place_of_an_act_without_target_actor_is_the_target_state():
    result = code("The interior minister lifted the night curfew in Kenya on Tuesday.")
    event = _main(result, "CONCEDE")
    assert [r["country"] for r in event["target"]] == ["KEN"]


def test_place_target_reuses_the_documents_state_actor():
    result = code("Peru said on Monday it suspended flights to Ecuador. Ecuador protested the decision.")
    ids = {r["id"] for e in result["events"] for r in e["target"] + e["source"] if r["country"] == "ECU"}
    assert len(ids) == 1, result["events"]


def test_place_target_does_not_replace_a_target_actor():
    result = code("Rebels attacked UN peacekeepers near Goma in Congo.")
    event = _main(result, "ASSAULT")
    assert event["target"] and all(r["country"] != "COD" for r in event["target"]), event["target"]


def test_person_of_no_known_country_takes_the_one_country_of_the_sentence():
    result = code("President Tomas Varga dissolved the parliament of Slovakia on Friday.")
    event = result["events"][0]
    varga = [r for r in event["source"] if "Varga" in r["text"]]
    assert varga and varga[0]["country"] == "SVK", event


def test_person_keeps_no_country_when_the_sentence_names_two():
    result = code("President Tomas Varga criticised Hungary and Austria on Friday.")
    refs = [r for e in result["events"] for r in e["source"] if "Varga" in r["text"]]
    assert refs and all(r["country"] is None for r in refs), result["events"]


def test_adjective_on_an_unknown_group_of_people_names_the_source_country():
    result = code("Angry Bolivian landowners blocked the main highway on Monday.")
    event = _main(result, "PROTEST")
    assert [r["country"] for r in event["source"]] == ["BOL"], event["source"]
    actor = next(a for a in result["actors"] if a["id"] == event["source"][0]["id"])
    assert actor["type"] != "state" and actor["sector"] is None  # landowners, not the Bolivian state


def test_adjective_on_a_noun_act_names_its_source_state():
    result = code("Lebanon complained about two Moroccan air raids near Tyre.")
    raids = [e for e in events_of(result, "ASSAULT") if e["trigger"] == "raids"]
    assert raids and [r["country"] for r in raids[0]["source"]] == ["MAR"], result["events"]
    assert result["events"][0]["type"] == "ACCUSE"  # a named-only source does not lift the raids above


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Kenyan interior minister resigned on Monday as protesters threatened to storm parliament.",
            "RETREAT",
        ),
        (
            "Two hundred Ugandan rebels surrendered in Gulu following an army offensive in the district.",
            "RETREAT",
        ),
        (
            "Ghana announced a suspension of flights to Togo, a day after Togolese soldiers shot a Ghanaian.",
            "SANCTION",
        ),
    ],
)
def test_event_in_an_adjunct_ranks_below_the_main_clause(sentence, expected):
    assert main_event(sentence)["type"] == expected


def test_reported_obligation_leaves_no_room_for_the_classifier():
    events = code(
        "Turkey said on Monday that Greece must hand back the eight soldiers who fled across the border."
    )
    assert [e["type"] for e in events["events"]] == ["REQUEST"]
    assert all(e["coded_by"] == "lexicon" for e in events["events"])


def test_beating_of_detainees_is_an_assault():
    event = main_event("Prison guards in Harare routinely beat Zimbabwean inmates, a rights group said.")
    assert event["type"] == "ASSAULT" and event["mode"] == "beat"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Sudanese army lifted its blockade of the rebel-held town of Kadugli on Sunday.", "RETREAT"),
        ("The Kenyan government accepted the demands of striking doctors on Friday.", "CONCEDE"),
    ],
)
def test_act_on_an_event_outranks_the_event_it_acts_on(sentence, expected):
    assert main_event(sentence)["type"] == expected


@pytest.mark.parametrize(
    ("sentence", "expected", "mode"),
    [
        (
            "Kenyan and Somali officials failed to reach an agreement on the maritime border on Friday.",
            "REJECT",
            None,
        ),
        (
            "Norway is providing military intelligence to the Ukrainian army, the defence ministry said.",
            "AID",
            None,
        ),
        (
            "Iranian and Saudi diplomats arrived in Baghdad on Monday for talks on the war in Yemen.",
            "CONSULT",
            None,
        ),
        (
            "The Omani foreign minister launched a mediation effort between Iran and Bahrain.",
            "CONSULT",
            "third-party",
        ),
        ("Dock workers in Mombasa stopped work on Monday over unpaid wages.", "PROTEST", "strike"),
    ],
)
def test_general_vocabulary_of_main_events(sentence, expected, mode):
    event = main_event(sentence)
    assert event["type"] == expected and event["mode"] == mode


def test_ordered_suspension_of_a_newspaper_is_censorship_of_it():
    event = main_event(
        "The Zambian government ordered the independent newspaper The Post to suspend publication."
    )
    assert (event["type"], event["mode"]) == ("COERCE", "censor")
    assert "Zambian" in names(event["source"]) and "Post" in names(event["target"])
    assert "Post" not in names(event["source"])


def test_complement_of_an_agreement_is_its_content_without_a_named_source():
    sentence = (
        "The breakaway enclave has agreed to re-open its borders to UN peacekeepers who monitor the truce."
    )
    assert main_event(sentence)["type"] == "AGREE"


# --- crowd violence told elsewhere in the snippet makes a protest a riot ----------------------------------


def test_crowd_violence_in_another_sentence_makes_the_protest_violent():
    for text in (
        "Thousands of students marched in Ardovia on Friday. Later some of them threw stones at the police.",
        "Farmers rallied outside the parliament in Velmora after a week of street violence.",
        "Hundreds of workers held a protest in Tarsk on Monday. Some of them later set fire to a bus.",
    ):
        protests = events_of(code(text), "PROTEST")
        assert protests, text
        assert protests[0]["acled_sub_event_type"] == "Violent demonstration", text


def test_protest_against_violence_stays_peaceful():
    for text in (
        "Thousands of students marched in Ardovia on Friday against gun violence.",
        "Hundreds of women rallied in Velmora to condemn violence against journalists.",
        "Thousands of students marched in Ardovia on Friday.",
    ):
        protests = events_of(code(text), "PROTEST")
        assert protests, text
        assert protests[0]["acled_sub_event_type"] == "Peaceful protest", text


def test_crowd_violence_in_another_paragraph_leaves_the_protest_peaceful():
    text = (
        "Thousands of students marched in Ardovia on Friday.\n\n"
        "In an unrelated case, a court convicted two men of arson at a warehouse in Tarsk last year."
    )
    protests = events_of(code(text), "PROTEST")
    assert protests
    assert protests[0]["acled_sub_event_type"] == "Peaceful protest"


# --- driving an armed group from ground is a territorial change ------------------------------------------


def test_driving_militants_out_of_ground_is_government_regaining_territory():
    for text in (
        "Army troops drove the rebels out of three villages near Tarsk on Sunday.",
        "The insurgents were pushed back from several areas near the town on Monday.",
    ):
        assaults = events_of(code(text), "ASSAULT")
        assert assaults, text
        assert assaults[0]["acled_sub_event_type"] == "Government regains territory", text


def test_driving_people_out_without_ground_is_no_territorial_change():
    assaults = events_of(
        code("Army troops pushed back the rebels on Sunday, killing five of them."), "ASSAULT"
    )
    assert all(a["acled_sub_event_type"] != "Government regains territory" for a in assaults)


def test_a_claim_of_responsibility_names_the_claimant_as_the_doer():
    result = code("Al-Shabaab claimed responsibility for the attack on a hotel in Mogadishu.")
    (assault,) = events_of(result, "ASSAULT")
    assert assault["claim"]["cue"] == "claimed responsibility"
    assert assault["claim"]["speaker"]["name"] == "al-Shabaab"
    assert [ref["name"] for ref in assault["source"]] == ["al-Shabaab"]


def test_a_denial_of_responsibility_names_no_doer():
    result = code("Al-Shabaab denied any role in the attack on a hotel in Mogadishu.")
    assert all(not e["source"] or e["type"] != "ASSAULT" for e in result["events"])


# --- verbs that carry a noun trigger ------------------------------------------------------------------------


def test_noun_trigger_carried_through_a_preposition_takes_the_carriers_subject():
    for text in (
        "Kurdish militiamen were engaged in heavy fighting with Turkish troops near Afrin.",
        "Hamas fighters took part in the attack on the Israeli town.",
    ):
        assault = events_of(code(text), "ASSAULT")
        assert assault, text
        assert assault[0]["source"], (text, assault[0])


def test_measure_renewed_by_a_carrier_verb_has_its_actor():
    event = events_of(code("Israel reimposed a blockade on the Gaza Strip on Friday."), "COERCE")
    assert event and "Israel" in names(event[0]["source"])


def test_staged_is_read_as_stage_whatever_the_tagger_lemma():
    from polemos.events.coder import verb_lemmas

    class Fake:
        lower_ = "staged"
        lemma_ = "stag"

    assert "stage" in verb_lemmas(Fake())  # type: ignore[arg-type]


def test_people_from_an_organisation_act_for_it():
    protest = events_of(
        code(
            "Angry activists from the opposition Labour Party staged rallies in Nairobi against the leader."
        ),
        "PROTEST",
    )
    assert protest
    assert "Labour" in names(protest[0]["source"]), protest[0]


def test_opened_an_investigation_names_its_investigator():
    event = events_of(
        code("Judge Maria Lopez opened an investigation against five Peruvian police officers on Monday."),
        "ACCUSE",
    )
    assert event and "Maria Lopez" in names(event[0]["source"]), event


def test_reiterated_obligation_is_a_demand_of_the_obliged_state():
    result = code("The Dutch foreign minister reiterated that Syria must release the detained journalists.")
    request = events_of(result, "REQUEST")
    assert request, result["events"]
    assert any(r["country"] == "SYR" for r in request[0]["target"]), request[0]


def test_obligation_of_forces_named_by_adjective_targets_their_state():
    result = code("The Red Cross said the Iranian side must guarantee the safety of aid convoys.")
    request = events_of(result, "REQUEST")
    assert request, result["events"]
    assert any(r["country"] == "IRN" for r in request[0]["target"]), request[0]


def test_people_of_no_country_belong_to_the_country_of_their_phrase_or_sentence():
    result = code("Thousands of students throughout Kenya staged demonstrations on Saturday.")
    protest = events_of(result, "PROTEST")
    assert protest and protest[0]["source"][0]["country"] == "KEN", protest
    result = code("Demonstrators in Lima blocked a road on Sunday.")
    protest = events_of(result, "PROTEST")
    assert protest and protest[0]["source"][0]["country"] == "PER", protest


def test_international_bodies_get_no_country_from_their_sentence():
    result = code("The Pan-African Water Forum criticised Kenya over the dam project.")
    for event in result["events"]:
        for ref in event["source"]:
            if "Forum" in ref["text"]:
                assert ref["country"] is None, event


def test_ethnic_group_is_coded_by_the_country_it_lives_in():
    result = code(
        "Hundreds of ethnic Hungarians demonstrated in Cluj on Tuesday against the new language law."
    )
    protest = events_of(result, "PROTEST")
    assert protest and protest[0]["source"][0]["country"] == "ROU", protest
    result = code("Albanians of southern Montenegro protested against Montenegrin police on Friday.")
    protest = events_of(result, "PROTEST")
    assert protest and protest[0]["source"][0]["country"] == "MNE", protest


def test_investigated_abuses_target_their_perpetrators():
    result = code("Kenya is investigating alleged abuses by Somali militiamen against refugees.")
    accuse = events_of(result, "ACCUSE")
    assert accuse and any(r["country"] == "SOM" for r in accuse[0]["target"]), accuse


def test_agreeing_to_a_states_mediation_targets_that_state():
    result = code("Armenia has agreed to French mediation in the border dispute.")
    agree = events_of(result, "AGREE")
    assert agree and any(r["country"] == "FRA" for r in agree[0]["target"]), agree


def test_ending_ones_own_strike_or_a_restriction_is_a_concession():
    for text in (
        "The Kenyan teachers' union called off its national strike on Thursday.",
        "The Ugandan government cancelled the curfew in Gulu on Monday.",
    ):
        events = code(text)["events"]
        assert events and events[0]["type"] == "CONCEDE", (text, events)


def test_state_of_siege_is_a_legal_emergency_declared_by_its_government():
    events = code("The Bolivian government declared a state of siege in La Paz on Friday.")["events"]
    assert events and events[0]["type"] == "COERCE", events
    assert events[0]["source"], events[0]


def test_pressuring_someone_to_act_is_a_request():
    events = code("Chinese authorities have been pressuring Tibetan monks to end their protest.")["events"]
    assert events and events[0]["type"] == "REQUEST", events


def test_talks_between_two_parties_name_both():
    result = code("Norway hosted talks between Colombia and Venezuela in Oslo on Monday.")
    consult = events_of(result, "CONSULT")
    assert consult, result["events"]
    countries = {r["country"] for e in consult for r in e["source"] + e["target"]}
    assert {"COL", "VEN"} <= countries, consult


def test_sped_up_withdrawal_is_by_the_subject():
    result = code("France speeded up the withdrawal of its troops from Mali on Wednesday.")
    retreat = events_of(result, "RETREAT")
    assert retreat and any(r["country"] == "FRA" for r in retreat[0]["source"]), retreat


def test_aid_vocabulary_contribute_hand_over_and_rescue():
    for text in (
        "Japan will contribute 20 million dollars of aid to Haiti.",
        "Red Cross workers handed over 300 tons of food aid to villagers in Tigray.",
        "Army helicopters evacuated the wounded from the flooded town on Friday.",
    ):
        types = [e["type"] for e in code(text)["events"]]
        assert "AID" in types, (text, types)


def test_protest_by_unnamed_people_is_kept():
    events = code("Angry fundamentalists continued their hunger strike on Sunday.")["events"]
    assert events and events[0]["type"] == "PROTEST", events


def test_stance_participle_subject_is_the_source():
    result = code("Greece is opposed to Turkish membership of the bloc, a government spokesman said.")
    reject = events_of(result, "REJECT")
    assert reject and any(r["country"] == "GRC" for r in reject[0]["source"]), reject
    assert any(r["country"] == "TUR" for r in reject[0]["target"]), reject


def test_victims_of_a_noun_act_are_its_target():
    """'protesters died from gunfire': the subject of a verb of dying, tied to the act by a preposition, is
    whom the act struck; protesters struck by gunfire is excessive force, not a clash."""
    result = code("Six protesters died from gunfire during a rally in Baghdad on Sunday.")
    gunfire = [e for e in events_of(result, "ASSAULT") if e["trigger"] == "gunfire"]
    assert gunfire, result["events"]
    assert "protesters" in names(gunfire[0]["target"])
    assert gunfire[0]["acled_sub_event_type"] == "Excessive force against protesters"


def test_a_place_named_state_does_not_make_protesters_a_state():
    """'Khartoum, ... protesters were killed': the place the story is told from is no party beside the
    protesters that were killed; their kind decides the ACLED type."""
    result = code("Khartoum, Over 20 protesters were killed and dozens wounded Sunday, activists said.")
    killed = [e for e in events_of(result, "ASSAULT") if e["trigger"] == "killed"]
    assert killed, result["events"]
    assert killed[0]["acled_sub_event_type"] == "Excessive force against protesters"


def test_clashes_of_no_named_party_beside_protesters_are_a_riot():
    """'protesters threw stones during clashes': clashes whose parties go unnamed, in a sentence about
    protesters, are the crowd's fight (a violent demonstration), not an armed clash by default."""
    result = code("Hundreds of protesters burned tyres in the streets of Lima during clashes on Tuesday.")
    clashes = [e for e in events_of(result, "ASSAULT") if e["trigger"] == "clashes"]
    assert clashes, result["events"]
    assert clashes[0]["acled_sub_event_type"] == "Violent demonstration"
    armed = code("Fierce clashes erupted on Tuesday in the outskirts of the town.")
    assert all(e["acled_sub_event_type"] != "Violent demonstration" for e in events_of(armed, "ASSAULT")), (
        armed["events"]
    )


def test_a_default_attack_yields_to_the_folded_act_against_protesters():
    """'A civilian was killed as a result of police attacks against protesters': the killing (an attack on a
    civilian by default) takes the more telling kind of the act folded into it."""
    result = code(
        "A civilian was killed as a result of police attacks against protesters in the capital on Friday."
    )
    killed = [e for e in events_of(result, "ASSAULT") if e["trigger"] == "killed"]
    assert killed, result["events"]
    assert killed[0]["acled_sub_event_type"] == "Excessive force against protesters"


@pytest.mark.parametrize(
    ("sentence", "event_type", "country"),
    [
        ("The Peruvian government is prepared to lift its ban on the Shining Path movement.", "AGREE", "PER"),
        (
            "Chilean police have opened an investigation into abuses committed by Bolivian soldiers.",
            "ACCUSE",
            "BOL",
        ),
        (
            "A shelter for Somali refugees was attacked by Kenyan militiamen, the agency said.",
            "ASSAULT",
            "SOM",
        ),
        ("Hackers from Iran tried to break into the computers of Saudi army officers.", "COERCE", "SAU"),
    ],
)
def test_an_act_without_target_is_aimed_at_an_actor_deeper_in_its_phrase(sentence, event_type, country):
    event = _main(code(sentence), event_type)
    assert [r["country"] for r in event["target"]] == [country]
    assert not {r["id"] for r in event["target"]} & {r["id"] for r in event["source"]}


@pytest.mark.parametrize(
    ("sentence", "event_type", "country"),
    [
        ("Spain mobilized naval reservists for a possible war against Morocco on Friday.", "MOBILIZE", "MAR"),
        (
            "Chile lodged a formal protest with Peru, charging its neighbour with arming smugglers.",
            "ACCUSE",
            "PER",
        ),
    ],
)
def test_a_nameless_countryless_target_is_joined_by_the_state_deeper_in_the_phrase(
    sentence, event_type, country
):
    event = _main(code(sentence), event_type)
    assert country in [r["country"] for r in event["target"]]


def test_the_victims_of_a_violent_act_are_not_joined_by_a_state():
    event = _main(code("Gunmen shot dead three farmers on a road leading to Kandahar."), "ASSAULT")
    assert all(r["country"] != "AFG" or r["text"] != "Kandahar" for r in event["target"])


def test_the_parties_of_a_mediation_effort_are_its_targets():
    event = _main(code("Norway launched a mediation effort between Sudan and Chad on Friday."), "CONSULT")
    assert {"SDN", "TCD"} <= {r["country"] for r in event["target"]}
