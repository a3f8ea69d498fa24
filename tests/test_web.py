"""The web page in a real browser: headless Chromium from the system (never a downloaded one), driven by
Playwright for Python, against the real server (``polemos.api.create_app`` under uvicorn on a loopback
port) over a SQLite store with the founding article (Deir ez-Zor, Sept 2017) and two articles full of markup
(``tests/data/web-xss-articles.jsonl``). Every request that is not to the loopback server is aborted and
recorded: the page must work offline. Screenshots of each step go to ``test-artifacts/``."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
import yaml
from playwright.sync_api import Browser, Dialog, Page, Route, sync_playwright

import polemos
from polemos.api import create_app

REPO = Path(__file__).resolve().parents[1]
STATIC = REPO / "src" / "polemos" / "web" / "static"
ARTIFACTS = REPO / "test-artifacts"
XSS_ARTICLES = Path(__file__).parent / "data" / "web-xss-articles.jsonl"
CHROMIUM = Path(os.environ.get("POLEMOS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEIR_EZ_ZOR = (35.336, 40.141)
WAIT_MS = 30_000  # the longest wait for the page to answer before a test fails


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def store_url(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store: the founding article and the two articles with markup in their text."""
    path = tmp_path_factory.mktemp("web") / "web.db"
    store = polemos.open_store(str(path))
    try:
        seed = store.ingest([str(shared / "seeds" / "000_4e53c2cea099c939.txt")], date="2017-09-20")
        hostile = store.ingest([str(XSS_ARTICLES)], date="2017-09-20")
    finally:
        store.close()
    assert seed.stored == 1 and seed.new_events > 0, seed
    assert hostile.stored == 2 and hostile.new_events > 0, hostile
    return str(path)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    """The real app under uvicorn in a background thread; yields its base URL."""
    config = uvicorn.Config(create_app(store_url), host="127.0.0.1", port=_free_port(), log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, name="polemos-web-test-server", daemon=True)
    thread.start()
    while thread.is_alive() and not running.started:
        time.sleep(0.05)
    if not running.started:
        pytest.fail("the server did not start (see the log above)", pytrace=False)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        running.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def api(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM}: run scripts/ensure-chromium (or set POLEMOS_CHROMIUM)"
        pytest.fail(message, pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Tab:
    """A page of the app with what it did: requests off the loopback server (aborted), dialogs, errors."""

    page: Page
    base: str
    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, query: str = "") -> None:
        self.page.goto(f"{self.base}/{query}")
        self.wait_ready(0)
        self.page.wait_for_selector("body[data-basemap=ready]", timeout=WAIT_MS)

    def loads(self) -> int:
        return self.page.evaluate("window.polemos.loads()")

    def wait_ready(self, after: int) -> None:
        """Until the page has finished more than ``after`` rounds of queries and is not loading."""
        self.page.wait_for_function(
            "n => window.polemos && window.polemos.loads() > n && document.body.dataset.state === 'ready'",
            arg=after,
            timeout=WAIT_MS,
        )

    def apply(self) -> None:
        before = self.loads()
        self.page.click("#filters button[type=submit]")
        self.wait_ready(before)

    def open_event(self, event_id: int) -> None:
        self.page.click(f"#event-list li[data-event-id='{event_id}']")
        self.page.wait_for_selector(f"body[data-panel='{event_id}']", timeout=WAIT_MS)

    def rows(self) -> list[int]:
        ids = self.page.eval_on_selector_all(
            "#event-list li[data-event-id]", "rows => rows.map(r => r.dataset.eventId)"
        )
        return [int(i) for i in ids]

    def markers(self) -> list[dict]:
        return self.page.evaluate("window.polemos.markers()")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


