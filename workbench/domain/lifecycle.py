"""The six-phase project lifecycle and its gate rules (Wilson ch. 1, seed 000).

Planning → Scoping & research → Experimentation (ends in a Go/No-Go) → Development →
Deployment → Evaluation. Each phase has a gate checklist; moving forward records who moved the
project and which checklist items were still open. A project moves forward one phase at a time
and may move back to any earlier phase (for instance after a No-Go); moving back, or forward
with open items, needs a note saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """A lifecycle phase, in order."""

    PLANNING = "planning"
    SCOPING = "scoping"
    EXPERIMENTATION = "experimentation"
    DEVELOPMENT = "development"
    DEPLOYMENT = "deployment"
    EVALUATION = "evaluation"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]

    @property
    def index(self) -> int:
        return list(Phase).index(self)


PHASE_LABELS: Mapping[Phase, str] = {
    Phase.PLANNING: "Planning",
    Phase.SCOPING: "Scoping & research",
    Phase.EXPERIMENTATION: "Experimentation (Go/No-Go)",
    Phase.DEVELOPMENT: "Development",
    Phase.DEPLOYMENT: "Deployment",
    Phase.EVALUATION: "Evaluation",
}


class InvalidPhaseMove(ValueError):
    """A phase change that the lifecycle rules do not allow."""


EVIDENCE_KINDS: dict[str, str] = {
    "charter_problem": "the charter's business problem",
    "charter_why_now": "the charter's 'why now', with a sponsor named",
    "charter_current_process": "the charter's 'how it is done today'",
    "success_criteria": "success criteria tied to business metrics",
    "charter_baseline": "the charter's non-ML baseline",
    "delivery_date": "a target delivery date",
    "interview_submitted": "a submitted SME interview",
    "verdict_saved": "a saved should-we-use-ML assessment",
    "stakeholders_named": "stakeholders with roles on the charter",
    "experiments_listed": "experiments with hypotheses",
    "time_boxes_set": "experiments with research and prototype time boxes",
    "scenario_chosen": "a cost and value scenario chosen for the report",
    "baseline_measured": "an experiment result with its baseline value",
    "boxes_decided": "a decision on every experiment's time box",
    "features_planned": "MVP features on the demo plan",
    "go_no_go_recorded": "a recorded Go/No-Go decision",
    "demos_held": "demos held",
}
"""The records a gate item may name as its evidence (`evidence = "…"` in data/lifecycle.toml),
with what each one is in words."""


@dataclass(frozen=True)
class GateItem:
    """One item of a phase's gate checklist; `evidence` names the kind of record that satisfies
    it (a key of EVIDENCE_KINDS), or "" when only people can tell."""

    key: str
    text: str
    evidence: str = ""


@dataclass(frozen=True)
class PhaseGate:
    """What a phase is for, and what must be true before leaving it."""

    phase: Phase
    goal: str
    items: tuple[GateItem, ...]
    source: str


@dataclass(frozen=True)
class PhaseMove:
    """A checked phase change: where from, where to, and what was still open."""

    from_phase: Phase
    to_phase: Phase
    open_items: tuple[GateItem, ...]

    @property
    def is_forward(self) -> bool:
        return self.to_phase.index > self.from_phase.index


def open_gate_items(gate: PhaseGate, done_keys: Iterable[str]) -> tuple[GateItem, ...]:
    """The gate items of `gate` not in `done_keys`, in checklist order."""
    done = set(done_keys)
    return tuple(item for item in gate.items if item.key not in done)


def plan_phase_move(
    *,
    current: Phase,
    target: Phase,
    gates: Mapping[Phase, PhaseGate],
    done_keys: Iterable[str],
    note: str,
) -> PhaseMove:
    """Check a phase change and say what stays open.

    Forward moves go one phase at a time. A move back, or a forward move that leaves gate
    items open, needs a non-empty `note`. Raises `InvalidPhaseMove` otherwise.
    """
    if target == current:
        raise InvalidPhaseMove(f"The project is already in {current.label}.")
    if target.index > current.index + 1:
        raise InvalidPhaseMove(
            f"Move one phase at a time: from {current.label} the next phase is "
            f"{Phase(list(Phase)[current.index + 1]).label}."
        )
    forward = target.index > current.index
    open_items = open_gate_items(gates[current], done_keys) if forward else ()
    if not note.strip():
        if not forward:
            raise InvalidPhaseMove("Say why the project moves back (a note is required).")
        if open_items:
            raise InvalidPhaseMove(
                f"{len(open_items)} gate item(s) of {current.label} are still open: "
                "add a note saying why the project moves on anyway."
            )
    return PhaseMove(from_phase=current, to_phase=target, open_items=open_items)


def move_targets(phase: Phase) -> list[Phase]:
    """Where a project in `phase` may be moved: back to any earlier phase, or on to the next."""
    following = next_phase(phase)
    return [p for p in Phase if p.index < phase.index] + ([following] if following else [])


def next_phase(phase: Phase) -> Phase | None:
    """The phase after `phase`, or None after Evaluation."""
    phases: Sequence[Phase] = list(Phase)
    return phases[phase.index + 1] if phase.index + 1 < len(phases) else None


def is_delivery_date_acceptable(delivery_date, today) -> bool:
    """A target delivery date must not lie in the past (today counts as acceptable)."""
    return delivery_date is None or delivery_date >= today
