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
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from polemos.claims import SpeechFrame, actor_speaker, frame_covering, outlet_speaker
from polemos.events.arguments import (
    ActorIndex,
    agent_of,
    children,
    clause_subject,
    is_passive,
    prep_objects,
    unique_refs,
)
from polemos.events.lexicon import Lexicon, Trigger
from polemos.model import ActorRef, Claim, DateRange, Event, Location, Place

# Prepositions that introduce the target, by event type.
TARGET_PREPS = {
    "ASSAULT": {"on", "against", "at", "upon", "into", "with", "targeting"},
    "COERCE": {"on", "against", "of"},
    "THREATEN": {"against", "with"},
    "PROTEST": {"against", "outside"},
    "AID": {"to", "for"},
    "SUPPORT": {"for", "to"},
    "COOPERATE": {"with"},
    "CONSULT": {"with"},
    "AGREE": {"with"},
    "REQUEST": {"from", "to", "of"},
    "ACCUSE": {"against", "of"},
    "REJECT": {"from"},
    "SANCTION": {"on", "against"},
    "MOBILIZE": {"against", "toward", "towards"},
    "RETREAT": {"from"},
    "CONCEDE": {"to"},
}
# Verbs that carry a noun trigger: "carried out an airstrike", "launched an offensive".
LIGHT_VERBS = {
    "carry", "launch", "conduct", "stage", "mount", "perpetrate", "commit", "claim", "unleash", "wage", "begin",
    "start", "continue", "intensify", "step", "hold", "sign", "impose", "make", "issue", "deliver", "provide",
    "send", "lead", "take", "join", "resume", "announce", "order", "organize", "organise",
}
FUTURE_HEADS = {"plan", "intend", "prepare", "vow", "pledge", "promise", "threaten", "expect", "aim", "seek", "want"}
HYPOTHETICAL_AUX = {"could", "might", "may"}
TYPE_WEIGHT = {
    "ASSAULT": 3.0, "COERCE": 2.2, "PROTEST": 2.0, "MOBILIZE": 1.8, "THREATEN": 1.6, "SANCTION": 1.6,
    "RETREAT": 1.5, "AID": 1.4, "ACCUSE": 1.3, "AGREE": 1.3, "REJECT": 1.2, "REQUEST": 1.2, "COOPERATE": 1.2,
    "CONSULT": 1.1, "SUPPORT": 1.0, "CONCEDE": 1.0,
}
KEPT_WITHOUT_ACTORS = {"ASSAULT", "PROTEST", "COERCE"}
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "POL"}
ARMED_SECTORS = {"REB", "PRM", "UAF", "INS", "MIL", "COP"}
NONSTATE_ARMED = {"REB", "PRM", "UAF", "INS", "TER"}
KILL_LEMMAS = {"kill", "die", "dead", "death", "fatality", "life", "slay", "massacre", "execute", "behead"}
INJURY_LEMMAS = {"injure", "wound", "hurt", "injury", "injured", "wounded"}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
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
    sentence_dates: list[DateRange]
    site: str | None
    paragraph_of: list[int]


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
    events = _deduplicate(events)
    for number, event in enumerate(sorted(events, key=lambda e: e.span[0]), start=1):
        event.id = f"e{number}"
    for index, event in speech_events.items():
        ctx.frames[index].event_id = event.id
    for event in events:
        if event.claim.event == "pending":
            event.claim.event = None
    _link_claims(ctx, events)
    for event in events:
        event.salience = _salience(event, ctx)
    return sorted(events, key=lambda e: (-e.salience, e.span[0]))


# --- triggers -------------------------------------------------------------------------------------------


