"""SME interviews: a private form link per expert, their answers, and what the team makes of them.

The team side (create, list, revoke, new link, reopen, answers side by side, coverage, turn an
answer into charter text / a risk / a note / a parked idea) works by interview or answer id within
a project. The expert side works by token only: the token is 256 random bits
(`secrets.token_urlsafe(32)`), shown once when it is made; the database keeps only its SHA-256
hash. A wrong, expired or revoked token raises `LinkNotValid` with one and the same message, and
a valid token reaches only its own interview: its questions, the expert's own answers and the
project's name, nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from workbench import crud
from workbench.errors import InvalidInput, NotFound
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    ActivityEntry,
    Interview,
    InterviewAnswer,
    InterviewStatus,
    NoteKind,
    ParkingLotItem,
    Project,
    ProjectNote,
    Risk,
    SourceKind,
)
from workbench.reference.interviews import (
    QUESTION_TEXT_MAX,
    InterviewQuestion,
    InterviewTemplate,
    default_templates,
)
from workbench.services import projects as project_service
from workbench.services import registers

INTERVIEW_PARAM = "interview"
DEFAULT_LINK_DAYS = 30
MAX_LINK_DAYS = 365
TOKEN_BYTES = 32  # 256 random bits; at least 128 are needed to be unguessable
TOKEN_MAX_CHARS = 200
ANSWER_MAX = LONG_TEXT_MAX * 4
FALLBACK_BASE_URL = "http://127.0.0.1:8501"
CHARTER_ACTION = "answer turned into charter text"

CHARTER_FIELDS = {
    "current_process": "How is it done today?",
    "problem": "What is the business problem?",
    "why_now": "Why does it matter now?",
    "affected": "Who is affected?",
    "baseline": "Non-ML baseline to beat",
}


class LinkNotValid(LookupError):
    """The interview link is wrong, expired or revoked (deliberately the same for all three)."""

    def __init__(self) -> None:
        super().__init__("This link is not valid.")


class FormIsReadOnly(RuntimeError):
    """The expert submitted this interview; it cannot change until the team reopens it."""

    def __init__(self) -> None:
        super().__init__(
            "These answers were submitted and can no longer be changed. "
            "Ask the person who sent you the link to reopen the form."
        )


class ConversionTarget(StrEnum):
    """What an answer can be turned into, in one step."""

    CHARTER = "charter"
    RISK = "risk"
    ASSUMPTION = "assumption"
    OPEN_QUESTION = "open question"
    PARKING_LOT = "parking lot"


@dataclass(frozen=True)
class ExpertForm:
    """What an expert's link shows: their questions and answers, and the project's name only."""

    expert_name: str
    project_name: str
    status: InterviewStatus
    questions: tuple[InterviewQuestion, ...]
    answers: Mapping[str, str]
    submitted_at: datetime | None
    expires_at: datetime | None

    @property
    def read_only(self) -> bool:
        """True once submitted: the form shows the answers and accepts no change."""
        return self.status == InterviewStatus.SUBMITTED


@dataclass(frozen=True)
class InterviewSummary:
    """An interview as the team sees it in the list."""

    id: int
    project_id: int
    expert_name: str
    expert_role: str
    expert_team: str
    template_id: str
    status: InterviewStatus
    questions: tuple[InterviewQuestion, ...]
    answered: int
    expires_at: datetime | None
    link_expired: bool
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime
    version: int

    @property
    def label(self) -> str:
        """The expert as people name them: 'Dana (Dispatch)'."""
        return expert_label(self.expert_name, self.expert_team, self.expert_role)


@dataclass(frozen=True)
class InterviewLink:
    """A new private link: the plain token exists only here, once; the database keeps its hash."""

    interview: InterviewSummary
    token: str = field(repr=False)


@dataclass(frozen=True)
class DerivedRecord:
    """Something the team made from an answer: a risk, a note, a parked idea or charter text."""

    kind: ConversionTarget
    record_id: int
    text: str
    at: datetime
    by: str


@dataclass(frozen=True)
class InterviewAnswerPublic:
    """One expert's answer to one question, with what was made from it."""

    id: int
    interview_id: int
    expert: str
    interview_status: InterviewStatus
    question_id: str
    question_text: str
    answer: str
    updated_at: datetime
    derived: tuple[DerivedRecord, ...]


