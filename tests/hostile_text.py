"""Hostile user text in every free-text field of the demo workspace (issue 13, content injection).

`make_workspace_hostile` seeds the three demo projects through the services, then overwrites
every free-text column (names, ideas, notes, answers, risks, feature names, actors…) with text
that would load an image, keep a link live or start a spreadsheet formula if anything rendered
it as Markdown, HTML, plotly markup or a CSV formula. Enumerations, keys and tokens keep their
values, so every page still works. Each value ends with its row id, so unique names stay unique.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from workbench.demo_data import seed_demo_data
from workbench.domain.timebox import RESEARCH_REVIEW_QUESTIONS
from workbench.domain.workdays import next_working_day
from workbench.models.base import ENUM_MAX
from workbench.services import demos as demo_service
from workbench.services import experiments as experiment_service
from workbench.services import projects as project_service

TRAP_HOST = "127.0.0.1:9"
IMAGE = f"![x](http://{TRAP_HOST}/x.png)"
ANCHOR = f'<a href="http://{TRAP_HOST}/">x</a>'
JAVASCRIPT_LINK = "[link](javascript:alert(1))"
FORMULA = f'=HYPERLINK("http://{TRAP_HOST}/")'
# Starts with a formula character (CSV), then Markdown image, HTML anchor, javascript: link.
HOSTILE = f"{FORMULA} {IMAGE} {ANCHOR} {JAVASCRIPT_LINK}"
# Fits a 120-character name with its row id.
HOSTILE_SHORT = f"{IMAGE} {ANCHOR}"
# Columns that hold keys, tokens or a code's own words, not a person's text.
NOT_USER_TEXT = {
    ("gate_check", "item_key"),
    ("interview", "template_id"),
    ("interview", "token_hash"),
    ("interview_answer", "question_id"),
    ("experiment", "approach_key"),
    ("activity", "action"),
}


def hostile(length: int, row_id: int) -> str:
    """The hostile text that fits a column of `length` characters, ending with the row's id."""
    text = HOSTILE if length >= len(HOSTILE) + 12 else HOSTILE_SHORT
    return f"{text} {row_id}"


def user_text_columns() -> list[tuple[str, str, int]]:
    """(table, column, length) of every free-text column of the schema."""
    import workbench.models  # noqa: F401  (registers every table)

    columns = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if (
                isinstance(getattr(column.type, "impl", column.type), sa.String)
                and length is not None
                and length > ENUM_MAX
                and (table.name, column.name) not in NOT_USER_TEXT
            ):
                columns.append((table.name, column.name, length))
    return columns


def _records_the_demo_lacks(engine: Engine, today: date) -> None:
    """A demo held (feedback, a task), time logged, a box extended and a No-Go: the demo data
    has none, and their text is shown too."""
    project = next(p for p in project_service.list_projects(engine) if p.name.startswith("Ride"))
    feature = demo_service.demo_plan(engine, project.id, today=today).features[0]
    demo_service.record_demo(
        engine,
        project_id=project.id,
        data={"title": "Demo", "held_on": today, "demo_type": "light", "feature": feature.name},
        feedback=[{"attendee": "Ann", "feedback": "Good"}],
        actions=[{"action": "Explain the flag", "becomes": "feature task"}],
        actor="Ann",
        today=today,
    )
    experiments = [
        view.experiment for view in experiment_service.list_experiments(engine, project.id, today)
    ]
    experiment_service.log_time(
        engine, experiment_id=experiments[0].id, day=today, hours=2, actor="Ann", today=today
    )
    logged = experiment_service.list_experiments(engine, project.id, today)[0].experiment
    experiment_service.decide(
        engine,
        experiment_id=logged.id,
        expected_version=logged.version,
        decision="extend",
        reason="More data",
        new_end=next_working_day(today + timedelta(days=14)),  # any day of the week
        review_answers=["Yes"] * len(RESEARCH_REVIEW_QUESTIONS),
        actor="Ann",
        today=today,
    )
    experiment_service.record_go_no_go(
        engine,
        project_id=project.id,
        expected_project_version=project_service.get_project(engine, project.id).project.version,
        go=False,
        selected_experiment_id=None,
        reasons="Not yet",
        actor="Ann",
    )


def make_workspace_hostile(engine: Engine, *, today: date) -> dict[str, int]:
    """Seed the demo workspace, then put hostile text into every free-text field.

    Returns the number of values replaced per "table.column" (every column listed must have
    had at least one row, or the test would prove nothing about it).
    """
    seed_demo_data(engine, today=today)
    _records_the_demo_lacks(engine, today)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    replaced: dict[str, int] = {}
    with engine.begin() as connection:
        for table_name, column_name, length in user_text_columns():
            table = metadata.tables[table_name]
            keys = list(table.primary_key.columns)
            rows = connection.execute(sa.select(*keys)).all()
            for number, row in enumerate(rows, start=1):
                connection.execute(
                    table.update()
                    .where(*(key == value for key, value in zip(keys, row, strict=True)))
                    .values({column_name: hostile(length, number)})
                )
            replaced[f"{table_name}.{column_name}"] = len(rows)
    return replaced


def unescaped(text: str) -> list[str]:
    """The hostile pieces that appear unescaped in `text` (Markdown or HTML would act on them).

    A piece preceded by a backslash (Markdown's escape) or with its characters escaped does not
    count: `\\<a href` shows as the text `<a href`.
    """
    pieces = {
        "image": r"!\[x\]\(",
        "anchor": r"(?<!\\)<a href",
        "javascript link": r"\]\(javascript:",
        "address": re.escape(f"http://{TRAP_HOST}"),
    }
    found = [name for name, pattern in pieces.items() if re.search(pattern, text)]
    # GitHub-flavoured Markdown links a bare address found after escapes are resolved.
    if f"http://{TRAP_HOST}" in text.replace("\\", "") and "address" not in found:
        found.append("bare address (autolinked)")
    return found
