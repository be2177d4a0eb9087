"""`python -m workbench report` through a real subprocess, against a real SQLite file."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from tests.dates import TODAY
from workbench.db import make_engine
from workbench.services import projects as project_service

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(sqlite_url):
    engine = make_engine(sqlite_url)
    created = project_service.create_project(
        engine,
        data={"name": "Fraud alerts", "problem": "Card fraud costs 2 % of revenue"},
        actor="Ann",
        today=TODAY,
    )
    engine.dispose()
    return created


def run(sqlite_url, *args):
    return subprocess.run(
        [sys.executable, "-m", "workbench", "--database-url", sqlite_url, "report", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("reference", ["name", "id"])
def test_markdown_report_by_name_or_id(sqlite_url, project, tmp_path, reference):
    output = tmp_path / "report.md"
    ref = project.name if reference == "name" else str(project.id)
    result = run(sqlite_url, ref, "--format", "md", "--output", str(output))
    assert result.returncode == 0, result.stderr
    text = output.read_text()
    assert text.startswith("# Scoping report — Fraud alerts")
    assert "Card fraud costs 2 % of revenue" in text
    assert "## Decision log" in text


def test_docx_report_opens(sqlite_url, project, tmp_path):
    output = tmp_path / "report.docx"
    result = run(sqlite_url, "Fraud alerts", "--format", "docx", "--output", str(output))
    assert result.returncode == 0, result.stderr
    word = Document(io.BytesIO(output.read_bytes()))
    assert any(p.text == "Charter" for p in word.paragraphs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["No such project", "--format", "md"], "no project", id="unknown-project"),
        pytest.param(["Fraud alerts", "--format", "pdf"], "invalid choice: 'pdf'", id="bad-format"),
        pytest.param(["fraud alerts", "--format", "md"], "no project", id="name-not-exact"),
    ],
)
def test_bad_reference_or_format_exits_2_with_one_line(
    sqlite_url, project, tmp_path, args, message
):
    output = tmp_path / "out"
    result = run(sqlite_url, *args, "--output", str(output))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert not output.exists()
