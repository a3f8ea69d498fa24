"""Query latency of the event store on a large synthetic store (SQLite and PostgreSQL).

Run by hand (never from the tests), from the repository root::

    .venv/bin/python benchmarks/bench_store_query.py --db sqlite:////tmp/bench.db --events 1000000
    .venv/bin/python benchmarks/bench_store_query.py --db sqlite:////tmp/bench.db \\
        --db postgresql://postgres@127.0.0.1:55432/bench --events 1000000      # both, one table
    .venv/bin/python benchmarks/bench_store_query.py --db sqlite:////tmp/bench.db --reuse   # query only

The store is generated straight into the tables (bulk inserts in big transactions on SQLite, COPY on
PostgreSQL), with every column filled as ``writer.write_document`` and ``merge.refresh_event`` fill it:

* actors: the actor dictionary's entries, a state's organs for the conflict countries ("SYR-MIL"),
  generic groups ("rebels", code = sector, no country) and people (no code, by name, country and sector),
  5,000 in all, each with aliases; a few relations between them;
* places: real towns of the gazetteer in 30 conflict countries, up to 20,000 (fewer where the gazetteer holds
  fewer towns: 308 in Syria, 5,488 in Ukraine; 10,440 in all);
* events over ten years, skewed as real data are (Zipf over countries, over places within a country by
  population, over actors within a country; more events in recent years), each with 1-4 event_actors rows,
  1-3 mentions (each with its claim and a speaker, an outlet or an actor) in documents of 1-6 mentions,
  about 5% contested (a denial, with its claim links). Documents hold the sentences of their mentions (the
  spans index them) and a short ``result`` object: queries never read the full ``polemos extract`` output.

Then ANALYZE, and every query kind is timed through ``polemos.store.query`` exactly as the CLI calls it
(``find_events`` with hydration, ``event_details``, ``list_actors``), with values drawn at random on each
call. Rounds are interleaved (every kind once per round) so that machine load falls on all kinds alike.
Results go to ``benchmarks/results/`` (git-ignored) as JSON and Markdown, and to stdout as a table.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "benchmarks" / "results"
TARGET_P95_MS = 100.0
FIRST_DAY = date(2015, 1, 1)
DAYS = 3653  # ten years
CHUNK = 20_000  # events generated and written at a time

# Conflict countries, most reported first (Zipf weights by rank).
COUNTRIES = (
    "UKR SYR YEM AFG IRQ SOM NGA MLI SDN COD MMR PAK ETH LBY BFA IND MEX COL PSE ISR "
    "CMR MOZ NER TCD CAF LBN TUR PHL SSD KEN"
).split()
OUTLETS = (
    "Reuters|AP|AFP|Al Jazeera|BBC|Xinhua|Anadolu|The Guardian|Le Monde|DW|Kyiv Independent|SANA|Daily Trust|"
    "Dawn|Hindustan Times|Radio Dabanga|Premium Times|Syrian Observatory|Ukrinform|TASS|RFI|VOA|Reliefweb|"
    "Middle East Eye|The New Humanitarian|Rudaw|Kurdistan 24|Garowe Online|Ahram|Haaretz"
).split("|")
# PLOVER type: (weight, CAMEO root, [(ACLED event type, sub-event type, weight)], modes)
TYPES: dict[str, tuple[float, str, list[tuple[str | None, str | None, float]], list[str | None]]] = {
    "ASSAULT": (
        40,
        "19",
        [
            ("Battles", "Armed clash", 35),
            ("Explosions/Remote violence", "Shelling/artillery/missile attack", 20),
            ("Explosions/Remote violence", "Air/drone strike", 15),
            ("Violence against civilians", "Attack", 15),
            ("Explosions/Remote violence", "Remote explosive/landmine/IED", 6),
            ("Violence against civilians", "Abduction/forced disappearance", 4),
            ("Explosions/Remote violence", "Suicide bomb", 2),
            ("Battles", "Non-state actor overtakes territory", 2),
            ("Violence against civilians", "Sexual violence", 1),
        ],
        ["firearms", "explosives", "air", "artillery", None],
    ),
    "PROTEST": (
        15,
        "14",
        [
            ("Protests", "Peaceful protest", 80),
            ("Protests", "Protest with intervention", 10),
            ("Riots", "Violent demonstration", 8),
            ("Riots", "Mob violence", 2),
        ],
        ["demo", "strike", "riot"],
    ),
    "COERCE": (
        10,
        "17",
        [
            ("Strategic developments", "Arrests", 60),
            ("Strategic developments", "Looting/property destruction", 20),
            (None, None, 20),
        ],
        ["arrest", "seize", None],
    ),
    "ACCUSE": (6, "11", [(None, None, 1)], [None]),
    "THREATEN": (4, "13", [(None, None, 1)], [None]),
    "MOBILIZE": (
        4,
        "15",
        [("Strategic developments", "Headquarters or base established", 30), (None, None, 70)],
        [None],
    ),
    "CONSULT": (4, "04", [(None, None, 1)], [None]),
    "AGREE": (3, "03", [("Strategic developments", "Agreement", 50), (None, None, 50)], [None]),
    "REQUEST": (3, "02", [(None, None, 1)], [None]),
    "REJECT": (3, "12", [(None, None, 1)], [None]),
    "SUPPORT": (2, "05", [(None, None, 1)], [None]),
    "AID": (2, "07", [(None, None, 1)], [None]),
    "SANCTION": (1, "16", [(None, None, 1)], [None]),
    "COOPERATE": (1, "06", [(None, None, 1)], [None]),
    "RETREAT": (
        1,
        "08",
        [("Strategic developments", "Non-violent transfer of territory", 40), (None, None, 60)],
        [None],
    ),
    "CONCEDE": (1, "08", [(None, None, 1)], [None]),
}
ORGANS = {  # sector: (head noun, actor type), composed with a country's adjective: "Syrian troops"
    "MIL": ("military", "state"),
    "GOV": ("government", "state"),
    "COP": ("police", "state"),
    "SPY": ("intelligence services", "state"),
    "JUD": ("judiciary", "state"),
    "REB": ("rebels", "non-state"),
    "PRM": ("militia", "non-state"),
    "CVL": ("civilians", "non-state"),
    "OPP": ("opposition", "non-state"),
    "PTY": ("ruling party", "non-state"),
    "JRN": ("journalists", "non-state"),
    "MED": ("health workers", "non-state"),
    "EDU": ("teachers", "non-state"),
    "LAB": ("workers", "non-state"),
    "REF": ("refugees", "non-state"),
    "CRM": ("gangs", "non-state"),
}
GENERIC = {"REB": "rebels", "CVL": "civilians", "CRM": "gunmen", "PRM": "militiamen", "LAB": "workers"}
VERBS = {"ASSAULT": "attacked", "PROTEST": "protested against", "COERCE": "arrested", "ACCUSE": "accused"}
SYLLABLES = "ka ri mo sa de lu an ba ha li na ro mi ta zu el ya fa gu ne di so ra be".split()
ACCURACY_NOTE = "documents hold their mentions' sentences and a short result object"


# ---------------------------------------------------------------------------------------------- sinks


class Sink:
    """Bulk writes into one store: plain executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, url: str) -> None:
        from polemos.store import open_store

        self.url = url
        self.store = open_store(url)  # creates the schema (every migration)
        self.db = self.store.db
        self.dialect = self.db.dialect
        self.indexes: list[tuple[str, str]] = []

    def empty(self) -> bool:
        return not self.db.scalar("SELECT COUNT(*) FROM events")

    def begin_load(self) -> None:
        """Drop the secondary indexes (recreated by :meth:`end_load`), and foreign-key checks for the load."""
        if self.dialect == "sqlite":
            rows = self.db.all("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-400000"):
                self.db.execute(f"PRAGMA {pragma}")
            self.indexes = [(row["name"], row["sql"]) for row in rows]
        else:
            rows = self.db.all(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
            self.indexes = [(row["indexname"], row["indexdef"]) for row in rows]
            self.db.execute("SET session_replication_role = replica")  # no FK triggers while loading
        for name, _ in self.indexes:
            self.db.execute(f"DROP INDEX {name}")
        if self.dialect == "sqlite":
            self.db.execute("BEGIN")

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        if self.dialect == "sqlite":
            marks = ",".join("?" * len(columns))
            self.db.connection.executemany(
                f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})", rows
            )
        else:
            with self.db.connection.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({','.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)

    def commit_chunk(self) -> None:
        if self.dialect == "sqlite":
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")

    def end_load(self) -> float:
        """Recreate the indexes, fix the id sequences, ANALYZE; the seconds it took."""
        started = time.perf_counter()
        if self.dialect == "sqlite":
            self.db.execute("COMMIT")
        for _, sql in self.indexes:
            self.db.execute(sql)
        if self.dialect == "sqlite":
            self.db.execute("ANALYZE")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            for pragma in ("foreign_keys=ON", "synchronous=NORMAL"):
                self.db.execute(f"PRAGMA {pragma}")
        else:
            self.db.execute("SET session_replication_role = DEFAULT")
            for table in ("documents", "actors", "relations", "places", "events", "mentions", "claims"):
                self.db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            self.db.execute("VACUUM ANALYZE")
        return time.perf_counter() - started

    def size_mb(self) -> float:
        if self.dialect == "sqlite":
            path = Path(self.url.removeprefix("sqlite:///"))
            return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists()) / 2**20
        return self.db.scalar("SELECT pg_database_size(current_database())") / 2**20


