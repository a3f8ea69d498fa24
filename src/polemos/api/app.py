"""The FastAPI app: the JSON API under ``/api``, its docs at ``/docs`` (offline), the web page at ``/``."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import polemos
from polemos.api import actors, documents, events
from polemos.api.backend import Backend
from polemos.api.cache import AnswerCache, CachedAnswers
from polemos.store.database import parse_url

API_STATIC = Path(__file__).parent / "static"
WEB_STATIC = Path(__file__).parent.parent / "web" / "static"
SWAGGER = "/docs/assets/swagger"
# Requests served at once per process, each with its own store connection. SQLite works in the process,
# under its lock: past 2 or 3 threads they only take turns (varied load on 1M events, 2 processes: 830-860
# requests/s with 2-3 threads, 540-600 with 8). PostgreSQL works in its own processes while a thread waits:
# 8 threads served 450/s, 3 threads 360/s.
WORKER_THREADS = {"sqlite": 3, "postgresql": 8}

DESCRIPTION = """\
Merged conflict events coded from news articles, with their actors, places, dates and the claims of who
says what happened. Read-only but for `POST /api/documents`, which needs `Authorization: Bearer <token>`
(the token set by `POLEMOS_TOKEN`).

Errors: `{"detail": ..., "message": "..."}` with a message for a person; for 422, `detail` lists the
parameters at fault (`loc`) as FastAPI does.
"""


def create_app(db_url: str, token: str | None = None, cache_mb: int = 64) -> FastAPI:
    """The app serving the store at ``db_url``; ``token`` (default: $POLEMOS_TOKEN) allows writes;
    ``cache_mb``: memory for answers kept while the store is unchanged (0: none)."""
    backend = Backend(db_url, token if token is not None else os.environ.get("POLEMOS_TOKEN"))
    cache = AnswerCache(db_url, cache_mb * 2**20) if cache_mb > 0 else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run in worker threads: a few are enough to keep the cores busy, and each holds a
        # connection (PostgreSQL serves a limited number).
        threads = WORKER_THREADS[parse_url(backend.url)[0]]
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        backend.start()
        try:
            yield
        finally:
            backend.close()
            if cache is not None:
                await cache.close()

    app = FastAPI(
        title="polemos",
        version=polemos.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below from the vendored Swagger UI, not from a CDN
        redoc_url=None,
    )
    app.state.backend = backend
    # Pages of events are large and repetitive. Level 1 compresses a page of 100 events (95 kB of JSON) in
    # 0.5 ms to 15.4 kB; level 6 takes 1.2 ms for 11.7 kB, the default 9 over 4 ms. Compression runs on the
    # event loop, where each millisecond delays every waiting request, and the server is meant for the
    # user's machine or network, where the bytes cost little.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=1)
    if cache is not None:
        app.add_middleware(CachedAnswers, cache=cache)  # outermost: answers kept compressed
    for module in (events, actors, documents):
        app.include_router(module.router, prefix="/api")
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.mount("/docs/assets", StaticFiles(directory=API_STATIC), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="polemos API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},  # no calls to an online validator
        )

    if WEB_STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=WEB_STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        page = WEB_STATIC / "index.html"
        if not page.is_file():
            raise StarletteHTTPException(404, "no web page in this installation")
        return FileResponse(page)

    return app


def create_app_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` (and ``polemos serve --workers N``): the store at $POLEMOS_DB."""
    return create_app(os.environ.get("POLEMOS_DB") or "polemos.db")


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = error.errors()
    message = "; ".join(f"{_where(detail['loc'])}: {detail['msg']}" for detail in details)
    return JSONResponse({"detail": jsonable_encoder(details), "message": message}, status_code=422)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    content: dict[str, Any] = {"detail": error.detail, "message": str(error.detail)}
    return JSONResponse(content, status_code=error.status_code, headers=error.headers)


def _where(location: tuple[Any, ...] | list[Any]) -> str:
    """``("query", "since")`` → ``since``; ``("body", "text")`` → ``text``; ``("body",)`` → ``body``."""
    parts = [str(part) for part in location]
    return ".".join(parts[1:]) if len(parts) > 1 else parts[0] if parts else "request"
