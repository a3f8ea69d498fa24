"""``/api/documents``: the stored articles; POST codes and stores a new one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, status

from polemos.api.deps import MAX_ID, BackendDep, invalid, require_writer
from polemos.api.models import (
    INVALID,
    NOT_FOUND,
    DocumentDetails,
    DocumentPage,
    NewDocument,
    Problem,
    StoredDocument,
)
from polemos.store.browse import document_details, document_events, document_id_of, list_documents
from polemos.store.records import content_hash

router = APIRouter(tags=["documents"], responses=INVALID)

ORIGIN = "POST /api/documents"  # the origin stored for posted documents


@router.get("/documents", response_model=DocumentPage, summary="Stored documents, the last stored first")
def get_documents(
    backend: BackendDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> Any:
    with backend.store() as store:
        found = list_documents(store.db, limit=limit, offset=offset)
    next_offset = offset + limit if len(found) == limit else None
    return {"documents": found, "limit": limit, "offset": offset, "next_offset": next_offset}


@router.get(
    "/documents/{document_id}",
    response_model=DocumentDetails,
    summary="One document with its text",
    responses=NOT_FOUND,
)
def get_document(backend: BackendDep, document_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    with backend.store() as store:
        document = document_details(store.db, document_id)
    if document is None:
        raise HTTPException(404, f"no document {document_id}")
    return document


@router.post(
    "/documents",
    response_model=StoredDocument,
    status_code=status.HTTP_201_CREATED,
    summary="Code an article and store it",
    dependencies=[Depends(require_writer)],
    responses={
        200: {"model": StoredDocument, "description": "The same content was already stored (duplicate)."},
        401: {"model": Problem, "description": "No token or a wrong one."},
        403: {"model": Problem, "description": "Writes are disabled: no POLEMOS_TOKEN configured."},
        422: {
            "model": INVALID[422]["model"],
            "description": "Bad input: empty, binary, too large, not English, no text in the HTML, …",
        },
    },
)
def add_document(backend: BackendDep, article: NewDocument, response: Response) -> Any:
    """The article is read (HTML: its main text), coded and stored; its reports are merged with the events
    already stored. Needs ``Authorization: Bearer <token>``. The same content again is not coded twice."""
    from polemos.ingest import document_from_bytes

    kind = "html" if article.html is not None else "text"
    content = article.html if article.html is not None else article.text or ""
    document = document_from_bytes(
        content.encode("utf-8", errors="replace"),
        id=kind,
        origin=kind,  # errors name the input: "text: empty input"
        date=article.date.isoformat() if article.date else None,
        url=article.url,
        title=article.title,
        hint=kind,
    )
    if document.errors:
        raise _invalid_content(kind, document.errors)
    document.site = article.site or document.site
    digest = content_hash(document.text)
    with backend.writing() as pipeline, backend.store() as store:
        stored_id = document_id_of(store.db, digest)
        if stored_id is None:
            result = next(pipeline.run([document]))
            if result.errors:
                raise _invalid_content(kind, result.errors)
            record = result.to_dict()
            record["id"] = article.url or f"post:{digest[:16]}"
            record["origin"] = ORIGIN
            new_id, reasons = store.add(record, document.text)
            if new_id is not None:
                events = list(dict.fromkeys(reason["event"] for reason in reasons if "event" in reason))
                return {"document": new_id, "duplicate": False, "events": events, "errors": []}
            stored_id = document_id_of(store.db, digest)  # stored meanwhile by another process
        response.status_code = status.HTTP_200_OK
        return {
            "document": stored_id,
            "duplicate": True,
            "events": document_events(store.db, stored_id),
            "errors": [],
        }


def _invalid_content(kind: str, errors: list[str]) -> Exception:
    return invalid("body", kind, "; ".join(error.removeprefix(f"{kind}: ") for error in errors))