def _match_trigger(token: Token, sent: Span, lexicon: Lexicon) -> Trigger | None:
    candidates = lexicon.triggers_for(token.lemma_.lower())
    if not candidates and token.lower_ != token.lemma_.lower():
        candidates = lexicon.triggers_for(token.lower_)
    sentence_lemmas = None
    best: Trigger | None = None
    for trigger in candidates:
        if trigger.pos and token.pos_ not in trigger.pos:
            continue
        if not _phrase_matches(trigger, token):
            continue
        if trigger.not_with or trigger.context_words:
            if sentence_lemmas is None:
                sentence_lemmas = {t.lemma_.lower() for t in sent}
            if trigger.not_with and sentence_lemmas & set(trigger.not_with):
                continue
            if trigger.context_words and not sentence_lemmas & set(trigger.context_words):
                continue
        if not _needs_met(trigger, token):
            continue
        if best is None or len(trigger.lemmas) > len(best.lemmas) or (
            len(trigger.lemmas) == len(best.lemmas) and (trigger.context_words and not best.context_words)
        ):
            best = trigger
    return best


def _phrase_matches(trigger: Trigger, token: Token) -> bool:
    if len(trigger.lemmas) == 1:
        return True
    doc = token.doc
    start = token.i - trigger.head
    if start < 0 or start + len(trigger.lemmas) > len(doc):
        return _dependency_phrase(trigger, token)
    if all(doc[start + k].lemma_.lower() == lemma for k, lemma in enumerate(trigger.lemmas)):
        return True
    return _dependency_phrase(trigger, token)


def _dependency_phrase(trigger: Trigger, token: Token) -> bool:
    """Phrasal triggers whose words are not adjacent: "opened heavy fire", "fired rockets on"."""
    others = [lemma for k, lemma in enumerate(trigger.lemmas) if k != trigger.head]
    near = {t.lemma_.lower() for t in token.children} | {token.head.lemma_.lower()}
    return all(lemma in near for lemma in others)


def _needs_met(trigger: Trigger, token: Token) -> bool:
    if trigger.prep and not any(c.dep_ == "prep" and c.lower_ == trigger.prep for c in token.children):
        return False
    needs = trigger.needs
    if not needs:
        return True
    if needs == "object":
        return bool(children(token, {"dobj", "nsubjpass"}))
    if needs == "no_object":
        return not children(token, {"dobj"})
    if needs in ("military_subject", "armed_subject"):
        return True  # checked once the source actors are known
    if needs == "human_object":
        return any(o.ent_type_ in ("PERSON", "NORP", "ORG", "GPE") or o.lemma_.lower() in HUMAN_NOUNS
                   for o in children(token, {"dobj", "nsubjpass"}))
    return True


HUMAN_NOUNS = {
    "people", "person", "civilian", "soldier", "fighter", "militant", "man", "woman", "child", "protester",
    "demonstrator", "journalist", "worker", "villager", "resident", "official", "officer", "policeman", "troop",
    "member", "leader", "commander", "student", "farmer", "family", "refugee", "prisoner", "hostage",
}


# --- arguments --------------------------------------------------------------------------------------------


def _arguments(ctx: CodingContext, token: Token, trigger: Trigger, frame: SpeechFrame | None
               ) -> tuple[list[ActorRef], list[ActorRef]]:
    actors = ctx.actors
    source_tokens: list[Token] = []
    target_tokens: list[Token] = []
    preps = TARGET_PREPS.get(trigger.type, set())
    if token.pos_ in ("VERB", "AUX"):
        if is_passive(token):
            source_tokens = agent_of(token)
            target_tokens = children(token, {"nsubjpass"})
            if token.dep_ in ("acl", "relcl") and not target_tokens:
                target_tokens = [token.head]  # "militias backed by Iran" → militias
            if not source_tokens and trigger.type in ("AID", "SUPPORT", "COOPERATE"):
                source_tokens = _oblique_actors(token, ctx)
        else:
            source_tokens, _ = clause_subject(token)
            target_tokens = children(token, {"dobj", "dative", "attr"}) + prep_objects(token, preps)
            if token.dep_ in ("acl",) and token.tag_ == "VBN" and not target_tokens:
                target_tokens = [token.head]
    else:  # noun trigger
        source_tokens = children(token, {"poss"}) + agent_of(token)
        source_tokens += [c for c in token.children if c.dep_ in ("compound", "amod", "nmod")
                          and actors.mention_at(c) is not None]
        target_tokens = prep_objects(token, preps | {"of"} if trigger.type != "ACCUSE" else preps)
        carrier = token.head
        if token.dep_ in ("dobj", "nsubjpass") and carrier.lemma_.lower() in LIGHT_VERBS and not source_tokens:
            if is_passive(carrier):
                source_tokens = agent_of(carrier)
            else:
                source_tokens, _ = clause_subject(carrier)
            target_tokens += prep_objects(carrier, preps)
    source = [ref for t in source_tokens for ref in actors.refs_in_phrase(t)]
    target = [ref for t in target_tokens for ref in actors.refs_in_phrase(t)]
    if not source and frame is not None and frame.accused:
        source = list(frame.accused)  # "accused the Russians of attacking …" → the Russians
    source = unique_refs(source)
    target = [ref for ref in unique_refs(target) if ref.id not in {s.id for s in source}]
    return source, target


