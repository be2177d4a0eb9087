"""The one conflict path of the data layer: load a versioned record for an edit, check the version
the user saw, commit — and refuse a stale edit always the same way, with `StaleEditError`.

Services call `load_for_edit` (or `check_version` on a row they already hold) before changing a
record, and `commit` instead of `session.commit()`: a writer that got in between the read and
the write (SQLAlchemy's `version_id_col` check) is refused as stale too, never as a raw
database error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from workbench import crud
from workbench.errors import NotFound, StaleEditError

Row = TypeVar("Row", bound=SQLModel)
Public = Callable[[Any], Any]


def conflicts(current: Any, mine: Mapping[str, Any] | None) -> dict[str, tuple[Any, Any]]:
    """The fields of `mine` whose values differ from `current`'s: {field: (mine, theirs)}."""
    return {
        name: (value, getattr(current, name, None))
        for name, value in (mine or {}).items()
        if getattr(current, name, None) != value
    }


def stale_error(
    session: Session,
    row: Any,
    mine: Mapping[str, Any] | None = None,
    *,
    public: Public | None = None,
) -> StaleEditError:
    """The refusal of an edit made on an older version of `row` (the newer row is `current`)."""
    current = public(row) if public is not None else row
    project_id = getattr(row, "project_id", None)
    if project_id is None and type(row).__name__ == "Project":
        project_id = row.id
    return StaleEditError(
        current=current,
        conflicts=conflicts(current, mine),
        saved_by=crud.last_actor(session, project_id=project_id) if project_id else "",
    )


def check_version(
    session: Session,
    row: Any,
    expected_version: int | None,
    mine: Mapping[str, Any] | None = None,
    *,
    public: Public | None = None,
) -> None:
    """Refuse (StaleEditError) unless `row` is still at the version the user saw."""
    if expected_version is None or row.version != expected_version:
        raise stale_error(session, row, mine, public=public)


def load_for_edit(
    session: Session,
    model: type[Row],
    record_id: int,
    expected_version: int | None,
    mine: Mapping[str, Any] | None = None,
    *,
    what: str,
    project_id: int | None = None,
    public: Public | None = None,
) -> Row:
    """The row to edit, at the version the user saw.

    Raises:
        NotFound: no such row (or, with `project_id`, not one of that project's).
        StaleEditError: the row changed since `expected_version`; nothing is written.
    """
    row = session.get(model, record_id)
    if row is None or (project_id is not None and getattr(row, "project_id", None) != project_id):
        raise NotFound(f"There is no {what} #{record_id} here any more (it may have been deleted).")
    check_version(session, row, expected_version, mine, public=public)
    return row


def commit(
    session: Session,
    row: Any | None = None,
    mine: Mapping[str, Any] | None = None,
    *,
    public: Public | None = None,
) -> None:
    """Commit; a writer that got in between this edit's read and its write makes it stale."""
    # The row's primary key, whatever its column (a project's plan settings are keyed by project).
    model, identity = (type(row), inspect(row).identity) if row is not None else (None, None)
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        fresh = session.get(model, identity) if model is not None and identity else None
        if fresh is None:
            raise StaleEditError(current=None, conflicts={}, saved_by="") from None
        raise stale_error(session, fresh, mine, public=public) from None
