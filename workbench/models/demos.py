"""Demo per feature: MVP features, plan settings, demos held, feedback and feature tasks, and
the values pages see of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, Index, event
from sqlmodel import AutoString, Field, SQLModel

from workbench.domain.demo_schedule import DemoType
from workbench.models.base import (
    ENUM_MAX,
    LONG_TEXT_MAX,
    NAME_KEY_MAX,
    SHORT_TEXT_MAX,
    UTCDateTime,
    VersionedTable,
    _strip,
    name_key,
    utc_now,
)
from workbench.models.inputs import split_names

# --- Demo per feature -------------------------------------------------------------------------


class FeatureStatus(StrEnum):
    """Where an MVP feature stands."""

    PLANNED = "planned"
    BUILDING = "building"
    DEMOED = "demoed"
    DONE = "done"


class Feature(SQLModel, VersionedTable, table=True):
    """An MVP feature, in build order, demoed as it lands (Wilson ch. 3.1.3).

    `name_key` is the name as duplicates are compared (`name_key()`); it is kept in step with
    `name` on every write and unique within a project.
    """

    __table_args__ = (Index("uq_feature_project_name", "project_id", "name_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=SHORT_TEXT_MAX)
    name_key: str = Field(default="", max_length=NAME_KEY_MAX)
    description: str = Field(default="", max_length=LONG_TEXT_MAX)
    estimate_days: int = 5
    owner: str = Field(default="", max_length=SHORT_TEXT_MAX)
    position: int = 0
    status: FeatureStatus = Field(
        default=FeatureStatus.PLANNED, sa_type=AutoString(length=ENUM_MAX)
    )
    smes: str = Field(default="", max_length=LONG_TEXT_MAX)
    milestone: bool = False
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


@event.listens_for(Feature, "before_insert")
@event.listens_for(Feature, "before_update")
def _keep_name_key(_mapper: Any, _connection: Any, feature: Feature) -> None:
    feature.name_key = name_key(feature.name)


class DemoPlanSettings(SQLModel, VersionedTable, table=True):
    """A project's demo plan settings: start, model-testing length, holidays, alert limit."""

    __tablename__ = "demo_plan_settings"

    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    start_date: date
    model_testing_days: int = 5
    holidays: list[str] = Field(default_factory=list, sa_type=JSON)
    max_undemoed_days: int = 10
    light_audience: str = Field(default="", max_length=LONG_TEXT_MAX)
    big_audience: str = Field(default="", max_length=LONG_TEXT_MAX)
    baseline: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    version: int = Field(default=1)


class Demo(SQLModel, table=True):
    """A demo that took place: what was shown, to whom, and what came of it.

    `title_key` is the title as duplicates are compared (`name_key()`): a demo of one title is
    recorded once per project and day.
    """

    __table_args__ = (
        Index("uq_demo_project_day_title", "project_id", "held_on", "title_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    feature_id: int | None = Field(default=None, foreign_key="feature.id", ondelete="SET NULL")
    title: str = Field(max_length=SHORT_TEXT_MAX)
    title_key: str = Field(default="", max_length=NAME_KEY_MAX)
    held_on: date
    demo_type: str = Field(max_length=ENUM_MAX)
    format: str = Field(default="", max_length=SHORT_TEXT_MAX)
    audience: str = Field(default="", max_length=LONG_TEXT_MAX)
    shown: str = Field(default="", max_length=LONG_TEXT_MAX)
    decisions: str = Field(default="", max_length=LONG_TEXT_MAX)
    recorded_by: str = Field(max_length=SHORT_TEXT_MAX)
    recorded_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


@event.listens_for(Demo, "before_insert")
@event.listens_for(Demo, "before_update")
def _keep_title_key(_mapper: Any, _connection: Any, demo: Demo) -> None:
    demo.title_key = name_key(demo.title)


class DemoFeedback(SQLModel, table=True):
    """One attendee's feedback at a demo."""

    __tablename__ = "demo_feedback"

    id: int | None = Field(default=None, primary_key=True)
    demo_id: int = Field(foreign_key="demo.id", index=True, ondelete="CASCADE")
    attendee: str = Field(max_length=SHORT_TEXT_MAX)
    feedback: str = Field(max_length=LONG_TEXT_MAX)


class FeatureTask(SQLModel, table=True):
    """A task on a feature, often an action from a demo."""

    __tablename__ = "feature_task"

    id: int | None = Field(default=None, primary_key=True)
    feature_id: int = Field(foreign_key="feature.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=LONG_TEXT_MAX)
    done: bool = False
    source_demo_id: int | None = Field(default=None, foreign_key="demo.id", ondelete="SET NULL")
    created_by: str = Field(max_length=SHORT_TEXT_MAX)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


# --- Input models -----------------------------------------------------------------------------


class FeatureInput(SQLModel):
    """The text and choice fields of a feature, validated (the estimate is checked apart)."""

    name: str = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    description: str = Field(default="", max_length=LONG_TEXT_MAX)
    owner: str = Field(default="", max_length=SHORT_TEXT_MAX)
    status: FeatureStatus = FeatureStatus.PLANNED
    smes: str = Field(default="", max_length=LONG_TEXT_MAX)
    milestone: bool = False


class DemoCreate(SQLModel):
    """A demo's own fields, validated."""

    title: str = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    held_on: date
    demo_type: DemoType = DemoType.LIGHT
    format: str = Field(default="", max_length=SHORT_TEXT_MAX)
    audience: str = Field(default="", max_length=LONG_TEXT_MAX)
    shown: str = Field(default="", max_length=LONG_TEXT_MAX)
    decisions: str = Field(default="", max_length=LONG_TEXT_MAX)

    _strip_text = field_validator(
        "title", "format", "audience", "shown", "decisions", mode="before"
    )(_strip)


# --- What pages see ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FeaturePublic:
    """An MVP feature as pages see it (`position` 0 is built first)."""

    id: int
    project_id: int
    name: str
    description: str
    estimate_days: int
    owner: str
    position: int
    status: FeatureStatus
    smes: str
    milestone: bool
    version: int
    updated_at: datetime

    @property
    def sme_names(self) -> tuple[str, ...]:
        """The SMEs who should see this feature, one name each."""
        return split_names(self.smes)


@dataclass(frozen=True)
class PlanSettingsPublic:
    """A project's demo plan settings; `has_baseline` tells whether a schedule was accepted."""

    project_id: int
    start_date: date
    model_testing_days: int
    holidays: tuple[date, ...]
    max_undemoed_days: int
    light_audience: str
    big_audience: str
    has_baseline: bool
    version: int


@dataclass(frozen=True)
class FeedbackPublic:
    """What one attendee said at a demo."""

    attendee: str
    feedback: str


@dataclass(frozen=True)
class FeatureTaskPublic:
    """A task on a feature; `source_demo_id` links it to the demo it came from."""

    id: int
    feature_id: int
    feature_name: str
    text: str
    done: bool
    source_demo_id: int | None
    created_by: str
    created_at: datetime
