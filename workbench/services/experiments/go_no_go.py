"""The culling matrix (scores, ranking) and the Go/No-Go that ends experimentation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from workbench import crud
from workbench.domain.decision_matrix import (
    DEFAULT_WEIGHTS,
    LOWER_IS_BETTER,
    MAX_SCORE,
    MIN_SCORE,
    Candidate,
    Criterion,
    InvalidWeights,
    MatrixResult,
    rank_candidates,
)
from workbench.domain.experiments import Candidate as GoCandidate
from workbench.domain.experiments import ExperimentStatus, go_no_go_move, go_no_go_problems
from workbench.domain.lifecycle import Phase
from workbench.domain.timebox import Decision
from workbench.errors import InvalidInput
from workbench.models import (
    LONG_TEXT_MAX,
    Experiment,
    GoNoGoDecision,
    Project,
    ProjectPublic,
    utc_now,
)
from workbench.models.experiments import GoNoGoPublic
from workbench.models.inputs import blank_to_none, widget_text
from workbench.services.experiments.common import DECISION_ACTIONS, _for_edit, _label, _public
from workbench.services.projects import apply_phase_move, check_actor, tick_gate_items
from workbench.versioning import commit, load_for_edit

CRITERION_LABELS: Mapping[Criterion, str] = {
    Criterion.PREDICTION_QUALITY: "Prediction quality",
    Criterion.MAINTAINABILITY: "Maintainability",
    Criterion.IMPLEMENTATION_COMPLEXITY: "Implementation complexity",
    Criterion.COST_TO_RUN: "Cost to run",
}
CRITERION_HELP: Mapping[Criterion, str] = {
    criterion: f"Score {MIN_SCORE}–{MAX_SCORE}; "
    + (
        "lower is better (1 = simple / cheap)."
        if criterion in LOWER_IS_BETTER
        else "higher is better."
    )
    for criterion in Criterion
}


GO_GATE_ITEMS = ("boxes_decided", "culled", "go_no_go")


@dataclass(frozen=True)
class MatrixRanking:
    """The culling matrix's ranking, and which candidates could not be ranked yet (and why)."""

    result: MatrixResult | None
    unscored: tuple[str, ...]
    errors: Mapping[str, str]


@dataclass(frozen=True)
class GoNoGoOutcome:
    """The recorded Go/No-Go and what happened to the project's phase."""

    decision: GoNoGoPublic
    phase_before: Phase
    phase_after: Phase
    moved: bool
    message: str


def _score(value: Any) -> int | None:
    """A 1–5 score from a table cell; None when blank; ValueError otherwise."""
    value = blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a score: {value!r}")
    number = float(value)
    if not number.is_integer() or not MIN_SCORE <= number <= MAX_SCORE:
        raise ValueError(f"a score is a whole number {MIN_SCORE}–{MAX_SCORE}, got {value!r}")
    return int(number)


def _row_scores(
    row: Mapping[str, Any], label: Any, errors: dict[str, str], table: str = "matrix"
) -> dict[str, int | None]:
    """The scores of the criteria `row` has a cell for (None: cleared); messages in `errors`."""
    scores: dict[str, int | None] = {}
    for criterion in Criterion:
        if criterion.value not in row:
            continue
        try:
            scores[criterion.value] = _score(row[criterion.value])
        except (TypeError, ValueError) as error:
            errors[f"{table}[{label}].{criterion.value}"] = str(error).capitalize() + "."
    return scores


def _weights(weights: Mapping[Criterion | str, Any] | None) -> dict[Criterion, float]:
    """Criterion weights as floats (equal weights when None); InvalidInput if not numbers."""
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    result: dict[Criterion, float] = {}
    for key, value in weights.items():
        try:
            result[Criterion(key)] = float(value)
        except (TypeError, ValueError) as error:
            raise InvalidInput(
                {"weights": f"Weight for {key}: not a number ({value!r})."}
            ) from error
    return result


# --- Culling matrix and Go/No-Go ----------------------------------------------------------


