"""Demo-per-feature schedule: build blocks and demos on working days, and re-planning after a slip.

Wilson (*Machine Learning Engineering in Action*, ch. 3.1.3) advises demoing each feature as soon
as it is available. For an MVP with four features the rhythm is::

    model testing, demo, feature 1, demo, feature 2, demo, feature 3, demo, feature 4, full MVP demo

Feature demos stay *light* (a few slides); the *big* demos come when features come together: the
model-testing review, the full MVP demo, and any feature the team marks as a milestone.

Scheduling rules (working days skip weekends and the given holidays):

- every item occupies whole working days and starts on the working day after the previous item
  ends; the first item (model testing) starts on ``start`` or the next working day after it;
- a demo takes its own working day(s) right after its build block (by default one: preparing,
  holding the demo and capturing feedback), and the next build starts on the working day after;
- the demo after the last feature *is* the full MVP demo (big), so four features give exactly the
  ten items above, and zero features give model testing and its (big) review demo.

Audiences: a light demo goes to ``light_demo_audience`` plus the feature's own SMEs; a big demo to
``big_demo_audience`` plus the SMEs of what it shows (the full MVP demo: every feature's SMEs).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from workbench.domain.workdays import (
    InvalidTimeBox,
    add_working_days,
    next_working_day,
    working_day_on_or_after,
    working_days_between,
)

__all__ = [
    "FULL_MVP_DEMO_TITLE",
    "MODEL_TESTING_REVIEW_TITLE",
    "MODEL_TESTING_TITLE",
    "DemoPlan",
    "DemoSchedule",
    "DemoType",
    "Feature",
    "FeatureDemoHistory",
    "InvalidSchedule",
    "InvalidTimeBox",
    "ItemKind",
    "MovedItem",
    "Replan",
    "ScheduleItem",
    "UndemoedFeature",
    "compare_schedules",
    "plan_demo_schedule",
    "replan",
    "schedule_from_plan",
    "undemoed_features",
    "upcoming_demos",
]

MODEL_TESTING_TITLE = "Model testing"
MODEL_TESTING_REVIEW_TITLE = "Model testing review"
FULL_MVP_DEMO_TITLE = "Full MVP demo"


class InvalidSchedule(ValueError):
    """Schedule input is inconsistent: blank or repeated feature names, unknown slips."""


class ItemKind(StrEnum):
    """A schedule item is a block of building or a demo."""

    BUILD = "build"
    DEMO = "demo"


class DemoType(StrEnum):
    """Light: a few slides on one feature. Big: features coming together."""

    LIGHT = "light"
    BIG = "big"


def _clean_names(names: Iterable[str]) -> tuple[str, ...]:
    """Strip names, drop blanks and repeats, keep the first occurrence's order."""
    seen: dict[str, None] = {}
    for name in names:
        stripped = name.strip()
        if stripped:
            seen.setdefault(stripped, None)
    return tuple(seen)


