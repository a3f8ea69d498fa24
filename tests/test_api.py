"""The REST API through a real HTTP client against a real server (uvicorn on a loopback port), on SQLite and
PostgreSQL: every endpoint's answers, its filters and pages, its errors, writes with a token, offline docs."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

import polemos
from polemos.api import create_app
from polemos.api.cache import AnswerCache, CachedAnswers, StoreGeneration
from polemos.cli import app as cli_app
from polemos.store import open_store

FOUNDING = "000_4e53c2cea099c939.txt"
# Two outlets report one shelling; an allegation and a denial in two other articles make a contested event.
SHELLING = [
    (
        "Hayat Tahrir al-Sham fighters shelled the town of Kafr Nabl on Monday, killing five civilians, a "
        "local official said.",
        "https://levantwire.example/a",
        "2023-03-15",
    ),
    (
        "Five civilians were killed on Monday when Hayat Tahrir al-Sham shelled Kafr Nabl in Idlib province, "
        "residents said.",
        "https://www.syria-monitor.example/b",
        "2023-03-15",
    ),
]
ALLEGATION = (
    "The Pentagon accused Russia of bombing SDF fighters near Deir ez-Zor on Saturday.",
    "https://www.reuters.com/world/1",
    "2017-09-17",
)
DENIAL = (
    "Russia denied that its aircraft bombed SDF positions near Deir ez-Zor on Saturday.",
    "https://tass.com/politics/2",
    "2017-09-18",
)
NEW_ARTICLE = (
    "Islamic State militants shelled the village of Saraqib on Tuesday, killing three soldiers, a monitoring "
    "group said."
)
NEW_PAGE = (
    "<html><head><title>Raqqa</title></head><body><article><p>Kurdish fighters attacked Islamic State "
    "positions in Raqqa on Sunday, killing six militants, a spokesman said.</p></article></body></html>"
)
GERMAN = (
    "Die Regierung hat am Montag in Berlin beschlossen, die Steuern zu erhöhen, sagte ein Sprecher der "
    "Regierung. Die Opposition kritisierte den Plan scharf."
)
TOKEN = "correct horse battery staple"


@pytest.fixture(scope="module")
def coded(shared: Path) -> list[tuple[dict, str]]:
    """The test articles, each coded once: (result, text)."""
    founding = (shared / "seeds" / FOUNDING).read_text(encoding="utf-8")
    articles = [(founding, "https://founding.example/article", "2017-09-20"), *SHELLING, ALLEGATION, DENIAL]
    return [
        (polemos.extract(text, date=date, url=url, id=url.rsplit("/", 1)[-1]), text)
        for text, url, date in articles
    ]


@contextmanager
def live_server(app) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free loopback port; its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def serve(db_url: str, coded, monkeypatch) -> Iterator[Callable[..., httpx.Client]]:
    """Factory: ``serve(token=None)`` fills the store at ``db_url`` with the test articles (once), starts a
    server on it and gives an HTTP client for it. $POLEMOS_TOKEN is unset: only ``token`` counts."""
    monkeypatch.delenv("POLEMOS_TOKEN", raising=False)
    store = open_store(db_url)
    for result, text in coded:
        store.add(result, text)
    store.close()
    with ExitStack() as stack:

        def start(token: str | None = None) -> httpx.Client:
            base = stack.enter_context(live_server(create_app(db_url, token=token)))
            return stack.enter_context(httpx.Client(base_url=base, timeout=120))

        yield start


@pytest.fixture
def client(serve) -> httpx.Client:
    return serve()


@pytest.fixture
def store(db_url: str, client):
    """The same store, read directly, to compare with the API's answers."""
    reader = open_store(db_url, migrate=False)
    yield reader
    reader.close()


def as_json(value):
    return json.loads(json.dumps(value))


def ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [event["id"] for event in response.json()["events"]]


# ------------------------------------------------------------------------------------------------ reading


def test_stats(client, store):
    response = client.get("/api/stats")
    assert response.status_code == 200
    stats = response.json()
    assert stats == store.stats()
    assert stats["documents"] == 5 and stats["schema_version"] == 3
    assert stats["contested_events"] >= 1


