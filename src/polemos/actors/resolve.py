"""Find actor mentions in a spaCy ``Doc`` and merge them into document-level actors.

Resolution, in order:

1. Phrase matching of the dictionary (names case-insensitively, acronyms case-sensitively), organisation
   heads, person titles, group qualifiers and well-known persons (``data/*.yaml``); patterns built once
   per vocab.
2. Composition: "<country adjective> [adj]* <head>" ("Syrian troops" -> SYR-MIL, "US special forces" ->
   USA-MIL-SOF), "<Country>'s <head>", "<head> of <Country>", "<qualifier> <head>" ("Shiite militias" ->
   PRM-SHIA), "<known actor> <head>" ("SDF units" -> SDF, "Assad regime" -> SYR-GOV), coordinations
   ("Russian and Syrian troops"). "US-backed" and "pro-Russian" give the country as its own mention, never
   a composition.
3. Context checks: a country name after a locative preposition ("in Syria") is a place; a capital is an
   actor only as subject/object/possessor ("Moscow said", not "in Moscow"); "the Russians" is the state,
   bare "Syrians" its people (CVL).
4. Persons through the role the text gives ("Russian Defense Ministry spokesman Igor Konashenkov", "X, a
   spokesman for the SDF"), then the dictionary of well-known persons; later surname mentions link back.
5. Everything else spaCy calls ORG / PERSON / NORP (as a group), and capitalised names ending in an
   organisation head, is kept as an unknown actor (code None), except spans in ``place_spans`` or
   ``exclude`` and weapon/vehicle names.

Longest non-overlapping match wins; dictionary and compositions win over spaCy entities.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from spacy.lang.en import English
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from polemos.actors.coreference import (
    NAMED_NOUNS,
    attach_coreferents,
    coreferents_of,
    find_coreferences,
    unnamed_speakers,
)
from polemos.actors.dictionary import ActorDictionary, ActorEntry, HeadRule
from polemos.model import Actor, ActorMention
from polemos.nlp import SpanSet, entities, entities_within, inside_any, sentence_index, sentence_starts

CharSpan = tuple[int, int]

STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD"})
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those"})
COORDINATORS = frozenset({"and", "or", ",", "&"})
APPOSITION_PREPOSITIONS = frozenset({"of", "for", "at", "with", "from", "in"})
# sectors that name no national group: an IGO, NGO or media actor takes no country from its sentence
CONTEXT_COUNTRY_EXCLUDED = frozenset({"IGO", "NGO", "JRN"})
SINGULAR_BLOCKLIST = frozenset({"force", "authority", "agent", "service", "arm", "resistance", "air force"})
NAME_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "abu", "van", "von", "de", "der", "da", "di", "la", "le"}
)
BACKING_TOKEN = re.compile(r"^(?P<country>.+?)-(?P<word>[a-z]+)$")
ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$")  # "158th Fighter Wing"
GLUED_BRACKET = re.compile(r"[,.]?[(\[]")  # "Abu Haidar,[1]", "Abboud Qanbar(Arabic: …)"
ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z][A-Z0-9]*$")  # "AQI", "SRTF", "DoD"

# candidate priorities on equal length: lower wins
_PRIORITY = {
    "entry": 0,
    "person": 1,
    "comp": 2,
    "country": 3,
    "demonym": 3,
    "capital": 4,
    "generic": 5,
    "name": 6,
}


@dataclass
class _Candidate:
    start: int  # token offsets
    end: int
    kind: str  # entry | country | capital | demonym | comp | generic | person
    name: str
    code: str | None
    country: str | None
    sector: str | None
    type: str
    role_of: str | None = None
    chars: CharSpan | None = None  # overrides the token span ("US" inside the token "U.S.-backed")

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class _Match:
    start: int
    end: int
    kind: str  # entry | adj | demonym | capital | head | role | qual | person
    payload: str


@dataclass
class _Patterns:
    """Phrase matchers for one vocab, with what each match key stands for."""

    lower: PhraseMatcher
    orth: PhraseMatcher
    lowercase_aliases: dict[str, set[str]] = field(
        default_factory=dict
    )  # key -> aliases written in lowercase
    heads: list[HeadRule] = field(default_factory=list)


_PATTERN_CACHE: dict[int, tuple[Vocab, _Patterns]] = {}


def _is_acronym(alias: str) -> bool:
    """Acronyms and short mixed-case codes match case-sensitively ("IS", "U.S.", "DoD", "FAMa", "G7")."""
    letters = [char for char in alias if char.isalpha()]
    if " " in alias or not letters:
        return " " not in alias
    upper = sum(char.isupper() for char in letters)
    return upper == len(letters) or (upper >= 2 and len(alias) <= 8)


def _number_variants(phrase: str) -> set[str]:
    """The phrase with its last word in singular and plural ("soldiers" <-> "soldier")."""
    words = phrase.split(" ")
    last = words[-1]
    forms = {last}
    if last.endswith("men"):
        forms.add(last[:-3] + "man")
    elif last.endswith("man"):
        forms.add(last[:-3] + "men")
    elif last.endswith("ies"):
        forms.add(last[:-3] + "y")
    elif last.endswith("s") and not last.endswith(("ss", "us")):
        forms.add(last[:-1])
    elif last.isalpha() and not last.endswith(("y", "s", "ce")):
        forms.add(last + "s")
    variants = {" ".join([*words[:-1], form]) for form in forms}
    return {variant for variant in variants if variant == phrase or variant not in SINGULAR_BLOCKLIST}


def _apostrophe_variants(phrases: Iterable[str]) -> list[str]:
    """The phrases with straight and curly apostrophes both ("Da'esh", "Da’esh")."""
    variants: dict[str, None] = {}
    for phrase in phrases:
        variants.setdefault(phrase, None)
        for old, new in (("'", "’"), ("’", "'")):
            if old in phrase:
                variants.setdefault(phrase.replace(old, new), None)
    return list(variants)


def _patterns(vocab: Vocab, dictionary: ActorDictionary) -> _Patterns:
    cached = _PATTERN_CACHE.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    tokenizer = English(vocab=vocab).tokenizer
    patterns = _Patterns(lower=PhraseMatcher(vocab, attr="LOWER"), orth=PhraseMatcher(vocab, attr="ORTH"))
    lower: dict[str, list[str]] = {}
    orth: dict[str, list[str]] = {}

    def add(key: str, phrases: Iterable[str], case_sensitive: bool | None = None) -> None:
        for phrase in _apostrophe_variants(phrases):
            acronym = _is_acronym(phrase) if case_sensitive is None else case_sensitive
            (orth if acronym else lower).setdefault(key, []).append(phrase)
            if phrase == phrase.lower():
                patterns.lowercase_aliases.setdefault(key, set()).add(phrase)

    lex = dictionary.lexicon
    for entry in dictionary.entries:
        add(f"entry|{entry.code}", entry.aliases)
        add(f"adj|{entry.code}", entry.adjectives)
        add(f"demonym|{entry.code}", entry.demonyms)
        add(f"capital|{entry.code}", entry.capitals)
    for person in dictionary.persons:
        add(f"person|{person.code}", person.aliases)
    for index, rule in enumerate(lex.heads):
        phrases = {variant for phrase in rule.phrases for variant in _number_variants(phrase)}
        add(f"head|{index}", sorted(phrases), case_sensitive=False)
        for phrase in phrases:
            patterns.lowercase_aliases.setdefault(f"head|{index}", set()).add(phrase)
    patterns.heads = list(lex.heads)
    for index, role in enumerate(lex.roles):
        add(f"role|{index}", role.phrases, case_sensitive=False)
        patterns.lowercase_aliases.setdefault(f"role|{index}", set()).update(role.phrases)
    for word, unit in lex.qualifiers.items():
        add(f"qual|{unit}", [word], case_sensitive=False)
        patterns.lowercase_aliases.setdefault(f"qual|{unit}", set()).add(word.lower())
    for key, phrases in lower.items():
        patterns.lower.add(key, [tokenizer(phrase) for phrase in phrases])
    for key, phrases in orth.items():
        patterns.orth.add(key, [tokenizer(phrase) for phrase in phrases])
    _PATTERN_CACHE[id(vocab)] = (vocab, patterns)
    return patterns


def _match(doc: Doc, patterns: _Patterns) -> list[_Match]:
    found: set[tuple[int, int, str]] = set()
    strings = doc.vocab.strings
    for matcher in (patterns.lower, patterns.orth):
        for match_id, start, end in matcher(doc):
            key = strings[match_id]
            text = doc[start:end].text
            if (
                matcher is patterns.lower
                and text == text.lower()
                and not any(char.isdigit() for char in text)
                and text.lower() not in patterns.lowercase_aliases.get(key, ())
                and (end - start == 1 or key.startswith(("adj|", "demonym|", "capital|", "person|")))
            ):
                continue  # "turkey", "amnesty": one-word names only when the text capitalises them
            found.add((start, end, key))
    matches = []
    for start, end, key in found:
        kind, payload = key.split("|", 1)
        matches.append(_Match(start, end, kind, payload))
    # a fixed order (a set's follows string hashes, which change between runs): where one phrase is listed
    # under two heads ("bombers": aircraft and attackers), the first listed wins
    matches.sort(
        key=lambda m: (m.start, m.end, m.kind, int(m.payload) if m.payload.isdigit() else -1, m.payload)
    )
    return matches


# "a conference on Syria": prepositions that give the matter a noun is about; "of" only after these nouns
TOPIC_PREPOSITIONS = frozenset({"on", "about", "regarding", "concerning"})
TOPIC_OF_NOUNS = frozenset({"future", "question", "crisis"})


def _governing(token: Token) -> Token:
    """Climb coordinations: "Iran, Iraq and Lebanon" all take the relation of "Iran"."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def _is_place_use(token: Token, dictionary: ActorDictionary) -> bool:
    """True when ``token`` (a country name or capital) is the object of a locative preposition."""
    lex = dictionary.lexicon
    token = _governing(token)
    if token.dep_ != "pobj":
        return False
    prep = token.head
    word = prep.lower_
    if word in lex.locative_prepositions:
        return True
    if word == "of" and prep.head.lower_ in lex.place_nouns:
        return True
    if prep.head.pos_ == "NOUN" and prep.head.lower_ in lex.topic_nouns:
        if word in TOPIC_PREPOSITIONS or (word == "of" and prep.head.lower_ in TOPIC_OF_NOUNS):
            return True  # "a conference on Syria", "the future of Iraq": what is discussed
    if word in {"from", "to"} and prep.head.pos_ == "ADV" and prep.head.lower_ in {"back", "home"}:
        prep = prep.head  # "deported back to Syria": the verb above "back"
    if word in {"from", "to"} and prep.head.pos_ in {"VERB", "AUX"}:
        verb = prep.head
        lemma = verb.lemma_.lower()
        objects = {child.dep_ for child in verb.children if child.dep_ == "dobj" or child.lower_ == "over"}
        if word == "from" and lemma in lex.separation_verbs and "dobj" in objects:
            return False  # "withdraw its troops from Lebanon": the party acted on
        if word == "to" and lemma in lex.recipient_verbs and objects:
            return False  # "hand the suspects over to Britain": the recipient
    if (
        word in {"from", "to"}
        and prep.head.pos_ in {"VERB", "AUX"}
        and prep.head.lemma_.lower() in lex.motion_verbs
    ):
        return True
    return False


