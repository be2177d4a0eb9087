"""Experiments, time-box decisions, Go/No-Go and the parking lot against SQLite and PostgreSQL.

Calendar used below (read off a printed calendar): Monday 2026-11-23 … Friday 2026-11-27,
Monday 2026-11-30, Tuesday 2026-12-01, Wednesday 2026-12-02.
A box of 2 research + 2 prototype working days starting Monday 23 ends Thursday 26.
"""

from datetime import date, timedelta

import pytest

from workbench import clock
from workbench.domain.lifecycle import Phase
from workbench.errors import InvalidInput, StaleEditError
from workbench.services import experiments as svc
from workbench.services import parking_lot as lot
from workbench.services import projects as project_service
from workbench.services.experiments import go_no_go
from workbench.services.registers import list_parking_lot

MON = date(2026, 11, 23)
TUE, WED, THU, FRI = (date(2026, 11, d) for d in (24, 25, 26, 27))
NEXT_MON, NEXT_TUE = date(2026, 11, 30), date(2026, 12, 1)
QUESTIONS = svc.RESEARCH_REVIEW_QUESTIONS
REVIEW = ["Gradient boosting", "Deep sequence models", "Yes", "Yes, with the trip table"]


def make_project(engine, name="Ride-time anomalies", phase=Phase.PLANNING):
    project = project_service.create_project(
        engine,
        data={"name": name, "baseline": "Rides longer than 3x the median"},
        actor="Ann",
        today=MON,
    )
    for target in list(Phase)[1 : phase.index + 1]:
        current = project_service.get_project(engine, project.id).project
        project_service.move_phase(
            engine,
            project_id=project.id,
            expected_version=current.version,
            target=target,
            actor="Ann",
            note="seeding",
        )
    return project_service.get_project(engine, project.id).project


def experiment_data(approach="Isolation forest", **extra):
    return {
        "approach": approach,
        "hypothesis": "Unusual rides are isolated quickly",
        "owner": "Tomás",
        "success_criterion": "Precision on the top 200 beats the 3x-median rule by 10 points",
        "start_date": MON,
        "research_days": 2,
        "prototype_days": 2,
        **extra,
    }


def add(engine, project, approach="Isolation forest", **extra):
    return svc.create_experiment(
        engine, project_id=project.id, data=experiment_data(approach, **extra), actor="Ann"
    )


def view(engine, project, experiment_id, today):
    return next(
        v
        for v in svc.list_experiments(engine, project.id, today)
        if v.experiment.id == experiment_id
    )


def actions(engine, project):
    return [entry.action for entry in project_service.list_activity(engine, project.id)]


# --- create and validate ------------------------------------------------------------------


def test_new_experiment_is_stored_proposed_and_logged(engine):
    project = make_project(engine)
    created = add(engine, project)
    [stored] = svc.list_experiments(engine, project.id, MON)
    assert stored.experiment.id == created.id
    assert stored.experiment.status == svc.ExperimentStatus.PROPOSED
    assert (stored.time_box.research_end, stored.time_box.overall_end) == (TUE, THU)
    assert stored.time_box.burn_percent == pytest.approx(25.0)
    assert actions(engine, project)[0] == "experiment added"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"approach": "  "}, "approach", id="blank-approach"),
        pytest.param({"success_criterion": ""}, "success_criterion", id="no-success-criterion"),
        pytest.param({"research_days": 0}, "research_days", id="zero-day-research"),
        pytest.param({"prototype_days": 500}, "prototype_days", id="year-long-prototype"),
        pytest.param({"start_date": None}, "start_date", id="no-start"),
        pytest.param({"research_days": "two"}, "research_days", id="days-not-a-number"),
    ],
)
def test_bad_experiment_is_refused_and_nothing_stored(engine, change, field):
    project = make_project(engine)
    with pytest.raises(InvalidInput) as error:
        svc.create_experiment(
            engine, project_id=project.id, data=experiment_data(**change), actor="Ann"
        )
    assert field in error.value.errors
    assert svc.list_experiments(engine, project.id, MON) == []


