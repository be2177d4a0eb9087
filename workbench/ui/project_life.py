"""A project's whole life on the pages: the Charter's "Archive, delete, duplicate, export"
section, and the Portfolio's "Show archived" toggle, archived list and "Import a project" block.

Names and file contents are data: they reach the page through `st.text`, dataframes, dialogs'
plain text, or `markdown_text` — never as Markdown of their own.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.services import project_life, transfer
from workbench.services import projects as project_service
from workbench.services.projects import ProjectDetail
from workbench.ui.access import markdown_text
from workbench.ui.common import (
    actor,
    engine,
    open_project,
    project_names,
    select_project,
    today,
    visibility,
)
from workbench.ui.forms import Form

CHARTER = "pages/team/charter.py"
PORTFOLIO = "pages/team/portfolio.py"
OPEN_KEY = "project_life__open"
DELETED_KEY = "project_life__deleted"
SHOW_ARCHIVED_KEY = "portfolio_show_archived"
MAX_UPLOAD_MB = transfer.MAX_FILE_BYTES // 10**6


def _open_requested() -> None:
    """After a save that made a project (duplicate, import, undo): open its charter."""
    project_id = st.session_state.pop(OPEN_KEY, None)
    if project_id is not None:
        open_project(project_id, CHARTER)


def _problems(form: Form) -> None:
    """The problems of a refused file, one per line (they quote the file: every Markdown
    character escaped)."""
    problems = [message for key, message in form.errors.items() if key.startswith("file[")]
    if problems:
        st.markdown("\n".join(f"- {markdown_text(problem)}" for problem in problems))


# --- the Charter's section ------------------------------------------------------------------


def render_project_life(detail: ProjectDetail) -> None:
    """Archive or restore, export, duplicate as a template, delete — at the Charter's end."""
    project = detail.project
    pid = project.id
    archived = project.archived_at is not None
    if archived:
        st.info(
            f"This project is archived (since {project.archived_at:%Y-%m-%d}): it is not in the "
            "portfolio's default view. Everything is kept; restore it below.",
            icon=":material/inventory_2:",
        )
    with st.expander(
        "Archive, delete, duplicate, export", icon=":material/inventory_2:", expanded=archived
    ):
        export_tab, duplicate_tab, archive_tab, delete_tab = st.tabs(
            ["Export", "Duplicate as a template", "Restore" if archived else "Archive", "Delete"],
            key=f"project_life_{pid}_tab",
        )
        with export_tab:
            _export(pid, project.name)
        with duplicate_tab:
            _duplicate(pid, project.name)
        with archive_tab:
            _archive(pid, project.name, archived)
        with delete_tab:
            _delete(pid, project.name)
    _open_requested()


def _export(pid: int, name: str) -> None:
    st.caption(
        "One JSON file with everything this project holds: charter, assessments, risks, "
        "scenarios, experiments, demos, interviews and the activity log. Import it on the "
        "Portfolio page, here or in another workbench."
    )
    shared = engine()
    st.download_button(
        "Download the project as JSON",
        data=lambda: transfer.export_json(shared, pid),
        file_name=transfer.export_file_name(name, today()),
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key=f"export_{pid}",
    )


def _duplicate(pid: int, name: str) -> None:
    st.caption(
        "A new project in Planning with this one's charter (text, success criteria, "
        "stakeholders), question weights and experiments' structure — not the answers, "
        "ratings, results, risks or log. The delivery date is the new project's to choose."
    )
    form = Form(
        f"duplicate_{pid}",
        initial={"name": ""},
        labels={"name": "Name of the new project *"},
    )

    def duplicate(form: Form):
        made = project_life.duplicate_project(
            engine(), project_id=pid, name=form.value("name") or "", actor=actor(), today=today()
        )
        st.session_state[OPEN_KEY] = made.id
        return made

    with form.render():
        st.text_input("Name of the new project *", key=form.key("name"), max_chars=120)
        form.error("name")
        form.submit_button("Duplicate as a template", duplicate, success="")


