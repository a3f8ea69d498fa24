"""CASE 2021 Task 2 evaluation: label mapping rules, scorers, loader, and a smoke run on the gold set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from polemos.eval import case2021
from polemos.eval.case2021 import Prediction, Snippet
from polemos.model import ActorRef, Claim, DateRange, DocumentResult, Event, Incident

LABELS = case2021.load_label_map()


def make_event(
    type_: str = "ASSAULT",
    acled: str | None = None,
    mode: str | None = None,
    context: tuple[str, ...] = (),
    cue: str | None = None,
    sectors: tuple[str | None, ...] = (),
) -> Event:
    actors = [ActorRef(f"a{i}", f"actor {i}", None, sector, "x", (0, 1)) for i, sector in enumerate(sectors)]
    return Event(
        id="e1",
        type=type_,
        mode=mode,
        context=list(context),
        cameo="19",
        acled_event_type=None,
        acled_sub_event_type=acled,
        source=actors,
        target=[],
        location=None,
        date=DateRange(None, None, "unknown"),
        fatalities=None,
        negated=False,
        hypothetical=False,
        claim=Claim({"kind": "outlet", "name": "x"}, "asserted", cue=cue),
        sentence="s",
        span=(0, 1),
    )


def result_with(*events: Event) -> DocumentResult:
    return DocumentResult(id="d", title=None, url=None, date=None, language="en", events=list(events))


# ------------------------------------------------------------------------------------------- label mapping


@pytest.mark.parametrize(
    ("event", "label"),
    [
        (make_event(acled="Air/drone strike", mode="aerial"), "AIR_STRIKE"),
        (make_event(acled="Shelling/artillery/missile attack"), "ART_MISS_ATTACK"),
        (make_event("PROTEST", acled="Excessive force against protesters"), "FORCE_AGAINST_PROTEST"),
        (make_event("COERCE", acled="Arrests", mode="arrest"), "ARREST"),
        # a claim of responsibility makes an attack an attribution, whatever its ACLED type
        (make_event(acled="Suicide bomb", cue="claimed responsibility"), "ATTRIB"),
        (make_event("SANCTION", cue="blaming"), "ATTRIB"),
        (make_event("ACCUSE", mode="allege"), "ATTRIB"),
        (make_event("ACCUSE", mode="disapprove"), "DIPLO"),
        (make_event("CONSULT", mode="visit"), "DIPLO"),
        (make_event("SANCTION", mode="expel", context=("diplomatic",)), "DIPLO"),
        (make_event("COERCE", mode="seize", sectors=("CRM",)), "ORG_CRIME"),
        # an ACLED-coded event with a criminal actor keeps its ACLED label
        (make_event(acled="Attack", sectors=("CRM",)), "ATTACK"),
        (make_event("COERCE", mode="seize"), "NONE:COERCE"),
        (make_event("MOBILIZE", acled="Other"), "OTHER"),
        # a cue word that merely contains a rule's letters does not count
        (make_event("SANCTION", cue="said"), "DIPLO"),
    ],
)
def test_event_label(event, label):
    assert case2021.event_label(event, LABELS) == label


def test_predict_uses_the_main_event_and_collects_all_labels():
    main = make_event(acled="Armed clash")
    other = make_event(acled="Grenade")
    prediction = case2021.predict(result_with(main, other), LABELS)
    assert prediction.label == "ARMED_CLASH"
    assert prediction.all_labels == {"ARMED_CLASH", "GRENADE"}
    assert "Armed clash" in prediction.main_event


def test_predict_without_events_is_none():
    assert case2021.predict(result_with(), LABELS).label == "NONE"


def test_every_acled_sub_event_type_of_polemos_has_a_case_label():
    acled_file = Path(case2021.__file__).parents[1] / "events" / "data" / "acled.yaml"
    taxonomy = yaml.safe_load(acled_file.read_text(encoding="utf-8"))["taxonomy"]
    sub_types = {sub for subs in taxonomy.values() for sub in subs}
    assert sub_types == set(LABELS.acled)
    assert len(set(LABELS.acled.values())) == len(LABELS.acled) == 25  # one to one


# ------------------------------------------------------------------------------------------- scoring


def test_score_known_answers():
    gold = ["A", "A", "B", "C"]
    predicted = [
        Prediction("A", all_labels={"A"}),
        Prediction("B", all_labels={"B", "A"}),
        Prediction("B", all_labels={"B"}),
        Prediction("NONE"),
    ]
    metrics = case2021.score(gold, predicted, acled_labels={"A", "B"})
    # A: P 1, R .5, F1 2/3; B: P .5, R 1, F1 2/3; C: F1 0
    assert metrics["accuracy"] == pytest.approx(0.5)
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 3)
    assert metrics["weighted_f1"] == pytest.approx((2 / 3 * 2 + 2 / 3) / 4)
    # over gold A, A, B only: predictions A, B, B
    assert metrics["acled_accuracy"] == pytest.approx(2 / 3)
    assert metrics["any_event_accuracy"] == pytest.approx(3 / 4)
    assert metrics["no_label_rate"] == pytest.approx(1 / 4)


def test_event_type_accuracy_counts_same_acled_event_type():
    gold = ["AIR_STRIKE", "ARMED_CLASH", "PEACE_PROTEST", "DIPLO"]
    got = ["ART_MISS_ATTACK", "ATTACK", "PEACE_PROTEST", "NONE"]
    # AIR_STRIKE/ART_MISS_ATTACK: both Explosions/Remote violence; ARMED_CLASH vs ATTACK differ;
    # DIPLO is not an ACLED label
    assert case2021.event_type_accuracy(gold, got, LABELS) == pytest.approx(2 / 3)


def test_worst_errors_most_frequent_confusion_first_two_examples_each():
    snippets = [Snippet(str(i), f"text {i}", gold) for i, gold in enumerate(["A"] * 3 + ["B", "C"])]
    predicted = [Prediction("X")] * 3 + [Prediction("Y"), Prediction("C")]
    errors = case2021.worst_errors(snippets, predicted, LABELS, top=10)
    assert [(e.expected, e.got) for e in errors] == [("A", "X"), ("A", "X"), ("B", "Y")]
    assert errors[0].text == "text 0"


# ------------------------------------------------------------------------------------------- loader


def test_load_reads_bare_and_csv_quotes(tmp_path):
    rows = [
        "id\tEventSnippet\tSubType",
        '1\tHe said "we will march\tPEACE_PROTEST',
        "3\tTroops shelled the town.\tART_MISS_ATTACK",
        '5\t"Biden: the junta must ""relinquish"" power"\tDIPLO',
        "",
        "7\tA flood hit the valley.\tNATURAL_DISASTER",
    ]
    (tmp_path / "dev.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    snippets = case2021.load(tmp_path)
    assert [s.id for s in snippets] == ["1", "3", "5", "7"]
    assert snippets[0].text == 'He said "we will march'
    assert snippets[2].text == 'Biden: the junta must "relinquish" power'
    assert snippets[3].label == "NATURAL_DISASTER"
    assert [s.id for s in case2021.load(tmp_path, limit=2)] == ["1", "3"]


def test_load_rejects_a_wrong_header(tmp_path):
    (tmp_path / "dev.tsv").write_text("a\tb\tc\n1\tx\tY\n", encoding="utf-8")
    with pytest.raises(ValueError):
        case2021.load(tmp_path)


# ------------------------------------------------------------------------------------------- smoke


def test_evaluate_on_the_gold_set(shared):
    result = case2021.evaluate(shared / "gold" / "case2021-task2-dev", limit=20)
    assert result.records == 20
    assert result.dataset == "case2021-task2-dev"
    for name in ("weighted_f1", "macro_f1", "accuracy", "acled_weighted_f1"):
        assert 0.0 <= result.metrics[name] <= 1.0
    assert all(0.0 <= value <= 1.0 for value in result.metrics.values())
    assert result.tables[0].rows and len(result.tables[0].columns) == 5
    assert len(result.errors) <= 20
    assert all(error.expected != error.got for error in result.errors)
    assert result.notes


def make_incident(category: str, hazard: str = "flood") -> Incident:
    return Incident("i1", category, hazard, [hazard], hazard, (0, 5), "s", (0, 1))


@pytest.mark.parametrize(
    ("category", "label"), [("natural", "NATURAL_DISASTER"), ("technological", "MAN_MADE_DISASTER")]
)
def test_an_incident_gives_the_label_when_no_acled_event_leads(category, label):
    result = result_with()
    result.incidents = [make_incident(category)]
    assert case2021.predict(result, LABELS).label == label
    result = result_with(make_event("AID"))
    result.incidents = [make_incident(category)]
    assert case2021.predict(result, LABELS).label == label


def test_an_acled_event_outranks_an_incident():
    result = result_with(make_event(acled="Armed clash"))
    result.incidents = [make_incident("natural")]
    prediction = case2021.predict(result, LABELS)
    assert prediction.label == "ARMED_CLASH"
    assert prediction.all_labels == {"ARMED_CLASH", "NATURAL_DISASTER"}
