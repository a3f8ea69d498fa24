"""Merging across articles: mentions of the same real event become one event.

A mention joins an earlier event when all of these hold (otherwise it starts a new event):

- **type**: the same PLOVER event type;
- **date**: their date windows overlap, widened by the tolerance of the vaguer one (a day for days, three
  for weeks); an undated mention lies in the week before its article's publication;
- **place**: both located points within ``PLACE_KM`` (more for coarse places), or the same country when one
  is only a country; a mention with no place may join only through its actors;
- **actors**: a specific actor (one with a country or a dictionary code of its own) in the same role (source
  with source, target with target; in an armed clash either way round); a state's government and forces
  count as the state. Failing that, a generic actor ("rebels", "gunmen") in the same role at a precise place
  within ``UNNAMED_KM`` and the same dates; or, when either names no specific actor, a precise place within
  ``UNNAMED_KM`` on the same day. Within one article, a shared place suffices. When either has no place, the
  actors must match in both roles (source and target), or both must be dated to the same day.

Among the events that qualify the one with the most shared actors wins, then the nearest, then the oldest.
The reason is stored with the mention (``merge_reason``) and ``polemos show`` prints it. Merging is
incremental as documents arrive; ``rebuild`` redoes it from scratch over all mentions in ingestion order.

Claims about one event that disagree are linked (``claim_links``) and the event is marked contested: a denial
against a report that asserts or alleges it; allegations by different speakers that name different
perpetrators; a denial the article itself reports (``claim.disputed_by``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from polemos.store.database import Database
from polemos.store.records import (
    PLACE_RANK,
    PRECISION_RANK,
    bounding_box,
    date_window,
    distance_km,
    sort_date,
)

PLACE_KM = 50.0  # two points this close can be one event's place
COARSE_PLACE_KM = 150.0  # when either place is a region or a province
UNNAMED_KM = 10.0  # events with no specific actor merge only this close, on the same day
DATE_TOLERANCE = {"day": 1, "week": 3}
SYMMETRIC_SUB_TYPES = frozenset({"Armed clash"})
STATE_SECTORS = frozenset({"GOV", "MIL", "POL", "SPY", "JUD", "LEG", "EXE"})
_CANDIDATES = 400


@dataclass
class Mention:
    """What merging needs to know of one mention."""

    id: int
    document_id: int
    type: str
    acled_sub_event_type: str | None
    window: tuple[date, date] | None
    precision: str
    lat: float | None
    lon: float | None
    country: str | None
    place_rank: int
    sources: set[str] = field(default_factory=set)  # "actor:12", and "state:RUS" for a state's organs
    targets: set[str] = field(default_factory=set)
    generic: set[str] = field(default_factory=set)  # no country, no code of their own: "rebels", "gunmen"

    @property
    def specific(self) -> set[str]:
        return (self.sources | self.targets) - self.generic


@dataclass
class Verdict:
    event_id: int
    score: tuple
    reason: dict[str, Any]


def assign(db: Database, mention_id: int) -> dict[str, Any]:
    """Merge one stored mention into an event (a new one if none fits); returns the reason recorded."""
    row = db.one("SELECT * FROM mentions WHERE id = ?", (mention_id,))
    if row["negated"] or row["hypothetical"] or row["future"]:
        why = "negated" if row["negated"] else "hypothetical" if row["hypothetical"] else "future"
        reason = {"merged": False, "why": f"not merged: the report says the event is {why}"}
        db.execute("UPDATE mentions SET merge_reason = ? WHERE id = ?", (json.dumps(reason), mention_id))
        return reason
    mention = _load_mention(db, row)
    best: Verdict | None = None
    for event in _candidates(db, mention):
        verdict = judge(mention, event)
        if verdict and (best is None or verdict.score > best.score):
            best = verdict
    if best is None:
        event_id = db.insert_row(
            "events",
            {
                "type": mention.type,
                "date_precision": mention.precision,
                "mention_count": 0,
                "document_count": 0,
            },
        )
        reason = {"merged": False, "event": event_id, "why": _new_event_why(mention)}
    else:
        event_id, reason = best.event_id, best.reason
    db.execute(
        "UPDATE mentions SET event_id = ?, merge_reason = ? WHERE id = ?",
        (event_id, json.dumps(reason, ensure_ascii=False), mention_id),
    )
    db.execute("UPDATE claims SET event_id = ? WHERE mention_id = ?", (event_id, mention_id))
    refresh_event(db, event_id)
    return reason


def rebuild(db: Database, progress=None) -> int:
    """Forget every merge and merge all mentions again, in the order they were stored; the event count."""
    with db.transaction():
        db.execute("DELETE FROM claim_links")
        db.execute("DELETE FROM event_actors")
        db.execute("UPDATE actors SET event_count = 0 WHERE event_count <> 0")
        db.execute("UPDATE claims SET event_id = NULL, sort_date = NULL")
        db.execute("UPDATE mentions SET event_id = NULL, merge_reason = NULL")
        db.execute("DELETE FROM events")
        ids = [row["id"] for row in db.all("SELECT id FROM mentions ORDER BY document_id, id")]
        for number, mention_id in enumerate(ids, 1):
            assign(db, mention_id)
            if progress:
                progress(number, len(ids))
    return int(db.scalar("SELECT COUNT(*) FROM events"))


def judge(mention: Mention, event: Mention) -> Verdict | None:
    """Whether ``mention`` may join ``event`` (here described by its merged fields), and why."""
    if mention.type != event.type:
        return None
    days_apart = _days_apart(mention, event)
    if days_apart is None:
        return None
    distance = None
    if mention.lat is not None and event.lat is not None:
        distance = distance_km(mention.lat, mention.lon, event.lat, event.lon)
        limit = COARSE_PLACE_KM if max(mention.place_rank, event.place_rank) >= 2 else PLACE_KM
        if max(mention.place_rank, event.place_rank) >= 9:  # a whole country: the same country suffices
            if mention.country != event.country:
                return None
        elif distance > limit:
            return None
    elif mention.country and event.country and mention.country != event.country:
        return None
    shared, roles = _shared_actors(mention, event)
    same_spot = (
        distance is not None and distance <= UNNAMED_KM and max(mention.place_rank, event.place_rank) == 0
    )
    same_document = mention.document_id == event.document_id
    if not shared:
        shared, roles = _shared_actors(mention, event, generic=True)
        if shared:  # "rebels" and "rebels": only at the same spot within the same dates
            if not (same_spot and days_apart == 0) and not (same_document and distance is not None):
                return None
        elif mention.specific and event.specific:
            return None
        else:  # one side names no one: the same spot on the same day
            same_day = mention.precision == event.precision == "day" and days_apart == 0
            if not (same_spot and same_day) and not (same_document and distance is not None):
                return None
    elif distance is None and not same_document and len(roles) < 2 and roles != ["crossed"]:
        # Nothing to compare places by: one shared role is too little unless both are dated to the same day.
        if not (mention.precision == event.precision == "day" and days_apart == 0):
            return None
    reason = {
        "merged": True,
        "event": event.id,
        "type": mention.type,
        "shared_actors": sorted(shared),
        "roles": roles,
        "distance_km": None if distance is None else round(distance, 1),
        "days_apart": days_apart,
    }
    score = (len(shared), -(distance if distance is not None else PLACE_KM), -days_apart, -event.id)
    return Verdict(event.id, score, reason)


def refresh_event(db: Database, event_id: int) -> None:
    """Recompute a merged event's fields, actors, claims and claim links from its mentions."""
    mentions = db.all(
        "SELECT m.*, d.outlet, d.date AS published FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE m.event_id = ? ORDER BY m.id",
        (event_id,),
    )
    if not mentions:
        _replace_event_actors(db, event_id, [], None)
        db.execute("DELETE FROM claim_links WHERE event_id = ?", (event_id,))
        db.execute("DELETE FROM events WHERE id = ?", (event_id,))
        return
    reported = [m for m in mentions if m["claim_status"] != "denied"] or mentions
    when = min(mentions, key=lambda m: (PRECISION_RANK.get(m["date_precision"], 9), m["date_start"] or "~"))
    located = [m for m in mentions if m["lat"] is not None]
    votes = Counter(m["place_id"] for m in located)
    place = (
        min(located, key=lambda m: (_place_rank(m), -votes[m["place_id"]], _basis_rank(m), m["id"]))
        if located
        else None
    )
    location = json.loads(place["location"]) if place else {}
    statuses = {m["claim_status"] for m in mentions}
    status = "asserted" if "asserted" in statuses else "alleged" if "alleged" in statuses else "denied"
    lead = max(reported, key=lambda m: (m["claim_status"] == "asserted", m["salience"] or 0.0, -m["id"]))
    fatalities = [m["fatalities"] for m in reported if m["fatalities"] is not None]
    injured = [m["injured"] for m in reported if m["injured"] is not None]
    outlets = sorted({m["outlet"] for m in mentions if m["outlet"]})
    day = sort_date(when["date_start"], when["date_end"])
    db.update_row(
        "events",
        event_id,
        {
            "mode": _most_common(m["mode"] for m in reported),
            "context": json.dumps(sorted({c for m in mentions for c in json.loads(m["context"] or "[]")})),
            "cameo": _most_common(m["cameo"] for m in reported),
            "acled_event_type": _most_common(m["acled_event_type"] for m in reported),
            "acled_sub_event_type": _most_common(m["acled_sub_event_type"] for m in reported),
            "date_start": when["date_start"],
            "date_end": when["date_end"],
            "date_precision": when["date_precision"],
            "sort_date": day,
            "place_id": place["place_id"] if place else None,
            "location": location.get("name"),
            "lat": place["lat"] if place else None,
            "lon": place["lon"] if place else None,
            "country": (place["country"] if place else None) or _most_common(m["country"] for m in mentions),
            "admin1": location.get("admin1"),
            "location_precision": location.get("precision"),
            "fatalities": min(fatalities) if fatalities else None,  # ACLED: the most conservative report
            "injured": min(injured) if injured else None,
            "mention_count": len(mentions),
            "document_count": len({m["document_id"] for m in mentions}),
            "outlets": json.dumps(outlets, ensure_ascii=False),
            "claim_status": status,
            "sentence": lead["sentence"],
        },
    )
    ids = [m["id"] for m in mentions]
    marks = ",".join("?" * len(ids))
    roles = db.all(
        f"SELECT DISTINCT actor_id, role FROM mention_actors WHERE mention_id IN ({marks}) "
        "ORDER BY actor_id, role",
        ids,
    )
    _replace_event_actors(db, event_id, [(row["actor_id"], row["role"]) for row in roles], day)
    db.execute("UPDATE claims SET sort_date = ? WHERE event_id = ?", (day, event_id))
    links = _claim_links(db, event_id, mentions, marks, ids)
    db.execute("DELETE FROM claim_links WHERE event_id = ?", (event_id,))
    db.executemany(
        "INSERT INTO claim_links (event_id, claim_id, other_claim_id, kind) VALUES (?, ?, ?, ?)",
        [(event_id, *link) for link in links],
    )
    db.execute("UPDATE events SET contested = ? WHERE id = ?", (int(bool(links)), event_id))


