"""Queries over the store: events by actor, type, country, place, dates and claims; actors; one event."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson

from polemos.store.database import Database
from polemos.store.records import bounding_box, distance_km, fold

_ISO3 = 3
_WALK_COST = 2.0  # time to walk past one event / time to collect and sort one matching row


@dataclass
class EventFilter:
    """The filters of ``polemos events``; every one given must hold."""

    actor: str | None = None  # a code, name or alias ("SDF", "Syrian Democratic Forces"), or an ISO3 country
    type: str | None = None  # a PLOVER type (ASSAULT) or an ACLED event or sub-event type
    country: str | None = None  # ISO3 of the event's place
    near: tuple[float, float] | None = None  # (lat, lon)
    km: float = 50.0
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None
    claimed_by: str | None = None  # speaker: code, name, alias or ISO3 country
    contested: bool | None = None
    text: str | None = None  # a case-insensitive substring of the event's sentence
    limit: int = 100
    offset: int = 0


def find_events(db: Database, where: EventFilter) -> list[dict[str, Any]]:
    """Merged events matching ``where``, newest first, each with its actors and claims."""
    clauses, params = [], []
    driver = "events e"
    order = "e.sort_date DESC, e.id DESC"
    if where.actor:
        actors = match_actors(db, where.actor)
        if not actors:
            return []
        if len(actors) == 1:
            driver = "event_actors ea JOIN events e ON e.id = ea.event_id"
            clauses.append("ea.actor_id = ?")
            order = "ea.sort_date DESC, ea.event_id DESC"
        else:
            clauses.append(_event_in(db, "event_actors", "actor_id", actors, where))
        params += actors
    group = ""
    if where.claimed_by:
        speakers = match_actors(db, where.claimed_by)
        if not speakers:
            return []
        if len(speakers) == 1 and driver == "events e":
            # the speaker's claims, newest first, read from their index; an event the speaker claims more
            # than once (several reports) is one group. PostgreSQL wants e.id named to allow e.*; SQLite,
            # given it, would group all the speaker's claims before sorting them.
            driver = "claims c JOIN events e ON e.id = c.event_id"
            clauses.append("c.speaker_actor_id = ?")
            order = "c.sort_date DESC, c.event_id DESC"
            group = " GROUP BY c.sort_date, c.event_id" + (", e.id" if db.dialect != "sqlite" else "")
        else:
            clauses.append(_event_in(db, "claims", "speaker_actor_id", speakers, where))
        params += speakers
    # dates on the driving table's date, whose index then reads just the range
    own, values = _own_columns(where, day=order.split()[0])
    clauses += own
    params += values
    if where.near:
        return hydrate(db, _near(db, driver, clauses, params, order, group, where))
    sql = f"SELECT e.* FROM {driver}"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += f"{group} ORDER BY {order}"
    rows = db.all(sql + " LIMIT ? OFFSET ?", [*params, where.limit, where.offset])
    return hydrate(db, rows)


def _own_columns(where: EventFilter, day: str) -> tuple[list[str], list[Any]]:
    """The filters on the event's own columns (type, country, dates on the column ``day``, contested, text)
    as SQL conditions and their parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if where.type:
        clause, values = type_clause(where.type)
        clauses.append(clause)
        params += values
    if where.country:
        clauses.append("e.country = ?")
        params.append(where.country.upper())
    if where.since:
        clauses.append(f"{day} >= ?")
        params.append(where.since)
    if where.until:
        clauses.append(f"{day} <= ?")
        params.append(where.until)
    if where.contested is not None:
        clauses.append("e.contested = ?")
        params.append(int(where.contested))
    if where.text:
        clauses.append(TEXT_CLAUSE)
        params.append(text_pattern(where.text))
    return clauses, params


def _near(
    db: Database,
    driver: str,
    clauses: list[str],
    params: list[Any],
    order: str,
    group: str,
    where: EventFilter,
) -> list[dict[str, Any]]:
    """The events that match the other filters and lie within ``where.km`` of ``where.near``, in order.

    Few events in the box around the circle: the lat/lon index finds them. Many: the events are walked in
    order (no database estimates how many events fall in a box, so neither is left to choose). Either way
    the walk reads ids and points a page at a time and keeps those within the circle; their rows are read
    last.
    """
    assert where.near is not None
    lat, lon = where.near
    south, north, west, east = box = bounding_box(lat, lon, where.km)
    in_box = "e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?"
    if not _walk_newest(db, f"SELECT 1 FROM events e WHERE {in_box}", box, where):
        clauses, params = [*clauses, in_box], [*params, *box]
    sql = f"SELECT e.id, e.lat, e.lon FROM {driver}"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += f"{group} ORDER BY {order} LIMIT ? OFFSET ?"
    ids: list[int] = []
    skipped, start, page = 0, 0, max(200, 2 * (where.offset + where.limit))
    while len(ids) < where.limit:
        batch = db.all(sql, [*params, page, start])
        for row in batch:
            if row["lat"] is None or row["lon"] is None:
                continue
            if not (south <= row["lat"] <= north and west <= row["lon"] <= east):
                continue
            if distance_km(lat, lon, row["lat"], row["lon"]) > where.km:
                continue
            if skipped < where.offset:
                skipped += 1
                continue
            ids.append(row["id"])
            if len(ids) >= where.limit:
                break
        if len(batch) < page:
            break
        start, page = start + page, 2 * page
    if not ids:
        return []
    of_ids, values = db.one_of("id", sorted(set(ids)))
    found = {row["id"]: row for row in db.all(f"SELECT * FROM events WHERE {of_ids}", values)}
    return [found[i] for i in ids]


