"""The records of polemos' output contract.

Data flows one way: ``Document`` (raw input) → ``AnnotatedDocument`` (text, spaCy Doc and the
records each stage adds) → ``DocumentResult`` (what ``polemos extract`` prints).

Every span is ``(start, end)`` in character offsets into ``Document.text``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Span = tuple[int, int]

ClaimStatus = Literal["asserted", "alleged", "denied"]
RelationType = Literal["backed_by", "allied_with", "part_of", "fighting"]


@dataclass
class Document:
    """One input document after reading, before any NLP."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None  # ISO date of publication, if known
    author: str | None = None
    site: str | None = None  # outlet / site name
    source_format: str = "text"  # text | html | jsonl
    origin: str | None = None  # file path, "<stdin>", "file.jsonl:12"
    errors: list[str] = field(default_factory=list)


@dataclass
class ActorMention:
    """An actor found in the text, before merging mentions into actors."""

    text: str
    span: Span
    sentence: int  # index of the sentence in doc.sents
    name: str  # canonical name
    code: str | None  # dictionary code, e.g. "SDF", "USA-MIL"; None for unknown actors
    country: str | None  # ISO3, or None (IGOs, transnational groups, unknown)
    sector: str | None  # PLOVER sector: GOV, MIL, REB, PRM, IGO, ...
    type: str  # state | non-state | igo | ngo | person | media | other
    role_of: str | None = None  # for persons resolved through a role: the organisation's code
    # pronouns and descriptions resolved to this mention ("it", "the group"): they join its actor's mentions[]
    # but are not themselves mentions the event coder reads
    coreferents: list[ActorMention] = field(default_factory=list, compare=False, repr=False)


@dataclass
class Actor:
    id: str
    name: str
    country: str | None
    sector: str | None
    type: str
    code: str | None = None
    known: bool = True  # found in the actor dictionary (or through a role that is)
    aliases: list[str] = field(default_factory=list)  # surface forms seen in this document
    mentions: list[Span] = field(default_factory=list)
    document: str = ""  # id of the document the record comes from

    def ref(self, text: str, span: Span) -> ActorRef:
        """This actor as it takes part in an event, named by ``text`` at ``span``."""
        return ActorRef(
            id=self.id, name=self.name, country=self.country, sector=self.sector, text=text, span=span
        )


@dataclass
class Relation:
    id: str
    actor: str  # actor id
    relation: str  # RelationType
    other: str  # actor id
    actor_name: str
    other_name: str
    sentence: str | None
    span: Span | None  # evidence span; None for relations that come from the actor dictionary
    origin: str = "text"  # text | event | dictionary
    document: str = ""


@dataclass
class Place:
    id: str
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None  # ISO3
    admin1: str | None
    feature: str  # city | admin1 | country | river | region | sea | ...
    mentions: list[Span] = field(default_factory=list)
    population: int | None = None
    qualifiers: list[dict[str, Any]] = field(default_factory=list)  # {"relation": "east of", "span": [s, e]}
    document: str = ""


@dataclass
class Location:
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    precision: str  # city | admin1 | country | region | river | unknown
    relation: str | None = None  # "east of", "on the left side of", ...
    place: str | None = None  # place id
    basis: str = "sentence"  # where it was found: sentence | paragraph | document


@dataclass
class DateRange:
    start: str | None
    end: str | None
    precision: str  # day | week | month | year | range | unknown
    text: str | None = None


@dataclass
class DateMention:
    """A time expression of the text, resolved (or not) to a date range."""

    text: str
    span: Span
    start: str | None
    end: str | None
    precision: str


@dataclass
class ActorRef:
    """An actor as it takes part in one event."""

    id: str
    name: str
    country: str | None
    sector: str | None
    text: str
    span: Span


@dataclass
class Claim:
    speaker: dict[
        str, Any
    ]  # {"kind": "actor", id, name, country, sector, text, span} or {"kind": "outlet", "name"}
    status: str  # ClaimStatus
    cue: str | None = None  # the word that frames the claim: "accused", "said", "according to"
    event: str | None = None  # id of the speech event (ACCUSE, …) that carries the claim
    disputed_by: list[str] = field(default_factory=list)  # ids of speech events that deny it (REJECT …)


@dataclass
class Event:
    id: str
    type: str  # PLOVER event type
    mode: str | None
    context: list[str]
    cameo: str  # CAMEO root code, two digits
    acled_event_type: str | None
    acled_sub_event_type: str | None
    source: list[ActorRef]
    target: list[ActorRef]
    location: Location | None
    date: DateRange
    fatalities: int | None
    negated: bool
    hypothetical: bool
    claim: Claim
    sentence: str
    span: Span
    future: bool = False
    trigger: str = ""
    trigger_span: Span = (0, 0)
    salience: float = 0.0
    injured: int | None = None
    document: str = ""
    coded_by: str = (
        "lexicon"  # "lexicon": a trigger word; "classifier": the learned type of a lead without one
    )
    confidence: float | None = None  # the classifier's probability for its type (classifier events only)


@dataclass
class Incident:
    """A disaster or accident the text reports: not a conflict event, and not coded as one (PLOVER context
    ``disasters``; ACLED codes none)."""

    id: str
    category: str  # natural | technological
    hazard: str  # earthquake, flood, storm, explosion, fire, crash, leak, poisoning, collapse, ...
    hazards: list[str]  # every hazard of the incident, the first one first ("flood", "landslide")
    trigger: str  # the words of its first mention
    trigger_span: Span
    sentence: str  # the sentence of its first mention
    span: Span  # that sentence's span
    mentions: list[Span] = field(default_factory=list)  # every mention of the hazard in the document
    location: Location | None = None
    date: DateRange | None = None
    fatalities: int | None = None
    injured: int | None = None
    document: str = ""


@dataclass
class DocumentResult:
    id: str
    title: str | None
    url: str | None
    date: str | None
    language: str | None
    actors: list[Actor] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    text: str | None = None  # the text offsets refer to, when it was extracted from HTML
    site: str | None = None
    author: str | None = None
    origin: str | None = None
    incidents: list[Incident] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape: tuples become lists, ``text`` only when extracted from HTML."""
        data = _jsonable(asdict(self))
        if data.get("text") is None:
            data.pop("text", None)
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value
