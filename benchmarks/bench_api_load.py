"""Load on the REST API: many concurrent clients on ``/api/events`` of a large store (run by hand).

    .venv/bin/python benchmarks/bench_api_load.py --db sqlite:////tmp/q1m.db --workers 1,2
    .venv/bin/python benchmarks/bench_api_load.py --db sqlite:////tmp/q1m.db \\
        --db postgresql://postgres@127.0.0.1:5432/q1m --workers 1,2 --queries fixed,varied
    .venv/bin/python benchmarks/bench_api_load.py --db sqlite:////tmp/q1m.db --quick   # 5 s, 20 clients

For each store and each number of worker processes, the script starts ``polemos serve --db URL --workers W``
on 127.0.0.1, waits for ``/api/stats``, warms it up, then runs wrk (``apt-get install wrk``): ``--threads``
client threads holding ``--connections`` connections, each sending its next request as soon as the last one
is answered, for ``--duration``. The requests rotate through a list of ``/api/events`` query strings built
from the store itself (its busiest and rarest actors, its countries and places, its range of dates):

- ``fixed``: one query of each kind (no filter, actor popular / rare / ISO3, type, country, near, dates,
  contested, claimed_by and combinations), over and over: many people looking at the same views.
- ``varied``: thousands of queries of the same kinds with values drawn at random (seeded). The kinds with few
  values (the busiest actors, the types, the countries) recur; the rest rarely do: 20,000 queries are 5,500
  distinct views, more than the server keeps, so about a third of the requests read the store.

With ``--think MS`` each client pauses before its next request, a random time averaging MS (exponential, cut
at 4 s, under uvicorn's 5 s keep-alive): people reading what they asked for, rather than programs asking as
fast as they are answered.

Every request asks for ``limit=100`` events and, like a browser, accepts gzip (``--no-gzip``: plain JSON).
wrk's Lua ``done`` hook reports latency percentiles, requests, socket errors (connect, read, write,
timeout) and responses with a status of 400 or more. Client and server share the machine's cores: the
figures are for the two together. Results go to ``benchmarks/results/`` (git-ignored) as JSON and Markdown.

Target (issue "Web app and REST API"): 200 clients for 60 s on a 1-million-event store, no errors, p95 ≤
200 ms.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
OTHER_BENCHMARKS = "bench_ingest|bench_store_query"  # long runs by others that would take the cores
TARGET_P95_MS = 200.0
LIMIT = 100

LUA = r"""
-- Written by bench_api_load.py: rotate through the paths; report figures as one JSON line.
local paths = {
%(paths)s
}
wrk.method = "GET"
%(headers)s
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- threads start at different places in the list
  counter = math.floor(thread_number * #paths / %(threads)d)
end

function request()
  counter = counter + 1
  return wrk.format(nil, paths[(counter %% #paths) + 1])
end
%(think)s

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "timeout": %%d, "status": %%d, "p50_us": %%d, "p90_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "min_us": %%d, "max_us": %%d, "mean_us": %%.1f, "stdev_us": %%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.min, latency.max, latency.mean, latency.stdev))
end
"""


@dataclass
class Pools:
    """Values to build queries from, read from the store."""

    popular: list[str]  # actor codes or names, busiest first (one actor each)
    rare: list[str]  # actors with a few events
    countries: list[str]  # ISO3 of event places, busiest first
    iso3_actors: list[str]  # ISO3 codes of busy states: actor=SYR matches every actor of that country
    places: list[tuple[float, float, str]]  # (lat, lon, country) of busy places
    speakers: list[str]
    types: list[str]  # PLOVER types, most frequent first
    acled: list[str]  # ACLED sub-event types present
    first_day: date
    last_day: date


@dataclass
class Run:
    store: str
    workers: int
    queries: str
    result: dict[str, Any] = field(default_factory=dict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True, help="store URL (repeatable)")
    parser.add_argument("--workers", default="1,2", help="numbers of server worker processes, e.g. 1,2")
    parser.add_argument("--queries", default="fixed,varied", help="fixed, varied or both (comma-separated)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of each measured run")
    parser.add_argument("--connections", type=int, default=200, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's request timeout, seconds")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of load before each measured run")
    parser.add_argument("--varied", type=int, default=20_000, help="queries in the varied list")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--think",
        type=int,
        default=0,
        help="ms each client pauses before its next request (exponential, this mean); 0: none",
    )
    parser.add_argument("--no-gzip", action="store_true", help="do not send Accept-Encoding: gzip")
    parser.add_argument("--wait-idle", type=int, default=1200, help=f"wait this long for {OTHER_BENCHMARKS}")
    parser.add_argument("--quick", action="store_true", help="5 s runs, 20 clients, 2 s warm-up")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--keep-logs", type=Path, help="keep the servers' logs in this folder")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.connections, args.warmup = 5, 20, 2
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")
    workers = [int(part) for part in args.workers.split(",")]
    kinds = [part.strip() for part in args.queries.split(",") if part.strip()]
    if not set(kinds) <= {"fixed", "varied"}:
        sys.exit("--queries: fixed, varied or fixed,varied")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    env = environment(args)
    runs: list[Run] = []
    query_lists: dict[str, dict[str, list[str]]] = {}
    per_query: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench_api_load_") as work:
        for url in args.db:
            store = store_label(url)
            print(f"reading query values from {store} …", flush=True)
            pools = read_pools(url)
            lists = {"fixed": fixed_queries(pools), "varied": varied_queries(pools, args.varied, args.seed)}
            query_lists[store] = {kind: [path for _, path in lists[kind]] for kind in kinds}
            for count in workers:
                port = args.port or free_port()
                log = (args.keep_logs or Path(work)) / f"serve-{store}-{count}.log"
                log.parent.mkdir(parents=True, exist_ok=True)
                with Server(url, port, count, log) as server:
                    print(f"{store}, {count} worker(s): server up in {server.startup_s:.0f} s", flush=True)
                    if "fixed" in kinds and count == workers[0]:
                        per_query[store] = time_each(port, lists["fixed"], not args.no_gzip)
                        print(per_query_table(per_query[store]), flush=True)
                    for kind in kinds:
                        paths = [path for _, path in lists[kind]]
                        script = write_lua(Path(work), paths, args.threads, not args.no_gzip, args.think)
                        wrk(port, script, args, args.warmup)  # warm caches; figures dropped
                        others = wait_for_idle(args.wait_idle)
                        cpu_before = tree_cpu_seconds(server.process.pid)
                        busy_before, iowait_before = machine_seconds()
                        started = time.monotonic()
                        result = wrk(port, script, args, args.duration)
                        result["server_cpu_s"] = tree_cpu_seconds(server.process.pid) - cpu_before
                        busy_after, iowait_after = machine_seconds()
                        result["machine_busy_s"] = busy_after - busy_before
                        result["machine_iowait_s"] = iowait_after - iowait_before
                        result["others_cpu_s"] = max(
                            0.0, result["machine_busy_s"] - result["server_cpu_s"] - result["wrk_cpu_s"]
                        )
                        result["wall_s"] = time.monotonic() - started
                        result["others_running_before"] = others
                        result["others_running_after"] = running_others()
                        result["loadavg_after"] = os.getloadavg()
                        result["queries_in_list"] = len(paths)
                        run = Run(store, count, kind, result)
                        runs.append(run)
                        print(table([run]), flush=True)

    report = {
        "benchmark": "bench_api_load",
        "time": stamp,
        "environment": env,
        "settings": {
            key: getattr(args, key)
            for key in (
                "duration",
                "connections",
                "threads",
                "timeout",
                "warmup",
                "varied",
                "seed",
                "think",
                "no_gzip",
            )
        },
        "runs": [run.__dict__ for run in runs],
        "per_query_unloaded": per_query,
        "queries": query_lists,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    base = RESULTS / f"bench_api_load_{stamp}"
    base.with_suffix(".json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    markdown = render_markdown(report, runs, per_query)
    base.with_suffix(".md").write_text(markdown, encoding="utf-8")
    print("\n" + markdown)
    print(f"written: {base}.json, {base}.md")


# ---------------------------------------------------------------------------------------------- the queries


def read_pools(url: str) -> Pools:
    """Actors, countries, places and dates present in the store, busiest first."""
    from polemos.store.database import Database

    db = Database(url)
    try:
        counts = db.all(
            "SELECT a.code, a.name, COUNT(*) AS n FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
            "GROUP BY a.id, a.code, a.name ORDER BY n DESC, a.id"
        )
        iso3 = [
            row["code"] for row in counts if row["code"] and len(row["code"]) == 3 and row["code"].isalpha()
        ]

        def single(row: dict[str, Any]) -> str:  # an ISO3 code would name every actor of the country
            code = row["code"]
            return (
                code if code and not (len(code) == 3 and code.isalpha()) and ":" not in code else row["name"]
            )

        popular = [single(row) for row in counts[:20]]
        rare = [single(row) for row in counts if 5 <= row["n"] <= 50][:200] or [single(counts[-1])]
        countries = [
            row["country"]
            for row in db.all(
                "SELECT country, COUNT(*) AS n FROM events WHERE country IS NOT NULL "
                "GROUP BY country ORDER BY n DESC, country LIMIT 30"
            )
        ]
        places = [
            (row["lat"], row["lon"], row["country"])
            for row in db.all(
                "SELECT lat, lon, country, COUNT(*) AS n FROM events WHERE lat IS NOT NULL "
                "AND id > (SELECT MAX(id) FROM events) - 50000 "
                "GROUP BY lat, lon, country ORDER BY n DESC, lat, lon LIMIT 50"
            )
        ]
        speakers = [
            single(row)
            for row in db.all(
                "SELECT a.code, a.name, COUNT(*) AS n FROM claims c "
                "JOIN actors a ON a.id = c.speaker_actor_id "
                "WHERE c.id > (SELECT MAX(id) FROM claims) - 100000 "
                "GROUP BY a.id, a.code, a.name ORDER BY n DESC, a.id LIMIT 20"
            )
        ]
        types = [
            row["type"]
            for row in db.all("SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY n DESC, type")
        ]
        acled = [
            row["acled_sub_event_type"]
            for row in db.all(
                "SELECT acled_sub_event_type, COUNT(*) AS n FROM events "
                "WHERE acled_sub_event_type IS NOT NULL AND id > (SELECT MAX(id) FROM events) - 50000 "
                "GROUP BY acled_sub_event_type ORDER BY n DESC, acled_sub_event_type LIMIT 10"
            )
        ]
        first, last = db.one("SELECT MIN(sort_date) AS first, MAX(sort_date) AS last FROM events").values()
    finally:
        db.close()
    return Pools(
        popular=popular,
        rare=rare,
        countries=countries,
        iso3_actors=[code for code in iso3 if code in countries][:10],
        places=places,
        speakers=speakers,
        types=types,
        acled=acled,
        first_day=date.fromisoformat(first),
        last_day=date.fromisoformat(last),
    )


def events_path(**filters: Any) -> str:
    values = {key.rstrip("_"): value for key, value in filters.items() if value is not None}
    return "/api/events?" + urlencode({**values, "limit": LIMIT})


def fixed_queries(pools: Pools) -> list[tuple[str, str]]:
    """One query of each kind: (kind, path)."""
    last = pools.last_day
    lat, lon, place_country = pools.places[0]
    near = f"{lat:.4f},{lon:.4f}"
    month = (last - timedelta(days=30)).isoformat(), last.isoformat()
    year = (last - timedelta(days=730)).isoformat(), (last - timedelta(days=365)).isoformat()
    return [
        ("no filter", events_path()),
        ("actor (popular)", events_path(actor=pools.popular[0])),
        ("actor (popular 2)", events_path(actor=pools.popular[1])),
        ("actor (rare)", events_path(actor=pools.rare[0])),
        ("actor = ISO3 country", events_path(actor=pools.iso3_actors[1 % len(pools.iso3_actors)])),
        ("type (PLOVER)", events_path(type=pools.types[0])),
        ("type (PLOVER, rarer)", events_path(type=pools.types[min(4, len(pools.types) - 1)])),
        ("type (ACLED)", events_path(type=pools.acled[0])),
        ("country", events_path(country=pools.countries[1 % len(pools.countries)])),
        ("country (rarer)", events_path(country=pools.countries[-1])),
        ("near 50 km", events_path(near=near, km=50)),
        ("since/until (a month)", events_path(since=month[0], until=month[1])),
        ("since/until (a year ago)", events_path(since=year[0], until=year[1])),
        ("contested", events_path(contested="true")),
        ("claimed_by", events_path(claimed_by=pools.speakers[0])),
        ("actor+type+since", events_path(actor=pools.popular[0], type=pools.types[0], since=year[0])),
        (
            "type+country+since/until",
            events_path(type=pools.types[0], country=pools.countries[0], since=year[0], until=year[1]),
        ),
        ("country+near", events_path(country=place_country, near=near, km=50)),
        ("contested+country", events_path(contested="true", country=pools.countries[0])),
        ("claimed_by+contested", events_path(claimed_by=pools.speakers[0], contested="true")),
    ]


def varied_queries(pools: Pools, count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` queries of the same kinds as :func:`fixed_queries`, values drawn at random."""
    rng = random.Random(seed)
    span = (pools.last_day - pools.first_day).days

    def window() -> tuple[str, str]:
        length = rng.choice((7, 30, 90, 365))
        start = pools.first_day + timedelta(days=rng.randrange(max(1, span - length)))
        return start.isoformat(), (start + timedelta(days=length)).isoformat()

    def since() -> str:
        return (pools.first_day + timedelta(days=rng.randrange(max(1, span - 365)))).isoformat()

    def place() -> tuple[str, str]:
        lat, lon, country = rng.choice(pools.places)
        return f"{lat:.4f},{lon:.4f}", country

    kinds = {
        "no filter": lambda: events_path(offset=rng.choice((0, 0, 100, 200, 500))),
        "actor (popular)": lambda: events_path(actor=rng.choice(pools.popular)),
        "actor (rare)": lambda: events_path(actor=rng.choice(pools.rare)),
        "actor = ISO3 country": lambda: events_path(actor=rng.choice(pools.iso3_actors)),
        "type (PLOVER)": lambda: events_path(type=rng.choice(pools.types)),
        "type (ACLED)": lambda: events_path(type=rng.choice(pools.acled)),
        "country": lambda: events_path(country=rng.choice(pools.countries)),
        "near 50 km": lambda: events_path(near=place()[0], km=rng.choice((25, 50, 100))),
        "since/until": lambda: events_path(since=(w := window())[0], until=w[1]),
        "contested": lambda: events_path(contested="true", until=window()[1]),
        "claimed_by": lambda: events_path(claimed_by=rng.choice(pools.speakers)),
        "actor+type+since": lambda: events_path(
            actor=rng.choice(pools.popular), type=rng.choice(pools.types[:4]), since=since()
        ),
        "type+country+since/until": lambda: events_path(
            type=rng.choice(pools.types[:4]),
            country=rng.choice(pools.countries[:10]),
            since=(w := window())[0],
            until=w[1],
        ),
        "country+near": lambda: events_path(country=(p := place())[1], near=p[0], km=50),
        "claimed_by+contested": lambda: events_path(claimed_by=rng.choice(pools.speakers), contested="true"),
    }
    names = list(kinds)
    queries = []
    for _ in range(count):  # kinds drawn evenly; the kinds with few values repeat, as popular views do
        name = rng.choice(names)
        queries.append((name, kinds[name]()))
    return queries


def write_lua(work: Path, paths: list[str], threads: int, accept_gzip: bool, think_ms: int = 0) -> Path:
    script = work / f"paths-{len(paths)}-{'gzip' if accept_gzip else 'plain'}-{think_ms}.lua"
    lines = ",\n".join(f"  {json.dumps(path)}" for path in paths)  # JSON strings are valid Lua strings here
    headers = 'wrk.headers["Accept-Encoding"] = "gzip"' if accept_gzip else ""
    pause = ""
    if think_ms:
        # each client waits before its next request (wrk's delay hook): exponential with mean think_ms, cut at
        # 4 s, since uvicorn closes a connection idle for 5 s and wrk, unlike a browser, counts the closed
        # connection as a read error instead of opening another
        pause = (
            "function delay()\n"
            f"  return math.min(4000, math.floor(-{think_ms} * math.log(1 - math.random())))\n"
            "end"
        )
    script.write_text(
        LUA % {"paths": lines, "headers": headers, "threads": threads, "think": pause}, encoding="utf-8"
    )
    return script


# ---------------------------------------------------------------------------------------------- the server


class Server:
    """``polemos serve`` in a subprocess, up until the block ends."""

    def __init__(self, url: str, port: int, workers: int, log: Path) -> None:
        self.url, self.port, self.workers, self.log = url, port, workers, log
        self.startup_s = 0.0

    def __enter__(self) -> Server:
        command = [sys.executable, "-m", "polemos.cli", "serve", "--db", self.url]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)]
        started = time.monotonic()
        self.output = self.log.open("wb")
        self.process = subprocess.Popen(
            command, stdout=self.output, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = started + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"polemos serve exited ({self.process.returncode}):\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/stats", timeout=30) as reply:
                    json.load(reply)
                self.startup_s = time.monotonic() - started
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.5)
        self.__exit__()
        raise SystemExit(f"polemos serve did not answer in 300 s:\n{self.log.read_text()}")

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.output.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine_seconds() -> tuple[float, float]:
    """CPU time of the whole machine, all cores, since boot (Linux /proc/stat): (busy, waiting for I/O)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - fields[3] - fields[4]) / ticks, fields[4] / ticks


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants alive now (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


# ---------------------------------------------------------------------------------------------- measuring


def time_each(
    port: int, queries: list[tuple[str, str]], accept_gzip: bool, repeat: int = 3
) -> dict[str, Any]:
    """Each fixed query alone, one after the other (no load), on a server that has just started: the first
    call (the answer made from the store) and the median of ``repeat`` more (answers the server may keep)."""
    found = {}
    headers = {"Accept-Encoding": "gzip"} if accept_gzip else {}
    for kind, path in queries:
        times, status, events, size = [], 0, 0, 0
        for _ in range(repeat + 1):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as reply:
                    body, status = reply.read(), reply.status
                    encoding = reply.headers.get("Content-Encoding")
            except urllib.error.HTTPError as error:
                body, status, encoding = error.read(), error.code, error.headers.get("Content-Encoding")
            times.append((time.perf_counter() - started) * 1000)
            size = len(body)
        document = json.loads(gzip.decompress(body) if encoding == "gzip" else body)
        events = len(document.get("events", [])) if isinstance(document, dict) else 0
        found[kind] = {
            "path": path,
            "status": status,
            "events": events,
            "bytes": size,
            "first_ms": times[0],
            "again_ms": statistics.median(times[1:]),
        }
    return found


def wrk(port: int, script: Path, args: argparse.Namespace, seconds: int) -> dict[str, Any]:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency"]
    command += [f"--timeout={args.timeout}s", "-s", str(script), f"http://127.0.0.1:{port}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in done.stdout.splitlines() if line.startswith("WRK_RESULT ")]
    if done.returncode or not lines:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1].removeprefix("WRK_RESULT "))
    result["command"] = " ".join(command)
    result["wrk_cpu_s"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    result["wrk_output"] = done.stdout
    return result


def running_others() -> list[str]:
    done = subprocess.run(["pgrep", "-af", OTHER_BENCHMARKS], capture_output=True, text=True, check=False)
    own = str(os.getpid())
    return [line for line in done.stdout.splitlines() if line.split()[0] != own and "pgrep" not in line]


def wait_for_idle(patience: int) -> list[str]:
    """Wait (up to ``patience`` seconds) until no other long benchmark runs; those still running."""
    deadline = time.monotonic() + patience
    others = running_others()
    while others and time.monotonic() < deadline:
        print(f"waiting for other benchmarks to end: {others}", flush=True)
        time.sleep(15)
        others = running_others()
    if others:
        print(f"warning: measuring while others run: {others}", flush=True)
    return others


# ---------------------------------------------------------------------------------------------- reporting


def store_label(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


def environment(args: argparse.Namespace) -> dict[str, Any]:
    import fastapi
    import uvicorn

    def run(*command: str) -> str:
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
        return done.stdout.strip()

    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": {"fastapi": fastapi.__version__, "uvicorn": uvicorn.__version__, **optional_packages()},
        "wrk": run("wrk", "--version").splitlines()[0] if run("wrk", "--version") else "",
        "git": run("git", "rev-parse", "--short", "HEAD")
        + (" (modified)" if run("git", "status", "--porcelain") else ""),
        "stores": [redact(url) for url in args.db],
        "loadavg_before": os.getloadavg(),
        "sharing": "client (wrk) and server run on the same machine and share its cores",
    }


def optional_packages() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("uvloop", "httptools", "orjson", "psycopg"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "-"
    return found


def redact(url: str) -> str:
    import re

    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def table(runs: list[Run]) -> str:
    lines = [
        "| store | workers | queries | req/s | p50 ms | p95 ms | p99 ms | max ms | errors c/r/w/t | ≥400 "
        "| CPU server / wrk / others | target |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for run in runs:
        r = run.result
        seconds = r["duration_us"] / 1e6
        errors = r["connect"] + r["read"] + r["write"] + r["timeout"]
        met = r["requests"] > 0 and errors == 0 and r["status"] == 0 and r["p95_us"] / 1000 <= TARGET_P95_MS
        lines.append(
            f"| {run.store} | {run.workers} | {run.queries} ({r['queries_in_list']:,}) | "
            f"{r['requests'] / seconds:,.0f} | {r['p50_us'] / 1000:,.1f} | {r['p95_us'] / 1000:,.1f} | "
            f"{r['p99_us'] / 1000:,.1f} | {r['max_us'] / 1000:,.1f} | "
            f"{r['connect']}/{r['read']}/{r['write']}/{r['timeout']} | {r['status']} | "
            f"{r['server_cpu_s'] / seconds:.2f} / {r['wrk_cpu_s'] / seconds:.2f} / "
            f"{r['others_cpu_s'] / seconds:.2f} | {'met' if met else 'missed'} |"
        )
    return "\n".join(lines)


def per_query_table(found: dict[str, Any]) -> str:
    lines = [
        "| query (alone, no load) | status | events | bytes | first ms | again ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, row in found.items():
        lines.append(
            f"| {kind} | {row['status']} | {row['events']} | {row['bytes']:,} | {row['first_ms']:.1f} | "
            f"{row['again_ms']:.1f} |"
        )
    return "\n".join(lines)


def render_markdown(report: dict[str, Any], runs: list[Run], per_query: dict[str, Any]) -> str:
    env, settings = report["environment"], report["settings"]
    others = sorted(
        {
            line
            for run in runs
            for line in run.result["others_running_before"] + run.result["others_running_after"]
        }
    )
    parts = [
        f"# API load benchmark, {report['time']}",
        "",
        f"wrk: {settings['threads']} threads, {settings['connections']} connections, "
        f"{settings['duration']} s per run after {settings['warmup']} s of warm-up, "
        f"timeout {settings['timeout']} s; "
        + (
            f"each client pauses {settings['think']} ms on average (exponential, at most 4 s) before "
            "its next request; "
            if settings.get("think")
            else "each client sends its next request as soon as the last one is answered; "
        )
        + f"{'plain JSON' if settings['no_gzip'] else 'Accept-Encoding: gzip'}; "
        f"GET /api/events?…&limit={LIMIT}.",
        f"Machine: {env['cpu_model']}, {env['cpu_count']} CPUs, {env['memory_gb']} GB; {env['platform']}; "
        f"Python {env['python']}; {', '.join(f'{k} {v}' for k, v in env['packages'].items())}; {env['wrk']}; "
        f"polemos at `{env['git']}`. {env['sharing'].capitalize()}.",
        f"Other benchmarks running during the runs: {others or 'none'}.",
        "",
        table(runs),
        "",
        "errors c/r/w/t: socket connect / read / write errors and timeouts; ≥400: responses with status "
        "≥ 400; CPU: cores used on average by the server's processes, by wrk and by every other process "
        "on the machine; target: no errors and p95 ≤ "
        f"{TARGET_P95_MS:.0f} ms.",
    ]
    for store, found in per_query.items():
        parts += [
            "",
            f"## Each fixed query alone ({store}, {runs[0].workers if runs else 1} worker(s), just started): "
            "the first call, then the median of 3 more",
            "",
            per_query_table(found),
        ]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    main()
