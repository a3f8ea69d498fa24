"""Shared fixtures: the path to ../shared (gold data, the founding article), a coded seed article, and the
event store's databases (``db_url``: a fresh SQLite file, or a fresh database on a real PostgreSQL server)."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
POSTGRES_URL_VARIABLE = "POLEMOS_TEST_POSTGRES"
MISSING_POSTGRES = (
    "PostgreSQL's server binaries (initdb, pg_ctl) were not found, and the store tests need a real server: "
    f"run scripts/ensure-postgresql (installs Debian's postgresql as root), install PostgreSQL >= 13, or set "
    f"{POSTGRES_URL_VARIABLE} to the URL of a server where the user may CREATE DATABASE"
)


def shared_dir() -> Path:
    """``../shared`` beside the checkout (or $POLEMOS_SHARED); tests that need it fail loudly without it."""
    path = Path(os.environ.get("POLEMOS_SHARED", REPO.parent / "shared"))
    if not path.is_dir():
        pytest.fail(f"shared data folder not found at {path} (set POLEMOS_SHARED)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


def _postgres_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: from PATH, else the newest /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("initdb")
    if on_path and (Path(on_path).parent / "pg_ctl").exists():
        return Path(on_path).parent
    installed = [path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    installed = [folder for folder in installed if (folder / "pg_ctl").exists()]
    return max(installed, key=_version_of_bin_dir, default=None)


def _version_of_bin_dir(folder: Path) -> list[int]:
    """``/usr/lib/postgresql/15/bin`` -> [15], so that 15 sorts after 9.6."""
    return [int(part) for part in re.findall(r"\d+", folder.parent.name)]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _PrivateCluster:
    """A throwaway PostgreSQL cluster in a temporary folder, run as the ``postgres`` user when we are root."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.as_root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="polemos-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        if self.as_root:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                self.remove()
                pytest.fail("running as root needs a 'postgres' system user to run PostgreSQL", pytrace=False)
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)

    def _run(self, program: str, *arguments: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / program), *arguments]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, cwd=self.folder, capture_output=True, text=True, check=False)

    def _fail(self, step: str, result: subprocess.CompletedProcess[str]) -> NoReturn:
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        self.remove()
        pytest.fail(f"PostgreSQL {step} failed:\n{result.stdout}{result.stderr}{log}", pytrace=False)

    def start(self) -> str:
        initialised = self._run(
            "initdb", "-D", str(self.data), *"-A trust -U postgres --no-sync -E UTF8 --locale=C".split()
        )
        if initialised.returncode != 0:
            self._fail("initdb", initialised)
        for _attempt in range(3):  # another process may take the free port between the probe and the start
            port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {port} -k {self.folder} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            started = self._run(
                "pg_ctl", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log), "-o", options, "start"
            )
            if started.returncode == 0:
                return f"postgresql://postgres@127.0.0.1:{port}/postgres"
        self._fail("start", started)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        self.remove()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL server where the tests may CREATE DATABASE: $POLEMOS_TEST_POSTGRES, or a private
    throwaway cluster started for this session and removed at its end. Fails (never skips) without one."""
    given = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if given:
        yield given
        return
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        pytest.fail(MISSING_POSTGRES, pytrace=False)
    cluster = _PrivateCluster(bin_dir)
    url = cluster.start()
    try:
        yield url
    finally:
        cluster.stop()


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.fixture
def new_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Factory: ``new_db_url("sqlite" | "postgresql")`` is the URL of another fresh, empty store database,
    dropped after the test. The PostgreSQL server starts only when a test asks for a PostgreSQL database."""
    made: list[tuple[str, str]] = []
    sqlite_files: list[Path] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            sqlite_files.append(
                tmp_path / ("store.db" if not sqlite_files else f"store-{len(sqlite_files) + 1}.db")
            )
            return f"sqlite:///{sqlite_files[-1]}"
        if backend != "postgresql":
            raise ValueError(f"unknown store backend {backend!r}")
        import psycopg
        from psycopg import sql

        server = request.getfixturevalue("postgres_server")
        database = f"polemos_test_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        made.append((server, database))
        return _with_database(server, database)

    yield make
    if made:
        import psycopg
        from psycopg import sql

        for server, database in made:
            with psycopg.connect(server, autocommit=True) as admin:
                drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
                admin.execute(drop)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, new_db_url: Callable[[str], str]) -> str:
    """URL of a fresh, empty store database; every test using it runs once on SQLite, once on PostgreSQL."""
    return new_db_url(request.param)


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the reads made through ``Path.open`` handles during the test, in order."""
    reads: list[int] = []
    real_open = Path.open

    def counting_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        handle = real_open(self, *args, **kwargs)  # type: ignore[arg-type]
        real_read = handle.read

        def counted_read(size: int = -1) -> bytes:
            data = real_read(size)
            reads.append(len(data))
            return data

        handle.read = counted_read  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr(Path, "open", counting_open)
    return reads
