"""The rules of experiments: names, status moves, the decision a time box forces, the Go/No-Go.

Wilson (*Machine Learning Engineering in Action*, ch. 3.1.4 and 3.2): each candidate approach
gets a time box; when it is spent the team decides — extend with a reason and a new end, cull,
park or select — and nothing extends silently. Experimentation ends with a Go (one MVP approach
goes forward, the other candidates culled or parked) or a No-Go (back to scoping).

Pure: no database, no UI. Today's date is a parameter. Each rule returns the problems it finds
as ``{field: plain message}`` (empty when all is well); services refuse with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workbench.domain import timebox
from workbench.domain.lifecycle import Phase
from workbench.domain.timebox import RESEARCH_REVIEW_QUESTIONS, Decision, InvalidExtension, TimeBox

__all__ = [
    "CLOSED_DECISIONS",
    "STATUS_MOVES",
    "Candidate",
    "ExperimentStatus",
    "GoNoGoMove",
    "approach_key",
    "decision_problems",
    "duplicate_approach_problems",
    "go_no_go_move",
    "go_no_go_problems",
    "review_problems",
    "status_move_problems",
]


class ExperimentStatus(StrEnum):
    """Lifecycle of a candidate approach."""

    PROPOSED = "proposed"
    RESEARCHING = "researching"
    PROTOTYPING = "prototyping"
    DECIDED = "decided"


STATUS_MOVES: Mapping[ExperimentStatus, frozenset[ExperimentStatus]] = {
    ExperimentStatus.PROPOSED: frozenset(
        {ExperimentStatus.RESEARCHING, ExperimentStatus.PROTOTYPING}
    ),
    ExperimentStatus.RESEARCHING: frozenset({ExperimentStatus.PROTOTYPING}),
    ExperimentStatus.PROTOTYPING: frozenset(),
    ExperimentStatus.DECIDED: frozenset(),
}
"""status → the statuses a team may move it to by hand; "decided" only comes from a decision."""

CLOSED_DECISIONS = frozenset({Decision.CULL, Decision.PARK})
"""Decisions that take a candidate out of the race (it cannot be the MVP approach)."""


# --- Names ----------------------------------------------------------------------------------


def approach_key(approach: str) -> str:
    """The name as duplicates are compared: trimmed, inner spaces single, case folded."""
    return " ".join((approach or "").split()).casefold()


def duplicate_approach_problems(approach: str, others: Iterable[str]) -> dict[str, str]:
    """Refuse an approach whose name another experiment of the project already has."""
    key = approach_key(approach)
    clash = next((other for other in others if approach_key(other) == key), None)
    if not key or clash is None:
        return {}
    return {
        "approach": f"This project already has an experiment named {clash!r}: give this "
        "approach a name of its own (names are compared ignoring case and spaces)."
    }


# --- Status ---------------------------------------------------------------------------------


def status_move_problems(current: ExperimentStatus, target: ExperimentStatus) -> dict[str, str]:
    """May an experiment be moved by hand from `current` to `target`? (Staying put is fine.)"""
    if target is current:
        return {}
    if target is ExperimentStatus.DECIDED:
        return {"status": "An experiment is decided by a decision (extend, cull, park, select)."}
    if target not in STATUS_MOVES[current]:
        return {"status": f"A {current.value} experiment cannot move to {target.value}."}
    return {}


# --- The decision a box forces ----------------------------------------------------------------


def review_problems(answers: Sequence[str]) -> dict[str, str]:
    """Every end-of-research question needs an answer (keys ``review_answers[1]`` …)."""
    padded = [*answers, *[""] * len(RESEARCH_REVIEW_QUESTIONS)][: len(RESEARCH_REVIEW_QUESTIONS)]
    return {
        f"review_answers[{index + 1}]": "Required: answer this question."
        for index, answer in enumerate(padded)
        if not (answer or "").strip()
    }


def decision_problems(
    *,
    decision: Decision,
    reason: str,
    new_end: date | None,
    box: TimeBox,
    today: date,
    review_done: bool,
    review_answers: Sequence[str] | None,
    decided: str | None = None,
) -> dict[str, str]:
    """What is missing or wrong in a decision on a box, evaluated on `today`.

    Args:
        decision: extend, cull, park or select.
        reason: why (required for every decision; nothing extends silently).
        new_end: the new last working day, required to extend (a working day after the end).
        box: the experiment's box with its extensions.
        today: the day of the decision (the end-of-research review is due from the research end).
        review_done: whether the end-of-research answers are stored already.
        review_answers: the answers given with this decision, if any.
        decided: how an earlier decision reads ("cull by Ann on 2026-11-23") if there was one.
    """
    if decided is not None:
        return {"decision": f"Already decided: {decided}."}
    problems: dict[str, str] = {}
    if not (reason or "").strip():
        problems["reason"] = (
            "Required: say why — nothing extends silently."
            if decision is Decision.EXTEND
            else f"Required: say why you {decision.value} this approach."
        )
    if decision is Decision.EXTEND:
        if new_end is None:
            problems["new_end"] = "Required: the new last working day of the box."
        else:
            try:
                timebox.check_new_end(box, new_end)
            except InvalidExtension as error:
                problems["new_end"] = str(error).capitalize() + "."
    given = [a for a in (review_answers or []) if (a or "").strip()]
    if given:
        problems.update(review_problems(review_answers or []))
    elif timebox.research_review_due(box, today, review_done=review_done):
        problems["review_answers"] = (
            "Research has ended: answer the four review questions with this decision."
        )
    return problems


# --- Go/No-Go -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An experiment as the Go/No-Go sees it."""

    id: int
    approach: str
    decision: Decision | None = None


