"""The store's commands: ``polemos ingest``, ``merge``, ``events``, ``actors``, ``network``, ``show``,
``export`` and ``stats``. Registered on the main ``polemos`` command by ``polemos.cli``."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from polemos.cli_shared import check_date, progress_bar, require_paths, stderr, stdout_console
from polemos.store.database import redacted

commands = typer.Typer()

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store URL: a path, sqlite:///path or postgresql://user@host/db "
        "(default: $POLEMOS_DB, else polemos.db here).",
    ),
]


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    geojson = "geojson"
    graphml = "graphml"


def open_db(url: str | None):
    """The store named by ``--db``, else $POLEMOS_DB, else ``polemos.db``; a clear error if it cannot open."""
    from polemos.store import StoreError, open_store

    try:
        return open_store(url or os.environ.get("POLEMOS_DB") or "polemos.db")
    except StoreError as error:
        stderr.print(f"[red]error[/red] {error}", highlight=False)
        raise typer.Exit(2) from None


@commands.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files or directories: text, HTML, JSONL, RSS/Atom feeds, WARC.")
    ],
    db: DbOption = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Publication date (YYYY-MM-DD) for documents without one.", callback=check_date
        ),
    ] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal).")
    ] = None,
    classifier: Annotated[
        bool, typer.Option("--classifier/--no-classifier", help="The learned fallback, as in extract.")
    ] = True,
    coded: Annotated[
        bool,
        typer.Option(
            "--coded", help="The inputs are JSONL files of `polemos extract` output: store, don't code."
        ),
    ] = False,
) -> None:
    """Code articles and store them: each document once (by content), its events merged with earlier reports.

    Every document is stored in its own transaction: stop the run at any point and start it again.
    """
    require_paths(paths)
    store = open_db(db)
    seen_errors = 0
    with progress_bar("ingesting", progress) as bar:
        task = bar.add_task("", total=None)

        def on_document(report, document) -> None:
            nonlocal seen_errors
            for error in report.errors[seen_errors:]:
                bar.console.print(f"[red]error[/red] {error}", highlight=False)
            seen_errors = len(report.errors)
            bar.update(
                task,
                completed=report.read,
                description=f"{report.stored} stored · {report.duplicates} already stored · "
                f"{report.failed} failed · {document.id}",
            )

        if coded:
            report = store.ingest_coded(paths, on_document=on_document)
        else:
            report = store.ingest(paths, date=date, classifier=classifier, on_document=on_document)
    stats = store.stats()
    store.close()
    stderr.print(
        f"{report.read} read: {report.stored} stored, {report.duplicates} already stored, {report.failed} "
        f"failed; {report.mentions} event mentions ({report.merged_mentions} merged into earlier events). "
        f"The store holds {stats['documents']} documents, {stats['events']} events "
        f"({stats['contested_events']} contested).",
        highlight=False,
    )
    if report.read == 0:
        stderr.print("[yellow]no documents found[/yellow]")
        raise typer.Exit(1)
    if report.failed == report.read:
        raise typer.Exit(1)


@commands.command()
def merge(
    db: DbOption = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Forget every merge and merge all mentions again.")
    ] = False,
) -> None:
    """Merge reports of the same event; with --rebuild, from scratch (after changing the merging rules)."""
    store = open_db(db)
    if rebuild:
        with progress_bar("merging", details=False) as bar:
            task = bar.add_task("", total=None)
            count = store.rebuild_merges(lambda done, total: bar.update(task, completed=done, total=total))
    else:
        count = store.merge_pending()
    stats = store.stats()
    store.close()
    what = "rebuilt" if rebuild else f"{count} unmerged mention(s) merged"
    stderr.print(
        f"{what}: {stats['mentions']} mentions in {stats['events']} events "
        f"({stats['contested_events']} contested)"
    )


@commands.command()
def events(
    db: DbOption = None,
    actor: Annotated[
        str | None, typer.Option(help="Actor code, name or alias (SDF), or ISO3 country.")
    ] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="PLOVER type (ASSAULT) or ACLED (sub-)event type.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 country of the event's place.")] = None,
    near: Annotated[str | None, typer.Option(help='A place name ("Deir ez-Zor") or "lat,lon".')] = None,
    km: Annotated[float, typer.Option(help="Radius for --near, in km.")] = 50.0,
    since: Annotated[
        str | None, typer.Option(help="From this date (YYYY-MM-DD).", callback=check_date)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Up to this date (YYYY-MM-DD).", callback=check_date)
    ] = None,
    claimed_by: Annotated[
        str | None, typer.Option("--claimed-by", help="Events someone claims: actor or ISO3 country.")
    ] = None,
    contested: Annotated[
        bool | None, typer.Option("--contested/--uncontested", help="Only events whose claims disagree.")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Only events whose sentence holds these words (any case).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many events.")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Merged events, newest first."""
    from polemos.store import EventFilter

    store = open_db(db)
    where = EventFilter(
        actor=actor,
        type=event_type,
        country=country,
        near=resolve_place(near) if near else None,
        km=km,
        since=since,
        until=until,
        claimed_by=claimed_by,
        contested=contested,
        text=text,
        limit=limit,
        offset=offset,
    )
    found = store.events(where)
    store.close()
    if output_format is not ListFormat.table:
        _write_records(found, output_format)
        return
    table = Table(
        "id",
        "date",
        "event",
        "ACLED",
        "source",
        "target",
        "where",
        "reports",
        "claims",
        title=f"{len(found)} event(s)",
        title_justify="left",
        show_lines=True,
    )
    for event in found:
        location = event["location"] or {}
        claims = "; ".join(f"{c['status']} by {c['speaker'] or c['speaker_kind']}" for c in event["claims"])
        table.add_row(
            str(event["id"]),
            _when(event["date"]),
            event["type"] + (" [bold red]contested[/bold red]" if event["contested"] else ""),
            event["acled_sub_event_type"] or "",
            ", ".join(a["name"] for a in event["source"]),
            ", ".join(a["name"] for a in event["target"]),
            ", ".join(x for x in (location.get("name"), event["country"]) if x),
            f"{event['mention_count']} ({', '.join(event['outlets'])})"
            if event["outlets"]
            else str(event["mention_count"]),
            claims,
        )
    stdout_console(180).print(table)


