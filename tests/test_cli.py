"""`polemos extract` end to end: formats, the output contract, bad input and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from polemos.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()

DOCUMENT_KEYS = {
    "id",
    "title",
    "url",
    "date",
    "language",
    "actors",
    "relations",
    "events",
    "places",
    "errors",
}
EVENT_KEYS = {
    "id",
    "type",
    "mode",
    "context",
    "cameo",
    "acled_event_type",
    "acled_sub_event_type",
    "source",
    "target",
    "location",
    "date",
    "fatalities",
    "negated",
    "hypothetical",
    "claim",
    "sentence",
    "span",
}
ACTOR_KEYS = {"id", "name", "country", "sector", "type", "mentions"}
PLACE_KEYS = {"id", "name", "geonameid", "lat", "lon", "country", "admin1", "feature", "mentions"}


def run(*args: str, input: str | None = None):
    return runner.invoke(app, ["extract", *args], input=input)


def test_examples_follow_the_output_contract():
    result = run(str(EXAMPLES / "articles"))
    assert result.exit_code == 0, result.output
    documents = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(documents) == 13  # 9 files, one of them JSONL with 4 documents
    for document in documents:
        assert DOCUMENT_KEYS <= document.keys()
        assert not document["errors"], document["errors"]
        assert document["events"], document["id"]
        text = document.get("text")
        for event in document["events"]:
            assert EVENT_KEYS <= event.keys()
            assert {"start", "end", "precision"} <= event["date"].keys()
            assert {"speaker", "status"} <= event["claim"].keys()
            assert event["claim"]["status"] in ("asserted", "alleged", "denied")
            if text is not None:  # HTML: spans index the extracted text that is returned
                start, end = event["span"]
                assert text[start:end].strip() == event["sentence"]
        for actor in document["actors"]:
            assert ACTOR_KEYS <= actor.keys()
        for place in document["places"]:
            assert PLACE_KEYS <= place.keys()


def test_bad_inputs_are_reported_and_the_run_goes_on():
    result = run(str(EXAMPLES / "bad"), str(EXAMPLES / "articles" / "kenya_protest.txt"))
    assert result.exit_code == 0
    documents = {d["id"]: d for d in map(json.loads, result.stdout.splitlines())}
    assert documents["kenya_protest"]["events"]
    failed = {name: d["errors"] for name, d in documents.items() if d["errors"]}
    assert set(failed) == {"empty", "binary", "german", "malformed"}
    assert "Ségou" in documents["latin1"]["title"]  # Latin-1 is recognised and decoded, not mangled
    for name, errors in failed.items():
        assert name in errors[0]  # the message names the input
        assert name in result.stderr


def test_every_document_failing_exits_non_zero():
    result = run(str(EXAMPLES / "bad" / "empty.txt"), str(EXAMPLES / "bad" / "binary.txt"))
    assert result.exit_code == 1
    assert "empty" in result.stderr and "binary" in result.stderr


def test_wrong_arguments_exit_2():
    assert run("no/such/file.txt").exit_code == 2
    assert run(str(EXAMPLES / "articles"), "--date", "25/09/2017").exit_code == 2
    assert run(str(EXAMPLES / "articles"), "--format", "xml").exit_code == 2


def test_stdin_and_date_option():
    text = "Rebels attacked an army checkpoint in Idlib province on Monday, killing three soldiers."
    result = run("-", "--date", "2023-03-15", input=text)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["id"] == "stdin" and document["date"] == "2023-03-15"
    event = document["events"][0]
    assert event["type"] == "ASSAULT" and event["fatalities"] == 3
    assert event["date"]["start"] == "2023-03-13"


def test_json_and_table_formats():
    path = str(EXAMPLES / "articles" / "somalia_shabaab.txt")
    as_json = run(path, "--format", "json")
    assert as_json.exit_code == 0
    documents = json.loads(as_json.stdout)
    assert isinstance(documents, list) and documents[0]["id"] == "somalia_shabaab"
    table = run(path, "--format", "table")
    assert table.exit_code == 0
    assert "Events" in table.stdout and "al-Shabaab" in table.stdout


def test_no_classifier_flag_keeps_only_lexicon_events():
    text = "The European Union imposed new tariffs on Chinese steel.\n"
    with_classifier = json.loads(run("-", input=text).stdout)
    without = json.loads(run("--no-classifier", "-", input=text).stdout)
    assert [event["coded_by"] for event in with_classifier["events"]] == ["classifier"]
    assert without["events"] == []
