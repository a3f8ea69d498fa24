"""CASE 2021 Task 2 (fine-grained event classification): the main event's ACLED sub-event type per snippet.

Gold: ``dev.tsv`` (``id<TAB>EventSnippet<TAB>SubType``), one snippet per row, labels are CASE codes (25 ACLED
sub-event types and 5 "unseen" classes). polemos codes each snippet; its main event (``events[0]``) gives the
prediction through ``data/case2021_labels.yaml``. Scores: accuracy, macro and weighted F1 over the 30 labels,
the same over the 25 ACLED labels, a per-class table and the most frequent confusions.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
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
from polemos.model import Document, DocumentResult, Event

DATASET = "case2021-task2-dev"
GOLD_FILE = "dev.tsv"
LABELS_FILE = Path(__file__).parent / "data" / "case2021_labels.yaml"
TOP_ERRORS = 20
ERRORS_PER_CONFUSION = 2


@dataclass
class Snippet:
    id: str
    text: str
    label: str


@dataclass
class Prediction:
    """What polemos said about one snippet, as a CASE label, with the main event that gave it."""

    label: str
    main_event: str = ""  # "ASSAULT/aerial → Air/drone strike", for people reading errors
    all_labels: set[str] = field(default_factory=set)  # the labels of every event of the snippet


@dataclass
class LabelMap:
    acled: dict[str, str]  # ACLED sub-event type -> CASE code
    event_type: dict[str, str]  # CASE code -> ACLED event type
    unseen: list[dict[str, Any]]
    no_event: str
    unmapped_prefix: str
    incidents: dict[str, str]  # incident category (natural | technological) -> CASE code


# ------------------------------------------------------------------------------------------------- loading


def load(path: str | Path, limit: int | None = None) -> list[Snippet]:
    """The snippets of ``dev.tsv`` in file order (the first ``limit`` of them).

    The file is not CSV-quoted as a whole (snippets hold bare quote characters), so it is read with
    ``QUOTE_NONE``; the few fields written CSV-style (``"...""x""..."``) are unquoted.
    """
    file = Path(path) / GOLD_FILE if Path(path).is_dir() else Path(path)
    snippets = []
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if [column.strip() for column in header[:3]] != ["id", "EventSnippet", "SubType"]:
            raise ValueError(f"{file}: unexpected header {header}")
        for row in reader:
            if not row or not "".join(row).strip():
                continue
            if len(row) != 3:
                raise ValueError(f"{file}: row {reader.line_num} has {len(row)} fields, expected 3")
            snippets.append(Snippet(row[0].strip(), unquote(row[1].strip()), row[2].strip()))
            if limit is not None and len(snippets) >= limit:
                break
    return snippets


def unquote(field_text: str) -> str:
    """A CSV-quoted field's text: ``"a ""b"" c"`` → ``a "b" c``; other text unchanged."""
    if len(field_text) >= 2 and field_text[0] == field_text[-1] == '"':
        return field_text[1:-1].replace('""', '"')
    return field_text


@cache
def load_label_map(file: Path = LABELS_FILE) -> LabelMap:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    acled = {name: entry["case"] for name, entry in data["acled"].items()}
    event_type = {entry["case"]: entry["event_type"] for entry in data["acled"].values()}
    return LabelMap(
        acled,
        event_type,
        data["unseen"],
        data["none"]["no_event"],
        data["none"]["unmapped_prefix"],
        data["incidents"],
    )


# ---------------------------------------------------------------------------------------------- predicting


def event_label(event: Event, labels: LabelMap) -> str:
    """The CASE label of one polemos event.

    An unseen-class rule that holds, else its ACLED sub-event type, else ``NONE:<PLOVER type>``.
    """
    for rule in labels.unseen:
        if _rule_holds(rule, event):
            return rule["label"]
    if event.acled_sub_event_type in labels.acled:
        return labels.acled[event.acled_sub_event_type]
    return f"{labels.unmapped_prefix}{event.type}"


