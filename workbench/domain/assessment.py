"""Should we use ML? — how the workbench turns answers into a verdict, step by step.

Everything the assessment page shows is computed here, by the rules below and nothing else.
The numbers in CAPITALS are constants in this module; a team may change them in one place.

1. Questions and answers
   Each question belongs to one group and has a scale, a weight (0 or more) and a source.
   Groups: reasons_for (reasons to use ML), reasons_against (reasons not to), impact, cost,
   readiness (why ML projects fail), framing (who uses the output, how it is done today...).
   Scales: "agreement" (1 strongly disagree, 2 disagree, 3 neutral, 4 agree, 5 strongly
   agree), "yes_no" (yes or no) and "text" (free text, kept for the discussion, never scored).
   Any answer may be unknown (None, or left out). Unknown answers are never guessed: they are
   left out of the scores and listed as open questions.

2. From an answer to a number between 0 and 1
   Agreement 1 → 0, 2 → 0.25, 3 → 0.5, 4 → 0.75, 5 → 1. Yes → 1, no → 0.
   Questions are worded so that agreeing means "more" of what the group measures: more reason
   for ML, more reason against ML, more impact, more cost, more readiness; for framing, more
   favourable to an ML project. A question marked polarity "negative" is worded the other way
   round (for example "the teams work in separate silos" under readiness), so its number is
   flipped (1 − number) before it is scored. Reasons for and against are always worded
   "positive": their group already says which way they count.

3. Several raters
   Each stakeholder (a rater, with a role) answers on their own. Per question, the combined
   number is the average of the raters' known numbers (each rater counts once; unknowns are
   ignored); it is unknown if nobody answered. The spread is the highest minus the lowest
   number. Raters disagree strongly when the spread is at least DISAGREEMENT_FROM (0.5): on the
   agreement scale 2 against 4 or wider, or yes against no. The page lists who (rater and role)
   said what, and every strong disagreement on a scored question becomes a condition to settle.

4. Scores from 0 to 100
   Each known answer pushes its score by s = 2 × number − 1, between −1 and +1; a neutral 3
   pushes nothing. With w the question's weight (the bank's, or the one edited on the page):
       score = 50 + 50 × (Σ w·s of the questions that raise it − Σ w·s of those that lower it)
                        / (Σ w of the answered questions in that score)
   So each answer contributes 50 × w × s / Σw points (with its sign), and the score is 50 plus
   the sum of the contributions: the drivers shown on the page add up exactly to the score.
   - fit score: raised by reasons_for, lowered by reasons_against.
   - impact score: raised by impact questions (ML replaces a complex part; cheap imperfect
     predictions are valuable; ...).
   - feasibility score: raised by readiness, lowered by cost (difficulty, cost of data,
     need for accuracy).
   A score with no answered question (or only questions of weight 0) cannot be judged: None.
   Scores (and the answered share of rule 6c) are rounded to SCORE_DECIMALS (6) decimal
   places, so a value that lands on a threshold in exact arithmetic is on it here too.
   Because of this formula, raising the answer to a reason for ML never lowers the fit score,
   and raising the answer to a reason against ML never raises it.

5. Hard stops — one answer pattern decides on its own (see HARD_STOPS)
   A clause "agreed" holds when the combined number is at least AGREED_FROM (0.75: agree,
   strongly agree, yes); "denied" holds when it is at most DENIED_UP_TO (0.25: disagree,
   strongly disagree, no). A hard stop fires when all its clauses hold.
   - Errors are intolerable (agreed) and there is no human fallback (denied) → not a fit.
   - The data cannot be obtained at all (denied) → not a fit.
   - All inputs and outputs can be enumerated (agreed): a lookup table will do → try a
     simpler non-ML solution first.
   - A simple rule or heuristic would already be good enough (yes) → try a simpler non-ML
     solution first.
   A question used by a hard stop is treated as critical even if the bank does not say so.

6. The verdict, decided in this order (the first step that applies wins)
   a. A "not a fit" hard stop fired → NOT A FIT.
   b. A "try simpler" hard stop fired → TRY A SIMPLER NON-ML SOLUTION FIRST.
   c. Not enough answers: less than MIN_ANSWERED_SHARE (half) of the weight of the reasons for
      and against is answered → TRY A SIMPLER NON-ML SOLUTION FIRST, with
      insufficient_answers set and an explanation that says so. Reason: without evidence for
      ML, the simplest solution is the honest default. All answers unknown lands here.
   d. Fit score below FIT_SIMPLER_FROM (35): the reasons against outweigh → NOT A FIT.
   e. Fit score below FIT_ML_FROM (60): the case for ML is mixed → TRY A SIMPLER NON-ML
      SOLUTION FIRST.
   f. Fit score 60 or more, and at least one condition (below) → ML FITS WITH CONDITIONS.
   g. Otherwise → ML FITS.
   Ties, when a value sits exactly on a threshold: a fit score of exactly 60 is in the ML
   band and exactly 35 in the "try simpler" band (each fit threshold belongs to the band above
   it); an answered share of exactly one half is enough; an impact or feasibility score of
   exactly 50 is not low; a readiness or framing number of exactly 0.5 is not a gap; a spread
   of exactly 0.5 is a disagreement; a number of exactly 0.75 counts as agreed and exactly
   0.25 as denied.

7. Conditions — what must be settled or fixed before ML can go ahead
   They are listed whatever the verdict; they decide between "ML fits" and "ML fits with
   conditions". In this order:
   - a critical question is unanswered;
   - raters disagree strongly on a scored question;
   - a strong concern: a reason against ML or a cost driver whose number (after polarity) is
     AGREED_FROM or more (for example every decision must be explained → plan for an
     interpretable model);
   - a readiness gap or framing gap: a readiness or scored framing question whose number
     (after polarity) is below GAP_BELOW (0.5), for example no experienced talent, no data
     loop;
   - feasibility or impact below SCORE_OK_FROM (50), or not judged yet.
   Answers that made a hard stop fire are not repeated as conditions. Each question may carry
   a mitigation text in the bank; it is shown with its condition.

8. Drivers and open questions
   Drivers are the answers with a non-zero contribution, ranked by the size of their
   contribution (largest first; equal sizes keep the bank's order), each marked "for" (raises
   the score) or "against" (lowers it). Open questions are the unanswered questions, critical
   ones first, then in the bank's order.

Worked example: two reasons for (weight 1 each) answered 5 and 3, one reason against
(weight 2) answered 2. Pushes: +1, 0, −0.5. Fit = 50 + 50 × (1 + 0 − 2 × (−0.5)) / 4 = 75.
The contributions are +12.5, 0 and +12.5 (the "against" answer of 2 counts for ML).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

UNKNOWN = None
"""The answer "unknown": also what a question left out of a rater's answers means."""