def _oblique_actors(verb: Token, ctx: CodingContext) -> list[Token]:
    """Agentless passive of support ("which … American troops and US aircraft get supported"): the other
    actor phrases of the clause are the supporters."""
    found = []
    for token in verb.subtree:
        if token.i == verb.i or ctx.actors.mention_at(token) is None:
            continue
        if token.dep_ in ("pobj", "conj", "nsubj") and token.head.dep_ not in ("relcl",) and token.lower_ not in (
            "which", "who"
        ):
            found.append(token)
    return found


# --- events -----------------------------------------------------------------------------------------------


def _trigger_event(ctx: CodingContext, token: Token, trigger: Trigger, sentence_index: int, lexicon: Lexicon
                   ) -> Event | None:
    frame = frame_covering(ctx.frames, token, sentence_index) or _frame_of_coordinated_cue(ctx, token)
    source, target = _arguments(ctx, token, trigger, frame)
    if trigger.needs in ("military_subject", "armed_subject") and not any(
        ref.sector in ARMED_SECTORS for ref in source
    ):
        return None
    fatalities, injured = _casualties(token)
    location = _location(ctx, token, sentence_index, source + target)
    if not source and not target and not (
        trigger.type in KEPT_WITHOUT_ACTORS and (fatalities is not None or location.basis == "sentence")
    ):
        return None
    mode = trigger.mode or _mode(token, trigger.type, lexicon)
    sent = ctx.sents[sentence_index]
    territory = trigger.territory
    acled = lexicon.acled_for(trigger.type, mode, _kind(target), _kind(source), territory)
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
        date=ctx.sentence_dates[sentence_index],
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


