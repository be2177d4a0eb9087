"""Benchmark data (not a test): a synthetic portfolio, inserted in bulk.

The services validate and log every change one at a time, which is right for people and far
too slow for a thousand projects. So this module seeds the three demo projects through the
services once, takes the ride-time project (which has a whole workspace) as a *template*, and
copies its rows with SQLAlchemy core bulk inserts, varied per copy (names, dates, scores) so
that every copy is valid data the services read as they read their own:

- a *typical* project: about 20 experiments (some decided, some extended, about one in four
  projects with one overdue a decision), 10 parked ideas (one in three projects with one due),
  8 features with a demo held for half of them, 5 SME interviews with their answers, 30 risks,
  3 saved assessments and 3 cost scenarios, plus the template's charter, stakeholders, gate
  checks, notes and activity;
- the *large* project: 200 experiments, 200 parked ideas, 200 risks, 50 features.

Copies are deterministic: synthetic project ``k`` is the same in every database built with the
same ``today``, so a page measured at 10 and at 1,000 projects shows the same project.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import workbench.models  # noqa: F401  (registers every table)
from workbench.demo_data import seed_demo_data
from workbench.domain.experiments import approach_key
from workbench.domain.lifecycle import Phase
from workbench.domain.timebox import TimeBox, prototype_end
from workbench.domain.workdays import add_working_days, next_working_day
from workbench.models.base import name_key

TEMPLATE_NAME = "Ride-time anomaly detection"
LARGE_NAME = "Bench large project"
CHUNK = 2_000


@dataclass(frozen=True)
class Shape:
    """How many rows of each kind one synthetic project gets."""

    experiments: int = 20
    parking_lot: int = 10
    features: int = 8
    interviews: int = 5
    risks: int = 30
    snapshots: int = 3
    scenarios: int = 3


TYPICAL = Shape()
LARGE = Shape(experiments=200, parking_lot=200, features=50, risks=200)


def project_name(index: int) -> str:
    """The name of synthetic project `index` (1-based)."""
    return f"Bench project {index:04d}"


def _tables() -> dict[str, Table]:
    """Every table by name, parents before children."""
    return {table.name: table for table in SQLModel.metadata.sorted_tables}


def seed_template(engine: Engine, today: date) -> None:
    """The three demo projects, through the services (the template among them)."""
    seed_demo_data(engine, today=today)


class _Template:
    """The template project's rows, read once."""

    def __init__(self, connection: Connection) -> None:
        tables = _tables()
        project = tables["project"]
        self.project = dict(
            connection.execute(select(project).where(project.c.name == TEMPLATE_NAME))
            .mappings()
            .one()
        )
        pid = self.project["id"]
        self.rows: dict[str, list[dict[str, Any]]] = {}
        for name, table in tables.items():
            if "project_id" in table.c and name != "project":
                self.rows[name] = [
                    dict(r)
                    for r in connection.execute(
                        select(table).where(table.c.project_id == pid).order_by(*table.primary_key)
                    ).mappings()
                ]
        interview_ids = [r["id"] for r in self.rows["interview"]]
        answers = tables["interview_answer"]
        self.answers = [
            dict(r)
            for r in connection.execute(
                select(answers).where(answers.c.interview_id.in_(interview_ids))
            ).mappings()
        ]


class _Ids:
    """Explicit primary keys, so children can point at the parents inserted with them."""

    def __init__(self, connection: Connection) -> None:
        self.next: dict[str, int] = {}
        for name, table in _tables().items():
            if "id" in table.c:
                self.next[name] = (
                    connection.execute(select(func.max(table.c.id))).scalar() or 0
                ) + 1

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _cycle(rows: list[dict[str, Any]], count: int) -> Iterable[tuple[int, dict[str, Any]]]:
    for index in range(count):
        yield index, dict(rows[index % len(rows)])


# Columns a unique index compares, derived from the name the builder gives a copied row.
KEYS = {
    "project": {"name_key": "name"},
    "feature": {"name_key": "name"},
    "demo": {"title_key": "title"},
    "scenario": {"name_key": "name"},
    "assessment_rating": {"rater_key": "rater"},
}


