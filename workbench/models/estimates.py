"""Saved cost and value scenarios."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from workbench.models.base import (
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    UTCDateTime,
    VersionedTable,
    utc_now,
)

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