def _is_modifier(span: Span) -> bool:
    """True when the span only modifies a following noun ("military operation", "Syria conflict")."""
    last = span[-1]
    doc = span.doc
    if span.end >= len(doc):
        return False
    following = doc[span.end]
    if following.pos_ not in {"NOUN", "PROPN"} or following.is_punct:
        return False
    return last.dep_ in {"compound", "amod", "nmod", "npadvmod"} and last.head.i >= span.end


# "500,000 workers", "hundreds of miners": a group head that names no actor on its own ("workers") does when a
# number counts the group
GROUP_COUNT_WORDS = frozenset({"hundreds", "thousands", "tens", "millions", "dozens", "scores"})


def _counted_group(span: Span) -> bool:
    """True for a plural head counted ("500,000 workers", "thousands of miners")."""
    head = span[-1]
    if head.tag_ not in {"NNS", "NNPS"}:
        return False
    for child in head.children:
        if child.i >= span.start:
            continue
        if child.dep_ == "nummod":
            return True
    first = span[0]
    if first.i >= 2 and first.doc[first.i - 1].lower_ == "of":
        return first.doc[first.i - 2].lower_ in GROUP_COUNT_WORDS
    return False


def _is_actor_use(token: Token, dictionary: ActorDictionary) -> bool:
    """A capital is a government only as subject, object, agent or possessor ("Moscow said")."""
    lex = dictionary.lexicon
    token = _governing(token)
    if token.dep_ in lex.actor_dependencies:
        return True
    if token.dep_ == "pobj" and token.head.lower_ in lex.actor_prepositions:
        return not _is_place_use(token, dictionary)
    return False


def _inside_entity(doc: Doc, start: int, end: int, labels: set[str], strictly: bool = True) -> bool:
    for ent in entities_within(doc, start, end):
        if ent.label_ in labels and ent.start <= start and end <= ent.end:
            if not strictly or (ent.end - ent.start) > (end - start):
                return True
    return False


def _clean(text: str) -> str:
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"(['’]s?)$", "", text).strip()


def _type_for(sector: str | None, country: str | None) -> str:
    if sector in STATE_SECTORS:
        return "state"
    if sector == "JRN":
        return "media"
    if sector == "NGO":
        return "ngo"
    if sector == "IGO":
        return "igo"
    return "non-state" if sector else "other"


def _composed_code(country: str | None, rule: HeadRule, qualifier: str | None = None) -> str:
    parts = [part for part in (country, rule.sector, rule.unit or qualifier) if part]
    if rule.unit and qualifier:
        parts.append(qualifier)
    return "-".join(parts)


