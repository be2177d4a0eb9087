"""A project's whole life after creation: archive, restore, delete (every row of it), duplicate
as a template for the next one.

`PARTS` says which rows belong to a project, table by table, in the order they can be written
(a row's parent and the rows it points at come first). Deleting walks it backwards; the export
and import of `workbench/services/transfer.py` walk it forwards. A test checks that it names every
table, so a new table cannot be forgotten by either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, delete, select

from workbench import crud, versioning
from workbench.domain.lifecycle import Phase
from workbench.errors import InvalidInput, NotFound
from workbench.models import (
    NAME_MAX,
    ActivityEntry,
    AssessmentRating,
    AssessmentSnapshot,
    Demo,
    DemoFeedback,
    DemoPlanSettings,
    Experiment,
    ExperimentStatus,
    Feature,
    FeatureTask,
    GateCheck,
    GoNoGoDecision,
    Interview,
    InterviewAnswer,
    ParkingLotItem,
    PhaseTransition,
    Project,
    ProjectMember,
    ProjectNote,
    ProjectPublic,
    Risk,
    Scenario,
    Stakeholder,
    SuccessCriterion,
    TimeBoxExtension,
    TimeLog,
    utc_now,
)
from workbench.reference.questions import load_question_bank
from workbench.services import permissions
from workbench.services.projects import check_actor

# --- what belongs to a project ----------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One table's rows of a project.

    key: the rows' name in an exported document; label: one row in the users' words.
    parent: (column, part key) when the rows belong to the project through another part's row
        (a time log through its experiment); None when the table has `project_id`.
    refs: column → part key, for nullable columns pointing at another row of the same project.
    """

    key: str
    model: type[SQLModel]
    label: str
    parent: tuple[str, str] | None = None
    refs: Mapping[str, str] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.model.__tablename__


PARTS: tuple[Part, ...] = (
    Part("success_criteria", SuccessCriterion, "Success criterion"),
    Part("stakeholders", Stakeholder, "Stakeholder"),
    Part("gate_checks", GateCheck, "Gate check"),
    Part("phase_transitions", PhaseTransition, "Phase move"),
    Part("assessment_ratings", AssessmentRating, "Rater's answers"),
    Part("assessment_snapshots", AssessmentSnapshot, "Saved assessment"),
    Part("scenarios", Scenario, "Cost scenario"),
    Part("parking_lot", ParkingLotItem, "Parked idea"),
    Part("experiments", Experiment, "Experiment", refs={"parking_lot_item_id": "parking_lot"}),
    Part("extensions", TimeBoxExtension, "Time box extension", ("experiment_id", "experiments")),
    Part("time_logs", TimeLog, "Time log", ("experiment_id", "experiments")),
    Part("go_no_go", GoNoGoDecision, "Go/No-Go", refs={"selected_experiment_id": "experiments"}),
    Part("features", Feature, "MVP feature"),
    Part("demo_plan", DemoPlanSettings, "Demo plan settings"),
    Part("demos", Demo, "Demo", refs={"feature_id": "features"}),
    Part("demo_feedback", DemoFeedback, "Demo feedback", ("demo_id", "demos")),
    Part(
        "feature_tasks",
        FeatureTask,
        "Feature task",
        ("feature_id", "features"),
        refs={"source_demo_id": "demos"},
    ),
    Part("interviews", Interview, "Interview"),
    Part("interview_answers", InterviewAnswer, "Interview answer", ("interview_id", "interviews")),
    Part("risks", Risk, "Risk"),
    Part("notes", ProjectNote, "Note"),
    Part("activity", ActivityEntry, "Activity log entry"),
)
PART_BY_KEY = {part.key: part for part in PARTS}
# A project's rows that are not its content: who may access it. They go with the project (ON
# DELETE CASCADE) but are never exported, copied or replaced by an import (see services/members).
ACCESS_TABLES = (ProjectMember.__tablename__,)


def rows_of(part: Part, project_id: int):
    """The WHERE clause selecting `part`'s rows of project `project_id`."""
    if part.parent is None:
        return col(part.model.project_id) == project_id
    column, parent_key = part.parent
    parent = PART_BY_KEY[parent_key].model
    owned = select(parent.id).where(col(parent.project_id) == project_id)
    return col(getattr(part.model, column)).in_(owned)


