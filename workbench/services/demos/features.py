"""MVP features in build order: add, save the edited table (changed rows only, each at the
version its user saw), move one place, remove."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NoReturn

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from workbench import crud
from workbench.errors import InvalidInput, NotFound, StaleEditError, field_errors
from workbench.models import Feature as FeatureRow
from workbench.models import FeatureStatus, utc_now
from workbench.models.demos import FeatureInput, name_key
from workbench.services.demos._shared import (
    ESTIMATE_MAX_WORKING_DAYS,
    FEATURE_FIELDS,
    FeaturePublic,
    FeatureTablesSaved,
    _feature_public,
    _feature_rows,
    _names_text,
    _project,
    _scalar,
    _whole_days,
)
from workbench.services.inputs import is_blank as _missing
from workbench.services.inputs import log_value as _plain
from workbench.services.inputs import text as _text
from workbench.services.projects import check_actor
from workbench.versioning import commit, conflicts, load_for_edit


def _validate_feature(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Validate one feature's fields; raises InvalidInput with `prefix`ed field names."""
    errors: dict[str, str] = {}
    raw = {
        "name": _text(data.get("name")),
        "description": _text(data.get("description")),
        "owner": _text(data.get("owner")),
        "smes": _names_text(_text(data.get("smes"))),
        "status": FeatureStatus.PLANNED
        if _missing(data.get("status"))
        else _text(data.get("status")),
        "milestone": False if _missing(data.get("milestone")) else _scalar(data["milestone"]),
    }
    values: dict[str, Any] = {}
    try:
        values = FeatureInput.model_validate(raw).model_dump()
    except ValidationError as error:
        errors.update(field_errors(error, prefix=prefix))
    if not raw["name"]:
        errors[f"{prefix}name"] = "Required: every feature needs a name."
    estimate = _whole_days(
        data.get("estimate_days"),
        field=f"{prefix}estimate_days",
        errors=errors,
        minimum=1,
        maximum=ESTIMATE_MAX_WORKING_DAYS,
        what="the estimate",
    )
    if errors:
        raise InvalidInput(errors)
    values["estimate_days"] = estimate
    return values


def _name_taken(name: str) -> str:
    return f"A feature called {name!r} is already in the list; names must differ."


def _check_unique_names(names: Sequence[tuple[str, str]]) -> None:
    """Refuse repeated feature names (ignoring case and spaces, as the unique index compares
    them); `names` pairs each name with its field."""
    seen: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, field in names:
        key = name_key(name)
        if key in seen:
            errors[field] = _name_taken(name)
        seen.setdefault(key, field)
    if errors:
        raise InvalidInput(errors)


def _refuse_names_taken_meanwhile(
    session: Session,
    project_id: int,
    wanted: Sequence[tuple[int | None, str, str]],
    error: IntegrityError,
) -> NoReturn:
    """After the unique index refused a write: raise InvalidInput, in the words of the check,
    for each name (`wanted`: feature id or None for a new one, name, field) that another save
    stored meanwhile; re-raise `error` (a fault) when no name explains it."""
    session.rollback()
    stored = {row.name_key: row.id for row in _feature_rows(session, project_id)}
    errors = {
        field: _name_taken(name)
        for feature_id, name, field in wanted
        if stored.get(name_key(name), feature_id) != feature_id
    }
    if not errors:
        raise error
    raise InvalidInput(errors) from error


def _diff(row: FeatureRow, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [_plain(getattr(row, key)), _plain(value)]
        for key, value in values.items()
        if _plain(getattr(row, key)) != _plain(value)
    }


def _renumber(rows: Sequence[FeatureRow]) -> bool:
    """Give `rows` positions 0, 1, 2… in their order; True if any position changed."""
    changed = False
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.updated_at = utc_now()
            changed = True
    return changed


def create_feature(
    engine: Engine, *, project_id: int, data: Mapping[str, Any], actor: str
) -> FeaturePublic:
    """Validate and add a feature at the end of the build order, logging it."""
    actor = check_actor(actor)
    values = _validate_feature(data)
    with Session(engine) as session:
        _project(session, project_id)
        rows = _feature_rows(session, project_id)
        _check_unique_names([*((r.name, "existing") for r in rows), (values["name"], "name")])
        row = FeatureRow(project_id=project_id, position=len(rows), **values)
        session.add(row)
        try:
            session.flush()
        except IntegrityError as error:  # the same name added by someone else a moment ago
            _refuse_names_taken_meanwhile(session, project_id, [(None, row.name, "name")], error)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature added",
            summary=f"Feature {row.name!r} ({row.estimate_days} working days) added as "
            f"number {len(rows) + 1} in the build order.",
            changes={"feature_id": row.id, **{k: _plain(v) for k, v in values.items()}},
        )
        try:
            session.commit()
        except IntegrityError as error:
            _refuse_names_taken_meanwhile(session, project_id, [(None, row.name, "name")], error)
        session.refresh(row)
        return _feature_public(row)