@dataclass(frozen=True)
class CoverageRow:
    """A critical question: in how many interviews it was asked, and who answered it."""

    question_id: str
    text: str
    asked_in: int
    answered_by: tuple[str, ...]

    @property
    def covered(self) -> bool:
        """True when at least one expert answered it."""
        return bool(self.answered_by)


# --- Small pure helpers -----------------------------------------------------------------------


def expert_label(name: str, team: str = "", role: str = "") -> str:
    """'Dana (Dispatch)': the name, with the team (else the role) in brackets when known."""
    extra = (team or role).strip()
    return f"{name} ({extra})" if extra else name


def token_hash(token: str) -> str:
    """The SHA-256 hex digest of a token: what the database stores instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh unguessable token: 32 random bytes (256 bits), URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def interview_url(page_url: str | None, token: str, page_path: str = "interviews") -> str:
    """The expert's link `<base>/?interview=TOKEN`, where base is the app's address.

    `page_url` is the address of the team's page (st.context.url); without it the link points
    at the default local address.
    """
    base = (page_url or "").split("?", 1)[0].rstrip("/")
    if base.endswith("/" + page_path):
        base = base[: -len(page_path) - 1]
    return f"{base or FALLBACK_BASE_URL}/?{urlencode({INTERVIEW_PARAM: token})}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source_label(interview: Interview, question_text: str) -> str:
    who = expert_label(interview.expert_name, interview.expert_team, interview.expert_role)
    return _clip(f"Interview with {who}, Q: {question_text}", SHORT_TEXT_MAX)


def _expert_actor(interview: Interview) -> str:
    return _clip(f"SME: {interview.expert_name}", SHORT_TEXT_MAX)


def _questions(interview: Interview) -> tuple[InterviewQuestion, ...]:
    return tuple(
        InterviewQuestion(
            id=q["id"],
            text=q["text"],
            help=q.get("help", ""),
            source=q.get("source", ""),
            critical=bool(q.get("critical", False)),
        )
        for q in interview.questions
    )


def _summary(interview: Interview, answered: int, now: datetime) -> InterviewSummary:
    return InterviewSummary(
        id=interview.id,
        project_id=interview.project_id,
        expert_name=interview.expert_name,
        expert_role=interview.expert_role,
        expert_team=interview.expert_team,
        template_id=interview.template_id,
        status=InterviewStatus(interview.status),
        questions=_questions(interview),
        answered=answered,
        expires_at=interview.expires_at,
        link_expired=interview.expires_at is not None and now >= interview.expires_at,
        created_by=interview.created_by,
        created_at=interview.created_at,
        submitted_at=interview.submitted_at,
        updated_at=interview.updated_at,
        version=interview.version,
    )


def _check_days(days: Any, errors: dict[str, str]) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_LINK_DAYS:
        errors["expires_in_days"] = f"Choose a whole number of days from 1 to {MAX_LINK_DAYS}."
        return DEFAULT_LINK_DAYS
    return days


def _check_now(now: datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")


def _commit(session: Session) -> None:
    """Commit; a concurrent change to the same interview is refused with a plain message."""
    try:
        session.commit()
    except (StaleDataError, IntegrityError) as error:
        session.rollback()
        raise InvalidInput(
            {"form": "Someone changed this interview at the same moment; reload and try again."}
        ) from error


# --- Team side: create and manage interviews ------------------------------------------------


def _custom_question(entry: str | Mapping[str, Any], actor: str) -> InterviewQuestion:
    if isinstance(entry, str):
        entry = {"text": entry}
    text = str(entry.get("text", "")).strip()
    return InterviewQuestion(
        id="custom_" + hashlib.sha256(text.lower().encode("utf-8")).hexdigest()[:10],
        text=text,
        help=str(entry.get("help", "") or "").strip(),
        source=f"Added by {actor}",
        critical=bool(entry.get("critical", False)),
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
) -> InterviewLink:
    """Create an interview for a named expert from a template and make its private link.

    `drop_question_ids` removes template questions; `extra_questions` adds the team's own (texts,
    or mappings with text/help/critical). The link is valid for `expires_in_days` from `now`.
    Returns the interview and the plain token, which is never stored and cannot be shown again.
    Raises InvalidInput (nothing stored) naming each bad field.
    """
    _check_now(now)
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
    days = _check_days(expires_in_days, errors)
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
        label = expert_label(expert_name, expert_team, expert_role)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="interview created",
            summary=(
                f"Interview for {label} from template {template.title!r}: {len(questions)} "
                f"questions; link valid until {interview.expires_at:%Y-%m-%d}."
            ),
            changes={
                "interview_id": interview.id,
                "expert": label,
                "template_id": template.id,
                "questions": [q.id for q in questions],
                "expires_at": interview.expires_at.isoformat(),
            },
        )
        session.commit()
        session.refresh(interview)
        return InterviewLink(interview=_summary(interview, 0, now), token=token)


def _team_interview(session: Session, project_id: int, interview_id: int) -> Interview:
    interview = session.get(Interview, interview_id)
    if interview is None or interview.project_id != project_id:
        raise NotFound(f"Interview {interview_id} is not on this project.")
    return interview


def _answered_counts(session: Session, interview_ids: Sequence[int]) -> dict[int, int]:
    if not interview_ids:
        return {}
    rows = session.exec(
        select(InterviewAnswer.interview_id, func.count())
        .where(col(InterviewAnswer.interview_id).in_(interview_ids))
        .where(InterviewAnswer.answer != "")
        .group_by(InterviewAnswer.interview_id)
    ).all()
    return dict(rows)


def list_interviews(engine: Engine, project_id: int, *, now: datetime) -> list[InterviewSummary]:
    """A project's interviews, oldest first, with status and how many questions are answered."""
    _check_now(now)
    with Session(engine) as session:
        rows = session.exec(
            select(Interview)
            .where(Interview.project_id == project_id)
            .order_by(col(Interview.created_at), col(Interview.id))
        ).all()
        counts = _answered_counts(session, [row.id for row in rows])
        return [_summary(row, counts.get(row.id, 0), now) for row in rows]


