"""The team's side of the links: create an interview and its private link, list, revoke, reopen
the link (undo a revoke), make a new link, reopen a submitted form for edits.

Every change of an interview is checked against the version the user saw (`expected_version`)
through `workbench.versioning`; a stale one is refused with `StaleEditError`, nothing written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from workbench import crud, versioning
from workbench.errors import InvalidInput, NotFound
from workbench.models import SHORT_TEXT_MAX, ActivityEntry, Interview, InterviewStatus, Project
from workbench.reference.interviews import (
    QUESTION_TEXT_MAX,
    InterviewQuestion,
    InterviewTemplate,
    default_templates,
)
from workbench.services import projects as project_service
from workbench.services.interviews.common import (
    DEFAULT_LINK_DAYS,
    FORM,
    InterviewLink,
    InterviewSummary,
    MadeMeanwhile,
    Seen,
    answered_counts,
    check_days,
    check_now,
    expert_label,
    label,
    new_token,
    project_interviews,
    summary,
    token_hash,
)

REVOKED_ACTION = "interview revoked"


def _custom_question(entry: str | Mapping[str, Any], actor: str) -> InterviewQuestion:
    if isinstance(entry, str):
        entry = {"text": entry}
    text = str(entry.get("text", "")).strip()
    return InterviewQuestion(
        id="custom_"
        + hashlib.sha256(text.lower().encode("utf-8", "surrogatepass")).hexdigest()[:10],
        text=text,
        help=str(entry.get("help", "") or "").strip(),
        source=f"Added by {actor}",
        critical=bool(entry.get("critical", False)),
    )


def newest_interview_id(interviews: Iterable[InterviewSummary]) -> int:
    """The version an add form pins: the id of the newest interview the user saw (0: none)."""
    return max((i.id for i in interviews), default=0)


def _refuse_duplicate(
    session: Session, project_id: int, expected_version: int, name: str, team: str, role: str
) -> None:
    """Refuse an interview for an expert someone gave a link after the user opened the form."""
    rows = project_interviews(session, project_id)
    for row in rows:
        if (
            row.id > expected_version
            and row.status != InterviewStatus.REVOKED
            and row.expert_name.casefold() == name.casefold()
            and row.expert_team.casefold() == team.casefold()
        ):
            theirs = f"{label(row)}, created by {row.created_by}"
            raise MadeMeanwhile(
                current=Seen(version=max(r.id for r in rows), made=theirs),
                conflicts={"expert_name": (expert_label(name, team, role), theirs)},
                message=(
                    f"Not created: {row.created_by} created an interview for {label(row)} after "
                    "you opened this form, so the expert already has a link. To create a second "
                    "one anyway, choose “Keep my edits” and click again."
                ),
            )


def create_interview(
    engine: Engine,
    *,
    project_id: int,
    expert_name: str,
    template_id: str,
    actor: str,
    now: datetime,
    expert_role: str = "",
    expert_team: str = "",
    drop_question_ids: Iterable[str] = (),
    extra_questions: Iterable[str | Mapping[str, Any]] = (),
    expires_in_days: int = DEFAULT_LINK_DAYS,
    templates: Mapping[str, InterviewTemplate] | None = None,
    expected_version: int | None = None,
) -> InterviewLink:
    """Create an interview for a named expert from a template and make its private link.

    `drop_question_ids` removes template questions; `extra_questions` adds the team's own (texts,
    or mappings with text/help/critical). The link is valid for `expires_in_days` from `now`.
    `expected_version` is the newest interview id the user saw (`newest_interview_id`): an
    interview for the same expert (name and team) created after it refuses this one
    (`MadeMeanwhile`, a `StaleEditError`), so two people do not send one expert two links.
    Returns the interview and the plain token, which is never stored and cannot be shown again.
    Raises InvalidInput (nothing stored) naming each bad field.
    """
    check_now(now)
    templates = default_templates() if templates is None else templates
    errors: dict[str, str] = {}
    try:
        actor = project_service.check_actor(actor)
    except InvalidInput as error:
        errors.update(error.errors)
    expert_name = (expert_name or "").strip()
    expert_role, expert_team = (expert_role or "").strip(), (expert_team or "").strip()
    if not expert_name:
        errors["expert_name"] = "Required: who is the expert?"
    for name, value in (
        ("expert_name", expert_name),
        ("expert_role", expert_role),
        ("expert_team", expert_team),
    ):
        if len(value) > SHORT_TEXT_MAX:
            errors[name] = f"Too long: at most {SHORT_TEXT_MAX} characters (this has {len(value)})."
    days = check_days(expires_in_days, errors)
    template = templates.get(template_id)
    questions: list[InterviewQuestion] = []
    if template is None:
        errors["template_id"] = (
            f"Unknown template {template_id!r}. Choose one of: {', '.join(templates)}."
        )
    else:
        dropped = set(drop_question_ids)
        unknown = sorted(dropped - {q.id for q in template.questions})
        if unknown:
            errors["questions"] = f"Not in the template: {', '.join(unknown)}."
        questions = [q for q in template.questions if q.id not in dropped]
    seen = {q.id for q in questions}
    for number, entry in enumerate(extra_questions, start=1):
        question = _custom_question(entry, actor or "the team")
        if not question.text or question.id in seen:
            continue  # blank lines and repeats are not new questions
        if len(question.text) > QUESTION_TEXT_MAX:
            errors["extra_questions"] = (
                f"Added question {number} is too long: at most {QUESTION_TEXT_MAX} characters."
            )
        seen.add(question.id)
        questions.append(question)
    if template is not None and not questions and "questions" not in errors:
        errors["questions"] = "Keep or add at least one question."
    if errors:
        raise InvalidInput(errors)

    token = new_token()
    with Session(engine) as session:
        if session.get(Project, project_id) is None:
            raise NotFound(f"There is no project with id {project_id}.")
        if expected_version is not None:
            _refuse_duplicate(
                session, project_id, expected_version, expert_name, expert_team, expert_role
            )
        interview = Interview(
            project_id=project_id,
            expert_name=expert_name,
            expert_role=expert_role,
            expert_team=expert_team,
            template_id=template.id,
            questions=[q.as_dict() for q in questions],
            token_hash=token_hash(token),
            status=InterviewStatus.SENT,
            expires_at=now + timedelta(days=days),
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        session.add(interview)
        session.flush()
        who = expert_label(expert_name, expert_team, expert_role)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="interview created",
            summary=(
                f"Interview for {who} from template {template.title!r}: {len(questions)} "
                f"questions; link valid until {interview.expires_at:%Y-%m-%d}."
            ),
            changes={
                "interview_id": interview.id,
                "expert": who,
                "template_id": template.id,
                "questions": [q.id for q in questions],
                "expires_at": interview.expires_at.isoformat(),
            },
        )
        session.commit()
        session.refresh(interview)
        return InterviewLink(interview=summary(interview, 0, now), token=token)


def list_interviews(engine: Engine, project_id: int, *, now: datetime) -> list[InterviewSummary]:
    """A project's interviews, oldest first, with status and how many questions are answered."""
    check_now(now)
    with Session(engine) as session:
        rows = project_interviews(session, project_id)
        counts = answered_counts(session, [row.id for row in rows])
        return [summary(row, counts.get(row.id, 0), now) for row in rows]


