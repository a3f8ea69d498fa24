"""The API's JSON shapes, for validation and for ``/openapi.json``.

The records are the store's own (``polemos.store.query``); the models describe them field by field and let
any field added to the store later pass through (``extra="allow"``).
"""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")


# ------------------------------------------------------------------------------------------------ errors


class Problem(BaseModel):
    detail: str
    message: str = Field(description="What went wrong, for a person.")


class Issue(Record):
    loc: list[str | int] = Field(description='Where: ["query", "since"], ["body", "text"], …')
    msg: str
    type: str


class InvalidRequest(BaseModel):
    detail: list[Issue] = Field(description="Each parameter at fault.")
    message: str = Field(description='The issues in one line: "since: Input should be a valid date …"')


INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": InvalidRequest, "description": "A parameter or the body is invalid; `loc` names it."}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No such id."}}


# ------------------------------------------------------------------------------------------------ events


class DateRange(Record):
    start: str | None = Field(description="First possible day (YYYY-MM-DD), if known.")
    end: str | None = Field(description="Last possible day, if known.")
    precision: str | None = Field(description="day, week, month, year, … or unknown.")


class Location(Record):
    name: str | None
    lat: float | None
    lon: float | None
    country: str | None = Field(description="ISO3.")
    admin1: str | None = Field(description="First-level division (governorate, state, …).")
    precision: str | None = Field(description="city, admin1, country, …")


class ActorRef(Record):
    id: int
    name: str
    country: str | None
    sector: str | None = Field(description="PLOVER sector: GOV, MIL, REB, …")
    code: str | None = Field(description="Actor dictionary code (SDF), if known.")


class Claim(Record):
    speaker: str | None = Field(description="Who says the event happened (or denies it).")
    speaker_kind: str | None = Field(description="actor, outlet, …")
    speaker_country: str | None
    status: str = Field(description="asserted, alleged or denied.")
    cue: str | None = Field(description="The word that reports the claim (said, accused, denied).")


class Event(Record):
    """A merged event: one real event with all its reports."""

    id: int
    type: str = Field(description="PLOVER event type (ASSAULT, PROTEST, …).")
    mode: str | None
    context: list[str]
    cameo: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    date: DateRange
    location: Location | None
    country: str | None = Field(description="ISO3 of the event's place.")
    source: list[ActorRef]
    target: list[ActorRef]
    fatalities: int | None
    injured: int | None
    claim_status: str | None = Field(
        description="asserted if any report asserts it, else alleged, else denied."
    )
    contested: bool = Field(description="Whether claims about it disagree (an allegation and a denial).")
    claims: list[Claim]
    mention_count: int = Field(description="Reports (sentences) of the event.")
    document_count: int
    outlets: list[str]
    sentence: str | None = Field(description="The sentence of its first report.")


class EventPage(BaseModel):
    events: list[Event]
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset + limit, or null when this page is the last.")


class MentionDocument(Record):
    id: int
    key: str
    title: str | None
    url: str | None
    outlet: str | None
    date: str | None
    origin: str | None


class MentionDate(DateRange):
    text: str | None = Field(description="The words that gave the date.")


class MentionActor(Record):
    role: str = Field(description="source or target.")
    id: int
    name: str
    country: str | None
    sector: str | None
    text: str | None = Field(description="The words naming the actor in the document.")
    span: list[int | None] = Field(description="[start, end] of those words in the document's text.")


class MentionClaim(Record):
    id: int
    speaker: str | None
    speaker_kind: str | None
    status: str
    cue: str | None


class Mention(Record):
    """One report of the event: a sentence of a document. Every span indexes the document's text."""

    id: int
    document: MentionDocument
    local_id: str | None
    type: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    sentence: str | None
    span: list[int | None] = Field(description="[start, end] of the sentence in the document's text.")
    trigger: str | None
    trigger_span: list[int | None]
    date: MentionDate
    location: dict[str, Any] | None
    fatalities: int | None
    actors: list[MentionActor]
    claim: MentionClaim
    merge_reason: dict[str, Any] | None = Field(description="Why the report joined (or started) the event.")


class ClaimLink(Record):
    claim_id: int
    other_claim_id: int
    kind: str = Field(description="denies, or other_perpetrator.")
    speaker: str | None
    status: str
    other_speaker: str | None
    other_status: str


class EventDetails(Event):
    mentions: list[Mention]
    claim_links: list[ClaimLink] = Field(
        description="Claims that disagree: claim_id denies other_claim_id, …"
    )


class TimelineDay(BaseModel):
    date: str
    type: str
    count: int


class Timeline(BaseModel):
    days: list[TimelineDay]


# ------------------------------------------------------------------------------------------------ actors


class Relation(Record):
    relation: str = Field(description="backed_by, member_of, fighting, …")
    other: str
    documents: int
    first: str | None
    last: str | None


class ActorRecord(Record):
    id: int
    name: str
    country: str | None
    sector: str | None
    type: str
    code: str | None
    known: bool = Field(description="Whether the actor is in the actor dictionary.")
    events: int
    aliases: list[str]
    relations: list[Relation]


class Actors(BaseModel):
    actors: list[ActorRecord]


class Node(Record):
    id: int
    name: str
    country: str | None
    sector: str | None
    type: str
    code: str | None
    event_count: int


class Edge(Record):
    source: int
    target: int
    kind: str = Field(description="attacks, backs, accuses, fights, …")
    weight: int = Field(description="Events (for event edges) or documents (for relations).")
    first_date: str | None
    last_date: str | None
    origin: str = Field(description="event or relation.")
    event_ids: list[int]
    document_ids: list[int]


class Network(BaseModel):
    nodes: list[Node]
    edges: list[Edge]


class Stats(Record):
    documents: int
    mentions: int
    events: int
    actors: int
    places: int
    relations: int
    claims: int
    contested_events: int
    schema_version: int


# ------------------------------------------------------------------------------------------------ documents


class DocumentSummary(Record):
    id: int
    key: str = Field(description="The input's id (a file stem, a URL, …).")
    title: str | None
    url: str | None
    outlet: str | None
    date: str | None
    language: str | None
    origin: str | None
    ingested_at: str
    mentions: int = Field(description="Event mentions coded in it.")


class DocumentPage(BaseModel):
    documents: list[DocumentSummary]
    limit: int
    offset: int
    next_offset: int | None


class DocumentDetails(DocumentSummary):
    text: str = Field(description="The text every span indexes.")
    errors: list[str]


class NewDocument(BaseModel):
    """An article to code and store: its plain text or its HTML page, and what is known of it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Hayat Tahrir al-Sham fighters shelled Kafr Nabl on Monday, killing five people.",
                    "url": "https://example.org/news/1",
                    "date": "2023-03-15",
                }
            ]
        },
    )

    text: str | None = Field(None, description="The article as plain text (give this or html).")
    html: str | None = Field(None, description="The article's HTML page; its main text is extracted.")
    url: str | None = Field(None, max_length=4096)
    title: str | None = Field(None, max_length=4096)
    date: datetime.date | None = Field(None, description="Publication date; relative dates count from it.")
    site: str | None = Field(None, max_length=512, description="The outlet (default: the URL's host).")

    @model_validator(mode="after")
    def one_content(self) -> NewDocument:
        if (self.text is None) == (self.html is None):
            raise ValueError("give the article as text or as html (one of the two)")
        return self


class StoredDocument(BaseModel):
    document: int = Field(description="The document's id (the stored one, for a duplicate).")
    duplicate: bool = Field(description="The same content was already stored: nothing new was coded.")
    events: list[int] = Field(description="The merged events its reports belong to.")
    errors: list[str]