def go_no_go_problems(
    *, go: bool, reasons: str, selected_id: int | None, candidates: Sequence[Candidate]
) -> dict[str, str]:
    """Go needs one open candidate selected and every other one culled or parked; both need
    reasons."""
    problems: dict[str, str] = {}
    if not (reasons or "").strip():
        problems["reasons"] = "Required: say why — the reasons go to the decision log."
    if not go:
        return problems
    if selected_id is None:
        problems["selected_experiment_id"] = "Choose the MVP approach that goes forward."
        return problems
    by_id = {c.id: c for c in candidates}
    selected = by_id.get(selected_id)
    if selected is None:
        problems["selected_experiment_id"] = "This experiment is not on this project."
    elif selected.decision in CLOSED_DECISIONS:
        problems["selected_experiment_id"] = (
            f"{selected.approach!r} was {selected.decision.value}ed; choose an open candidate."
        )
    else:
        still_open = [
            c.approach
            for c in candidates
            if c.id != selected_id and c.decision not in CLOSED_DECISIONS
        ]
        if still_open:
            problems["selected_experiment_id"] = (
                "One approach goes forward: cull or park the other candidates first ("
                + ", ".join(repr(name) for name in still_open)
                + ")."
            )
    return problems


@dataclass(frozen=True)
class GoNoGoMove:
    """Where a Go/No-Go sends the project: `target` (None: it stays) with the move's note, and
    the sentence that tells the user what happened."""

    target: Phase | None
    note: str
    message: str


def go_no_go_move(*, go: bool, phase_before: Phase, approach: str, reasons: str) -> GoNoGoMove:
    """Go moves a project in Experimentation to Development; a project in another phase stays
    (phases move one at a time, each with its own gate). No-Go sends a project in
    Experimentation or later back to Scoping & research; an earlier project stays."""
    verb = "Go" if go else "No-Go"
    if go and phase_before is not Phase.EXPERIMENTATION:
        where = "already past" if phase_before.index > Phase.EXPERIMENTATION.index else "not yet in"
        return GoNoGoMove(
            None,
            "",
            f"Go recorded. The project is {where} Experimentation (it is in "
            f"{phase_before.label}), so its phase was not moved: phases move one at a time, "
            "each with its own gate, on the Charter page.",
        )
    if not go and phase_before.index < Phase.EXPERIMENTATION.index:
        return GoNoGoMove(None, "", f"No-Go recorded. The project stays in {phase_before.label}.")
    target = Phase.DEVELOPMENT if go else Phase.SCOPING
    note = f"Go: {approach!r} is the MVP approach. {reasons}" if go else f"No-Go: {reasons}"
    return GoNoGoMove(
        target,
        note,
        f"{verb} recorded; the project moved from {phase_before.label} to {target.label}.",
    )