# ---------------------------------------------------------------------------------------------- helpers


def _replace_event_actors(db: Database, event_id: int, roles: list[tuple[int, str]], day: str | None) -> None:
    """Set an event's actors and roles, and keep each actor's ``event_count`` in step."""
    before = {
        row["actor_id"] for row in db.all("SELECT actor_id FROM event_actors WHERE event_id = ?", (event_id,))
    }
    after = {actor_id for actor_id, _ in roles}
    db.execute("DELETE FROM event_actors WHERE event_id = ?", (event_id,))
    db.executemany(
        "INSERT INTO event_actors (event_id, actor_id, role, sort_date) VALUES (?, ?, ?, ?)",
        [(event_id, actor_id, role, day) for actor_id, role in roles],
    )
    for change, actors in ((-1, before - after), (1, after - before)):
        db.executemany(
            "UPDATE actors SET event_count = event_count + ? WHERE id = ?",
            [(change, a) for a in sorted(actors)],
        )


def _load_mention(db: Database, row: dict[str, Any]) -> Mention:
    published = db.scalar("SELECT date FROM documents WHERE id = ?", (row["document_id"],))
    mention = _as_mention(row, published)
    _add_actors(
        mention,
        db.all(
            "SELECT ma.actor_id, ma.role, a.code, a.country, a.type, a.sector FROM mention_actors ma "
            "JOIN actors a ON a.id = ma.actor_id WHERE ma.mention_id = ?",
            (row["id"],),
        ),
    )
    return mention