AnswerValue = int | bool | str | None
"""An answer: 1–5 on the agreement scale, True/False for yes_no, text for text, or UNKNOWN."""

AGREEMENT_MIN = 1
AGREEMENT_MAX = 5
AGREEMENT_LABELS = {
    1: "strongly disagree",
    2: "disagree",
    3: "neutral",
    4: "agree",
    5: "strongly agree",
}

DISAGREEMENT_FROM = 0.5
"""Spread (highest − lowest number, 0..1) from which raters disagree strongly."""
AGREED_FROM = 0.75
"""Combined number from which a statement counts as agreed (agree, strongly agree, yes)."""
DENIED_UP_TO = 0.25
"""Combined number up to which a statement counts as denied (disagree, strongly disagree, no)."""
GAP_BELOW = 0.5
"""Readiness or framing number (after polarity) below which it is a gap."""
FIT_ML_FROM = 60.0
"""Fit score from which ML is a fit (with or without conditions)."""
FIT_SIMPLER_FROM = 35.0
"""Fit score from which a simpler solution is advised; below it ML is not a fit."""
MIN_ANSWERED_SHARE = 0.5
"""Share of the weight of the reasons for and against that must be answered."""
SCORE_OK_FROM = 50.0
"""Impact or feasibility score from which it is not a condition."""
SCORE_DECIMALS = 6
"""Scores are rounded to this many decimal places before they are compared."""

_SLUG = re.compile(r"[a-z][a-z0-9_]*")
_E = TypeVar("_E", bound=StrEnum)


class InvalidQuestion(ValueError):
    """A question breaks a rule of the question bank."""


class InvalidAnswer(ValueError):
    """An answer or a rating does not fit its question."""


class InvalidWeight(ValueError):
    """An edited weight is not a finite number >= 0, or names no question."""