def _frame_of_coordinated_cue(ctx: CodingContext, token: Token) -> SpeechFrame | None:
    """"accused the Russians of attacking X, and injured some fighters": a verb coordinated with a cue of
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
    outer = next((f for f in ctx.frames if f is not frame and f.sentence == frame.sentence
                  and cue_token.i in f.scope), None)
    cameo = frame.cue.cameo or "11"
    acled = lexicon.acled_for(frame.cue.event_type, frame.cue.event_mode, _kind(frame.accused or frame.targets),
                              _kind(frame.speaker), False)
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
        location=_location(ctx, cue_token, frame.sentence, frame.speaker) or None,
        date=ctx.sentence_dates[frame.sentence],
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


def _fill_speech_targets(ctx: CodingContext, speech_events: dict[int, Event], events: list[Event]) -> None:
    """A complaint without an object targets whom it complains about: the source of what it reports."""
    for index, speech in speech_events.items():
        if speech.target:
            continue
        frame = ctx.frames[index]
        reported = [e for e in events if e is not speech and e.span == speech.span
                    and e.trigger_span[0] >= 0 and _token_at(ctx.doc, e.trigger_span[0]).i in frame.scope]
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


def _token_at(doc: Doc, char: int) -> Token:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else doc[0]


def _claim(ctx: CodingContext, frame: SpeechFrame | None) -> Claim:
    if frame is None or (not frame.speaker and frame.cue.kind != "adverb"):
        status = frame.status if frame is not None else "asserted"
        return Claim(speaker=outlet_speaker(ctx.site), status=status,
                     cue=frame.cue_text if frame is not None else None)
    if not frame.speaker:  # "reportedly": the outlet itself distances the claim
        return Claim(speaker=outlet_speaker(ctx.site), status=frame.status, cue=frame.cue_text)
    return Claim(speaker=actor_speaker(frame.speaker[0]), status=frame.status, cue=frame.cue_text,
                 event="pending")


def _link_claims(ctx: CodingContext, events: list[Event]) -> None:
    """Point each claimed event at the speech event that carries it (same speaker, same or earlier sentence)."""
    speech = [e for e in events if e.claim.speaker.get("kind") == "outlet" and e.trigger_span in
              {f.span for f in ctx.frames if f.event_id}]
    for event in events:
        speaker = event.claim.speaker
        if speaker.get("kind") != "actor":
            continue
        candidates = [s for s in speech if s is not event and s.source and s.source[0].id == speaker.get("id")
                      and s.span[0] <= event.span[0]]
        if candidates:
            event.claim.event = max(candidates, key=lambda s: s.span[0]).id


def _deduplicate(events: list[Event]) -> list[Event]:
    """One event per (sentence, type, source, target): "attacked and shelled" in one clause is one record."""
    kept: dict[tuple, Event] = {}
    for event in events:
        key = (event.span, event.type, tuple(r.id for r in event.source), tuple(r.id for r in event.target),
               event.negated)
        previous = kept.get(key)
        if previous is None:
            kept[key] = event
        elif previous.mode is None and event.mode is not None:
            previous.mode = event.mode
            previous.acled_event_type = previous.acled_event_type or event.acled_event_type
            previous.acled_sub_event_type = event.acled_sub_event_type or previous.acled_sub_event_type
        if previous is not None and previous.fatalities is None:
            previous.fatalities = event.fatalities
    return list(kept.values())


# --- attributes ---------------------------------------------------------------------------------------------


def _mode(token: Token, event_type: str, lexicon: Lexicon) -> str | None:
    """Mode from method / weapon cues, nearest to the trigger first."""
    sent = token.sent
    ordered = sorted(sent, key=lambda t: (0 if t.head == token or token.head == t else 1, abs(t.i - token.i)))
    for other in ordered:
        for cue in lexicon.mode_cues_for(other.lemma_.lower()):
            if cue.applies_to and event_type not in cue.applies_to:
                continue
            if len(cue.lemmas) > 1 and not _lemmas_at(other, cue.lemmas):
                continue
            return cue.mode
    return None


def _lemmas_at(token: Token, lemmas: tuple[str, ...]) -> bool:
    doc = token.doc
    start = token.i - (len(lemmas) - 1)
    if start < 0:
        return False
    return all(doc[start + k].lemma_.lower() == lemma for k, lemma in enumerate(lemmas))


def _kind(refs: list[ActorRef]) -> str | None:
    """ACLED's view of an actor group: state forces, non-state armed groups, protesters, civilians."""
    if not refs:
        return None
    sectors = {ref.sector for ref in refs}
    if sectors & {"MIL", "COP", "GOV", "SPY"}:
        return "state"
    if sectors & NONSTATE_ARMED:
        return "nonstate"
    if sectors & {"PRO", "OPP"} or any("protest" in ref.text.lower() or "demonstrat" in ref.text.lower()
                                        for ref in refs):
        return "protesters"
    if sectors & {"IGO"}:
        return "igo"
    return "civilians"


def _negated(token: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("no", "never") for c in token.children):
        return True
    head = token
    for _ in range(3):  # "without being involved in combat", "no signs of attack", "did not launch an attack"
        if head.lower_ in ("without", "no", "never"):
            return True
        if head.head is head:
            break
        if head.pos_ == "NOUN" and head.head.lower_ in ("of", "in") and any(
            c.lower_ in ("no", "without") for c in head.head.head.children
        ):
            return True
        if head.dep_ in ("dobj", "xcomp", "pcomp", "pobj") and any(c.dep_ == "neg" for c in head.head.children):
            return True
        head = head.head
    return False


