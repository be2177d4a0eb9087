"""An experiment's outcome: its measured result, the end-of-research review and the decision its
time box forces (extend, cull, park or select)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from workbench import crud
from workbench.domain import timebox
from workbench.domain.experiments import ExperimentStatus, decision_problems, review_problems
from workbench.domain.lifecycle import Phase
from workbench.domain.timebox import RESEARCH_REVIEW_QUESTIONS, Decision
from workbench.errors import InvalidInput
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Experiment,
    ParkingLotItem,
    SourceKind,
    TimeBoxExtension,
    utc_now,
)
from workbench.models.experiments import (
    DecisionInput,
    ExperimentPublic,
    ExtensionPublic,
    ResultInput,
)
from workbench.services.experiments.common import (
    DECISION_ACTIONS,
    _commit,
    _experiment_box,
    _for_edit,
    _label,
    _parsed,
    _public,
)
from workbench.services.projects import check_actor


@dataclass(frozen=True)
class DecisionOutcome:
    """What a decision changed: the experiment, and the extension or parked item it created."""

    experiment: ExperimentPublic
    extension: ExtensionPublic | None
    parking_lot_item_id: int | None


def _review_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """Pydantic's `review_answers.2` as the form's `review_answers[3]` (numbered from 1)."""
    renamed: dict[str, str] = {}
    for key, message in errors.items():
        head, _, index = key.partition(".")
        if head == "review_answers" and index.isdigit():
            key = f"review_answers[{int(index) + 1}]"
        renamed[key] = message
    return renamed


def record_result(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int | None,
    metric_name: Any,
    result_value: Any,
    baseline_value: Any,
    evidence_links: Iterable[str] | str | None,
    actor: str,
) -> ExperimentPublic:
    """Store the measured result against the baseline and links to the evidence (a list, or
    text with one link a line), logging it."""
    actor = check_actor(actor)
    result_in = _parsed(
        ResultInput,
        {
            "metric_name": metric_name,
            "result_value": result_value,
            "baseline_value": baseline_value,
            "evidence_links": evidence_links,
        },
    )
    if result_in.result_value is not None and not result_in.metric_name:
        raise InvalidInput({"metric_name": "Name the metric the result is measured in."})
    new = result_in.model_dump()
    with Session(engine) as session:
        experiment = _for_edit(session, experiment_id, expected_version, new)
        diff = {
            key: [getattr(experiment, key), value]
            for key, value in new.items()
            if getattr(experiment, key) != value
        }
        if not diff:
            return _public(experiment)
        experiment.sqlmodel_update(new)
        experiment.updated_at = utc_now()
        session.add(experiment)
        result, baseline = result_in.result_value, result_in.baseline_value
        versus = f" vs baseline {baseline:g}" if baseline is not None and result is not None else ""
        links = result_in.evidence_links
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action="experiment result",
            summary=f"{_label(experiment).capitalize()}: "
            + (
                f"{result_in.metric_name} = {result:g}{versus}"
                if result is not None
                else "result cleared"
            )
            + (f"; {len(links)} evidence link(s)." if links else "."),
            changes={"experiment_id": experiment_id, **diff},
        )
        _commit(session, experiment, new)
        return _public(experiment)


def record_research_review(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int | None,
    answers: Mapping[str, str] | Sequence[str],
    actor: str,
) -> ExperimentPublic:
    """Store the answers to Wilson's end-of-research questions (all four required), logging them."""
    actor = check_actor(actor)
    try:
        given = _parsed(DecisionInput, {"decision": "cull", "review_answers": answers})
    except InvalidInput as error:
        raise InvalidInput(_review_errors(error.errors)) from None
    listed = given.review_answers or []
    problems = review_problems(listed)
    if problems:
        raise InvalidInput(problems)
    review = dict(zip(RESEARCH_REVIEW_QUESTIONS, listed, strict=True))
    mine = {"review_answers": review}
    with Session(engine) as session:
        experiment = _for_edit(session, experiment_id, expected_version, mine)
        experiment.review_answers = review
        experiment.updated_at = utc_now()
        session.add(experiment)
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action="research review",
            summary=f"{_label(experiment).capitalize()}: end-of-research review answered.",
            changes={"experiment_id": experiment_id, "review_answers": review},
        )
        _commit(session, experiment, mine)
        return _public(experiment)


