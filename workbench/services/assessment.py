"""Should we use ML? — raters' answers, the combined verdict, saved assessments and their history,
risks prefilled from readiness gaps, open questions, and the portfolio's impact × feasibility.

The verdict itself is computed by the pure rules of `workbench.domain.assessment`; this module
stores what people answered and decided, checks versions, and logs every change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workbench import crud, versioning
from workbench.domain.assessment import (
    DENIED_UP_TO,
    GAP_BELOW,
    UNKNOWN,
    AnswerValue,
    Assessment,
    Group,
    InvalidAnswer,
    InvalidWeight,
    Polarity,
    Question,
    Rating,
    Verdict,
    answer_label,
    answer_number,
    assess,
    combine,
    combined_label,
)
from workbench.domain.people import StakeholderRole
from workbench.errors import InvalidInput, NotFound, StaleEditError
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    AssessmentRating,
    AssessmentSnapshot,
    NoteKind,
    Project,
    ProjectNote,
    Risk,
    RiskCreate,
    RiskPublic,
    RiskStatus,
    SourceKind,
    utc_now,
)
from workbench.models.assessment import SnapshotPublic
from workbench.models.base import name_key
from workbench.services.projects import check_actor

RISK_STATUSES = tuple(status.value for status in RiskStatus)
"""The statuses a risk may have, for the risk register's status column."""

ASSESSMENT_SOURCE_LABEL = "Should we use ML?, question {question_id}"
"""How a risk prefilled from a readiness answer names its question (also the duplicate check)."""


@dataclass(frozen=True)
class RaterAnswers:
    """One rater's stored answers (unknown answers are left out) and the version they are at."""

    rater: str
    role: str
    answers: Mapping[str, AnswerValue]
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class SavedWeights:
    """The weights of the latest saved assessment; `version` counts the saved assessments."""

    version: int
    weights: Mapping[str, float]


@dataclass(frozen=True)
class AssessmentOverview:
    """What the assessment page needs from the database: every rater and the saved history."""

    ratings: tuple[RaterAnswers, ...]
    snapshots: tuple[SnapshotPublic, ...]

    @property
    def saved_weights(self) -> dict[str, float]:
        """The weights of the latest saved assessment ({} when none was saved)."""
        return dict(self.snapshots[-1].weights) if self.snapshots else {}


@dataclass(frozen=True)
class OpenQuestionItem:
    """An open question on a project: an unanswered assessment question or a recorded note."""

    text: str
    critical: bool
    source: str
    question_id: str | None = None
    note_id: int | None = None


@dataclass(frozen=True)
class PrefillResult:
    """What prefilling the risk register did: risks created, questions already there."""

    created: tuple[RiskPublic, ...]
    already_there: tuple[str, ...]


@dataclass(frozen=True)
class PortfolioScore:
    """A project's latest saved assessment (verdict and scores None when never assessed)."""

    project_id: int
    name: str
    verdict: Verdict | None
    fit_score: float | None
    impact_score: float | None
    feasibility_score: float | None
    saved_at: datetime | None


# --- Answers --------------------------------------------------------------------------------


def _rater_public(row: AssessmentRating) -> RaterAnswers:
    return RaterAnswers(
        rater=row.rater,
        role=row.role,
        answers=dict(row.answers),
        version=row.version,
        updated_at=row.updated_at,
    )


def _find_rating(session: Session, project_id: int, rater: str) -> AssessmentRating | None:
    statement = select(AssessmentRating).where(
        AssessmentRating.project_id == project_id,
        AssessmentRating.rater_key == name_key(rater),
    )
    return session.exec(statement).first()


def _project_exists(session: Session, project_id: int) -> None:
    if session.get(Project, project_id) is None:
        raise NotFound(f"There is no project with id {project_id}.")


def load_answers(engine: Engine, *, project_id: int, rater: str) -> RaterAnswers | None:
    """One rater's stored answers (the name matched ignoring case), or None if they never saved."""
    with Session(engine) as session:
        row = _find_rating(session, project_id, rater)
        return None if row is None else _rater_public(row)


def list_ratings(engine: Engine, project_id: int) -> list[RaterAnswers]:
    """Every rater of a project with their answers, by name."""
    with Session(engine) as session:
        return _ratings(session, project_id)


