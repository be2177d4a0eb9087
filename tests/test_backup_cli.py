"""`python -m workbench backup|restore|export|import` through a real subprocess: round trips on
SQLite and PostgreSQL, and every bad input exits with status 2 and one `error: …` line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tests.services.test_backup import every_row
from workbench.db import alembic_config

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()

ROOT = Path(__file__).resolve().parent.parent


def run(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "--database-url", url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess) -> str:
    """The one line a refusal prints; nothing on stdout, status 2, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def seeded(database_url):
    ok(run(database_url, "seed"))
    return database_url


@pytest.fixture
def fresh_sqlite(tmp_path):
    return f"sqlite:///{tmp_path / 'fresh.db'}"


def test_backup_and_restore_round_trip(seeded, fresh_sqlite, tmp_path):
    file = tmp_path / "backup.file"
    said = ok(run(seeded, "backup", str(file)))
    assert "Backed up" in said and str(file) in said
    assert "SQLite online backup" in said if seeded.startswith("sqlite") else "JSON dump" in said

    said = ok(run(fresh_sqlite, "restore", str(file)))

    assert said.startswith("Restored ") and f"schema {HEAD}" in said
    assert every_row(fresh_sqlite) == every_row(seeded)
    line = refused(run(fresh_sqlite, "restore", str(file)))
    assert "is not empty" in line and "--replace" in line
    assert "replacing" in ok(run(fresh_sqlite, "restore", str(file), "--replace"))
    assert every_row(fresh_sqlite) == every_row(seeded)


def test_export_then_import_and_the_same_file_once(seeded, fresh_sqlite, tmp_path):
    ok(run(fresh_sqlite, "migrate"))
    file = tmp_path / "ride.json"
    assert "Exported 'Ride-time anomaly detection'" in ok(
        run(seeded, "export", "Ride-time anomaly detection", "--output", str(file))
    )
    assert json.loads(file.read_text())["format"] == "scoping-workbench.project"

    said = ok(run(fresh_sqlite, "import", str(file), "--actor", "Ann"))

    assert said.startswith("Imported 'Ride-time anomaly detection'") and "new project" in said
    line = refused(run(fresh_sqlite, "import", str(file), "--name", "Another"))
    assert "imported before" in line
    said = ok(
        run(
            seeded,
            "import",
            str(file),
            "--replace",
            "Website purchase recommendations",
            "--name",
            "Ride-time, second",
        )
    )
    assert "replacing what it held" in said


@pytest.fixture(scope="module")
def seeded_files(tmp_path_factory) -> Path:
    """A seeded SQLite file and the export of its project 1, made once for the module."""
    folder = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{folder / 'seeded.db'}"
    ok(run(url, "migrate"))
    ok(run(url, "seed"))
    ok(run(url, "export", "1", "--output", str(folder / "export.json")))
    return folder


BAD_FILE = json.dumps({"format": "scoping-workbench.project", "schema_version": 1, "x": 1})


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["backup", "{existing}"], "exists already"),
        (["backup", "{tmp}/no/such/folder/b.db"], "does not exist"),
        (["restore", "{tmp}/missing.db"], "There is no file"),
        (["restore", "{text}"], "neither a SQLite backup nor a workbench dump"),
        (["export", "No such project", "--output", "{tmp}/x.json"], "no project with id"),
        (["export", "1", "--output", "{existing}"], "exists already"),
        (["export", "1", "--output", "{tmp}/no/such/x.json"], "No such file or directory"),
        (["import", "{tmp}/missing.json"], "No such file or directory"),
        (["import", "{text}"], "Not JSON"),
        (["import", "{bad}"], "x: not a part of a project export"),
        (["import", "{export}"], "Another project already has this name"),
        (["import", "{export}", "--replace", "No such project"], "no project with id"),
        (["import", "{export}", "--name", "n" * 200], "Too long"),
        (["import", "{export}", "--name", "N", "--actor", " "], "Say who you are"),
        (["backup", "{tmp}/b.db", "--nope"], "unrecognized arguments"),
        (["restore"], "the following arguments are required"),
        (["import"], "the following arguments are required"),
    ],
)
def test_every_bad_input_exits_2_with_one_line(seeded_files, tmp_path, args, expected):
    database = tmp_path / "workbench.db"
    shutil.copy(seeded_files / "seeded.db", database)
    sqlite_url = f"sqlite:///{database}"
    existing = tmp_path / "existing.file"
    existing.write_text("keep")
    text = tmp_path / "text.txt"
    text.write_text("hello")
    bad = tmp_path / "bad.json"
    bad.write_text(BAD_FILE)
    export = seeded_files / "export.json"
    names = {"existing": existing, "tmp": tmp_path, "text": text, "bad": bad, "export": export}
    before = every_row(sqlite_url)

    line = refused(run(sqlite_url, *(arg.format(**names) for arg in args)))

    assert expected in line
    assert existing.read_text() == "keep"
    assert every_row(sqlite_url) == before