def count_rows(session: Session, project_id: int) -> dict[str, int]:
    """How many rows of each table belong to the project (the project row included)."""
    counts = {"project": 1 if session.get(Project, project_id) is not None else 0}
    for part in PARTS:
        statement = select(func.count()).select_from(part.model).where(rows_of(part, project_id))
        counts[part.table] = session.exec(statement).one()
    return counts


def delete_contents(session: Session, project_id: int) -> dict[str, int]:
    """Delete every row that belongs to the project except the project row itself, children
    first (in the caller's transaction). Returns the rows deleted per table."""
    deleted: dict[str, int] = {}
    for part in reversed(PARTS):
        result = session.exec(delete(part.model).where(rows_of(part, project_id)))
        deleted[part.table] = result.rowcount or 0
    session.flush()
    return deleted


# --- archive and restore ------------------------------------------------------------------


def _load(session: Session, project_id: int, expected_version: int | None) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project with id {project_id} any more.")
    if expected_version is not None:  # None: archiving changes no field anyone edits
        versioning.check_version(session, project, expected_version)
    return project


def archive_project(
    engine: Engine, *, project_id: int, expected_version: int | None, actor: str
) -> ProjectPublic:
    """Archive a project: it leaves the portfolio's default view and keeps everything.

    Raises StaleEditError when the project changed since `expected_version` (when given),
    InvalidInput when it is archived already.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        project = _load(session, project_id, expected_version)
        if project.archived_at is not None:
            raise InvalidInput({"archive": "This project is archived already."})
        project.archived_at = utc_now()
        project.updated_at = project.archived_at
        session.add(project)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="project archived",
            summary="Archived: it left the portfolio's default view; nothing was deleted.",
            changes={"archived_at": [None, project.archived_at.isoformat()]},
        )
        versioning.commit(session, project)
        session.refresh(project)
        return ProjectPublic.model_validate(project)


def restore_project(
    engine: Engine, *, project_id: int, expected_version: int | None, actor: str
) -> ProjectPublic:
    """Bring an archived project back into the portfolio's default view."""
    actor = check_actor(actor)
    with Session(engine) as session:
        project = _load(session, project_id, expected_version)
        if project.archived_at is None:
            raise InvalidInput({"archive": "This project is not archived."})
        was = project.archived_at
        project.archived_at = None
        project.updated_at = utc_now()
        session.add(project)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="project restored",
            summary="Restored from the archive: the project is back in the portfolio.",
            changes={"archived_at": [was.isoformat(), None]},
        )
        versioning.commit(session, project)
        session.refresh(project)
        return ProjectPublic.model_validate(project)


