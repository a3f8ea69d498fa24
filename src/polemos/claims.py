"""Claims: who says what, and whether it is asserted, alleged or denied.

Speech and accusation frames ("X accused Y of Z-ing W", "X said that …", "according to X", "X denied …") are
found per sentence. Each frame has a speaker, a status for what it reports, and the tokens it reports (its
scope). Sentences that carry on a frame without a verb of their own — the rest of a quotation, or reported
speech marked by "would" in the same paragraph — inherit the frame. Whatever no frame covers is told in the
outlet's own voice: status asserted, the outlet as speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from polemos.events.arguments import ActorIndex, agent_of, children, clause_subject, prep_objects
from polemos.events.lexicon import Lexicon, SpeechCue
from polemos.model import ActorRef, Event
from polemos.nlp import token_at

OPEN_QUOTES = {"“", '"', "«", "„", "‘"}
CLOSE_QUOTES = {"”", '"', "»", "’"}
REPORTIVE_AUX = {"would"}
CONDITIONAL_MARKS = {"if", "unless", "whether"}


@dataclass
class SpeechFrame:
    """One act of speech: its cue, speaker, the status it gives to what it reports, and its scope."""

    cue: SpeechCue
    cue_tokens: list[Token]
    sentence: int
    speaker: list[ActorRef]
    status: str
    scope: set[int]  # token indices of the reported content
    accused: list[ActorRef] = field(default_factory=list)  # "accused Y of …" → Y
    targets: list[ActorRef] = field(default_factory=list)  # "condemned Y" → Y
    event_id: str | None = None  # the speech event, once coded
    inherited: bool = False

    @property
    def cue_text(self) -> str:
        return " ".join(token.text for token in self.cue_tokens)

    @property
    def span(self) -> tuple[int, int]:
        return self.cue_tokens[0].idx, self.cue_tokens[-1].idx + len(self.cue_tokens[-1])


def find_frames(
    sents: list[Span], skip: set[int], paragraph_of: list[int], actors: ActorIndex, lexicon: Lexicon
) -> list[SpeechFrame]:
    """Speech frames of the document, in order, including the sentences that inherit one.

    ``paragraph_of``: the paragraph number of each sentence (see :func:`paragraph_numbers`)."""
    frames: list[SpeechFrame] = []
    open_quote: SpeechFrame | None = None
    paragraph_frame: SpeechFrame | None = None
    for index, sent in enumerate(sents):
        if index in skip:
            continue
        if paragraph_frame is not None and paragraph_of[index] != paragraph_of[paragraph_frame.sentence]:
            paragraph_frame = None
        own = _frames_in_sentence(sent, index, actors, lexicon)
        if own:
            frames.extend(own)
            paragraph_frame = next((f for f in reversed(own) if f.speaker), paragraph_frame)
            quoting = next((f for f in own if _opens_quote_after(sent, f)), None)
            open_quote = quoting if quoting is not None else (None if _closes_quote(sent) else open_quote)
            continue
        inherited_from = None
        if open_quote is not None and _inside_quote(sent):
            inherited_from = open_quote
        elif paragraph_frame is not None and _reportive(sent):
            inherited_from = paragraph_frame
        if inherited_from is not None:
            frames.append(_inherit(inherited_from, sent, index))
        if _closes_quote(sent):
            open_quote = None
    return frames


def _frames_in_sentence(sent: Span, index: int, actors: ActorIndex, lexicon: Lexicon) -> list[SpeechFrame]:
    frames = []
    for token in sent:
        for cue in lexicon.speech_for(token.lemma_.lower()):
            if not _cue_matches(cue, token):
                continue
            frame = _frame_for(cue, token, sent, index, actors)
            if frame is not None:
                frames.append(frame)
                break
    return frames


def _cue_matches(cue: SpeechCue, token: Token) -> bool:
    """Multiword cues ("according to") end at the head token; check the words before it."""
    if cue.pos and token.pos_ not in cue.pos:
        return False
    if len(cue.lemmas) == 1:
        return True
    doc = token.doc
    head_at = _cue_head_index(cue)
    start = token.i - head_at
    if start < 0 or start + len(cue.lemmas) > len(doc):
        return False
    return all(doc[start + k].lemma_.lower() == lemma for k, lemma in enumerate(cue.lemmas))


def _cue_head_index(cue: SpeechCue) -> int:
    return 0 if cue.kind == "phrase" else len(cue.lemmas) - 1


def _frame_for(
    cue: SpeechCue, token: Token, sent: Span, index: int, actors: ActorIndex
) -> SpeechFrame | None:
    cue_tokens = [token]
    if cue.kind == "phrase":  # "according to X": X speaks about the whole sentence
        cue_tokens = list(token.doc[token.i : token.i + len(cue.lemmas)])
        if cue.speaker == "subject":  # "X claimed responsibility for …"
            speaker_tokens, _ = clause_subject(token)
        elif cue.speaker == "prep_object":
            speaker_tokens = prep_objects(token, {"to"}) or [
                t for t in cue_tokens[-1].children if t.dep_ == "pobj"
            ]
        else:
            speaker_tokens = []
        excluded = {t.i for s in speaker_tokens for t in s.subtree} | {t.i for t in cue_tokens}
        scope = {t.i for t in sent if t.i not in excluded}
        speaker = [ref for s in speaker_tokens for ref in actors.refs_in_phrase(s)]
        return SpeechFrame(cue, cue_tokens, index, speaker, cue.status, scope)
    if cue.kind == "adverb":  # "reportedly", "allegedly": the outlet distances itself
        head = token.head
        scope = {t.i for t in head.subtree} - {token.i}
        return SpeechFrame(cue, cue_tokens, index, [], cue.status, scope)
    if token.pos_ not in ("VERB", "AUX"):
        return None
    if _passive(token):  # "X was accused by Y of …": Y speaks, X is accused
        speaker = [ref for agent in agent_of(token) for ref in actors.refs_in_phrase(agent)]
        accused_tokens = children(token, {"nsubjpass"})
        object_tokens: list[Token] = []
    else:
        subject_tokens, _ = clause_subject(token)
        speaker = [ref for s in subject_tokens for ref in actors.refs_in_phrase(s)]
        object_tokens = children(token, {"dobj", "dative"}) + prep_objects(token, {"against", "to"})
        object_tokens = [o for o in object_tokens if not actors.is_apposed(o) and actors.refs_in_phrase(o)]
        accused_tokens = object_tokens if cue.event_type == "ACCUSE" and cue.event_mode == "allege" else []
    not_scope = {token.i}
    for child in token.children:
        if child.dep_ in (
            "nsubj",
            "nsubjpass",
            "agent",
            "aux",
            "auxpass",
            "neg",
            "punct",
            "advmod",
            "npadvmod",
        ):
            not_scope |= {t.i for t in child.subtree}
    scope = {t.i for t in token.subtree} - not_scope
    if token.dep_ in ("parataxis",) or (
        token.dep_ in ("ccomp", "advcl")
        and token.i > token.head.i
        and not children(token, {"ccomp", "xcomp", "dobj"})
    ):
        # "…, the ministry said." attached to the reported clause
        scope |= {t.i for t in token.head.subtree} - {t.i for t in token.subtree}
    accused = [ref for a in accused_tokens for ref in actors.refs_in_phrase(a)]
    targets = [ref for o in object_tokens for ref in actors.refs_in_phrase(o)] if not accused else []
    if accused:
        scope -= {t.i for a in accused_tokens for t in a.subtree}
    return SpeechFrame(cue, cue_tokens, index, speaker, cue.status, scope, accused=accused, targets=targets)


def _passive(token: Token) -> bool:
    return any(child.dep_ in ("auxpass", "nsubjpass") for child in token.children)


def _inherit(frame: SpeechFrame, sent: Span, index: int) -> SpeechFrame:
    status = frame.status if frame.status != "asserted" or not _reportive(sent) else "alleged"
    return SpeechFrame(
        frame.cue,
        frame.cue_tokens,
        index,
        frame.speaker,
        status,
        {t.i for t in sent},
        event_id=None,
        inherited=True,
    )


def _reportive(sent: Span) -> bool:
    """Reported speech without a verb of saying: "SDF units would attack Syrian troops." (no "if")."""
    if any(t.lower_ in CONDITIONAL_MARKS and t.dep_ == "mark" for t in sent):
        return False
    root = sent.root
    return any(child.lower_ in REPORTIVE_AUX and child.dep_ == "aux" for child in root.children)


def _opens_quote_after(sent: Span, frame: SpeechFrame) -> bool:
    """The frame's cue is followed by an opening quote that the sentence does not close."""
    after = [t for t in sent if t.i > frame.cue_tokens[-1].i]
    opened = False
    for t in after:
        if t.text in OPEN_QUOTES and t.text not in CLOSE_QUOTES:
            opened = True
        elif t.text in CLOSE_QUOTES and t.text not in OPEN_QUOTES:
            opened = False
    return opened