def _event_in(db: Database, table: str, column: str, ids: list[int], where: EventFilter) -> str:
    """The clause "the event has a row in ``table`` whose ``column`` is one of ``ids``", written so that the
    database takes the faster way: for many such rows, walking the newest events and looking each one up;
    for few, collecting them all first and sorting them."""
    marks = ",".join("?" * len(ids))
    rows = f"SELECT event_id FROM {table} WHERE {column} IN ({marks})"
    if _walk_newest(db, rows, ids, where):
        # "+": look rows up by event only, then test the column; by (event, column) a database would probe
        # the index once per id in the list, for every event walked
        return f"EXISTS (SELECT 1 FROM {table} t WHERE t.event_id = e.id AND +t.{column} IN ({marks}))"
    return f"e.id IN ({rows})"


def _walk_newest(db: Database, rows_sql: str, params: list[Any] | tuple, where: EventFilter) -> bool:
    """Whether walking events newest first beats collecting the rows of ``rows_sql`` and sorting them.

    The walk meets a match about every N/R events (N events in all, R matching rows); collecting costs R.
    For ``offset + limit`` results the walk wins when R^2 > offset+limit * N * _WALK_COST. R is counted from
    an index, stopping at that bound; N is the highest event id (read at no cost).
    """
    events = db.scalar("SELECT MAX(id) FROM events") or 0
    bound = math.isqrt(int((where.offset + where.limit) * events * _WALK_COST)) + 1
    found = db.scalar(f"SELECT COUNT(*) FROM ({rows_sql} LIMIT {bound}) AS sample", params)  # noqa: S608
    return found >= bound


TEXT_CLAUSE = "LOWER(e.sentence) LIKE ? ESCAPE '!'"