def test_zero_day_box_message_says_why(engine):
    project = make_project(engine)
    with pytest.raises(InvalidInput) as error:
        add(engine, project, research_days=0)
    assert "at least one working day" in error.value.errors["research_days"]


def test_stale_edit_is_refused_and_the_newer_value_kept(engine):
    project = make_project(engine)
    created = add(engine, project)
    svc.update_experiment(
        engine,
        experiment_id=created.id,
        expected_version=created.version,
        data=experiment_data(owner="Mei"),
        actor="Ann",
    )
    with pytest.raises(StaleEditError) as error:
        svc.update_experiment(
            engine,
            experiment_id=created.id,
            expected_version=created.version,
            data=experiment_data(owner="Sam"),
            actor="Bo",
        )
    assert error.value.conflicts["owner"] == ("Sam", "Mei")
    assert view(engine, project, created.id, MON).experiment.owner == "Mei"
    assert actions(engine, project).count("experiment edited") == 1


def test_status_moves_forward_only_and_decided_needs_a_decision(engine):
    project = make_project(engine)
    created = add(engine, project)
    moved = svc.set_status(
        engine,
        experiment_id=created.id,
        expected_version=created.version,
        status="researching",
        actor="Ann",
    )
    assert moved.status == svc.ExperimentStatus.RESEARCHING
    for target in ("proposed", "decided"):
        with pytest.raises(InvalidInput) as error:
            svc.set_status(
                engine,
                experiment_id=created.id,
                expected_version=moved.version,
                status=target,
                actor="Ann",
            )
        assert "status" in error.value.errors


# --- time log and results -----------------------------------------------------------------


def test_time_is_logged_and_summed(engine):
    project = make_project(engine)
    created = add(engine, project)
    svc.log_time(engine, experiment_id=created.id, day=MON, hours=3.5, actor="Ann", today=TUE)
    svc.log_time(
        engine, experiment_id=created.id, day=TUE, hours=2, actor="Ann", today=TUE, who="Mei"
    )
    assert view(engine, project, created.id, TUE).hours_spent == pytest.approx(5.5)
    assert [e.who for e in svc.list_time_logs(engine, created.id)] == ["Mei", "Ann"]
    with pytest.raises(InvalidInput) as error:
        svc.log_time(engine, experiment_id=created.id, day=WED, hours=0, actor="Ann", today=TUE)
    assert set(error.value.errors) == {"day", "hours"}


def test_result_against_baseline_with_evidence_links(engine):
    project = make_project(engine)
    created = add(engine, project)
    with pytest.raises(InvalidInput) as error:
        svc.record_result(
            engine,
            experiment_id=created.id,
            expected_version=created.version,
            metric_name="precision@200",
            result_value=0.71,
            baseline_value=0.52,
            evidence_links=["https://wiki.example.com/exp/1", "notes on my laptop"],
            actor="Ann",
        )
    assert "notes on my laptop" in error.value.errors["evidence_links"]
    saved = svc.record_result(
        engine,
        experiment_id=created.id,
        expected_version=created.version,
        metric_name="precision@200",
        result_value="0.71",
        baseline_value=0.52,
        evidence_links=["https://wiki.example.com/exp/1", "", "http://nb.example.com/run/7"],
        actor="Ann",
    )
    assert (saved.result_value, saved.baseline_value) == (0.71, 0.52)
    assert saved.evidence_links == ["https://wiki.example.com/exp/1", "http://nb.example.com/run/7"]
    assert "0.71 vs baseline 0.52" in project_service.list_activity(engine, project.id)[0].summary


# --- time-box state and decisions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "warning", "due"),
    [
        pytest.param(TUE, False, False, id="tuesday-50pct"),
        pytest.param(WED, True, False, id="wednesday-75pct-warning"),
        pytest.param(THU, False, True, id="thursday-100pct-due"),
        pytest.param(NEXT_MON, False, True, id="overrun-due"),
    ],
)
def test_time_box_state_on_each_day(engine, today, warning, due):
    project = make_project(engine)
    created = add(engine, project)
    state = view(engine, project, created.id, today)
    assert (state.warning, state.due_decision) == (warning, due)


