"""Light, conservative coreference: pronouns and definite descriptions that stand for an actor already named.

"he", "she" (and their other cases) stand for the nearest earlier person; "it"/"its" and "they"/"their" for
the actor the subject of the clause above, or of the sentence before, names (the speaker of "Syria says it
will …", the actor of "ISIL lost ground. It …"); "the group", "the ministry", "the coalition" for the
nearest earlier actor whose name has that noun (a group word also fits any non-state group). Inside quoted
speech, "I"/"me"/"my" stand for the quote's speaker (a person) and "we"/"us"/"our" for the speaker's
organisation (the organisation a person speaks for, or an organisation speaking); other pronouns there
only take an antecedent inside the same quote, and pronouns outside quotes never one inside a quote. Outside
quotes, "we"/"us"/"our" stand for the organisation that issues the document (a press release) when a state,
IGO, NGO or media actor (or a person of one) is the main subject of one of its first two sentences.

An antecedent lies in the pronoun's paragraph or in the two sentences before it. Pleonastic "it" ("it is",
"it was reported that", "it seems") stands for nothing. Each coreferent mention is a ``CoreferentMention``:
an ``ActorMention`` with the antecedent's attributes (so it merges into the antecedent's actor) and a
``kind`` ("pronoun" or "description") that says how it was found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from polemos.model import ActorMention
from polemos.nlp import SpanSet, inside_any, sentence_index, sentence_starts

CharSpan = tuple[int, int]

PERSON_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
FIRST_SINGULAR = frozenset({"i", "me", "my", "myself", "mine"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
THIRD_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
NEUTER = frozenset({"it", "its", "itself"})
THIRD_POSSESSIVES = frozenset({"its", "their", "theirs", "his", "her", "hers"})
PRONOUNS = PERSON_PRONOUNS | FIRST_SINGULAR | FIRST_PLURAL | THIRD_PLURAL | NEUTER

# "the group" fits any non-state group; the other nouns an actor whose name (or code) has the noun
GROUP_NOUNS = frozenset({"group", "organisation", "organization", "movement", "militia", "faction"})
NAMED_NOUNS = frozenset(
    {
        "ministry",
        "coalition",
        "alliance",
        "command",
        "agency",
        "council",
        "committee",
        "department",
        "commission",
        "front",
        "brigade",
        "army",
        "party",
    }
)
DESCRIPTION_DETERMINERS = frozenset({"the", "this"})
NON_STATE_TYPES = frozenset({"non-state", "other", "ngo", "igo", "media"})

# "it is", "it seems", "it was reported that": an "it" that stands for nothing
PLEONASTIC_HEADS = frozenset(
    {"be", "seem", "appear", "happen", "matter", "remain", "rain", "take", "become", "look", "sound"}
)
SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "note",
        "explain",
        "announce",
        "declare",
        "write",
        "insist",
        "warn",
        "claim",
        "stress",
        "continue",
        "conclude",
        "ask",
        "reply",
        "respond",
        "recall",
        "comment",
        "emphasise",
        "emphasize",
        "describe",
        "argue",
        "report",
    }
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
SENTENCES_BACK = 2  # an antecedent lies in the paragraph or at most this many sentences back
AUTHOR_TYPES = frozenset({"state", "igo", "ngo", "media"})  # who issues statements (not an armed group)
AUTHOR_SENTENCES = 2  # the issuing organisation is named as a subject in one of the first sentences


@dataclass
class CoreferentMention(ActorMention):
    """A pronoun or definite description standing for the actor of an earlier mention."""

    kind: str = "pronoun"  # pronoun | description
    antecedent: CharSpan | None = None  # span of the mention it was resolved to


def quote_regions(text: str) -> list[CharSpan]:
    """Character ranges of quoted speech, within one paragraph: every quote mark opens or closes in turn (an
    unclosed quote ends with its paragraph; a closing ” with none open closes a quote begun in an earlier
    paragraph). Runs of quote marks (CSV's doubled ``""``) count as one mark."""
    regions: list[CharSpan] = []
    offset = 0
    for paragraph in text.split("\n"):
        opened: int | None = None
        for match in re.finditer(r"[\"“”]+", paragraph):
            if opened is None:
                if match.group() == "”":
                    regions.append((offset, offset + match.start()))
                else:
                    opened = offset + match.end()
            else:
                regions.append((opened, offset + match.start()))
                opened = None
        if opened is not None:
            regions.append((opened, offset + len(paragraph)))
        offset += len(paragraph) + 1
    return [region for region in regions if region[1] > region[0]]


class _Resolver:
    def __init__(self, doc: Doc, mentions: Sequence[ActorMention], exclude: Sequence[CharSpan]) -> None:
        self.doc = doc
        self.text = doc.text
        self.mentions = list(mentions)
        self.exclude = SpanSet(list(exclude))
        self.occupied = SpanSet([m.span for m in mentions])
        self.starts = sentence_starts(doc)
        self.quotes = quote_regions(self.text)
        self.token_mention: dict[int, int] = {}
        for index, mention in enumerate(self.mentions):
            span = doc.char_span(*mention.span, alignment_mode="expand")
            if span is not None:
                for token in span:
                    self.token_mention.setdefault(token.i, index)
        self.resolved: dict[int, ActorMention] = {}  # token index of a resolved pronoun -> its antecedent
        self.speakers: dict[int, ActorMention | None] = {}
        self.resolving: set[int] = set()
        self._author: ActorMention | None | bool = False  # False: not looked for yet
        self.add_statements()

    # -- zones and windows ---------------------------------------------------------------------------------
    def zone(self, char: int) -> int | None:
        """Index of the quote holding ``char``; None outside quotes."""
        for index, (start, end) in enumerate(self.quotes):
            if start <= char < end:
                return index
        return None

    def paragraph_start(self, char: int) -> int:
        return self.text.rfind("\n", 0, char) + 1

    def in_window(self, mention: ActorMention, char: int) -> bool:
        if mention.span[1] > char:
            return False
        sentence = sentence_index(self.starts, char)
        if mention.span[0] >= self.paragraph_start(char):
            return True
        return sentence - sentence_index(self.starts, mention.span[0]) <= SENTENCES_BACK

    def candidates(self, char: int) -> list[ActorMention]:
        """Earlier mentions in the window and in the same zone as ``char``, nearest first."""
        zone = self.zone(char)
        found = [m for m in self.mentions if self.in_window(m, char) and self.zone(m.span[0]) == zone]
        return sorted(found, key=lambda m: -m.span[0])

    def add_statements(self) -> None:
        """ "The Foreign Secretary said:" followed by unquoted paragraphs: those paragraphs, up to the next
        such introduction, are the speaker's words (a zone after the quotes, with its speaker known)."""
        introductions: list[tuple[int, ActorMention]] = []
        offset = 0
        for paragraph in self.text.split("\n"):
            end = offset + len(paragraph)
            if paragraph.rstrip().endswith(":"):
                start = self.starts[sentence_index(self.starts, offset + len(paragraph.rstrip()) - 1)]
                speaker = self.attributed(max(start, offset), end, any_verb=True)
                if speaker is not None:
                    introductions.append((end, speaker))
            offset = end + 1
        for index, (start, speaker) in enumerate(introductions):
            end = introductions[index + 1][0] if index + 1 < len(introductions) else len(self.text)
            self.speakers[len(self.quotes)] = speaker
            self.quotes.append((start, end))

    # -- quotes --------------------------------------------------------------------------------------------
    def speaker(self, zone: int) -> ActorMention | None:
        """The actor a quote is attributed to: the subject of a speech verb in the words around it in its
        paragraph (", says X", "X said: “…”"), else the speaker of the quote before it in the paragraph
        before (a quote that goes on)."""
        if zone in self.speakers:
            return self.speakers[zone]
        self.speakers[zone] = None
        start, end = self.quotes[zone]
        paragraph_start = self.paragraph_start(start)
        paragraph_end = self.text.find("\n", end)
        paragraph_end = len(self.text) if paragraph_end < 0 else paragraph_end
        following = [q for q in self.quotes if q[0] > end and q[0] < paragraph_end]
        preceding = [q for q in self.quotes if q[1] < start and q[1] >= paragraph_start]
        # the words after the quote to the end of their sentence, and before it from its sentence's start
        after_end = min(paragraph_end, self.sentence_end(min(end, len(self.text) - 1)))
        before_start = max(paragraph_start, self.starts[sentence_index(self.starts, start)])
        if after_end <= end + 2 and end + 2 < paragraph_end:  # "… win.” He said": the next sentence
            after_end = min(paragraph_end, self.sentence_end(end + 2))
        segments = [
            (end, min(after_end, following[0][0]) if following else after_end),
            (max(before_start, preceding[-1][1]) if preceding else before_start, start),
        ]
        found = None
        for segment_start, segment_end in segments:
            found = self.attributed(segment_start, segment_end)
            if found is not None:
                break
        earlier = [i for i, q in enumerate(self.quotes[:zone]) if q[1] >= paragraph_start]
        if found is None and earlier:  # a quote that goes on after ", he said, "
            found = self.speaker(earlier[-1])
        elif found is None and paragraph_start > 0 and not self.text[paragraph_start:start].strip():
            # a quote that opens its paragraph goes on from the quote before, or from the words before
            # ("Carter commented on the bombings.\n“I want to …”")
            previous_start = self.paragraph_start(paragraph_start - 1)
            earlier = [i for i, q in enumerate(self.quotes[:zone]) if q[1] >= previous_start]
            if earlier:
                found = self.speaker(earlier[-1])
            else:
                found = self.attributed(previous_start, paragraph_start - 1)
        self.speakers[zone] = found
        return found

    def sentence_end(self, char: int) -> int:
        index = sentence_index(self.starts, char)
        return self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)

    def attributed(self, start: int, end: int, any_verb: bool = False) -> ActorMention | None:
        """The actor a speech verb between ``start`` and ``end`` has as subject (any verb's subject with
        ``any_verb``: "X released the following statement:")."""
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return None
        for token in span:
            if token.pos_ not in {"VERB", "AUX"} or not (any_verb or token.lemma_.lower() in SPEECH_VERBS):
                continue
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS and start <= child.idx < end:
                    found = self.phrase_mention(child, lambda m: True)
                    if found is not None:
                        return found
        return None

    def speaker_organisation(self, speaker: ActorMention) -> ActorMention | None:
        if speaker.type != "person":
            return speaker
        if not speaker.role_of:
            return None
        matching = [m for m in self.mentions if m.code == speaker.role_of and m.type != "person"]
        return min(matching, key=lambda m: abs(m.span[0] - speaker.span[0]), default=None)

    def author(self) -> ActorMention | None:
        """The organisation that issues the document (a press release's "we"): the actor the main subject of
        one of its first sentences outside quotes names ("The United States condemns …", "The Foreign
        Secretary said …" → his organisation). None when those sentences have no such subject."""
        if self._author is not False:
            return self._author  # type: ignore[return-value]
        self._author = None
        for sent in list(self.doc.sents)[:AUTHOR_SENTENCES]:
            if self.zone(sent.root.idx) is not None:
                continue
            for subject in sent.root.children:
                if subject.dep_ not in SUBJECT_DEPS or subject.lower_ in PRONOUNS:
                    continue
                found = self.phrase_mention(subject, lambda m: self.zone(m.span[0]) is None)
                if found is None:
                    continue
                organisation = self.speaker_organisation(found)
                if (
                    organisation is not None
                    and organisation.type in AUTHOR_TYPES
                    and organisation.sector != "CVL"
                ):
                    self._author = organisation
                    return organisation
        return None

    # -- subjects ------------------------------------------------------------------------------------------
    def phrase_mention(self, head: Token, fits) -> ActorMention | None:
        """The mention a phrase headed by ``head`` names (its head's own first), if it ``fits``."""
        if head.lower_ in PRONOUNS and head.i not in self.resolved and head.i not in self.resolving:
            self.resolving.add(head.i)  # ", she says": the speaker is a pronoun, resolved on demand
            found = self.resolve(head)
            if found is not None:
                self.resolved[head.i] = found
        if head.i in self.resolved:
            found = self.resolved[head.i]
            return found if fits(found) else None
        own = self.token_mention.get(head.i)
        if own is not None and fits(self.mentions[own]):
            return self.mentions[own]
        for token in head.subtree:
            if token.dep_ in {"relcl", "acl", "appos"}:
                break
            index = self.token_mention.get(token.i)
            if index is not None and fits(self.mentions[index]):
                return self.mentions[index]
        return None

    def subject_antecedent(self, pronoun: Token, fits) -> ActorMention | None:
        """The actor the subject of a clause above the pronoun names ("Syria says it …"), else the one the
        main subject of the sentence before names, when that sentence is in the same zone."""
        zone = self.zone(pronoun.idx)
        for node in pronoun.ancestors:
            for subject in node.children:
                if subject.dep_ not in SUBJECT_DEPS:
                    continue
                if subject.left_edge.i <= pronoun.i <= subject.right_edge.i:
                    continue
                if subject.i > pronoun.i:
                    continue
                found = self.phrase_mention(subject, fits)
                if found is not None and self.zone(found.span[0]) == zone:
                    return found
                return None  # the nearest clause's subject names no fitting actor: it is the antecedent
        sent = pronoun.sent
        if sent.start == 0:
            return None
        previous = self.doc[sent.start - 1].sent
        if "\n" in self.text[previous.end_char : sent.start_char] and zone is None:
            return None  # a new paragraph: its "it" starts afresh
        for subject in previous.root.children:
            if subject.dep_ in SUBJECT_DEPS:
                found = self.phrase_mention(subject, fits)
                if found is not None and self.zone(found.span[0]) == zone:
                    return found
        return None

    # -- resolution ----------------------------------------------------------------------------------------
    def pleonastic(self, token: Token) -> bool:
        head = token.head
        if token.dep_ == "expl":
            return True
        if token.dep_ not in SUBJECT_DEPS:
            return False
        if head.lemma_.lower() in PLEONASTIC_HEADS:
            return True
        # "it was reported that …", "it is believed …"
        return token.dep_ == "nsubjpass" and any(c.dep_ in {"ccomp", "xcomp"} for c in head.children)

    def resolve(self, token: Token) -> ActorMention | None:
        word = token.lower_
        zone = self.zone(token.idx)
        if word in FIRST_SINGULAR or word in FIRST_PLURAL:
            if zone is None:  # a press release's own "we": the organisation that issues it
                return self.author() if word in FIRST_PLURAL else None
            speaker = self.speaker(zone)
            if speaker is None:
                return None
            if word in FIRST_SINGULAR:
                return speaker if speaker.type == "person" else None
            return self.speaker_organisation(speaker)
        if word in THIRD_POSSESSIVES and (word != "her" or token.dep_ == "poss"):
            return None  # "its forces", "their leader": possessives are left to the phrase they are in
        if word in PERSON_PRONOUNS:
            return next((m for m in self.candidates(token.idx) if m.type == "person"), None)
        if word in NEUTER or word in THIRD_PLURAL:
            if token.dep_ not in SUBJECT_DEPS:
                return None  # "helping them", "commanding it": an object stands for any earlier phrase
        if word in NEUTER:
            if self.pleonastic(token):
                return None
            return self.subject_antecedent(token, self.fits_it)
        if word in THIRD_PLURAL:
            return self.subject_antecedent(token, lambda m: m.type != "person")
        return None

    @staticmethod
    def fits_it(mention: ActorMention) -> bool:
        if mention.type == "person" or mention.sector == "CVL":
            return False
        words = mention.text.split()
        return not (
            words and words[-1].lower().endswith("s") and mention.code is not None and not mention.country
        )

    def description(self, token: Token) -> tuple[CharSpan, ActorMention] | None:
        """ "the group", "the ministry": (the phrase's span, its antecedent)."""
        noun = token.lemma_.lower()
        if token.tag_ not in {"NN", "NNP"} or (noun not in GROUP_NOUNS and noun not in NAMED_NOUNS):
            return None
        determiners = [c for c in token.children if c.dep_ == "det"]
        if len(determiners) != 1 or determiners[0].lower_ not in DESCRIPTION_DETERMINERS:
            return None
        if any(c.dep_ not in {"det", "punct"} for c in token.children if c.i < token.i):
            return None  # "the armed group", "the Islamic State group": a phrase of its own
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            return None  # "the group of …"
        start = determiners[0].idx
        span = (start, token.idx + len(token))
        for mention in self.candidates(start):
            if mention.type == "person":
                continue
            name = f"{mention.name} {mention.text}".lower()
            if re.search(rf"\b{noun}\b", name) or (mention.code and noun.upper() in mention.code.split("-")):
                return span, mention
            if noun in GROUP_NOUNS and mention.type in NON_STATE_TYPES and mention.sector != "CVL":
                if mention.code is not None or mention.type == "non-state":
                    return span, mention
        return None

    def run(self) -> list[CoreferentMention]:
        found: list[CoreferentMention] = []
        for token in self.doc:
            if token.i in self.token_mention:
                continue
            span = (token.idx, token.idx + len(token))
            if inside_any(span, self.exclude) or inside_any(span, self.occupied):
                continue
            word = token.lower_
            kind = "pronoun"
            antecedent: ActorMention | None = self.resolved.get(token.i)
            if antecedent is not None:
                pass
            elif word in PRONOUNS and token.pos_ == "PRON" or (word in {"his", "its", "their", "our", "my"}):
                if word == "us" and token.text == "US":
                    continue
                antecedent = self.resolve(token)
            elif token.pos_ in {"NOUN", "PROPN"}:
                described = self.description(token)
                if described is not None:
                    span, antecedent = described
                    kind = "description"
            if antecedent is None:
                continue
            self.resolved[token.i] = antecedent
            found.append(
                CoreferentMention(
                    text=self.text[span[0] : span[1]],
                    span=span,
                    sentence=sentence_index(self.starts, span[0]),
                    name=antecedent.name,
                    code=antecedent.code,
                    country=antecedent.country,
                    sector=antecedent.sector,
                    type=antecedent.type,
                    role_of=antecedent.role_of,
                    kind=kind,
                    antecedent=antecedent.span,
                )
            )
        return found


