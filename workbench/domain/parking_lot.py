"""The parking lot's rules (Wilson ch. 3.2), pure: how a parked idea's status may move, and when
an idea is due for review.

Statuses are the stored strings (``ParkingLotStatus`` in the models is a ``StrEnum`` of the same
values, so its members work here as they are). An idea moves parked → revived (promoted to an
experiment) or dropped; a dropped idea may be parked again; a revived idea stays revived.

A parked idea is *due for review* when its revisit date has come (``revisit_on <= today``) or
its project is in the phase named to revisit it in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from workbench.domain.lifecycle import Phase

PARKED = "parked"
REVIVED = "revived"
DROPPED = "dropped"
STATUSES: tuple[str, ...] = (PARKED, REVIVED, DROPPED)

STATUS_MOVES: Mapping[str, frozenset[str]] = {
    PARKED: frozenset({REVIVED, DROPPED}),
    DROPPED: frozenset({PARKED}),
    REVIVED: frozenset(),
}
"""Where each status may move to (staying put is always allowed)."""


def status_move_error(current: str, target: str) -> str | None:
    """Why an idea may not move from `current` to `target` (None when it may, or stays)."""
    if target not in STATUS_MOVES:
        return f"Choose one of: {', '.join(STATUSES)}."
    if target == current or target in STATUS_MOVES.get(current, frozenset()):
        return None
    hint = " (use “Promote to experiment” to revive it)" if target == REVIVED else ""
    return f"A {current} idea cannot become {target}{hint}."


def can_promote(status: str) -> bool:
    """Whether an idea with `status` may be promoted to an experiment (which revives it)."""
    return REVIVED in STATUS_MOVES.get(status, frozenset())


def due_reason(
    status: str, revisit_on: date | None, revisit_phase: str | None, phase: Phase, today: date
) -> str:
    """Why an idea is due for review on `today` ('' when it is not: only parked ideas are)."""
    if status != PARKED:
        return ""
    if revisit_on is not None and revisit_on <= today:
        return f"revisit date {revisit_on.isoformat()} reached"
    if revisit_phase and revisit_phase == phase.value:
        return f"project is in {phase.label}"
    return ""


def phase_from_text(value: Any) -> Phase | None:
    """A phase from its stored value or its label ('Development'); None when blank.

    Raises:
        ValueError: the text names no phase.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.lower() in {"nan", "nat", "none"}:
        return None
    for phase in Phase:
        if text in (phase.value, phase.label):
            return phase
    raise ValueError(f"Unknown phase {text!r}: choose one of {', '.join(p.label for p in Phase)}.")
