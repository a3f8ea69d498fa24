"""Keys and small conversions shared by the writer, the merger and the queries."""

from __future__ import annotations

import hashlib
import math
import re
from datetime import date, timedelta
from typing import Any

UNNAMED = frozenset({"unnamed speaker", "unnamed speakers' group"})
PRECISION_RANK = {"day": 0, "week": 1, "range": 2, "month": 3, "year": 4, "unknown": 5}
PLACE_RANK = {"city": 0, "point": 0, "coordinates": 0, "admin2": 1, "admin1": 2, "river": 3, "region": 4}
UNKNOWN_DATE_DAYS = 7  # an undated event is taken to lie in the week before publication
_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """The identity of a document: SHA-256 of its text, white space collapsed."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().encode("utf-8")).hexdigest()


def fold(name: str) -> str:
    return _SPACE.sub(" ", name).strip().casefold()


def actor_key(actor: dict[str, Any], document_hash: str) -> str:
    """One canonical actor per dictionary code; unknown actors by name, country and sector.

    An unnamed speaker is one per document: two quotes with no named speaker are not one person.
    """
    if fold(actor["name"]) in UNNAMED:
        return f"document:{document_hash[:16]}:{actor['id']}"
    if actor.get("code") and actor.get("known", True):
        return f"code:{actor['code']}"
    return f"name:{fold(actor['name'])}|{actor.get('country') or ''}|{actor.get('sector') or ''}"


def place_key(place: dict[str, Any]) -> str:
    if place.get("geonameid"):
        return f"geonames:{place['geonameid']}"
    return f"name:{fold(place['name'])}|{place.get('country') or ''}"


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_window(start: str | None, end: str | None, precision: str) -> tuple[date, date] | None:
    """The days an event may lie in: its range, or the week before publication when undated."""
    first, last = parse_day(start), parse_day(end)
    if first and last:
        return (first, last) if first <= last else (last, first)
    if first:
        return first, first
    if last:
        return last - timedelta(days=UNKNOWN_DATE_DAYS), last
    return None


def sort_date(start: str | None, end: str | None) -> str | None:
    return (start or end or None) and (start or end)[:10]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) of a box holding every point within ``km``."""
    dlat = km / 111.0
    dlon = km / max(1e-6, 111.320 * math.cos(math.radians(min(89.9, abs(lat)))))
    return lat - dlat, lat + dlat, max(-180.0, lon - dlon), min(180.0, lon + dlon)
