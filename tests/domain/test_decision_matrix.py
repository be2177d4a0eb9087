"""Weighted decision matrix: totals worked by hand from the utilities in the module docstring.

Utility of a score s: (s - 1) / 4 for quality and maintainability; (5 - s) / 4 for complexity and
cost. Total = 100 × Σ weight·utility / Σ weight.
"""

import math

import pytest

from workbench.domain.decision_matrix import (
    DEFAULT_WEIGHTS,
    Candidate,
    Criterion,
    InvalidCandidates,
    InvalidScore,
    InvalidWeights,
    rank_candidates,
)

Q, M, C, K = (
    Criterion.PREDICTION_QUALITY,
    Criterion.MAINTAINABILITY,
    Criterion.IMPLEMENTATION_COMPLEXITY,
    Criterion.COST_TO_RUN,
)


def scores(q, m, c, k):
    return {Q: q, M: m, C: c, K: k}


def weights(q, m, c, k):
    return {Q: q, M: m, C: c, K: k}


# A: 1, 0.5, 0.75, 1 -> 3.25 / 4 = 81.25 with equal weights
A = Candidate("gradient boosting", scores(5, 3, 2, 1))
# B: 0.75, 0.75, 0.5, 0.5 -> 2.5 / 4 = 62.5
B = Candidate("ALS recommender", scores(4, 4, 3, 3))
# C: 0.5, 1, 1, 0.75 -> 3.25 / 4 = 81.25 (ties with A)
C_ = Candidate("rules + logistic regression", scores(3, 5, 1, 2))


@pytest.mark.parametrize(
    ("candidate", "weight", "total"),
    [
        pytest.param(A, DEFAULT_WEIGHTS, 81.25, id="A-equal"),
        pytest.param(B, DEFAULT_WEIGHTS, 62.5, id="B-equal"),
        pytest.param(Candidate("best", scores(5, 5, 1, 1)), DEFAULT_WEIGHTS, 100.0, id="best"),
        pytest.param(Candidate("worst", scores(1, 1, 5, 5)), DEFAULT_WEIGHTS, 0.0, id="worst"),
        pytest.param(Candidate("mid", scores(3, 3, 3, 3)), DEFAULT_WEIGHTS, 50.0, id="middle"),
        # (3·1 + 1·0.5) / 4 = 0.875
        pytest.param(A, weights(3, 1, 0, 0), 87.5, id="A-quality-heavy"),
        # (3·0.5 + 1·1) / 4 = 0.625
        pytest.param(C_, weights(3, 1, 0, 0), 62.5, id="C-quality-heavy"),
        # complexity only: score 1 is best, 5 worst, 2 -> 0.75
        pytest.param(Candidate("simple", scores(1, 1, 1, 5)), weights(0, 0, 1, 0), 100.0, id="c1"),
        pytest.param(Candidate("hard", scores(5, 5, 5, 1)), weights(0, 0, 1, 0), 0.0, id="c5"),
        pytest.param(Candidate("easy", scores(1, 1, 2, 5)), weights(0, 0, 1, 0), 75.0, id="c2"),
        # cost only, inverted: 4 -> 0.25
        pytest.param(Candidate("dear", scores(5, 5, 1, 4)), weights(0, 0, 0, 2.5), 25.0, id="k4"),
    ],
)
def test_weighted_total(candidate, weight, total):
    (ranked,) = rank_candidates([candidate], weight).ranking
    assert ranked.total == pytest.approx(total)
    assert sum(ranked.points.values()) == pytest.approx(total)


def test_points_per_criterion():
    (ranked,) = rank_candidates([A]).ranking
    assert ranked.points == pytest.approx({Q: 25.0, M: 12.5, C: 18.75, K: 25.0})


def test_ranking_with_a_tie_at_the_top():
    result = rank_candidates([B, A, C_])
    assert [(r.name, r.rank, r.tied) for r in result.ranking] == [
        ("gradient boosting", 1, True),
        ("rules + logistic regression", 1, True),
        ("ALS recommender", 3, False),
    ]
    assert [r.total for r in result.ranking] == pytest.approx([81.25, 81.25, 62.5])
    assert result.ties == (("gradient boosting", "rules + logistic regression"),)
    assert result.leaders == ("gradient boosting", "rules + logistic regression")


def test_ranking_without_ties():
    result = rank_candidates([C_, B, A], weights(3, 1, 0, 0))
    # A 87.5, B (3·0.75 + 0.75) / 4 = 75, C 62.5
    assert [(r.name, r.rank) for r in result.ranking] == [
        ("gradient boosting", 1),
        ("ALS recommender", 2),
        ("rules + logistic regression", 3),
    ]
    assert result.ties == ()
    assert result.leaders == ("gradient boosting",)