def test_events_are_the_stores_events_in_pages(client, store):
    response = client.get("/api/events", params={"limit": 1000})
    assert response.headers["content-encoding"] == "gzip"  # large answers are compressed
    everything = response.json()
    assert everything["events"] == as_json(store.events(limit=1000))
    assert everything["next_offset"] is None and everything["limit"] == 1000 and everything["offset"] == 0
    total = len(everything["events"])
    assert total > 4
    first = client.get("/api/events", params={"limit": 2}).json()
    assert [e["id"] for e in first["events"]] == [e["id"] for e in everything["events"][:2]]
    assert first["next_offset"] == 2
    second = client.get("/api/events", params={"limit": 2, "offset": first["next_offset"]}).json()
    assert [e["id"] for e in second["events"]] == [e["id"] for e in everything["events"][2:4]]
    last = client.get("/api/events", params={"limit": 3, "offset": total - 2}).json()
    assert len(last["events"]) == 2 and last["next_offset"] is None


def test_event_pages_fit_their_published_schema(client):
    """The pages are written without going through the response model: they must still fit it exactly,
    no field missing, none extra, none of another type."""
    from polemos.api.models import EventPage

    checked = 0
    for params in ({"limit": 1000}, {"contested": "true"}, {"near": "Deir ez-Zor", "km": 50}, {"limit": 1}):
        page = client.get("/api/events", params=params).json()
        assert EventPage.model_validate(page, strict=False).model_dump(mode="json") == page
        checked += len(page["events"])
    assert checked > 5
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Event"]
    page = client.get("/api/events", params={"limit": 1000}).json()
    assert all(set(event) == set(schema["properties"]) for event in page["events"])


def test_event_filters(client, store):
    everything = ids(client.get("/api/events", params={"limit": 1000}))
    sdf = client.get("/api/events", params={"actor": "SDF", "limit": 1000}).json()["events"]
    assert sdf and len(sdf) < len(everything)
    assert all("SDF" in [a["code"] for a in e["source"] + e["target"]] for e in sdf)
    by_name = ids(client.get("/api/events", params={"actor": "syrian democratic forces", "limit": 1000}))
    assert by_name == [e["id"] for e in sdf]

    near = client.get("/api/events", params={"near": "Deir ez-Zor", "km": 25, "limit": 1000}).json()["events"]
    assert near and len(near) < len(everything)
    assert all(e["location"]["name"] == "Deir ez-Zor" for e in near)
    kafr_nabl = client.get("/api/events", params={"near": "35.58,36.56", "km": 10}).json()["events"]
    assert [e["location"]["name"] for e in kafr_nabl] == ["Kafranbel"]
    assert kafr_nabl[0]["document_count"] == 2
    assert sorted(kafr_nabl[0]["outlets"]) == ["levantwire.example", "syria-monitor.example"]

    contested = ids(client.get("/api/events", params={"contested": "true", "limit": 1000}))
    assert contested and contested == [e["id"] for e in store.events(contested=True, limit=1000)]
    uncontested = ids(client.get("/api/events", params={"contested": "false", "limit": 1000}))
    assert sorted(contested + uncontested) == sorted(everything)

    assert ids(client.get("/api/events", params={"text": "KAFR nabl"})) == [kafr_nabl[0]["id"]]
    pentagon = client.get("/api/events", params={"text": "pentagon", "limit": 1000}).json()["events"]
    assert pentagon and all("pentagon" in e["sentence"].lower() for e in pentagon)
    # % and _ are the user's characters, not LIKE's wildcards
    assert ids(client.get("/api/events", params={"text": "_"})) == []
    assert ids(client.get("/api/events", params={"text": "%"})) == []

    assaults = client.get("/api/events", params={"type": "assault", "limit": 1000}).json()["events"]
    assert assaults and {e["type"] for e in assaults} == {"ASSAULT"}
    recent = client.get("/api/events", params={"since": "2023-01-01", "limit": 1000}).json()["events"]
    assert recent and all((e["date"]["start"] or e["date"]["end"]) >= "2023-01-01" for e in recent)
    old = client.get("/api/events", params={"until": "2017-12-31", "limit": 1000}).json()["events"]
    assert old and all((e["date"]["start"] or e["date"]["end"]) <= "2017-12-31" for e in old)
    assert len(recent) + len(old) <= len(everything)
    claimed = ids(client.get("/api/events", params={"claimed_by": "RUS", "type": "ASSAULT", "limit": 1000}))
    assert claimed == [e["id"] for e in store.events(claimed_by="RUS", type="ASSAULT", limit=1000)]
    syria = client.get("/api/events", params={"country": "syr", "limit": 1000}).json()["events"]
    assert syria and {e["country"] for e in syria} == {"SYR"}
    assert ids(client.get("/api/events", params={"actor": "no such actor"})) == []