def test_extension_needs_a_reason_and_a_later_end_and_is_logged(engine):
    project = make_project(engine)
    created = add(engine, project)
    common = {"experiment_id": created.id, "actor": "Ann", "today": THU, "review_answers": REVIEW}
    with pytest.raises(InvalidInput) as error:
        svc.decide(
            engine, expected_version=created.version, decision="extend", reason=" ",
            new_end=NEXT_TUE, **common,
        )  # fmt: skip
    assert "reason" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        svc.decide(
            engine, expected_version=created.version, decision="extend", reason="Label noise",
            new_end=WED, **common,
        )  # fmt: skip
    assert "new_end" in error.value.errors
    assert view(engine, project, created.id, THU).extensions == ()

    outcome = svc.decide(
        engine, expected_version=created.version, decision="extend",
        reason="Labels arrive Monday", new_end=NEXT_TUE, **common,
    )  # fmt: skip
    assert (outcome.extension.previous_end, outcome.extension.new_end) == (THU, NEXT_TUE)
    extended = view(engine, project, created.id, THU)
    assert extended.time_box.overall_end == NEXT_TUE
    assert not extended.due_decision
    assert extended.experiment.status != svc.ExperimentStatus.DECIDED
    assert extended.experiment.review_answers == dict(zip(QUESTIONS, REVIEW, strict=True))
    entry = project_service.list_activity(engine, project.id)[0]
    assert entry.action == "time box extended"
    assert entry.changes["end"] == ["2026-11-26", "2026-12-01"]
    assert "Labels arrive Monday" in entry.summary


def test_decision_at_end_of_research_requires_the_review_answers(engine):
    project = make_project(engine)
    created = add(engine, project)
    with pytest.raises(InvalidInput) as error:
        svc.decide(
            engine, experiment_id=created.id, expected_version=created.version,
            decision="cull", reason="Too slow", actor="Ann", today=WED,
        )  # fmt: skip
    assert "review_answers" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        svc.decide(
            engine, experiment_id=created.id, expected_version=created.version,
            decision="cull", reason="Too slow", actor="Ann", today=WED,
            review_answers=["Boosting", "", "Yes", ""],
        )  # fmt: skip
    assert set(error.value.errors) == {"review_answers[2]", "review_answers[4]"}
    # before research ends, a decision needs no review
    early = add(engine, project, "Autoencoder")
    svc.decide(
        engine, experiment_id=early.id, expected_version=early.version,
        decision="cull", reason="Not explainable to operations", actor="Ann", today=MON,
    )  # fmt: skip
    assert view(engine, project, early.id, MON).experiment.decision == svc.Decision.CULL


def test_park_creates_a_linked_parking_lot_item(engine):
    project = make_project(engine)
    created = add(engine, project, "Graph neural network")
    outcome = svc.decide(
        engine, experiment_id=created.id, expected_version=created.version,
        decision="park", reason="Needs the road graph, not available yet", actor="Ann",
        today=THU, review_answers=REVIEW, revisit_on=date(2027, 3, 1),
        revisit_phase="Development",
    )  # fmt: skip
    [item] = list_parking_lot(engine, project.id)
    assert item.id == outcome.parking_lot_item_id
    assert (item.source_kind.value, item.source_id) == ("experiment", created.id)
    assert item.idea.startswith("Graph neural network")
    assert item.why_deferred == "Needs the road graph, not available yet"
    assert (item.revisit_on, item.revisit_phase) == (date(2027, 3, 1), "development")
    decided = view(engine, project, created.id, NEXT_MON)
    assert (decided.experiment.status, decided.experiment.decision) == ("decided", "park")
    assert not decided.due_decision
    assert "experiment parked" in actions(engine, project)


def test_a_decided_box_stops_burning_on_the_day_of_the_decision(engine):
    decision_day = clock.now().date()  # decided_at is the real time of the decision
    project = make_project(engine)
    created = add(engine, project, start_date=decision_day - timedelta(days=14))
    svc.decide(
        engine, experiment_id=created.id, expected_version=created.version,
        decision="cull", reason="Too slow", actor="Ann", today=decision_day,
        review_answers=REVIEW,
    )  # fmt: skip
    on_the_day = view(engine, project, created.id, decision_day).time_box
    a_month_later = view(engine, project, created.id, decision_day + timedelta(days=30)).time_box
    assert a_month_later.burn_percent == on_the_day.burn_percent
    assert on_the_day.burn_percent > 100