def rank_matrix(
    rows: Sequence[Mapping[str, Any]], weights: Mapping[Criterion | str, Any] | None = None
) -> MatrixRanking:
    """Rank the culling matrix's rows (each: `approach` and one 1–5 cell per criterion).

    Rows with a blank cell are listed in `unscored` and left out of the ranking; bad cells and
    bad weights are reported in `errors` (then there is no ranking). Pure: no database.
    """
    errors: dict[str, str] = {}
    candidates: list[Candidate] = []
    unscored: list[str] = []
    for index, row in enumerate(rows):
        scores = {k: v for k, v in _row_scores(row, index + 1, errors).items() if v is not None}
        name = widget_text(row.get("approach")) or f"row {index + 1}"
        if len(scores) == len(Criterion):
            candidates.append(
                Candidate(name=name, scores={Criterion(k): v for k, v in scores.items()})
            )
        else:
            unscored.append(name)
    try:
        weight_of = _weights(weights)
    except InvalidInput as error:
        errors.update(error.errors)
        weight_of = {}
    if errors:
        return MatrixRanking(result=None, unscored=tuple(unscored), errors=errors)
    try:
        result = rank_candidates(candidates, weight_of)
    except InvalidWeights as error:
        return MatrixRanking(result=None, unscored=tuple(unscored), errors={"weights": str(error)})
    except ValueError as error:
        return MatrixRanking(result=None, unscored=tuple(unscored), errors={"matrix": str(error)})
    return MatrixRanking(result=result, unscored=tuple(unscored), errors={})


