"""Ingest rate and memory of the event store (``polemos ingest``), on SQLite and PostgreSQL.

Run by hand (never from the tests), from the repository root::

    .venv/bin/python benchmarks/bench_ingest.py --postgres postgresql://postgres@127.0.0.1:55432/postgres
    .venv/bin/python benchmarks/bench_ingest.py --quick          # small sizes, SQLite only

Three parts (``--parts``), every run in a fresh subprocess so that its peak RSS is its own:

* ``rate``: ``Store.ingest`` of ``--rate-docs`` news-length documents (read, code, store, merge) into a fresh
  SQLite file and a fresh PostgreSQL database, against the bare ``Pipeline.run`` on the same documents: the
  store's overhead in documents per second;
* ``pipeline-memory``: peak RSS of ``Store.ingest`` (the whole pipeline) for each of ``--pipeline-sizes``;
* ``coded-memory``: peak RSS and rate of ``Store.ingest_coded`` (``polemos ingest --coded``) for each of
  ``--coded-sizes`` synthetic coded records, with the rate at the start and at the end of the run (merging
  queries candidate events, so a store that slows as it grows shows here).

The coded records are built from real ``polemos extract`` output of ``--seed-docs`` documents: each seed
record is turned into "stories" (new dates, places moved within the seed's countries, person and group names
varied), and each story is reported by one to four outlets, so merging joins real reports and rejects near
misses. The documents come from the synthetic news corpus that ``bench_extract.py`` reads.

Results go to ``benchmarks/results/`` (git-ignored) as JSON and Markdown, and to stdout as tables.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from bench_extract import WARM_UP_TEXT, _environment  # noqa: E402

RESULTS_DIR = REPO / "benchmarks" / "results"
SHARED = Path(os.environ.get("POLEMOS_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "train/ngec-synthetic/gpt_synthetic_events_2023-10-19_19.csv"  # as bench_extract.py
WORK_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "polemos-bench-ingest"
FIRST_DAY = date(2019, 1, 1)
DAYS = 3 * 365
WINDOW = 1000  # documents per rate sample (start and end of a run)
OUTLETS = ("Reuters", "AP", "AFP", "Al Jazeera", "BBC", "Xinhua", "Anadolu", "The Guardian", "Le Monde", "DW")


# ---------------------------------------------------------------------------------------------- inputs


def news_documents(n: int, path: Path, seed: int = 7) -> Path:
    """``n`` news stories of the corpus as JSONL (id, text, title, site, date), written once to ``path``."""
    if path.exists():
        return path
    csv.field_size_limit(sys.maxsize)
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if (row.get("text") or "").strip()]
    if n > len(rows):
        raise SystemExit(f"the corpus has {len(rows)} stories, fewer than {n}")
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for number, row in enumerate(rows[:n]):
            day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            record = {"id": f"news{number}", "text": row["text"], "title": row["title"]}
            record |= {"site": row.get("source") or rng.choice(OUTLETS), "date": day.isoformat()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def seed_records(docs_path: Path, path: Path) -> Path:
    """``polemos extract`` output for the documents of ``docs_path``, computed once (the pipeline is slow)."""
    if path.exists():
        return path
    from polemos.ingest import read_inputs
    from polemos.pipeline import Pipeline

    temporary = path.with_suffix(".part")
    with temporary.open("w", encoding="utf-8") as out:
        for result in Pipeline().run(read_inputs([str(docs_path)])):
            out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    temporary.rename(path)
    return path


def synthetic_coded(n: int, seeds_path: Path, path: Path, seed: int = 11) -> Path:
    """``n`` coded records (``polemos extract`` objects) varied from the seed records, written to ``path``.

    Each story takes a seed record with events, a day in three years, new places near the seed's (one of 25
    variants of each place, within ~40 km) and a variant of its people and unnamed groups (one of 200), and is
    reported by 1-4 outlets a day or two apart. Skewed on purpose: seed records are drawn with Zipf weights.
    """
    if path.exists():
        return path
    seeds = [json.loads(line) for line in seeds_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    seeds = [record for record in seeds if record.get("events") and record.get("date")]
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(seeds))]
    rng.shuffle(seeds)
    temporary = path.with_suffix(".part")
    written = 0
    with temporary.open("w", encoding="utf-8") as out:
        while written < n:
            template = rng.choices(seeds, weights)[0]
            story = {
                "day": FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
                "place_variant": rng.randrange(25),
                "name_variant": rng.randrange(200),
            }
            for report in range(min(rng.choice((1, 1, 2, 2, 3, 4)), n - written)):
                record = vary(template, story, report, written, rng)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    temporary.rename(path)
    return path


def vary(
    template: dict[str, Any], story: dict[str, Any], report: int, number: int, rng: random.Random
) -> dict:
    """One outlet's report of a story: the template with the story's dates, places and names."""
    record = copy.deepcopy(template)
    published = story["day"] + timedelta(days=report and rng.randrange(0, 3))
    shift = published - date.fromisoformat(template["date"][:10])
    record["id"] = f"coded{number}"
    record["date"] = published.isoformat()
    record["site"] = OUTLETS[(hash(template["id"]) + report) % len(OUTLETS)]
    record["origin"] = f"synthetic.jsonl:{number + 1}"
    for found in record.get("dates") or []:
        _shift(found, shift)
    variant, names = story["place_variant"], story["name_variant"]
    moved = {place["id"]: _move(place, variant) for place in record.get("places") or []}
    for actor in record.get("actors") or []:
        _rename(actor, names)
    for event in record["events"]:
        _shift(event.get("date") or {}, shift)
        location = event.get("location")
        if location and location.get("place") in moved:
            place = moved[location["place"]]
            location.update({k: place[k] for k in ("name", "geonameid", "lat", "lon")})
        for ref in [*(event.get("source") or []), *(event.get("target") or [])]:
            _rename(ref, names)
        speaker = (event.get("claim") or {}).get("speaker")
        if speaker and speaker.get("kind") == "actor":
            _rename(speaker, names)
    return record


def _shift(found: dict[str, Any], shift: timedelta) -> None:
    for key in ("start", "end"):
        if found.get(key):
            found[key] = (date.fromisoformat(found[key][:10]) + shift).isoformat()


def _move(place: dict[str, Any], variant: int) -> dict[str, Any]:
    """Variant 0 is the place itself; others lie up to ~40 km away, each a place of its own."""
    if variant and place.get("lat") is not None and place.get("feature") != "country":
        jitter = random.Random(f"{place.get('geonameid')}:{variant}")
        place["lat"] = round(place["lat"] + jitter.uniform(-0.35, 0.35), 4)
        place["lon"] = round(place["lon"] + jitter.uniform(-0.35, 0.35), 4)
        place["name"] = f"{place['name']} {variant}"
        if place.get("geonameid"):
            place["geonameid"] = 100_000_000 * variant + place["geonameid"]
    return place


def _rename(actor: dict[str, Any], variant: int) -> None:
    """People and groups without a dictionary code get the story's variant of their name."""
    if variant and actor.get("name") and not actor.get("code") and actor.get("country"):
        actor["name"] = f"{actor['name']} {variant}"
        if "aliases" in actor:
            actor["aliases"] = [f"{alias} {variant}" for alias in actor["aliases"]]


