"""Event lexicons: validity against PLOVER/CAMEO/ACLED, ACLED mapping, spaCy lemmas, loader errors."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from polemos.events.lexicon import (
    DATA_DIR,
    Lexicon,
    context_allows,
    governs_object,
    load_lexicon,
    load_lexicon_from,
    phrase_tokens,
    singular_forms,
)

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip

# ACLED Codebook (2023+): event type -> sub-event types, spelled as ACLED writes them.
ACLED_CODEBOOK = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def nlp():
    from polemos.nlp import load_nlp

    return load_nlp()


def _valid_acled(pair: tuple[str, str] | None) -> bool:
    return pair is None or pair[1] in ACLED_CODEBOOK.get(pair[0], set())


# ------------------------------------------------------------------------------------------ validity


def test_plover_types_modes_and_contexts(lex: Lexicon) -> None:
    assert set(lex.plover_types) == PLOVER_TYPES
    assert {"military", "human_security", "pro_democracy", "cbrn", "repression"} <= set(lex.contexts)
    assert set(lex.plover_types["ASSAULT"]["modes"]) >= {"aerial", "drone", "heavy-weapons", "explosives"}
    assert set(lex.plover_types["REQUEST"]["modes"]) == {"assist", "change", "yield", "meet"}
    assert lex.plover_types["AGREE"]["modes"] == {}
    assert lex.quad("ASSAULT") == "material_conflict" and lex.quad("CONSULT") == "verbal_cooperation"
    assert lex.plover_types["AID"]["requires_recipient"] is True
    assert lex.plover_types["ASSAULT"]["cameo_roots"] == ("18", "19", "20")


def test_acled_taxonomy_is_the_codebook(lex: Lexicon) -> None:
    assert {k: set(v) for k, v in lex.acled_taxonomy.items()} == ACLED_CODEBOOK


def test_every_trigger_is_valid(lex: Lexicon) -> None:
    assert len(lex.triggers) > 300
    for t in lex.triggers:
        spec = lex.plover_types[t.type]
        assert t.mode is None or t.mode in spec["modes"], t
        assert set(t.context) <= set(lex.contexts), t
        assert _valid_acled(t.acled), t
        assert t.pos and 0 <= t.head < len(t.lemmas), t
        assert all(lemma == lemma.lower() for lemma in t.lemmas), t
        assert t.needs is None or t.needs in lex.needs, t
        assert 0 < t.weight <= 2


def test_speech_and_mode_cues_are_valid(lex: Lexicon) -> None:
    for cue in lex.speech:
        assert cue.status in {"asserted", "alleged", "denied"}
        assert cue.kind in {"verb", "phrase", "adverb"}
        if cue.event_type is not None:
            assert cue.event_type in PLOVER_TYPES and cue.cameo is not None
            assert cue.event_mode is None or cue.event_mode in lex.plover_types[cue.event_type]["modes"]
    for cue in lex.modes:
        for type_ in cue.applies_to:
            assert cue.mode in lex.plover_types[type_]["modes"], cue


def test_trigger_cameo_codes_agree_with_cameo_to_plover(lex: Lexicon) -> None:
    checked = 0
    for t in lex.triggers:
        if t.cameo in lex.cameo_table:
            assert lex.cameo_table[t.cameo][0] == t.type, t
            checked += 1
        else:
            assert lex.cameo_root(t.cameo) in lex.plover_types[t.type]["cameo_roots"], t
    assert checked > 200


def test_cameo_table_rows_are_valid_and_reconciled(lex: Lexicon) -> None:
    assert len(lex.cameo_table) > 250
    for code, (type_, mode, contexts) in lex.cameo_table.items():
        assert type_ in PLOVER_TYPES, code
        assert mode is None or mode in lex.plover_types[type_]["modes"], code
        assert set(contexts) <= set(lex.contexts), code
    assert lex.cameo_table["1831"][:2] == ("ASSAULT", "suicide-attack")
    assert lex.cameo_table["163"][:2] == ("SANCTION", "discontinue")
    assert lex.cameo_table["195"][1] == "aerial"
    assert lex.cameo_table["186"][1] == "targeted"
    assert lex.cameo_table["073"][2] == ("human_security",)
    assert lex.cameo_table["192"][0] == "COERCE"  # occupy territory: under CAMEO 19, but PLOVER COERCE
    assert lex.cameo_root("1831") == "18"


def test_speech_events_agree_with_triggers_of_the_same_lemma(lex: Lexicon) -> None:
    for cue in lex.speech:
        if cue.event_type is None or len(cue.lemmas) > 1:
            continue
        types = {t.type for t in lex.triggers_for(cue.head_lemma) if set(t.pos) & set(cue.pos)}
        if types:
            assert cue.event_type in types, cue


def test_trigger_lookup_order_prefers_phrases(lex: Lexicon) -> None:
    entries = lex.triggers_for("strike")
    lengths = [len(t.lemmas) for t in entries]
    assert lengths == sorted(lengths, reverse=True) and lengths[0] > 1
    single = [t for t in entries if len(t.lemmas) == 1]
    assert single[0].type == "PROTEST" and "ASSAULT" in {t.type for t in single}
    assert lex.triggers_for("STRIKE") == entries
    assert lex.triggers_for("no-such-lemma") == []


# --------------------------------------------------------------------------------------- ACLED mapping


ERV, VAC, SD = "Explosions/Remote violence", "Violence against civilians", "Strategic developments"


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("ASSAULT", "aerial", None, None, False), {}, (ERV, "Air/drone strike")),
        (("ASSAULT", "drone", "civilians", "state", False), {}, (ERV, "Air/drone strike")),
        (("ASSAULT", "heavy-weapons", None, None, False), {}, (ERV, "Shelling/artillery/missile attack")),
        (("ASSAULT", "explosives", None, None, False), {"cues": ["grenade"]}, (ERV, "Grenade")),
        (("ASSAULT", "explosives", None, None, False), {}, (ERV, "Remote explosive/landmine/IED")),
        (("ASSAULT", "suicide-attack", None, None, False), {}, (ERV, "Suicide bomb")),
        (("ASSAULT", "unconventional", None, None, False), {}, (ERV, "Chemical weapon")),
        (("ASSAULT", None, "civilians", "nonstate_armed", False), {}, (VAC, "Attack")),
        (("ASSAULT", "firearms", "civilians", None, False), {}, (VAC, "Attack")),
        (("ASSAULT", "sexual", None, None, False), {}, (VAC, "Sexual violence")),
        (
            ("ASSAULT", "abduct", "civilians", "nonstate_armed", False),
            {},
            (VAC, "Abduction/forced disappearance"),
        ),
        (
            ("ASSAULT", "abduct", "state", "nonstate_armed", False),
            {},
            (VAC, "Abduction/forced disappearance"),
        ),
        (("ASSAULT", None, "nonstate_armed", "state", False), {}, ("Battles", "Armed clash")),
        (("ASSAULT", None, None, "state", True), {}, ("Battles", "Government regains territory")),
        (
            ("ASSAULT", None, None, "nonstate_armed", True),
            {},
            ("Battles", "Non-state actor overtakes territory"),
        ),
        (
            ("ASSAULT", "firearms", "protesters", "state", False),
            {},
            ("Protests", "Excessive force against protesters"),
        ),
        (
            ("ASSAULT", "crowd-control", "protesters", "state", False),
            {},
            ("Protests", "Protest with intervention"),
        ),
        (
            ("ASSAULT", "heavy-weapons", None, None, False),
            {"cues": ["disrupted"]},
            (SD, "Disrupted weapons use"),
        ),
        (("PROTEST", "riot", None, None, False), {}, ("Riots", "Violent demonstration")),
        (("PROTEST", "demo", None, None, False), {}, ("Protests", "Peaceful protest")),
        (("COERCE", "arrest", "civilians", "state", False), {}, (SD, "Arrests")),
        (("RETREAT", "withdraw", None, "state", True), {}, (SD, "Non-violent transfer of territory")),
        (
            ("MOBILIZE", None, None, "state", False),
            {"cues": ["base"]},
            (SD, "Headquarters or base established"),
        ),
        (("SUPPORT", None, None, None, False), {"trigger_default": (SD, "Agreement")}, (SD, "Agreement")),
        (("ACCUSE", "allege", "state", "state", False), {}, None),
        (("REQUEST", None, None, None, False), {}, None),
        (("THREATEN", "violence", "state", "nonstate_armed", False), {}, None),
        (("CONSULT", "visit", None, None, False), {}, None),
        (("SUPPORT", None, None, None, False), {}, None),
        (("COERCE", "censor", None, "state", False), {}, None),
    ],
)
def test_acled_for(lex: Lexicon, args: tuple, kwargs: dict, expected: tuple[str, str] | None) -> None:
    assert lex.acled_for(*args, **kwargs) == expected


def test_acled_for_uses_trigger_default_only_when_nothing_more_specific(lex: Lexicon) -> None:
    massacre = ("Violence against civilians", "Attack")
    assert lex.acled_for("ASSAULT", "targeted", None, None, False, trigger_default=massacre) == massacre
    # a weapon mode beats the trigger's default
    assert (
        lex.acled_for("ASSAULT", "aerial", None, None, False, trigger_default=massacre)[1]
        == "Air/drone strike"
    )
    # unknown capturer: the trigger's default ("retake" -> Government regains territory)
    regains = ("Battles", "Government regains territory")
    assert lex.acled_for("ASSAULT", None, None, None, True, trigger_default=regains) == regains
    # state bombing without an aircraft cue is an air strike, a non-state one an IED
    assert (
        lex.acled_for("ASSAULT", "explosives", None, "state", False, cues=["bombing"])[1]
        == "Air/drone strike"
    )
    assert lex.acled_for("ASSAULT", "explosives", None, "nonstate_armed", False, cues=["bombing"])[1] == (
        "Remote explosive/landmine/IED"
    )


def test_acled_for_accepts_kind_aliases(lex: Lexicon) -> None:
    assert lex.acled_for("ASSAULT", None, None, "nonstate", True) == (
        "Battles",
        "Non-state actor overtakes territory",
    )
    assert lex.acled_for("ASSAULT", None, "civilian", "igo", False) == (VAC, "Attack")


def test_every_acled_rule_result_is_a_codebook_pair(lex: Lexicon) -> None:
    assert lex.acled_rules[-1].acled is None and lex.acled_rules[-1].type is None  # catch-all: not coded
    for rule in lex.acled_rules:
        assert _valid_acled(rule.acled), rule


def test_pick_mode_and_actor_kind(lex: Lexicon) -> None:
    assert lex.pick_mode("ASSAULT", ["aerial", "drone"]) == "drone"
    assert lex.pick_mode("ASSAULT", ["firearms", "suicide-attack", "explosives"]) == "suicide-attack"
    assert lex.pick_mode("ASSAULT", ["crowd-control", "firearms"]) == "crowd-control"
    assert lex.pick_mode("ASSAULT", ["troops"]) is None
    assert lex.actor_kind("MIL") == "state" and lex.actor_kind("cop") == "state"
    assert lex.actor_kind("REB") == "nonstate_armed" and lex.actor_kind("UAF") == "nonstate_armed"
    assert lex.actor_kind("CVL") == "civilians"
    assert lex.actor_kind(None, "protester") == "protesters"
    # armed units named by their formation ("the Fifth Corps", "a brigade") are armed parties, not civilians
    assert lex.actor_kind(None, "Corps") == "state" and lex.actor_kind(None, "brigades") == "state"
    assert lex.actor_kind(None, "villager") == "civilians"
    assert lex.actor_kind(None, None) is None


def test_actor_kind_from_plural_head_words_and_over_civilian_sectors(lex: Lexicon) -> None:
    assert lex.actor_kind(None, "protesters") == "protesters"
    assert lex.actor_kind(None, "Gunmen") == "nonstate_armed"
    assert lex.actor_kind(None, "militias") == "nonstate_armed"
    assert lex.actor_kind(None, "families") == "civilians"
    # a crowd of protesters is coded CVL by the actor coder; ACLED tells protesters from other civilians
    assert lex.actor_kind("CVL", "protesters") == "protesters"
    assert lex.actor_kind("CVL", "rioters") == "protesters"
    assert lex.actor_kind("CVL", "farmers") == "civilians"
    # a state or armed sector is never overridden by the head word
    assert lex.actor_kind("COP", "protesters") == "state"
    assert lex.actor_kind("REB", "villagers") == "nonstate_armed"


def test_singular_forms() -> None:
    assert "gunman" in singular_forms("gunmen")
    assert "militia" in singular_forms("Militias")
    assert "family" in singular_forms("families")
    assert "force" in singular_forms("forces")
    assert singular_forms("") == []
    assert singular_forms("press") == ["press"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # lethal force against protesters, whoever uses it, is excessive force (ACLED Codebook)
        (
            {"target_kind": "protesters", "source_kind": "state"},
            ("Protests", "Excessive force against protesters"),
        ),
        (
            {"target_kind": "protesters", "source_kind": None},
            ("Protests", "Excessive force against protesters"),
        ),
        (
            {"target_kind": "protesters", "source_kind": "nonstate_armed"},
            ("Protests", "Excessive force against protesters"),
        ),
        ({"target_kind": "protesters", "source_kind": "civilians"}, ("Riots", "Mob violence")),
        # protesters fighting the police riot; less-lethal force is an intervention
        ({"target_kind": "state", "source_kind": "protesters"}, ("Riots", "Violent demonstration")),
        ({"target_kind": "protesters", "source_kind": "protesters"}, ("Riots", "Violent demonstration")),
        (
            {"mode": "crowd-control", "target_kind": "protesters", "source_kind": "state"},
            ("Protests", "Protest with intervention"),
        ),
        # arson with no human target is property destruction, whatever the fire's mode
        (
            {"mode": "primitive", "source_kind": "nonstate_armed", "cues": ("property",)},
            ("Strategic developments", "Looting/property destruction"),
        ),
        (
            {"mode": "primitive", "target_kind": "civilians", "cues": ("property",)},
            ("Violence against civilians", "Attack"),
        ),
    ],
)
def test_acled_for_violence_at_protests_and_property(
    lex: Lexicon, kwargs: dict, expected: tuple[str, str]
) -> None:
    args = {"mode": None, "target_kind": None, "source_kind": None, "territory": False, **kwargs}
    cues = args.pop("cues", ())
    assert lex.acled_for("ASSAULT", **args, cues=cues) == expected


def test_acled_for_troop_moves_is_change_to_group_activity(lex: Lexicon) -> None:
    assert lex.acled_for("MOBILIZE", "troops", None, "state", False) == (
        "Strategic developments",
        "Change to group/activity",
    )
    assert lex.acled_for("MOBILIZE", None, None, "state", False, cues=("base",)) == (
        "Strategic developments",
        "Headquarters or base established",
    )


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        ("Police seized two rifles and a pistol in Kano.", "seized", True),
        ("Two rifles and a pistol were seized in Kano.", "seized", True),
        ("They showed the rifles troops seized in the raid.", "seized", True),
        ("Police found an arms cache near the border.", "found", True),
        ("Police found a cache of ammunition near the border.", "found", True),
        ("Weapons found in the house were handed over.", "found", True),
        ("The seizure of weapons in the port alarmed officials.", "seizure", True),
        ("Rebels seized the town of Kidal.", "seized", False),
        ("Investigators found that the bomb was homemade.", "found", False),
    ],
)
def test_governs_object(nlp, sentence: str, word: str, expected: bool) -> None:
    token = next(t for t in nlp(sentence) if t.text == word)
    weapons = ["weapon", "arm", "ammunition", "rifle", "pistol", "cache", "bomb"]
    assert governs_object(token, weapons) is expected


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        ("Police confiscated two rifles in Kano.", "confiscated", ("COERCE", "Disrupted weapons use")),
        ("Soldiers discovered a weapons cache in Dara.", "discovered", ("COERCE", "Disrupted weapons use")),
        ("Engineers defused a roadside bomb.", "defused", ("COERCE", "Disrupted weapons use")),
        (
            "Customs officers intercepted a shipment of guns.",
            "intercepted",
            ("COERCE", "Disrupted weapons use"),
        ),
        ("Air defences intercepted two drones.", "intercepted", ("ASSAULT", "Disrupted weapons use")),
        (
            "Turkish troops set up an observation post.",
            "set",
            ("MOBILIZE", "Headquarters or base established"),
        ),
        (
            "The rebels established two bases.",
            "established",
            ("MOBILIZE", "Headquarters or base established"),
        ),
        ("Fighters defected to the army.", "defected", ("RETREAT", "Change to group/activity")),
        ("The two factions formed a new alliance.", "formed", ("MOBILIZE", "Change to group/activity")),
        ("Shops were looted overnight.", "looted", ("COERCE", "Looting/property destruction")),
        ("Protesters clashed with police.", "clashed", ("PROTEST", "Violent demonstration")),
        ("Rebels clashed with the army.", "clashed", ("ASSAULT", "Armed clash")),
        ("The protest turned violent.", "turned", ("PROTEST", "Violent demonstration")),
        (
            "Protesters threw stones at police during the protest.",
            "protest",
            ("PROTEST", "Violent demonstration"),
        ),
        ("Thousands joined the protest in the capital.", "protest", ("PROTEST", "Peaceful protest")),
        ("Police arrested 30 protesters at the rally.", "arrested", ("COERCE", "Protest with intervention")),
        ("Police arrested three smugglers.", "arrested", ("COERCE", "Arrests")),
    ],
)
def test_new_vocabulary_readings(lex: Lexicon, nlp, sentence: str, word: str, expected: tuple) -> None:
    trigger, _ = _first_allowed(lex, nlp, sentence, word)
    assert trigger is not None, sentence
    assert (trigger.type, trigger.acled[1] if trigger.acled else None) == expected


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("Police found the body of the driver.", "found"),  # not a weapon
        ("The army formed a government of national unity.", "formed"),
        ("Volunteers set up a camp for displaced families.", "set"),
        ("Mediators tried to defuse tensions.", "defuse"),
    ],
)
def test_new_vocabulary_is_constrained(lex: Lexicon, nlp, sentence: str, word: str) -> None:
    trigger, _ = _first_allowed(lex, nlp, sentence, word)
    assert trigger is None or trigger.acled is None or trigger.acled[0] != "Strategic developments", trigger


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("A gas explosion ripped through the factory.", "explosion"),
        ("A boiler blast injured twelve workers.", "blast"),
        ("The fireworks warehouse exploded on Sunday.", "exploded"),
        ("The volcano eruption killed 20 people.", "killed"),
        ("Engineers defused a roadside bomb near the market.", "bomb"),
    ],
)
def test_accidents_and_disrupted_weapons_are_not_attacks(lex: Lexicon, nlp, sentence: str, word: str) -> None:
    trigger, _ = _first_allowed(lex, nlp, sentence, word)
    assert trigger is None or trigger.type != "ASSAULT", (sentence, trigger)


# ------------------------------------------------------------------------------- spaCy lemma coverage


@pytest.mark.parametrize(
    ("sentence", "word", "expected_type"),
    [
        ("Israeli airstrikes killed 12 people in Gaza.", "airstrikes", "ASSAULT"),
        ("Israeli airstrikes killed 12 people in Gaza.", "killed", "ASSAULT"),
        ("The army shelled the town overnight.", "shelled", "ASSAULT"),
        ("Two attacks hit the city.", "attacks", "ASSAULT"),
        ("Clashes erupted near the border.", "Clashes", "ASSAULT"),
        ("Militiamen raped dozens of women.", "raped", "ASSAULT"),
        ("The militants abducted 20 girls.", "abducted", "ASSAULT"),
        ("The army retook the town on Monday.", "retook", "ASSAULT"),
        ("Rebels overran the base.", "overran", "ASSAULT"),
        ("They accused Russia of war crimes.", "accused", "ACCUSE"),
        ("Police arrested 30 protesters.", "arrested", "COERCE"),
        ("Thousands protested in the capital.", "protested", "PROTEST"),
        ("Russia deployed troops near the border.", "deployed", "MOBILIZE"),
        ("The ministers held talks in Doha.", "talks", "CONSULT"),
        ("Washington imposed sanctions on Moscow.", "sanctions", "SANCTION"),
        ("The group freed three hostages.", "freed", "RETREAT"),
        ("He threatened to retaliate.", "threatened", "THREATEN"),
        ("The UN demanded an inquiry.", "demanded", "REQUEST"),
    ],
)
def test_triggers_found_from_spacy_lemmas(
    lex: Lexicon, nlp, sentence: str, word: str, expected_type: str
) -> None:
    token = next(t for t in nlp(sentence) if t.text == word)
    assert expected_type in {t.type for t in lex.triggers_for(token.lemma_)}, (word, token.lemma_)


def _first_allowed(lex: Lexicon, nlp, sentence: str, word: str):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == word)
    sentence_lemmas = {t.lemma_ for t in token.sent} | {t.lower_ for t in token.sent}
    return next(
        ((trig, toks) for trig, toks in lex.match_triggers(token) if context_allows(trig, sentence_lemmas)),
        (None, None),
    )


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        ("Gunmen opened fire on worshippers at a mosque.", "opened", ("ASSAULT", "open fire")),
        ("Troops fired on protesters in the square.", "fired", ("ASSAULT", "fire")),
        ("Air strikes hit the port.", "strikes", ("ASSAULT", "air strike")),
        ("US strikes hit Houthi targets in Yemen.", "strikes", ("ASSAULT", "strike")),
        ("Teachers went on strike over unpaid wages.", "strike", ("PROTEST", "strike")),
        ("Prisoners began a hunger strike.", "strike", ("PROTEST", "hunger strike")),
        ("The government declared a state of emergency.", "emergency", ("COERCE", "state of emergency")),
        ("The SDF, backed by US combat aircraft, attacked the town.", "backed", ("AID", "back")),
        ("France backed the proposal.", "backed", ("SUPPORT", "back")),
        ("Demonstrators staged a sit-in outside parliament.", "sit", ("PROTEST", "sit - in")),
    ],
)
def test_phrases_and_disambiguation(
    lex: Lexicon, nlp, sentence: str, word: str, expected: tuple[str, str]
) -> None:
    trigger, tokens = _first_allowed(lex, nlp, sentence, word)
    assert trigger is not None, sentence
    assert (trigger.type, trigger.text) == expected


def test_fire_without_preposition_is_not_an_attack(lex: Lexicon, nlp) -> None:
    trigger, _ = _first_allowed(lex, nlp, "The president fired his defence minister.", "fired")
    assert trigger is None


def test_speech_and_mode_cues_from_spacy(lex: Lexicon, nlp) -> None:
    doc = nlp("According to officials, the militia reportedly killed five, a claim the army denied.")
    by_text = {t.text: t for t in doc}
    assert [c.status for c in lex.speech_for(by_text["reportedly"].lemma_)] == ["alleged"]
    assert lex.speech_for(by_text["denied"].lemma_)[0].status == "denied"
    according = lex.speech_for(by_text["According"].lemma_)
    assert according and phrase_tokens(according[0].lemmas, according[0].head, by_text["According"])
    assert according[0].speaker == "prep_object"
    accused = next(t for t in nlp("Kyiv accused Moscow of shelling.") if t.text == "accused")
    cue = lex.speech_for(accused.lemma_)[0]
    assert (cue.status, cue.event_type, cue.event_mode) == ("alleged", "ACCUSE", "allege")

    doc = nlp("Police fired tear gas at students after a drone hit the camp.")
    gas = next(t for t in doc if t.text == "gas")
    matched = [c for c in lex.mode_cues_for(gas.lemma_) if phrase_tokens(c.lemmas, c.head, gas)]
    assert [c.mode for c in matched] == ["crowd-control"]
    drone = next(t for t in doc if t.text == "drone")
    assert "drone" in {c.mode for c in lex.mode_cues_for(drone.lemma_)}


# --------------------------------------------------------------------------------------- loader errors


def _broken_copy(tmp_path: Path, filename: str, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / filename).read_text(encoding="utf-8")
    assert old in text
    (data / filename).write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("filename", "old", "new", "message"),
    [
        (
            "triggers.yaml",
            "[airstrike], pos: [NOUN], type: ASSAULT",
            "[airstrike], pos: [NOUN], type: BOMB",
            "airstrike",
        ),
        (
            "triggers.yaml",
            "[shell], pos: [VERB], type: ASSAULT, mode: heavy-weapons",
            "[shell], pos: [VERB], type: ASSAULT, mode: artillery",
            "artillery",
        ),
        (
            "triggers.yaml",
            'ACCUSE, mode: allege, cameo: "112"',
            'ACCUSE, mode: allege, cameo: "190"',
            "accuse",
        ),
        ("triggers.yaml", "acled: [Battles, Armed clash]}", "acled: [Battles, Armed Clash]}", "Armed Clash"),
        (
            "triggers.yaml",
            "[clash], pos: [VERB, NOUN]",
            "[clash], pos: [VERB, NOUN], contxt: [military]",
            "contxt",
        ),
        (
            "triggers.yaml",
            "[detonate], pos: [VERB], type: ASSAULT",
            "[detonate], pos: [VERB], standalone: perhaps, type: ASSAULT",
            "standalone",
        ),
        (
            "triggers.yaml",
            "[detonate], pos: [VERB], type: ASSAULT",
            "[detonate], pos: [VERB], objects: [[bomb]], type: ASSAULT",
            "objects",
        ),
        ("speech.yaml", 'REJECT, mode: null, cameo: "016"}', 'REJECT, mode: null, cameo: "2999"}', "2999"),
        ("acled.yaml", "acled: [Riots, Violent demonstration]}", "acled: [Riots, Violent Demo]}", "rule"),
        ("modes.yaml", "{lemmas: [sarin], mode: unconventional", "{lemmas: [sarin], mode: chemical", "sarin"),
        ("plover.yaml", "cameo_table: cameo2plover.tsv", "cameo_table: [unclosed", "plover.yaml"),
    ],
)
def test_broken_data_raises_value_error_naming_file_and_entry(
    tmp_path: Path, filename: str, old: str, new: str, message: str
) -> None:
    data = _broken_copy(tmp_path, filename, old, new)
    with pytest.raises(ValueError) as excinfo:
        load_lexicon_from(data)
    assert filename in str(excinfo.value) and message in str(excinfo.value)


def test_duplicate_trigger_is_rejected(tmp_path: Path) -> None:
    line = '  - {lemmas: [ambush], pos: [VERB, NOUN], type: ASSAULT, mode: null, cameo: "190",'
    line += " acled: [Battles, Armed clash]}\n"
    data = _broken_copy(tmp_path, "triggers.yaml", line, line + line)
    with pytest.raises(ValueError, match=r"triggers\.yaml.*ambush.*duplicates"):
        load_lexicon_from(data)


def test_unmodified_copy_loads(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    assert len(load_lexicon_from(data).triggers) == len(load_lexicon().triggers)


# ------------------------------------------------------------------------------ CAMEO table generator


def test_cameo_table_builder_reconciles_old_names() -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_cameo2plover.py"
    spec = importlib.util.spec_from_file_location("build_cameo2plover", script)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    sample = "\n".join(
        [
            "16: SANCTION",
            "163: COERCE, restrict,   diplomatic # Impose embargo, boycott, or sanctions",
            "18: ASSAULT",
            "186: ASSAULT, assassinate,    # Assassinate",
            "0333: AGREE,  , humanitarian # Express intent to provide humanitarian aid",
            "0861: RETREAT, access , peacekeeping # Receive deployment of peacekeepers",
        ]
    )
    roots, rows = module.parse(sample)
    assert roots == [("16", "SANCTION"), ("18", "ASSAULT")]
    by_code = {row[0]: row for row in rows}
    assert by_code["163"][1:3] == ["SANCTION", "discontinue"] and by_code["163"][5]
    assert by_code["186"][2] == "targeted"
    assert by_code["0333"][3] == "human_security"
    assert by_code["0861"][1:4] == ["RETREAT", "access", "peacekeeping"] and by_code["0861"][5] == ""