def test_deciding_twice_or_on_a_stale_version_is_refused(engine):
    project = make_project(engine)
    created = add(engine, project)
    done = svc.decide(
        engine, experiment_id=created.id, expected_version=created.version,
        decision="cull", reason="Too slow", actor="Ann", today=MON,
    ).experiment  # fmt: skip
    with pytest.raises(StaleEditError):
        svc.decide(
            engine, experiment_id=created.id, expected_version=created.version,
            decision="select", reason="Best", actor="Bo", today=MON,
        )  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        svc.decide(
            engine, experiment_id=created.id, expected_version=done.version,
            decision="select", reason="Best", actor="Bo", today=MON,
        )  # fmt: skip
    assert "Already decided" in error.value.errors["decision"]


# --- culling matrix and Go/No-Go ----------------------------------------------------------


def scores(quality, maintainability, complexity, cost):
    return dict(
        zip(
            ("prediction_quality", "maintainability", "implementation_complexity", "cost_to_run"),
            (quality, maintainability, complexity, cost),
            strict=True,
        )
    )


def test_matrix_scores_are_saved_and_ranked(engine):
    project = make_project(engine)
    rule = add(engine, project, "Tuned rule")
    forest = add(engine, project, "Isolation forest")
    rows = [
        {"id": rule.id, "version": rule.version, **scores(2, 5, 1, 1)},
        {"id": forest.id, "version": forest.version, **scores(5, 3, 2, 1)},
    ]
    assert svc.save_matrix_scores(engine, project_id=project.id, rows=rows, actor="Ann") == 2
    stored = {
        v.experiment.approach: v.experiment.matrix_scores
        for v in svc.list_experiments(engine, project.id, MON)
    }
    assert stored["Isolation forest"] == scores(5, 3, 2, 1)
    # forest: utilities 1, .5, .75, 1 → 81.25; rule: .25, 1, 1, 1 → 81.25 with equal weights
    ranking = svc.rank_matrix(
        [{"approach": a, **s} for a, s in stored.items()], {c: 1 for c in svc.Criterion}
    )
    assert ranking.result.ties == (("Tuned rule", "Isolation forest"),)
    weighted = svc.rank_matrix(
        [{"approach": a, **s} for a, s in stored.items()],
        {
            "prediction_quality": 3,
            "maintainability": 1,
            "implementation_complexity": 1,
            "cost_to_run": 1,
        },
    )
    assert weighted.result.leaders == ("Isolation forest",)
    with pytest.raises(StaleEditError):  # the rows were loaded at the old version
        svc.save_matrix_scores(
            engine,
            project_id=project.id,
            rows=[{"id": rule.id, "version": rule.version, **scores(3, 5, 1, 1)}],
            actor="Bo",
        )
    with pytest.raises(InvalidInput) as error:
        svc.save_matrix_scores(
            engine,
            project_id=project.id,
            rows=[{"id": rule.id, "version": rule.version + 1, **scores(6, 5, 1, 1)}],
            actor="Bo",
        )
    assert "matrix[1].prediction_quality" in error.value.errors


def test_rank_matrix_leaves_unscored_rows_out():
    ranking = svc.rank_matrix(
        [{"approach": "A", **scores(5, 5, 1, 1)}, {"approach": "B", "prediction_quality": 3}]
    )
    assert [r.name for r in ranking.result.ranking] == ["A"]
    assert ranking.unscored == ("B",)