def delete_feature(
    engine: Engine, *, project_id: int, feature_id: int, expected_version: int | None, actor: str
) -> None:
    """Remove a feature (and its tasks) seen at `expected_version`; the rest close up.

    Raises StaleEditError (nothing removed) when the feature changed since, NotFound when it is
    gone already.
    """
    actor = check_actor(actor)
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
        name = row.name
        session.delete(row)
        session.flush()
        _renumber(_feature_rows(session, project_id))
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature removed",
            summary=f"Feature {name!r} removed from the MVP.",
            changes={"feature_id": feature_id, "name": name},
        )
        commit(session)


def move_feature(
    engine: Engine,
    *,
    project_id: int,
    feature_id: int,
    expected_version: int | None,
    direction: Literal["up", "down"],
    actor: str,
) -> list[FeaturePublic]:
    """Move a feature, seen at `expected_version`, one place earlier ("up") or later ("down").

    Raises StaleEditError (nothing moved) when the feature changed or moved since.
    """
    actor = check_actor(actor)
    if direction not in ("up", "down"):
        raise InvalidInput({"order": f"Move up or down, not {direction!r}."})
    with Session(engine) as session:
        moving = load_for_edit(
            session,
            FeatureRow,
            feature_id,
            expected_version,
            what="feature",
            project_id=project_id,
            public=_feature_public,
        )
        rows = _feature_rows(session, project_id)
        index = next(i for i, r in enumerate(rows) if r.id == moving.id)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(rows):
            where = "first" if direction == "up" else "last"
            raise InvalidInput({"order": f"{rows[index].name!r} is already {where}."})
        rows[index], rows[other] = rows[other], rows[index]
        _renumber(rows)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="features reordered",
            summary=f"Moved {rows[other].name!r} {direction} to number {other + 1}.",
            changes={"order": [r.name for r in rows]},
        )
        commit(session, moving, public=_feature_public)
        return [_feature_public(r) for r in _feature_rows(session, project_id)]


_TYPED_FIELDS = ("name", "description", "estimate_days", "owner", "smes")


def _free_swapped_names(
    session: Session,
    stored: Sequence[FeatureRow],
    changed_rows: Mapping[int, tuple[dict[str, Any], dict[str, list[Any]]]],
) -> None:
    """Before renames that pass names around (A → B while B → A or B → C), park the renamed
    rows' keys on values no name has (a leading space), so the unique index, checked row by
    row, accepts the final names; the same flush then writes the real keys."""
    renamed = {
        row.id: name_key(changed_rows[row.id][0]["name"])
        for row in stored
        if row.id in changed_rows and name_key(changed_rows[row.id][0]["name"]) != row.name_key
    }
    old_keys = {row.name_key for row in stored if row.id in renamed}
    if not old_keys.intersection(renamed.values()):
        return
    for feature_id in renamed:
        session.execute(
            update(FeatureRow)
            .where(col(FeatureRow.id) == feature_id)
            .values(name_key=f" {feature_id}")
            .execution_options(synchronize_session=False)
        )


