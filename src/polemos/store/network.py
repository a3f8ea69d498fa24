"""The actor network of a store: who does what to whom, and who backs, fights or leads whom.

Edges are directed, weighted and typed, and come from two tables, each aggregated in SQL (``GROUP BY``), so
that the network of a store with millions of events is built without reading its events into Python:

- **merged events** (``events`` + ``event_actors``): each (source, target) pair of actors of an event adds one
  to the weight of the edge source → target whose kind the event's PLOVER type maps to
  (``data/network.yaml``: ASSAULT → attacks, ACCUSE → accuses, AID → supports, …); dated by ``sort_date``;
- **relations** stated in documents or taken from the actor dictionary (``relations``): weight = the number of
  distinct documents stating it, dated by the document's date; ``backed_by`` is turned round (backer → backed,
  "backs"), the others keep their direction and their name (``fighting`` is "fights").

Each edge keeps its first and last date and up to :data:`EVIDENCE` ids as evidence: events for event edges,
documents for relation edges. Self loops are dropped. The nodes are the actors at either end of an edge, with
the number of merged events (within the dates) each takes part in.

>>> network = actor_network(store.db, since="2024-01-01", kinds={"attacks", "backs"})  # doctest: +SKIP
>>> graph = network.to_networkx()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from polemos.store.database import Database
from polemos.yamldata import load_yaml

if TYPE_CHECKING:
    import networkx

EVIDENCE = 5  # ids kept per edge as evidence
_ID_CHUNK = 5000  # ids per IN (...) list


@dataclass(frozen=True)
class Node:
    """An actor of the network."""

    id: int
    name: str
    country: str | None
    sector: str | None
    type: str
    code: str | None
    event_count: int  # merged events within the dates the actor takes part in, in any role


@dataclass(frozen=True)
class Edge:
    """``source`` → ``target``: ``weight`` events of one kind, or documents stating one relation."""

    source: int
    target: int
    kind: str
    weight: int
    first_date: str | None
    last_date: str | None
    origin: str  # event | relation
    event_ids: tuple[int, ...] = ()  # evidence of an event edge, lowest ids first
    document_ids: tuple[int, ...] = ()  # evidence of a relation edge, lowest ids first


@dataclass
class Network:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def to_networkx(self) -> networkx.MultiDiGraph:
        """A MultiDiGraph: node ids are actor ids (as strings, as GraphML keeps them), one edge per (kind,
        direction), keyed by kind. Attributes with no value are left out; evidence ids are comma-separated."""
        import networkx

        graph = networkx.MultiDiGraph(name="polemos actor network")
        for node in self.nodes:
            attributes = {"label": node.name, **asdict(node)}
            del attributes["id"]
            graph.add_node(str(node.id), **_present(attributes))
        for edge in self.edges:
            attributes = {
                "kind": edge.kind,
                "weight": edge.weight,
                "first_date": edge.first_date,
                "last_date": edge.last_date,
                "origin": edge.origin,
                "event_ids": ",".join(map(str, edge.event_ids)) or None,
                "document_ids": ",".join(map(str, edge.document_ids)) or None,
            }
            graph.add_edge(str(edge.source), str(edge.target), key=edge.kind, **_present(attributes))
        return graph


@dataclass(frozen=True)
class EdgeKinds:
    """The mapping of ``data/network.yaml``."""

    events: dict[str, str]  # PLOVER type -> kind
    relations: dict[str, tuple[str, bool]]  # relation -> (kind, reverse)


def actor_network(
    db: Database,
    since: str | date | None = None,
    until: str | date | None = None,
    kinds: Collection[str] | None = None,
    min_weight: int = 1,
) -> Network:
    """The network of the actors of a store, its events between ``since`` and ``until`` (inclusive, ISO days)
    and the relations stated in that time; only edges of ``kinds`` (all when None) and of ``min_weight``."""
    mapping = edge_kinds()
    known = set(mapping.events.values()) | {kind for kind, _ in mapping.relations.values()}
    if kinds is not None:
        unknown = set(kinds) - known
        if unknown:
            raise ValueError(f"unknown edge kinds {sorted(unknown)}; known: {sorted(known)}")
    since, until = _day(since), _day(until)
    edges = [*_event_edges(db, mapping, since, until, kinds, min_weight)]
    edges += _relation_edges(db, mapping, since, until, kinds, min_weight)
    edges.sort(key=lambda edge: (edge.source, edge.target, edge.kind))
    endpoints = sorted({edge.source for edge in edges} | {edge.target for edge in edges})
    return Network(nodes=list(_nodes(db, endpoints, since, until)), edges=edges)


@lru_cache(maxsize=1)
def edge_kinds() -> EdgeKinds:
    """The edge kinds of ``data/network.yaml``, checked against the PLOVER types of the event coder."""
    data = load_yaml(
        resources.files("polemos.store").joinpath("data/network.yaml").read_text(encoding="utf-8")
    )
    events = {str(plover): str(kind) for plover, kind in data["event_kinds"].items()}
    relations = {
        str(name): (str(entry["kind"]), bool(entry.get("reverse", False)))
        for name, entry in data["relation_kinds"].items()
    }
    plover = load_yaml(
        resources.files("polemos.events").joinpath("data/plover.yaml").read_text(encoding="utf-8")
    )["types"]
    missing = set(plover) - set(events)
    if missing or set(events) - set(plover):
        raise ValueError(
            f"network.yaml: event_kinds must list each PLOVER type once; missing {sorted(missing)}"
        )
    relation_kinds = [kind for kind, _ in relations.values()]
    if len(set(relation_kinds)) < len(relation_kinds) or set(events.values()) & set(relation_kinds):
        raise ValueError("network.yaml: each relation needs a kind of its own, used by no event type")
    return EdgeKinds(events, relations)


# ---------------------------------------------------------------------------------------------- queries


def _event_edges(
    db: Database,
    mapping: EdgeKinds,
    since: str | None,
    until: str | None,
    kinds: Collection[str] | None,
    min_weight: int,
) -> Iterator[Edge]:
    types = sorted(plover for plover, kind in mapping.events.items() if kinds is None or kind in kinds)
    if not types:
        return
    kind_case = "CASE e.type " + " ".join("WHEN ? THEN ?" for _ in types) + " END"
    case_params = [value for plover in types for value in (plover, mapping.events[plover])]
    conditions = ["s.actor_id <> t.actor_id", f"e.type IN ({_marks(types)})"]
    params: list[Any] = [*case_params, *types]
    for condition, value in (("e.sort_date >= ?", since), ("e.sort_date <= ?", until)):
        if value:
            conditions.append(condition)
            params.append(value)
    sql = (
        "SELECT source_id, target_id, kind, COUNT(*) AS weight, MIN(sort_date) AS first_date, "
        "MAX(sort_date) AS last_date, "
        f"{_id_list(db, 'CASE WHEN evidence_rank <= ? THEN event_id END')} AS evidence "
        "FROM (SELECT pairs.*, ROW_NUMBER() OVER (PARTITION BY source_id, target_id, kind ORDER BY event_id) "
        "AS evidence_rank FROM (SELECT s.actor_id AS source_id, t.actor_id AS target_id, "
        f"{kind_case} AS kind, e.id AS event_id, e.sort_date AS sort_date FROM events e "
        "JOIN event_actors s ON s.event_id = e.id AND s.role = 'source' "
        "JOIN event_actors t ON t.event_id = e.id AND t.role = 'target' "
        f"WHERE {' AND '.join(conditions)}) pairs) ranked "
        "GROUP BY source_id, target_id, kind HAVING COUNT(*) >= ?"
    )
    for row in db.execute(sql, [EVIDENCE, *params, min_weight]):
        yield Edge(
            source=int(row["source_id"]),
            target=int(row["target_id"]),
            kind=row["kind"],
            weight=int(row["weight"]),
            first_date=row["first_date"],
            last_date=row["last_date"],
            origin="event",
            event_ids=_ids(row["evidence"]),
        )


def _relation_edges(
    db: Database,
    mapping: EdgeKinds,
    since: str | None,
    until: str | None,
    kinds: Collection[str] | None,
    min_weight: int,
) -> list[Edge]:
    relations = sorted(
        name for name, (kind, _) in mapping.relations.items() if kinds is None or kind in kinds
    )
    if not relations:
        return []
    conditions = ["r.actor_id <> r.other_id", f"r.relation IN ({_marks(relations)})"]
    params: list[Any] = [*relations]
    for condition, value in (("SUBSTR(r.date, 1, 10) >= ?", since), ("SUBSTR(r.date, 1, 10) <= ?", until)):
        if value:
            conditions.append(condition)
            params.append(value)
    # one row per (relation, document), then the first documents of each relation ranked as evidence
    sql = (
        "SELECT actor_id, other_id, relation, COUNT(*) AS weight, MIN(day) AS first_date, "
        "MAX(day) AS last_date, "
        f"{_id_list(db, 'CASE WHEN evidence_rank <= ? THEN document_id END')} AS evidence "
        "FROM (SELECT stated.*, ROW_NUMBER() OVER (PARTITION BY actor_id, other_id, relation "
        "ORDER BY document_id) AS evidence_rank FROM (SELECT r.actor_id AS actor_id, r.other_id AS other_id, "
        "r.relation AS relation, r.document_id AS document_id, MIN(SUBSTR(r.date, 1, 10)) AS day "
        f"FROM relations r WHERE {' AND '.join(conditions)} "
        "GROUP BY r.actor_id, r.other_id, r.relation, r.document_id) stated) ranked "
        "GROUP BY actor_id, other_id, relation HAVING COUNT(*) >= ?"
    )
    edges = []
    for row in db.execute(sql, [EVIDENCE, *params, min_weight]):
        kind, reverse = mapping.relations[row["relation"]]
        source, target = int(row["actor_id"]), int(row["other_id"])
        if reverse:
            source, target = target, source
        edges.append(
            Edge(
                source=source,
                target=target,
                kind=kind,
                weight=int(row["weight"]),
                first_date=row["first_date"],
                last_date=row["last_date"],
                origin="relation",
                document_ids=_ids(row["evidence"]),
            )
        )
    return edges


def _nodes(db: Database, actor_ids: list[int], since: str | None, until: str | None) -> Iterator[Node]:
    dates, params = "", []
    for condition, value in (("ea.sort_date >= ?", since), ("ea.sort_date <= ?", until)):
        if value:
            dates += f" AND {condition}"
            params.append(value)
    for start in range(0, len(actor_ids), _ID_CHUNK):
        chunk = actor_ids[start : start + _ID_CHUNK]
        rows = db.all(
            "SELECT a.id, a.name, a.country, a.sector, a.type, a.code, "
            "COUNT(DISTINCT ea.event_id) AS event_count "
            f"FROM actors a LEFT JOIN event_actors ea ON ea.actor_id = a.id{dates} "
            f"WHERE a.id IN ({_marks(chunk)}) GROUP BY a.id, a.name, a.country, a.sector, a.type, a.code "
            "ORDER BY a.id",
            [*params, *chunk],
        )
        for row in rows:
            yield Node(
                id=int(row["id"]),
                name=row["name"],
                country=row["country"],
                sector=row["sector"],
                type=row["type"],
                code=row["code"],
                event_count=int(row["event_count"]),
            )


# ---------------------------------------------------------------------------------------------- helpers


def _id_list(db: Database, expression: str) -> str:
    """An aggregate joining the non-null integer values of ``expression`` with commas."""
    if db.dialect == "postgresql":
        return f"STRING_AGG(CAST({expression} AS TEXT), ',')"
    return f"GROUP_CONCAT({expression})"


def _ids(joined: str | None) -> tuple[int, ...]:
    return tuple(sorted(int(part) for part in (joined or "").split(",") if part))[:EVIDENCE]


def _marks(values: Iterable[Any]) -> str:
    return ",".join("?" for _ in values)


def _day(value: str | date | None) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat()[:10] if isinstance(value, date) else str(value)[:10]


def _present(attributes: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in attributes.items() if value is not None}
