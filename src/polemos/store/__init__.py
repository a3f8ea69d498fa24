"""The event store stage: coded documents → one SQLite or PostgreSQL database of merged events.

``open_store(url)`` gives a :class:`Store`; see ``store.py`` for its use, ``merge.py`` for how reports of one
event are merged, ``migrations/`` for the schema.
"""

from polemos.store.database import DEFAULT_URL, StoreError
from polemos.store.query import EventFilter
from polemos.store.store import IngestReport, Store, open_store

__all__ = ["DEFAULT_URL", "EventFilter", "IngestReport", "Store", "StoreError", "open_store"]
