"""The Charter's "People and roles" section: who may see, change and share the project.

Adding, changing a role and removing go through the one form layer (`Form`, `TableEditor`);
a removal asks first. Identities are data: shown in tables and plain text, never as Markdown.
"""

from __future__ import annotations

import streamlit as st

from workbench.domain.roles import Role
from workbench.services import members as member_service
from workbench.ui.access import auth_configured, markdown_text
from workbench.ui.common import actor, engine
from workbench.ui.forms import Form, TableEditor

COLUMNS = ["identity", "role", "added_by"]
ENFORCED = (
    "Once anyone is listed, only the people listed (and the workspace's admins) see this "
    "project; owners and editors change it, viewers only read it, and only owners decide who "
    "has access. A project with nobody listed is open to everyone who can sign in."
)
NOT_ENFORCED = (
    "This workspace has no sign-in, so these roles are not enforced: anyone who can reach it "
    "can type any name and see or change every project. They take effect as soon as sign-in is "
    "configured (docs/deploy.md)."
)


def render_members(project_id: int) -> None:
    """The section (inside the Charter's "People and roles" expander): the members table (roles
    editable, rows removable) and an add form."""
    st.caption(ENFORCED if auth_configured() else NOT_ENFORCED)
    listed = member_service.list_members(engine(), project_id)
    manage = member_service.my_access(engine(), project_id).manage
    if not manage:
        st.caption(
            ":material/lock: Only the project's owners and the workspace's admins change who has "
            "access."
        )
    if listed:
        _table(project_id, listed, manage=manage)
    else:
        st.caption(
            "Nobody is listed yet: the project is open to everyone in the workspace. The first "
            "person you add makes it private to the people listed"
            + (" (you become its owner)." if auth_configured() else "; add its owner first.")
        )
    _add_form(project_id, first=not listed, manage=manage)


def _table_form(project_id: int) -> str:
    return f"members_{project_id}"


def _table(project_id: int, listed, *, manage: bool) -> None:
    form = Form(_table_form(project_id))
    rows = [m.model_dump(include={"id", "version", *COLUMNS}) for m in listed]
    for row in rows:
        row["role"] = Role(row["role"]).value
    table = TableEditor(form, "members", rows, COLUMNS)

    def save(form: Form) -> int:
        changes = table.changes()
        return member_service.save_members(
            engine(),
            project_id=project_id,
            roles={row["id"]: (row["version"], row["role"]) for row in changes.updated},
            removed={row["id"]: row["version"] for row in changes.deleted},
            actor=actor(),
        )

    def question(form: Form) -> str:
        changes = table.changes()
        by_id = {row["id"]: row["identity"] for row in table.snapshot}
        lines = [
            f"Remove {by_id.get(row['id'], '?')}: they lose access." for row in changes.deleted
        ]
        lines += [
            f"Make {by_id.get(row['id'], '?')} {row['role']}."
            for row in changes.updated
            if row["id"] not in {d["id"] for d in changes.deleted}
        ]
        return "\n".join(lines) or "Nothing changed."

    with form.render():
        table.editor(
            hide_index=True,
            width="stretch",
            num_rows="delete",
            disabled=["identity", "added_by"],
            column_config={
                "identity": st.column_config.TextColumn("Person (e-mail)"),
                "role": st.column_config.SelectboxColumn(
                    "Role", options=[role.value for role in Role], required=True
                ),
                "added_by": st.column_config.TextColumn("Added by"),
            },
        )
        st.caption("Change a role in the table, or select rows and delete them; then save.")
        form.submit_button(
            "Save roles",
            save,
            confirm=question,
            success=lambda n: f"Saved: {n} change(s) to who has access.",
            icon=":material/manage_accounts:",
            disabled=not manage,
        )


def _add_form(project_id: int, *, first: bool, manage: bool) -> None:
    form = Form(
        f"add_member_{project_id}",
        initial={"identity": "", "role": Role.OWNER.value if first else Role.VIEWER.value},
        labels={"identity": "E-mail address *", "role": "Role"},
    )

    def add(form: Form):
        added = member_service.add_member(
            engine(),
            project_id=project_id,
            identity=form.value("identity") or "",
            role=form.value("role") or "",
            actor=actor(),
        )
        Form(_table_form(project_id)).reset()  # the table shows the newcomer at once
        return added

    with form.render():
        left, right = st.columns([3, 2])
        with left:
            st.text_input(
                "E-mail address *",
                key=form.key("identity"),
                max_chars=200,
                placeholder="name@example.com",
                help="As the person signs in (their e-mail address, else their sign-in subject).",
            )
            form.error("identity")
        with right:
            st.selectbox(
                "Role",
                options=[role.value for role in Role],
                format_func=lambda value: Role(value).label,
                key=form.key("role"),
            )
            form.error("role")
        form.submit_button(
            "Add person",
            add,
            success=lambda member: f"Added {markdown_text(member.identity)} as {member.role}.",
            icon=":material/person_add:",
            disabled=not manage,
        )
