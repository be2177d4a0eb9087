"""What every table shares: text limits, UTC timestamps, the version column, sources."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.orm import declared_attr
from sqlmodel import AutoString, Field, SQLModel

from workbench import clock

NAME_MAX = 120
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000
# Enumerations are stored as their text value: adding a value later needs no migration.
ENUM_MAX = 40
NAME_KEY_MAX = 2 * SHORT_TEXT_MAX  # case folding may lengthen a name ("ß" → "ss")


def name_key(name: str) -> str:
    """A name as unique indexes compare it: trimmed, inner spaces single, case folded."""
    return " ".join((name or "").split()).casefold()[:NAME_KEY_MAX]


def utc_now() -> datetime:
    """The current time, timezone-aware UTC (from the one clock, so a pinned date holds)."""
    return clock.now()


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: timestamps must be timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class VersionedTable:
    """Mixin: the `version` column drives SQLAlchemy's optimistic concurrency check."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _strip_refusing_none(value: Any) -> Any:
    # In an update, a text field that is sent must hold text: None would empty a NOT NULL column.
    if value is None:
        raise ValueError("Required: give a text (it may be empty), not nothing.")
    return _strip(value)


# --- Sources: where an item came from, so every derived record links back -----------------


class SourceKind(StrEnum):
    """Where a risk, note, parking-lot item or experiment came from."""

    MEETING = "meeting"
    ASSESSMENT = "assessment"
    EXPERIMENT = "experiment"
    DEMO = "demo"
    INTERVIEW = "interview"
    PARKING_LOT = "parking lot"
    OTHER = "other"


class SourcedRecord(SQLModel):
    """Fields that link a derived record back to what it came from."""

    source_kind: SourceKind = Field(default=SourceKind.MEETING, sa_type=AutoString(length=ENUM_MAX))
    source_id: int | None = None
    source_label: str = Field(default="", max_length=SHORT_TEXT_MAX)
