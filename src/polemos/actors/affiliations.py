"""Affiliations stated in the text: who backs, leads, allies with, belongs to or fights whom.

"US-backed SDF", "Iranian-backed militias", "X, supported by Y", "X, allied with Y", "X, a faction of Y",
"militia from Iran, Iraq and Lebanon", "fighting between X and Y" → ``Relation`` records with their evidence.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from polemos.events.arguments import (
    ActorIndex,
    agent_of,
    children,
    existential_negation,
    prep_objects,
    resolve_pronoun,
)
from polemos.model import ActorRef, Relation

# lemma of the participle → relation of the modified actor to the one named before the hyphen / after "by"
PARTICIPLE_RELATIONS = {
    "back": "backed_by",
    "support": "backed_by",
    "sponsor": "backed_by",
    "fund": "backed_by",
    "finance": "backed_by",
    "arm": "backed_by",
    "train": "backed_by",
    "equip": "backed_by",
    "lead": "led_by",
    "command": "led_by",
    "ally": "allied_with",
    "align": "allied_with",
    "affiliate": "part_of",
    "link": "allied_with",
    "tie": "allied_with",
}
# "X, an ally of Y", "X, a faction of Y" → relation of X to Y
NOUN_RELATIONS = {
    "ally": "allied_with",
    "partner": "allied_with",
    "proxy": "backed_by",
    "client": "backed_by",
    "faction": "part_of",
    "member": "part_of",
    "affiliate": "part_of",
    "branch": "part_of",
    "wing": "part_of",
    "unit": "part_of",
    "offshoot": "part_of",
    "part": "part_of",
    "enemy": "fighting",
    "foe": "fighting",
    "rival": "fighting",
}
FIGHT_LEMMAS = {"fight", "fighting", "clash", "battle", "war", "combat", "hostility", "skirmish"}
ARMED_SECTORS = {"MIL", "REB", "PRM", "UAF", "INS", "COP"}

RelationFactory = Callable[[ActorRef, str, ActorRef, Span, tuple[int, int]], None]


def find_relations(
    sents: list[Span], skip: set[int], actors: ActorIndex, adjective_actor: Callable[[Token], ActorRef | None]
) -> list[Relation]:
    """All affiliations stated in the document's sentences (boilerplate sentences skipped).

    ``adjective_actor`` turns a country adjective ("Iranian" in "Iranian-backed") into an actor, or None.
    """
    relations: list[Relation] = []
    seen: set[tuple[str, str, str]] = set()

    def add(actor: ActorRef, relation: str, other: ActorRef, sent: Span, span: tuple[int, int]) -> None:
        if actor.id == other.id or (actor.id, relation, other.id) in seen:
            return
        seen.add((actor.id, relation, other.id))
        relations.append(
            Relation(
                id=f"r{len(relations) + 1}",
                actor=actor.id,
                relation=relation,
                other=other.id,
                actor_name=actor.name,
                other_name=other.name,
                sentence=sent.text.strip(),
                span=span,
            )
        )

    for index, sent in enumerate(sents):
        if index in skip:
            continue
        for token in sent:
            _hyphen_participle(token, sent, actors, adjective_actor, add)
            _participle_with_agent(token, sent, actors, add)
            _apposed_noun(token, sent, actors, add)
            _origin(token, sent, actors, add)
            _fighting(token, sent, actors, add)
    return relations


def _span(first: Token, last: Token) -> tuple[int, int]:
    start, end = sorted((first.i, last.i))
    doc = first.doc
    return doc[start].idx, doc[end].idx + len(doc[end])


def _hyphen_participle(
    token: Token,
    sent: Span,
    actors: ActorIndex,
    adjective_actor: Callable[[Token], ActorRef | None],
    add: RelationFactory,
) -> None:
    """ "US-backed SDF", "Iranian-backed militias", "Saudi-led coalition"."""
    relation = PARTICIPLE_RELATIONS.get(token.lemma_.lower())
    if relation is None or token.tag_ not in ("VBN", "JJ") or token.i < 2:
        return
    doc = token.doc
    if doc[token.i - 1].text not in ("-", "–"):
        return
    backer_token = doc[token.i - 2]
    backer_index = actors.mention_at(backer_token)
    backer = actors.ref(backer_index) if backer_index is not None else adjective_actor(backer_token)
    if backer is None:
        return
    backed = _modified_actors(token, actors)
    for other in backed:
        add(other, relation, backer, sent, _span(backer_token, doc[min(token.i + 3, sent.end - 1)]))


def _modified_actors(participle: Token, actors: ActorIndex) -> list[ActorRef]:
    """The actor a prenominal participle modifies: its head noun, else the next actor in the phrase."""
    head = participle.head
    if head.i > participle.i:
        refs = actors.refs_in_phrase(head)
        if refs:
            return refs[:1] if len(refs) > 1 and head.dep_ != "conj" else refs
    for i in range(participle.i + 1, min(participle.i + 5, participle.sent.end)):
        index = actors.mention_at(participle.doc[i])
        if index is not None:
            return [actors.ref(index)]
    return []


def _participle_with_agent(token: Token, sent: Span, actors: ActorIndex, add: RelationFactory) -> None:
    """ "the SDF, supported by US aircraft", "militias which are backed by Iran"."""
    relation = PARTICIPLE_RELATIONS.get(token.lemma_.lower())
    if relation is None or token.tag_ != "VBN" or token.dep_ not in ("acl", "relcl", "advcl", "amod"):
        return
    agents = agent_of(token)
    if not agents and relation == "allied_with":  # "X, allied with Y", "militias linked to Iran"
        agents = prep_objects(token, {"with", "to"})
    if not agents:
        return
    subjects = children(token, {"nsubjpass"})
    head = resolve_pronoun(subjects[0]) if subjects else token.head
    if head is None:
        return
    backed = actors.refs_in_phrase(head)
    backers = [ref for agent in agents for ref in actors.refs_in_phrase(agent)]
    for other in backed:
        for backer in backers:
            add(other, relation, backer, sent, _span(head, agents[-1]))


def _apposed_noun(token: Token, sent: Span, actors: ActorIndex, add: RelationFactory) -> None:
    """ "Hezbollah, an ally of Iran", "the YPG, a faction of the SDF", "X is a proxy of Y"."""
    relation = NOUN_RELATIONS.get(token.lemma_.lower())
    if relation is None or token.pos_ != "NOUN":
        return
    owners = prep_objects(token, {"of", "to"}) + children(token, {"poss"})
    if not owners:
        return
    if token.dep_ == "appos":
        subject = token.head
    elif token.dep_ == "attr" and token.head.lemma_ == "be":
        subjects = children(token.head, {"nsubj"})
        subject = subjects[0] if subjects else None
    else:
        return
    if subject is None:
        return
    members = actors.refs_in_phrase(subject)
    others = [ref for owner in owners for ref in actors.refs_in_phrase(owner)]
    for member in members:
        for other in others:
            add(member, relation, other, sent, _span(subject, owners[-1]))


def _origin(token: Token, sent: Span, actors: ActorIndex, add: RelationFactory) -> None:
    """ "the Shiite militia from Iran, Iraq and Lebanon": an armed group tied to the states it comes from."""
    if token.lower_ != "from" or token.dep_ != "prep":
        return
    head_index = actors.mention_at(token.head)
    if head_index is None:
        return
    group = actors.ref(head_index)
    if group.sector not in ARMED_SECTORS or group.country is not None:
        return
    for pobj in (c for c in token.children if c.dep_ == "pobj"):
        for origin in actors.refs_in_phrase(pobj):
            if origin.country is not None:
                add(
                    group,
                    "allied_with",
                    origin,
                    sent,
                    _span(token.head, pobj.doc[max(t.i for t in pobj.subtree)]),
                )


def _fighting(token: Token, sent: Span, actors: ActorIndex, add: RelationFactory) -> None:
    """ "fighting between X and Y", "clashes between X and Y", "X is fighting Y" (not when negated)."""
    if token.lemma_.lower() not in FIGHT_LEMMAS or _negated(token):
        return
    sides: list[ActorRef] = []
    if token.pos_ == "NOUN" or token.tag_ == "VBG" and token.dep_ not in ("ROOT", "ccomp", "conj", "xcomp"):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    sides.extend(actors.refs_in_phrase(pobj))
    elif token.pos_ == "VERB":
        subjects = children(token, {"nsubj"})
        objects = children(token, {"dobj"})
        if subjects and objects:
            left = [ref for s in subjects for ref in actors.refs_in_phrase(s)]
            right = [ref for o in objects for ref in actors.refs_in_phrase(o)]
            for a in left:
                for b in right:
                    add(a, "fighting", b, sent, (sent.start_char, sent.end_char))
        return
    for i, a in enumerate(sides):
        for b in sides[i + 1 :]:
            add(a, "fighting", b, sent, (sent.start_char, sent.end_char))


def _negated(token: Token) -> bool:
    if existential_negation(token):
        return True
    node = token
    for _ in range(4):
        if any(c.dep_ == "neg" or c.lower_ in ("no", "without") for c in node.children):
            return True
        if node.head is node:
            return False
        node = node.head
    return False
