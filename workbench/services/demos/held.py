"""Demos held: feedback per attendee, and the actions that came out of them (a task on a
feature, or an idea parked and linked back to the demo); ticking feature tasks done."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workbench import crud
from workbench.domain.demo_schedule import DemoType
from workbench.errors import InvalidInput, NotFound, field_errors
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Demo,
    DemoFeedback,
    FeatureTask,
    ParkingLotItem,
    SourceKind,
)
from workbench.models import Feature as FeatureRow
from workbench.models.demos import DemoCreate, name_key
from workbench.services.demos._shared import (
    ActionOutcome,
    DemoActionResult,
    DemoRecord,
    FeatureTaskPublic,
    FeedbackPublic,
    _feature_rows,
    _names_text,
    _project,
    _task_public,
)
from workbench.services.inputs import is_blank as _missing
from workbench.services.inputs import text as _text
from workbench.services.projects import check_actor
from workbench.services.registers import ParkingLotCreate, ParkingLotPublic


@dataclass(frozen=True)
class _Action:
    text: str
    outcome: ActionOutcome
    feature: FeatureRow | None
    why_deferred: str


def _feature_by_name(rows: Sequence[FeatureRow], name: str) -> FeatureRow | None:
    key = name.strip().casefold()
    return next((r for r in rows if r.name.casefold() == key), None)


def _validate_feedback(rows: Iterable[Mapping[str, Any]]) -> tuple[list[FeedbackPublic], dict]:
    valid: list[FeedbackPublic] = []
    errors: dict[str, str] = {}
    for index, row in enumerate(rows):
        attendee, said = _text(row.get("attendee")), _text(row.get("feedback"))
        prefix = f"feedback[{index + 1}]."
        if not said:
            continue  # an attendee without feedback attended and had nothing to add
        if not attendee:
            errors[prefix + "attendee"] = "Required: who gave this feedback?"
        elif len(attendee) > SHORT_TEXT_MAX:
            errors[prefix + "attendee"] = f"Too long: at most {SHORT_TEXT_MAX} characters."
        if len(said) > LONG_TEXT_MAX:
            errors[prefix + "feedback"] = f"Too long: at most {LONG_TEXT_MAX} characters."
        if attendee and not any(key.startswith(prefix) for key in errors):
            valid.append(FeedbackPublic(attendee=attendee, feedback=said))
    return valid, errors


def _validate_action(
    row: Mapping[str, Any],
    prefix: str,
    features: Sequence[FeatureRow],
    default_feature: FeatureRow | None,
    errors: dict[str, str],
) -> _Action | None:
    text = _text(row.get("action"))
    becomes = _text(row.get("becomes"))
    feature_name = _text(row.get("feature"))
    why_deferred = _text(row.get("why_deferred"))
    if not text:
        errors[prefix + "action"] = "Required: what is the action?"
    elif len(text) > LONG_TEXT_MAX:
        errors[prefix + "action"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    if len(why_deferred) > LONG_TEXT_MAX:
        errors[prefix + "why_deferred"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    outcome = None
    try:
        outcome = ActionOutcome(becomes)
    except ValueError:
        errors[prefix + "becomes"] = (
            f"Choose what it becomes: {ActionOutcome.FEATURE_TASK.value} or "
            f"{ActionOutcome.PARKING_LOT.value}."
        )
    feature = None
    if feature_name:
        feature = _feature_by_name(features, feature_name)
        if feature is None:
            errors[prefix + "feature"] = f"There is no feature called {feature_name!r}."
    elif outcome is ActionOutcome.FEATURE_TASK:
        feature = default_feature
        if feature is None:
            errors[prefix + "feature"] = "Choose the feature this task is for."
    if any(key.startswith(prefix) for key in errors) or outcome is None:
        return None
    return _Action(text=text, outcome=outcome, feature=feature, why_deferred=why_deferred)


def _demo_label(demo: Demo) -> str:
    return f"demo {demo.title!r} on {demo.held_on.isoformat()}"


def _apply_action(
    session: Session, *, project_id: int, demo: Demo, action: _Action, actor: str
) -> DemoActionResult:
    """Turn one validated action into a feature task or a parked idea linked to `demo`."""
    if action.outcome is ActionOutcome.FEATURE_TASK:
        task = FeatureTask(
            feature_id=action.feature.id,
            text=action.text,
            source_demo_id=demo.id,
            created_by=actor,
        )
        session.add(task)
        session.flush()
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature task added",
            summary=f"Task on {action.feature.name!r}: {action.text[:200]} "
            f"(from {_demo_label(demo)})",
            changes={"task_id": task.id, "feature_id": action.feature.id, "demo_id": demo.id},
        )
        return DemoActionResult(task=_task_public(task, action.feature.name))
    idea = action.text
    if action.feature is not None:
        idea = f"{idea} (feature: {action.feature.name})"
    item_in = ParkingLotCreate(
        idea=idea[:LONG_TEXT_MAX],
        raised_by=actor,
        why_deferred=action.why_deferred,
        source_kind=SourceKind.DEMO,
        source_id=demo.id,
        source_label=_demo_label(demo)[:SHORT_TEXT_MAX],
    )
    item = ParkingLotItem(project_id=project_id, **item_in.model_dump())
    session.add(item)
    session.flush()
    crud.record_activity(
        session,
        project_id=project_id,
        actor=actor,
        action="idea parked",
        summary=f"Parked: {item.idea[:200]} (from {item.source_label})",
        changes={"parking_lot_item_id": item.id, "source": SourceKind.DEMO.value},
    )
    session.refresh(item)
    return DemoActionResult(parked=ParkingLotPublic.model_validate(item))


def _recorded_twin(session: Session, project_id: int, title: str, held_on: date) -> Demo | None:
    """A demo of this project already recorded with this title (ignoring case and spaces, as
    the unique index compares them) on this day."""
    return session.exec(
        select(Demo).where(
            Demo.project_id == project_id,
            Demo.held_on == held_on,
            Demo.title_key == name_key(title),
        )
    ).first()


def _twin_message(twin: Demo) -> str:
    return (
        f"{twin.title!r} held on {twin.held_on.isoformat()} is already recorded (by "
        f"{twin.recorded_by}); nothing was stored twice. Change the title or the date "
        "if this was another demo."
    )


def record_demo(
    engine: Engine,
    *,
    project_id: int,
    data: Mapping[str, Any],
    feedback: Iterable[Mapping[str, Any]] = (),
    actions: Iterable[Mapping[str, Any]] = (),
    actor: str,
    today: date,
) -> DemoRecord:
    """Record a demo held, its feedback per attendee and its actions, in one transaction.

    Args:
        data: `title`, `held_on` (not after `today`), `demo_type` (light or big), `format`,
            `audience`, `shown`, `decisions` and optionally `feature` (a feature's name).
        feedback: rows of `attendee` and `feedback`; rows without feedback are skipped.
        actions: rows of `action`, `becomes` ("feature task" or "parking lot"), `feature` (a
            task defaults to the demo's feature) and `why_deferred` (for parked ideas). Blank
            rows are skipped. Each becomes a task or a parked idea linked back to the demo.

    Raises:
        InvalidInput: bad fields (`feedback[i].…`, `actions[i].…` for table rows), or a demo of
            the same title on the same day is recorded already (by someone else meanwhile, or a
            second click); nothing stored.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    demo_in = None
    try:
        demo_in = DemoCreate.model_validate(
            {
                key: data.get(key)
                for key in ("title", "held_on", "demo_type", "format", "audience", "shown")
                if not _missing(data.get(key))
            }
            | {"decisions": _text(data.get("decisions"))}
        )
    except ValidationError as error:
        errors.update(field_errors(error))
    if demo_in is not None and demo_in.held_on > today:
        errors["held_on"] = (
            f"Record a demo once it is held: {demo_in.held_on.isoformat()} is after today "
            f"({today.isoformat()})."
        )
    valid_feedback, feedback_errors = _validate_feedback(feedback)
    errors.update(feedback_errors)
    with Session(engine) as session:
        _project(session, project_id)
        features = _feature_rows(session, project_id)
        feature = None
        feature_name = _text(data.get("feature"))
        if feature_name:
            feature = _feature_by_name(features, feature_name)
            if feature is None:
                errors["feature"] = f"There is no feature called {feature_name!r}."
        valid_actions = []
        for index, row in enumerate(actions):
            if all(_missing(row.get(k)) for k in ("action", "feature", "why_deferred")):
                continue
            action = _validate_action(row, f"actions[{index + 1}].", features, feature, errors)
            if action is not None:
                valid_actions.append(action)
        if demo_in is not None and "title" not in errors:
            twin = _recorded_twin(session, project_id, demo_in.title, demo_in.held_on)
            if twin is not None:
                errors["title"] = _twin_message(twin)
        if errors or demo_in is None:
            raise InvalidInput(errors)
        demo = Demo(
            project_id=project_id,
            feature_id=feature.id if feature else None,
            recorded_by=actor,
            **demo_in.model_dump()
            | {"audience": _names_text(demo_in.audience), "demo_type": demo_in.demo_type.value},
        )
        session.add(demo)
        try:
            session.flush()
        except IntegrityError as error:  # the same demo recorded by someone else a moment ago
            session.rollback()
            twin = _recorded_twin(session, project_id, demo_in.title, demo_in.held_on)
            if twin is None:
                raise
            raise InvalidInput({"title": _twin_message(twin)}) from error
        for item in valid_feedback:
            session.add(
                DemoFeedback(demo_id=demo.id, attendee=item.attendee, feedback=item.feedback)
            )
        results = [
            _apply_action(session, project_id=project_id, demo=demo, action=a, actor=actor)
            for a in valid_actions
        ]
        tasks = tuple(r.task for r in results if r.task is not None)
        parked = tuple(r.parked for r in results if r.parked is not None)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="demo recorded",
            summary=f"{DemoType(demo.demo_type).value.capitalize()} demo {demo.title!r} held on "
            f"{demo.held_on.isoformat()}: {len(valid_feedback)} feedback, {len(tasks)} task(s), "
            f"{len(parked)} parked idea(s)."
            + (f" Decisions: {demo.decisions[:300]}" if demo.decisions else ""),
            changes={
                "demo_id": demo.id,
                "feature": feature.name if feature else None,
                "feedback_from": [f.attendee for f in valid_feedback],
                "task_ids": [t.id for t in tasks],
                "parking_lot_item_ids": [p.id for p in parked],
            },
        )
        session.commit()
        session.refresh(demo)
        return _demo_record(demo, feature.name if feature else "", valid_feedback, tasks, parked)


def _demo_record(
    demo: Demo,
    feature_name: str,
    feedback: Sequence[FeedbackPublic],
    tasks: Sequence[FeatureTaskPublic],
    parked: Sequence[ParkingLotPublic],
) -> DemoRecord:
    return DemoRecord(
        id=demo.id,
        title=demo.title,
        held_on=demo.held_on,
        demo_type=DemoType(demo.demo_type),
        format=demo.format,
        audience=demo.audience,
        shown=demo.shown,
        decisions=demo.decisions,
        feature_id=demo.feature_id,
        feature_name=feature_name,
        recorded_by=demo.recorded_by,
        recorded_at=demo.recorded_at,
        feedback=tuple(feedback),
        tasks=tuple(tasks),
        parked=tuple(parked),
    )


def add_demo_action(
    engine: Engine, *, project_id: int, demo_id: int, data: Mapping[str, Any], actor: str
) -> DemoActionResult:
    """Turn one more action from a demo held into a feature task or a parked idea, in one step.

    `data` holds `action`, `becomes`, `feature` and `why_deferred` as in `record_demo`.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        demo = session.get(Demo, demo_id)
        if demo is None or demo.project_id != project_id:
            raise NotFound(f"Demo {demo_id} is not on this project.")
        features = _feature_rows(session, project_id)
        default = next((f for f in features if f.id == demo.feature_id), None)
        errors: dict[str, str] = {}
        action = _validate_action(data, "", features, default, errors)
        if errors or action is None:
            raise InvalidInput(errors)
        result = _apply_action(
            session, project_id=project_id, demo=demo, action=action, actor=actor
        )
        session.commit()
        return result


def _load_demos(
    session: Session, project_id: int, features: Sequence[FeatureRow]
) -> tuple[DemoRecord, ...]:
    demos = list(
        session.exec(
            select(Demo)
            .where(Demo.project_id == project_id)
            .order_by(col(Demo.held_on).desc(), col(Demo.id).desc())
        ).all()
    )
    if not demos:
        return ()
    ids = [d.id for d in demos]
    names = {f.id: f.name for f in features}
    feedback: dict[int, list[FeedbackPublic]] = {}
    for row in session.exec(
        select(DemoFeedback)
        .where(col(DemoFeedback.demo_id).in_(ids))
        .order_by(col(DemoFeedback.id))
    ):
        feedback.setdefault(row.demo_id, []).append(FeedbackPublic(row.attendee, row.feedback))
    tasks: dict[int, list[FeatureTaskPublic]] = {}
    for row in session.exec(
        select(FeatureTask)
        .where(col(FeatureTask.source_demo_id).in_(ids))
        .order_by(col(FeatureTask.id))
    ):
        tasks.setdefault(row.source_demo_id, []).append(
            _task_public(row, names.get(row.feature_id, ""))
        )
    parked: dict[int, list[ParkingLotPublic]] = {}
    for row in session.exec(
        select(ParkingLotItem)
        .where(
            ParkingLotItem.project_id == project_id,
            ParkingLotItem.source_kind == SourceKind.DEMO.value,
            col(ParkingLotItem.source_id).in_(ids),
        )
        .order_by(col(ParkingLotItem.id))
    ):
        parked.setdefault(row.source_id, []).append(ParkingLotPublic.model_validate(row))
    return tuple(
        _demo_record(
            d,
            names.get(d.feature_id, ""),
            feedback.get(d.id, ()),
            tasks.get(d.id, ()),
            parked.get(d.id, ()),
        )
        for d in demos
    )


def _load_tasks(session: Session, features: Sequence[FeatureRow]) -> list[FeatureTaskPublic]:
    """Every task on `features`: open first, then in build order and age."""
    if not features:
        return []
    order = {f.id: f.position for f in features}
    names = {f.id: f.name for f in features}
    rows = session.exec(
        select(FeatureTask)
        .where(col(FeatureTask.feature_id).in_(list(order)))
        .order_by(col(FeatureTask.id))
    ).all()
    tasks = [_task_public(row, names[row.feature_id]) for row in rows]
    return sorted(tasks, key=lambda t: (t.done, order[t.feature_id], t.id))


def save_task_status(
    engine: Engine, *, project_id: int, changes: Sequence[Mapping[str, Any]], actor: str
) -> int:
    """Tick feature tasks done (or open them again): `changes` holds only the rows one user
    changed, each `id` and `done`; the others are left as they are. Returns how many changed.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        count = 0
        for change in changes:
            task_id, done = change.get("id"), bool(change.get("done"))
            task = session.get(FeatureTask, task_id)
            feature = session.get(FeatureRow, task.feature_id) if task is not None else None
            if task is None or feature is None or feature.project_id != project_id:
                raise NotFound(f"Task {task_id} is not on this project any more.")
            if task.done == done:
                continue
            task.done = done
            session.add(task)
            count += 1
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="feature task done" if done else "feature task reopened",
                summary=f"Task on {feature.name!r}: {task.text[:200]}",
                changes={"task_id": task_id, "done": [not done, done]},
            )
        session.commit()
        return count
