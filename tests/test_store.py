"""The event store on SQLite and PostgreSQL: storing, merging across articles, claims, queries, idempotence,
kill -9 and resume, and the same answers from both databases."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import polemos
from polemos.cli import app
from polemos.store import StoreError, open_store
from polemos.store.database import Database
from polemos.store.records import fold

# Three outlets report one shelling; a fourth article reports another event elsewhere.
SHELLING = [
    (
        "Hayat Tahrir al-Sham fighters shelled the town of Kafr Nabl on Monday, killing five civilians, a "
        "local official said.",
        "https://levantwire.example/a",
    ),
    (
        "Five civilians were killed on Monday when Hayat Tahrir al-Sham shelled Kafr Nabl in Idlib province, "
        "residents said.",
        "https://www.syria-monitor.example/b",
    ),
    (
        "HTS militants shelled Kafr Nabl on Monday, killing seven people, according to state media.",
        "https://news.example.org/c",
    ),
    (
        "Protesters gathered in Kyiv on Monday to demand the release of prisoners of war.",
        "https://kyiv.example/d",
    ),
]
ALLEGATION = (
    "The Pentagon accused Russia of bombing SDF fighters near Deir ez-Zor on Saturday.",
    "https://www.reuters.com/world/1",
)
DENIAL = (
    "Russia denied that its aircraft bombed SDF positions near Deir ez-Zor on Saturday.",
    "https://tass.com/politics/2",
)
DATE = "2023-03-15"


@pytest.fixture(scope="module")
def coded() -> dict[str, tuple[dict, str]]:
    """Every test article coded once: url → (result, text)."""
    articles = {url: (text, DATE) for text, url in SHELLING}
    articles[ALLEGATION[1]] = (ALLEGATION[0], "2017-09-17")
    articles[DENIAL[1]] = (DENIAL[0], "2017-09-18")
    return {
        url: (polemos.extract(text, date=date, url=url, id=url.rsplit("/", 1)[-1]), text)
        for url, (text, date) in articles.items()
    }


def fill(url: str, coded: dict, which: list[str] | None = None):
    store = open_store(url)
    for key in which or list(coded):
        result, text = coded[key]
        store.add(result, text)
    return store


def shelling_event(store) -> dict:
    (event,) = [
        e for e in store.events(type="ASSAULT", country="SYR") if e["location"]["name"] == "Kafranbel"
    ]
    return event


def test_three_outlets_one_event(db_url, coded):
    store = fill(db_url, coded, [url for _, url in SHELLING])
    event = shelling_event(store)
    assert event["mention_count"] == 3
    assert event["document_count"] == 3
    assert event["outlets"] == sorted(["levantwire.example", "syria-monitor.example", "news.example.org"])
    assert event["acled_event_type"] == "Explosions/Remote violence"
    assert event["location"]["country"] == "SYR" and event["location"]["precision"] == "city"
    assert event["fatalities"] == 5  # the most conservative report, as ACLED counts
    assert event["date"]["start"] == "2023-03-13"
    # the protest in Kyiv is an event of its own
    assert [e["type"] for e in store.events(country="UKR")] == ["PROTEST"]
    details = store.event(event["id"])
    reasons = [m["merge_reason"] for m in details["mentions"]]
    assert reasons[0]["merged"] is False
    assert all(r["merged"] and r["event"] == event["id"] and r["days_apart"] == 0 for r in reasons[1:])
    assert all(r["distance_km"] in (None, 0.0) for r in reasons[1:])
    assert all(r["shared_actors"] for r in reasons[1:])
    assert {m["document"]["url"] for m in details["mentions"]} == {url for _, url in SHELLING[:3]}
    assert all("Kafr Nabl" in m["sentence"] for m in details["mentions"])


def test_same_document_twice_is_stored_once(db_url, coded):
    store = fill(db_url, coded, [url for _, url in SHELLING])
    before = store.stats()
    result, text = coded[SHELLING[0][1]]
    document_id, reasons = store.add(result, text)
    assert document_id is None and reasons == []
    # the same text with other white space is the same document
    assert store.add(result, text.replace(" ", "  ") + "\n")[0] is None
    assert store.stats() == before


def test_denial_in_another_article_makes_the_event_contested(db_url, coded):
    store = fill(db_url, coded, [ALLEGATION[1], DENIAL[1]])
    (event,) = store.events(type="ASSAULT")
    assert event["contested"] is True
    assert event["document_count"] == 2
    statuses = {(c["speaker"], c["status"]) for c in event["claims"]}
    assert ("Pentagon", "alleged") in statuses and ("Russia", "denied") in statuses
    assert [e["id"] for e in store.events(contested=True)] == [event["id"]]
    assert store.events(contested=False, type="ASSAULT") == []
    assert [e["id"] for e in store.events(claimed_by="RUS", type="ASSAULT")] == [event["id"]]
    assert [e["id"] for e in store.events(claimed_by="Pentagon", type="ASSAULT")] == [event["id"]]
    links = store.event(event["id"])["claim_links"]
    assert [link["kind"] for link in links] == ["denies"]


def test_filters(db_url, coded):
    store = fill(db_url, coded)
    kafr_nabl = shelling_event(store)
    assert kafr_nabl["id"] in [e["id"] for e in store.events(near=(35.58, 36.56), km=10)]
    assert kafr_nabl["id"] not in [e["id"] for e in store.events(near=(35.33, 40.14), km=50)]
    assert {e["type"] for e in store.events(near=(35.33, 40.14), km=50)} >= {"ASSAULT"}
    assert [e["id"] for e in store.events(type="air/drone strike")] == [
        e["id"] for e in store.events(type="ASSAULT", near=(35.33, 40.14), km=50)
    ]
    assert store.events(actor="SDF") == store.events(actor="syrian democratic forces")
    assert store.events(actor="SDF") and all(
        "SDF" in [a["code"] for a in e["source"] + e["target"]] for e in store.events(actor="SDF")
    )
    assert store.events(actor="no such actor") == []
    assert {e["date"]["start"][:4] for e in store.events(since="2023-01-01") if e["date"]["start"]} == {
        "2023"
    }
    assert all(
        (e["date"]["start"] or e["date"]["end"]) <= "2017-12-31" for e in store.events(until="2017-12-31")
    )
    everything = store.events(limit=1000)
    assert [e["id"] for e in store.events(limit=2, offset=1)] == [e["id"] for e in everything[1:3]]
    dates = [e["date"]["start"] or e["date"]["end"] for e in everything]
    assert dates == sorted(dates, reverse=True)


def test_both_ways_of_running_a_filter_give_the_same_events(db_url, coded, monkeypatch):
    """Filters on many actors, on speakers and on a place are run by walking the newest events when many
    events match, and through an index then a sort when few do; the answers must not depend on which."""
    from polemos.store import query

    store = fill(db_url, coded)
    filters = [
        {"actor": "SYR"},  # an ISO3 code: every Syrian actor
        {"actor": "SYR", "since": "2020-01-01"},
        {"actor": "UKR", "type": "PROTEST"},
        {"claimed_by": "RUS"},
        {"actor": "SDF", "claimed_by": "USA"},  # one speaker; the actor drives, the claims are a choice
        {"near": (35.45, 36.6), "km": 400.0},
        {"near": (35.45, 36.6), "km": 400.0, "limit": 1, "offset": 1},
        {"near": (35.33, 40.14), "km": 50.0, "type": "ASSAULT"},
        {"near": (35.45, 36.6), "km": 150.0, "actor": "HTS"},
        {"near": (50.45, 30.52), "km": 10.0, "actor": "UKR"},
    ]
    answers = {}
    for walk in (True, False):
        asked = []
        monkeypatch.setattr(
            query, "_walk_newest", lambda *args, walk=walk, asked=asked: asked.append(args) or walk
        )
        answers[walk] = [[e["id"] for e in store.events(**f)] for f in filters]
        assert len(asked) >= len(filters)  # every filter had the choice (the last one two)
    assert answers[True] == answers[False]
    ids = answers[True]
    assert all(ids) and ids[1] == ids[0][:1] and ids[6] == ids[5][1:2] and len(ids[5]) == 2
    assert [e["location"]["name"] for e in store.events(**filters[-1])] == ["Kyiv"]


# Speakers with several claims each: the Pentagon twice about one event, a denial against a report.
SPOKEN = [
    ("The Pentagon said Russian aircraft bombed SDF fighters near Deir ez-Zor on Saturday.", "2017-09-17"),
    ("Russian jets struck SDF positions near Deir ez-Zor on Saturday, the Pentagon said.", "2017-09-17"),
    ("The Pentagon said Islamic State fighters attacked Iraqi troops near Mosul on Tuesday.", "2017-03-08"),
    (
        "Syrian government forces shelled Douma on Friday, the Syrian Observatory for Human Rights said.",
        "2018-02-23",
    ),
    ("The Syrian Observatory for Human Rights said Turkish troops shelled Afrin on Sunday.", "2018-02-11"),
    (
        "The Pentagon said Houthi rebels fired a missile at a US Navy ship in the Red Sea on Monday.",
        "2016-10-10",
    ),
    (
        "Russia's Defence Ministry said its aircraft bombed Islamic State positions near Palmyra on "
        "Thursday.",
        "2016-03-24",
    ),
    (
        "Russia's Defence Ministry denied that its aircraft bombed a hospital in Idlib on Thursday.",
        "2019-05-09",
    ),
    (
        "Syrian government aircraft bombed a hospital in Idlib on Thursday, the Syrian Observatory for Human "
        "Rights said.",
        "2019-05-09",
    ),
]


@pytest.fixture(scope="module")
def spoken() -> list[tuple[dict, str]]:
    return [
        (polemos.extract(text, date=day, url=f"https://outlet{n % 3}.example/{n}", id=f"s{n}"), text)
        for n, (text, day) in enumerate(SPOKEN)
    ]


def test_events_claimed_by_one_speaker_are_each_listed_once_newest_first(db_url, spoken):
    """One speaker's events are read from the speaker's claims in date order; an event the speaker claims in
    several reports is listed once, and dates, paging and other filters apply as on any other path."""
    store = open_store(db_url)
    for result, text in spoken:
        store.add(result, text)
    everything = store.events(limit=1000)
    claims = store.db.all(
        "SELECT c.event_id, a.id AS speaker, a.name FROM claims c JOIN actors a ON a.id = c.speaker_actor_id "
        "WHERE c.event_id IS NOT NULL"
    )
    by_speaker: dict[int, set[int]] = {}
    names = {}
    for row in claims:
        by_speaker.setdefault(row["speaker"], set()).add(row["event_id"])
        names[row["speaker"]] = row["name"]
    assert len(claims) > len({(row["speaker"], row["event_id"]) for row in claims})  # some claimed twice
    checked = 0
    for speaker, events in by_speaker.items():
        if len(store.db.all("SELECT id FROM actors WHERE name_folded = ?", (fold(names[speaker]),))) != 1:
            continue  # a name several actors share would select them all
        expected = [e for e in everything if e["id"] in events]
        found = store.events(claimed_by=names[speaker], limit=1000)
        assert [e["id"] for e in found] == [e["id"] for e in expected], names[speaker]
        assert store.events(claimed_by=names[speaker], limit=1, offset=1) == expected[1:2]
        days = sorted(e["date"]["start"] or e["date"]["end"] or "" for e in expected)
        middle = days[len(days) // 2]
        if middle:
            assert [e["id"] for e in store.events(claimed_by=names[speaker], since=middle, limit=1000)] == [
                e["id"] for e in expected if (e["date"]["start"] or e["date"]["end"] or "") >= middle
            ]
            assert [e["id"] for e in store.events(claimed_by=names[speaker], until=middle, limit=1000)] == [
                e["id"] for e in expected if "" < (e["date"]["start"] or e["date"]["end"] or "") <= middle
            ]
        assert [e["id"] for e in store.events(claimed_by=names[speaker], contested=True, limit=1000)] == [
            e["id"] for e in expected if e["contested"]
        ]
        checked += 1
    assert checked >= 3


def test_rebuild_gives_the_same_merges(db_url, coded):
    store = fill(db_url, coded)
    before = _groups(store)
    assert store.rebuild_merges() == store.stats()["events"]
    assert _groups(store) == before
    assert len(before) < store.stats()["mentions"]  # some mentions were merged


def test_sqlite_and_postgresql_give_the_same_answers(new_db_url, coded):
    answers = []
    for backend in ("sqlite", "postgresql"):
        store = fill(new_db_url(backend), coded)
        answers.append(
            (
                store.stats(),
                store.events(limit=1000),
                store.events(actor="RUS", contested=True),
                store.actors(limit=1000),
                [store.event(e["id"]) for e in store.events(limit=1000)],
            )
        )
        store.close()
    assert answers[0] == answers[1]


def test_actors_are_canonical_with_aliases_and_affiliations(db_url, coded):
    store = fill(db_url, coded)
    (sdf,) = store.actors(name="SDF")
    assert sdf["code"] == "SDF" and sdf["country"] == "SYR"
    assert {"SDF fighters", "SDF positions"} <= set(sdf["aliases"])  # one from each article
    assert sdf["events"] >= 1
    (hts,) = store.actors(name="HTS")
    assert {"Hayat Tahrir al-Sham", "HTS militants"} <= set(hts["aliases"])
    assert hts["events"] == 1


def test_schema_is_versioned(db_url):
    store = open_store(db_url)
    assert store.stats()["schema_version"] == 3
    store.close()
    database = Database(db_url)
    assert database.migrate() == []  # nothing left to apply
    database.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'now')")
    database.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(db_url)


def test_bad_url_is_a_clear_error():
    with pytest.raises(StoreError, match="unknown store URL"):
        open_store("mysql://localhost/x")
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


# ------------------------------------------------------------------------------------------------ ingest


TOWNS = ["Idlib", "Aleppo", "Hama", "Homs", "Raqqa", "Palmyra", "Daraa", "Latakia", "Tartus", "Qamishli"]
GROUPS = ["Hayat Tahrir al-Sham", "Islamic State", "Syrian army", "Turkish-backed rebels"]


def write_corpus(folder: Path, count: int) -> None:
    """``count`` distinct short reports, a third of them told twice by a second outlet."""
    folder.mkdir()
    for number in range(count):
        town, group = TOWNS[number % len(TOWNS)], GROUPS[number % len(GROUPS)]
        day = f"2023-04-{1 + number % 28:02d}"
        text = (
            f"{group} fighters attacked positions near {town} on {day}, killing {number + 2} soldiers, "
            f"a monitoring group said."
        )
        (folder / f"report_{number:03d}.jsonl").write_text(
            json.dumps({"id": f"r{number}", "text": text, "date": day, "site": "Wire A"})
            + "\n"
            + (
                json.dumps({"id": f"s{number}", "text": f"Report: {text}", "date": day, "site": "Wire B"})
                + "\n"
                if number % 3 == 0
                else ""
            ),
            encoding="utf-8",
        )


def test_ingest_directory_twice_stores_once_and_bad_input_goes_on(db_url, tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 6)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 10)
    store = open_store(db_url)
    first = store.ingest([str(corpus)])
    assert first.stored == 8 and first.failed == 2
    assert any("empty.txt" in error for error in first.errors)
    assert any("binary.txt" in error for error in first.errors)
    before = store.stats()
    second = store.ingest([str(corpus)])
    assert second.stored == 0 and second.duplicates == 8
    assert store.stats() == before
    # the second outlet's report of an attack joined the first one's
    assert before["events"] < before["mentions"]


def test_ingest_cli_reports_and_queries(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 3)
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(corpus), "--db", database, "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "4 read: 4 stored" in result.output
    listed = runner.invoke(app, ["events", "--db", database, "--format", "jsonl", "--actor", "HTS"])
    assert listed.exit_code == 0
    events = [json.loads(line) for line in listed.output.splitlines()]
    assert events and all(
        "Hayat Tahrir al-Sham" in [a["name"] for a in e["source"] + e["target"]] for e in events
    )
    merged = next(e for e in events if e["mention_count"] == 2)
    shown = runner.invoke(app, ["show", str(merged["id"]), "--db", database])
    assert shown.exit_code == 0
    assert "joined event" in shown.output and "Hayat Tahrir al-Sham" in shown.output
    assert "Wire A" in shown.output and "Wire B" in shown.output
    near = runner.invoke(app, ["events", "--db", database, "--near", "Idlib", "--km", "30", "-f", "jsonl"])
    assert near.exit_code == 0 and all(
        e["location"]["name"] == "Idlib" for e in map(json.loads, near.output.splitlines())
    )
    rebuilt = runner.invoke(app, ["merge", "--rebuild", "--db", database])
    assert rebuilt.exit_code == 0 and "rebuilt" in rebuilt.output
    missing = runner.invoke(app, ["show", "999999", "--db", database])
    assert missing.exit_code == 1


def test_kill_minus_9_and_resume_loses_and_doubles_nothing(db_url, new_db_url, tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 24)
    command = [sys.executable, "-m", "polemos.cli", "ingest", str(corpus), "--no-progress", "--no-classifier"]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([*command, "--db", db_url], env=environment, stderr=subprocess.PIPE)
    watcher = open_store(db_url)
    deadline = time.monotonic() + 300
    while watcher.stats()["documents"] < 5:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "ingest stored nothing in 5 minutes"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    interrupted = watcher.stats()["documents"]
    assert 5 <= interrupted < 32  # stopped part-way
    finished = subprocess.run([*command, "--db", db_url], env=environment, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert f"{interrupted} already stored" in finished.stderr
    reference_url = new_db_url("sqlite")
    reference = subprocess.run(
        [*command, "--db", reference_url], env=environment, capture_output=True, text=True
    )
    assert reference.returncode == 0, reference.stderr
    resumed = open_store(db_url)
    expected = open_store(reference_url)
    assert resumed.stats() == expected.stats()
    assert resumed.stats()["documents"] == 32
    assert _groups(resumed) == _groups(expected)
    hashes = resumed.db.all("SELECT content_hash, COUNT(*) AS n FROM documents GROUP BY content_hash")
    assert all(row["n"] == 1 for row in hashes)


def _groups(store) -> set[frozenset[tuple[str, str]]]:
    """The merge as sets of (document key, local event id): independent of row ids."""
    rows = store.db.all(
        "SELECT m.event_id, d.doc_key, m.local_id FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE m.event_id IS NOT NULL"
    )
    groups: dict[int, set] = {}
    for row in rows:
        groups.setdefault(row["event_id"], set()).add((row["doc_key"], row["local_id"]))
    return {frozenset(group) for group in groups.values()}


def test_founding_article_in_the_store(db_url, shared):
    seed = shared / "seeds" / "000_4e53c2cea099c939.txt"
    store = open_store(db_url)
    report = store.ingest([str(seed)], date="2017-09-20")
    assert report.stored == 1, report.errors
    (sdf,) = store.actors(name="SDF")
    assert any(r["relation"] == "backed_by" and r["other"] == "United States" for r in sdf["relations"])
    russian_claims = store.events(claimed_by="RUS", type="ASSAULT")
    assert any("Syrian Democratic Forces" in [a["name"] for a in e["source"]] for e in russian_claims)
    pentagon_claims = store.events(claimed_by="Pentagon", type="ASSAULT")
    assert any("Russia" in [a["name"] for a in e["source"]] for e in pentagon_claims)
    near = store.events(near=(35.336, 40.141), km=25, limit=1000)
    assert near and all(e["location"]["name"] == "Deir ez-Zor" for e in near)
    details = store.event(pentagon_claims[0]["id"])
    assert details["mentions"][0]["claim"]["status"] == "alleged"
    assert "Pentagon" in details["mentions"][0]["claim"]["speaker"]


def test_ingest_feed_and_warc(db_url, tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    feed = tmp_path / "news.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Wire</title>'
        "<item><title>Shelling</title><link>https://levantwire.example/1</link>"
        "<pubDate>Tue, 14 Mar 2023 08:00:00 GMT</pubDate>"
        "<description>Hayat Tahrir al-Sham shelled the town of Saraqib on Monday, killing four civilians."
        "</description></item></channel></rss>",
        encoding="utf-8",
    )
    archive = tmp_path / "crawl.warc.gz"
    with archive.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        page = (
            b"<html><head><title>Saraqib</title></head><body><article><p>Hayat Tahrir al-Sham fighters "
            b"shelled Saraqib on Monday, killing four civilians, residents said.</p></article></body></html>"
        )
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://monitor.example/saraqib", "response", payload=BytesIO(page), http_headers=headers
            )
        )
    store = open_store(db_url)
    report = store.ingest([str(feed), str(archive)], date="2023-03-14")
    assert report.stored == 2, report.errors
    (event,) = [e for e in store.events(type="ASSAULT") if e["mention_count"] == 2]
    assert set(event["outlets"]) == {"Levant Wire", "monitor.example"}


def test_export_and_network_commands_read_back(tmp_path):
    import csv

    import networkx
    import pyarrow.parquet

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 4)
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(corpus), "--db", database, "--no-progress"]).exit_code == 0
    everything = open_store(database).events(limit=1000)
    hts = open_store(database).events(actor="HTS", limit=1000)
    exported = runner.invoke(app, ["export", "-f", "csv", "--db", database, "--actor", "HTS"])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(exported.stdout.splitlines()))
    assert sorted(int(row["polemos_event_id"]) for row in rows) == sorted(e["id"] for e in hts)
    assert all("Hayat Tahrir al-Sham" in (row["actor1"], row["actor2"]) for row in rows)
    parquet = tmp_path / "events.parquet"
    assert (
        runner.invoke(app, ["export", "-f", "parquet", "-o", str(parquet), "--db", database]).exit_code == 0
    )
    assert pyarrow.parquet.read_table(parquet).num_rows == len(everything)
    near = runner.invoke(app, ["export", "-f", "geojson", "--db", database, "--near", "Idlib", "--km", "30"])
    features = json.loads(near.stdout)["features"]
    assert features and {f["properties"]["location"] for f in features} == {"Idlib"}
    graph_file = tmp_path / "network.graphml"
    assert (
        runner.invoke(app, ["export", "-f", "graphml", "-o", str(graph_file), "--db", database]).exit_code
        == 0
    )
    graph = networkx.read_graphml(graph_file, force_multigraph=True)
    listed = runner.invoke(app, ["network", "--db", database, "-f", "jsonl"])
    edges = [json.loads(line) for line in listed.stdout.splitlines()]
    assert edges and graph.number_of_edges() == len(edges)
    assert {e["kind"] for e in edges} == {kind for _, _, kind in graph.edges(keys=True)}
    refused = runner.invoke(app, ["export", "-f", "graphml", "--db", database, "--actor", "HTS"])
    assert refused.exit_code == 2


def test_denial_reported_in_the_same_article_is_linked(db_url):
    text = (
        "The Syrian army accused Hayat Tahrir al-Sham of attacking its positions 10 km south of Idlib on "
        "Sunday. The group denied the accusation."
    )
    store = open_store(db_url)
    store.add(polemos.extract(text, date="2023-03-14", url="https://levantwire.example/x"), text)
    (event,) = store.events(type="ASSAULT")
    assert event["contested"] is True
    (link,) = store.event(event["id"])["claim_links"]
    assert link["kind"] == "denies"
    assert link["other_speaker"] == "Syrian Arab Army" and link["other_status"] == "alleged"
    shown = CliRunner().invoke(app, ["show", str(event["id"]), "--db", db_url])
    assert "denial in the same article" in shown.output


def test_open_for_reading_without_migrating(db_url, tmp_path):
    with pytest.raises(StoreError, match="not a polemos store"):
        open_store(db_url, migrate=False)
    open_store(db_url).close()
    reader = open_store(db_url, migrate=False)
    assert reader.stats()["schema_version"] == 3


def test_migration_from_version_1_keeps_data_and_counts_events(db_url, coded):
    from polemos.store.database import migrations, split_statements

    store = fill(db_url, coded)
    expected = {a["id"]: a["events"] for a in store.actors(limit=1000)}
    assert any(expected.values())
    # the same data as a version-1 store: no event_count column, version 1 recorded
    store.db.execute("DROP INDEX actors_event_count")
    store.db.execute("ALTER TABLE actors DROP COLUMN event_count")
    store.db.execute("DROP INDEX events_lat_lon_date")
    store.db.execute("CREATE INDEX events_lat_lon ON events (lat, lon)")
    store.db.execute("DELETE FROM schema_migrations WHERE version > 1")
    store.close()
    assert split_statements(migrations()[2][1])  # the migration has statements to apply
    upgraded = open_store(db_url)
    assert upgraded.stats()["schema_version"] == 3
    assert {a["id"]: a["events"] for a in upgraded.actors(limit=1000)} == expected
    counted = upgraded.db.all(
        "SELECT a.id, a.event_count, COUNT(DISTINCT ea.event_id) AS n FROM actors a "
        "LEFT JOIN event_actors ea ON ea.actor_id = a.id GROUP BY a.id, a.event_count"
    )
    assert all(row["event_count"] == row["n"] for row in counted)
    upgraded.rebuild_merges()
    assert {a["id"]: a["events"] for a in upgraded.actors(limit=1000)} == expected
