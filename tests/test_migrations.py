"""Migrations: the models match the newest migration, and upgrading keeps every row."""

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

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
            # From 0005 on a row written outside the app states its unique name key too.
            keyed = "name_key" in {c["name"] for c in inspect(connection).get_columns("project")}
            connection.execute(
                text(
                    "INSERT INTO project (name, problem, why_now, current_process, affected,"
                    " minimum_useful_performance, baseline, sponsor, owner, phase, created_at,"
                    f" updated_at, version{', name_key' if keyed else ''}) VALUES (:name, 'p',"
                    " '', '', '', '', '', '', '', 'planning', CURRENT_TIMESTAMP,"
                    f" CURRENT_TIMESTAMP, 1{', :key' if keyed else ''})"
                ),
                {
                    "name": f"Project from {revision.revision}",
                    "key": f"project {revision.revision}",
                },
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


def _insert_project(connection, name: str) -> int:
    connection.execute(
        text(
            "INSERT INTO project (name, problem, why_now, current_process, affected,"
            " minimum_useful_performance, baseline, sponsor, owner, phase, created_at,"
            " updated_at, version) VALUES (:name, '', '', '', '', '', '', '', '',"
            " 'planning', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
        ),
        {"name": name},
    )
    return connection.execute(text("SELECT max(id) FROM project")).scalar_one()


def _insert_feature(connection, project_id: int, name: str) -> int:
    connection.execute(
        text(
            "INSERT INTO feature (project_id, name, description, estimate_days, owner, position,"
            " status, smes, milestone, created_at, updated_at, version) VALUES (:project, :name,"
            " '', 5, '', 0, 'planned', '', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
        ),
        {"project": project_id, "name": name},
    )
    return connection.execute(text("SELECT max(id) FROM feature")).scalar_one()


def _insert_demo(connection, project_id: int, title: str, held_on: str) -> int:
    connection.execute(
        text(
            "INSERT INTO demo (project_id, title, held_on, demo_type, format, audience, shown,"
            " decisions, recorded_by, recorded_at) VALUES (:project, :title, :day, 'light', '',"
            " '', '', '', 'Ann', CURRENT_TIMESTAMP)"
        ),
        {"project": project_id, "title": title, "day": held_on},
    )
    return connection.execute(text("SELECT max(id) FROM demo")).scalar_one()


def test_upgrade_to_unique_features_and_demos_keeps_and_renames_duplicates(empty_url):
    """0005: features repeated within a project (ignoring case and spaces) and demos recorded
    twice on a day keep every row and what hangs off them; later duplicates are renamed
    "(2)", "(3)" (skipping a name the project has); afterwards the index refuses a repeat."""
    config = alembic_config(empty_url)
    command.upgrade(config, "0004")
    engine = make_engine(empty_url)
    with engine.begin() as connection:
        one, two = _insert_project(connection, "One"), _insert_project(connection, "Two")
        _insert_project(connection, " ONE")  # the same project name, ignoring case and spaces
        names = ["Upload", "upload ", "Search", "UPLOAD", "Upload (2)", "Export  csv"]
        features = [_insert_feature(connection, one, name) for name in names]
        features.append(_insert_feature(connection, one, "export CSV"))
        features.append(_insert_feature(connection, two, "Upload"))
        connection.execute(
            text(
                "INSERT INTO feature_task (feature_id, text, done, created_by, created_at)"
                " VALUES (:feature, 'write tests', false, 'Ann', CURRENT_TIMESTAMP)"
            ),
            {"feature": features[3]},
        )
        demos = [
            _insert_demo(connection, one, "Sprint demo", "2026-11-20"),
            _insert_demo(connection, one, "sprint DEMO", "2026-11-20"),
            _insert_demo(connection, one, "Sprint demo", "2026-11-27"),
            _insert_demo(connection, two, "Sprint demo", "2026-11-20"),
        ]
        connection.execute(
            text("INSERT INTO demo_feedback (demo_id, attendee, feedback) VALUES (:d, 'Bo', 'ok')"),
            {"d": demos[1]},
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT id, project_id, name, name_key FROM feature ORDER BY id")
        ).all()
        demo_rows = connection.execute(
            text("SELECT id, title, title_key FROM demo ORDER BY id")
        ).all()
        task_feature = connection.execute(text("SELECT feature_id FROM feature_task")).scalar()
        feedback_demo = connection.execute(text("SELECT demo_id FROM demo_feedback")).scalar()
        projects = connection.execute(text("SELECT name, name_key FROM project ORDER BY id")).all()
    assert [tuple(row) for row in projects] == [
        ("One", "one"),
        ("Two", "two"),
        (" ONE (2)", "one (2)"),
    ]
    assert [row.id for row in stored] == features
    assert [row.name for row in stored] == [
        "Upload",
        "upload (3)",
        "Search",
        "UPLOAD (4)",
        "Upload (2)",
        "Export  csv",
        "export CSV (2)",
        "Upload",
    ]
    assert [row.name_key for row in stored][:3] == ["upload", "upload (3)", "search"]
    assert stored[5].name_key == "export csv"
    assert [(row.title, row.title_key) for row in demo_rows] == [
        ("Sprint demo", "sprint demo"),
        ("sprint DEMO (2)", "sprint demo (2)"),
        ("Sprint demo", "sprint demo"),
        ("Sprint demo", "sprint demo"),
    ]
    assert task_feature == features[3]
    assert feedback_demo == demos[1]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO feature (project_id, name, name_key, description, estimate_days,"
                " owner, position, status, smes, milestone, created_at, updated_at, version)"
                " VALUES (:project, 'SEARCH', 'search', '', 5, '', 0, 'planned', '', false,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            ),
            {"project": one},
        )
    engine.dispose()


def test_upgrade_to_unique_scenario_names_and_raters_keeps_and_renames_duplicates(empty_url):
    """0007: scenarios and raters repeated within a project (ignoring case and spaces) keep
    every row and what points at them; later duplicates are renamed "(2)", "(3)" (skipping a
    name the project has); afterwards the indexes refuse a repeat."""
    config = alembic_config(empty_url)
    command.upgrade(config, "0006")
    engine = make_engine(empty_url)
    with engine.begin() as connection:
        projects = []
        for name in ("One", "Two"):
            connection.execute(
                text(
                    "INSERT INTO project (name, name_key, problem, why_now, current_process,"
                    " affected, minimum_useful_performance, baseline, sponsor, owner, phase,"
                    " created_at, updated_at, version) VALUES (:name, :key, '', '', '', '', '',"
                    " '', '', '', 'planning', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                ),
                {"name": name, "key": name.lower()},
            )
            projects.append(connection.execute(text("SELECT max(id) FROM project")).scalar_one())
        one, two = projects
        scenarios = []
        for project_id, name in [
            (one, "Base"),
            (one, "base "),
            (one, "Lean"),
            (one, " BASE"),
            (one, "Base (2)"),
            (two, "Base"),
        ]:
            connection.execute(
                text(
                    "INSERT INTO scenario (project_id, name, notes, cost_inputs, value_inputs,"
                    " seed, results, created_by, created_at, updated_at, version) VALUES"
                    " (:project, :name, '', '{}', '{}', 2026, '{}', 'Ann', CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP, 1)"
                ),
                {"project": project_id, "name": name},
            )
            scenarios.append(connection.execute(text("SELECT max(id) FROM scenario")).scalar_one())
        connection.execute(
            text("UPDATE project SET report_scenario_id = :s WHERE id = :p"),
            {"s": scenarios[3], "p": one},
        )
        for project_id, rater, role in [
            (one, "Ann Lee", "sponsor"),
            (one, "ann  lee", "engineer"),
            (one, "Bo", "sponsor"),
            (two, "ANN LEE", "sponsor"),
        ]:
            connection.execute(
                text(
                    "INSERT INTO assessment_rating (project_id, rater, role, answers, updated_at,"
                    " version) VALUES (:project, :rater, :role, '{}', CURRENT_TIMESTAMP, 1)"
                ),
                {"project": project_id, "rater": rater, "role": role},
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT id, project_id, name, name_key FROM scenario ORDER BY id")
        ).all()
        raters = connection.execute(
            text("SELECT project_id, rater, rater_key, role FROM assessment_rating ORDER BY id")
        ).all()
        chosen = connection.execute(
            text("SELECT report_scenario_id FROM project WHERE id = :p"), {"p": one}
        ).scalar()
    assert [row.id for row in stored] == scenarios
    assert [(row.name, row.name_key) for row in stored] == [
        ("Base", "base"),
        ("base (3)", "base (3)"),
        ("Lean", "lean"),
        (" BASE (4)", "base (4)"),
        ("Base (2)", "base (2)"),
        ("Base", "base"),
    ]
    assert chosen == scenarios[3]  # no table rebuilt: the report still uses the renamed one
    assert [tuple(row) for row in raters] == [
        (one, "Ann Lee", "ann lee", "sponsor"),
        (one, "ann  lee (2)", "ann lee (2)", "engineer"),
        (one, "Bo", "bo", "sponsor"),
        (two, "ANN LEE", "ann lee", "sponsor"),
    ]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO scenario (project_id, name, name_key, notes, cost_inputs,"
                " value_inputs, seed, results, created_by, created_at, updated_at, version)"
                " VALUES (:project, 'LEAN', 'lean', '', '{}', '{}', 2026, '{}', 'Ann',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            ),
            {"project": one},
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO assessment_rating (project_id, rater, rater_key, role, answers,"
                " updated_at, version) VALUES (:project, 'BO', 'bo', 'sponsor', '{}',"
                " CURRENT_TIMESTAMP, 1)"
            ),
            {"project": one},
        )
    engine.dispose()


def test_servers_starting_together_migrate_once_and_all_start(empty_url):
    """Four processes migrate one empty database at the same moment (app servers starting
    together): every one succeeds and the schema is at the head once."""
    import os
    import subprocess
    import sys

    from workbench.config import DATABASE_URL_VARIABLE

    env = {**os.environ, DATABASE_URL_VARIABLE: empty_url}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "workbench", "migrate"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=300)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], outputs
    head = ScriptDirectory.from_config(alembic_config(empty_url)).get_current_head()
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (head,)
        ]
    engine.dispose()