def _check_days(what: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTimeBox(f"{what} must be a whole number of working days, got {value!r}")
    if value <= 0:
        raise InvalidTimeBox(f"{what} must be at least one working day, got {value}")


@dataclass(frozen=True)
class Feature:
    """An MVP feature to build and demo.

    Attributes:
        name: unique, non-blank name.
        estimate_working_days: build estimate in working days, at least 1.
        milestone: True if the team wants a big demo after this feature.
        audience: SMEs who should see it (blank and repeated names are dropped).

    Raises:
        InvalidSchedule: blank name.
        InvalidTimeBox: estimate below one working day.
    """

    name: str
    estimate_working_days: int
    milestone: bool = False
    audience: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise InvalidSchedule("every feature needs a name")
        _check_days(f"the estimate of {self.name!r}", self.estimate_working_days)
        object.__setattr__(self, "audience", _clean_names(self.audience))


@dataclass(frozen=True)
class ScheduleItem:
    """One build block or demo.

    Attributes:
        kind: build or demo.
        title: what the calendar shows.
        start: first working day.
        end: last working day (inclusive).
        demo_type: light or big for demos, None for builds.
        audience: who is invited (demos; empty for builds).
        feature: the feature's name, None for the model-testing items. The full MVP demo refers
            to the last feature.
        shows: what a demo shows (empty for builds).
    """

    kind: ItemKind
    title: str
    start: date
    end: date
    demo_type: DemoType | None = None
    audience: tuple[str, ...] = ()
    feature: str | None = None
    shows: str = ""

    @property
    def key(self) -> str:
        """A stable identity across re-plans: kind plus the feature it belongs to."""
        if self.feature is None:
            return f"{self.kind.value}/model-testing"
        return f"{self.kind.value}/feature/{self.feature}"


@dataclass(frozen=True)
class DemoPlan:
    """The inputs a schedule is generated from (kept so a schedule can be re-planned).

    Attributes:
        start: requested first day of model testing (rolled forward to a working day).
        model_testing_working_days: length of model testing, at least 1.
        features: the features in build order.
        holidays: dates not worked besides weekends.
        light_demo_working_days: working days a light demo takes, at least 1.
        big_demo_working_days: working days a big demo takes, at least 1.
        light_demo_audience: invited to every light demo.
        big_demo_audience: invited to every big demo.

    Raises:
        InvalidTimeBox: a duration below one working day.
        InvalidSchedule: two features with the same name.
    """

    start: date
    model_testing_working_days: int
    features: tuple[Feature, ...] = ()
    holidays: frozenset[date] = field(default_factory=frozenset)
    light_demo_working_days: int = 1
    big_demo_working_days: int = 1
    light_demo_audience: tuple[str, ...] = ()
    big_demo_audience: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_days("model testing", self.model_testing_working_days)
        _check_days("a light demo", self.light_demo_working_days)
        _check_days("a big demo", self.big_demo_working_days)
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "light_demo_audience", _clean_names(self.light_demo_audience))
        object.__setattr__(self, "big_demo_audience", _clean_names(self.big_demo_audience))
        names = [f.name for f in self.features]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise InvalidSchedule(f"feature names must be unique; repeated: {', '.join(repeated)}")


@dataclass(frozen=True)
class DemoSchedule:
    """A generated schedule: the plan it came from and its items in date order."""

    plan: DemoPlan
    items: tuple[ScheduleItem, ...]

    @property
    def demos(self) -> tuple[ScheduleItem, ...]:
        """The demo items only."""
        return tuple(i for i in self.items if i.kind is ItemKind.DEMO)

    @property
    def end(self) -> date:
        """The last working day of the schedule (the last demo's end)."""
        return self.items[-1].end


def schedule_from_plan(plan: DemoPlan) -> DemoSchedule:
    """Generate the build blocks and demos for ``plan`` (see the module docstring for the rules).

    Returns:
        The schedule: ``2 + 2 × len(plan.features)`` items, alternating build and demo.

    Example:
        Model testing of 5 days from Monday 2026-11-02 runs to Friday 2026-11-06; its review
        demo is Monday 2026-11-09, and the first feature starts Tuesday 2026-11-10.
    """
    items: list[ScheduleItem] = []
    holidays = plan.holidays
    cursor = plan.start

    def block(length: int) -> tuple[date, date]:
        nonlocal cursor
        first = working_day_on_or_after(cursor, holidays)
        end = add_working_days(first, length, holidays)
        cursor = next_working_day(end, holidays)
        return first, end

    first, end = block(plan.model_testing_working_days)
    items.append(ScheduleItem(ItemKind.BUILD, MODEL_TESTING_TITLE, first, end))
    first, end = block(plan.big_demo_working_days)
    items.append(
        ScheduleItem(
            ItemKind.DEMO,
            MODEL_TESTING_REVIEW_TITLE,
            first,
            end,
            demo_type=DemoType.BIG,
            audience=plan.big_demo_audience,
            shows="Model-testing results: the candidate approach against the baseline",
        )
    )

    for position, feature in enumerate(plan.features):
        first, end = block(feature.estimate_working_days)
        items.append(ScheduleItem(ItemKind.BUILD, feature.name, first, end, feature=feature.name))
        so_far = plan.features[: position + 1]
        is_last = position == len(plan.features) - 1
        if is_last or feature.milestone:
            first, end = block(plan.big_demo_working_days)
            title = FULL_MVP_DEMO_TITLE if is_last else f"Milestone demo: {feature.name}"
            prefix = "Full MVP" if is_last else "Features so far"
            items.append(
                ScheduleItem(
                    ItemKind.DEMO,
                    title,
                    first,
                    end,
                    demo_type=DemoType.BIG,
                    audience=_clean_names(
                        [*plan.big_demo_audience, *(n for f in so_far for n in f.audience)]
                    ),
                    feature=feature.name,
                    shows=f"{prefix}: {', '.join(f.name for f in so_far)}",
                )
            )
        else:
            first, end = block(plan.light_demo_working_days)
            items.append(
                ScheduleItem(
                    ItemKind.DEMO,
                    f"Demo: {feature.name}",
                    first,
                    end,
                    demo_type=DemoType.LIGHT,
                    audience=_clean_names([*plan.light_demo_audience, *feature.audience]),
                    feature=feature.name,
                    shows=f"Feature: {feature.name} (a few slides)",
                )
            )
    return DemoSchedule(plan=plan, items=tuple(items))


