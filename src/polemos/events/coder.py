"""The event coder: trigger words + dependency structure → PLOVER / CAMEO / ACLED event records.

For every sentence outside boilerplate, tokens whose lemma is in the trigger lexicon become candidate events;
their source and target actors come from the parse (subjects, objects, passive agents, "attack on X",
"X's offensive", appositions), their mode from weapon and method cues, their claim from the speech frame
that covers them (see ``polemos.claims``). Location and date are taken from the same sentence when it has
them, otherwise from the paragraph or the document, and the record says which.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from polemos import geo
from polemos.claims import SpeechFrame, actor_speaker, frame_covering, outlet_speaker
from polemos.events.arguments import (
    ActorIndex,
    agent_of,
    children,
    clause_subject,
    existential_negation,
    is_passive,
    prep_objects,
    state_words,
    unique_refs,
)
from polemos.events.lexicon import CrowdViolence, Lexicon, Trigger, context_allows, phrase_tokens
from polemos.model import ActorRef, Claim, Event, Location, Place
from polemos.nlp import sentence_index as index_of_sentence
from polemos.nlp import token_at
from polemos.time import TimeExpression, date_for_sentence

# Prepositions that introduce the target, by event type.
TARGET_PREPS = {
    "ASSAULT": {"on", "against", "at", "upon", "into", "with", "targeting", "between"},
    "COERCE": {"on", "against", "of"},
    "THREATEN": {"against", "with"},
    "PROTEST": {"against", "outside"},
    "AID": {"to", "for"},
    "SUPPORT": {"for", "to"},
    "COOPERATE": {"with", "between"},
    "CONSULT": {"with", "between"},  # "talks between X and Y", "mediation between X and Y"
    "AGREE": {"with", "between"},
    "REQUEST": {"from", "to", "of", "on"},
    "ACCUSE": {"against", "of"},
    "REJECT": {"from"},
    "SANCTION": {"on", "against", "with"},  # "cut ties with X"
    "MOBILIZE": {"against", "toward", "towards"},
    "RETREAT": {"from"},
    "CONCEDE": {"to"},
}
# Participles that state their subject's own stance ("is opposed to", "is committed to"), not an act on it.
STATIVE_PASSIVES = {
    "oppose",
    "commit",
    "determine",
    "dedicate",
    "devote",
    "resolve",
    "prepare",
    "dispose",
    "incline",
}
CONSENT_LEMMAS = {"agree", "consent", "accede", "assent"}
# Acts that answer another's proposal, call or demand: the one who made it is their target.
RESPONSE_TYPES = {"AGREE", "REJECT", "CONCEDE", "SUPPORT", "ACCUSE"}
# Verbs that carry a noun trigger: "carried out an airstrike", "launched an offensive".
LIGHT_VERBS = {
    "carry",
    "launch",
    "conduct",
    "stage",
    "mount",
    "perpetrate",
    "commit",
    "claim",
    "unleash",
    "wage",
    "begin",
    "start",
    "continue",
    "intensify",
    "step",
    "hold",
    "sign",
    "impose",
    "make",
    "issue",
    "deliver",
    "provide",
    "send",
    "lead",
    "take",
    "join",
    "resume",
    "announce",
    "order",
    "organize",
    "organise",
    "open",  # "opened fire", "opened an investigation", "opened talks"
    "complete",  # "completed their withdrawal"
    "finish",
    "speed",  # "speeded up the withdrawal"
    "accelerate",
    "hasten",
    # verbs that continue, renew or widen a measure already named: "extended the curfew", "reimposed the
    # blockade", "tightened the siege", "declared a ceasefire"
    "extend",
    "renew",
    "reimpose",
    "reinstate",
    "tighten",
    "escalate",
    "expand",
    "declare",
    "enforce",
    "pursue",
    "undertake",
    "initiate",
    "orchestrate",
    "spearhead",
    "give",
    "offer",
    "grant",
}
# Verbs that carry a noun trigger through a preposition: "engaged in ethnic cleansing", "took part in the
# protests", "resorted to violence". Their subject (also the grammatical subject of "were engaged in") acts.
PREP_CARRIERS = {
    ("engage", "in"),
    ("involve", "in"),
    ("participate", "in"),
    ("part", "in"),
    ("persist", "in"),
    ("resort", "to"),
    ("turn", "to"),
    ("embark", "on"),
}


def verb_lemmas(token: Token) -> set[str]:
    """The lemma of a verb, with the base forms its inflected text suggests: the tagger's lemma can miss
    ("staged" → "stag"), and a carrier verb is looked up under each."""
    word = token.lower_
    forms = {token.lemma_.lower(), word}
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.add(word[: -len(suffix)] + replacement)
    if word.endswith("ing") and len(word) > 5:
        forms |= {word[:-3], word[:-3] + "e"}
    return forms


def is_light_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and bool(verb_lemmas(token) & LIGHT_VERBS)


def _prep_carrier(prep: Token) -> Token | None:
    """The verb that carries a noun trigger through ``prep`` ("engaged in cleansing", "took part in the
    protests"), or None."""
    if prep.dep_ != "prep":
        return None
    verb = prep.head
    if verb.pos_ == "NOUN" and verb.lower_ == "part" and verb.head.pos_ == "VERB":
        return verb.head if (verb.lower_, prep.lower_) in PREP_CARRIERS else None
    if verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    if prep.lower_ == "in" and any(c.dep_ == "dobj" and c.lower_ == "part" for c in verb.children):
        return verb  # "took part in"
    if any((lemma, prep.lower_) in PREP_CARRIERS for lemma in verb_lemmas(verb)):
        return verb
    return None


FUTURE_HEADS = {
    "plan",
    "intend",
    "prepare",
    "vow",
    "pledge",
    "promise",
    "threaten",
    "expect",
    "aim",
    "seek",
    "want",
}
HYPOTHETICAL_AUX = {"could", "might", "may"}
# Events whose trigger sits in the complement of one of these ("agreed to postpone the demonstration",
# "demanded that X withdraw", "accused X of shelling") are that event's content, not events of their own
# standing: PLOVER codes the governing act, so they rank just below it.
GOVERNING_TYPES = {"AGREE", "REQUEST", "THREATEN", "REJECT", "CONCEDE", "ACCUSE"}
# Stated intentions ("X will provide aid", "X said it would boycott the talks", "X is willing to withdraw"):
# PLOVER (after CAMEO 03 and 13) codes an intent to cooperate as AGREE and an intent to harm as THREATEN,
# with the THREATEN mode given by the intended act. A refusal to cooperate ("will not accept") is REJECT.
INTENT_HEADS = {"willing", "ready", "prepared", "plan", "intend", "decide", "determined", "going"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
COOPERATIVE_INTENT = {"AID", "COOPERATE", "CONSULT", "SUPPORT", "RETREAT", "CONCEDE"}
THREAT_MODES = {
    "ASSAULT": {None: "violence"},
    "COERCE": {"arrest": "arrest", None: "restrict"},
    "SANCTION": {"expel": "expel", None: "relations"},
    "PROTEST": {None: "restrict"},
}
REFUSAL_MODES = {
    "AID": "assist",
    "COOPERATE": "assist",
    "CONSULT": "meet",
    "RETREAT": "yield",
    "CONCEDE": "yield",
}
INTENT_CAMEO = {"AGREE": "03", "THREATEN": "13", "REJECT": "12", "REQUEST": "10"}
ORDER_LEMMAS = {"order", "command", "instruct", "direct"}
MATERIAL_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "SANCTION", "RETREAT", "AID", "COOPERATE"}
DEMAND_MODALS = {"must", "should"}  # "X said Y must withdraw": X demands it of Y
TYPE_WEIGHT = {
    "ASSAULT": 3.0,
    "COERCE": 2.2,
    "PROTEST": 2.0,
    "MOBILIZE": 1.8,
    "THREATEN": 1.6,
    "SANCTION": 1.6,
    "RETREAT": 1.5,
    "AID": 1.4,
    "ACCUSE": 1.3,
    "AGREE": 1.3,
    "REJECT": 1.2,
    "REQUEST": 1.2,
    "COOPERATE": 1.2,
    "CONSULT": 1.1,
    "SUPPORT": 1.0,
    "CONCEDE": 1.0,
}
CONTEXT_WINDOW = 8  # tokens on each side of a trigger in which its context words count
KEPT_WITHOUT_ACTORS = {"ASSAULT", "PROTEST"}
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "POL"}
STATELESS_SECTORS = {"IGO", "NGO"}  # "Arab League Secretary-General X" acts for no country
ARMED_SECTORS = {"REB", "PRM", "UAF", "INS", "MIL", "COP"}
KILL_LEMMAS = {"kill", "die", "dead", "death", "fatality", "life", "slay", "massacre", "execute", "behead"}
INJURY_LEMMAS = {"injure", "wound", "hurt", "injury", "injured", "wounded"}
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}


@dataclass
class PlaceMention:
    span: tuple[int, int]
    place: Place
    relation: str | None


@dataclass
class CodingContext:
    """What the coder needs from earlier stages, for one document."""

    doc: Doc
    sents: list[Span]
    skip: set[int]  # sentence indexes that are boilerplate
    actors: ActorIndex
    frames: list[SpeechFrame]
    place_mentions: list[PlaceMention]
    expressions: list[TimeExpression]
    document_date: str | None
    site: str | None
    paragraph_of: list[int]
    headline: int | None = None  # index of the sentence that is the document's headline, if any
    # the learned type of a text, asked only when the lexicon finds no event: (PLOVER type, probability)
    classify: Callable[[str], tuple[str, float]] | None = None
    classify_threshold: float = 1.0
    sentence_starts: list[int] = field(init=False)
    places_by_sentence: dict[int, list[PlaceMention]] = field(init=False)
    focus: Place | None = field(init=False)

    def __post_init__(self) -> None:
        self.sentence_starts = [sent.start_char for sent in self.sents]
        self.places_by_sentence = {}
        for mention in self.place_mentions:
            number = index_of_sentence(self.sentence_starts, mention.span[0])
            self.places_by_sentence.setdefault(number, []).append(mention)
        self.focus = _document_focus(self)


