"""re3d (Dstl, 2017): Organisation / Person / Location entities and actor relations in Syria/Iraq documents.

The gold set has one folder per source (BBC_Online, CENTCOM, UK_Government, …), each with three mongoexport
JSON-lines files: ``documents.json`` (``_id``, ``title``, ``text``, …), ``entities.json`` (``documentId``,
``begin``/``end`` character offsets into ``text``, ``type``, ``value``, ``confidence``) and ``relations.json``
(``sourceBegin``/``sourceEnd``, ``targetBegin``/``targetEnd``, ``type``, ``confidence``, …).

Entities: polemos' actor mentions (persons → Person, other actors → Organisation) and place mentions
(→ Location) are matched one-to-one with gold spans of the same type that overlap them. Relations: a polemos
relation (mapped by ``data/re3d_mapping.yaml``) is right when a gold relation of the mapped type links a
mention of each of its two actors; a gold relation is found when such a polemos relation exists.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import zip_longest
from pathlib import Path
from typing import Any

import yaml

from polemos.eval.base import ErrorCase, EvalResult, Progress, Table, f1, ratio, select
from polemos.model import Document, DocumentResult

DATASET = "re3d"
MAPPING_FILE = "re3d_mapping.yaml"
WORST_ERRORS = 20
CONTEXT_CHARS = 300  # longest context shown with an error

Span = tuple[int, int]


@dataclass(frozen=True)
class RelationRule:
    type: str  # re3d relation type
    symmetric: bool
    reverse: bool


@dataclass(frozen=True)
class Mapping:
    """``data/re3d_mapping.yaml``."""

    min_confidence: float
    actor_types: dict[str, str]
    place_type: str
    entity_types: tuple[str, ...]
    relations: dict[str, RelationRule]
    relation_argument_types: frozenset[str]


@cache
def mapping() -> Mapping:
    text = resources.files("polemos.eval").joinpath(f"data/{MAPPING_FILE}").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Mapping(
        min_confidence=float(data["min_confidence"]),
        actor_types=dict(data["actor_types"]),
        place_type=data["place_type"],
        entity_types=tuple(data["entity_types"]),
        relations={
            name: RelationRule(rule["type"], bool(rule.get("symmetric")), bool(rule.get("reverse")))
            for name, rule in data["relations"].items()
        },
        relation_argument_types=frozenset(data["relation_argument_types"]),
    )


@dataclass(frozen=True)
class GoldEntity:
    type: str
    span: Span
    text: str
    confidence: float = 1.0


@dataclass(frozen=True)
class GoldRelation:
    type: str
    source: Span
    target: Span
    source_text: str
    target_text: str
    source_type: str | None = None  # type of the gold entity at the source span, if any
    target_type: str | None = None
    cue: str = ""  # the relation's evidence words ("fighting against", "in")
    confidence: float = 1.0


@dataclass
class GoldDocument:
    id: str
    folder: str  # the source folder (BBC_Online, CENTCOM, …)
    title: str
    text: str
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)
    uncertain: list[GoldEntity] = field(default_factory=list)  # annotations below the confidence threshold
    offset_mismatches: int = 0  # entity spans whose text differs from the value (beyond whitespace/quotes)


@dataclass(frozen=True)
class PredEntity:
    type: str
    span: Span
    name: str  # the actor's or place's canonical name


@dataclass(frozen=True)
class PredRelation:
    type: str  # re3d relation type
    source: tuple[Span, ...]  # mentions of polemos' actor (the re3d source, after ``reverse``)
    target: tuple[Span, ...]
    symmetric: bool
    label: str  # "Islamic State fighting Iraq"
    origin: str = "text"


# --- loading ------------------------------------------------------------------------------------------------


def read_json_lines(file: Path) -> Iterator[dict[str, Any]]:
    """The objects of a mongoexport file (one JSON object a line; a BOM and blank lines allowed)."""
    with file.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _comparable(text: str) -> str:
    return " ".join(text.replace("“", "'").replace("”", "'").replace('"', "'").split())


def load_folder(folder: Path, min_confidence: float) -> list[GoldDocument]:
    """The documents of one source folder with their gold entities and relations (confidence ≥ min)."""
    documents = {
        raw["_id"]: GoldDocument(raw["_id"], folder.name, raw.get("title") or "", raw["text"])
        for raw in read_json_lines(folder / "documents.json")
    }
    types: dict[tuple[str, Span], str] = {}
    for raw in read_json_lines(folder / "entities.json"):
        document = documents.get(raw["documentId"])
        if document is None:
            continue
        span = (int(raw["begin"]), int(raw["end"]))
        if float(raw.get("confidence", 1)) < min_confidence:
            document.uncertain.append(
                GoldEntity(raw["type"], span, raw.get("value", ""), float(raw["confidence"]))
            )
            continue
        if _comparable(document.text[span[0] : span[1]]) != _comparable(raw.get("value", "")):
            document.offset_mismatches += 1
        document.entities.append(
            GoldEntity(raw["type"], span, raw.get("value", ""), float(raw["confidence"]))
        )
        types.setdefault((document.id, span), raw["type"])
    relations_file = folder / "relations.json"
    for raw in read_json_lines(relations_file) if relations_file.exists() else ():
        document = documents.get(raw["documentId"])
        if document is None or float(raw.get("confidence", 1)) < min_confidence:
            continue
        source = (int(raw["sourceBegin"]), int(raw["sourceEnd"]))
        target = (int(raw["targetBegin"]), int(raw["targetEnd"]))
        document.relations.append(
            GoldRelation(
                raw["type"],
                source,
                target,
                raw.get("source", ""),
                raw.get("target", ""),
                types.get((document.id, source)),
                types.get((document.id, target)),
                raw.get("value", ""),
                float(raw["confidence"]),
            )
        )
    for document in documents.values():
        document.entities.sort(key=lambda entity: entity.span)
    return list(documents.values())


def load(
    path: str | Path, limit: int | None = None, min_confidence: float | None = None
) -> list[GoldDocument]:
    """The gold documents of the source folders under ``path`` (folders by name, documents in file order)."""
    threshold = mapping().min_confidence if min_confidence is None else min_confidence
    folders = sorted(folder for folder in Path(path).iterdir() if (folder / "documents.json").is_file())
    documents = [document for folder in folders for document in load_folder(folder, threshold)]
    return documents[:limit] if limit is not None else documents


# --- polemos output → predictions ---------------------------------------------------------------------------


def predict(result: DocumentResult) -> tuple[list[PredEntity], list[PredRelation]]:
    """polemos' actor and place mentions as typed entities, and its relations in re3d terms."""
    rules = mapping()
    entities = [
        PredEntity(rules.actor_types.get(actor.type, "Organisation"), (start, end), actor.name)
        for actor in result.actors
        for start, end in actor.mentions
    ]
    # a name that polemos reads as an actor there ("France said", "U.S. forces") is not also a Location:
    # its place record keeps the mention for geocoding, but the text names the state as a doer
    acting = [span for actor in result.actors for span in actor.mentions]
    entities += [
        PredEntity(rules.place_type, (start, end), place.name)
        for place in result.places
        for start, end in place.mentions
        if not any(overlap((start, end), tuple(span)) for span in acting)
    ]
    entities.sort(key=lambda entity: entity.span)
    mentions = {actor.id: tuple((start, end) for start, end in actor.mentions) for actor in result.actors}
    relations = []
    for relation in result.relations:
        rule = rules.relations.get(relation.relation)
        if rule is None:
            continue
        source, target = mentions.get(relation.actor, ()), mentions.get(relation.other, ())
        if rule.reverse:
            source, target = target, source
        label = f"{relation.actor_name} {relation.relation} {relation.other_name}"
        relations.append(PredRelation(rule.type, source, target, rule.symmetric, label, relation.origin))
    return entities, relations


