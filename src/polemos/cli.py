"""The ``polemos`` command line: a thin layer over the pipeline."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from polemos.cli_shared import check_date, progress_bar, require_paths, stderr, stdout_console

app = typer.Typer(
    help="polemos: conflict news in, structured, source-attributed event data out.",
    no_args_is_help=True,
    add_completion=False,
)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class Half(StrEnum):
    even = "even"
    odd = "odd"


@app.callback()
def _main() -> None:
    """polemos: conflict news in, structured, source-attributed event data out."""


@app.command()
def extract(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or directories (text, HTML, JSONL); '-' or nothing reads stdin."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Publication date (YYYY-MM-DD) for documents without one.", callback=check_date
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one JSON object a line; json: one array; table: a summary for people.",
        ),
    ] = OutputFormat.jsonl,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."
        ),
    ] = None,
    classifier: Annotated[
        bool,
        typer.Option(
            "--classifier/--no-classifier",
            help="When the lexicon finds no event in a document, let the learned classifier type its lead "
            "(events marked coded_by: classifier).",
        ),
    ] = True,
) -> None:
    """Code articles into actors, events, claims, places and dates; one JSON object per document."""

    from polemos.ingest import read_inputs
    from polemos.pipeline import Pipeline

    paths = paths or ["-"]
    require_paths(paths)
    pipeline = Pipeline(classifier=classifier)
    documents = read_inputs(paths, default_date=date, stdin=sys.stdin.buffer if "-" in paths else None)
    total = ok = 0
    collected = []
    out = sys.stdout
    with progress_bar("coding", progress) as bar:
        task = bar.add_task("", total=None)
        for result in pipeline.run(documents):
            total += 1
            for error in result.errors:
                stderr.print(f"[red]error[/red] {error}", highlight=False)
            if not result.errors:
                ok += 1
            data = result.to_dict()
            if output_format is OutputFormat.jsonl:
                out.write(json.dumps(data, ensure_ascii=False) + "\n")
                out.flush()
            else:
                collected.append(data)
            bar.update(task, advance=1, description=result.id)
    if output_format is OutputFormat.json:
        json.dump(collected, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif output_format is OutputFormat.table:
        for data in collected:
            print_summary(data)
    if total and not ok:
        stderr.print(f"[red]all {total} document(s) failed[/red]")
        raise typer.Exit(1)
    if not total:
        stderr.print("[yellow]no documents found[/yellow]")
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    dataset: Annotated[
        str, typer.Argument(help="One of: case2021-task2-dev, plover-gsr, tr-news, re3d, ucdp-ged-sample.")
    ],
    path: Annotated[str, typer.Argument(help="The gold set's folder (e.g. ../shared/gold/tr-news).")],
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N records.")] = None,
    report: Annotated[
        str | None, typer.Option("--report", help="Also write a report: FILE.md or FILE.html.")
    ] = None,
    half: Annotated[
        Half | None,
        typer.Option("--half", help="Only one half of the set, by record index parity (even: 0, 2, 4, …)."),
    ] = None,
) -> None:
    """Score polemos on a public gold data set and print the figures."""

    from polemos.eval import DATASETS, evaluator
    from polemos.eval.report import print_result, write_report

    if dataset not in DATASETS:
        raise typer.BadParameter(
            f"unknown dataset {dataset!r}; one of: {', '.join(DATASETS)}", param_hint="DATASET"
        )
    require_paths([path], hint="PATH")
    with progress_bar(dataset, details=False) as bar:
        task = bar.add_task("", total=None)
        result = evaluator(dataset)(
            path,
            limit=limit,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            half=half.value if half else None,
        )
    if half:
        result.path = f"{result.path} ({half.value} half)"
    print_result(result)
    if report:
        written = write_report(result, report)
        stderr.print(f"report written to {written}")


def print_summary(data: dict) -> None:
    """A readable summary of one coded document."""
    console = stdout_console()
    title = data.get("title") or data["id"]
    console.rule(
        f"[bold]{title}[/bold]  [dim]{data['id']} · {data.get('date') or 'undated'} · "
        f"{data.get('language') or '?'}[/dim]"
    )
    for error in data.get("errors", []):
        console.print(f"[red]error:[/red] {error}", highlight=False)
    if data["actors"]:
        table = Table(
            "id", "actor", "country", "sector", "type", "mentions", title="Actors", title_justify="left"
        )
        for actor in data["actors"]:
            table.add_row(
                actor["id"],
                actor["name"],
                actor["country"] or "",
                actor["sector"] or "",
                actor["type"],
                str(len(actor["mentions"])),
            )
        console.print(table)
    if data["relations"]:
        table = Table("actor", "relation", "other", "from", title="Affiliations", title_justify="left")
        for relation in data["relations"]:
            table.add_row(
                relation["actor_name"], relation["relation"], relation["other_name"], relation["origin"]
            )
        console.print(table)
    if data["events"]:
        table = Table(
            "id",
            "event",
            "ACLED sub-event",
            "source",
            "target",
            "where",
            "when",
            "claim",
            title="Events (most salient first)",
            title_justify="left",
            show_lines=True,
        )
        for event in data["events"]:
            flags = " ".join(
                f
                for f, on in (
                    ("NEG", event["negated"]),
                    ("HYP", event["hypothetical"]),
                    ("FUT", event.get("future")),
                )
                if on
            )
            location = event["location"] or {}
            where = " ".join(x for x in (location.get("relation") or "", location.get("name") or "") if x)
            date = event["date"]
            when = date["start"] or ""
            if date["end"] and date["end"] != date["start"]:
                when = f"{when}..{date['end']}"
            claim = event["claim"]
            speaker = claim["speaker"].get("name") or claim["speaker"].get("kind")
            table.add_row(
                event["id"],
                " ".join(x for x in (event["type"], event["mode"], flags) if x),
                event["acled_sub_event_type"] or "",
                ", ".join(a["name"] for a in event["source"]),
                ", ".join(a["name"] for a in event["target"]),
                where,
                when,
                f"{claim['status']} ({speaker})",
            )
        console.print(table)
    if data.get("incidents"):
        table = Table(
            "id",
            "incident",
            "hazards",
            "where",
            "when",
            "dead",
            "injured",
            title="Incidents (disasters, accidents)",
            title_justify="left",
        )
        for incident in data["incidents"]:
            location = incident["location"] or {}
            date = incident["date"] or {}
            table.add_row(
                incident["id"],
                incident["category"],
                ", ".join(incident["hazards"]),
                location.get("name") or "",
                date.get("start") or "",
                "" if incident["fatalities"] is None else str(incident["fatalities"]),
                "" if incident["injured"] is None else str(incident["injured"]),
            )
        console.print(table)
    if data["places"]:
        table = Table(
            "place", "geonameid", "lat", "lon", "country", "feature", title="Places", title_justify="left"
        )
        for place in data["places"]:
            table.add_row(
                place["name"],
                str(place["geonameid"] or ""),
                f"{place['lat']:.3f}" if place["lat"] is not None else "",
                f"{place['lon']:.3f}" if place["lon"] is not None else "",
                place["country"] or "",
                place["feature"],
            )
        console.print(table)


from polemos.cli_store import commands as _store_commands  # noqa: E402 - the store's commands

app.registered_commands += _store_commands.registered_commands


def main() -> None:
    app()


if __name__ == "__main__":
    main()
