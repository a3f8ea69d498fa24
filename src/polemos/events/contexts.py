"""PLOVER contexts told by the words of an event's sentence (``data/contexts.yaml``).

The trigger lexicon gives an event the contexts of its trigger (an airstrike is ``military``); this stage adds
those that the rest of the sentence tells: a seizure of cocaine is ``illegal_drugs``, an arrest for robbery
is ``crime``. ACLED codes politically significant arrests only, so an arrest or seizure in a crime context
with no political actor as its target loses its ACLED type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span

from polemos.events.lexicon import load_lexicon
from polemos.model import Actor, Event
from polemos.nlp import token_at
from polemos.yamldata import load_yaml

DATA_FILE = Path(__file__).parent / "data" / "contexts.yaml"


@dataclass(frozen=True)
class ContextCues:
    context: str
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    not_in: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ContextRules:
    cues: tuple[ContextCues, ...]
    not_acled_types: frozenset[str]
    crime_contexts: frozenset[str]
    political_sectors: frozenset[str]
    keep: frozenset[str]


@cache
def load_context_rules(path: Path = DATA_FILE) -> ContextRules:
    """Read and check ``contexts.yaml``; an unknown PLOVER context raises ``ValueError`` naming the file."""
    data = load_yaml(path.read_text(encoding="utf-8"))
    known = set(load_lexicon().contexts)
    cues = []
    for context, entry in (data.get("contexts") or {}).items():
        if context not in known:
            raise ValueError(f"{path}: '{context}' is not a PLOVER context")
        if not isinstance(entry, dict) or not entry.get("words") and not entry.get("phrases"):
            raise ValueError(f"{path}: context '{context}' needs words or phrases")
        cues.append(
            ContextCues(
                context=context,
                words=frozenset(w.lower() for w in entry.get("words") or ()),
                phrases=tuple(tuple(p.lower().split()) for p in entry.get("phrases") or ()),
                not_in=tuple(tuple(p.lower().split()) for p in entry.get("not_in") or ()),
            )
        )
    rules = data.get("not_acled") or {}
    for name in rules.get("crime_contexts", []):
        if name not in known:
            raise ValueError(f"{path}: not_acled.crime_contexts: '{name}' is not a PLOVER context")
    return ContextRules(
        cues=tuple(cues),
        not_acled_types=frozenset(rules.get("types", [])),
        crime_contexts=frozenset(rules.get("crime_contexts", [])),
        political_sectors=frozenset(rules.get("political_sectors", [])),
        keep=frozenset(rules.get("keep", [])),
    )


def add_contexts(
    doc: Doc, events: list[Event], actors: list[Actor], rules: ContextRules | None = None
) -> None:
    """Add the contexts each event's sentence tells, then drop the ACLED type of ordinary police work."""
    rules = rules or load_context_rules()
    states = {actor.id for actor in actors if actor.type == "state"}
    found: dict[int, list[str]] = {}  # sentence start -> contexts
    for event in events:
        token = token_at(doc, event.trigger_span[0])
        if token is None:
            continue
        sent = token.sent
        if sent.start_char not in found:
            found[sent.start_char] = sentence_contexts(sent, rules)
        event.context = list(dict.fromkeys([*event.context, *found[sent.start_char]]))
        if _ordinary_crime(event, rules, states):
            event.acled_event_type = event.acled_sub_event_type = None


def sentence_contexts(sent: Span, rules: ContextRules) -> list[str]:
    """The contexts whose words or phrases stand in the sentence (outside their ``not_in`` phrases)."""
    lemmas = [token.lemma_.lower() for token in sent]
    texts = [token.lower_ for token in sent]
    present = set(lemmas) | set(texts)
    contexts = []
    for cues in rules.cues:
        phrases = [phrase for phrase in cues.phrases if phrase[0] in present]
        if not present & cues.words and not phrases:
            continue
        hits = [i for i, pair in enumerate(zip(lemmas, texts, strict=True)) if set(pair) & cues.words]
        hits += [i for phrase in phrases for i in _phrase_positions(lemmas, texts, phrase)]
        not_in = [phrase for phrase in cues.not_in if phrase[0] in present]
        blocked = {i for phrase in not_in for i in _phrase_positions(lemmas, texts, phrase)}
        if any(i not in blocked for i in hits):
            contexts.append(cues.context)
    return contexts


def _phrase_positions(lemmas: list[str], texts: list[str], phrase: tuple[str, ...]) -> list[int]:
    """Token positions covered by each occurrence of ``phrase`` (matched on lemma or word)."""
    size = len(phrase)
    positions = []
    for start in range(len(lemmas) - size + 1):
        if all(phrase[k] in (lemmas[start + k], texts[start + k]) for k in range(size)):
            positions.extend(range(start, start + size))
    return positions


def _ordinary_crime(event: Event, rules: ContextRules, states: set[str]) -> bool:
    """A crime-context arrest or seizure whose targets hold no political actor (a state, which nobody
    arrests, is the place where it happened)."""
    if event.type not in rules.not_acled_types or not rules.crime_contexts & set(event.context):
        return False
    if event.acled_sub_event_type in rules.keep:
        return False
    return not any(ref.sector in rules.political_sectors and ref.id not in states for ref in event.target)
