"""A whole database to one file and back: `python -m workbench backup FILE` / `restore FILE`.

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`, on the engine's own DBAPI
connection), copying every page in one step. In WAL mode that step is one read transaction, so
the copy is the database as it was at one moment — committed writes still in the `-wal` file
included, writes made meanwhile by the app left out whole — while the app goes on writing. A
file copy would miss the first and could tear on the second.

PostgreSQL: a portable dump, not `pg_dump`. Every table's rows are read through SQLAlchemy in
one REPEATABLE READ, read-only transaction (one snapshot, consistent while the app writes) and
written as JSON (gzip-compressed when FILE ends with `.gz`) with the schema revision. Why not
`pg_dump`: it must be installed where the command runs and be at least as new as the server, a
team's app host talking to a managed PostgreSQL often has neither; the dump needs only the
driver the app already uses, is the same code on every server version, and restores into
PostgreSQL or SQLite alike (a way to move a team's data from one to the other).

Restore refuses a target that holds any row unless asked to replace it. A SQLite backup restores
into SQLite through the same backup API (every page replaced in one step); any other pair loads
the rows in dependency order in one transaction (PostgreSQL's id sequences moved past the
restored ids). Either way the database is then migrated to the newest schema.
"""

from __future__ import annotations

import gzip
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Date, DateTime, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

import workbench.models  # noqa: F401  (registers every table on the metadata)
from workbench import clock, db

DUMP_FORMAT = "scoping-workbench.database"
DUMP_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
VERSION_TABLE = "alembic_version"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one sentence for people."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote: the file, how (`sqlite` online backup or `json` dump), the schema
    revision and the rows per table."""

    path: Path
    method: str
    revision: str | None
    rows: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: from which kind of file, rows per table, the schema it ended at."""

    method: str
    replaced_rows: int
    rows: Mapping[str, int]
    revision: str | None

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def tables() -> list[Any]:
    """Every table of the workbench, parents before the rows that point at them."""
    return list(SQLModel.metadata.sorted_tables)


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