def revoke_interview(
    engine: Engine, *, project_id: int, interview_id: int, actor: str, now: datetime
) -> InterviewSummary:
    """Kill an interview's link: from now on it shows 'not valid'. The answers stay."""
    _check_now(now)
    actor = project_service.check_actor(actor)
    with Session(engine) as session:
        interview = _team_interview(session, project_id, interview_id)
        if interview.status != InterviewStatus.REVOKED:
            previous = InterviewStatus(interview.status)
            interview.status = InterviewStatus.REVOKED
            interview.updated_at = now
            session.add(interview)
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="interview revoked",
                summary=f"Revoked the interview link of {_label(interview)}.",
                changes={
                    "interview_id": interview_id,
                    "status": [previous.value, InterviewStatus.REVOKED.value],
                },
            )
            _commit(session)
            session.refresh(interview)
        counts = _answered_counts(session, [interview_id])
        return _summary(interview, counts.get(interview_id, 0), now)


def rotate_link(
    engine: Engine,
    *,
    project_id: int,
    interview_id: int,
    actor: str,
    now: datetime,
    expires_in_days: int = DEFAULT_LINK_DAYS,
) -> InterviewLink:
    """Make a new link for an interview (the old one stops working), valid `expires_in_days`.

    A revoked interview becomes reachable again through the new link, in the state it had:
    submitted if it was submitted, else draft with answers, else sent.
    """
    _check_now(now)
    actor = project_service.check_actor(actor)
    errors: dict[str, str] = {}
    days = _check_days(expires_in_days, errors)
    if errors:
        raise InvalidInput(errors)
    token = new_token()
    with Session(engine) as session:
        interview = _team_interview(session, project_id, interview_id)
        answered = _answered_counts(session, [interview_id]).get(interview_id, 0)
        previous_status = InterviewStatus(interview.status)
        previous_expiry = interview.expires_at
        if previous_status == InterviewStatus.REVOKED:
            if interview.submitted_at is not None:
                interview.status = InterviewStatus.SUBMITTED
            else:
                interview.status = InterviewStatus.DRAFT if answered else InterviewStatus.SENT
        interview.token_hash = token_hash(token)
        interview.expires_at = now + timedelta(days=days)
        interview.updated_at = now
        session.add(interview)
        changes: dict[str, Any] = {
            "interview_id": interview_id,
            "expires_at": [
                previous_expiry.isoformat() if previous_expiry else None,
                interview.expires_at.isoformat(),
            ],
        }
        if InterviewStatus(interview.status) != previous_status:
            changes["status"] = [previous_status.value, InterviewStatus(interview.status).value]
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="interview link replaced",
            summary=(
                f"New link for the interview of {_label(interview)} (the old link no longer "
                f"works); valid until {interview.expires_at:%Y-%m-%d}."
            ),
            changes=changes,
        )
        _commit(session)
        session.refresh(interview)
        return InterviewLink(interview=_summary(interview, answered, now), token=token)