def _rule_holds(rule: dict[str, Any], event: Event) -> bool:
    when = rule.get("when", {})
    if "acled" in when and bool(event.acled_sub_event_type) != when["acled"]:
        return False
    if "types" in rule and event.type not in rule["types"]:
        return False
    if "modes" in rule and event.mode not in rule["modes"]:
        return False
    if "contexts" in rule and not set(rule["contexts"]) & set(event.context):
        return False
    if "sectors" in rule:
        sectors = {actor.sector for actor in [*event.source, *event.target]}
        if not set(rule["sectors"]) & sectors:
            return False
    if "cue_words" in rule:
        words = (event.claim.cue or "").lower().split()
        if not any(word.startswith(start) for word in words for start in rule["cue_words"]):
            return False
    return True


def predict(result: DocumentResult, labels: LabelMap) -> Prediction:
    """The CASE label of a snippet: that of its main event (``events[0]``), NONE when polemos found none."""
    if result.errors and not result.events:
        return Prediction(labels.no_event, "error: " + "; ".join(result.errors))
    all_labels = {event_label(event, labels) for event in result.events}
    all_labels |= {labels.incidents[incident.category] for incident in result.incidents}
    main = result.events[0] if result.events else None
    if result.incidents and (main is None or not main.acled_sub_event_type):
        incident = result.incidents[0]
        return Prediction(
            labels.incidents[incident.category],
            f"incident: {incident.category} {incident.hazard} '{incident.trigger}'",
            all_labels,
        )
    if main is None:
        return Prediction(labels.no_event, "no event")
    return Prediction(event_label(main, labels), describe(main), all_labels)


def describe(event: Event) -> str:
    mode = f"/{event.mode}" if event.mode else ""
    acled = event.acled_sub_event_type or "no ACLED type"
    cue = f", claim cue '{event.claim.cue}'" if event.claim.cue else ""
    return f"{event.type}{mode} '{event.trigger}' → {acled}{cue}"


def code_snippets(snippets: list[Snippet], progress: Progress | None = None) -> list[DocumentResult]:
    """Run polemos once over all snippets (one batched ``extract_documents`` call)."""
    import polemos

    documents = (Document(id=snippet.id, text=snippet.text) for snippet in snippets)
    results = []
    for result in polemos.extract_documents(documents):
        results.append(result)
        if progress:
            progress(len(results), len(snippets))
    return results


# ------------------------------------------------------------------------------------------------- scoring


def score(gold: list[str], predicted: list[Prediction], acled_labels: Iterable[str]) -> dict[str, float]:
    """Headline figures: over all labels, over gold labels of ACLED only, and diagnostics."""
    labels = [p.label for p in predicted]
    _, summary = classification_report(gold, labels)
    acled = set(acled_labels)
    seen = [(g, p) for g, p in zip(gold, labels, strict=True) if g in acled]
    _, seen_summary = classification_report([g for g, _ in seen], [p for _, p in seen])
    return {
        "weighted_f1": summary["weighted_f1"],
        "macro_f1": summary["macro_f1"],
        "accuracy": summary["accuracy"],
        "acled_weighted_f1": seen_summary["weighted_f1"],
        "acled_macro_f1": seen_summary["macro_f1"],
        "acled_accuracy": seen_summary["accuracy"],
        # the gold label is the label of some event of the snippet, not necessarily the main one
        "any_event_accuracy": ratio(
            sum(g in p.all_labels for g, p in zip(gold, predicted, strict=True)), len(gold)
        ),
        # snippets whose prediction is not a CASE label (no event, or an event no rule maps)
        "no_label_rate": ratio(sum(p.label.startswith("NONE") for p in predicted), len(gold)),
    }


def event_type_accuracy(gold: list[str], predicted: list[str], labels: LabelMap) -> float:
    """Accuracy at the level of ACLED event types, over snippets whose gold label is an ACLED type."""
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g in labels.event_type]
    hits = sum(labels.event_type[g] == labels.event_type.get(p) for g, p in pairs)
    return ratio(hits, len(pairs))