def _hypothetical(token: Token) -> bool:
    for node in [token, *token.ancestors][:4]:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "conj", "ccomp", "pcomp", "pobj", "prep", "dobj"):
            break
    return False


def _future(token: Token) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in token.children):
        return True
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in FUTURE_HEADS:
        return True
    return token.dep_ == "xcomp" and token.head.lower_ == "going"


def _casualties(token: Token) -> tuple[int | None, int | None]:
    """Killed and injured counts stated in the trigger's sentence ("killing at least 12", "3 soldiers died")."""
    killed: list[int] = []
    injured: list[int] = []
    for number in token.sent:
        if not (number.like_num or number.lower_ in NUMBER_WORDS) or number.ent_type_ in ("DATE", "TIME", "MONEY"):
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


def _location(ctx: CodingContext, token: Token, sentence_index: int, participants: list[ActorRef]) -> Location:
    """The place of the event: in its sentence (the trigger's own phrases first), else paragraph, else document."""
    sent = ctx.sents[sentence_index]
    actor_spans = [ref.span for ref in participants]
    in_sentence = [
        m for m in ctx.place_mentions
        if sent.start_char <= m.span[0] < sent.end_char and not any(
            m.span[0] < a[1] and a[0] < m.span[1] for a in actor_spans)
    ]
    if in_sentence:
        subtree = {t.idx for t in token.subtree}
        best = max(in_sentence, key=lambda m: (
            _precision_rank(m.place) + (2 if _starts_in(m.span, subtree, ctx.doc) else 0)
            + (1 if m.relation else 0) - abs(m.span[0] - token.idx) / 1000
        ))
        return _as_location(best, "sentence")
    paragraph = ctx.paragraph_of[sentence_index]
    earlier = [
        m for m in ctx.place_mentions
        if m.span[0] < sent.start_char and m.place.feature not in ("country",)
        and ctx.paragraph_of[_sentence_of(ctx, m.span[0])] == paragraph
    ]
    if earlier:
        return _as_location(earlier[-1], "paragraph")
    focus = _document_focus(ctx)
    if focus is not None:
        return _as_location(PlaceMention(focus.mentions[0] if focus.mentions else (0, 0), focus, None), "document")
    return Location(name="", geonameid=None, lat=None, lon=None, country=None, admin1=None, precision="unknown",
                    basis="document")


def _starts_in(span: tuple[int, int], token_starts: set[int], doc: Doc) -> bool:
    return span[0] in token_starts


def _sentence_of(ctx: CodingContext, char: int) -> int:
    for index, sent in enumerate(ctx.sents):
        if sent.start_char <= char < sent.end_char:
            return index
    return 0


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
    return {"city": 3, "admin2": 2.5, "admin1": 2, "region": 1.5, "river": 1, "country": 0.5}.get(place.feature, 1)


def _as_location(mention: PlaceMention, basis: str) -> Location:
    place = mention.place
    precision = place.feature if place.feature in ("city", "admin1", "country", "region", "river") else (
        "city" if place.feature in ("town", "village", "locality", "admin2") else place.feature)
    return Location(
        name=place.name, geonameid=place.geonameid, lat=place.lat, lon=place.lon, country=place.country,
        admin1=place.admin1, precision=precision, relation=mention.relation if basis == "sentence" else None,
        place=place.id, basis=basis,
    )


def _salience(event: Event, ctx: CodingContext) -> float:
    """How central the event is to the document: violent and material before verbal, early before late,
    complete (actors, place, casualties) before partial, real before negated or hypothetical."""
    sentence_index = _sentence_of(ctx, event.span[0])
    score = TYPE_WEIGHT.get(event.type, 1.0)
    score += 1.5 / (1.0 + 0.35 * sentence_index)
    score += 0.5 * bool(event.source) + 0.5 * bool(event.target)
    score += 0.4 * (event.location is not None and event.location.basis == "sentence")
    score += 0.3 * math.log1p(event.fatalities or 0)
    if event.negated or event.hypothetical:
        score *= 0.3
    if event.future:
        score *= 0.7
    return round(score, 4)