def test_select_and_go_moves_the_project_to_development_and_logs_it(engine):
    project = make_project(engine, phase=Phase.EXPERIMENTATION)
    rule = add(engine, project, "Tuned rule")
    forest = add(engine, project, "Isolation forest")
    svc.save_matrix_scores(
        engine,
        project_id=project.id,
        rows=[
            {"id": rule.id, "version": rule.version, **scores(2, 5, 1, 1)},
            {"id": forest.id, "version": forest.version, **scores(5, 3, 2, 1)},
        ],
        actor="Ann",
    )
    go = {
        "project_id": project.id,
        "expected_project_version": project.version,
        "go": True,
        "selected_experiment_id": forest.id,
        "reasons": "Forest beats the rule by 19 points of precision",
        "actor": "Ann",
    }
    with pytest.raises(InvalidInput) as error:  # the rule is still a candidate
        svc.record_go_no_go(engine, **go)
    assert "Tuned rule" in error.value.errors["selected_experiment_id"]
    rule_now = view(engine, project, rule.id, MON).experiment
    svc.decide(
        engine, experiment_id=rule.id, expected_version=rule_now.version,
        decision="cull", reason="Lower precision", actor="Ann", today=MON,
    )  # fmt: skip

    outcome = svc.record_go_no_go(engine, **go, weights=scores(3, 1, 1, 1))
    assert outcome.moved
    assert (outcome.phase_before, outcome.phase_after) == (
        Phase.EXPERIMENTATION,
        Phase.DEVELOPMENT,
    )
    detail = project_service.get_project(engine, project.id)
    assert detail.project.phase == Phase.DEVELOPMENT
    assert {"boxes_decided", "culled", "go_no_go"} <= detail.done_gate_items[Phase.EXPERIMENTATION]
    assert "Forest beats the rule" in detail.transitions[0].note
    [recorded] = svc.list_go_no_go(engine, project.id)
    assert (recorded.go, recorded.selected_experiment_id) == (True, forest.id)
    assert recorded.weights["prediction_quality"] == 3.0
    ranks = {row["approach"]: row["rank"] for row in recorded.matrix}
    assert ranks == {"Tuned rule": 2, "Isolation forest": 1}
    selected = view(engine, project, forest.id, MON).experiment
    assert (selected.status, selected.decision) == ("decided", "select")
    log = actions(engine, project)
    assert {"go/no-go", "experiment selected", "phase moved", "gate checklist"} <= set(log)


def test_no_go_sends_the_project_back_to_scoping_with_the_reasons(engine):
    project = make_project(engine, phase=Phase.EXPERIMENTATION)
    add(engine, project)
    outcome = svc.record_go_no_go(
        engine,
        project_id=project.id,
        expected_project_version=project.version,
        go=False,
        selected_experiment_id=None,
        reasons="No approach beats the rule",
        actor="Ann",
    )
    assert (outcome.moved, outcome.phase_after) == (True, Phase.SCOPING)
    detail = project_service.get_project(engine, project.id)
    assert detail.project.phase == Phase.SCOPING
    assert detail.transitions[0].note == "No-Go: No approach beats the rule"


def test_go_before_experimentation_is_recorded_without_moving_the_phase(engine):
    project = make_project(engine, phase=Phase.SCOPING)
    only = add(engine, project)
    outcome = svc.record_go_no_go(
        engine,
        project_id=project.id,
        expected_project_version=project.version,
        go=True,
        selected_experiment_id=only.id,
        reasons="Clear winner",
        actor="Ann",
    )
    assert not outcome.moved
    assert "not moved" in outcome.message
    assert project_service.get_project(engine, project.id).project.phase == Phase.SCOPING
    assert len(svc.list_go_no_go(engine, project.id)) == 1


def test_go_no_go_needs_reasons_and_a_current_project(engine):
    project = make_project(engine, phase=Phase.EXPERIMENTATION)
    only = add(engine, project)
    base = {"project_id": project.id, "go": True, "selected_experiment_id": only.id, "actor": "A"}
    with pytest.raises(InvalidInput) as error:
        svc.record_go_no_go(engine, expected_project_version=project.version, reasons="", **base)
    assert "reasons" in error.value.errors
    with pytest.raises(StaleEditError):
        svc.record_go_no_go(
            engine, expected_project_version=project.version - 1, reasons="x", **base
        )
    assert svc.list_go_no_go(engine, project.id) == []


