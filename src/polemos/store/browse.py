"""Read-only views for browsing a store (the web API): its documents, and its events counted day by day."""

from __future__ import annotations

import json
from typing import Any

from polemos.store.database import Database
from polemos.store.query import EventFilter, filter_sql

_DOCUMENT_COLUMNS = (
    "d.id, d.doc_key, d.title, d.url, d.outlet, d.date, d.language, d.origin, d.ingested_at, "
    "(SELECT COUNT(*) FROM mentions m WHERE m.document_id = d.id) AS mentions"
)


def list_documents(db: Database, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Stored documents, the last stored first, each with its number of event mentions."""
    rows = db.all(
        f"SELECT {_DOCUMENT_COLUMNS} FROM documents d ORDER BY d.id DESC LIMIT ? OFFSET ?", (limit, offset)
    )
    return [_document(row) for row in rows]


def document_details(db: Database, document_id: int) -> dict[str, Any] | None:
    """One document with its text (which every span indexes) and the errors met while coding it."""
    row = db.one(
        f"SELECT {_DOCUMENT_COLUMNS}, d.text, d.errors FROM documents d WHERE d.id = ?", (document_id,)
    )
    if row is None:
        return None
    return {**_document(row), "text": row["text"], "errors": json.loads(row["errors"] or "[]")}


def document_id_of(db: Database, digest: str) -> int | None:
    """The id of the document stored with this content hash, if any."""
    value = db.scalar("SELECT id FROM documents WHERE content_hash = ?", (digest,))
    return None if value is None else int(value)


def document_events(db: Database, document_id: int) -> list[int]:
    """The merged events a document's mentions belong to, in the order of its mentions."""
    rows = db.all(
        "SELECT event_id FROM mentions WHERE document_id = ? AND event_id IS NOT NULL ORDER BY id",
        (document_id,),
    )
    return list(dict.fromkeys(int(row["event_id"]) for row in rows))


def timeline(db: Database, where: EventFilter) -> list[dict[str, Any]]:
    """Events matching ``where`` (its limit and offset aside) counted by day and type, sorted by day then
    type; undated events are left out. ``near`` is :func:`~polemos.store.query.filter_sql`'s circle."""
    condition = filter_sql(db, where)
    if condition is None:
        return []
    sql, params = condition
    rows = db.all(
        "SELECT e.sort_date AS date, e.type, COUNT(*) AS count FROM events e "
        f"WHERE e.sort_date IS NOT NULL AND {sql} GROUP BY e.sort_date, e.type ORDER BY e.sort_date, e.type",
        params,
    )
    return [{"date": row["date"], "type": row["type"], "count": int(row["count"])} for row in rows]


def _document(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "key": row["doc_key"],
        "title": row["title"],
        "url": row["url"],
        "outlet": row["outlet"],
        "date": row["date"],
        "language": row["language"],
        "origin": row["origin"],
        "ingested_at": row["ingested_at"],
        "mentions": int(row["mentions"]),
    }