def text_pattern(text: str) -> str:
    """The LIKE pattern of :data:`TEXT_CLAUSE` for a user's substring, its ``%`` and ``_`` taken literally."""
    escaped = text.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def hydrate(db: Database, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Event rows as records: actors by role, claims, outlets, contested."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    of_events, values = db.one_of("event_id", ids)
    # the rows first, then the actors they name, each read from its index: joined, PostgreSQL would hash
    # the whole actors table for every page
    links = db.tuples(
        f"SELECT event_id, role, actor_id FROM event_actors WHERE {of_events} ORDER BY event_id, actor_id",
        values,
    )
    said = db.tuples(
        "SELECT event_id, speaker_name, speaker_kind, speaker_actor_id, status, cue FROM claims "
        f"WHERE {of_events} ORDER BY id",
        values,
    )
    named = {actor for _, _, actor in links} | {said_row[3] for said_row in said}
    named.discard(None)
    known: dict[int, tuple] = {}
    if named:
        of_actors, values = db.one_of("id", sorted(named))
        found = db.tuples(f"SELECT id, name, country, sector, code FROM actors WHERE {of_actors}", values)
        known = {actor[0]: actor for actor in found}
    actors: dict[int, dict[str, list]] = {i: {"source": [], "target": []} for i in ids}
    for event_id, role, actor_id in links:
        actor_id, name, country, sector, code = known[actor_id]
        actors[event_id][role].append(
            {"id": actor_id, "name": name, "country": country, "sector": sector, "code": code}
        )
    claims: dict[int, list] = {i: [] for i in ids}
    for event_id, speaker, kind, speaker_id, status, cue in said:
        claim = {
            "speaker": speaker,
            "speaker_kind": kind,
            "speaker_country": known[speaker_id][2] if speaker_id is not None else None,
            "status": status,
            "cue": cue,
        }
        if claim not in claims[event_id]:
            claims[event_id].append(claim)
    return [
        {
            "id": row["id"],
            "type": row["type"],
            "mode": row["mode"],
            "context": _json_list(row["context"]),
            "cameo": row["cameo"],
            "acled_event_type": row["acled_event_type"],
            "acled_sub_event_type": row["acled_sub_event_type"],
            "date": {"start": row["date_start"], "end": row["date_end"], "precision": row["date_precision"]},
            "location": None
            if row["lat"] is None and row["location"] is None
            else {
                "name": row["location"],
                "lat": row["lat"],
                "lon": row["lon"],
                "country": row["country"],
                "admin1": row["admin1"],
                "precision": row["location_precision"],
            },
            "country": row["country"],
            "source": actors[row["id"]]["source"],
            "target": actors[row["id"]]["target"],
            "fatalities": row["fatalities"],
            "injured": row["injured"],
            "claim_status": row["claim_status"],
            "contested": bool(row["contested"]),
            "claims": claims[row["id"]],
            "mention_count": row["mention_count"],
            "document_count": row["document_count"],
            "outlets": _json_list(row["outlets"]),
            "sentence": row["sentence"],
        }
        for row in rows
    ]


def _json_list(text: str | None) -> list[Any]:
    return orjson.loads(text) if text and text != "[]" else []


def event_details(db: Database, event_id: int) -> dict[str, Any] | None:
    """One event whole: its record, every report with its sentence and claim, why each was merged, and the
    claims that disagree."""
    row = db.one("SELECT * FROM events WHERE id = ?", (event_id,))
    if row is None:
        return None
    (event,) = hydrate(db, [row])
    mentions = []
    for mention in db.all(
        "SELECT m.*, d.title, d.url, d.outlet, d.date AS published, d.doc_key, d.origin FROM mentions m "
        "JOIN documents d ON d.id = m.document_id WHERE m.event_id = ? ORDER BY m.id",
        (event_id,),
    ):
        refs = db.all(
            "SELECT ma.role, ma.text, ma.span_start, ma.span_end, a.id, a.name, a.country, a.sector "
            "FROM mention_actors ma JOIN actors a ON a.id = ma.actor_id WHERE ma.mention_id = ? "
            "ORDER BY ma.role DESC, ma.span_start, a.id",
            (mention["id"],),
        )
        claim = db.one("SELECT id, speaker_kind, speaker_name, status, cue FROM claims WHERE mention_id = ?",
                       (mention["id"],))  # fmt: skip
        mentions.append(
            {
                "id": mention["id"],
                "document": {
                    "id": mention["document_id"],
                    "key": mention["doc_key"],
                    "title": mention["title"],
                    "url": mention["url"],
                    "outlet": mention["outlet"],
                    "date": mention["published"],
                    "origin": mention["origin"],
                },
                "local_id": mention["local_id"],
                "type": mention["type"],
                "acled_event_type": mention["acled_event_type"],
                "acled_sub_event_type": mention["acled_sub_event_type"],
                "sentence": mention["sentence"],
                "span": [mention["span_start"], mention["span_end"]],
                "trigger": mention["trigger_text"],
                "trigger_span": [mention["trigger_start"], mention["trigger_end"]],
                "date": {
                    "start": mention["date_start"],
                    "end": mention["date_end"],
                    "precision": mention["date_precision"],
                    "text": mention["date_text"],
                },
                "location": json.loads(mention["location"]) if mention["location"] else None,
                "fatalities": mention["fatalities"],
                "actors": [
                    {
                        "role": r["role"],
                        "id": r["id"],
                        "name": r["name"],
                        "country": r["country"],
                        "sector": r["sector"],
                        "text": r["text"],
                        "span": [r["span_start"], r["span_end"]],
                    }
                    for r in refs
                ],
                "claim": {
                    "id": claim["id"],
                    "speaker": claim["speaker_name"],
                    "speaker_kind": claim["speaker_kind"],
                    "status": claim["status"],
                    "cue": claim["cue"],
                },
                "merge_reason": json.loads(mention["merge_reason"]) if mention["merge_reason"] else None,
            }
        )
    event["mentions"] = mentions
    event["claim_links"] = db.all(
        "SELECT l.claim_id, l.other_claim_id, l.kind, c.speaker_name AS speaker, c.status, "
        "o.speaker_name AS other_speaker, o.status AS other_status FROM claim_links l "
        "JOIN claims c ON c.id = l.claim_id JOIN claims o ON o.id = l.other_claim_id WHERE l.event_id = ? "
        "ORDER BY l.claim_id, l.other_claim_id",
        (event_id,),
    )
    return event


def match_actors(db: Database, name: str) -> list[int]:
    """Actors a user's word names: a dictionary code, a name or alias (any case), or an ISO3 country."""
    folded = fold(name)
    found = {
        row["id"]
        for row in db.all(
            "SELECT id FROM actors WHERE code = ? OR name_folded = ? "
            "UNION SELECT actor_id AS id FROM actor_aliases WHERE alias_folded = ?",
            (name.strip(), folded, folded),
        )
    }
    if len(name.strip()) == _ISO3 and name.strip().isupper():
        found |= {row["id"] for row in db.all("SELECT id FROM actors WHERE country = ?", (name.strip(),))}
    return sorted(found)


def list_actors(
    db: Database, name: str | None = None, country: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Actors with their aliases, affiliations and event counts, most active first."""
    clauses, params = [], []
    if name:
        ids = match_actors(db, name)
        like = f"%{fold(name)}%"
        clauses.append(
            f"(a.id IN ({','.join('?' * len(ids)) or 'NULL'}) OR a.name_folded LIKE ?)"  # noqa: S608
        )
        params += [*ids, like]
    if country:
        clauses.append("a.country = ?")
        params.append(country.upper())
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.all(
        f"SELECT a.*, a.event_count AS events FROM actors a {where} "
        "ORDER BY a.event_count DESC, a.name LIMIT ?",
        [*params, limit],
    )
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    aliases: dict[int, list[str]] = {i: [] for i in ids}
    for row in db.all(
        f"SELECT actor_id, alias FROM actor_aliases WHERE actor_id IN ({marks}) ORDER BY count DESC, alias",
        ids,
    ):
        aliases[row["actor_id"]].append(row["alias"])
    relations: dict[int, list[dict]] = {i: [] for i in ids}
    for row in db.all(
        "SELECT r.actor_id, r.relation, o.name AS other, COUNT(DISTINCT r.document_id) AS documents, "
        "MIN(r.date) AS first, MAX(r.date) AS last FROM relations r JOIN actors o ON o.id = r.other_id "
        f"WHERE r.actor_id IN ({marks}) GROUP BY r.actor_id, r.relation, o.name ORDER BY documents DESC",
        ids,
    ):
        relations[row["actor_id"]].append(
            {k: row[k] for k in ("relation", "other", "documents", "first", "last")}
        )
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "country": row["country"],
            "sector": row["sector"],
            "type": row["type"],
            "code": row["code"],
            "known": bool(row["known"]),
            "events": row["events"],
            "aliases": aliases[row["id"]],
            "relations": relations[row["id"]],
        }
        for row in rows
    ]


def type_clause(kind: str) -> tuple[str, list[str]]:
    """The condition on ``events e`` for ``--type``: a PLOVER type, else an ACLED event or sub-event type."""
    kind = kind.strip()
    if kind.upper() in _plover_types():
        return "e.type = ?", [kind.upper()]
    return "(e.acled_event_type = ? OR e.acled_sub_event_type = ?)", [_acled_name(kind)] * 2


def load_type_names() -> None:
    """Read the PLOVER and ACLED type names now (from the event lexicon: 0.2 s) rather than on the first
    ``--type``."""
    _plover_types()
    _acled_names()


@cache
def _plover_types() -> frozenset[str]:
    from polemos.events.lexicon import load_lexicon

    return frozenset(load_lexicon().plover_types)


@cache
def _acled_names() -> dict[str, str]:
    from polemos.events.lexicon import load_lexicon

    names = {}
    for event_type, sub_types in load_lexicon().acled_taxonomy.items():
        names[fold(event_type)] = event_type
        names.update((fold(sub_type), sub_type) for sub_type in sub_types)
    return names


def _acled_name(value: str) -> str:
    """ACLED's spelling of an event or sub-event type typed in any case."""
    return _acled_names().get(fold(value), value)


def filter_sql(db: Database, where: EventFilter) -> tuple[str, list[Any]] | None:
    """``where`` as one SQL condition on ``events e`` with its parameters (for exports: no order, no limit);
    None when it can match nothing (an actor no one is called). ``near`` is a flat-earth circle, exact to a
    fraction of a percent at the radii people ask for."""
    clauses: list[str] = []
    params: list[Any] = []
    for name, table, column in (
        ("actor", "event_actors", "actor_id"),
        ("claimed_by", "claims", "speaker_actor_id"),
    ):
        value = getattr(where, name)
        if value:
            ids = match_actors(db, value)
            if not ids:
                return None
            clauses.append(
                f"e.id IN (SELECT event_id FROM {table} WHERE {column} IN ({','.join('?' * len(ids))}))"
            )
            params += ids
    own, values = _own_columns(where, day="e.sort_date")
    clauses += own
    params += values
    if where.near:
        lat, lon = where.near
        south, north, west, east = bounding_box(lat, lon, where.km)
        scale = math.cos(math.radians(lat))
        clauses.append(
            "e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ? "
            "AND ((e.lat - ?) * 111.195) * ((e.lat - ?) * 111.195) "
            "+ ((e.lon - ?) * ?) * ((e.lon - ?) * ?) <= ?"
        )
        params += [
            south,
            north,
            west,
            east,
            lat,
            lat,
            lon,
            111.195 * scale,
            lon,
            111.195 * scale,
            where.km**2,
        ]
    return " AND ".join(clauses) or "1 = 1", params
