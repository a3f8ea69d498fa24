"""Exports of the event store (CSV, Parquet, PLOVER JSONL, GeoJSON, GraphML) and its actor network, read back
by each format's standard reader, on a store filled from articles coded by ``polemos.extract``."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from pathlib import Path

import networkx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import polemos
from polemos.store import open_store
from polemos.store.export import COLUMNS, export, interaction
from polemos.store.network import actor_network

# (url, publication date, text): one shelling reported by three outlets, one of which carries the government's
# denial; a US-backed group in two battles on two dates; a protest and a UN request; an air strike placed
# relative to a city; an attack by a communal militia.
ARTICLES = [
    (
        "https://www.reuters.com/world/shelling-1",
        "2024-03-05",
        "Syrian government forces shelled the town of Saraqeb on Monday, killing four civilians, "
        "the Syrian Observatory for Human Rights said.",
    ),
    (
        "https://apnews.com/article/shelling-2",
        "2024-03-05",
        "Syrian troops shelled Saraqeb on Monday, killing six civilians, activists said.",
    ),
    (
        "https://www.aljazeera.com/news/shelling-3",
        "2024-03-06",
        "Syrian government forces shelled Saraqeb on Monday, killing five civilians. "
        "The Syrian government denied shelling the town.",
    ),
    (
        "https://www.reuters.com/world/sdf-1",
        "2024-03-07",
        "The US-backed Syrian Democratic Forces attacked Islamic State fighters in Deir ez-Zor on Wednesday.",
    ),
    (
        "https://www.bbc.com/news/sudan-1",
        "2024-03-08",
        "Hundreds of protesters rallied in Khartoum on Thursday against the military government. "
        "The United Nations urged Sudan's army to release detained activists.",
    ),
    (
        "https://www.france24.com/en/aleppo-1",
        "2024-04-10",
        "Russian warplanes bombed a market 10 km south of Aleppo on Tuesday, killing three people.",
    ),
    (
        "https://www.premiumtimesng.com/news/benue-1",
        "2024-03-09",
        "Fulani militias attacked farmers in Benue State on Friday, killing 12 people.",
    ),
    (
        "https://www.reuters.com/world/sdf-2",
        "2024-05-03",
        "The US-backed Syrian Democratic Forces attacked Islamic State fighters in Raqqa on Thursday.",
    ),
]
ACLED_ORDER = [
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
]
SHELLING_OUTLETS = ["aljazeera.com", "apnews.com", "reuters.com"]


@pytest.fixture(scope="module")
def coded() -> list[tuple[dict, str]]:
    return [(polemos.extract(text, date=day, url=url), text) for url, day, text in ARTICLES]


@pytest.fixture
def store_url(db_url: str) -> str:
    """The store's database: a fresh SQLite file, then a fresh PostgreSQL database."""
    return db_url


@pytest.fixture
def store(store_url: str, coded: list[tuple[dict, str]]) -> Iterator:
    with open_store(store_url) as opened:
        for result, text in coded:
            opened.add(result, text)
        yield opened


def _events(store) -> dict[int, dict]:
    return {row["id"]: row for row in store.db.all("SELECT * FROM events ORDER BY id")}


