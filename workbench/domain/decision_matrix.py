"""Weighted decision matrix for culling candidate approaches before the Go/No-Go.

Wilson (*Machine Learning Engineering in Action*, ch. 3.1.4) recommends "experimentation culling":
prototype the candidate approaches cheaply as a team, then pick the one to turn into the MVP. The
matrix scores each candidate 1–5 on four criteria:

====================================  ===============  =====================================
criterion                             better when      utility of a score ``s`` (0 to 1)
====================================  ===============  =====================================
prediction quality                    higher           ``(s - 1) / 4``
maintainability                       higher           ``(s - 1) / 4``
implementation complexity             lower            ``(5 - s) / 4``
cost to run                           lower            ``(5 - s) / 4``
====================================  ===============  =====================================

The weighted total is ``100 × Σ weight·utility / Σ weight``: 100 for a candidate with the best
possible score on every weighted criterion, 0 for the worst, independent of the other candidates.
Totals are computed exactly (rational arithmetic), so ties are real ties, not rounding accidents.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from math import isfinite
from types import MappingProxyType

__all__ = [
    "DEFAULT_WEIGHTS",
    "LOWER_IS_BETTER",
    "MAX_SCORE",
    "MIN_SCORE",
    "Candidate",
    "Criterion",
    "InvalidCandidates",
    "InvalidScore",
    "InvalidWeights",
    "MatrixResult",
    "RankedCandidate",
    "rank_candidates",
]

MIN_SCORE = 1
MAX_SCORE = 5


class Criterion(StrEnum):
    """What candidates are scored on."""

    PREDICTION_QUALITY = "prediction_quality"
    MAINTAINABILITY = "maintainability"
    IMPLEMENTATION_COMPLEXITY = "implementation_complexity"
    COST_TO_RUN = "cost_to_run"


LOWER_IS_BETTER: frozenset[Criterion] = frozenset(
    {Criterion.IMPLEMENTATION_COMPLEXITY, Criterion.COST_TO_RUN}
)
"""Criteria where a low score is good; their scores are inverted before weighting."""

DEFAULT_WEIGHTS: Mapping[Criterion, float] = MappingProxyType(
    {criterion: 1.0 for criterion in Criterion}
)
"""Equal weights, the starting point a team edits (read-only: copy it with ``dict(...)``)."""


class InvalidScore(ValueError):
    """A score is missing, not a whole number, or outside 1–5."""


class InvalidWeights(ValueError):
    """Weights are missing, negative, not finite, or all zero."""


class InvalidCandidates(ValueError):
    """Candidate names are blank or repeated."""


@dataclass(frozen=True)
class Candidate:
    """A candidate approach and its 1–5 score per criterion (raw, as the team entered them)."""

    name: str
    scores: Mapping[Criterion, int]


@dataclass(frozen=True)
class RankedCandidate:
    """A candidate's place in the ranking.

    Attributes:
        name: the candidate's name.
        rank: 1 for the best; tied candidates share a rank and the next rank is skipped
            (1, 1, 3).
        total: weighted total, 0–100.
        points: each criterion's share of ``total`` (they sum to ``total``, up to rounding).
        tied: True if another candidate has exactly the same total.
    """

    name: str
    rank: int
    total: float
    points: Mapping[Criterion, float]
    tied: bool


@dataclass(frozen=True)
class MatrixResult:
    """The ranking, best first, and the groups of candidate names that tie."""

    ranking: tuple[RankedCandidate, ...]
    ties: tuple[tuple[str, ...], ...]

    @property
    def leaders(self) -> tuple[str, ...]:
        """Names sharing rank 1 (one name unless the top is tied; empty without candidates)."""
        return tuple(r.name for r in self.ranking if r.rank == 1)


def _criterion(key: object, error: type[ValueError], what: str) -> Criterion:
    try:
        return Criterion(key)
    except ValueError:
        known = ", ".join(c.value for c in Criterion)
        raise error(f"unknown criterion {key!r} in {what}; expected one of: {known}") from None


def _validated_weights(weights: Mapping[Criterion, float]) -> dict[Criterion, Fraction]:
    result: dict[Criterion, Fraction] = {}
    for key, weight in weights.items():
        criterion = _criterion(key, InvalidWeights, "weights")
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise InvalidWeights(f"weight for {criterion.value} must be a number, got {weight!r}")
        if not isfinite(weight) or weight < 0:
            raise InvalidWeights(f"weight for {criterion.value} must be >= 0, got {weight!r}")
        result[criterion] = Fraction(weight)
    missing = [c.value for c in Criterion if c not in result]
    if missing:
        raise InvalidWeights(f"weights missing for: {', '.join(missing)}")
    if not any(result.values()):
        raise InvalidWeights("at least one weight must be above zero")
    return result


def _validated_scores(candidate: Candidate) -> dict[Criterion, int]:
    result: dict[Criterion, int] = {}
    for key, score in candidate.scores.items():
        criterion = _criterion(key, InvalidScore, f"the scores of {candidate.name!r}")
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidScore(
                f"{candidate.name!r}: score for {criterion.value} must be a whole number "
                f"{MIN_SCORE}–{MAX_SCORE}, got {score!r}"
            )
        if not MIN_SCORE <= score <= MAX_SCORE:
            raise InvalidScore(
                f"{candidate.name!r}: score for {criterion.value} must be between "
                f"{MIN_SCORE} and {MAX_SCORE}, got {score}"
            )
        result[criterion] = score
    missing = [c.value for c in Criterion if c not in result]
    if missing:
        raise InvalidScore(f"{candidate.name!r}: no score for {', '.join(missing)}")
    return result


def _utility(criterion: Criterion, score: int) -> Fraction:
    span = MAX_SCORE - MIN_SCORE
    if criterion in LOWER_IS_BETTER:
        return Fraction(MAX_SCORE - score, span)
    return Fraction(score - MIN_SCORE, span)


def rank_candidates(
    candidates: Iterable[Candidate],
    weights: Mapping[Criterion, float] = DEFAULT_WEIGHTS,
) -> MatrixResult:
    """Rank candidate approaches by their weighted, normalised total.

    Args:
        candidates: the approaches with a 1–5 score for each of the four criteria (raw scores:
            for complexity and cost a 1 means simple/cheap, which is good).
        weights: one weight per criterion, each ≥ 0 and finite, not all zero. Only the ratios
            matter.

    Returns:
        The ranking, best first (ties keep the input order), with competition ranks (1, 1, 3),
        and the tie groups.

    Raises:
        InvalidScore: a score is missing, not an integer, or outside 1–5.
        InvalidWeights: a weight is missing, negative, not finite, or all are zero.
        InvalidCandidates: a name is blank or used twice.

    Example:
        With equal weights, a candidate scored quality 5, maintainability 3, complexity 2,
        cost 1 has utilities 1, 0.5, 0.75, 1, so its total is 100 × 3.25 / 4 = 81.25.
    """
    weight_of = _validated_weights(weights)
    weight_sum = sum(weight_of.values())
    scored: list[tuple[str, Fraction, dict[Criterion, Fraction]]] = []
    seen: set[str] = set()
    for candidate in candidates:
        if not candidate.name or not candidate.name.strip():
            raise InvalidCandidates("every candidate needs a name")
        if candidate.name in seen:
            raise InvalidCandidates(f"candidate {candidate.name!r} is listed twice")
        seen.add(candidate.name)
        scores = _validated_scores(candidate)
        points = {c: 100 * weight_of[c] * _utility(c, scores[c]) / weight_sum for c in Criterion}
        scored.append((candidate.name, sum(points.values(), Fraction(0)), points))

    scored.sort(key=lambda entry: entry[1], reverse=True)
    groups: dict[Fraction, list[str]] = {}
    for name, total, _ in scored:
        groups.setdefault(total, []).append(name)

    ranking: list[RankedCandidate] = []
    for position, (name, total, points) in enumerate(scored, start=1):
        group = groups[total]
        first_position = position - group.index(name)
        ranking.append(
            RankedCandidate(
                name=name,
                rank=first_position,
                total=float(total),
                points={c: float(p) for c, p in points.items()},
                tied=len(group) > 1,
            )
        )
    ties = tuple(tuple(group) for group in groups.values() if len(group) > 1)
    return MatrixResult(ranking=tuple(ranking), ties=ties)