# --- portfolio: overdue experiments -------------------------------------------------------


def test_overdue_experiments_across_projects(engine):
    taxi = make_project(engine, "Taxi")
    energy = make_project(engine, "Energy")
    due_taxi = add(engine, taxi, "Forest")
    add(engine, taxi, "Later one", start_date=WED)  # ends Mon 30: 75 % on Friday, a warning
    decided = add(engine, energy, "Decided one")
    svc.decide(
        engine, experiment_id=decided.id, expected_version=decided.version,
        decision="cull", reason="Too slow", actor="Ann", today=MON,
    )  # fmt: skip
    due_energy = add(engine, energy, "Prophet", research_days=1, prototype_days=1)
    extended = add(engine, energy, "Extended one")
    svc.decide(
        engine, experiment_id=extended.id, expected_version=extended.version,
        decision="extend", reason="More data", new_end=NEXT_MON, actor="Ann", today=MON,
    )  # fmt: skip

    overdue = svc.overdue_experiments(engine, FRI)
    assert [(o.project_name, o.approach) for o in overdue] == [
        ("Energy", "Prophet"),
        ("Taxi", "Forest"),
    ]
    assert {o.experiment_id for o in overdue} == {due_taxi.id, due_energy.id}
    prophet = overdue[0]
    assert (prophet.overall_end, prophet.overrun_working_days) == (TUE, 3)
    assert prophet.burn_percent == pytest.approx(250.0)
    assert [
        o.approach for o in svc.overdue_experiments(engine, NEXT_MON) if o.project_id == energy.id
    ] == [
        "Prophet",
        "Extended one",
    ]


# --- parking lot ----------------------------------------------------------------------------


def park(engine, project, idea, **extra):
    return lot.add_item(
        engine,
        project_id=project.id,
        data={"idea": idea, "source_kind": "demo", **extra},
        actor="Ann",
    )


def test_parking_lot_items_come_back_by_date_and_by_phase(engine):
    taxi = make_project(engine, "Taxi", phase=Phase.EXPERIMENTATION)
    energy = make_project(engine, "Energy")
    by_date = park(engine, taxi, "Weather features", revisit_on=WED)
    by_phase = park(engine, taxi, "Driver embeddings", revisit_phase="Experimentation (Go/No-Go)")
    park(engine, taxi, "Route graph", revisit_on=date(2027, 1, 4))
    later_phase = park(engine, energy, "Solar forecast", revisit_phase="development")
    dropped = park(engine, energy, "Spot market", revisit_on=MON)
    lot.update_items(
        engine,
        project_id=energy.id,
        edits=[{**dropped.model_dump(), "status": "dropped"}],
        actor="Ann",
    )

    rows = lot.list_items(engine, taxi.id, THU)
    assert [(r.item.id, r.due) for r in rows[:2]] == [(by_date.id, True), (by_phase.id, True)]
    assert rows[2].due is False
    assert "2026-11-25" in rows[0].due_reason
    assert "Experimentation" in rows[1].due_reason

    due = lot.due_parking_lot_items(engine, THU)
    assert [(d.project_name, d.item_id) for d in due] == [
        ("Taxi", by_date.id),
        ("Taxi", by_phase.id),
    ]
    assert lot.due_parking_lot_items(engine, TUE) == [due[1]]
    assert later_phase.id not in {d.item_id for d in due}


def test_parking_lot_table_edit_is_version_checked_and_status_moves_are_limited(engine):
    project = make_project(engine)
    item = park(engine, project, "Weather features")
    row = item.model_dump()
    assert (
        lot.update_items(
            engine, project_id=project.id, edits=[{**row, "effort": "high"}], actor="Ann"
        )
        == 1
    )
    with pytest.raises(StaleEditError):
        lot.update_items(engine, project_id=project.id, edits=[{**row, "value": "low"}], actor="Bo")
    fresh = list_parking_lot(engine, project.id)[0].model_dump()
    with pytest.raises(InvalidInput) as error:
        lot.update_items(
            engine, project_id=project.id, edits=[{**fresh, "value": "huge"}], actor="Bo"
        )
    assert "items[1].value" in error.value.errors
    lot.update_items(
        engine, project_id=project.id, edits=[{**fresh, "status": "dropped"}], actor="Bo"
    )
    dropped = list_parking_lot(engine, project.id)[0]
    assert dropped.status == lot.ParkingLotStatus.DROPPED
    assert "idea dropped" in actions(engine, project)