def _ratings(session: Session, project_id: int) -> list[RaterAnswers]:
    rows = session.exec(
        select(AssessmentRating)
        .where(AssessmentRating.project_id == project_id)
        .order_by(func.lower(AssessmentRating.rater), col(AssessmentRating.id))
    ).all()
    return [_rater_public(row) for row in rows]


def _clean_answers(
    answers: Mapping[str, AnswerValue], questions: Sequence[Question]
) -> dict[str, AnswerValue]:
    """The known answers, validated against the bank; raises InvalidInput naming each question."""
    index = {q.id: q for q in questions}
    cleaned: dict[str, AnswerValue] = {}
    errors: dict[str, str] = {}
    for question_id, answer in answers.items():
        question = index.get(question_id)
        if question is None:
            errors[question_id] = "This question is not in the question bank."
            continue
        if isinstance(answer, str):
            answer = answer.strip()
            if len(answer) > LONG_TEXT_MAX:
                errors[question_id] = (
                    f"Too long: at most {LONG_TEXT_MAX} characters (this has {len(answer)})."
                )
                continue
            if not answer:
                continue
        if answer is UNKNOWN:
            continue
        try:
            answer_number(question, answer)
        except InvalidAnswer as error:
            errors[question_id] = str(error)
            continue
        cleaned[question_id] = answer
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _check_rater(rater: str, role: str) -> tuple[str, str]:
    errors: dict[str, str] = {}
    rater = (rater or "").strip()
    if not rater:
        errors["rater"] = "Required: say whose answers these are."
    elif len(rater) > SHORT_TEXT_MAX:
        errors["rater"] = f"Too long: at most {SHORT_TEXT_MAX} characters (this has {len(rater)})."
    roles = [r.value for r in StakeholderRole]
    if role not in roles:
        errors["role"] = f"Choose one of: {', '.join(roles)}."
    if errors:
        raise InvalidInput(errors)
    return rater, role


def _answer_conflicts(
    mine: Mapping[str, AnswerValue],
    my_role: str,
    current: AssessmentRating,
    questions: Sequence[Question],
) -> dict[str, tuple[Any, Any]]:
    conflicts: dict[str, tuple[Any, Any]] = {}
    if my_role != current.role:
        conflicts["role"] = (my_role, current.role)
    for question in (q for q in questions if q.id in mine):
        ours, theirs = mine.get(question.id), current.answers.get(question.id)
        if ours != theirs:
            conflicts[question.text] = (
                answer_label(question, ours),
                answer_label(question, theirs),
            )
    return conflicts


