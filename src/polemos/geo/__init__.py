"""The geo stage: toponyms in a document → GeoNames places, curated countries, admin1 divisions, features.

>>> from polemos.geo import country_iso3
>>> country_iso3("U.S.")
'USA'
"""

from __future__ import annotations

import re

from polemos.geo.gazetteer import Gazetteer, build_index, default_index_path, normalize
from polemos.geo.resolve import find_places, relative_phrase

__all__ = [
    "Gazetteer",
    "build_index",
    "country_iso3",
    "country_name",
    "default_index_path",
    "demonym_country",
    "find_places",
    "normalize",
    "place_point",
    "relative_phrase",
]


def country_iso3(name_or_iso2: str) -> str | None:
    """ISO3 of a country from its name, common alias ("Britain", "DRC", "U.S."), ISO2 or ISO3 code."""
    return Gazetteer.open().country_iso3(name_or_iso2)


def country_name(iso3: str) -> str | None:
    """The GeoNames English name of a country ("SYR" → "Syria")."""
    return Gazetteer.open().country_name(iso3)


def demonym_country(word: str) -> str | None:
    """ISO3 of the country a demonym denotes ("Syrian" → "SYR"); None if unknown or ambiguous."""
    countries = Gazetteer.open().demonym_countries(word)
    return next(iter(countries)) if len(countries) == 1 else None


def place_point(text: str) -> tuple[float, float]:
    """(lat, lon) of "lat,lon" or of a place name in the gazetteer (the most populous town of that name);
    ValueError, with a message for a user, for coordinates out of range or a name the gazetteer lacks."""
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"{text!r} is not a point: latitude -90..90, longitude -180..180")
        return lat, lon
    candidates = [c for c in Gazetteer.open().lookup(text) if c.lat is not None]
    if not candidates:
        raise ValueError(f"no place named {text!r} in the gazetteer")
    best = max(candidates, key=lambda c: (c.feature == "city", c.population or 0))
    return best.lat, best.lon
