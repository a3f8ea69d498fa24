"""Toponym resolution: find place mentions in a spaCy ``Doc`` and resolve them to gazetteer entries.

Mentions come from spaCy entities (GPE, LOC, FAC; ORG/PERSON/NORP only when they exactly name a curated
feature, country or region), from a phrase match of the curated names (countries, admin1 divisions,
features) that NER missed, and from GeoNames places of the document's own countries that the tagger marks as
proper nouns.
Each distinct name is resolved once by a score: population prior + country context of the document (countries
named, demonyms, unambiguous places) + feature preference + how exactly the name matched.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from polemos.geo.gazetteer import (
    ADMIN_TYPE_WORDS,
    ARABIC_ARTICLES,
    MATCH_ALTERNATE,
    MATCH_VARIANT,
    PHYSICAL_FEATURES,
    Candidate,
    Gazetteer,
    normalize,
)
from polemos.model import Place

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
FEATURE_ONLY_LABELS = frozenset(
    {"PERSON", "NORP"}
)  # accepted only when they name a physical feature or region
ORG_LABEL = "ORG"  # accepted when it names a feature, region or country ("Nagorno-Karabakh", "Iran")
MAX_PHRASE_TOKENS = 7
CONTEXT_CITY_MIN_POPULATION = 1000

# Score weights (see ``_score``).
COUNTRY_PRIOR = 9.0
ADMIN1_PRIOR = 6.5
FEATURE_PRIOR = 7.0
CONTINENT_PRIOR = 7.5
ADMIN_HINT_BONUS = 3.0
SAME_NAME_CITY_PENALTY = 3.0  # "Aleppo" is the city, not the governorate, unless the text says "province"
CAPITAL_BONUS = 1.0
CONTEXT_WEIGHT = 3.0
ADMIN1_CONTEXT_BONUS = 1.5
MATCH_PENALTY = {MATCH_ALTERNATE: 0.3, MATCH_VARIANT: 1.0}
CONFIDENT_MARGIN = 1.0

_DIRECTIONS = r"north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west|north|south|east|west"
_SETTLEMENT = (
    r"(?:the\s+)?(?:(?:city|town|village|province|governorate|region|district|area|outskirts)\s+of\s+)?"
    r"(?:the\s+)?"
)
_PREFIX_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"(?P<text>(?P<dist>\d+(?:[.,]\d+)?|a\s+few|several|some)\s*-?\s*"
            r"(?P<unit>km|kms|kilomet(?:er|re)s?|miles?|mi|m|met(?:er|re)s?)\s+(?:to\s+the\s+|further\s+)?"
            r"(?P<dir>" + _DIRECTIONS + r")\s+of)\s+" + _SETTLEMENT + r"$",
            re.IGNORECASE,
        ),
        "distance",
    ),
    (
        re.compile(
            r"(?P<text>on\s+the\s+(?P<side>left|right|east|west|north|south|eastern|western|northern|southern)\s+"
            r"(?P<what>side|bank|shore|flank)\s+of)\s+" + _SETTLEMENT + r"$",
            re.IGNORECASE,
        ),
        "side",
    ),
    (
        re.compile(
            r"(?P<text>(?:(?:to|in)\s+the\s+|just\s+|directly\s+|further\s+|far\s+)?(?P<dir>"
            + _DIRECTIONS
            + r")\s+of)\s+"
            + _SETTLEMENT
            + r"$",
            re.IGNORECASE,
        ),
        "direction",
    ),
    (
        re.compile(
            r"(?P<text>(?P<rel>in\s+the\s+vicinity\s+of|on\s+the\s+outskirts\s+of|in\s+the\s+outskirts\s+of|"
            r"outskirts\s+of|on\s+the\s+edge\s+of|at\s+the\s+gates\s+of|close\s+to|near(?:by)?|nearer|outside|"
            r"around|along|across|inside|off\s+the\s+coast\s+of)\b)\s+" + _SETTLEMENT + r"$",
            re.IGNORECASE,
        ),
        "near",
    ),
    (
        re.compile(
            r"(?P<text>(?P<dir>" + _DIRECTIONS + r")ern)\s+(?:parts?\s+of\s+)?(?:the\s+)?$", re.IGNORECASE
        ),
        "adjective",
    ),
    (
        re.compile(
            r"(?P<text>(?P<dir>north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west|north|south|east|"
            r"west))\s+(?:the\s+)?$"
        ),
        "adjective",
    ),
    (re.compile(r"(?P<text>rural)\s+$", re.IGNORECASE), "rural"),
]
_SUFFIX_PATTERN = re.compile(
    r"^(?:['’]s)?\s+(?P<text>countryside|outskirts|suburbs|environs|hinterland)\b", re.IGNORECASE
)
_NEAR_RELATIONS = {
    "in the vicinity of": "near",
    "close to": "near",
    "near": "near",
    "nearby": "near",
    "nearer": "near",
    "on the outskirts of": "outskirts of",
    "in the outskirts of": "outskirts of",
    "outskirts of": "outskirts of",
    "on the edge of": "outskirts of",
    "at the gates of": "outskirts of",
    "off the coast of": "off the coast of",
}
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING_POSSESSIVE = re.compile(r"['’]s$")


@dataclass
class _Mention:
    start: int
    end: int
    text: str  # the toponym as written, without "the" and a type word
    admin_hint: bool = False  # followed or preceded by "province", "governorate", "oblast", ...
    had_the: bool = False
    origin: str = "ner"  # ner | phrase | context


@dataclass
class _Resolution:
    candidate: Candidate | None
    score: float = 0.0
    margin: float = math.inf


@dataclass
class _Context:
    countries: Counter[str] = field(default_factory=Counter)
    admin1: set[tuple[str, str]] = field(default_factory=set)  # (ISO3, admin1 code)

    def share(self, iso3: str | None) -> float:
        if not iso3 or not self.countries:
            return 0.0
        return self.countries[iso3] / max(self.countries.values())


def find_places(doc: Doc, exclude: Iterable[tuple[int, int]] = (), date: str | None = None) -> list[Place]:
    """The places a document mentions, resolved to GeoNames where possible, in order of first mention.

    ``exclude``: character ranges to ignore (boilerplate). ``date`` (ISO publication date) is accepted for
    time-aware gazetteers; the current gazetteer holds present-day names only and does not use it.
    """
    gazetteer = Gazetteer.open()
    excluded = list(exclude)
    context = _Context()
    for token in doc:
        if token.text[:1].isupper() and not _inside(token.idx, token.idx + len(token.text), excluded):
            for iso3 in gazetteer.demonym_countries(token.text):
                context.countries[iso3] += 0.5

    text = doc.text  # spaCy rebuilds doc.text on every access
    tokens = _Tokens.of(doc, text)
    mentions = _select(
        _entity_mentions(doc, tokens, gazetteer) + _phrase_mentions(tokens, gazetteer), excluded
    )
    resolutions = _resolve_all(mentions, gazetteer, context)
    extra = _context_city_mentions(tokens, gazetteer, context, mentions, excluded)
    if extra:
        mentions = sorted(mentions + extra, key=lambda m: m.start)
        resolutions = _resolve_all(mentions, gazetteer, context, seed=False)
    return _places(text, mentions, resolutions, context)


def relative_phrase(doc: Doc, place_span: tuple[int, int]) -> str | None:
    """The relation the text states to the place at ``place_span`` ("east of", "near", ...), or None."""
    qualifier = _qualifier(doc.text, place_span[0], place_span[1])
    return qualifier["relation"] if qualifier else None


# ----------------------------------------------------------------------------------------------------
# Mentions


def _entity_mentions(doc: Doc, tokens: _Tokens, gazetteer: Gazetteer) -> list[_Mention]:
    mentions = []
    for ent in doc.ents:
        mention = _clean(tokens, ent)
        if mention is None or gazetteer.is_demonym(mention.text):
            continue
        if ent.label_ in PLACE_LABELS:
            mentions.append(mention)
        elif ent.label_ in FEATURE_ONLY_LABELS or ent.label_ == ORG_LABEL:
            allowed = PHYSICAL_FEATURES | ({"country", "admin1"} if ent.label_ == ORG_LABEL else set())
            if any(candidate.feature in allowed for candidate in gazetteer.curated(mention.text)):
                mention.origin = "phrase"
                mentions.append(mention)
    return mentions


def _clean(doc_tokens: _Tokens, span: Span) -> _Mention | None:
    """The toponym inside an entity span: no leading "the"/lowercase words, possessive or type word."""
    tokens = list(span)
    had_the = False
    while tokens and (
        tokens[0].lower_ == "the"
        or (tokens[0].is_lower and tokens[0].lower_ not in ARABIC_ARTICLES)
        or tokens[0].is_punct
    ):
        had_the |= tokens[0].lower_ == "the"
        tokens = tokens[1:]
    admin_hint = False
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in ("'s", "’s")):
        tokens = tokens[:-1]
    if len(tokens) > 1 and tokens[-1].lower_ in ADMIN_TYPE_WORDS:
        admin_hint = tokens[-1].lower_ not in ("district", "districts")
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    name = _TRAILING_POSSESSIVE.sub("", doc_tokens.text[start:end])
    end = start + len(name)
    if not any(ch.isalpha() for ch in name) or name.islower():
        return None
    mention = _Mention(start, end, name, admin_hint=admin_hint, had_the=had_the)
    _admin_context(doc_tokens, mention, tokens[0].i, tokens[-1].i + 1)
    return mention


def _admin_context(tokens: _Tokens, mention: _Mention, first: int, last: int) -> None:
    """Mark "Idlib province", "the province of Idlib", "Donetsk region": the mention names an admin1."""
    lower = tokens.lower
    following = lower[last] if last < len(lower) else ""
    if following in ADMIN_TYPE_WORDS and following not in ("district", "districts"):
        mention.admin_hint = True
    elif first >= 2 and lower[first - 1] == "of" and lower[first - 2] in ADMIN_TYPE_WORDS:
        mention.admin_hint = True
    if first >= 1 and lower[first - 1] == "the":
        mention.had_the = True


@dataclass
class _Tokens:
    """Plain per-token lists: indexing a spaCy Doc token by token is slow."""

    text: str
    words: list[str]
    lower: list[str]
    idx: list[int]
    pos: list[str]
    punct: list[bool]
    sent_start: list[bool]
    sent_end: list[int]
    owner: list[Span | None]  # the entity a token belongs to

    @classmethod
    def of(cls, doc: Doc, text: str) -> _Tokens:
        sent_end = [0] * len(doc)
        sent_start = [False] * len(doc)
        for sent in doc.sents:
            sent_start[sent.start] = True
            sent_end[sent.start : sent.end] = [sent.end] * (sent.end - sent.start)
        owner: list[Span | None] = [None] * len(doc)
        for ent in doc.ents:
            owner[ent.start : ent.end] = [ent] * (ent.end - ent.start)
        return cls(
            text,
            [t.text for t in doc],
            [t.lower_ for t in doc],
            [t.idx for t in doc],
            [t.pos_ for t in doc],
            [t.is_punct for t in doc],
            sent_start,
            sent_end,
            owner,
        )

    def chars(self, first: int, last: int) -> tuple[int, int]:
        return self.idx[first], self.idx[last - 1] + len(self.words[last - 1])


def _phrase_mentions(tokens: _Tokens, gazetteer: Gazetteer) -> list[_Mention]:
    """Curated names (countries, admin1 divisions, features) that NER missed or mislabelled."""
    words, count = tokens.words, len(tokens.words)
    mentions: list[_Mention] = []
    i = 0
    while i < count:
        word = words[i]
        starts_name = word[:1].isupper() or (
            tokens.lower[i] in ARABIC_ARTICLES and i + 2 < count and words[i + 1] == "-"
        )
        if not starts_name or normalize(word) not in gazetteer.first_words:
            i += 1
            continue
        found = None
        for j in range(min(i + MAX_PHRASE_TOKENS, tokens.sent_end[i]), i, -1):
            if tokens.punct[j - 1] and words[j - 1] not in ("-", "'"):
                continue
            start, end = tokens.chars(i, j)
            name = tokens.text[start:end]
            if gazetteer.curated(name) and _phrase_allowed(tokens, i, j, name, gazetteer):
                found = (j, start, end, name)
                break
        if found is None:
            i += 1
            continue
        j, start, end, name = found
        mention = _Mention(start, end, name, origin="phrase")
        _admin_context(tokens, mention, i, j)
        if j < count and tokens.lower[j] in ADMIN_TYPE_WORDS:
            mention.end = tokens.chars(j, j + 1)[1]
        mentions.append(mention)
        i = j
    return mentions


def _phrase_allowed(tokens: _Tokens, first: int, last: int, name: str, gazetteer: Gazetteer) -> bool:
    """A phrase match must not cut into a non-place entity ("Michael Jordan", "Army of Ukraine")."""
    for ent in {tokens.owner[k] for k in range(first, last)} - {None}:
        assert ent is not None
        if ent.label_ in PLACE_LABELS:
            continue
        if ent.start >= first and ent.end <= last and ent.label_ in ("PERSON", "ORG", "NORP"):
            if ent.start == first and ent.end == last and ent.label_ != ORG_LABEL:
                return any(c.feature in PHYSICAL_FEATURES for c in gazetteer.curated(name))
            continue  # the phrase covers the whole entity: "Strait of Hormuz" over PERSON "Hormuz"
        if ent.label_ == ORG_LABEL and normalize(_LEADING_ARTICLE.sub("", ent.text)) == normalize(name):
            continue  # ORG "the Kurdistan Region" is the phrase itself
        return False
    return True


def _select(mentions: list[_Mention], excluded: list[tuple[int, int]]) -> list[_Mention]:
    """Drop excluded mentions and keep the longest of overlapping ones."""
    kept: list[_Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if _inside(mention.start, mention.end, excluded):
            continue
        if any(mention.start < other.end and other.start < mention.end for other in kept):
            continue
        kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _inside(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in ranges)


def _context_city_mentions(
    tokens: _Tokens,
    gazetteer: Gazetteer,
    context: _Context,
    mentions: list[_Mention],
    excluded: list[tuple[int, int]],
) -> list[_Mention]:
    """Proper nouns NER missed that name a GeoNames place in one of the document's main countries."""
    if not context.countries:
        return []
    top = max(context.countries.values())
    main = {iso3 for iso3, weight in context.countries.items() if weight >= top / 2}
    words, pos, owner = tokens.words, tokens.pos, tokens.owner
    taken = [(m.start, m.end) for m in mentions] + excluded
    found: list[_Mention] = []
    i = 0
    while i < len(words):
        word = words[i]
        if not (
            pos[i] == "PROPN"
            and word[:1].isupper()
            and not tokens.sent_start[i]
            and owner[i] is None
            and len(word) >= 3
            and not word.isupper()
            and not gazetteer.is_demonym(word)
        ):
            i += 1
            continue
        match = None
        for j in range(min(i + 3, len(words)), i, -1):
            if any(owner[k] is not None or not (pos[k] == "PROPN" or words[k] == "-") for k in range(i, j)):
                continue
            start, end = tokens.chars(i, j)
            if _inside(start, end, taken):
                continue
            name = tokens.text[start:end]
            if any(
                c.country in main
                and (c.population or 0) >= CONTEXT_CITY_MIN_POPULATION
                and c.match != MATCH_VARIANT
                for c in gazetteer.cities(name)
            ):
                match = (j, _Mention(start, end, name, origin="context"))
                break
        if match is None:
            i += 1
            continue
        i, mention = match
        found.append(mention)
    return found