def save_answers(
    engine: Engine,
    *,
    project_id: int,
    rater: str,
    role: str,
    answers: Mapping[str, AnswerValue],
    expected_version: int | None,
    questions: Sequence[Question],
    actor: str,
    merge: bool = False,
) -> RaterAnswers:
    """Store one rater's answers, made on `expected_version` (None: the rater had none yet).

    With `merge`, `answers` holds only the answers the user changed (None or empty text: back
    to unknown) and every other stored answer is kept; otherwise `answers` replaces them all.
    Unknown answers are left out. Raises InvalidInput (nothing stored) for a missing rater, a
    role that is not a StakeholderRole value, or an answer that does not fit its question;
    StaleEditError when this rater's answers were saved meanwhile (for example from another
    browser tab). Logs every changed answer.
    """
    actor = check_actor(actor)
    rater, role = _check_rater(rater, role)
    cleaned = _clean_answers(answers, questions)
    cleared = {k for k in answers if k not in cleaned} if merge else set()
    sent = answers if merge else {q.id: None for q in questions}
    mine = {k: cleaned.get(k) for k in sent}
    index = {q.id: q for q in questions}
    with Session(engine) as session:
        _project_exists(session, project_id)
        row = _find_rating(session, project_id, rater)
        if row is not None:
            try:
                versioning.check_version(session, row, expected_version, public=_rater_public)
            except StaleEditError as error:
                raise _with_answer_conflicts(error, mine, role, row, questions) from None
        elif expected_version is not None:
            raise NotFound(f"{rater}'s answers are not here any more.")
        old = dict(row.answers) if row is not None else {}
        if merge:
            cleaned = {k: v for k, v in {**old, **cleaned}.items() if k not in cleared}
        changes: dict[str, Any] = {
            question_id: [old.get(question_id), cleaned.get(question_id)]
            for question_id in sorted(old.keys() | cleaned.keys())
            if old.get(question_id) != cleaned.get(question_id)
        }
        if row is not None and row.role != role:
            changes["role"] = [row.role, role]
        if row is not None and not changes:
            return _rater_public(row)
        if row is None:
            row = AssessmentRating(project_id=project_id, rater=rater, role=role)
        row.role = role
        row.answers = cleaned
        row.updated_at = utc_now()
        session.add(row)
        changed_text = "; ".join(
            f"{index[k].text if k in index else k} → "
            + (answer_label(index[k], v[1]) if k in index else str(v[1]))
            for k, v in list(changes.items())[:5]
        )
        more = f" (and {len(changes) - 5} more)" if len(changes) > 5 else ""
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="assessment answered",
            summary=(
                f"{row.rater} ({role}) answered {len(cleaned)} of {len(questions)} questions."
                + (f" Changed: {changed_text}{more}." if changes else "")
            ),
            changes={"rater": row.rater, **changes},
        )
        try:
            versioning.commit(session, row if row.id is not None else None, public=_rater_public)
        except IntegrityError:
            # Someone saved this new rater's first answers at the same moment.
            session.rollback()
            current = _find_rating(session, project_id, rater)
            if current is None:
                raise
            error = versioning.stale_error(session, current, public=_rater_public)
            raise _with_answer_conflicts(error, mine, role, current, questions) from None
        except StaleEditError as error:
            current = _find_rating(session, project_id, rater)
            if current is not None:
                _with_answer_conflicts(error, mine, role, current, questions)
            raise
        session.refresh(row)
        return _rater_public(row)


def _with_answer_conflicts(
    error: StaleEditError,
    mine: Mapping[str, AnswerValue],
    role: str,
    current: AssessmentRating,
    questions: Sequence[Question],
) -> StaleEditError:
    """The stale refusal with the user's answers beside the newer ones, by question text."""
    error.conflicts = _answer_conflicts(mine, role, current, questions)
    return error


# --- The combined result ----------------------------------------------------------------------


def _domain_ratings(ratings: Iterable[RaterAnswers], questions: Sequence[Question]) -> list[Rating]:
    """Domain ratings from stored ones, skipping answers the current bank no longer accepts."""
    index = {q.id: q for q in questions}
    result = []
    for stored in ratings:
        usable: dict[str, AnswerValue] = {}
        for question_id, answer in stored.answers.items():
            if question_id not in index:
                continue  # the question was removed from the bank
            try:
                answer_number(index[question_id], answer)
            except InvalidAnswer:
                continue  # the question's scale changed: the old answer no longer fits
            usable[question_id] = answer
        result.append(Rating(stored.rater, stored.role, usable))
    return result


def combined_result(
    ratings: Sequence[RaterAnswers],
    questions: Sequence[Question],
    weights: Mapping[str, float] | None = None,
) -> Assessment:
    """The verdict for all raters with `weights` (question id → weight); no database access.

    Raises InvalidInput({"weights": ...}) for a weight that is not a number >= 0.
    """
    try:
        return assess(_domain_ratings(ratings, questions), questions, _known(weights, questions))
    except InvalidWeight as error:
        raise InvalidInput({"weights": str(error)}) from error


def _known(weights: Mapping[str, float] | None, questions: Sequence[Question]) -> dict:
    """Weights for questions still in the bank (a saved weight may name a removed question)."""
    ids = {q.id for q in questions}
    return {k: v for k, v in (weights or {}).items() if k in ids}


def assessment_overview(engine: Engine, project_id: int) -> AssessmentOverview:
    """Every rater's answers and the saved assessments (oldest first), in one session."""
    with Session(engine) as session:
        return AssessmentOverview(
            ratings=tuple(_ratings(session, project_id)),
            snapshots=tuple(_snapshots(session, project_id)),
        )


