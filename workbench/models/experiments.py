"""Experiments with time boxes, their extensions and logged time, Go/No-Go decisions, and the
parking lot: the tables and their input (`…Create`/`…Input`) and output (`…Public`) models."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlparse

from pydantic import BeforeValidator, field_validator
from sqlalchemy import JSON, Index, event
from sqlmodel import AutoString, Field, SQLModel

from workbench.domain.experiments import ExperimentStatus, approach_key
from workbench.domain.lifecycle import Phase
from workbench.domain.timebox import RESEARCH_REVIEW_QUESTIONS, Decision
from workbench.models.base import (
    ENUM_MAX,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    SourcedRecord,
    SourceKind,
    UTCDateTime,
    VersionedTable,
    utc_now,
)
from workbench.models.inputs import Blank, OptionalNumber, Text, parse_phase, widget_text

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


# --- Input and output models ----------------------------------------------------------------

MAX_BOX_DAYS = 130
"""Longest part of a box, in working days (about half a year): longer work is not one experiment."""

OptionalDate = Annotated[date | None, Blank]


class ExperimentCreate(SQLModel):
    """Input for a new or edited experiment."""

    approach: Text = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    hypothesis: Text = Field(default="", max_length=LONG_TEXT_MAX)
    owner: Text = Field(default="", max_length=SHORT_TEXT_MAX)
    success_criterion: Text = Field(min_length=1, max_length=LONG_TEXT_MAX)
    start_date: Annotated[date, Blank]
    research_days: Annotated[int, Blank]
    prototype_days: Annotated[int, Blank]
    metric_name: Text = Field(default="", max_length=SHORT_TEXT_MAX)
    baseline_value: OptionalNumber = None

    @field_validator("research_days", "prototype_days")
    @classmethod
    def _box_part(cls, value: int, info: Any) -> int:
        part = "research" if info.field_name == "research_days" else "prototype"
        if value < 1:
            raise ValueError(
                f"The {part} part needs at least one working day (a box of zero days is not "
                "a time box)."
            )
        if value > MAX_BOX_DAYS:
            raise ValueError(
                f"At most {MAX_BOX_DAYS} working days for the {part}: split longer work into "
                "several experiments."
            )
        return value


EXPERIMENT_FIELDS = tuple(ExperimentCreate.model_fields)
"""The fields of an experiment people enter and edit."""


class ExperimentPublic(SQLModel):
    """An experiment as pages see it."""

    id: int
    project_id: int
    approach: str
    hypothesis: str
    owner: str
    success_criterion: str
    start_date: date
    research_days: int
    prototype_days: int
    status: ExperimentStatus
    decision: Decision | None
    decision_reason: str
    decided_by: str
    decided_at: datetime | None
    metric_name: str
    result_value: float | None
    baseline_value: float | None
    evidence_links: list[str]
    matrix_scores: dict[str, float]
    review_answers: dict[str, str]
    parking_lot_item_id: int | None
    created_at: datetime
    updated_at: datetime
    version: int


class ResultInput(SQLModel):
    """A measured result against the baseline, with links to the evidence."""

    metric_name: Text = Field(default="", max_length=SHORT_TEXT_MAX)
    result_value: OptionalNumber = None
    baseline_value: OptionalNumber = None
    evidence_links: list[str] = Field(default_factory=list)

    @field_validator("evidence_links", mode="before")
    @classmethod
    def _links(cls, value: Any) -> list[str]:
        lines = str(value or "").splitlines() if isinstance(value, str | None) else list(value)
        cleaned: list[str] = []
        bad: list[str] = []
        for link in (widget_text(line) for line in lines):
            parsed = urlparse(link)
            if not link:
                continue
            if parsed.scheme not in {"http", "https"} or not parsed.netloc or " " in link:
                bad.append(link)
            elif len(link) > SHORT_TEXT_MAX * 5:
                raise ValueError("A link is too long (at most 1000 characters).")
            elif link not in cleaned:
                cleaned.append(link)
        if bad:
            raise ValueError(
                "Not a web link (it must start with http:// or https://): "
                + ", ".join(repr(link) for link in bad[:5])
            )
        return cleaned


def _review_list(value: Any) -> list[str] | None:
    """Review answers from a list, or a mapping keyed by question; None when none is given."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        value = [value.get(question) for question in RESEARCH_REVIEW_QUESTIONS]
    answers = [widget_text(answer) for answer in value]
    return answers if any(answers) else None


ReviewAnswers = Annotated[
    list[Annotated[str, Field(max_length=LONG_TEXT_MAX)]] | None, BeforeValidator(_review_list)
]


class DecisionInput(SQLModel):
    """A decision on a time box as the form gives it."""

    decision: Annotated[Decision | None, Blank] = None
    reason: Text = Field(default="", max_length=LONG_TEXT_MAX)
    new_end: OptionalDate = None
    revisit_on: OptionalDate = None
    revisit_phase: Annotated[Phase | None, BeforeValidator(parse_phase)] = None
    review_answers: ReviewAnswers = None

    @field_validator("decision")
    @classmethod
    def _chosen(cls, value: Decision | None) -> Decision:
        if value is None:
            raise ValueError("Choose a decision: extend, cull, park or select.")
        return value


class ExtensionPublic(SQLModel):
    """A logged extension of a time box."""

    id: int
    experiment_id: int
    reason: str
    previous_end: date
    new_end: date
    extended_by: str
    extended_at: datetime


class TimeLogPublic(SQLModel):
    """Time spent on an experiment."""

    id: int
    experiment_id: int
    day: date
    hours: float
    who: str
    note: str
    logged_at: datetime


class GoNoGoPublic(SQLModel):
    """A recorded Go/No-Go."""

    id: int
    project_id: int
    go: bool
    selected_experiment_id: int | None
    reasons: str
    weights: dict[str, float]
    matrix: list[dict[str, Any]]
    decided_by: str
    decided_at: datetime


class ParkingLotCreate(SQLModel):
    """Input for a parked idea."""

    idea: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    raised_by: str = Field(default="", max_length=SHORT_TEXT_MAX)
    why_deferred: str = Field(default="", max_length=LONG_TEXT_MAX)
    value: str = Field(default="medium", max_length=ENUM_MAX)
    effort: str = Field(default="medium", max_length=ENUM_MAX)
    revisit_on: date | None = None
    revisit_phase: str | None = Field(default=None, max_length=ENUM_MAX)
    source_kind: SourceKind = SourceKind.MEETING
    source_id: int | None = None
    source_label: str = Field(default="", max_length=SHORT_TEXT_MAX)


class ParkingLotPublic(SQLModel):
    """A parked idea as pages see it."""

    id: int
    project_id: int
    idea: str
    raised_by: str
    why_deferred: str
    value: str
    effort: str
    revisit_on: date | None
    revisit_phase: str | None
    status: ParkingLotStatus
    source_kind: SourceKind
    source_id: int | None
    source_label: str
    created_at: datetime
    updated_at: datetime
    version: int