class _InterviewEdit:
    """One change of an interview the user saw at `expected_version`.

    Made, it checks the clock and who is acting; entered, it opens the unit of work and loads
    the interview (NotFound / StaleEditError); `save` logs the change and commits it,
    version-checked, with `mine` (the user's values) for the conflict view.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        project_id: int,
        interview_id: int,
        expected_version: int,
        actor: str,
        now: datetime,
        mine: Mapping[str, Any] | None = None,
    ) -> None:
        check_now(now)
        self.actor = project_service.check_actor(actor)
        self.engine = engine
        self.project_id = project_id
        self.interview_id = interview_id
        self.expected_version = expected_version
        self.now = now
        self.mine = dict(mine or {})

    def __enter__(self) -> _InterviewEdit:
        self.session = Session(self.engine)
        try:
            self.interview = versioning.load_for_edit(
                self.session,
                Interview,
                self.interview_id,
                self.expected_version,
                self.mine,
                what="interview",
                project_id=self.project_id,
                public=self.public,
            )
        except BaseException:
            self.session.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.session.close()

    def public(self, row: Interview) -> InterviewSummary:
        """An interview as the team sees it (also how a newer one is shown in a conflict)."""
        return summary(row, answered_counts(self.session, [row.id]).get(row.id, 0), self.now)

    def save(self, *, action: str, text: str, changes: Mapping[str, Any]) -> InterviewSummary:
        """Log the change, commit it version-checked, and return the interview as saved."""
        interview = self.interview
        interview.updated_at = self.now
        crud.record_activity(
            self.session,
            project_id=self.project_id,
            actor=self.actor,
            action=action,
            summary=text,
            changes={"interview_id": interview.id, **changes},
        )
        self.session.add(interview)
        versioning.commit(self.session, interview, self.mine, public=self.public)
        self.session.refresh(interview)
        return self.public(interview)


def _status_before_revoke(session: Session, interview: Interview) -> InterviewStatus:
    """The status a revoked interview had (from its log), else the one its answers suggest."""
    entries = session.exec(
        select(ActivityEntry)
        .where(
            ActivityEntry.project_id == interview.project_id,
            ActivityEntry.action == REVOKED_ACTION,
        )
        .order_by(col(ActivityEntry.id).desc())
    ).all()
    for entry in entries:
        changes = entry.changes or {}
        if changes.get("interview_id") == interview.id:
            before = (changes.get("status") or [None])[0]
            if before in {s.value for s in InterviewStatus} and before != InterviewStatus.REVOKED:
                return InterviewStatus(before)
            break
    if interview.submitted_at is not None:
        return InterviewStatus.SUBMITTED
    answered = answered_counts(session, [interview.id]).get(interview.id, 0)
    return InterviewStatus.DRAFT if answered else InterviewStatus.SENT


def revoke_interview(
    engine: Engine,
    *,
    project_id: int,
    interview_id: int,
    expected_version: int,
    actor: str,
    now: datetime,
) -> InterviewSummary:
    """Kill an interview's link: from now on it shows 'not valid'. The answers stay, and
    `reopen_link` (the same link) or `rotate_link` (a new one) undoes it."""
    with _InterviewEdit(
        engine,
        project_id=project_id,
        interview_id=interview_id,
        expected_version=expected_version,
        actor=actor,
        now=now,
        mine={"status": InterviewStatus.REVOKED},
    ) as edit:
        interview = edit.interview
        if interview.status == InterviewStatus.REVOKED:
            raise InvalidInput({FORM: "This link is revoked already."})
        previous = InterviewStatus(interview.status)
        interview.status = InterviewStatus.REVOKED
        return edit.save(
            action=REVOKED_ACTION,
            text=f"Revoked the interview link of {label(interview)}.",
            changes={"status": [previous.value, InterviewStatus.REVOKED.value]},
        )


def reopen_link(
    engine: Engine,
    *,
    project_id: int,
    interview_id: int,
    expected_version: int,
    actor: str,
    now: datetime,
) -> InterviewSummary:
    """Undo a revoke: the same link works again (until it expires), in the state it had."""
    with _InterviewEdit(
        engine,
        project_id=project_id,
        interview_id=interview_id,
        expected_version=expected_version,
        actor=actor,
        now=now,
    ) as edit:
        interview = edit.interview
        if interview.status != InterviewStatus.REVOKED:
            raise InvalidInput({FORM: "This link is not revoked; it works already."})
        if interview.expires_at is not None and now >= interview.expires_at:
            raise InvalidInput(
                {
                    FORM: f"The old link expired on {interview.expires_at:%Y-%m-%d}; "
                    "make a new link instead."
                }
            )
        restored = _status_before_revoke(edit.session, interview)
        interview.status = restored
        return edit.save(
            action="interview link reopened",
            text=f"Reopened the revoked link of {label(interview)}: the same link works again.",
            changes={"status": [InterviewStatus.REVOKED.value, restored.value]},
        )


def rotate_link(
    engine: Engine,
    *,
    project_id: int,
    interview_id: int,
    expected_version: int,
    actor: str,
    now: datetime,
    expires_in_days: int = DEFAULT_LINK_DAYS,
) -> InterviewLink:
    """Make a new link for an interview (the old one stops working), valid `expires_in_days`.

    A revoked interview becomes reachable again through the new link, in the state it had.
    """
    edit = _InterviewEdit(
        engine,
        project_id=project_id,
        interview_id=interview_id,
        expected_version=expected_version,
        actor=actor,
        now=now,
    )
    errors: dict[str, str] = {}
    days = check_days(expires_in_days, errors)
    if errors:
        raise InvalidInput(errors)
    token = new_token()
    with edit:
        interview = edit.interview
        previous_status = InterviewStatus(interview.status)
        previous_expiry = interview.expires_at
        if previous_status == InterviewStatus.REVOKED:
            interview.status = _status_before_revoke(edit.session, interview)
        interview.token_hash = token_hash(token)
        interview.expires_at = now + timedelta(days=days)
        changes: dict[str, Any] = {
            "expires_at": [
                previous_expiry.isoformat() if previous_expiry else None,
                interview.expires_at.isoformat(),
            ],
        }
        if InterviewStatus(interview.status) != previous_status:
            changes["status"] = [previous_status.value, InterviewStatus(interview.status).value]
        saved = edit.save(
            action="interview link replaced",
            text=(
                f"New link for the interview of {label(interview)} (the old link no longer "
                f"works); valid until {interview.expires_at:%Y-%m-%d}."
            ),
            changes=changes,
        )
        return InterviewLink(interview=saved, token=token)


def reopen_interview(
    engine: Engine,
    *,
    project_id: int,
    interview_id: int,
    expected_version: int,
    actor: str,
    now: datetime,
) -> InterviewSummary:
    """Let the expert change a submitted interview again (it goes back to draft)."""
    with _InterviewEdit(
        engine,
        project_id=project_id,
        interview_id=interview_id,
        expected_version=expected_version,
        actor=actor,
        now=now,
        mine={"status": InterviewStatus.DRAFT},
    ) as edit:
        interview = edit.interview
        if interview.status != InterviewStatus.SUBMITTED:
            raise InvalidInput(
                {
                    FORM: "Only a submitted interview can be reopened; this one is "
                    f"{InterviewStatus(interview.status).value}."
                }
            )
        interview.status = InterviewStatus.DRAFT
        return edit.save(
            action="interview reopened",
            text=f"Reopened the interview of {label(interview)}: the expert can edit again.",
            changes={"status": [InterviewStatus.SUBMITTED.value, InterviewStatus.DRAFT.value]},
        )