def code_events(ctx: CodingContext, lexicon: Lexicon) -> list[Event]:
    """All events of the document, most salient first."""
    events: list[Event] = []
    speech_events: dict[int, Event] = {}
    for index, frame in enumerate(ctx.frames):
        if frame.inherited or frame.cue.event_type is None:
            continue
        event = _speech_event(ctx, frame, lexicon)
        speech_events[index] = event
        events.append(event)
    cue_tokens = {t.i for f in ctx.frames if f.cue.event_type for t in f.cue_tokens}
    for sentence_index, sent in enumerate(ctx.sents):
        if sentence_index in ctx.skip:
            continue
        for token in sent:
            if token.i in cue_tokens or ctx.actors.mention_at(token) is not None:
                continue
            trigger = _match_trigger(token, sent, lexicon)
            if trigger is None:
                continue
            event = _trigger_event(ctx, token, trigger, sentence_index, lexicon)
            if event is not None:
                events.append(event)
    _fill_speech_targets(ctx, speech_events, events)
    events = _fold_headline(ctx, _merge_clause_events(ctx, _deduplicate(events)))
    governed: dict[int, Event] = {}  # id(event) -> the event whose content it is
    led: dict[int, Event] = {}  # id(event) -> the first of the coordinated acts it follows
    events += _stated_intents(ctx, events, lexicon, governed)
    events += _modal_demands(ctx, events, lexicon, governed)
    # the classifier speaks only where the lexicon found nothing, reported demands included
    if not events and ctx.classify is not None and (classified := _classified_event(ctx, lexicon)):
        events.append(classified)
    _govern_by_syntax(ctx, events, speech_events, governed, led)
    _orders_as_acts(ctx, events, governed)
    _targets_from_content(events, governed)
    for number, event in enumerate(sorted(events, key=lambda e: e.span[0]), start=1):
        event.id = f"e{number}"
    for index, event in speech_events.items():
        ctx.frames[index].event_id = event.id
    for event in events:
        if event.claim.event == "pending":
            event.claim.event = None
    _link_claims(ctx, events)
    _link_denials(events)
    for event in events:
        event.salience = _salience(event, ctx)
    _rank_below_main_clause(ctx, events)
    _rank_below_host_clause(ctx, events, speech_events)
    _rank_below_governors(events, {**led, **governed})
    _specific_assault_leads(events)
    _riotous_protests(ctx, events, lexicon.crowd_violence)
    _clashes_at_protests(ctx, events, lexicon)
    _place_targets(ctx, events)
    _person_countries(ctx, events)
    _group_countries(ctx, events)
    _host_countries(ctx, events)
    return sorted(events, key=lambda e: (-e.salience, e.span[0]))


def _clashes_at_protests(ctx: CodingContext, events: list[Event], lexicon: Lexicon) -> None:
    """ "Protesters light fires amid tear gas during clashes": a clash or attack of no named party (an armed
    clash only by default) in a sentence that tells of protesters is the crowd's fight, a violent
    demonstration (ACLED Riots)."""
    for event in events:
        if event.type != "ASSAULT" or event.mode is not None or event.acled_sub_event_type != "Armed clash":
            continue
        sentence = _sentence_of(ctx, event.span[0])
        if not _only_places(ctx, event.source + event.target, sentence):
            continue
        if any(lexicon.actor_kind(None, token.lower_) == "protesters" for token in ctx.sents[sentence]):
            event.acled_event_type, event.acled_sub_event_type = "Riots", "Violent demonstration"


def _only_places(ctx: CodingContext, refs: list[ActorRef], sentence: int) -> bool:
    """Whether every actor of ``refs`` (none included) is a state named only by a place of the sentence."""
    return all(_named_by_place(ctx, ref, sentence) for ref in refs)


def _named_by_place(ctx: CodingContext, ref: ActorRef, sentence: int) -> bool:
    """Whether the actor is named by a place mention of the sentence ("Khartoum" standing for Sudan)."""
    return any(
        start <= ref.span[0] < end
        for start, end in (m.span for m in ctx.places_by_sentence.get(sentence, ()))
    )


def _riotous_protests(ctx: CodingContext, events: list[Event], cues: CrowdViolence) -> None:
    """A peaceful protest in a paragraph that tells of crowd violence elsewhere (another clause or sentence)
    is a violent demonstration."""
    violent_paragraphs: dict[int, bool] = {}
    for event in events:
        if event.type != "PROTEST" or event.acled_sub_event_type != "Peaceful protest":
            continue
        paragraph = ctx.paragraph_of[_sentence_of(ctx, event.span[0])]
        if paragraph not in violent_paragraphs:
            tokens = [
                token
                for index, sent in enumerate(ctx.sents)
                if ctx.paragraph_of[index] == paragraph and index not in ctx.skip
                for token in sent
            ]
            violent_paragraphs[paragraph] = _crowd_violence(tokens, cues)
        if violent_paragraphs[paragraph]:
            event.mode = "riot"
            event.acled_event_type, event.acled_sub_event_type = "Riots", "Violent demonstration"


def _crowd_violence(tokens: list[Token], cues: CrowdViolence) -> bool:
    """Whether the tokens (a paragraph) tell of violence of the kind crowds commit: rioting, looting, arson,
    thrown stones, fires set, or 'violence' that is not what the crowd opposes nor someone else's."""
    lemmas = {t.lemma_.lower() for t in tokens}
    if lemmas & cues.words:
        return True
    if lemmas & cues.throw_verbs and lemmas & cues.thrown_things:
        return True
    for token in tokens:
        lemma = token.lemma_.lower()
        if lemma == "fire" and token.pos_ == "NOUN" and token.head.lemma_.lower() in cues.fire_verbs:
            return True
        if lemma == "violence" and not _violence_not_by_crowd(token, cues):
            return True
    return False


def _violence_not_by_crowd(token: Token, cues: CrowdViolence) -> bool:
    near = {c.lemma_.lower() for c in token.children} | {token.head.lemma_.lower()}
    if token.head.head is not token.head:
        near.add(token.head.head.lemma_.lower())
    return bool(near & cues.not_by_crowd)


def _person_countries(ctx: CodingContext, events: list[Event]) -> None:
    """A person of no known country ("President Omar El Bashir lifted the curfew in Sudan", "rebels dismissed
    an appeal from President X") acts for the one country its sentence is about: the country of all the
    other actors and places of the sentence, when they name only one. Set on the event's reference only."""
    countries: dict[int, str | None] = {}
    for event in events:
        for ref in event.source + event.target:
            if ref.country is not None or ref.sector in STATELESS_SECTORS or not _is_person(ctx, ref):
                continue
            sentence = _sentence_of(ctx, ref.span[0])
            if sentence not in countries:
                countries[sentence] = _sentence_country(ctx, sentence)
            ref.country = countries[sentence]


def _group_countries(ctx: CodingContext, events: list[Event]) -> None:
    """People named by a common noun and of no known country ("Iraqi Kurds", "students throughout
    Indonesia", "workers", "prisoners rioted at a jail in Dili") belong to the country a nationality word or
    place in their own phrase names, else to the one country their sentence is about (as CAMEO codes such
    groups by where they are). Groups the actor dictionary names (transnational ones: al-Qaeda) are left
    alone. Set on the event's reference only."""
    countries: dict[int, str | None] = {}
    place_country = _place_country(ctx)
    for event in events:
        for ref in event.source + event.target:
            actor = ctx.actors.actors.get(ref.id)
            if (
                ref.country is not None
                or ref.sector in STATELESS_SECTORS
                or actor is None
                or (actor.code or None) not in (None, actor.sector)  # a dictionary's named group
                or actor.type not in ("non-state", "other")
                or _is_person(ctx, ref)
            ):
                continue
            span = ctx.doc.char_span(*ref.span, alignment_mode="expand")
            if span is None or _international_name(actor.name):
                continue
            head = span.root
            named = [country for country, _, _ in state_words(head, ctx.actors.token_mention, place_country)]
            named += _countries_after(head, GROUP_PREPS, place_country)
            if len(set(named)) == 1:
                ref.country = named[0]
                continue
            if named:
                continue
            sentence = _sentence_of(ctx, ref.span[0])
            if sentence not in countries:
                countries[sentence] = _sentence_country(ctx, sentence)
            ref.country = countries[sentence]


HOST_PREPS = {"in", "of", "from", "throughout", "across", "inside"}
GROUP_PREPS = HOST_PREPS - {"inside"}


def _countries_after(head: Token, preps: set[str], place_country: Callable[[Token], str | None]) -> list[str]:
    """Countries of the places named by ``preps`` phrases of ``head`` ("students throughout Indonesia")."""
    return [
        country
        for prep in children(head, {"prep"})
        if prep.lower_ in preps
        for obj in children(prep, {"pobj"})
        if (country := place_country(obj))
    ]


def _host_countries(ctx: CodingContext, events: list[Event]) -> None:
    """A people named by a nationality ("Albanians", "ethnic Turks", "ethnic Albanian guerrillas") is coded,
    as CAMEO codes ethnic groups, by the country it lives in, not the one its name recalls: the place its own
    phrase names ("Albanians of southern Serbia"), else, for an "ethnic" group, the place of the event
    ("ethnic Albanians demonstrated in Belgrade"). Set on the event's reference only."""
    place_country = _place_country(ctx)
    for event in events:
        for ref in event.source + event.target:
            actor = ctx.actors.actors.get(ref.id)
            if actor is None or actor.type == "state" or _is_person(ctx, ref):
                continue
            span = ctx.doc.char_span(*ref.span, alignment_mode="expand")
            if span is None:
                continue
            head = span.root
            ethnic = any(t.lower_ == "ethnic" for t in [*head.lefts, *span])
            people = head.tag_ in ("NNPS", "NNS") and geo.demonym_country(head.text) is not None
            if not (ethnic or people):
                continue
            hosts = set(_countries_after(head, HOST_PREPS, place_country))
            if not hosts and ethnic and event.location is not None and event.location.basis == "sentence":
                hosts = {event.location.country} if event.location.country else set()
            if len(hosts) == 1:
                ref.country = next(iter(hosts))


# Words of organisation names that reach beyond one country ("European Community", "World Water Forum",
# "Association of African Jurists"): such a body belongs to no country of the sentence.
INTERNATIONAL_WORDS = {
    "international",
    "world",
    "global",
    "nations",
    "european",
    "africa",
    "african",
    "asia",
    "asian",
    "pacific",
    "atlantic",
    "arab",
    "americas",
    "commonwealth",
    "regional",
}


def _international_name(name: str) -> bool:
    return bool(set(re.findall(r"[a-z]+", name.lower())) & INTERNATIONAL_WORDS)


def _is_person(ctx: CodingContext, ref: ActorRef) -> bool:
    actor = ctx.actors.actors.get(ref.id)
    if actor is not None and actor.type == "person":
        return True
    span = ctx.doc.char_span(*ref.span, alignment_mode="expand")
    return (
        actor is not None and actor.type == "other" and span is not None and span.root.ent_type_ == "PERSON"
    )


def _sentence_country(ctx: CodingContext, sentence: int) -> str | None:
    """The only country the actors and places of a sentence name, else None."""
    start = ctx.sentence_starts[sentence]
    end = ctx.sents[sentence].end_char
    found = {m.country for m in ctx.actors.mentions if start <= m.span[0] < end and m.country}
    found |= {m.place.country for m in ctx.places_by_sentence.get(sentence, ()) if m.place.country}
    return next(iter(found)) if len(found) == 1 else None


