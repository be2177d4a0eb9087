"""The team reads the answers: side by side, coverage of critical questions, and each answer
with what was made from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from workbench.errors import NotFound
from workbench.models import (
    ActivityEntry,
    Interview,
    InterviewAnswer,
    InterviewStatus,
    NoteKind,
    ParkingLotItem,
    ProjectNote,
    Risk,
    SourceKind,
)
from workbench.models.interviews import ConversionTarget, DerivedRecord, InterviewAnswerPublic
from workbench.reference.interviews import InterviewTemplate, default_templates
from workbench.services.interviews.common import (
    CHARTER_ACTION,
    CHARTER_FIELDS,
    CoverageRow,
    label,
    project_interviews,
)


def _shared_interviews(
    session: Session, project_id: int, include_drafts: bool
) -> list[tuple[Interview, dict[str, InterviewAnswer]]]:
    """Interviews whose answers the team reads: submitted ones (and drafts when asked)."""
    rows = project_interviews(session, project_id)
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
    labels = [label(row) for row in interviews]
    return {
        row.id: name if labels.count(name) == 1 else f"{name} #{row.id}"
        for row, name in zip(interviews, labels, strict=True)
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
        interviews = project_interviews(session, project_id)
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


def derived(session: Session, project_id: int) -> dict[int, list[DerivedRecord]]:
    """Everything made from this project's interview answers, by answer id, oldest first."""
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
        records.sort(key=lambda record: (record.at, record.record_id))
    return found


def list_answers(
    engine: Engine, project_id: int, *, include_drafts: bool = False
) -> list[InterviewAnswerPublic]:
    """The project's non-empty answers (submitted, or drafts too), with what was made of each."""
    with Session(engine) as session:
        shared = _shared_interviews(session, project_id, include_drafts)
        made = derived(session, project_id)
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
                    derived=tuple(made.get(answer.id, ())),
                )
            )
    return result


def answer_context(
    session: Session, answer_id: int, project_id: int
) -> tuple[InterviewAnswer, Interview, str]:
    """An answer of the project, its interview and the question's text (NotFound otherwise)."""
    answer = session.get(InterviewAnswer, answer_id)
    interview = session.get(Interview, answer.interview_id) if answer is not None else None
    if answer is None or interview is None or interview.project_id != project_id:
        raise NotFound(f"There is no interview answer #{answer_id} on this project.")
    question_text = next(
        (q["text"] for q in interview.questions if q["id"] == answer.question_id),
        answer.question_id,
    )
    return answer, interview, question_text
