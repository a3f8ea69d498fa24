"""What the API's endpoints share: one store connection per worker thread, the coding pipeline, the token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from polemos.store import Store, open_store

if TYPE_CHECKING:
    from polemos.pipeline import Pipeline


class Backend:
    """The store at ``url`` and the pipeline, for the endpoints' worker threads.

    Sync endpoints run in a thread pool; each thread reads through its own connection (``open_store(url,
    migrate=False)``), opened on its first request. Coding and storing a posted article hold one lock:
    spaCy is not thread-safe, and one writer at a time keeps merging simple.
    """

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url
        self.token = token or None
        self._local = threading.local()
        self._opened: list[Store] = []
        self._opened_lock = threading.Lock()
        self._pipeline: Pipeline | None = None
        self._writing = threading.Lock()

    def start(self) -> None:
        """Create or migrate the store once, before any request; load the gazetteer (for ``near``) and the
        type names (for ``type``), which the first such request would otherwise wait for."""
        from polemos.geo import Gazetteer
        from polemos.store.query import load_type_names

        open_store(self.url, migrate=True).close()
        Gazetteer.open()
        load_type_names()

    def close(self) -> None:
        with self._opened_lock:
            for store in self._opened:
                store.close()
            self._opened.clear()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """This thread's store; a connection found broken after an error is dropped, to reopen next time."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.url, migrate=False)
            self._local.store = store
            with self._opened_lock:
                self._opened.append(store)
        try:
            yield store
        except Exception:
            connection = store.db.connection
            if getattr(connection, "broken", False) or getattr(connection, "closed", False):  # PostgreSQL
                self._local.store = None
                with self._opened_lock:
                    self._opened.remove(store)
                store.close()
            raise

    @contextmanager
    def writing(self) -> Iterator[Pipeline]:
        """The pipeline (loaded on first use), held by one request at a time."""
        with self._writing:
            if self._pipeline is None:
                from polemos.pipeline import Pipeline

                self._pipeline = Pipeline()
            yield self._pipeline