def _archive(pid: int, name: str, archived: bool) -> None:
    form = Form(f"archive_{pid}")
    if archived:

        def restore(form: Form):
            return project_life.restore_project(
                engine(), project_id=pid, expected_version=None, actor=actor()
            )

        st.caption("Restoring brings the project back into the portfolio's default view.")
        with form.render():
            form.error("archive")
            form.submit_button(
                "Restore the project", restore, success="Restored: back in the portfolio."
            )
        return

    def archive(form: Form):
        return project_life.archive_project(
            engine(), project_id=pid, expected_version=None, actor=actor()
        )

    st.caption(
        "An archived project leaves the portfolio's default view (Show archived brings it "
        "back into view) and keeps everything; it can be restored at any time."
    )
    with form.render():
        form.error("archive")
        form.submit_button(
            "Archive the project",
            archive,
            confirm=lambda _form: (
                f"Archive the project “{name}”? It leaves the portfolio's "
                "default view; nothing is deleted, and you can restore it here or from the "
                "portfolio (Show archived)."
            ),
            success="Archived. Restore it here whenever you need it back.",
        )


def _delete(pid: int, name: str) -> None:
    st.caption(
        "Deleting removes the project and every row that belongs to it, for everyone. Download "
        "an export first if you may want it back. To confirm, type the project's name exactly."
    )
    form = Form(
        f"delete_{pid}",
        initial={"confirm_name": ""},
        labels={"confirm_name": "Type the project's name to confirm"},
    )

    def delete(form: Form):
        typed = form.value("confirm_name") or ""
        if typed.strip() != name:
            form.refuse(
                {
                    "confirm_name": "Not deleted: the name typed is not the project's name "
                    "(capitals and spaces count)."
                }
            )
        snapshot = transfer.export_json(engine(), pid)
        done = project_life.delete_project(
            engine(), project_id=pid, typed_name=typed, actor=actor()
        )
        st.session_state[DELETED_KEY] = {"name": done.name, "rows": done.total, "file": snapshot}
        st.cache_data.clear()
        select_project(None)
        # The confirmation runs this during the page's run (in its dialog): go to the portfolio,
        # where the deletion is reported and can be undone.
        st.switch_page(PORTFOLIO)
        return done

    with form.render():
        st.text_input(
            "Type the project's name to confirm", key=form.key("confirm_name"), max_chars=120
        )
        form.error("confirm_name")
        form.submit_button(
            "Delete the project",
            delete,
            confirm=lambda _form: (
                f"Delete the project “{name}” and everything in it — charter, "
                "assessments, risks, scenarios, experiments, demos, interviews and the activity "
                "log — for everyone?"
            ),
            success="Deleted.",
            type="primary",
        )


# --- the Portfolio's blocks -----------------------------------------------------------------


def show_archived_toggle() -> bool:
    """The Portfolio's "Show archived" toggle: whether archived projects are listed too."""
    return st.toggle(
        "Show archived",
        key=SHOW_ARCHIVED_KEY,
        help="Archived projects leave the default view and keep everything.",
    )


def render_portfolio_blocks() -> None:
    """The Portfolio's end: the archived projects when they are shown, "Import a project"."""
    if st.session_state.get(SHOW_ARCHIVED_KEY):
        _archived_list()
    _import_block()
    _open_requested()


def render_deleted_notice() -> None:
    """At the Portfolio's top after a deletion: what was deleted, and a way to bring it back."""
    deleted: dict[str, Any] | None = st.session_state.get(DELETED_KEY)
    if not deleted:
        return
    st.success(
        f"Deleted the project {markdown_text(deleted['name'])} and its {deleted['rows']} rows.",
        icon=":material/delete:",
    )
    undo = Form("undo_delete")

    def bring_back(form: Form):
        done = transfer.import_project(engine(), deleted["file"], actor=actor())
        st.session_state.pop(DELETED_KEY, None)
        st.session_state[OPEN_KEY] = done.project.id
        return done

    undo.messages()
    left, right = st.columns(2)
    with left:
        undo.button(
            "Undo: bring it back as it was",
            bring_back,
            success="",
            icon=":material/undo:",
        )
    right.button(
        "Dismiss",
        key="undo_delete_dismiss",
        on_click=lambda: st.session_state.pop(DELETED_KEY, None),
    )


