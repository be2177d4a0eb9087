"""Whole-database backup and restore on both backends: equality after a round trip, a refused
non-empty target, PostgreSQL ids moving on after a restore, and a SQLite backup taken while the
app writes that opens and passes `PRAGMA integrity_check`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from tests.dates import TODAY
from tests.services.test_project_life import RIDE, fill_every_table, table_counts
from workbench.db import make_engine
from workbench.demo_data import seed_demo_data
from workbench.services import backup as backup_service
from workbench.services import projects as svc
from workbench.services.backup import BackupError, backup, restore


@pytest.fixture
def empty_url(database_url, request, tmp_path):
    """A second database on the same backend, with no schema at all."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.db'}"
    server = request.getfixturevalue("postgres_server")
    name = f"workbench_empty_{next(server.counter)}"
    server.execute(f"CREATE DATABASE {name}")
    return server.url(name)


def every_row(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def rows_in(url: str) -> int:
    engine = make_engine(url)
    try:
        return sum(backup_service.count_rows(engine).values())
    finally:
        engine.dispose()


@pytest.fixture
def full(engine):
    seed_demo_data(engine, today=TODAY)
    fill_every_table(engine, svc.find_project(engine, RIDE).id)
    return engine


def test_backup_then_restore_gives_the_same_rows(full, database_url, empty_url, tmp_path):
    file = tmp_path / ("backup.db" if database_url.startswith("sqlite") else "backup.json.gz")

    done = backup(full, file)

    assert done.method == ("sqlite" if database_url.startswith("sqlite") else "json")
    assert done.revision and done.rows == table_counts(full)
    restored = restore(empty_url, file)
    assert restored.replaced_rows == 0 and restored.rows == done.rows
    assert every_row(empty_url) == every_row(database_url)


def test_restore_refuses_a_database_that_holds_data_unless_replacing(
    full, database_url, tmp_path, empty_url
):
    file = tmp_path / "backup.file"
    backup(full, file)
    target = make_engine(empty_url)
    try:
        restore(empty_url, file)
        svc.create_project(target, data={"name": "Made after"}, actor="Ann", today=TODAY)
        before = every_row(empty_url)

        with pytest.raises(BackupError) as refused:
            restore(empty_url, file)
        assert "is not empty" in str(refused.value) and "--replace" in str(refused.value)
        assert every_row(empty_url) == before

        done = restore(empty_url, file, replace=True)

        assert done.replaced_rows == sum(len(rows) for rows in before.values())
        assert "Made after" not in svc.project_names(target, include_archived=True).values()
        assert every_row(empty_url) == every_row(database_url)
        # new rows get new ids after a restore (PostgreSQL's sequences moved past the restored ids)
        made = svc.create_project(target, data={"name": "After restore"}, actor="Ann", today=TODAY)
        assert made.id > max(p.id for p in svc.list_projects(full))
    finally:
        target.dispose()


def test_backup_refuses_to_overwrite_a_file_unless_asked(full, tmp_path):
    file = tmp_path / "backup.file"
    file.write_text("keep me")
    with pytest.raises(BackupError):
        backup(full, file)
    assert file.read_text() == "keep me"
    backup(full, file, overwrite=True)
    assert file.read_text(errors="ignore") != "keep me"


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(full, tmp_path, empty_url):
    cases = {
        "missing.db": None,
        "text.txt": b"hello",
        "other.json": json.dumps({"format": "something else"}).encode(),
        "unknown-table.json": json.dumps(
            {
                "format": backup_service.DUMP_FORMAT,
                "dump_version": 1,
                "revision": "0004",
                "tables": {"passwords": []},
            }
        ).encode(),
        "future.json": json.dumps(
            {
                "format": backup_service.DUMP_FORMAT,
                "dump_version": 1,
                "revision": "9999",
                "tables": {},
            }
        ).encode(),
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(BackupError):
            restore(empty_url, path)
    if full.dialect.name == "sqlite":
        good, damaged = tmp_path / "good.db", tmp_path / "damaged.db"
        backup(full, good)
        data = good.read_bytes()
        damaged.write_bytes(data[: len(data) // 2] + b"\x00" * (len(data) - len(data) // 2))
        with pytest.raises(BackupError):
            restore(empty_url, damaged)
    assert rows_in(empty_url) == 0


@pytest.mark.postgres
def test_a_restore_that_fails_midway_changes_nothing(postgres_url, tmp_path):
    engine = make_engine(postgres_url)
    seed_demo_data(engine, today=TODAY)
    file = tmp_path / "dump.json"
    backup(engine, file)
    engine.dispose()
    document = json.loads(file.read_text())
    document["tables"]["risk"].append({**document["tables"]["risk"][0]})  # a duplicate id
    file.write_text(json.dumps(document))
    target = f"sqlite:///{tmp_path / 'target.db'}"
    with pytest.raises(BackupError) as refused:
        restore(target, file)
    assert "nothing was changed" in str(refused.value)
    assert rows_in(target) == 0


@pytest.mark.postgres
def test_a_postgresql_dump_restores_into_sqlite(postgres_url, tmp_path):
    engine = make_engine(postgres_url)
    seed_demo_data(engine, today=TODAY)
    file = tmp_path / "team.json"
    backup(engine, file)
    target = f"sqlite:///{tmp_path / 'moved.db'}"
    restore(target, file)
    assert every_row(target) == every_row(postgres_url)
    engine.dispose()


# --- SQLite: the online backup API while the app writes -----------------------------------


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def test_sqlite_backup_holds_writes_still_in_the_wal(sqlite_url, tmp_path):
    """A committed write that is still in the `-wal` file is in the backup (a copy of the main
    file alone would miss it: shown here as the reason for the online backup API)."""
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        svc.create_project(engine, data={"name": "Only in the WAL"}, actor="Ann", today=TODAY)
        copied = tmp_path / "copied.db"
        shutil.copy(sqlite_path(sqlite_url), copied)
        backup(engine, tmp_path / "backup.db")
    with sqlite3.connect(tmp_path / "backup.db") as opened:
        assert opened.execute("SELECT name FROM project").fetchall() == [("Only in the WAL",)]
    with sqlite3.connect(copied) as opened:
        assert opened.execute("SELECT name FROM project").fetchall() == []
    engine.dispose()


def test_sqlite_backup_while_the_app_writes_is_consistent(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    seed_demo_data(engine, today=TODAY)
    for n in range(40):  # enough pages that the copy takes a while
        svc.create_project(
            engine, data={"name": f"Bulk {n}", "problem": "x" * 4000}, actor="Ann", today=TODAY
        )
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 500:
            try:
                svc.create_project(
                    engine,
                    data={"name": f"Written during {n}", "problem": "y" * 2000},
                    actor="Writer",
                    today=TODAY,
                    criteria=[{"criterion": "c", "business_metric": "m"}],
                )
                written.append(n)
            except BaseException as error:  # reported below
                failures.append(error)
                return
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    while len(written) < 3 and not failures:
        stop.wait(0.01)
    before = len(written)
    backups = []
    for attempt in range(3):
        path = tmp_path / f"during-{attempt}.db"
        backup(engine, path)
        backups.append(path)
    after_backup = len(written)
    stop.set()
    thread.join(timeout=60)
    assert not failures, failures
    assert after_backup > before  # the app went on writing while the backups ran

    for path in backups:
        with sqlite3.connect(path) as opened:
            assert opened.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert opened.execute("PRAGMA foreign_key_check").fetchall() == []
            during = opened.execute(
                "SELECT count(*) FROM project WHERE name LIKE 'Written during %'"
            ).fetchone()[0]
            # every project written whole: its criteria and its log entry came with it
            assert opened.execute(
                "SELECT count(*) FROM success_criterion s JOIN project p ON p.id = s.project_id "
                "WHERE p.name LIKE 'Written during %'"
            ).fetchone() == (during,)
            assert opened.execute(
                "SELECT count(*) FROM activity a JOIN project p ON p.id = a.project_id "
                "WHERE p.name LIKE 'Written during %'"
            ).fetchone() == (during,)
        assert before <= during <= len(written)
    engine.dispose()