def reopen_interview(
    engine: Engine, *, project_id: int, interview_id: int, actor: str, now: datetime
) -> InterviewSummary:
    """Let the expert change a submitted interview again (it goes back to draft)."""
    _check_now(now)
    actor = project_service.check_actor(actor)
    with Session(engine) as session:
        interview = _team_interview(session, project_id, interview_id)
        if interview.status != InterviewStatus.SUBMITTED:
            raise InvalidInput(
                {
                    "interview": "Only a submitted interview can be reopened; this one is "
                    f"{InterviewStatus(interview.status).value}."
                }
            )
        interview.status = InterviewStatus.DRAFT
        interview.updated_at = now
        session.add(interview)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="interview reopened",
            summary=f"Reopened the interview of {_label(interview)}: the expert can edit again.",
            changes={
                "interview_id": interview_id,
                "status": [InterviewStatus.SUBMITTED.value, InterviewStatus.DRAFT.value],
            },
        )
        _commit(session)
        session.refresh(interview)
        counts = _answered_counts(session, [interview_id])
        return _summary(interview, counts.get(interview_id, 0), now)


def _label(interview: Interview) -> str:
    return expert_label(interview.expert_name, interview.expert_team, interview.expert_role)


# --- Expert side: by token only ---------------------------------------------------------------