def worst_errors(
    snippets: list[Snippet], predicted: list[Prediction], labels: LabelMap, top: int = TOP_ERRORS
) -> list[ErrorCase]:
    """Misclassified snippets, the most frequent confusions first, at most two examples per confusion.

    Within that order a wrong label of another ACLED event type (or an unseen class) ranks before a near miss
    (same event type), and a near miss before no label at all.
    """
    pairs = Counter(
        (s.label, p.label) for s, p in zip(snippets, predicted, strict=True) if s.label != p.label
    )

    def severity(gold: str, got: str) -> int:
        if got.startswith("NONE"):
            return 2
        same_type = labels.event_type.get(gold) and labels.event_type.get(gold) == labels.event_type.get(got)
        return 1 if same_type else 0

    wrong = [(s, p) for s, p in zip(snippets, predicted, strict=True) if s.label != p.label]
    wrong.sort(key=lambda sp: (-pairs[(sp[0].label, sp[1].label)], severity(sp[0].label, sp[1].label)))
    shown: Counter[tuple[str, str]] = Counter()
    errors = []
    for snippet, prediction in wrong:
        key = (snippet.label, prediction.label)
        if shown[key] >= ERRORS_PER_CONFUSION:
            continue
        shown[key] += 1
        note = f"main event: {prediction.main_event}; confusion seen {pairs[key]}×"
        errors.append(ErrorCase(snippet.id, snippet.text, snippet.label, prediction.label, note))
        if len(errors) >= top:
            break
    return errors


# ------------------------------------------------------------------------------------------------ evaluate


def evaluate(
    path: str | Path, limit: int | None = None, progress: Progress | None = None, half: str | None = None
) -> EvalResult:
    labels = load_label_map()
    snippets = select(load(path), half, limit)
    results = code_snippets(snippets, progress)
    predicted = [predict(result, labels) for result in results]
    gold = [s.label for s in snippets]
    got = [p.label for p in predicted]
    acled_labels = set(labels.acled.values())
    metrics = score(gold, predicted, acled_labels)
    metrics["acled_event_type_accuracy"] = event_type_accuracy(gold, got, labels)
    per_class, _ = classification_report(gold, got)
    predicted_counts = Counter(got)
    tables = [
        per_class_table("Per class (gold CASE labels)", per_class),
        Table(
            "Most frequent confusions",
            ["gold", "polemos", "count"],
            [list(row) for row in confusions(gold, got, top=20)],
        ),
        Table(
            "Predictions that are not CASE labels",
            ["polemos", "count"],
            [[label, n] for label, n in predicted_counts.most_common() if label.startswith("NONE")],
        ),
    ]
    failed = sum(bool(r.errors) for r in results)
    notes = [
        f"{len(snippets)} snippets read from {GOLD_FILE} (tab-separated, read without CSV quoting; "
        "CSV-quoted fields unquoted); none skipped.",
        "Prediction: the ACLED sub-event type of polemos' main event (events[0], the most salient), "
        "mapped to CASE codes one to one (data/case2021_labels.yaml).",
        "Unseen classes, by ordered rules on the main event (never on the gold label): ATTRIB when its "
        "claim cue is a claim of responsibility or blame ('claimed responsibility', 'took credit', "
        "'blamed'), or it is a non-ACLED ACCUSE (allege/investigate); ORG_CRIME when it is not ACLED-coded "
        "and one of its actors has PLOVER sector CRM; DIPLO when it is not ACLED-coded and is a "
        "verbal/cooperative act (AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, REQUEST, ACCUSE, REJECT, "
        "THREATEN) or SANCTION, or carries context 'diplomatic'.",
        "Disasters: when polemos reports an incident (natural → NATURAL_DISASTER, technological → "
        "MAN_MADE_DISASTER) and the main event has no ACLED type (or there is no event), the first incident "
        "gives the label.",
        "NONE = polemos found no event; NONE:<PLOVER type> = its main event has no ACLED type and no rule "
        "maps it. Both count as errors (false positives of no gold class).",
        "acled_* metrics: over snippets whose gold label is one of the 25 ACLED sub-event types; "
        "acled_event_type_accuracy: the ACLED event type (Battles, Riots, ...) is right; any_event_accuracy: "
        "the gold label is the label of any event polemos found in the snippet (main or not).",
    ]
    if failed:
        notes.append(f"{failed} snippets gave pipeline errors (scored as they came out).")
    return EvalResult(
        dataset=DATASET,
        path=str(path),
        records=len(snippets),
        metrics=metrics,
        tables=tables,
        errors=worst_errors(snippets, predicted, labels),
        notes=notes,
    )
