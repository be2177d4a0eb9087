"""SME interviews: a private form link per expert, their answers, and what the team makes of them.

The team side (`links`: create, list, revoke, reopen a link, new link, reopen for edits;
`answers`: side by side, coverage; `conversions`: turn an answer into charter text / a risk /
a note / a parked idea) works by interview or answer id within a project, each change checked
against the version the user saw. The expert side (`expert`) works by token only: the token is
256 random bits (`secrets.token_urlsafe(32)`), shown once when it is made; the database keeps
only its SHA-256 hash. A wrong, expired or revoked token raises `LinkNotValid` with one and the
same message, and a valid token reaches only its own interview: its questions, the expert's own
answers and the project's name, nothing else.

`from workbench.services import interviews` gives every use case by its one name.
"""

from workbench.models import InterviewStatus
from workbench.models.interviews import ConversionTarget, DerivedRecord, InterviewAnswerPublic
from workbench.services.interviews.answers import answers_side_by_side, coverage, list_answers
from workbench.services.interviews.common import (
    ANSWER_MAX,
    CHARTER_FIELDS,
    DEFAULT_LINK_DAYS,
    INTERVIEW_PARAM,
    MAX_LINK_DAYS,
    TOKEN_BYTES,
    CoverageRow,
    ExpertForm,
    FormIsReadOnly,
    InterviewLink,
    InterviewSummary,
    LinkNotValid,
    MadeMeanwhile,
    expert_label,
    interview_url,
    token_hash,
)
from workbench.services.interviews.conversions import convert_answer
from workbench.services.interviews.expert import open_interview_by_token, save_draft, submit
from workbench.services.interviews.links import (
    create_interview,
    list_interviews,
    newest_interview_id,
    reopen_interview,
    reopen_link,
    revoke_interview,
    rotate_link,
)

__all__ = [
    "ANSWER_MAX",
    "CHARTER_FIELDS",
    "DEFAULT_LINK_DAYS",
    "INTERVIEW_PARAM",
    "MAX_LINK_DAYS",
    "TOKEN_BYTES",
    "ConversionTarget",
    "CoverageRow",
    "DerivedRecord",
    "ExpertForm",
    "FormIsReadOnly",
    "InterviewAnswerPublic",
    "InterviewLink",
    "InterviewStatus",
    "InterviewSummary",
    "LinkNotValid",
    "MadeMeanwhile",
    "answers_side_by_side",
    "convert_answer",
    "coverage",
    "create_interview",
    "expert_label",
    "interview_url",
    "list_answers",
    "list_interviews",
    "newest_interview_id",
    "open_interview_by_token",
    "reopen_interview",
    "reopen_link",
    "revoke_interview",
    "rotate_link",
    "save_draft",
    "submit",
    "token_hash",
]