def _by_token(session: Session, token: Any, now: datetime) -> Interview:
    """The interview a token opens; LinkNotValid (one message) for anything else."""
    _check_now(now)
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
        questions=tuple(replace(q, source="") for q in _questions(interview)),
        answers={
            qid: row.answer
            for qid, row in _answers(session, interview.id).items()
            if qid in asked and row.answer
        },
        submitted_at=interview.submitted_at,
        expires_at=interview.expires_at,
    )


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
                actor=_expert_actor(interview),
                action="interview draft saved",
                summary=f"{_label(interview)} saved a draft ({len(changed)} answers changed).",
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

    Raises LinkNotValid for a bad token, FormIsReadOnly when already submitted, InvalidInput
    (nothing stored) for bad answers or when no question is answered at all.
    """
    with Session(engine) as session:
        interview = _by_token(session, token, now)
        if interview.status == InterviewStatus.SUBMITTED:
            raise FormIsReadOnly()
        cleaned = _clean_answers(interview, answers)
        saved = {qid: row.answer for qid, row in _answers(session, interview.id).items()}
        if not any({**saved, **cleaned}.values()):
            raise InvalidInput({"form": "Answer at least one question before submitting."})
        changed = _store_answers(session, interview, cleaned, now)
        previous = InterviewStatus(interview.status)
        interview.status = InterviewStatus.SUBMITTED
        interview.submitted_at = now
        interview.updated_at = now
        session.add(interview)
        crud.record_activity(
            session,
            project_id=interview.project_id,
            actor=_expert_actor(interview),
            action="interview submitted",
            summary=f"{_label(interview)} submitted the interview answers.",
            changes={
                "interview_id": interview.id,
                "answers changed": changed,
                "status": [previous.value, InterviewStatus.SUBMITTED.value],
            },
        )
        _commit(session)
        session.refresh(interview)
        return _form(session, interview)


# --- Team side: answers, coverage, and what is made of them ---------------------------------


def _shared_interviews(
    session: Session, project_id: int, include_drafts: bool
) -> list[tuple[Interview, dict[str, InterviewAnswer]]]:
    """Interviews whose answers the team reads: submitted ones (and drafts when asked)."""
    rows = session.exec(
        select(Interview)
        .where(Interview.project_id == project_id)
        .order_by(col(Interview.created_at), col(Interview.id))
    ).all()
    shared = [row for row in rows if row.submitted_at is not None or include_drafts]
    if not shared:
        return []
    answers: dict[int, dict[str, InterviewAnswer]] = {row.id: {} for row in shared}
    for answer in session.exec(
        select(InterviewAnswer).where(col(InterviewAnswer.interview_id).in_(list(answers)))
    ).all():
        answers[answer.interview_id][answer.question_id] = answer
    return [(row, answers[row.id]) for row in shared]


def _column_labels(interviews: Sequence[Interview]) -> dict[int, str]:
    labels = [_label(row) for row in interviews]
    return {
        row.id: label if labels.count(label) == 1 else f"{label} #{row.id}"
        for row, label in zip(interviews, labels, strict=True)
    }


def answers_side_by_side(
    engine: Engine, project_id: int, *, include_drafts: bool = False
) -> list[dict[str, str]]:
    """One row per question ('Question' + one column per expert), in the order first asked.

    Only submitted interviews count unless `include_drafts`. A cell is '' when that expert was
    not asked the question or left it empty.
    """
    with Session(engine) as session:
        shared = _shared_interviews(session, project_id, include_drafts)
    labels = _column_labels([row for row, _ in shared])
    texts: dict[str, str] = {}
    for row, _ in shared:
        for question in row.questions:
            texts.setdefault(question["id"], question["text"])
    return [
        {
            "Question": text,
            **{
                labels[row.id]: answers[qid].answer if qid in answers else ""
                for row, answers in shared
            },
        }
        for qid, text in texts.items()
    ]


def coverage(
    engine: Engine,
    project_id: int,
    *,
    include_drafts: bool = False,
    templates: Mapping[str, InterviewTemplate] | None = None,
) -> list[CoverageRow]:
    """Every critical question of the project's interviews (and of the templates they use).

    A question that was dropped from every interview still shows, asked in 0 interviews, so a
    critical question nobody asked is as visible as one nobody answered.
    """
    templates = default_templates() if templates is None else templates
    with Session(engine) as session:
        interviews = session.exec(
            select(Interview)
            .where(Interview.project_id == project_id)
            .order_by(col(Interview.created_at), col(Interview.id))
        ).all()
        shared = _shared_interviews(session, project_id, include_drafts)
    critical: dict[str, str] = {}
    for row in interviews:
        template = templates.get(row.template_id)
        for question in template.questions if template else ():
            if question.critical:
                critical.setdefault(question.id, question.text)
        for question in row.questions:
            if question.get("critical"):
                critical.setdefault(question["id"], question["text"])
    labels = _column_labels([row for row, _ in shared])
    return [
        CoverageRow(
            question_id=qid,
            text=text,
            asked_in=sum(
                1
                for row in interviews
                if row.status != InterviewStatus.REVOKED
                and any(q["id"] == qid for q in row.questions)
            ),
            answered_by=tuple(
                labels[row.id] for row, answers in shared if qid in answers and answers[qid].answer
            ),
        )
        for qid, text in critical.items()
    ]


def _derived(session: Session, project_id: int) -> dict[int, list[DerivedRecord]]:
    """Everything made from this project's interview answers, by answer id."""
    found: dict[int, list[DerivedRecord]] = {}
    interview = SourceKind.INTERVIEW.value
    for risk in session.exec(
        select(Risk).where(Risk.project_id == project_id, Risk.source_kind == interview)
    ).all():
        if risk.source_id is not None:
            found.setdefault(risk.source_id, []).append(
                DerivedRecord(ConversionTarget.RISK, risk.id, risk.title, risk.created_at, "")
            )
    for note in session.exec(
        select(ProjectNote).where(
            ProjectNote.project_id == project_id, ProjectNote.source_kind == interview
        )
    ).all():
        if note.source_id is not None:
            found.setdefault(note.source_id, []).append(
                DerivedRecord(
                    ConversionTarget(NoteKind(note.kind).value),
                    note.id,
                    note.text,
                    note.created_at,
                    note.created_by,
                )
            )
    for item in session.exec(
        select(ParkingLotItem).where(
            ParkingLotItem.project_id == project_id, ParkingLotItem.source_kind == interview
        )
    ).all():
        if item.source_id is not None:
            found.setdefault(item.source_id, []).append(
                DerivedRecord(ConversionTarget.PARKING_LOT, item.id, item.idea, item.created_at, "")
            )
    for entry in session.exec(
        select(ActivityEntry).where(
            ActivityEntry.project_id == project_id, ActivityEntry.action == CHARTER_ACTION
        )
    ).all():
        answer_id = entry.changes.get("answer_id")
        if isinstance(answer_id, int):
            found.setdefault(answer_id, []).append(
                DerivedRecord(
                    ConversionTarget.CHARTER,
                    entry.id,
                    f"Charter: {CHARTER_FIELDS.get(entry.changes.get('field'), '?')}",
                    entry.at,
                    entry.actor,
                )
            )
    for records in found.values():
        records.sort(key=lambda record: record.at)
    return found