# ---------------------------------------------------------------------------------------------- worker


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def warm_up() -> None:
    """Load the models, dictionaries and gazetteer (cached for the process) outside the timed loop."""
    from polemos.model import Document
    from polemos.pipeline import Pipeline

    list(Pipeline().run([Document(id="warm-up", text=WARM_UP_TEXT, date="2024-01-02")]))


def run_worker(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """One measured run inside its own process."""
    stamps: list[float] = []
    result: dict[str, Any] = {"kind": kind}
    if kind in ("pipeline", "ingest"):
        started = time.perf_counter()
        warm_up()
        result["load_s"] = time.perf_counter() - started
    result["rss_before_mb"] = current_rss_mb()
    if kind == "pipeline":
        from polemos.ingest import read_inputs
        from polemos.pipeline import Pipeline

        events = 0
        started = time.perf_counter()
        for coded in Pipeline().run(read_inputs([spec["input"]])):
            events += len(coded.to_dict()["events"])
            stamps.append(time.perf_counter())
        result |= {"docs": len(stamps), "events": events}
    else:
        from polemos.store import open_store

        store = open_store(spec["db"])
        result["rss_before_mb"] = current_rss_mb()  # polemos imported, the store open
        started = time.perf_counter()
        call = store.ingest if kind == "ingest" else store.ingest_coded
        report = call(
            [spec["input"]], on_document=lambda report, document: stamps.append(time.perf_counter())
        )
        result |= {"docs": report.stored, "failed": report.failed, "duplicates": report.duplicates}
        result |= {"mentions": report.mentions, "new_events": report.new_events}
        result |= {"merged_mentions": report.merged_mentions, "errors": report.errors[:3]}
        result["store"] = store.stats()
        store.close()
    result["seconds"] = (stamps[-1] if stamps else time.perf_counter()) - started
    result["docs_per_s"] = len(stamps) / result["seconds"] if result["seconds"] else None
    if len(stamps) >= 4 * WINDOW:
        first = stamps[WINDOW - 1] - started
        last = stamps[-1] - stamps[-WINDOW - 1]
        result["first_docs_per_s"], result["last_docs_per_s"] = WINDOW / first, WINDOW / last
        tenth = len(stamps) // 10  # the rate over each tenth of the run: how ingest slows as the store grows
        marks = [started, *(stamps[tenth * i - 1] for i in range(1, 11))]
        result["docs_per_s_by_tenth"] = [
            round(tenth / (b - a), 1) for a, b in zip(marks, marks[1:], strict=False)
        ]
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def spawn(kind: str, spec: dict[str, Any], work: Path, timeout: float) -> dict[str, Any]:
    """Run a worker in a fresh interpreter; its result, or ``{"error": ...}``."""
    out = work / f"result-{kind}-{os.getpid()}-{time.monotonic_ns()}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--spec", json.dumps(spec)]
    command += ["--result-file", str(out)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {(done.stderr or done.stdout)[-2000:]}"}
    return json.loads(out.read_text())


# ---------------------------------------------------------------------------------------------- databases


class Databases:
    """Fresh SQLite files and PostgreSQL databases, one per run, removed afterwards."""

    def __init__(self, work: Path, postgres: str | None) -> None:
        self.work, self.postgres = work, postgres

    def fresh(self, backend: str, name: str) -> str:
        if backend == "sqlite":
            path = self.work / f"{name}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return f"sqlite:///{path}"
        self._admin(f"DROP DATABASE IF EXISTS {name}")
        self._admin(f"CREATE DATABASE {name}")
        return self._url(name)

    def size_mb(self, backend: str, url: str) -> float:
        if backend == "sqlite":
            path = url.removeprefix("sqlite:///")
            return (
                sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
                / 2**20
            )
        name = url.rsplit("/", 1)[1]
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as connection:
            return connection.execute("SELECT pg_database_size(%s)", (name,)).fetchone()[0] / 2**20

    def drop(self, backend: str, url: str) -> None:
        if backend == "sqlite":
            path = url.removeprefix("sqlite:///")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            self._admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]}")

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as connection:
            connection.execute(sql)

    def _url(self, name: str) -> str:
        base, _, _ = self.postgres.rpartition("/")
        return f"{base}/{name}"


