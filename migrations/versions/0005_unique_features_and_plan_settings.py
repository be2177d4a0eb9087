"""project and feature names unique ignoring case, one demo of a title per project and day

Uniqueness the services checked in Python only, now backed by unique indexes, so two saves
racing past the check cannot both be stored:

- `project.name_key` (the name trimmed, inner spaces single, case folded) and a unique index
  on it: the services refused "Alpha" beside "alpha", but only the exact name had an index.
- `feature.name_key` (the same normalisation) and a unique index on (project_id, name_key): a
  project's MVP features have different names, ignoring case and spaces.
- `demo.title_key` (the same normalisation of the title) and a unique index on
  (project_id, held_on, title_key): a demo held is recorded once.

A project's demo plan settings are already one row per project (the project id is the primary
key); the service now turns the racing first save into a stale-edit refusal.

A database that already holds duplicates keeps every row: the later duplicates (by id) are
renamed "<name> (2)", "<name> (3)" … (skipping names the project has) before the index is
created. Nothing is merged, because two rows may carry different records of their own. No
table is rebuilt (on SQLite a rebuild's drop would cascade to the rows that reference them).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Hashable, Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
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
    _add_key("project", "name", "name_key", [], name_max=120)
    op.create_index("uq_project_name_key", "project", ["name_key"], unique=True)
    _add_key("feature", "name", "name_key", ["project_id"], name_max=200)
    op.create_index("uq_feature_project_name", "feature", ["project_id", "name_key"], unique=True)
    _add_key("demo", "title", "title_key", ["project_id", "held_on"], name_max=200)
    op.create_index(
        "uq_demo_project_day_title", "demo", ["project_id", "held_on", "title_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_demo_project_day_title", table_name="demo")
    op.drop_index("uq_feature_project_name", table_name="feature")
    op.drop_index("uq_project_name_key", table_name="project")
    with op.batch_alter_table("demo", schema=None) as batch_op:
        batch_op.drop_column("title_key")
    with op.batch_alter_table("feature", schema=None) as batch_op:
        batch_op.drop_column("name_key")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("name_key")