# ----------------------------------------------------------------------------------------------------
# Resolution


def _resolve_all(
    mentions: list[_Mention], gazetteer: Gazetteer, context: _Context, seed: bool = True
) -> dict[tuple[str, bool], _Resolution]:
    """Resolve each distinct (name, admin hint) twice: without context to seed it, then with it."""
    groups: dict[tuple[str, bool], list[_Mention]] = defaultdict(list)
    for mention in mentions:
        groups[(normalize(mention.text), mention.admin_hint)].append(mention)
    candidates = {key: gazetteer.lookup(group[0].text) for key, group in groups.items()}
    if seed:
        empty = _Context()
        for key, group in groups.items():
            first = _best(candidates[key], group, empty)
            if first.candidate is None:
                continue
            chosen = first.candidate
            if chosen.feature == "country" and chosen.country:
                context.countries[chosen.country] += len(group)
            elif first.margin >= CONFIDENT_MARGIN:
                iso3 = _main_country(chosen, context)
                if iso3:
                    context.countries[iso3] += 0.5 * len(group)
                if chosen.feature == "admin1" and chosen.country and chosen.admin1_code:
                    context.admin1.add((chosen.country, chosen.admin1_code))
    return {key: _best(candidates[key], group, context) for key, group in groups.items()}


def _best(candidates: list[Candidate], group: list[_Mention], context: _Context) -> _Resolution:
    if not candidates:
        return _Resolution(None)
    admin_hint = group[0].admin_hint
    had_the = any(m.had_the for m in group)
    has_city = {c.country for c in candidates if c.feature == "city" and (c.population or 0) >= 10000}
    scored = sorted(
        ((_score(c, admin_hint, had_the, has_city, context), c) for c in candidates),
        key=lambda item: -item[0],
    )
    best_score, best = scored[0]
    runner_up = next((s for s, c in scored[1:] if c.key != best.key), None)
    return _Resolution(best, best_score, math.inf if runner_up is None else best_score - runner_up)


