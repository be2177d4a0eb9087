"""SME interviews: send an expert a private form link, read the answers, turn them into work."""

from textwrap import shorten

import pandas as pd
import streamlit as st

from workbench.errors import InvalidInput, NotFound, StaleEditError
from workbench.reference.interviews import InvalidInterviewTemplate, default_templates
from workbench.services import interviews as interview_service
from workbench.services.interviews import CHARTER_FIELDS, ConversionTarget, InterviewStatus
from workbench.ui.common import (
    actor,
    data_changed,
    engine,
    field_error,
    now,
    require_project,
    show_stale,
    today,
)
from workbench.ui.forms import forget, form_errors, preload, set_form_errors

TARGET_LABELS = {
    ConversionTarget.CHARTER: "Charter text",
    ConversionTarget.RISK: "Risk",
    ConversionTarget.ASSUMPTION: "Assumption",
    ConversionTarget.OPEN_QUESTION: "Open question",
    ConversionTarget.PARKING_LOT: "Parking-lot item",
}


detail = require_project()
project = detail.project
pid = project.id
try:
    templates = default_templates()
except InvalidInterviewTemplate as error:
    st.error(f"An interview template cannot be used; fix the file and restart the app.\n\n{error}")
    st.stop()

NEW_LINK_KEY = f"interviews_{pid}__new_link"
NOTICE_KEY = f"interviews_{pid}__notice"

st.title("SME interviews")
st.caption(
    f"**{project.name}** · Ask the people who do the work today to teach you how they do it "
    "(Wilson ch. 3.1.1). Each expert gets a private link that opens only their form."
)

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.success(notice)
new_link = st.session_state.pop(NEW_LINK_KEY, None)


def keep_link(link: interview_service.InterviewLink, place: str) -> None:
    """Keep a fresh link for the next run, the only time it is shown (at `place`)."""
    st.session_state[NEW_LINK_KEY] = {
        "expert": link.interview.label,
        "url": interview_service.interview_url(st.context.url, link.token),
        "place": place,
    }


def show_link(place: str) -> None:
    """Show the link made by the last action, once, where that action was taken."""
    if new_link is None or new_link["place"] != place:
        return
    with st.container(border=True):
        st.markdown(f"**Private link for {new_link['expert']}** — copy it now and send it to them:")
        st.code(new_link["url"], language=None)
        st.caption(
            "The app keeps only a fingerprint of this link and cannot show it again. "
            "Lost it? Use *New link* below: the old link then stops working."
        )


show_link("create")


# --- New interview ------------------------------------------------------------------------------

interviews = interview_service.list_interviews(engine(), pid, now=now())
# Keep the form open while it shows messages.
pending_errors = any(form_errors(f"interview_new_{pid}_{tid}") for tid in templates)
with st.expander("New interview", icon=":material/add:", expanded=not interviews or pending_errors):
    template_id = st.selectbox(
        "Template",
        options=list(templates),
        format_func=lambda tid: templates[tid].title,
        key=f"interviews_{pid}_template",
        help="Question sets live in data/interview_templates/; add a .toml file for your own.",
    )
    template = templates[template_id]
    if template.description:
        st.caption(template.description)
    FORM = f"interview_new_{pid}_{template_id}"
    keys = {
        name: f"{FORM}_{name}"
        for name in ("expert_name", "expert_role", "expert_team", "questions", "extra", "days")
    }
    preload(
        {
            keys["questions"]: [q.id for q in template.questions],
            keys["days"]: interview_service.DEFAULT_LINK_DAYS,
        }
    )
    errors = form_errors(FORM)
    with st.form(FORM):
        columns = st.columns(3)
        with columns[0]:
            st.text_input("Expert's name *", key=keys["expert_name"], max_chars=200)
            field_error(errors, "expert_name")
        with columns[1]:
            st.text_input("Role", key=keys["expert_role"], max_chars=200, placeholder="Shift lead")
            field_error(errors, "expert_role")
        with columns[2]:
            st.text_input("Team", key=keys["expert_team"], max_chars=200, placeholder="Dispatch")
            field_error(errors, "expert_team")
        texts = {q.id: q.text + (" (critical)" if q.critical else "") for q in template.questions}
        st.multiselect(
            "Questions to ask",
            options=list(texts),
            format_func=texts.get,
            key=keys["questions"],
            help="Remove the questions that do not fit this expert.",
        )
        field_error(errors, "questions")
        st.text_area(
            "Your own questions (one per line)",
            key=keys["extra"],
            height=80,
            placeholder="Which trucks break down most often?",
        )
        field_error(errors, "extra_questions")
        st.number_input(
            "Link valid for (days)",
            min_value=1,
            max_value=interview_service.MAX_LINK_DAYS,
            step=1,
            key=keys["days"],
        )
        field_error(errors, "expires_in_days")
        field_error(errors, "template_id")
        field_error(errors, "actor")
        create = st.form_submit_button("Create interview and link", type="primary")
    if create:
        chosen = set(st.session_state[keys["questions"]])
        try:
            link = interview_service.create_interview(
                engine(),
                project_id=pid,
                expert_name=st.session_state[keys["expert_name"]],
                expert_role=st.session_state[keys["expert_role"]],
                expert_team=st.session_state[keys["expert_team"]],
                template_id=template_id,
                drop_question_ids=[q.id for q in template.questions if q.id not in chosen],
                extra_questions=st.session_state[keys["extra"]].splitlines(),
                expires_in_days=int(st.session_state[keys["days"]]),
                actor=actor(),
                now=now(),
            )
        except InvalidInput as error:
            set_form_errors(FORM, error.errors)
        else:
            set_form_errors(FORM, None)
            forget(keys.values())
            keep_link(link, "create")
            data_changed()
        st.rerun()

