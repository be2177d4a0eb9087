"""What the Should we use ML? and Risks pages add to the form layer (kept local to them)."""

from __future__ import annotations

from workbench.ui.forms import Form, TableEditor


def reset_if_untouched(form: Form, table: TableEditor) -> None:
    """Show rows this user just added elsewhere on the page, unless they are editing the table
    (then the table says rows were added, and keeps their edits)."""
    if not table.changed():
        form.reset()
