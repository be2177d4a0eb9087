"""experiment names unique within a project (ignoring case and spaces)

Adds `experiment.approach_key` (the name trimmed, inner spaces single, case folded) and a unique
index on (project_id, approach_key). A database that already holds duplicate names keeps every
row: the later duplicates (by id) are renamed "<name> (2)", "<name> (3)" … before the index is
created. No table is rebuilt (SQLite would cascade the rebuild's drop to the time logs).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_MAX = 200
KEY_MAX = 400


def _key(name: str) -> str:
    """The same normalisation as `workbench.domain.experiments.approach_key` (frozen here)."""
    return " ".join((name or "").split()).casefold()[:KEY_MAX]


def _unique_names(rows: Sequence[tuple[int, int, str]]) -> dict[int, tuple[str, str]]:
    """{id: (name, key)} for every row (by id), later duplicates within a project renamed
    "(2)", "(3)" … to a name no other row of the project has or had."""
    original = {(project_id, _key(name)) for _, project_id, name in rows}
    used: set[tuple[int, str]] = set()
    result: dict[int, tuple[str, str]] = {}
    for row_id, project_id, name in rows:
        new_name, key, number = name, _key(name), 1
        while (project_id, key) in used or (new_name != name and (project_id, key) in original):
            number += 1
            suffix = f" ({number})"
            new_name = name[: NAME_MAX - len(suffix)].rstrip() + suffix
            key = _key(new_name)
        used.add((project_id, key))
        result[row_id] = (new_name, key)
    return result


def upgrade() -> None:
    op.add_column(
        "experiment",
        sa.Column(
            "approach_key",
            sqlmodel.sql.sqltypes.AutoString(length=KEY_MAX),
            nullable=False,
            server_default="",
        ),
    )
    connection = op.get_bind()
    experiment = sa.table(
        "experiment",
        sa.column("id", sa.Integer()),
        sa.column("project_id", sa.Integer()),
        sa.column("approach", sa.String()),
        sa.column("approach_key", sa.String()),
    )
    rows = connection.execute(
        sa.select(experiment.c.id, experiment.c.project_id, experiment.c.approach).order_by(
            experiment.c.id
        )
    ).all()
    for row_id, (name, key) in _unique_names([tuple(row) for row in rows]).items():
        connection.execute(
            experiment.update()
            .where(experiment.c.id == row_id)
            .values(approach=name, approach_key=key)
        )
    op.create_index(
        "uq_experiment_project_approach",
        "experiment",
        ["project_id", "approach_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_experiment_project_approach", table_name="experiment")
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_column("approach_key")
