"""PLOVER gold-standard records (OEDA, 2016): PLOVER event type, actors and location per sentence.

The gold set is one JSON array (``PLOVER_GSR_CAMEO.json``): a DOCUMENT header record, then one record per
sentence (edited CAMEO-manual examples) with its ``event`` (2016 PLOVER names), ``source``/``target`` actors
(``actorText``, ``code`` = ISO3 or IGO/NGO, ``sector``), ``eventLoc.name``, ``dead`` and a ``textInfo.markup``
where ``SRC/TAR:`` marks reciprocal actors (coded only as sources).

Each sentence is coded alone (dated 2000-01-01 as in the file); polemos' main event (``events[0]``) is
compared with the gold event: type (2016 names mapped to PLOVER 2021 by ``data/plover_gsr_labels.yaml``),
source and target actors (country code and sector), location name and dead. A secondary figure counts a
sentence as right when any polemos event has the gold type.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from polemos.eval.base import (
    ErrorCase,
    EvalResult,
    Progress,
    Table,
    classification_report,
    confusions,
    per_class_table,
    ratio,
    select,
)
from polemos.model import Document, DocumentResult

DATASET = "plover-gsr"
GOLD_FILE = "PLOVER_GSR_CAMEO.json"
LABELS_FILE = "plover_gsr_labels.yaml"
NO_EVENT = "NONE"  # the label of a sentence where polemos finds no event
WORST_ERRORS = 20


@dataclass(frozen=True)
class Labels:
    """The GSR → PLOVER 2021 mapping of ``data/plover_gsr_labels.yaml``."""

    event_types: dict[str, tuple[str, str | None]]  # GSR name -> (2021 type, mode)
    skip_events: frozenset[str]
    code_aliases: dict[str, str]
    keys_by_sector: dict[str, str]
    keys_by_type: dict[str, str]
    unknown_sector: str
    sector_aliases: dict[str, str]


@cache
def labels() -> Labels:
    text = resources.files("polemos.eval").joinpath(f"data/{LABELS_FILE}").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Labels(
        event_types={name: (entry["type"], entry.get("mode")) for name, entry in data["event_types"].items()},
        skip_events=frozenset(data["skip_events"]),
        code_aliases=dict(data["code_aliases"]),
        keys_by_sector=dict(data["actor_keys"]["by_sector"]),
        keys_by_type=dict(data["actor_keys"]["by_type"]),
        unknown_sector=data["unknown_sector"],
        sector_aliases=dict(data["sector_aliases"]),
    )


@dataclass(frozen=True)
class ActorCode:
    """An actor reduced to what the GSR codes: a country (ISO3 or a pseudo-code: IGO, NGO, …) and a sector."""

    code: str | None
    sector: str | None
    text: str = ""


@dataclass
class GoldRecord:
    id: str
    text: str
    date: str | None
    gsr_event: str  # the file's 2016 name
    event: str  # PLOVER 2021 type
    mode: str | None  # the 2021 mode implied by the old name (INVESTIGATE -> investigate)
    source: list[ActorCode] = field(default_factory=list)
    target: list[ActorCode] = field(default_factory=list)
    reciprocal: bool = False  # SRC/TAR markup: the sources act on each other
    location: str | None = None
    dead: int | None = None


@dataclass
class Prediction:
    """What polemos said about one sentence: its main event and the types of all its events."""

    main_type: str | None
    types: list[str] = field(default_factory=list)
    mode: str | None = None
    source: list[ActorCode] = field(default_factory=list)
    target: list[ActorCode] = field(default_factory=list)
    location: str | None = None  # the main event's location name
    location_names: list[str] = field(default_factory=list)  # its name and the text of its place's mentions
    fatalities: int | None = None
    trigger: str = ""

    @property
    def label(self) -> str:
        return self.main_type or NO_EVENT


# --- loading ------------------------------------------------------------------------------------------------


def normalise_code(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    return labels().code_aliases.get(code, code)


def normalise_sector(sector: str | None) -> str | None:
    """The CAMEO agent code of a GSR sector: first three letters, ``***`` (unknown) → None."""
    if not sector or sector.strip() == labels().unknown_sector:
        return None
    head = sector.strip()[:3].upper()
    return labels().sector_aliases.get(head, head)


def gold_actors(value: Any) -> list[ActorCode]:
    """The GSR ``source``/``target`` field (a list, ``""`` or absent) as actor codes."""
    if not isinstance(value, list):
        return []
    return [
        ActorCode(
            normalise_code(actor.get("code")),
            normalise_sector(actor.get("sector")),
            actor.get("actorText", ""),
        )
        for actor in value
        if isinstance(actor, dict)
    ]


def parse_dead(value: Any) -> int | None:
    try:
        return int(str(value).replace(",", "").strip())
    except ValueError:
        return None


def parse_record(raw: dict[str, Any]) -> GoldRecord | None:
    """One GSR object as a gold record; None for the DOCUMENT header and records without text."""
    name = raw.get("event", "")
    if name in labels().skip_events or not raw.get("text"):
        return None
    if name not in labels().event_types:
        raise ValueError(f"{raw.get('id')}: unknown GSR event {name!r}; add it to {LABELS_FILE}")
    event, mode = labels().event_types[name]
    info = raw.get("textInfo")
    markup = (
        info.get("markup", "") if isinstance(info, dict) else str(info or "")
    )  # one record holds a string
    place = raw.get("eventLoc")
    location = (place.get("name") if isinstance(place, dict) else place) or None
    return GoldRecord(
        id=raw["id"],
        text=raw["text"],
        date=raw.get("date"),
        gsr_event=name,
        event=event,
        mode=mode,
        source=gold_actors(raw.get("source")),
        target=gold_actors(raw.get("target")),
        reciprocal="SRC/TAR" in markup,
        location=location,
        dead=parse_dead(raw["dead"]) if "dead" in raw else None,
    )


def load(path: str | Path, limit: int | None = None) -> list[GoldRecord]:
    """The gold sentences of ``path`` (the folder or the JSON file), in file order, header skipped."""
    path = Path(path)
    file = path / GOLD_FILE if path.is_dir() else path
    records = [
        record for raw in json.loads(file.read_text(encoding="utf-8")) if (record := parse_record(raw))
    ]
    return records[:limit] if limit is not None else records


# --- polemos output → predictions ---------------------------------------------------------------------------


def actor_key(country: str | None, sector: str | None, actor_type: str | None) -> str | None:
    """The GSR-style code of a polemos actor: its country, else IGO/NGO/TRANSNATIONAL from its sector/type."""
    if country:
        return country
    keys = labels()
    return keys.keys_by_sector.get(sector or "") or keys.keys_by_type.get(actor_type or "")


def predict(result: DocumentResult, text: str = "") -> Prediction:
    """The main event of ``result`` and the types of all its events; ``text`` is the document's text."""
    if not result.events:
        return Prediction(main_type=None)
    main = result.events[0]
    actor_types = {actor.id: actor.type for actor in result.actors}

    def codes(refs: Iterable[Any]) -> list[ActorCode]:
        return [
            ActorCode(actor_key(ref.country, ref.sector, actor_types.get(ref.id)), ref.sector, ref.text)
            for ref in refs
        ]

    location_names: list[str] = []
    if main.location is not None:
        location_names.append(main.location.name)
        text = result.text if result.text is not None else text
        for place in result.places:
            if place.id == main.location.place:
                location_names += [text[start:end] for start, end in place.mentions if text]
    return Prediction(
        main_type=main.type,
        types=[event.type for event in result.events],
        mode=main.mode,
        source=codes(main.source),
        target=codes(main.target),
        location=main.location.name if main.location else None,
        location_names=location_names,
        fatalities=main.fatalities,
        trigger=main.trigger,
    )


