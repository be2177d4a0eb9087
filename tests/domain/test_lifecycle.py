"""Lifecycle rules: one phase forward at a time, notes for moving back or with open items."""

from datetime import date

import pytest

from workbench.domain.lifecycle import (
    GateItem,
    InvalidPhaseMove,
    Phase,
    PhaseGate,
    is_delivery_date_acceptable,
    move_targets,
    next_phase,
    open_gate_items,
    plan_phase_move,
)
from workbench.reference.gates import InvalidLifecycleFile, load_gates

GATES = {
    phase: PhaseGate(
        phase=phase,
        goal="",
        items=(GateItem("a", "first"), GateItem("b", "second")),
        source="test",
    )
    for phase in Phase
}


@pytest.mark.parametrize(
    ("current", "target", "done", "note", "open_texts"),
    [
        pytest.param(Phase.PLANNING, Phase.SCOPING, {"a", "b"}, "", (), id="forward-all-done"),
        pytest.param(
            Phase.PLANNING, Phase.SCOPING, {"a"}, "sponsor agreed", ("second",), id="forward-open"
        ),
        pytest.param(
            Phase.EXPERIMENTATION, Phase.PLANNING, set(), "No-Go", (), id="back-two-phases"
        ),
        pytest.param(Phase.DEPLOYMENT, Phase.EVALUATION, {"a", "b"}, "", (), id="last-step"),
    ],
)
def test_allowed_moves(current, target, done, note, open_texts):
    move = plan_phase_move(current=current, target=target, gates=GATES, done_keys=done, note=note)
    assert move.to_phase == target
    assert tuple(item.text for item in move.open_items) == open_texts


@pytest.mark.parametrize(
    ("current", "target", "done", "note", "message"),
    [
        pytest.param(Phase.PLANNING, Phase.PLANNING, set(), "x", "already", id="same-phase"),
        pytest.param(
            Phase.PLANNING, Phase.EXPERIMENTATION, {"a", "b"}, "x", "one phase", id="skip"
        ),
        pytest.param(Phase.SCOPING, Phase.PLANNING, set(), "  ", "why", id="back-without-note"),
        pytest.param(Phase.PLANNING, Phase.SCOPING, {"a"}, "", "still open", id="open-no-note"),
    ],
)
def test_refused_moves(current, target, done, note, message):
    with pytest.raises(InvalidPhaseMove, match=message):
        plan_phase_move(current=current, target=target, gates=GATES, done_keys=done, note=note)


def test_open_items_keep_checklist_order():
    gate = PhaseGate(
        Phase.PLANNING, "", (GateItem("x", "1"), GateItem("y", "2"), GateItem("z", "3")), ""
    )
    assert [item.key for item in open_gate_items(gate, {"y"})] == ["x", "z"]


def test_next_phase_walks_the_six_phases_in_order():
    walked, phase = [Phase.PLANNING], Phase.PLANNING
    while (phase := next_phase(phase)) is not None:
        walked.append(phase)
    assert [p.value for p in walked] == [
        "planning",
        "scoping",
        "experimentation",
        "development",
        "deployment",
        "evaluation",
    ]


@pytest.mark.parametrize(
    ("delivery", "ok"),
    [
        pytest.param(None, True, id="none"),
        pytest.param(date(2026, 11, 21), False, id="yesterday"),
        pytest.param(date(2026, 11, 22), True, id="today"),
        pytest.param(date(2027, 1, 1), True, id="future"),
    ],
)
def test_delivery_date_must_not_be_past(delivery, ok):
    assert is_delivery_date_acceptable(delivery, date(2026, 11, 22)) is ok


def test_shipped_lifecycle_file_has_every_phase_with_items():
    gates = load_gates()
    assert set(gates) == set(Phase)
    assert all(gate.items and gate.source for gate in gates.values())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param('[[phase]]\nphase = "nope"\n', "unknown phase 'nope'", id="unknown-phase"),
        pytest.param(
            '[[phase]]\nphase = "planning"\nitems = [{key="a", text="x"}, {key="a", text="y"}]\n',
            "item key 'a' appears twice",
            id="duplicate-key",
        ),
        pytest.param('[[phase]]\nphase = "planning"\n', "phases missing", id="missing-phases"),
    ],
)
def test_bad_lifecycle_file_names_file_and_problem(tmp_path, content, message):
    path = tmp_path / "lifecycle.toml"
    path.write_text(content)
    with pytest.raises(InvalidLifecycleFile) as error:
        load_gates(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "phase, targets",
    [
        (Phase.PLANNING, [Phase.SCOPING]),
        (Phase.EXPERIMENTATION, [Phase.PLANNING, Phase.SCOPING, Phase.DEVELOPMENT]),
        (
            Phase.EVALUATION,
            [
                Phase.PLANNING,
                Phase.SCOPING,
                Phase.EXPERIMENTATION,
                Phase.DEVELOPMENT,
                Phase.DEPLOYMENT,
            ],
        ),
    ],
    ids=["first", "middle", "last"],
)
def test_a_project_moves_back_anywhere_or_on_by_one(phase, targets):
    assert move_targets(phase) == targets
