"""What widgets and table cells hand to services, parsed once: blanks, text, numbers, dates — and
values as the activity log's JSON stores them. The parsers the input models' validators need live
in ``workbench.models.inputs`` (models import no services) and are re-exported here."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import pandas as pd

from workbench.models.inputs import blank_to_none, finite, parse_phase, split_names, widget_text

__all__ = [
    "blank_to_none",
    "cell",
    "finite",
    "is_blank",
    "log_value",
    "parse_phase",
    "scalar",
    "split_names",
    "strip",
    "text",
    "widget_text",
]


def is_blank(value: Any) -> bool:
    """True for what an empty field or table cell holds: None, NaN/NaT/NA or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))  # NaN, NaT, pandas' NA
    except (TypeError, ValueError):  # a list or another non-scalar
        return False


def strip(value: Any) -> Any:
    """Text without surrounding spaces; other values unchanged (a pydantic `before` validator)."""
    return value.strip() if isinstance(value, str) else value


def text(value: Any) -> str:
    """A text field or cell as stored: blank → '', else the stripped text."""
    return "" if is_blank(value) else str(value).strip()


def scalar(value: Any) -> Any:
    """A numpy scalar (as pandas hands out cells) as the plain Python value; a datetime cell of a
    date column as its date."""
    value = value.item() if hasattr(value, "item") and not isinstance(value, str) else value
    if isinstance(value, datetime):
        return value.date()
    return value


def cell(value: Any, *, empty: Any = None) -> Any:
    """One table cell as a service takes it: blank → `empty`, numpy scalars → Python values."""
    return empty if is_blank(value) else scalar(value)


def log_value(value: Any) -> Any:
    """A value as the activity log's JSON keeps it: dates as ISO text, enums as their value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [log_value(v) for v in value]
    return value
