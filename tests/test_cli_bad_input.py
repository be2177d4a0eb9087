"""Every bad argument to `python -m workbench …` exits with status 2 and one `error: …` line on
stderr — never a traceback — and nothing on stdout; a database URL that is wrong or unreachable
creates no file. Each case below printed a traceback (or created an empty database) before."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.dates import TODAY
from workbench.db import make_engine
from workbench.services import projects as project_service

ROOT = Path(__file__).resolve().parent.parent

REPORT = "report {ref} --format md --output {out}"

# (id, the command line ({out}, {missing}, {unreachable} are filled in), what its error line says)
CASES = [
    # estimates whose results leave the range of floating point numbers
    ("overflow-json", "estimate training --params 1e308 --tokens 1e308 --peak-tflops 1 --json",
     "extreme"),
    ("overflow-text", "estimate training --params 1e308 --tokens 1e308 --peak-tflops 1",
     "extreme"),
    ("tiny-mfu", "estimate training --params 1 --tokens 1 --peak-tflops 1 --mfu 1e-300 "
     "--gpus 1e-300 --json", "extreme"),
    ("co2-overflow", "estimate co2 --gpu-hours 1e308 --power-w 1e308 --carbon-kg-per-kwh 1e308",
     "extreme"),
    ("shutdown-overflow", "estimate shutdown --hours-per-week 1 --monthly-compute-usd 1e308 "
     "--monthly-non-compute-usd 1e308 --json", "extreme"),
    ("value-overflow", "estimate value --population 1e308 --prevalence 0.5 --precision 0.5 "
     "--recall 0.5 --benefit-tp 1e308 --cost-fp 1e308 --json", "extreme"),
    ("baseline-1e-300", "estimate abtest --baseline 1e-300 --target 1e-299 --json", "extreme"),
    ("baseline-variance-1e-300", "estimate abtest --baseline 1e-300 --target 2e-300 "
     "--method baseline-variance", "extreme"),
    ("traffic-1e-300", "estimate abtest --baseline 0.5 --target 0.50000000001 "
     "--daily-traffic 1e-300", "extreme"),
    ("params-nan", "estimate training --params nan --tokens 1 --peak-tflops 1", "--params"),
    ("params-words", "estimate training --params many --tokens 1 --peak-tflops 1", "--params"),
    ("unknown-flag", "estimate training --params 1 --tokens 1 --peak-tflops 1 --bogus",
     "unrecognized"),
    # project references
    ("id-2-to-the-63", REPORT.format(ref=2**63, out="{out}"), "out of range"),
    ("superscript-digit", REPORT.format(ref="²", out="{out}"), "no project"),
    ("export-superscript", "export ² --output {out}", "no project"),
    ("export-2-to-the-63", f"export {2**63} --output {{out}}", "out of range"),
    ("unknown-project", REPORT.format(ref="Nobody", out="{out}"), "no project"),
    # database URLs
    ("unknown-database-kind", "--database-url nonsense:// " + REPORT.format(ref=1, out="{out}"),
     "unknown kind of database"),
    ("unreadable-url", "--database-url :::: migrate", "cannot read this database URL"),
    ("missing-file-report", "--database-url {missing} " + REPORT.format(ref=1, out="{out}"),
     "no database file"),
    ("missing-file-seed", "--database-url {missing} seed", "no database file"),
    ("missing-file-export", "--database-url {missing} export 1 --output {out}",
     "no database file"),
    ("missing-file-backup", "--database-url {missing} backup {out}", "no database file"),
    ("unreachable-report", "--database-url {unreachable} " + REPORT.format(ref=1, out="{out}"),
     "cannot reach the database"),
    ("unreachable-seed", "--database-url {unreachable} seed", "cannot reach the database"),
    ("unreachable-migrate", "--database-url {unreachable} migrate", "cannot reach the database"),
    ("migrate-into-no-folder", "--database-url sqlite:////proc/no-such-folder/x.db migrate",
     "No such file"),
    ("import-missing-file", "import /no/such/export.json", "No such file"),
]  # fmt: skip


@pytest.fixture
def database(sqlite_url):
    engine = make_engine(sqlite_url)
    project_service.create_project(engine, data={"name": "Fraud alerts"}, actor="Ann", today=TODAY)
    engine.dispose()
    return sqlite_url


@pytest.mark.parametrize(("command", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_one_line(database, tmp_path, command, expected):
    missing = tmp_path / "no-such-folder" / "workbench.db"
    values = {
        "{missing}": f"sqlite:///{missing}",
        # a port where nothing listens
        "{unreachable}": f"postgresql+psycopg://someone:secret@127.0.0.1:{free_port()}/workbench",
        "{out}": str(tmp_path / "out.file"),
    }
    argv = [values.get(arg, arg) for arg in command.split()]
    if "--database-url" not in argv:
        argv = ["--database-url", database, *argv]
    result = subprocess.run(
        [sys.executable, "-m", "workbench", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr and "secret" not in result.stderr
    assert not missing.parent.exists()  # a bad database URL creates no file and no folder
    assert not (tmp_path / "out.file").exists()