def _score(
    candidate: Candidate, admin_hint: bool, had_the: bool, has_city: set[str | None], context: _Context
) -> float:
    feature = candidate.feature
    if feature == "country":
        score = COUNTRY_PRIOR
    elif feature == "admin1":
        score = ADMIN1_PRIOR + (ADMIN_HINT_BONUS if admin_hint else 0.0)
        if not admin_hint and candidate.country in has_city:
            score -= SAME_NAME_CITY_PENALTY
    elif feature == "continent":
        score = CONTINENT_PRIOR
    elif feature == "city":
        score = math.log10((candidate.population or 0) + 1) - MATCH_PENALTY.get(candidate.match, 0.0)
        score += CAPITAL_BONUS if candidate.capital else 0.0
        score -= 2.0 if admin_hint else 0.0
        if (candidate.country, candidate.admin1_code) in context.admin1:
            score += ADMIN1_CONTEXT_BONUS
    else:
        score = FEATURE_PRIOR + (1.0 if had_the and feature in ("river", "sea", "strait", "lake") else 0.0)
    countries = candidate.countries or ((candidate.country,) if candidate.country else ())
    return score + CONTEXT_WEIGHT * max((context.share(iso3) for iso3 in countries), default=0.0)


def _main_country(candidate: Candidate, context: _Context) -> str | None:
    """The country a place is in; for a feature spanning several, the one the document talks about most."""
    if not candidate.countries:
        return candidate.country
    return max(
        candidate.countries,
        key=lambda iso3: (context.countries.get(iso3, 0), -candidate.countries.index(iso3)),
    )


