"""Time-box rules as tables; expected dates read off a printed calendar.

November 2026: Thu 19, Fri 20, Sat 21, Sun 22, Mon 23 ... Fri 27, Sat 28, Sun 29, Mon 30;
December 2026: Tue 1, Wed 2, Thu 3, Fri 4.
"""

from datetime import UTC, date, datetime

import pytest

from workbench.domain.timebox import (
    RESEARCH_REVIEW_QUESTIONS,
    RESEARCH_REVIEW_SOURCE,
    BoxStage,
    Extension,
    InvalidExtension,
    InvalidTimeBox,
    TimeBox,
    TimeBoxStatus,
    burn_percent,
    current_stage,
    elapsed_working_days,
    extend,
    first_day,
    overall_end,
    overrun_working_days,
    prototype_end,
    prototype_start,
    research_end,
    research_review_due,
    status,
    time_box_state,
    total_working_days,
)

D = date
NOT_STARTED, RESEARCH, PROTOTYPE, ENDED = (
    BoxStage.NOT_STARTED,
    BoxStage.RESEARCH,
    BoxStage.PROTOTYPE,
    BoxStage.ENDED,
)
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
ON_TRACK, WARNING, DUE = TimeBoxStatus.ON_TRACK, TimeBoxStatus.WARNING, TimeBoxStatus.DUE_DECISION

# 2 + 2 working days from Monday 2026-11-23: research Mon-Tue, prototype Wed-Thu.
MONDAY_BOX = TimeBox(start=D(2026, 11, 23), research_days=2, prototype_days=2)
# 5 + 5 from Saturday 2026-11-21: starts Monday 23, research to Fri 27, prototype Mon 30-Fri 4.
SATURDAY_BOX = TimeBox(start=D(2026, 11, 21), research_days=5, prototype_days=5)
# 3 + 1 from Thursday 2026-11-19: research Thu 19, Fri 20, Mon 23; prototype Tue 24.
OVER_WEEKEND_BOX = TimeBox(start=D(2026, 11, 19), research_days=3, prototype_days=1)
# 2 + 2 from Monday 2026-11-23 with Wednesday 25 off: prototype Thu 26-Fri 27.
HOLIDAY_BOX = TimeBox(
    start=D(2026, 11, 23), research_days=2, prototype_days=2, holidays=frozenset({D(2026, 11, 25)})
)


@pytest.mark.parametrize(
    ("box", "first", "r_end", "p_start", "p_end", "total"),
    [
        pytest.param(
            MONDAY_BOX,
            D(2026, 11, 23),
            D(2026, 11, 24),
            D(2026, 11, 25),
            D(2026, 11, 26),
            4,
            id="monday",
        ),
        pytest.param(
            SATURDAY_BOX,
            D(2026, 11, 23),
            D(2026, 11, 27),
            D(2026, 11, 30),
            D(2026, 12, 4),
            10,
            id="starts-saturday",
        ),
        pytest.param(
            OVER_WEEKEND_BOX,
            D(2026, 11, 19),
            D(2026, 11, 23),
            D(2026, 11, 24),
            D(2026, 11, 24),
            4,
            id="research-over-weekend",
        ),
        pytest.param(
            HOLIDAY_BOX,
            D(2026, 11, 23),
            D(2026, 11, 24),
            D(2026, 11, 26),
            D(2026, 11, 27),
            4,
            id="holiday-skipped",
        ),
    ],
)
def test_box_dates(box, first, r_end, p_start, p_end, total):
    assert first_day(box) == first
    assert research_end(box) == r_end
    assert prototype_start(box) == p_start
    assert prototype_end(box) == p_end
    assert overall_end(box) == p_end
    assert total_working_days(box) == total