# --- scorers (pure) -----------------------------------------------------------------------------------------


def overlap(a: Span, b: Span) -> int:
    """Characters two spans share (0 when they do not overlap)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of overlapping spans, largest overlaps first."""
    candidates = sorted(
        ((overlap(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted) if overlap(g, p)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_predicted:
            used_gold.add(i)
            used_predicted.add(j)
            pairs.append((i, j))
    return sorted(pairs)


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    ignored: int = 0  # unmatched predictions on a span the annotators left uncertain: not counted as wrong

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.ignored += other.ignored

    @property
    def precision(self) -> float:
        return ratio(self.matched, self.predicted - self.ignored)

    @property
    def strict_precision(self) -> float:
        return ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.matched, self.gold)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


ALL = "ALL (untyped)"


def span_counts(gold: Sequence[Span], predicted: Sequence[Span], uncertain: Sequence[Span] = ()) -> Counts:
    """Gold, predicted, matched (one-to-one overlap) and ignored: unmatched predictions that overlap no gold
    span but an uncertain one."""
    pairs = match_spans(gold, predicted)
    matched = {j for _, j in pairs}
    ignored = sum(
        1
        for j, span in enumerate(predicted)
        if j not in matched
        and not any(overlap(span, g) for g in gold)
        and any(overlap(span, u) for u in uncertain)
    )
    return Counts(len(gold), len(predicted), len(pairs), ignored)


def entity_counts(
    gold: Sequence[GoldEntity],
    predicted: Sequence[PredEntity],
    types: Iterable[str],
    uncertain: Sequence[GoldEntity] = (),
) -> dict[str, Counts]:
    """Per type (and untyped, under ``ALL``) counts of one document; ``uncertain``: low-confidence annotations
    (of any of ``types``) whose spans make an otherwise unmatched prediction ignored rather than wrong."""
    types = list(types)
    certain = [entity.span for entity in gold if entity.type in types]
    uncertain_spans = [  # spans the annotators rejected for every type (none reached the threshold)
        entity.span
        for entity in uncertain
        if entity.type in types and not any(overlap(entity.span, span) for span in certain)
    ]
    counts = {}
    for entity_type in [*types, ALL]:
        wanted = types if entity_type == ALL else [entity_type]
        counts[entity_type] = span_counts(
            [entity.span for entity in gold if entity.type in wanted],
            [entity.span for entity in predicted if entity.type in wanted],
            uncertain_spans,
        )
    return counts


def scored_relations(relations: Iterable[GoldRelation]) -> list[GoldRelation]:
    """Gold relations polemos could produce: a mapped type between two actor-like gold entities."""
    rules = mapping()
    types = {rule.type for rule in rules.relations.values()}
    return [
        relation
        for relation in relations
        if relation.type in types
        and relation.source_type in rules.relation_argument_types
        and relation.target_type in rules.relation_argument_types
    ]


def relation_matches(gold: GoldRelation, predicted: PredRelation) -> bool:
    """Same type, and a mention of each polemos actor overlaps the gold arguments (any order if symmetric)."""
    if gold.type != predicted.type:
        return False

    def touches(spans: Sequence[Span], span: Span) -> bool:
        return any(overlap(mention, span) for mention in spans)

    forward = touches(predicted.source, gold.source) and touches(predicted.target, gold.target)
    backward = touches(predicted.source, gold.target) and touches(predicted.target, gold.source)
    return forward or (predicted.symmetric and backward)


@dataclass
class RelationCounts:
    gold: int = 0
    found: int = 0  # gold relations some polemos relation matches
    predicted: int = 0
    correct: int = 0  # polemos relations some gold relation matches

    def add(self, other: RelationCounts) -> None:
        self.gold += other.gold
        self.found += other.found
        self.predicted += other.predicted
        self.correct += other.correct

    @property
    def precision(self) -> float:
        return ratio(self.correct, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.found, self.gold)


def relation_counts(
    gold: Sequence[GoldRelation], predicted: Sequence[PredRelation]
) -> dict[str, RelationCounts]:
    """Per re3d relation type, in one document (``gold`` already restricted by ``scored_relations``)."""
    counts: dict[str, RelationCounts] = defaultdict(RelationCounts)
    for relation in gold:
        counts[relation.type].gold += 1
        counts[relation.type].found += any(relation_matches(relation, p) for p in predicted)
    for relation in predicted:
        counts[relation.type].predicted += 1
        counts[relation.type].correct += any(relation_matches(g, relation) for g in gold)
    return dict(counts)


# --- report -------------------------------------------------------------------------------------------------


def context(text: str, span: Span) -> str:
    """The sentence (roughly) around ``span``, at most CONTEXT_CHARS characters."""
    start = max(text.rfind(".", 0, span[0]), text.rfind("\n", 0, span[0])) + 1
    ends = [position for position in (text.find(".", span[1]), text.find("\n", span[1])) if position >= 0]
    end = min(ends) + 1 if ends else len(text)
    start = max(start, span[0] - CONTEXT_CHARS // 2)
    end = min(end, span[1] + CONTEXT_CHARS // 2)
    return text[start:end].strip()


def entity_errors(document: GoldDocument, predicted: Sequence[PredEntity]) -> dict[str, list[ErrorCase]]:
    """Missed gold entities, wrongly typed ones and spurious predictions of one document, by kind."""
    types = mapping().entity_types
    gold = [entity for entity in document.entities if entity.type in types]
    errors: dict[str, list[ErrorCase]] = defaultdict(list)
    matched_gold: set[int] = set()
    matched_predicted: set[int] = set()
    for entity_type in types:
        gold_index = [i for i, entity in enumerate(gold) if entity.type == entity_type]
        predicted_index = [j for j, entity in enumerate(predicted) if entity.type == entity_type]
        for i, j in match_spans(
            [gold[i].span for i in gold_index], [predicted[j].span for j in predicted_index]
        ):
            matched_gold.add(gold_index[i])
            matched_predicted.add(predicted_index[j])
    for j, entity in enumerate(predicted):
        if j in matched_predicted:
            continue
        text = document.text[entity.span[0] : entity.span[1]]
        others = [g for g in document.entities if overlap(g.span, entity.span)]
        if others:
            best = max(others, key=lambda g: overlap(g.span, entity.span))
            if best.type == entity.type:
                kind, expected = "second match", f"{best.type}: '{best.text}' (matched by another mention)"
            elif best.type in types:
                kind, expected = "wrong type", f"{best.type}: '{best.text}'"
            else:
                kind, expected = "not an O/P/L entity", f"{best.type}: '{best.text}' (not scored)"
        elif any(overlap(u.span, entity.span) for u in document.uncertain if u.type in types):
            # no certain gold span overlaps it (``others`` is empty): ignored as in ``entity_counts``
            continue  # ignored: the annotators left this span uncertain
        else:
            kind, expected = "spurious", "no gold entity"
        errors[kind].append(
            ErrorCase(
                document.id, context(document.text, entity.span), expected, f"{entity.type}: '{text}'", kind
            )
        )
    for i, entity in enumerate(gold):
        if i not in matched_gold and not any(overlap(p.span, entity.span) for p in predicted):
            errors["missed"].append(
                ErrorCase(
                    document.id,
                    context(document.text, entity.span),
                    f"{entity.type}: '{entity.text}'",
                    "nothing",
                    "missed",
                )
            )
    return errors


def relation_errors(
    document: GoldDocument, gold: Sequence[GoldRelation], predicted: Sequence[PredRelation]
) -> dict[str, list[ErrorCase]]:
    errors: dict[str, list[ErrorCase]] = defaultdict(list)
    for relation in gold:
        if not any(relation_matches(relation, p) for p in predicted):
            span = (min(relation.source[0], relation.target[0]), max(relation.source[1], relation.target[1]))
            expected = f"{relation.source_text} {relation.type} {relation.target_text}"
            errors["relation missed"].append(
                ErrorCase(document.id, context(document.text, span), expected, "nothing", "relation missed")
            )
    for relation in predicted:
        if not any(relation_matches(g, relation) for g in gold):
            span = relation.source[0] if relation.source else (0, 0)
            errors["relation spurious"].append(
                ErrorCase(
                    document.id,
                    context(document.text, span),
                    "no such gold relation",
                    f"{relation.label} ({relation.type}, origin {relation.origin})",
                    "relation spurious",
                )
            )
    return errors


def interleave(groups: Sequence[Sequence[ErrorCase]], top: int) -> list[ErrorCase]:
    """Round-robin over error kinds, so that each kind shows up among the first ``top``."""
    merged = [case for row in zip_longest(*groups) for case in row if case is not None]
    return merged[:top]


def counts_table(title: str, counts: dict[str, Counts]) -> Table:
    return Table(
        title,
        ["type", "precision", "recall", "F1", "gold", "predicted", "matched", "ignored", "strict precision"],
        [
            [
                name,
                round(c.precision, 3),
                round(c.recall, 3),
                round(c.f1, 3),
                c.gold,
                c.predicted,
                c.matched,
                c.ignored,
                round(c.strict_precision, 3),
            ]
            for name, c in counts.items()
        ],
    )


def score(
    gold: Sequence[GoldDocument],
    predicted: Sequence[tuple[list[PredEntity], list[PredRelation]]],
    path: str = "",
) -> EvalResult:
    """Metrics, tables and worst errors of ``predicted`` against ``gold`` (pure)."""
    types = mapping().entity_types
    totals: dict[str, Counts] = {name: Counts() for name in (*types, ALL)}
    by_folder: dict[str, Counts] = defaultdict(Counts)
    relations: dict[str, RelationCounts] = defaultdict(RelationCounts)
    relation_origins: Counter[tuple[str, bool]] = Counter()
    errors: dict[str, list[ErrorCase]] = defaultdict(list)
    for document, (entities, predicted_relations) in zip(gold, predicted, strict=True):
        counts = entity_counts(document.entities, entities, types, document.uncertain)
        for name, count in counts.items():
            totals[name].add(count)
        by_folder[document.folder].add(counts[ALL])
        gold_relations = scored_relations(document.relations)
        for name, count in relation_counts(gold_relations, predicted_relations).items():
            relations[name].add(count)
        for relation in predicted_relations:
            relation_origins[relation.origin, any(relation_matches(g, relation) for g in gold_relations)] += 1
        for kind, cases in (
            entity_errors(document, entities) | relation_errors(document, gold_relations, predicted_relations)
        ).items():
            errors[kind] += cases
    typed = Counts()
    for name in types:
        typed.add(totals[name])
    relation_total = RelationCounts()
    for count in relations.values():
        relation_total.add(count)
    metrics: dict[str, float] = {}
    for name in types:
        key = name.lower()
        metrics |= {
            f"{key}_precision": totals[name].precision,
            f"{key}_recall": totals[name].recall,
            f"{key}_f1": totals[name].f1,
        }
    metrics |= {
        "entity_micro_precision": typed.precision,
        "entity_micro_precision_strict": typed.strict_precision,
        "entity_micro_recall": typed.recall,
        "entity_micro_f1": typed.f1,
        "entity_untyped_f1": totals[ALL].f1,
        "relation_precision": relation_total.precision,
        "relation_recall": relation_total.recall,
        "relation_f1": f1(relation_total.precision, relation_total.recall),
    }
    error_kinds = [
        "wrong type",
        "missed",
        "spurious",
        "relation missed",
        "relation spurious",
        "not an O/P/L entity",
        "second match",
    ]
    tables = [
        counts_table("Entities (one-to-one overlapping spans)", totals | {"micro (typed)": typed}),
        counts_table("Entities per source folder (untyped)", dict(sorted(by_folder.items()))),
        Table(
            "Relations (re3d type; gold between two Organisation/Person entities)",
            ["type", "precision", "recall", "gold", "found", "predicted", "correct"],
            [
                [name, round(c.precision, 3), round(c.recall, 3), c.gold, c.found, c.predicted, c.correct]
                for name, c in sorted(relations.items())
            ],
        ),
        Table(
            "polemos relations by origin",
            ["origin", "correct", "predicted"],
            [
                [
                    origin,
                    relation_origins[origin, True],
                    relation_origins[origin, True] + relation_origins[origin, False],
                ]
                for origin in sorted({origin for origin, _ in relation_origins})
            ],
        ),
        Table(
            "Errors by kind",
            ["kind", "count"],
            [[kind, len(errors[kind])] for kind in error_kinds if errors.get(kind)],
        ),
    ]
    mismatches = sum(document.offset_mismatches for document in gold)
    notes = [
        *NOTES,
        f"{mismatches} gold entity spans whose text differs from their value beyond whitespace/quotes.",
    ]
    return EvalResult(
        dataset=DATASET,
        path=path,
        records=len(gold),
        metrics=metrics,
        tables=tables,
        errors=interleave([errors[kind] for kind in error_kinds], WORST_ERRORS),
        notes=notes,
    )


NOTES = [
    "Records are documents (98 in the full set); each is coded whole, without a date (re3d gives none).",
    "Gold entities and relations are those with IBCC confidence ≥ 0.5 (data/re3d_mapping.yaml): lower "
    "ones are the crowd-rejected candidates (nested alternatives, mistyped spans).",
    "Entities: polemos actor mentions (type person → Person, every other actor type → Organisation) and "
    "place mentions (→ Location) are matched one-to-one with overlapping gold spans of the same type, "
    "largest overlap first. A place mention that is also an actor mention (a state that acts: 'France "
    "said', 'U.S. forces') is scored as the actor only. The untyped figure ignores the type. "
    "Gold Nationality, Temporal, Weapon, … are not scored.",
    "An unmatched prediction that overlaps no certain gold span but only annotations below the threshold "
    "(e.g. 'Israel' in 'Syria has accused Israel', rejected both as Organisation and as Location) is "
    "ignored; 'strict precision' counts it as wrong.",
    "Relations: fighting → FightingAgainst, allied_with and backed_by → AlliesOf (symmetric), part_of → "
    "BelongsTo, led_by → InChargeOf reversed. A polemos relation is right when a gold relation of that "
    "type links a mention of each of its actors (any mention in the document); gold relations count when "
    "both arguments are gold Organisation/Person entities. Relations from the actor dictionary (origin "
    "'dictionary') are scored too.",
]


def evaluate(
    path: str | Path, limit: int | None = None, progress: Progress | None = None, half: str | None = None
) -> EvalResult:
    gold = select(load(path), half, limit)
    import polemos

    documents = [Document(id=document.id, text=document.text, title=None) for document in gold]
    predicted = []
    for done, result in enumerate(polemos.extract_documents(documents), start=1):
        predicted.append(predict(result))
        if progress:
            progress(done, len(gold))
    return score(gold, predicted, str(path))