# --- Saved assessments (history) -------------------------------------------------------------


def _snapshot_public(row: AssessmentSnapshot) -> SnapshotPublic:
    result = row.result or {}
    return SnapshotPublic(
        id=row.id,
        saved_at=row.saved_at,
        saved_by=row.saved_by,
        verdict=Verdict(row.verdict),
        explanation=str(result.get("explanation", "")),
        fit_score=row.fit_score,
        impact_score=row.impact_score,
        feasibility_score=row.feasibility_score,
        weights=dict(row.weights),
        raters=tuple(str(r.get("rater", "")) for r in row.ratings),
        hard_stops=tuple(str(stop.get("name", "")) for stop in result.get("hard_stops", [])),
        conditions=tuple(str(c.get("text", "")) for c in result.get("conditions", [])),
        note=row.note,
    )


def _snapshots(session: Session, project_id: int) -> list[SnapshotPublic]:
    rows = session.exec(
        select(AssessmentSnapshot)
        .where(AssessmentSnapshot.project_id == project_id)
        .order_by(col(AssessmentSnapshot.saved_at), col(AssessmentSnapshot.id))
    ).all()
    return [_snapshot_public(row) for row in rows]


def list_snapshots(engine: Engine, project_id: int) -> list[SnapshotPublic]:
    """A project's saved assessments, oldest first: how the verdict and scores moved."""
    with Session(engine) as session:
        return _snapshots(session, project_id)


def _result_json(result: Assessment) -> dict[str, Any]:
    return {
        "explanation": result.explanation,
        "hard_stops": [{"id": stop.id, "name": stop.name} for stop in result.hard_stops],
        "conditions": [
            {"kind": c.kind.value, "text": c.text, "question_id": c.question_id}
            for c in result.conditions
        ],
        "drivers": [
            {
                "question_id": d.question_id,
                "score": d.score.value,
                "answer": d.answer,
                "contribution": d.contribution,
                "direction": d.direction.value,
            }
            for d in (*result.drivers, *result.impact_drivers, *result.feasibility_drivers)
        ],
        "open_questions": [q.question_id for q in result.open_questions],
        "disagreements": [d.question_id for d in result.disagreements],
        "answered_share": result.answered_share,
        "insufficient_answers": result.insufficient_answers,
    }


def _score_text(value: float | None) -> str:
    return "not judged" if value is None else f"{value:.0f}"


def save_snapshot(
    engine: Engine,
    *,
    project_id: int,
    questions: Sequence[Question],
    weights: Mapping[str, float] | None,
    actor: str,
    note: str = "",
    seen_weights: Mapping[str, float] | None = None,
) -> SnapshotPublic:
    """Save the assessment as it stands now (all stored answers) to the history.

    weights: only the weights this user changed (question id → weight); every other weight is
    the latest saved assessment's (the bank's when none was saved). seen_weights: for each
    changed weight, the weight the user started from; when the latest saved assessment has
    another weight for it, the save is refused with StaleEditError (nothing saved).

    Raises InvalidInput when nobody has answered yet, a weight is invalid or the note is too
    long. Logs the verdict and the weights that differ from the bank's.
    """
    actor = check_actor(actor)
    note = (note or "").strip()
    if len(note) > LONG_TEXT_MAX:
        raise InvalidInput({"note": f"Too long: at most {LONG_TEXT_MAX} characters."})
    with Session(engine) as session:
        _project_exists(session, project_id)
        ratings = _ratings(session, project_id)
        if not ratings:
            raise InvalidInput(
                {"assessment": "Nobody has answered yet: save at least one rater's answers first."}
            )
        history = session.exec(
            select(AssessmentSnapshot)
            .where(AssessmentSnapshot.project_id == project_id)
            .order_by(col(AssessmentSnapshot.saved_at).desc(), col(AssessmentSnapshot.id).desc())
        ).all()
        latest = history[0] if history else None
        saved = {q.id: q.weight for q in questions} | _known(
            latest.weights if latest else {}, questions
        )
        mine = _known(weights, questions)
        clashes = {
            question_id: (weight, saved[question_id])
            for question_id, weight in mine.items()
            if seen_weights is not None
            and question_id in seen_weights
            and seen_weights[question_id] != saved[question_id]
        }
        if clashes and latest is not None:
            error = versioning.stale_error(
                session,
                latest,
                public=lambda _row: SavedWeights(version=len(history), weights=saved),
            )
            error.conflicts = clashes
            raise error
        result = combined_result(ratings, questions, {**saved, **mine})
        previous = latest.verdict if latest else None
        effective = dict(result.weights)
        row = AssessmentSnapshot(
            project_id=project_id,
            saved_by=actor,
            verdict=result.verdict.value,
            fit_score=result.fit_score,
            impact_score=result.impact_score,
            feasibility_score=result.feasibility_score,
            weights=effective,
            ratings=[
                {"rater": r.rater, "role": r.role, "answers": dict(r.answers), "version": r.version}
                for r in ratings
            ],
            result=_result_json(result),
            note=note,
        )
        session.add(row)
        session.flush()
        edited = {
            q.id: [q.weight, effective[q.id]] for q in questions if q.weight != effective[q.id]
        }
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="assessment saved",
            summary=(
                f"Verdict: {result.verdict.label} (fit {_score_text(result.fit_score)}, impact"
                f" {_score_text(result.impact_score)}, feasibility"
                f" {_score_text(result.feasibility_score)}) from {len(ratings)} rater"
                f"{'s' if len(ratings) != 1 else ''}."
                + (f" {len(edited)} weight(s) differ from the bank." if edited else "")
                + (f" Note: {note}" if note else "")
            ),
            changes={
                "snapshot_id": row.id,
                "verdict": [previous, result.verdict.value],
                "weights": edited,
            },
        )
        session.commit()
        session.refresh(row)
        return _snapshot_public(row)


