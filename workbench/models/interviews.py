"""SME interviews and their answers, and the answers as pages see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import AutoString, Field, SQLModel

from workbench.models.base import (
    ENUM_MAX,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    UTCDateTime,
    VersionedTable,
    utc_now,
)

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


# --- What pages see ---------------------------------------------------------------------------


class ConversionTarget(StrEnum):
    """What an answer can be turned into, in one step."""

    CHARTER = "charter"
    RISK = "risk"
    ASSUMPTION = "assumption"
    OPEN_QUESTION = "open question"
    PARKING_LOT = "parking lot"


@dataclass(frozen=True)
class DerivedRecord:
    """Something the team made from an answer: a risk, a note, a parked idea or charter text."""

    kind: ConversionTarget
    record_id: int
    text: str
    at: datetime
    by: str


@dataclass(frozen=True)
class InterviewAnswerPublic:
    """One expert's answer to one question, with what was made from it."""

    id: int
    interview_id: int
    expert: str
    interview_status: InterviewStatus
    question_id: str
    question_text: str
    answer: str
    updated_at: datetime
    derived: tuple[DerivedRecord, ...]

    def made(self, kind: ConversionTarget | str) -> tuple[DerivedRecord, ...]:
        """What was made of this answer as `kind` (its count is the version a conversion pins)."""
        return tuple(d for d in self.derived if d.kind == ConversionTarget(kind))