def save_matrix_scores(
    engine: Engine,
    *,
    project_id: int,
    rows: Sequence[Mapping[str, Any]],
    actor: str,
    table: str = "matrix",
) -> int:
    """Store the culling-matrix scores the user changed: each row has the experiment's `id`, the
    `version` the user saw and a cell for each criterion changed (blank: cleared; criteria not
    in the row stay as stored); optionally `row`, its number in the table, for messages.

    All rows or none: a row changed since the user saw it is refused (StaleEditError) and
    nothing is written. Returns how many experiments changed.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    parsed = [
        (int(row["id"]), row.get("version"), _row_scores(row, row.get("row", i + 1), errors, table))
        for i, row in enumerate(rows)
    ]
    if errors:
        raise InvalidInput(errors)
    changed = 0
    with Session(engine) as session:
        touched: list[tuple[Experiment, dict[str, Any]]] = []
        for experiment_id, version, cells in parsed:
            experiment = _for_edit(
                session, experiment_id, version, {"matrix_scores": cells}, project_id=project_id
            )
            old = {k: int(v) for k, v in (experiment.matrix_scores or {}).items()}
            new = {k: v for k, v in {**old, **cells}.items() if v is not None}
            if new == old:
                continue
            experiment.matrix_scores = new
            experiment.updated_at = utc_now()
            session.add(experiment)
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="matrix scored",
                summary=f"{_label(experiment).capitalize()}: culling-matrix scores "
                + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in new.items())
                + ".",
                changes={"experiment_id": experiment_id, "matrix_scores": [old, new]},
            )
            touched.append((experiment, {"matrix_scores": new}))
            changed += 1
        if touched:
            commit(session, touched[0][0], touched[0][1], public=_public)
    return changed


def record_go_no_go(
    engine: Engine,
    *,
    project_id: int,
    expected_project_version: int | None,
    go: bool,
    selected_experiment_id: int | None,
    reasons: str,
    actor: str,
    weights: Mapping[Criterion | str, Any] | None = None,
) -> GoNoGoOutcome:
    """Record the end of experimentation and move the project's phase gate.

    Go selects one MVP approach: the other candidates must be culled or parked first (one
    approach goes forward), and the selected experiment is decided "select" if it was still
    open. The Experimentation gate items "every box decided", "culled" and "Go/No-Go recorded"
    are ticked; a project in Experimentation moves to Development with the reasons as the
    note. A project in an earlier phase is not moved (phases move one at a time, each with its
    own gate, on the Charter page); the outcome says so.

    No-Go records the reasons, ticks "Go/No-Go recorded", and sends a project in
    Experimentation or later back to Scoping & research (the reasons become the note), where
    the team rethinks the approaches; the experiments stay as they are.

    The decision, the matrix (scores, weights, ranking), the gate ticks and the phase move are
    written in one transaction: all of them or none; the project's version moves on. Raises
    InvalidInput (nothing stored) or StaleEditError when the project changed since
    `expected_project_version`. The rules are ``workbench.domain.experiments``'.
    """
    actor = check_actor(actor)
    reasons = widget_text(reasons)
    if len(reasons) > LONG_TEXT_MAX:
        raise InvalidInput({"reasons": f"Too long: at most {LONG_TEXT_MAX} characters."})
    selected_experiment_id = blank_to_none(selected_experiment_id) if go else None
    weight_of = _weights(weights)
    with Session(engine) as session:
        project = load_for_edit(
            session,
            Project,
            project_id,
            expected_project_version,
            {},
            what="project",
            public=ProjectPublic.model_validate,
        )
        experiments = list(
            session.exec(
                select(Experiment)
                .where(Experiment.project_id == project_id)
                .order_by(col(Experiment.id))
            ).all()
        )
        problems = go_no_go_problems(
            go=go,
            reasons=reasons,
            selected_id=selected_experiment_id,
            candidates=[
                GoCandidate(e.id, e.approach, Decision(e.decision) if e.decision else None)
                for e in experiments
            ],
        )
        if problems:
            raise InvalidInput(problems)
        selected = next((e for e in experiments if e.id == selected_experiment_id), None)
        ranking = rank_matrix(
            [{"approach": e.approach, **(e.matrix_scores or {})} for e in experiments], weight_of
        )
        rank_of = {r.name: r for r in ranking.result.ranking} if ranking.result else {}
        matrix = [
            {
                "experiment_id": e.id,
                "approach": e.approach,
                "decision": e.decision,
                "scores": dict(e.matrix_scores or {}),
                "total": rank_of[e.approach].total if e.approach in rank_of else None,
                "rank": rank_of[e.approach].rank if e.approach in rank_of else None,
            }
            for e in experiments
        ]
        now = utc_now()
        if selected is not None and selected.status != ExperimentStatus.DECIDED:
            selected.status = ExperimentStatus.DECIDED
            selected.decision = Decision.SELECT.value
            selected.decision_reason = reasons
            selected.decided_by = actor
            selected.decided_at = now
            selected.updated_at = now
            session.add(selected)
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action=DECISION_ACTIONS[Decision.SELECT],
                summary=f"{_label(selected).capitalize()}: selected as the MVP approach at "
                f"the Go/No-Go. Reason: {reasons}",
                changes={"experiment_id": selected.id, "decision": Decision.SELECT.value},
            )
        record = GoNoGoDecision(
            project_id=project_id,
            go=go,
            selected_experiment_id=selected.id if selected else None,
            reasons=reasons,
            weights={c.value: float(w) for c, w in weight_of.items()},
            matrix=matrix,
            decided_by=actor,
            decided_at=now,
        )
        session.add(record)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="go/no-go",
            summary=(
                f"Go: {selected.approach!r} is the MVP approach. Reasons: {reasons}"
                if go and selected
                else f"No-Go. Reasons: {reasons}"
            ),
            changes={
                "go": go,
                "selected_experiment_id": selected.id if selected else None,
                "weights": record.weights,
            },
        )
        phase_before = Phase(project.phase)
        tick_gate_items(
            session,
            project_id=project_id,
            phase=Phase.EXPERIMENTATION,
            check=GO_GATE_ITEMS if go else ("go_no_go",),
            actor=actor,
        )
        move = go_no_go_move(
            go=go,
            phase_before=phase_before,
            approach=selected.approach if selected else "",
            reasons=reasons,
        )
        if move.target is not None:
            # The same transaction: the decision, its gate ticks and the phase move land together.
            apply_phase_move(session, project, target=move.target, actor=actor, note=move.note)
        else:
            project.updated_at = now  # a Go/No-Go changes the project: its version moves on
            session.add(project)
        commit(session, project, {}, public=ProjectPublic.model_validate)
        session.refresh(record)
        decision = GoNoGoPublic.model_validate(record)
    return GoNoGoOutcome(
        decision=decision,
        phase_before=phase_before,
        phase_after=move.target or phase_before,
        moved=move.target is not None,
        message=move.message,
    )


def list_go_no_go(engine: Engine, project_id: int) -> list[GoNoGoPublic]:
    """A project's Go/No-Go decisions, newest first."""
    with Session(engine) as session:
        rows = session.exec(
            select(GoNoGoDecision)
            .where(GoNoGoDecision.project_id == project_id)
            .order_by(col(GoNoGoDecision.decided_at).desc(), col(GoNoGoDecision.id).desc())
        ).all()
        return [GoNoGoPublic.model_validate(row) for row in rows]