@commands.command()
def actors(
    db: DbOption = None,
    name: Annotated[str | None, typer.Option(help="Code, name, alias or part of a name.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 country.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Actors in the store, most active first, with aliases and affiliations."""
    store = open_db(db)
    found = store.actors(name=name, country=country, limit=limit)
    store.close()
    if output_format is not ListFormat.table:
        _write_records(found, output_format)
        return
    table = Table(
        "id", "actor", "code", "country", "sector", "events", "aliases", "affiliations", title_justify="left"
    )
    for actor in found:
        table.add_row(
            str(actor["id"]),
            actor["name"],
            actor["code"] or "",
            actor["country"] or "",
            actor["sector"] or "",
            str(actor["events"]),
            ", ".join(actor["aliases"][:5]),
            "; ".join(f"{r['relation']} {r['other']} ({r['documents']})" for r in actor["relations"][:5]),
        )
    stdout_console(180).print(table)


@commands.command()
def show(
    event_id: Annotated[int, typer.Argument(help="The event's id (from polemos events).")],
    db: DbOption = None,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """One event: every report with its sentence and claim, and why the reports were merged."""
    store = open_db(db)
    event = store.event(event_id)
    names = {}
    if event:
        ids = {int(k.split(":")[1]) for m in event["mentions"] for k in _keys(m) if k.startswith("actor:")}
        names = {i: store.db.scalar("SELECT name FROM actors WHERE id = ?", (i,)) for i in ids}
    store.close()
    if event is None:
        stderr.print(f"[red]error[/red] no event {event_id} in the store")
        raise typer.Exit(1)
    if output_format is not ListFormat.table:
        _write_records([event], output_format)
        return
    console = stdout_console(160)
    location = event["location"] or {}
    console.rule(
        f"[bold]event {event['id']}: {event['type']}[/bold] {event['acled_sub_event_type'] or ''} · "
        f"{_when(event['date'])} · {location.get('name') or event['country'] or 'place unknown'}"
        + (" · [bold red]contested[/bold red]" if event["contested"] else "")
    )
    console.print(
        f"source: {', '.join(a['name'] for a in event['source']) or '—'}   "
        f"target: {', '.join(a['name'] for a in event['target']) or '—'}   "
        f"fatalities: {event['fatalities'] if event['fatalities'] is not None else '—'}   "
        f"{event['mention_count']} report(s) in {event['document_count']} document(s)",
        highlight=False,
    )
    for number, mention in enumerate(event["mentions"], 1):
        document = mention["document"]
        claim = mention["claim"]
        console.print(
            f"\n[bold]{number}. {document['outlet'] or document['key']}[/bold] "
            f"{document['date'] or 'undated'} · {document['title'] or ''} {document['url'] or ''}",
            highlight=False,
        )
        console.print(f"   “{mention['sentence']}”", highlight=False)
        console.print(
            f"   claim: {claim['status']} by {claim['speaker'] or claim['speaker_kind']}"
            + (f" ({claim['cue']})" if claim["cue"] else ""),
            highlight=False,
        )
        console.print(f"   merged: {explain(mention['merge_reason'], names)}", highlight=False)
    reports = {m["claim"]["id"]: (number, m["claim"]) for number, m in enumerate(event["mentions"], 1)}
    if event["claim_links"]:
        console.print("\n[bold]claims that disagree[/bold]")
    for link in event["claim_links"]:
        verb = {"denies": "denies", "other_perpetrator": "names another perpetrator than"}[link["kind"]]
        claim = _claim_words(reports, link["claim_id"], link["speaker"], link["status"])
        other = _claim_words(reports, link["other_claim_id"], link["other_speaker"], link["other_status"])
        console.print(f"   {claim} {verb} {other}", highlight=False)


@commands.command()
def network(
    db: DbOption = None,
    since: Annotated[
        str | None, typer.Option(help="Events and relations from this date.", callback=check_date)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Up to this date (YYYY-MM-DD).", callback=check_date)
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Only these edge kinds (attacks, backs, accuses, …).")
    ] = None,
    min_weight: Annotated[int, typer.Option("--min-weight", min=1, help="Drop lighter edges.")] = 1,
    limit: Annotated[int, typer.Option(min=1, help="Table: the heaviest edges only.")] = 50,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Who backs, attacks, accuses whom: the actor network, weighted by events (documents, for relations)."""
    from dataclasses import asdict

    from polemos.store.network import actor_network

    store = open_db(db)
    try:
        graph = actor_network(store.db, since=since, until=until, kinds=kind or None, min_weight=min_weight)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--kind") from None
    finally:
        store.close()
    names = {node.id: node.name for node in graph.nodes}
    edges = sorted(graph.edges, key=lambda edge: (-edge.weight, edge.kind, edge.source, edge.target))
    if output_format is not ListFormat.table:
        records = [
            {**asdict(edge), "source_name": names[edge.source], "target_name": names[edge.target]}
            for edge in edges
        ]
        _write_records(records, output_format)
        return
    title = f"{len(graph.nodes)} actors, {len(edges)} edges (heaviest {min(limit, len(edges))})"
    table = Table("source", "kind", "target", "weight", "first", "last", title=title, title_justify="left")
    for edge in edges[:limit]:
        table.add_row(
            names[edge.source],
            edge.kind,
            names[edge.target],
            str(edge.weight),
            str(edge.first_date or ""),
            str(edge.last_date or ""),
        )
    stdout_console(160).print(table)


@commands.command()
def export(
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="The file format.")],
    out: Annotated[
        str, typer.Option("--out", "-o", help="The file to write; '-' for stdout (text formats).")
    ] = "-",
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="As in polemos events.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="As in polemos events.")] = None,
    country: Annotated[str | None, typer.Option(help="As in polemos events.")] = None,
    near: Annotated[str | None, typer.Option(help="As in polemos events.")] = None,
    km: Annotated[float, typer.Option(help="Radius for --near, in km.")] = 50.0,
    since: Annotated[str | None, typer.Option(help="From this date.", callback=check_date)] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date.", callback=check_date)] = None,
    claimed_by: Annotated[str | None, typer.Option("--claimed-by", help="As in polemos events.")] = None,
    contested: Annotated[bool | None, typer.Option("--contested/--uncontested")] = None,
    text: Annotated[str | None, typer.Option("--text", help="As in polemos events.")] = None,
    acled_only: Annotated[
        bool, typer.Option("--acled-only", help="Only events ACLED would code (with an ACLED event type).")
    ] = False,
) -> None:
    """Export merged events: csv (ACLED's columns + ours), jsonl (PLOVER records), parquet, geojson; or the
    actor network as graphml (for Gephi; takes only --since/--until)."""
    from polemos.store import EventFilter
    from polemos.store.export import export as write_export
    from polemos.store.query import filter_sql

    if out == "-" and output_format in (ExportFormat.parquet,):
        raise typer.BadParameter("parquet is binary: give a file with --out", param_hint="--out")
    filters = EventFilter(actor=actor, type=event_type, country=country,
                          near=resolve_place(near) if near else None, km=km, claimed_by=claimed_by,
                          contested=contested, text=text)  # fmt: skip
    store = open_db(db)
    try:
        if output_format is ExportFormat.graphml:
            if any((actor, event_type, country, near, claimed_by, contested is not None, text, acled_only)):
                raise typer.BadParameter("graphml exports the whole network: only --since and --until apply")
            written = write_export(
                store.db, "graphml", sys.stdout if out == "-" else out, since=since, until=until
            )
        else:
            condition = filter_sql(store.db, filters)
            if condition is None:
                written = 0
                stderr.print("[yellow]no actor of that name in the store[/yellow]")
            else:
                written = write_export(
                    store.db,
                    output_format.value,
                    sys.stdout if out == "-" else out,
                    since=since,
                    until=until,
                    where=condition[0],
                    params=condition[1],
                    acled_only=acled_only,
                )
    finally:
        store.close()
    what = "edges" if output_format is ExportFormat.graphml else "events"
    stderr.print(f"{written} {what} written to {'stdout' if out == '-' else out}")


@commands.command()
def stats(db: DbOption = None) -> None:
    """What the store holds."""
    store = open_db(db)
    counts = store.stats()
    store.close()
    for key, value in counts.items():
        typer.echo(f"{key}: {value}")


@commands.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1 (the default) serves this machine only.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the store: the web page at /, the REST API under /api, its docs at /docs.

    Writes (POST /api/documents) need the token in $POLEMOS_TOKEN, sent as "Authorization: Bearer <token>";
    without it the API is read-only.
    """
    import uvicorn

    url = db or os.environ.get("POLEMOS_DB") or "polemos.db"
    open_db(url).close()  # create or migrate it now, with a clear error if it cannot be opened
    os.environ["POLEMOS_DB"] = url  # for the workers, which build the app from the environment
    shown = f"[{host}]" if ":" in host else host
    writes = "on (POLEMOS_TOKEN set)" if os.environ.get("POLEMOS_TOKEN") else "off (set POLEMOS_TOKEN)"
    stderr.print(
        f"polemos: serving {redacted(url)} at http://{shown}:{port}/ (API docs: http://{shown}:{port}/docs); "
        f"writes {writes}",
        highlight=False,
        soft_wrap=True,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        stderr.print(f"[yellow]warning[/yellow] listening on {host}: other machines can read the store")
    uvicorn.run(
        "polemos.api:create_app_from_environment", factory=True, host=host, port=port, workers=workers
    )


def explain(reason: dict[str, Any] | None, names: dict[int, str]) -> str:
    """A merge reason in words."""
    if not reason:
        return "not merged yet"
    if not reason.get("merged"):
        return reason.get("why", "first report")
    shared = [
        names.get(int(key[6:]), key) if key.startswith("actor:") else f"the state {key[6:]}"
        for key in reason.get("shared_actors", [])
    ]
    parts = [f"joined event {reason['event']}: same type {reason['type']}"]
    if shared:
        parts.append(f"shared actors {', '.join(shared)} ({', '.join(reason.get('roles', []))})")
    else:
        parts.append("no named actor on one side; same place and day")
    if reason.get("distance_km") is not None:
        parts.append(f"{reason['distance_km']} km apart")
    parts.append("same dates" if not reason.get("days_apart") else f"{reason['days_apart']} day(s) apart")
    return "; ".join(parts)


def resolve_place(text: str) -> tuple[float, float]:
    """``--near``: "lat,lon", or a place name from the gazetteer (the most populous town of that name)."""
    from polemos.geo import place_point

    try:
        return place_point(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--near") from None


def _claim_words(
    reports: dict[int, tuple[int, dict]], claim_id: int, speaker: str | None, status: str
) -> str:
    if claim_id not in reports:  # a denial the article reports as an event of its own ("X denied it")
        return f"{speaker or 'someone'} (a denial in the same article)"
    number, claim = reports[claim_id]
    return f"report {number} ({claim['speaker'] or claim['speaker_kind']}, {claim['status']})"


def _keys(mention: dict[str, Any]) -> list[str]:
    return (mention.get("merge_reason") or {}).get("shared_actors", [])


def _when(date: dict[str, Any]) -> str:
    if date["start"] and date["end"] and date["end"] != date["start"]:
        return f"{date['start']}..{date['end']}"
    if date["start"]:
        return date["start"]
    return f"by {date['end']}" if date["end"] else "undated"


def _write_records(records: list[dict[str, Any]], output_format: ListFormat) -> None:
    if output_format is ListFormat.json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