def test_promote_to_experiment_keeps_the_link_and_revives_the_item(engine):
    project = make_project(engine)
    item = park(engine, project, "Weather features", revisit_on=MON)
    experiment = lot.promote_to_experiment(
        engine,
        project_id=project.id,
        item_id=item.id,
        expected_version=item.version,
        data=experiment_data("Weather features in the forest"),
        actor="Ann",
    )
    assert experiment.parking_lot_item_id == item.id
    [row] = lot.list_items(engine, project.id, TUE)
    assert row.item.status == lot.ParkingLotStatus.REVIVED
    assert (row.experiment_id, row.due) == (experiment.id, False)
    assert view(engine, project, experiment.id, MON).experiment.approach == (
        "Weather features in the forest"
    )
    entry = project_service.list_activity(engine, project.id)[0]
    assert entry.action == "idea promoted"
    assert entry.changes["experiment_id"] == experiment.id
    with pytest.raises(InvalidInput) as error:  # already revived
        lot.promote_to_experiment(
            engine,
            project_id=project.id,
            item_id=item.id,
            expected_version=row.item.version,
            data=experiment_data(),
            actor="Ann",
        )
    assert "item" in error.value.errors
    assert len(svc.list_experiments(engine, project.id, MON)) == 1


def test_promote_with_bad_experiment_input_changes_nothing(engine):
    project = make_project(engine)
    item = park(engine, project, "Weather features")
    with pytest.raises(InvalidInput) as error:
        lot.promote_to_experiment(
            engine,
            project_id=project.id,
            item_id=item.id,
            expected_version=item.version,
            data=experiment_data(research_days=0),
            actor="Ann",
        )
    assert "research_days" in error.value.errors
    assert list_parking_lot(engine, project.id)[0].status == lot.ParkingLotStatus.PARKED
    assert svc.list_experiments(engine, project.id, MON) == []


def test_go_no_go_is_all_or_nothing(engine, monkeypatch):
    """If the gate ticks fail, neither the decision nor the selection nor the phase is stored."""
    project = make_project(engine, phase=Phase.EXPERIMENTATION)
    forest = add(engine, project, "Isolation forest")
    monkeypatch.setattr(go_no_go, "GO_GATE_ITEMS", ("go_no_go", "no_such_gate_item"))
    with pytest.raises(InvalidInput):
        svc.record_go_no_go(
            engine,
            project_id=project.id,
            expected_project_version=project.version,
            go=True,
            selected_experiment_id=forest.id,
            reasons="Forest is good enough",
            actor="Ann",
        )
    assert svc.list_go_no_go(engine, project.id) == []
    assert view(engine, project, forest.id, MON).experiment.decision is None
    detail = project_service.get_project(engine, project.id)
    assert detail.project.phase == Phase.EXPERIMENTATION
    assert "go_no_go" not in detail.done_gate_items[Phase.EXPERIMENTATION]


# --- names are unique within a project ------------------------------------------------------


def test_a_duplicate_name_is_refused_ignoring_case_and_spaces(engine):
    project = make_project(engine)
    other = make_project(engine, "Energy")
    add(engine, project, "Isolation forest")
    with pytest.raises(InvalidInput) as error:
        add(engine, project, "  isolation FOREST ")
    assert "already has an experiment named 'Isolation forest'" in error.value.errors["approach"]
    assert add(engine, other, "Isolation forest").approach == "Isolation forest"  # per project
    assert len(svc.list_experiments(engine, project.id, MON)) == 1


