"""The should-we-use-ML assessment: ratings, saved verdicts, the risk register and notes
(assumptions, open questions), with their input and output models."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, Index, UniqueConstraint, event
from sqlmodel import AutoString, Field, SQLModel

from workbench.domain.assessment import Verdict
from workbench.models.base import (
    ENUM_MAX,
    LONG_TEXT_MAX,
    NAME_KEY_MAX,
    SHORT_TEXT_MAX,
    SourcedRecord,
    SourceKind,
    UTCDateTime,
    VersionedTable,
    _strip,
    name_key,
    utc_now,
)

# --- Assessment (issue: should we use ML?) -------------------------------------------------


class AssessmentRating(SQLModel, VersionedTable, table=True):
    """One stakeholder's current answers to the should-we-use-ML questionnaire.

    `rater_key` is the rater's name as raters are told apart (`name_key()`); it is kept in step
    with `rater` on every write and unique within a project.
    """

    __tablename__ = "assessment_rating"
    __table_args__ = (
        UniqueConstraint("project_id", "rater", name="uq_rating_project_rater"),
        Index("uq_rating_project_rater_key", "project_id", "rater_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    rater: str = Field(max_length=SHORT_TEXT_MAX)
    rater_key: str = Field(default="", max_length=NAME_KEY_MAX)
    role: str = Field(max_length=ENUM_MAX)
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


@event.listens_for(AssessmentRating, "before_insert")
@event.listens_for(AssessmentRating, "before_update")
def _keep_rater_key(_mapper: Any, _connection: Any, rating: AssessmentRating) -> None:
    rating.rater_key = name_key(rating.rater)


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


class NoteCreate(SQLModel):
    """Input for an assumption or an open question."""

    kind: NoteKind
    text: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    source_kind: SourceKind = SourceKind.MEETING
    source_id: int | None = None
    source_label: str = Field(default="", max_length=SHORT_TEXT_MAX)


@dataclass(frozen=True)
class NotePublic:
    """An assumption or open question as pages see it."""

    id: int
    kind: NoteKind
    text: str
    resolved: bool
    source_kind: SourceKind
    source_id: int | None
    source_label: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class SnapshotPublic:
    """A saved assessment: who saved it, when, the verdict and scores at that moment."""

    id: int
    saved_at: datetime
    saved_by: str
    verdict: Verdict
    explanation: str
    fit_score: float | None
    impact_score: float | None
    feasibility_score: float | None
    weights: Mapping[str, float]
    raters: tuple[str, ...]
    hard_stops: tuple[str, ...]
    conditions: tuple[str, ...]
    note: str