def list_answers(
    engine: Engine, project_id: int, *, include_drafts: bool = False
) -> list[InterviewAnswerPublic]:
    """The project's non-empty answers (submitted, or drafts too), with what was made of each."""
    with Session(engine) as session:
        shared = _shared_interviews(session, project_id, include_drafts)
        derived = _derived(session, project_id)
    labels = _column_labels([row for row, _ in shared])
    result = []
    for row, answers in shared:
        for question in row.questions:
            answer = answers.get(question["id"])
            if answer is None or not answer.answer:
                continue
            result.append(
                InterviewAnswerPublic(
                    id=answer.id,
                    interview_id=row.id,
                    expert=labels[row.id],
                    interview_status=InterviewStatus(row.status),
                    question_id=question["id"],
                    question_text=question["text"],
                    answer=answer.answer,
                    updated_at=answer.updated_at,
                    derived=tuple(derived.get(answer.id, ())),
                )
            )
    return result


def _answer_context(session: Session, answer_id: int) -> tuple[InterviewAnswer, Interview, str]:
    answer = session.get(InterviewAnswer, answer_id)
    if answer is None:
        raise NotFound(f"There is no interview answer with id {answer_id}.")
    interview = session.get(Interview, answer.interview_id)
    question_text = next(
        (q["text"] for q in interview.questions if q["id"] == answer.question_id),
        answer.question_id,
    )
    return answer, interview, question_text


def derived_from_answer(engine: Engine, answer_id: int) -> list[DerivedRecord]:
    """What was made from one answer (risks, notes, parked ideas, charter text), oldest first."""
    with Session(engine) as session:
        _, interview, _ = _answer_context(session, answer_id)
        return _derived(session, interview.project_id).get(answer_id, [])