# --- Risks prefilled from readiness gaps -----------------------------------------------------


def readiness_risk_levels(question: Question, number: float) -> tuple[int, int]:
    """Likelihood and impact (1–5) of the risk behind a readiness gap.

    number: the combined answer on 0..1 after polarity (1 = fully ready); a gap is below
    GAP_BELOW (0.5). The worse the answer, the likelier the risk: severity = (GAP_BELOW −
    number) / GAP_BELOW in (0, 1], likelihood = 3 + round(2 × severity), so "strongly
    disagree" or "no" gives 5, "disagree" 4, a mixed answer just below neutral 3. Impact is 4
    for a critical question and 3 otherwise, plus 1 when the answer is a clear no (number at
    most DENIED_UP_TO, 0.25). Example: "disagree" (0.25) on a non-critical question → (4, 4).
    """
    severity = min(1.0, max(0.0, (GAP_BELOW - number) / GAP_BELOW))
    likelihood = 3 + round(2 * severity)
    impact = (4 if question.critical else 3) + (1 if number <= DENIED_UP_TO else 0)
    return likelihood, min(5, impact)


def _risk_from_gap(question: Question, value: float, number: float) -> RiskCreate:
    likelihood, impact = readiness_risk_levels(question, number)
    answered = combined_label(question, value)
    return RiskCreate(
        title=f"Readiness gap: {question.text}"[:SHORT_TEXT_MAX],
        description=(
            f"The raters answered “{answered}” to “{question.text}” {question.help}".strip()
        )[:LONG_TEXT_MAX],
        category="Readiness",
        likelihood=likelihood,
        impact=impact,
        mitigation=question.mitigation,
        status=RiskStatus.OPEN,
        source_kind=SourceKind.ASSESSMENT,
        source_label=ASSESSMENT_SOURCE_LABEL.format(question_id=question.id),
    )


