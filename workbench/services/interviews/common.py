"""What the interview use cases share: limits, refusals, the records they return, small helpers."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func
from sqlmodel import Session, col, select

from workbench.errors import StaleEditError
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Interview,
    InterviewAnswer,
    InterviewStatus,
)
from workbench.reference.interviews import InterviewQuestion

INTERVIEW_PARAM = "interview"
DEFAULT_LINK_DAYS = 30
MAX_LINK_DAYS = 365
TOKEN_BYTES = 32  # 256 random bits; at least 128 are needed to be unguessable
TOKEN_MAX_CHARS = 200
ANSWER_MAX = LONG_TEXT_MAX * 4
FALLBACK_BASE_URL = "http://127.0.0.1:8501"
CHARTER_ACTION = "answer turned into charter text"
FORM = "_form"  # the key of a message about the whole form (the UI's FORM_ERROR)

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


class MadeMeanwhile(StaleEditError):
    """A refused add: someone made the same thing after this user opened the form.

    `current.version` is what the form should pin to add anyway ("keep my edits").
    """

    def __init__(self, *, current: Any, conflicts: Mapping[str, tuple[Any, Any]], message: str):
        super().__init__(current=current, conflicts=conflicts, saved_by="")
        self.args = (message,)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Seen:
    """What a refused add compares against: the pin to use next, and what was made meanwhile."""

    version: int
    made: str = ""
    expert_name: str = ""


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


# --- Small helpers ----------------------------------------------------------------------------


def expert_label(name: str, team: str = "", role: str = "") -> str:
    """'Dana (Dispatch)': the name, with the team (else the role) in brackets when known."""
    extra = (team or role).strip()
    return f"{name} ({extra})" if extra else name


def label(interview: Interview) -> str:
    """The expert of a stored interview as people name them."""
    return expert_label(interview.expert_name, interview.expert_team, interview.expert_role)


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


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def expert_actor(interview: Interview) -> str:
    return clip(f"SME: {interview.expert_name}", SHORT_TEXT_MAX)


def questions_of(interview: Interview) -> tuple[InterviewQuestion, ...]:
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


def summary(interview: Interview, answered: int, now: datetime) -> InterviewSummary:
    return InterviewSummary(
        id=interview.id,
        project_id=interview.project_id,
        expert_name=interview.expert_name,
        expert_role=interview.expert_role,
        expert_team=interview.expert_team,
        template_id=interview.template_id,
        status=InterviewStatus(interview.status),
        questions=questions_of(interview),
        answered=answered,
        expires_at=interview.expires_at,
        link_expired=interview.expires_at is not None and now >= interview.expires_at,
        created_by=interview.created_by,
        created_at=interview.created_at,
        submitted_at=interview.submitted_at,
        updated_at=interview.updated_at,
        version=interview.version,
    )


def check_days(days: Any, errors: dict[str, str]) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_LINK_DAYS:
        errors["expires_in_days"] = f"Choose a whole number of days from 1 to {MAX_LINK_DAYS}."
        return DEFAULT_LINK_DAYS
    return days


def check_now(now: datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")


def answered_counts(session: Session, interview_ids: Sequence[int]) -> dict[int, int]:
    if not interview_ids:
        return {}
    rows = session.exec(
        select(InterviewAnswer.interview_id, func.count())
        .where(col(InterviewAnswer.interview_id).in_(interview_ids))
        .where(InterviewAnswer.answer != "")
        .group_by(InterviewAnswer.interview_id)
    ).all()
    return dict(rows)


def project_interviews(session: Session, project_id: int) -> list[Interview]:
    """A project's interviews, oldest first."""
    return list(
        session.exec(
            select(Interview)
            .where(Interview.project_id == project_id)
            .order_by(col(Interview.created_at), col(Interview.id))
        ).all()
    )