@pytest.mark.parametrize(
    ("box", "today", "elapsed", "burn", "expected_status", "stage", "overrun"),
    [
        # Monday box, 4 days: each working day is 25 %.
        pytest.param(MONDAY_BOX, D(2026, 11, 20), 0, 0.0, ON_TRACK, NOT_STARTED, 0, id="before"),
        pytest.param(MONDAY_BOX, D(2026, 11, 23), 1, 25.0, ON_TRACK, RESEARCH, 0, id="day-1"),
        pytest.param(MONDAY_BOX, D(2026, 11, 24), 2, 50.0, ON_TRACK, RESEARCH, 0, id="day-2"),
        pytest.param(MONDAY_BOX, D(2026, 11, 25), 3, 75.0, WARNING, PROTOTYPE, 0, id="75"),
        pytest.param(MONDAY_BOX, D(2026, 11, 26), 4, 100.0, DUE, PROTOTYPE, 0, id="100"),
        pytest.param(MONDAY_BOX, D(2026, 11, 27), 5, 125.0, DUE, ENDED, 1, id="over-1"),
        pytest.param(MONDAY_BOX, D(2026, 11, 28), 5, 125.0, DUE, ENDED, 1, id="over-sat"),
        pytest.param(MONDAY_BOX, D(2026, 11, 30), 6, 150.0, DUE, ENDED, 2, id="over-2"),
        # Saturday box, 10 days from Monday 23: each working day is 10 %.
        pytest.param(
            SATURDAY_BOX, D(2026, 11, 21), 0, 0.0, ON_TRACK, NOT_STARTED, 0, id="sat-start"
        ),
        pytest.param(
            SATURDAY_BOX,
            D(2026, 11, 22),
            0,
            0.0,
            ON_TRACK,
            NOT_STARTED,
            0,
            id="sat-sunday",
        ),
        pytest.param(
            SATURDAY_BOX, D(2026, 11, 23), 1, 10.0, ON_TRACK, RESEARCH, 0, id="sat-monday"
        ),
        pytest.param(
            SATURDAY_BOX, D(2026, 11, 28), 5, 50.0, ON_TRACK, RESEARCH, 0, id="sat-weekend"
        ),
        pytest.param(
            SATURDAY_BOX, D(2026, 11, 30), 6, 60.0, ON_TRACK, PROTOTYPE, 0, id="sat-proto"
        ),
        pytest.param(SATURDAY_BOX, D(2026, 12, 1), 7, 70.0, ON_TRACK, PROTOTYPE, 0, id="sat-70"),
        pytest.param(SATURDAY_BOX, D(2026, 12, 2), 8, 80.0, WARNING, PROTOTYPE, 0, id="sat-80"),
        pytest.param(SATURDAY_BOX, D(2026, 12, 4), 10, 100.0, DUE, PROTOTYPE, 0, id="sat-100"),
        # 3 + 1 over a weekend: Sat/Sun add nothing.
        pytest.param(
            OVER_WEEKEND_BOX, D(2026, 11, 21), 2, 50.0, ON_TRACK, RESEARCH, 0, id="wk-sat"
        ),
        pytest.param(OVER_WEEKEND_BOX, D(2026, 11, 23), 3, 75.0, WARNING, RESEARCH, 0, id="wk-75"),
        pytest.param(OVER_WEEKEND_BOX, D(2026, 11, 24), 4, 100.0, DUE, PROTOTYPE, 0, id="wk-100"),
        # Holiday on Wednesday 25 is not spent.
        pytest.param(
            HOLIDAY_BOX, D(2026, 11, 25), 2, 50.0, ON_TRACK, RESEARCH, 0, id="hol-holiday"
        ),
        pytest.param(HOLIDAY_BOX, D(2026, 11, 26), 3, 75.0, WARNING, PROTOTYPE, 0, id="hol-75"),
        pytest.param(HOLIDAY_BOX, D(2026, 11, 27), 4, 100.0, DUE, PROTOTYPE, 0, id="hol-100"),
    ],
)
def test_burn_status_stage_overrun(box, today, elapsed, burn, expected_status, stage, overrun):
    assert elapsed_working_days(box, today) == elapsed
    assert burn_percent(box, today) == pytest.approx(burn)
    assert status(box, today) is expected_status
    assert current_stage(box, today) is stage
    assert overrun_working_days(box, today) == overrun


@pytest.mark.parametrize(
    ("research_days", "prototype_days"),
    [
        pytest.param(0, 5, id="zero-research"),
        pytest.param(5, 0, id="zero-prototype"),
        pytest.param(0, 0, id="zero-both"),
        pytest.param(-1, 3, id="negative"),
        pytest.param(2.5, 3, id="fraction"),
        pytest.param(True, 3, id="bool"),
    ],
)
def test_box_without_working_days_is_rejected(research_days, prototype_days):
    with pytest.raises(InvalidTimeBox):
        TimeBox(start=D(2026, 11, 23), research_days=research_days, prototype_days=prototype_days)


def extended(box, new_end, reason="Label noise needs a second look", who="Ana"):
    return extend(box, reason=reason, new_end=new_end, extended_by=who, extended_at=NOW)


def test_extension_moves_the_overall_end_only():
    box = extended(MONDAY_BOX, D(2026, 12, 1))
    assert research_end(box) == D(2026, 11, 24)
    assert prototype_end(box) == D(2026, 11, 26)
    assert overall_end(box) == D(2026, 12, 1)
    # Mon 23 .. Fri 27 (5) + Mon 30 + Tue 1 = 7 working days.
    assert total_working_days(box) == 7
    assert box.extensions == (
        Extension(
            reason="Label noise needs a second look",
            new_end=D(2026, 12, 1),
            extended_by="Ana",
            extended_at=NOW,
        ),
    )
    assert MONDAY_BOX.extensions == ()


