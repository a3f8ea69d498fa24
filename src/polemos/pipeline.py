"""The stages in order: read → clean → language → nlp → places → actors → claims + events → incidents →
affiliations.

Data flows one way. Each stage reads the shared spaCy ``Doc`` and what earlier stages found, and adds its
own records; a document that fails a stage is reported in ``errors`` and never stops the run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from spacy.tokens import Doc, Span, Token

from polemos import actors as actor_stage
from polemos import geo, text
from polemos import time as time_stage
from polemos.actors.affiliations import find_relations
from polemos.claims import claimants_as_perpetrators, find_frames, paragraph_numbers
from polemos.events.arguments import ActorIndex
from polemos.events.classifier import threshold as classifier_threshold
from polemos.events.coder import CodingContext, PlaceMention, code_events
from polemos.events.contexts import add_contexts
from polemos.events.incidents import correct_events, find_incidents
from polemos.events.lexicon import load_lexicon
from polemos.geo.gazetteer import Gazetteer, normalize
from polemos.model import (
    Actor,
    ActorMention,
    ActorRef,
    DateMention,
    Document,
    DocumentResult,
    Place,
    Relation,
)
from polemos.nlp import SpanSet, inside_any, load_nlp
from polemos.text.dateline import find_dateline

log = logging.getLogger(__name__)

BATCH_SIZE = 16
SPACY_MAX_LENGTH = 1_100_000
PIECE_CHARS = 5_000  # longer texts are parsed in pieces of at most this size (BATCH_SIZE of them at once)


@dataclass
class AnnotatedDocument:
    """A document with its spaCy parse and the records each stage has added so far."""

    document: Document
    doc: Doc
    language: str | None
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    sents: list[Span] = field(default_factory=list)
    skip: set[int] = field(default_factory=set)


class Pipeline:
    """Loads the models once; codes documents one by one or as a stream."""

    def __init__(self, classifier: bool = True) -> None:
        self.nlp = load_nlp()
        self.nlp.max_length = SPACY_MAX_LENGTH
        self.lexicon = load_lexicon()
        self.use_classifier = classifier

    def _classify(self, text: str) -> tuple[str, float]:
        """The learned event type of a lead sentence (the model loads on first use, about a second)."""
        from polemos.events.classifier import load_classifier

        (guess,) = load_classifier().classify([text])
        return guess.type, guess.probability

    def run(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        """Code a stream of documents; results come out in input order, errors included."""
        iterator = iter(documents)
        while batch := list(islice(iterator, BATCH_SIZE)):
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> Iterator[DocumentResult]:
        prepared: list[tuple[Document, str | None, list[tuple[int, int]]]] = []
        for document in batch:
            language, boilerplate = None, []
            if not document.errors:
                try:
                    boilerplate = text.find_boilerplate(document.text)
                    language, problem = self._language(document, boilerplate)
                    if problem:
                        document.errors.append(problem)
                except Exception as error:  # a stage bug must not stop the run
                    log.exception("cleaning failed for %s", document.id)
                    document.errors.append(f"{document.origin or document.id}: cleaning failed: {error}")
            prepared.append((document, language, boilerplate))
        texts = [doc.text for doc, _, _ in prepared if not doc.errors]
        parsed = self._parse(texts)
        for document, language, boilerplate in prepared:
            if document.errors:
                yield _empty_result(document, language)
                continue
            doc = next(parsed)
            try:
                yield self.code(AnnotatedDocument(document, doc, language, boilerplate))
            except Exception as error:
                log.exception("coding failed for %s", document.id)
                document.errors.append(f"{document.origin or document.id}: coding failed: {error}")
                yield _empty_result(document, language)

    def _parse(self, texts: list[str]) -> Iterator[Doc]:
        """spaCy docs for ``texts``, in order. Long texts are parsed in pieces cut at line breaks and joined
        back into one Doc with the same text, so memory stays bounded (the parser needs ~3.5 MB per 1,000
        characters it holds at once) and every offset still indexes the whole text."""
        pieces = [
            (number, piece) for number, text in enumerate(texts) for piece in split_text(text, PIECE_CHARS)
        ]
        parsed = self.nlp.pipe((piece for _, piece in pieces), batch_size=BATCH_SIZE)
        current: list[Doc] = []
        current_number = 0
        for (number, _), doc in zip(pieces, parsed, strict=True):
            if number != current_number and current:
                yield _join(current)
                current = []
            current_number = number
            current.append(doc)
        if current:
            yield _join(current)

    def _language(
        self, document: Document, boilerplate: list[tuple[int, int]]
    ) -> tuple[str | None, str | None]:
        """The document's language, and an error when it is confidently not English."""
        detected = text.detect_language(document.text, boilerplate)
        problem = text.check_language(document.text, boilerplate, detected)
        language = detected[0]
        if problem:
            return language, f"{document.origin or document.id}: {problem}"
        return language or "en", None

    def code(self, annotated: AnnotatedDocument) -> DocumentResult:
        """All stages after spaCy, on one parsed document."""
        document, doc = annotated.document, annotated.doc
        annotated.sents = list(doc.sents)
        annotated.skip = {
            i
            for i, sent in enumerate(annotated.sents)
            if inside_any((sent.start_char, sent.end_char), annotated.boilerplate)
        }
        dateline = find_dateline(document.text) if document.source_format != "html" else None
        not_content = annotated.boilerplate + ([dateline.span] if dateline else [])
        # the dateline's place is kept (it tells the country), its date and outlet are not places
        after_place = [(dateline.span[0] + len(dateline.place), dateline.span[1])] if dateline else []
        places = geo.find_places(doc, exclude=annotated.boilerplate + after_place, date=document.date)
        place_spans = [tuple(m) for p in places if p.feature not in ("country",) for m in p.mentions]
        mentions = actor_stage.find_actor_mentions(
            doc, exclude=not_content, place_spans=place_spans, date=document.date
        )
        mentions = _drop_places_named_as_actors(mentions, places, document.text)
        actors, mention_actor = actor_stage.build_actors(mentions)
        places = _drop_actors_named_as_places(places, mentions)
        index = ActorIndex(doc, mentions, mention_actor, actors)
        paragraph_of = paragraph_numbers(doc, annotated.sents)
        frames = find_frames(annotated.sents, annotated.skip, paragraph_of, index, self.lexicon)
        expressions = time_stage.find_dates(doc, document.date, exclude=annotated.boilerplate)
        context = CodingContext(
            doc=doc,
            sents=annotated.sents,
            skip=annotated.skip,
            actors=index,
            frames=frames,
            place_mentions=_place_mentions(doc, places),
            expressions=expressions,
            document_date=document.date,
            site=document.site or _host(document.url),
            paragraph_of=paragraph_of,
            headline=_headline_sentence(document, annotated.sents),
            classify=self._classify if self.use_classifier else None,
            classify_threshold=classifier_threshold() if self.use_classifier else 1.0,
        )
        events = code_events(context, self.lexicon)
        claimants_as_perpetrators(frames, events, doc)
        incidents = find_incidents(context)
        events = correct_events(context, incidents, events)
        add_contexts(doc, events, actors)
        adjectives = _AdjectiveActors(actors)
        relations = find_relations(annotated.sents, annotated.skip, index, adjectives)
        relations += _relations_from_events(events, relations)
        relations += _relations_from_dictionary(actors, relations, document.date)
        for record in (*actors, *relations, *events, *places, *incidents):
            record.document = document.id  # provenance: every record names its document
        return DocumentResult(
            id=document.id,
            title=document.title,
            url=document.url,
            date=document.date,
            language=annotated.language,
            actors=actors,
            relations=relations,
            events=events,
            places=places,
            errors=list(document.errors),
            text=document.text if document.source_format == "html" else None,
            dates=[DateMention(e.text, e.span, e.start, e.end, e.precision) for e in expressions],
            site=document.site,
            author=document.author,
            origin=document.origin,
            incidents=incidents,
        )


