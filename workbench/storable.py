"""What can be stored and read back, checked in one place for every write.

A value that the database refuses or that the domain cannot compute with later is refused before
it is written, with `InvalidInput` and a plain sentence, never a driver's error:

- text with NUL (PostgreSQL refuses it) or another control character (other than tab, line feed
  and carriage return), or with half of a surrogate pair (not Unicode, cannot be encoded);
- NaN and ±infinity (SQLite stores NaN as NULL; PostgreSQL's JSON refuses both);
- whole numbers a column cannot hold (32 bits for an `Integer` column, 64 bits elsewhere, JSON
  included);
- dates outside STORED_DATE_MIN … STORED_DATE_MAX (a demo plan starting on 9999-12-31 made every
  later read of the plan overflow).

Two listeners, installed by `workbench.db` (every engine comes from `db.make_engine`):

- `before_flush` on every Session: the new objects' column values and the changed values of the
  others, JSON values recursively (the activity log's `changes` included). The error is keyed by
  the attribute (a JSON dict by its first key, which names the field that changed; an interview
  answer by its question id), so forms show it under the widget that caused it.
- `before_cursor_execute` on every engine: the parameters of any statement — a lookup by a name
  with NUL, a Core insert — for the two faults a driver raises on (NUL, integers beyond 64 bits).

Services and validators that parse input before a flush use `problem(value)`, `check(values)`
and the pydantic types `StorableText`, `StorableNumber`, `StorableInt`, `StorableDate`, so the
refusal comes with the input model's other messages. The flush also checks the bounds a table
model declares (`Field(ge=…, le=…, max_length=…)`): a table model does not validate on
construction, and a row that breaks them (an imported risk of impact 69) broke every later
read of the project.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import annotated_types
from pydantic import AfterValidator
from sqlalchemy import BigInteger, Integer, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter
from sqlalchemy.sql.schema import Column
from sqlalchemy.types import JSON, TypeDecorator

from workbench.errors import InvalidInput

# Dates the domain computes with (working days, schedules, calendars) without reaching the ends
# of Python's calendar, and that any real plan lies within.
STORED_DATE_MIN = date(1900, 1, 1)
STORED_DATE_MAX = date(2199, 12, 31)
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
T = TypeVar("T")
FORM_KEY = "_form"  # a message about the whole form (the UI's FORM_ERROR)

# Rows whose errors are keyed by another column's value than by the column's name: an expert's
# answer is shown under its question.
KEY_COLUMN_BY_TABLE = {"interview_answer": "question_id"}

# Control characters (C0 but tab, line feed, carriage return; DEL; C1) and surrogate halves.
_REFUSED_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# --- the checks -----------------------------------------------------------------------------


def _character_name(character: str) -> str:
    code = ord(character)
    if code == 0:
        return "NUL"
    name = unicodedata.name(character, "")
    return f"U+{code:04X}{f' {name}' if name else ''}"


def text_problem(value: str) -> str | None:
    """Why this text cannot be stored, or None."""
    found = _REFUSED_CHARACTER.search(value)
    if found is None:
        return None
    character = found.group()
    if 0xD800 <= ord(character) <= 0xDFFF:
        name = _character_name(character)
        return (
            f"This text contains a character that is not valid Unicode ({name}, half of a pair) "
            "and cannot be stored; remove it."
        )
    return (
        f"This text contains a control character ({_character_name(character)}) that cannot be "
        "stored; remove it."
    )


def number_problem(
    value: numbers.Real, *, low: int = INT64_MIN, high: int = INT64_MAX
) -> str | None:
    """Why this number cannot be stored, or None: NaN, ±infinity, or outside `low`…`high`."""
    if isinstance(value, numbers.Integral):
        if low <= int(value) <= high:
            return None
        return f"This number is out of range: use a whole number between {low:,} and {high:,}."
    number = float(value)
    if math.isnan(number):
        return "Not a number (NaN) cannot be stored: enter a finite number."
    if math.isinf(number):
        return "Infinity cannot be stored: enter a finite number."
    return None


def date_problem(value: date) -> str | None:
    """Why this date (or the date of this timestamp) cannot be stored, or None."""
    day = value.date() if isinstance(value, datetime) else value
    if STORED_DATE_MIN <= day <= STORED_DATE_MAX:
        return None
    return (
        f"Dates must lie between {STORED_DATE_MIN.isoformat()} and "
        f"{STORED_DATE_MAX.isoformat()} (this is {day.isoformat()})."
    )


def _problems(value: Any, path: tuple[Any, ...], low: int, high: int):
    """(path, message) for every unstorable part of `value`, JSON lists and dicts included."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        message = text_problem(value)
    elif isinstance(value, numbers.Real):
        message = number_problem(value, low=low, high=high)
    elif isinstance(value, date):
        message = date_problem(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and (message := text_problem(key)):
                yield (*path, key), message
            yield from _problems(item, (*path, key), INT64_MIN, INT64_MAX)
        return
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _problems(item, (*path, index), INT64_MIN, INT64_MAX)
        return
    else:
        return
    if message:
        yield path, message


def problem(value: Any, *, low: int = INT64_MIN, high: int = INT64_MAX) -> str | None:
    """The first reason `value` (text, number, date, or JSON lists and dicts of them) cannot be
    stored, or None when it can. Whole numbers are bounded by `low`…`high` (64 bits unless
    given)."""
    for _path, message in _problems(value, (), low, high):
        return message
    return None


def check(values: Mapping[str, Any]) -> dict[str, str]:
    """{field: sentence} for every field of `values` that cannot be stored (empty when all can)."""
    errors: dict[str, str] = {}
    for field, value in values.items():
        message = problem(value)
        if message:
            errors[field] = message
    return errors


def refuse_unstorable(values: Mapping[str, Any]) -> None:
    """Raise InvalidInput({field: sentence}) when any of `values` cannot be stored."""
    errors = check(values)
    if errors:
        raise InvalidInput(errors)


def storable_value(value: T) -> T:
    """`value` unchanged; ValueError with the sentence when it cannot be stored (a pydantic
    validator: `errors.field_errors` shows the sentence as the field's message)."""
    message = problem(value)
    if message:
        raise ValueError(message)
    return value


StorableText = Annotated[str, AfterValidator(storable_value)]
"""Text without NUL, other control characters (but tab and new lines) or half surrogates."""
StorableNumber = Annotated[float, AfterValidator(storable_value)]
"""A finite number."""
StorableInt = Annotated[int, AfterValidator(storable_value)]
"""A whole number within 64 bits."""
StorableDate = Annotated[date, AfterValidator(storable_value)]
"""A date between STORED_DATE_MIN and STORED_DATE_MAX."""


# --- before every flush ---------------------------------------------------------------------


def _base_type(column_type: Any) -> Any:
    return column_type.impl if isinstance(column_type, TypeDecorator) else column_type


def _bounds(column: Column) -> tuple[int, int]:
    column_type = _base_type(column.type)
    if isinstance(column_type, Integer) and not isinstance(column_type, BigInteger):
        return INT32_MIN, INT32_MAX
    return INT64_MIN, INT64_MAX


def _shown_name(column: Column) -> str:
    """The column's name, or the column a derived one is computed from (`name_key` → `name`,
    the normalised copy a uniqueness constraint uses): the field the user typed into."""
    base = column.name.removesuffix("_key")
    table = getattr(column, "table", None)
    if base != column.name and table is not None and base in table.c:
        return base
    return column.name


def _error_key(state: Any, attribute: str, path: tuple[Any, ...], column: Column) -> str:
    key_column = KEY_COLUMN_BY_TABLE.get(column.table.name)
    if key_column is not None:
        key = state.dict.get(key_column)
        if isinstance(key, str) and key:
            return key
    if isinstance(_base_type(column.type), JSON) and path and isinstance(path[0], str):
        return path[0]  # a JSON dict's first key names the field (the activity log's changes)
    shown = _shown_name(column)
    return shown if shown != column.name else attribute


def _written_values(state: Any, is_new: bool) -> Iterable[tuple[str, Column, Any]]:
    for prop in state.mapper.column_attrs:
        column = prop.columns[0]
        if not isinstance(column, Column):
            continue
        if is_new:
            yield prop.key, column, state.dict.get(prop.key)
            continue
        history = state.attrs[prop.key].history
        for value in history.added or ():
            yield prop.key, column, value


def declared_bound_problem(value: Any, constraints: Iterable[Any]) -> str | None:
    """Why `value` breaks one of a model field's declared bounds (annotated_types' Ge, Gt, Le,
    Lt, MaxLen), or None. A table model does not validate on construction, so a row written
    without its input model (an import, a migration of data) could hold a value that every
    later read, which does validate, refuses."""
    if value is None or isinstance(value, bool):
        return None
    for constraint in constraints:
        if isinstance(value, numbers.Real):
            if isinstance(constraint, annotated_types.Ge) and not value >= constraint.ge:
                return f"Must be at least {constraint.ge}."
            if isinstance(constraint, annotated_types.Gt) and not value > constraint.gt:
                return f"Must be more than {constraint.gt}."
            if isinstance(constraint, annotated_types.Le) and not value <= constraint.le:
                return f"Must be at most {constraint.le}."
            if isinstance(constraint, annotated_types.Lt) and not value < constraint.lt:
                return f"Must be less than {constraint.lt}."
        if (
            isinstance(value, str)
            and isinstance(constraint, annotated_types.MaxLen)
            and len(value) > constraint.max_length
        ):
            return f"Too long: at most {constraint.max_length} characters (this has {len(value)})."
    return None


def _declared_constraints(state: Any, attribute: str) -> list[Any]:
    fields = getattr(state.class_, "model_fields", None) or {}
    info = fields.get(attribute)
    return list(getattr(info, "metadata", None) or ())


def unstorable_in(session: Session) -> dict[str, str]:
    """{field: sentence} for every value the session would write that cannot be stored, or
    that breaks a bound its model declares."""
    errors: dict[str, str] = {}
    states = [(inspect(obj), True) for obj in session.new]
    states += [(inspect(obj), False) for obj in session.dirty if session.is_modified(obj)]
    for state, is_new in states:
        for attribute, column, value in _written_values(state, is_new):
            low, high = _bounds(column)
            for path, message in _problems(value, (), low, high):
                errors.setdefault(_error_key(state, attribute, path, column), message)
            bound = declared_bound_problem(value, _declared_constraints(state, attribute))
            if bound:
                errors.setdefault(_error_key(state, attribute, (), column), bound)
    return errors


def _refuse_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    errors = unstorable_in(session)
    if errors:
        raise InvalidInput(errors)


# --- before every statement -----------------------------------------------------------------


def _driver_problem(value: Any) -> str | None:
    if isinstance(value, str):
        return text_problem(value) if "\x00" in value else None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return number_problem(value)
    return None


def _column_names(context: Any) -> dict[str, str]:
    """Bind parameter name → the name of the column it is compared with or written to."""
    compiled = getattr(context, "compiled", None)
    statement = getattr(compiled, "statement", None)
    if compiled is None or statement is None:
        return {}
    bind_names = getattr(compiled, "bind_names", {})
    names: dict[str, str] = {}
    for element in visitors.iterate(statement):
        if not isinstance(element, BinaryExpression):
            continue
        for bind, other in ((element.right, element.left), (element.left, element.right)):
            if not isinstance(bind, BindParameter) or bind not in bind_names:
                continue
            columns = [c for c in visitors.iterate(other) if isinstance(c, Column)]
            if columns:
                names[bind_names[bind]] = _shown_name(columns[0])
    return names


def _parameter_key(name: str | None, columns: Mapping[str, str]) -> str:
    if name is None:
        return FORM_KEY
    return columns.get(name) or re.sub(r"_\d+$", "", name) or FORM_KEY


def _refuse_before_statement(
    _connection: Any, _cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> tuple[str, Any]:
    batches = parameters if many and isinstance(parameters, list | tuple) else [parameters]
    positions = getattr(getattr(context, "compiled", None), "positiontup", None) or ()
    errors: dict[str, str] = {}
    for batch in batches:
        if isinstance(batch, Mapping):
            items = list(batch.items())
        elif isinstance(batch, list | tuple):
            names = list(positions) if len(positions) == len(batch) else [None] * len(batch)
            items = list(zip(names, batch, strict=True))
        else:
            continue
        for name, value in items:
            message = _driver_problem(value)
            if message:
                errors.setdefault(_parameter_key(name, _column_names(context)), message)
    if errors:
        raise InvalidInput(errors)
    return statement, parameters


# --- installing -----------------------------------------------------------------------------


def install_session_guard() -> None:
    """Check every Session's flush (idempotent; `workbench.db` calls it on import)."""
    if not event.contains(Session, "before_flush", _refuse_before_flush):
        event.listen(Session, "before_flush", _refuse_before_flush)


def install_statement_guard(engine: Engine) -> None:
    """Check the parameters of every statement `engine` runs (idempotent)."""
    if not event.contains(engine, "before_cursor_execute", _refuse_before_statement):
        event.listen(engine, "before_cursor_execute", _refuse_before_statement, retval=True)