def _place_targets(ctx: CodingContext, events: list[Event]) -> None:
    """An act with no target actor that is done in or to a place ("lifted the curfew in Sudan", "sent
    observers to Bosnia", "rioted at a jail in northern Israel") targets the state the place lies in, as
    CAMEO/PLOVER coders code it (not aid: aid given in a place goes to its people); a noun act with no
    source is done by the state its adjective names ("Israeli air raids"). Filled after ranking: an actor
    found this way does not make the event more central."""
    for event in events:
        if event.trigger_span == (0, 0):
            continue
        trigger = _token_at(ctx.doc, event.trigger_span[0])
        if not event.source and trigger.pos_ == "NOUN":
            event.source = _states_named(ctx, [trigger])  # "Israeli air raids", "a US offensive"
        if event.type == "AID" or (event.target and not _countryless(event.target, event.type)):
            continue
        anchor = _anchor(ctx, event)
        if anchor.pos_ == "AUX" and anchor.head is not anchor:
            anchor = anchor.head  # "Israel will evacuate the settlements in Gaza": the intent's act
        inside = {t.idx for t in anchor.subtree}
        taken = [ref.span for ref in event.source + event.target]
        sentence = _sentence_of(ctx, event.span[0])
        if (found := _phrase_target(ctx, event, anchor)) is not None:
            event.target = event.target + [found]
            continue
        for mention in ctx.places_by_sentence.get(sentence, ()):
            if mention.span[0] not in inside or mention.place.country is None:
                continue
            if any(start <= mention.span[0] < end for start, end in taken):
                continue
            text = ctx.doc.text[mention.span[0] : mention.span[1]]
            event.target = event.target + [ctx.actors.state_ref(mention.place.country, text, mention.span)]
            break


def _countryless(target: list[ActorRef], event_type: str) -> bool:
    """A non-violent act whose targets are only nameless groups of no country or body ("mobilized reservists
    for a war against Iraq", "lodged a protest with Albania, charging its neighbour"): whom it is aimed at is
    still to be found deeper in its phrase; a violent act's victims are its target as they are."""
    if event_type in ("ASSAULT", "COERCE"):
        return False
    return not any(ref.country or ref.sector in ("IGO", "NGO") for ref in target)


# The parts of a clause that never hold whom its act is aimed at: its doer, its doer's clause, the one who
# tells of it.
NON_TARGET_DEPS = {"nsubj", "csubj", "agent", "parataxis", "expl"}


def _phrase_target(ctx: CodingContext, event: Event, anchor: Token) -> ActorRef | None:
    """An act with no target whose own phrase names, deeper down, an actor of known country or an
    international body ("prepared to lift the ban on the FIS", "its investigation into crimes by Croat
    forces", "a camp for Congolese refugees was attacked"): that actor, the first after the trigger (else the
    last before it). Not its doer (subject, agent), nor a speaker, nor what a reporting clause holds."""
    excluded: set[int] = set()
    for child in anchor.children:
        if child.dep_ in NON_TARGET_DEPS:
            excluded |= {t.i for t in child.subtree}
    speakers = {ref.id for frame in ctx.frames for ref in frame.speaker}
    cues = {t.i for frame in ctx.frames for t in frame.cue_tokens}
    taken = {ref.id for ref in event.source} | speakers
    trigger_start = event.trigger_span[0]
    before: ActorRef | None = None
    seen: set[int] = set()
    for token in anchor.subtree:
        if token.i in excluded or token.i in cues:
            continue
        index = ctx.actors.mention_at(token)
        if index is None or index in seen:
            continue
        seen.add(index)
        ref = ctx.actors.ref(index)
        if ref.id in taken or not (ref.country or ref.sector in ("IGO", "NGO", "igo", "ngo")):
            continue
        if ref.span[0] > trigger_start:
            return ref
        before = ref
    return before


# --- triggers -------------------------------------------------------------------------------------------


def _match_trigger(token: Token, sent: Span, lexicon: Lexicon) -> Trigger | None:
    """The first lexicon entry (most specific first) whose phrase, context and needs hold at ``token``."""
    candidates = lexicon.match_triggers(token)
    if not candidates:
        return None
    start, end = max(sent.start, token.i - CONTEXT_WINDOW), min(sent.end, token.i + CONTEXT_WINDOW + 1)
    window = token.doc[start:end]
    sentence_lemmas = {t.lemma_.lower() for t in window}
    for trigger, _tokens in candidates:
        if context_allows(trigger, sentence_lemmas) and _needs_met(trigger, token, lexicon):
            return trigger
    return None


def _needs_met(trigger: Trigger, token: Token, lexicon: Lexicon) -> bool:
    """The entry's syntactic constraint (``needs`` in triggers.yaml)."""
    needs = trigger.needs
    if not needs:
        return True
    words = set(lexicon.needs.get(needs, {}).get("lemmas", ()))
    objects = children(token, {"dobj", "nsubjpass"})
    if needs == "object":
        return bool(objects)
    if needs == "no_object":
        return not children(token, {"dobj"})
    if needs == "not_compound":
        return token.dep_ not in ("compound", "amod")
    if needs == "military_subject":
        return True  # checked once the source actors are known
    if needs == "human_object":
        return any(
            o.ent_type_ in ("PERSON", "NORP", "ORG", "GPE") or o.lemma_.lower() in HUMAN_NOUNS | HELD_NOUNS
            for o in objects
        )
    if needs == "place_object":
        return any(o.ent_type_ in ("GPE", "LOC", "FAC") or o.lemma_.lower() in words for o in objects)
    if needs == "place_subject":
        return any(
            s.ent_type_ in ("GPE", "LOC", "FAC") or s.lemma_.lower() in words
            for s in children(token, {"nsubj"})
        )
    if needs == "weapon_use":  # "rockets hit Sderot", "they fired mortars"
        governor = token.head
        return token.dep_ in ("nsubj", "dobj", "nsubjpass", "pobj") and (
            governor.lemma_.lower() in words or governor.head.lemma_.lower() in words
        )
    return True


GROUND_NOUNS = {
    "town",
    "city",
    "village",
    "base",
    "airport",
    "airbase",
    "hill",
    "position",
    "district",
    "area",
    "territory",
    "region",
    "province",
    "bridge",
    "checkpoint",
    "outpost",
    "crossing",
    "road",
    "highway",
    "port",
    "neighborhood",
    "neighbourhood",
    "suburb",
    "camp",
    "garrison",
    "headquarters",
    "stronghold",
    "enclave",
    "island",
    "oilfield",
    "field",
    "dam",
    "refinery",
    "capital",
    "settlement",
    "locality",
    "county",
    "zone",
    "front",
    "line",
    "ground",
}
HUMAN_NOUNS = {
    "people",
    "person",
    "civilian",
    "soldier",
    "fighter",
    "militant",
    "man",
    "woman",
    "child",
    "protester",
    "demonstrator",
    "journalist",
    "worker",
    "villager",
    "resident",
    "official",
    "officer",
    "policeman",
    "troop",
    "member",
    "leader",
    "commander",
    "student",
    "farmer",
    "family",
    "refugee",
    "prisoner",
    "hostage",
}

# People in someone's custody, the usual victims of beatings and torture.
HELD_NOUNS = {"detainee", "inmate", "captive", "internee"}

# Nouns for people: "Algerian landowners" are landowners of Algeria, not its state.
PEOPLE_NOUNS = (
    HUMAN_NOUNS
    | HELD_NOUNS
    | {
        "landowner",
        "youth",
        "pilgrim",
        "migrant",
        "activist",
        "settler",
        "tribesman",
        "peasant",
        "guerrilla",
        "guerilla",
        "national",
        "citizen",
        "voter",
        "trader",
        "employee",
        "fisherman",
        "miner",
        "missionary",
    }
)


# --- arguments --------------------------------------------------------------------------------------------