def _drop_places_named_as_actors(
    mentions: list[ActorMention], places: list[Place], text: str
) -> list[ActorMention]:
    """An unknown "actor" that names a place is that place: a resolved place of the document ("Goma"
    tagged PERSON), or a gazetteer town in one of the document's countries ("Palmyra" in a Syria story)."""
    resolved = [place for place in places if place.geonameid is not None]
    place_names = {normalize(place.name) for place in resolved}
    place_names |= {normalize(text[start:end]) for place in resolved for start, end in place.mentions}
    place_spans = SpanSet([tuple(span) for place in resolved for span in place.mentions])
    countries = {place.country for place in places if place.country}
    gazetteer = Gazetteer.open()

    def is_place(mention: ActorMention) -> bool:
        if mention.code is not None or mention.role_of is not None:
            return False
        if normalize(mention.text) in place_names or inside_any(mention.span, place_spans):
            return True
        return any(candidate.country in countries for candidate in gazetteer.lookup(mention.text)[:3])

    return [m for m in mentions if not is_place(m)]


def _drop_actors_named_as_places(places: list[Place], mentions: list[ActorMention]) -> list[Place]:
    """An unresolved "place" that is an actor's name ("Amnesty International" tagged GPE) is no place."""
    actor_spans = SpanSet([m.span for m in mentions])
    return [
        place
        for place in places
        if place.geonameid is not None
        or place.feature != "unknown"
        or not all(inside_any(tuple(span), actor_spans) for span in place.mentions)
    ]