def decide(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int | None,
    decision: Decision | str | None,
    reason: str,
    actor: str,
    today: date,
    new_end: date | None = None,
    review_answers: Mapping[str, str] | Sequence[str] | None = None,
    revisit_on: date | None = None,
    revisit_phase: Phase | str | None = None,
) -> DecisionOutcome:
    """Decide on an experiment's time box: extend, cull, park or select — with a reason.

    Extend needs a new end (a working day after the current end) and is logged as a
    TimeBoxExtension; the experiment stays open. Cull, park and select close the experiment;
    park also puts the approach in the parking lot (source: this experiment), to come back on
    `revisit_on` or when the project reaches `revisit_phase`. When the end-of-research review
    is due and not answered yet, its four answers are required and stored with the decision.
    The rules are ``workbench.domain.experiments.decision_problems``.
    """
    actor = check_actor(actor)
    try:
        given = _parsed(
            DecisionInput,
            {
                "decision": decision,
                "reason": reason,
                "new_end": new_end,
                "revisit_on": revisit_on,
                "revisit_phase": revisit_phase,
                "review_answers": review_answers,
            },
        )
    except InvalidInput as error:
        raise InvalidInput(_review_errors(error.errors)) from None
    choice: Decision = given.decision
    reason = given.reason
    mine = {"decision": choice, "decision_reason": reason}
    with Session(engine) as session:
        experiment = _for_edit(session, experiment_id, expected_version, mine)
        box = _experiment_box(session, experiment)
        decided = None
        if experiment.status == ExperimentStatus.DECIDED:
            when = experiment.decided_at.date().isoformat() if experiment.decided_at else "earlier"
            decided = f"{experiment.decision} by {experiment.decided_by or 'someone'} on {when}"
        problems = decision_problems(
            decision=choice,
            reason=reason,
            new_end=given.new_end,
            box=box,
            today=today,
            review_done=bool(experiment.review_answers),
            review_answers=given.review_answers,
            decided=decided,
        )
        if problems:
            raise InvalidInput(problems)
        state = timebox.time_box_state(box, today, review_done=bool(experiment.review_answers))
        review = (
            dict(zip(RESEARCH_REVIEW_QUESTIONS, given.review_answers, strict=True))
            if given.review_answers
            else None
        )
        now = utc_now()
        extension = None
        parked_id = None
        if review is not None:
            experiment.review_answers = review
        changes: dict[str, Any] = {"experiment_id": experiment_id, "decision": choice.value}
        if choice is Decision.EXTEND:
            extension = TimeBoxExtension(
                experiment_id=experiment_id,
                reason=reason,
                previous_end=state.overall_end,
                new_end=given.new_end,
                extended_by=actor,
                extended_at=now,
            )
            session.add(extension)
            changes["end"] = [state.overall_end.isoformat(), given.new_end.isoformat()]
            summary = (
                f"{_label(experiment).capitalize()}: time box extended from "
                f"{state.overall_end.isoformat()} to {given.new_end.isoformat()}. Reason: {reason}"
            )
        else:
            experiment.status = ExperimentStatus.DECIDED
            experiment.decision = choice.value
            experiment.decision_reason = reason
            experiment.decided_by = actor
            experiment.decided_at = now
            summary = (
                f"{_label(experiment).capitalize()}: {choice.value} at "
                f"{state.burn_percent:.0f} % of its time box. Reason: {reason}"
            )
            if choice is Decision.PARK:
                parked_id = _park(session, experiment, given, actor)
                changes["parking_lot_item_id"] = parked_id
                phase = given.revisit_phase
                summary += (
                    " Parked in the parking lot"
                    + (
                        f", to revisit on {given.revisit_on.isoformat()}"
                        if given.revisit_on
                        else ""
                    )
                    + (f", to revisit in {phase.label}" if phase else "")
                    + "."
                )
        if review is not None:
            changes["review_answers"] = review
        experiment.updated_at = now
        session.add(experiment)
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action=DECISION_ACTIONS[choice],
            summary=summary,
            changes=changes,
        )
        _commit(session, experiment, mine)
        if extension is not None:
            session.refresh(extension)
        return DecisionOutcome(
            experiment=_public(experiment),
            extension=ExtensionPublic.model_validate(extension) if extension else None,
            parking_lot_item_id=parked_id,
        )


def _park(session: Session, experiment: Experiment, given: DecisionInput, actor: str) -> int:
    """Put a parked approach in the parking lot (in the caller's transaction); its item id."""
    phase = given.revisit_phase
    item = ParkingLotItem(
        project_id=experiment.project_id,
        idea=(
            experiment.approach + (f": {experiment.hypothesis}" if experiment.hypothesis else "")
        )[:LONG_TEXT_MAX],
        raised_by=experiment.owner or actor,
        why_deferred=given.reason,
        revisit_on=given.revisit_on,
        revisit_phase=phase.value if phase else None,
        source_kind=SourceKind.EXPERIMENT,
        source_id=experiment.id,
        source_label=f"Experiment: {experiment.approach}"[:SHORT_TEXT_MAX],
    )
    session.add(item)
    session.flush()
    return item.id
