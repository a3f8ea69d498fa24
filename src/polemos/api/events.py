"""``/api/events``, ``/api/events/{id}`` and ``/api/timeline``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from polemos.api.deps import MAX_ID, BackendDep, EventFilterDep
from polemos.api.models import INVALID, NOT_FOUND, EventDetails, EventPage, Timeline
from polemos.store.browse import timeline as count_by_day

router = APIRouter(tags=["events"], responses=INVALID)

GEOJSON = "application/geo+json"
_GEOJSON_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "integer"},
                    "geometry": {
                        "type": "object",
                        "properties": {
                            "type": {"const": "Point"},
                            "coordinates": {
                                "type": "array",
                                "items": {"type": "number"},
                                "description": "[lon, lat]",
                            },
                        },
                    },
                    "properties": {
                        "$ref": "#/components/schemas/Event",
                        "description": "The event, its location without lat and lon.",
                    },
                },
            },
        },
        "next_offset": {"type": ["integer", "null"]},
    },
}


@router.get(
    "/events",
    response_model=EventPage,
    summary="Merged events, newest first",
    responses={
        200: {
            "description": "format=json: a page of events. format=geojson: a FeatureCollection of the "
            "located events of the page, one Point each.",
            "content": {GEOJSON: {"schema": _GEOJSON_SCHEMA}},
        }
    },
)
def list_events(
    backend: BackendDep,
    where: EventFilterDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="Events per page.")] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Skip this many first.")] = 0,
    output_format: Annotated[Literal["json", "geojson"], Query(alias="format")] = "json",
) -> Any:
    """Every filter given must hold. Pages: pass ``next_offset`` back as ``offset`` until it is null."""
    where.limit, where.offset = limit, offset
    with backend.store() as store:
        found = store.events(where)
    next_offset = offset + limit if len(found) == limit else None
    if output_format == "geojson":
        return Response(orjson.dumps(feature_collection(found, next_offset)), media_type=GEOJSON)
    # written as they are, not checked against EventPage (the tests check that they fit it): a page of 100
    # events took 3 ms to validate and encode, and takes 0.2 ms this way
    page = {"events": found, "limit": limit, "offset": offset, "next_offset": next_offset}
    return Response(orjson.dumps(page), media_type="application/json")


@router.get(
    "/events/{event_id}",
    response_model=EventDetails,
    summary="One event with every report",
    responses=NOT_FOUND,
)
def get_event(backend: BackendDep, event_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    """The event, each report (mention) with its document, sentence, actors, claim and why it was merged,
    and the claims that disagree. Spans index the document's text: offsets in the sentence are
    ``span - mention.span[0]``."""
    with backend.store() as store:
        event = store.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id}")
    return event


@router.get("/timeline", response_model=Timeline, summary="Events counted by day and type")
def get_timeline(backend: BackendDep, where: EventFilterDep) -> Any:
    """The events the same filters select (all of them, no pages), counted by the day each is filed under
    (its first possible day, else its last) and its type; undated events are left out."""
    with backend.store() as store:
        days = count_by_day(store.db, where)
    return {"days": days}


def feature_collection(events: list[dict[str, Any]], next_offset: int | None) -> dict[str, Any]:
    """GeoJSON of the located events: a Point each ([lon, lat]), the record without lat/lon as properties."""
    features = []
    for event in events:
        location = event["location"]
        if not location or location["lat"] is None or location["lon"] is None:
            continue
        properties = {
            **event,
            "location": {key: value for key, value in location.items() if key not in ("lat", "lon")},
        }
        features.append(
            {
                "type": "Feature",
                "id": event["id"],
                "geometry": {"type": "Point", "coordinates": [location["lon"], location["lat"]]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features, "next_offset": next_offset}
