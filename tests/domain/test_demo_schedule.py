"""Demo-per-feature schedule: the sequence, dates on working days, re-planning, stale demos.

Dates read off a printed calendar. November 2026: Mon 2, 9, 16, 23, 30; Fri 6, 13, 20, 27;
Sat 31 October 2026. December 2026: Tue 1.
"""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.demo_schedule import (
    DemoType,
    Feature,
    FeatureDemoHistory,
    InvalidSchedule,
    InvalidTimeBox,
    ItemKind,
    plan_demo_schedule,
    replan,
    undemoed_features,
    upcoming_demos,
)
from workbench.domain.workdays import is_working_day, next_working_day

D = date
BUILD, DEMO = ItemKind.BUILD, ItemKind.DEMO
LIGHT, BIG = DemoType.LIGHT, DemoType.BIG

FOUR = (
    Feature("f1", 3),
    Feature("f2", 2),
    Feature("f3", 4),
    Feature("f4", 1),
)

# From Monday 2026-11-02, model testing 5 days, features of 3, 2, 4, 1 days, one-day demos.
FOUR_FEATURE_ROWS = [
    (BUILD, "Model testing", D(2026, 11, 2), D(2026, 11, 6), None, None),
    (DEMO, "Model testing review", D(2026, 11, 9), D(2026, 11, 9), BIG, None),
    (BUILD, "f1", D(2026, 11, 10), D(2026, 11, 12), None, "f1"),
    (DEMO, "Demo: f1", D(2026, 11, 13), D(2026, 11, 13), LIGHT, "f1"),
    (BUILD, "f2", D(2026, 11, 16), D(2026, 11, 17), None, "f2"),
    (DEMO, "Demo: f2", D(2026, 11, 18), D(2026, 11, 18), LIGHT, "f2"),
    (BUILD, "f3", D(2026, 11, 19), D(2026, 11, 24), None, "f3"),
    (DEMO, "Demo: f3", D(2026, 11, 25), D(2026, 11, 25), LIGHT, "f3"),
    (BUILD, "f4", D(2026, 11, 26), D(2026, 11, 26), None, "f4"),
    (DEMO, "Full MVP demo", D(2026, 11, 27), D(2026, 11, 27), BIG, "f4"),
]


def rows(schedule):
    return [(i.kind, i.title, i.start, i.end, i.demo_type, i.feature) for i in schedule.items]


def dates(schedule):
    return [(i.start, i.end) for i in schedule.items]


def test_four_features_give_wilsons_sequence():
    schedule = plan_demo_schedule(D(2026, 11, 2), 5, FOUR)
    assert rows(schedule) == FOUR_FEATURE_ROWS
    assert schedule.end == D(2026, 11, 27)
    assert [d.title for d in schedule.demos] == [
        "Model testing review",
        "Demo: f1",
        "Demo: f2",
        "Demo: f3",
        "Full MVP demo",
    ]


def test_zero_features_give_model_testing_and_its_review():
    schedule = plan_demo_schedule(D(2026, 11, 2), 5, ())
    assert rows(schedule) == FOUR_FEATURE_ROWS[:2]


@pytest.mark.parametrize(
    ("start", "holidays", "expected"),
    [
        pytest.param(
            D(2026, 10, 31),
            (),
            [(s, e) for _, _, s, e, _, _ in FOUR_FEATURE_ROWS],
            id="saturday-start-rolls-to-monday",
        ),
        pytest.param(
            D(2026, 11, 2),
            (D(2026, 11, 26), D(2026, 11, 27)),
            [
                *[(s, e) for _, _, s, e, _, _ in FOUR_FEATURE_ROWS[:8]],
                (D(2026, 11, 30), D(2026, 11, 30)),  # f4 after the Thu/Fri holidays
                (D(2026, 12, 1), D(2026, 12, 1)),  # full MVP demo
            ],
            id="thanksgiving-holidays",
        ),
        pytest.param(
            D(2026, 11, 2),
            (D(2026, 11, 11),),
            [
                (D(2026, 11, 2), D(2026, 11, 6)),
                (D(2026, 11, 9), D(2026, 11, 9)),
                (D(2026, 11, 10), D(2026, 11, 13)),  # Tue 10, Thu 12, Fri 13 (Wed 11 off)
                (D(2026, 11, 16), D(2026, 11, 16)),
                (D(2026, 11, 17), D(2026, 11, 18)),
                (D(2026, 11, 19), D(2026, 11, 19)),
                (D(2026, 11, 20), D(2026, 11, 25)),  # Fri 20, Mon 23, Tue 24, Wed 25
                (D(2026, 11, 26), D(2026, 11, 26)),
                (D(2026, 11, 27), D(2026, 11, 27)),
                (D(2026, 11, 30), D(2026, 11, 30)),
            ],
            id="holiday-inside-a-build",
        ),
    ],
)
def test_weekends_and_holidays_are_skipped(start, holidays, expected):
    schedule = plan_demo_schedule(start, 5, FOUR, holidays=holidays)
    assert dates(schedule) == expected


