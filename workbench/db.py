"""Engine creation and migrations: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL; and
the database's own faults (locked, read-only, unreachable) told as sentences."""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event, exc, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import create_engine

from workbench import storable
from workbench.config import REPO_ROOT, database_url, sqlite_busy_timeout_ms

log = logging.getLogger(__name__)
T = TypeVar("T")

# Every Session refuses, before it writes, a value that cannot be stored or read back (NUL, ±inf,
# dates the domain cannot compute with, …): InvalidInput with a sentence, not a driver's error.
storable.install_session_guard()

# A SQLite write waits for another writer's lock (a long write, a backup, someone's `sqlite3`
# shell) for `WORKBENCH_SQLITE_BUSY_TIMEOUT_MS` (10 s unless set), then gives up; a write that
# gave up is tried once more after a pause, then the user gets LOCKED_MESSAGE.
LOCKED_ATTEMPTS = 2
LOCKED_PAUSE_SECONDS = 1.0

LOCKED_MESSAGE = (
    "Not saved: the database is busy with another write that has not finished (a backup, or a "
    "long change by someone else), and it stayed busy after waiting and trying again. Nothing "
    "was stored and what you entered is still here; please try again in a minute."
)
READ_ONLY_MESSAGE = (
    "Not saved: the workbench's database is read-only on the server, so nothing can be stored "
    "right now. What you entered is still here; tell the workbench's administrator."
)
UNREACHABLE_MESSAGE = (
    "The workbench cannot reach its database right now, so nothing was loaded or saved. "
    "Please try again in a few minutes; if it lasts, tell the workbench's administrator."
)


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    # Set per connection: these pragmas do not persist in the file (WAL does, but is cheap to ask).
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={sqlite_busy_timeout_ms()}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for `url` (default: the configured database URL)."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        uri = str(parsed.query.get("uri", "")).lower() in {"true", "1"}
        if parsed.database and parsed.database != ":memory:" and not uri:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": sqlite_busy_timeout_ms() / 1000},
        )
        event.listen(engine, "connect", _configure_sqlite_connection)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    storable.install_statement_guard(engine)
    return engine


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at this repository's migrations and at `url`."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


@contextmanager
def _sqlite_migration_lock(database: str | None) -> Iterator[None]:
    """An exclusive lock on a file beside the database file while it is migrated (processes
    starting together on one SQLite file take turns; an in-memory database needs none)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


# Any fixed number: the key of the PostgreSQL advisory lock that serialises migrations.
MIGRATION_LOCK_KEY = 7_240_915


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision` (default: the newest schema).

    On PostgreSQL several app servers may start at once against one database: each takes an
    advisory lock first, so one migrates and the others wait, then find nothing to do."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with _sqlite_migration_lock(parsed.database):
            command.upgrade(alembic_config(url), revision)
        return
    if parsed.get_backend_name() != "postgresql":
        command.upgrade(alembic_config(url), revision)
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            try:
                command.upgrade(alembic_config(url), revision)
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                connection.commit()
    finally:
        engine.dispose()


def check_connection(engine: Engine) -> None:
    """Raise the driver's error when the database cannot be reached."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def shown_url(url: str | None = None) -> str:
    """The database URL as it may be shown to people: the password replaced by ***."""
    url = url or database_url()
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return "(a database URL that cannot be read)"


# --- the database's own faults ----------------------------------------------------------------


def _driver_error(error: BaseException) -> BaseException:
    return getattr(error, "orig", None) or error


def _sqlite_code(error: BaseException) -> str:
    return str(getattr(_driver_error(error), "sqlite_errorname", "") or "")


def _sqlstate(error: BaseException) -> str:
    return str(getattr(_driver_error(error), "sqlstate", "") or "")


def is_locked(error: BaseException) -> bool:
    """Another writer held the lock for longer than we waited (worth trying again)."""
    if not isinstance(error, exc.OperationalError):
        return False
    code = _sqlite_code(error)
    if code:
        return code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    if _sqlstate(error) in {"55P03", "40P01"}:  # PostgreSQL: lock not available, deadlock
        return True
    return "database is locked" in str(_driver_error(error)).lower()


def is_read_only(error: BaseException) -> bool:
    """The database refuses every write (a read-only file, a read-only server)."""
    if not isinstance(error, exc.DBAPIError):
        return False
    if _sqlite_code(error).startswith("SQLITE_READONLY") or _sqlstate(error) == "25006":
        return True
    return "readonly database" in str(_driver_error(error)).lower()


def is_unreachable(error: BaseException) -> bool:
    """The database could not be opened or the connection to it was lost."""
    if not isinstance(error, exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    code = _sqlite_code(error)
    if code:
        return code.startswith(("SQLITE_CANTOPEN", "SQLITE_NOTADB"))
    state = _sqlstate(error)
    if state:
        return state.startswith(("08", "57P", "53"))  # connection, shutdown, resources
    # psycopg's connection failures carry no SQLSTATE; a query's errors always do
    return isinstance(error, exc.OperationalError)


def fault_message(error: BaseException) -> str | None:
    """The sentence for a fault of the database itself, or None for anything else."""
    if is_locked(error):
        return LOCKED_MESSAGE
    if is_read_only(error):
        return READ_ONLY_MESSAGE
    if is_unreachable(error):
        return UNREACHABLE_MESSAGE
    return None


def pause(seconds: float) -> None:
    """Wait before trying a locked write again (tests replace it)."""
    time.sleep(seconds)


def retry_when_locked(action: Callable[[], T]) -> T:
    """Run `action` (one whole unit of work: its own Session, committed or rolled back) and run
    it again when it failed only because another writer held the lock for too long."""
    for attempt in range(1, LOCKED_ATTEMPTS + 1):
        try:
            return action()
        except exc.OperationalError as error:
            if attempt == LOCKED_ATTEMPTS or not is_locked(error):
                raise
            log.warning("database locked; trying the write again (attempt %d)", attempt + 1)
            pause(LOCKED_PAUSE_SECONDS)
    raise AssertionError("unreachable")  # pragma: no cover
