"""Experiment time boxes: research then prototype, burn, warnings, and the decision they force.

Wilson (*Machine Learning Engineering in Action*, ch. 3.1.4 and 3.2) insists that experimentation
"must be time-boxed": the team agrees how long each candidate approach may take (for a complex
problem, e.g. two weeks of research followed by two weeks of prototyping), decides at the end of
each box, and parks tempting side ideas instead of chasing them.

Counting rules (all in working days, see ``workbench.domain.workdays``):

- the box starts on ``start`` or, if that is a weekend day or holiday, on the next working day;
- research covers the first ``research_days`` working days, the prototype the next
  ``prototype_days``; the *prototype end* is the end agreed at the start;
- extensions move the *overall end* later; each one carries a reason, the new end, who and when.
  Nothing extends silently: an extension with no reason, or whose end is not after the current
  end, raises ``InvalidExtension``. The research end never moves;
- **today counts as spent**: the elapsed working days are those from the box's first working day
  up to *and including* ``today``. On the first day burn is therefore ``1 / total`` (> 0), and on
  the last working day of the box it reaches exactly 100 %, so the decision is asked for on the
  last day of the box, while the team is still inside it, not the day after.

Thresholds: burn ≥ 75 % is a warning (exactly 75 % is a warning); burn ≥ 100 % means the box is
due a decision (exactly 100 % is due). Today is always a parameter.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from workbench.domain.workdays import (
    InvalidTimeBox,
    add_working_days,
    is_working_day,
    next_working_day,
    working_day_on_or_after,
    working_days_between,
)

__all__ = [
    "DUE_BURN_PERCENT",
    "RESEARCH_REVIEW_QUESTIONS",
    "RESEARCH_REVIEW_SOURCE",
    "WARNING_BURN_PERCENT",
    "BoxStage",
    "Decision",
    "Extension",
    "InvalidExtension",
    "InvalidTimeBox",
    "TimeBox",
    "TimeBoxState",
    "TimeBoxStatus",
    "burn_percent",
    "check_new_end",
    "current_stage",
    "elapsed_working_days",
    "extend",
    "first_day",
    "overall_end",
    "overrun_working_days",
    "prototype_end",
    "prototype_start",
    "research_end",
    "research_review_due",
    "status",
    "time_box_state",
    "total_working_days",
]

WARNING_BURN_PERCENT = 75
"""Burn (in percent) from which a box is flagged as a warning; exactly 75 % is a warning."""

DUE_BURN_PERCENT = 100
"""Burn (in percent) from which a box is due a decision; exactly 100 % is due."""

RESEARCH_REVIEW_QUESTIONS: tuple[str, ...] = (
    "Which approach looks most promising?",
    "What will you stop pursuing?",
    "Are we on track for the prototype date?",
    "Is this solvable for us?",
)
"""Questions the team answers at the end of the research part of a box."""

RESEARCH_REVIEW_SOURCE = (
    "B. Wilson, Machine Learning Engineering in Action (Manning, 2022), ch. 3 "
    "(experimental scoping: time-boxed research, then prototyping); the four questions as "
    "worded in the workbench's issue #5."
)
"""Where ``RESEARCH_REVIEW_QUESTIONS`` come from."""


class InvalidExtension(ValueError):
    """An extension lacks a reason, who or when, or does not move the end later."""


class TimeBoxStatus(StrEnum):
    """How far a box has burnt: below 75 %, from 75 %, from 100 %."""

    ON_TRACK = "on_track"
    WARNING = "warning"
    DUE_DECISION = "due_decision"


class BoxStage(StrEnum):
    """Which part of the box ``today`` falls in (not a project's lifecycle ``Phase``)."""

    NOT_STARTED = "not_started"
    RESEARCH = "research"
    PROTOTYPE = "prototype"
    ENDED = "ended"


class Decision(StrEnum):
    """What the team decides when a box is due (or earlier)."""

    EXTEND = "extend"
    CULL = "cull"
    PARK = "park"
    SELECT = "select"


@dataclass(frozen=True)
class Extension:
    """One logged extension of a box.

    Attributes:
        reason: why more time is worth it; must not be blank.
        new_end: the new last working day of the box; must be a working day after the end it
            replaces.
        extended_by: who agreed the extension; must not be blank.
        extended_at: when it was agreed (timezone-aware).
    """

    reason: str
    new_end: date
    extended_by: str
    extended_at: datetime

    def __post_init__(self) -> None:
        if not self.reason or not self.reason.strip():
            raise InvalidExtension("an extension needs a reason; nothing extends silently")
        if not self.extended_by or not self.extended_by.strip():
            raise InvalidExtension("an extension needs to say who extended the box")
        if self.extended_at.tzinfo is None or self.extended_at.utcoffset() is None:
            raise InvalidExtension("extended_at must be timezone-aware (UTC)")


def _positive_days(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTimeBox(f"{name} must be a whole number of working days, got {value!r}")
    if value <= 0:
        raise InvalidTimeBox(f"{name} must be at least one working day, got {value}")


@dataclass(frozen=True)
class TimeBox:
    """An experiment's time box: research then prototype, counted in working days.

    Attributes:
        start: requested first day; a weekend day or holiday rolls forward to the next working day.
        research_days: working days of research, at least 1.
        prototype_days: working days of prototyping after research, at least 1.
        holidays: dates not worked (besides weekends).
        extensions: logged extensions, oldest first; each new end is after the previous one.

    Raises:
        InvalidTimeBox: if either part has fewer than one working day.
        InvalidExtension: if an extension's end is not a working day after the end it replaces.
    """

    start: date
    research_days: int
    prototype_days: int
    holidays: frozenset[date] = field(default_factory=frozenset)
    extensions: tuple[Extension, ...] = ()

    def __post_init__(self) -> None:
        _positive_days("research_days", self.research_days)
        _positive_days("prototype_days", self.prototype_days)
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "extensions", tuple(self.extensions))
        end = prototype_end(self)
        for extension in self.extensions:
            _check_new_end(extension.new_end, end, self.holidays)
            end = extension.new_end


def _check_new_end(new_end: date, current_end: date, holidays: frozenset[date]) -> None:
    if new_end <= current_end:
        raise InvalidExtension(
            f"the new end {new_end.isoformat()} must be after the current end "
            f"{current_end.isoformat()}"
        )
    if not is_working_day(new_end, holidays):
        raise InvalidExtension(
            f"the new end {new_end.isoformat()} is not a working day "
            f"(a weekend day or holiday); pick a working day"
        )


def check_new_end(box: TimeBox, new_end: date) -> None:
    """Raise ``InvalidExtension`` unless ``new_end`` is a working day after the box's end."""
    _check_new_end(new_end, overall_end(box), box.holidays)


def first_day(box: TimeBox) -> date:
    """Return the first working day of the box (``start`` rolled forward past weekends/holidays)."""
    return working_day_on_or_after(box.start, box.holidays)


def research_end(box: TimeBox) -> date:
    """Return the last working day of research; extensions never move it."""
    return add_working_days(box.start, box.research_days, box.holidays)


def prototype_start(box: TimeBox) -> date:
    """Return the first working day of the prototype part (the working day after research)."""
    return next_working_day(research_end(box), box.holidays)


def prototype_end(box: TimeBox) -> date:
    """Return the last working day of the prototype as agreed at the start (before extensions)."""
    return add_working_days(box.start, box.research_days + box.prototype_days, box.holidays)


def overall_end(box: TimeBox) -> date:
    """Return the current last working day of the box: the latest extension's end, if any."""
    if box.extensions:
        return box.extensions[-1].new_end
    return prototype_end(box)


def total_working_days(box: TimeBox) -> int:
    """Return the working days from the first day to the overall end, both included."""
    return working_days_between(first_day(box), overall_end(box), box.holidays) + 1


def elapsed_working_days(box: TimeBox, today: date) -> int:
    """Return the working days spent: from the first day up to and including ``today``.

    Before the first day this is 0. It keeps growing past the end (see
    ``overrun_working_days``). A weekend ``today`` adds nothing to the preceding Friday.
    """
    begin = first_day(box)
    if today < begin:
        return 0
    return working_days_between(begin, today, box.holidays) + (
        1 if is_working_day(today, box.holidays) else 0
    )


def burn_percent(box: TimeBox, today: date) -> float:
    """Return how much of the box is spent, in percent.

    Formula: ``elapsed_working_days / total_working_days × 100``, where elapsed counts ``today``
    (so on the first day of a 10-day box burn is 10 %, and on its last day exactly 100 %).
    Before the box starts burn is 0; after the end it exceeds 100.

    Args:
        box: the time box.
        today: the date to evaluate on.

    Returns:
        Burn in percent, from 0 upwards (not capped at 100).

    Example:
        A box of 2 + 2 working days from Monday 2026-11-23: on Wednesday 2026-11-25 three of
        four days are spent, burn 75.0.
    """
    return elapsed_working_days(box, today) * 100 / total_working_days(box)


def status(box: TimeBox, today: date) -> TimeBoxStatus:
    """Classify the box's burn: below 75 % on track, from 75 % warning, from 100 % due a decision.

    The comparison is done in whole numbers (``elapsed × 100 ≥ 75 × total``), so exactly 75 % is
    a warning and exactly 100 % is due, free of rounding.
    """
    elapsed = elapsed_working_days(box, today)
    total = total_working_days(box)
    if elapsed * 100 >= DUE_BURN_PERCENT * total:
        return TimeBoxStatus.DUE_DECISION
    if elapsed * 100 >= WARNING_BURN_PERCENT * total:
        return TimeBoxStatus.WARNING
    return TimeBoxStatus.ON_TRACK


def overrun_working_days(box: TimeBox, today: date) -> int:
    """Return the working days spent past the overall end (0 up to and on the end day)."""
    return max(0, elapsed_working_days(box, today) - total_working_days(box))


def current_stage(box: TimeBox, today: date) -> BoxStage:
    """Return the part of the box ``today`` is in.

    Research runs through ``research_end``; the prototype from the next day through the overall
    end (so extension days are prototype days); after that the box has ``ENDED``. A weekend
    between the two parts still belongs to research (its last day has passed but the prototype
    has not begun); the next working day is prototype.
    """
    if today < first_day(box):
        return BoxStage.NOT_STARTED
    if today < prototype_start(box):
        return BoxStage.RESEARCH
    if today <= overall_end(box):
        return BoxStage.PROTOTYPE
    return BoxStage.ENDED


def research_review_due(box: TimeBox, today: date, *, review_done: bool = False) -> bool:
    """Tell whether the end-of-research review (``RESEARCH_REVIEW_QUESTIONS``) should be asked.

    It is due from the last working day of research onwards until the team has answered it.

    Args:
        box: the time box.
        today: the date to evaluate on.
        review_done: True once the answers are stored.
    """
    return not review_done and today >= research_end(box)


def extend(
    box: TimeBox,
    *,
    reason: str,
    new_end: date,
    extended_by: str,
    extended_at: datetime,
) -> TimeBox:
    """Return a copy of ``box`` extended to ``new_end``, with the extension logged.

    Args:
        box: the time box to extend.
        reason: why; must not be blank.
        new_end: the new last working day; must be a working day after ``overall_end(box)``.
        extended_by: who agreed it.
        extended_at: when (timezone-aware).

    Raises:
        InvalidExtension: blank reason or who, naive timestamp, or an end that is not a working
            day after the current end.

    Example:
        A 2 + 2 box from Monday 2026-11-23 ends Thursday 2026-11-26; ``extend(box,
        reason="label noise", new_end=date(2026, 12, 1), ...)`` makes it end Tuesday 2026-12-01.
    """
    extension = Extension(
        reason=reason, new_end=new_end, extended_by=extended_by, extended_at=extended_at
    )
    _check_new_end(new_end, overall_end(box), box.holidays)
    return replace(box, extensions=(*box.extensions, extension))


@dataclass(frozen=True)
class TimeBoxState:
    """Everything a page shows about a box on one day."""

    first_day: date
    research_end: date
    prototype_start: date
    prototype_end: date
    overall_end: date
    total_working_days: int
    elapsed_working_days: int
    burn_percent: float
    status: TimeBoxStatus
    stage: BoxStage
    overrun_working_days: int
    research_review_due: bool


def time_box_state(box: TimeBox, today: date, *, review_done: bool = False) -> TimeBoxState:
    """Return the box's dates, burn, status, stage, overrun and review flag on ``today``."""
    return TimeBoxState(
        first_day=first_day(box),
        research_end=research_end(box),
        prototype_start=prototype_start(box),
        prototype_end=prototype_end(box),
        overall_end=overall_end(box),
        total_working_days=total_working_days(box),
        elapsed_working_days=elapsed_working_days(box, today),
        burn_percent=burn_percent(box, today),
        status=status(box, today),
        stage=current_stage(box, today),
        overrun_working_days=overrun_working_days(box, today),
        research_review_due=research_review_due(box, today, review_done=review_done),
    )
