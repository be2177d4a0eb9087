"""The expert's side, by token only: open the form, save a draft, submit.

A wrong, expired or revoked token raises `LinkNotValid` (one message for all three); a valid
token reaches only its own interview: its questions, the expert's answers, the project's name.
Nothing here names anyone of the team: a concurrent change is refused with a bare
`StaleEditError` that the expert's page words for the expert.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from workbench import crud
from workbench.errors import InvalidInput, StaleEditError
from workbench.models import Interview, InterviewAnswer, InterviewStatus, Project
from workbench.services.interviews.common import (
    ANSWER_MAX,
    FORM,
    TOKEN_MAX_CHARS,
    ExpertForm,
    FormIsReadOnly,
    LinkNotValid,
    check_now,
    expert_actor,
    label,
    questions_of,
    token_hash,
)


def _by_token(session: Session, token: Any, now: datetime) -> Interview:
    """The interview a token opens; LinkNotValid (one message) for anything else."""
    check_now(now)
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_CHARS:
        raise LinkNotValid()
    digest = token_hash(token)
    interview = session.exec(select(Interview).where(Interview.token_hash == digest)).first()
    if interview is None or not hmac.compare_digest(interview.token_hash, digest):
        raise LinkNotValid()
    if interview.status == InterviewStatus.REVOKED:
        raise LinkNotValid()
    if interview.expires_at is not None and now >= interview.expires_at:
        raise LinkNotValid()
    return interview


def _answers(session: Session, interview_id: int) -> dict[str, InterviewAnswer]:
    rows = session.exec(
        select(InterviewAnswer).where(InterviewAnswer.interview_id == interview_id)
    ).all()
    return {row.question_id: row for row in rows}


def _form(session: Session, interview: Interview) -> ExpertForm:
    project_name = session.exec(
        select(Project.name).where(Project.id == interview.project_id)
    ).one()
    asked = {q["id"] for q in interview.questions}
    return ExpertForm(
        expert_name=interview.expert_name,
        project_name=project_name,
        status=InterviewStatus(interview.status),
        # The expert sees the question and its help; sources are for the team.
        questions=tuple(replace(q, source="") for q in questions_of(interview)),
        answers={
            qid: row.answer
            for qid, row in _answers(session, interview.id).items()
            if qid in asked and row.answer
        },
        submitted_at=interview.submitted_at,
        expires_at=interview.expires_at,
    )


def _commit(session: Session) -> None:
    """Commit; a change that crossed another one (the team's, another tab's) is stale."""
    try:
        session.commit()
    except (StaleDataError, IntegrityError):
        session.rollback()
        raise StaleEditError(current=None, conflicts={}, saved_by="") from None


def open_interview_by_token(engine: Engine, token: str, now: datetime) -> ExpertForm:
    """The expert's form for `token`: only that interview, the project's name, saved answers.

    Raises LinkNotValid (always the same message) for a wrong, expired or revoked token.
    """
    with Session(engine) as session:
        return _form(session, _by_token(session, token, now))


def _clean_answers(interview: Interview, answers: Mapping[str, Any]) -> dict[str, str]:
    asked = {q["id"] for q in interview.questions}
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for question_id, value in answers.items():
        if question_id not in asked:
            errors[str(question_id)] = "This question is not part of this interview."
            continue
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[question_id] = "An answer must be text."
            continue
        value = value.strip()
        if len(value) > ANSWER_MAX:
            errors[question_id] = (
                f"Too long: at most {ANSWER_MAX} characters (this has {len(value)})."
            )
            continue
        cleaned[question_id] = value
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _store_answers(
    session: Session, interview: Interview, answers: Mapping[str, str], now: datetime
) -> list[str]:
    """Insert or update the given answers; returns the ids of the questions that changed."""
    existing = _answers(session, interview.id)
    changed = []
    for question_id, text in answers.items():
        row = existing.get(question_id)
        if row is None:
            if not text:
                continue
            session.add(
                InterviewAnswer(
                    interview_id=interview.id, question_id=question_id, answer=text, updated_at=now
                )
            )
        elif row.answer != text:
            # An emptied answer keeps its row: risks or notes made from it still link to it.
            row.answer = text
            row.updated_at = now
            session.add(row)
        else:
            continue
        changed.append(question_id)
    return changed


def save_draft(engine: Engine, token: str, answers: Mapping[str, Any], now: datetime) -> ExpertForm:
    """Save the expert's answers so far (all or none); the interview becomes a draft.

    Raises LinkNotValid for a bad token, FormIsReadOnly once submitted, InvalidInput (keyed by
    question id, nothing stored) for an unknown question or an answer that is too long.
    """
    with Session(engine) as session:
        interview = _by_token(session, token, now)
        if interview.status == InterviewStatus.SUBMITTED:
            raise FormIsReadOnly()
        cleaned = _clean_answers(interview, answers)
        changed = _store_answers(session, interview, cleaned, now)
        if changed:
            previous = InterviewStatus(interview.status)
            interview.status = InterviewStatus.DRAFT
            interview.updated_at = now
            session.add(interview)
            crud.record_activity(
                session,
                project_id=interview.project_id,
                actor=expert_actor(interview),
                action="interview draft saved",
                summary=f"{label(interview)} saved a draft ({len(changed)} answers changed).",
                changes={
                    "interview_id": interview.id,
                    "answers changed": changed,
                    **(
                        {"status": [previous.value, InterviewStatus.DRAFT.value]}
                        if previous != InterviewStatus.DRAFT
                        else {}
                    ),
                },
            )
            _commit(session)
            session.refresh(interview)
        return _form(session, interview)


def submit(engine: Engine, token: str, answers: Mapping[str, Any], now: datetime) -> ExpertForm:
    """Save the expert's final answers and submit: the form is read-only afterwards.

    Submitting again exactly what was submitted (a double click, a second tab) changes nothing
    and is no error. Raises LinkNotValid for a bad token, FormIsReadOnly when submitted answers
    would change, InvalidInput (nothing stored) for bad answers or when nothing is answered.
    """
    with Session(engine) as session:
        interview = _by_token(session, token, now)
        cleaned = _clean_answers(interview, answers)
        saved = {qid: row.answer for qid, row in _answers(session, interview.id).items()}
        if interview.status == InterviewStatus.SUBMITTED:
            if all(saved.get(qid, "") == text for qid, text in cleaned.items()):
                return _form(session, interview)  # already sent, exactly this: nothing to do
            raise FormIsReadOnly()
        if not any({**saved, **cleaned}.values()):
            raise InvalidInput({FORM: "Answer at least one question before submitting."})
        changed = _store_answers(session, interview, cleaned, now)
        previous = InterviewStatus(interview.status)
        interview.status = InterviewStatus.SUBMITTED
        interview.submitted_at = now
        interview.updated_at = now
        session.add(interview)
        crud.record_activity(
            session,
            project_id=interview.project_id,
            actor=expert_actor(interview),
            action="interview submitted",
            summary=f"{label(interview)} submitted the interview answers.",
            changes={
                "interview_id": interview.id,
                "answers changed": changed,
                "status": [previous.value, InterviewStatus.SUBMITTED.value],
            },
        )
        _commit(session)
        session.refresh(interview)
        return _form(session, interview)
