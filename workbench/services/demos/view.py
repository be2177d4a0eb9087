"""The whole Demo plan page of one project, read in one go."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from workbench.domain.demo_schedule import (
    DemoSchedule,
    FeatureDemoHistory,
    ItemKind,
    UndemoedFeature,
    undemoed_features,
    upcoming_demos,
)
from workbench.models import DemoPlanSettings, FeatureStatus
from workbench.models import Feature as FeatureRow
from workbench.services.demos._shared import (
    DEFAULT_MAX_UNDEMOED_DAYS,
    WATCHED_STATUSES,
    DemoPlanView,
    DemoRecord,
    _feature_public,
    _feature_rows,
    _project,
)
from workbench.services.demos.held import _load_demos, _load_tasks
from workbench.services.demos.plan import (
    _against_baseline,
    _item_from_json,
    _schedule,
    _settings_public,
)


def _undemoed(
    features: Sequence[FeatureRow],
    demos: Sequence[DemoRecord],
    schedule: DemoSchedule | None,
    settings: DemoPlanSettings | None,
    today: date,
) -> tuple[UndemoedFeature, ...]:
    """Features being built or shown whose last demo (or build start) is too long ago."""
    last_demo: dict[int, date] = {}
    for demo in demos:
        if demo.feature_id is not None and demo.held_on > last_demo.get(demo.feature_id, date.min):
            last_demo[demo.feature_id] = demo.held_on
    build_start = {}
    if schedule is not None:
        build_start = {
            item.feature: item.start
            for item in schedule.items
            if item.kind is ItemKind.BUILD and item.feature is not None
        }
    histories = [
        FeatureDemoHistory(
            feature=f.name,
            last_demo_on=last_demo.get(f.id),
            work_started_on=build_start.get(f.name),
        )
        for f in features
        if FeatureStatus(f.status) in WATCHED_STATUSES
    ]
    limit = settings.max_undemoed_days if settings is not None else DEFAULT_MAX_UNDEMOED_DAYS
    holidays = [date.fromisoformat(h) for h in settings.holidays] if settings is not None else []
    return undemoed_features(histories, today, limit, holidays)


def demo_plan(engine: Engine, project_id: int, *, today: date) -> DemoPlanView:
    """Everything the Demo plan page shows: features, settings, the schedule against its
    baseline, upcoming demos, undemoed features and demos held.
    """
    with Session(engine) as session:
        project = _project(session, project_id)
        features = _feature_rows(session, project_id)
        settings = session.get(DemoPlanSettings, project_id)
        demos = _load_demos(session, project_id, features)
        schedule = _schedule(settings, features) if settings is not None else None
        baseline = tuple(_item_from_json(i) for i in settings.baseline) if settings else ()
        moved, added, dropped = (
            _against_baseline(schedule, baseline) if schedule is not None else ((), (), ())
        )
        return DemoPlanView(
            project_id=project_id,
            project_name=project.name,
            features=tuple(_feature_public(f) for f in features),
            settings=_settings_public(settings) if settings is not None else None,
            schedule=schedule,
            baseline=baseline,
            moved=moved,
            added=added,
            dropped=dropped,
            upcoming=upcoming_demos(schedule.items, today) if schedule is not None else (),
            undemoed=_undemoed(features, demos, schedule, settings, today),
            demos=demos,
            tasks=tuple(_load_tasks(session, features)),
        )
