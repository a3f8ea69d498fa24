"""Toponym resolution: find place mentions in a spaCy ``Doc`` and resolve them to gazetteer entries.

Mentions come from spaCy entities (GPE, LOC, FAC; ORG/PERSON/NORP only when they exactly name a curated
feature, country or region), from a phrase match of the curated names (countries, admin1 divisions,
features) that NER missed, and from GeoNames places of the document's own countries that the tagger marks as
proper nouns.
Each distinct name is resolved once by a score: population prior + country context of the document (countries
named, demonyms, unambiguous places) + feature preference + how exactly the name matched. A name followed by
", <admin1 or country>" ("Paris, Texas", "London, Ontario", "Frankfort, Ky.") is resolved inside it, and the
document's bare mentions of that name follow.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from spacy.tokens import Doc, Span

from polemos.geo.gazetteer import (
    ADMIN_TYPE_WORDS,
    ARABIC_ARTICLES,
    MATCH_ALTERNATE,
    MATCH_NAME,
    MATCH_VARIANT,
    PHYSICAL_FEATURES,
    Candidate,
    Gazetteer,
    normalize,
    strip_arabic_article,
)
from polemos.model import Place
from polemos.nlp import token_at

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
FEATURE_ONLY_LABELS = frozenset(
    {"PERSON", "NORP"}
)  # accepted only when they name a physical feature or region
ORG_LABEL = "ORG"  # accepted when it names a feature, region or country ("Nagorno-Karabakh", "Iran")
NUMERIC_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Labels the small English model often gives to toponyms ("Aleppo" LANGUAGE, "Manbij" PRODUCT).
MISLABELS = frozenset({"LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
# Words before a name that make it a place ("in Khan Younis", "near Manbij"), for names NER calls PERSON/ORG.
LOCATIVE_WORDS = frozenset(
    "in at near from to into toward towards outside around across through inside of between "
    "hit struck shelled bombed bombarded targeted captured seized entered besieged stormed recaptured".split()
)
SETTLEMENT_WORDS = frozenset("village town city area neighborhood neighbourhood suburb municipality".split())
# Division words after a town's name that are no part of it when the gazetteer knows the town ("Enfield
# Borough"); a county only when the gazetteer has no county of that name ("Orange County" is one).
TRAILING_DIVISION_WORDS = frozenset("borough township county".split())
SURROUNDINGS = frozenset("vicinity outskirts edge heart centre center".split())  # "the outskirts of X"
# Prepositions that, capitalised, open a sentence and that NER swallows into the name ("Near Al Huwayjah"
# PERSON): the name after them is the entity.
OPENING_PREPOSITIONS = frozenset(
    "near in outside around inside at from into across through towards toward".split()
)
# Cues that make a name a place whatever the gazetteer says of its size ("near X", "the village of X"):
# a GeoNames place in a main country is taken even when GeoNames gives it no population.
STRONG_CUES = frozenset("near outside around inside into towards toward".split())
# Of those, the ones strong enough to keep a name no gazetteer knows ("around Ambassador X" is no place).
UNKNOWN_PLACE_CUES = frozenset("near outside".split())
MAX_PHRASE_TOKENS = 7
# Verbs whose passive subject is a place ("X was recaptured", "X has been liberated").
CAPTURE_VERBS = frozenset(
    "capture recapture liberate retake seize besiege shell bomb bombard overrun storm encircle raze".split()
)
# Nouns after a demonym that make it the country's land ("Syrian territory", "the Turkish border").
LAND_NOUNS = frozenset(
    "territory territories airspace soil waters border borders frontier coast shores".split()
)
STREET_WORDS = frozenset(
    "street st road rd avenue ave lane ln drive dr boulevard blvd highway hwy way court ct crescent place "
    "square terrace parkway pkwy".split()
)
CONTEXT_CITY_MIN_POPULATION = 1000
# A city shares an admin1 division's name ("Aleppo", "Raqqa", "Kidal") when it lies in that division and is
# at least this populous; a city elsewhere in the country only when it is the capital or a big city named so
# in its own right ("Kyiv", "Moscow", "Washington"), not a town of the same name ("Delaware", Ohio) nor a
# place that lists the division's name among its alternate names (Bozeman: "Missouri").
ORG_CITY_MIN_POPULATION = 100000  # an ORG entity naming a city this big in a main country is that city
DIRECTIONAL_CITY_MIN_POPULATION = 100000  # "North London" is part of London; "South Pacific" is no town
SAME_NAME_CITY_MIN_POPULATION = 10000
SAME_NAME_BIG_CITY_POPULATION = 500000
SAME_NAME_SIMILARITY = 0.75
_SKELETON_DROP = str.maketrans("", "", "aeiouyw ")

# Score weights (see ``_score``).
COUNTRY_PRIOR = 9.0
ADMIN1_PRIOR = 6.5
ADMIN2_PRIOR = 6.0
LIST_BONUS = 1.5  # a place listed with at least two others gains this for their countries
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
# What every prefix pattern ends with: a cheap test before trying them all.
_PREFIX_TAIL = re.compile(
    r"(?:\bof|\bnear(?:by|er)?|\boutside|\baround|\balong|\bacross|\binside|\bto|\brural|north|south|east|"
    r"west|ern)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
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
    cued: bool = False  # found by context after a cue that makes any name a place ("near X", "village of X")
    allowed: frozenset[int] | None = None  # candidate keys an explicit qualifier leaves ("Paris, Texas")


_Key = tuple[str, bool, bool, frozenset[int] | None]  # normalised name, admin hint, "the", allowed candidates


def _key(mention: _Mention) -> _Key:
    """Mentions with the same key are resolved together: "the Dnipro" (river) apart from "Dnipro" (city), and
    "Paris, Texas" apart from a bare "Paris"."""
    return normalize(mention.text), mention.admin_hint, mention.had_the, mention.allowed


@dataclass
class _Resolution:
    candidate: Candidate | None
    score: float = 0.0
    margin: float = math.inf


@dataclass
class _Context:
    countries: Counter[str] = field(default_factory=Counter)
    admin1: set[tuple[str, str]] = field(default_factory=set)  # (ISO3, admin1 code)
    # divisions of the document's confidently resolved towns and counties
    regions: set[tuple[str, str]] = field(default_factory=set)
    # per name: the countries its list neighbours were confidently resolved to ("New South Wales, Western
    # Australia and Queensland")
    neighbours: dict[str, set[str]] = field(default_factory=dict)

    contributions: dict[_Key, tuple[str, float]] = field(default_factory=dict)

    def share(self, iso3: str | None) -> float:
        if not iso3 or not self.countries:
            return 0.0
        top = max(self.countries.values())
        return self.countries[iso3] / top if top > 0 else 0.0

    def without(self, key: _Key) -> _Context:
        """The context less what one name contributed itself (a name must not vote for its own reading)."""
        if key not in self.contributions:
            return self
        iso3, weight = self.contributions[key]
        countries = Counter(self.countries)
        countries[iso3] -= weight
        return _Context(+countries, self.admin1, self.regions, self.neighbours)


def find_places(doc: Doc, exclude: Iterable[tuple[int, int]] = (), date: str | None = None) -> list[Place]:
    """The places a document mentions, resolved to GeoNames where possible, in order of first mention.

    ``exclude``: character ranges to ignore (boilerplate). ``date`` (ISO publication date) is accepted for
    time-aware gazetteers; the current gazetteer holds present-day names only and does not use it.
    """
    gazetteer = Gazetteer.open()
    excluded = list(exclude)
    context = _Context()
    text = doc.text  # spaCy rebuilds doc.text on every access
    tokens = _Tokens.of(doc, text)
    tokens.division_after = _divisions_after_commas(tokens, gazetteer)
    for word, start in zip(tokens.words, tokens.idx, strict=True):
        if word[:1].isupper() and not _inside(start, start + len(word), excluded):
            for iso3 in gazetteer.demonym_countries(word):
                context.countries[iso3] += 0.5
    votes = _label_votes(doc, tokens)
    mentions = _select(
        _entity_mentions(doc, tokens, gazetteer)
        + _phrase_mentions(tokens, gazetteer)
        + _demonym_land_mentions(tokens, gazetteer),
        excluded,
    )
    mentions = _extended(mentions, tokens, gazetteer)
    _division_cues(mentions, tokens, gazetteer)
    persons = _person_name_parts(doc) - {normalize(m.text) for m in mentions if _cued_place(tokens, m)}
    mentions = [m for m in mentions if not _person_name(tokens, gazetteer, persons, m)]
    weak = [mention for mention in mentions if mention.origin == "weak"]
    mentions = [mention for mention in mentions if mention.origin != "weak"]
    resolutions = _resolve_all(mentions, text, gazetteer, context)
    known = {  # names NER or the curated phrases took for places and the gazetteer resolved; a minor place
        _key(m)[0]  # name only while NER does not more often call it a person or an organisation
        for m in mentions
        if m.origin in ("ner", "phrase")
        and resolutions[_key(m)].candidate
        and (votes[_key(m)[0]] >= 0 or not _minor_place(gazetteer, m.text))
    }
    extra = _confirmed(weak, gazetteer, context) + _context_city_mentions(
        tokens, gazetteer, context, mentions + weak, excluded, known
    )
    # a name the context showed to be a place is that place where it comes again ("outside Daquq … Daquq was")
    repeated = {normalize(m.text) for m in extra if m.cued} - known
    if repeated:
        extra += _context_city_mentions(
            tokens, gazetteer, context, mentions + weak + extra, excluded, repeated
        )
    shrunk = _shrink_unresolved(mentions, resolutions, gazetteer, _main_countries(context))
    extra = [m for m in extra if not _person_name(tokens, gazetteer, persons, m)]
    if extra or shrunk:
        mentions = sorted(mentions + extra, key=lambda m: m.start)
        resolutions = _resolve_all(mentions, text, gazetteer, context, seed=False)
    points = _coordinate_mentions(text, excluded)
    if points:
        mentions = sorted(mentions + [mention for mention, _ in points], key=lambda m: m.start)
        resolutions.update((_key(mention), _Resolution(candidate)) for mention, candidate in points)
    containers = _containers(text, mentions, resolutions, gazetteer)
    places = _not_names_of_others(doc, tokens, _places(text, mentions, resolutions, context, containers))
    for place in places:  # "Iraq.\n\n" → "Iraq": a mention never ends in punctuation or white space
        place.mentions = [_trimmed(text, start, end) for start, end in place.mentions]
    return places


_DMS = (
    r"(\d{1,3}(?:\.\d+)?)\s*°\s*(?:(\d{1,2}(?:\.\d+)?)\s*[′'](?:\s*(\d{1,2}(?:\.\d+)?)\s*(?:″|''|\"))?)?\s*"
)
_COORDINATES = [
    re.compile(_DMS + r"([NS])\s*,?\s*" + _DMS + r"([EW])\b"),  # 59°10′25″N 18°10′05″E, 33.5°N 36.2°E
    re.compile(r"(?<![\d.])(-?\d{1,2}\.\d{3,})\s*;\s*(-?\d{1,3}\.\d{3,})(?![\d.])"),  # 59.173616; 18.167988
]


def _coordinate_mentions(text: str, excluded: list[tuple[int, int]]) -> list[tuple[_Mention, Candidate]]:
    """Coordinates written in the text ("59°10′25″N 18°10′05″E", "35.0325°N 43.6463889°E", the geo
    microformat "59.173616; 18.167988"): each a place at that point."""
    found = []
    for number, pattern in enumerate(_COORDINATES):
        for match in pattern.finditer(text):
            if _inside(match.start(), match.end(), excluded):
                continue
            if number == 0:
                groups = match.groups()
                lat = _degrees(*groups[0:3]) * (-1 if groups[3] == "S" else 1)
                lon = _degrees(*groups[4:7]) * (-1 if groups[7] == "W" else 1)
            else:
                lat, lon = float(match.group(1)), float(match.group(2))
            if abs(lat) > 90 or abs(lon) > 180:
                continue
            name = match.group(0)
            mention = _Mention(match.start(), match.end(), name, origin="coordinates")
            candidate = Candidate(
                key=-(10**9) - match.start(),
                geonameid=None,
                name=name,
                lat=round(lat, 6),
                lon=round(lon, 6),
                country=None,
                admin1=None,
                admin1_code=None,
                population=None,
                feature="point",
            )
            found.append((mention, candidate))
    return found


def _degrees(degrees: str, minutes: str | None, seconds: str | None) -> float:
    return float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600


# A region named as a portfolio or a desk ("Minister for the Middle East", "the Middle East director"): no
# place of the story.
_PORTFOLIO_BEFORE = re.compile(
    r"\b(?:minister|secretary|envoy|commissioner|representative|coordinator|director|adviser|advisor)\s+"
    r"(?:for|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PORTFOLIO_AFTER = re.compile(
    r"^\s+(?:director|directors|branch|desk|division|department|bureau|editor|correspondent|analyst|"
    r"programme|program|envoy|minister)\b",
    re.IGNORECASE,
)
# Verbs only a person is the subject of: an unresolved "place" that tells or replies is a person NER mistook.
PERSON_VERBS = frozenset(
    "say tell reply insist explain recall add smile beam laugh whisper shout recount remember".split()
)


def _not_names_of_others(doc: Doc, tokens: _Tokens, places: list[Place]) -> list[Place]:
    """Drop mentions that are part of another thing's name or a person's: the tail of an organisation's name
    ("the Islamic State of Iraq and the Levant"), a region as a portfolio ("Minister for the Middle East"),
    and unresolved names the syntax shows to be persons ("Karam told Nabil", "Nabil replied")."""
    text = tokens.text
    kept = []
    for place in places:
        region = place.feature in ("region", "continent")
        unknown = place.geonameid is None and place.feature == "unknown"
        mentions = [
            (start, end)
            for start, end in place.mentions
            if not _org_name_tail(doc, start)
            and not (
                region
                and (
                    _PORTFOLIO_BEFORE.search(text[max(0, start - 40) : start])
                    or _PORTFOLIO_AFTER.match(text[end:])
                )
            )
        ]
        if unknown and any(_person_subject(doc, start, end) for start, end in mentions):
            continue
        if mentions:
            place.mentions = mentions
            kept.append(place)
    return kept


# Words after a name that make it a state or province when it may also be a town ("the Quebec government",
# "New York Gov. Andrew Cuomo", "Quebec Health Minister"), and words before it ("all other parts of Quebec").
DIVISION_GOVERNMENT_WORDS = frozenset("government premier governor gov legislature minister".split())
DIVISION_PART_WORDS = frozenset("across throughout".split())


def _division_cues(mentions: list[_Mention], tokens: _Tokens, gazetteer: Gazetteer) -> None:
    """Mark a name that is both a division and a town inside it as the division where the words around it
    speak of a division's government or extent. Not a national capital ("the Baghdad government" is
    Iraq's)."""
    lower = tokens.lower
    for mention in mentions:
        if mention.admin_hint:
            continue
        first, last = tokens.index(mention.start), tokens.index_ending(mention.end)
        if first is None or last is None:
            continue
        after = [w.rstrip(".") for w in lower[last + 1 : last + 3]]
        cue = bool(after) and (
            after[0] in DIVISION_GOVERNMENT_WORDS
            or (len(after) > 1 and after[1] == "minister" and tokens.words[last + 1][:1].isupper())
        )
        k = first - 1 - (first >= 1 and lower[first - 1] == "the")
        cue |= k >= 0 and (
            lower[k] in DIVISION_PART_WORDS
            or (k >= 1 and lower[k] == "of" and lower[k - 1] in ("parts", "all"))
        )
        if not cue:
            continue
        candidates = gazetteer.lookup(mention.text)
        if any(c.feature == "admin1" for c in candidates) and not any(c.capital for c in candidates):
            mention.admin_hint = True