# --- scorers (pure) -----------------------------------------------------------------------------------------


def any_type_accuracy(gold: Sequence[GoldRecord], predicted: Sequence[Prediction]) -> float:
    """Share of sentences where some polemos event (not only the main one) has the gold type."""
    return ratio(sum(g.event in p.types for g, p in zip(gold, predicted, strict=True)), len(gold))


def _pool(record: GoldRecord, prediction: Prediction, role: str) -> list[ActorCode]:
    """Predicted actors a gold actor of ``role`` may match: both roles for reciprocal (SRC/TAR) records."""
    if record.reciprocal:
        return prediction.source + prediction.target
    return prediction.source if role == "source" else prediction.target


def actor_scores(gold: Sequence[GoldRecord], predicted: Sequence[Prediction], role: str) -> dict[str, float]:
    """Country and sector agreement of the main event's ``role`` ("source"/"target") actors.

    ``country_match``: share of records with gold codes where a predicted actor has one of them;
    ``country_exact``: the predicted code set equals the gold one; ``sector_match``: share of gold actors with
    a known sector that a predicted actor matches on both code and sector; ``records``: records scored.
    """
    scored = exact = matched = sector_gold = sector_hit = 0
    for record, prediction in zip(gold, predicted, strict=True):
        actors = record.source if role == "source" else record.target
        gold_codes = {actor.code for actor in actors if actor.code}
        if not gold_codes:
            continue
        pool = _pool(record, prediction, role)
        predicted_codes = {actor.code for actor in pool if actor.code}
        scored += 1
        matched += bool(gold_codes & predicted_codes)
        exact += gold_codes == predicted_codes
        pairs = {(actor.code, actor.sector) for actor in pool}
        for actor in actors:
            if actor.code and actor.sector:
                sector_gold += 1
                sector_hit += (actor.code, actor.sector) in pairs
    return {
        "country_match": ratio(matched, scored),
        "country_exact": ratio(exact, scored),
        "sector_match": ratio(sector_hit, sector_gold),
        "records": float(scored),
    }