def _add_actors(mention: Mention, rows: list[dict[str, Any]]) -> None:
    """Each actor counts as itself and, for a state's government or forces, as that state: "Russia" and
    "Russian jets" are one side of an event."""
    for actor in rows:
        keys = {f"actor:{actor['actor_id']}"}
        if actor["country"] and (actor["type"] == "state" or actor["sector"] in STATE_SECTORS):
            keys.add(f"state:{actor['country']}")
        (mention.sources if actor["role"] == "source" else mention.targets).update(keys)
        if not actor["country"] and (not actor["code"] or actor["code"] == actor["sector"]):
            mention.generic.update(keys)  # "rebels", "civilians", "gunmen": no one in particular


def _as_mention(row: dict[str, Any], published: str | None = None) -> Mention:
    end = row["date_end"] or (None if row["date_start"] else published)
    return Mention(
        id=row["id"],
        document_id=row.get("document_id", -1),
        type=row["type"],
        acled_sub_event_type=row["acled_sub_event_type"],
        window=date_window(row["date_start"], end, row["date_precision"]),
        precision=row["date_precision"],
        lat=row["lat"],
        lon=row["lon"],
        country=row["country"],
        place_rank=_place_rank(row),
    )


def _place_rank(row: dict[str, Any]) -> int:
    if row["lat"] is None:
        return 10
    precision = row.get("location_precision")
    if precision is None and row.get("location"):
        precision = json.loads(row["location"]).get("precision")
    if precision == "country":
        return 9
    return PLACE_RANK.get(precision or "city", 5)


