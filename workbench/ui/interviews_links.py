"""SME interviews page, the links: the new-interview form, the list, and the link actions
(revoke — with confirmation — reopen the link, new link, reopen for edits)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from workbench.reference.interviews import InterviewTemplate
from workbench.services import interviews as interview_service
from workbench.services.interviews import InterviewStatus, InterviewSummary
from workbench.ui.access import open_workspace_warning
from workbench.ui.common import actor, engine, now
from workbench.ui.forms import Form

NEW_LABELS = {
    "expert_name": "Expert's name *",
    "expert_role": "Role",
    "expert_team": "Team",
    "questions": "Questions to ask",
    "extra": "Your own questions (one per line)",
    "extra_questions": "Your own questions (one per line)",
    "days": "Link valid for (days)",
    "expires_in_days": "Link valid for (days)",
    "template_id": "Template",
}


def _link_key(pid: int) -> str:
    return f"interviews_{pid}__new_link"


def keep_link(pid: int, link: interview_service.InterviewLink, place: str) -> None:
    """Keep a fresh link for the next run, the only time it is shown (at `place`)."""
    st.session_state[_link_key(pid)] = {
        "expert": link.interview.label,
        "url": interview_service.interview_url(st.context.url, link.token),
        "place": place,
    }


def show_link(pid: int, place: str) -> None:
    """Show the link made by the last action, once, where that action was taken."""
    fresh = st.session_state.get(_link_key(pid))
    if fresh is None or fresh["place"] != place:
        return
    del st.session_state[_link_key(pid)]
    with st.container(border=True):
        st.markdown("**Private link** — copy it now and send it to this expert:")
        st.text(fresh["expert"])
        st.code(fresh["url"], language=None)
        st.caption(
            "The app keeps only a fingerprint of this link and cannot show it again. "
            "Lost it? Use *New link* below: the old link then stops working."
        )


def new_interview(
    pid: int,
    templates: Mapping[str, InterviewTemplate],
    interviews: Sequence[InterviewSummary],
) -> None:
    """The expander with the new-interview form (an add form: empty again after a save)."""
    template_id = st.session_state.get(f"interviews_{pid}_template", next(iter(templates)))
    form = Form(
        f"interview_new_{pid}_{template_id}",
        version=interview_service.newest_interview_id(interviews),
        initial={
            "expert_name": "",
            "expert_role": "",
            "expert_team": "",
            "questions": [q.id for q in templates[template_id].questions],
            "extra": "",
            "days": interview_service.DEFAULT_LINK_DAYS,
        },
        labels=NEW_LABELS,
    )
    # The pinned "version" only refuses a second link for the same expert; an interview for
    # someone else created meanwhile is no reason for the "someone changed this" warning.
    form.current_version = None
    busy = bool(form.errors) or form.stale is not None
    with st.expander("New interview", icon=":material/add:", expanded=not interviews or busy):
        open_workspace_warning()
        st.selectbox(
            "Template",
            options=list(templates),
            format_func=lambda tid: templates[tid].title,
            key=f"interviews_{pid}_template",
            help="Question sets live in data/interview_templates/; add a .toml file for your own.",
        )
        template = templates[template_id]
        if template.description:
            st.caption(template.description)
        _new_interview_form(pid, form, template)


def _new_interview_form(pid: int, form: Form, template: InterviewTemplate) -> None:
    def create(form: Form) -> interview_service.InterviewLink:
        chosen = set(form.value("questions") or [])
        link = interview_service.create_interview(
            engine(),
            project_id=pid,
            expected_version=form.version,
            expert_name=form.value("expert_name"),
            expert_role=form.value("expert_role"),
            expert_team=form.value("expert_team"),
            template_id=template.id,
            drop_question_ids=[q.id for q in template.questions if q.id not in chosen],
            extra_questions=(form.value("extra") or "").splitlines(),
            expires_in_days=int(form.value("days")),
            actor=actor(),
            now=now(),
        )
        keep_link(pid, link, "create")
        return link

    with form.render():
        form.error("template_id")
        columns = st.columns(3)
        with columns[0]:
            st.text_input("Expert's name *", key=form.key("expert_name"), max_chars=200)
            form.error("expert_name")
        with columns[1]:
            st.text_input(
                "Role", key=form.key("expert_role"), max_chars=200, placeholder="Shift lead"
            )
            form.error("expert_role")
        with columns[2]:
            st.text_input(
                "Team", key=form.key("expert_team"), max_chars=200, placeholder="Dispatch"
            )
            form.error("expert_team")
        texts = {q.id: q.text + (" (critical)" if q.critical else "") for q in template.questions}
        st.multiselect(
            "Questions to ask",
            options=list(texts),
            format_func=texts.get,
            key=form.key("questions"),
            help="Remove the questions that do not fit this expert.",
        )
        form.error("questions")
        st.text_area(
            "Your own questions (one per line)",
            key=form.key("extra"),
            height=80,
            placeholder="Which trucks break down most often?",
        )
        form.error("extra_questions")
        st.number_input(
            "Link valid for (days)",
            min_value=1,
            max_value=interview_service.MAX_LINK_DAYS,
            step=1,
            key=form.key("days"),
        )
        form.error("expires_in_days")
        form.submit_button(
            "Create interview and link",
            create,
            success="Interview created. Copy the private link above and send it to the expert.",
            type="primary",
        )


def interviews_table(interviews: Sequence[InterviewSummary]) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Expert": i.label,
                    "Role": i.expert_role,
                    "Status": i.status.value
                    + (
                        " (link expired)"
                        if i.link_expired and i.status != InterviewStatus.REVOKED
                        else ""
                    ),
                    "Answered": f"{i.answered} of {len(i.questions)}",
                    "Link valid until": i.expires_at,
                    "Submitted": i.submitted_at,
                    "Created by": i.created_by,
                }
                for i in interviews
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Link valid until": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
            "Submitted": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        },
    )


def link_actions(pid: int, chosen: InterviewSummary) -> None:
    """Revoke (asks first) / reopen the link / new link / reopen for edits, for one interview.

    Each is a form pinning the version of the interview first shown; a successful action starts
    all four afresh (they all pinned the version it changed)."""
    names = ("revoke", "reopen_link", "rotate", "reopen")
    forms = {
        name: Form(
            f"interview_{chosen.id}_{name}", version=chosen.version, labels={"status": "Status"}
        )
        for name in names
    }

    def acting(call: Callable[..., object]) -> Callable[[Form], object]:
        def action(form: Form) -> object:
            try:
                return call(
                    engine(),
                    project_id=pid,
                    interview_id=chosen.id,
                    expected_version=form.version,
                    actor=actor(),
                    now=now(),
                )
            finally:
                # Done or refused as stale: the other actions start from the newer state (only
                # this form shows the conflict); they hold nothing the user typed.
                for other in forms.values():
                    if other is not form:
                        other.reset()

        return action

    def rotate(form: Form) -> object:
        link = acting(interview_service.rotate_link)(form)
        keep_link(pid, link, "rotate")
        return link

    status = chosen.status
    top, bottom = st.columns(2), st.columns(2)
    with top[0], forms["revoke"].render(border=False):
        forms["revoke"].submit_button(
            "Revoke link",
            acting(interview_service.revoke_interview),
            confirm=lambda _: (
                "Revoke this expert's link? It stops working at once; the answers stay. "
                "“Reopen link” undoes this (the same link works again), or send a new link."
            ),
            success="The link no longer works; the answers stay. “Reopen link” undoes this.",
            icon=":material/link_off:",
            disabled=status == InterviewStatus.REVOKED,
        )
    with top[1], forms["reopen_link"].render(border=False):
        forms["reopen_link"].submit_button(
            "Reopen link",
            acting(interview_service.reopen_link),
            success="The revoked link works again.",
            icon=":material/undo:",
            disabled=status != InterviewStatus.REVOKED,
            help="Undo a revoke: the same link works again (until it expires).",
        )
    with bottom[0], forms["rotate"].render(border=False):
        forms["rotate"].submit_button(
            "New link",
            rotate,
            success="New link made: the old one no longer works. Copy the new one below.",
            icon=":material/autorenew:",
            help="Make a new link (the old one stops working), e.g. when the link was lost.",
        )
    with bottom[1], forms["reopen"].render(border=False):
        forms["reopen"].submit_button(
            "Reopen for edits",
            acting(interview_service.reopen_interview),
            success="The expert can edit their answers again.",
            icon=":material/lock_open:",
            disabled=status != InterviewStatus.SUBMITTED,
            help="Let the expert change a submitted form again.",
        )
    show_link(pid, "rotate")
