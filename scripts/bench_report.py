"""Benchmark (not a test): build the HTML scoping report of the largest demo project.

Seeds the demo data into a throwaway SQLite file, then times gathering + rendering the HTML
report of the project with the most activity, several times, and prints the median.
Run with `make bench`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from workbench import clock
from workbench.db import make_engine, migrate
from workbench.demo_data import seed_demo_data
from workbench.models import ActivityEntry
from workbench.reporting.html import render_html
from workbench.services.report import build_report

REPETITIONS = 15
TARGET_SECONDS = 2.0


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(url)
        engine = make_engine(url)
        today = clock.today()
        seed_demo_data(engine, today=today)
        with Session(engine) as session:
            project_id, entries = session.exec(
                select(ActivityEntry.project_id, func.count())
                .group_by(ActivityEntry.project_id)
                .order_by(func.count().desc())
            ).first()
        render_html(build_report(engine, project_id, today=today))  # warm-up (imports, caches)
        timings = []
        for _ in range(REPETITIONS):
            start = time.perf_counter()
            html = render_html(build_report(engine, project_id, today=today))
            timings.append(time.perf_counter() - start)
        engine.dispose()
    median = statistics.median(timings)
    verdict = "met" if median < TARGET_SECONDS else "MISSED"
    print(
        f"HTML report of the largest demo project ({entries} logged changes, "
        f"{len(html) / 1e6:.1f} MB), {REPETITIONS} builds: median {median * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms (target < {TARGET_SECONDS:.0f} s: {verdict})"
    )


if __name__ == "__main__":
    main()