def _basis_rank(row: dict[str, Any]) -> int:
    """Places found in the mention's own sentence before those from its paragraph or document."""
    basis = json.loads(row["location"]).get("basis") if row.get("location") else None
    return {"sentence": 0, "paragraph": 1}.get(basis, 2)


def _candidates(db: Database, mention: Mention) -> list[Mention]:
    """Events that could be this mention's: same type, near in time, sharing an actor or near in space."""
    if mention.window is None:
        rows = db.all(
            "SELECT DISTINCT e.* FROM events e JOIN mentions m ON m.event_id = e.id "
            "WHERE m.document_id = ? AND e.type = ?",
            (mention.document_id, mention.type),
        )
    else:
        slack = timedelta(days=max(DATE_TOLERANCE.values()) + 7)  # undated events span a week
        low, high = (mention.window[0] - slack).isoformat(), (mention.window[1] + slack).isoformat()
        rows = []
        # Specific actors only: an event that shares no more than "civilians" or "rebels" may join only at the
        # same spot, and the place query below finds those; in the actor query they would crowd out the rest.
        actors = sorted({int(key.split(":")[1]) for key in mention.specific if key.startswith("actor:")})
        states = sorted({key[6:] for key in mention.specific if key.startswith("state:")})
        if states:
            actors = sorted(
                {
                    *actors,
                    *(r["id"] for r in db.all(
                        f"SELECT id FROM actors WHERE country IN ({','.join('?' * len(states))}) "
                        "AND (type = 'state' OR sector IN ('GOV', 'MIL', 'POL', 'SPY', 'JUD', 'LEG', 'EXE'))",
                        states,
                    )),
                }
            )  # fmt: skip
        if actors:
            marks = ",".join("?" * len(actors))
            # e.sort_date is ea.sort_date: said twice, so that no database reads every event of the type
            rows += db.all(
                f"SELECT e.* FROM events e WHERE e.id IN (SELECT ea.event_id FROM event_actors ea "
                f"WHERE ea.actor_id IN ({marks}) AND ea.sort_date BETWEEN ? AND ?) AND e.type = ? "
                f"AND e.sort_date BETWEEN ? AND ? ORDER BY e.id DESC LIMIT {_CANDIDATES}",
                (*actors, low, high, mention.type, low, high),
            )
        if mention.lat is not None:
            south, north, west, east = bounding_box(mention.lat, mention.lon, COARSE_PLACE_KM)
            rows += db.all(
                "SELECT e.* FROM events e WHERE e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ? "
                f"AND e.sort_date BETWEEN ? AND ? AND e.type = ? ORDER BY e.id DESC LIMIT {_CANDIDATES}",
                (south, north, west, east, low, high, mention.type),
            )
        rows += db.all(
            "SELECT DISTINCT e.* FROM events e JOIN mentions m ON m.event_id = e.id "
            "WHERE m.document_id = ? AND e.type = ?",
            (mention.document_id, mention.type),
        )
    events: dict[int, Mention] = {}
    for row in rows:
        if row["id"] not in events:
            events[row["id"]] = _event_as_mention(db, row)
    return [events[key] for key in sorted(events)]


