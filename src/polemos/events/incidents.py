"""Incidents: disasters and accidents a text reports, told apart from conflict events.

A flood that kills twelve, a chemical plant that explodes, a bus that crashes: ACLED codes none of these, and
PLOVER files them under the context ``disasters``. This stage finds them (hazard words from
``data/hazards.yaml``, checked against the sentence's syntax and words) and reports each once per document as
an :class:`~polemos.model.Incident`. It also corrects the events coded in their sentences: a death the hazard
caused is not an attack, a relief operation is AID with no ACLED type, and a state of emergency is not
repression.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

from polemos.events.coder import CodingContext, casualties, event_location
from polemos.model import Event, Incident
from polemos.nlp import overlaps, sentence_index, token_at
from polemos.time import date_for_sentence
from polemos.yamldata import load_yaml

DATA_FILE = Path(__file__).parent / "data" / "hazards.yaml"
CATEGORIES = ("natural", "technological")
SUBJECT_DEPS = ("nsubj", "nsubjpass")


@dataclass(frozen=True)
class Hazard:
    name: str
    category: str
    nouns: tuple[tuple[str, ...], ...]  # lemma sequences, the head last
    verbs: frozenset[str]
    subjects: frozenset[str]
    needs_site: bool
    needs: frozenset[str]
    not_heads: frozenset[str]
    site_free_verbs: frozenset[str]
    armed_cues: bool


@dataclass(frozen=True)
class Hazards:
    """The contents of ``hazards.yaml``."""

    hazards: tuple[Hazard, ...]
    impact: frozenset[str]
    hazard_verbs: frozenset[str]
    sites: frozenset[str]
    attack_cues: frozenset[str]
    armed_cues: frozenset[str]
    accident_words: frozenset[str]
    metaphors: frozenset[str]
    not_after: frozenset[str]
    response_types: frozenset[str]
    as_aid: frozenset[str]
    drop: frozenset[tuple[str, str]]
    harm_lemmas: frozenset[str]
    heads: frozenset[str] = frozenset()  # every noun head and verb of a hazard: the words worth a look


@dataclass
class _Mention:
    hazard: Hazard
    sentence: int
    tokens: list[Token]  # the words naming it; the last is its head


@cache
def load_hazards(path: Path = DATA_FILE) -> Hazards:
    """Read and check ``hazards.yaml``; a malformed file raises ``ValueError`` naming file and entry."""
    data = load_yaml(path.read_text(encoding="utf-8"))

    def words(value: Any, where: str) -> frozenset[str]:
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise ValueError(f"{path}: {where} must be a list of words")
        return frozenset(w.lower() for w in value)

    hazards = []
    for name, entry in (data.get("hazards") or {}).items():
        if not isinstance(entry, dict) or entry.get("category") not in CATEGORIES:
            raise ValueError(f"{path}: hazard '{name}' needs a category, one of {', '.join(CATEGORIES)}")
        unknown = set(entry) - {
            "category",
            "nouns",
            "verbs",
            "subjects",
            "needs_site",
            "needs",
            "not_heads",
            "site_free_verbs",
            "armed_cues",
        }
        if unknown:
            raise ValueError(f"{path}: hazard '{name}' has unknown fields {sorted(unknown)}")
        nouns = words(entry.get("nouns", []), f"hazard '{name}' nouns")
        hazards.append(
            Hazard(
                name=name,
                category=entry["category"],
                nouns=tuple(tuple(noun.split()) for noun in sorted(nouns)),
                verbs=words(entry.get("verbs", []), f"hazard '{name}' verbs"),
                subjects=words(entry.get("subjects", []), f"hazard '{name}' subjects"),
                needs_site=bool(entry.get("needs_site", False)),
                needs=words(entry.get("needs", []), f"hazard '{name}' needs"),
                not_heads=words(entry.get("not_heads", []), f"hazard '{name}' not_heads"),
                site_free_verbs=words(entry.get("site_free_verbs", []), f"hazard '{name}' site_free_verbs"),
                armed_cues=bool(entry.get("armed_cues", False)),
            )
        )
    response = data.get("disaster_response") or {}
    drop = response.get("drop", [])
    if not all(isinstance(pair, list) and len(pair) == 2 for pair in drop):
        raise ValueError(f"{path}: disaster_response.drop must be a list of [TYPE, mode] pairs")
    return Hazards(
        hazards=tuple(hazards),
        impact=words(data.get("impact", []), "impact"),
        hazard_verbs=words(data.get("hazard_verbs", []), "hazard_verbs"),
        sites=words(data.get("sites", []), "sites"),
        attack_cues=words(data.get("attack_cues", []), "attack_cues"),
        armed_cues=words(data.get("armed_cues", []), "armed_cues"),
        accident_words=words(data.get("accident_words", []), "accident_words"),
        metaphors=words(data.get("metaphors", []), "metaphors"),
        not_after=words(data.get("not_after", []), "not_after"),
        response_types=frozenset(response.get("types", [])),
        as_aid=frozenset(response.get("as_aid", [])),
        drop=frozenset((str(t), str(m)) for t, m in drop),
        harm_lemmas=words(data.get("harm_lemmas", []), "harm_lemmas"),
        heads=frozenset(
            word for hazard in hazards for word in (*(noun[-1] for noun in hazard.nouns), *hazard.verbs)
        ),
    )


# ------------------------------------------------------------------------------------------------ finding


def find_incidents(ctx: CodingContext, hazards: Hazards | None = None) -> list[Incident]:
    """The document's incidents, one per hazard, in order of first mention."""
    hazards = hazards or load_hazards()
    sentences = [(index, sent) for index, sent in enumerate(ctx.sents) if index not in ctx.skip]
    mentions = [m for index, sent in sentences for m in _mentions_in(sent, index, hazards, set())]
    if mentions:  # once the text has told of a hazard, a later bare mention ("the blasts") is the same one
        known = {mention.hazard.name for mention in mentions}
        mentions = [m for index, sent in sentences for m in _mentions_in(sent, index, hazards, known)]
    groups: list[list[_Mention]] = []  # one per incident: the same hazard, or hazards named together
    for mention in mentions:
        group = next(
            (
                g
                for g in groups
                if any(m.hazard == mention.hazard or m.sentence == mention.sentence for m in g)
            ),
            None,
        )
        if group is None:
            groups.append([mention])
        else:
            group.append(mention)
    incidents = [_incident(ctx, group) for group in groups]
    incidents.sort(key=lambda incident: incident.trigger_span[0])
    for number, incident in enumerate(incidents, start=1):
        incident.id = f"i{number}"
    return incidents