# --- reading rows -------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(column: Any, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date) or isinstance(getattr(kind, "impl", None), Date):
        return date.fromisoformat(value)
    return value


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _read_rows(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every workbench table's rows (columns the database has), typed by the models."""
    inspector = inspect(connection)
    found: dict[str, list[dict[str, Any]]] = {}
    for table in tables():
        if not inspector.has_table(table.name):
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        columns = [c for c in table.columns if c.name in present]
        statement = select(*columns).order_by(*table.primary_key.columns)
        found[table.name] = [dict(row) for row in connection.execute(statement).mappings()]
    return found


def count_rows(engine: Engine) -> dict[str, int]:
    """Rows per workbench table (tables the database does not have yet are left out)."""
    with engine.connect() as connection:
        inspector = inspect(connection)
        return {
            table.name: connection.execute(select(text("count(*)")).select_from(table)).scalar_one()
            for table in tables()
            if inspector.has_table(table.name)
        }


# --- backup -------------------------------------------------------------------------------


@contextmanager
def _written_atomically(path: Path, overwrite: bool) -> Iterator[Path]:
    """A temporary file beside `path`, moved over it only when writing it succeeded."""
    if path.exists() and not overwrite:
        raise BackupError(f"{path} exists already; choose another file or pass --overwrite.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def backup(engine: Engine, path: Path | str, *, overwrite: bool = False) -> BackupResult:
    """Back the whole database up to `path` (see the module's text for how, per backend)."""
    path = Path(path)
    with _written_atomically(path, overwrite) as part:
        if _is_sqlite(engine):
            _sqlite_backup(engine, part)
            rows, revision = _sqlite_file_summary(part)
            method = "sqlite"
        else:
            revision, rows = _json_dump(engine, part, compress=path.suffix == ".gz")
            method = "json"
    return BackupResult(path=path, method=method, revision=revision, rows=rows)


def _sqlite_backup(engine: Engine, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        with closing(sqlite3.connect(target)) as copy:
            # pages=-1: every page in one step, inside one read transaction of the source
            source.backup(copy, pages=-1)
    finally:
        raw.close()


def _sqlite_file_summary(path: Path) -> tuple[dict[str, int], str | None]:
    engine = db.make_engine(_read_only_url(path))
    try:
        with engine.connect() as connection:
            revision = _revision(connection)
        return count_rows(engine), revision
    finally:
        engine.dispose()


def _read_only_url(path: Path) -> str:
    return f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"


def _json_dump(engine: Engine, target: Path, *, compress: bool) -> tuple[str | None, dict]:
    snapshot = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with snapshot as connection, connection.begin():
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        revision = _revision(connection)
        rows = _read_rows(connection)
    document = {
        "format": DUMP_FORMAT,
        "dump_version": DUMP_VERSION,
        "revision": revision,
        "backend": engine.dialect.name,
        "made_at": clock.now().isoformat(),
        "tables": {
            name: [{key: _encode(value) for key, value in row.items()} for row in found]
            for name, found in rows.items()
        },
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    target.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return revision, {name: len(found) for name, found in rows.items()}


# --- restore ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    method: str  # "sqlite" or "json"
    revision: str | None
    path: Path
    tables: dict[str, list[dict[str, Any]]] | None = None  # for a JSON dump, read at once


def _read_source(path: Path) -> _Source:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}.") from None
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    if head == SQLITE_MAGIC:
        return _read_sqlite_source(path)
    try:
        data = path.read_bytes()
        if head.startswith(GZIP_MAGIC):
            data = gzip.decompress(data)
        document = json.loads(data.decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, ValueError, RecursionError):
        raise BackupError(
            f"{path} is neither a SQLite backup nor a workbench dump (it cannot be read as one)."
        ) from None
    if not isinstance(document, dict) or document.get("format") != DUMP_FORMAT:
        raise BackupError(f"{path} is JSON but not a workbench database dump.")
    if document.get("dump_version") != DUMP_VERSION:
        raise BackupError(f"{path} is a dump of another version ({document.get('dump_version')}).")
    found = document.get("tables")
    if not isinstance(found, dict) or not all(isinstance(r, list) for r in found.values()):
        raise BackupError(f"{path} is a dump without its tables.")
    known = {table.name: table for table in tables()}
    for name, rows in found.items():
        if name not in known:
            raise BackupError(f"{path} holds a table the workbench does not know: {name!r}.")
        columns = set(known[name].columns.keys())
        for row in rows:
            if not isinstance(row, dict) or not set(row) <= columns:
                raise BackupError(f"{path}: a row of {name!r} has columns the table lacks.")
    typed = {
        name: [
            {key: _decode(known[name].columns[key], value) for key, value in row.items()}
            for row in rows
        ]
        for name, rows in found.items()
    }
    return _Source("json", document.get("revision"), path, typed)


def _read_sqlite_source(path: Path) -> _Source:
    try:
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as check:
            verdict = check.execute("PRAGMA quick_check").fetchone()[0]
            has_version = check.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (VERSION_TABLE,)
            ).fetchone()
            revision = (
                check.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
                if has_version
                else None
            )
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is a damaged SQLite file ({error}).") from None
    if verdict != "ok":
        raise BackupError(f"{path} is a damaged SQLite file (its check says: {verdict}).")
    if revision is None:
        raise BackupError(f"{path} is a SQLite file but not a workbench database backup.")
    return _Source("sqlite", revision[0], path)


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(db.alembic_config())


def _check_revision(revision: str | None, path: Path) -> None:
    if revision is None:
        raise BackupError(f"{path} names no schema revision; it cannot be restored safely.")
    try:
        known = _scripts().get_revision(revision)
    except Exception:  # alembic raises several kinds for an unknown id
        known = None
    if known is None:
        raise BackupError(
            f"{path} was made at schema revision {revision!r}, which this workbench does not "
            "know: restore it with the workbench version that made it."
        )


def _rows_in(engine: Engine) -> int:
    return sum(count_rows(engine).values())


def restore(url: str, path: Path | str, *, replace: bool = False) -> RestoreResult:
    """Restore the backup or dump at `path` into the database at `url`.

    Refuses (BackupError, nothing changed) a file that is not a workbench backup, was made at a
    schema this workbench does not know, or a target that holds rows unless `replace`.
    """
    path = Path(path)
    source = _read_source(path)
    _check_revision(source.revision, path)
    engine = db.make_engine(url)
    try:
        existing = _rows_in(engine)
        if existing and not replace:
            raise BackupError(
                f"The database {db.shown_url(url)} is not empty ({existing} rows): restore into "
                "an empty database, or pass --replace to overwrite everything in it."
            )
        if source.method == "sqlite" and _is_sqlite(engine):
            _sqlite_restore(engine, path)
            method = "sqlite"
        else:
            rows = source.tables
            if rows is None:
                reader = db.make_engine(_read_only_url(path))
                try:
                    with reader.connect() as connection:
                        rows = _read_rows(connection)
                finally:
                    reader.dispose()
            _load_rows(engine, url, source.revision, rows)
            method = source.method
    finally:
        engine.dispose()
    db.migrate(url)
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            revision = _revision(connection)
        counted = count_rows(engine)
    finally:
        engine.dispose()
    return RestoreResult(method=method, replaced_rows=existing, rows=counted, revision=revision)


def _sqlite_restore(engine: Engine, path: Path) -> None:
    raw = engine.raw_connection()
    try:
        target: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as source:
            source.backup(target, pages=-1)  # every page replaced in one step
    except sqlite3.Error as error:
        raise BackupError(f"The restore failed and nothing was changed: {error}.") from None
    finally:
        raw.close()


def _load_rows(
    engine: Engine, url: str, revision: str | None, rows: Mapping[str, list[dict[str, Any]]]
) -> None:
    with engine.connect() as connection:
        current = _revision(connection)
    if current is None:
        db.migrate(url, revision)  # an empty database gets the backup's schema first
    elif current != revision:
        raise BackupError(
            f"The backup is at schema revision {revision} and the database at {current}: restore "
            "it into an empty database (it is brought to the backup's schema, filled, then "
            "migrated to the newest)."
        )
    engine.dispose()
    try:
        with engine.begin() as connection:
            for table in reversed(tables()):
                if inspect(connection).has_table(table.name):
                    connection.execute(table.delete())
            for table in tables():
                if rows.get(table.name):
                    connection.execute(table.insert(), list(rows[table.name]))
            if engine.dialect.name == "postgresql":
                _move_sequences(connection)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).splitlines()[0]
        raise BackupError(f"The restore failed and nothing was changed: {reason}") from None


def _move_sequences(connection: Connection) -> None:
    """After rows came in with their ids, new rows must get ids past them."""
    for table in tables():
        if "id" not in table.columns or not table.c.id.primary_key:
            continue
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            ),
            {"table": table.name},
        )
