"""Time boxes across the portfolio: the undecided experiments due a decision (one query), and
the experiments as the timeline charts draw them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, and_, func, or_
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, select

from workbench.charts.experiments import TimelineEntry
from workbench.domain.experiments import ExperimentStatus
from workbench.domain.workdays import is_working_day, working_day_on_or_after, working_days_between
from workbench.models import Experiment, Project, TimeBoxExtension
from workbench.services.experiments.common import ExperimentView


@dataclass(frozen=True)
class OverdueExperiment:
    """An undecided experiment whose time box is due a decision (for the portfolio)."""

    project_id: int
    project_name: str
    experiment_id: int
    approach: str
    owner: str
    overall_end: date
    burn_percent: float
    overrun_working_days: int

    @property
    def title(self) -> str:
        """What a warning names: the approach."""
        return self.approach


def _box_end(start: date, working_days: int) -> date:
    """The last day of a box of `working_days` working days from `start` (no holidays), in
    constant time: ``add_working_days`` without its walk from day to day."""
    first = start + timedelta(days=7 - start.weekday()) if start.weekday() >= 5 else start
    weeks, rest = divmod(working_days - 1, 5)
    end = first + timedelta(weeks=weeks, days=rest)
    return end + timedelta(days=2) if first.weekday() + rest >= 5 else end


class _days_after(FunctionElement):
    """``day + days`` (a date column plus a whole number of days) as a date, in SQL."""

    type = Date()
    name = "days_after"
    inherit_cache = True


@compiles(_days_after)
def _days_after_sqlite(element: _days_after, compiler: Any, **kw: Any) -> str:
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, '+' || ({days}) || ' days')"


@compiles(_days_after, "postgresql")
def _days_after_postgresql(element: _days_after, compiler: Any, **kw: Any) -> str:
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({day} + ({days}))"


def overdue_experiments(engine: Engine, today: date) -> list[OverdueExperiment]:
    """Every undecided experiment, in all projects, whose box is due a decision on `today`.

    A box is due once `today` reaches its overall end (the latest extension's end, else the
    end of its research and prototype days). One query, which keeps only the boxes that can be
    due: extended ones whose latest end is past, and the others whose start is at least as far
    back as their working days can possibly span (n working days cover at least
    ``n - 1 + 2·⌊(n - 1) / 5⌋`` calendar days). Only those rows are read, and only the columns
    the portfolio needs; their ends, burn and overrun are then counted arithmetically, with the
    domain's rule (``timebox.status``: due when elapsed ≥ total working days).
    """
    last_end = (
        select(
            col(TimeBoxExtension.experiment_id).label("experiment_id"),
            func.max(TimeBoxExtension.new_end).label("new_end"),
        )
        .group_by(col(TimeBoxExtension.experiment_id))
        .subquery()
    )
    span = col(Experiment.research_days) + col(Experiment.prototype_days) - 1
    statement = (
        select(
            Experiment.id,
            Experiment.project_id,
            Experiment.approach,
            Experiment.owner,
            Experiment.start_date,
            Experiment.research_days,
            Experiment.prototype_days,
            Project.name,
            last_end.c.new_end,
        )
        .join(Project, col(Project.id) == col(Experiment.project_id))
        .outerjoin(last_end, last_end.c.experiment_id == col(Experiment.id))
        .where(
            Experiment.status != ExperimentStatus.DECIDED.value,
            or_(
                last_end.c.new_end <= today,
                and_(
                    last_end.c.new_end.is_(None),
                    _days_after(col(Experiment.start_date), span + 2 * (span // 5)) <= today,
                ),
            ),
        )
        .order_by(func.lower(Project.name), col(Experiment.id))
    )
    with Session(engine) as session:
        rows = session.exec(statement).all()
    elapsed_today = 1 if is_working_day(today) else 0
    overdue: list[OverdueExperiment] = []
    for (
        experiment_id,
        project_id,
        approach,
        owner,
        start,
        research_days,
        prototype_days,
        project_name,
        extended_end,
    ) in rows:
        end = extended_end or _box_end(start, research_days + prototype_days)
        first = working_day_on_or_after(start)
        total = working_days_between(first, end) + 1
        elapsed = working_days_between(first, today) + elapsed_today if today >= first else 0
        if elapsed < total:  # timebox.status: due from 100 % burn on
            continue
        overdue.append(
            OverdueExperiment(
                project_id=project_id,
                project_name=project_name,
                experiment_id=experiment_id,
                approach=approach,
                owner=owner,
                overall_end=end,
                burn_percent=elapsed * 100 / total,
                overrun_working_days=max(0, elapsed - total),
            )
        )
    return overdue


def timeline_entries(views: Sequence[ExperimentView]) -> list[TimelineEntry]:
    """The experiments as the Gantt and burn charts draw them, in the given order."""
    return [
        TimelineEntry(
            label=v.experiment.approach,
            status=v.experiment.status.value,
            state=v.time_box,
            extensions=tuple((e.previous_end, e.new_end) for e in v.extensions),
            decision=v.experiment.decision.value if v.experiment.decision else None,
        )
        for v in views
    ]
