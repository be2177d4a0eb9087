"""Plan settings, the generated schedule, its accepted baseline, and slips that re-plan it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from workbench import crud
from workbench.domain.demo_schedule import (
    DemoSchedule,
    DemoType,
    ItemKind,
    MovedItem,
    ScheduleItem,
    compare_schedules,
    plan_demo_schedule,
    replan,
)
from workbench.domain.demo_schedule import Feature as PlannedFeature
from workbench.errors import InvalidInput, NotFound
from workbench.models import LONG_TEXT_MAX, DemoPlanSettings, utc_now
from workbench.models import Feature as FeatureRow
from workbench.services.demos._shared import (
    ESTIMATE_MAX_WORKING_DAYS,
    MODEL_TESTING_MAX_WORKING_DAYS,
    UNDEMOED_LIMIT_MAX_WORKING_DAYS,
    PlanSettingsPublic,
    SlipResult,
    _date,
    _feature_public,
    _feature_rows,
    _names_text,
    _project,
    _whole_days,
    parse_holidays,
    split_names,
)
from workbench.services.inputs import log_value as _plain
from workbench.services.inputs import text as _text
from workbench.services.projects import check_actor
from workbench.versioning import check_version, commit, load_for_edit, stale_error

SETTINGS_FIELDS = (
    "start_date",
    "model_testing_days",
    "max_undemoed_days",
    "holidays",
    "light_audience",
    "big_audience",
)
NO_SETTINGS_VERSION = 0
"""The version a page pins for settings not saved yet (so a first save made meanwhile by
someone else makes this user's first save stale)."""


def _settings_public(row: DemoPlanSettings) -> PlanSettingsPublic:
    return PlanSettingsPublic(
        project_id=row.project_id,
        start_date=row.start_date,
        model_testing_days=row.model_testing_days,
        holidays=tuple(sorted(date.fromisoformat(h) for h in row.holidays)),
        max_undemoed_days=row.max_undemoed_days,
        light_audience=row.light_audience,
        big_audience=row.big_audience,
        has_baseline=bool(row.baseline),
        version=row.version,
    )


def _validate_settings(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    start = _date(data.get("start_date"), field="start_date", errors=errors)
    model_testing = _whole_days(
        data.get("model_testing_days"),
        field="model_testing_days",
        errors=errors,
        minimum=1,
        maximum=MODEL_TESTING_MAX_WORKING_DAYS,
        what="model testing",
    )
    max_undemoed = _whole_days(
        data.get("max_undemoed_days"),
        field="max_undemoed_days",
        errors=errors,
        minimum=0,
        maximum=UNDEMOED_LIMIT_MAX_WORKING_DAYS,
        what="the longest gap between demos",
    )
    holidays, bad = parse_holidays(data.get("holidays"))
    if bad:
        errors["holidays"] = (
            f"Not a date: {', '.join(map(repr, bad))}. Write each holiday as YYYY-MM-DD, "
            "one per line."
        )
    audiences = {}
    for field in ("light_audience", "big_audience"):
        text = _names_text(_text(data.get(field)))
        if len(text) > LONG_TEXT_MAX:
            errors[field] = f"Too long: at most {LONG_TEXT_MAX} characters."
        audiences[field] = text
    if errors:
        raise InvalidInput(errors)
    return {
        "start_date": start,
        "model_testing_days": model_testing,
        "max_undemoed_days": max_undemoed,
        "holidays": [h.isoformat() for h in holidays],
        **audiences,
    }


def _stored_settings(row: DemoPlanSettings) -> dict[str, Any]:
    return {field: getattr(row, field) for field in SETTINGS_FIELDS}


def save_plan_settings(
    engine: Engine,
    *,
    project_id: int,
    expected_version: int | None,
    data: Mapping[str, Any],
    actor: str,
) -> PlanSettingsPublic:
    """Save a project's demo plan settings, seen at `expected_version`.

    `expected_version` is None or `NO_SETTINGS_VERSION` when the user saw no settings yet; then
    `data` holds every field: `start_date`, `model_testing_days`, `holidays` (text or a list
    of dates), `max_undemoed_days`, `light_audience` and `big_audience` (names as text). With
    settings stored, `data` may hold only the fields the user changed; the others keep theirs.

    Raises:
        InvalidInput: bad input; nothing stored.
        StaleEditError: the settings changed since `expected_version` (or were created by
            someone else meanwhile); nothing stored.
        NotFound: the settings the user saw were removed meanwhile.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        _project(session, project_id)
        row = session.get(DemoPlanSettings, project_id)
        first_save = row is None
        if row is None:
            if expected_version:
                raise NotFound("These demo plan settings were removed meanwhile; reload the page.")
            values = _validate_settings(data)
            row = DemoPlanSettings(project_id=project_id, **values)
            changes: dict[str, Any] = {key: _plain(value) for key, value in values.items()}
            mine = values
        else:
            values = _validate_settings(_stored_settings(row) | dict(data))
            mine = {key: values[key] for key in data if key in values}
            check_version(session, row, expected_version, mine, public=_settings_public)
            changes = {
                key: [_plain(getattr(row, key)), _plain(value)]
                for key, value in values.items()
                if _plain(getattr(row, key)) != _plain(value)
            }
            if not changes:
                return _settings_public(row)
            row.sqlmodel_update(values)
        session.add(row)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="demo plan settings saved",
            summary="Demo plan: " + ", ".join(k.replace("_", " ") for k in changes) + ".",
            changes=changes,
        )
        try:
            commit(session, row, mine, public=_settings_public)
        except IntegrityError as error:
            # Two first saves crossed: the other one stored the project's one row first.
            session.rollback()
            theirs = session.get(DemoPlanSettings, project_id)
            if not first_save or theirs is None:
                raise
            raise stale_error(session, theirs, mine, public=_settings_public) from error
        session.refresh(row)
        return _settings_public(row)


def _schedule(settings: DemoPlanSettings, features: Sequence[FeatureRow]) -> DemoSchedule:
    return plan_demo_schedule(
        start=settings.start_date,
        model_testing_working_days=settings.model_testing_days,
        features=[
            PlannedFeature(
                name=f.name,
                estimate_working_days=f.estimate_days,
                milestone=f.milestone,
                audience=split_names(f.smes),
            )
            for f in features
        ],
        holidays=[date.fromisoformat(h) for h in settings.holidays],
        light_demo_audience=split_names(settings.light_audience),
        big_demo_audience=split_names(settings.big_audience),
    )


def _item_json(item: ScheduleItem) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "title": item.title,
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "demo_type": item.demo_type.value if item.demo_type else None,
        "audience": list(item.audience),
        "feature": item.feature,
        "shows": item.shows,
    }


def _item_from_json(data: Mapping[str, Any]) -> ScheduleItem:
    return ScheduleItem(
        kind=ItemKind(data["kind"]),
        title=data["title"],
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        demo_type=DemoType(data["demo_type"]) if data.get("demo_type") else None,
        audience=tuple(data.get("audience") or ()),
        feature=data.get("feature"),
        shows=data.get("shows") or "",
    )


def _against_baseline(
    schedule: DemoSchedule, baseline: Sequence[ScheduleItem]
) -> tuple[tuple[MovedItem, ...], tuple[ScheduleItem, ...], tuple[ScheduleItem, ...]]:
    """What moved, what is new and what was dropped since the baseline."""
    if not baseline:
        return (), (), ()
    # compare_schedules reads only the old schedule's items; the plan is the current one.
    moved = compare_schedules(DemoSchedule(plan=schedule.plan, items=tuple(baseline)), schedule)
    before = {item.key for item in baseline}
    now = {item.key for item in schedule.items}
    added = tuple(item for item in schedule.items if item.key not in before)
    dropped = tuple(item for item in baseline if item.key not in now)
    return moved, added, dropped


def accept_plan(
    engine: Engine, *, project_id: int, expected_version: int | None, actor: str
) -> PlanSettingsPublic:
    """Store the current schedule as the baseline later changes are compared with, logging it.

    Raises InvalidInput when no settings are saved yet, StaleEditError when the settings changed
    since `expected_version` (so what is accepted is what the person saw).
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        settings = session.get(DemoPlanSettings, project_id)
        if settings is None:
            raise InvalidInput({"baseline": "Save the plan settings first: there is no schedule."})
        check_version(session, settings, expected_version, public=_settings_public)
        schedule = _schedule(settings, _feature_rows(session, project_id))
        previous = [_item_from_json(item) for item in settings.baseline]
        moved, _, _ = _against_baseline(schedule, previous)
        settings.baseline = [_item_json(item) for item in schedule.items]
        session.add(settings)
        since = f" {len(moved)} item(s) had moved since the previous baseline." if previous else ""
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="demo plan accepted",
            summary=f"Accepted the demo schedule as the baseline: {len(schedule.demos)} demos, "
            f"the last on {schedule.end.isoformat()}.{since}",
            changes={
                "end": schedule.end.isoformat(),
                "demos": len(schedule.demos),
                "moved": [m.item.title for m in moved],
            },
        )
        commit(session, settings, public=_settings_public)
        session.refresh(settings)
        return _settings_public(settings)


def record_slip(
    engine: Engine,
    *,
    project_id: int,
    feature_id: int,
    expected_version: int | None,
    working_days: Any,
    reason: str,
    actor: str,
) -> SlipResult:
    """Record that a feature, seen at `expected_version`, slipped (or finished early, with
    negative days): its estimate grows by `working_days` and every later item moves; returns
    what moved in the current schedule.

    Raises StaleEditError (nothing changed) when the feature changed since `expected_version`.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    days = _whole_days(
        working_days,
        field="working_days",
        errors=errors,
        minimum=-ESTIMATE_MAX_WORKING_DAYS,
        maximum=ESTIMATE_MAX_WORKING_DAYS,
        what="the slip",
    )
    reason = _text(reason)
    if days == 0:
        errors["working_days"] = "A slip of 0 working days changes nothing."
    if len(reason) > LONG_TEXT_MAX:
        errors["reason"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    if errors:
        raise InvalidInput(errors)
    with Session(engine) as session:
        row = load_for_edit(
            session,
            FeatureRow,
            feature_id,
            expected_version,
            what="feature",
            project_id=project_id,
            public=_feature_public,
        )
        new_estimate = row.estimate_days + days
        if not 1 <= new_estimate <= ESTIMATE_MAX_WORKING_DAYS:
            raise InvalidInput(
                {
                    "working_days": f"{row.name!r} is estimated at {row.estimate_days} working "
                    f"days; the new estimate ({new_estimate}) must be between 1 and "
                    f"{ESTIMATE_MAX_WORKING_DAYS}."
                }
            )
        settings = session.get(DemoPlanSettings, project_id)
        moved: tuple[MovedItem, ...] = ()
        if settings is not None:
            schedule = _schedule(settings, _feature_rows(session, project_id))
            moved = replan(schedule, {row.name: days}).moved
        old_estimate = row.estimate_days
        row.estimate_days = new_estimate
        row.updated_at = utc_now()
        session.add(row)
        last = moved[-1] if moved else None
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature slipped",
            summary=f"Feature {row.name!r} {'slipped' if days > 0 else 'came in early'} by "
            f"{abs(days)} working day(s): estimate {old_estimate} → {new_estimate}."
            + (f" {len(moved)} item(s) moved; the last demo is now {last.new_end}." if last else "")
            + (f" Reason: {reason}" if reason else ""),
            changes={
                "feature_id": row.id,
                "estimate_days": [old_estimate, new_estimate],
                "moved": [m.item.title for m in moved],
                "reason": reason,
            },
        )
        commit(session, row, public=_feature_public)
        session.refresh(row)
        return SlipResult(feature=_feature_public(row), moved=moved)
