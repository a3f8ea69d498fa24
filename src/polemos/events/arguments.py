"""Who is involved: from parse tokens to the actors of an event (subjects, objects, agents, phrases).

The coder, the claim finder and the affiliation finder all ask the same questions of the dependency parse
("which actors does this noun phrase name?", "who is the subject of this verb?"); they are answered here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Token

from polemos import geo
from polemos.actors.dictionary import ActorDictionary
from polemos.model import Actor, ActorMention, ActorRef

# Dependencies that stay inside a noun phrase (and its coordination / apposition).
PHRASE_DEPS = {
    "compound",
    "amod",
    "det",
    "poss",
    "nmod",
    "appos",
    "conj",
    "cc",
    "nummod",
    "quantmod",
    "punct",
    "case",
    "predet",
    "preconj",
    "nn",
}
SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
RELATIVE_PRONOUNS = {"which", "who", "that", "whom"}
# Personal pronouns that can stand for an actor, with the kind of actor they can stand for.
PERSONAL_PRONOUNS = {
    **dict.fromkeys(("it", "its", "itself"), "thing"),
    **dict.fromkeys(("he", "him", "his", "himself", "she", "her", "herself"), "person"),
    **dict.fromkeys(("they", "them", "their", "themselves", "we", "us", "our"), "any"),
}
PRONOUN_DEPTH = 3  # how many pronouns may stand for one another ("X said it … its …")
# "ie SDF units", "namely the SDF": the actor that follows names the preceding phrase.
APPOSITION_MARKERS = {"ie", "i.e.", "i.e", "namely", "viz", "viz."}


# "the group" → the nearest earlier non-state actor; "the ministry" → the nearest state actor of that sector
ANAPHORIC_NOUNS: dict[str, tuple[str, set[str] | None]] = {
    **{
        noun: ("non-state", None)
        for noun in (
            "group",
            "militia",
            "movement",
            "organisation",
            "organization",
            "faction",
            "insurgency",
            "rebel",
            "militant",
            "insurgent",
        )
    },
    **{noun: ("state", {"MIL"}) for noun in ("army", "military")},
    **{noun: ("state", {"GOV", "MIL"}) for noun in ("ministry", "government", "authority", "regime")},
    "police": ("state", {"COP"}),
}


class ActorIndex:
    """Actor mentions of one document, addressable by token."""

    def __init__(self, doc: Doc, mentions: list[ActorMention], mention_actor: list[str], actors: list[Actor]):
        self.doc = doc
        self.mentions = mentions
        self.mention_actor = mention_actor
        self.actors = {actor.id: actor for actor in actors}
        self.actor_list = actors  # the document's actors: a state named only as a place is added to it
        self.added: set[str] = set()  # ids of the actors added so
        self.named: set[tuple[str, tuple[int, int]]] = set()  # (actor id, span) of references made so
        self.token_mention: dict[int, int] = {}
        for index, mention in enumerate(mentions):
            span = doc.char_span(*mention.span, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                self.token_mention.setdefault(token.i, index)
        self.apposed = self._apposition_links()

    def _apposition_links(self) -> dict[int, list[int]]:
        """Links "coalition partners, ie SDF units" → the SDF mention is apposed to the phrase before it."""
        links: dict[int, list[int]] = {}
        for token in self.doc:
            if token.lower_ not in APPOSITION_MARKERS:
                continue
            following = self._first_mention_after(token.i, limit=4)
            if following is None:
                continue
            # the phrase before the marker: its last noun
            for back in range(token.i - 1, max(token.sent.start, token.i - 6) - 1, -1):
                candidate = self.doc[back]
                if candidate.pos_ in ("NOUN", "PROPN", "PRON"):
                    links.setdefault(candidate.i, []).append(following)
                    break
        return links

    def _first_mention_after(self, start: int, limit: int) -> int | None:
        for i in range(start + 1, min(len(self.doc), start + 1 + limit)):
            if i in self.token_mention:
                return self.token_mention[i]
        return None

    def mention_at(self, token: Token) -> int | None:
        return self.token_mention.get(token.i)

    def ref(self, mention_index: int) -> ActorRef:
        mention = self.mentions[mention_index]
        return self.actors[self.mention_actor[mention_index]].ref(mention.text, mention.span)

    def state_ref(self, country: str, text: str, span: tuple[int, int]) -> ActorRef:
        """The state of ``country`` as named by ``text`` ("sanctions on Iran", "an Indian proposal"): the
        document's actor for that state, else a new one. A new one has no mention (the text is a place's or
        an adjective's, already recorded as such) and no dictionary code (it links no dictionary relations
        to an actor without a mention)."""
        actor = next(
            (
                a
                for a in self.actor_list
                if a.type == "state" and a.country == country and (a.code == country or a.id in self.added)
            ),
            None,
        )
        if actor is None:
            entry = ActorDictionary.load().get(country)
            actor = Actor(
                id=f"a{len(self.actor_list) + 1}",
                name=entry.name if entry else (geo.country_name(country) or country),
                country=country,
                sector=entry.sector if entry else "GOV",
                type="state",
                known=entry is not None,
                aliases=[text],
            )
            self.actor_list.append(actor)
            self.actors[actor.id] = actor
            self.added.add(actor.id)
        elif text not in actor.aliases:
            actor.aliases.append(text)
        self.named.add((actor.id, span))
        return actor.ref(text, span)

    def people_ref(self, country: str, text: str, span: tuple[int, int]) -> ActorRef:
        """People of a country named by a phrase no actor mention covers ("Algerian landowners", "Iraqi
        youths"): a new actor of that country, with no sector and no mention (see :meth:`state_ref`)."""
        actor = next((a for a in self.actor_list if a.id in self.added and a.name == text), None)
        if actor is None:
            actor = Actor(
                id=f"a{len(self.actor_list) + 1}",
                name=text,
                country=country,
                sector=None,
                type="other",
                known=False,
                aliases=[text],
            )
            self.actor_list.append(actor)
            self.actors[actor.id] = actor
            self.added.add(actor.id)
        self.named.add((actor.id, span))
        return actor.ref(text, span)

    def refs_in_phrase(self, head: Token) -> list[ActorRef]:
        """The actors a noun phrase names: its head, coordinated and apposed phrases, "units of the SDF"."""
        head = resolve_pronoun(head)
        if head is None:
            return []
        indexes: list[int] = []
        own = self.token_mention.get(head.i)
        if own is not None:
            indexes.append(own)  # the head's own actor comes first
        for token in phrase_tokens(head, self.token_mention):
            mention = self.token_mention.get(token.i)
            if mention is not None and mention not in indexes:
                indexes.append(mention)
            for linked in self.apposed.get(token.i, []):
                if linked not in indexes:
                    indexes.append(linked)
        if (
            own is not None
            and self.mentions[own].type != "person"
            and (self.mentions[own].country is None or head.pos_ == "NOUN")
        ):
            # "activists from the Fatah party", "doctors of two American aid groups": people named by what
            # they are (a common noun, whatever country they were given) act for the organisation or state
            # they come from
            for token in prep_objects(head, {"of", "from"}):
                for inner in phrase_tokens(token, self.token_mention):
                    mention = self.token_mention.get(inner.i)
                    if mention is not None and mention not in indexes:
                        indexes.append(mention)
        if not indexes:
            antecedent = self._antecedent(head)
            if antecedent is not None:
                indexes.append(antecedent)
        owner = head if head.lower_ in PERSONAL_PRONOUNS else _possessive_pronoun(head)
        if owner is not None and (not indexes or (own is not None and self.mentions[own].country is None)):
            # "it" → its antecedent; "their forces" → the forces and whose they are
            indexes += [i for i in self.pronoun_antecedent(owner) if i not in indexes]
        if own is not None and self.mentions[own].role_of:
            # "Russian Defense Ministry spokesman Igor Konashenkov": the person speaks, not the ministry too
            role_of = self.mentions[own].role_of
            indexes = [i for i in indexes if i == own or self.mentions[i].code != role_of]
        return unique_refs(self.ref(i) for i in indexes)

    def _antecedent(self, head: Token) -> int | None:
        """The nearest earlier actor (three sentences back) of the kind "the group", "the ministry" names."""
        wanted = ANAPHORIC_NOUNS.get(head.lemma_.lower())
        if wanted is None or not any(c.lower_ in ("the", "this", "that") for c in head.children):
            return None
        sentence_starts = [s.start_char for s in self.doc.sents if s.start_char <= head.idx]
        horizon = sentence_starts[-4] if len(sentence_starts) >= 4 else 0
        for index in sorted(self.token_mention.values(), key=lambda i: -self.mentions[i].span[0]):
            mention = self.mentions[index]
            if not horizon <= mention.span[0] < head.idx:
                continue
            if mention.type == wanted[0] and (wanted[1] is None or mention.sector in wanted[1]):
                return index
        return None

    def pronoun_antecedent(self, pronoun: Token, depth: int = 0) -> list[int]:
        """The actor mentions a personal pronoun stands for ("Syria says it is willing to …" → Syria).

        The subject of the nearest clause above the pronoun's own that names a fitting actor (the speaker of
        "X said it would …", the actor of "X stopped its attacks"), else the main subject of the sentence
        before. "he"/"she" stand for persons, "it" for anything but a person."""
        kind = PERSONAL_PRONOUNS.get(pronoun.lower_)
        if kind is None or depth >= PRONOUN_DEPTH:
            return []
        for node in pronoun.ancestors:
            for subject in children(node, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS):
                if subject.left_edge.i <= pronoun.i <= subject.right_edge.i:
                    continue
                found = self._subject_mentions(subject, kind, depth)
                if found:
                    return found
        sent = pronoun.sent
        if sent.start == 0:
            return []
        previous = self.doc[sent.start - 1].sent
        for subject in children(previous.root, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS):
            found = self._subject_mentions(subject, kind, depth)
            if found:
                return found
        return []

    def _subject_mentions(self, subject: Token, kind: str, depth: int) -> list[int]:
        """The mentions a subject phrase names that fit a pronoun of ``kind``."""
        if subject.lower_ in PERSONAL_PRONOUNS:
            return self.pronoun_antecedent(subject, depth + 1)
        subject = resolve_pronoun(subject) or subject
        found: list[int] = []
        for token in phrase_tokens(subject, self.token_mention):
            index = self.token_mention.get(token.i)
            if index is None or index in found:
                continue
            is_person = self.mentions[index].type == "person"
            if kind == "any" or (kind == "person") == is_person:
                found.append(index)
        owner = _possessive_pronoun(subject)
        own = self.token_mention.get(subject.i)
        if found and owner is not None and own is not None and self.mentions[own].country is None:
            found += [i for i in self.pronoun_antecedent(owner, depth + 1) if i not in found]
        return found

    def is_apposed(self, head: Token) -> bool:
        """True when the phrase is introduced by "ie"/"namely": it renames the phrase before it."""
        tokens = phrase_tokens(head, self.token_mention)
        first = tokens[0]
        before = first.doc[first.i - 1] if first.i > 0 else None
        return any(t.lower_ in APPOSITION_MARKERS for t in tokens) or (
            before is not None and before.lower_ in APPOSITION_MARKERS
        )


def unique_refs(refs: Iterable[ActorRef]) -> list[ActorRef]:
    seen: set[str] = set()
    result: list[ActorRef] = []
    for ref in refs:
        if ref.id not in seen:
            seen.add(ref.id)
            result.append(ref)
    return result


def phrase_tokens(head: Token, token_mention: dict[int, int]) -> list[Token]:
    """Tokens of the noun phrase headed by ``head``, without relative clauses or adjuncts.

    "of"/"from" phrases are followed only when the head itself names no actor ("units of the SDF" → SDF,
    but "militia from Iran" stays the militia).
    """
    result: list[Token] = []
    stack = [head]
    seen: set[int] = set()
    while stack:
        token = stack.pop()
        if token.i in seen:
            continue
        seen.add(token.i)
        result.append(token)
        for child in token.children:
            if child.dep_ in PHRASE_DEPS:
                stack.append(child)
            elif child.dep_ == "prep" and child.lower_ in ("of", "from") and token.i not in token_mention:
                stack.extend(grand for grand in child.children if grand.dep_ == "pobj")
    return sorted(result, key=lambda t: t.i)


def state_words(
    head: Token, token_mention: dict[int, int], place_country: Callable[[Token], str | None]
) -> list[tuple[str, str, tuple[int, int]]]:
    """States a noun phrase names without an actor mention: the phrase is a place ("aid to Bosnia", "talks in
    Tehran" → the state it lies in) or carries a nationality adjective or a country name as modifier ("an
    Indian proposal", "a US offer"). Returns (ISO3, text, char span) for each, in phrase order."""
    found: list[tuple[str, str, tuple[int, int]]] = []
    for token in phrase_tokens(head, token_mention):
        if token.i in token_mention or token.dep_ in ("appos", "conj", "cc", "punct", "det", "case"):
            continue
        if token is not head and token.dep_ not in ("amod", "compound", "poss", "nmod"):
            continue
        country = place_country(token)
        if country is None and token.pos_ in ("ADJ", "PROPN", "NOUN") and token.text[:1].isupper():
            country = geo.demonym_country(token.text)
        if country is not None and country not in (c for c, _, _ in found):
            found.append((country, token.text, (token.idx, token.idx + len(token))))
    return found


def resolve_pronoun(token: Token) -> Token | None:
    """A relative pronoun stands for the noun its clause modifies; other pronouns are left unresolved."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ in ("relcl", "acl"):
        return token.head.head
    if token.pos_ == "PRON" and token.lower_ not in RELATIVE_PRONOUNS:
        return token  # personal pronouns name no actor here (no coreference yet)
    return token


def _possessive_pronoun(head: Token) -> Token | None:
    """The possessive pronoun of a phrase ("its positions" → its)."""
    return next((c for c in head.children if c.dep_ == "poss" and c.lower_ in PERSONAL_PRONOUNS), None)


def children(token: Token, deps: set[str]) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def prep_objects(token: Token, preps: set[str]) -> list[Token]:
    """Objects of the given prepositions attached to ``token`` ("attack on X" → X)."""
    found = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            found.extend(grand for grand in child.children if grand.dep_ in ("pobj", "pcomp"))
    return found


def agent_of(verb: Token) -> list[Token]:
    """The "by" agent of a passive verb or of a noun ("a raid by X")."""
    found = []
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            found.extend(grand for grand in child.children if grand.dep_ == "pobj")
    return found


def is_passive(verb: Token) -> bool:
    return any(child.dep_ in ("auxpass", "nsubjpass") for child in verb.children)


def clause_subject(verb: Token) -> tuple[list[Token], bool]:
    """The subject tokens of ``verb`` (climbing through coordination and control), and whether inherited.

    Returns ([], False) when no subject can be found.
    """
    current = verb
    inherited = False
    for _ in range(4):
        subjects = children(current, SUBJECT_DEPS)
        subjects = [s for s in subjects if s.dep_ != "expl"]
        if subjects:
            return subjects, inherited
        if current.dep_ in ("conj", "xcomp") and current.head.pos_ in ("VERB", "AUX"):
            if current.dep_ == "xcomp":
                objects = children(current.head, {"dobj"})
                if objects:  # object control: "urged Russia to attack" → Russia
                    return objects, True
            current = current.head
            inherited = True
            continue
        if current.dep_ == "xcomp" and current.head.pos_ == "ADJ" and current.head.dep_ in ("acomp", "amod"):
            current = current.head.head  # "Syria is willing to withdraw" → Syria
            inherited = True
            continue
        if current.dep_ in ("acl", "relcl") and current.tag_ == "VBG":
            return [current.head], True  # "militants attacking the base"
        break
    return [], inherited


def existential_negation(token: Token) -> bool:
    """ "There are no signs of attack, fighting or craters": the list after an existential "no" is negated."""
    node = token
    for _ in range(6):
        if node.lemma_ == "be" and any(c.dep_ == "expl" for c in node.children):
            return any(
                grand.lower_ in ("no", "never")
                for c in node.children
                if c.dep_ in ("attr", "nsubj")
                for grand in c.children
            ) or any(c.dep_ == "neg" for c in node.children)
        if node.head is node:
            return False
        node = node.head
    return False
