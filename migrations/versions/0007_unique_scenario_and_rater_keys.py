"""scenario names and raters unique per project ignoring case and spaces

Uniqueness the services checked in Python only (ignoring case), now backed by unique indexes,
so two saves racing past the check cannot both be stored:

- `scenario.name_key` (the name trimmed, inner spaces single, case folded) and a unique index
  on (project_id, name_key): a project's scenarios have different names. The exact-name
  constraint `uq_scenario_project_name` stays (dropping it would rebuild the table on SQLite).
- `assessment_rating.rater_key` (the same normalisation of the rater's name) and a unique
  index on (project_id, rater_key): one row of answers per rater and project, as the service
  finds a rater. The exact constraint `uq_rating_project_rater` stays likewise.

A database that already holds duplicates keeps every row: the later duplicates (by id) are
renamed "<name> (2)", "<name> (3)" … (skipping names the project has) before the index is
created. Nothing is merged, because two rows may carry different answers or inputs. No table
is rebuilt (on SQLite a rebuild's drop would cascade to the rows that reference them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:30:00
"""

from collections.abc import Hashable, Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_MAX = 400


def _key(name: str) -> str:
    """The same normalisation as `workbench.models.name_key` (frozen here)."""
    return " ".join((name or "").split()).casefold()[:KEY_MAX]


def _unique_names(
    rows: Sequence[tuple[int, Hashable, str]], name_max: int
) -> dict[int, tuple[str, str]]:
    """{id: (name, key)} for every row (by id), later duplicates within a scope renamed
    "(2)", "(3)" … to a name no other row of the scope has or had."""
    original = {(scope, _key(name)) for _, scope, name in rows}
    used: set[tuple[Hashable, str]] = set()
    result: dict[int, tuple[str, str]] = {}
    for row_id, scope, name in rows:
        new_name, key, number = name, _key(name), 1
        while (scope, key) in used or (new_name != name and (scope, key) in original):
            number += 1
            suffix = f" ({number})"
            new_name = name[: name_max - len(suffix)].rstrip() + suffix
            key = _key(new_name)
        used.add((scope, key))
        result[row_id] = (new_name, key)
    return result


def _add_key(
    table_name: str, name_column: str, key_column: str, scope: Sequence[str], name_max: int
) -> None:
    """Add `key_column`, fill it (renaming later duplicates within `scope`), index it unique."""
    op.add_column(
        table_name,
        sa.Column(
            key_column,
            sqlmodel.sql.sqltypes.AutoString(length=KEY_MAX),
            nullable=False,
            server_default="",
        ),
    )
    connection = op.get_bind()
    table = sa.table(
        table_name,
        sa.column("id", sa.Integer()),
        sa.column(name_column, sa.String()),
        sa.column(key_column, sa.String()),
        *(sa.column(name) for name in scope),
    )
    rows = connection.execute(
        sa.select(table.c.id, *(table.c[name] for name in scope), table.c[name_column]).order_by(
            table.c.id
        )
    ).all()
    renamed = _unique_names([(row[0], tuple(row[1:-1]), row[-1]) for row in rows], name_max)
    for row_id, (name, key) in renamed.items():
        connection.execute(
            table.update().where(table.c.id == row_id).values({name_column: name, key_column: key})
        )


def upgrade() -> None:
    _add_key("scenario", "name", "name_key", ["project_id"], name_max=120)
    op.create_index(
        "uq_scenario_project_name_key", "scenario", ["project_id", "name_key"], unique=True
    )
    _add_key("assessment_rating", "rater", "rater_key", ["project_id"], name_max=200)
    op.create_index(
        "uq_rating_project_rater_key", "assessment_rating", ["project_id", "rater_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_rating_project_rater_key", table_name="assessment_rating")
    op.drop_index("uq_scenario_project_name_key", table_name="scenario")
    with op.batch_alter_table("assessment_rating", schema=None) as batch_op:
        batch_op.drop_column("rater_key")
    with op.batch_alter_table("scenario", schema=None) as batch_op:
        batch_op.drop_column("name_key")