def _archived_list() -> None:
    archived = [
        p
        for p in project_service.list_projects(engine(), include_archived=True, **visibility())
        if p.archived_at is not None
    ]
    st.subheader("Archived projects")
    if not archived:
        st.caption("No project is archived.")
        return
    for project in archived:
        form = Form(f"portfolio_restore_{project.id}")

        def restore(form: Form, project_id: int = project.id):
            return project_life.restore_project(
                engine(), project_id=project_id, expected_version=None, actor=actor()
            )

        form.messages()
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.text(f"{project.name} — archived {project.archived_at:%Y-%m-%d}")
        with right:
            form.button("Restore", restore, success="Restored.", icon=":material/unarchive:")


def _import_block() -> None:
    with st.expander("Import a project", icon=":material/upload_file:"):
        st.caption(
            "A project file exported from a workbench (Charter → Export). The whole file is "
            "checked first: a file with any problem is refused with the list of its problems "
            "and nothing is written. A file is applied once."
        )
        new_tab, replace_tab = st.tabs(
            ["As a new project", "Replace a project"], key="portfolio_import_tab"
        )
        with new_tab:
            _import_new()
        with replace_tab:
            _import_replace()


def _upload(form: Form) -> bytes:
    upload = form.value("file")
    if upload is None:
        form.refuse({"file": "Choose a project file first."})
    return upload.getvalue()


def _import_new() -> None:
    form = Form(
        "import_new",
        initial={"name": ""},
        labels={"file": "Project file", "name": "Name (empty: the name in the file)"},
    )

    def run(form: Form):
        done = transfer.import_project(
            engine(), _upload(form), actor=actor(), name=form.value("name") or None
        )
        st.session_state[OPEN_KEY] = done.project.id
        return done

    with form.render():
        st.file_uploader(
            "Project file", type=["json"], key=form.key("file"), max_upload_size=MAX_UPLOAD_MB
        )
        form.error("file")
        _problems(form)
        st.text_input("Name (empty: the name in the file)", key=form.key("name"), max_chars=120)
        form.error("name")
        form.submit_button("Import as a new project", run, success="", type="primary")


def _import_replace() -> None:
    names = project_names(include_archived=True)
    if not names:
        st.caption("There is no project to replace yet.")
        return
    form = Form(
        "import_replace",
        initial={"target": None},
        labels={"file": "Project file", "target": "Project to replace"},
    )

    def run(form: Form):
        target = form.value("target")
        if target is None:
            form.refuse({"target": "Choose the project to replace."})
        done = transfer.import_project(
            engine(), _upload(form), actor=actor(), replace_project_id=target
        )
        st.session_state[OPEN_KEY] = done.project.id
        return done

    def question(form: Form) -> str:
        target = names.get(form.value("target"), "the chosen project")
        return (
            f"Replace everything in “{target}” with the file's content — charter, assessments, "
            "risks, scenarios, experiments, demos, interviews and the activity log? The project "
            "keeps its id and links. Download its export first if you may want it back."
        )

    with form.render():
        st.selectbox(
            "Project to replace",
            options=list(names),
            format_func=lambda project_id: names.get(project_id, "?"),
            index=None,
            placeholder="Choose a project",
            key=form.key("target"),
        )
        form.error("target")
        form.error("name")
        st.file_uploader(
            "Project file", type=["json"], key=form.key("file"), max_upload_size=MAX_UPLOAD_MB
        )
        form.error("file")
        _problems(form)
        form.submit_button("Replace the project with the file", run, confirm=question, success="")
