"""Who has access to a project: one row per person and project, with their role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import AutoString, Field, SQLModel

from workbench.domain.roles import Role
from workbench.models.base import (
    ENUM_MAX,
    SHORT_TEXT_MAX,
    UTCDateTime,
    VersionedTable,
    utc_now,
)


class ProjectMember(SQLModel, VersionedTable, table=True):
    """A person's role on a project; `identity` is their signed-in e-mail (lower-cased), else
    their provider's subject."""

    __tablename__ = "project_member"
    __table_args__ = (
        UniqueConstraint("project_id", "identity", name="uq_project_member_identity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    identity: str = Field(max_length=SHORT_TEXT_MAX)
    role: Role = Field(sa_type=AutoString(length=ENUM_MAX))
    added_by: str = Field(default="", max_length=SHORT_TEXT_MAX)
    added_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


class ProjectMemberPublic(SQLModel):
    """A member as pages see it."""

    id: int
    project_id: int
    identity: str
    role: Role
    added_by: str
    added_at: datetime
    version: int