_ABBREVIATED_NAME_WORDS = frozenset({"St.", "Ste.", "Mt.", "Ft.", "Pt."})


def _extended(mentions: list[_Mention], tokens: _Tokens, gazetteer: Gazetteer) -> list[_Mention]:
    """A mention grows by the capitalised word before or after it when together they are a town's own name
    and the mention alone is not that town: "the Little Portugal home" (a Toronto neighbourhood, not
    Portugal), "Fort St." + "John" (NER cut the name at the abbreviation)."""
    starts = {m.start for m in mentions}
    for mention in mentions:
        first, last = tokens.index(mention.start), tokens.index_ending(mention.end)
        if first is None or last is None:
            continue
        if last + 1 < len(tokens.words) and mention.text.split()[-1] in _ABBREVIATED_NAME_WORDS:
            start, end = tokens.chars(first, last + 2)
            if _town_named(gazetteer, tokens.text[start:end]) and tokens.idx[last + 1] not in starts:
                mention.text, mention.end = tokens.text[start:end], end
                continue
        before = first - 1
        if (
            before >= 0
            and not tokens.sent_start[before]
            and tokens.owner[before] is None
            and tokens.words[before][:1].isupper()
            and tokens.words[before].isalpha()
            and tokens.idx[before] not in starts
        ):
            start, end = tokens.chars(before, last + 1)
            if _town_named(gazetteer, tokens.text[start:end]):
                mention.text, mention.start = tokens.text[start:end], start
    return mentions