def test_renaming_onto_another_experiments_name_is_refused(engine):
    project = make_project(engine)
    add(engine, project, "Isolation forest")
    rule = add(engine, project, "Tuned rule")
    with pytest.raises(InvalidInput) as error:
        svc.update_experiment(
            engine,
            experiment_id=rule.id,
            expected_version=rule.version,
            data={"approach": "ISOLATION forest"},
            actor="Ann",
        )
    assert "approach" in error.value.errors
    renamed = svc.update_experiment(
        engine,
        experiment_id=rule.id,
        expected_version=rule.version,
        data={"approach": "Tuned Rule"},  # its own name, other case: fine
        actor="Ann",
    )
    assert renamed.approach == "Tuned Rule"


def test_the_database_refuses_a_duplicate_name_too(engine):
    """The unique index backs the service's check (two adds crossing at the same moment)."""
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    from workbench.models import Experiment

    project = make_project(engine)
    add(engine, project, "Isolation forest")
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.add(Experiment(project_id=project.id, approach="ISOLATION FOREST ", start_date=MON,
                               research_days=2, prototype_days=2))  # fmt: skip
        session.commit()


def test_an_edit_sends_only_the_changed_fields_and_keeps_the_others(engine):
    project = make_project(engine)
    created = add(engine, project)
    saved = svc.update_experiment(
        engine,
        experiment_id=created.id,
        expected_version=created.version,
        data={"owner": "Mei"},
        actor="Ann",
    )
    assert (saved.owner, saved.hypothesis) == ("Mei", created.hypothesis)


# --- culling matrix: changed rows only, each with its version -------------------------------


def test_matrix_saves_only_the_changed_cells_of_the_changed_rows(engine):
    project = make_project(engine)
    rule = add(engine, project, "Tuned rule")
    forest = add(engine, project, "Isolation forest")
    svc.save_matrix_scores(
        engine,
        project_id=project.id,
        rows=[{"id": rule.id, "version": rule.version, **scores(2, 5, 1, 1)}],
        actor="Ann",
    )
    # Bo saw the forest row only (its version) and scores its quality: the rule is not touched
    changed = svc.save_matrix_scores(
        engine,
        project_id=project.id,
        rows=[{"id": forest.id, "version": forest.version, "prediction_quality": 5}],
        actor="Bo",
    )
    stored = {
        v.experiment.approach: v.experiment.matrix_scores
        for v in svc.list_experiments(engine, project.id, MON)
    }
    assert changed == 1
    assert stored == {
        "Tuned rule": scores(2, 5, 1, 1),
        "Isolation forest": {"prediction_quality": 5},
    }


def test_a_stale_matrix_row_refuses_the_whole_save(engine):
    project = make_project(engine)
    rule = add(engine, project, "Tuned rule")
    forest = add(engine, project, "Isolation forest")
    svc.save_matrix_scores(
        engine,
        project_id=project.id,
        rows=[{"id": rule.id, "version": rule.version, "cost_to_run": 1}],
        actor="Ann",
    )
    with pytest.raises(StaleEditError):
        svc.save_matrix_scores(
            engine,
            project_id=project.id,
            rows=[
                {"id": forest.id, "version": forest.version, "cost_to_run": 2},
                {"id": rule.id, "version": rule.version, "cost_to_run": 3, "row": 1},
            ],
            actor="Bo",
        )
    stored = {
        v.experiment.approach: v.experiment.matrix_scores
        for v in svc.list_experiments(engine, project.id, MON)
    }
    assert stored == {"Tuned rule": {"cost_to_run": 1}, "Isolation forest": {}}


def test_a_go_no_go_moves_the_projects_version_on_even_when_the_phase_stays(engine):
    project = make_project(engine, phase=Phase.SCOPING)
    only = add(engine, project)
    svc.record_go_no_go(
        engine,
        project_id=project.id,
        expected_project_version=project.version,
        go=True,
        selected_experiment_id=only.id,
        reasons="Clear winner",
        actor="Ann",
    )
    with pytest.raises(StaleEditError):  # a second Go/No-Go made on the same view
        svc.record_go_no_go(
            engine,
            project_id=project.id,
            expected_project_version=project.version,
            go=False,
            selected_experiment_id=None,
            reasons="Changed my mind",
            actor="Bo",
        )
    assert len(svc.list_go_no_go(engine, project.id)) == 1
