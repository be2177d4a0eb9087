"""Parsers the input and output models share: what an empty widget or table cell gives, text,
finite numbers, lifecycle phases and lists of names (``workbench.services.inputs`` re-exports
them)."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from workbench.domain.lifecycle import Phase


def blank_to_none(value: Any) -> Any:
    """What an empty widget or table cell gives — None, '', spaces, NaN, NaT — as None; a
    datetime as its date; anything else unchanged."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime):
        return value.date()
    try:
        if value != value:  # NaN and NaT are not equal to themselves
            return None
    except (TypeError, ValueError):
        pass
    return value


def widget_text(value: Any) -> str:
    """Text from a widget: stripped, '' when empty."""
    value = blank_to_none(value)
    return "" if value is None else str(value).strip()


def finite(value: float | None) -> float | None:
    """The number unchanged; ValueError for infinity or NaN."""
    if value is not None and not math.isfinite(value):
        raise ValueError("Must be a finite number.")
    return value


def parse_phase(value: Any) -> Phase | None:
    """A lifecycle phase from its value or its label ('Development'), None when blank."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = str(getattr(value, "value", value)).strip()
    for phase in Phase:
        if text in (phase.value, phase.label):
            return phase
    raise ValueError(f"Unknown phase {text!r}: choose one of {', '.join(p.label for p in Phase)}.")


_NAME_SEPARATORS = re.compile(r"[,;\n]+")


def split_names(text: str | None) -> tuple[str, ...]:
    """Split a list of people typed as text (comma, semicolon or one per line) into names."""
    seen: dict[str, None] = {}
    for part in _NAME_SEPARATORS.split(text or ""):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


Text = Annotated[str, BeforeValidator(widget_text)]
"""A text field: stripped, '' when empty."""
Blank = BeforeValidator(blank_to_none)
"""A validator turning an empty widget or cell into None."""
OptionalNumber = Annotated[float | None, Blank, AfterValidator(finite)]
"""A finite number, or None when empty."""