def test_longer_big_demos():
    schedule = plan_demo_schedule(D(2026, 11, 2), 5, (Feature("f1", 1),), big_demo_working_days=2)
    assert dates(schedule) == [
        (D(2026, 11, 2), D(2026, 11, 6)),
        (D(2026, 11, 9), D(2026, 11, 10)),  # two-day model-testing review
        (D(2026, 11, 11), D(2026, 11, 11)),
        (D(2026, 11, 12), D(2026, 11, 13)),  # two-day full MVP demo
    ]


def test_milestone_feature_gets_a_big_demo_showing_the_features_so_far():
    features = (
        Feature("f1", 3, audience=("Marketing SME",)),
        Feature("f2", 2, milestone=True, audience=("Ops SME", "Marketing SME")),
        Feature("f3", 1),
    )
    schedule = plan_demo_schedule(
        D(2026, 11, 2),
        5,
        features,
        light_demo_audience=("Team lead",),
        big_demo_audience=("Sponsor", "Team lead"),
    )
    demos = schedule.demos
    assert [(d.title, d.demo_type) for d in demos] == [
        ("Model testing review", BIG),
        ("Demo: f1", LIGHT),
        ("Milestone demo: f2", BIG),
        ("Full MVP demo", BIG),
    ]
    assert [d.audience for d in demos] == [
        ("Sponsor", "Team lead"),
        ("Team lead", "Marketing SME"),
        ("Sponsor", "Team lead", "Marketing SME", "Ops SME"),
        ("Sponsor", "Team lead", "Marketing SME", "Ops SME"),
    ]
    assert demos[1].shows == "Feature: f1 (a few slides)"
    assert demos[2].shows == "Features so far: f1, f2"
    assert demos[3].shows == "Full MVP: f1, f2, f3"
    assert all(i.audience == () and i.demo_type is None for i in schedule.items if i.kind is BUILD)


def test_slip_of_two_days_moves_every_later_item_by_two_working_days():
    schedule = plan_demo_schedule(D(2026, 11, 2), 5, FOUR)
    result = replan(schedule, {"f1": 2})
    assert dates(result.schedule) == [
        (D(2026, 11, 2), D(2026, 11, 6)),
        (D(2026, 11, 9), D(2026, 11, 9)),
        (D(2026, 11, 10), D(2026, 11, 16)),  # f1: Tue 10 .. Fri 13, Mon 16
        (D(2026, 11, 17), D(2026, 11, 17)),
        (D(2026, 11, 18), D(2026, 11, 19)),
        (D(2026, 11, 20), D(2026, 11, 20)),
        (D(2026, 11, 23), D(2026, 11, 26)),
        (D(2026, 11, 27), D(2026, 11, 27)),
        (D(2026, 11, 30), D(2026, 11, 30)),
        (D(2026, 12, 1), D(2026, 12, 1)),
    ]
    moved = [
        (
            m.item.title,
            m.old_start,
            m.old_end,
            m.new_start,
            m.new_end,
            m.start_shift_working_days,
            m.end_shift_working_days,
        )
        for m in result.moved
    ]
    assert moved == [
        ("f1", D(2026, 11, 10), D(2026, 11, 12), D(2026, 11, 10), D(2026, 11, 16), 0, 2),
        ("Demo: f1", D(2026, 11, 13), D(2026, 11, 13), D(2026, 11, 17), D(2026, 11, 17), 2, 2),
        ("f2", D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 19), 2, 2),
        ("Demo: f2", D(2026, 11, 18), D(2026, 11, 18), D(2026, 11, 20), D(2026, 11, 20), 2, 2),
        ("f3", D(2026, 11, 19), D(2026, 11, 24), D(2026, 11, 23), D(2026, 11, 26), 2, 2),
        ("Demo: f3", D(2026, 11, 25), D(2026, 11, 25), D(2026, 11, 27), D(2026, 11, 27), 2, 2),
        ("f4", D(2026, 11, 26), D(2026, 11, 26), D(2026, 11, 30), D(2026, 11, 30), 2, 2),
        ("Full MVP demo", D(2026, 11, 27), D(2026, 11, 27), D(2026, 12, 1), D(2026, 12, 1), 2, 2),
    ]
    assert schedule.items[3].start == D(2026, 11, 13)  # the original is unchanged