def _inside_quote(sent: Span) -> bool:
    text = sent.text.strip()
    return bool(text) and (text[0] in OPEN_QUOTES or text[-1] in CLOSE_QUOTES or '"' in text)


def _closes_quote(sent: Span) -> bool:
    return any(t.text in CLOSE_QUOTES and t.text not in OPEN_QUOTES for t in sent)


def paragraph_numbers(doc: Doc, sents: list[Span]) -> list[int]:
    """Paragraph number of each sentence: paragraphs are separated by line breaks."""
    text = doc.text  # spaCy rebuilds doc.text on every access: read it once
    numbers = []
    paragraph = 0
    previous_end = 0
    for sent in sents:
        if "\n" in text[previous_end : sent.start_char] or "\n" in sent.text.strip():
            paragraph += 1
        numbers.append(paragraph)
        # spaCy leaves the line breaks after a sentence inside it: the gap starts where its text ends
        previous_end = sent.start_char + len(sent.text.rstrip())
    return numbers


def frame_covering(frames: list[SpeechFrame], token: Token, sentence: int) -> SpeechFrame | None:
    """The innermost frame whose scope holds ``token`` (a later, nested cue wins)."""
    best = None
    for frame in frames:
        if frame.sentence == sentence and token.i in frame.scope and token not in frame.cue_tokens:
            if best is None or len(frame.scope) <= len(best.scope):
                best = frame
    return best


def outlet_speaker(site: str | None) -> dict:
    return {"kind": "outlet", "name": site}


def actor_speaker(ref: ActorRef) -> dict:
    return {
        "kind": "actor",
        "id": ref.id,
        "name": ref.name,
        "country": ref.country,
        "sector": ref.sector,
        "text": ref.text,
        "span": list(ref.span),
    }


def claimants_as_perpetrators(frames: list[SpeechFrame], events: list[Event], doc: Doc) -> None:
    """An act claimed by its doer ("X claimed responsibility for the bombing") gets the claimant as its source
    when the coder found none."""
    claims = [frame for frame in frames if frame.cue.perpetrator and frame.speaker]
    if not claims:
        return
    for event in events:
        trigger = token_at(doc, event.trigger_span[0])
        if event.source or trigger is None:
            continue
        frame = next((f for f in claims if trigger.i in f.scope), None)
        if frame is not None:
            event.source = list(frame.speaker)