def attach_coreferents(mentions: Sequence[ActorMention], coreferents: Sequence[CoreferentMention]) -> None:
    """Keep each coreferent mention with the mention it was resolved to (``coreferents_of``)."""
    by_span = {mention.span: mention for mention in mentions}
    for coreferent in coreferents:
        antecedent = by_span.get(coreferent.antecedent) if coreferent.antecedent else None
        if antecedent is not None:
            antecedent.coreferents.append(coreferent)


def coreferents_of(mention: ActorMention) -> list[CoreferentMention]:
    """The pronouns and descriptions resolved to ``mention`` (see ``attach_coreferents``)."""
    return [m for m in mention.coreferents if isinstance(m, CoreferentMention)]


def find_coreferences(
    doc: Doc, mentions: Sequence[ActorMention], exclude: Sequence[CharSpan] = ()
) -> list[CoreferentMention]:
    """Pronouns and definite descriptions of ``doc`` that stand for an actor of ``mentions``, in text
    order; ``exclude``: character ranges to ignore (boilerplate)."""
    return _Resolver(doc, mentions, exclude).run()


UNNAMED_SPEAKER = "unnamed speaker"
UNNAMED_GROUP = "unnamed speakers' group"
# "we", "us" that no antecedent took stand for a group the text does not name (the speakers of a quote,
# the writers of a statement); the possessive "our" is left to the phrase it is in ("our allies")
UNNAMED_GROUP_WORDS = frozenset({"we", "us", "ourselves"})