# ---------------------------------------------------------------------------------------------- generator


class Zipf:
    """Draws from ``items`` with weights 1 / rank^s (the first item most often)."""

    def __init__(self, items: Sequence[Any], s: float = 1.0) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 1) ** s for rank in range(len(self.items))))

    def draw(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass
class Actor:
    id: int
    key: str
    name: str
    country: str | None
    sector: str | None
    type: str
    code: str | None
    aliases: list[str]


@dataclass
class Place:
    id: int
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    feature: str = "city"


@dataclass
class World:
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    country_places: dict[str, Zipf] = field(default_factory=dict)
    country_actors: dict[str, Zipf] = field(default_factory=dict)
    country_points: dict[str, Place] = field(default_factory=dict)
    speakers: dict[str, Zipf] = field(default_factory=dict)
    generic: list[Actor] = field(default_factory=list)
    foreign: Zipf | None = None


def build_world(rng: random.Random, n_actors: int, n_places: int) -> World:
    """Actors and places, with the skewed draws events are made of."""
    import sqlite3

    from polemos.actors.dictionary import ActorDictionary
    from polemos.geo.gazetteer import Gazetteer, default_index_path
    from polemos.store.records import fold

    world = World()
    seen: set[str] = set()

    def add_actor(key: str, name: str, country, sector, kind, code, aliases) -> Actor | None:
        if key in seen:
            return None
        seen.add(key)
        actor = Actor(len(world.actors) + 1, key, name, country, sector, kind, code, aliases)
        world.actors.append(actor)
        return actor

    dictionary = ActorDictionary.load()
    by_country: dict[str, list[Actor]] = {c: [] for c in COUNTRIES}
    for entry in dictionary.entries:
        actor = add_actor(
            f"code:{entry.code}",
            entry.name,
            entry.country,
            entry.sector,
            entry.type,
            entry.code,
            list(dict.fromkeys([entry.name, *entry.aliases])),
        )
        if actor and entry.country in by_country:
            by_country[entry.country].append(actor)
    for sector, name in GENERIC.items():
        world.generic.append(add_actor(f"code:{sector}", name, None, sector, "non-state", sector, [name]))
    for country in COUNTRIES:
        state = dictionary.get(country)
        adjective = state.adjectives[0] if state and state.adjectives else country
        for sector, (head, kind) in ORGANS.items():
            code = f"{country}-{sector}"
            name = f"{adjective} {head}"
            actor = add_actor(
                f"code:{code}", name, country, sector, kind, code, [name, f"{head} of {country}"]
            )
            if actor:
                by_country[country].append(actor)
    people_needed = max(0, n_actors - len(world.actors))
    countries = Zipf(COUNTRIES, 0.7)
    while people_needed > 0:
        country = countries.draw(rng)
        first = "".join(rng.choice(SYLLABLES) for _ in range(2)).title()
        last = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        sector = rng.choice(("GOV", "MIL", "REB", "OPP", None))
        name = f"{first} {last}"
        actor = add_actor(
            f"name:{fold(name)}|{country}|{sector or ''}", name, country, sector, "person", None, [name, last]
        )
        if actor:
            by_country[country].append(actor)
            people_needed -= 1
    # Within a country: the state and its forces first, then its groups, then people.
    order = {"state": 0, "non-state": 1, "igo": 2, "ngo": 2, "media": 2, "person": 3}
    for country, actors in by_country.items():
        actors.sort(key=lambda a: (order.get(a.type, 2), a.code != country, a.sector != "MIL", a.id))
        world.country_actors[country] = Zipf(actors, 1.1)
        world.speakers[country] = Zipf(
            [a for a in actors if a.type in ("state", "person") or a.sector in ("REB", "PRM")], 1.0
        )
    world.foreign = Zipf(
        [a for a in world.actors if a.code in ("USA", "RUS", "IS", "TUR", "IRN", "UN")]
        + [a for a in world.actors if a.type in ("state", "igo") and a.country not in by_country],
        1.2,
    )
    # Places: real towns of the gazetteer, most populous first, shared out by the countries' weights.
    Gazetteer.open()  # builds the index on first use
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(COUNTRIES))]
    with sqlite3.connect(default_index_path()) as gazetteer:
        for country, weight in zip(COUNTRIES, weights, strict=True):
            quota = max(150, round(n_places * weight / sum(weights)))
            rows = gazetteer.execute(
                "SELECT geonameid, name, lat, lon, admin1 FROM places WHERE country = ? AND lat IS NOT NULL "
                "ORDER BY population DESC LIMIT ?",
                (country, quota),
            ).fetchall()
            towns = []
            for geonameid, name, lat, lon, admin1 in rows:
                towns.append(Place(len(world.places) + 1, geonameid, name, lat, lon, country, admin1))
                world.places.append(towns[-1])
            world.country_places[country] = Zipf(towns, 0.9)
            mean_lat = statistics.fmean(t.lat for t in towns)
            mean_lon = statistics.fmean(t.lon for t in towns)
            state = dictionary.get(country)
            point = Place(
                len(world.places) + 1,
                0,
                state.name if state else country,
                mean_lat,
                mean_lon,
                country,
                None,
                "country",
            )
            world.places.append(point)
            world.country_points[country] = point
    return world