def plan_demo_schedule(
    start: date,
    model_testing_working_days: int,
    features: Sequence[Feature] = (),
    *,
    holidays: Iterable[date] = (),
    light_demo_working_days: int = 1,
    big_demo_working_days: int = 1,
    light_demo_audience: Iterable[str] = (),
    big_demo_audience: Iterable[str] = (),
) -> DemoSchedule:
    """Generate a demo-per-feature schedule.

    Args:
        start: requested first day of model testing; a weekend day or holiday rolls forward.
        model_testing_working_days: working days of model testing, at least 1.
        features: the MVP features in build order (unique names).
        holidays: dates not worked besides weekends.
        light_demo_working_days: working days each light (feature) demo takes, at least 1.
        big_demo_working_days: working days each big demo takes, at least 1.
        light_demo_audience: default audience of light demos.
        big_demo_audience: default audience of big demos.

    Returns:
        The schedule; its ``items`` are model testing, its review demo, then per feature a build
        block and a demo, the last demo being the full MVP demo.

    Raises:
        InvalidTimeBox: a duration or estimate below one working day.
        InvalidSchedule: blank or repeated feature names.

    Example:
        From Monday 2026-11-02 with 5 days of model testing and one 3-day feature: model testing
        Mon 11-02 to Fri 11-06, review demo Mon 11-09, feature Tue 11-10 to Thu 11-12, full MVP
        demo Fri 11-13.
    """
    plan = DemoPlan(
        start=start,
        model_testing_working_days=model_testing_working_days,
        features=tuple(features),
        holidays=frozenset(holidays),
        light_demo_working_days=light_demo_working_days,
        big_demo_working_days=big_demo_working_days,
        light_demo_audience=tuple(light_demo_audience),
        big_demo_audience=tuple(big_demo_audience),
    )
    return schedule_from_plan(plan)


@dataclass(frozen=True)
class MovedItem:
    """An item whose dates changed between two versions of a schedule.

    Attributes:
        item: the item as it is now.
        old_start, old_end: its dates before.
        new_start, new_end: its dates now.
        start_shift_working_days: working days the start moved (positive = later).
        end_shift_working_days: working days the end moved (positive = later). For the block
            that slipped only the end moves; every later item moves both by the same amount.
    """

    item: ScheduleItem
    old_start: date
    old_end: date
    new_start: date
    new_end: date
    start_shift_working_days: int
    end_shift_working_days: int


@dataclass(frozen=True)
class Replan:
    """A re-planned schedule and what moved, in schedule order."""

    schedule: DemoSchedule
    moved: tuple[MovedItem, ...]


def compare_schedules(old: DemoSchedule, new: DemoSchedule) -> tuple[MovedItem, ...]:
    """List the items of ``new`` whose dates differ from the item with the same key in ``old``.

    Items are matched by ``ScheduleItem.key``; items only in one schedule are not listed. Shifts
    are counted in working days with ``new``'s holidays.
    """
    before = {item.key: item for item in old.items}
    holidays = new.plan.holidays
    moved: list[MovedItem] = []
    for item in new.items:
        previous = before.get(item.key)
        if previous is None or (previous.start, previous.end) == (item.start, item.end):
            continue
        moved.append(
            MovedItem(
                item=item,
                old_start=previous.start,
                old_end=previous.end,
                new_start=item.start,
                new_end=item.end,
                start_shift_working_days=working_days_between(previous.start, item.start, holidays),
                end_shift_working_days=working_days_between(previous.end, item.end, holidays),
            )
        )
    return tuple(moved)