# --- delete -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletedProject:
    """What a deletion removed: the project's name and the rows per table."""

    name: str
    rows: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def delete_project(
    engine: Engine, *, project_id: int, typed_name: str, actor: str
) -> DeletedProject:
    """Delete a project and every row that belongs to it, in one transaction.

    `typed_name` must be the project's name exactly as it is (the user typed it to confirm);
    otherwise InvalidInput and nothing is deleted. The deletion is logged in the activity log
    without a project (the project's own log goes with it).
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id} any more.")
        if (typed_name or "").strip() != project.name:
            raise InvalidInput(
                {
                    "confirm_name": "Not deleted: type the project's name exactly as it is "
                    "written (capitals and spaces too) to delete it."
                }
            )
        name = project.name
        rows = delete_contents(session, project_id)
        # Who had access goes with the project row (ON DELETE CASCADE, after the roles check).
        rows[ProjectMember.__tablename__] = session.exec(
            select(func.count())
            .select_from(ProjectMember)
            .where(col(ProjectMember.project_id) == project_id)
        ).one()
        session.delete(project)
        rows["project"] = 1
        crud.record_activity(
            session,
            project_id=None,
            actor=actor,
            action="project deleted",
            summary=f"Deleted project {name!r} (id {project_id}) and its "
            f"{sum(rows.values())} rows.",
            changes={"project_id": project_id, "name": name, "rows": rows},
        )
        session.commit()
        return DeletedProject(name=name, rows=rows)


# --- duplicate as a template --------------------------------------------------------------

# An experiment's structure: what is tried, why, for how long, measured how — not its results.
EXPERIMENT_STRUCTURE = (
    "approach",
    "hypothesis",
    "owner",
    "success_criterion",
    "research_days",
    "prototype_days",
    "metric_name",
)
CHARTER_FIELDS = (
    "problem",
    "why_now",
    "current_process",
    "affected",
    "minimum_useful_performance",
    "baseline",
    "sponsor",
    "owner",
)


def _template_weights(session: Session, project_id: int) -> dict[str, float]:
    """The source's question weights that differ from the bank's ({} when none do)."""
    latest = session.exec(
        select(AssessmentSnapshot)
        .where(AssessmentSnapshot.project_id == project_id)
        .order_by(col(AssessmentSnapshot.saved_at).desc(), col(AssessmentSnapshot.id).desc())
    ).first()
    if latest is None:
        return {}
    bank = {question.id: question.weight for question in load_question_bank()}
    return {
        question_id: float(weight)
        for question_id, weight in (latest.weights or {}).items()
        if question_id in bank and bank[question_id] != weight
    }


def duplicate_project(
    engine: Engine, *, project_id: int, name: str, actor: str, today: date
) -> ProjectPublic:
    """A new project in Planning made from `project_id` as a template, in one transaction.

    Copied: the charter's text, success criteria and stakeholders; the question weights of its
    latest saved assessment (when they differ from the bank's); its experiments' structure
    (approach, hypothesis, owner, success criterion, time box lengths, metric), starting
    `today` as proposals. Not copied: answers, ratings, decisions, results, risks, notes,
    scenarios, demos, interviews, the activity log — and the delivery date, the new project's
    to choose.
    """
    actor = check_actor(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput({"name": "Required: give the new project a name."})
    if len(name) > NAME_MAX:
        raise InvalidInput({"name": f"Too long: at most {NAME_MAX} characters."})
    with Session(engine) as session:
        source = session.get(Project, project_id)
        if source is None:
            raise NotFound(f"There is no project with id {project_id} any more.")
        if crud.find_project_by_name(session, name=name) is not None:
            raise InvalidInput({"name": f"A project called {name!r} already exists."})
        copy = Project(
            name=name, phase=Phase.PLANNING, **{f: getattr(source, f) for f in CHARTER_FIELDS}
        )
        session.add(copy)
        try:
            session.flush()
        except IntegrityError as error:
            session.rollback()
            raise InvalidInput({"name": "A project with this name already exists."}) from error
        for model in (SuccessCriterion, Stakeholder):
            rows = session.exec(
                select(model).where(model.project_id == project_id).order_by(col(model.position))
            ).all()
            for row in rows:
                values = {
                    name: getattr(row, name)
                    for name in model.model_fields
                    if name not in {"id", "project_id"}
                }
                session.add(model(project_id=copy.id, **values))
        weights = _template_weights(session, project_id)
        if weights:
            _add_weights(session, copy.id, weights, actor, source.name)
        experiments = session.exec(
            select(Experiment).where(Experiment.project_id == project_id).order_by(Experiment.id)
        ).all()
        for experiment in experiments:
            session.add(
                Experiment(
                    project_id=copy.id,
                    start_date=today,
                    status=ExperimentStatus.PROPOSED,
                    **{f: getattr(experiment, f) for f in EXPERIMENT_STRUCTURE},
                )
            )
        permissions.claim_new_project(session, copy.id, actor)  # members are not copied
        crud.record_activity(
            session,
            project_id=copy.id,
            actor=actor,
            action="project created",
            summary=f"Created from the template project {source.name!r}: charter, "
            f"{len(weights)} question weight(s), {len(experiments)} experiment(s) copied; "
            "no answers.",
            changes={
                "template_project_id": project_id,
                "template": source.name,
                "weights": weights,
                "experiments": [e.approach for e in experiments],
            },
        )
        session.commit()
        session.refresh(copy)
        return ProjectPublic.model_validate(copy)


def _add_weights(
    session: Session, project_id: int, weights: dict[str, float], actor: str, template: str
) -> None:
    """Weights live with saved assessments: one with no rater carries the template's."""
    from workbench.services.assessment import _result_json, combined_result

    questions = load_question_bank()
    result = combined_result([], questions, weights)
    effective: dict[str, Any] = dict(result.weights)
    session.add(
        AssessmentSnapshot(
            project_id=project_id,
            saved_by=actor,
            verdict=result.verdict.value,
            fit_score=result.fit_score,
            impact_score=result.impact_score,
            feasibility_score=result.feasibility_score,
            weights=effective,
            ratings=[],
            result=_result_json(result),
            note=f"Question weights taken from the template project {template!r}; nobody has "
            "answered yet.",
        )
    )