def world_rows(world: World, rng: random.Random) -> dict[str, tuple[list[str], list[tuple]]]:
    from polemos.store.records import fold

    actors = [
        (a.id, a.key, a.name, a.country, a.sector, a.type, a.code, int(a.code is not None), fold(a.name))
        for a in world.actors
    ]
    aliases = [
        (a.id, alias, fold(alias), rng.randint(1, 500))
        for a in world.actors
        for alias in dict.fromkeys(a.aliases)
    ]
    places = [
        (
            p.id,
            f"geonames:{p.geonameid}" if p.geonameid else f"name:{fold(p.name)}|{p.country}",
            p.name,
            p.geonameid or None,
            p.lat,
            p.lon,
            p.country,
            p.admin1,
            p.feature,
        )
        for p in world.places
    ]
    return {
        "actors": (
            ["id", "actor_key", "name", "country", "sector", "type", "code", "known", "name_folded"],
            actors,
        ),
        "actor_aliases": (["actor_id", "alias", "alias_folded", "count"], aliases),
        "places": (
            ["id", "place_key", "name", "geonameid", "lat", "lon", "country", "admin1", "feature"],
            places,
        ),
    }


EVENT_COLUMNS = (
    "id type mode context cameo acled_event_type acled_sub_event_type date_start date_end date_precision "
    "sort_date place_id location lat lon country admin1 location_precision fatalities injured mention_count "
    "document_count outlets claim_status contested sentence"
).split()
MENTION_COLUMNS = (
    "id document_id event_id local_id type mode context cameo acled_event_type acled_sub_event_type "
    "date_start "
    "date_end date_precision date_text place_id location lat lon country fatalities injured negated "
    "hypothetical future claim_status claim_speaker claim_cue claim_disputed_by sentence span_start span_end "
    "trigger_text trigger_start trigger_end salience coded_by confidence merge_reason"
).split()
DOCUMENT_COLUMNS = (
    "id content_hash doc_key url title outlet date language origin text result errors ingested_at"
).split()