def _mentions_in(sent: Span, index: int, hazards: Hazards, known: set[str]) -> list[_Mention]:
    """The hazards named in one sentence; those in ``known`` need no further evidence there."""
    candidates = [t for t in sent if t.lemma_.lower() in hazards.heads or t.lower_ in hazards.heads]
    if not candidates:
        return []
    lemmas = {token.lemma_.lower() for token in sent} | {token.lower_ for token in sent}
    attacked = bool(lemmas & hazards.attack_cues)
    armed = bool(lemmas & hazards.armed_cues) and not lemmas & hazards.accident_words
    found: list[_Mention] = []
    taken: set[int] = set()
    for token in candidates:
        if token.i in taken:
            continue
        for hazard in hazards.hazards:
            if (hazard.category == "technological" and attacked) or (hazard.armed_cues and armed):
                continue
            words = _noun_words(token, hazard, lemmas, hazards, hazard.name in known) or _verb_words(
                token, hazard, hazards
            )
            if words:
                found.append(_Mention(hazard, index, words))
                taken.update(word.i for word in words)
                break
    return found


def _noun_words(
    token: Token, hazard: Hazard, lemmas: set[str], hazards: Hazards, known: bool
) -> list[Token] | None:
    """The words of a noun naming the hazard at ``token`` (its head), when it tells of one that happened."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    lemma = token.lemma_.lower()
    for noun in hazard.nouns:
        if noun[-1] != lemma and noun[-1] != token.lower_:
            continue
        start = token.i - len(noun) + 1
        if start < token.sent.start:
            continue
        words = [token.doc[i] for i in range(start, token.i + 1)]
        if all(w.lemma_.lower() == n or w.lower_ == n for w, n in zip(words[:-1], noun[:-1], strict=True)):
            if _is_hazard_noun(words, hazard, lemmas, hazards, known):
                return words
    return None


def _is_hazard_noun(
    words: list[Token], hazard: Hazard, lemmas: set[str], hazards: Hazards, known: bool
) -> bool:
    head = words[-1]
    before = head.doc[words[0].i - 1] if words[0].i > head.sent.start else None
    if before is not None and before.lower_ in hazards.not_after:
        return False  # "political earthquake"
    if head.head.lemma_.lower() in hazard.not_heads and head.dep_ in ("dobj", "pobj", "nsubj"):
        return False  # "opened fire"
    if any(
        child.dep_ == "prep"
        and child.lower_ == "of"
        and any(obj.lemma_.lower() in hazards.metaphors for obj in child.children)
        for child in head.children
    ):
        return False  # "a flood of refugees"
    if known:
        return True
    if hazard.needs and not lemmas & hazard.needs:
        return False
    subject = _as_subject(head)
    verb = subject.head.lemma_.lower() if subject is not None else ""
    if hazard.needs_site and not lemmas & hazards.sites and verb not in hazard.site_free_verbs:
        return False
    if subject is not None and subject.head.pos_ in ("VERB", "AUX"):
        # a natural hazard that does something happened ("the eruption lit the sky"); a technological one
        # must strike ("the blaze gutted the plant")
        if hazard.category == "natural" or verb in hazards.hazard_verbs:
            return True
    return bool(lemmas & hazards.impact)


def _as_subject(noun: Token) -> Token | None:
    """The subject the noun is or heads: itself, or the quantity it counts ("a series of blasts")."""
    if noun.dep_ in SUBJECT_DEPS:
        return noun
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ in SUBJECT_DEPS:
        return noun.head.head
    return None


def _verb_words(token: Token, hazard: Hazard, hazards: Hazards) -> list[Token] | None:
    """``[token]`` when it is a verb of the hazard with a fitting subject ("the plant exploded")."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in hazard.verbs:
        return None
    subjects = [child for child in token.children if child.dep_ in SUBJECT_DEPS]
    for subject in subjects:
        names = {t.lemma_.lower() for t in subject.subtree if t.i <= subject.i}
        if names & hazard.subjects:
            return [token]
    return None


