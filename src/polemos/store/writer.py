"""Store one coded document: its row, actors, places, relations, event mentions and claims.

The caller runs :func:`write_document` inside a transaction together with the merging of its mentions, so
that a document is stored whole or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from polemos.store.database import Database, now
from polemos.store.records import actor_key, fold, place_key


@dataclass
class WrittenDocument:
    """What :func:`write_document` stored: the document's row id and its mentions' ids (None: a duplicate)."""

    document_id: int | None
    mention_ids: list[int] = field(default_factory=list)


def write_document(db: Database, result: dict[str, Any], text: str, digest: str) -> WrittenDocument:
    """Insert the document and everything coded from it; a document already stored is left alone."""
    document_id = db.insert_row(
        "documents",
        {
            "content_hash": digest,
            "doc_key": result.get("id") or "",
            "url": result.get("url"),
            "title": result.get("title"),
            "outlet": outlet_of(result),
            "date": result.get("date"),
            "language": result.get("language"),
            "origin": result.get("origin"),
            "text": text,
            "result": json.dumps(result, ensure_ascii=False, separators=(",", ":")),
            "errors": json.dumps(result.get("errors") or [], ensure_ascii=False),
            "ingested_at": now(),
        },
        conflict="content_hash",
    )
    if document_id is None:
        return WrittenDocument(None)
    actors = {actor["id"]: upsert_actor(db, actor, digest) for actor in result.get("actors") or []}
    places = {place["id"]: upsert_place(db, place) for place in result.get("places") or []}
    for relation in result.get("relations") or []:
        if relation["actor"] in actors and relation["other"] in actors:
            span = relation.get("span") or (None, None)
            db.insert_row(
                "relations",
                {
                    "actor_id": actors[relation["actor"]],
                    "relation": relation["relation"],
                    "other_id": actors[relation["other"]],
                    "document_id": document_id,
                    "date": result.get("date"),
                    "sentence": relation.get("sentence"),
                    "span_start": span[0],
                    "span_end": span[1],
                    "origin": relation.get("origin") or "text",
                },
            )
    written = WrittenDocument(document_id)
    for event in result.get("events") or []:
        written.mention_ids.append(_write_mention(db, event, document_id, actors, places, result, digest))
    return written


def upsert_actor(db: Database, actor: dict[str, Any], digest: str) -> int:
    """The canonical actor's id (created on first sight); the document's surface forms become aliases."""
    key = actor_key(actor, digest)
    row = db.one("SELECT id FROM actors WHERE actor_key = ?", (key,))
    if row is None:
        row = db.one(
            "INSERT INTO actors (actor_key, name, country, sector, type, code, known, name_folded) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (actor_key) DO NOTHING RETURNING id",
            (
                key,
                actor["name"],
                actor.get("country"),
                actor.get("sector"),
                actor.get("type") or "other",
                actor.get("code"),
                int(bool(actor.get("known", False))),
                fold(actor["name"]),
            ),
        ) or db.one("SELECT id FROM actors WHERE actor_key = ?", (key,))
    actor_id = int(row["id"])
    aliases: dict[str, int] = {}
    for alias in [actor["name"], *(actor.get("aliases") or [])]:
        aliases[alias] = aliases.get(alias, 0) + 1
    db.executemany(
        "INSERT INTO actor_aliases (actor_id, alias, alias_folded, count) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (actor_id, alias) DO UPDATE SET count = actor_aliases.count + excluded.count",
        [(actor_id, alias, fold(alias), count) for alias, count in aliases.items()],
    )
    return actor_id


def upsert_place(db: Database, place: dict[str, Any]) -> int:
    key = place_key(place)
    row = db.one("SELECT id FROM places WHERE place_key = ?", (key,))
    if row is None:
        row = db.one(
            "INSERT INTO places (place_key, name, geonameid, lat, lon, country, admin1, feature) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (place_key) DO NOTHING RETURNING id",
            (
                key,
                place["name"],
                place.get("geonameid"),
                place.get("lat"),
                place.get("lon"),
                place.get("country"),
                place.get("admin1"),
                place.get("feature"),
            ),
        ) or db.one("SELECT id FROM places WHERE place_key = ?", (key,))
    return int(row["id"])


def outlet_of(result: dict[str, Any]) -> str | None:
    """The outlet: the site or wire the document names, else its web host."""
    if result.get("site"):
        return result["site"]
    url = result.get("url")
    if url:
        host = urlparse(url).hostname
        if host:
            return host.removeprefix("www.")
    return None


def _write_mention(
    db: Database,
    event: dict[str, Any],
    document_id: int,
    actors: dict[str, int],
    places: dict[str, int],
    result: dict[str, Any],
    digest: str,
) -> int:
    location = event.get("location") or {}
    when = event.get("date") or {}
    claim = event.get("claim") or {}
    speaker = claim.get("speaker") or {}
    span = event.get("span") or (0, 0)
    trigger_span = event.get("trigger_span") or (None, None)
    mention_id = db.insert_row(
        "mentions",
        {
            "document_id": document_id,
            "local_id": event["id"],
            "type": event["type"],
            "mode": event.get("mode"),
            "context": json.dumps(event.get("context") or []),
            "cameo": event.get("cameo"),
            "acled_event_type": event.get("acled_event_type"),
            "acled_sub_event_type": event.get("acled_sub_event_type"),
            "date_start": when.get("start"),
            "date_end": when.get("end"),
            "date_precision": when.get("precision") or "unknown",
            "date_text": when.get("text"),
            "place_id": places.get(location.get("place")) if location else None,
            "location": json.dumps(location, ensure_ascii=False) if location else None,
            "lat": location.get("lat"),
            "lon": location.get("lon"),
            "country": location.get("country"),
            "fatalities": event.get("fatalities"),
            "injured": event.get("injured"),
            "negated": int(bool(event.get("negated"))),
            "hypothetical": int(bool(event.get("hypothetical"))),
            "future": int(bool(event.get("future"))),
            "claim_status": claim.get("status") or "asserted",
            "claim_speaker": json.dumps(speaker, ensure_ascii=False) if speaker else None,
            "claim_cue": claim.get("cue"),
            "claim_disputed_by": json.dumps(claim.get("disputed_by") or []),
            "sentence": event.get("sentence") or "",
            "span_start": span[0],
            "span_end": span[1],
            "trigger_text": event.get("trigger"),
            "trigger_start": trigger_span[0],
            "trigger_end": trigger_span[1],
            "salience": event.get("salience"),
            "coded_by": event.get("coded_by"),
            "confidence": event.get("confidence"),
        },
    )
    rows = []
    for role in ("source", "target"):
        for ref in event.get(role) or []:
            actor_id = actors.get(ref.get("id")) or upsert_actor(db, _actor_from_ref(ref), digest)
            ref_span = ref.get("span") or (None, None)
            rows.append((mention_id, actor_id, role, ref.get("text"), ref_span[0], ref_span[1]))
    db.executemany(
        "INSERT INTO mention_actors (mention_id, actor_id, role, text, span_start, span_end) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    if speaker.get("kind") == "actor":
        speaker_id = actors.get(speaker.get("id")) or upsert_actor(db, _actor_from_ref(speaker), digest)
        speaker_name = speaker.get("name")
    else:
        speaker_id, speaker_name = None, speaker.get("name") or outlet_of(result)
    db.execute(
        "INSERT INTO claims (mention_id, speaker_kind, speaker_actor_id, speaker_name, status, cue) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            mention_id,
            "actor" if speaker_id else "outlet",
            speaker_id,
            speaker_name,
            claim.get("status") or "asserted",
            claim.get("cue"),
        ),
    )
    return mention_id


def _actor_from_ref(ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ref.get("id") or ref.get("name"),
        "name": ref.get("name") or ref.get("text") or "?",
        "country": ref.get("country"),
        "sector": ref.get("sector"),
        "type": "other",
        "code": None,
        "known": False,
    }
