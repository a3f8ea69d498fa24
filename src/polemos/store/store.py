"""The event store: many coded articles, each real event once with all its reports.

>>> store = open_store("sqlite:///conflict.db")            # or "postgresql://user@host/db"
>>> report = store.ingest(["reports/", "feed.rss"])         # read, code, store, merge
>>> store.events(EventFilter(actor="SDF", type="ASSAULT"))  # newest first
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polemos.model import Document
from polemos.store import merge
from polemos.store.database import DEFAULT_URL, Database, StoreError
from polemos.store.query import EventFilter, event_details, find_events, list_actors, match_actors
from polemos.store.records import content_hash
from polemos.store.writer import write_document


@dataclass
class IngestReport:
    """What one ingest run did."""

    read: int = 0  # documents read from the inputs
    stored: int = 0  # documents coded and stored
    duplicates: int = 0  # documents already in the store (same content), skipped
    failed: int = 0  # documents with errors (stored neither)
    mentions: int = 0  # event mentions stored
    new_events: int = 0  # mentions that started an event
    merged_mentions: int = 0  # mentions that joined an existing event
    errors: list[str] = field(default_factory=list)


class Store:
    """A SQLite or PostgreSQL event store. Open it with :func:`open_store`."""

    def __init__(self, url: str | Path = DEFAULT_URL, migrate: bool = True) -> None:
        self.db = Database(url)
        if migrate:
            self.db.migrate()
        elif self.db.schema_version() == 0:
            raise StoreError(f"{url} is not a polemos store yet: open it once with migrate=True")

    @property
    def url(self) -> str:
        return self.db.url

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------ writing

    def has(self, digest: str) -> bool:
        return self.db.one("SELECT 1 AS found FROM documents WHERE content_hash = ?", (digest,)) is not None

    def add(self, result: dict[str, Any], text: str | None = None) -> tuple[int | None, list[dict[str, Any]]]:
        """Store one coded document (a ``polemos extract`` object) and merge its events, in one transaction.

        ``text``: the document's text, which the spans index (``result["text"]`` for HTML); without it the
        record itself is the document's identity. Returns the document's row id (None when the same content
        is already stored) and the merge reason of each mention.
        """
        if text is None and not result.get(
            "text"
        ):  # coded elsewhere, the text not kept: the record is the content
            text = ""
            digest = content_hash(json.dumps(result, sort_keys=True, ensure_ascii=False))
        else:
            text = text if text is not None else result["text"]
            digest = content_hash(text)
        with self.db.transaction():
            written = write_document(self.db, result, text, digest)
            reasons = [merge.assign(self.db, mention_id) for mention_id in written.mention_ids]
        return written.document_id, reasons

    def ingest(
        self,
        paths: list[str],
        date: str | None = None,
        classifier: bool = True,
        on_document: Callable[[IngestReport, Document], None] | None = None,
    ) -> IngestReport:
        """Read, code and store every document under ``paths`` (files, directories, JSONL, feeds, WARC).

        Each document is stored in its own transaction; a document already stored (same content) is skipped
        before it is coded, so a run stopped at any point can be started again: nothing lost, nothing doubled.
        ``on_document(report, document)`` is called after each document (for a progress bar).
        """
        from polemos.ingest import read_inputs
        from polemos.pipeline import Pipeline

        report = IngestReport()
        pipeline = Pipeline(classifier=classifier)
        texts: dict[str, tuple[str, Document]] = {}

        def fresh(documents: Iterable[Document]) -> Iterator[Document]:
            for document in documents:
                report.read += 1
                if document.errors:
                    yield document
                    continue
                digest = content_hash(document.text)
                if self.has(digest):
                    report.duplicates += 1
                    if on_document:
                        on_document(report, document)
                    continue
                texts[document.id] = (document.text, document)
                yield document

        for result in pipeline.run(fresh(read_inputs(paths, date))):
            text, document = texts.pop(result.id, (None, None))
            if result.errors or text is None:
                report.failed += 1
                report.errors.extend(result.errors)
            else:
                try:
                    document_id, reasons = self.add(result.to_dict(), text)
                except Exception as error:  # one bad document must not stop the run
                    report.failed += 1
                    report.errors.append(f"{result.origin or result.id}: not stored: {error}")
                else:
                    self._count(report, document_id, reasons)
            if on_document:
                on_document(report, document or result)
        return report

    def ingest_coded(
        self, paths: list[str], on_document: Callable[[IngestReport, Any], None] | None = None
    ) -> IngestReport:
        """Store documents coded elsewhere: JSONL files of ``polemos extract`` objects, read line by line
        (e.g. coded on a cluster). A line that is not such an object is reported and skipped."""
        report = IngestReport()
        for path in paths:
            try:
                stream = open(path, encoding="utf-8")  # noqa: SIM115 - closed below, read lazily
            except OSError as error:
                report.failed += 1
                report.errors.append(f"{path}: cannot read: {error.strerror}")
                continue
            with stream:
                for number, line in enumerate(stream, 1):
                    if not line.strip():
                        continue
                    report.read += 1
                    where = f"{path}:{number}"
                    try:
                        result = json.loads(line)
                        if not isinstance(result, dict) or not isinstance(result.get("events"), list):
                            raise ValueError("not a polemos extract object (no events list)")
                        if result.get("errors") and not result["events"]:
                            raise ValueError("; ".join(map(str, result["errors"])))
                        document_id, reasons = self.add(result)
                    except Exception as error:  # one bad line must not stop the run
                        report.failed += 1
                        report.errors.append(f"{where}: not stored: {error}")
                    else:
                        self._count(report, document_id, reasons)
                    if on_document:
                        on_document(report, _Named(where))
        return report

    @staticmethod
    def _count(report: IngestReport, document_id: int | None, reasons: list[dict[str, Any]]) -> None:
        if document_id is None:
            report.duplicates += 1
        else:
            report.stored += 1
            report.mentions += len(reasons)
            report.merged_mentions += sum(bool(r.get("merged")) for r in reasons)
            report.new_events += sum(not r.get("merged") and "event" in r for r in reasons)

    def merge_pending(self) -> int:
        """Merge mentions that have never been merged (none, unless merging was interrupted); their number."""
        pending = self.db.all("SELECT id FROM mentions WHERE merge_reason IS NULL ORDER BY document_id, id")
        for row in pending:
            with self.db.transaction():
                merge.assign(self.db, row["id"])
        return len(pending)

    def rebuild_merges(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Merge every mention again from scratch; the number of events."""
        return merge.rebuild(self.db, progress)

    # ------------------------------------------------------------------------------------------ reading

    def events(self, where: EventFilter | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Merged events, newest first: ``store.events(actor="SDF", type="ASSAULT", since="2017-09-01")``."""
        return find_events(self.db, where or EventFilter(**filters))

    def event(self, event_id: int) -> dict[str, Any] | None:
        """One event with every report, its sentence and claim, and why the reports were merged."""
        return event_details(self.db, event_id)

    def actors(self, name: str | None = None, country: str | None = None, limit: int = 100) -> list[dict]:
        return list_actors(self.db, name=name, country=country, limit=limit)

    def match_actors(self, name: str) -> list[int]:
        return match_actors(self.db, name)

    def stats(self) -> dict[str, int]:
        tables = ("documents", "mentions", "events", "actors", "places", "relations", "claims")
        counts = {table: int(self.db.scalar(f"SELECT COUNT(*) FROM {table}")) for table in tables}
        counts["contested_events"] = int(self.db.scalar("SELECT COUNT(*) FROM events WHERE contested = 1"))
        counts["schema_version"] = self.db.schema_version()
        return counts


@dataclass
class _Named:
    id: str


def open_store(url: str | Path | None = None, migrate: bool = True) -> Store:
    """Open (and create or migrate) the store at ``url``: a path, ``sqlite:///path`` or ``postgresql://…``.

    ``migrate=False`` opens an existing store without touching its schema (no write lock): for readers, such
    as one connection per web server thread."""
    return Store(url or DEFAULT_URL, migrate=migrate)
