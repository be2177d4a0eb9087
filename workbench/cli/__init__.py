"""Command line: `python -m workbench migrate|seed|estimate|…` (see `--help`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine

from workbench import clock, db
from workbench.cli import estimate as estimate_cli
from workbench.cli.estimate import OneLineErrorParser
from workbench.config import database_url


def _migrate(args: argparse.Namespace) -> int:
    db.migrate(args.database_url)
    print(f"Database is at the newest schema: {_redacted(args.database_url)}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from workbench.demo_data import seed_demo_data

    engine = _engine(args.database_url)
    try:
        added = seed_demo_data(engine, today=clock.today())
    finally:
        engine.dispose()
    print(
        f"Added {added} demo projects."
        if added
        else "The database already holds projects: demo data not added."
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from workbench.errors import NotFound
    from workbench.reporting.formats import render
    from workbench.services.report import build_report

    engine = _engine(args.database_url)
    try:
        project = _find_project(engine, args.project)
        document = build_report(engine, project.id, today=clock.today())
    except NotFound as error:
        return _fail(str(error))
    finally:
        engine.dispose()
    output = Path(args.output)
    try:
        output.write_bytes(render(document, args.format))
    except OSError as error:
        sys.stderr.write(f"error: cannot write {output}: {error.strerror}\n")
        return 2
    print(f"Wrote the {args.format} report of {project.name!r} to {output}")
    return 0


def _fail(message: str) -> int:
    """Report a bad input in one line on stderr; the exit status of every refusal."""
    sys.stderr.write(f"error: {' '.join(str(message).split())}\n")
    return 2


def _engine(url: str) -> Engine:
    """An engine for a database that exists already and can be reached; `_Exit` (one line,
    status 2) otherwise. A SQLite file that is not there is not created."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        uri = str(parsed.query.get("uri", "")).lower() in {"true", "1"}
        path = parsed.database or ""
        if not uri and path not in {"", ":memory:"} and not Path(path).is_file():
            raise _Exit(
                _fail(
                    f"there is no database file {path}; create one with "
                    "`python -m workbench --database-url URL migrate`."
                )
            )
    engine = db.make_engine(url)
    try:
        db.check_connection(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _find_project(engine: Engine, reference: str):
    """The project `reference` (an id or an exact name) names; NotFound otherwise."""
    from workbench.errors import NotFound
    from workbench.services import projects as project_service

    stripped = reference.strip()
    if stripped.isdigit() and not stripped.isdecimal():
        # '²' counts as a digit but is no number: not an id, and no project bears such a name
        raise NotFound(f"no project with id or exact name {reference!r}")
    return project_service.find_project(engine, reference)


def _database_message(error: BaseException, url: str) -> str:
    """One line for a database error that is not about the input's values."""
    from sqlalchemy import exc

    reason = " ".join(str(getattr(error, "orig", None) or error).split())
    where = _redacted(url)
    if isinstance(error, exc.NoSuchModuleError):
        return (
            f"--database-url: unknown kind of database in {where!r}; use sqlite:///FILE or "
            "postgresql+psycopg://USER@HOST/NAME."
        )
    if isinstance(error, exc.ArgumentError):
        return (
            "--database-url: cannot read this database URL; use sqlite:///FILE or "
            "postgresql+psycopg://USER@HOST/NAME."
        )
    if db.is_unreachable(error) and not _is_missing_table(reason):
        return f"cannot reach the database at {where}: {reason}"
    if _is_missing_table(reason):
        return (
            f"the database at {where} does not hold the workbench's tables (or an older "
            "schema); run `python -m workbench --database-url URL migrate` first."
        )
    return f"the database at {where} refused: {reason}"


def _is_missing_table(reason: str) -> bool:
    lowered = reason.lower()
    return "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered)


@contextmanager
def _refusals(url: str = "") -> Iterator[None]:
    """Turn every refusal into one `error: …` line and status 2: bad values, files that cannot
    be read or written, a database URL that is wrong or unreachable."""
    from alembic.util import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from workbench.errors import InvalidInput, NotFound, StaleEditError
    from workbench.services.backup import BackupError
    from workbench.services.transfer import FileRefused

    try:
        yield
    except _Exit:
        raise
    except FileRefused as error:
        raise _Exit(_fail(error.one_line())) from None
    except InvalidInput as error:
        raise _Exit(_fail("; ".join(error.errors.values()))) from None
    except (BackupError, NotFound, StaleEditError) as error:
        raise _Exit(_fail(str(error))) from None
    except OSError as error:
        raise _Exit(_fail(f"{error.filename or 'file'}: {error.strerror or error}")) from None
    except SQLAlchemyError as error:
        raise _Exit(_fail(_database_message(error, url))) from None
    except CommandError as error:
        raise _Exit(_fail(f"the database's schema cannot be brought up to date: {error}")) from None
    except (OverflowError, ZeroDivisionError):
        raise _Exit(_fail("a value is too large or too small to compute with.")) from None


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def _backup(args: argparse.Namespace) -> int:
    from workbench.services.backup import backup

    with _refusals(args.database_url):
        engine = _engine(args.database_url)
        try:
            done = backup(engine, args.file, overwrite=args.overwrite)
        finally:
            engine.dispose()
    how = "SQLite online backup" if done.method == "sqlite" else "JSON dump, one snapshot"
    print(
        f"Backed up {_redacted(args.database_url)} ({done.total} rows in {len(done.rows)} "
        f"tables, schema {done.revision}; {how}) to {done.path}"
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    from workbench.services.backup import restore

    with _refusals(args.database_url):
        done = restore(args.database_url, args.file, replace=args.replace)
    replaced = f", replacing {done.replaced_rows} rows" if done.replaced_rows else ""
    print(
        f"Restored {done.total} rows in {len(done.rows)} tables from {args.file} into "
        f"{_redacted(args.database_url)}{replaced}; schema {done.revision}."
    )
    return 0


def _export(args: argparse.Namespace) -> int:

    from workbench.services.transfer import export_json

    output = Path(args.output)
    with _refusals(args.database_url):
        if output.exists() and not args.overwrite:
            return _fail(f"{output} exists already; choose another file or pass --overwrite.")
        engine = _engine(args.database_url)
        try:
            project = _find_project(engine, args.project)
            output.write_bytes(export_json(engine, project.id))
        finally:
            engine.dispose()
    print(f"Exported {project.name!r} to {output}")
    return 0


def _import(args: argparse.Namespace) -> int:

    from workbench.services.transfer import MAX_FILE_BYTES, import_project

    path = Path(args.file)
    with _refusals(args.database_url):
        if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
            return _fail(f"{path} is larger than {MAX_FILE_BYTES // 10**6} MB.")
        raw = path.read_bytes()
        engine = _engine(args.database_url)
        try:
            target = _find_project(engine, args.replace).id if args.replace else None
            done = import_project(
                engine, raw, actor=args.actor, replace_project_id=target, name=args.name
            )
        finally:
            engine.dispose()
    how = "replacing what it held" if done.replaced else "as a new project"
    print(f"Imported {done.project.name!r} (id {done.project.id}, {done.rows} rows) {how}.")
    return 0


def _redacted(url: str) -> str:
    return db.shown_url(url)


def build_parser() -> argparse.ArgumentParser:
    """The `python -m workbench` argument parser with every subcommand."""
    parser = OneLineErrorParser(prog="python -m workbench", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=database_url(),
        help="database URL (default: WORKBENCH_DATABASE_URL or the SQLite file under data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineErrorParser)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=_migrate)
    sub.add_parser("seed", help="add demo projects to an empty database").set_defaults(func=_seed)
    estimate_cli.register(sub)
    report = sub.add_parser("report", help="write a project's scoping report to a file")
    report.add_argument("project", help="the project's id or exact name")
    report.add_argument("--format", required=True, choices=["md", "html", "docx"])
    report.add_argument("--output", required=True, help="file to write")
    report.set_defaults(func=_report)
    backup = sub.add_parser("backup", help="back the whole database up to a file")
    backup.add_argument("file", help="file to write (SQLite: a SQLite file; PostgreSQL: JSON)")
    backup.add_argument("--overwrite", action="store_true", help="replace an existing file")
    backup.set_defaults(func=_backup)
    restore = sub.add_parser("restore", help="restore the whole database from a backup file")
    restore.add_argument("file", help="a file written by `backup`")
    restore.add_argument(
        "--replace", action="store_true", help="overwrite a database that holds data"
    )
    restore.set_defaults(func=_restore)
    export = sub.add_parser("export", help="write one project to a JSON file")
    export.add_argument("project", help="the project's id or exact name")
    export.add_argument("--output", required=True, help="file to write")
    export.add_argument("--overwrite", action="store_true", help="replace an existing file")
    export.set_defaults(func=_export)
    importer = sub.add_parser("import", help="import a project from a JSON export")
    importer.add_argument("file", help="a file written by `export`")
    importer.add_argument("--replace", metavar="PROJECT", help="replace this project (id or name)")
    importer.add_argument("--name", help="the imported project's name (default: the file's)")
    importer.add_argument("--actor", default="command line", help="who imports, for the log")
    importer.set_defaults(func=_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        clock.pinned_today()
    except clock.InvalidClockSetting as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    try:
        with _refusals(args.database_url):
            return args.func(args)
    except _Exit as stop:
        return stop.status