def _town_named(gazetteer: Gazetteer, name: str) -> bool:
    return any(
        c.match == MATCH_NAME and (c.population or 0) >= CONTEXT_CITY_MIN_POPULATION
        for c in gazetteer.cities(name)
    )


def _person_name_parts(doc: Doc) -> frozenset[str]:
    """First and last names of the document's persons ("Doug Logan" gives "doug" and "logan"): a name used
    alone elsewhere ("said Logan") is that person, not the town of the same name."""
    parts = set()
    for ent in doc.ents:
        words = [t for t in ent if t.text[:1].isupper() and t.is_alpha]
        if ent.label_ == "PERSON" and len(words) >= 2:
            parts.update(normalize(t.text) for t in (words[0], words[-1]))
    return frozenset(parts)


def _person_name(tokens: _Tokens, gazetteer: Gazetteer, persons: frozenset[str], mention: _Mention) -> bool:
    """A one-word minor place named like one of the document's persons and not after a locative word: the
    person ("Mayor Ryan Bingham … Bingham said"). A name the document also uses after a locative word ("in
    Logan") is left out of ``persons`` by the caller."""
    key = normalize(mention.text)
    if key not in persons or " " in key or not _minor_place(gazetteer, mention.text):
        return False
    return not _cued_place(tokens, mention)


def _cued_place(tokens: _Tokens, mention: _Mention) -> bool:
    """Whether a locative word or a place cue comes before the mention ("in X", "the village of X")."""
    i = tokens.index(mention.start)
    return i is not None and (_after_locative(tokens, i) or _strong_cue(tokens, i))


def _org_name_tail(doc: Doc, start: int) -> bool:
    """Whether the mention at ``start`` ends an organisation's name: "<ORG … of X> and (the) <here>"."""
    token = token_at(doc, start)
    if token is None:
        return False
    k = token.i - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k < 1 or doc[k].lower_ != "and":
        return False
    before = doc[k - 1]
    if before.ent_type_ != ORG_LABEL:
        return False
    ent = next((e for e in doc.ents if e.start <= before.i < e.end), None)
    return ent is not None and ent.end == k and any(t.lower_ in ("of", "in") for t in ent)


