"""``/api/actors``, ``/api/network`` and ``/api/stats``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from polemos.api.deps import BackendDep, Since, Until, check_dates, invalid
from polemos.api.models import INVALID, Actors, Network, Stats
from polemos.store.network import actor_network

router = APIRouter(tags=["actors"])


@router.get("/actors", response_model=Actors, summary="Actors, most active first", responses=INVALID)
def list_actors(
    backend: BackendDep,
    name: Annotated[
        str | None, Query(max_length=200, description="Code, name, alias or part of a name.")
    ] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO3 country.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Each actor with its aliases, its affiliations (relations stated in documents) and its events."""
    with backend.store() as store:
        return {"actors": store.actors(name=name, country=country, limit=limit)}


@router.get("/network", response_model=Network, summary="Who attacks, backs, accuses whom", responses=INVALID)
def get_network(
    backend: BackendDep,
    since: Since = None,
    until: Until = None,
    kind: Annotated[
        list[str] | None, Query(description="Only these edge kinds (attacks, backs, accuses, …); repeatable.")
    ] = None,
    min_weight: Annotated[int, Query(ge=1, description="Drop lighter edges.")] = 1,
    limit: Annotated[int, Query(ge=1, le=10_000, description="The heaviest edges only.")] = 300,
) -> Any:
    """The actor network: the heaviest ``limit`` edges (events of a kind, or documents stating a relation)
    and the actors at their ends."""
    check_dates(since, until)
    with backend.store() as store:
        try:
            graph = actor_network(
                store.db, since=since, until=until, kinds=kind or None, min_weight=min_weight
            )
        except ValueError as error:
            raise invalid("query", "kind", str(error), kind) from None
    edges = sorted(graph.edges, key=lambda edge: (-edge.weight, edge.kind, edge.source, edge.target))[:limit]
    ends = {end for edge in edges for end in (edge.source, edge.target)}
    return {
        "nodes": [asdict(node) for node in graph.nodes if node.id in ends],
        "edges": [asdict(edge) for edge in edges],
    }


@router.get("/stats", response_model=Stats, summary="What the store holds")
def get_stats(backend: BackendDep) -> Any:
    with backend.store() as store:
        return store.stats()