def prefill_risks_from_readiness(
    engine: Engine, *, project_id: int, questions: Sequence[Question], actor: str
) -> PrefillResult:
    """Add a risk for every readiness answer that shows a gap (combined number below GAP_BELOW).

    Each risk takes its title and description from the question, likelihood and impact from
    readiness_risk_levels(), the mitigation from the bank; it is marked as coming from the
    assessment with a label naming the question. A question that already produced a risk on
    this project is skipped (listed in `already_there`), so running it twice adds nothing.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        _project_exists(session, project_id)
        ratings = _ratings(session, project_id)
        combined = combine(_domain_ratings(ratings, questions), questions)
        existing = set(
            session.exec(
                select(Risk.source_label).where(
                    Risk.project_id == project_id,
                    Risk.source_kind == SourceKind.ASSESSMENT.value,
                )
            ).all()
        )
        created: list[Risk] = []
        already: list[str] = []
        for question in questions:
            if question.group is not Group.READINESS or not question.scored:
                continue
            value = combined[question.id].value
            if value is None:
                continue
            number = value if question.polarity is Polarity.POSITIVE else 1.0 - value
            if number >= GAP_BELOW:
                continue
            risk_in = _risk_from_gap(question, value, number)
            if risk_in.source_label in existing:
                already.append(question.id)
                continue
            risk = Risk(project_id=project_id, **risk_in.model_dump())
            session.add(risk)
            session.flush()
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="risk added",
                summary=(
                    f"Risk {risk.title!r} (likelihood {risk.likelihood}, impact {risk.impact})"
                    f" from {risk.source_label}."
                ),
                changes={"risk_id": risk.id, "source": SourceKind.ASSESSMENT.value},
            )
            created.append(risk)
        session.commit()
        for risk in created:
            session.refresh(risk)
        return PrefillResult(
            created=tuple(RiskPublic.model_validate(risk) for risk in created),
            already_there=tuple(already),
        )


# --- Open questions ------------------------------------------------------------------------


def open_questions(
    engine: Engine, *, project_id: int, questions: Sequence[Question]
) -> list[OpenQuestionItem]:
    """A project's open questions: unanswered assessment questions (critical first, then in
    the bank's order), then the unresolved open questions recorded as notes (oldest first)."""
    with Session(engine) as session:
        ratings = _ratings(session, project_id)
        notes = session.exec(
            select(ProjectNote)
            .where(
                ProjectNote.project_id == project_id,
                ProjectNote.kind == NoteKind.OPEN_QUESTION.value,
                col(ProjectNote.resolved).is_(False),
            )
            .order_by(col(ProjectNote.id))
        ).all()
        recorded = [
            OpenQuestionItem(
                text=note.text,
                critical=False,
                source=note.source_label or f"recorded by {note.created_by}",
                note_id=note.id,
            )
            for note in notes
        ]
    result = combined_result(ratings, questions)
    unanswered = [
        OpenQuestionItem(
            text=item.text,
            critical=item.critical,
            source=f"Should we use ML? ({item.group.value.replace('_', ' ')})",
            question_id=item.question_id,
        )
        for item in result.open_questions
    ]
    return [*unanswered, *recorded]


# --- Portfolio -------------------------------------------------------------------------------


def portfolio_scores(
    engine: Engine, project_ids: Iterable[int] | None = None
) -> list[PortfolioScore]:
    """Each project's latest saved verdict and scores, by name, in one SQL query.

    project_ids: only these projects (all when None). A project never assessed has None.
    """
    latest = (
        select(
            col(AssessmentSnapshot.project_id).label("project_id"),
            func.max(AssessmentSnapshot.id).label("snapshot_id"),
        )
        .group_by(col(AssessmentSnapshot.project_id))
        .subquery()
    )
    statement = (
        select(
            Project.id,
            Project.name,
            AssessmentSnapshot.verdict,
            AssessmentSnapshot.fit_score,
            AssessmentSnapshot.impact_score,
            AssessmentSnapshot.feasibility_score,
            AssessmentSnapshot.saved_at,
        )
        .outerjoin(latest, latest.c.project_id == Project.id)
        .outerjoin(AssessmentSnapshot, col(AssessmentSnapshot.id) == latest.c.snapshot_id)
        .order_by(func.lower(Project.name))
    )
    if project_ids is not None:
        statement = statement.where(col(Project.id).in_(list(project_ids)))
    with Session(engine) as session:
        rows = session.exec(statement).all()
    return [
        PortfolioScore(
            project_id=project_id,
            name=name,
            verdict=Verdict(verdict) if verdict else None,
            fit_score=fit,
            impact_score=impact,
            feasibility_score=feasibility,
            saved_at=saved_at,
        )
        for project_id, name, verdict, fit, impact, feasibility, saved_at in rows
    ]
