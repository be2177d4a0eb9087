"""Demo per feature: MVP features, plan settings, demos held, feedback and feature tasks."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlmodel import AutoString, Field, SQLModel

from workbench.models.base import (
    ENUM_MAX,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    UTCDateTime,
    VersionedTable,
    utc_now,
)

# --- Demo per feature -------------------------------------------------------------------------


class FeatureStatus(StrEnum):
    """Where an MVP feature stands."""

    PLANNED = "planned"
    BUILDING = "building"
    DEMOED = "demoed"
    DONE = "done"


class Feature(SQLModel, VersionedTable, table=True):
    """An MVP feature, in build order, demoed as it lands (Wilson ch. 3.1.3)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=SHORT_TEXT_MAX)
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
    """A demo that took place: what was shown, to whom, and what came of it."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    feature_id: int | None = Field(default=None, foreign_key="feature.id", ondelete="SET NULL")
    title: str = Field(max_length=SHORT_TEXT_MAX)
    held_on: date
    demo_type: str = Field(max_length=ENUM_MAX)
    format: str = Field(default="", max_length=SHORT_TEXT_MAX)
    audience: str = Field(default="", max_length=LONG_TEXT_MAX)
    shown: str = Field(default="", max_length=LONG_TEXT_MAX)
    decisions: str = Field(default="", max_length=LONG_TEXT_MAX)
    recorded_by: str = Field(max_length=SHORT_TEXT_MAX)
    recorded_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


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
