"""Command line: `python -m workbench migrate|seed|estimate|…` (see `--help`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

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

    added = seed_demo_data(db.make_engine(args.database_url), today=clock.today())
    print(
        f"Added {added} demo projects."
        if added
        else "The database already holds projects: demo data not added."
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.errors import NotFound
    from workbench.reporting.formats import render
    from workbench.services import projects as project_service
    from workbench.services.report import build_report

    engine = db.make_engine(args.database_url)
    try:
        project = project_service.find_project(engine, args.project)
    except NotFound as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    document = build_report(engine, project.id, today=clock.today())
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


@contextmanager
def _refusals() -> Iterator[None]:
    """Turn the refusals of backup, restore, export and import into `error: …` and status 2."""
    from sqlalchemy.exc import SQLAlchemyError

    from workbench.errors import InvalidInput, NotFound, StaleEditError
    from workbench.services.backup import BackupError
    from workbench.services.transfer import FileRefused

    try:
        yield
    except FileRefused as error:
        raise _Exit(_fail(error.one_line())) from None
    except InvalidInput as error:
        raise _Exit(_fail("; ".join(error.errors.values()))) from None
    except (BackupError, NotFound, StaleEditError) as error:
        raise _Exit(_fail(str(error))) from None
    except OSError as error:
        raise _Exit(_fail(f"{error.filename or 'file'}: {error.strerror or error}")) from None
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise _Exit(_fail(f"the database refused or could not be reached: {reason}")) from None


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def _backup(args: argparse.Namespace) -> int:
    from workbench.services.backup import backup

    with _refusals():
        engine = db.make_engine(args.database_url)
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

    with _refusals():
        done = restore(args.database_url, args.file, replace=args.replace)
    replaced = f", replacing {done.replaced_rows} rows" if done.replaced_rows else ""
    print(
        f"Restored {done.total} rows in {len(done.rows)} tables from {args.file} into "
        f"{_redacted(args.database_url)}{replaced}; schema {done.revision}."
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.services import projects as project_service
    from workbench.services.transfer import export_json

    output = Path(args.output)
    with _refusals():
        if output.exists() and not args.overwrite:
            return _fail(f"{output} exists already; choose another file or pass --overwrite.")
        engine = db.make_engine(args.database_url)
        try:
            project = project_service.find_project(engine, args.project)
            output.write_bytes(export_json(engine, project.id))
        finally:
            engine.dispose()
    print(f"Exported {project.name!r} to {output}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.services import projects as project_service
    from workbench.services.transfer import MAX_FILE_BYTES, import_project

    path = Path(args.file)
    with _refusals():
        if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
            return _fail(f"{path} is larger than {MAX_FILE_BYTES // 10**6} MB.")
        raw = path.read_bytes()
        engine = db.make_engine(args.database_url)
        try:
            target = project_service.find_project(engine, args.replace).id if args.replace else None
            done = import_project(
                engine, raw, actor=args.actor, replace_project_id=target, name=args.name
            )
        finally:
            engine.dispose()
    how = "replacing what it held" if done.replaced else "as a new project"
    print(f"Imported {done.project.name!r} (id {done.project.id}, {done.rows} rows) {how}.")
    return 0


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


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
        return args.func(args)
    except _Exit as stop:
        return stop.status
