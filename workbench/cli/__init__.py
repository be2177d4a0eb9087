"""Command line: `python -m workbench migrate|seed|estimate|…` (see `--help`)."""

from __future__ import annotations

import argparse
import sys

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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        clock.pinned_today()
    except clock.InvalidClockSetting as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    return args.func(args)