def _arguments(
    ctx: CodingContext, token: Token, trigger: Trigger, frame: SpeechFrame | None
) -> tuple[list[ActorRef], list[ActorRef]]:
    actors = ctx.actors
    source_tokens: list[Token] = []
    target_tokens: list[Token] = []
    preps = TARGET_PREPS.get(trigger.type, set())
    if (
        token.dep_ == "acomp"
        and token.pos_ in ("VERB", "ADJ")
        and trigger.type not in MATERIAL_TYPES | {"PROTEST"}
    ):  # "Greece is opposed to …": the subject's stance (but "two soldiers were left wounded")
        source_tokens, _ = clause_subject(token.head)
        target_tokens = prep_objects(token, preps | {"to"})
    elif token.pos_ in ("VERB", "AUX"):
        if is_passive(token) and token.lemma_.lower() in STATIVE_PASSIVES and not agent_of(token):
            # "Israel is opposed to French mediation", "Vietnam is committed to reform": a stance, not a
            # passive act: its subject holds it, about what follows "to"
            source_tokens = children(token, {"nsubjpass"})
            target_tokens = prep_objects(token, {"to"})
        elif is_passive(token):
            source_tokens = agent_of(token)
            target_tokens = children(token, {"nsubjpass"})
            if token.dep_ in ("acl", "relcl") and not target_tokens:
                target_tokens = [token.head]  # "militias backed by Iran" → militias
            if not target_tokens and token.dep_ in ("advcl", "conj"):
                target_tokens, _ = clause_subject(token.head)  # "…, which … get supported" → its antecedent
            if not source_tokens and trigger.type in ("AID", "SUPPORT", "COOPERATE"):
                source_tokens = _oblique_actors(token, ctx)
        else:
            source_tokens, _ = clause_subject(token)
            target_tokens = children(token, {"dobj", "dative", "attr"}) + prep_objects(token, preps)
            for obj in children(token, {"dobj"}):  # "cut ties with X", "sent aid to X"
                if not actors.refs_in_phrase(obj):
                    target_tokens += prep_objects(obj, preps)
                    if trigger.type in RESPONSE_TYPES:  # "rejected calls by X", "accepted an offer from X"
                        target_tokens += agent_of(obj) + prep_objects(obj, {"from"})
            if trigger.type == "REQUEST":  # "demanded that the US cancel the sale" → the US
                target_tokens += [s for c in children(token, {"ccomp"}) for s in children(c, {"nsubj"})]
            if token.lemma_.lower() in CONSENT_LEMMAS:  # "agreed to US mediation", "consented to a Thai plan"
                target_tokens += prep_objects(token, {"to"})
            if trigger.type == "RETREAT" and children(token, {"dobj"}):  # "handed two suspects over to X"
                target_tokens += prep_objects(token, {"to"})
            if not _actors_in(ctx, target_tokens) and trigger.type in INTENT_TYPES:
                target_tokens += _complement_targets(token)  # "threatened to cut ties with X" → X
            if token.dep_ in ("acl",) and token.tag_ == "VBN" and not target_tokens:
                target_tokens = [token.head]
    else:  # noun trigger
        source_tokens = children(token, {"poss"}) + agent_of(token)
        source_tokens += [
            c
            for c in token.children
            if c.dep_ in ("compound", "amod", "nmod") and actors.mention_at(c) is not None
        ]
        target_tokens = prep_objects(token, preps | {"of"} if trigger.type != "ACCUSE" else preps)
        if trigger.type == "REQUEST":  # "its demand that Israel ease restrictions" → Israel
            target_tokens += [s for c in children(token, {"acl", "ccomp"}) for s in children(c, {"nsubj"})]
        nominal = token
        if token.dep_ == "compound" and token.head.pos_ == "NOUN":
            nominal = token.head  # "launched a mediation effort": the effort is the mediation
            target_tokens += prep_objects(nominal, preps)  # "a mediation effort between X and Y"
        elif (
            token.dep_ == "pobj"
            and token.head.lower_ == "of"
            and token.head.head.lemma_.lower() in trigger.lemmas[: trigger.head]
        ):
            nominal = token.head.head  # "declared a state of siege": the phrase is the state
        carrier = nominal.head
        if nominal.dep_ in ("dobj", "nsubjpass") and is_light_verb(carrier) and not source_tokens:
            if is_passive(carrier):
                source_tokens = agent_of(carrier)
            else:
                source_tokens, _ = clause_subject(carrier)
            target_tokens += prep_objects(carrier, preps)
        elif nominal.dep_ in ("pobj", "pcomp") and not source_tokens and _prep_carrier(nominal.head):
            verb = _prep_carrier(nominal.head)
            assert verb is not None
            source_tokens = children(verb, {"nsubjpass"}) or clause_subject(verb)[0]
            target_tokens += prep_objects(verb, preps)
        elif (
            trigger.type == "CONSULT"
            and token.dep_ == "pobj"
            and token.head.lower_ == "for"
            and token.head.head.pos_ == "VERB"
            and not source_tokens
        ):  # "negotiators arrived in Geneva for talks": those who came are those who talk
            source_tokens, _ = clause_subject(token.head.head)
        elif trigger.type == "ASSAULT" and nominal.dep_ == "pobj" and _suffered_through(nominal.head):
            # "four protesters died from gunfire", "civilians were wounded in the shelling": the
            # subject of the suffering verb is whom the act struck
            target_tokens += children(nominal.head.head, {"nsubj", "nsubjpass"})
    target_tokens = [t for t in target_tokens if not actors.is_apposed(t)]
    if (
        frame is not None
        and frame.accused
        and (not source_tokens or (token.dep_ == "conj" and token.head in frame.cue_tokens))
    ):
        source_tokens = []  # "accused the Russians of attacking …, and injured …" → the Russians
    source = [ref for t in source_tokens for ref in actors.refs_in_phrase(t)]
    target = [ref for t in target_tokens for ref in actors.refs_in_phrase(t)]
    if not source and frame is not None and frame.accused:
        source = list(frame.accused)
    if (
        not source
        and token.dep_ == "acl"
        and token.head.dep_ == "dobj"
        and not actors.refs_in_phrase(token.head)
    ):
        subjects, _ = clause_subject(token.head.head)  # "issued a statement demanding …" → the issuer
        source = [ref for t in subjects for ref in actors.refs_in_phrase(t)]
    if not source and not (frame is not None and frame.accused):
        # "Palestinian prisoners rioted": the people (or state) an adjective or place names
        source = _states_named(ctx, source_tokens)
    source = unique_refs(source)
    source_ids = {s.id for s in source}
    own = {
        ref.id
        for t in target_tokens
        if _owned_by(ctx, t, source_ids)
        for ref in actors.refs_in_phrase(t)
        if ref.sector in ARMED_SECTORS or ref.id in source_ids
    }
    target = [ref for ref in unique_refs(target) if ref.id not in source_ids | own]
    if (
        not target
    ):  # "sanctions on Iran", "rejected an Indian proposal": the state the place or adjective names
        target = [ref for ref in _states_named(ctx, target_tokens) if ref.id not in source_ids]
    return source, target


DEATH_LEMMAS = {"die", "perish", "succumb"}
HARM_LEMMAS = {"kill", "wound", "injure", "hurt", "maim"}  # suffered when passive: "were killed in the raid"
SUFFERING_PREPS = {"from", "in", "during", "after", "under"}


def _suffered_through(prep: Token) -> bool:
    """ "died from gunfire", "were wounded in the shelling": ``prep`` ties an act to a verb of its victims."""
    if prep.dep_ != "prep" or prep.lower_ not in SUFFERING_PREPS:
        return False
    verb = prep.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    lemma = verb.lemma_.lower()
    return lemma in DEATH_LEMMAS or (lemma in HARM_LEMMAS and is_passive(verb))


def _states_named(ctx: CodingContext, tokens: list[Token]) -> list[ActorRef]:
    """The states (or peoples) that argument phrases name only as a place or a nationality adjective: "an
    Indian proposal" → India; "Algerian landowners" → landowners of Algeria."""
    refs: list[ActorRef] = []
    for token in tokens:
        for country, text, span in state_words(token, ctx.actors.token_mention, _place_country(ctx)):
            if token.lemma_.lower() in PEOPLE_NOUNS and span[0] < token.idx:
                phrase = ctx.doc[span_start(ctx.doc, span[0]) : token.i + 1]
                refs.append(ctx.actors.people_ref(country, phrase.text, (phrase.start_char, phrase.end_char)))
            else:
                refs.append(ctx.actors.state_ref(country, text, span))
    return unique_refs(refs)


def span_start(doc: Doc, char: int) -> int:
    return _token_at(doc, char).i


def _place_country(ctx: CodingContext) -> Callable[[Token], str | None]:
    """token → the country of the place mention it is part of (None when it is in none)."""

    def country(token: Token) -> str | None:
        sentence = index_of_sentence(ctx.sentence_starts, token.idx)
        for mention in ctx.places_by_sentence.get(sentence, ()):
            if mention.span[0] <= token.idx < mention.span[1]:
                return mention.place.country
        return None

    return country


# Acts whose content is a complement clause: its object is whom they are aimed at.
INTENT_TYPES = {"THREATEN", "AGREE", "REJECT"}
COMPLEMENT_PREPS = {"with", "against", "to", "on", "from"}


def _actors_in(ctx: CodingContext, tokens: list[Token]) -> bool:
    return any(ctx.actors.refs_in_phrase(t) for t in tokens)


def _complement_targets(verb: Token) -> list[Token]:
    """ "threatened to break relations with Russia", "refused to hand the suspects to Spain": the object
    and prepositional objects of the infinitive complement, and those of its object."""
    found: list[Token] = []
    for complement in children(verb, {"xcomp"}):
        objects = children(complement, {"dobj", "dative"})
        found += objects + prep_objects(complement, COMPLEMENT_PREPS)
        for obj in objects:
            found += prep_objects(obj, COMPLEMENT_PREPS)
    return found


