"""Shared fixtures: a fresh migrated SQLite file or PostgreSQL database per test, real servers."""

from __future__ import annotations

import gc
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from workbench.config import TODAY_VARIABLE
from workbench.db import make_engine, migrate

IN_CI = os.environ.get("CI", "").lower() == "true"
# A Tuesday: the day the suite was first found to depend on the weekday (see tests/dates.py).
DEFAULT_TEST_TODAY = "2026-12-01"


def pytest_configure(config):
    """Pin the app's clock for the whole run (and the servers it starts): tests never depend on
    the day they run. A date already in the environment wins, so CI can run on a second date."""
    os.environ.setdefault(TODAY_VARIABLE, DEFAULT_TEST_TODAY)


def unavailable(reason: str) -> None:
    """Skip a test whose tool is missing; under CI a missing tool is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this may not be skipped)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- SQLite ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once; tests get copies of it."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    path = tmp_path / "workbench.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_bin(name: str) -> str | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return shutil.which(name)


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1 and a free port (fsync off)."""

    def __init__(self) -> None:
        initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not initdb or not self.pg_ctl:
            raise FileNotFoundError("PostgreSQL (initdb, pg_ctl) is not installed")
        self.root = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
        self.datadir = self.root / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.root, user="postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        subprocess.run(
            [*self.as_user, initdb, "-D", str(self.datadir), "-U", "postgres", "-A", "trust"],
            check=True,
            capture_output=True,
        )
        options = f"-c fsync=off -c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
        subprocess.run(
            [
                *self.as_user,
                self.pg_ctl,
                "-D",
                str(self.datadir),
                "-o",
                options,
                "-w",
                "-l",
                str(self.root / "log"),
                "start",
            ],
            check=True,
            capture_output=True,
        )
        self.counter = itertools.count()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str) -> None:
        engine = make_engine(self.url("postgres"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(statement))
        engine.dispose()

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, self.pg_ctl, "-D", str(self.datadir), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer()
    except (FileNotFoundError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        unavailable(f"PostgreSQL cannot be started here: {error} {detail.decode()[-300:]}")
    server.execute("CREATE DATABASE workbench_template")
    migrate(server.url("workbench_template"))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    name = f"workbench_test_{next(postgres_server.counter)}_{int(time.time() * 1000) % 100000}"
    postgres_server.execute(f"CREATE DATABASE {name} TEMPLATE workbench_template")
    return postgres_server.url(name)


# --- Either backend --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    """A fresh, migrated database: every test using it runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    # A refused write's traceback (kept by `pytest.raises … as refused`) holds its connection
    # in a reference cycle: collect it now, so the pool gets the connection back and disposes
    # of it, rather than the garbage collector deleting an open connection in a later test.
    gc.collect()
    engine.dispose()