# ---------------------------------------------------------------------------------------------- parts


def measure(
    kind: str, backend: str | None, size: int, source: Path, dbs: Databases, work: Path, args
) -> dict:
    spec: dict[str, Any] = {"input": str(source)}
    url = None
    if backend:
        url = dbs.fresh(backend, f"bench_ingest_{kind}_{size}")
        spec["db"] = url
    print(f"  {kind:<9} {backend or '-':<10} {size:>7} documents ...", end="", flush=True)
    run = spawn(kind, spec, work, args.timeout)
    run |= {"backend": backend or "none", "size": size}
    if url and "error" not in run:
        run["db_size_mb"] = dbs.size_mb(backend, url)
    if url and not args.keep:
        dbs.drop(backend, url)
    done = run.get("error") or f"{run['docs_per_s']:.1f} docs/s, peak {run['peak_rss_mb']:.0f} MB"
    print(f" {done}")
    return run


def prefix(path: Path, n: int, target: Path) -> Path:
    """The first ``n`` lines of ``path`` as a file of their own."""
    if not target.exists():
        with path.open(encoding="utf-8") as source, target.open("w", encoding="utf-8") as out:
            for number, line in enumerate(source):
                if number >= n:
                    break
                out.write(line)
    return target


def table(runs: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> str:
    lines = ["| " + " | ".join(title for title, _, _ in columns) + " |"]
    lines.append("|" + "|".join("---:" if fmt else "---" for _, _, fmt in columns) + "|")
    for run in runs:
        cells = []
        for _, key, fmt in columns:
            value = run.get(key)
            cells.append("–" if value is None else format(value, fmt) if fmt else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="URL of a PostgreSQL server where the user may CREATE DATABASE")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--parts", default="rate,pipeline-memory,coded-memory")
    parser.add_argument("--rate-docs", type=int, default=300)
    parser.add_argument("--pipeline-sizes", default="1000,3000")
    parser.add_argument("--coded-sizes", default="1000,10000,100000")
    parser.add_argument("--coded-backends", help="backends of the coded runs (default: --backends)")
    parser.add_argument(
        "--seed-docs", type=int, default=300, help="documents coded for real to build records"
    )
    parser.add_argument("--quick", action="store_true", help="30 documents, sizes 100 and 300, SQLite only")
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR, help="inputs and SQLite files (reused)")
    parser.add_argument("--keep", action="store_true", help="keep the stores of every run")
    parser.add_argument("--timeout", type=float, default=7200)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.result_file.write_text(json.dumps(run_worker(args.worker, json.loads(args.spec))))
        return
    if args.quick:
        args.rate_docs, args.pipeline_sizes, args.coded_sizes = 30, "100", "100,300"
        args.backends, args.seed_docs = "sqlite", 30
    backends = [b for b in args.backends.split(",") if b]
    coded_backends = [b for b in (args.coded_backends or args.backends).split(",") if b]
    if "postgresql" in backends + coded_backends and not args.postgres:
        parser.error("--postgres URL is needed for the postgresql backend (or pass --backends sqlite)")
    parts = args.parts.split(",")
    work = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    dbs = Databases(work, args.postgres)
    results: dict[str, list[dict[str, Any]]] = {}
    output: list[str] = []

    if "rate" in parts:
        print(f"rate: {args.rate_docs} documents through the pipeline, bare and into the store")
        docs = news_documents(args.rate_docs, work / f"news-{args.rate_docs}.jsonl")
        runs = [measure("pipeline", None, args.rate_docs, docs, dbs, work, args)]
        runs += [measure("ingest", backend, args.rate_docs, docs, dbs, work, args) for backend in backends]
        bare = runs[0].get("docs_per_s")
        for run in runs:
            if bare and run.get("docs_per_s"):
                run["vs_bare"] = bare / run["docs_per_s"]
        results["rate"] = runs
        output.append(f"### Ingest rate: {args.rate_docs} news documents, coded and stored\n")
        output.append(
            table(
                runs,
                [
                    ("run", "kind", ""),
                    ("store", "backend", ""),
                    ("docs", "docs", "d"),
                    ("load s", "load_s", ".1f"),
                    ("time s", "seconds", ".1f"),
                    ("docs/s", "docs_per_s", ".2f"),
                    ("time / bare", "vs_bare", ".3f"),
                    ("mentions", "mentions", "d"),
                    ("peak RSS MB", "peak_rss_mb", ".0f"),
                ],
            )
        )

    if "pipeline-memory" in parts:
        sizes = [int(s) for s in args.pipeline_sizes.split(",") if s]
        print(f"pipeline-memory: Store.ingest of {sizes} documents")
        runs = []
        for backend in backends[:1]:
            for size in sizes:
                docs = news_documents(size, work / f"news-{size}.jsonl")
                runs.append(measure("ingest", backend, size, docs, dbs, work, args))
        results["pipeline-memory"] = runs
        output.append("\n### Peak memory of `polemos ingest` (whole pipeline)\n")
        output.append(table(runs, _memory_columns()))

    if "coded-memory" in parts:
        sizes = [int(s) for s in args.coded_sizes.split(",") if s]
        print(f"coded-memory: Store.ingest_coded of {sizes} records (seed: {args.seed_docs} documents coded)")
        seeds = seed_records(
            news_documents(args.seed_docs, work / f"news-{args.seed_docs}.jsonl"),
            work / f"seed-coded-{args.seed_docs}.jsonl",
        )
        biggest = synthetic_coded(max(sizes), seeds, work / f"coded-{args.seed_docs}-{max(sizes)}.jsonl")
        runs = []
        for backend in coded_backends:
            for size in sizes:
                first = work / f"coded-{args.seed_docs}-{max(sizes)}-first{size}.jsonl"
                source = biggest if size == max(sizes) else prefix(biggest, size, first)
                runs.append(measure("coded", backend, size, source, dbs, work, args))
        results["coded-memory"] = runs
        output.append("\n### `polemos ingest --coded`: memory and rate as the store grows\n")
        output.append(table(runs, [*_memory_columns(), ("store MB", "db_size_mb", ".0f")]))

    report = "\n".join(output)
    print("\n" + report)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    facts = _environment()
    (RESULTS_DIR / f"bench_ingest_{stamp}.json").write_text(
        json.dumps({"results": results, "environment": facts, "args": vars(args)}, default=str, indent=1)
    )
    (RESULTS_DIR / f"bench_ingest_{stamp}.md").write_text(f"{report}\n\n{json.dumps(facts, indent=1)}\n")
    print(f"\nresults: benchmarks/results/bench_ingest_{stamp}.json, .md ({platform.node()})")


def _memory_columns() -> list[tuple[str, str, str]]:
    return [
        ("store", "backend", ""),
        ("docs", "size", "d"),
        ("stored", "docs", "d"),
        ("mentions", "mentions", "d"),
        ("events", "new_events", "d"),
        ("time s", "seconds", ".1f"),
        ("docs/s", "docs_per_s", ".1f"),
        (f"docs/s first {WINDOW}", "first_docs_per_s", ".1f"),
        (f"docs/s last {WINDOW}", "last_docs_per_s", ".1f"),
        ("RSS before MB", "rss_before_mb", ".0f"),
        ("peak RSS MB", "peak_rss_mb", ".0f"),
    ]


if __name__ == "__main__":
    main()