def _rank(value: Any, field: str, errors: dict[str, str]) -> float | None:
    """An `order` cell as a number (None: left empty)."""
    if _missing(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        errors[field] = f"Not a number: {value!r}."
        return None


def save_features(
    engine: Engine,
    *,
    project_id: int,
    updated: Sequence[Mapping[str, Any]] = (),
    added: Sequence[Mapping[str, Any]] = (),
    actor: str,
) -> FeatureTablesSaved:
    """Save what one user changed in the features table, all or nothing.

    Args:
        updated: the rows this user changed: `id`, the `version` they saw and only the cells
            they changed; an `order` cell (1 is built first) moves the feature to that place.
            Features nobody sent keep their values and their place.
        added: new rows (fully blank ones are ignored); with an `order` they go to that place,
            without one at the end.
        Every row may carry `row`, its number as the user sees it, for messages
        (`features[row].field`).

    Raises:
        StaleEditError: a row changed since the version its user saw; nothing is written.
        NotFound: a row was removed meanwhile; nothing is written.
        InvalidInput: bad cells or repeated names; nothing is written.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        _project(session, project_id)
        stored = _feature_rows(session, project_id)
        by_id = {r.id: r for r in stored}
        edits: list[tuple[FeatureRow, Mapping[str, Any], str]] = []
        stale: dict[str, tuple[Any, Any]] = {}
        stale_rows: list[FeatureRow] = []
        for change in updated:
            row = by_id.get(change.get("id"))
            if row is None:
                raise NotFound(
                    f"The feature of row {change.get('row') or change.get('id')} is not on this "
                    "project any more (someone removed it). Load the newer rows."
                )
            mine = {k: v for k, v in change.items() if k in FEATURE_FIELDS}
            if row.version != change.get("version"):
                public = _feature_public(row)
                stale |= {f"{row.name}: {k}": v for k, v in conflicts(public, mine).items()}
                stale_rows.append(row)
            edits.append((row, change, f"features[{change.get('row') or row.id}]."))
        if stale_rows:
            raise StaleEditError(
                current=_feature_public(stale_rows[0]),
                conflicts=stale,
                saved_by=crud.last_actor(session, project_id=project_id),
            )

        errors: dict[str, str] = {}
        # (rank, bias, sequence, row or None, values): at the same number, a row moved up or a
        # new row goes before the row that had that number, a row moved down after it.
        places: list[tuple[float, int, int, FeatureRow | None, dict[str, Any] | None]] = []
        changed_rows: dict[int, tuple[dict[str, Any], dict[str, list[Any]]]] = {}
        names: list[tuple[str, str]] = []
        wanted: list[tuple[int | None, str, str]] = []
        for row, change, prefix in edits:
            merged = {f: getattr(row, f) for f in FEATURE_FIELDS} | {
                k: v for k, v in change.items() if k in FEATURE_FIELDS
            }
            try:
                values = _validate_feature(merged, prefix=prefix)
            except InvalidInput as error:
                errors.update(error.errors)
                continue
            changed_rows[row.id] = (values, _diff(row, values))
            names.append((values["name"], prefix + "name"))
            wanted.append((row.id, values["name"], prefix + "name"))
        for row in stored:
            if row.id not in changed_rows:
                names.insert(0, (row.name, "existing"))
        moved: dict[int, float] = {}
        for row, change, prefix in edits:
            rank = (
                _rank(change.get("order"), prefix + "order", errors) if "order" in change else None
            )
            if rank is not None:
                moved[row.id] = rank
        new_rows: list[tuple[float, dict[str, Any]]] = []
        for index, data in enumerate(added):
            if all(_missing(data.get(f)) for f in _TYPED_FIELDS):
                continue  # a row added to the table and left empty is not a feature
            prefix = f"features[{data.get('row') or len(stored) + index + 1}]."
            rank = _rank(data.get("order"), prefix + "order", errors)
            try:
                values = _validate_feature(data, prefix=prefix)
            except InvalidInput as error:
                errors.update(error.errors)
                continue
            names.append((values["name"], prefix + "name"))
            wanted.append((None, values["name"], prefix + "name"))
            new_rows.append((math.inf if rank is None else rank, values))
        if errors:
            raise InvalidInput(errors)
        _check_unique_names(names)

        for sequence, row in enumerate(stored):
            rank = moved.get(row.id)
            if rank is None:
                places.append((row.position + 1, 0, sequence, row, None))
            else:
                places.append((rank, -1 if rank < row.position + 1 else 1, sequence, row, None))
        for sequence, (rank, values) in enumerate(new_rows):
            places.append((rank, -1, len(stored) + sequence, None, values))
        places.sort(key=lambda place: place[:3])

        _free_swapped_names(session, stored, changed_rows)
        changed = 0
        for row in stored:
            values, diff = changed_rows.get(row.id, ({}, {}))
            if not diff:
                continue
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="feature edited",
                summary=f"Feature {row.name!r}: changed {', '.join(diff)}.",
                changes={"feature_id": row.id, **diff},
            )
            row.sqlmodel_update(values)
            row.updated_at = utc_now()
            session.add(row)
            changed += 1
        ordered: list[FeatureRow] = []
        for _, _, _, row, values in places:
            if row is None:
                row = FeatureRow(project_id=project_id, position=len(stored), **values)
                session.add(row)
                crud.record_activity(
                    session,
                    project_id=project_id,
                    actor=actor,
                    action="feature added",
                    summary=f"Feature {row.name!r} ({row.estimate_days} working days) added.",
                    changes={k: _plain(v) for k, v in values.items()},
                )
            ordered.append(row)
        try:
            session.flush()
            reordered = [r.id for r in stored] != [r.id for r in ordered if r.id in by_id]
            _renumber(ordered)
            if reordered:
                crud.record_activity(
                    session,
                    project_id=project_id,
                    actor=actor,
                    action="features reordered",
                    summary="New build order: " + ", ".join(r.name for r in ordered) + ".",
                    changes={"order": [r.name for r in ordered]},
                )
            commit(session)
        except IntegrityError as error:  # a name stored by someone else a moment ago
            _refuse_names_taken_meanwhile(session, project_id, wanted, error)
        return FeatureTablesSaved(added=len(new_rows), changed=changed, reordered=reordered)