class EventGenerator:
    """Events, mentions, claims and documents, CHUNK events at a time, in date order."""

    def __init__(self, world: World, rng: random.Random, total: int) -> None:
        self.world, self.rng, self.total = world, rng, total
        self.countries = Zipf(COUNTRIES, 1.0)
        self.types = list(TYPES)
        self.type_weights = list(itertools.accumulate(TYPES[t][0] for t in self.types))
        self.outlets = Zipf(OUTLETS, 0.9)
        self.next_mention = self.next_document = self.next_claim = self.next_relation = 1
        self.ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
        # More events in recent years: day = DAYS * u^0.8, sorted so that ids follow dates as in a real store.
        self.days = sorted(int(DAYS * rng.random() ** 0.8) for _ in range(total))

    def chunks(self) -> Iterable[dict[str, tuple[list[str], list[tuple]]]]:
        for start in range(0, self.total, CHUNK):
            yield self.chunk(start, min(self.total, start + CHUNK))

    def chunk(self, first: int, stop: int) -> dict[str, tuple[list[str], list[tuple]]]:
        rng, world = self.rng, self.world
        events, event_actors, mentions, mention_actors, claims, links, documents = [], [], [], [], [], [], []
        drafts = []
        for index in range(first, stop):
            drafts.append(self.draft(index + 1, FIRST_DAY + timedelta(days=self.days[index])))
        # Mentions go into documents of 1-6 mentions of events near in time (shuffled within the chunk).
        pending = [(draft, number) for draft in drafts for number in range(draft["reports"])]
        rng.shuffle(pending)
        mention_rows: dict[int, list[dict]] = {}
        taken = 0
        while taken < len(pending):
            batch = pending[taken : taken + rng.randint(1, 6)]
            taken += len(batch)
            document_id = self.next_document
            self.next_document += 1
            outlet = self.outlets.draw(rng)
            published = max(draft["published"] for draft, _ in batch) + timedelta(days=rng.randint(0, 2))
            sentences, offset = [], 0
            for local, (draft, number) in enumerate(batch, 1):
                sentence = draft["sentence"]
                mention = {
                    "draft": draft,
                    "number": number,
                    "document": document_id,
                    "outlet": outlet,
                    "local": f"e{local}",
                    "span": (offset, offset + len(sentence)),
                    "published": published,
                }
                sentences.append(sentence)
                offset += len(sentence) + 1
                mention_rows.setdefault(draft["id"], []).append(mention)
            text = " ".join(sentences) + f" ({outlet}, report {document_id})"
            key = f"bench-{document_id}"
            url = f"https://{outlet.lower().replace(' ', '')}.example/{published.isoformat()}/{document_id}"
            title = sentences[0][:90]
            result = {
                "id": key,
                "title": title,
                "url": url,
                "date": published.isoformat(),
                "site": outlet,
                "language": "en",
                "errors": [],
            }
            documents.append(
                (
                    document_id,
                    hashlib.sha256(text.encode()).hexdigest(),
                    key,
                    url,
                    title,
                    outlet,
                    published.isoformat(),
                    "en",
                    f"bench.jsonl:{document_id}",
                    text,
                    json.dumps(result, separators=(",", ":")),
                    "[]",
                    self.ingested_at,
                )
            )
        for draft in drafts:
            reports = sorted(mention_rows[draft["id"]], key=lambda m: m["document"])
            self.finish(draft, reports, events, event_actors, mentions, mention_actors, claims, links)
        relations = []
        for _ in range(max(1, (stop - first) // 50)):  # affiliations stated in documents
            country = self.countries.draw(rng)
            one, other = world.country_actors[country].draw(rng), world.country_actors[country].draw(rng)
            if one.id != other.id:
                relation = rng.choice(("backed_by", "allied_with", "part_of", "fighting"))
                document = rng.randrange(max(1, self.next_document - len(documents)), self.next_document)
                relations.append(
                    (
                        self.next_relation,
                        one.id,
                        relation,
                        other.id,
                        document,
                        None,
                        f"{one.name} is {relation.replace('_', ' ')} {other.name}.",
                        0,
                        10,
                        "text",
                    )
                )
                self.next_relation += 1
        return {
            "documents": (DOCUMENT_COLUMNS, documents),
            "events": (EVENT_COLUMNS, events),
            "mentions": (MENTION_COLUMNS, mentions),
            "mention_actors": (
                ["mention_id", "actor_id", "role", "text", "span_start", "span_end"],
                mention_actors,
            ),
            "event_actors": (["event_id", "actor_id", "role", "sort_date"], event_actors),
            "claims": (
                [
                    "id",
                    "mention_id",
                    "event_id",
                    "speaker_kind",
                    "speaker_actor_id",
                    "speaker_name",
                    "status",
                    "cue",
                    "sort_date",
                ],
                claims,
            ),
            "claim_links": (["event_id", "claim_id", "other_claim_id", "kind"], links),
            "relations": (
                [
                    "id",
                    "actor_id",
                    "relation",
                    "other_id",
                    "document_id",
                    "date",
                    "sentence",
                    "span_start",
                    "span_end",
                    "origin",
                ],
                relations,
            ),
        }

    def draft(self, event_id: int, day: date) -> dict[str, Any]:
        """What one event is: type, date, place, actors, how many reports, contested or not."""
        rng, world = self.rng, self.world
        kind = self.types[bisect.bisect(self.type_weights, rng.random() * self.type_weights[-1])]
        _, cameo, acled, modes = TYPES[kind]
        acled_type, acled_sub, _ = rng.choices(acled, [w for _, _, w in acled])[0]
        country = self.countries.draw(rng)
        roll = rng.random()
        place = (
            world.country_places[country].draw(rng)
            if roll < 0.88
            else world.country_points[country]
            if roll < 0.95
            else None
        )
        sources, targets = [], []
        for role, count in (
            ("source", rng.choice((1, 1, 1, 1, 2))),
            ("target", rng.choice((0, 0, 1, 1, 1, 2))),
        ):
            for _ in range(count):
                pick = rng.random()
                actor = (
                    world.country_actors[country].draw(rng)
                    if pick < 0.75
                    else rng.choice(world.generic)
                    if pick < 0.87
                    else world.foreign.draw(rng)
                )
                group = sources if role == "source" else targets
                if actor not in group:
                    group.append(actor)
        roll = rng.random()
        if roll < 0.80:
            precision, start, end = "day", day, day
        elif roll < 0.88:
            precision, start, end = "week", day, day + timedelta(days=6)
        elif roll < 0.92:
            precision, start = "month", day.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        else:
            precision, start, end = "unknown", None, day
        contested = rng.random() < 0.05
        reports = rng.choice((2, 3)) if contested else rng.choices((1, 2, 3), (60, 28, 12))[0]
        verb = VERBS.get(kind, kind.lower() + "ed")
        target = f" {targets[0].name}" if targets else ""
        where = f" in {place.name}" if place else ""
        sentence = f"{sources[0].name} {verb}{target}{where} on {day.strftime('%d %B %Y')}, officials said."
        fatalities = injured = None
        if kind == "ASSAULT":
            fatalities = int(rng.expovariate(0.15)) if rng.random() < 0.5 else None
            injured = int(rng.expovariate(0.1)) if rng.random() < 0.3 else None
        return {
            "id": event_id,
            "type": kind,
            "cameo": cameo,
            "acled": (acled_type, acled_sub),
            "mode": rng.choice(modes),
            "context": '["armed conflict"]' if kind == "ASSAULT" and rng.random() < 0.2 else "[]",
            "country": country,
            "place": place,
            "sources": sources,
            "targets": targets,
            "date": (precision, start, end),
            "published": end,
            "contested": contested,
            "reports": reports,
            "sentence": sentence,
            "verb": verb,
            "fatalities": fatalities,
            "injured": injured,
        }

    def finish(self, draft, reports, events, event_actors, mentions, mention_actors, claims, links) -> None:
        """The rows of one event and its reports, as the writer and ``refresh_event`` leave them."""
        rng = self.rng
        event_id = draft["id"]
        precision, start, end = draft["date"]
        start_text, end_text = start and start.isoformat(), end.isoformat()
        sort_day = start_text or end_text
        place: Place | None = draft["place"]
        location = None
        if place:
            location = json.dumps(
                {
                    "name": place.name,
                    "geonameid": place.geonameid or None,
                    "lat": place.lat,
                    "lon": place.lon,
                    "country": place.country,
                    "admin1": place.admin1,
                    "precision": "country" if place.feature == "country" else "city",
                    "relation": None,
                    "place": "p1",
                    "basis": "sentence",
                },
                ensure_ascii=False,
            )
        denied = rng.randrange(len(reports)) if draft["contested"] else None
        statuses, claim_ids = [], []
        acled_type, acled_sub = draft["acled"]
        for number, report in enumerate(reports):
            mention_id = self.next_mention
            self.next_mention += 1
            status = "denied" if number == denied else "alleged" if rng.random() < 0.25 else "asserted"
            statuses.append(status)
            if status == "denied" or rng.random() < 0.45:
                speaker_actor = (
                    draft["sources"][0]
                    if status == "denied"
                    else self.world.speakers[draft["country"]].draw(rng)
                )
                speaker = {
                    "kind": "actor",
                    "id": "a1",
                    "name": speaker_actor.name,
                    "country": speaker_actor.country,
                    "sector": speaker_actor.sector,
                }
                claim_row = ("actor", speaker_actor.id, speaker_actor.name)
            else:
                speaker = {"kind": "outlet", "name": report["outlet"]}
                claim_row = ("outlet", None, report["outlet"])
            cue = "denied" if status == "denied" else "said" if claim_row[0] == "actor" else None
            span = report["span"]
            if number == 0:
                reason = {"merged": False, "event": event_id, "why": "no earlier event within the dates"}
            else:
                shared = sorted(f"actor:{a.id}" for a in draft["sources"][:1])
                reason = {
                    "merged": True,
                    "event": event_id,
                    "type": draft["type"],
                    "shared_actors": shared,
                    "roles": ["source"],
                    "distance_km": 0.0 if place else None,
                    "days_apart": 0,
                }
            verb_at = span[0] + len(draft["sources"][0].name) + 1
            mentions.append(
                (
                    mention_id,
                    report["document"],
                    event_id,
                    report["local"],
                    draft["type"],
                    draft["mode"],
                    draft["context"],
                    draft["cameo"],
                    acled_type,
                    acled_sub,
                    start_text,
                    end_text,
                    precision,
                    None if precision == "unknown" else start_text,
                    place.id if place else None,
                    location,
                    place.lat if place else None,
                    place.lon if place else None,
                    place.country if place else None,
                    draft["fatalities"],
                    draft["injured"],
                    0,
                    0,
                    0,
                    status,
                    json.dumps(speaker, ensure_ascii=False),
                    cue,
                    "[]",
                    draft["sentence"],
                    span[0],
                    span[1],
                    draft["verb"].split()[0],
                    verb_at,
                    verb_at + len(draft["verb"].split()[0]),
                    round(rng.uniform(1, 6), 4),
                    "lexicon",
                    None,
                    json.dumps(reason),
                )
            )
            position = span[0]
            for role, group in (("source", draft["sources"]), ("target", draft["targets"])):
                for actor in group:
                    mention_actors.append(
                        (mention_id, actor.id, role, actor.name, position, position + len(actor.name))
                    )
            claim_id = self.next_claim
            self.next_claim += 1
            claim_ids.append(claim_id)
            claims.append((claim_id, mention_id, event_id, *claim_row, status, cue, sort_day))
        if denied is not None:
            links.extend(
                (event_id, claim_ids[denied], other, "denies")
                for i, other in enumerate(claim_ids)
                if i != denied
            )
        status = "asserted" if "asserted" in statuses else "alleged" if "alleged" in statuses else "denied"
        events.append(
            (
                event_id,
                draft["type"],
                draft["mode"],
                draft["context"],
                draft["cameo"],
                acled_type,
                acled_sub,
                start_text,
                end_text,
                precision,
                sort_day,
                place.id if place else None,
                place.name if place else None,
                place.lat if place else None,
                place.lon if place else None,
                place.country if place else None,
                place.admin1 if place else None,
                ("country" if place.feature == "country" else "city") if place else None,
                draft["fatalities"],
                draft["injured"],
                len(reports),
                len({r["document"] for r in reports}),
                json.dumps(sorted({r["outlet"] for r in reports}), ensure_ascii=False),
                status,
                int(denied is not None),
                draft["sentence"],
            )
        )
        for role, group in (("source", draft["sources"]), ("target", draft["targets"])):
            for actor in group:
                event_actors.append((event_id, actor.id, role, sort_day))


def generate(sinks: list[Sink], events: int, seed: int, actors: int, places: int) -> dict[str, Any]:
    rng = random.Random(seed)
    started = time.perf_counter()
    world = build_world(rng, actors, places)
    for sink in sinks:
        sink.begin_load()
    counts: Counter[str] = Counter()
    for table, (columns, rows) in world_rows(world, rng).items():
        counts[table] += len(rows)
        for sink in sinks:
            sink.write(table, columns, rows)
    generator = EventGenerator(world, rng, events)
    order = [
        "documents",
        "events",
        "mentions",
        "mention_actors",
        "event_actors",
        "claims",
        "claim_links",
        "relations",
    ]
    written = 0
    for chunk in generator.chunks():
        for table in order:
            columns, rows = chunk[table]
            counts[table] += len(rows)
            for sink in sinks:
                sink.write(table, columns, rows)
        for sink in sinks:
            sink.commit_chunk()
        written += len(chunk["events"][1])
        elapsed = time.perf_counter() - started
        print(f"\r  {written:,} events, {elapsed:.0f} s", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    load_s = time.perf_counter() - started
    index_s = {sink.url: sink.end_load() for sink in sinks}
    return {"generate_and_load_s": load_s, "index_and_analyze_s": index_s, "rows": dict(counts)}


# ---------------------------------------------------------------------------------------------- queries


@dataclass
class Pools:
    """Values the queries draw from, read from the store (untimed)."""

    popular: list[str]
    rare: list[str]
    speakers: list[str]
    countries: list[str]
    places: list[tuple[float, float, str]]
    busy_places: list[tuple[float, float, str]]
    names: list[str]
    max_event: int
    first_day: date
    last_day: date


def read_pools(db, rng: random.Random) -> Pools:
    counts = db.all(
        "SELECT a.id, a.code, a.name, COUNT(*) AS n FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        "GROUP BY a.id, a.code, a.name ORDER BY n DESC"
    )
    label = [(row["code"] or row["name"]) for row in counts]
    rare = [row["code"] or row["name"] for row in counts if 1 <= row["n"] <= 50] or label[-20:]
    speakers = db.all(
        "SELECT a.code, a.name, COUNT(*) AS n FROM claims c JOIN actors a ON a.id = c.speaker_actor_id "
        "GROUP BY a.code, a.name ORDER BY n DESC LIMIT 200"
    )
    places = db.all("SELECT lat, lon, country FROM places WHERE lat IS NOT NULL")
    busy = db.all(
        "SELECT p.lat, p.lon, p.country FROM events e JOIN places p ON p.id = e.place_id "
        "WHERE e.id > ? GROUP BY p.lat, p.lon, p.country ORDER BY COUNT(*) DESC LIMIT 50",
        (int(db.scalar("SELECT MAX(id) FROM events")) - 50_000,),
    )
    names = [row["name"] for row in db.all("SELECT name FROM actors ORDER BY id")]
    first, last = db.one("SELECT MIN(sort_date) AS first, MAX(sort_date) AS last FROM events").values()
    return Pools(
        popular=label[:20],
        rare=rng.sample(rare, min(200, len(rare))),
        speakers=[row["code"] or row["name"] for row in speakers],
        countries=sorted({row["country"] for row in places}),
        places=[(row["lat"], row["lon"], row["country"]) for row in places],
        busy_places=[(row["lat"], row["lon"], row["country"]) for row in busy],
        names=names,
        max_event=int(db.scalar("SELECT MAX(id) FROM events")),
        first_day=date.fromisoformat(first),
        last_day=date.fromisoformat(last),
    )


def query_kinds(pools: Pools) -> dict[str, Callable[[Any, random.Random], Any]]:
    """Each kind: a call through the query API with values drawn at random."""
    from polemos.store.query import EventFilter, event_details, find_events, list_actors

    plover = list(TYPES)
    acled = sorted({name for _, _, subs, _ in TYPES.values() for a, s, _ in subs for name in (a, s) if name})
    span_days = (pools.last_day - pools.first_day).days

    def day(rng: random.Random, back: int = 0) -> str:
        return (pools.first_day + timedelta(days=rng.randrange(max(1, span_days - back)))).isoformat()

    def window(rng: random.Random) -> tuple[str, str]:
        length = rng.choice((7, 30, 90, 365))
        start = pools.first_day + timedelta(days=rng.randrange(span_days - length))
        return start.isoformat(), (start + timedelta(days=length)).isoformat()

    def near(rng: random.Random) -> tuple[float, float, str]:
        return rng.choice(pools.busy_places if rng.random() < 0.5 else pools.places)

    def events(**filters: Any) -> list:
        return find_events(db_holder[0], EventFilter(**filters))

    db_holder: list[Any] = [None]
    kinds: dict[str, Callable[[random.Random], Any]] = {
        "no filter": lambda r: events(),
        "actor (popular)": lambda r: events(actor=r.choice(pools.popular)),
        "actor (rare)": lambda r: events(actor=r.choice(pools.rare)),
        "actor = ISO3 country": lambda r: events(actor=r.choice(COUNTRIES)),
        "type (PLOVER)": lambda r: events(type=r.choice(plover)),
        "type (ACLED)": lambda r: events(type=r.choice(acled)),
        "country": lambda r: events(country=r.choice(pools.countries)),
        "near (50 km)": lambda r: events(near=near(r)[:2], km=50.0),
        "since/until": lambda r: events(since=(w := window(r))[0], until=w[1]),
        "claimed-by": lambda r: events(claimed_by=r.choice(pools.speakers)),
        "contested": lambda r: events(contested=True),
        "actor+type+since": lambda r: events(
            actor=r.choice(pools.popular), type=r.choice(plover[:4]), since=day(r, 365)
        ),
        "country+near": lambda r: events(country=(p := near(r))[2], near=p[:2]),
        "type+country+since/until": lambda r: events(
            type=r.choice(plover[:4]), country=r.choice(COUNTRIES), since=(w := window(r))[0], until=w[1]
        ),
        "claimed-by+contested": lambda r: events(claimed_by=r.choice(pools.speakers), contested=True),
        "show (event_details)": lambda r: event_details(db_holder[0], r.randint(1, pools.max_event)),
        "actors (list_actors)": lambda r: list_actors(db_holder[0]),
        "actors --country": lambda r: list_actors(db_holder[0], country=r.choice(COUNTRIES)),
        "actors NAME": lambda r: list_actors(db_holder[0], name=r.choice(pools.names).split()[0]),
    }
    return {
        name: (lambda db, rng, call=call: (db_holder.__setitem__(0, db), call(rng))[1])
        for name, call in kinds.items()
    }


def time_queries(db, repeat: int, seed: int, only: set[str] | None) -> dict[str, dict[str, Any]]:
    rng = random.Random(seed)
    pools = read_pools(db, rng)
    kinds = {k: v for k, v in query_kinds(pools).items() if not only or k in only}
    samples: dict[str, list[float]] = {kind: [] for kind in kinds}
    sizes: dict[str, list[int]] = {kind: [] for kind in kinds}
    for call in kinds.values():  # warm-up: caches, prepared plans; untimed
        call(db, rng)
    for _ in range(repeat):
        for kind, call in kinds.items():
            started = time.perf_counter()
            result = call(db, rng)
            samples[kind].append((time.perf_counter() - started) * 1000)
            sizes[kind].append(len(result) if isinstance(result, list) else int(result is not None))
    return {kind: {"ms": samples[kind], "rows": statistics.fmean(sizes[kind])} for kind in kinds}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def summary(ms: list[float]) -> dict[str, float]:
    return {"p50": percentile(ms, 0.50), "p95": percentile(ms, 0.95), "max": max(ms)}


def markdown(results: dict[str, dict[str, dict[str, Any]]]) -> str:
    names = list(results)
    kinds = list(next(iter(results.values())))
    head = "| query | rows |" + "".join(f" {n} p50 | p95 | max |" for n in names)
    lines = [head, "|---|---:|" + "---:|---:|---:|" * len(names)]
    for kind in kinds + ["overall"]:
        if kind == "overall":
            cells = ["**overall**", ""]
        else:
            cells = [kind, f"{next(iter(results.values()))[kind]['rows']:.0f}"]
        for name in names:
            if kind == "overall":
                ms = [v for entry in results[name].values() for v in entry["ms"]]
            else:
                ms = results[name][kind]["ms"]
            figures = summary(ms)
            mark = " ⚠" if figures["p95"] > TARGET_P95_MS else ""
            cells += [f"{figures['p50']:.1f}", f"{figures['p95']:.1f}{mark}", f"{figures['max']:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def label(url: str) -> str:
    return "SQLite" if not url.startswith("postgres") else "PostgreSQL"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", action="append", required=True, help="store URL (repeat for several)")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--places", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=50, help="calls per query kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="query the stores as they are (no generation)")
    parser.add_argument("--only", help="comma-separated query kinds to time")
    args = parser.parse_args()

    sinks = [Sink(url) for url in args.db]
    facts: dict[str, Any] = {"events": args.events, "note": ACCURACY_NOTE}
    if not args.reuse:
        full = [sink.url for sink in sinks if not sink.empty()]
        if full:
            raise SystemExit(f"{', '.join(full)} already hold events: use a fresh store, or --reuse")
        print(f"generating {args.events:,} events into {', '.join(label(s.url) for s in sinks)} ...")
        facts |= generate(sinks, args.events, args.seed, args.actors, args.places)
        print(
            f"  generated and loaded in {facts['generate_and_load_s']:.0f} s; indexes and ANALYZE: "
            + ", ".join(f"{label(u)} {s:.0f} s" for u, s in facts["index_and_analyze_s"].items())
        )
    facts["stores"] = {}
    for sink in sinks:
        facts["stores"][sink.url] = {
            "size_mb": sink.size_mb(),
            "events": sink.db.scalar("SELECT COUNT(*) FROM events"),
            "mentions": sink.db.scalar("SELECT COUNT(*) FROM mentions"),
            "documents": sink.db.scalar("SELECT COUNT(*) FROM documents"),
            "schema_version": sink.db.schema_version(),
        }
        print(f"  {label(sink.url)}: {facts['stores'][sink.url]}")
    results: dict[str, dict[str, dict[str, Any]]] = {}
    only = set(args.only.split(",")) if args.only else None
    for sink in sinks:
        print(f"timing queries on {label(sink.url)} ({args.repeat} calls per kind) ...", flush=True)
        results[label(sink.url)] = time_queries(sink.db, args.repeat, args.seed, only)
        print(markdown({label(sink.url): results[label(sink.url)]}), flush=True)
    table = markdown(results)
    print("\n" + table)
    facts |= {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()}
    facts["git"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"bench_store_query_{stamp}.json").write_text(
        json.dumps({"facts": facts, "results": results}, indent=1, default=str)
    )
    (RESULTS_DIR / f"bench_store_query_{stamp}.md").write_text(
        f"{table}\n\n{json.dumps(facts, indent=1, default=str)}\n"
    )
    print(f"\nresults: benchmarks/results/bench_store_query_{stamp}.json, .md")


def _cpus() -> int | None:
    import os

    return os.cpu_count()


if __name__ == "__main__":
    main()