def test_model_testing_slip_and_new_holidays():
    schedule = plan_demo_schedule(D(2026, 11, 2), 5, ())
    result = replan(schedule, {}, model_testing_slip_working_days=1, holidays=(D(2026, 11, 9),))
    # Model testing Mon 2 .. Fri 6 + Tue 10 (Mon 9 off); review Wed 11.
    assert dates(result.schedule) == [
        (D(2026, 11, 2), D(2026, 11, 10)),
        (D(2026, 11, 11), D(2026, 11, 11)),
    ]
    assert [(m.start_shift_working_days, m.end_shift_working_days) for m in result.moved] == [
        (0, 1),
        (1, 1),
    ]


def test_replan_with_no_slips_moves_nothing():
    schedule = plan_demo_schedule(D(2026, 11, 2), 5, FOUR)
    result = replan(schedule, {"f2": 0})
    assert result.moved == ()
    assert result.schedule.items == schedule.items


@pytest.mark.parametrize(
    ("slips", "error"),
    [
        pytest.param({"f9": 2}, InvalidSchedule, id="unknown-feature"),
        pytest.param({"f1": 1.5}, InvalidSchedule, id="fractional-slip"),
        pytest.param({"f4": -1}, InvalidTimeBox, id="block-shrinks-to-zero"),
    ],
)
def test_invalid_slips(slips, error):
    schedule = plan_demo_schedule(D(2026, 11, 2), 5, FOUR)
    with pytest.raises(error):
        replan(schedule, slips)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param({"model_testing_working_days": 0}, InvalidTimeBox, id="no-model-testing"),
        pytest.param({"features": (Feature("f1", 2), Feature("f1", 3))}, InvalidSchedule, id="dup"),
        pytest.param({"light_demo_working_days": 0}, InvalidTimeBox, id="zero-light-demo"),
        pytest.param({"big_demo_working_days": -1}, InvalidTimeBox, id="negative-big-demo"),
    ],
)
def test_invalid_plans(kwargs, error):
    arguments = {"start": D(2026, 11, 2), "model_testing_working_days": 5, "features": ()}
    with pytest.raises(error):
        plan_demo_schedule(**(arguments | kwargs))


@pytest.mark.parametrize(
    ("name", "estimate", "error"),
    [
        pytest.param("f1", 0, InvalidTimeBox, id="zero-estimate"),
        pytest.param("f1", 2.5, InvalidTimeBox, id="fractional-estimate"),
        pytest.param("  ", 2, InvalidSchedule, id="blank-name"),
    ],
)
def test_invalid_features(name, estimate, error):
    with pytest.raises(error):
        Feature(name, estimate)


def test_upcoming_demos():
    schedule = plan_demo_schedule(D(2026, 11, 2), 5, FOUR)
    upcoming = upcoming_demos(schedule.items, D(2026, 11, 18))
    assert [d.title for d in upcoming] == ["Demo: f2", "Demo: f3", "Full MVP demo"]