class _AdjectiveActors:
    """Country adjectives that name a backer ("Iranian-backed"): found, or added as a new actor."""

    def __init__(self, actors: list[Actor]):
        self.actors = actors
        self.by_code = {actor.code: actor for actor in actors if actor.code}

    def __call__(self, token: Token) -> ActorRef | None:
        code = geo.demonym_country(token.text)
        if code is None:
            return None
        actor = self.by_code.get(code)
        span = (token.idx, token.idx + len(token))
        if actor is None:
            entry = actor_stage.ActorDictionary.load().get(code)
            actor = Actor(
                id=f"a{len(self.actors) + 1}",
                name=entry.name if entry else code,
                country=code,
                sector="GOV",
                type="state",
                code=code,
                known=True,
                aliases=[token.text],
                mentions=[span],
            )
            self.actors.append(actor)
            self.by_code[code] = actor
        elif list(span) not in [list(m) for m in actor.mentions]:
            actor.mentions.append(span)
            if token.text not in actor.aliases:
                actor.aliases.append(token.text)
        return actor.ref(token.text, span)


def _relations_from_events(events, existing: list[Relation]) -> list[Relation]:
    """Material support reported as fact ("troops, which advised and supported the SDF") is a backing."""
    found: list[Relation] = []
    seen = {(r.actor, r.relation, r.other) for r in existing}
    for event in events:
        if event.type != "AID" or event.negated or event.hypothetical or event.claim.status == "denied":
            continue
        for target in event.target:
            for source in event.source:
                key = (target.id, "backed_by", source.id)
                if key in seen or target.id == source.id:
                    continue
                seen.add(key)
                found.append(
                    Relation(
                        id=f"r{len(existing) + len(found) + 1}",
                        actor=target.id,
                        relation="backed_by",
                        other=source.id,
                        actor_name=target.name,
                        other_name=source.name,
                        sentence=event.sentence,
                        span=event.span,
                        origin="event",
                    )
                )
    return found


def _relations_from_dictionary(
    actors: list[Actor], existing: list[Relation], date: str | None
) -> list[Relation]:
    """Known affiliations between actors that both appear in the document, valid at its date."""
    dictionary = actor_stage.ActorDictionary.load()
    by_code = {actor.code: actor for actor in actors if actor.code}
    seen = {(r.actor, r.relation, r.other) for r in existing}
    found: list[Relation] = []
    for actor in actors:
        if not actor.code:
            continue
        for affiliation in dictionary.affiliations_of(actor.code, date):
            other = by_code.get(affiliation.other)
            if other is None or other.id == actor.id:
                continue
            key = (actor.id, affiliation.relation, other.id)
            if key in seen:
                continue
            seen.add(key)
            found.append(
                Relation(
                    id=f"r{len(existing) + len(found) + 1}",
                    actor=actor.id,
                    relation=affiliation.relation,
                    other=other.id,
                    actor_name=actor.name,
                    other_name=other.name,
                    sentence=None,
                    span=None,
                    origin="dictionary",
                )
            )
    return found


AFFILIATION_SUFFIXES = (
    "-backed",
    "-led",
    "-allied",
    "-aligned",
    "-funded",
    "-sponsored",
    "-supported",
    "-armed",
)


def _place_mentions(doc: Doc, places) -> list[PlaceMention]:
    """Place mentions that can locate an event ("Tehran-backed militias" locates nothing)."""
    text = doc.text  # spaCy rebuilds doc.text on every access: read it once
    mentions = []
    for place in places:
        for start, end in place.mentions:
            if text[end : end + 12].lower().startswith(AFFILIATION_SUFFIXES):
                continue
            relation = geo.relative_phrase(doc, (start, end), text)
            mentions.append(PlaceMention((start, end), place, relation))
    return sorted(mentions, key=lambda m: m.span[0])


def split_text(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most about ``size`` characters, at line breaks where possible (else at a
    sentence end, else a space); the pieces joined give ``text`` back exactly."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = window.rfind("\n") + 1 or window.rfind(". ") + 2 or window.rfind(" ") + 1 or size
        if cut < size // 4:  # no good break in this window: cut at a space or hard
            cut = (window.rfind(" ") + 1) or size
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _join(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _headline_sentence(document: Document, sents: list[Span]) -> int | None:
    """Index of the first sentence when it is the document's title (plain text: the headline line)."""
    if not document.title or not sents:
        return None
    return 0 if sents[0].text.strip() == document.title.strip() else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlparse

    host = urlparse(url).hostname
    return host.removeprefix("www.") if host else None


def _empty_result(document: Document, language: str | None) -> DocumentResult:
    return DocumentResult(
        id=document.id,
        title=document.title,
        url=document.url,
        date=document.date,
        language=language,
        errors=list(document.errors),
        site=document.site,
        author=document.author,
        origin=document.origin,
    )
