"""The portfolio's portfolio-wide queries, against SQLite and PostgreSQL: the overdue time boxes
and the parked ideas due for review are the ones each project's own page flags (the rule the
portfolio used to apply row by row), on a small fixed portfolio at pinned dates; and the flags
render compactly, one summary per kind whatever the number of flagged projects."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import streamlit as st
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from tests.dates import TODAY
from workbench.config import DATABASE_URL_VARIABLE
from workbench.domain.timebox import TimeBox, prototype_end
from workbench.domain.workdays import add_working_days, next_working_day
from workbench.models import Experiment, TimeBoxExtension, utc_now
from workbench.services import experiments as experiment_service
from workbench.services import parking_lot as lot
from workbench.services import projects as project_service
from workbench.services.experiments.overdue import _box_end
from workbench.ui import portfolio_flags

# Lengths (research, prototype) in working days, and starts relative to the pinned day: every
# weekday and weekend day, boxes ending before, on and after the days the checks are made.
LENGTHS = [(1, 1), (2, 3), (5, 5), (3, 9), (13, 7)]
START_OFFSETS = [-45, -30, -22, -16, -15, -14, -13, -12, -11, -10, -9, -8, -6, -3, -1, 0, 2]


def make_project(engine, name: str):
    return project_service.create_project(engine, data={"name": name}, actor="Ann", today=TODAY)


def add_experiment(engine, project, index: int, start: date, lengths: tuple[int, int]):
    return experiment_service.create_experiment(
        engine,
        project_id=project.id,
        data={
            "approach": f"Approach {index}",
            "success_criterion": "Beats the 3x-median rule",
            "start_date": start,
            "research_days": lengths[0],
            "prototype_days": lengths[1],
        },
        actor="Ann",
    )


def fixed_portfolio(engine) -> list[int]:
    """Three projects; experiments of every length and start, some extended (once or twice),
    some decided. Returns the project ids."""
    projects = [make_project(engine, name) for name in ("beta", "Alpha", "gamma")]
    created = []
    for offset in START_OFFSETS:
        for lengths in LENGTHS:
            index = len(created) + 1
            start = TODAY + timedelta(days=offset)
            experiment = add_experiment(engine, projects[index % 3], index, start, lengths)
            created.append((index, experiment.id, lengths))
    with Session(engine) as session:
        for index, experiment_id, lengths in created:
            experiment = session.get(Experiment, experiment_id)
            if index % 7 == 0:
                experiment.status = "decided"
                experiment.decision = "cull"
                experiment.decided_at = utc_now()
                session.add(experiment)
            extensions = 2 if index % 11 == 0 else 1 if index % 4 == 0 else 0
            end = prototype_end(TimeBox(experiment.start_date, *lengths))
            for _ in range(extensions):
                new_end = add_working_days(next_working_day(end), 1 + index % 6)
                session.add(
                    TimeBoxExtension(
                        experiment_id=experiment.id,
                        reason="More data came in",
                        previous_end=end,
                        new_end=new_end,
                        extended_by="Ann",
                    )
                )
                end = new_end
        session.commit()
    return [project.id for project in projects]


def old_rule_overdue(engine, project_ids, today: date) -> list[tuple]:
    """What each project's Experiments page flags as due a decision (the domain's time box)."""
    names = project_service.project_names(engine)
    flagged = []
    for project_id in project_ids:
        for view in experiment_service.list_experiments(engine, project_id, today):
            if view.due_decision:
                state = view.time_box
                flagged.append(
                    (
                        names[project_id].lower(),
                        view.experiment.id,
                        project_id,
                        view.experiment.approach,
                        state.overall_end,
                        state.burn_percent,
                        state.overrun_working_days,
                    )
                )
    return sorted(flagged)


@pytest.mark.parametrize("days", [0, 1, 2, 3, 4, 5, 6, 10])
def test_overdue_boxes_are_those_each_project_page_flags(engine, days):
    """On the pinned day and the week after it (weekend days included), the portfolio's one
    query returns exactly the boxes each Experiments page flags, with their end, burn and
    overrun, in the portfolio's order (project name, then experiment)."""
    project_ids = fixed_portfolio(engine)
    today = TODAY + timedelta(days=days)
    overdue = experiment_service.overdue_experiments(engine, today)
    got = [
        (
            o.project_name.lower(),
            o.experiment_id,
            o.project_id,
            o.approach,
            o.overall_end,
            o.burn_percent,
            o.overrun_working_days,
        )
        for o in overdue
    ]
    assert got == old_rule_overdue(engine, project_ids, today)
    assert got, "the fixed portfolio has boxes overdue on every day checked"