HISTORIES = (
    FeatureDemoHistory("f1", last_demo_on=D(2026, 11, 20)),
    FeatureDemoHistory("f2", last_demo_on=D(2026, 11, 23)),
    FeatureDemoHistory("f3", last_demo_on=None, work_started_on=D(2026, 11, 16)),
    FeatureDemoHistory("f4", last_demo_on=None),
    FeatureDemoHistory("f5", last_demo_on=D(2026, 11, 30)),
)


@pytest.mark.parametrize(
    ("holidays", "max_days", "expected"),
    [
        # Today Mon 30. f1 demoed Fri 20: Mon 23 .. Fri 27 and Mon 30 = 6. f2 demoed Mon 23:
        # Tue 24 .. Mon 30 = 5 (not more than 5). f3 started Mon 16: 4 + 5 + 1 = 10.
        pytest.param((), 5, [("f3", None, 10), ("f1", D(2026, 11, 20), 6)], id="max-5"),
        pytest.param(
            (),
            4,
            [("f3", None, 10), ("f1", D(2026, 11, 20), 6), ("f2", D(2026, 11, 23), 5)],
            id="max-4",
        ),
        pytest.param((D(2026, 11, 26),), 5, [("f3", None, 9)], id="holiday-not-counted"),
        pytest.param((), 10, [], id="max-10"),
    ],
)
def test_undemoed_features(holidays, max_days, expected):
    flagged = undemoed_features(HISTORIES, D(2026, 11, 30), max_days, holidays)
    assert [(f.feature, f.last_demo_on, f.working_days_since) for f in flagged] == expected


def test_undemoed_features_rejects_a_negative_limit():
    with pytest.raises(ValueError, match=">= 0"):
        undemoed_features(HISTORIES, D(2026, 11, 30), -1)


days = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31))


@st.composite
def plans(draw):
    start = draw(days)
    holidays = draw(
        st.frozensets(
            st.integers(min_value=0, max_value=200).map(lambda n: start + timedelta(days=n)),
            max_size=25,
        )
    )
    count = draw(st.integers(min_value=0, max_value=6))
    features = tuple(
        Feature(
            f"feature {n}",
            draw(st.integers(min_value=1, max_value=15)),
            milestone=draw(st.booleans()),
        )
        for n in range(count)
    )
    return {
        "start": start,
        "model_testing_working_days": draw(st.integers(min_value=1, max_value=15)),
        "features": features,
        "holidays": holidays,
        "light_demo_working_days": draw(st.integers(min_value=1, max_value=2)),
        "big_demo_working_days": draw(st.integers(min_value=1, max_value=3)),
    }


@given(arguments=plans())
def test_items_are_on_working_days_in_order(arguments):
    schedule = plan_demo_schedule(**arguments)
    items = schedule.items
    holidays = arguments["holidays"]
    assert len(items) == 2 + 2 * len(arguments["features"])
    assert [i.kind for i in items] == [BUILD, DEMO] * (len(items) // 2)
    assert items[-1].demo_type is BIG
    for item in items:
        assert is_working_day(item.start, holidays)
        assert is_working_day(item.end, holidays)
        assert item.start <= item.end
    for before, after in pairwise(items):
        assert before.end < after.start
        assert after.start == next_working_day(before.end, holidays)


@given(arguments=plans(), data=st.data())
def test_a_slip_moves_every_later_item_by_the_slip(arguments, data):
    features = arguments["features"]
    if not features:
        features = (Feature("only", 2),)
        arguments = arguments | {"features": features}
    schedule = plan_demo_schedule(**arguments)
    slipped = data.draw(st.sampled_from([f.name for f in features]))
    slip = data.draw(st.integers(min_value=1, max_value=10))
    result = replan(schedule, {slipped: slip})
    build_index = next(
        n for n, i in enumerate(schedule.items) if i.kind is BUILD and i.feature == slipped
    )
    moved = {m.item.key: m for m in result.moved}
    assert len(result.moved) == len(schedule.items) - build_index
    slipped_block = moved[schedule.items[build_index].key]
    assert (slipped_block.start_shift_working_days, slipped_block.end_shift_working_days) == (
        0,
        slip,
    )
    for item in schedule.items[build_index + 1 :]:
        assert moved[item.key].start_shift_working_days == slip
        assert moved[item.key].end_shift_working_days == slip