def replan(
    schedule: DemoSchedule,
    slips: Mapping[str, int],
    *,
    model_testing_slip_working_days: int = 0,
    holidays: Iterable[date] | None = None,
) -> Replan:
    """Re-plan after slips: lengthen the slipped blocks and move every later item.

    Args:
        schedule: the current schedule.
        slips: extra working days per feature name (negative if a feature finished early).
        model_testing_slip_working_days: extra working days of model testing.
        holidays: a new holiday list, or None to keep the schedule's.

    Returns:
        The new schedule and the items that moved, with old and new dates and the shift in
        working days.

    Raises:
        InvalidSchedule: a slip names an unknown feature or is not a whole number.
        InvalidTimeBox: a block would end up shorter than one working day.

    Example:
        A slip of 2 working days on feature 1 ends its build block 2 working days later, and
        every later item starts and ends 2 working days later.
    """
    plan = schedule.plan
    known = {f.name for f in plan.features}
    unknown = sorted(set(slips) - known)
    if unknown:
        raise InvalidSchedule(f"no feature named: {', '.join(map(repr, unknown))}")
    for name, days in [*slips.items(), (MODEL_TESTING_TITLE, model_testing_slip_working_days)]:
        if isinstance(days, bool) or not isinstance(days, int):
            raise InvalidSchedule(f"slip of {name!r} must be whole working days, got {days!r}")
    features = tuple(
        replace(f, estimate_working_days=f.estimate_working_days + slips.get(f.name, 0))
        for f in plan.features
    )
    new_plan = replace(
        plan,
        features=features,
        model_testing_working_days=plan.model_testing_working_days
        + model_testing_slip_working_days,
        holidays=plan.holidays if holidays is None else frozenset(holidays),
    )
    new_schedule = schedule_from_plan(new_plan)
    return Replan(schedule=new_schedule, moved=compare_schedules(schedule, new_schedule))


def upcoming_demos(items: Iterable[ScheduleItem], today: date) -> tuple[ScheduleItem, ...]:
    """Return the demos that have not finished before ``today`` (ongoing ones included)."""
    return tuple(i for i in items if i.kind is ItemKind.DEMO and i.end >= today)


@dataclass(frozen=True)
class FeatureDemoHistory:
    """When a feature was last demoed.

    Attributes:
        feature: the feature's name.
        last_demo_on: date of its latest demo, None if never demoed.
        work_started_on: when work on it began; the clock for a never-demoed feature. A feature
            with neither date has not started and is never flagged.
    """

    feature: str
    last_demo_on: date | None
    work_started_on: date | None = None


@dataclass(frozen=True)
class UndemoedFeature:
    """A feature shown to nobody for too long.

    Attributes:
        feature: the feature's name.
        last_demo_on: its latest demo, None if never demoed.
        working_days_since: working days after the last demo (or after work started) up to and
            including today.
    """

    feature: str
    last_demo_on: date | None
    working_days_since: int


def undemoed_features(
    histories: Iterable[FeatureDemoHistory],
    today: date,
    max_working_days: int,
    holidays: Iterable[date] = (),
) -> tuple[UndemoedFeature, ...]:
    """Flag features not demoed for more than ``max_working_days`` working days.

    The count starts the working day after the last demo (or after work started, for a feature
    never demoed) and includes ``today``: demoed on a Friday, on the next Monday it is 1. A
    feature is flagged when the count is strictly greater than ``max_working_days``.

    Args:
        histories: per feature, the last demo date and when work started.
        today: the date to evaluate on.
        max_working_days: the longest acceptable gap in working days, >= 0.
        holidays: dates not worked besides weekends.

    Returns:
        The flagged features, longest gap first (ties in input order).

    Raises:
        ValueError: if ``max_working_days`` is negative or not a whole number.
    """
    if isinstance(max_working_days, bool) or not isinstance(max_working_days, int):
        raise ValueError(f"max_working_days must be a whole number, got {max_working_days!r}")
    if max_working_days < 0:
        raise ValueError(f"max_working_days must be >= 0, got {max_working_days}")
    off = frozenset(holidays)
    one_day = timedelta(days=1)
    flagged: list[UndemoedFeature] = []
    for history in histories:
        since = history.last_demo_on or history.work_started_on
        if since is None:
            continue
        gap = max(0, working_days_between(since + one_day, today + one_day, off))
        if gap > max_working_days:
            flagged.append(UndemoedFeature(history.feature, history.last_demo_on, gap))
    flagged.sort(key=lambda f: f.working_days_since, reverse=True)
    return tuple(flagged)
