"""The store's test databases are real: every ``db_url`` is a fresh, empty, writable database, on SQLite
and on a PostgreSQL server (a private cluster started for the session, or $POLEMOS_TEST_POSTGRES)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from typing import Any

import psycopg
import pytest

ARABIC_PLACE = "إدلب"


def connect(url: str) -> Any:
    """A DB-API connection to a ``db_url``: sqlite3 for ``sqlite:///path``, psycopg for ``postgresql://``."""
    if url.startswith("sqlite:///"):
        return sqlite3.connect(url.removeprefix("sqlite:///"))
    if url.startswith("postgresql://"):
        return psycopg.connect(url)
    raise AssertionError(f"unexpected store URL {url!r}")


def table_names(url: str) -> list[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        if url.startswith("sqlite")
        else "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    )
    with closing(connect(url)) as connection:
        return sorted(row[0] for row in connection.execute(query).fetchall())


def test_database_is_writable_and_reads_back(db_url: str) -> None:
    with closing(connect(db_url)) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, place TEXT NOT NULL)")
        connection.execute(f"INSERT INTO events (id, place) VALUES (1, 'Idlib'), (2, '{ARABIC_PLACE}')")
        connection.commit()
    with closing(connect(db_url)) as connection:
        rows = connection.execute("SELECT id, place FROM events ORDER BY id").fetchall()
    assert [tuple(row) for row in rows] == [(1, "Idlib"), (2, ARABIC_PLACE)]


def test_each_database_is_fresh_and_separate(db_url: str, new_db_url: Callable[[str], str]) -> None:
    assert table_names(db_url) == []
    with closing(connect(db_url)) as connection:
        connection.execute("CREATE TABLE claims (id INTEGER)")
        connection.commit()
    other = new_db_url(db_url.split(":", 1)[0])
    assert other != db_url
    assert table_names(other) == []
    assert table_names(db_url) == ["claims"]


def test_db_url_names_its_backend(db_url: str, request: pytest.FixtureRequest) -> None:
    assert db_url.split(":", 1)[0] == request.node.callspec.params["db_url"]


def test_postgres_server_is_recent(postgres_server: str) -> None:
    with closing(psycopg.connect(postgres_server)) as connection:
        version = connection.execute("SHOW server_version_num").fetchone()[0]
    assert int(version) >= 130000