# ----------------------------------------------------------------------------------------------------
# Output


def _places(
    text: str, mentions: list[_Mention], resolutions: dict[tuple[str, bool], _Resolution], context: _Context
) -> list[Place]:
    places: dict[Any, Place] = {}
    for mention in mentions:
        key = (normalize(mention.text), mention.admin_hint)
        candidate = resolutions[key].candidate
        identity: Any = candidate.key if candidate else ("unknown", key[0])
        place = places.get(identity)
        if place is None:
            place = places[identity] = _place(f"p{len(places) + 1}", mention, candidate, context)
        place.mentions.append((mention.start, mention.end))
        qualifier = _qualifier(text, mention.start, mention.end)
        if qualifier:
            place.qualifiers.append(qualifier)
    return list(places.values())


def _place(place_id: str, mention: _Mention, candidate: Candidate | None, context: _Context) -> Place:
    if candidate is None:
        return Place(
            id=place_id,
            name=mention.text,
            geonameid=None,
            lat=None,
            lon=None,
            country=None,
            admin1=None,
            feature="unknown",
        )
    return Place(
        id=place_id,
        name=candidate.name,
        geonameid=candidate.geonameid,
        lat=candidate.lat,
        lon=candidate.lon,
        country=_main_country(candidate, context),
        admin1=candidate.admin1,
        feature=candidate.feature,
        population=candidate.population or None,
    )


