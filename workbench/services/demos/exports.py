"""The schedule as files: a calendar (.ics), a table (.csv), a slide outline (.pptx)."""

from __future__ import annotations

from datetime import datetime

from workbench.reporting.calendar_export import demo_schedule_to_csv, demo_schedule_to_ics
from workbench.reporting.demo_slides import demo_outline_pptx
from workbench.services.demos._shared import DemoPlanView


def schedule_ics(view: DemoPlanView, *, now: datetime | None = None) -> bytes:
    """The schedule's demos as an iCalendar file (empty calendar without a schedule)."""
    items = view.schedule.items if view.schedule is not None else ()
    return demo_schedule_to_ics(view.project_name, items, project_id=view.project_id, now=now)


def schedule_csv(view: DemoPlanView) -> str:
    """Every schedule item (builds and demos) as CSV text."""
    return demo_schedule_to_csv(view.schedule.items if view.schedule is not None else ())


def schedule_slides(view: DemoPlanView) -> bytes:
    """A ``.pptx`` outline with one slide per demo: the features shown, their goals, questions."""
    items = view.schedule.items if view.schedule is not None else ()
    goals = {f.name: f.description for f in view.features}
    return demo_outline_pptx(view.project_name, items, goals)
