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


def test_upgrade_to_unique_experiment_names_keeps_and_renames_duplicates(empty_url):
    """0003: a database already holding duplicate names upgrades without losing a row; the
    later duplicates are renamed "(2)", "(3)" (skipping a name another row has)."""
    config = alembic_config(empty_url)
    command.upgrade(config, "0002")
    engine = make_engine(empty_url)
    names = ["Forest", "forest ", "Autoencoder", "FOREST", "Forest (2)"]
    with engine.begin() as connection:
        for project in ("One", "Two"):
            connection.execute(
                text(
                    "INSERT INTO project (name, problem, why_now, current_process, affected,"
                    " minimum_useful_performance, baseline, sponsor, owner, phase, created_at,"
                    " updated_at, version) VALUES (:name, '', '', '', '', '', '', '', '',"
                    " 'planning', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                ),
                {"name": project},
            )
        project_ids = connection.execute(text("SELECT id FROM project ORDER BY id")).scalars()
        one, two = list(project_ids)
        rows = [(one, name) for name in names] + [(two, "Forest")]
        for project_id, name in rows:
            connection.execute(
                text(
                    "INSERT INTO experiment (project_id, approach, hypothesis, owner,"
                    " success_criterion, start_date, research_days, prototype_days, status,"
                    " decision_reason, decided_by, metric_name, evidence_links, matrix_scores,"
                    " review_answers, created_at, updated_at, version) VALUES (:project, :name,"
                    " '', '', 'x', '2026-11-23', 2, 2, 'proposed', '', '', '', '[]', '{}', '{}',"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                ),
                {"project": project_id, "name": name},
            )
        experiment_ids = connection.execute(text("SELECT id FROM experiment")).scalars().all()
        connection.execute(
            text(
                "INSERT INTO time_log (experiment_id, day, hours, who, note, logged_at)"
                " VALUES (:id, '2026-11-23', 2, 'Ann', '', CURRENT_TIMESTAMP)"
            ),
            {"id": experiment_ids[1]},
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT project_id, approach FROM experiment ORDER BY id")
        ).all()
        logs = connection.execute(text("SELECT experiment_id FROM time_log")).scalars().all()
    engine.dispose()
    assert [name for project_id, name in stored if project_id == one] == [
        "Forest",
        "forest (3)",
        "Autoencoder",
        "FOREST (4)",
        "Forest (2)",
    ]
    assert [name for project_id, name in stored if project_id == two] == ["Forest"]
    assert logs == [experiment_ids[1]]  # no table rebuilt: the time logged is still there
