"""Experiments with time boxes, their extensions and logged time, Go/No-Go decisions, and the
parking lot."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, event
from sqlmodel import AutoString, Field, SQLModel

from workbench.domain.experiments import ExperimentStatus, approach_key
from workbench.models.base import (
    ENUM_MAX,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    SourcedRecord,
    UTCDateTime,
    VersionedTable,
    utc_now,
)

# --- Experiments, Go/No-Go and the parking lot --------------------------------------------


APPROACH_KEY_MAX = 2 * SHORT_TEXT_MAX  # case folding may lengthen a name ("ß" → "ss")


class Experiment(SQLModel, VersionedTable, table=True):
    """A candidate approach, time-boxed: research then prototype, ending in a decision.

    `approach_key` is the approach's name as duplicates are compared (trimmed, case folded);
    it is kept in step with `approach` on every write and unique within a project.
    """

    __table_args__ = (
        Index("uq_experiment_project_approach", "project_id", "approach_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    approach: str = Field(max_length=SHORT_TEXT_MAX)
    approach_key: str = Field(default="", max_length=APPROACH_KEY_MAX)
    hypothesis: str = Field(default="", max_length=LONG_TEXT_MAX)
    owner: str = Field(default="", max_length=SHORT_TEXT_MAX)
    success_criterion: str = Field(default="", max_length=LONG_TEXT_MAX)
    start_date: date
    research_days: int
    prototype_days: int
    status: ExperimentStatus = Field(
        default=ExperimentStatus.PROPOSED, sa_type=AutoString(length=ENUM_MAX)
    )
    decision: str | None = Field(default=None, sa_type=AutoString(length=ENUM_MAX))
    decision_reason: str = Field(default="", max_length=LONG_TEXT_MAX)
    decided_by: str = Field(default="", max_length=SHORT_TEXT_MAX)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    metric_name: str = Field(default="", max_length=SHORT_TEXT_MAX)
    result_value: float | None = None
    baseline_value: float | None = None
    evidence_links: list[str] = Field(default_factory=list, sa_type=JSON)
    matrix_scores: dict[str, float] = Field(default_factory=dict, sa_type=JSON)
    review_answers: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    parking_lot_item_id: int | None = Field(
        default=None, foreign_key="parking_lot_item.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


@event.listens_for(Experiment, "before_insert")
@event.listens_for(Experiment, "before_update")
def _keep_approach_key(_mapper: Any, _connection: Any, experiment: Experiment) -> None:
    experiment.approach_key = approach_key(experiment.approach)[:APPROACH_KEY_MAX]


class TimeBoxExtension(SQLModel, table=True):
    """An extension of an experiment's time box: never silent, always with a reason."""

    __tablename__ = "time_box_extension"

    id: int | None = Field(default=None, primary_key=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True, ondelete="CASCADE")
    reason: str = Field(max_length=LONG_TEXT_MAX)
    previous_end: date
    new_end: date
    extended_by: str = Field(max_length=SHORT_TEXT_MAX)
    extended_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class TimeLog(SQLModel, table=True):
    """Time spent on an experiment."""

    __tablename__ = "time_log"

    id: int | None = Field(default=None, primary_key=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True, ondelete="CASCADE")
    day: date
    hours: float
    who: str = Field(max_length=SHORT_TEXT_MAX)
    note: str = Field(default="", max_length=LONG_TEXT_MAX)
    logged_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class GoNoGoDecision(SQLModel, table=True):
    """The end of experimentation: one MVP approach selected (Go) or No-Go, with reasons."""

    __tablename__ = "go_no_go_decision"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    go: bool
    selected_experiment_id: int | None = Field(
        default=None, foreign_key="experiment.id", ondelete="SET NULL"
    )
    reasons: str = Field(max_length=LONG_TEXT_MAX)
    weights: dict[str, float] = Field(default_factory=dict, sa_type=JSON)
    matrix: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    decided_by: str = Field(max_length=SHORT_TEXT_MAX)
    decided_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class ParkingLotStatus(StrEnum):
    """Where a parked idea stands."""

    PARKED = "parked"
    REVIVED = "revived"
    DROPPED = "dropped"


class ParkingLotItem(SourcedRecord, VersionedTable, table=True):
    """An idea that is interesting but not essential now (Wilson ch. 3.2): parked, not lost."""

    __tablename__ = "parking_lot_item"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    idea: str = Field(max_length=LONG_TEXT_MAX)
    raised_by: str = Field(default="", max_length=SHORT_TEXT_MAX)
    why_deferred: str = Field(default="", max_length=LONG_TEXT_MAX)
    value: str = Field(default="medium", max_length=ENUM_MAX)
    effort: str = Field(default="medium", max_length=ENUM_MAX)
    revisit_on: date | None = None
    revisit_phase: str | None = Field(default=None, sa_type=AutoString(length=ENUM_MAX))
    status: ParkingLotStatus = Field(
        default=ParkingLotStatus.PARKED, sa_type=AutoString(length=ENUM_MAX)
    )
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)