# --- Interviews and their links -----------------------------------------------------------------

st.subheader("Interviews")
if not interviews:
    st.info("No interviews yet. Create one above and send the expert their link.")
else:
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
    by_id = {i.id: i for i in interviews}
    manage = f"interviews_{pid}_manage"
    manage_errors = form_errors(manage)
    chosen_id = st.selectbox(
        "Interview",
        options=list(by_id),
        format_func=lambda iid: f"{by_id[iid].label} · {by_id[iid].status.value}",
        key=f"{manage}_choice",
    )
    chosen = by_id[chosen_id]
    buttons = st.columns([1, 1, 1, 2])
    revoke = buttons[0].button(
        "Revoke link",
        icon=":material/link_off:",
        disabled=chosen.status == InterviewStatus.REVOKED,
        help="The link stops working at once. The answers stay.",
    )
    rotate = buttons[1].button(
        "New link",
        icon=":material/autorenew:",
        help="Make a new link (the old one stops working), e.g. when the link was lost.",
    )
    reopen = buttons[2].button(
        "Reopen for edits",
        icon=":material/lock_open:",
        disabled=chosen.status != InterviewStatus.SUBMITTED,
        help="Let the expert change a submitted form again.",
    )
    field_error(manage_errors, "actor")
    field_error(manage_errors, "interview")
    field_error(manage_errors, "form")
    show_link("rotate")
    if revoke or rotate or reopen:
        arguments = {"project_id": pid, "interview_id": chosen_id, "actor": actor(), "now": now()}
        try:
            if revoke:
                interview_service.revoke_interview(engine(), **arguments)
                st.session_state[NOTICE_KEY] = f"The link of {chosen.label} no longer works."
            elif rotate:
                keep_link(interview_service.rotate_link(engine(), **arguments), "rotate")
            else:
                interview_service.reopen_interview(engine(), **arguments)
                st.session_state[NOTICE_KEY] = f"{chosen.label} can edit their answers again."
        except InvalidInput as error:
            set_form_errors(manage, error.errors)
        except NotFound as error:
            set_form_errors(manage, {"interview": str(error)})
        else:
            set_form_errors(manage, None)
            data_changed()
        st.rerun()

# --- Answers side by side, and coverage ---------------------------------------------------------

st.subheader("Answers side by side")
include_drafts = st.toggle(
    "Include drafts (answers not submitted yet)",
    key=f"interviews_{pid}_drafts",
    help="By default only submitted answers count.",
)
grid = interview_service.answers_side_by_side(engine(), pid, include_drafts=include_drafts)
if grid:
    st.dataframe(pd.DataFrame(grid), hide_index=True, width="stretch")
