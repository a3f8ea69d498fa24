"""TR-News (Kamalloo & Rafiei 2018): toponym recognition and resolution against GeoNames-tagged news.

The gold set is one XML file (``TR-News.xml``, 118 articles, 1,319 toponyms): each ``<article>`` has a
``<text>``, a download time ``<dltime>`` (free-form, sometimes empty) and ``<toponyms>``, each with its
``<phrase>``, character ``<start>``/``<end>`` and a ``<gaztag geonameid=…>`` (name, feature class/code,
lat/lon, country name). Some toponyms (street names, buildings) carry no gaztag: they count for recognition,
not for resolution.

Recognition: a gold toponym is found when a polemos place mention overlaps its span; precision is over the
polemos place mentions (one overlapping a gold toponym is correct). Resolution is measured over the gold
toponyms polemos recognised: the overlapping polemos place (most overlap) is polemos' answer.
"""

from __future__ import annotations

import math
import re
import statistics
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from polemos.eval.base import ErrorCase, EvalResult, Progress, Table, f1, ratio, select
from polemos.model import Document, DocumentResult

DATASET = "tr-news"
GOLD_FILE = "TR-News.xml"
ACCURACY_KM = 161.0  # 100 miles, the usual geoparsing threshold
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
REALIGN_WINDOW = 60  # characters searched either side of a gold offset that does not index its phrase
WORST_ERRORS = 20

Span = tuple[int, int]


@dataclass(frozen=True)
class GoldToponym:
    phrase: str
    start: int
    end: int
    geonameid: int | None = None
    name: str | None = None
    feature_class: str | None = None  # GeoNames class: A, P, L, S, H, R, …
    feature_code: str | None = None  # PCLI, ADM1, PPLA, …
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO3
    realigned: bool = False  # the file's offsets did not index the phrase; moved to the nearest occurrence


@dataclass
class GoldRecord:
    id: str
    title: str
    text: str
    date: str | None  # ISO day parsed from dltime
    toponyms: list[GoldToponym] = field(default_factory=list)
    unaligned: list[str] = field(default_factory=list)  # phrases whose span could not be found (skipped)


@dataclass(frozen=True)
class PredictedMention:
    """One mention of a polemos place, with the place's resolution."""

    start: int
    end: int
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    feature: str


@dataclass(frozen=True)
class Match:
    """A gold toponym and the polemos mention that overlaps it most (None: not recognised)."""

    record: str
    gold: GoldToponym
    predicted: PredictedMention | None

    @property
    def error_km(self) -> float | None:
        """Gold → polemos distance; 0 for the same GeoNames id (gold and polemos may place a country's or
        region's point differently: the United States is at 39.8,-98.5 in GeoNames, elsewhere in polemos)."""
        if self.predicted is None:
            return None
        if self.gold.geonameid is not None and self.predicted.geonameid == self.gold.geonameid:
            return 0.0
        return distance_km(self.gold.lat, self.gold.lon, self.predicted.lat, self.predicted.lon)


# --------------------------------------------------------------------------------------------- loading


def load(path: str | Path, limit: int | None = None) -> list[GoldRecord]:
    """The articles of ``path`` (the gold folder, or the XML file itself), in file order."""
    path = Path(path)
    file = path / GOLD_FILE if path.is_dir() else path
    root = ET.parse(file).getroot()
    records = []
    for article in root.iter("article"):
        if limit is not None and len(records) >= limit:
            break
        records.append(_record(article))
    return records


def _record(article: ET.Element) -> GoldRecord:
    text = article.findtext("text") or ""
    record = GoldRecord(
        id=article.get("docid", str(len(text))),
        title=(article.findtext("title") or "").strip(),
        text=text,
        date=parse_dltime(article.findtext("dltime") or ""),
    )
    for element in article.iter("toponym"):
        toponym = _toponym(element, text)
        if toponym is None:
            record.unaligned.append(element.findtext("phrase") or "")
        else:
            record.toponyms.append(toponym)
    return record


