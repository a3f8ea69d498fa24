"""The geo stage: toponyms in a document → GeoNames places, curated countries, admin1 divisions, features.

>>> from polemos.geo import country_iso3
>>> country_iso3("U.S.")
'USA'
"""

from __future__ import annotations

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