else:
    st.caption("No answers yet.")

coverage = interview_service.coverage(engine(), pid, include_drafts=include_drafts)
if coverage:
    missing = [row for row in coverage if not row.covered]
    if missing:
        st.warning(
            "Critical questions no expert has answered yet: "
            + "; ".join(f"*{row.text}*" for row in missing),
            icon=":material/help:",
        )
    else:
        st.success("Every critical question has at least one answer.", icon=":material/done_all:")
    with st.expander("Coverage of critical questions"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Critical question": row.text,
                        "Asked in": row.asked_in,
                        "Answered by": ", ".join(row.answered_by) or "nobody yet",
                    }
                    for row in coverage
                ]
            ),
            hide_index=True,
            width="stretch",
        )

# --- Turn an answer into charter text, a risk, a note or a parked idea --------------------------

answers = interview_service.list_answers(engine(), pid, include_drafts=include_drafts)
st.subheader("Turn an answer into…")
if not answers:
    st.caption("Answers appear here once an expert submits the form.")
    st.stop()
by_answer = {a.id: a for a in answers}
answer_id = st.selectbox(
    "Answer",
    options=list(by_answer),
    format_func=lambda aid: (
        f"{by_answer[aid].expert} · "
        + shorten(by_answer[aid].question_text, 70, placeholder="…")
        + (f" · {len(by_answer[aid].derived)} made" if by_answer[aid].derived else "")
    ),
    key=f"interviews_{pid}_answer",
)
answer = by_answer[answer_id]
with st.container(border=True):
    st.caption(f"{answer.expert} — {answer.question_text}")
    st.text(answer.answer)
if answer.derived:
    st.markdown(
        "**Already made from this answer:** "
        + "; ".join(
            f"{TARGET_LABELS[d.kind]} #{d.record_id}: {d.text[:80]}" for d in answer.derived
        )
    )
else:
    st.caption("Nothing made from this answer yet.")

CONVERT = f"interviews_{pid}_convert_{answer_id}"
convert_keys = {name: f"{CONVERT}_{name}" for name in ("to", "field", "title", "text")}
preload(
    {
        convert_keys["title"]: answer.answer.splitlines()[0][:120],
        convert_keys["text"]: answer.answer,
    }
)
convert_errors = form_errors(CONVERT)
target = st.radio(
    "Turn into",
    options=list(TARGET_LABELS),
    format_func=TARGET_LABELS.get,
    horizontal=True,
    key=convert_keys["to"],
)
if target == ConversionTarget.CHARTER:
    st.selectbox(
        "Charter field",
        options=list(CHARTER_FIELDS),
        format_func=CHARTER_FIELDS.get,
        key=convert_keys["field"],
        help="The text is added at the end of this field, with the expert's name.",
    )
    field_error(convert_errors, "charter_field")
if target == ConversionTarget.RISK:
    st.text_input("Risk title", key=convert_keys["title"], max_chars=200)
    field_error(convert_errors, "title")
st.text_area("Text", key=convert_keys["text"], height=100)
field_error(convert_errors, "text")
for name in ("to", "actor", "current_process", "problem", "why_now", "affected", "baseline"):
    field_error(convert_errors, name)
if st.button(f"Turn into {TARGET_LABELS[target].lower()}", type="primary"):
    try:
        made = interview_service.convert_answer(
            engine(),
            answer_id,
            project_id=pid,
            to=target,
            actor=actor(),
            today=today(),
            text=st.session_state[convert_keys["text"]],
            title=st.session_state.get(convert_keys["title"]),
            charter_field=st.session_state.get(convert_keys["field"]) or "current_process",
            expected_version=project.version,
        )
    except InvalidInput as error:
        set_form_errors(CONVERT, error.errors)
        st.rerun()
    except StaleEditError as error:
        show_stale(error)
    else:
        set_form_errors(CONVERT, None)
        forget(convert_keys.values())
        st.session_state[NOTICE_KEY] = (
            f"Made {TARGET_LABELS[made.kind].lower()} #{made.record_id} from "
            f"{answer.expert}'s answer; it links back to the answer."
        )
        data_changed()
        st.rerun()
