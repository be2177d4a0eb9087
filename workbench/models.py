"""SQLModel tables and their input/output models, one family per entity.

`XBase` holds the fields people edit, with their limits; `X(table=True)` is the table;
`XCreate`/`XUpdate` validate user input (a table model does not validate on construction);
`XPublic` is what services hand to pages. Records people edit carry a `version` column used by
SQLAlchemy's optimistic concurrency (`version_id_col`), so a stale edit cannot overwrite.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, DateTime, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import AutoString, Field, SQLModel

from workbench import clock
from workbench.domain.lifecycle import Phase
from workbench.domain.people import StakeholderRole

NAME_MAX = 120
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000
# Enumerations are stored as their text value: adding a value later needs no migration.
ENUM_MAX = 40


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
    """A project under planning, with its lifecycle phase."""

    id: int | None = Field(default=None, primary_key=True)
    phase: Phase = Field(default=Phase.PLANNING, index=True, sa_type=AutoString(length=ENUM_MAX))
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


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


# --- Assessment (issue: should we use ML?) -------------------------------------------------


class AssessmentRating(SQLModel, VersionedTable, table=True):
    """One stakeholder's current answers to the should-we-use-ML questionnaire."""

    __tablename__ = "assessment_rating"
    __table_args__ = (UniqueConstraint("project_id", "rater", name="uq_rating_project_rater"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    rater: str = Field(max_length=SHORT_TEXT_MAX)
    role: str = Field(max_length=ENUM_MAX)
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


class AssessmentSnapshot(SQLModel, table=True):
    """A saved assessment: the verdict, scores, weights and answers at that moment."""

    __tablename__ = "assessment_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    saved_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    saved_by: str = Field(max_length=SHORT_TEXT_MAX)
    verdict: str = Field(max_length=ENUM_MAX)
    fit_score: float | None = None
    impact_score: float | None = None
    feasibility_score: float | None = None
    weights: dict[str, float] = Field(default_factory=dict, sa_type=JSON)
    ratings: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    result: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    note: str = Field(default="", max_length=LONG_TEXT_MAX)


class RiskStatus(StrEnum):
    """Where a risk stands."""

    OPEN = "open"
    MITIGATING = "mitigating"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class RiskBase(SourcedRecord):
    """A risk: what could go wrong, how likely, how bad, who watches it, what we do about it."""

    title: str = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    description: str = Field(default="", max_length=LONG_TEXT_MAX)
    category: str = Field(default="", max_length=SHORT_TEXT_MAX)
    likelihood: int = Field(default=3, ge=1, le=5)
    impact: int = Field(default=3, ge=1, le=5)
    owner: str = Field(default="", max_length=SHORT_TEXT_MAX)
    mitigation: str = Field(default="", max_length=LONG_TEXT_MAX)
    status: RiskStatus = Field(default=RiskStatus.OPEN, sa_type=AutoString(length=ENUM_MAX))

    _strip_text = field_validator(
        "title", "description", "category", "owner", "mitigation", mode="before"
    )(_strip)


class Risk(RiskBase, VersionedTable, table=True):
    """A project's risk register entry."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


class RiskCreate(RiskBase):
    """Input for a new risk."""


class RiskPublic(RiskBase):
    """A risk as pages see it."""

    id: int
    project_id: int
    version: int
    updated_at: datetime


class NoteKind(StrEnum):
    """Kinds of project notes that are neither risks nor charter text."""

    ASSUMPTION = "assumption"
    OPEN_QUESTION = "open question"


class ProjectNote(SourcedRecord, table=True):
    """An assumption or an open question recorded on a project."""

    __tablename__ = "project_note"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    kind: NoteKind = Field(sa_type=AutoString(length=ENUM_MAX))
    text: str = Field(max_length=LONG_TEXT_MAX)
    resolved: bool = False
    created_by: str = Field(max_length=SHORT_TEXT_MAX)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


# --- Estimates --------------------------------------------------------------------------------


class Scenario(SQLModel, VersionedTable, table=True):
    """A named set of estimate inputs for a project, with the results it gave when saved."""

    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_scenario_project_name"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    notes: str = Field(default="", max_length=LONG_TEXT_MAX)
    cost_inputs: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    value_inputs: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    seed: int = 2026
    results: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_by: str = Field(max_length=SHORT_TEXT_MAX)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


# --- Experiments, Go/No-Go and the parking lot --------------------------------------------


class ExperimentStatus(StrEnum):
    """Lifecycle of a candidate approach."""

    PROPOSED = "proposed"
    RESEARCHING = "researching"
    PROTOTYPING = "prototyping"
    DECIDED = "decided"


class Experiment(SQLModel, VersionedTable, table=True):
    """A candidate approach, time-boxed: research then prototype, ending in a decision."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    approach: str = Field(max_length=SHORT_TEXT_MAX)
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


# --- SME interviews ---------------------------------------------------------------------------


class InterviewStatus(StrEnum):
    """Where an interview stands."""

    SENT = "sent"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVOKED = "revoked"


class Interview(SQLModel, VersionedTable, table=True):
    """An interview of one subject-matter expert, reachable only through its private link."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    expert_name: str = Field(max_length=SHORT_TEXT_MAX)
    expert_role: str = Field(default="", max_length=SHORT_TEXT_MAX)
    expert_team: str = Field(default="", max_length=SHORT_TEXT_MAX)
    template_id: str = Field(max_length=SHORT_TEXT_MAX)
    questions: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    token_hash: str = Field(max_length=128, unique=True, index=True)
    status: InterviewStatus = Field(
        default=InterviewStatus.SENT, sa_type=AutoString(length=ENUM_MAX)
    )
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: str = Field(max_length=SHORT_TEXT_MAX)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


class InterviewAnswer(SQLModel, table=True):
    """The expert's answer to one question of an interview."""

    __tablename__ = "interview_answer"
    __table_args__ = (
        UniqueConstraint("interview_id", "question_id", name="uq_answer_interview_question"),
    )

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    question_id: str = Field(max_length=SHORT_TEXT_MAX)
    answer: str = Field(default="", max_length=LONG_TEXT_MAX * 4)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
