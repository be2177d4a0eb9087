"""The parking lot's pure rules: the status state machine (as a table) and when an idea is due."""

from datetime import date, timedelta

import pytest

from workbench.domain.lifecycle import Phase
from workbench.domain.parking_lot import (
    DROPPED,
    PARKED,
    REVIVED,
    STATUS_MOVES,
    STATUSES,
    can_promote,
    due_reason,
    phase_from_text,
    status_move_error,
)
from workbench.models import ParkingLotStatus

DAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (PARKED, PARKED, True),
        (PARKED, REVIVED, True),
        (PARKED, DROPPED, True),
        (DROPPED, PARKED, True),
        (DROPPED, DROPPED, True),
        (DROPPED, REVIVED, False),
        (REVIVED, REVIVED, True),
        (REVIVED, PARKED, False),
        (REVIVED, DROPPED, False),
        (PARKED, "archived", False),
    ],
)
def test_status_moves(current, target, allowed):
    assert (status_move_error(current, target) is None) is allowed


def test_the_statuses_are_the_stored_ones():
    assert set(STATUSES) == set(STATUS_MOVES) == {s.value for s in ParkingLotStatus}
    assert status_move_error(ParkingLotStatus.DROPPED, ParkingLotStatus.PARKED) is None


def test_refusals_say_why_and_point_to_promotion_for_reviving():
    assert status_move_error(DROPPED, REVIVED) == (
        "A dropped idea cannot become revived (use “Promote to experiment” to revive it)."
    )
    assert status_move_error(REVIVED, PARKED) == "A revived idea cannot become parked."
    assert status_move_error(PARKED, "") == "Choose one of: parked, revived, dropped."


@pytest.mark.parametrize(
    ("status", "promotable"), [(PARKED, True), (DROPPED, False), (REVIVED, False)]
)
def test_only_a_parked_idea_can_be_promoted(status, promotable):
    assert can_promote(status) is promotable


@pytest.mark.parametrize(
    ("status", "revisit_on", "revisit_phase", "phase", "reason"),
    [
        (PARKED, DAY, None, Phase.PLANNING, "revisit date 2026-12-01 reached"),
        (PARKED, DAY - timedelta(days=9), None, Phase.PLANNING, "revisit date 2026-11-22 reached"),
        (PARKED, DAY + timedelta(days=1), None, Phase.PLANNING, ""),
        (PARKED, None, "development", Phase.DEVELOPMENT, "project is in Development"),
        (PARKED, None, "development", Phase.SCOPING, ""),
        (PARKED, None, None, Phase.EVALUATION, ""),
        (DROPPED, DAY, "planning", Phase.PLANNING, ""),
        (REVIVED, DAY, None, Phase.PLANNING, ""),
    ],
)
def test_due_for_review(status, revisit_on, revisit_phase, phase, reason):
    assert due_reason(status, revisit_on, revisit_phase, phase, DAY) == reason


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("development", Phase.DEVELOPMENT),
        ("Experimentation (Go/No-Go)", Phase.EXPERIMENTATION),
        (" Scoping & research ", Phase.SCOPING),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_a_phase_is_read_from_its_value_or_label(text, phase):
    assert phase_from_text(text) is phase


def test_an_unknown_phase_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="choose one of Planning, Scoping & research"):
        phase_from_text("Later")