def normalise_place_name(name: str) -> str:
    name = " ".join(name.casefold().replace("-", " ").split())
    return name[4:] if name.startswith("the ") else name


def location_match(gold: Sequence[GoldRecord], predicted: Sequence[Prediction]) -> tuple[float, int]:
    """Share of records with a gold location whose main event is located there (name or mention text)."""
    scored = hits = 0
    for record, prediction in zip(gold, predicted, strict=True):
        if not record.location:
            continue
        scored += 1
        names = {normalise_place_name(name) for name in prediction.location_names}
        hits += normalise_place_name(record.location) in names
    return ratio(hits, scored), scored


def fatalities_match(gold: Sequence[GoldRecord], predicted: Sequence[Prediction]) -> tuple[float, int]:
    """Share of records with a gold ``dead`` count whose main event gives the same number."""
    pairs = [(g.dead, p.fatalities) for g, p in zip(gold, predicted, strict=True) if g.dead is not None]
    return ratio(sum(dead == found for dead, found in pairs), len(pairs)), len(pairs)


# --- report -------------------------------------------------------------------------------------------------


def describe_actors(actors: Iterable[ActorCode]) -> str:
    return ", ".join(f"{a.text or '?'} [{a.code or '-'}/{a.sector or '-'}]" for a in actors) or "-"


def describe_gold(record: GoldRecord) -> str:
    old = f" (GSR {record.gsr_event})" if record.gsr_event != record.event else ""
    roles = "src/tgt (reciprocal)" if record.reciprocal else "src"
    return (
        f"{record.event}{old}; {roles}: {describe_actors(record.source)}; "
        f"tgt: {describe_actors(record.target)}; loc: {record.location or '-'}"
    )


def describe_prediction(prediction: Prediction) -> str:
    if prediction.main_type is None:
        return "no event"
    mode = f"/{prediction.mode}" if prediction.mode else ""
    others = f"; all events: {', '.join(prediction.types)}" if len(prediction.types) > 1 else ""
    return (
        f"{prediction.main_type}{mode} ('{prediction.trigger}'); src: {describe_actors(prediction.source)}; "
        f"tgt: {describe_actors(prediction.target)}; loc: {prediction.location or '-'}{others}"
    )


def worst_errors(
    gold: Sequence[GoldRecord], predicted: Sequence[Prediction], top: int = WORST_ERRORS
) -> list[ErrorCase]:
    """Wrong main types first: the gold type nowhere in polemos' events, then no event at all, then present
    but not main; then right types with no gold source country among polemos' sources."""
    ranked: list[tuple[int, ErrorCase]] = []
    for record, prediction in zip(gold, predicted, strict=True):
        if prediction.main_type != record.event:
            if prediction.main_type is None:
                rank, note = 1, "no event found"
            elif record.event in prediction.types:
                rank, note = 2, "gold type found, but not as the main event"
            else:
                rank, note = 0, "gold type not among polemos' events"
        else:
            gold_codes = {actor.code for actor in record.source if actor.code}
            found = {actor.code for actor in _pool(record, prediction, "source")}
            if not gold_codes or gold_codes & found:
                continue
            rank, note = 3, "right type, source country missed"
        error = ErrorCase(
            record.id, record.text, describe_gold(record), describe_prediction(prediction), note
        )
        ranked.append((rank, error))
    ranked.sort(key=lambda item: item[0])  # stable: file order within a rank
    return [error for _, error in ranked[:top]]