class _Builder:
    def __init__(self, connection: Connection, today: date) -> None:
        self.connection = connection
        self.today = today
        self.template = _Template(connection)
        self.ids = _Ids(connection)
        self.pending: dict[str, list[dict[str, Any]]] = {name: [] for name in _tables()}

    def add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        if "id" in _tables()[table].c:
            row["id"] = self.ids.take(table)
        for key, source in KEYS.get(table, {}).items():  # what the unique indexes compare
            row[key] = name_key(row[source])
        self.pending[table].append(row)
        return row

    def flush(self) -> None:
        for name, table in _tables().items():  # parents before children
            rows = self.pending[name]
            for start in range(0, len(rows), CHUNK):
                self.connection.execute(table.insert(), rows[start : start + CHUNK])
            rows.clear()

    def project(self, k: int, name: str, shape: Shape) -> None:
        """Synthetic project `k` (deterministic in `k` and `today`)."""
        t = self.template
        today = self.today
        phases = list(Phase)
        project = dict(t.project)
        project.update(
            name=name,
            owner=f"Owner {k % 37:02d}",
            sponsor=f"Sponsor {k % 11:02d}",
            phase=phases[k % 4].value,  # planning … development: experiments and demos matter
            target_delivery_date=today + timedelta(days=30 + k % 300),
            version=1,
        )
        pid = self.add("project", project)["id"]

        def own(table: str, change: Callable[[int, dict[str, Any]], Any] | None = None, n=None):
            rows = t.rows[table]
            if not rows:
                return []
            made = []
            for j, row in _cycle(rows, len(rows) if n is None else n):
                row["project_id"] = pid
                if change is not None:
                    change(j, row)
                made.append(self.add(table, row))
            return made

        for table in ("success_criterion", "stakeholder", "gate_check", "phase_transition"):
            own(table)
        own("project_note")
        own("activity", n=len(t.rows["activity"]))
        own("assessment_rating")
        own("demo_plan_settings")

        def snapshot(j: int, row: dict[str, Any]) -> None:
            row["saved_at"] = row["saved_at"] - timedelta(days=7 * j)
            for score in ("fit_score", "impact_score", "feasibility_score"):
                if row[score] is not None:
                    row[score] = max(0.0, min(100.0, row[score] + ((k * 13 + j * 7) % 41) - 20))

        own("assessment_snapshot", snapshot, shape.snapshots)
        own("scenario", lambda j, row: row.update(name=f"{row['name']} {j + 1}"), shape.scenarios)

        def risk(j: int, row: dict[str, Any]) -> None:
            row.update(
                title=f"{row['title']} ({j + 1})",
                likelihood=1 + (j * 7 + k) % 5,
                impact=1 + (j * 3 + k // 2) % 5,
                status=("open", "mitigating", "accepted", "closed")[j % 4],
            )

        own("risk", risk, shape.risks)

        def parked(j: int, row: dict[str, Any]) -> None:
            due = j % 20 == 0 and (k % 3 == 0 or shape is LARGE)
            row.update(
                idea=f"{row['idea']} ({j + 1})",
                revisit_on=today - timedelta(days=1) if due else today + timedelta(days=30 + j),
                revisit_phase=None,
                status="parked" if j % 5 else "dropped",
                source_id=None,
            )
            if due:
                row["status"] = "parked"

        own("parking_lot_item", parked, shape.parking_lot)
        self._experiments(k, pid, shape)
        self._features(k, pid, shape)
        self._interviews(k, pid, shape)

    def _experiments(self, k: int, pid: int, shape: Shape) -> None:
        today = self.today
        for j, row in _cycle(self.template.rows["experiment"], shape.experiments):
            overdue = j % 10 == 0 if shape is LARGE else (j == 0 and k % 4 != 0)
            decided = j % 4 == 3
            start = today - timedelta(weeks=12) if overdue else today + timedelta(weeks=j % 6 - 1)
            row.update(
                project_id=pid,
                approach=f"{row['approach']} #{j + 1}",
                start_date=start,
                research_days=10,
                prototype_days=10,
                status="decided" if decided else ("proposed", "researching", "prototyping")[j % 3],
                decision="cull" if decided else None,
                decision_reason="Did not beat the baseline." if decided else "",
                decided_by="Bench" if decided else "",
                decided_at=row["created_at"] if decided else None,
                matrix_scores={"prediction_quality": 1 + j % 5, "maintainability": 1 + k % 5},
                parking_lot_item_id=None,
                version=1,
            )
            row["approach_key"] = approach_key(row["approach"])
            experiment = self.add("experiment", row)
            if j % 5 == 1 and not decided:
                end = prototype_end(TimeBox(start, 10, 10))
                self.add(
                    "time_box_extension",
                    {
                        "experiment_id": experiment["id"],
                        "reason": "The labelled sample arrived late.",
                        "previous_end": end,
                        "new_end": add_working_days(next_working_day(end), 5),
                        "extended_by": "Bench",
                        "extended_at": row["created_at"],
                    },
                )
            if j % 2 == 0:
                self.add(
                    "time_log",
                    {
                        "experiment_id": experiment["id"],
                        "day": today - timedelta(days=1 + j % 5),
                        "hours": 3.5,
                        "who": "Bench",
                        "note": "",
                        "logged_at": row["created_at"],
                    },
                )

    def _features(self, k: int, pid: int, shape: Shape) -> None:
        today = self.today
        held = shape.features // 2
        for j, row in _cycle(self.template.rows["feature"], shape.features):
            row.update(
                project_id=pid,
                name=f"{row['name']} ({j + 1})",
                position=j,
                status="demoed" if j < held else "planned",
                milestone=j % 4 == 3,
                version=1,
            )
            feature = self.add("feature", row)
            if j < held:
                demo = self.add(
                    "demo",
                    {
                        "project_id": pid,
                        "feature_id": feature["id"],
                        "title": f"Demo: {row['name']}",
                        "held_on": today - timedelta(days=7 * (held - j)),
                        "demo_type": "light" if j % 4 != 3 else "big",
                        "format": "Slides and a live run",
                        "audience": "Priya N., Dispatcher team lead",
                        "shown": f"Feature: {row['name']}",
                        "decisions": "Go on as planned.",
                        "recorded_by": "Bench",
                        "recorded_at": row["created_at"],
                    },
                )
                for attendee in ("Priya N.", "Dispatcher team lead"):
                    self.add(
                        "demo_feedback",
                        {"demo_id": demo["id"], "attendee": attendee, "feedback": "Clear."},
                    )
                self.add(
                    "feature_task",
                    {
                        "feature_id": feature["id"],
                        "text": "Follow up on the feedback",
                        "done": j % 2 == 0,
                        "source_demo_id": demo["id"],
                        "created_by": "Bench",
                        "created_at": row["created_at"],
                    },
                )

    def _interviews(self, k: int, pid: int, shape: Shape) -> None:
        template = self.template
        for j, row in _cycle(template.rows["interview"], shape.interviews):
            source_id = row["id"]
            row.update(
                project_id=pid,
                expert_name=f"{row['expert_name']} {j + 1}",
                token_hash=hashlib.sha256(f"bench-{k}-{j}".encode()).hexdigest(),
                version=1,
            )
            interview = self.add("interview", row)
            for answer in template.answers:
                if answer["interview_id"] == source_id:
                    self.add("interview_answer", {**answer, "interview_id": interview["id"]})


def add_projects(
    engine: Engine, today: date, indices: Iterable[int], *, large: bool = False
) -> None:
    """Insert synthetic projects `indices` (and the large project), in one transaction."""
    with engine.begin() as connection:
        builder = _Builder(connection, today)
        for count, k in enumerate(indices, start=1):
            builder.project(k, project_name(k), TYPICAL)
            if count % 100 == 0:
                builder.flush()
        if large:
            builder.project(0, LARGE_NAME, LARGE)
        builder.flush()
        if connection.dialect.name == "postgresql":  # explicit ids: move the sequences on
            for name, table in _tables().items():
                if "id" in table.c and table.c.id.primary_key:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"(SELECT max(id) FROM {name}))"
                        )
                    )


def project_id(engine: Engine, name: str) -> int:
    """The id of the project called `name`."""
    project = _tables()["project"]
    with engine.connect() as connection:
        return connection.execute(select(project.c.id).where(project.c.name == name)).scalar_one()


def count_projects(engine: Engine) -> int:
    project = _tables()["project"]
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(project)).scalar_one()
