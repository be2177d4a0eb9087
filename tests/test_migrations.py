"""Migrations: the models match the newest migration, and upgrading keeps every row."""

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from workbench.db import alembic_config, make_engine, migrate


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    server = request.getfixturevalue("postgres_server")
    name = f"empty_{abs(hash(request.node.nodeid)) % 10_000_000}"
    server.execute(f"DROP DATABASE IF EXISTS {name}")
    server.execute(f"CREATE DATABASE {name}")
    return server.url(name)


def test_alembic_check_finds_nothing_to_generate(empty_url):
    migrate(empty_url)
    command.check(alembic_config(empty_url))  # raises when models and migrations differ


def test_every_revision_upgrades_a_populated_database_without_losing_rows(empty_url):
    """Walk the chain: at each revision, put rows in, upgrade one step, count them again."""
    config = alembic_config(empty_url)
    revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
    engine = make_engine(empty_url)
    inserted = 0
    for revision in revisions:
        command.upgrade(config, revision.revision)
        with engine.begin() as connection:
            inserted += 1
            connection.execute(
                text(
                    "INSERT INTO project (name, problem, why_now, current_process, affected,"
                    " minimum_useful_performance, baseline, sponsor, owner, phase, created_at,"
                    " updated_at, version) VALUES (:name, 'p', '', '', '', '', '', '', '',"
                    " 'planning', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                ),
                {"name": f"Project from {revision.revision}"},
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM project ORDER BY id")).scalars().all()
    assert names == [f"Project from {revision.revision}" for revision in revisions]
    assert "activity" in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    engine.dispose()