def _one(rows: list[dict], **where) -> dict:
    found = [row for row in rows if all(row[key] == value for key, value in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


def _csv_rows(store, **options) -> tuple[list[str], list[dict]]:
    buffer = io.StringIO()
    written = export(store, "csv", buffer, **options)
    reader = csv.DictReader(io.StringIO(buffer.getvalue()))
    rows = list(reader)
    assert written == len(rows)
    return list(reader.fieldnames or []), rows


# ---------------------------------------------------------------------------------------------- CSV


def test_csv_has_acleds_columns_in_order_then_ours(store) -> None:
    fieldnames, rows = _csv_rows(store)
    assert fieldnames[: len(ACLED_ORDER)] == ACLED_ORDER
    assert fieldnames[len(ACLED_ORDER) :] == [
        "plover_type",
        "plover_mode",
        "cameo",
        "claim_speaker",
        "claim_status",
        "contested",
        "mention_count",
        "document_count",
        "polemos_event_id",
    ]
    assert len(rows) == len(_events(store))
    assert [int(row["polemos_event_id"]) for row in rows] == sorted(_events(store))


def test_csv_codes_the_shelling_reported_three_times_as_acled_does(store) -> None:
    _, rows = _csv_rows(store)
    shelling = _one(rows, plover_type="ASSAULT", location="Saraqib")
    event_id = int(shelling["polemos_event_id"])
    assert shelling["event_id_cnty"] == f"SYR{event_id}"
    assert (shelling["event_date"], shelling["year"], shelling["time_precision"]) == (
        "2024-03-04",
        "2024",
        "1",
    )
    assert (shelling["event_type"], shelling["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )
    assert (shelling["actor1"], shelling["inter1"]) == ("Syrian Arab Army", "1")
    assert (shelling["actor2"], shelling["inter2"], shelling["interaction"]) == ("civilians", "7", "17")
    assert (shelling["iso"], shelling["country"]) == ("760", "Syria")
    assert (float(shelling["latitude"]), float(shelling["longitude"])) == (35.86447, 36.80591)
    assert shelling["geo_precision"] == "1"
    assert shelling["source"] == "; ".join(SHELLING_OUTLETS)
    assert shelling["fatalities"] == "4"  # the most conservative of 4, 6 and 5
    assert shelling["notes"].startswith("Syrian")
    assert shelling["contested"] == "true"  # the government's denial
    assert (shelling["document_count"], shelling["plover_mode"]) == ("3", "heavy-weapons")
    assert int(shelling["mention_count"]) >= 3


def test_csv_inter_codes_follow_the_actors_kind_and_part(store) -> None:
    _, rows = _csv_rows(store)
    battles = [row for row in rows if row["actor1"] == "Syrian Democratic Forces"]
    assert len(battles) == 2
    for battle in battles:
        assert (battle["actor2"], battle["inter1"], battle["inter2"], battle["interaction"]) == (
            "Islamic State",
            "2",
            "2",
            "22",
        )
    protest = _one(rows, plover_type="PROTEST")
    assert (protest["actor1"], protest["inter1"], protest["event_type"]) == ("protesters", "6", "Protests")
    assert (protest["location"], protest["country"], protest["iso"]) == ("Khartoum", "Sudan", "729")
    militia = _one(rows, actor1="Fulani militias")
    assert (militia["inter1"], militia["inter2"], militia["interaction"]) == ("4", "7", "47")
    assert (militia["country"], militia["geo_precision"], militia["fatalities"]) == ("Nigeria", "3", "12")
    strike = _one(rows, location="Aleppo")
    assert (strike["geo_precision"], strike["event_date"]) == ("2", "2024-04-09")  # "10 km south of Aleppo"


def test_csv_keeps_events_acled_does_not_code_unless_asked(store) -> None:
    _, rows = _csv_rows(store)
    request = _one(rows, plover_type="REQUEST")
    assert (request["event_type"], request["sub_event_type"]) == ("", "")
    assert (request["actor1"], request["inter1"]) == ("United Nations", "8")
    _, acled = _csv_rows(store, acled_only=True)
    coded = [row for row in _events(store).values() if row["acled_event_type"]]
    assert len(acled) == len(coded) < len(rows)
    assert all(row["event_type"] for row in acled)


def test_event_selection_by_dates_ids_and_sql_condition(store) -> None:
    _, spring = _csv_rows(store, since="2024-04-01")
    assert sorted(row["event_date"] for row in spring) == ["2024-04-09", "2024-05-02"]
    _, march = _csv_rows(store, until="2024-03-31")
    assert len(march) + len(spring) == len(_events(store)) - _undated(store)
    some = sorted(_events(store))[1::2]
    _, chosen = _csv_rows(store, event_ids=reversed(some))
    assert [int(row["polemos_event_id"]) for row in chosen] == some
    _, sudan = _csv_rows(store, where="e.country = ?", params=["SDN"])
    assert {row["country"] for row in sudan} == {"Sudan"} and len(sudan) == 2


def _undated(store) -> int:
    return sum(row["sort_date"] is None for row in _events(store).values())


def test_small_batches_give_the_same_export(store) -> None:
    whole, batched = io.StringIO(), io.StringIO()
    assert export(store, "csv", whole) == export(store, "csv", batched, batch_size=2)
    assert whole.getvalue() == batched.getvalue()
    some = sorted(_events(store))[:5]
    _, chosen = _csv_rows(store, event_ids=some, batch_size=2)
    assert [int(row["polemos_event_id"]) for row in chosen] == some


def test_binary_stream_path_and_text_stream_hold_the_same_text(store, tmp_path: Path) -> None:
    text, binary, path = io.StringIO(), io.BytesIO(), tmp_path / "events.jsonl"
    assert export(store, "jsonl", text) == export(store, "jsonl", binary) == export(store, "jsonl", path)
    assert text.getvalue() == binary.getvalue().decode("utf-8") == path.read_text(encoding="utf-8")
    assert not binary.closed


# ---------------------------------------------------------------------------------------------- Parquet


def test_parquet_is_typed_and_holds_the_csv_values(store, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    written = export(store, "parquet", path, batch_size=3)
    table = pq.read_table(path)
    assert table.column_names == list(COLUMNS) and table.num_rows == written == len(_events(store))
    assert pq.ParquetFile(path).metadata.num_row_groups == math.ceil(written / 3)
    types = {field.name: field.type for field in table.schema}
    assert types["event_date"] == pa.date32()
    assert types["inter1"] == types["interaction"] == types["fatalities"] == pa.int32()
    assert types["latitude"] == types["longitude"] == pa.float64()
    assert types["contested"] == pa.bool_() and types["polemos_event_id"] == pa.int64()
    assert types["actor1"] == pa.string()
    _, csv_rows = _csv_rows(store)
    for record, row in zip(table.to_pylist(), csv_rows, strict=True):
        assert record["event_id_cnty"] == row["event_id_cnty"]
        assert (record["event_date"].isoformat() if record["event_date"] else "") == row["event_date"]
        assert str(record["inter1"]) == row["inter1"] and str(record["interaction"]) == row["interaction"]
        assert record["contested"] == (row["contested"] == "true")
        assert record["latitude"] == (float(row["latitude"]) if row["latitude"] else None)
        assert record["fatalities"] == int(row["fatalities"])
    shelling = _one(table.to_pylist(), location="Saraqib", plover_type="ASSAULT")
    assert (shelling["iso"], shelling["document_count"], shelling["contested"]) == (760, 3, True)


def test_parquet_needs_bytes(store) -> None:
    with pytest.raises(ValueError, match="binary"):
        export(store, "parquet", io.StringIO())


# ---------------------------------------------------------------------------------------------- JSONL


def test_jsonl_holds_one_plover_record_per_event(store) -> None:
    buffer = io.StringIO()
    written = export(store, "jsonl", buffer)
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert written == len(records) == len(_events(store))
    for record in records:
        assert {"id", "date", "actor", "recipient", "event", "mode", "context", "event_text"} <= set(record)
        assert record["id"] == f"polemos-{record['polemos']['event_id']}"
    shelling = _one(records, event=["ASSAULT"], date="2024-03-04")
    assert shelling["mode"] == ["heavy-weapons"] and shelling["quad_code"] == 4
    army = shelling["actor"][0]
    assert (army["code"], army["sector"], army["identifier_text"], army["identifier_id"]) == (
        "SYR",
        "MIL",
        "Syrian Arab Army",
        "SYR-MIL",
    )
    assert shelling["recipient"][0]["identifier_text"] == "civilians"
    location = shelling["event_loc"]
    assert (location["resolved_place"], location["country"], location["country_code"]) == (
        "Saraqib",
        "Syria",
        "SYR",
    )
    assert (location["lat"], location["lon"], location["resolution"]) == (35.86447, 36.80591, 4)
    assert shelling["size"]["dead"] == 4
    assert sorted(cite["publication"] for cite in shelling["cite_info"]) == SHELLING_OUTLETS
    extra = shelling["polemos"]
    assert (
        extra["contested"] is True and extra["outlets"] == SHELLING_OUTLETS and extra["document_count"] == 3
    )
    assert extra["acled_sub_event_type"] == "Shelling/artillery/missile attack"
    assert "denied" in {claim["status"] for claim in extra["claims"]}
    assert {link["kind"] for link in extra["claim_links"]} == {"denies"}
    claims = {claim["id"] for claim in extra["claims"]}
    assert all({link["claim_id"], link["other_claim_id"]} <= claims for link in extra["claim_links"])
    request = _one(records, event=["REQUEST"])
    assert request["actor"][0]["code"] == "IGO" and request["quad_code"] == 3  # verbal conflict


# ---------------------------------------------------------------------------------------------- GeoJSON


def test_geojson_holds_a_point_per_located_event(store, tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    written = export(store, "geojson", path)
    collection = json.loads(path.read_text(encoding="utf-8"))
    events = _events(store)
    located = {event_id for event_id, row in events.items() if row["lat"] is not None}
    assert collection["type"] == "FeatureCollection"
    assert written == len(collection["features"]) == len(located) < len(events)
    for feature in collection["features"]:
        row = events[feature["id"]]
        assert feature["geometry"] == {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        assert feature["properties"]["mention_count"] == row["mention_count"]
    shelling = _one([f["properties"] | f["geometry"] for f in collection["features"]], location="Saraqib")
    assert shelling["coordinates"] == [36.80591, 35.86447]  # lon, lat
    assert shelling["sources"][0] == "Syrian Arab Army" and shelling["contested"] is True
    assert shelling["acled_event_type"] == "Explosions/Remote violence" and shelling["fatalities"] == 4


# ---------------------------------------------------------------------------------------------- network


def _actor_id(store, name: str) -> int:
    return int(store.db.scalar("SELECT id FROM actors WHERE name = ?", (name,)))


def test_network_counts_events_and_documents_as_weights(store) -> None:
    network = actor_network(store.db)
    sdf, isis, usa = (
        _actor_id(store, name) for name in ("Syrian Democratic Forces", "Islamic State", "United States")
    )
    edges = {(edge.source, edge.target, edge.kind): edge for edge in network.edges}
    attacks = edges[(sdf, isis, "attacks")]
    battles = [
        row["event_id"]
        for row in store.db.all(
            "SELECT event_id FROM event_actors WHERE actor_id = ? AND role = 'source'", (sdf,)
        )
    ]
    assert (attacks.weight, attacks.first_date, attacks.last_date) == (2, "2024-03-06", "2024-05-02")
    assert attacks.event_ids == tuple(sorted(battles)) and attacks.origin == "event"
    backs = edges[(usa, sdf, "backs")]  # "US-backed SDF", stated by two documents
    assert (backs.weight, backs.first_date, backs.last_date, len(backs.document_ids)) == (
        2,
        "2024-03-07",
        "2024-05-03",
        2,
    )
    assert (sdf, usa, "backs") not in edges
    assert all(edge.source != edge.target for edge in network.edges)
    nodes = {node.id: node for node in network.nodes}
    assert {edge.source for edge in network.edges} | {edge.target for edge in network.edges} == set(nodes)
    assert (nodes[sdf].name, nodes[sdf].code, nodes[sdf].event_count) == (
        "Syrian Democratic Forces",
        "SDF",
        2,
    )
    assert nodes[usa].event_count == 0


def test_network_filters_by_dates_and_kinds(store) -> None:
    spring = actor_network(store.db, since="2024-04-01")
    assert spring.edges and all(edge.first_date >= "2024-04-01" for edge in spring.edges)
    sdf = _actor_id(store, "Syrian Democratic Forces")
    attacks = next(edge for edge in spring.edges if edge.source == sdf and edge.kind == "attacks")
    assert (attacks.weight, attacks.first_date) == (1, "2024-05-02")
    march = actor_network(store.db, until="2024-03-31", kinds={"backs"})
    assert [(edge.kind, edge.weight, edge.last_date) for edge in march.edges] == [("backs", 1, "2024-03-07")]
    with pytest.raises(ValueError, match="unknown edge kinds"):
        actor_network(store.db, kinds={"befriends"})


def test_graphml_reads_back_with_kinds_and_weights(store, tmp_path: Path) -> None:
    path = tmp_path / "actors.graphml"
    written = export(store, "graphml", path)
    graph = networkx.read_graphml(path, force_multigraph=True)
    assert isinstance(graph, networkx.MultiDiGraph)
    assert written == graph.number_of_edges() == len(actor_network(store.db).edges)
    names = {data["name"]: node for node, data in graph.nodes(data=True)}
    usa, sdf = names["United States"], names["Syrian Democratic Forces"]
    backs = [data for _, target, data in graph.out_edges(usa, data=True) if target == sdf]
    assert [(data["kind"], data["weight"]) for data in backs] == [("backs", 2)]
    assert graph.nodes[sdf]["country"] == "SYR" and graph.nodes[sdf]["sector"] == "REB"
    assert graph.nodes[usa]["type"] == "state" and graph.nodes[sdf]["label"] == "Syrian Democratic Forces"
    army = names["Syrian Arab Army"]
    kinds = {data["kind"] for _, _, data in graph.out_edges(army, data=True)}
    assert kinds == {"attacks"}
    text = io.StringIO()
    assert export(store, "graphml", text) == written
    assert networkx.read_graphml(io.BytesIO(text.getvalue().encode("utf-8"))).number_of_nodes() == len(names)


# ---------------------------------------------------------------------------------------------- conventions


@pytest.mark.parametrize(
    ("inter1", "inter2", "expected"),
    [(1, 2, 12), (2, 1, 12), (7, 1, 17), (6, 0, 60), (0, 7, 70), (3, 3, 33), (0, 0, 0)],
)
def test_interaction_joins_the_codes_smaller_first(inter1: int, inter2: int, expected: int) -> None:
    assert interaction(inter1, inter2) == expected


BATTLE = {"type": "ASSAULT", "acled_event_type": "Battles", "acled_sub_event_type": "Armed clash"}
RIOT = {"type": "PROTEST", "acled_event_type": "Riots", "acled_sub_event_type": "Violent demonstration"}
ONE_SIDED = {
    "type": "ASSAULT",
    "acled_event_type": "Violence against civilians",
    "acled_sub_event_type": "Attack",
}


def _actor(code: str | None, sector: str | None, type_: str, name: str = "someone") -> dict:
    return {"code": code, "sector": sector, "type": type_, "name": name}


@pytest.mark.parametrize(
    ("actor", "role", "event", "expected"),
    [
        (_actor("WAGNER", "PRM", "non-state", "Wagner Group"), "source", BATTLE, 8),  # a PMC
        (_actor("RUS-MIL", "MIL", "state"), "source", BATTLE, 1),  # foreign forces are state forces
        (_actor("UNMISS", "IGO", "igo"), "target", BATTLE, 8),
        (_actor("COALITION-OIR", "MIL", "igo"), "source", BATTLE, 8),
        (_actor("PRM-SHIA", "PRM", "non-state", "Shiite militias"), "source", BATTLE, 4),
        (_actor(None, "PRM", "non-state", "Hawiye clan militia"), "source", BATTLE, 4),
        (_actor("PRM", "PRM", "non-state", "militias"), "source", BATTLE, 3),
        (_actor("UAF", "UAF", "non-state", "gunmen"), "source", ONE_SIDED, 3),
        (_actor("CVL", "CVL", "non-state", "protesters"), "source", RIOT, 5),
        (_actor("CVL", "CVL", "non-state", "shopkeepers"), "target", RIOT, 7),
        (_actor("COP", "COP", "state", "police"), "source", RIOT, 1),
        (_actor(None, None, "other", "the family"), "target", ONE_SIDED, 7),
        (_actor(None, None, "other", "the family"), "source", ONE_SIDED, 0),
        (_actor("SOHR", "NGO", "ngo"), "target", ONE_SIDED, 7),
    ],
)
def test_inter_code_of_an_actor_in_an_event(actor: dict, role: str, event: dict, expected: int) -> None:
    from polemos.store.export import _conventions

    assert _conventions().inter(actor, role, event) == expected


@pytest.mark.parametrize(
    ("precision", "start", "end", "expected"),
    [
        ("day", "2024-03-04", "2024-03-04", 1),
        ("week", "2024-03-04", "2024-03-10", 2),
        ("range", "2024-03-04", "2024-03-20", 2),
        ("range", "2024-03-25", "2024-04-05", 3),
        ("month", "2024-03-01", "2024-03-31", 3),
        ("day", None, None, 3),
    ],
)
def test_time_precision(precision: str, start: str | None, end: str | None, expected: int) -> None:
    from polemos.store.export import _conventions

    event = {"date_precision": precision, "date_start": start, "date_end": end, "sort_date": start}
    assert _conventions().time_precision(event) == expected


def test_unknown_format_is_refused(store) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(store, "xlsx", io.BytesIO())
    with pytest.raises(ValueError, match="graphml"):
        export(store, "graphml", io.BytesIO(), event_ids=[1])
