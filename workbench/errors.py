"""Errors that services raise and pages turn into clear messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm.exc import StaleDataError

# Raised when two saves of the same record cross at the very moment of writing (SQLAlchemy's
# version check); the transaction is rolled back, so nothing is stored, and the user only needs
# to retry. Any other database error is a fault: one sentence and an id in the log.
CONCURRENT_WRITE_ERRORS = (StaleDataError,)
CONCURRENT_WRITE_MESSAGE = (
    "Not saved: someone else saved a change to the same record at the same moment. "
    "Nothing of yours was stored; reload the page to see their change, then try again."
)


class InvalidInput(ValueError):
    """User input that fails validation; `errors` maps each field to a plain message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class NotFound(LookupError):
    """The record asked for does not exist (any more)."""


class NotAllowed(PermissionError):
    """The acting person's role on the project does not allow this change; nothing was stored.
    The message is a plain sentence that says what they may do and whom to ask."""


class StaleEditError(RuntimeError):
    """Someone saved this record after you loaded it; your save was refused.

    `current` is the newer record; `conflicts` maps each field you changed to
    (your value, the newer saved value) so the page can show both.
    """

    def __init__(self, *, current: Any, conflicts: Mapping[str, tuple[Any, Any]], saved_by: str):
        self.current = current
        self.conflicts = dict(conflicts)
        self.saved_by = saved_by
        latest = f" (the project's latest change was by {saved_by})" if saved_by else ""
        super().__init__(
            "Not saved: this record was changed after you opened it"
            f"{latest}; it is now at version {getattr(current, 'version', '?')}. "
            "Your edits are still in the form; review the newer values and save again."
        )


def _message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    value = error.get("input")
    if kind == "string_too_short":
        return "Required: this cannot be empty."
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "more"
        return f"Too long: at most {context.get('max_length')} characters (this has {length})."
    if kind.startswith(("date_", "datetime_")):
        return "Not a valid date: use YYYY-MM-DD."
    if kind in {"float_parsing", "int_parsing", "float_type", "int_type", "decimal_parsing"}:
        return f"Not a number: {value!r}."
    if kind == "enum":
        return f"Choose one of: {context.get('expected')}."
    if kind == "missing":
        return "Required: this cannot be empty."
    if kind == "value_error" and context.get("error"):
        return str(context["error"])  # our own validators' messages, without pydantic's prefix
    return str(error.get("msg", "Invalid value."))


def field_errors(error: ValidationError, prefix: str = "") -> dict[str, str]:
    """Turn a pydantic ValidationError into {field: plain message}."""
    errors: dict[str, str] = {}
    for item in error.errors():
        field = ".".join(str(part) for part in item.get("loc", ())) or "input"
        errors.setdefault(f"{prefix}{field}", _message(item))
    return errors