def test_geojson_is_the_same_page_as_points(client):
    params = {"limit": 1000}
    page = client.get("/api/events", params=params).json()
    response = client.get("/api/events", params={**params, "format": "geojson"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and collection["next_offset"] is None
    located = [e for e in page["events"] if e["location"] and e["location"]["lat"] is not None]
    assert located and len(located) < len(page["events"])  # some events have no place
    assert [f["properties"]["id"] for f in collection["features"]] == [e["id"] for e in located]
    for feature, event in zip(collection["features"], located, strict=True):
        assert feature["geometry"] == {
            "type": "Point",
            "coordinates": [event["location"]["lon"], event["location"]["lat"]],
        }
        place = feature["properties"]["location"]
        assert "lat" not in place and "lon" not in place and place["name"] == event["location"]["name"]
        assert feature["properties"]["sentence"] == event["sentence"]
    paged = client.get("/api/events", params={"limit": 1, "format": "geojson"}).json()
    assert paged["next_offset"] == 1


def test_event_details(client, store):
    (shelling,) = client.get("/api/events", params={"text": "kafr nabl"}).json()["events"]
    response = client.get(f"/api/events/{shelling['id']}")
    assert response.status_code == 200
    details = response.json()
    assert details == as_json(store.event(shelling["id"]))
    assert {m["document"]["url"] for m in details["mentions"]} == {url for _, url, _ in SHELLING}
    for mention in details["mentions"]:
        text = client.get(f"/api/documents/{mention['document']['id']}").json()["text"]
        start, end = mention["span"]
        assert text[start:end] == mention["sentence"]  # spans index the document's text
        trigger_start, trigger_end = mention["trigger_span"]
        assert mention["sentence"][trigger_start - start : trigger_end - start] == mention["trigger"]
        assert all(text[a["span"][0] : a["span"][1]] == a["text"] for a in mention["actors"])
    assert details["mentions"][1]["merge_reason"]["merged"] is True
    contested = client.get("/api/events", params={"contested": "true"}).json()["events"][0]
    links = client.get(f"/api/events/{contested['id']}").json()["claim_links"]
    assert "denies" in [link["kind"] for link in links]


def test_timeline_counts_the_dated_events(client):
    events = client.get("/api/events", params={"limit": 1000}).json()["events"]
    dated = [e for e in events if e["date"]["start"] or e["date"]["end"]]
    response = client.get("/api/timeline")
    assert response.status_code == 200
    days = response.json()["days"]
    assert sum(day["count"] for day in days) == len(dated)
    assert [(d["date"], d["type"]) for d in days] == sorted((d["date"], d["type"]) for d in days)
    assert len({(d["date"], d["type"]) for d in days}) == len(days)
    sdf = client.get("/api/events", params={"actor": "SDF", "limit": 1000}).json()["events"]
    sdf_days = client.get("/api/timeline", params={"actor": "SDF"}).json()["days"]
    assert sum(d["count"] for d in sdf_days) == sum(bool(e["date"]["start"] or e["date"]["end"]) for e in sdf)
    assaults = client.get("/api/timeline", params={"type": "ASSAULT", "since": "2023-01-01"}).json()["days"]
    assert assaults and all(d["type"] == "ASSAULT" and d["date"] >= "2023-01-01" for d in assaults)


def test_actors(client, store):
    response = client.get("/api/actors", params={"name": "SDF"})
    assert response.status_code == 200
    (sdf,) = response.json()["actors"]
    assert sdf["code"] == "SDF" and sdf["name"] == "Syrian Democratic Forces"
    assert any(r["relation"] == "backed_by" and r["other"] == "United States" for r in sdf["relations"])
    everyone = client.get("/api/actors", params={"limit": 1000}).json()["actors"]
    assert everyone == as_json(store.actors(limit=1000))
    assert [a["events"] for a in everyone] == sorted((a["events"] for a in everyone), reverse=True)
    syrians = client.get("/api/actors", params={"country": "SYR"}).json()["actors"]
    assert syrians and {a["country"] for a in syrians} == {"SYR"}
    assert len(client.get("/api/actors", params={"limit": 2}).json()["actors"]) == 2


def test_network(client):
    response = client.get("/api/network", params={"kind": "backs"})
    assert response.status_code == 200
    network = response.json()
    names = {node["id"]: node["name"] for node in network["nodes"]}
    assert {(names[e["source"]], names[e["target"]]) for e in network["edges"]} >= {
        ("United States", "Syrian Democratic Forces")
    }
    assert {e["kind"] for e in network["edges"]} == {"backs"}
    assert all(e["document_ids"] for e in network["edges"])
    whole = client.get("/api/network").json()
    weights = [e["weight"] for e in whole["edges"]]
    assert len({e["kind"] for e in whole["edges"]}) > 1 and weights == sorted(weights, reverse=True)
    top = client.get("/api/network", params={"limit": 1}).json()
    assert top["edges"] == whole["edges"][:1]
    assert {n["id"] for n in top["nodes"]} == {top["edges"][0]["source"], top["edges"][0]["target"]}
    both = client.get("/api/network", params=[("kind", "backs"), ("kind", "attacks")]).json()
    assert {e["kind"] for e in both["edges"]} == {"backs", "attacks"}
    heavy = client.get("/api/network", params={"min_weight": 2}).json()
    assert all(e["weight"] >= 2 for e in heavy["edges"]) and len(heavy["edges"]) < len(whole["edges"])


def test_documents(client, store):
    response = client.get("/api/documents")
    assert response.status_code == 200
    page = response.json()
    assert len(page["documents"]) == 5 and page["next_offset"] is None
    assert [d["id"] for d in page["documents"]] == sorted((d["id"] for d in page["documents"]), reverse=True)
    founding = next(d for d in page["documents"] if d["url"] == "https://founding.example/article")
    assert founding["mentions"] == store.db.scalar(
        "SELECT COUNT(*) FROM mentions WHERE document_id = ?", (founding["id"],)
    )
    assert founding["mentions"] > 5 and founding["date"] == "2017-09-20" and founding["language"] == "en"
    first = client.get("/api/documents", params={"limit": 2}).json()
    assert first["next_offset"] == 2 and first["documents"] == page["documents"][:2]
    details = client.get(f"/api/documents/{founding['id']}").json()
    assert details["text"].startswith("In the race of the Syrian troops")
    assert details["errors"] == [] and details["title"] == founding["title"]
    assert {k: v for k, v in details.items() if k not in ("text", "errors")} == founding


# ------------------------------------------------------------------------------------------------ errors


BAD_PARAMETERS = [  # (path, query, the parameter named in the error)
    ("/api/events", {"since": "2017-13-01"}, "since"),
    ("/api/events", {"until": "yesterday"}, "until"),
    ("/api/events", {"since": "2023-02-01", "until": "2023-01-01"}, "until"),
    ("/api/events", {"near": "Nowhere-on-Sea Xyzzy"}, "near"),
    ("/api/events", {"near": "95,10"}, "near"),
    ("/api/events", {"limit": 0}, "limit"),
    ("/api/events", {"limit": 1001}, "limit"),
    ("/api/events", {"offset": -1}, "offset"),
    ("/api/events", {"km": 0}, "km"),
    ("/api/events", {"format": "xml"}, "format"),
    ("/api/events", {"contested": "perhaps"}, "contested"),
    ("/api/events", {"country": "SYRIA"}, "country"),
    ("/api/timeline", {"since": "2017-09"}, "since"),
    ("/api/actors", {"limit": 0}, "limit"),
    ("/api/network", {"kind": "hugs"}, "kind"),
    ("/api/network", {"min_weight": 0}, "min_weight"),
    ("/api/documents", {"limit": "many"}, "limit"),
    ("/api/events/abc", {}, "event_id"),
]


def test_bad_parameters_are_422_naming_them(client):
    for path, params, name in BAD_PARAMETERS:
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params)
        body = response.json()
        assert [detail["loc"][-1] for detail in body["detail"]] == [name], (path, params)
        assert body["message"].startswith(f"{name}: "), (path, params)


def test_missing_ids_are_404(client):
    for path in ("/api/events/999999", "/api/documents/999999", "/api/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["message"]


# ------------------------------------------------------------------------------------------------ writing


def test_writes_are_refused_without_a_configured_token(client, store):
    before = store.stats()
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        response = client.post("/api/documents", json={"text": NEW_ARTICLE}, headers=headers)
        assert response.status_code == 403
        assert response.json()["detail"] == "writes are disabled: set POLEMOS_TOKEN"
    assert store.stats() == before


def test_posting_an_article_codes_and_stores_it(serve, store):
    client = serve(token=TOKEN)
    before = store.stats()
    article = {"text": NEW_ARTICLE, "url": "https://wire.example/1", "date": "2024-05-08", "site": "Wire"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        refused = client.post("/api/documents", json=article, headers=headers)
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert store.stats() == before

    authorized = {"Authorization": f"Bearer {TOKEN}"}
    created = client.post("/api/documents", json=article, headers=authorized)
    assert created.status_code == 201, created.text
    stored = created.json()
    assert stored["duplicate"] is False and stored["events"] and stored["errors"] == []
    found = client.get("/api/events", params={"text": "saraqib"}).json()["events"]
    assert [e["id"] for e in found] == stored["events"]
    assert found[0]["type"] == "ASSAULT" and found[0]["date"]["start"] == "2024-05-07"
    assert found[0]["outlets"] == ["Wire"]
    document = client.get(f"/api/documents/{stored['document']}").json()
    assert document["text"] == NEW_ARTICLE and document["url"] == article["url"]
    assert document["origin"] == "POST /api/documents" and document["mentions"] == len(stored["events"])
    assert store.stats()["documents"] == before["documents"] + 1

    again = client.post("/api/documents", json={**article, "text": NEW_ARTICLE + "\n"}, headers=authorized)
    assert again.status_code == 200
    assert again.json() == {**stored, "duplicate": True}
    assert store.stats()["documents"] == before["documents"] + 1

    from_html = client.post(
        "/api/documents", json={"html": NEW_PAGE, "date": "2017-06-12"}, headers=authorized
    )
    assert from_html.status_code == 201, from_html.text
    html_document = client.get(f"/api/documents/{from_html.json()['document']}").json()
    assert html_document["title"] == "Raqqa" and "<p>" not in html_document["text"]

    for body, name, words in (
        ({"text": "   "}, "text", "empty"),
        ({"text": "\x00\x01\x02\x03 not text " * 20}, "text", "binary"),
        ({"html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"}, "html", "no main text"),
        ({"text": GERMAN}, "text", "English"),
        ({"text": "Rebels shelled Idlib.", "date": "last Monday"}, "date", "date"),
        ({"text": "Rebels shelled Idlib.", "html": "<p>Rebels shelled Idlib.</p>"}, "body", "one of the two"),
        ({"url": "https://example.org"}, "body", "one of the two"),
    ):
        rejected = client.post("/api/documents", json=body, headers=authorized)
        assert rejected.status_code == 422, (body, rejected.text)
        assert rejected.json()["detail"][0]["loc"][-1] == name
        assert words in rejected.json()["message"]
    assert store.stats()["documents"] == before["documents"] + 2


def test_the_token_is_read_from_the_environment(db_url, monkeypatch):
    monkeypatch.setenv("POLEMOS_TOKEN", TOKEN)
    with live_server(create_app(db_url)) as base, httpx.Client(base_url=base) as client:
        assert client.post("/api/documents", json={"text": "   "}).status_code == 401
        authorized = {"Authorization": f"Bearer {TOKEN}"}
        empty = client.post("/api/documents", json={"text": "   "}, headers=authorized)
        assert empty.status_code == 422  # past the token: the text is refused
        assert client.get("/api/stats").json()["documents"] == 0  # the app created the store


# ------------------------------------------------------------------------------------------------ serving


def test_requests_in_parallel_get_the_same_answers(client):
    paths = ["/api/events?limit=1000", "/api/timeline", "/api/actors", "/api/network", "/api/stats"] * 6
    expected = {path: client.get(path).json() for path in set(paths)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda path: (path, client.get(path)), paths))
    assert all(response.status_code == 200 for _, response in answers)
    assert all(response.json() == expected[path] for path, response in answers)


def test_docs_are_served_offline(client):
    response = client.get("/docs")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    html = response.text
    assert not re.search(r"https?://", html), "the docs page must not load anything from the network"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        loaded = client.get(asset)
        assert loaded.status_code == 200 and len(loaded.content) > 100, asset
    assert "'/openapi.json'" in html
    assert client.get("/redoc").status_code == 404


def test_openapi_lists_the_endpoints(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert set(paths) == {
        "/api/stats",
        "/api/events",
        "/api/events/{event_id}",
        "/api/timeline",
        "/api/actors",
        "/api/network",
        "/api/documents",
        "/api/documents/{document_id}",
    }
    assert set(paths["/api/documents"]) == {"get", "post"}
    assert paths["/api/documents"]["post"]["security"] == [{"HTTPBearer": []}]
    event_params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert event_params == {
        "actor", "type", "country", "near", "km", "since", "until", "claimed_by", "contested", "text",
        "limit", "offset", "format",
    }  # fmt: skip
    assert "application/geo+json" in paths["/api/events"]["get"]["responses"]["200"]["content"]
    invalid = paths["/api/events"]["get"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert invalid == {"$ref": "#/components/schemas/InvalidRequest"}
    assert "422" not in paths["/api/stats"]["get"]["responses"]
    assert "404" in paths["/api/events/{event_id}"]["get"]["responses"]
    models = set(schema["components"]["schemas"])
    assert {"Event", "EventDetails", "Mention", "Network", "NewDocument"} <= models


def test_the_web_page(client):
    response = client.get("/")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    assert "<html" in response.text.lower()
    assert client.get("/static/index.html").text == response.text


def test_text_filter_in_the_cli(db_url, coded):
    store = open_store(db_url)
    for result, text in coded:
        store.add(result, text)
    expected = [e["id"] for e in store.events(text="kafr nabl")]
    assert len(expected) == 1
    runner = CliRunner()
    listed = runner.invoke(cli_app, ["events", "--db", db_url, "--text", "Kafr Nabl", "-f", "jsonl"])
    assert listed.exit_code == 0, listed.output
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == expected
    exported = runner.invoke(cli_app, ["export", "-f", "jsonl", "--db", db_url, "--text", "kafr NABL"])
    assert exported.exit_code == 0, exported.output
    lines = [json.loads(line) for line in exported.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1 and "Kafr Nabl" in json.dumps(lines[0])


def test_serve_command(tmp_path):
    database = f"sqlite:///{tmp_path / 'served.db'}"
    port = _free_port()
    environment = {**os.environ, "POLEMOS_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "polemos.cli", "serve", "--db", database, "--port", str(port)]
    process = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE, text=True)
    try:
        announced = process.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in announced and "writes on" in announced
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read()
            try:
                stats = httpx.get(f"{base}/api/stats")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "polemos serve did not answer"
                time.sleep(0.1)
        assert stats.status_code == 200 and stats.json()["documents"] == 0
        assert httpx.post(f"{base}/api/documents", json={"text": "x"}).status_code == 401  # token from env
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -------------------------------------------------------------------------------------------- answers kept


FRESHNESS_PATHS = ["/api/events?limit=1000", "/api/events?text=saraqib", "/api/timeline", "/api/stats"]


def _answers(client: httpx.Client) -> dict[tuple[str, str], Any]:
    """Each path's answer, compressed and not (two entries in the cache), each asked twice."""
    found = {}
    for path in FRESHNESS_PATHS:
        for encoding in ("gzip", "identity"):
            first, second = (client.get(path, headers={"Accept-Encoding": encoding}) for _ in range(2))
            assert first.status_code == second.status_code == 200
            assert first.json() == second.json()
            found[path, encoding] = second.json()
    return found


def test_answers_are_fresh_after_a_post(serve, store):
    client = serve(token=TOKEN)
    before = _answers(client)
    assert before["/api/events?text=saraqib", "gzip"]["events"] == []
    created = client.post(
        "/api/documents",
        json={"text": NEW_ARTICLE, "date": "2024-05-08"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert created.status_code == 201, created.text
    after = _answers(client)
    new_events = created.json()["events"]
    for encoding in ("gzip", "identity"):
        assert [e["id"] for e in after["/api/events?text=saraqib", encoding]["events"]] == new_events
        assert {e["id"] for e in after["/api/events?limit=1000", encoding]["events"]} == {
            e["id"] for e in before["/api/events?limit=1000", encoding]["events"]
        } | set(new_events)
        assert after["/api/stats", encoding] == as_json(store.stats())
        assert after["/api/stats", encoding]["documents"] == before["/api/stats", encoding]["documents"] + 1
        new_day = {"date": "2024-05-07", "type": "ASSAULT", "count": 1}
        assert new_day in after["/api/timeline", encoding]["days"]
        assert new_day not in before["/api/timeline", encoding]["days"]


def test_answers_are_fresh_after_a_write_by_another_program(client, db_url):
    before = _answers(client)
    writer = open_store(db_url)  # another connection, as `polemos ingest` would have
    try:
        new_id, _ = writer.add(polemos.extract(NEW_ARTICLE, date="2024-05-08", id="wire-2"), NEW_ARTICLE)
        assert new_id is not None
        expected = as_json(writer.events(text="saraqib"))
        stats = writer.stats()
    finally:
        writer.close()
    after = _answers(client)
    assert expected and after["/api/events?text=saraqib", "gzip"]["events"] == expected
    assert after["/api/stats", "identity"] == stats != before["/api/stats", "identity"]


def test_the_store_generation_changes_with_each_commit(db_url):
    store = open_store(db_url)
    generation = StoreGeneration(db_url)

    async def read_twice() -> tuple[str | None, str | None]:
        return await generation.read(), await generation.read()

    async def read_at_once() -> list[str | None]:  # many requests at once share queries on PostgreSQL
        return await asyncio.gather(*(generation.read() for _ in range(20)))

    try:
        first, again = asyncio.run(read_twice())
        assert first is not None
        crowd = asyncio.run(read_at_once())
        assert None not in crowd
        if db_url.startswith("sqlite"):  # on PostgreSQL a commit to another database would change it too
            assert again == first and set(crowd) == {first}
        store.db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 'now')")
        changed, _ = asyncio.run(read_twice())
        assert changed is not None and changed != first
    finally:
        asyncio.run(generation.close())
        store.close()


def test_the_cache_answers_repeated_requests_until_the_store_changes(tmp_path):
    """On SQLite (the generation of a PostgreSQL server also moves with the other databases on it)."""
    url = f"sqlite:///{tmp_path / 'cached.db'}"
    store = open_store(url)
    calls: list[str] = []

    async def app(scope, receive, send) -> None:  # an API answering with a count of its calls
        calls.append(scope["path"])
        number = len(calls)
        await asyncio.sleep(0.05)
        status = 404 if scope["path"] == "/api/missing" else 200
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": str(number).encode()})

    cache = AnswerCache(url, max_bytes=2**20)

    async def get_all(paths: list[str], at_once: bool = False) -> list[str]:
        transport = httpx.ASGITransport(app=CachedAnswers(app, cache))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            if at_once:
                return [response.text for response in await asyncio.gather(*map(client.get, paths))]
            return [(await client.get(path)).text for path in paths]

    try:
        assert asyncio.run(get_all(["/api/a", "/api/a", "/api/a?x=1", "/api/a?x=1", "/docs", "/docs"])) == [
            "1", "1", "2", "2", "3", "4",  # only /api/ answers are kept
        ]  # fmt: skip
        assert asyncio.run(get_all(["/api/missing", "/api/missing"])) == ["5", "6"]  # errors are not kept
        store.db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 'now')")
        assert asyncio.run(get_all(["/api/a", "/api/a", "/api/a?x=1"])) == ["7", "7", "8"]
        # the same request from many clients at once: made once, while the others wait for it
        store.db.execute("DELETE FROM schema_migrations WHERE version = 999")
        assert asyncio.run(get_all(["/api/a"] * 5 + ["/api/b"] * 3, at_once=True)) == ["9"] * 5 + ["10"] * 3
    finally:
        asyncio.run(cache.close())
        store.close()