@pytest.mark.parametrize(
    ("today", "burn", "expected_status", "overrun"),
    [
        pytest.param(D(2026, 11, 26), 400 / 7, ON_TRACK, 0, id="old-end-4-of-7"),
        pytest.param(D(2026, 11, 27), 500 / 7, ON_TRACK, 0, id="5-of-7"),
        pytest.param(D(2026, 11, 30), 600 / 7, WARNING, 0, id="6-of-7"),
        pytest.param(D(2026, 12, 1), 100.0, DUE, 0, id="new-end"),
        pytest.param(D(2026, 12, 2), 800 / 7, DUE, 1, id="past-new-end"),
    ],
)
def test_burn_after_extension(today, burn, expected_status, overrun):
    box = extended(MONDAY_BOX, D(2026, 12, 1))
    assert burn_percent(box, today) == pytest.approx(burn)
    assert status(box, today) is expected_status
    assert overrun_working_days(box, today) == overrun


def test_extensions_chain():
    box = extended(extended(MONDAY_BOX, D(2026, 12, 1)), D(2026, 12, 3), reason="More data")
    assert overall_end(box) == D(2026, 12, 3)
    assert [e.new_end for e in box.extensions] == [D(2026, 12, 1), D(2026, 12, 3)]
    assert total_working_days(box) == 9


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"reason": ""}, "reason", id="no-reason"),
        pytest.param({"reason": "   "}, "reason", id="blank-reason"),
        pytest.param({"extended_by": ""}, "who", id="no-who"),
        pytest.param({"new_end": D(2026, 11, 26)}, "after the current end", id="same-end"),
        pytest.param({"new_end": D(2026, 11, 25)}, "after the current end", id="earlier-end"),
        pytest.param({"new_end": D(2026, 11, 28)}, "not a working day", id="saturday-end"),
        pytest.param({"extended_at": datetime(2026, 11, 26, 15, 0)}, "timezone", id="naive"),
    ],
)
def test_extension_never_silent(kwargs, message):
    arguments = {
        "reason": "Label noise",
        "new_end": D(2026, 12, 1),
        "extended_by": "Ana",
        "extended_at": NOW,
    } | kwargs
    with pytest.raises(InvalidExtension, match=message):
        extend(MONDAY_BOX, **arguments)


def test_second_extension_must_end_after_the_first():
    box = extended(MONDAY_BOX, D(2026, 12, 1))
    with pytest.raises(InvalidExtension, match="after the current end"):
        extended(box, D(2026, 11, 30))


def test_box_built_with_extensions_is_checked():
    stale = Extension(reason="r", new_end=D(2026, 11, 26), extended_by="Ana", extended_at=NOW)
    with pytest.raises(InvalidExtension):
        TimeBox(start=D(2026, 11, 23), research_days=2, prototype_days=2, extensions=(stale,))


@pytest.mark.parametrize(
    ("box", "today", "due"),
    [
        pytest.param(SATURDAY_BOX, D(2026, 11, 26), False, id="research-day-4"),
        pytest.param(SATURDAY_BOX, D(2026, 11, 27), True, id="last-research-day"),
        pytest.param(SATURDAY_BOX, D(2026, 11, 28), True, id="weekend-after"),
        pytest.param(SATURDAY_BOX, D(2026, 12, 2), True, id="in-prototype"),
        pytest.param(MONDAY_BOX, D(2026, 11, 23), False, id="first-day"),
        pytest.param(MONDAY_BOX, D(2026, 11, 24), True, id="monday-box-research-end"),
    ],
)
def test_research_review_due(box, today, due):
    assert research_review_due(box, today) is due


def test_research_review_not_due_once_answered():
    assert research_review_due(SATURDAY_BOX, D(2026, 11, 27), review_done=True) is False


def test_research_review_questions_are_wilsons_four():
    assert RESEARCH_REVIEW_QUESTIONS == (
        "Which approach looks most promising?",
        "What will you stop pursuing?",
        "Are we on track for the prototype date?",
        "Is this solvable for us?",
    )
    assert "Wilson" in RESEARCH_REVIEW_SOURCE


def test_time_box_state_collects_everything():
    state = time_box_state(SATURDAY_BOX, D(2026, 12, 2))
    assert (state.first_day, state.research_end, state.prototype_start) == (
        D(2026, 11, 23),
        D(2026, 11, 27),
        D(2026, 11, 30),
    )
    assert (state.prototype_end, state.overall_end) == (D(2026, 12, 4), D(2026, 12, 4))
    assert (state.total_working_days, state.elapsed_working_days) == (10, 8)
    assert state.burn_percent == pytest.approx(80.0)
    assert state.status is WARNING
    assert state.stage is BoxStage.PROTOTYPE
    assert state.overrun_working_days == 0
    assert state.research_review_due is True