def _toponym(element: ET.Element, text: str) -> GoldToponym | None:
    from polemos.geo import country_iso3

    phrase = element.findtext("phrase") or ""
    span = realign(text, phrase, int(element.findtext("start") or 0), int(element.findtext("end") or 0))
    if span is None:
        return None
    realigned = span != (int(element.findtext("start") or 0), int(element.findtext("end") or 0))
    tag = element.find("gaztag")
    if tag is None:
        return GoldToponym(phrase, span[0], span[1], realigned=realigned)
    country = (tag.findtext("country") or "").strip()
    return GoldToponym(
        phrase,
        span[0],
        span[1],
        geonameid=_int(tag.get("geonameid")),
        name=tag.findtext("name"),
        feature_class=tag.findtext("fclass"),
        feature_code=tag.findtext("fcode"),
        lat=_float(tag.findtext("lat")),
        lon=_float(tag.findtext("lon")),
        country=country_iso3(country) if country else None,
        realigned=realigned,
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().lstrip("-").isdigit() else None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def realign(text: str, phrase: str, start: int, end: int, window: int = REALIGN_WINDOW) -> Span | None:
    """The span of ``phrase`` in ``text``: (start, end) when they index it, else the occurrence nearest to
    ``start`` within ``window`` characters (exact case first, then any case); None when there is none.

    About a tenth of TR-News' offsets drift by a few characters (the text was cleaned after annotation)."""
    if not phrase:
        return None
    if text[start:end] == phrase:
        return start, end
    low, high = max(0, start - window), min(len(text), start + len(phrase) + window)
    for haystack, needle in ((text, phrase), (text.lower(), phrase.lower())):
        found = [m.start() for m in re.finditer(re.escape(needle), haystack[low:high])]
        if found:
            best = min((low + i for i in found), key=lambda i: (abs(i - start), i))
            return best, best + len(phrase)
    return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<month_number>\d\d)-(?P<day>\d\d)\b"),
    re.compile(rf"\b(?P<month_number>\d{{1,2}})/(?P<day>\d{{1,2}})/{_YEAR}\b"),  # US order: 11/28/2016
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
]