def test_overdue_boxes_skip_decided_and_not_yet_due(engine):
    project = make_project(engine, "Ride time")
    ends_today = add_experiment(engine, project, 1, TODAY - timedelta(days=40), (1, 1))
    add_experiment(engine, project, 2, TODAY + timedelta(days=1), (2, 2))
    decided = add_experiment(engine, project, 3, TODAY - timedelta(days=40), (1, 1))
    with Session(engine) as session:
        row = session.get(Experiment, decided.id)
        row.status, row.decision, row.decided_at = "decided", "select", utc_now()
        session.add(row)
        session.commit()
    overdue = experiment_service.overdue_experiments(engine, TODAY)
    assert [o.experiment_id for o in overdue] == [ends_today.id]


def test_box_end_in_constant_time_matches_counting_day_by_day():
    for offset in range(21):  # three weeks of starts: every weekday and weekend day
        start = date(2026, 11, 16) + timedelta(days=offset)
        for days in range(1, 140):
            assert _box_end(start, days) == add_working_days(start, days), (
                start,
                days,
            )


def test_due_ideas_are_those_each_parking_lot_flags(engine):
    projects = [make_project(engine, name) for name in ("beta", "Alpha")]
    project_service_phase = projects[1].phase
    for index in range(12):
        project = projects[index % 2]
        item = lot.add_item(
            engine,
            project_id=project.id,
            data={
                "idea": f"Idea {index}",
                "revisit_on": TODAY + timedelta(days=index - 6) if index % 3 else None,
                "revisit_phase": project_service_phase.value if index % 5 == 0 else None,
            },
            actor="Ann",
        )
        if index % 4 == 1:
            lot.update_items(
                engine,
                project_id=project.id,
                edits=[{"id": item.id, "version": item.version, "status": "dropped"}],
                actor="Ann",
            )
    expected = sorted(
        (project.name.lower(), row.item.id, row.due_reason)
        for project in projects
        for row in lot.list_items(engine, project.id, TODAY)
        if row.due
    )
    got = [
        (due.project_name.lower(), due.item_id, due.due_reason)
        for due in lot.due_parking_lot_items(engine, TODAY)
    ]
    assert got == expected
    assert got


# --- The compact flags (workbench/ui/portfolio_flags.py) ----------------------------------------


class Flag:
    def __init__(self, project_id: int, project_name: str, title: str) -> None:
        self.project_id, self.project_name, self.title = project_id, project_name, title


def test_flags_group_by_project_most_first_and_only_shown_projects():
    flags = [
        Flag(1, "beta", "a"),
        Flag(2, "Alpha", "b"),
        Flag(1, "beta", "c"),
        Flag(3, "hidden", "d"),
        Flag(4, "alpha 2", "e"),
    ]
    grouped = portfolio_flags.group_flags(flags, shown={1, 2, 4})
    assert [(p.project_id, p.titles) for p in grouped] == [
        (1, ("a", "c")),
        (2, ("b",)),
        (4, ("e",)),
    ]


@pytest.fixture
def flags_app(sqlite_url, monkeypatch):
    monkeypatch.setenv(DATABASE_URL_VARIABLE, sqlite_url)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield sqlite_url
    st.cache_resource.clear()
    st.cache_data.clear()


def _flags_script():
    import streamlit as st

    from workbench.ui.portfolio_flags import render_portfolio_flags

    render_portfolio_flags(st.session_state["shown"])


def test_many_flagged_projects_render_one_summary_and_open_the_chosen_one(flags_app, monkeypatch):
    """Twelve projects with an overdue box: one warning (counts only, no project name in
    Markdown), one table of twelve rows, and the chosen project opens on its Experiments page."""
    from workbench.db import make_engine

    engine = make_engine(flags_app)
    ids = []
    for index in range(12):
        project = make_project(engine, f"**Project {index:02d}**")
        add_experiment(engine, project, index, TODAY - timedelta(days=40), (1, 1))
        ids.append(project.id)
    hidden = make_project(engine, "Not shown")
    add_experiment(engine, hidden, 99, TODAY - timedelta(days=40), (1, 1))
    engine.dispose()
    opened = []
    monkeypatch.setattr(
        portfolio_flags, "open_project", lambda pid, page: opened.append((pid, page))
    )

    at = AppTest.from_function(_flags_script, default_timeout=30)
    at.session_state["shown"] = ids
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [
        "12 experiment(s) overdue for a decision in 12 project(s)."
    ]
    assert len(at.dataframe) == 1
    assert sorted(at.dataframe[0].value["Project"]) == [f"**Project {i:02d}**" for i in range(12)]
    assert len(at.button) == 1 and at.button[0].disabled

    at.selectbox[0].select(ids[5]).run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert opened == [(ids[5], "pages/team/experiments.py")]