def unnamed_speakers(
    doc: Doc, mentions: Sequence[ActorMention], exclude: Sequence[CharSpan] = ()
) -> list[ActorMention]:
    """ "I"/"me"/"my" that no antecedent took: a person the text does not name (the speaker of a quote
    without attribution, the writer of a feature: "In Amman, I meet …"). One mention per quote (or one
    for the words outside quotes), its first pronoun; the others there are its coreferents. Run after
    ``attach_coreferents``: pronouns already resolved are left alone."""
    text = doc.text
    taken = SpanSet(
        [m.span for m in mentions] + [c.span for m in mentions for c in m.coreferents] + list(exclude)
    )
    quotes = quote_regions(text)
    starts = sentence_starts(doc)
    found: dict[tuple[str, int | None], ActorMention] = {}
    for token in doc:
        if (
            token.pos_ != "PRON"
            or token.lower_ not in FIRST_SINGULAR
            and token.lower_ not in UNNAMED_GROUP_WORDS
        ):
            continue
        if token.text == "US":
            continue
        group = token.lower_ in UNNAMED_GROUP_WORDS
        span = (token.idx, token.idx + len(token))
        if inside_any(span, taken):
            continue
        zone = next((index for index, (start, end) in enumerate(quotes) if start <= span[0] < end), None)
        mention = ActorMention(
            text=token.text,
            span=span,
            sentence=sentence_index(starts, span[0]),
            name=UNNAMED_GROUP if group else UNNAMED_SPEAKER,
            code=None,
            country=None,
            sector=None,
            type="other" if group else "person",
        )
        key = ("group" if group else "person", zone)
        first = found.get(key)
        if first is None:
            found[key] = mention
        else:
            first.coreferents.append(
                CoreferentMention(**{**vars(mention), "coreferents": []}, antecedent=first.span)
            )
    return sorted(found.values(), key=lambda m: m.span)