def test_tie_below_the_top_shares_a_rank_and_skips_the_next():
    top = Candidate("top", scores(5, 5, 1, 1))
    low = Candidate("low", scores(1, 1, 5, 5))
    result = rank_candidates([low, A, top, C_])
    assert [(r.name, r.rank) for r in result.ranking] == [
        ("top", 1),
        ("gradient boosting", 2),
        ("rules + logistic regression", 2),
        ("low", 4),
    ]


def test_ranking_and_ties_with_fractional_weights():
    # Weights 0.1 (quality) and 0.7 (maintainability), sum 0.8; complexity and cost weigh 0.
    d = Candidate("d", scores(5, 1, 5, 5))  # 0.1·1 + 0.7·0 = 0.1 -> 12.5
    e = Candidate("e", scores(1, 5, 5, 5))  # 0.7·1 = 0.7 -> 87.5
    f = Candidate("f", scores(5, 5, 5, 5))  # 0.8 -> 100
    g = Candidate("g", scores(1, 1, 5, 5))  # 0 -> 0
    h = Candidate("h", scores(4, 5, 5, 5))  # 0.1·0.75 + 0.7 = 0.775 -> 96.875
    i = Candidate("i", scores(5, 4, 5, 5))  # 0.1 + 0.7·0.75 = 0.625 -> 78.125
    j = Candidate("j", scores(5, 4, 5, 5))  # same as i
    result = rank_candidates([d, e, f, g, h, i, j], weights(0.1, 0.7, 0, 0))
    assert [(r.name, r.rank) for r in result.ranking] == [
        ("f", 1),
        ("h", 2),
        ("e", 3),
        ("i", 4),
        ("j", 4),
        ("d", 6),
        ("g", 7),
    ]
    assert [r.total for r in result.ranking] == pytest.approx(
        [100.0, 96.875, 87.5, 78.125, 78.125, 12.5, 0.0]
    )
    assert result.ties == (("i", "j"),)


def test_text_keys_are_accepted():
    candidate = Candidate(
        "text keys",
        {"prediction_quality": 5, "maintainability": 3, "implementation_complexity": 2,
         "cost_to_run": 1},
    )  # fmt: skip
    (ranked,) = rank_candidates([candidate], {c.value: 1 for c in Criterion}).ranking
    assert ranked.total == pytest.approx(81.25)


def test_no_candidates_gives_an_empty_ranking():
    result = rank_candidates([])
    assert result.ranking == ()
    assert result.ties == ()
    assert result.leaders == ()


@pytest.mark.parametrize(
    ("bad_scores", "message"),
    [
        pytest.param(scores(0, 3, 3, 3), "between 1 and 5, got 0", id="zero"),
        pytest.param(scores(3, 6, 3, 3), "between 1 and 5, got 6", id="six"),
        pytest.param(scores(3, 3, 3.5, 3), "whole number", id="fraction"),
        pytest.param(scores(3, 3, 3, "3"), "whole number", id="text"),
        pytest.param(scores(True, 3, 3, 3), "whole number", id="bool"),
        pytest.param(scores(None, 3, 3, 3), "whole number", id="none"),
        pytest.param({Q: 3, M: 3, C: 3}, "no score for cost_to_run", id="missing"),
        pytest.param(scores(3, 3, 3, 3) | {"elegance": 5}, "unknown criterion", id="unknown"),
    ],
)
def test_invalid_score(bad_scores, message):
    with pytest.raises(InvalidScore, match=message) as caught:
        rank_candidates([A, Candidate("shaky", bad_scores)])
    assert "shaky" in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("bad_weights", "message"),
    [
        pytest.param(weights(1, -0.5, 1, 1), ">= 0", id="negative"),
        pytest.param(weights(0, 0, 0, 0), "above zero", id="all-zero"),
        pytest.param(weights(1, math.nan, 1, 1), ">= 0", id="nan"),
        pytest.param(weights(1, math.inf, 1, 1), ">= 0", id="inf"),
        pytest.param(weights(1, "2", 1, 1), "number", id="text"),
        pytest.param({Q: 1, M: 1, C: 1}, "missing", id="missing"),
        pytest.param(weights(1, 1, 1, 1) | {"elegance": 1}, "unknown criterion", id="unknown"),
    ],
)
def test_invalid_weights(bad_weights, message):
    with pytest.raises(InvalidWeights, match=message):
        rank_candidates([A], bad_weights)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        pytest.param(["same", "same"], "twice", id="repeated"),
        pytest.param(["", "other"], "name", id="blank"),
    ],
)
def test_invalid_candidates(names, message):
    with pytest.raises(InvalidCandidates, match=message):
        rank_candidates([Candidate(name, scores(3, 3, 3, 3)) for name in names])
