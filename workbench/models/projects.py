"""Projects and their charter: the project, success criteria, stakeholders, gate checks, phase
transitions and the activity log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, Index, event
from sqlmodel import AutoString, Field, SQLModel

from workbench.domain.lifecycle import Phase
from workbench.domain.people import StakeholderRole
from workbench.models.base import (
    ENUM_MAX,
    LONG_TEXT_MAX,
    NAME_KEY_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    UTCDateTime,
    VersionedTable,
    _strip,
    _strip_refusing_none,
    name_key,
    utc_now,
)

# --- Project ------------------------------------------------------------------------------


class ProjectBase(SQLModel):
    """The charter: what, why now, how it is done today, and what success means."""

    name: str = Field(min_length=1, max_length=NAME_MAX, unique=True, index=True)
    problem: str = Field(default="", max_length=LONG_TEXT_MAX)
    why_now: str = Field(default="", max_length=LONG_TEXT_MAX)
    current_process: str = Field(default="", max_length=LONG_TEXT_MAX)
    affected: str = Field(default="", max_length=LONG_TEXT_MAX)
    minimum_useful_performance: str = Field(default="", max_length=SHORT_TEXT_MAX)
    baseline: str = Field(default="", max_length=LONG_TEXT_MAX)
    sponsor: str = Field(default="", max_length=SHORT_TEXT_MAX)
    owner: str = Field(default="", max_length=SHORT_TEXT_MAX, index=True)
    target_delivery_date: date | None = None

    _strip_text = field_validator(
        "name",
        "problem",
        "why_now",
        "current_process",
        "affected",
        "minimum_useful_performance",
        "baseline",
        "sponsor",
        "owner",
        mode="before",
    )(_strip)


class Project(ProjectBase, VersionedTable, table=True):
    """A project under planning, with its lifecycle phase.

    `name_key` is the name as duplicates are compared (`name_key()`: ignoring case and spaces);
    it is kept in step with `name` on every write and unique.
    """

    __table_args__ = (Index("uq_project_name_key", "name_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name_key: str = Field(default="", max_length=NAME_KEY_MAX)
    phase: Phase = Field(default=Phase.PLANNING, index=True, sa_type=AutoString(length=ENUM_MAX))
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)
    # The saved scenario the report uses (no foreign key: see migration 0004).
    report_scenario_id: int | None = Field(default=None)
    archived_at: datetime | None = Field(default=None, index=True, sa_type=UTCDateTime)


@event.listens_for(Project, "before_insert")
@event.listens_for(Project, "before_update")
def _keep_name_key(_mapper: Any, _connection: Any, project: Project) -> None:
    project.name_key = name_key(project.name)


class ProjectCreate(ProjectBase):
    """Input for a new project."""


class ProjectUpdate(SQLModel):
    """Input for a charter edit: only the fields set are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX)
    problem: str | None = Field(default=None, max_length=LONG_TEXT_MAX)
    why_now: str | None = Field(default=None, max_length=LONG_TEXT_MAX)
    current_process: str | None = Field(default=None, max_length=LONG_TEXT_MAX)
    affected: str | None = Field(default=None, max_length=LONG_TEXT_MAX)
    minimum_useful_performance: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    baseline: str | None = Field(default=None, max_length=LONG_TEXT_MAX)
    sponsor: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    owner: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    target_delivery_date: date | None = None

    _strip_text = field_validator(
        "name",
        "problem",
        "why_now",
        "current_process",
        "affected",
        "minimum_useful_performance",
        "baseline",
        "sponsor",
        "owner",
        mode="before",
    )(_strip_refusing_none)


class ProjectPublic(ProjectBase):
    """A project as pages see it."""

    id: int
    phase: Phase
    created_at: datetime
    updated_at: datetime
    version: int
    report_scenario_id: int | None = None
    archived_at: datetime | None = None


# --- Success criteria ---------------------------------------------------------------------


class SuccessCriterionBase(SQLModel):
    """A success criterion and the business metric (KPI) it maps to."""

    criterion: str = Field(min_length=1, max_length=SHORT_TEXT_MAX * 2)
    business_metric: str = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    target: str = Field(default="", max_length=SHORT_TEXT_MAX)

    _strip_text = field_validator("criterion", "business_metric", "target", mode="before")(_strip)


class SuccessCriterion(SuccessCriterionBase, table=True):
    """A project's success criterion (rows are replaced together with a charter save)."""

    __tablename__ = "success_criterion"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    position: int = 0


class SuccessCriterionIn(SuccessCriterionBase):
    """Input for one success criterion."""


class SuccessCriterionPublic(SuccessCriterionBase):
    """A success criterion as pages see it."""

    id: int
    position: int


# --- Stakeholders ------------------------------------------------------------------------


class StakeholderBase(SQLModel):
    """A person around the project and their role."""

    name: str = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    role: StakeholderRole = Field(
        default=StakeholderRole.OTHER, sa_type=AutoString(length=ENUM_MAX)
    )
    contact: str = Field(default="", max_length=SHORT_TEXT_MAX)

    _strip_text = field_validator("name", "contact", mode="before")(_strip)


class Stakeholder(StakeholderBase, table=True):
    """A project's stakeholder (rows are replaced together with a charter save)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    position: int = 0


class StakeholderIn(StakeholderBase):
    """Input for one stakeholder."""


class StakeholderPublic(StakeholderBase):
    """A stakeholder as pages see it."""

    id: int
    position: int


# --- Lifecycle ------------------------------------------------------------------------------


class GateCheck(SQLModel, table=True):
    """A gate checklist item ticked for a project's phase."""

    __tablename__ = "gate_check"

    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    phase: Phase = Field(primary_key=True, sa_type=AutoString(length=ENUM_MAX))
    item_key: str = Field(primary_key=True, max_length=SHORT_TEXT_MAX)
    checked_by: str = Field(max_length=SHORT_TEXT_MAX)
    checked_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class PhaseTransition(SQLModel, table=True):
    """A phase change: who moved the project, when, and what was still open."""

    __tablename__ = "phase_transition"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    from_phase: Phase = Field(sa_type=AutoString(length=ENUM_MAX))
    to_phase: Phase = Field(sa_type=AutoString(length=ENUM_MAX))
    actor: str = Field(max_length=SHORT_TEXT_MAX)
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    open_items: list[str] = Field(default_factory=list, sa_type=JSON)
    note: str = Field(default="", max_length=LONG_TEXT_MAX)


class PhaseTransitionPublic(SQLModel):
    """A phase change as pages see it."""

    id: int
    from_phase: Phase
    to_phase: Phase
    actor: str
    at: datetime
    open_items: list[str]
    note: str


# --- Activity log -------------------------------------------------------------------------


class ActivityEntry(SQLModel, table=True):
    """One change or decision: who, when, what changed (Burkov ch. 2: log every activity)."""

    __tablename__ = "activity"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int | None = Field(
        default=None, foreign_key="project.id", index=True, ondelete="CASCADE"
    )
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    actor: str = Field(max_length=SHORT_TEXT_MAX)
    action: str = Field(max_length=SHORT_TEXT_MAX)
    summary: str = Field(default="", max_length=LONG_TEXT_MAX)
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class ActivityPublic(SQLModel):
    """An activity entry as pages see it."""

    id: int
    project_id: int | None
    at: datetime
    actor: str
    action: str
    summary: str
    changes: dict[str, Any]
