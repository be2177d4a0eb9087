"""a project names the scenario its report uses, and can be archived

Adds `project.report_scenario_id` (the saved scenario the Cost & value page opens on and the
report uses; no foreign key, so SQLite needs no table rebuild — the service clears it when that
scenario is deleted) and `project.archived_at` (UTC; archived projects leave the portfolio's
default view and keep everything). Both are nullable: existing rows keep every value.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workbench.models.base import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("project", sa.Column("report_scenario_id", sa.Integer(), nullable=True))
    op.add_column("project", sa.Column("archived_at", UTCDateTime(), nullable=True))
    op.create_index("ix_project_archived_at", "project", ["archived_at"])


def downgrade() -> None:
    op.drop_index("ix_project_archived_at", table_name="project")
    with op.batch_alter_table("project") as batch:
        batch.drop_column("archived_at")
        batch.drop_column("report_scenario_id")
