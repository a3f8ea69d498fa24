"""Answers to ``GET /api/…`` kept in memory, exactly as fresh as the store.

Each answer is kept with the store's *generation* at the time it was made, and given again only while the
generation is the same. The generation changes with every commit to the store, by this process or any
other (an ingest, a merge, a POST):

- SQLite: ``PRAGMA data_version`` on a connection of its own, which changes whenever another connection
  commits (a few microseconds to read);
- PostgreSQL: ``pg_current_snapshot()``, which changes whenever any transaction that wrote commits (one
  round trip). The snapshot is the server's, so writes to other databases on the same server change it
  too: fewer answers come from the cache then, never a stale one.

An answer is kept only when the generation is the same before and after it was made, so no commit can
fall in between. The cache holds whole responses (status 200 only, compressed or not as the client asked),
the least recently used dropped first beyond ``max_bytes``.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from polemos.store.database import parse_url


@dataclass
class _Answer:
    generation: str
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class StoreGeneration:
    """The store's generation: a value that changes with every commit; None when it cannot be read."""

    def __init__(self, url: str) -> None:
        self.dialect, self.target = parse_url(url)
        self._sqlite: sqlite3.Connection | None = None
        self._connections = 0  # data_version counts per connection: a new one starts a new series
        self._postgres: Any = None  # psycopg.AsyncConnection
        self._querying = asyncio.Lock()  # one query at a time on it
        self._next: asyncio.Future[str | None] | None = None  # the query after the one in flight

    async def read(self) -> str | None:
        if self.dialect == "sqlite":
            try:
                return self._sqlite_version()
            except sqlite3.Error:  # busy: answer without the cache this time
                self._close_sqlite()
                return None
        return await self._postgres_snapshot()

    def _sqlite_version(self) -> str | None:
        if self.target == ":memory:":
            return None  # every connection has its own database: nothing to compare
        if self._sqlite is None:
            self._sqlite = sqlite3.connect(self.target, isolation_level=None, check_same_thread=False)
            self._sqlite.execute("PRAGMA busy_timeout = 0")  # never wait here: no generation, no cache
            self._connections += 1
        return f"{self._connections}.{self._sqlite.execute('PRAGMA data_version').fetchone()[0]}"

    async def _postgres_snapshot(self) -> str | None:
        """The snapshot, read after this call began: callers that come while a query is in flight (it may
        have begun before them) share the next query, so a crowd of requests costs two round trips."""
        if self._next is not None:
            return await asyncio.shield(self._next)
        mine = self._next = asyncio.get_running_loop().create_future()
        value = None
        try:
            async with self._querying:
                if self._next is mine:
                    self._next = None  # callers from now on need a later query
                value = await self._query_snapshot()
        finally:
            if self._next is mine:
                self._next = None
            mine.set_result(value)
        return value

    async def _query_snapshot(self) -> str | None:
        import psycopg

        try:
            if self._postgres is None:
                self._postgres = await psycopg.AsyncConnection.connect(self.target, autocommit=True)
            cursor = await self._postgres.execute("SELECT pg_current_snapshot()::text")
            row = await cursor.fetchone()
            return str(row[0])
        except psycopg.Error:  # a lost connection: answer without the cache this time, reconnect next time
            await self._close_postgres()
            return None

    def _close_sqlite(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None

    async def _close_postgres(self) -> None:
        if self._postgres is not None:
            connection, self._postgres = self._postgres, None
            await connection.close()

    async def close(self) -> None:
        self._close_sqlite()
        await self._close_postgres()


class AnswerCache:
    """The answers kept, the least recently used first, at most ``max_bytes`` of bodies in all."""

    def __init__(self, url: str, max_bytes: int) -> None:
        self.generation = StoreGeneration(url)
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple[str, bytes, bool], _Answer] = OrderedDict()
        self._bytes = 0
        self._current: str | None = None

    def get(self, key: tuple[str, bytes, bool], generation: str) -> _Answer | None:
        if generation != self._current:  # the store changed: every answer kept is out of date
            self.clear()
            self._current = generation
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple[str, bytes, bool], answer: _Answer) -> None:
        if answer.generation != self._current or len(answer.body) > self.max_bytes // 8:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._answers[key] = answer
        self._bytes += len(answer.body)
        while self._bytes > self.max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self._bytes -= len(dropped.body)

    def clear(self) -> None:
        self._answers.clear()
        self._bytes = 0

    async def close(self) -> None:
        self.clear()
        await self.generation.close()


class CachedAnswers:
    """ASGI middleware: ``GET /api/…`` from the cache while the store is unchanged; the app otherwise.

    Requests for the same answer that come while it is being made wait for it rather than make it again (a
    crowd of clients asking for the front page when the store changes costs one query, not one each).
    """

    def __init__(self, app: ASGIApp, cache: AnswerCache) -> None:
        self.app = app
        self.cache = cache
        self._making: dict[tuple[tuple[str, bytes, bool], str], asyncio.Future[_Answer | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        before = await self.cache.generation.read()
        if before is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"], _accepts_gzip(scope))
        answer = self.cache.get(key, before)
        making = self._making.get((key, before))
        if answer is None and making is not None:
            # Made from the store as it was from before this request came to after it was made: the same.
            answer = await asyncio.shield(making)
            if answer is None:  # not kept (an error, the store changed): this request is answered alone
                await self.app(scope, receive, send)
                return
        if answer is not None:
            await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
            await send({"type": "http.response.body", "body": answer.body})
            return
        made: asyncio.Future[_Answer | None] = asyncio.get_running_loop().create_future()
        self._making[key, before] = made
        answer = None
        try:
            answer = await self._make(scope, receive, send, before)
            if answer is not None:
                self.cache.put(key, answer)
        finally:
            made.set_result(answer)
            if self._making.get((key, before)) is made:
                del self._making[key, before]

    async def _make(self, scope: Scope, receive: Receive, send: Send, before: str) -> _Answer | None:
        """The app's answer, sent on; kept if it is whole, a 200, and the store did not change meanwhile."""
        start: Message = {}
        chunks: list[bytes] = []
        complete = False

        async def keep(message: Message) -> None:
            nonlocal start, complete
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, keep)
        if not complete or start.get("status") != 200 or await self.cache.generation.read() != before:
            return None
        headers = [(bytes(name), bytes(value)) for name, value in start.get("headers", [])]
        return _Answer(before, 200, headers, b"".join(chunks))


def _accepts_gzip(scope: Scope) -> bool:
    """Whether the answer is compressed, as GZipMiddleware decides it."""
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return b"gzip" in value
    return False
