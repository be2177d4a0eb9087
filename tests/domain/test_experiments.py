"""The rules of experiments as tables: names, status moves, the decision a box forces, Go/No-Go.

Calendar (read off a printed calendar): Monday 2026-11-23 … Friday 2026-11-27, Saturday 28,
Monday 2026-11-30, Tuesday 2026-12-01. A 2 + 2 box from Monday 23: research Mon–Tue, prototype
Wed–Thu (ends Thursday 26).
"""

from datetime import date

import pytest

from workbench.domain.experiments import (
    STATUS_MOVES,
    Candidate,
    ExperimentStatus,
    approach_key,
    decision_problems,
    duplicate_approach_problems,
    go_no_go_move,
    go_no_go_problems,
    review_problems,
    status_move_problems,
)
from workbench.domain.lifecycle import Phase
from workbench.domain.timebox import Decision, TimeBox

D = date
BOX = TimeBox(start=D(2026, 11, 23), research_days=2, prototype_days=2)
ANSWERS = ["Boosting", "Deep models", "Yes", "Yes"]
P, R, T, X = (
    ExperimentStatus.PROPOSED,
    ExperimentStatus.RESEARCHING,
    ExperimentStatus.PROTOTYPING,
    ExperimentStatus.DECIDED,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Isolation forest", "isolation forest"),
        ("  Isolation   FOREST ", "isolation forest"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_approach_key(name, key):
    assert approach_key(name) == key


@pytest.mark.parametrize(
    ("name", "others", "refused"),
    [
        ("Isolation forest", ["Autoencoder"], False),
        ("isolation forest ", ["Isolation forest"], True),
        ("Isolation  Forest", ["Autoencoder", "ISOLATION FOREST"], True),
        ("Isolation forest 2", ["Isolation forest"], False),
        ("", ["Isolation forest"], False),  # a blank name is refused elsewhere, as required
    ],
)
def test_duplicate_names(name, others, refused):
    problems = duplicate_approach_problems(name, others)
    assert bool(problems) is refused
    if refused:
        assert "already has an experiment named" in problems["approach"]


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (P, P, True),
        (P, R, True),
        (P, T, True),
        (R, T, True),
        (R, P, False),
        (T, R, False),
        (T, P, False),
        (P, X, False),
        (R, X, False),
        (X, R, False),
    ],
)
def test_status_moves(current, target, allowed):
    assert (status_move_problems(current, target) == {}) is allowed
    assert X not in set().union(*STATUS_MOVES.values())


@pytest.mark.parametrize(
    ("decision", "reason", "new_end", "today", "answers", "decided", "fields"),
    [
        pytest.param(Decision.CULL, "Too slow", None, D(2026, 11, 23), None, None, set(), id="ok"),
        pytest.param(Decision.CULL, " ", None, D(2026, 11, 23), None, None, {"reason"}, id="why"),
        pytest.param(
            Decision.EXTEND, "More data", None, D(2026, 11, 23), None, None, {"new_end"}, id="end"
        ),
        pytest.param(
            Decision.EXTEND, "More", D(2026, 11, 26), D(2026, 11, 23), None, None, {"new_end"},
            id="end-not-later",
        ),
        pytest.param(
            Decision.EXTEND, "More", D(2026, 11, 28), D(2026, 11, 23), None, None, {"new_end"},
            id="end-on-saturday",
        ),
        pytest.param(
            Decision.EXTEND, "More", D(2026, 11, 30), D(2026, 11, 23), None, None, set(),
            id="extend-ok",
        ),
        pytest.param(
            Decision.SELECT, "Best", None, D(2026, 11, 24), None, None, {"review_answers"},
            id="review-due-on-research-end",
        ),
        pytest.param(
            Decision.SELECT, "Best", None, D(2026, 11, 24), ANSWERS, None, set(), id="reviewed"
        ),
        pytest.param(
            Decision.PARK, "Later", None, D(2026, 11, 23), ["A", "", "C", ""], None,
            {"review_answers[2]", "review_answers[4]"}, id="review-gaps",
        ),
        pytest.param(
            Decision.CULL, "Again", None, D(2026, 11, 23), None, "cull by Ann", {"decision"},
            id="decided-twice",
        ),
    ],
)  # fmt: skip
def test_decision_rules(decision, reason, new_end, today, answers, decided, fields):
    problems = decision_problems(
        decision=decision,
        reason=reason,
        new_end=new_end,
        box=BOX,
        today=today,
        review_done=False,
        review_answers=answers,
        decided=decided,
    )
    assert set(problems) == fields


def test_a_stored_review_is_not_asked_again():
    problems = decision_problems(
        decision=Decision.CULL,
        reason="Too slow",
        new_end=None,
        box=BOX,
        today=D(2026, 11, 30),
        review_done=True,
        review_answers=None,
    )
    assert problems == {}


def test_review_answers_are_all_required():
    assert review_problems(ANSWERS) == {}
    assert set(review_problems(["A"])) == {f"review_answers[{i}]" for i in (2, 3, 4)}


RULE, FOREST, AE = (
    Candidate(1, "Tuned rule"),
    Candidate(2, "Isolation forest"),
    Candidate(3, "Autoencoder", Decision.CULL),
)


@pytest.mark.parametrize(
    ("go", "reasons", "selected", "candidates", "fields", "words"),
    [
        pytest.param(True, "Best", 2, [FOREST, AE], set(), "", id="go-ok"),
        pytest.param(False, "None is good", None, [RULE, FOREST], set(), "", id="no-go-ok"),
        pytest.param(False, "", None, [RULE], {"reasons"}, "", id="no-reasons"),
        pytest.param(True, "Best", None, [FOREST], {"selected_experiment_id"}, "Choose", id="none"),
        pytest.param(
            True, "Best", 2, [RULE, FOREST, AE], {"selected_experiment_id"}, "'Tuned rule'",
            id="others-open",
        ),
        pytest.param(
            True, "Best", 3, [FOREST, AE], {"selected_experiment_id"}, "culled", id="culled"
        ),
        pytest.param(
            True, "Best", 9, [FOREST], {"selected_experiment_id"}, "not on this", id="elsewhere"
        ),
    ],
)  # fmt: skip
def test_go_no_go_rules(go, reasons, selected, candidates, fields, words):
    problems = go_no_go_problems(
        go=go, reasons=reasons, selected_id=selected, candidates=candidates
    )
    assert set(problems) == fields
    assert words in " ".join(problems.values())


@pytest.mark.parametrize(
    ("go", "before", "target"),
    [
        (True, Phase.EXPERIMENTATION, Phase.DEVELOPMENT),
        (True, Phase.SCOPING, None),
        (True, Phase.DEVELOPMENT, None),
        (False, Phase.EXPERIMENTATION, Phase.SCOPING),
        (False, Phase.DEVELOPMENT, Phase.SCOPING),
        (False, Phase.PLANNING, None),
    ],
)
def test_where_a_go_no_go_sends_the_project(go, before, target):
    move = go_no_go_move(go=go, phase_before=before, approach="Forest", reasons="Because")
    assert move.target == target
    if target is None:
        assert move.note == ""
        assert before.label in move.message
    else:
        assert "Because" in move.note
        assert f"moved from {before.label} to {target.label}" in move.message
