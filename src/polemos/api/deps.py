"""Dependencies of the endpoints: the backend, the events filters, the write token; 422 errors."""

from __future__ import annotations

import datetime
import hmac
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from polemos.api.backend import Backend
from polemos.store import EventFilter

MAX_ID = 2**63 - 1  # row ids are 64-bit


async def get_backend(request: Request) -> Backend:
    return request.app.state.backend


BackendDep = Annotated[Backend, Depends(get_backend)]


def invalid(where: str, name: str, message: str, value: Any = None) -> RequestValidationError:
    """A 422 error about one parameter, in the shape FastAPI gives its own validation errors."""
    return RequestValidationError(
        [{"type": "value_error", "loc": (where, name), "msg": message, "input": value}]
    )


Since = Annotated[datetime.date | None, Query(description="From this day (YYYY-MM-DD), inclusive.")]
Until = Annotated[datetime.date | None, Query(description="Up to this day (YYYY-MM-DD), inclusive.")]


def check_dates(since: datetime.date | None, until: datetime.date | None) -> None:
    if since and until and since > until:
        raise invalid("query", "until", f"until ({until}) is before since ({since})", str(until))


def event_filter(
    actor: Annotated[
        str | None,
        Query(
            max_length=200, description="Actor code, name or alias (SDF), or ISO3 country: in either role."
        ),
    ] = None,
    event_type: Annotated[
        str | None,
        Query(
            alias="type",
            max_length=200,
            description="PLOVER type (ASSAULT) or ACLED event or sub-event type (Air/drone strike).",
        ),
    ] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO3 country of the event's place.")
    ] = None,
    near: Annotated[
        str | None,
        Query(max_length=200, description='A place name from the gazetteer, or "lat,lon".'),
    ] = None,
    km: Annotated[float, Query(gt=0, le=20_000, description="Radius around near, in km.")] = 50.0,
    since: Since = None,
    until: Until = None,
    claimed_by: Annotated[
        str | None, Query(max_length=200, description="Events this speaker claims: actor or ISO3 country.")
    ] = None,
    contested: Annotated[
        bool | None, Query(description="true: only events whose claims disagree; false: only the others.")
    ] = None,
    text: Annotated[
        str | None, Query(max_length=500, description="Words in the event's sentence (any case).")
    ] = None,
) -> EventFilter:
    """The filters of ``polemos events``, from the query string."""
    check_dates(since, until)
    point = None
    if near:
        from polemos.geo import place_point

        try:
            point = place_point(near)
        except ValueError as error:
            raise invalid("query", "near", str(error), near) from None
    return EventFilter(
        actor=actor,
        type=event_type,
        country=country,
        near=point,
        km=km,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        claimed_by=claimed_by,
        contested=contested,
        text=text,
    )


EventFilterDep = Annotated[EventFilter, Depends(event_filter)]

bearer = HTTPBearer(auto_error=False, description="The token set by POLEMOS_TOKEN.")


async def require_writer(
    backend: BackendDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """Writes need ``Authorization: Bearer <token>``; without a token configured there are none."""
    if backend.token is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "writes are disabled: set POLEMOS_TOKEN")
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), backend.token.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a valid token is needed: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