@pytest.fixture
def tab(browser: Browser, server: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    result = Tab(page, server)
    loopback = urlsplit(server).netloc

    def route(route: Route) -> None:
        if urlsplit(route.request.url).netloc == loopback:
            route.continue_()
        else:
            result.external.append(route.request.url)
            route.abort()

    def dialog(opened: Dialog) -> None:
        result.dialogs.append(opened.message)
        opened.dismiss()

    context.route("**/*", route)
    page.on("dialog", dialog)
    page.on("pageerror", lambda error: result.errors.append(str(error)))
    try:
        yield result
    finally:
        context.close()


# --------------------------------------------------------------------------------------------- the page


def test_page_loads_offline_with_markers_near_deir_ez_zor(tab: Tab, api: httpx.Client) -> None:
    tab.open()
    tab.shot("01-loaded")
    assert tab.external == [], f"the page asked for something outside: {tab.external}"
    assert tab.errors == []
    # The basemap is drawn from the vendored borders (a canvas), and no tile layer is on by default.
    assert tab.page.locator(".leaflet-overlay-pane canvas").count() == 1
    assert tab.page.locator(".leaflet-tile").count() == 0
    assert "Natural Earth" in tab.page.inner_text(".leaflet-control-attribution")

    markers = tab.markers()
    near = [m for m in markers if km_between(*DEIR_EZ_ZOR, m["lat"], m["lon"]) <= 50]
    near_query = {"near": f"{DEIR_EZ_ZOR[0]},{DEIR_EZ_ZOR[1]}", "km": 50, "limit": 1000}
    expected = api.get("/api/events", params=near_query).json()["events"]
    assert expected, "the founding article has events at Deir ez-Zor"
    assert sorted(m["id"] for m in near) == sorted(e["id"] for e in expected)
    # Leaflet draws them: a marker or a cluster standing for them is in the map's marker pane.
    assert tab.page.locator(".leaflet-marker-pane :is(.event-marker, .event-cluster)").count() > 0
    # Every located event of the store is on the map, every event in the list.
    everything = api.get("/api/events", params={"limit": 1000}).json()["events"]
    assert sorted(m["id"] for m in markers) == sorted(e["id"] for e in everything if e["location"])
    assert sorted(tab.rows()) == sorted(e["id"] for e in everything)
    # The timeline has a bar per day and type, the network an element per actor.
    days = api.get("/api/timeline").json()["days"]
    assert tab.page.locator("#timeline .bars rect").count() == len(days)
    network = api.get("/api/network", params={"limit": 300}).json()
    assert tab.page.locator("#network .node").count() == len(network["nodes"])


def test_a_tile_url_is_used_only_when_the_user_sets_one(tab: Tab) -> None:
    tab.open("?tiles=https://tiles.invalid/{z}/{x}/{y}.png")
    tab.page.wait_for_selector(".leaflet-tile", state="attached", timeout=WAIT_MS)
    assert tab.external and all(urlsplit(url).netloc == "tiles.invalid" for url in tab.external)
    tab.external.clear()
    tab.open("?tiles=off")  # forgotten again: no tiles, nothing outside asked for
    assert tab.page.locator(".leaflet-tile").count() == 0
    assert tab.external == []


def test_filtering_by_actor_changes_every_view(tab: Tab) -> None:
    tab.open()
    rows, markers = tab.rows(), tab.markers()
    bars = tab.page.locator("#timeline .bars rect").count()
    tab.page.fill("input[name=actor]", "SDF")
    tab.apply()
    tab.shot("02-actor-SDF")
    filtered_rows, filtered_markers = tab.rows(), tab.markers()
    assert filtered_rows and len(filtered_rows) < len(rows)
    assert set(filtered_rows) < set(rows)
    assert len(filtered_markers) < len(markers)
    assert tab.page.locator("#timeline .bars rect").count() < bars
    for text in tab.page.locator("#event-list .row-actors").all_inner_texts():
        assert "Syrian Democratic Forces" in text
    # The network dims the actors of no listed event; the SDF stays bright.
    assert tab.page.locator("#network .node.dim").count() > 0
    bright = tab.page.locator("#network .node:not(.dim) text").all_text_contents()
    assert "Syrian Democratic Forces" in bright
    assert "actor=SDF" in tab.page.url  # the filters are in the address, to share or reload
    assert tab.external == [] and tab.errors == []


def test_a_bad_filter_is_named_in_the_status_line(tab: Tab) -> None:
    tab.open()
    rows = tab.rows()
    tab.page.fill("input[name=since]", "2017-09-20")
    tab.page.fill("input[name=until]", "2017-09-01")
    tab.page.click("#filters button[type=submit]")
    tab.page.wait_for_selector("body[data-state=error]", timeout=WAIT_MS)
    status = tab.page.locator("#status")
    assert "until" in status.inner_text() and "error" in (status.get_attribute("class") or "")
    assert tab.rows() == rows  # what was shown stays
    before = tab.loads()
    tab.page.click("#filters button[type=reset]")
    tab.wait_ready(before)
    assert tab.page.input_value("input[name=since]") == "" and sorted(tab.rows()) == sorted(rows)


def test_brushing_the_timeline_filters_by_dates(tab: Tab, api: httpx.Client) -> None:
    tab.open()
    rows = tab.rows()
    day = "2017-09-13"
    bar = tab.page.locator("#timeline .bars rect", has_text=day).first.bounding_box()
    before = tab.loads()
    middle = bar["y"] + bar["height"] / 2
    tab.page.mouse.move(bar["x"] - 2, middle)
    tab.page.mouse.down()
    tab.page.mouse.move(bar["x"] + bar["width"] / 2, middle)
    tab.page.mouse.move(bar["x"] + bar["width"] + 2, middle)
    tab.page.mouse.up()
    tab.wait_ready(before)
    tab.shot("03-timeline-brushed")
    assert tab.page.input_value("input[name=since]") == day
    assert tab.page.input_value("input[name=until]") == day
    expected = api.get("/api/events", params={"since": day, "until": day, "limit": 1000}).json()["events"]
    assert expected and len(expected) < len(rows)
    assert sorted(tab.rows()) == sorted(e["id"] for e in expected)
    # A double click clears the brush and the dates.
    before = tab.loads()
    tab.page.dblclick("#timeline .brush .selection")
    tab.wait_ready(before)
    assert tab.page.input_value("input[name=since]") == ""
    assert sorted(tab.rows()) == sorted(rows)


def test_clicking_an_actor_in_the_network_filters_by_it(tab: Tab) -> None:
    tab.open()
    before = tab.loads()
    tab.page.locator("#network .node", has_text="Syrian Democratic Forces").click()
    tab.wait_ready(before)
    assert tab.page.input_value("input[name=actor]") == "SDF"
    texts = tab.page.locator("#event-list .row-actors").all_inner_texts()
    assert texts and all("Syrian Democratic Forces" in text for text in texts)


def test_event_panel_shows_each_report_with_highlights_and_claim(tab: Tab, api: httpx.Client) -> None:
    tab.open()
    query = {"text": "Pentagon accused the Russians of attacking"}
    found = api.get("/api/events", params=query).json()["events"]
    (event,) = [e for e in found if e["type"] == "ASSAULT"]
    details = api.get(f"/api/events/{event['id']}").json()
    tab.open_event(event["id"])
    tab.shot("04-event-panel")
    panel = tab.page.locator("#event-panel")
    reports = panel.locator("article.report")
    assert reports.count() == len(details["mentions"])
    for index, mention in enumerate(details["mentions"]):
        report = reports.nth(index)
        assert report.locator(".sentence").inner_text() == mention["sentence"]
        claim = report.locator(".claim-line").inner_text()
        assert mention["claim"]["status"] in claim and mention["claim"]["speaker"] in claim
        offset = mention["span"][0]
        marked = {
            kind: report.locator(f"mark.hl-{kind}").all_inner_texts()
            for kind in ("source", "target", "trigger")
        }
        start, end = mention["trigger_span"]
        assert marked["trigger"] == [mention["sentence"][start - offset : end - offset]]
        for actor in mention["actors"]:
            start, end = actor["span"]
            if offset <= start and end <= mention["span"][1]:
                assert mention["sentence"][start - offset : end - offset] in marked[actor["role"]]
        assert report.locator("mark.hl-place").count() == 1
    # The founding article's claim: the Pentagon alleges that Russia attacked.
    first = reports.nth(0)
    assert "alleged" in first.locator(".claim-line").inner_text()
    assert "Pentagon" in first.locator(".claim-line").inner_text()
    assert first.locator("mark.hl-source").all_inner_texts() == ["the Russians"]
    assert "SDF units" in first.locator("mark.hl-target").all_inner_texts()
    assert "Merged:" in first.inner_text()
    assert tab.page.locator(f"#event-list li[data-event-id='{event['id']}'].selected").count() == 1


def test_clicking_a_marker_opens_its_popup_and_the_panel(tab: Tab) -> None:
    tab.open()
    for _zoom in range(10):  # a click on a cluster zooms in, or fans it out at the deepest zoom
        if tab.page.locator(".leaflet-marker-pane .event-marker").count():
            break
        tab.page.locator(".leaflet-marker-pane .event-cluster").first.click()
    marker = tab.page.locator(".leaflet-marker-pane .event-marker").first
    marker.click()
    tab.page.wait_for_selector(".leaflet-popup-content .popup", timeout=WAIT_MS)
    tab.page.wait_for_function("() => /^\\d+$/.test(document.body.dataset.panel || '')", timeout=WAIT_MS)
    event_id = int(tab.page.evaluate("document.body.dataset.panel"))
    assert tab.page.locator("#event-panel h3").get_attribute("data-event-id") == str(event_id)
    popup = tab.page.inner_text(".leaflet-popup-content")
    assert "Actors:" in popup
    tab.shot("05-marker-popup")


# ------------------------------------------------------------------------------------ hostile articles


XSS_PROBE = (
    "() => ({xss: window.__xss, scripts: [...document.scripts].filter(s => /xss/.test(s.text)).length})"
)
INJECTED = "img[src='x'], [onerror], [onmouseover], a[href^='javascript:']"


def test_markup_in_articles_is_shown_as_text_and_never_runs(tab: Tab, api: httpx.Client) -> None:
    tab.open()
    hostile = api.get("/api/events", params={"text": "__xss", "limit": 1000}).json()["events"]
    assert len(hostile) >= 4
    tab.page.fill("input[name=text]", "__xss")
    tab.apply()
    assert sorted(tab.rows()) == sorted(e["id"] for e in hostile)
    assert "<script>window.__xss = 1</script>" in tab.page.inner_text("#event-list")
    for event in hostile:
        tab.open_event(event["id"])
        panel = tab.page.inner_text("#event-panel")
        assert event["sentence"] in panel
    tab.shot("06-markup-as-text")
    # The plain-text article: its sentence with <script> is text, and its javascript: URL is not a link.
    (plain,) = [e for e in hostile if "<script>window.__xss = 1</script>" in e["sentence"]]
    tab.open_event(plain["id"])
    panel = tab.page.locator("#event-panel")
    assert "<script>window.__xss = 1</script>" in panel.inner_text()
    assert "Rebels attack army posts near Idlib <script>window.__xss = 1</script>" in panel.inner_text()
    assert panel.locator("a").count() == 0
    # The HTML article: escaped markup in its text, title and site name comes back as text; its https URL is a
    # link, opened in a new tab without access to the page.
    (html,) = [e for e in hostile if 'onerror="window.__xss=8"' in e["sentence"]]
    tab.open_event(html["id"])
    text = panel.inner_text()
    assert '<img src=x onerror="window.__xss=8">' in text
    assert "Shelling in Hama <script>window.__xss = 4</script>" in text
    link = panel.locator(".report-source a")
    assert link.inner_text() == "Evil <img src=x onerror=window.__xss=6> News"
    assert link.get_attribute("href").startswith("https://news.invalid/hama")
    assert "noopener" in link.get_attribute("rel")
    # Its marker's popup (DOM nodes, not HTML) and the list: still text.
    tab.page.click(f"#event-list li[data-event-id='{html['id']}']")
    tab.page.wait_for_selector(".leaflet-popup-content .popup", timeout=WAIT_MS)
    tab.shot("07-markup-popup")

    assert tab.page.evaluate(XSS_PROBE) == {"xss": None, "scripts": 0}
    assert tab.page.locator(INJECTED).count() == 0
    assert tab.dialogs == []
    assert tab.errors == []
    assert tab.external == []


# -------------------------------------------------------------------------------------- static files


def test_vendored_files_match_their_recorded_checksums() -> None:
    vendor = STATIC / "vendor"
    sources = (vendor / "SOURCES.md").read_text()
    recorded = dict(
        (name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", sources, flags=re.MULTILINE)
    )
    present = {
        path.relative_to(vendor).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in vendor.rglob("*")
        if path.is_file() and path.name != "SOURCES.md"
    }
    assert recorded == present
    for package in {name.split("/")[0] for name in present}:
        licences = [
            name for name in present if name.startswith(f"{package}/") and re.search(r"LICEN[CS]E", name)
        ]
        assert licences, f"{package} has no licence file"


def test_the_page_refers_only_to_its_own_files() -> None:
    html = (STATIC / "index.html").read_text()
    for reference in re.findall(r"""(?:src|href)="([^"]*)\"""", html):
        assert reference.startswith(("/static/", "data:")), reference
    code = "\n".join(path.read_text() for path in (STATIC / "js").glob("*.js"))
    assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "outerHTML" not in code
    assert not re.search(r"https?://", code.replace("http://www.w3.org/2000/svg", ""))


def test_type_colours_cover_the_plover_types() -> None:
    colours = json.loads((STATIC / "plover-types.json").read_text())
    plover = yaml.safe_load((REPO / "src/polemos/events/data/plover.yaml").read_text())["types"]
    assert len({entry["type"] for entry in colours["types"]}) == len(colours["types"])
    assert {entry["type"] for entry in colours["types"]} == set(plover)
    for entry in colours["types"]:
        assert entry["quad"] == plover[entry["type"]]["quad"]
        assert entry["description"] == plover[entry["type"]]["description"]
        assert re.fullmatch(r"#[0-9a-f]{6}", entry["colour"])
    network = yaml.safe_load((REPO / "src/polemos/store/data/network.yaml").read_text())
    kinds = set(network["event_kinds"].values()) | {k["kind"] for k in network["relation_kinds"].values()}
    assert {entry["kind"] for entry in colours["edge_kinds"]} == kinds