def _event_as_mention(db: Database, row: dict[str, Any]) -> Mention:
    event = _as_mention({**row, "document_id": -1})
    documents = db.all("SELECT DISTINCT document_id FROM mentions WHERE event_id = ?", (row["id"],))
    event.document_id = documents[0]["document_id"] if len(documents) == 1 else -1
    _add_actors(
        event,
        db.all(
            "SELECT ea.actor_id, ea.role, a.code, a.country, a.type, a.sector FROM event_actors ea "
            "JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ?",
            (row["id"],),
        ),
    )
    return event


def _days_apart(one: Mention, other: Mention) -> int | None:
    """0 when the date windows overlap, else the gap in days if within tolerance; None when too far."""
    if one.window is None or other.window is None:
        return 0 if one.document_id == other.document_id else None
    gap = max((other.window[0] - one.window[1]).days, (one.window[0] - other.window[1]).days, 0)
    tolerance = max(DATE_TOLERANCE.get(one.precision, 0), DATE_TOLERANCE.get(other.precision, 0))
    return gap if gap <= tolerance else None


def _shared_actors(mention: Mention, event: Mention, generic: bool = False) -> tuple[set[str], list[str]]:
    """Actors the two share in the same role (or crossed, for a clash, when both roles match): specific ones,
    or with ``generic`` only the generic ones ("rebels")."""
    generic_keys = mention.generic | event.generic
    every = mention.sources | mention.targets | event.sources | event.targets
    excluded = every - generic_keys if generic else generic_keys
    same_sources = (mention.sources & event.sources) - excluded
    same_targets = (mention.targets & event.targets) - excluded
    shared, roles = same_sources | same_targets, []
    if same_sources:
        roles.append("source")
    if same_targets:
        roles.append("target")
    if not shared and mention.acled_sub_event_type in SYMMETRIC_SUB_TYPES:
        crossed_one = (mention.sources & event.targets) - excluded
        crossed_two = (mention.targets & event.sources) - excluded
        if crossed_one and crossed_two:
            shared, roles = crossed_one | crossed_two, ["crossed"]
    return shared, roles


def _new_event_why(mention: Mention) -> str:
    if mention.window is None:
        return f"first report of this {mention.type} event: undated, so merged only within its article"
    return (
        f"no earlier {mention.type} event within the dates, within {PLACE_KM:.0f} km and sharing an actor "
        "in the same role"
    )


def _claim_links(
    db: Database, event_id: int, mentions, marks: str, ids: list[int]
) -> list[tuple[int, int, str]]:
    claims = db.all(
        f"SELECT c.*, m.id AS mention, m.document_id FROM claims c JOIN mentions m ON m.id = c.mention_id "
        f"WHERE c.mention_id IN ({marks}) ORDER BY c.id",
        ids,
    )
    sources: dict[int, set[int]] = {}
    for row in db.all(
        f"SELECT mention_id, actor_id FROM mention_actors WHERE role = 'source' AND mention_id IN ({marks})",
        ids,
    ):
        sources.setdefault(row["mention_id"], set()).add(row["actor_id"])
    links: set[tuple[int, int, str]] = set()
    for claim in claims:
        for other in claims:
            if other["id"] == claim["id"]:
                continue
            if claim["status"] == "denied" and other["status"] != "denied":
                links.add((claim["id"], other["id"], "denies"))
            elif (
                claim["status"] == other["status"] == "alleged"
                and claim["id"] < other["id"]
                and _speaker(claim) != _speaker(other)
                and sources.get(claim["mention"])
                and sources.get(other["mention"])
                and not sources[claim["mention"]] & sources[other["mention"]]
            ):
                links.add((claim["id"], other["id"], "other_perpetrator"))
    # Denials the article itself reports ("the group denied the accusation"): the REJECT event's claim.
    for mention in mentions:
        denials = json.loads(mention["claim_disputed_by"] or "[]")
        if not denials:
            continue
        claim_id = next(c["id"] for c in claims if c["mention"] == mention["id"])
        for denial in denials:
            denial_claim = db.scalar(
                "SELECT c.id FROM claims c JOIN mentions m ON m.id = c.mention_id "
                "WHERE m.document_id = ? AND m.local_id = ?",
                (mention["document_id"], denial),
            )
            if denial_claim:
                links.add((denial_claim, claim_id, "denies"))
    return sorted(links)


def _speaker(claim: dict[str, Any]) -> Any:
    return claim["speaker_actor_id"] or claim["speaker_name"]


def _most_common(values) -> Any:
    counts = Counter(value for value in values if value)
    return counts.most_common(1)[0][0] if counts else None