def parse_dltime(value: str) -> str | None:
    """ISO day of a TR-News ``dltime`` ("2017-05-17", "11/28/2016", "Dec 17, 2016 8:46 AM ET", "9:55 AM ET,
    Sun January 4, 2015", "17 December 2016", "December 9th 2016"); None when empty or unreadable."""
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(value):
            groups = match.groupdict()
            month = int(groups["month_number"]) if groups.get("month_number") else None
            if month is None:
                month = _MONTHS.get(groups["month"].lower())
            if month is None or not 1 <= month <= 12:
                continue
            year, day = int(groups["year"]), int(groups["day"])
            last = (31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
            if 1 <= day <= last:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


# ------------------------------------------------------------------------------------------ predictions


def predictions(result: DocumentResult) -> list[PredictedMention]:
    """Every mention of every polemos place (countries, admin1 divisions, cities, rivers, regions …)."""
    mentions = [
        PredictedMention(
            int(start),
            int(end),
            place.name,
            place.geonameid,
            place.lat,
            place.lon,
            place.country,
            place.feature,
        )
        for place in result.places
        for start, end in place.mentions
    ]
    return sorted(mentions, key=lambda m: (m.start, m.end))


# ------------------------------------------------------------------------------------------- scoring


def distance_km(
    lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None
) -> float | None:
    """Great-circle (haversine) distance in km; None when a coordinate is missing."""
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_toponyms(
    record: str, gold: Sequence[GoldToponym], predicted: Sequence[PredictedMention]
) -> list[Match]:
    """Each gold toponym with the predicted mention overlapping it most (ties: the earlier one)."""
    matches = []
    for toponym in gold:
        best, best_overlap = None, 0
        for mention in predicted:
            overlap = _overlap((toponym.start, toponym.end), (mention.start, mention.end))
            if overlap > best_overlap:
                best, best_overlap = mention, overlap
        matches.append(Match(record, toponym, best))
    return matches


def false_positives(
    gold: Sequence[GoldToponym], predicted: Sequence[PredictedMention]
) -> list[PredictedMention]:
    """Predicted mentions that overlap no gold toponym."""
    return [
        mention
        for mention in predicted
        if not any(_overlap((t.start, t.end), (mention.start, mention.end)) for t in gold)
    ]


def recognition_scores(
    matches: Sequence[Match], predicted_total: int, false_positive_total: int
) -> dict[str, float]:
    """Precision over predicted mentions, recall over gold toponyms, F1."""
    precision = ratio(predicted_total - false_positive_total, predicted_total)
    recall = ratio(sum(1 for m in matches if m.predicted is not None), len(matches))
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def resolution_scores(matches: Iterable[Match]) -> dict[str, float]:
    """Resolution figures over the recognised gold toponyms that carry a gold resolution.

    ``exact_id``: same GeoNames id (over those with a gold id); ``acc_161km``: within 161 km (a place polemos
    left without coordinates counts as wrong); ``country_acc``: same ISO3 (over those with a gold country);
    mean/median error km over those polemos gave coordinates; ``unresolved``: share without coordinates."""
    scored = [
        m for m in matches if m.predicted is not None and m.gold.lat is not None and m.gold.lon is not None
    ]
    with_id = [m for m in scored if m.gold.geonameid is not None]
    with_country = [m for m in scored if m.gold.country]
    errors = [e for e in (m.error_km for m in scored) if e is not None]
    return {
        "n": float(len(scored)),
        "n_with_id": float(len(with_id)),
        "n_with_country": float(len(with_country)),
        "n_with_coordinates": float(len(errors)),
        "exact_id": ratio(sum(1 for m in with_id if m.predicted.geonameid == m.gold.geonameid), len(with_id)),
        "acc_161km": ratio(
            sum(1 for m in scored if (m.error_km is not None and m.error_km <= ACCURACY_KM)), len(scored)
        ),
        "country_acc": ratio(
            sum(1 for m in with_country if m.predicted.country == m.gold.country), len(with_country)
        ),
        "mean_error_km": statistics.fmean(errors) if errors else 0.0,
        "median_error_km": statistics.median(errors) if errors else 0.0,
        "unresolved": ratio(len(scored) - len(errors), len(scored)),
    }


def feature_group(toponym: GoldToponym) -> str:
    """A diagnostic group of a gold toponym's GeoNames feature."""
    code, klass = toponym.feature_code or "", toponym.feature_class or ""
    if klass == "A":
        if code.startswith("PCL"):
            return "A: country (PCL*)"
        return "A: ADM1" if code == "ADM1" else "A: ADM2+ / other"
    if klass == "P":
        return "P: capital (PPLC)" if code == "PPLC" else "P: other populated place"
    return f"{klass}: {code}" if klass else "no feature class"


RESOLUTION_COLUMNS = [
    "subset",
    "n",
    "exact id",
    "acc@161km",
    "country acc",
    "mean km",
    "median km",
    "unresolved",
]


def resolution_row(label: str, matches: Iterable[Match]) -> list[object]:
    """One row of RESOLUTION_COLUMNS; a cell without anything to count (e.g. country accuracy of
    continents) is left empty."""
    scores = resolution_scores(matches)

    def cell(name: str, digits: int, denominator: str = "n") -> float | None:
        return round(scores[name], digits) if scores[denominator] else None

    return [
        label,
        int(scores["n"]),
        cell("exact_id", 3, "n_with_id"),
        cell("acc_161km", 3),
        cell("country_acc", 3, "n_with_country"),
        cell("mean_error_km", 1, "n_with_coordinates"),
        cell("median_error_km", 1, "n_with_coordinates"),
        cell("unresolved", 3),
    ]


def _is_demonym(phrase: str) -> bool:
    from polemos.geo import Gazetteer

    return Gazetteer.open().is_demonym(phrase)


def recall_row(label: str, matches: Sequence[Match]) -> list[object]:
    found = sum(1 for m in matches if m.predicted is not None)
    return [label, len(matches), found, round(ratio(found, len(matches)), 3)]


def context(text: str, span: Span, width: int = 160) -> str:
    """The line holding ``span``, cut to ``width`` characters either side, the span marked with [[ ]]."""
    start, end = span
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    left = max(line_start, start - width)
    right = min(line_end, end + width)
    prefix = "…" if left > line_start else ""
    suffix = "…" if right < line_end else ""
    return f"{prefix}{text[left:start]}[[{text[start:end]}]]{text[end:right]}{suffix}".strip()


def describe_gold(toponym: GoldToponym) -> str:
    if toponym.geonameid is None and toponym.lat is None:
        return f"{toponym.phrase} (no gazetteer entry)"
    return (
        f"{toponym.name} [{toponym.feature_class or '?'}.{toponym.feature_code or '?'}] geonameid "
        f"{toponym.geonameid}, {toponym.country or '-'}, ({_coord(toponym.lat)}, {_coord(toponym.lon)})"
    )


def describe_predicted(mention: PredictedMention | None) -> str:
    if mention is None:
        return "not recognised"
    return (
        f"{mention.name} [{mention.feature}] geonameid {mention.geonameid}, {mention.country or '-'}, "
        f"({_coord(mention.lat)}, {_coord(mention.lon)})"
    )


def _km_or(value: float | None, default: float) -> float:
    return default if value is None else value


def _coord(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def worst_errors(
    records: Sequence[GoldRecord],
    matches: Sequence[Match],
    spurious: Sequence[tuple[str, PredictedMention]],
    top: int = WORST_ERRORS,
) -> list[ErrorCase]:
    """The resolution errors farthest off (one per distinct toponym → answer), then the most frequent misses
    and false positives, ``top`` in all."""
    texts = {record.id: record.text for record in records}
    wrong: dict[tuple[str, int | None, str | None], list[Match]] = {}
    for m in matches:
        if m.predicted is None or m.gold.lat is None:
            continue
        error = m.error_km
        if error is not None and error <= ACCURACY_KM:
            continue
        wrong.setdefault((m.gold.phrase.lower(), m.gold.geonameid, m.predicted.name), []).append(m)
    ranked = sorted(wrong.values(), key=lambda group: -_km_or(group[0].error_km, -1.0))  # unresolved last
    missed: dict[str, list[Match]] = {}
    for m in matches:
        if m.predicted is None:
            missed.setdefault(m.gold.phrase.lower(), []).append(m)
    false: dict[str, list[tuple[str, PredictedMention]]] = {}
    for record_id, mention in spurious:
        false.setdefault(texts[record_id][mention.start : mention.end].lower(), []).append(
            (record_id, mention)
        )
    quota = max(0, top - 2 * (top // 5))
    cases = []
    for group in ranked[:quota]:
        m = group[0]
        km = m.error_km
        cases.append(
            ErrorCase(
                m.record,
                context(texts[m.record], (m.gold.start, m.gold.end)),
                describe_gold(m.gold),
                describe_predicted(m.predicted),
                f"{'unresolved' if km is None else f'{km:,.0f} km off'}; {len(group)} mention(s) like this",
            )
        )
    for group in sorted(missed.values(), key=len, reverse=True)[: (top - len(cases)) // 2]:
        m = group[0]
        cases.append(
            ErrorCase(
                m.record,
                context(texts[m.record], (m.gold.start, m.gold.end)),
                describe_gold(m.gold),
                "not recognised",
                f"missed toponym; {len(group)} gold mention(s) of this phrase missed",
            )
        )
    for group in sorted(false.values(), key=len, reverse=True)[: top - len(cases)]:
        record_id, mention = group[0]
        cases.append(
            ErrorCase(
                record_id,
                context(texts[record_id], (mention.start, mention.end)),
                "no gold toponym here",
                describe_predicted(mention),
                f"false positive; {len(group)} mention(s) of this phrase",
            )
        )
    return cases


@dataclass
class Scores:
    metrics: dict[str, float]
    tables: list[Table]
    errors: list[ErrorCase]
    matches: list[Match]
    spurious: list[tuple[str, PredictedMention]]


def score(records: Sequence[GoldRecord], predicted: Sequence[Sequence[PredictedMention]]) -> Scores:
    """All figures for gold ``records`` and polemos' mentions per record (same order)."""
    if len(records) != len(predicted):
        raise ValueError(f"{len(records)} records but {len(predicted)} predictions")
    matches: list[Match] = []
    spurious: list[tuple[str, PredictedMention]] = []
    for record, mentions in zip(records, predicted, strict=True):
        matches.extend(match_toponyms(record.id, record.toponyms, mentions))
        spurious.extend((record.id, m) for m in false_positives(record.toponyms, mentions))
    predicted_total = sum(len(mentions) for mentions in predicted)
    recognition = recognition_scores(matches, predicted_total, len(spurious))
    resolution = resolution_scores(matches)
    metrics = {
        "recognition_precision": recognition["precision"],
        "recognition_recall": recognition["recall"],
        "recognition_f1": recognition["f1"],
        "exact_geonameid": resolution["exact_id"],
        "acc_161km": resolution["acc_161km"],
        "country_accuracy": resolution["country_acc"],
        "mean_error_km": resolution["mean_error_km"],
        "median_error_km": resolution["median_error_km"],
    }
    by_class = {
        label: [m for m in matches if m.gold.feature_class == klass]
        for label, klass in (("P", "P"), ("A", "A"))
    }
    groups: dict[str, list[Match]] = {}
    for m in matches:
        if m.gold.lat is not None:
            groups.setdefault(feature_group(m.gold), []).append(m)
    names = [m for m in matches if not _is_demonym(m.gold.phrase)]
    demonyms = [m for m in matches if _is_demonym(m.gold.phrase)]
    recall_groups: dict[str, list[Match]] = {}
    for m in matches:
        recall_groups.setdefault(
            feature_group(m.gold) if m.gold.lat is not None else "no gazetteer entry", []
        ).append(m)
    spurious_features = Counter(mention.feature for _, mention in spurious)
    predicted_features = Counter(m.feature for mentions in predicted for m in mentions)
    tables = [
        Table(
            "Resolution over recognised gold toponyms (all, and by gold feature class P / A)",
            RESOLUTION_COLUMNS,
            [
                resolution_row("all", matches),
                resolution_row("P (populated places)", by_class["P"]),
                resolution_row("A (admin: countries, ADM1, ADM2…)", by_class["A"]),
            ],
        ),
        Table(
            "Resolution by gold feature group",
            RESOLUTION_COLUMNS,
            [row for row in (resolution_row(label, groups[label]) for label in sorted(groups)) if row[1]],
        ),
        Table(
            "Recognition recall by gold toponym form / feature group",
            ["subset", "gold", "found", "recall"],
            [
                recall_row("all", matches),
                recall_row("names", names),
                recall_row("demonyms (Turkish, Russian…)", demonyms),
            ]
            + [recall_row(label, recall_groups[label]) for label in sorted(recall_groups)],
        ),
        Table(
            "Polemos place mentions by polemos feature: how many overlap no gold toponym",
            ["polemos feature", "mentions", "no gold overlap", "precision"],
            [
                [
                    feature,
                    count,
                    spurious_features[feature],
                    round(ratio(count - spurious_features[feature], count), 3),
                ]
                for feature, count in predicted_features.most_common()
            ],
        ),
    ]
    return Scores(metrics, tables, worst_errors(records, matches, spurious), matches, spurious)


# ---------------------------------------------------------------------------------------------- driver


def describe_method(records: Sequence[GoldRecord]) -> list[str]:
    """Notes for the report: what was counted, what was repaired or skipped, how things were compared."""
    toponyms = [t for r in records for t in r.toponyms]
    no_entry = sum(1 for t in toponyms if t.lat is None)
    realigned = sum(1 for t in toponyms if t.realigned)
    unaligned = sum(len(r.unaligned) for r in records)
    dated = sum(1 for r in records if r.date)
    return [
        f"{len(records)} articles, {len(toponyms)} gold toponyms ({no_entry} without a gazetteer entry — "
        "streets, buildings — count for recognition only).",
        f"{realigned} gold spans whose offsets did not index their phrase were moved to the nearest "
        f"occurrence of the phrase (within {REALIGN_WINDOW} characters); {unaligned} could not be found "
        "and were skipped.",
        "Recognition: a gold toponym is found when any polemos place mention overlaps it; precision is over "
        "all polemos place mentions (countries, admin1, cities, rivers, regions, unresolved names); one "
        "overlapping no gold toponym is a false positive. TR-News annotates countries, demonyms "
        "('Turkish' → Turkey) and toponyms inside organisation names ('Kentucky State Police', "
        "'Environment Canada') as toponyms.",
        "Resolution over recognised gold toponyms: polemos' answer is the place of the overlapping mention "
        f"with the most overlap. Distances are haversine (R = {EARTH_RADIUS_KM} km) between gold and polemos "
        "coordinates, 0 when the GeoNames ids are equal; accuracy@161km counts a place without coordinates "
        "as wrong; mean/median error only over those with coordinates. Gold country names are mapped to "
        "ISO3 with polemos.geo.country_iso3 (ones it does not know, e.g. 'Bonaire', count as no country). "
        "Exact id compares GeoNames ids: polemos leaves curated admin1 divisions outside the US and "
        "physical features without ids, so these never match exactly.",
        f"Document date: the article's dltime read as a day ({dated} of {len(records)} articles have one; "
        "the others are coded without a date).",
    ]


def evaluate(
    path: str | Path, limit: int | None = None, progress: Progress | None = None, half: str | None = None
) -> EvalResult:
    """Code every TR-News article with polemos and score its places against the gold toponyms."""
    from polemos import extract_documents

    records = select(load(path), half, limit)
    documents = (Document(id=r.id, text=r.text, title=r.title or None, date=r.date) for r in records)
    predicted: list[list[PredictedMention]] = []
    failed = []
    for done, result in enumerate(extract_documents(documents), start=1):
        if result.errors:
            failed.append(result.id)
        predicted.append(predictions(result))
        if progress:
            progress(done, len(records))
    scores = score(records, predicted)
    notes = describe_method(records)
    if failed:
        notes.append(f"polemos reported errors on {len(failed)} article(s): {', '.join(failed[:10])}")
    return EvalResult(DATASET, str(path), len(records), scores.metrics, scores.tables, scores.errors, notes)