class Group(StrEnum):
    """The group a question belongs to; decides which score it feeds."""

    REASONS_FOR = "reasons_for"
    REASONS_AGAINST = "reasons_against"
    IMPACT = "impact"
    COST = "cost"
    READINESS = "readiness"
    FRAMING = "framing"


class Scale(StrEnum):
    """How a question is answered."""

    AGREEMENT = "agreement"
    YES_NO = "yes_no"
    TEXT = "text"


class Polarity(StrEnum):
    """Whether agreeing means more (positive) or less (negative) of what the group measures."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


class Verdict(StrEnum):
    """The four verdicts; the value is stored, the label is shown."""

    ML_FITS = "ml_fits"
    ML_FITS_WITH_CONDITIONS = "ml_fits_with_conditions"
    TRY_SIMPLER_FIRST = "try_simpler_first"
    NOT_A_FIT = "not_a_fit"

    @property
    def label(self) -> str:
        """The verdict in plain words."""
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.ML_FITS: "ML fits",
    Verdict.ML_FITS_WITH_CONDITIONS: "ML fits with conditions",
    Verdict.TRY_SIMPLER_FIRST: "Try a simpler non-ML solution first",
    Verdict.NOT_A_FIT: "Not a fit",
}


class Score(StrEnum):
    """The three scores."""

    FIT = "fit"
    IMPACT = "impact"
    FEASIBILITY = "feasibility"


class Direction(StrEnum):
    """Which way an answer pushed its score: for (up) or against (down)."""

    FOR = "for"
    AGAINST = "against"


class ConditionKind(StrEnum):
    """Why a condition is listed."""

    CRITICAL_UNKNOWN = "critical_unknown"
    DISAGREEMENT = "disagreement"
    CONCERN = "concern"
    READINESS_GAP = "readiness_gap"
    FRAMING_GAP = "framing_gap"
    LOW_FEASIBILITY = "low_feasibility"
    LOW_IMPACT = "low_impact"
    SCORE_UNKNOWN = "score_unknown"


@dataclass(frozen=True, kw_only=True)
class Question:
    """One question of the bank; group, scale and polarity may be given as their strings."""

    id: str
    text: str
    group: Group
    scale: Scale
    weight: float
    source: str
    help: str = ""
    critical: bool = False
    polarity: Polarity = Polarity.POSITIVE
    mitigation: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _SLUG.fullmatch(self.id):
            raise InvalidQuestion(
                "id must be a slug: lowercase letters, digits and underscores, starting with a"
                f" letter (got {self.id!r})"
            )
        for name in ("text", "source"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InvalidQuestion(f"{name} must be a non-empty string (got {value!r})")
        for name in ("help", "mitigation"):
            if not isinstance(getattr(self, name), str):
                raise InvalidQuestion(f"{name} must be a string (got {getattr(self, name)!r})")
        object.__setattr__(self, "group", _member(Group, "group", self.group))
        object.__setattr__(self, "scale", _member(Scale, "scale", self.scale))
        object.__setattr__(self, "polarity", _member(Polarity, "polarity", self.polarity))
        object.__setattr__(self, "weight", _checked_weight(self.weight, InvalidQuestion))
        if not isinstance(self.critical, bool):
            raise InvalidQuestion(f"critical must be true or false (got {self.critical!r})")
        if self.scale is Scale.TEXT and self.group is not Group.FRAMING:
            raise InvalidQuestion(
                f"scale 'text' is only allowed in group 'framing' (got group '{self.group}')"
            )
        if self.polarity is Polarity.NEGATIVE and (
            self.scale is Scale.TEXT or self.group in (Group.REASONS_FOR, Group.REASONS_AGAINST)
        ):
            raise InvalidQuestion(
                "polarity 'negative' is not allowed on text questions nor in groups"
                " 'reasons_for' and 'reasons_against' (their group says which way they count)"
            )

    @property
    def scored(self) -> bool:
        """Whether answers to this question are numbers (agreement or yes/no)."""
        return self.scale is not Scale.TEXT


@dataclass(frozen=True)
class HardStop:
    """A pattern of answers that decides the verdict on its own.

    clauses: (question id, True when the statement must be agreed / yes, False when it must be
    denied / no).
    """

    id: str
    name: str
    verdict: Verdict
    clauses: tuple[tuple[str, bool], ...]
    explanation: str

    @property
    def question_ids(self) -> tuple[str, ...]:
        """The questions this hard stop reads."""
        return tuple(question_id for question_id, _ in self.clauses)


Q_ERRORS_INTOLERABLE = "errors_intolerable"
Q_HUMAN_FALLBACK = "human_fallback"
Q_DATA_OBTAINABLE = "data_obtainable"
Q_INPUTS_OUTPUTS_ENUMERABLE = "inputs_outputs_enumerable"
Q_HEURISTIC_GOOD_ENOUGH = "heuristic_good_enough"

HARD_STOPS: tuple[HardStop, ...] = (
    HardStop(
        id="intolerable_errors_without_fallback",
        name="errors are intolerable and there is no human fallback",
        verdict=Verdict.NOT_A_FIT,
        clauses=((Q_ERRORS_INTOLERABLE, True), (Q_HUMAN_FALLBACK, False)),
        explanation=(
            "errors are intolerable and no person can catch them or take over when the model is"
            " wrong. Every model makes mistakes, so it cannot be used here safely."
        ),
    ),
    HardStop(
        id="data_unobtainable",
        name="the data cannot be obtained",
        verdict=Verdict.NOT_A_FIT,
        clauses=((Q_DATA_OBTAINABLE, False),),
        explanation=(
            "the data the model needs cannot be obtained at all, so there is nothing to learn from."
        ),
    ),
    HardStop(
        id="inputs_outputs_enumerable",
        name="a lookup table will do",
        verdict=Verdict.TRY_SIMPLER_FIRST,
        clauses=((Q_INPUTS_OUTPUTS_ENUMERABLE, True),),
        explanation=(
            "all inputs and their outputs can be listed, so a lookup table or a database query"
            " will give the exact answer without a model."
        ),
    ),
    HardStop(
        id="heuristic_good_enough",
        name="a simple heuristic is good enough",
        verdict=Verdict.TRY_SIMPLER_FIRST,
        clauses=((Q_HEURISTIC_GOOD_ENOUGH, True),),
        explanation=(
            "a simple rule or heuristic would already be good enough for the business. Build it"
            " first; it is also the baseline any model would have to beat."
        ),
    ),
)
"""The hard stops, strongest first; the bank must contain every question they read."""


@dataclass(frozen=True)
class Rating:
    """One rater's answers: question id → answer (UNKNOWN, or left out, when not known)."""

    rater: str
    role: str
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("rater", "role"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InvalidAnswer(f"{name} must be a non-empty string (got {value!r})")
        object.__setattr__(self, "answers", dict(self.answers))


@dataclass(frozen=True)
class RaterAnswer:
    """What one rater, in one role, answered to one question."""

    rater: str
    role: str
    answer: AnswerValue


@dataclass(frozen=True)
class CombinedAnswer:
    """All raters' answers to one question, combined.

    value: average of the known numbers (0..1, before polarity), None when unknown or text.
    spread: highest − lowest known number, None when unknown or text.
    disagreement: spread >= DISAGREEMENT_FROM.
    answers: every rater's own answer, with their role (unknowns included).
    by_role: role → average of that role's known numbers.
    """

    question_id: str
    value: float | None
    spread: float | None
    disagreement: bool
    answers: tuple[RaterAnswer, ...]
    by_role: Mapping[str, float]

    @property
    def known(self) -> bool:
        """Whether at least one rater answered (a non-empty text counts)."""
        return any(_is_known(a.answer) for a in self.answers)


@dataclass(frozen=True)
class Driver:
    """One answer's contribution (in score points) to a score."""

    question_id: str
    text: str
    group: Group
    answer: str
    value: float
    weight: float
    contribution: float
    direction: Direction
    score: Score


@dataclass(frozen=True)
class Condition:
    """Something to settle or fix before ML can go ahead."""

    kind: ConditionKind
    text: str
    question_id: str | None = None


@dataclass(frozen=True)
class OpenQuestion:
    """A question nobody has answered yet."""

    question_id: str
    text: str
    group: Group
    critical: bool


@dataclass(frozen=True)
class Assessment:
    """The result: verdict, why, scores (0–100, None when they cannot be judged), and lists."""

    verdict: Verdict
    explanation: str
    fit_score: float | None
    impact_score: float | None
    feasibility_score: float | None
    drivers: tuple[Driver, ...]
    impact_drivers: tuple[Driver, ...]
    feasibility_drivers: tuple[Driver, ...]
    hard_stops: tuple[HardStop, ...]
    conditions: tuple[Condition, ...]
    open_questions: tuple[OpenQuestion, ...]
    disagreements: tuple[CombinedAnswer, ...]
    insufficient_answers: bool
    answered_share: float
    weights: Mapping[str, float]


def answer_number(question: Question, answer: AnswerValue) -> float | None:
    """The 0..1 number of one answer (before polarity); None for unknown or text.

    Raises InvalidAnswer when the answer does not fit the question's scale.
    """
    if question.scale is Scale.TEXT:
        if answer is not None and not isinstance(answer, str):
            raise InvalidAnswer(f"question {question.id!r}: expected text (got {answer!r})")
        return None
    if answer is UNKNOWN:
        return None
    if question.scale is Scale.YES_NO:
        if not isinstance(answer, bool):
            raise InvalidAnswer(f"question {question.id!r}: expected yes or no (got {answer!r})")
        return 1.0 if answer else 0.0
    if (
        isinstance(answer, bool)
        or not isinstance(answer, int)
        or not AGREEMENT_MIN <= answer <= AGREEMENT_MAX
    ):
        raise InvalidAnswer(
            f"question {question.id!r}: expected a whole number from {AGREEMENT_MIN} to"
            f" {AGREEMENT_MAX} (got {answer!r})"
        )
    return (answer - AGREEMENT_MIN) / (AGREEMENT_MAX - AGREEMENT_MIN)


def answer_label(question: Question, answer: AnswerValue) -> str:
    """One rater's answer in words: "agree", "yes", the text itself, or "unknown"."""
    if not _is_known(answer):
        return "unknown"
    if question.scale is Scale.TEXT:
        return str(answer)
    if question.scale is Scale.YES_NO:
        return "yes" if answer else "no"
    return AGREEMENT_LABELS[int(answer)]


def combined_label(question: Question, value: float | None) -> str:
    """A combined number in words: "agree", "agree (average 3.5 of 5)", "mixed (50% yes)"."""
    if value is None:
        return "unknown"
    if question.scale is Scale.YES_NO:
        if value in (0.0, 1.0):
            return "yes" if value else "no"
        return f"mixed ({value:.0%} yes)"
    mean = AGREEMENT_MIN + value * (AGREEMENT_MAX - AGREEMENT_MIN)
    nearest = AGREEMENT_LABELS[math.floor(mean + 0.5)]
    if math.isclose(mean, round(mean)):
        return nearest
    return f"{nearest} (average {mean:.1f} of {AGREEMENT_MAX})"


def combine(ratings: Sequence[Rating], questions: Sequence[Question]) -> dict[str, CombinedAnswer]:
    """Combine several raters' answers per question, in the bank's order (see rule 3).

    Raises InvalidAnswer for a rater named twice, an answer to a question not in the bank, or
    an answer that does not fit its scale.
    """
    index = _index(questions)
    seen: set[str] = set()
    for rating in ratings:
        if rating.rater in seen:
            raise InvalidAnswer(f"rater {rating.rater!r} answered more than once")
        seen.add(rating.rater)
        for question_id in rating.answers:
            if question_id not in index:
                raise InvalidAnswer(
                    f"rater {rating.rater!r} answered {question_id!r}, which is not in the bank"
                )
    combined: dict[str, CombinedAnswer] = {}
    for question in questions:
        answers: list[RaterAnswer] = []
        numbers: list[float] = []
        role_numbers: dict[str, list[float]] = {}
        for rating in ratings:
            answer = rating.answers.get(question.id, UNKNOWN)
            try:
                number = answer_number(question, answer)
            except InvalidAnswer as error:
                raise InvalidAnswer(f"rater {rating.rater!r}: {error}") from None
            answers.append(RaterAnswer(rater=rating.rater, role=rating.role, answer=answer))
            if number is not None:
                numbers.append(number)
                role_numbers.setdefault(rating.role, []).append(number)
        value = sum(numbers) / len(numbers) if numbers else None
        spread = max(numbers) - min(numbers) if numbers else None
        combined[question.id] = CombinedAnswer(
            question_id=question.id,
            value=value,
            spread=spread,
            disagreement=spread is not None and spread >= DISAGREEMENT_FROM,
            answers=tuple(answers),
            by_role={r: sum(n) / len(n) for r, n in role_numbers.items()},
        )
    return combined


def score(
    combined: Mapping[str, CombinedAnswer],
    questions: Sequence[Question],
    weights_override: Mapping[str, float] | None = None,
) -> Assessment:
    """Score combined answers into a verdict with its reasons (rules 4–8 of this module).

    combined: the result of combine(); a question missing from it is unknown.
    weights_override: question id → weight (>= 0) replacing the bank's weight.
    Raises InvalidAnswer for combined answers to questions not in the bank, InvalidWeight for a
    bad override.
    """
    index = _index(questions)
    for question_id in combined:
        if question_id not in index:
            raise InvalidAnswer(f"question {question_id!r} is not in the bank")
    weights = _effective_weights(questions, weights_override)
    values = {q.id: (combined[q.id].value if q.id in combined else None) for q in questions}
    numbers = {
        q.id: (v if q.polarity is Polarity.POSITIVE else 1.0 - v)
        for q in questions
        if (v := values[q.id]) is not None
    }

    def part(name: Score, raising: tuple[Group, ...], lowering: tuple[Group, ...]):
        return _score_part(name, raising, lowering, questions, numbers, values, weights)

    fit, drivers = part(Score.FIT, (Group.REASONS_FOR,), (Group.REASONS_AGAINST,))
    impact, impact_drivers = part(Score.IMPACT, (Group.IMPACT,), ())
    feasibility, feasibility_drivers = part(Score.FEASIBILITY, (Group.READINESS,), (Group.COST,))

    fit_questions = [q for q in questions if q.group in (Group.REASONS_FOR, Group.REASONS_AGAINST)]
    total_weight = sum(weights[q.id] for q in fit_questions)
    answered_weight = sum(weights[q.id] for q in fit_questions if q.id in numbers)
    share = answered_weight / total_weight if total_weight > 0 else 0.0
    answered_share = round(share, SCORE_DECIMALS)
    insufficient = answered_share < MIN_ANSWERED_SHARE

    fired = tuple(stop for stop in HARD_STOPS if _fires(stop, values))
    critical_ids = {q.id for q in questions if q.critical} | {
        question_id for stop in HARD_STOPS for question_id in stop.question_ids
    }
    known_ids = {q.id for q in questions if q.id in combined and combined[q.id].known}
    open_questions = tuple(
        OpenQuestion(question_id=q.id, text=q.text, group=q.group, critical=q.id in critical_ids)
        for q in sorted(
            (q for q in questions if q.id not in known_ids),
            key=lambda q: q.id not in critical_ids,
        )
    )
    disagreements = tuple(
        combined[q.id] for q in questions if q.id in combined and combined[q.id].disagreement
    )
    conditions = _conditions(
        questions=questions,
        index=index,
        numbers=numbers,
        values=values,
        fired=fired,
        open_questions=open_questions,
        disagreements=disagreements,
        impact=impact,
        feasibility=feasibility,
    )
    verdict, explanation = _verdict(
        fired=fired,
        insufficient=insufficient,
        answered_share=answered_share,
        fit=fit,
        impact=impact,
        feasibility=feasibility,
        conditions=conditions,
    )
    return Assessment(
        verdict=verdict,
        explanation=explanation,
        fit_score=fit,
        impact_score=impact,
        feasibility_score=feasibility,
        drivers=drivers,
        impact_drivers=impact_drivers,
        feasibility_drivers=feasibility_drivers,
        hard_stops=fired,
        conditions=conditions,
        open_questions=open_questions,
        disagreements=disagreements,
        insufficient_answers=insufficient,
        answered_share=answered_share,
        weights=weights,
    )


def assess(
    ratings: Sequence[Rating],
    questions: Sequence[Question],
    weights_override: Mapping[str, float] | None = None,
) -> Assessment:
    """combine() then score(): the whole assessment from raw ratings."""
    return score(combine(ratings, questions), questions, weights_override)


def _member(enum: type[_E], name: str, value: object) -> _E:
    try:
        return enum(value)
    except ValueError:
        expected = ", ".join(member.value for member in enum)
        raise InvalidQuestion(f"unknown {name} {value!r} (expected one of: {expected})") from None


def _checked_weight(weight: object, error: type[ValueError]) -> float:
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise error(f"weight must be a number (got {weight!r})")
    if not math.isfinite(weight):
        raise error(f"weight must be a finite number (got {weight!r})")
    if weight < 0:
        raise error(f"weight must be >= 0 (got {weight!r})")
    return float(weight)


def _is_known(answer: AnswerValue) -> bool:
    if isinstance(answer, str):
        return bool(answer.strip())
    return answer is not UNKNOWN


def _index(questions: Sequence[Question]) -> dict[str, Question]:
    index: dict[str, Question] = {}
    for question in questions:
        if question.id in index:
            raise InvalidQuestion(f"question {question.id!r}: duplicate id")
        index[question.id] = question
    return index


def _effective_weights(
    questions: Sequence[Question], override: Mapping[str, float] | None
) -> dict[str, float]:
    weights = {q.id: q.weight for q in questions}
    for question_id, weight in (override or {}).items():
        if question_id not in weights:
            raise InvalidWeight(f"weights_override: question {question_id!r} is not in the bank")
        try:
            weights[question_id] = _checked_weight(weight, InvalidWeight)
        except InvalidWeight as error:
            raise InvalidWeight(f"question {question_id!r}: {error}") from None
    return weights


def _score_part(
    name: Score,
    raising: tuple[Group, ...],
    lowering: tuple[Group, ...],
    questions: Sequence[Question],
    numbers: Mapping[str, float],
    values: Mapping[str, float | None],
    weights: Mapping[str, float],
) -> tuple[float | None, tuple[Driver, ...]]:
    answered = [q for q in questions if q.group in raising + lowering and q.id in numbers]
    total = sum(weights[q.id] for q in answered)
    if total <= 0:
        return None, ()
    drivers: list[Driver] = []
    raw = 50.0
    for question in answered:
        push = 2.0 * numbers[question.id] - 1.0
        sign = 1.0 if question.group in raising else -1.0
        contribution = sign * (50.0 * weights[question.id] * push / total)
        raw += contribution
        if contribution != 0:
            drivers.append(
                Driver(
                    question_id=question.id,
                    text=question.text,
                    group=question.group,
                    answer=combined_label(question, values[question.id]),
                    value=values[question.id] or 0.0,
                    weight=weights[question.id],
                    contribution=contribution,
                    direction=Direction.FOR if contribution > 0 else Direction.AGAINST,
                    score=name,
                )
            )
    drivers.sort(key=lambda d: -abs(d.contribution))
    return min(100.0, max(0.0, round(raw, SCORE_DECIMALS))), tuple(drivers)


def _fires(stop: HardStop, values: Mapping[str, float | None]) -> bool:
    for question_id, agreed in stop.clauses:
        value = values.get(question_id)
        if value is None:
            return False
        if agreed and value < AGREED_FROM:
            return False
        if not agreed and value > DENIED_UP_TO:
            return False
    return True


def _conditions(
    *,
    questions: Sequence[Question],
    index: Mapping[str, Question],
    numbers: Mapping[str, float],
    values: Mapping[str, float | None],
    fired: tuple[HardStop, ...],
    open_questions: tuple[OpenQuestion, ...],
    disagreements: tuple[CombinedAnswer, ...],
    impact: float | None,
    feasibility: float | None,
) -> tuple[Condition, ...]:
    conditions: list[Condition] = []
    stops_by_question: dict[str, list[str]] = {}
    for stop in HARD_STOPS:
        for question_id in stop.question_ids:
            stops_by_question.setdefault(question_id, []).append(stop.name)
    for open_question in open_questions:
        if not open_question.critical:
            continue
        text = f"Critical question unanswered: “{open_question.text}”"
        if open_question.question_id in stops_by_question:
            names = "; ".join(stops_by_question[open_question.question_id])
            text += f" It can decide the verdict on its own (hard stop: {names})."
        conditions.append(
            Condition(ConditionKind.CRITICAL_UNKNOWN, text, open_question.question_id)
        )
    for combined in disagreements:
        question = index[combined.question_id]
        said = "; ".join(
            f"{a.role} {a.rater}: {answer_label(question, a.answer)}"
            for a in combined.answers
            if _is_known(a.answer)
        )
        conditions.append(
            Condition(
                ConditionKind.DISAGREEMENT,
                f"Raters disagree on “{question.text}” ({said}). Settle it before going further.",
                question.id,
            )
        )
    fired_ids = {question_id for stop in fired for question_id in stop.question_ids}
    gap_kinds = {
        Group.READINESS: ConditionKind.READINESS_GAP,
        Group.FRAMING: ConditionKind.FRAMING_GAP,
    }
    for question in questions:
        if question.id not in numbers or question.id in fired_ids:
            continue
        number = numbers[question.id]
        if question.group in (Group.REASONS_AGAINST, Group.COST) and number >= AGREED_FROM:
            kind, prefix = ConditionKind.CONCERN, "Strong concern"
        elif question.group in gap_kinds and number < GAP_BELOW:
            kind = gap_kinds[question.group]
            prefix = "Readiness gap" if question.group is Group.READINESS else "Framing gap"
        else:
            continue
        answered = combined_label(question, values[question.id])
        text = f"{prefix}: “{question.text}” was answered {answered}."
        if question.mitigation:
            text += f" {question.mitigation}"
        conditions.append(Condition(kind, text, question.id))
    for name, value, kind, groups in (
        ("Feasibility", feasibility, ConditionKind.LOW_FEASIBILITY, "readiness and cost"),
        ("Impact", impact, ConditionKind.LOW_IMPACT, "impact"),
    ):
        if value is None:
            conditions.append(
                Condition(
                    ConditionKind.SCORE_UNKNOWN,
                    f"{name} cannot be judged yet: answer the {groups} questions.",
                )
            )
        elif value < SCORE_OK_FROM:
            conditions.append(
                Condition(
                    kind,
                    f"{name} is low ({_points(value)}/100, below {_points(SCORE_OK_FROM)}):"
                    f" raise it or accept the risk explicitly before starting.",
                )
            )
    return tuple(conditions)


def _verdict(
    *,
    fired: tuple[HardStop, ...],
    insufficient: bool,
    answered_share: float,
    fit: float | None,
    impact: float | None,
    feasibility: float | None,
    conditions: tuple[Condition, ...],
) -> tuple[Verdict, str]:
    for verdict in (Verdict.NOT_A_FIT, Verdict.TRY_SIMPLER_FIRST):
        stops = [stop for stop in fired if stop.verdict is verdict]
        if stops:
            reasons = " Also: ".join(_capitalised(stop.explanation) for stop in stops)
            return verdict, f"{verdict.label} (hard stop). {reasons}"
    if insufficient or fit is None:
        return Verdict.TRY_SIMPLER_FIRST, (
            f"Not enough answers to judge: {answered_share:.0%} of the weight of the reasons for"
            f" and against ML is answered, at least {MIN_ANSWERED_SHARE:.0%} is needed. Until the"
            " open questions are answered, the honest default is the simplest solution:"
            " try a simpler non-ML solution first."
        )
    fit_text = f"fit score {_points(fit)}/100"
    if fit < FIT_SIMPLER_FROM:
        return Verdict.NOT_A_FIT, (
            f"{Verdict.NOT_A_FIT.label}: the reasons against ML outweigh the reasons for it"
            f" ({fit_text}, below {_points(FIT_SIMPLER_FROM)})."
        )
    if fit < FIT_ML_FROM:
        return Verdict.TRY_SIMPLER_FIRST, (
            f"{Verdict.TRY_SIMPLER_FIRST.label}: the case for ML is mixed ({fit_text}; ML needs"
            f" at least {_points(FIT_ML_FROM)})."
        )
    case = f"the case for ML is clear ({fit_text}, at least {_points(FIT_ML_FROM)})"
    if conditions:
        count = f"{len(conditions)} condition{'s' if len(conditions) > 1 else ''}"
        return Verdict.ML_FITS_WITH_CONDITIONS, (
            f"{Verdict.ML_FITS_WITH_CONDITIONS.label}: {case}, but {count} must be met first."
        )
    return Verdict.ML_FITS, (
        f"{Verdict.ML_FITS.label}: {case}; impact {_points(impact or 0.0)}/100 and feasibility"
        f" {_points(feasibility or 0.0)}/100 are at least {_points(SCORE_OK_FROM)}, and nothing"
        " is left to settle."
    )


def _points(value: float) -> str:
    """A score for display, cut (not rounded) to one decimal so 59.96 never shows as 60."""
    cut = math.floor(value * 10 + 1e-9) / 10
    return f"{cut:.1f}".removesuffix(".0")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