def _owned_by(ctx: CodingContext, phrase: Token, owners: set[str]) -> bool:
    """ "withdraw its troops": a phrase owned, through a possessive pronoun, by the event's own source (its
    own forces are what it moves, not whom it acts on)."""
    owner = next((c for c in phrase.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
    if owner is None or not owners:
        return False
    return any(ctx.actors.ref(i).id in owners for i in ctx.actors.pronoun_antecedent(owner))


def _oblique_actors(verb: Token, ctx: CodingContext) -> list[Token]:
    """Agentless passive of support ("which … American troops and US aircraft get supported"): the other
    actor phrases of the clause are the supporters."""
    found = []
    for token in verb.subtree:
        if token.i == verb.i or ctx.actors.mention_at(token) is None:
            continue
        if (
            token.dep_ in ("pobj", "conj", "nsubj")
            and token.head.dep_ not in ("relcl",)
            and token.lower_ not in ("which", "who")
        ):
            found.append(token)
    return found


# --- events -----------------------------------------------------------------------------------------------


def _trigger_event(
    ctx: CodingContext, token: Token, trigger: Trigger, sentence_index: int, lexicon: Lexicon
) -> Event | None:
    frame = _frame_of_coordinated_cue(ctx, token) or frame_covering(ctx.frames, token, sentence_index)
    if _free_relative_subject(token):
        return None  # "who is actually fighting the IS": a question, not an event
    source, target = _arguments(ctx, token, trigger, frame)
    if trigger.needs in ("military_subject", "armed_subject") and not _armed_party(
        ctx, token, source, lexicon
    ):
        return None
    fatalities, injured = casualties(token)
    location = event_location(ctx, token, sentence_index, source + target)
    if (
        not source
        and not target
        and not trigger.standalone  # "two rifles were seized": the act is the news, actors or not
        and not (
            trigger.type in KEPT_WITHOUT_ACTORS
            and (fatalities is not None or location.basis == "sentence" or _people_subject(token))
        )
    ):
        return None
    found_mode, cue_tags = _mode(token, trigger.type, lexicon)
    # "jets bombed": the weapon named beside the verb can be more telling than the verb's own mode
    mode = lexicon.pick_mode(trigger.type, [m for m in (trigger.mode, found_mode) if m]) or trigger.mode
    sent = ctx.sents[sentence_index]
    territory = trigger.territory and _takes_ground(token, ctx)
    acled = lexicon.acled_for(
        trigger.type,
        mode,
        _kind(_beyond_places(ctx, target, sentence_index), lexicon),
        _kind(_beyond_places(ctx, source, sentence_index), lexicon),
        territory,
        cues=trigger.cues + tuple(cue_tags),
        trigger_default=trigger.acled,
    )
    negated = _negated(token)
    future = _future(token)
    return Event(
        id="",
        type=trigger.type,
        mode=mode,
        context=list(trigger.context),
        cameo=lexicon.cameo_root(trigger.cameo),
        acled_event_type=acled[0] if acled else None,
        acled_sub_event_type=acled[1] if acled else None,
        source=source,
        target=target,
        location=location if location.name else None,
        date=date_for_sentence(ctx.expressions, sentence_index, ctx.document_date, position=token.idx),
        fatalities=fatalities,
        negated=negated,
        hypothetical=_hypothetical(token),
        claim=_claim(ctx, frame),
        sentence=sent.text.strip(),
        span=(sent.start_char, sent.end_char),
        future=future,
        trigger=token.text,
        trigger_span=(token.idx, token.idx + len(token)),
        injured=injured,
    )


def _people_subject(token: Token) -> bool:
    """The act (or the verb that carries it: "continued their hunger strike") has a common-noun subject that
    no actor mention covers ("Islamic fundamentalists", "angry farmers"): someone did it, though unnamed."""
    verb = token
    if token.pos_ == "NOUN" and token.dep_ in ("dobj", "nsubjpass") and is_light_verb(token.head):
        verb = token.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    subjects, _ = clause_subject(verb)
    return any(s.pos_ == "NOUN" and s.tag_ == "NNS" for s in subjects)


def _classified_event(ctx: CodingContext, lexicon: Lexicon) -> Event | None:
    """The lead's event as the classifier types it, anchored on the lead's main verb; None when unsure."""
    lead = _lead_sentence(ctx)
    if lead is None or ctx.classify is None:
        return None
    sentence_index, sent = lead
    if lexicon.match_triggers(sent.root):
        return None  # the lexicon knows the word and its constraints said no ("declined to comment")
    event_type, probability = ctx.classify(sent.text.strip())
    if probability < ctx.classify_threshold or event_type not in lexicon.plover_types:
        return None
    root = sent.root
    trigger = Trigger(
        lemmas=(root.lemma_.lower(),),
        pos=(root.pos_,),
        type=event_type,
        mode=None,
        cameo=next(iter(lexicon.plover_types[event_type]["cameo_roots"]), ""),
        acled=None,
        context=(),
        weight=lexicon.type_weight(event_type),
        needs=None,
        prep=None,
        context_words=(),
        not_with=(),
        territory=False,
        head=0,
        standalone=True,
    )
    event = _trigger_event(ctx, root, trigger, sentence_index, lexicon)
    if event is None or not any(ref.country or ref.sector for ref in event.source + event.target):
        return None  # "Manchester United beat Chelsea": no political actor, no conflict event
    event.coded_by, event.confidence = "classifier", round(probability, 3)
    return event


def _lead_sentence(ctx: CodingContext, look_at: int = 3) -> tuple[int, Span] | None:
    """The headline, else the first of the first ``look_at`` content sentences whose root is a verb."""
    if ctx.headline is not None:
        return ctx.headline, ctx.sents[ctx.headline]
    content = [(i, sent) for i, sent in enumerate(ctx.sents) if i not in ctx.skip and sent.text.strip()]
    for index, sent in content[:look_at]:
        if sent.root.pos_ in ("VERB", "AUX"):
            return index, sent
    return content[0] if content else None


def _armed_party(ctx: CodingContext, token: Token, source: list[ActorRef], lexicon: Lexicon) -> bool:
    """``needs: military_subject``: the subject is armed, or the object is armed units ("withdrew its
    troops"), or a state leaves a place ("Syria withdrew from Lebanon")."""
    if any(ref.sector in ARMED_SECTORS for ref in source):
        return True
    words = set(lexicon.needs.get("military_subject", {}).get("lemmas", ()))
    for obj in children(token, {"dobj", "nsubjpass"}):
        if obj.lemma_.lower() in words or any(
            ref.sector in ARMED_SECTORS for ref in ctx.actors.refs_in_phrase(obj)
        ):
            return True
    return any(ref.sector in STATE_SECTORS for ref in source) and any(
        place.ent_type_ in ("GPE", "LOC") for place in prep_objects(token, {"from"})
    )


# --- governing acts: stated intentions, demands, complements ------------------------------------------


def _anchor(ctx: CodingContext, event: Event) -> Token:
    """The token that stands for an event in the parse: its trigger, or the verb that carries a noun trigger
    ("will launch an offensive" → launch)."""
    token = _token_at(ctx.doc, event.trigger_span[0])
    if token.pos_ == "NOUN" and token.dep_ in ("dobj", "nsubjpass") and is_light_verb(token.head):
        return token.head
    return token


def _intent_marker(ctx: CodingContext, verb: Token, sentence_index: int) -> Token | None:
    """What makes ``verb`` a stated intention: "will", reported "would", "is willing/ready/prepared to",
    "plans/intends/decided to"; None for a plain, conditional or negated-by-doubt statement."""
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in FUTURE_AUX:
            return child
        if child.dep_ == "aux" and child.lower_ == "would":
            # "X said it would attack" states an intention; a bare "would" carried over from an earlier
            # sentence's frame is reported speech ("SDF units would attack Syrian troops"), not one
            frame = frame_covering(ctx.frames, verb, sentence_index)
            return child if frame is not None and frame.speaker and not frame.inherited else None
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in INTENT_HEADS:
        return verb.head
    return None


def _stated_intents(
    ctx: CodingContext, events: list[Event], lexicon: Lexicon, governed: dict[int, Event]
) -> list[Event]:
    """AGREE / THREATEN / REJECT events for the intentions the text states ("X will withdraw its troops")."""
    cue_tokens = {t.i for f in ctx.frames for t in f.cue_tokens}
    speech_starts = {f.span[0] for f in ctx.frames}
    found: list[Event] = []
    for event in events:
        if (
            event.trigger_span[0] in speech_starts
            or not event.source
            or event.type not in COOPERATIVE_INTENT | set(THREAT_MODES) | {"AGREE"}
        ):
            continue
        verb = _anchor(ctx, event)
        if verb.i in cue_tokens or any(
            (c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"))
            or (c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX)
            for c in verb.children
        ):
            continue  # the condition, not the intention: "… if Russia attacks"
        marker = _intent_marker(ctx, verb, _sentence_of(ctx, event.span[0]))
        if marker is None or any(_governing_event_above(ctx, verb, events)):
            continue
        refusal = event.negated or marker.lower_ == "wo"
        if refusal and event.type in COOPERATIVE_INTENT | {"AGREE"}:
            intent_type, mode = "REJECT", REFUSAL_MODES.get(event.type)
        elif refusal or event.type == "AGREE":
            continue  # "will agree" is already an agreement; "will not attack" is no threat
        elif _ultimatum(verb, marker):
            modes = THREAT_MODES.get(event.type, {})
            intent_type, mode = "THREATEN", modes.get(event.mode, modes.get(None))
        elif event.type in COOPERATIVE_INTENT:
            intent_type, mode = "AGREE", None
        else:
            modes = THREAT_MODES[event.type]
            intent_type, mode = "THREATEN", modes.get(event.mode, modes[None])
        event.future = True
        intent = _derived_event(event, intent_type, mode, marker, lexicon)
        governed[id(event)] = intent
        found.append(intent)
    return found


def _ultimatum(verb: Token, marker: Token) -> bool:
    """ "will withdraw its force unless …": an intention on a condition the other side must meet is a
    threat."""
    heads = {verb.i, marker.i, marker.head.i}
    return any(
        token.dep_ == "mark" and token.lower_ == "unless" and token.head.head.i in heads
        for token in verb.sent
    )


def _governing_event_above(ctx: CodingContext, verb: Token, events: list[Event]) -> list[Event]:
    """Events of a governing type whose trigger is an ancestor of ``verb`` ("threatened to launch …")."""
    above = {t.i for t in verb.ancestors}
    return [
        e
        for e in events
        if e.type in GOVERNING_TYPES
        and e.trigger_span != (0, 0)
        and _token_at(ctx.doc, e.trigger_span[0]).i in above
    ]


def _modal_demands(
    ctx: CodingContext, events: list[Event], lexicon: Lexicon, governed: dict[int, Event]
) -> list[Event]:
    """REQUEST events for reported obligations: "Russia said that Sudan must return the helicopter" is a
    demand by Russia of Sudan; the events inside the obliged clause are its content."""
    found: list[Event] = []
    for frame in ctx.frames:
        if not frame.speaker or frame.inherited:
            continue
        speaker_ids = {ref.id for ref in frame.speaker}
        speaker_ids |= _organisations_of(ctx, speaker_ids)  # a spokesman makes no demand of his ministry
        for i in sorted(frame.scope):
            modal = ctx.doc[i]
            if modal.dep_ != "aux" or modal.lower_ not in DEMAND_MODALS or modal.head.i not in frame.scope:
                continue
            verb = modal.head
            subjects, _ = clause_subject(verb)
            target = [
                ref for s in subjects for ref in ctx.actors.refs_in_phrase(s) if ref.id not in speaker_ids
            ]
            if not target:  # "said British forces must leave": the state an adjective or place names
                target = [ref for ref in _states_named(ctx, subjects) if ref.id not in speaker_ids]
            if not target:
                continue
            content = [e for e in events if (a := _anchor(ctx, e)).i == verb.i or verb in a.ancestors]
            demand = _speaker_act(ctx, frame, modal, "REQUEST", target, lexicon)
            for event in content:
                governed.setdefault(id(event), demand)
            found.append(demand)
    return found


def _organisations_of(ctx: CodingContext, actor_ids: set[str]) -> set[str]:
    """Ids of the organisations that the persons among ``actor_ids`` speak for ("ministry spokesman X")."""
    index = ctx.actors
    roles = {
        mention.role_of
        for mention, actor_id in zip(index.mentions, index.mention_actor, strict=True)
        if actor_id in actor_ids and mention.role_of
    }
    return {actor.id for actor in index.actors.values() if actor.code in roles}


def _govern_by_syntax(
    ctx: CodingContext,
    events: list[Event],
    speech_events: dict[int, Event],
    governed: dict[int, Event],
    led: dict[int, Event],
) -> None:
    """Events that are the content of another event of their sentence.

    An event in the complement of a governing act (AGREE, REQUEST, THREATEN, REJECT, CONCEDE, ACCUSE: "agreed
    to postpone the demonstration", "demanded the removal of X") or of an event that is itself content, the
    purpose of an act ("staged a hunger strike to demand …") and a participle that elaborates it ("rioted,
    setting fire to mattresses") are content. Adverbial and relative clauses of their own are not. An act
    coordinated with an earlier one ("refused to X and urged Y") is ``led`` by it: it ranks after it."""
    anchors: dict[int, Event] = {}
    for index, speech in speech_events.items():
        for token in ctx.frames[index].cue_tokens:
            anchors[token.i] = speech
    speech = list(speech_events.values())
    for event in events:
        if event.trigger_span != (0, 0) and not any(event is s for s in speech):
            anchors.setdefault(_anchor(ctx, event).i, event)
            anchors.setdefault(_token_at(ctx.doc, event.trigger_span[0]).i, event)
    placed = [e for e in events if e.trigger_span != (0, 0) and not any(e is s for s in speech)]
    for event in sorted(placed, key=lambda e: len(list(_anchor(ctx, e).ancestors))):
        if id(event) in governed:
            continue
        child = _anchor(ctx, event)
        ranked = {**led, **governed}
        for ancestor in child.ancestors:
            host = anchors.get(ancestor.i)
            if host is None or host is event:
                child = ancestor
                continue
            if host.span != event.span or _governs_chain(ranked, event, host):
                break
            if _is_content(child, ancestor, host, governed):
                governed[id(event)] = host
            elif child.dep_ == "conj" and child.head.i == ancestor.i and host.source:
                led[id(event)] = host
            break


ADJUNCT_DEPS = {"advcl", "relcl", "parataxis", "conj", "nsubj", "nsubjpass", "csubj", "npadvmod", "appos"}


def _orders_as_acts(ctx: CodingContext, events: list[Event], governed: dict[int, Event]) -> None:
    """ "The government ordered patrols by police", "ordered troops to seize the town": an authority's order
    of a material act is coded as that act, by the authority (CAMEO practice), with the order its content."""
    for event in events:
        order = governed.get(id(event))
        if (
            order is None
            or order.type != "REQUEST"
            or event.type not in MATERIAL_TYPES
            or event.negated
            or not order.source
            or _token_at(ctx.doc, order.trigger_span[0]).lemma_.lower() not in ORDER_LEMMAS
        ):
            continue
        del governed[id(event)]
        if id(order) in governed:
            governed[id(event)] = governed.pop(id(order))
        governed[id(order)] = event
        order_ids = {ref.id for ref in order.source}
        # "ordered troops to seize the town": its forces act with it; "ordered the newspaper to suspend
        # publication": an ordered party that is no force of the authority is what the act is done to
        agents = [ref for ref in event.source if ref.sector in STATE_SECTORS | ARMED_SECTORS]
        subjected = [ref for ref in event.source if ref.sector not in STATE_SECTORS | ARMED_SECTORS]
        event.source = unique_refs(order.source + agents)
        event.target = [ref for ref in unique_refs(event.target + subjected) if ref.id not in order_ids]


COMMISSIVE_TYPES = {"AGREE", "THREATEN", "REJECT", "CONCEDE"}  # the source itself would do the content
DIRECTIVE_TYPES = {"REQUEST", "ACCUSE"}  # someone else did or should do the content


def _targets_from_content(events: list[Event], governed: dict[int, Event]) -> None:
    """A governing act with no target of its own acts on whom its content concerns: "threatened to cut ties
    with Russia" → Russia; "demanded that Hamas renounce violence" (with no object) → Hamas."""
    for event in events:
        host = governed.get(id(event))
        if host is None or host.target or host.span != event.span:
            continue
        own = {ref.id for ref in host.source}
        if host.type in COMMISSIVE_TYPES:
            candidates = event.target
        elif host.type in DIRECTIVE_TYPES:
            candidates = event.source
        else:
            continue
        host.target = [ref for ref in unique_refs(candidates) if ref.id not in own]


def _is_content(child: Token, head: Token, host: Event, governed: dict[int, Event]) -> bool:
    """Whether the clause or phrase ``child`` (a dependent of the host's trigger ``head``) is the host's
    content."""
    if child.dep_ in ("advcl", "xcomp") and child.i > head.i:
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children) and not any(
            c.dep_ == "mark" for c in child.children
        ):
            return True  # purpose: "… to demand reforms"
        if child.tag_ == "VBG" and not children(child, {"nsubj", "nsubjpass", "mark"}):
            return True  # elaboration: "…, setting fire to …"
    if child.dep_ in ADJUNCT_DEPS:
        return False
    if host.type in GOVERNING_TYPES and child.dep_ == "xcomp":
        return True  # "has agreed to re-open its borders": the complement is the content, named source or not
    return (host.type in GOVERNING_TYPES and bool(host.source)) or id(host) in governed


def _governs_chain(governed: dict[int, Event], event: Event, host: Event) -> bool:
    """True when ``event`` already (indirectly) governs ``host``: no cycles."""
    seen = 0
    current: Event | None = host
    while current is not None and seen < 10:
        if current is event:
            return True
        current = governed.get(id(current))
        seen += 1
    return False


def _rank_below_main_clause(ctx: CodingContext, events: list[Event]) -> None:
    """A subordinate event that names no one ("lifted the curfew imposed after bloody clashes") ranks below
    the events of its sentence's higher clauses that name their actors."""
    depth = {id(e): _clause_depth(ctx, e) for e in events}
    for event in events:
        if event.source or event.target or depth[id(event)] == 0:
            continue
        higher = [
            e.salience
            for e in events
            if e.span == event.span and (e.source or e.target) and depth[id(e)] < depth[id(event)]
        ]
        if higher and event.salience >= max(higher):
            event.salience = round(max(higher) - 0.01, 4)


# Dependencies that attach an adjunct (a clause or phrase of time, cause, manner or description) to what it
# modifies: "resigned as the opposition threatened …", "surrendered following an offensive", "announced a
# suspension …, one day after a jet shot down …", "defended the right of troops to fire".
ADJUNCT_EDGES = {"advcl", "relcl", "acl", "prep", "pcomp", "npadvmod"}


def _clause_head(token: Token) -> Token:
    """The verb whose clause ``token`` belongs to: itself when a verb, else its nearest verbal ancestor."""
    for node in [token, *token.ancestors]:
        if node.pos_ in ("VERB", "AUX"):
            return node
    return token.sent.root


def _rank_below_host_clause(ctx: CodingContext, events: list[Event], speech_events: dict[int, Event]) -> None:
    """An event told in an adjunct of another event's clause ranks below it: the sentence reports the act of
    its main clause, and the adjunct says when, why or against what background it happened ("X resigned as
    the opposition threatened to storm his residence", "the rebels surrendered following an offensive").

    The host must be in its clause's core (the clause's verb, or a noun it takes as an argument: "announced a
    suspension of links"), real (not negated or hypothetical), and of another type."""
    speech = {id(e) for e in speech_events.values()}
    anchors: list[tuple[Event, Token]] = []
    for event in events:
        if event.trigger_span == (0, 0) or event.coded_by != "lexicon":
            continue
        if id(event) in speech:
            frame = next(f for f in ctx.frames if f.span == event.trigger_span)
            token = frame.cue_tokens[-1] if frame.cue.kind != "phrase" else frame.cue_tokens[0]
        else:
            token = _anchor(ctx, event)
        anchors.append((event, token))
    host_tokens = {id(event): token for event, token in anchors}
    cores: list[tuple[Event, Token]] = []
    for host, token in anchors:
        head = _clause_head(token)
        path = [token, *token.ancestors]
        if host.negated or host.hypothetical or head not in path:
            continue
        if any(node.dep_ in ADJUNCT_EDGES | {"conj"} for node in path[: path.index(head)]):
            continue
        cores.append((host, head))
    for event, token in sorted(anchors, key=lambda pair: len(list(pair[1].ancestors))):
        path = [token, *token.ancestors]
        for host, head in cores:
            if host is event or host.type == event.type or host.span != event.span or head not in path:
                continue
            between = path[: path.index(head)]
            acted_on = token.dep_ in ("dobj", "nsubjpass") and token.head.i == host_tokens[id(host)].i
            if not acted_on and not any(node.dep_ in ADJUNCT_EDGES for node in between):
                continue
            if event.salience >= host.salience:
                event.salience = round(host.salience - 0.01, 4)


def _rank_below_governors(events: list[Event], governed: dict[int, Event]) -> None:
    """Content ranks just below the act that governs it."""

    def depth(event: Event) -> int:
        count, current = 0, governed.get(id(event))
        while current is not None and count < 10:
            count, current = count + 1, governed.get(id(current))
        return count

    for event in sorted(events, key=depth):
        host = governed.get(id(event))
        if host is not None and event.salience >= host.salience:
            event.salience = round(host.salience - 0.01, 4)


def _derived_event(
    content: Event, event_type: str, mode: str | None, marker: Token, lexicon: Lexicon
) -> Event:
    """A governing act read off another event (the intention stated for ``content``)."""
    acled = lexicon.acled_for(
        event_type, mode, _kind(content.target, lexicon), _kind(content.source, lexicon), False
    )
    return Event(
        id="",
        type=event_type,
        mode=mode,
        context=list(content.context),
        cameo=INTENT_CAMEO[event_type],
        acled_event_type=acled[0] if acled else None,
        acled_sub_event_type=acled[1] if acled else None,
        source=list(content.source),
        target=list(content.target),
        location=content.location,
        date=content.date,
        fatalities=None,
        negated=False,
        hypothetical=False,
        claim=Claim(
            speaker=dict(content.claim.speaker),
            status=content.claim.status,
            cue=content.claim.cue,
            event=content.claim.event,
        ),
        sentence=content.sentence,
        span=content.span,
        trigger=marker.text,
        trigger_span=(marker.idx, marker.idx + len(marker)),
    )


def _speaker_act(
    ctx: CodingContext,
    frame: SpeechFrame,
    marker: Token,
    event_type: str,
    target: list[ActorRef],
    lexicon: Lexicon,
) -> Event:
    """An act of the speaker of ``frame`` told by ``marker`` (the "must" of a reported obligation)."""
    sent = ctx.sents[frame.sentence]
    acled = lexicon.acled_for(event_type, None, _kind(target, lexicon), _kind(frame.speaker, lexicon), False)
    return Event(
        id="",
        type=event_type,
        mode=None,
        context=[],
        cameo=INTENT_CAMEO[event_type],
        acled_event_type=acled[0] if acled else None,
        acled_sub_event_type=acled[1] if acled else None,
        source=list(frame.speaker),
        target=unique_refs(target),
        location=_speech_location(ctx, frame),
        date=date_for_sentence(ctx.expressions, frame.sentence, ctx.document_date, position=marker.idx),
        fatalities=None,
        negated=False,
        hypothetical=_hypothetical(marker.head),
        claim=_claim(ctx, None),
        sentence=sent.text.strip(),
        span=(sent.start_char, sent.end_char),
        trigger=marker.text,
        trigger_span=(marker.idx, marker.idx + len(marker)),
    )


def _free_relative_subject(token: Token) -> bool:
    subjects = children(token, {"nsubj", "nsubjpass"})
    return bool(subjects) and all(
        s.lower_ in ("who", "what", "whoever", "whatever") and token.dep_ not in ("relcl", "acl")
        for s in subjects
    )


def _frame_of_coordinated_cue(ctx: CodingContext, token: Token) -> SpeechFrame | None:
    """ "accused the Russians of attacking X, and injured some fighters": a verb coordinated with a cue of
    accusation, with no subject of its own, belongs to what the cue reports."""
    if token.dep_ != "conj" or children(token, {"nsubj", "nsubjpass"}):
        return None
    for frame in ctx.frames:
        if token.head in frame.cue_tokens and frame.accused:
            return frame
    return None


def _speech_event(ctx: CodingContext, frame: SpeechFrame, lexicon: Lexicon) -> Event:
    sent = ctx.sents[frame.sentence]
    cue_token = frame.cue_tokens[-1] if frame.cue.kind != "phrase" else frame.cue_tokens[0]
    outer = next(
        (f for f in ctx.frames if f is not frame and f.sentence == frame.sentence and cue_token.i in f.scope),
        None,
    )
    cameo = frame.cue.cameo or "11"
    acled = lexicon.acled_for(
        frame.cue.event_type,
        frame.cue.event_mode,
        _kind(frame.accused or frame.targets, lexicon),
        _kind(frame.speaker, lexicon),
        False,
    )
    return Event(
        id="",
        type=frame.cue.event_type,
        mode=frame.cue.event_mode,
        context=[],
        cameo=lexicon.cameo_root(cameo),
        acled_event_type=acled[0] if acled else None,
        acled_sub_event_type=acled[1] if acled else None,
        source=list(frame.speaker),
        target=list(frame.accused or frame.targets),
        location=_speech_location(ctx, frame),
        date=date_for_sentence(ctx.expressions, frame.sentence, ctx.document_date, position=cue_token.idx),
        fatalities=None,
        negated=_negated(cue_token),
        hypothetical=_hypothetical(cue_token),
        claim=_claim(ctx, outer),
        sentence=sent.text.strip(),
        span=(sent.start_char, sent.end_char),
        future=_future(cue_token),
        trigger=frame.cue_text,
        trigger_span=frame.span,
    )


def _speech_location(ctx: CodingContext, frame: SpeechFrame) -> Location | None:
    """Where the speaker spoke: a place outside what is reported ("said in Moscow"), or unknown."""
    scope_chars = {ctx.doc[i].idx for i in frame.scope}
    speaker_spans = [ref.span for ref in frame.speaker]
    outside = [
        m
        for m in ctx.places_by_sentence.get(frame.sentence, [])
        if m.span[0] not in scope_chars and not any(s[0] <= m.span[0] < s[1] for s in speaker_spans)
    ]
    return _as_location(outside[0], "sentence") if outside else None


def _fill_speech_targets(ctx: CodingContext, speech_events: dict[int, Event], events: list[Event]) -> None:
    """A complaint without an object targets whom it complains about: the source of what it reports."""
    for index, speech in speech_events.items():
        if speech.target:
            continue
        frame = ctx.frames[index]
        reported = [
            e
            for e in events
            if e is not speech
            and e.span == speech.span
            and e.trigger_span[0] >= 0
            and _token_at(ctx.doc, e.trigger_span[0]).i in frame.scope
        ]
        speaker_ids = {ref.id for ref in speech.source}
        for event in reported:
            speech.target = unique_refs(speech.target + [r for r in event.source if r.id not in speaker_ids])
        if not speech.target:
            for token in ctx.sents[frame.sentence]:
                if token.i in frame.scope and token.dep_ in ("nsubj", "nsubjpass"):
                    refs = ctx.actors.refs_in_phrase(token)
                    speech.target = unique_refs(speech.target + [r for r in refs if r.id not in speaker_ids])
                    if speech.target:
                        break
        if not speech.target:  # "rejected an Indian proposal", "protested to Albania"
            cue = frame.cue_tokens[-1] if frame.cue.kind != "phrase" else frame.cue_tokens[0]
            objects = children(cue, {"dobj", "dative"}) + prep_objects(
                cue, TARGET_PREPS.get(speech.type, set())
            )
            speech.target = [r for r in _states_named(ctx, objects) if r.id not in speaker_ids]


def _token_at(doc: Doc, char: int) -> Token:
    """The token at ``char``; the first token when none covers it (an event always has one)."""
    return token_at(doc, char) or doc[0]


def _claim(ctx: CodingContext, frame: SpeechFrame | None) -> Claim:
    if frame is None or (not frame.speaker and frame.cue.kind != "adverb"):
        status = frame.status if frame is not None else "asserted"
        return Claim(
            speaker=outlet_speaker(ctx.site), status=status, cue=frame.cue_text if frame is not None else None
        )
    if not frame.speaker:  # "reportedly": the outlet itself distances the claim
        return Claim(speaker=outlet_speaker(ctx.site), status=frame.status, cue=frame.cue_text)
    return Claim(
        speaker=actor_speaker(frame.speaker[0]), status=frame.status, cue=frame.cue_text, event="pending"
    )


def _link_claims(ctx: CodingContext, events: list[Event]) -> None:
    """Point each claimed event at the speech event that carries it (same speaker, not later)."""
    speech = [
        e
        for e in events
        if e.claim.speaker.get("kind") == "outlet"
        and e.trigger_span in {f.span for f in ctx.frames if f.event_id}
    ]
    for event in events:
        speaker = event.claim.speaker
        if speaker.get("kind") != "actor":
            continue
        candidates = [
            s
            for s in speech
            if s is not event
            and s.source
            and s.source[0].id == speaker.get("id")
            and s.span[0] <= event.span[0]
        ]
        if candidates:
            event.claim.event = max(candidates, key=lambda s: s.span[0]).id


HEADLINE_REACH = 3  # body sentences in which a headline's event is looked for


def _fold_headline(ctx: CodingContext, events: list[Event]) -> list[Event]:
    """A headline announces what the lead tells: its event is folded into the same event of the first
    sentences of the body (same type, a shared actor or place), so the document codes it once."""
    if ctx.headline is None:
        return events
    headline_span = (ctx.sents[ctx.headline].start_char, ctx.sents[ctx.headline].end_char)
    body_end = ctx.sentence_starts[min(len(ctx.sents) - 1, ctx.headline + HEADLINE_REACH)]
    body = [e for e in events if headline_span[1] <= e.span[0] <= body_end]
    folded: set[int] = set()
    for event in (e for e in events if e.span == headline_span):
        actors = {ref.id for ref in event.source + event.target}
        place = event.location.place if event.location else None
        for other in sorted(body, key=lambda e: e.span[0]):
            shared = actors & {ref.id for ref in other.source + other.target}
            same_place = place is not None and other.location is not None and other.location.place == place
            if other.type == event.type and (shared or same_place or not actors):
                _fold(other, event)
                folded.add(id(event))
                break
    return [e for e in events if id(e) not in folded]


def _merge_clause_events(ctx: CodingContext, events: list[Event]) -> list[Event]:
    """One clause, one event ("Russian missiles struck Kharkiv, killing seven").

    An event whose trigger hangs below another trigger of the same type (subject, object, participle) is
    folded into it."""
    cue_tokens = {t.i for frame in ctx.frames for t in frame.cue_tokens}
    by_token = {_token_at(ctx.doc, e.trigger_span[0]).i: e for e in events if e.trigger_span != (0, 0)}
    merged: set[int] = set()
    for index in sorted(by_token):
        event = by_token[index]
        token = ctx.doc[index]
        for ancestor in token.ancestors:
            if ancestor.i in cue_tokens or ancestor.dep_ in ("relcl", "ccomp") and ancestor.i not in by_token:
                break
            host = by_token.get(ancestor.i)
            if host is None or id(host) in merged:
                continue
            if host.type == event.type and host.span == event.span and host.negated == event.negated:
                _fold(host, event)
                merged.add(id(event))
            break
    return [e for e in events if id(e) not in merged]


def _fold(host: Event, part: Event) -> None:
    host.source = host.source or part.source
    source_ids = {ref.id for ref in host.source}
    host.target = unique_refs(host.target + [ref for ref in part.target if ref.id not in source_ids])
    if host.mode is None and part.mode is not None:
        host.mode = part.mode
        host.acled_event_type, host.acled_sub_event_type = part.acled_event_type, part.acled_sub_event_type
    # the host's default kind ("killed": an armed clash, or an attack on civilians) yields to a part's more
    # telling one ("…, killed in attacks on protesters": excessive force against protesters)
    told = {None: 0, "Armed clash": 0, "Attack": 1}  # how much a default kind tells; any other tells more
    if (
        host.acled_sub_event_type in told
        and told.get(part.acled_sub_event_type, 2) > told[host.acled_sub_event_type]
    ):
        host.acled_event_type, host.acled_sub_event_type = part.acled_event_type, part.acled_sub_event_type
    if part.fatalities is not None:
        host.fatalities = max(host.fatalities or 0, part.fatalities)
    if part.injured is not None:
        host.injured = max(host.injured or 0, part.injured)
    if host.location is None or (host.location.basis != "sentence" and part.location is not None):
        host.location = part.location or host.location


def _link_denials(events: list[Event]) -> None:
    """ "X accused Y of Z. Y denied the accusation.": the denial answers the accuser, and disputes what Y
    was accused of. A denial with no object of its own takes the latest accusation against its speaker."""
    accusations = sorted((e for e in events if e.type == "ACCUSE"), key=lambda e: e.span[0])
    for denial in (e for e in events if e.type == "REJECT" and e.trigger.lower().startswith("den")):
        speakers = {ref.id for ref in denial.source}
        earlier = [
            a for a in accusations if a.span[0] <= denial.span[0] and speakers & {r.id for r in a.target}
        ]
        if not earlier:
            continue
        accusation = earlier[-1]
        if not denial.target:
            denial.target = [ref for ref in accusation.source if ref.id not in speakers]
        for event in events:
            if event.claim.event == accusation.id and denial.id not in event.claim.disputed_by:
                event.claim.disputed_by.append(denial.id)


def _deduplicate(events: list[Event]) -> list[Event]:
    """One event per (sentence, type, source, target): "attacked and shelled" in one clause is one record."""
    kept: dict[tuple, Event] = {}
    for event in events:
        key = (
            event.span,
            event.type,
            tuple(r.id for r in event.source),
            tuple(r.id for r in event.target),
            event.negated,
        )
        previous = kept.get(key)
        if previous is None:
            kept[key] = event
        elif previous.mode is None and event.mode is not None:
            previous.mode = event.mode
            if event.acled_event_type:
                previous.acled_event_type = event.acled_event_type
                previous.acled_sub_event_type = event.acled_sub_event_type
        if previous is not None and previous.fatalities is None:
            previous.fatalities = event.fatalities
    return list(kept.values())


# --- attributes ---------------------------------------------------------------------------------------------


def _mode(token: Token, event_type: str, lexicon: Lexicon) -> tuple[str | None, list[str]]:
    """Mode and ACLED cue tags from method / weapon words in the trigger's own phrases and its subject."""
    area = {t.i for t in token.subtree}
    for subject in children(token, {"nsubj", "nsubjpass"}) + agent_of(token):
        area |= {t.i for t in subject.subtree}
    if token.dep_ in ("dobj", "pobj") and token.head.pos_ == "VERB":  # "launched rocket attacks"
        area |= {t.i for child in children(token.head, {"nsubj", "prep"}) for t in child.subtree}
    if token.dep_ == "advcl" and token.tag_ == "VBG":  # "jets flew sorties ..., killing six": the jets kill
        area |= {t.i for child in children(token.head, {"nsubj"}) for t in child.subtree}
    area |= set(range(max(token.sent.start, token.i - 2), min(token.sent.end, token.i + 3)))
    modes: list[str] = []
    tags: list[str] = []
    doc = token.doc
    for i in sorted(area, key=lambda k: abs(k - token.i)):
        other = doc[i]
        for cue in lexicon.mode_cues_for(other.lemma_.lower()) or lexicon.mode_cues_for(other.lower_):
            if cue.applies_to and event_type not in cue.applies_to:
                continue
            if cue.pos and other.pos_ not in cue.pos:
                continue
            if len(cue.lemmas) > 1 and phrase_tokens(cue.lemmas, cue.head, other) is None:
                continue
            modes.append(cue.mode)
            if cue.cue:
                tags.append(cue.cue)
    return lexicon.pick_mode(event_type, modes), tags


def _kind(refs: list[ActorRef], lexicon: Lexicon) -> str | None:
    """ACLED's kind of an actor group (state, non-state armed, protesters, civilians); None = unknown."""
    kinds = [lexicon.actor_kind(ref.sector, ref.text.split()[-1] if ref.text else None) for ref in refs]
    for kind in ("state", "nonstate_armed", "protesters", "civilians"):
        if kind in kinds:
            return kind
    return "civilians" if refs and any(ref.sector in (None, "CVL") for ref in refs) else None


def _beyond_places(ctx: CodingContext, refs: list[ActorRef], sentence: int) -> list[ActorRef]:
    """The actors that tell what kind of party acts or suffers: a state named only by a place ("Khartoum",
    a dateline or where it happened) says nothing of it when other actors are named ("protesters were killed
    in Khartoum"); alone, it stays."""
    named = [ref for ref in refs if not _named_by_place(ctx, ref, sentence)]
    return named or refs


EXPEL_LEMMAS = {"drive", "push", "flush", "force", "oust", "dislodge", "expel"}


def _ground_left(token: Token) -> list[Token]:
    """The ground an enemy is driven from: "drove the rebels out of the town", "pushed back from areas"."""
    found = prep_objects(token, {"from"})
    for child in token.children:
        if child.lower_ in ("out", "back", "away") and child.dep_ in ("prt", "prep", "advmod"):
            found += prep_objects(child, {"of", "from"})
    return found


def _takes_ground(token: Token, ctx: CodingContext) -> bool:
    """ "captured the town" takes ground; "captured vehicles" does not."""
    if token.lemma_.lower() in EXPEL_LEMMAS:
        # "drove the rebels out of the town": the ground is what they are driven from, not the rebels
        return any(_is_ground(ground, ctx) for ground in _ground_left(token))
    objects = children(token, {"dobj", "nsubjpass"}) + prep_objects(token, {"of"})
    # "took control of the village": the ground is the object of "control", not "control" itself
    objects = [
        ground
        for obj in objects
        for ground in (prep_objects(obj, {"of", "over"}) if obj.lemma_.lower() == "control" else [obj])
    ]
    if any(_is_ground(obj, ctx) for obj in objects):
        return True
    return not objects


def _is_ground(obj: Token, ctx: CodingContext) -> bool:
    if obj.ent_type_ in ("GPE", "LOC", "FAC") or obj.lemma_.lower() in GROUND_NOUNS:
        return True
    sentence = index_of_sentence(ctx.sentence_starts, obj.idx)
    return any(m.span[0] <= obj.idx < m.span[1] for m in ctx.places_by_sentence.get(sentence, []))


REFUSAL_HEADS = {"fail", "refuse", "decline"}  # "failed to reach an agreement": the content did not happen


def _negated(token: Token) -> bool:
    if existential_negation(token):
        return True
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in REFUSAL_HEADS:
        return True
    if any(c.dep_ == "neg" or c.lower_ in ("no", "never") for c in token.children):
        return True
    head = token
    for _ in range(3):  # "without being involved in combat", "no signs of attack", "did not launch an attack"
        if head.lower_ in ("without", "no", "never"):
            return True
        if head.head is head:
            break
        if (
            head.pos_ == "NOUN"
            and head.head.lower_ in ("of", "in")
            and any(c.lower_ in ("no", "without") for c in head.head.head.children)
        ):
            return True
        if head.dep_ in ("dobj", "xcomp", "pcomp", "pobj") and any(
            c.dep_ == "neg" for c in head.head.children
        ):
            return True
        head = head.head
    return False


def _hypothetical(token: Token) -> bool:
    for depth, node in enumerate([token, *token.ancestors][:4]):
        if (
            depth
            and node.dep_ in ("relcl", "ccomp", "advcl")
            and any(c.dep_ == "aux" and c.lower_ == "would" for c in node.children)
        ):
            return True  # "craters, which would show that the bases had been bombed"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "conj", "ccomp", "pcomp", "pobj", "prep", "dobj"):
            break
    return False


def _future(token: Token) -> bool:
    if token.pos_ == "NOUN" and token.dep_ in ("dobj", "nsubjpass") and is_light_verb(token.head):
        token = token.head  # "will launch an offensive"
    if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll", "wo") for c in token.children):
        return True
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in FUTURE_HEADS:
        return True
    return token.dep_ == "xcomp" and token.head.lower_ == "going"


def casualties(token: Token) -> tuple[int | None, int | None]:
    """Killed and injured counts stated in the sentence ("killing at least 12", "3 soldiers died")."""
    killed: list[int] = []
    injured: list[int] = []
    for number in token.sent:
        if not (number.like_num or number.lower_ in NUMBER_WORDS) or number.ent_type_ in (
            "DATE",
            "TIME",
            "MONEY",
        ):
            continue
        value = _number_value(number)
        if value is None:
            continue
        for anchor in (number.head, number.head.head, number.head.head.head):
            lemma = anchor.lemma_.lower()
            if lemma in KILL_LEMMAS or anchor.lower_ in ("dead", "killed"):
                killed.append(value)
                break
            if lemma in INJURY_LEMMAS or anchor.lower_ in ("wounded", "injured"):
                injured.append(value)
                break
            if anchor.pos_ == "VERB" and anchor.lemma_.lower() not in ("be", "leave"):
                break
    return (sum(killed) if killed else None, sum(injured) if injured else None)


def _number_value(token: Token) -> int | None:
    text = token.lower_.replace(",", "")
    if re.fullmatch(r"\d+", text):
        value = int(text)
        return value if value < 1_000_000 else None
    return NUMBER_WORDS.get(text)


def event_location(
    ctx: CodingContext, token: Token, sentence_index: int, participants: list[ActorRef]
) -> Location:
    """The event's place: in its sentence (the trigger's phrases first), else paragraph, else document."""
    actor_spans = [ref.span for ref in participants]
    in_sentence = [
        m
        for m in ctx.places_by_sentence.get(sentence_index, [])
        if not any(m.span[0] < a[1] and a[0] < m.span[1] for a in actor_spans)
    ]
    if in_sentence:
        subtree = {t.idx for t in token.subtree}
        best = max(
            in_sentence,
            key=lambda m: (
                _precision_rank(m.place)
                + (2 if m.span[0] in subtree else 0)
                + (1 if m.relation else 0)
                - abs(m.span[0] - token.idx) / 1000
            ),
        )
        return _as_location(best, "sentence")
    focus = ctx.focus
    paragraph = ctx.paragraph_of[sentence_index]
    earlier = []
    for number in range(sentence_index - 1, -1, -1):  # back to the start of the paragraph
        if ctx.paragraph_of[number] != paragraph:
            break
        earlier = [m for m in ctx.places_by_sentence.get(number, []) if m.place.feature != "country"]
        if earlier:
            break
    if earlier and (focus is None or earlier[-1].place.id == focus.id):
        return _as_location(earlier[-1], "paragraph")
    if focus is not None:
        return _as_location(
            PlaceMention(focus.mentions[0] if focus.mentions else (0, 0), focus, None), "document"
        )
    return Location(
        name="",
        geonameid=None,
        lat=None,
        lon=None,
        country=None,
        admin1=None,
        precision="unknown",
        basis="document",
    )


def _sentence_of(ctx: CodingContext, char: int) -> int:
    return index_of_sentence(ctx.sentence_starts, char)


def _document_focus(ctx: CodingContext) -> Place | None:
    """The most mentioned city-level place (else country) of the document, ignoring boilerplate."""
    counts: dict[str, tuple[int, Place]] = {}
    for mention in ctx.place_mentions:
        if mention.place.geonameid is None and mention.place.lat is None:
            continue
        count = counts.get(mention.place.id, (0, mention.place))[0]
        counts[mention.place.id] = (count + 1, mention.place)
    if not counts:
        return None
    ranked = sorted(counts.values(), key=lambda item: (_precision_rank(item[1]) >= 2, item[0]), reverse=True)
    return ranked[0][1]


def _precision_rank(place: Place) -> int:
    return {"city": 3, "admin2": 2.5, "admin1": 2, "region": 1.5, "river": 1, "country": 0.5}.get(
        place.feature, 1
    )


def _as_location(mention: PlaceMention, basis: str) -> Location:
    place = mention.place
    precision = (
        place.feature
        if place.feature in ("city", "admin1", "country", "region", "river")
        else ("city" if place.feature in ("town", "village", "locality", "admin2") else place.feature)
    )
    return Location(
        name=place.name,
        geonameid=place.geonameid,
        lat=place.lat,
        lon=place.lon,
        country=place.country,
        admin1=place.admin1,
        precision=precision,
        relation=mention.relation if basis == "sentence" else None,
        place=place.id,
        basis=basis,
    )


CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "acl", "relcl", "pcomp", "csubj", "csubjpass"}


def _clause_depth(ctx: CodingContext, event: Event) -> int:
    """How many clauses the event's trigger is embedded in below its sentence's main clause."""
    if event.trigger_span == (0, 0):
        return 0
    token = _anchor(ctx, event)
    return sum(node.dep_ in CLAUSE_DEPS for node in [token, *token.ancestors])


GENERIC_VIOLENCE = {("Battles", "Armed clash"), ("Violence against civilians", "Attack")}


def _specific_assault_leads(events: list[Event]) -> None:
    """ "Five were killed when a suicide bomber struck": the bare "killed" (an armed clash by default) says
    less than the remote-violence act of its sentence, which takes its rank (and ranks first at a tie). So
    does one told in an earlier sentence ("A suicide bomber set off a blast. … killing five"): the later
    killing is usually the same incident's toll."""
    for generic in events:
        if (
            generic.type != "ASSAULT"
            or generic.mode is not None
            or (generic.acled_event_type, generic.acled_sub_event_type) not in GENERIC_VIOLENCE
        ):
            continue
        for specific in events:
            if (
                specific.type == "ASSAULT"
                and specific.span[0] <= generic.span[0]
                and specific.acled_event_type == "Explosions/Remote violence"
                and not (specific.negated or specific.hypothetical)
                and specific.salience <= generic.salience
            ):
                specific.salience = round(generic.salience + 0.0001, 4)


def _has_actor(ctx: CodingContext, refs: list[ActorRef]) -> bool:
    return any((ref.id, tuple(ref.span)) not in ctx.actors.named for ref in refs)


def _salience(event: Event, ctx: CodingContext) -> float:
    """How central the event is to the document: violent and material before verbal, early before late,
    complete (actors, place, casualties) before partial, real before negated or hypothetical."""
    sentence_index = _sentence_of(ctx, event.span[0])
    score = TYPE_WEIGHT.get(event.type, 1.0)
    score += 1.5 / (1.0 + 0.35 * sentence_index)
    # an actor named only by a place or an adjective ("Israeli raids") makes an event no more complete
    score += 0.5 * _has_actor(ctx, event.source) + 0.5 * _has_actor(ctx, event.target)
    score += 0.4 * (event.location is not None and event.location.basis == "sentence")
    score += 0.3 * math.log1p(event.fatalities or 0)
    if event.negated or event.hypothetical:
        score *= 0.3
    if event.future:
        score *= 0.7
    return round(score, 4)