class _Resolver:
    """One pass over one document."""

    def __init__(self, doc: Doc, dictionary: ActorDictionary, date: str | None) -> None:
        self.doc = doc
        self.dictionary = dictionary
        self.lex = dictionary.lexicon
        self.date = date
        self.patterns = _patterns(doc.vocab, dictionary)
        self.matches = _match(doc, self.patterns)
        self.persons = {person.code: person for person in dictionary.persons}
        self.role_phrases = {phrase.lower() for role in self.lex.roles for phrase in role.phrases}
        self.by_start: dict[str, dict[int, list[_Match]]] = {}
        for match in sorted(self.matches, key=lambda m: (m.start, -(m.end - m.start))):
            self.by_start.setdefault(match.kind, {}).setdefault(match.start, []).append(match)

    # -- lookups -------------------------------------------------------------------------------------------
    def at(self, kind: str, start: int) -> list[_Match]:
        return self.by_start.get(kind, {}).get(start, [])

    def head_at(self, start: int) -> _Match | None:
        found = self.at("head", start)
        return found[0] if found else None

    def skip_adjectives(self, index: int, limit: int = 2) -> int:
        """Skip up to ``limit`` plain adjectives ("elite", "regular") before a head."""
        skipped = 0
        while (
            skipped < limit
            and index < len(self.doc)
            and self.doc[index].pos_ == "ADJ"
            and self.doc[index].is_lower
            and not self.head_at(index)
        ):
            index += 1
            skipped += 1
        return index

    def text(self, start: int, end: int) -> str:
        return self.doc[start:end].text

    def entry(self, code: str) -> ActorEntry:
        entry = self.dictionary.get(code)
        assert entry is not None, code
        return entry

    # -- candidates ----------------------------------------------------------------------------------------
    def candidates(self) -> list[_Candidate]:
        found: list[_Candidate] = []
        found += self.entry_candidates()
        found += self.compositions()
        found += self.generic_heads()
        found += self.backers()
        found += self.proper_names()
        return found

    def entry_candidates(self) -> list[_Candidate]:
        doc = self.doc
        found = []
        for match in self.matches:
            span = doc[match.start : match.end]
            if match.kind == "entry":
                entry = self.entry(match.payload)
                is_country = entry.type == "state" and entry.code == entry.country
                if is_country:
                    if _inside_entity(doc, match.start, match.end, {"PERSON", "ORG", "FAC", "WORK_OF_ART"}):
                        continue  # "Michael Jordan", "Syria Times"
                    root = span.root
                    if _is_place_use(root, self.dictionary) or _is_modifier(span):
                        continue
                    governing = _governing(root)
                    if governing.dep_ == "appos" and governing.head.ent_type_ in {"GPE", "LOC", "FAC"}:
                        continue  # "Raqqah, Syria": the country of a place named before it
                    if self.is_backer_prefix(match.end):
                        continue  # handled by backers(): "US-backed"
                found.append(
                    _Candidate(
                        match.start,
                        match.end,
                        "country" if is_country else "entry",
                        entry.name,
                        entry.code,
                        entry.country,
                        entry.sector,
                        entry.type,
                    )
                )
            elif match.kind == "capital":
                entry = self.entry(match.payload)
                if _inside_entity(doc, match.start, match.end, {"PERSON", "ORG", "FAC", "WORK_OF_ART"}):
                    continue
                if not _is_actor_use(span.root, self.dictionary):
                    continue
                found.append(
                    _Candidate(
                        match.start,
                        match.end,
                        "capital",
                        entry.name,
                        entry.code,
                        entry.country,
                        "GOV",
                        entry.type,
                    )
                )
            elif match.kind == "demonym":
                candidate = self.demonym(match)
                if candidate:
                    found.append(candidate)
            elif match.kind == "person":
                person = self.persons[match.payload]
                if _inside_entity(doc, match.start, match.end, {"ORG", "GPE", "FAC"}):
                    continue
                role = person.role_on(self.date)
                found.append(
                    _Candidate(
                        match.start,
                        match.end,
                        "person",
                        person.name,
                        person.code,
                        role.country if role else None,
                        role.sector if role else None,
                        "person",
                        role.org if role else None,
                    )
                )
        return found

    def demonym(self, match: _Match) -> _Candidate | None:
        doc = self.doc
        entry = self.entry(match.payload)
        span = doc[match.start : match.end]
        after_the = match.start > 0 and doc[match.start - 1].lower_ == "the"
        adjective_form = any(span.text.lower() == adj.lower() for adj in entry.adjectives)
        if _is_modifier(span) or self.head_at(match.end) or self.is_backer_prefix(match.end):
            return None  # "Russian troops" is a composition, "the French government" too
        if adjective_form and (not after_the or span.root.dep_ in {"amod", "compound"}):
            return None  # "French" alone is an adjective; "the French" is the state
        if after_the:
            return _Candidate(
                match.start - 1, match.end, "demonym", entry.name, entry.code, entry.country, "GOV", "state"
            )
        return _Candidate(
            match.start,
            match.end,
            "demonym",
            span.text,
            f"{entry.code}-CVL",
            entry.country,
            "CVL",
            "non-state",
        )

    def is_backer_prefix(self, end: int) -> bool:
        doc = self.doc
        return (
            end + 1 < len(doc)
            and doc[end].text == "-"
            and doc[end + 1].lower_ in (self.lex.backing_words | self.lex.leading_words)
        )

    def country_of_prefix(self, start: int, end: int) -> str | None:
        """ISO3 of a country name or adjective spanning tokens [start, end)."""
        for kind in ("entry", "adj"):
            for match in self.at(kind, start):
                if match.end == end:
                    entry = self.entry(match.payload)
                    if entry.type == "state" and entry.country:
                        return entry.country
        return None

    def backers(self) -> list[_Candidate]:
        """'US-backed SDF', 'U.S.-led coalition': the backing country is a mention of its own."""
        doc = self.doc
        found = []
        words = self.lex.backing_words | self.lex.leading_words
        for match in self.matches:
            if match.kind not in {"entry", "adj"} or not self.is_backer_prefix(match.end):
                continue
            entry = self.entry(match.payload)
            if entry.type == "state" and entry.country:
                found.append(
                    _Candidate(
                        match.start,
                        match.end,
                        "country",
                        entry.name,
                        entry.code,
                        entry.country,
                        "GOV",
                        "state",
                    )
                )
        # one-token forms: "U.S.-backed"
        country_forms = self.country_forms()
        for token in doc:
            parts = BACKING_TOKEN.match(token.text)
            if not parts or parts["word"] not in words:
                continue
            code = country_forms.get(parts["country"])
            if code:
                entry = self.entry(code)
                chars = (token.idx, token.idx + len(parts["country"]))
                found.append(
                    _Candidate(
                        token.i,
                        token.i + 1,
                        "country",
                        entry.name,
                        code,
                        entry.country,
                        "GOV",
                        "state",
                        chars=chars,
                    )
                )
        return found

    def country_forms(self) -> dict[str, str]:
        forms: dict[str, str] = {}
        for entry in self.dictionary.states():
            for form in (*entry.aliases, *entry.adjectives):
                forms.setdefault(form, entry.code)
        return forms

    def compositions(self) -> list[_Candidate]:
        doc = self.doc
        found: list[_Candidate] = []
        # "<adjective> [and <adjective>]* [adj]* <head>", "pro-<adjective> <head>"
        adjective_starts = sorted({m.start for m in self.matches if m.kind == "adj"})
        consumed: set[int] = set()
        for start in adjective_starts:
            if start in consumed:
                continue
            chain: list[tuple[int, int, str]] = []
            index = start
            while True:
                adjectives = [m for m in self.at("adj", index)]
                if not adjectives:
                    break
                adjective = max(adjectives, key=lambda m: m.end)
                chain.append((adjective.start, adjective.end, self.entry(adjective.payload).country or ""))
                index = adjective.end
                look = index
                while look < len(doc) and doc[look].text in COORDINATORS:
                    look += 1
                if look > index and self.at("adj", look):
                    index = look
                    continue
                break
            for item in chain:
                consumed.add(item[0])
            if self.is_backer_prefix(index):
                continue
            head_start = self.skip_adjectives(index)
            head = self.head_at(head_start)
            if head is None:
                continue
            rule = self.patterns.heads[int(head.payload)]
            allegiance = (
                start >= 2
                and doc[start - 1].text == "-"
                and doc[start - 2].lower_ in self.lex.allegiance_prefixes
            )
            if allegiance:  # "pro-Russian separatists": the head, without the country
                span = doc[start - 2 : head.end]
                code = _composed_code(None, rule)
                found.append(
                    _Candidate(
                        start - 2,
                        head.end,
                        "comp",
                        span.text,
                        code,
                        None,
                        rule.sector,
                        _type_for(rule.sector, None),
                    )
                )
                continue
            head_text = doc[head.start : head.end].text
            for position, (a_start, a_end, country) in enumerate(chain):
                last = position == len(chain) - 1
                end = head.end if last else a_end
                name = doc[a_start:end].text if last else f"{doc[a_start:a_end].text} {head_text}"
                found.append(
                    _Candidate(
                        a_start,
                        end,
                        "comp",
                        name,
                        _composed_code(country, rule),
                        country,
                        rule.sector,
                        self.head_type(head, rule, country) if last else _type_for(rule.sector, country),
                    )
                )
        # "Russia's Defense Ministry", "Hezbollah's fighters", "SDF units", "IS-fighters", "Assad regime"
        for match in self.matches:
            if match.kind not in {"entry", "person", "capital"}:
                continue
            index = match.end
            if index < len(doc) and doc[index].text in {"'s", "’s", "'", "-"}:
                index += 1
            elif match.kind == "capital":
                continue  # "Moscow's forces", never "Moscow forces"
            head_start = self.skip_adjectives(index, limit=1)
            head = self.head_at(head_start)
            if head is None or (head_start == match.end and doc[match.end - 1].dep_ == "poss"):
                continue
            rule = self.patterns.heads[int(head.payload)]
            if match.kind == "person":
                person = self.persons[match.payload]
                role = person.role_on(self.date)
                if not role or not role.country or rule.sector not in STATE_SECTORS:
                    continue
                found.append(
                    _Candidate(
                        match.start,
                        head.end,
                        "comp",
                        self.text(match.start, head.end),
                        _composed_code(role.country, rule),
                        role.country,
                        rule.sector,
                        "state",
                    )
                )
                continue
            entry = self.entry(match.payload)
            if (
                entry.type == "state"
                and entry.country
                and (entry.code == entry.country or match.kind == "capital")
            ):
                found.append(
                    _Candidate(
                        match.start,
                        head.end,
                        "comp",
                        self.text(match.start, head.end),
                        _composed_code(entry.country, rule),
                        entry.country,
                        rule.sector,
                        _type_for(rule.sector, entry.country),
                    )
                )
            else:
                found.append(
                    _Candidate(
                        match.start,
                        head.end,
                        "entry",
                        entry.name,
                        entry.code,
                        entry.country,
                        entry.sector,
                        entry.type,
                    )
                )
        # "<head> of [the] <Country>": "the Ministry of Defense of Russia"
        for head in (m for m in self.matches if m.kind == "head"):
            state = self._state_after(head.end, "of")
            if state is None:
                continue
            country, state_end = state
            rule = self.patterns.heads[int(head.payload)]
            found.append(
                _Candidate(
                    head.start,
                    state_end,
                    "comp",
                    self.text(head.start, state_end),
                    _composed_code(country, rule),
                    country,
                    rule.sector,
                    self.head_type(head, rule, country),
                )
            )
        # "<qualifier> [adj]* <head>": "Shiite militias", "Kurdish fighters", "multinational troops"
        for match in (m for m in self.matches if m.kind == "qual"):
            head_start = self.skip_adjectives(match.end)
            head = self.head_at(head_start)
            if head is None:
                continue
            rule = self.patterns.heads[int(head.payload)]
            found.append(
                _Candidate(
                    match.start,
                    head.end,
                    "comp",
                    self.text(match.start, head.end),
                    _composed_code(None, rule, match.payload),
                    None,
                    rule.sector,
                    _type_for(rule.sector, None),
                )
            )
        return found

    def generic_heads(self) -> list[_Candidate]:
        """Standalone heads: "civilians", "the army", "officials" (country null)."""
        found = []
        for match in (m for m in self.matches if m.kind == "head"):
            rule = self.patterns.heads[int(match.payload)]
            span = self.doc[match.start : match.end]
            counted = (
                rule.sector != "MIL" and rule.counted and _counted_group(span)
            )  # not "two tanks", "five airstrikes"
            if _is_modifier(span) or not (rule.standalone or counted):
                continue
            if rule.plural and not counted and span[-1].tag_ not in {"NNS", "NNPS"}:
                continue  # "the party", "a partner": one, not the group the plural names
            if span[0].is_title and match.start > 0 and not span[0].is_sent_start:
                previous = self.doc[match.start - 1]
                if previous.is_title and previous.pos_ in {"PROPN", "ADJ", "NOUN"}:
                    continue  # the head of a proper name ("Nigerian Democratic Congress"): see proper_names()
            country = self.located_country(match.end) if rule.sector in self.lex.located_sectors else None
            found.append(
                _Candidate(
                    match.start,
                    match.end,
                    "generic",
                    span.text,
                    _composed_code(country, rule),
                    country,
                    rule.sector,
                    self.head_type(match, rule, country),
                )
            )
        return found

    def head_type(self, head: _Match, rule: HeadRule, country: str | None) -> str:
        """ "person" for a singular office held by one person ("the Iraqi Prime Minister", "the president"),
        else the type of the head's sector ("the presidency", "ministers" stay organisations)."""
        span = self.doc[head.start : head.end]
        if span.text.lower() in self.role_phrases and span[-1].tag_ in {"NN", "NNP"}:
            return "person"
        if span[-1].tag_ == "NN" and span[-1].lower_ in self.lex.person_nouns:
            return "person"  # one of a group: "a resident", "the gunman" (the group's code and sector kept)
        return _type_for(rule.sector, country)

    def sentence_countries(self, exclude: SpanSet) -> dict[tuple[int, bool], set[str]]:
        """(sentence start token, located) → the states the sentence's words name (a country, capital or
        country adjective; names inside a person's name are none). ``located`` False: only the names not
        used as a place ("Malian troops", "Mali said", not "in Mali")."""
        found: dict[tuple[int, bool], set[str]] = {}
        for match in self.matches:
            if match.kind not in {"entry", "adj", "demonym", "capital"}:
                continue
            entry = self.entry(match.payload)
            if entry.type != "state" or not entry.country or entry.code != entry.country:
                continue
            span = self.doc[match.start : match.end]
            if _inside_entity(self.doc, match.start, match.end, {"PERSON"}):
                continue
            if any(
                other.kind == "entry"
                and other.start <= match.start
                and match.end <= other.end
                and other.end - other.start > match.end - match.start
                for other in self.matches
            ):
                continue  # "Kosovo" of "Kosovo Liberation Army": part of a longer name
            if inside_any((span.start_char, span.end_char), exclude):
                continue
            sentence = span[0].sent.start
            found.setdefault((sentence, True), set()).add(entry.country)
            if match.kind in {"adj", "demonym"} or not _is_place_use(span.root, self.dictionary):
                found.setdefault((sentence, False), set()).add(entry.country)
        return found

    def with_sentence_country(self, candidates: list[_Candidate], exclude: SpanSet) -> list[_Candidate]:
        """A group or person with a sector but no country ("the rebels", "President Ahmed Ben Bella",
        "officials") takes the one state its sentence names ("Algeria's rebels …", "… said Zambia"); a
        sentence naming two states or none leaves it without. A state named only as a place ("in Mali")
        counts for the sectors of ``located_sectors`` alone (troops and refugees somewhere are often
        foreign). Named organisations keep what the dictionary says (a transnational group stays one);
        IGO, NGO and media actors stay without."""
        countries = None
        result = []
        for candidate in candidates:
            eligible = (
                candidate.country is None
                and candidate.sector not in CONTEXT_COUNTRY_EXCLUDED
                and (
                    (candidate.kind in {"generic", "name", "unknown"} and candidate.sector is not None)
                    or (candidate.kind == "person" and candidate.code is None)
                )
            )
            if eligible and _acted_upon(self.doc[candidate.start : candidate.end].root):
                # "accused the Russians of attacking coalition partners": the one state named is as likely
                # the other side as the group's own
                eligible = False
            if eligible:
                if countries is None:
                    countries = self.sentence_countries(exclude)
                located = candidate.sector in self.lex.located_sectors
                named = countries.get((self.doc[candidate.start].sent.start, located), set())
                if len(named) == 1:
                    country = next(iter(named))
                    code = candidate.code
                    if candidate.kind == "generic" and code:
                        code = f"{country}-{code}"
                    candidate = replace(candidate, country=country, code=code)
            result.append(candidate)
        return result

    def located_country(self, end: int) -> str | None:
        """The country of "<group> in [the] <Country>" ("opposition groups in Zimbabwe").

        ``end``: where the group ends.
        """
        doc = self.doc
        found = self._state_after(end, "in")
        if found is None:
            return None
        country, match_end = found
        following = doc[match_end] if match_end < len(doc) else None
        if following is not None and following.pos_ in {"NOUN", "PROPN"} and not following.is_punct:
            return None  # "in Syria talks", "in the Congo basin": the name modifies a noun
        return country

    def _state_after(self, end: int, preposition: str) -> tuple[str, int] | None:
        """The state named by "<preposition> [the] <Country>" at ``end``, and where its name ends."""
        doc = self.doc
        if end >= len(doc) or doc[end].lower_ != preposition:
            return None
        index = end + 1
        if index < len(doc) and doc[index].lower_ == "the":
            index += 1
        matches = self.at("entry", index)
        for match in matches:
            entry = self.entry(match.payload)
            if entry.type == "state" and entry.code == entry.country and entry.country:
                if any(other.end > match.end for other in matches):
                    return None  # "of the Kosovo Liberation Army": the country begins a longer name
                return entry.country, match.end
        return None

    def proper_names(self) -> list[_Candidate]:
        """Unknown capitalised names ending in an organisation head ("Free Lions Brigade", "158th Fighter
        Wing", "Saray al-Jihad Group")."""
        doc = self.doc
        found = []
        heads: list[tuple[int, int, HeadRule | None]] = [
            (m.start, m.end, self.patterns.heads[int(m.payload)]) for m in self.matches if m.kind == "head"
        ]
        heads += [(t.i, t.i + 1, None) for t in doc if t.text in self.lex.name_heads]
        for head_start, head_end, rule in heads:
            if not doc[head_start].is_title:
                continue
            start = head_start
            while start > 0:
                previous = doc[start - 1]
                if (
                    previous.is_title and not previous.is_punct and previous.lower_ not in DETERMINERS
                ) or ORDINAL.match(previous.text):
                    start -= 1
                elif (
                    previous.lower_ in {"of", "for", "and"}
                    and start >= 2
                    and doc[start - 2].is_title
                    and not (
                        previous.lower_ == "and" and (self.names_state(start - 1) or start == head_start)
                    )
                ):  # "and" joins names, not titles: "Prime Minister and President X"
                    start -= 2  # "Board of Antiquities", not "U.S. and Royal Navy"
                elif (  # "Saray al-Jihad Group", "al-Ghuraba Brigades"
                    previous.text in {"-", "‐"}
                    and start >= 2
                    and doc[start - 2].lower_ in NAME_PARTICLES
                    and not doc[start - 2].whitespace_
                ):
                    start -= 2
                else:
                    break
            if start < head_start and doc[start].lower_ in {"of", "for", "and"}:
                start += 1
            if head_end - start < 2:
                continue
            match = _Match(head_start, head_end, "head", "")
            country = None
            for token in doc[start : match.end]:
                country = country or self.country_of_prefix(token.i, token.i + 1)
            # a state sector needs a state: "Free Lions Brigade" is no army, "Nigerian Army" is
            if rule is None:
                sector = None
            else:
                sector = rule.sector if country or rule.sector not in STATE_SECTORS else None
            found.append(
                _Candidate(
                    start, match.end, "name", self.text(start, match.end), None, country, sector, "other"
                )
            )
        return found

    # -- persons -------------------------------------------------------------------------------------------
    def person_spans(self, taken: list[_Candidate]) -> list[tuple[int, int]]:
        """PERSON entities (minus leading titles), plus capitalised names right after a title."""
        doc = self.doc
        spans = []
        for ent in entities(doc):
            if ent.label_ != "PERSON":
                continue
            start = ent.start
            while start < ent.end:
                roles = self.at("role", start)
                if roles and roles[0].end < ent.end:
                    start = roles[0].end
                elif doc[start].lower_ in DETERMINERS:
                    start += 1
                else:
                    break
            end = ent.end
            if end > start and doc[end - 1].text in {"'s", "’s"}:
                end -= 1
            if end > start and self.is_person_name(start, end):
                spans.append((start, end))
        occupied = {i for start, end in spans for i in range(start, end)}
        for match in (m for m in self.matches if m.kind == "role"):
            index = match.end
            end = index
            while end < len(doc) and end - index < 4 and doc[end].pos_ == "PROPN" and doc[end].is_title:
                end += 1
            if any(
                ent.label_ != "PERSON" and not (ent.label_ in {"ORG", "NORP"} and ent.start < index)
                for ent in entities_within(doc, index, end)
            ):
                continue  # "deputy Middle East director": a region, not a name ("Mr Haddad" tagged ORG is)
            if end > index and not occupied.intersection(range(index, end)):
                if not any(c.start < end and index < c.end for c in taken if c.kind != "person"):
                    spans.append((index, end))
                    occupied.update(range(index, end))
        return spans

    def is_person_name(self, start: int, end: int) -> bool:
        """False for PERSON spans that are no name: "Near Palmyra", "QUESTION", "Twitter", a bare "Sgt"."""
        doc = self.doc
        span = doc[start:end]
        first = span[0]
        if first.pos_ == "ADP" or first.lower_ in self.lex.locative_prepositions:
            return False  # a line starting with a preposition: "Near Palmyra"
        if end - start == 1 and first.is_upper and len(first.text) > 2 and first.is_alpha:
            titled = any(m.end == start for m in self.matches if m.kind == "role")
            if not titled:  # a headline or transcript label in capitals: "QUESTION" ("MR KIRBY" is a name)
                return False
        if span.text.lower() in self.lex.not_persons or self.org_like(start, end):
            return False
        if first.text in self.lex.vessel_prefixes:
            return False  # a ship: "USS Mahan", "HMS Ocean"
        roles = self.at("role", start)
        return not (roles and roles[0].end >= end)  # a title alone ("Sgt", "General") names nobody

    def names_state(self, end: int) -> bool:
        """True when a state's name or adjective ends at token ``end``."""
        return any(
            m.end == end and m.kind in {"entry", "adj"} and self.entry(m.payload).type == "state"
            for m in self.matches
        )

    def org_like(self, start: int, end: int) -> bool:
        """A name of two words or more that is a group's: it ends in an organisation word ("Saray al-Jihad
        Group") or opens with an Arabic group word ("Jaish al-Ta'ifa al-Mansurah")."""
        if end - start < 2:
            return False
        doc = self.doc
        return doc[end - 1].text in self.lex.name_heads or doc[start].lower_ in self.lex.name_openers

    def title_before(
        self, start: int, candidates: list[_Candidate]
    ) -> tuple[_Candidate | None, tuple[int, int] | None, str | None]:
        """The organisation and title before a name: (org candidate, title span, title sector).

        "Russian Defense Ministry spokesman X": the org ends where the title starts; "Syrian President X":
        the org is the title itself. Either way the title span covers the org, which becomes the person's
        affiliation, not a mention of its own (re3d marks the whole "Pentagon Press Secretary X" a person).
        """
        doc = self.doc
        role_sector: str | None = None
        title_start = start
        for role in self.by_start.get("role", {}).values():
            for match in role:
                if match.end == start and match.start < title_start:
                    title_start = match.start
                    role_sector = self.lex.roles[self._role_index(match)].sector
        if title_start == start:
            return None, None, None  # no title: "state news agency Sana" does not make Sana its member
        organisations = [c for c in candidates if c.kind != "person"]
        possessive = title_start > 0 and doc[title_start - 1].text in {"'s", "’s"}
        before = [
            c for c in organisations if c.end == title_start or (possessive and c.end == title_start - 1)
        ]
        if before:
            org = max(before, key=lambda c: c.length)
            return org, (org.start, start), role_sector
        containing = [c for c in organisations if c.end == start and c.start < title_start]
        if containing:
            org = max(containing, key=lambda c: c.length)
            return org, (org.start, start), role_sector
        return None, (title_start, start), role_sector

    def _role_index(self, match: _Match) -> int:
        return int(match.payload)

    def apposition_org(self, end: int, candidates: list[_Candidate]) -> tuple[_Candidate | None, str | None]:
        """'X, a spokesman for the SDF' / 'X, the SDF commander' -> the organisation, the title's sector."""
        doc = self.doc
        if end >= len(doc) or doc[end].text != ",":
            return None, None
        index = end + 1
        if index < len(doc) and doc[index].lower_ in DETERMINERS:
            index += 1
        by_start = {c.start: c for c in candidates if c.kind != "person"}
        roles = self.at("role", index)
        if roles:
            role = roles[0]
            sector = self.lex.roles[self._role_index(role)].sector
            after = role.end
            if after < len(doc) and doc[after].lower_ in APPOSITION_PREPOSITIONS:
                after += 1
                if after < len(doc) and doc[after].lower_ in DETERMINERS:
                    after += 1
                org = by_start.get(after)
                if org:
                    return org, sector
            return None, None
        org = by_start.get(index)
        if org:
            after = org.end
            if after < len(doc) and doc[after].text in {"'s", "’s"}:
                after += 1
            roles = self.at("role", after)
            if roles:
                return org, self.lex.roles[self._role_index(roles[0])].sector
        return None, None

    def person_candidates(
        self, candidates: list[_Candidate], organisations: list[_Candidate]
    ) -> tuple[list[_Candidate], list[tuple[int, int]]]:
        """Persons with the role the text gives, and the title spans ("Syrian President") they absorb.

        ``candidates``: selected organisations and known persons; ``organisations``: every organisation
        candidate, overlapping ones included (to find "Russian Defense Ministry" inside "... spokesman").
        """
        doc = self.doc
        persons: list[_Candidate] = []
        titles: list[tuple[int, int]] = []
        known = {(c.start, c.end): c for c in candidates if c.kind == "person"}
        for start, end in self.person_spans(candidates):
            is_known = any(c.kind == "person" and c.start < end and start < c.end for c in candidates)
            if not is_known and any(
                c.kind != "person" and c.start < end and start < c.end for c in candidates
            ):
                continue  # spaCy's PERSON over a dictionary name ("Hezbollah", "Kyiv's")
            name = _clean(doc[start:end].text)
            if not name:
                continue
            org, title, role_sector = self.title_before(start, organisations)
            if title is not None:
                titles.append(title)
            if org is None:
                org, apposition_sector = self.apposition_org(end, candidates)
                role_sector = apposition_sector or role_sector  # "President X" keeps its title's sector
            prior = known.get((start, end)) or next(
                (c for c in candidates if c.kind == "person" and c.start >= start and c.end <= end), None
            )
            if org is not None:
                sector = org.sector or role_sector
                persons.append(
                    _Candidate(
                        start,
                        end,
                        "person",
                        prior.name if prior else name,
                        prior.code if prior else None,
                        org.country,
                        sector or org.sector,
                        "person",
                        org.code,
                    )
                )
            elif prior is not None:
                persons.append(
                    _Candidate(
                        start,
                        end,
                        "person",
                        prior.name,
                        prior.code,
                        prior.country,
                        prior.sector,
                        "person",
                        prior.role_of,
                    )
                )
            else:
                country = self.country_after_of(end) if title is not None else None
                persons.append(
                    _Candidate(start, end, "person", name, None, country, role_sector, "person", None)
                )
        for person in persons:  # "Haidar,[1]", "Qanbar(Arabic": a bracket glued to the name ends it
            span = doc[person.start : person.end]
            glued = GLUED_BRACKET.search(span.text)
            if glued and glued.start() > 0:
                person.chars = (span.start_char, span.start_char + glued.start())
                if person.code is None:
                    person.name = _clean(span.text[: glued.start()])
        return persons, titles

    def country_after_of(self, end: int) -> str | None:
        """The country of a titled name followed by "of [the] <Country>" ("Prime Minister X of Fiji")."""
        found = self._state_after(end, "of")
        return found[0] if found else None

    def role_persons(self, selected: list[_Candidate]) -> list[_Candidate]:
        """Titles that name a person without a name: "the Prime Minister", "a spokesman", "Central Command
        spokesman", "Minister for the Middle East". The title must head its noun phrase (not "spokesman
        post"), be singular, and be definite, indefinite, possessed ("HRW's director"), preceded by an
        organisation or capitalised; "for/of <organisation>" gives the organisation, "for/of <Capitalised
        words>" (a portfolio or region) stays part of the title."""
        doc = self.doc
        organisations = [c for c in selected if c.kind != "person"]
        found = []
        for start, roles in self.by_start.get("role", {}).items():
            role = max(roles, key=lambda m: m.end)
            rule = self.lex.roles[self._role_index(role)]
            last = doc[role.end - 1]
            if rule.honorific or last.tag_ not in {"NN", "NNP"} or last.pos_ not in {"NOUN", "PROPN"}:
                continue
            if last.dep_ == "attr" or (last.dep_ == "conj" and last.head.dep_ == "attr"):
                continue  # "Qanbar was a commander": the title describes the subject, it names no one new
            if _is_modifier(doc[role.start : role.end]) or any(
                m.start < start and m.end >= role.end for m in self.matches if m.kind == "role"
            ):
                continue  # "spokesman post"; "deputy" inside "deputy chief" is no title of its own
            following = doc[role.end] if role.end < len(doc) else None
            if following is not None and following.is_title and following.pos_ == "PROPN":
                continue  # a name follows: person_spans() handles "President X"
            left = min(last.left_edge.i, start)
            before = doc[left:start]
            org = next(
                (
                    c
                    for c in sorted(organisations, key=lambda c: -c.end)
                    if left <= c.start and c.end <= start
                ),
                None,
            )
            marked = any(t.dep_ in {"det", "poss"} or t.lower_ in DETERMINERS for t in before)
            titled = all(t.is_title for t in doc[role.start : role.end])
            end = role.end
            if following is not None and following.lower_ in {"for", "of"}:
                index = role.end + 1
                if index < len(doc) and doc[index].lower_ == "the":
                    index += 1
                after = next((c for c in organisations if c.start == index), None)
                if after is not None:
                    org = org or after  # "commander of U.S. Central Command"
                elif titled and index < len(doc) and doc[index].is_title:
                    end = index
                    while end < len(doc) and doc[end].is_title and not doc[end].is_punct:
                        end += 1  # "Minister for the Middle East"
            if not (marked or org or titled):
                continue
            country = org.country if org else None
            for token in before:
                country = country or self.country_of_prefix(token.i, token.i + 1)
            found.append(
                _Candidate(
                    start,
                    end,
                    "person",
                    self.text(start, end),
                    None,
                    country,
                    (org.sector if org else None) or rule.sector,
                    "person",
                    org.code if org else None,
                )
            )
        return found

    def noun_persons(self) -> list[_Candidate]:
        """Common nouns that name one person: "a man", "the carpenter", "her younger brother" (singular, with
        a determiner or possessive, heading their noun phrase, not the predicate of "X was a farmer")."""
        doc = self.doc
        found = []
        for token in doc:
            if token.tag_ != "NN" or token.lower_ not in self.lex.person_nouns:
                continue
            if token.dep_ in {"attr", "compound", "amod", "nmod", "npadvmod"}:
                continue
            if token.dep_ == "conj" and token.head.dep_ == "attr":
                continue
            before = doc[min(token.left_edge.i, token.i) : token.i]
            if not any(
                t.dep_ in {"det", "poss", "nummod"} and t.lower_ not in {"no", "every", "each"}
                for t in before
            ):
                continue
            found.append(_Candidate(token.i, token.i + 1, "person", token.text, None, None, None, "person"))
        return found

    # -- NER fallbacks -------------------------------------------------------------------------------------
    def unknown_entities(self) -> list[_Candidate]:
        doc = self.doc
        found = []
        for ent in entities(doc):
            if ent.label_ not in {"ORG", "NORP", "PERSON"}:
                continue
            start = ent.start
            while start < ent.end and doc[start].lower_ in DETERMINERS:
                start += 1
            end = ent.end
            if end > start and doc[end - 1].text in {"'s", "’s"}:
                end -= 1
            if end <= start or (ent.label_ == "PERSON" and not self.org_like(start, end)):
                continue  # a PERSON is a group only by its form ("Jaish al-Mahdi", "Saray al-Jihad Group")
            span = doc[start:end]
            text = span.text
            if text.lower() in self.lex.non_actors or not any(char.isalpha() for char in text):
                continue
            if ent.label_ == "NORP" and not (span.root.tag_ in {"NNS", "NNPS"} and not _is_modifier(span)):
                continue  # "Kurdish" is an adjective; "the Kurds" a group
            country = None
            for token in span:
                country = country or self.country_of_prefix(token.i, token.i + 1)
            found.append(_Candidate(start, end, "unknown", text, None, country, None, "other"))
        return found


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest non-overlapping candidates; on equal length the dictionary beats compositions and heads."""
    chosen: list[_Candidate] = []
    taken: set[int] = set()
    order = sorted(candidates, key=lambda c: (-c.length, _PRIORITY.get(c.kind, 9), c.start))
    for candidate in order:
        tokens = set(range(candidate.start, candidate.end))
        if tokens & taken:
            continue
        chosen.append(candidate)
        taken |= tokens
    return sorted(chosen, key=lambda c: c.start)


def _char_span(doc: Doc, candidate: _Candidate) -> CharSpan:
    if candidate.chars:
        return candidate.chars
    span = doc[candidate.start : candidate.end]
    return (span.start_char, span.end_char)


def _surname_key(name: str) -> str:
    words = [word for word in re.split(r"[\s]+", name.strip()) if word]
    if not words:
        return name.lower()
    last = words[-1].lower()
    last = re.sub(r"^(al|el|ad|as|ar|an|ash|at|az)[-‐]", "", last)
    return last.strip(".,'’")


def find_actor_mentions(
    doc: Doc,
    exclude: Sequence[CharSpan] = (),
    place_spans: Sequence[CharSpan] = (),
    date: str | None = None,
) -> list[ActorMention]:
    """Every actor mention of ``doc`` in text order.

    ``exclude``: character ranges to ignore (boilerplate). ``place_spans``: character ranges the geo stage
    holds as places; spaCy ORG/NORP entities there are not actors ("Euphrates"). ``date`` (ISO, optional)
    picks the dated role of well-known persons.
    """
    dictionary = ActorDictionary.load()
    resolver = _Resolver(doc, dictionary, date)
    exclude = SpanSet(list(exclude))
    place_spans = SpanSet(list(place_spans))

    def allowed(candidate: _Candidate) -> bool:
        return not inside_any(_char_span(doc, candidate), exclude)

    candidates = [c for c in resolver.candidates() if allowed(c)]
    # a spaCy ORG extending a composition leftwards with a capitalised word is a name ("New Syrian Army")
    for ent in entities(doc):
        if ent.label_ != "ORG":
            continue
        first = ent[0]
        if first.lower_ in DETERMINERS or not first.is_title:
            continue
        candidates = [
            c
            for c in candidates
            if not (c.kind == "comp" and ent.start < c.start and c.end <= ent.end and c.start > ent.start)
        ]
    orgs = _select([c for c in candidates if c.kind != "person"])
    organisations = [c for c in candidates if c.kind != "person"]
    known_persons = [c for c in candidates if c.kind == "person"]
    persons, titles = resolver.person_candidates(orgs + known_persons, organisations)
    persons = [
        p
        for p in persons
        if allowed(p) and not (p.code is None and inside_any(_char_span(doc, p), place_spans))
    ]
    # titles ("Syrian President", "spokesman") belong to the person, not to an organisation mention
    org_candidates = [c for c in organisations if not any(c.start < e and s < c.end for s, e in titles)]
    selected = _select(org_candidates + persons + known_persons)
    # persons: link later surname mentions ("Konashenkov said") to the first, fuller one
    selected = _link_surnames(doc, selected, allowed)
    taken = {i for c in selected for i in range(c.start, c.end)}
    # a title before a name is the person's: no spaCy ORG inside it ("State" of "Secretary of State X")
    title_tokens = {i for s, e in titles for i in range(s, e)}
    unknown = [c for c in resolver.unknown_entities() if not title_tokens.intersection(range(c.start, c.end))]
    # titles that stand for a person without a name ("the Prime Minister said"), before spaCy's guesses
    # ("Home" of "the Home Secretary" tagged ORG); an unknown organisation before the title is its own
    for candidate in resolver.role_persons(selected + unknown):
        if set(range(candidate.start, candidate.end)) & taken or not allowed(candidate):
            continue
        selected.append(candidate)
        taken.update(range(candidate.start, candidate.end))
    for candidate in resolver.noun_persons():  # "a man", "the carpenter"
        if set(range(candidate.start, candidate.end)) & taken or not allowed(candidate):
            continue
        selected.append(candidate)
        taken.update(range(candidate.start, candidate.end))
    # unknown organisations and groups spaCy found, where nothing else is
    for candidate in unknown:
        overlapping = [c for c in selected if c.start < candidate.end and candidate.start < c.end]
        if (
            overlapping
            and all(
                c.kind == "generic" and candidate.start <= c.start and c.end <= candidate.end
                for c in overlapping
            )
            and candidate.length > max(c.length for c in overlapping)
            and resolver.doc[candidate.start].is_title
        ):
            for c in overlapping:  # "Nigerian Democratic Congress" is a name, not the generic "Congress"
                selected.remove(c)
                taken.difference_update(range(c.start, c.end))
        if set(range(candidate.start, candidate.end)) & taken or not allowed(candidate):
            continue
        if inside_any(_char_span(doc, candidate), place_spans):
            continue
        selected.append(candidate)
        taken.update(range(candidate.start, candidate.end))
    selected = _acronyms(doc, selected, allowed)
    selected.sort(key=lambda c: (c.start, c.end))
    # "the coalition" after "the US-led coalition": the named actor again, which coreference links
    selected = [c for c in selected if not _names_earlier_actor(doc, c, selected)]
    selected = resolver.with_sentence_country(selected, exclude)
    starts = sentence_starts(doc)
    text = doc.text  # spaCy rebuilds doc.text on every access: read it once
    mentions = []
    for candidate in selected:
        span = _char_span(doc, candidate)
        mentions.append(
            ActorMention(
                text=text[span[0] : span[1]],
                span=span,
                sentence=sentence_index(starts, span[0]),
                name=candidate.name,
                code=candidate.code,
                country=candidate.country,
                sector=candidate.sector,
                type=candidate.type,
                role_of=candidate.role_of,
            )
        )
    # pronouns and "the group"-like descriptions that stand for one of these actors: kept with their
    # antecedent (``coreferents_of``) for the actor's mentions, not among the mentions the event coder reads
    attach_coreferents(mentions, find_coreferences(doc, mentions, exclude=list(exclude.ranges)))
    speakers = unnamed_speakers(doc, mentions, exclude=list(exclude.ranges))
    if speakers:
        mentions = sorted(mentions + speakers, key=lambda m: m.span)
    return mentions


def _names_earlier_actor(doc: Doc, candidate: _Candidate, selected: Sequence[_Candidate]) -> bool:
    """True for a bare generic head ("the coalition", "the army") whose word ends an earlier named actor's
    mention ("US-led coalition", "Free Syrian Army"): a description coreference resolves to that actor."""
    if candidate.kind != "generic" or candidate.length != 1:
        return False
    word = doc[candidate.start].lower_
    if word not in NAMED_NOUNS:
        return False
    return any(
        other.end <= candidate.start
        and other.kind not in {"generic", "person"}
        and doc[other.end - 1].lower_ == word
        for other in selected
    )


def _spells(acronym: str, words: Sequence[str]) -> bool:
    """True when the acronym's letters are initials of ``words`` in order: every capitalised word gives
    one, lowercase words ("of", "al") may ("al-Qaeda in Iraq" -> AQI, "Board of Antiquities" -> BA)."""
    letters = [char for char in acronym.upper() if char.isalpha()]
    words = [part for word in words for part in re.split(r"[-‐]", word) if part[:1].isalpha()]

    def spell(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(letters)
        initial = words[j][0]
        takes = i < len(letters) and initial.upper() == letters[i]
        if initial.isupper():
            return takes and spell(i + 1, j + 1)
        return (takes and spell(i + 1, j + 1)) or spell(i, j + 1)

    return bool(letters) and bool(words) and words[0][0].upper() == letters[0] and spell(0, 0)


def _acronyms(
    doc: Doc, selected: list[_Candidate], allowed: Callable[[_Candidate], bool]
) -> list[_Candidate]:
    """ "<Name> (<ACRONYM>)": the acronym names the same actor there and later in the document.

    The name is the shortest run of words before the bracket that spells the acronym; its actor is the
    candidate covering exactly that run, else a new unknown organisation (added when no candidate
    overlaps the name). Later occurrences of the acronym that nothing else claims take the same actor.
    """
    result = list(selected)
    defined: dict[str, _Candidate] = {}
    for token in doc:
        i = token.i
        if token.text != "(" or i + 2 >= len(doc) or doc[i + 2].text != ")":
            continue
        acronym = doc[i + 1].text
        if not ACRONYM.match(acronym) or acronym in defined:
            continue
        start = next(
            (
                begin
                for begin in range(i - 1, max(doc[i].sent.start, i - 10) - 1, -1)
                if doc[begin].text[0].isalpha()
                and _spells(acronym, [w for t in doc[begin:i] if t.text[0].isalpha() for w in [t.text]])
            ),
            None,
        )
        if start is None:
            continue
        covering = [c for c in result if c.start < i and start < c.end]
        exact = next((c for c in covering if c.start == start and c.end == i), None)
        if exact is not None and exact.kind == "person":
            continue
        if exact is None:
            country = next((c.country for c in covering if c.country), None)
            source = _Candidate(start, i, "unknown", doc[start:i].text, None, country, None, "other")
            replaceable = all(
                c.code is None
                and c.kind in {"unknown", "name", "generic"}
                and start <= c.start
                and c.end <= i
                for c in covering
            )
            if replaceable and allowed(source):  # "State Board" inside "State Board of Antiquities (SBAH)"
                result = [c for c in result if c not in covering]
                result.append(source)
        else:
            source = exact
        defined[acronym] = source
    if not defined:
        return result
    by_start = {c.start: c for c in result}
    taken = {i for c in result for i in range(c.start, c.end)}
    for token in doc:
        source = defined.get(token.text)
        if source is None or token.i < source.start:
            continue
        current = by_start.get(token.i)
        if token.i in taken and not (
            current is not None and current.end == token.i + 1 and current.kind == "unknown"
        ):
            continue
        candidate = _Candidate(
            token.i,
            token.i + 1,
            source.kind if source.kind != "person" else "unknown",
            source.name,
            source.code,
            source.country,
            source.sector,
            source.type,
            source.role_of,
        )
        if not allowed(candidate):
            continue
        if current is not None and current in result:
            result.remove(current)
        result.append(candidate)
        taken.add(token.i)
    return sorted(result, key=lambda c: c.start)


def _link_surnames(
    doc: Doc, selected: list[_Candidate], allowed: Callable[[_Candidate], bool]
) -> list[_Candidate]:
    """Give later mentions of a person (by surname) the attributes of the fullest earlier mention."""
    persons = [c for c in selected if c.kind == "person" and " " in c.name]
    # a person named by one word ("Yusuf said") is that person wherever the word recurs untagged
    single = [c for c in selected if c.kind == "person" and c.code is None and " " not in c.name]
    if not persons and not single:
        return selected
    by_surname: dict[str, _Candidate] = {}
    for person in persons:
        by_surname.setdefault(_surname_key(person.name), person)
    by_name = {person.name: person for person in single if person.name.isalpha() and person.name.istitle()}
    taken = {i for c in selected for i in range(c.start, c.end)}
    result = []
    for candidate in selected:
        if candidate.kind == "person" and " " not in candidate.name:
            full = by_surname.get(_surname_key(candidate.name))
            if full is not None:
                candidate = _Candidate(
                    candidate.start,
                    candidate.end,
                    "person",
                    full.name,
                    full.code,
                    full.country,
                    full.sector,
                    "person",
                    full.role_of,
                )
        result.append(candidate)
    # bare surnames spaCy did not tag
    for token in doc:
        if token.i in taken or not token.is_title:
            continue
        full = by_surname.get(_surname_key(token.text))
        if full is None and token.text in by_name and token.pos_ == "PROPN":
            full = by_name[token.text]
        if full is None or token.text.lower() in NAME_PARTICLES or token.i < full.start:
            continue
        candidate = _Candidate(
            token.i,
            token.i + 1,
            "person",
            full.name,
            full.code,
            full.country,
            full.sector,
            "person",
            full.role_of,
        )
        if not allowed(candidate):
            continue
        result.append(candidate)
        taken.add(token.i)
    return sorted(result, key=lambda c: c.start)


def _normalised(name: str) -> str:
    return re.sub(r"\s+", " ", _clean(name).lower())


def build_actors(mentions: list[ActorMention]) -> tuple[list[Actor], list[str]]:
    """Merge mentions into document-level actors; returns the actors and, per mention, its actor id.

    Keys: the code (dictionary entries and compositions such as "USA-MIL-SOF": one actor per code);
    generic groups without a country ("militants", "civilians") by code and normalised name; persons by
    surname; unknown actors by normalised name. Ids "a1", "a2"… follow first mention. A composed actor is
    named by its most frequent surface form (ties: the longest); a dictionary actor by its canonical name.
    """
    dictionary = ActorDictionary.load()
    keys: list[str] = []
    for mention in mentions:
        if mention.type == "person" and (mention.code is None or mention.code.startswith("PER-")):
            keys.append(f"person:{_surname_key(mention.name)}")
        elif mention.code and mention.country is None and mention.code not in dictionary:
            # generic groups ("militants", "pro-Russian separatists") share a code but not an identity
            keys.append(f"code:{mention.code}:{_normalised(mention.name).rstrip('s')}")
        elif mention.code:
            keys.append(f"code:{mention.code}")
        else:
            keys.append(f"name:{_normalised(mention.name)}")
    order: list[str] = []
    grouped: dict[str, list[ActorMention]] = {}
    for key, mention in zip(keys, mentions, strict=True):
        if key not in grouped:
            order.append(key)
            grouped[key] = []
        grouped[key].append(mention)
    ids = {key: f"a{index}" for index, key in enumerate(order, start=1)}
    actors = []
    for key in order:
        group = grouped[key]
        first = group[0]
        entry = dictionary.get(first.code) if first.code else None
        if first.type == "person":
            name = max((m.name for m in group), key=len)
        elif entry is not None:
            name = entry.name
        else:
            counts = Counter(m.name for m in group)
            name = max(counts, key=lambda n: (counts[n], len(n)))
        informative = next((m for m in group if m.country or m.sector), first)
        aliases = list(dict.fromkeys(m.text for m in group))
        spans = [m.span for m in group]  # and the pronouns and descriptions standing for them ("he")
        spans += [c.span for m in group for c in coreferents_of(m) if c.span not in spans]
        actors.append(
            Actor(
                id=ids[key],
                name=name,
                country=informative.country,
                sector=informative.sector,
                type=first.type,
                code=first.code,
                known=any(m.code is not None or m.role_of is not None for m in group),
                aliases=aliases,
                mentions=sorted(spans),
            )
        )
    return actors, [ids[key] for key in keys]


def _acted_upon(root: Token) -> bool:
    """Whether a noun phrase is what an act is done to: a direct object, a passive subject, or the object
    of a preposition governed by a verb ("attacked the partners", "fighters were injured", "fire on the
    rebels")."""
    if root.dep_ in ("dobj", "nsubjpass", "dative"):
        return True
    return root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.pos_ == "VERB"