def _incident(ctx: CodingContext, mentions: list[_Mention]) -> Incident:
    first = mentions[0]
    head = first.tokens[-1]
    sent = ctx.sents[first.sentence]
    location = None
    for mention in mentions:  # the first mention whose sentence names a place, else the document's
        found = event_location(ctx, mention.tokens[-1], mention.sentence, [])
        if found.name and (found.basis == "sentence" or location is None):
            location = found
            if found.basis == "sentence":
                break
    counts = [casualties(mention.tokens[-1]) for mention in mentions]
    killed = [k for k, _ in counts if k is not None]
    injured = [i for _, i in counts if i is not None]
    start, end = first.tokens[0].idx, head.idx + len(head)
    return Incident(
        id="",
        category=first.hazard.category,
        hazard=first.hazard.name,
        hazards=list(dict.fromkeys(m.hazard.name for m in mentions)),
        trigger=ctx.doc.text[start:end],
        trigger_span=(start, end),
        sentence=sent.text.strip(),
        span=(sent.start_char, sent.end_char),
        mentions=[(m.tokens[0].idx, m.tokens[-1].idx + len(m.tokens[-1])) for m in mentions],
        location=location,
        date=date_for_sentence(ctx.expressions, first.sentence, ctx.document_date, position=head.idx),
        fatalities=max(killed) if killed else None,
        injured=max(injured) if injured else None,
    )


# ------------------------------------------------------------------------------------ correcting events


def correct_events(
    ctx: CodingContext, incidents: list[Incident], events: list[Event], hazards: Hazards | None = None
) -> list[Event]:
    """The events, corrected where they share a sentence with an incident (order kept).

    Removed: an event whose trigger is the hazard's own word, an attack with no political actor as its
    source whose trigger is harm ("floods killed 12"), and the classifier's guess for such a sentence.
    Events that respond to the disaster get the PLOVER context ``disasters`` and no ACLED type; mobilising
    for relief is AID, a state of emergency is not coded.
    """
    if not incidents:
        return events
    hazards = hazards or load_hazards()
    hazard_spans = [span for incident in incidents for span in incident.mentions]
    sentences = {sentence_index(ctx.sentence_starts, span[0]) for span in hazard_spans}
    kept = []
    for event in events:
        if sentence_index(ctx.sentence_starts, event.trigger_span[0]) not in sentences:
            kept.append(event)
        elif not _caused_by_hazard(ctx, event, hazard_spans, hazards):
            if (event.type, event.mode or "") not in hazards.drop:
                kept.append(_as_response(event, hazards))
    removed = {event.id for event in events} - {event.id for event in kept}
    for event in kept:  # no claim may point at an event that is gone
        if event.claim.event in removed:
            event.claim.event = None
        event.claim.disputed_by = [i for i in event.claim.disputed_by if i not in removed]
    return kept


def _caused_by_hazard(
    ctx: CodingContext, event: Event, hazard_spans: list[tuple[int, int]], hazards: Hazards
) -> bool:
    if any(overlaps(event.trigger_span, span) for span in hazard_spans):
        return True
    if event.coded_by == "classifier":  # the learned type of a sentence that tells of a disaster
        return True
    if event.type != "ASSAULT" or any(ref.country or ref.sector for ref in event.source):
        return False
    trigger = token_at(ctx.doc, event.trigger_span[0])
    return trigger is not None and (
        trigger.lemma_.lower() in hazards.harm_lemmas or trigger.lower_ in hazards.harm_lemmas
    )


def _as_response(event: Event, hazards: Hazards) -> Event:
    if event.type not in hazards.response_types:
        return event
    if event.type in hazards.as_aid:
        event.type, event.mode, event.cameo = "AID", None, "07"
    if "disasters" not in event.context:
        event.context = [*event.context, "disasters"]
    event.acled_event_type = event.acled_sub_event_type = None
    return event