def _person_subject(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in PERSON_VERBS:
        return True
    return root.dep_ in ("dobj", "dative") and root.head.lemma_ == "tell"


def _shrink_unresolved(
    mentions: list[_Mention], resolutions: dict[_Key, _Resolution], gazetteer: Gazetteer, main: set[str]
) -> bool:
    """An entity the gazetteer does not know whose first or last words name a country, division or county
    becomes that place ("Metcalfe County Fire" → "Metcalfe County", "Recovery Day B.C." → "B.C."); so do its
    first two or more words naming a town of one of the document's main countries ("Peace River Valley").
    Never a street ("Dufferin Street" is no town Dufferin). True when any mention changed."""
    changed = False
    for mention in mentions:
        if mention.origin != "ner" or resolutions[_key(mention)].candidate is not None:
            continue
        words = list(re.finditer(r"\S+", mention.text))
        if normalize(words[-1].group()) in STREET_WORDS:
            continue
        for size in range(len(words) - 1, 0, -1):
            head = (0, words[size - 1].end())
            tail = (words[len(words) - size].start(), len(mention.text))
            found = next(
                (
                    span
                    for span, towns in ((head, size > 1), (tail, False))
                    if _known_part(gazetteer, mention.text[slice(*span)], main if towns else set())
                ),
                None,
            )
            if found:
                start = mention.start + found[0]
                mention.text, mention.start, mention.end = (
                    mention.text[slice(*found)],
                    start,
                    start + found[1] - found[0],
                )
                changed = True
                break
    return changed


def _known_part(gazetteer: Gazetteer, name: str, main: set[str]) -> bool:
    if len(name) < 3 or not name[:1].isupper() or gazetteer.is_demonym(name):
        return False
    if any(c.feature in ("country", "admin1", "admin2") for c in gazetteer.curated(name)):
        return True
    return any(
        c.country in main and c.match == MATCH_NAME and (c.population or 0) >= CONTEXT_CITY_MIN_POPULATION
        for c in gazetteer.cities(name)
    )


_TRIM = " \t\r\n.,;:!?\"'“”‘’()[]"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start + 1 and text[end - 1] in _TRIM:
        if text[end - 1] == "." and text[end : end + 1] not in ("", "\n"):
            break  # only a line's last period goes ("Iraq.\n"); abbreviations keep theirs ("Alta. police")
        end -= 1
    while start < end - 1 and text[start] in _TRIM:
        start += 1
    return (start, end)


def relative_phrase(doc: Doc, place_span: tuple[int, int], text: str | None = None) -> str | None:
    """The relation the text states to the place at ``place_span`` ("east of", "near", ...), or None.

    Pass ``text`` (= ``doc.text``) when calling this often: spaCy rebuilds ``doc.text`` on each access."""
    qualifier = _qualifier(text if text is not None else doc.text, place_span[0], place_span[1])
    return qualifier["relation"] if qualifier else None


# ----------------------------------------------------------------------------------------------------
# Mentions


def _label_votes(doc: Doc, tokens: _Tokens) -> Counter[str]:
    """Per normalised entity text: how many more times NER labels it a place (GPE, LOC, FAC) than a person
    or an organisation in this document (negative: mostly a person or organisation)."""
    votes: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS or ent.label_ in ("PERSON", ORG_LABEL):
            name = normalize(_TRAILING_POSSESSIVE.sub("", _LEADING_ARTICLE.sub("", ent.text)))
            votes[name] += 1 if ent.label_ in PLACE_LABELS else -1
    return votes


def _entity_mentions(doc: Doc, tokens: _Tokens, gazetteer: Gazetteer) -> list[_Mention]:
    mentions = []
    for ent in doc.ents:
        mention = _clean(tokens, ent)
        if mention is None or gazetteer.is_demonym(mention.text):
            continue
        if _stray_abbreviation(tokens.text, mention, gazetteer):
            continue
        if ent.label_ in PLACE_LABELS:
            mentions.append(_without_settlement_word(mention, gazetteer))
        elif ent.label_ in FEATURE_ONLY_LABELS or ent.label_ == ORG_LABEL:
            allowed = PHYSICAL_FEATURES | ({"country", "admin1"} if ent.label_ == ORG_LABEL else set())
            if any(candidate.feature in allowed for candidate in gazetteer.curated(mention.text)):
                mention.origin = "phrase"
                mentions.append(mention)
    return mentions


def _demonym_land_mentions(tokens: _Tokens, gazetteer: Gazetteer) -> list[_Mention]:
    """A country's land named by its demonym: "Iraqi territory", "Lebanese airspace", "the Turkish border"
    name the country (the mention is the demonym, resolved as the country)."""
    mentions = []
    for i in range(len(tokens.words) - 1):
        word = tokens.words[i]
        if not word[:1].isupper() or tokens.lower[i + 1] not in LAND_NOUNS:
            continue
        countries = gazetteer.demonym_countries(word)
        name = gazetteer.country_name(next(iter(countries))) if len(countries) == 1 else None
        if name:
            start, end = tokens.chars(i, i + 1)
            mentions.append(_Mention(start, end, name, origin="phrase"))
    return mentions


def _minor_place(gazetteer: Gazetteer, text: str) -> bool:
    """A name that is neither a curated place (country, division, feature) nor a big city's own name."""
    if gazetteer.curated(text):
        return False
    return not any(
        c.match == MATCH_NAME and (c.population or 0) >= ORG_CITY_MIN_POPULATION
        for c in gazetteer.cities(text)
    )


def _stray_abbreviation(text: str, mention: _Mention, gazetteer: Gazetteer) -> bool:
    """A mixed-case state abbreviation not after "Town," ("attended Mass.", "Ill."): news style uses them only
    after a place name ("Frankfort, Ky."); initialisms ("B.C.", "N.Y.") also stand alone."""
    letters = [ch for ch in mention.text if ch.isalpha()]
    if not gazetteer.is_abbreviation(mention.text) or all(ch.isupper() for ch in letters):
        return False
    return not text[: mention.start].rstrip().endswith(",")


_SETTLEMENT_OF = re.compile(
    r"^(?:City|Town|Village|County|Borough|Municipality|Township)\s+of\s+(?:the\s+)?(?=[A-Z])"
)


def _without_settlement_word(mention: _Mention, gazetteer: Gazetteer) -> _Mention:
    """ "Zorbatiyah village" → "Zorbatiyah", "Enfield Borough" → "Enfield", "the City of Montreal" →
    "Montreal", unless the whole is a name ("Gaza City", "Mexico City", "Orange County")."""
    if gazetteer.lookup(mention.text):
        return mention
    head, _, last = mention.text.rpartition(" ")
    if head and last.lower() in SETTLEMENT_WORDS | TRAILING_DIVISION_WORDS:
        if last.lower() in SETTLEMENT_WORDS or gazetteer.lookup(head):
            mention.text, mention.end = head, mention.start + len(head)
        return mention
    match = _SETTLEMENT_OF.match(mention.text)
    if match and gazetteer.lookup(mention.text[match.end() :]):
        mention.text, mention.start = mention.text[match.end() :], mention.start + match.end()
    return mention


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
    taken_place: list[bool] = field(default_factory=list)  # subject of "was captured/liberated/shelled …"
    division_after: frozenset[int] = frozenset()  # commas followed by a state or province ("…, Man.")

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
        words, lower, idx, pos, punct = [], [], [], [], []
        for token in doc:
            words.append(token.text)
            lower.append(token.lower_)
            idx.append(token.idx)
            pos.append(token.pos_)
            punct.append(token.is_punct)
        taken_place = [token.dep_ == "nsubjpass" and token.head.lemma_ in CAPTURE_VERBS for token in doc]
        return cls(text, words, lower, idx, pos, punct, sent_start, sent_end, owner, taken_place)

    def index(self, char: int) -> int | None:
        """The token starting at character ``char`` (None when none starts there)."""
        i = bisect_left(self.idx, char)
        return i if i < len(self.idx) and self.idx[i] == char else None

    def index_ending(self, char: int) -> int | None:
        """The token ending at character ``char`` (None when none ends there)."""
        i = bisect_left(self.idx, char) - 1
        return i if i >= 0 and self.idx[i] + len(self.words[i]) == char else None

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
            start, end = tokens.chars(i, j)
            name = tokens.text[start:end]
            abbreviation = gazetteer.is_abbreviation(name)
            if tokens.punct[j - 1] and words[j - 1] not in ("-", "'") and not abbreviation:
                continue
            if abbreviation and not (i > 0 and words[i - 1] == ","):
                continue  # "Ky." only as in "Frankfort, Ky.": not "attended Mass."
            verdict = _phrase_verdict(tokens, i, j, name, gazetteer) if gazetteer.curated(name) else None
            if verdict:
                found = (j, start, end, name, verdict)
                break
        if found is None:
            i += 1
            continue
        j, start, end, name, verdict = found
        mention = _Mention(start, end, name, origin=verdict)
        _admin_context(tokens, mention, i, j)
        if j < count and tokens.lower[j] in ADMIN_TYPE_WORDS:
            mention.end = tokens.chars(j, j + 1)[1]
        mentions.append(mention)
        i = j
    return mentions


def _phrase_verdict(tokens: _Tokens, first: int, last: int, name: str, gazetteer: Gazetteer) -> str | None:
    """Whether a phrase match is a place ("phrase"), maybe one ("weak": kept if the document's countries
    agree), or not (None): it must not cut into a non-place entity ("Michael Jordan", "Army of Ukraine")."""
    verdict = "phrase"
    for ent in {tokens.owner[k] for k in range(first, last)} - {None}:
        assert ent is not None
        if ent.label_ in PLACE_LABELS:
            continue
        if ent.label_ in NUMERIC_LABELS:
            if all(tokens.pos[k] == "PROPN" for k in range(first, last)):
                continue  # TIME "Aleppo overnight"
            return None
        if ent.start >= first and ent.end <= last:
            exact = ent.start == first and ent.end == last
            if exact and ent.label_ in FEATURE_ONLY_LABELS:
                if any(c.feature in PHYSICAL_FEATURES for c in gazetteer.curated(name)):
                    continue
                if not _after_locative(tokens, first):
                    verdict = "weak"  # PERSON "Aleppo", but also PERSON "Jordan"
            continue  # the phrase covers the whole entity: "Strait of Hormuz" over PERSON "Hormuz"
        if ent.label_ == ORG_LABEL and normalize(_LEADING_ARTICLE.sub("", ent.text)) == normalize(name):
            continue  # ORG "the Kurdistan Region" is the phrase itself
        if ent.start < first and first - 1 in tokens.division_after and ent.end <= last:
            continue  # ORG "Wainwright, Alta": the division after the town's comma
        return None
    return verdict


def _select(mentions: list[_Mention], excluded: list[tuple[int, int]]) -> list[_Mention]:
    """Drop excluded mentions and keep the longest of overlapping ones."""
    kept: list[_Mention] = []
    taken = _Occupied(excluded)
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not taken.overlaps(mention.start, mention.end):
            kept.append(mention)
            taken.add(mention.start, mention.end)
    return sorted(kept, key=lambda m: m.start)


class _Occupied:
    """Character ranges already taken, as a bitmap (fast overlap tests)."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        self.chars = bytearray()
        for start, end in ranges:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        if end > len(self.chars):
            self.chars.extend(bytes(end - len(self.chars)))
        self.chars[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return b"\x01" in self.chars[start:end]


def _inside(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in ranges)


def _confirmed(weak: list[_Mention], gazetteer: Gazetteer, context: _Context) -> list[_Mention]:
    """Weak mentions (a country or region name NER took for a person) that name a place in a main country."""
    main = _main_countries(context)
    return [m for m in weak if any(c.country in main for c in gazetteer.lookup(m.text))]


def _main_countries(context: _Context) -> set[str]:
    """The countries a document is mostly about: at least half as present as the most present one."""
    if not context.countries:
        return set()
    top = max(context.countries.values())
    return {iso3 for iso3, weight in context.countries.items() if weight >= top / 2}


def _context_city_mentions(
    tokens: _Tokens,
    gazetteer: Gazetteer,
    context: _Context,
    mentions: list[_Mention],
    excluded: list[tuple[int, int]],
    known: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[_Mention]:
    """Names of GeoNames places in the document's main countries that NER missed or mislabelled.

    Unlabelled proper nouns ("Tabqa" untagged), entities with an implausible label ("Manbij" PRODUCT),
    PERSON/ORG entities after a locative word ("hit Khan Younis", "near Kut"), ORG entities that are a
    big city of a main country ("Edmonton" ORG in a story about Canada), mislabelled repeats of a name the
    document already uses as a place (``known``: normalised names), and datelines in capitals ("DETROIT —").
    """
    main = _main_countries(context)
    taken = _Occupied([(m.start, m.end) for m in mentions] + excluded)
    found = _dateline_mentions(tokens, gazetteer, taken)
    if not main and not known:
        return found
    i = 0
    while i < len(tokens.words):
        match = None
        ends = _context_span_ends(tokens, gazetteer, i, known, main)
        for j in ends:
            start, end = tokens.chars(i, j)
            if taken.overlaps(start, end):
                continue
            name = tokens.text[start:end]
            cued = _strong_cue(tokens, i, j)
            minimum = 0 if cued else CONTEXT_CITY_MIN_POPULATION
            if normalize(name) in known or any(
                c.country in main
                and (c.population or 0) >= minimum
                and _own_name_or_cued(c, cued or _after_locative(tokens, i) or any(tokens.taken_place[i:j]))
                for c in gazetteer.cities(name)
            ):
                match = (j, _Mention(start, end, name, origin="context", cued=cued))
                break
        if match is None and ends:
            match = _unknown_cued_place(tokens, gazetteer, taken, i, ends[0])
        if match is None:
            i += 1
            continue
        i, mention = match
        found.append(mention)
    return found


def _own_name_or_cued(candidate: Candidate, cued: bool) -> bool:
    """Whether a town's name found without NER may stand for it: its own name, a big city's other name
    ("Kiev"), or any but a spelling variant after a place cue or a locative word ("in Palmyra", "Bartella was
    liberated"). Without one, a small town's old or foreign name is mostly a common word or a surname
    ("Victory", "Adkins" are other names of small US towns)."""
    if candidate.match == MATCH_NAME:
        return True
    if candidate.match == MATCH_VARIANT:
        return False
    return cued or (candidate.population or 0) >= ORG_CITY_MIN_POPULATION


def _unknown_cued_place(
    tokens: _Tokens, gazetteer: Gazetteer, taken: _Occupied, i: int, j: int
) -> tuple[int, _Mention] | None:
    """A name the gazetteer knows nowhere that a strong cue makes a place ("near Dayr Az Zayr", "the village
    of Tuloul Naser"): kept as an unresolved place."""
    start, end = tokens.chars(i, j)
    name = tokens.text[start:end]
    if (
        taken.overlaps(start, end)
        or not _strong_cue(tokens, i, j, UNKNOWN_PLACE_CUES)
        or any(ch.isdigit() for ch in name)
        or _TRAILING_POSSESSIVE.search(name)
        or gazetteer.lookup(name)
    ):
        return None
    return j, _Mention(start, end, name, origin="context", cued=True)


def _context_span_ends(
    tokens: _Tokens,
    gazetteer: Gazetteer,
    i: int,
    known: set[str] = frozenset(),  # type: ignore[assignment]
    main: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[int]:
    """Token ends of the spans starting at ``i`` that may be an overlooked place name, longest first."""
    word, owner = tokens.words[i], tokens.owner[i]
    article = (  # "Ar Raqqah", "al-Hilla": an Arabic article opens the name
        tokens.lower[i] in ARABIC_ARTICLES
        and i + 1 < len(tokens.words)
        and (tokens.words[i + 1] == "-" or tokens.words[i + 1][:1].isupper())
    )
    if not (
        tokens.pos[i] == "PROPN"
        and (article or (word[:1].isupper() and len(word) >= 3 and not word.isupper()))
        and not gazetteer.is_demonym(word)
    ):
        return []
    if owner is not None:
        opening = owner[0].lower_ == "the" or (
            owner[0].lower_ in OPENING_PREPOSITIONS and owner[0].text[:1].isupper() and len(owner) > 1
        )
        start = owner.start + (1 if opening else 0)
        if start != i or owner.label_ not in MISLABELS | {"PERSON", ORG_LABEL, "NORP"}:
            return []
        # "Wainwright, Alta" tagged ORG as a whole: the town ends at the comma before the division
        comma = next((k for k in range(i + 1, owner.end) if k in tokens.division_after), None)
        if comma is not None:
            return [comma]
        if owner.label_ == "NORP":  # "Aleppo" NORP: only a big city's own name, never a people
            name = normalize(tokens.text[tokens.idx[i] : owner.end_char])
            return [owner.end] if _big_city_of(gazetteer, name, main) else []
        if (
            owner.label_ in MISLABELS
            or _after_locative(tokens, i)
            or _strong_cue(tokens, i, owner.end)
            or any(tokens.taken_place[owner.start : owner.end])
        ):
            return [owner.end]
        name = normalize(tokens.text[tokens.idx[i] : owner.end_char])
        if name in known or (owner.label_ == ORG_LABEL and _big_city_of(gazetteer, name, main)):
            return [owner.end]
        return []
    if tokens.sent_start[i]:
        return []
    ends = []
    for j in range(i + 1, min(i + 3, len(tokens.words)) + 1):
        if tokens.owner[j - 1] is not None or not (
            tokens.pos[j - 1] == "PROPN" or tokens.words[j - 1] == "-"
        ):
            break
        ends.append(j)
    return ends[::-1]


def _big_city_of(gazetteer: Gazetteer, key: str, countries: set[str]) -> bool:
    """Whether ``key`` is the own name of a big city (not a capital: "Moscow" ORG is the government) in one
    of ``countries``."""
    return any(
        c.country in countries
        and c.match == MATCH_NAME
        and not c.capital
        and (c.population or 0) >= ORG_CITY_MIN_POPULATION
        for c in gazetteer.cities(key)
    )


_DATELINE_END = frozenset(",—–-(:")


def _dateline_mentions(tokens: _Tokens, gazetteer: Gazetteer, taken: _Occupied) -> list[_Mention]:
    """A place in capitals opening a line, the news dateline ("DETROIT —", "HOLLIDAY, Mo.", "OTTAWA – The
    chair..."): spaCy rarely tags capitals. The whole run of capital words must name a place."""
    found = []
    text, words = tokens.text, tokens.words
    for i, word in enumerate(words):
        if not (word.isupper() and word.isalpha() and len(word) >= 3) or text[: tokens.idx[i]].rstrip(" \t")[
            -1:
        ] not in (
            "",
            "\n",
        ):
            continue
        j = i + 1
        while j < len(words) and j < i + 3 and words[j].isupper() and words[j].isalpha():
            j += 1
        following = words[j] if j < len(words) else ""
        if not (following in _DATELINE_END or following[:1].isupper() and not following.isupper()):
            continue
        start, end = tokens.chars(i, j)
        name = text[start:end]
        if taken.overlaps(start, end):
            continue
        curated = [c for c in gazetteer.curated(name) if c.feature in ("country", "admin1")]
        cities = [
            c
            for c in gazetteer.cities(name)
            if c.match == MATCH_NAME and (c.population or 0) >= CONTEXT_CITY_MIN_POPULATION
        ]
        if curated or cities:
            found.append(_Mention(start, end, name, origin="context"))
            taken.add(start, end)
    return found


def _strong_cue(tokens: _Tokens, i: int, j: int | None = None, cues: frozenset[str] = STRONG_CUES) -> bool:
    """ "near X", "outside X", "the village of X", "the outskirts of X", "5 km from X", "rebel-held X", and,
    with the name's end ``j``, "X, a town …": the words around tokens ``i``…``j`` say it is a place."""
    if j is not None and (_settlement_apposition(tokens, j) or j in tokens.division_after):
        return True
    k = i - 1
    if k >= 0 and tokens.lower[k] == "the":
        k -= 1
    if k < 0:
        return False
    word = tokens.lower[k]
    if word in cues:
        return True
    if word in ("held", "controlled") and k >= 2 and tokens.words[k - 1] == "-":
        return True  # "rebel-held X", "IS-controlled X"
    if word == "of" and k >= 1 and tokens.lower[k - 1] in SETTLEMENT_WORDS | ADMIN_TYPE_WORDS | SURROUNDINGS:
        return True
    return word == "from" and k >= 1 and tokens.lower[k - 1] in ("km", "kilometres", "kilometers", "miles")


def _divisions_after_commas(tokens: _Tokens, gazetteer: Gazetteer) -> frozenset[int]:
    """Token indices of the commas followed by a state or province, written out or abbreviated ("Churchill,
    Man.", "Holliday, Missouri"): what comes before such a comma is a town."""
    found = set()
    words = tokens.words
    for k, word in enumerate(words):
        if word != "," or k + 1 >= len(words) or not words[k + 1][:1].isupper():
            continue
        for last in range(min(k + 4, tokens.sent_end[k], len(words)), k + 1, -1):
            start, end = tokens.chars(k + 1, last)
            name = tokens.text[start:end]
            if any(c.feature == "admin1" for c in gazetteer.curated(name)):
                found.add(k)
                break
    return frozenset(found)


def _settlement_apposition(tokens: _Tokens, j: int) -> bool:
    """ "X, a town …", "X, an area outside …", "X, a Kurdish-controlled village": a settlement noun within the
    few words of an indefinite apposition."""
    lower = tokens.lower
    if j + 2 >= len(lower) or lower[j] != "," or lower[j + 1] not in ("a", "an"):
        return False
    for k in range(j + 2, min(j + 7, tokens.sent_end[j])):
        if lower[k] in SETTLEMENT_WORDS:
            return True
        if tokens.punct[k] and tokens.words[k] != "-":
            return False
    return False


def _after_locative(tokens: _Tokens, i: int) -> bool:
    k = i - 1
    if k >= 0 and tokens.lower[k] == "the":
        k -= 1
    return k >= 0 and tokens.lower[k] in LOCATIVE_WORDS


# ----------------------------------------------------------------------------------------------------
# Resolution


def _resolve_all(
    mentions: list[_Mention], text: str, gazetteer: Gazetteer, context: _Context, seed: bool = True
) -> dict[_Key, _Resolution]:
    """Resolve each distinct (name, admin hint) twice: without context to seed it, then with it."""
    _qualify(mentions, text, gazetteer)
    groups: dict[_Key, list[_Mention]] = defaultdict(list)
    for mention in mentions:
        groups[_key(mention)].append(mention)
    candidates = {
        key: [c for c in _lookup(gazetteer, group[0].text) if key[3] is None or c.key in key[3]]
        for key, group in groups.items()
    }
    if seed:
        empty = _Context()
        for key, group in groups.items():
            first = _best(candidates[key], group, empty)
            if first.candidate is None:
                continue
            chosen = first.candidate
            iso3 = _main_country(chosen, context)
            if iso3 and (chosen.feature == "country" or first.margin >= CONFIDENT_MARGIN):
                weight = (1.0 if chosen.feature == "country" else 0.5) * len(group)
                context.countries[iso3] += weight
                context.contributions[key] = (iso3, weight)
            if first.margin >= CONFIDENT_MARGIN and chosen.feature == "admin1" and chosen.admin1_code:
                context.admin1.add((chosen.country or "", chosen.admin1_code))
            if (
                first.margin >= CONFIDENT_MARGIN
                and chosen.feature in ("city", "admin2")
                and chosen.admin1_code
            ):
                context.regions.add((chosen.country or "", chosen.admin1_code))
        _list_neighbours(mentions, text, groups, candidates, context)
        _agree(groups, candidates, context)
    resolutions = {key: _best(candidates[key], group, context.without(key)) for key, group in groups.items()}
    return _one_sense_per_document(resolutions)


def _agree(
    groups: dict[_Key, list[_Mention]], candidates: dict[_Key, list[Candidate]], context: _Context
) -> None:
    """Let the names that voted for a country follow each other: resolved in turn, least sure first, each
    against the others' current votes, a name whose reading moves to another country moves its vote there.
    Two names voting for each other's readings ("a Queensland alert … taken in Edmonton": the state and
    Edmonton, Canada) end in the same country instead of swapping."""
    empty = _Context()
    order = sorted(context.contributions, key=lambda key: _best(candidates[key], groups[key], empty).margin)
    for key in order:
        iso3, weight = context.contributions[key]
        chosen = _best(candidates[key], groups[key], context.without(key)).candidate
        moved = _main_country(chosen, context) if chosen else None
        if moved and moved != iso3:
            context.countries[iso3] -= weight
            context.countries[moved] += weight
            context.contributions[key] = (moved, weight)


def _list_neighbours(
    mentions: list[_Mention],
    text: str,
    groups: dict[_Key, list[_Mention]],
    candidates: dict[_Key, list[Candidate]],
    context: _Context,
) -> None:
    """Record, per name, the countries of the places listed with it ("A, B and C") that resolve confidently
    without context: places listed together are mostly in one country."""
    ordered = sorted(mentions, key=lambda m: m.start)
    empty = _Context()
    confident: dict[_Key, str | None] = {}
    for key, group in groups.items():
        first = _best(candidates[key], group, empty)
        chosen = first.candidate
        confident[key] = chosen.country if chosen and first.margin >= CONFIDENT_MARGIN else None
    runs: list[list[_Mention]] = []
    for previous, mention in zip([None, *ordered], ordered, strict=False):
        if previous is not None and _LIST_GLUE.fullmatch(text[previous.end : mention.start]):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    for run in runs:
        if len(run) < 3:
            continue
        for mention in run:
            others = {confident[_key(m)] for m in run if _key(m) != _key(mention)} - {None}
            if others:
                context.neighbours.setdefault(normalize(mention.text), set()).update(others)


_DIRECTIONAL_PREFIX = re.compile(
    r"^(?:(?:Far|Deep|Extreme)\s+)?(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|"
    r"North[- ]?East|North[- ]?West|South[- ]?East|South[- ]?West|Northeastern|Northwestern|Southeastern|"
    r"Southwestern|Upstate|Downstate|Coastal|Rural|Greater|Inner|Outer)\s+(?P<rest>\S.*)$"
)


def _lookup(gazetteer: Gazetteer, text: str) -> list[Candidate]:
    """Candidates of a name; a name the gazetteer lacks that is a direction or a part of a known place
    ("Far North Queensland", "Southern California", "North London") falls back to the place itself."""
    if gazetteer.is_abbreviation(text):
        return gazetteer.curated(text)  # "Man." is Manitoba, not the alternate name "Man" of Amman
    found = gazetteer.lookup(text)
    if not found:
        match = _DIRECTIONAL_PREFIX.match(text)
        if match:
            found = [
                c
                for c in gazetteer.lookup(match.group("rest"))
                if c.feature not in ("city", "continent")
                or (c.population or 0) >= DIRECTIONAL_CITY_MIN_POPULATION
            ]
    return found


def _qualify(mentions: list[_Mention], text: str, gazetteer: Gazetteer) -> None:
    """Restrict a toponym followed by ", <admin1 or country>" to the places inside it: "Paris, Texas",
    "London, Ontario", "Kingston, Jamaica", "Queensland, Australia", "Atlanta, Georgia" (the state)."""
    ordered = sorted(mentions, key=lambda m: m.start)
    for mention in ordered:
        mention.allowed = None
    for i in range(len(ordered) - 1):
        head, container = ordered[i], ordered[i + 1]
        if not _separated_by_comma(text, head, container):
            continue
        if i > 0 and _separated_by_comma(text, ordered[i - 1], head):
            continue  # "Aleppo, Idlib, Hama": a list, not a qualifier
        if i + 2 < len(ordered) and _LIST_GLUE.fullmatch(text[container.end : ordered[i + 2].start]):
            continue  # "Raqqa, Deir ez-Zor and Hasakah"
        containers = _lookup(gazetteer, container.text)
        reading = _best(containers, [container], _Context()).candidate
        if reading is None or reading.feature not in ("admin1", "country"):
            continue
        head_countries = {c.country for c in _lookup(gazetteer, head.text) if c.feature == "country"}
        if head_countries and not head_countries & {c.country for c in containers}:
            continue  # "in Russia, U.S. officials said": a country is no town of another
        pairs = [
            (place, division)
            for place in _lookup(gazetteer, head.text)
            for division in containers
            if _lies_in(place, division)
        ]
        if pairs:
            head.allowed = frozenset(place.key for place, _ in pairs)
            container.allowed = frozenset(division.key for _, division in pairs)


_LIST_GLUE = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?(?:the\s+)?|\s+(?:and|or|&)\s+(?:the\s+)?", re.IGNORECASE)


def _separated_by_comma(text: str, first: _Mention, second: _Mention) -> bool:
    between = text[first.end : second.start]
    return between.strip() == "," and "\n" not in between


def _lies_in(place: Candidate, division: Candidate) -> bool:
    """Whether a city, admin1 division or county lies in an admin1 division or country."""
    if place.key == division.key or place.country is None or place.country != division.country:
        return False
    if division.feature == "country":
        return place.feature in ("city", "admin1", "admin2")
    if division.feature != "admin1" or place.feature not in ("city", "admin2"):
        return False
    return place.admin1_code == division.admin1_code


def _one_sense_per_document(resolutions: dict[_Key, _Resolution]) -> dict[_Key, _Resolution]:
    """A bare name follows the reading its qualified mention gave it ("Paris, Texas ... Paris")."""
    qualified: dict[tuple[str, bool, bool], set[int]] = defaultdict(set)
    chosen: dict[tuple[str, bool, bool], Candidate] = {}
    for key, resolution in resolutions.items():
        if key[3] is not None and resolution.candidate is not None:
            qualified[key[:3]].add(resolution.candidate.key)
            chosen[key[:3]] = resolution.candidate
    for key, resolution in resolutions.items():
        if key[3] is None and len(qualified.get(key[:3], ())) == 1:
            resolutions[key] = _Resolution(chosen[key[:3]], resolution.score, resolution.margin)
    divisions = {
        key[0]: resolution.candidate
        for key, resolution in resolutions.items()
        if key[1] and key[3] is None and resolution.candidate and resolution.candidate.feature == "admin1"
    }
    for key, resolution in resolutions.items():
        division = divisions.get(key[0])
        if division and not key[1] and key[3] is None and resolution.candidate is not None:
            if resolution.candidate.feature == "city" and _lies_in(resolution.candidate, division):
                resolutions[key] = _Resolution(division, resolution.score, resolution.margin)
    return resolutions


def _best(candidates: list[Candidate], group: list[_Mention], context: _Context) -> _Resolution:
    if not candidates:
        return _Resolution(None)
    admin_hint = group[0].admin_hint
    had_the = any(m.had_the for m in group)
    key = normalize(group[0].text)
    cities = [
        c for c in candidates if c.feature == "city" and (c.population or 0) >= SAME_NAME_CITY_MIN_POPULATION
    ]
    has_city = {c.country for c in cities}
    scored = sorted(
        (
            (
                _score(
                    c,
                    admin_hint,
                    had_the,
                    has_city,
                    context,
                    c.feature == "admin1" and _city_named_so(c, cities, key),
                ),
                c,
            )
            for c in candidates
        ),
        key=lambda item: -item[0],
    )
    neighbours = context.neighbours.get(key)
    if neighbours:
        scored = sorted(
            ((s + (LIST_BONUS if c.country in neighbours else 0.0), c) for s, c in scored),
            key=lambda item: -item[0],
        )
    best_score, best = scored[0]
    runner_up = next((s for s, c in scored[1:] if c.key != best.key), None)
    return _Resolution(best, best_score, math.inf if runner_up is None else best_score - runner_up)


def _city_named_so(division: Candidate, cities: list[Candidate], key: str) -> bool:
    """Whether a bare mention of an admin1 division's name more likely means a city of that name: one inside
    the division bearing the name ("Raqqa", "Kidal", "Hodeidah"), or the country's capital or a big city
    elsewhere ("Kyiv" for Kyiv Oblast, "Washington" for the state)."""
    for city in cities:
        if city.country != division.country:
            continue
        if city.admin1_code == division.admin1_code:
            if city.match == MATCH_NAME or _similar_names(key, city.name):
                return True
        elif city.capital or (
            city.match == MATCH_NAME and (city.population or 0) >= SAME_NAME_BIG_CITY_POPULATION
        ):
            return True
    return False


def _similar_names(key: str, name: str) -> bool:
    """Spelling variants of one name ("Hama"/"Hamah", "Hodeida"/"Al Hudaydah", "Kiev"/"Kyiv"), not a
    different name (Salvador's alternate name "Bahia", Oklahoma City's "Oklahoma")."""
    key = strip_arabic_article(key) or key
    other = normalize(name)
    other = strip_arabic_article(other) or other
    if key == other:
        return True
    if key.count(" ") != other.count(" "):
        return False
    if SequenceMatcher(None, key, other).ratio() >= SAME_NAME_SIMILARITY:
        return True
    skeleton = _skeleton(key)
    return len(skeleton) >= 2 and skeleton == _skeleton(other)


def _skeleton(name: str) -> str:
    """Consonants without w/y, doubled letters collapsed, no final h: transliteration variants share it
    ("hodeidah", "hudaydah" → "hd"; "quneitra", "qunaytirah" → "qntr")."""
    letters = name.translate(_SKELETON_DROP)
    return "".join(ch for i, ch in enumerate(letters) if i == 0 or ch != letters[i - 1]).removesuffix("h")


def _score(
    candidate: Candidate,
    admin_hint: bool,
    had_the: bool,
    has_city: set[str | None],
    context: _Context,
    city_named_so: bool = False,
) -> float:
    feature = candidate.feature
    if feature == "country":
        score = COUNTRY_PRIOR
    elif feature == "admin1":
        score = ADMIN1_PRIOR + (ADMIN_HINT_BONUS if admin_hint else 0.0)
        if not admin_hint and city_named_so:
            score -= SAME_NAME_CITY_PENALTY
    elif feature == "continent":
        score = CONTINENT_PRIOR
    elif feature == "admin2":
        score = ADMIN2_PRIOR
        if (candidate.country, candidate.admin1_code) in context.admin1 | context.regions:
            score += ADMIN1_CONTEXT_BONUS  # "Monroe County" in a story about Missouri
    elif feature == "city":
        score = math.log10((candidate.population or 0) + 1) - MATCH_PENALTY.get(candidate.match, 0.0)
        score += CAPITAL_BONUS if candidate.capital else 0.0
        score -= 2.0 if admin_hint else 0.0
        if (candidate.country, candidate.admin1_code) in context.admin1:
            score += ADMIN1_CONTEXT_BONUS
    else:
        score = FEATURE_PRIOR + (1.0 if had_the and feature in ("river", "sea", "strait", "lake") else 0.0)
        if not had_the and has_city & set(candidate.countries or (candidate.country,)):
            score -= SAME_NAME_CITY_PENALTY  # "in Dnipro" is the city, "across the Dnipro" the river
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


_POSSESSIVE_GLUE = re.compile(
    r"['’]s?\s+(?:[a-z]+\s+)?"
)  # "Cairo's Abbasiya", "Paris' iconic Champs-Elysees"
_IN_GLUE = re.compile(r"\.?\s+in\s+(?:the\s+)?")  # "Cedar Flat Rd. in Metcalfe County", "Kfraya in Idlib"
CONTAINER_FEATURES = frozenset({"city", "admin1", "admin2", "country"})


def _containers(
    text: str, mentions: list[_Mention], resolutions: dict[_Key, _Resolution], gazetteer: Gazetteer
) -> dict[_Key, Candidate]:
    """The place a name the gazetteer cannot place lies in, by the words that join them: "Toronto's Pearson
    International Airport", "Kfraya in Idlib", "Seaton Street, Edmonton". A name read only through another
    place's alternate name that the container contradicts ("Cairo's Abbasiya" is no town of Israel), and a
    town qualified by a state it is not in ("Holliday, Mo." when the gazetteer knows only Holliday, Texas),
    are placed by their container too; not a division written with another ("in Ghazni, Logar": two
    provinces, not the town of Ghazni in Logar)."""
    ordered = sorted(mentions, key=lambda m: m.start)
    found: dict[_Key, Candidate] = {}
    for i, mention in enumerate(ordered):
        key = _key(mention)
        if key in found:
            continue
        own = resolutions[key].candidate
        if own is not None and own.feature != "city":
            continue
        container: Candidate | None = None
        if i > 0 and _POSSESSIVE_GLUE.fullmatch(text[ordered[i - 1].end : mention.start]):
            container = resolutions[_key(ordered[i - 1])].candidate
        if container is None and i + 1 < len(ordered):
            after = ordered[i + 1]
            between = text[mention.end : after.start]
            listed = (i > 0 and _LIST_GLUE.fullmatch(text[ordered[i - 1].end : mention.start])) or (
                i + 2 < len(ordered) and _LIST_GLUE.fullmatch(text[after.end : ordered[i + 2].start])
            )
            qualified = between.strip() == "," and not listed
            if qualified or _IN_GLUE.fullmatch(between):
                container = resolutions[_key(after)].candidate
            if (
                qualified
                and own is not None
                and container is not None
                and container.feature == "admin1"
                and own.country == container.country
                and not _lies_in(own, container)
                and not any(c.feature in ("admin1", "country") for c in _lookup(gazetteer, mention.text))
            ):
                found[key] = container  # the state a town is written with, when the town is not in it
                continue
        if container is None or container.feature not in CONTAINER_FEATURES:
            continue
        if own is None or (own.match != MATCH_NAME and own.country != container.country):
            found[key] = container
    return found


def _places(
    text: str,
    mentions: list[_Mention],
    resolutions: dict[_Key, _Resolution],
    context: _Context,
    containers: dict[_Key, Candidate] | None = None,
) -> list[Place]:
    places: dict[Any, Place] = {}
    for mention in mentions:
        key = _key(mention)
        container = (containers or {}).get(key)
        candidate = None if container else resolutions[key].candidate
        identity: Any = candidate.key if candidate else ("unknown", key[0])
        place = places.get(identity)
        if place is None:
            place = places[identity] = _place(f"p{len(places) + 1}", mention, candidate, context)
            if container is not None:  # inside a known place: its country and, roughly, its point
                place.country = _main_country(container, context)
                place.admin1 = container.admin1
                place.lat, place.lon = container.lat, container.lon
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
    patterns = _PREFIX_PATTERNS if _PREFIX_TAIL.search(before[-40:]) else ()
    for pattern, kind in patterns:
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
