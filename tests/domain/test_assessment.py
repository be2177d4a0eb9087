"""The "Should we use ML?" scoring engine: answer sets → verdict, scores and reasons.

Every expected number below is worked out by hand from the rules in the module docstring of
workbench.domain.assessment: number = (answer − 1) / 4 (yes 1, no 0), push s = 2·number − 1,
score = 50 + 50 · (Σ w·s raising − Σ w·s lowering) / Σ w over the answered questions.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.assessment import (
    UNKNOWN,
    Assessment,
    ConditionKind,
    Direction,
    Group,
    InvalidAnswer,
    InvalidQuestion,
    InvalidWeight,
    Polarity,
    Question,
    Rating,
    Scale,
    Score,
    Verdict,
    assess,
    combine,
    score,
)

SOURCE = "Burkov, Machine Learning Engineering (2020), ch. 1"


def _question(
    question_id: str,
    group: Group,
    scale: Scale = Scale.AGREEMENT,
    weight: float = 1.0,
    **extra: object,
) -> Question:
    return Question(
        id=question_id,
        text=f"Statement {question_id}.",
        group=group,
        scale=scale,
        weight=weight,
        source=SOURCE,
        **extra,
    )


# A small bank with weight 1 on every scored question, so the arithmetic stays simple.
BANK = (
    _question("too_complex_to_code", Group.REASONS_FOR),
    _question("constantly_changing", Group.REASONS_FOR),
    _question("errors_intolerable", Group.REASONS_AGAINST, mitigation="Keep a person in."),
    _question("inputs_outputs_enumerable", Group.REASONS_AGAINST),
    _question("replaces_complex_part", Group.IMPACT),
    _question("cheap_predictions_valuable", Group.IMPACT),
    _question("problem_difficulty", Group.COST, mitigation="Time-box the research."),
    _question("experienced_talent", Group.READINESS, mitigation="Hire an ML engineer."),
    _question("siloed_teams", Group.READINESS, polarity=Polarity.NEGATIVE),
    _question("data_obtainable", Group.READINESS, Scale.YES_NO),
    _question("human_fallback", Group.FRAMING, Scale.YES_NO, weight=0.0),
    _question(
        "heuristic_good_enough",
        Group.FRAMING,
        Scale.YES_NO,
        weight=0.0,
        polarity=Polarity.NEGATIVE,
    ),
    _question("data_loop", Group.FRAMING, Scale.YES_NO, weight=0.0, mitigation="Log outcomes."),
    _question("how_done_today", Group.FRAMING, Scale.TEXT, weight=0.0),
)
FIT_IDS = ("too_complex_to_code", "constantly_changing")
AGAINST_IDS = ("errors_intolerable", "inputs_outputs_enumerable")

# Every answer favourable to ML: fit 100, impact 100, feasibility 100, nothing to settle.
GOOD = {
    "too_complex_to_code": 5,
    "constantly_changing": 5,
    "errors_intolerable": 1,
    "inputs_outputs_enumerable": 1,
    "replaces_complex_part": 5,
    "cheap_predictions_valuable": 5,
    "problem_difficulty": 1,
    "experienced_talent": 5,
    "siloed_teams": 1,
    "data_obtainable": True,
    "human_fallback": True,
    "heuristic_good_enough": False,
    "data_loop": True,
    "how_done_today": "An analyst checks every case by hand.",
}


def _one_rater(**changes: object) -> Assessment:
    return assess([Rating("Ann", "sponsor", {**GOOD, **changes})], BANK)


def _kinds(result: Assessment) -> list[ConditionKind]:
    return [condition.kind for condition in result.conditions]


CASES = [
    # (changes to GOOD, verdict, fired hard stops, condition kinds, fit, impact, feasibility)
    pytest.param({}, Verdict.ML_FITS, [], [], 100.0, 100.0, 100.0, id="clear-fit"),
    # errors 5 → s +1 against: N = 1 + 1 − 1 − (−1) = 2, W 4 → 75.
    pytest.param(
        {"errors_intolerable": 5, "human_fallback": False},
        Verdict.NOT_A_FIT,
        ["intolerable_errors_without_fallback"],
        [],
        75.0,
        100.0,
        100.0,
        id="hard-stop-errors-intolerable-no-fallback",
    ),
    # "agree" (4) is exactly AGREED_FROM 0.75, so the clause holds. N = 2 − 0.5 + 1 = 2.5 → 81.25.
    pytest.param(
        {"errors_intolerable": 4, "human_fallback": False},
        Verdict.NOT_A_FIT,
        ["intolerable_errors_without_fallback"],
        [],
        81.25,
        100.0,
        100.0,
        id="hard-stop-errors-agree-is-on-threshold",
    ),
    # With a fallback the same answer is only a strong concern: N = 2 → 75.
    pytest.param(
        {"errors_intolerable": 5},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.CONCERN],
        75.0,
        100.0,
        100.0,
        id="errors-intolerable-with-fallback-is-a-condition",
    ),
    # Neutral on errors and no fallback: no hard stop, a framing gap. N = 2 − 0 + 1 = 3 → 87.5.
    pytest.param(
        {"errors_intolerable": 3, "human_fallback": False},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.FRAMING_GAP],
        87.5,
        100.0,
        100.0,
        id="no-fallback-alone-is-a-framing-gap",
    ),
    # Enumerable 5 → s +1 against: N = 2 + 1 − 1 = 2 → 75.
    pytest.param(
        {"inputs_outputs_enumerable": 5},
        Verdict.TRY_SIMPLER_FIRST,
        ["inputs_outputs_enumerable"],
        [],
        75.0,
        100.0,
        100.0,
        id="hard-stop-lookup-table-will-do",
    ),
    # Data not obtainable: readiness yes/no s −1: feasibility N = 1 + 1 − 1 + 1 = 2 → 75.
    pytest.param(
        {"data_obtainable": False},
        Verdict.NOT_A_FIT,
        ["data_unobtainable"],
        [],
        100.0,
        100.0,
        75.0,
        id="hard-stop-data-unobtainable",
    ),
    pytest.param(
        {"heuristic_good_enough": True},
        Verdict.TRY_SIMPLER_FIRST,
        ["heuristic_good_enough"],
        [],
        100.0,
        100.0,
        100.0,
        id="hard-stop-heuristic-good-enough",
    ),
    # Two hard stops: "not a fit" beats "try simpler"; both are listed, in HARD_STOPS order.
    # fit: N = 2 + 1 − 1 = 2 → 75; feasibility 75 as above.
    pytest.param(
        {"inputs_outputs_enumerable": 5, "data_obtainable": False},
        Verdict.NOT_A_FIT,
        ["data_unobtainable", "inputs_outputs_enumerable"],
        [],
        75.0,
        100.0,
        75.0,
        id="two-hard-stops-not-a-fit-wins",
    ),
    # for −1, −0.5; against +0.5, 0: N = −1.5 − 0.5 = −2 → 25, below 35. Errors "agree" is
    # also a strong concern (listed whatever the verdict).
    pytest.param(
        {
            "too_complex_to_code": 1,
            "constantly_changing": 2,
            "errors_intolerable": 4,
            "inputs_outputs_enumerable": 3,
        },
        Verdict.NOT_A_FIT,
        [],
        [ConditionKind.CONCERN],
        25.0,
        100.0,
        100.0,
        id="reasons-against-outweigh",
    ),
    # for +0.5, 0; against 0, 0: N = 0.5 → 56.25, between 35 and 60.
    pytest.param(
        {
            "too_complex_to_code": 4,
            "constantly_changing": 3,
            "errors_intolerable": 3,
            "inputs_outputs_enumerable": 3,
        },
        Verdict.TRY_SIMPLER_FIRST,
        [],
        [],
        56.25,
        100.0,
        100.0,
        id="mixed-case-try-simpler",
    ),
    # talent 2 → number 0.25 < 0.5: gap. feasibility N = −0.5 + 1 + 1 + 1 = 2.5 → 81.25.
    pytest.param(
        {"experienced_talent": 2},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.READINESS_GAP],
        100.0,
        100.0,
        81.25,
        id="readiness-gap-talent",
    ),
    # talent 3 → number exactly 0.5: not a gap. feasibility N = 0 + 1 + 1 + 1 = 3 → 87.5.
    pytest.param(
        {"experienced_talent": 3},
        Verdict.ML_FITS,
        [],
        [],
        100.0,
        100.0,
        87.5,
        id="tie-neutral-readiness-is-not-a-gap",
    ),
    # siloed 5 with negative polarity → number 0: gap. feasibility N = 1 − 1 + 1 + 1 = 2 → 75.
    pytest.param(
        {"siloed_teams": 5},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.READINESS_GAP],
        100.0,
        100.0,
        75.0,
        id="readiness-gap-siloed-teams-negative-polarity",
    ),
    pytest.param(
        {"data_loop": False},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.FRAMING_GAP],
        100.0,
        100.0,
        100.0,
        id="framing-gap-no-data-loop",
    ),
    # impact −0.5, −0.5: N = −1, W 2 → 25.
    pytest.param(
        {"replaces_complex_part": 2, "cheap_predictions_valuable": 2},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.LOW_IMPACT],
        100.0,
        25.0,
        100.0,
        id="low-impact",
    ),
    # impact neutral → exactly 50, which is not low (ties go to the band above).
    pytest.param(
        {"replaces_complex_part": 3, "cheap_predictions_valuable": 3},
        Verdict.ML_FITS,
        [],
        [],
        100.0,
        50.0,
        100.0,
        id="tie-impact-exactly-50-is-not-low",
    ),
    # cost 5 → concern; feasibility N = 1 + 1 + 1 − 1 = 2 → 75.
    pytest.param(
        {"problem_difficulty": 5},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.CONCERN],
        100.0,
        100.0,
        75.0,
        id="high-cost-problem-difficulty",
    ),
    # readiness −1, −1, +1; cost −(+1): N = −2 → 25.
    pytest.param(
        {"experienced_talent": 1, "siloed_teams": 5, "problem_difficulty": 5},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [
            ConditionKind.CONCERN,
            ConditionKind.READINESS_GAP,
            ConditionKind.READINESS_GAP,
            ConditionKind.LOW_FEASIBILITY,
        ],
        100.0,
        100.0,
        25.0,
        id="low-feasibility",
    ),
    # Impact unknown: the score cannot be judged, which is a condition.
    pytest.param(
        {"replaces_complex_part": UNKNOWN, "cheap_predictions_valuable": UNKNOWN},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.SCORE_UNKNOWN],
        100.0,
        None,
        100.0,
        id="impact-not-judged",
    ),
    # A critical (hard-stop) question unknown: N = 1 + 1 + 1 = 3 over W 3 → 100.
    pytest.param(
        {"inputs_outputs_enumerable": UNKNOWN},
        Verdict.ML_FITS_WITH_CONDITIONS,
        [],
        [ConditionKind.CRITICAL_UNKNOWN],
        100.0,
        100.0,
        100.0,
        id="critical-question-unknown",
    ),
]


@pytest.mark.parametrize(
    ("changes", "verdict", "hard_stops", "condition_kinds", "fit", "impact", "feasibility"),
    CASES,
)
def test_answer_sets_give_verdict_and_reasons(
    changes, verdict, hard_stops, condition_kinds, fit, impact, feasibility
):
    result = _one_rater(**changes)

    assert result.verdict is verdict
    assert [stop.id for stop in result.hard_stops] == hard_stops
    assert _kinds(result) == condition_kinds
    assert result.fit_score == pytest.approx(fit)
    assert result.impact_score == (None if impact is None else pytest.approx(impact))
    assert result.feasibility_score == pytest.approx(feasibility)
    assert result.explanation.startswith(verdict.label)
    assert not result.insufficient_answers


def test_hard_stop_explanation_is_plain():
    result = _one_rater(errors_intolerable=5, human_fallback=False)

    assert result.explanation.startswith("Not a fit (hard stop).")
    assert "no person can catch them" in result.explanation


def test_answers_behind_a_fired_hard_stop_are_not_repeated_as_conditions():
    result = _one_rater(errors_intolerable=5, human_fallback=False)

    assert not [c for c in result.conditions if c.question_id == "errors_intolerable"]
    assert not [c for c in result.conditions if c.question_id == "human_fallback"]


def test_condition_carries_the_mitigation_and_the_answer():
    result = _one_rater(experienced_talent=2)

    (condition,) = result.conditions
    assert condition.question_id == "experienced_talent"
    assert "was answered disagree" in condition.text
    assert condition.text.endswith("Hire an ML engineer.")


@pytest.mark.parametrize(
    "ratings",
    [
        pytest.param([], id="no-raters"),
        pytest.param([Rating("Ann", "sponsor", {})], id="one-rater-answered-nothing"),
        pytest.param(
            [
                Rating("Ann", "sponsor", dict.fromkeys(GOOD, UNKNOWN)),
                Rating("Bo", "ML engineer", {"how_done_today": "  "}),
            ],
            id="two-raters-all-unknown",
        ),
    ],
)
def test_all_unknown_answers_try_simpler_and_say_why(ratings):
    result = assess(ratings, BANK)

    assert result.verdict is Verdict.TRY_SIMPLER_FIRST
    assert result.insufficient_answers
    assert result.answered_share == 0.0
    assert result.explanation.startswith("Not enough answers to judge: 0%")
    assert (result.fit_score, result.impact_score, result.feasibility_score) == (None, None, None)
    assert result.drivers == result.impact_drivers == result.feasibility_drivers == ()
    assert result.hard_stops == ()
    # Critical first (the questions read by hard stops), then the bank's order.
    assert [q.question_id for q in result.open_questions] == [
        "errors_intolerable",
        "inputs_outputs_enumerable",
        "data_obtainable",
        "human_fallback",
        "heuristic_good_enough",
        "too_complex_to_code",
        "constantly_changing",
        "replaces_complex_part",
        "cheap_predictions_valuable",
        "problem_difficulty",
        "experienced_talent",
        "siloed_teams",
        "data_loop",
        "how_done_today",
    ]
    assert [q.critical for q in result.open_questions] == [True] * 5 + [False] * 9


@pytest.mark.parametrize(
    ("answered", "share", "verdict", "insufficient"),
    [
        # Weights 1 each: two of four answered is exactly one half, which is enough. The two
        # unanswered are critical, so ML fits only with conditions.
        pytest.param(FIT_IDS, 0.5, Verdict.ML_FITS_WITH_CONDITIONS, False, id="tie-half-enough"),
        pytest.param(FIT_IDS[:1], 0.25, Verdict.TRY_SIMPLER_FIRST, True, id="quarter-too-few"),
    ],
)
def test_answered_share_threshold(answered, share, verdict, insufficient):
    changes = {key: UNKNOWN for key in FIT_IDS + AGAINST_IDS if key not in answered}
    result = _one_rater(**changes)

    assert result.answered_share == pytest.approx(share)
    assert result.insufficient_answers is insufficient
    assert result.verdict is verdict
    assert result.fit_score == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("weights", "answers", "fit", "verdict"),
    [
        # too_complex w 2 answered 4 (s +0.5), others neutral: 50 + 50·(2·0.5)/5 = 60 exactly:
        # a score on a threshold belongs to the band above, so ML fits.
        pytest.param(
            {"too_complex_to_code": 2.0},
            {"too_complex_to_code": 4, "constantly_changing": 3},
            60.0,
            Verdict.ML_FITS,
            id="tie-exactly-60-is-ml",
        ),
        # w 1.9: 50 + 50·0.95/4.9 = 59.69…, just under 60.
        pytest.param(
            {"too_complex_to_code": 1.9},
            {"too_complex_to_code": 4, "constantly_changing": 3},
            50 + 50 * 0.95 / 4.9,
            Verdict.TRY_SIMPLER_FIRST,
            id="just-below-60-try-simpler",
        ),
        # errors w 2 answered 4 (s +0.5 against), changing 2 (s −0.5):
        # 50 + 50·(−0.5 − 1)/5 = 35 exactly: the "try simpler" band, not "not a fit".
        pytest.param(
            {"errors_intolerable": 2.0},
            {"too_complex_to_code": 3, "constantly_changing": 2, "errors_intolerable": 4},
            35.0,
            Verdict.TRY_SIMPLER_FIRST,
            id="tie-exactly-35-is-try-simpler",
        ),
        # errors w 2.1: 50 − 50·1.55/5.1 = 34.80…, just under 35.
        pytest.param(
            {"errors_intolerable": 2.1},
            {"too_complex_to_code": 3, "constantly_changing": 2, "errors_intolerable": 4},
            50 - 50 * 1.55 / 5.1,
            Verdict.NOT_A_FIT,
            id="just-below-35-not-a-fit",
        ),
    ],
)
def test_fit_score_ties_on_thresholds(weights, answers, fit, verdict):
    neutral = {"errors_intolerable": 3, "inputs_outputs_enumerable": 3}
    ratings = [Rating("Ann", "sponsor", {**GOOD, **neutral, **answers})]

    result = assess(ratings, BANK, weights_override=weights)

    assert result.fit_score == pytest.approx(fit)
    assert result.verdict is verdict


def test_weights_override_changes_the_verdict():
    # for +1, −0.5; against 0, 0: N = 0.5, W 4 → 56.25 (try simpler).
    # too_complex weight 3: N = 3 − 0.5 = 2.5, W 6 → 50 + 125/6 = 70.83 (ML fits).
    answers = {
        **GOOD,
        "too_complex_to_code": 5,
        "constantly_changing": 2,
        "errors_intolerable": 3,
        "inputs_outputs_enumerable": 3,
    }
    combined = combine([Rating("Ann", "sponsor", answers)], BANK)

    before = score(combined, BANK)
    after = score(combined, BANK, weights_override={"too_complex_to_code": 3})

    assert before.fit_score == pytest.approx(56.25)
    assert before.verdict is Verdict.TRY_SIMPLER_FIRST
    assert after.fit_score == pytest.approx(50 + 125 / 6)
    assert after.verdict is Verdict.ML_FITS
    assert after.weights["too_complex_to_code"] == 3.0
    assert before.weights["too_complex_to_code"] == 1.0


def test_zero_weights_on_every_reason_leave_fit_unjudged():
    zero = dict.fromkeys(FIT_IDS + AGAINST_IDS, 0.0)

    result = assess([Rating("Ann", "sponsor", GOOD)], BANK, weights_override=zero)

    assert result.fit_score is None
    assert result.insufficient_answers
    assert result.verdict is Verdict.TRY_SIMPLER_FIRST


def test_drivers_are_ranked_by_contribution_and_add_up_to_the_score():
    # W 4: too_complex 5 → +12.5; changing 4 → +6.25; errors 2 → −(50·−0.5/4) = +6.25;
    # enumerable 3 → 0, not a driver. Equal sizes keep the bank's order.
    result = _one_rater(
        too_complex_to_code=5,
        constantly_changing=4,
        errors_intolerable=2,
        inputs_outputs_enumerable=3,
    )

    assert [(d.question_id, d.contribution, d.direction, d.answer) for d in result.drivers] == [
        ("too_complex_to_code", pytest.approx(12.5), Direction.FOR, "strongly agree"),
        ("constantly_changing", pytest.approx(6.25), Direction.FOR, "agree"),
        ("errors_intolerable", pytest.approx(6.25), Direction.FOR, "disagree"),
    ]
    assert result.fit_score == pytest.approx(75.0)
    assert all(d.score is Score.FIT for d in result.drivers)


def test_a_reason_against_drives_against():
    result = _one_rater(errors_intolerable=5)

    against = [d for d in result.drivers if d.direction is Direction.AGAINST]
    assert [(d.question_id, d.contribution) for d in against] == [
        ("errors_intolerable", pytest.approx(-12.5))
    ]


def test_worked_example_of_the_module_docstring():
    result = _one_rater(
        too_complex_to_code=5,
        constantly_changing=3,
        errors_intolerable=2,
        inputs_outputs_enumerable=UNKNOWN,
    )
    weighted = assess(
        [Rating("Ann", "sponsor", {**GOOD, "constantly_changing": 3, "errors_intolerable": 2})],
        BANK,
        weights_override={"errors_intolerable": 2, "inputs_outputs_enumerable": 0},
    )

    # Without the override: 50 + 50·(1 + 0 + 0.5)/3 = 75 as well.
    assert result.fit_score == pytest.approx(75.0)
    assert weighted.fit_score == pytest.approx(75.0)
    assert [d.contribution for d in weighted.drivers] == [pytest.approx(12.5)] * 2


def test_feasibility_drivers_show_cost_against():
    # W 4 (difficulty, talent, siloed, data): every push has size 1, so each driver is 12.5
    # points and they keep the bank's order; the high cost is the one against.
    result = _one_rater(problem_difficulty=5)

    assert [(d.question_id, d.contribution, d.direction) for d in result.feasibility_drivers] == [
        ("problem_difficulty", pytest.approx(-12.5), Direction.AGAINST),
        ("experienced_talent", pytest.approx(12.5), Direction.FOR),
        ("siloed_teams", pytest.approx(12.5), Direction.FOR),
        ("data_obtainable", pytest.approx(12.5), Direction.FOR),
    ]
    assert all(d.score is Score.FEASIBILITY for d in result.feasibility_drivers)


def test_two_raters_with_opposite_answers_disagree():
    sponsor = Rating("Ann", "sponsor", GOOD)
    engineer = Rating("Bo", "ML engineer", {**GOOD, "too_complex_to_code": 1})

    combined = combine([sponsor, engineer], BANK)
    result = score(combined, BANK)

    too_complex = combined["too_complex_to_code"]
    assert too_complex.value == pytest.approx(0.5)
    assert too_complex.spread == pytest.approx(1.0)
    assert too_complex.disagreement
    assert dict(too_complex.by_role) == {"sponsor": 1.0, "ML engineer": 0.0}
    assert [(a.rater, a.role, a.answer) for a in too_complex.answers] == [
        ("Ann", "sponsor", 5),
        ("Bo", "ML engineer", 1),
    ]
    assert [c.question_id for c in result.disagreements] == ["too_complex_to_code"]
    # too_complex combined to neutral: N = 0 + 1 + 1 + 1 = 3, W 4 → 87.5.
    assert result.fit_score == pytest.approx(87.5)
    assert result.verdict is Verdict.ML_FITS_WITH_CONDITIONS
    (condition,) = result.conditions
    assert condition.kind is ConditionKind.DISAGREEMENT
    assert "sponsor Ann: strongly agree" in condition.text
    assert "ML engineer Bo: strongly disagree" in condition.text


def test_opposite_yes_no_on_the_fallback_blocks_the_hard_stop_but_is_flagged():
    answers = {**GOOD, "errors_intolerable": 5}
    ratings = [
        Rating("Ann", "sponsor", {**answers, "human_fallback": True}),
        Rating("Cy", "subject-matter expert", {**answers, "human_fallback": False}),
    ]

    result = assess(ratings, BANK)

    # Combined fallback 0.5 is neither yes nor no, so the hard stop does not fire.
    assert result.hard_stops == ()
    assert result.verdict is Verdict.ML_FITS_WITH_CONDITIONS
    assert _kinds(result) == [ConditionKind.DISAGREEMENT, ConditionKind.CONCERN]
    assert "subject-matter expert Cy: no" in result.conditions[0].text


def test_a_quarter_yes_on_the_fallback_counts_as_no():
    # One yes and three no: combined 0.25, exactly DENIED_UP_TO, so the hard stop fires.
    answers = {**GOOD, "errors_intolerable": 5}
    ratings = [
        Rating(name, "PM", {**answers, "human_fallback": name == "Ann"})
        for name in ("Ann", "Bo", "Cy", "Di")
    ]

    result = assess(ratings, BANK)

    assert [stop.id for stop in result.hard_stops] == ["intolerable_errors_without_fallback"]
    assert result.verdict is Verdict.NOT_A_FIT
    assert [c.question_id for c in result.disagreements] == ["human_fallback"]


@pytest.mark.parametrize(
    ("first", "second", "spread", "flagged"),
    [
        pytest.param(2, 4, 0.5, True, id="tie-2-vs-4-is-a-disagreement"),
        pytest.param(3, 4, 0.25, False, id="3-vs-4-is-not"),
        pytest.param(5, 5, 0.0, False, id="same-answer"),
    ],
)
def test_disagreement_threshold(first, second, spread, flagged):
    ratings = [
        Rating("Ann", "data scientist", {"constantly_changing": first}),
        Rating("Bo", "data scientist", {"constantly_changing": second}),
    ]

    combined = combine(ratings, BANK)["constantly_changing"]

    assert combined.spread == pytest.approx(spread)
    assert combined.disagreement is flagged


def test_unknown_answers_from_one_rater_are_ignored_in_the_average():
    ratings = [
        Rating("Ann", "sponsor", {"constantly_changing": 4}),
        Rating("Bo", "PM", {"constantly_changing": UNKNOWN}),
    ]

    combined = combine(ratings, BANK)["constantly_changing"]

    assert combined.value == pytest.approx(0.75)
    assert combined.spread == 0.0
    assert combined.known


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        pytest.param({"too_complex_to_code": 6}, "from 1 to 5 (got 6)", id="above-scale"),
        pytest.param({"too_complex_to_code": 0}, "from 1 to 5 (got 0)", id="below-scale"),
        pytest.param({"too_complex_to_code": True}, "from 1 to 5 (got True)", id="bool-agreement"),
        pytest.param({"too_complex_to_code": 3.5}, "(got 3.5)", id="float-agreement"),
        pytest.param({"data_loop": 1}, "expected yes or no (got 1)", id="number-for-yes-no"),
        pytest.param({"how_done_today": 3}, "expected text (got 3)", id="number-for-text"),
        pytest.param({"made_up": 3}, "'made_up', which is not in the bank", id="unknown-question"),
    ],
)
def test_invalid_answers_are_refused(answers, message):
    with pytest.raises(InvalidAnswer, match=message.replace("(", r"\(").replace(")", r"\)")):
        combine([Rating("Ann", "sponsor", answers)], BANK)


def test_a_rater_named_twice_is_refused():
    with pytest.raises(InvalidAnswer, match="'Ann' answered more than once"):
        combine([Rating("Ann", "sponsor", {}), Rating("Ann", "PM", {})], BANK)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        pytest.param({"too_complex_to_code": -1}, r"weight must be >= 0 \(got -1\)", id="negative"),
        pytest.param({"too_complex_to_code": math.nan}, "finite", id="nan"),
        pytest.param({"too_complex_to_code": "2"}, "must be a number", id="text"),
        pytest.param({"made_up": 1.0}, "'made_up' is not in the bank", id="unknown-question"),
    ],
)
def test_invalid_weight_overrides_are_refused(weights, message):
    with pytest.raises(InvalidWeight, match=message):
        assess([], BANK, weights_override=weights)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"weight": -1}, r"weight must be >= 0 \(got -1\)", id="negative-weight"),
        pytest.param({"weight": math.inf}, "finite", id="infinite-weight"),
        pytest.param({"source": " "}, "source must be a non-empty string", id="empty-source"),
        pytest.param({"text": ""}, "text must be a non-empty string", id="empty-text"),
        pytest.param({"group": "reasons"}, "unknown group 'reasons'", id="unknown-group"),
        pytest.param({"scale": "stars"}, "unknown scale 'stars'", id="unknown-scale"),
        pytest.param({"id": "Too Complex"}, "id must be a slug", id="bad-id"),
        pytest.param({"scale": "text"}, "only allowed in group 'framing'", id="text-not-framing"),
        pytest.param({"polarity": "negative"}, "'negative' is not allowed", id="negative-for"),
    ],
)
def test_invalid_questions_are_refused(changes, message):
    fields = {
        "id": "too_complex_to_code",
        "text": "Too complex.",
        "group": "reasons_for",
        "scale": "agreement",
        "weight": 1,
        "source": SOURCE,
        **changes,
    }

    with pytest.raises(InvalidQuestion, match=message):
        Question(**fields)


def test_question_strings_become_enums_and_weights_floats():
    question = Question(id="x", text="X.", group="impact", scale="yes_no", weight=2, source=SOURCE)

    assert (question.group, question.scale, question.weight) == (Group.IMPACT, Scale.YES_NO, 2.0)
    assert question.polarity is Polarity.POSITIVE


def test_verdict_labels():
    assert [verdict.label for verdict in Verdict] == [
        "ML fits",
        "ML fits with conditions",
        "Try a simpler non-ML solution first",
        "Not a fit",
    ]


# --- Properties ---------------------------------------------------------------------------------

_SCORED = [q for q in BANK if q.scale is not Scale.TEXT]


def _answer(question: Question):
    if question.scale is Scale.YES_NO:
        return st.one_of(st.none(), st.booleans())
    return st.one_of(st.none(), st.integers(1, 5))


_rater_answers = st.fixed_dictionaries({q.id: _answer(q) for q in _SCORED})
_weights = st.dictionaries(
    st.sampled_from([q.id for q in _SCORED]),
    st.floats(min_value=0, max_value=10, allow_nan=False, allow_infinity=False),
)
_roles = st.sampled_from(["sponsor", "PM", "ML engineer", "subject-matter expert"])


@st.composite
def _raised_answer(draw, group_ids):
    """Several raters' answers, and the same with one rater's answer to one question raised."""
    answer_sets = draw(st.lists(_rater_answers, min_size=1, max_size=4))
    roles = draw(st.lists(_roles, min_size=len(answer_sets), max_size=len(answer_sets)))
    rater = draw(st.integers(0, len(answer_sets) - 1))
    question_id = draw(st.sampled_from(group_ids))
    low = draw(st.integers(1, 4))
    high = draw(st.integers(low + 1, 5))

    def ratings(value):
        return [
            Rating(f"rater {i}", role, {**answers, question_id: value} if i == rater else answers)
            for i, (answers, role) in enumerate(zip(answer_sets, roles, strict=True))
        ]

    return ratings(low), ratings(high)


@settings(max_examples=300, database=None)
@given(pair=_raised_answer(FIT_IDS), weights=_weights)
def test_raising_a_reason_for_ml_never_lowers_the_fit_score(pair, weights):
    lower, higher = pair
    before = assess(lower, BANK, weights).fit_score
    after = assess(higher, BANK, weights).fit_score

    if before is None:
        assert after is None
    else:
        assert after >= before


@settings(max_examples=300, database=None)
@given(pair=_raised_answer(AGAINST_IDS), weights=_weights)
def test_raising_a_reason_against_ml_never_raises_the_fit_score(pair, weights):
    lower, higher = pair
    before = assess(lower, BANK, weights).fit_score
    after = assess(higher, BANK, weights).fit_score

    if before is None:
        assert after is None
    else:
        assert after <= before


@settings(max_examples=200, database=None)
@given(answer_sets=st.lists(_rater_answers, max_size=3), weights=_weights)
def test_scores_stay_in_range_and_drivers_add_up(answer_sets, weights):
    ratings = [Rating(f"rater {i}", "PM", answers) for i, answers in enumerate(answer_sets)]

    result = assess(ratings, BANK, weights)

    for value, drivers in (
        (result.fit_score, result.drivers),
        (result.impact_score, result.impact_drivers),
        (result.feasibility_score, result.feasibility_drivers),
    ):
        if value is None:
            assert drivers == ()
        else:
            assert 0.0 <= value <= 100.0
            assert value == pytest.approx(50 + sum(d.contribution for d in drivers), abs=1e-5)
    assert result.verdict in Verdict
    assert result.insufficient_answers is (result.answered_share < 0.5)