def _qualifier(text: str, start: int, end: int) -> dict[str, Any] | None:
    """The relative phrase around one mention: "to the east of X", "near X", "X countryside", ..."""
    before = text[max(0, start - 80) : start]
    for pattern, kind in _PREFIX_PATTERNS:
        match = pattern.search(before)
        if match is None:
            continue
        offset = max(0, start - 80)
        span = [offset + match.start("text"), offset + match.end("text")]
        phrase = " ".join(match.group("text").split())
        qualifier: dict[str, Any] = {
            "relation": _relation(kind, match),
            "span": span,
            "text": phrase,
            "mention": [start, end],
        }
        if kind == "distance":
            qualifier["distance"] = f"{' '.join(match.group('dist').split())} {match.group('unit')}"
            qualifier["distance_km"] = _kilometres(match.group("dist"), match.group("unit"))
        return qualifier
    match = _SUFFIX_PATTERN.search(text[end : end + 30])
    if match:
        word = match.group("text").lower()
        relation = "outskirts of" if word in ("outskirts", "suburbs", "environs") else "countryside"
        return {
            "relation": relation,
            "span": [end + match.start("text"), end + match.end("text")],
            "text": match.group("text"),
            "mention": [start, end],
        }
    return None


def _relation(kind: str, match: re.Match[str]) -> str:
    if kind in ("distance", "direction"):
        return f"{_direction(match.group('dir'))} of"
    if kind == "side":
        return f"on the {match.group('side').lower()} {match.group('what').lower()} of"
    if kind == "near":
        rel = " ".join(match.group("rel").lower().split())
        return _NEAR_RELATIONS.get(rel, rel)
    if kind == "adjective":
        return f"{_direction(match.group('dir'))}ern"
    return "countryside"  # rural X


def _direction(word: str) -> str:
    return re.sub(r"[- ]", "", word.lower())


def _kilometres(distance: str, unit: str) -> float | None:
    try:
        value = float(distance.replace(",", "."))
    except ValueError:
        return None  # "a few km"
    unit = unit.lower()
    if unit.startswith("mi"):
        return round(value * 1.609344, 3)
    if unit in ("m",) or unit.startswith("met"):
        return round(value / 1000, 3)
    return value