def convert_answer(
    engine: Engine,
    answer_id: int,
    *,
    project_id: int,
    to: ConversionTarget | str,
    actor: str,
    today: date,
    text: str | None = None,
    title: str | None = None,
    charter_field: str = "current_process",
    expected_version: int | None = None,
) -> DerivedRecord:
    """Turn an answer, in one step, into charter text, a risk, an assumption, an open question or
    a parking-lot item that links back to it (source_kind 'interview', source_id = answer id).

    `text` replaces the answer's wording (default: the answer as given); `title` names a risk
    (default: the answer's first line). For the charter, the text is appended to `charter_field`
    with the expert's name, through the version-checked charter edit (`expected_version`,
    default the current one), and the link is logged. Raises InvalidInput, NotFound, or
    StaleEditError when the charter moved on since `expected_version`.
    """
    actor = project_service.check_actor(actor)
    try:
        target = ConversionTarget(to)
    except ValueError:
        raise InvalidInput(
            {"to": f"Choose one of: {', '.join(t.value for t in ConversionTarget)}."}
        ) from None
    with Session(engine) as session:
        answer, interview, question_text = _answer_context(session, answer_id)
        if interview.project_id != project_id:
            raise NotFound(f"Answer {answer_id} is not on this project.")
        source_label = _source_label(interview, question_text)
        who = _label(interview)
        expert_name = interview.expert_name
    body = (answer.answer if text is None else text).strip()
    errors: dict[str, str] = {}
    if not body:
        errors["text"] = "Required: this cannot be empty."
    elif target != ConversionTarget.CHARTER and len(body) > LONG_TEXT_MAX:
        errors["text"] = (
            f"Too long: at most {LONG_TEXT_MAX} characters (this has {len(body)}). Shorten it: "
            "the full answer stays linked."
        )
    if target == ConversionTarget.CHARTER and charter_field not in CHARTER_FIELDS:
        errors["charter_field"] = f"Choose one of: {', '.join(CHARTER_FIELDS.values())}."
    if errors:
        raise InvalidInput(errors)
    source = {
        "source_kind": SourceKind.INTERVIEW.value,
        "source_id": answer_id,
        "source_label": source_label,
    }
    if target == ConversionTarget.RISK:
        risk_title = (title or "").strip() or _clip(body.splitlines()[0], 120)
        risk = registers.create_risk(
            engine,
            project_id=project_id,
            data={"title": risk_title, "description": body, **source},
            actor=actor,
        )
        return DerivedRecord(target, risk.id, risk.title, risk.updated_at, actor)
    if target in (ConversionTarget.ASSUMPTION, ConversionTarget.OPEN_QUESTION):
        note = registers.create_note(
            engine,
            project_id=project_id,
            data={"kind": NoteKind(target.value).value, "text": body, **source},
            actor=actor,
        )
        return DerivedRecord(target, note.id, note.text, note.created_at, actor)
    if target == ConversionTarget.PARKING_LOT:
        item = registers.create_parking_lot_item(
            engine,
            project_id=project_id,
            data={"idea": body, "raised_by": _clip(expert_name, SHORT_TEXT_MAX), **source},
            actor=actor,
        )
        return DerivedRecord(target, item.id, item.idea, item.created_at, actor)
    return _append_to_charter(
        engine,
        project_id=project_id,
        answer_id=answer_id,
        interview_id=interview.id,
        field_name=charter_field,
        addition=f"{body} — {who}, SME interview",
        source_label=source_label,
        actor=actor,
        today=today,
        expected_version=expected_version,
    )


def _append_to_charter(
    engine: Engine,
    *,
    project_id: int,
    answer_id: int,
    interview_id: int,
    field_name: str,
    addition: str,
    source_label: str,
    actor: str,
    today: date,
    expected_version: int | None,
) -> DerivedRecord:
    project = project_service.get_project(engine, project_id).project
    current = getattr(project, field_name)
    _, entry = project_service.update_project_noting_source(
        engine,
        project_id=project_id,
        expected_version=project.version if expected_version is None else expected_version,
        data={field_name: f"{current}\n\n{addition}" if current else addition},
        actor=actor,
        today=today,
        source={
            "action": CHARTER_ACTION,
            "summary": f"Added to the charter ({CHARTER_FIELDS[field_name]}) from {source_label}.",
            "changes": {
                "answer_id": answer_id,
                "interview_id": interview_id,
                "field": field_name,
            },
        },
    )
    if entry is None:  # the text was there already: nothing changed, nothing to link
        raise InvalidInput({"text": "The charter already says exactly this; nothing added."})
    return DerivedRecord(
        ConversionTarget.CHARTER,
        entry.id,
        f"Charter: {CHARTER_FIELDS[field_name]}",
        entry.at,
        actor,
    )