def score(gold: Sequence[GoldRecord], predicted: Sequence[Prediction], path: str = "") -> EvalResult:
    """Metrics, tables and worst errors of ``predicted`` against ``gold`` (pure)."""
    gold_labels = [record.event for record in gold]
    predicted_labels = [prediction.label for prediction in predicted]
    per_class, summary = classification_report(gold_labels, predicted_labels)
    source = actor_scores(gold, predicted, "source")
    target = actor_scores(gold, predicted, "target")
    location, location_records = location_match(gold, predicted)
    dead, dead_records = fatalities_match(gold, predicted)
    metrics = {
        "event_type_accuracy": summary["accuracy"],
        "event_type_macro_f1": summary["macro_f1"],
        "event_type_weighted_f1": summary["weighted_f1"],
        "event_type_any_accuracy": any_type_accuracy(gold, predicted),
        "no_event_rate": ratio(sum(p.main_type is None for p in predicted), len(predicted)),
        "source_country_match": source["country_match"],
        "source_country_exact": source["country_exact"],
        "source_sector_match": source["sector_match"],
        "target_country_match": target["country_match"],
        "target_country_exact": target["country_exact"],
        "target_sector_match": target["sector_match"],
        "location_match": location,
        "fatalities_match": dead,
    }
    confusion_rows = [[g, p, n] for g, p, n in confusions(gold_labels, predicted_labels)]
    tables = [
        per_class_table("Main event type (PLOVER 2021) per gold type", per_class),
        Table(
            "Most frequent confusions (gold → polemos main event)",
            ["gold", "polemos", "count"],
            confusion_rows,
        ),
        Table(
            "Records each figure is computed over",
            ["figure", "records"],
            [
                ["event type", len(gold)],
                ["source actors (gold source code)", int(source["records"])],
                ["target actors (gold target code)", int(target["records"])],
                ["location (gold eventLoc)", location_records],
                ["fatalities (gold dead)", dead_records],
            ],
        ),
    ]
    return EvalResult(
        dataset=DATASET,
        path=path,
        records=len(gold),
        metrics=metrics,
        tables=tables,
        errors=worst_errors(gold, predicted),
        notes=NOTES,
    )


NOTES = [
    "Each sentence is coded alone, dated 2000-01-01 as in the file; the DOCUMENT header record is skipped.",
    "2016 GSR event names are mapped to PLOVER 2021 (data/plover_gsr_labels.yaml): FIGHT→ASSAULT, "
    "DISAPPROVE→ACCUSE, DEMAND→REQUEST, INVESTIGATE→ACCUSE (mode investigate); the other names are "
    "unchanged.",
    f"A sentence where polemos finds no event is labelled {NO_EVENT} (a miss for every gold class).",
    "event_type_any_accuracy: the gold type is the type of any polemos event of the sentence, not only "
    "the main one.",
    "Actors are compared on the main event only, by GSR code: ISO3 country (legacy CAMEO codes "
    "JAP/ITL/VTN mapped to ISO3), IGO/NGO (a polemos actor with sector or type igo/ngo), TRANSNATIONAL "
    "(GSR IMG/ISM; a polemos non-state actor with no country). Sectors: first three letters of the GSR "
    "sector (ethnic suffixes dropped), '***' not scored. For SRC/TAR (reciprocal) records polemos' "
    "sources and targets both count as sources; records with no gold target are not scored for targets.",
    "location_match: the gold eventLoc name equals (case-insensitively) the main event's location name or"
    " the text of one of its place's mentions.",
    "fatalities_match: the main event's fatalities equal the gold 'dead' count (records with 'dead' only).",
]


def evaluate(
    path: str | Path, limit: int | None = None, progress: Progress | None = None, half: str | None = None
) -> EvalResult:
    gold = select(load(path), half, limit)
    import polemos

    documents = [Document(id=record.id, text=record.text, date=record.date) for record in gold]
    predicted: list[Prediction] = []
    for done, (document, result) in enumerate(
        zip(documents, polemos.extract_documents(documents), strict=True), start=1
    ):
        predicted.append(predict(result, document.text))
        if progress:
            progress(done, len(gold))
    return score(gold, predicted, str(path))
