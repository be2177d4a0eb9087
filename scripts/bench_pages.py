"""Benchmark (not a test): every page's warm rerun at 10 and at 1,000 projects, and on a large one.

Streamlit reruns a page's script on every click, so the work of a rerun must not grow with the
portfolio or with a project's size. For each backend (SQLite, and PostgreSQL when its server
programs are installed) this script builds, in fresh databases,

- a portfolio of 10 projects (the three demo projects and seven synthetic ones), and
- a portfolio of 1,000 projects plus one large project (``scripts/bench_data.py``),

then opens every page in Streamlit's AppTest (one instance per page and case, as one browser
session) and times warm reruns of that same instance: the typical synthetic project #1 at 10
and at 1,000 projects, and the large project. The three cases run interleaved, one rerun of each
per round, in two worker processes (one per database), so a burst of load on the machine hits
all three alike. It counts the SQL statements each rerun issues and the elements it renders.
It also times the HTML and Word reports of the large project and one cost estimate with 10,000
draws, prints one table with the machine's core count and load average, and writes JSON.

Targets (two-core machine): every page's warm rerun at most 150 ms at 1,000 projects and on the
large project, and at most 1.5× the same page at 10 projects.

    PYTHONPATH=. .venv/bin/python scripts/bench_pages.py [--reruns 15] [--projects 1000]
        [--backends sqlite,postgresql] [--json test-artifacts/bench.json] [--pages risks,...]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MS = 150.0
TARGET_RATIO = 1.5
SMALL_PORTFOLIO = 10
PAGES = {
    "portfolio": "Portfolio",
    "charter": "Charter",
    "assessment": "Should we use ML?",
    "estimates": "Cost & value",
    "risks": "Risks",
    "experiments": "Experiments",
    "parking_lot": "Parking lot",
    "interviews": "SME interviews",
    "demos": "Demo plan",
    "report": "Scoping report",
}
CASES = ("10 projects", "1,000 projects", "large project")


# --- Worker: one database, AppTest instances kept warm ----------------------------------------


class _Statements:
    """Counts the SQL statements every engine in this process issues."""

    def __init__(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.count = 0
        self.texts: collections.Counter[str] = collections.Counter()
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, _params, _context, executemany) -> None:
        self.count += 1
        self.texts[" ".join(statement.split())[:160]] += 1

    def reset(self) -> None:
        self.count = 0
        self.texts.clear()


def _elements(node: Any) -> int:
    children = getattr(node, "children", None) or {}
    return 1 + sum(_elements(child) for child in children.values())


def worker() -> None:
    """Serve timing requests on stdin/stdout, one JSON object a line."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed goes to stderr
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from streamlit.testing.v1 import AppTest

    statements = _Statements()
    instances: dict[str, Any] = {}
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        try:
            if op == "open":
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
                at.query_params["project"] = str(request["project"])
                at.session_state["actor_name"] = "Bench"
                at.run()
                at.switch_page(f"pages/team/{request['page']}.py")
                start = time.perf_counter()
                at.run()
                cold = (time.perf_counter() - start) * 1000
                if at.exception:
                    raise RuntimeError(str([e.value for e in at.exception])[:500])
                at.run()  # warm
                instances[request["key"]] = at
                reply: dict[str, Any] = {"cold_ms": cold}
            elif op == "run":
                at = instances[request["key"]]
                statements.reset()
                start = time.perf_counter()
                at.run()
                elapsed = (time.perf_counter() - start) * 1000
                if at.exception:
                    raise RuntimeError(str([e.value for e in at.exception])[:500])
                reply = {
                    "ms": elapsed,
                    "statements": statements.count,
                    "elements": _elements(at._tree),
                    "texts": statements.texts.most_common(8) if request.get("texts") else [],
                }
            elif op == "close":
                instances.pop(request["key"], None)
                reply = {}
            elif op == "queries":
                reply = _queries(int(request["repetitions"]))
            elif op == "reports":
                reply = _reports(int(request["project"]), int(request["repetitions"]))
            else:
                raise ValueError(op)
            out.write(json.dumps({"ok": True, **reply}) + "\n")
        except Exception as error:
            out.write(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"}) + "\n")


def _queries(repetitions: int) -> dict[str, Any]:
    """The portfolio's portfolio-wide reads, uncached (what the first rerun after a save pays)."""
    from workbench import clock
    from workbench.db import make_engine
    from workbench.services import assessment, experiments, parking_lot, projects

    engine = make_engine()
    today = clock.today()
    ids = list(projects.project_names(engine))
    calls = {
        "overdue_experiments": lambda: experiments.overdue_experiments(engine, today),
        "due_parking_lot_items": lambda: parking_lot.due_parking_lot_items(engine, today),
        "portfolio_scores": lambda: assessment.portfolio_scores(engine, ids),
        "list_projects": lambda: projects.list_projects(engine),
    }
    result: dict[str, Any] = {}
    for name, call in calls.items():
        rows = len(call())
        timings = []
        for _ in range(repetitions):
            start = time.perf_counter()
            call()
            timings.append((time.perf_counter() - start) * 1000)
        result[name] = {"median_ms": statistics.median(timings), "rows": rows}
    engine.dispose()
    return result


def _reports(project_id: int, repetitions: int) -> dict[str, Any]:
    from workbench import clock
    from workbench.db import make_engine
    from workbench.reporting.html import render_html
    from workbench.reporting.word import render_docx
    from workbench.services.report import build_report

    engine = make_engine()
    today = clock.today()
    result: dict[str, Any] = {}
    for kind, render in (("html", render_html), ("docx", render_docx)):
        timings, size = [], 0
        for index in range(repetitions + 1):
            start = time.perf_counter()
            size = len(render(build_report(engine, project_id, today=today)))
            if index:  # the first is the warm-up
                timings.append((time.perf_counter() - start) * 1000)
        result[kind] = {"median_ms": statistics.median(timings), "bytes": size}
    engine.dispose()
    return result


class Worker:
    """A worker process on one database."""

    def __init__(self, url: str, today: str) -> None:
        env = {**os.environ, "WORKBENCH_DATABASE_URL": url, "WORKBENCH_TODAY": today}
        env["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            cwd=ROOT,
        )

    def ask(self, **request: Any) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        if not reply.pop("ok"):
            raise RuntimeError(reply["error"])
        return reply

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


# --- Databases ---------------------------------------------------------------------------------


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (fsync off), like the tests'."""

    def __init__(self) -> None:
        from tests.conftest import PostgresServer

        self.server = PostgresServer()

    def url(self, name: str) -> str:
        return self.server.url(name)

    def create(self, name: str, template: str | None = None) -> str:
        clause = f" TEMPLATE {template}" if template else ""
        self.server.execute(f"CREATE DATABASE {name}{clause}")
        return self.url(name)

    def stop(self) -> None:
        self.server.stop()


def build(backend: str, folder: Path, projects: int, today, pg: Postgres | None):
    """The two databases (10 projects; `projects` + the large one); their urls and ids."""
    from scripts import bench_data
    from workbench.db import make_engine, migrate

    if backend == "sqlite":
        small_url = f"sqlite:///{folder / 'small.db'}"
    else:
        assert pg is not None
        small_url = pg.create("bench_small")
    migrate(small_url)
    engine = make_engine(small_url)
    bench_data.seed_template(engine, today)
    typical_count = SMALL_PORTFOLIO - bench_data.count_projects(engine)
    bench_data.add_projects(engine, today, range(1, typical_count + 1))
    typical = bench_data.project_id(engine, bench_data.project_name(1))
    engine.dispose()
    if backend == "sqlite":
        shutil.copy(folder / "small.db", folder / "big.db")
        big_url = f"sqlite:///{folder / 'big.db'}"
    else:
        assert pg is not None
        big_url = pg.create("bench_big", template="bench_small")
    engine = make_engine(big_url)
    start = time.perf_counter()
    bench_data.add_projects(
        engine,
        today,
        range(typical_count + 1, projects - SMALL_PORTFOLIO + typical_count + 1),
        large=True,
    )
    built = time.perf_counter() - start
    large = bench_data.project_id(engine, bench_data.LARGE_NAME)
    total = bench_data.count_projects(engine)
    if backend == "postgresql":
        with engine.connect() as connection:
            from sqlalchemy import text

            connection.execute(text("ANALYZE"))
    engine.dispose()
    if backend == "postgresql":
        small = make_engine(small_url)
        with small.connect() as connection:
            from sqlalchemy import text

            connection.execute(text("ANALYZE"))
        small.dispose()
    return small_url, big_url, typical, large, total, built


# --- Coordinator -------------------------------------------------------------------------------


def measure_backend(backend: str, args, today, pg: Postgres | None) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    try:
        small_url, big_url, typical, large, total, built = build(
            backend, folder, args.projects, today, pg
        )
        print(
            f"[{backend}] built {total} projects (+ the large one) in {built:.1f} s",
            file=sys.stderr,
        )
        small, big = Worker(small_url, today.isoformat()), Worker(big_url, today.isoformat())
        pages: dict[str, Any] = {}
        try:
            for page in args.pages:
                plan = (
                    (CASES[0], small, typical),
                    (CASES[1], big, typical),
                    (CASES[2], big, large),
                )
                cold = {}
                for case, worker_, project in plan:
                    cold[case] = worker_.ask(
                        op="open", key=f"{page}/{case}", page=page, project=project
                    )["cold_ms"]
                runs: dict[str, list[dict[str, Any]]] = {case: [] for case, _, _ in plan}
                for round_ in range(args.reruns):
                    for case, worker_, _ in plan:  # interleaved: one rerun of each per round
                        runs[case].append(
                            worker_.ask(
                                op="run", key=f"{page}/{case}", texts=round_ == args.reruns - 1
                            )
                        )
                for case, worker_, _ in plan:
                    worker_.ask(op="close", key=f"{page}/{case}")
                pages[page] = {
                    case: {
                        "median_ms": statistics.median(r["ms"] for r in rs),
                        "min_ms": min(r["ms"] for r in rs),
                        "cold_ms": cold[case],
                        "statements": rs[-1]["statements"],
                        "elements": rs[-1]["elements"],
                        "top_statements": rs[-1]["texts"],
                    }
                    for case, rs in runs.items()
                }
                line = "  ".join(
                    f"{case}: {pages[page][case]['median_ms']:.0f} ms" for case in runs
                )
                print(f"[{backend}] {PAGES[page]:<18} {line}", file=sys.stderr)
            queries = {
                CASES[0]: small.ask(op="queries", repetitions=args.reruns),
                CASES[1]: big.ask(op="queries", repetitions=args.reruns),
            }
            reports = big.ask(op="reports", project=large, repetitions=args.report_repetitions)
        finally:
            small.stop()
            big.stop()
        return {
            "pages": pages,
            "queries": queries,
            "reports": reports,
            "projects": total,
            "build_s": built,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def estimate_ms(repetitions: int = 60) -> float:
    from scripts.bench_estimate import full_estimate

    full_estimate(10_000, seed=0)
    timings = []
    for repetition in range(repetitions):
        start = time.perf_counter()
        full_estimate(10_000, seed=repetition)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def verdict(page: dict[str, Any]) -> str:
    base = page[CASES[0]]["median_ms"]
    misses = []
    for case in CASES[1:]:
        ms = page[case]["median_ms"]
        if ms > TARGET_MS:
            misses.append(f"{case} > {TARGET_MS:.0f} ms")
        if ms > TARGET_RATIO * base:
            misses.append(f"{case} {ms / base:.1f}×")
    return "met" if not misses else "MISSED: " + ", ".join(misses)


def table(results: dict[str, Any]) -> str:
    lines = []
    header = (
        f"{'backend':<10} {'page':<18} "
        + " ".join(f"{case:>15}" for case in CASES)
        + f" {'SQL (10/1k/L)':>15} {'elements (10/1k/L)':>20}  target"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for backend, result in results["backends"].items():
        for page, cases in result["pages"].items():
            cells = " ".join(f"{cases[c]['median_ms']:>12.0f} ms" for c in CASES)
            sql = "/".join(str(cases[c]["statements"]) for c in CASES)
            elements = "/".join(str(cases[c]["elements"]) for c in CASES)
            lines.append(
                f"{backend:<10} {PAGES[page]:<18} {cells} {sql:>15} {elements:>20}  "
                + verdict(cases)
            )
        for name in result["queries"][CASES[0]]:
            small, big = (result["queries"][case][name] for case in CASES[:2])
            lines.append(
                f"{backend:<10} {name} uncached (after a save): {small['median_ms']:.1f} ms at "
                f"{CASES[0]}, {big['median_ms']:.1f} ms at {CASES[1]} ({big['rows']} rows)"
            )
        html, docx = result["reports"]["html"], result["reports"]["docx"]
        lines.append(
            f"{backend:<10} reports of the large project: "
            f"HTML {html['median_ms']:.0f} ms ({html['bytes'] / 1e6:.1f} MB), "
            f"Word {docx['median_ms']:.0f} ms ({docx['bytes'] / 1e6:.1f} MB)"
        )
    lines.append(f"one estimate, 10,000 draws: median {results['estimate_ms']:.1f} ms")
    machine = results["machine"]
    lines.append(
        f"machine: {machine['cores']} cores, load average {machine['load_before']} before, "
        f"{machine['load_after']} after; medians of {results['reruns']} warm reruns, "
        "interleaved (one rerun of each case per round)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--report-repetitions", type=int, default=3)
    parser.add_argument("--json", default=str(ROOT / "test-artifacts" / "bench.json"))
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    args.pages = [page for page in args.pages.split(",") if page]
    from workbench import clock

    today = clock.today()
    results: dict[str, Any] = {
        "today": today.isoformat(),
        "reruns": args.reruns,
        "machine": {"cores": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()]},
        "backends": {},
    }
    for backend in args.backends.split(","):
        pg = None
        if backend == "postgresql":
            try:
                pg = Postgres()
            except (FileNotFoundError, subprocess.CalledProcessError) as error:
                print(f"[postgresql] skipped: {error}", file=sys.stderr)
                continue
        try:
            results["backends"][backend] = measure_backend(backend, args, today, pg)
        finally:
            if pg is not None:
                pg.stop()
    results["estimate_ms"] = estimate_ms()
    results["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(table(results))
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"JSON: {path}")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
