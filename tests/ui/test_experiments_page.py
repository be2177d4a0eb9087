"""AppTest: the Experiments and Parking lot pages — decision prompts, culling and Go/No-Go,
promoting a parked idea — asserting what was stored through the services."""

from datetime import timedelta

from tests.dates import TODAY
from workbench.db import make_engine
from workbench.domain.lifecycle import Phase
from workbench.services import experiments as svc
from workbench.services import parking_lot as lot
from workbench.services import projects as project_service
from workbench.services.registers import list_parking_lot

PAGE = "pages/team/experiments.py"
LOT_PAGE = "pages/team/parking_lot.py"
REVIEW = ["Gradient boosting", "The deep model", "Yes", "Yes"]


def seed_project(url, *, phase=Phase.PLANNING, experiments=(), started_days_ago=30):
    """A project in `phase` with experiments whose 2 + 2 day boxes started long enough ago."""
    engine = make_engine(url)
    project = project_service.create_project(
        engine,
        data={"name": "Ride-time anomalies", "baseline": "Flag rides over 3x the median"},
        actor="Seeder",
        today=TODAY,
    )
    for target in list(Phase)[1 : phase.index + 1]:
        version = project_service.get_project(engine, project.id).project.version
        project_service.move_phase(
            engine,
            project_id=project.id,
            expected_version=version,
            target=target,
            actor="Seeder",
            note="seeding",
        )
    created = [
        svc.create_experiment(
            engine,
            project_id=project.id,
            data={
                "approach": approach,
                "owner": "Tomás",
                "success_criterion": "Beat the 3x-median rule by 10 points of precision",
                "start_date": TODAY - timedelta(days=started_days_ago),
                "research_days": 2,
                "prototype_days": 2,
            },
            actor="Seeder",
        )
        for approach in experiments
    ]
    engine.dispose()
    return project, created


def by_label(widgets, label):
    matches = [w for w in widgets if w.label == label]
    assert matches, f"no widget labelled {label!r}"
    return matches[0]


def markdown_text(at):
    return " ".join(m.value for m in [*at.subheader, *at.markdown])


def submit(at, label, index=0):
    [b for b in at.button if b.label == label][index].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def decide_in_page(at, experiment_id, decision, reason, *, review=True):
    form = f"decide_{experiment_id}"
    at.radio(key=f"{form}_choice").set_value(decision)
    at.text_area(key=f"{form}_reason").input(reason)
    if review:
        for index, answer in enumerate(REVIEW):
            at.text_input(key=f"{form}_review_{index}").input(answer)
    submit_form = next(
        b for b in at.button if b.label == "Record decision" and form in str(b.form_id)
    )
    submit_form.click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_experiments_smoke_lists_experiments_and_the_baseline(open_app, app_db):
    project, _ = seed_project(app_db, experiments=["Isolation forest"], started_days_ago=0)
    at = open_app(PAGE, project=project.id)
    assert at.title[0].value == "Experiments"
    assert "Flag rides over 3x the median" in markdown_text(at)
    table = at.dataframe[0].value
    assert list(table["Approach"]) == ["Isolation forest"]
    assert list(table["Status"]) == ["proposed"]


def test_experiments_without_project_points_to_the_portfolio(open_app):
    at = open_app(PAGE)
    assert "Choose a project" in at.info[0].value


def test_an_experiment_past_its_box_asks_for_a_decision_that_must_be_answered(open_app, app_db):
    project, [late] = seed_project(app_db, experiments=["Isolation forest"])
    at = open_app(PAGE, project=project.id)
    assert "Decide now: Isolation forest" in markdown_text(at)
    assert "working day(s) overdue" in markdown_text(at)
    submit(at, "Record decision")  # nothing chosen
    assert "Choose a decision" in markdown_text(at)

    decide_in_page(at, late.id, svc.Decision.EXTEND, "Labels arrive next week", review=False)
    text = markdown_text(at)
    assert "Required: the new last working day of the box." in text
    assert "answer the four review questions" in text

    engine = make_engine(app_db)
    [view] = svc.list_experiments(engine, project.id, TODAY)
    assert view.extensions == ()
    assert view.experiment.status == svc.ExperimentStatus.PROPOSED
    engine.dispose()


def test_cull_two_of_three_then_go_records_the_decision_and_moves_the_phase(open_app, app_db):
    project, experiments = seed_project(
        app_db,
        phase=Phase.EXPERIMENTATION,
        experiments=["Tuned rule", "Isolation forest", "Autoencoder"],
    )
    rule, forest, autoencoder = experiments
    at = open_app(PAGE, project=project.id)
    assert sum("Decide now" in m.value for m in at.subheader) == 3

    decide_in_page(at, rule.id, svc.Decision.CULL, "Precision too low")
    decide_in_page(at, autoencoder.id, svc.Decision.CULL, "Cannot explain flags to operations")
    assert sum("Decide now" in m.value for m in at.subheader) == 1

    at.radio(key=f"gonogo_{project.id}_go").set_value("Go")
    at.selectbox(key=f"gonogo_{project.id}_selected").set_value(forest.id)
    at.text_area(key=f"gonogo_{project.id}_reasons").input("Forest beats the rule by 19 points")
    submit(at, "Record Go/No-Go")
    assert any("moved from Experimentation" in s.value for s in at.success)

    engine = make_engine(app_db)
    views = {
        v.experiment.approach: v.experiment for v in svc.list_experiments(engine, project.id, TODAY)
    }
    assert {name: e.decision for name, e in views.items()} == {
        "Tuned rule": "cull",
        "Isolation forest": "select",
        "Autoencoder": "cull",
    }
    assert views["Tuned rule"].review_answers["Which approach looks most promising?"] == REVIEW[0]
    [decision] = svc.list_go_no_go(engine, project.id)
    assert (decision.go, decision.selected_experiment_id, decision.decided_by) == (
        True,
        forest.id,
        "Ann",
    )
    detail = project_service.get_project(engine, project.id)
    assert detail.project.phase == Phase.DEVELOPMENT
    assert detail.transitions[0].actor == "Ann"
    log = [entry.action for entry in project_service.list_activity(engine, project.id)]
    assert log.count("experiment culled") == 2
    assert {"go/no-go", "phase moved"} <= set(log)
    engine.dispose()


def test_go_while_candidates_are_open_is_refused_in_the_page(open_app, app_db):
    project, [_rule, forest] = seed_project(
        app_db, phase=Phase.EXPERIMENTATION, experiments=["Tuned rule", "Isolation forest"]
    )
    at = open_app(PAGE, project=project.id)
    at.selectbox(key=f"gonogo_{project.id}_selected").set_value(forest.id)
    at.text_area(key=f"gonogo_{project.id}_reasons").input("Forest wins")
    submit(at, "Record Go/No-Go")
    assert "cull or park the other candidates first" in markdown_text(at)
    engine = make_engine(app_db)
    assert svc.list_go_no_go(engine, project.id) == []
    assert project_service.get_project(engine, project.id).project.phase == Phase.EXPERIMENTATION
    engine.dispose()


def test_new_experiment_form_validates_and_stores(open_app, app_db):
    project, _ = seed_project(app_db)
    at = open_app(PAGE, project=project.id)
    form = f"new_experiment_{project.id}"
    at.text_input(key=f"{form}_approach").input("Isolation forest")
    submit(at, "Add experiment")
    assert "say what result would count as success" in markdown_text(at)
    at.text_area(key=f"{form}_success_criterion").input("Precision@200 above the rule's 0.52")
    submit(at, "Add experiment")
    engine = make_engine(app_db)
    [view] = svc.list_experiments(engine, project.id, TODAY)
    engine.dispose()
    assert view.experiment.approach == "Isolation forest"
    assert (view.experiment.research_days, view.experiment.prototype_days) == (10, 10)


def test_parking_lot_smoke_shows_due_items_first(open_app, app_db):
    project, _ = seed_project(app_db)
    engine = make_engine(app_db)
    lot.add_item(engine, project_id=project.id, data={"idea": "Driver embeddings"}, actor="Seeder")
    lot.add_item(
        engine,
        project_id=project.id,
        data={"idea": "Weather features", "revisit_on": TODAY, "source_kind": "demo"},
        actor="Seeder",
    )
    engine.dispose()
    at = open_app(LOT_PAGE, project=project.id)
    assert at.title[0].value == "Parking lot"
    assert "Due for review (1)" in markdown_text(at)
    assert "Weather features" in at.warning[0].value
    assert "revisit date" in at.warning[0].value


def test_promoting_a_parked_idea_creates_an_experiment_and_keeps_the_link(open_app, app_db):
    project, _ = seed_project(app_db)
    engine = make_engine(app_db)
    item = lot.add_item(
        engine,
        project_id=project.id,
        data={"idea": "Weather features", "revisit_on": TODAY},
        actor="Seeder",
    )
    engine.dispose()
    at = open_app(LOT_PAGE, project=project.id)
    form = f"promote_{project.id}"
    at.text_input(key=f"{form}_success_criterion").input("Recall on storm days beats the rule")
    submit(at, "Promote to experiment")
    assert any("Promoted to the experiment 'Weather features'" in s.value for s in at.success)

    engine = make_engine(app_db)
    [view] = svc.list_experiments(engine, project.id, TODAY)
    [stored] = list_parking_lot(engine, project.id)
    log = project_service.list_activity(engine, project.id)
    engine.dispose()
    assert view.experiment.parking_lot_item_id == item.id
    assert view.experiment.approach == "Weather features"
    assert stored.status == lot.ParkingLotStatus.REVIVED
    assert log[0].action == "idea promoted"
    assert log[0].actor == "Ann"


def test_park_form_adds_an_idea_with_a_revisit_phase(open_app, app_db):
    project, _ = seed_project(app_db)
    at = open_app(LOT_PAGE, project=project.id)
    form = f"park_{project.id}"
    at.text_area(key=f"{form}_idea").input("Route graph features")
    at.selectbox(key=f"{form}_revisit_phase").set_value("Development")
    submit(at, "Park idea")
    engine = make_engine(app_db)
    [stored] = list_parking_lot(engine, project.id)
    engine.dispose()
    assert (stored.idea, stored.revisit_phase, stored.raised_by) == (
        "Route graph features",
        "development",
        "Ann",
    )


def test_portfolio_flags_overdue_experiments_and_due_ideas_and_opens_the_page(open_app, app_db):
    late, _ = seed_project(app_db, experiments=["Isolation forest"])
    engine = make_engine(app_db)
    calm = project_service.create_project(
        engine, data={"name": "Energy prices"}, actor="Seeder", today=TODAY
    )
    lot.add_item(
        engine,
        project_id=calm.id,
        data={"idea": "Solar feed", "revisit_on": TODAY},
        actor="Seeder",
    )
    engine.dispose()
    at = open_app()
    warnings = [w.value for w in at.warning]
    assert any(
        "Ride-time anomalies" in w and "1 experiment(s) overdue" in w and "Isolation forest" in w
        for w in warnings
    )
    assert any("Energy prices" in w and "1 parked idea(s) due" in w for w in warnings)
    at.button(key=f"portfolio_boxes_{late.id}").click()
    at.run()
    assert at.title[0].value == "Experiments"
    assert at.session_state["selected_project_id"] == late.id


def test_work_on_one_logs_time_and_checks_evidence_links(open_app, app_db):
    project, [forest] = seed_project(app_db, experiments=["Isolation forest"], started_days_ago=0)
    at = open_app(PAGE, project=project.id)
    at.number_input(key=f"timelog_{forest.id}_hours").set_value(2.5)
    submit(at, "Log time")
    result = f"result_{forest.id}"
    at.text_input(key=f"{result}_metric_name").input("precision@200")
    at.number_input(key=f"{result}_result_value").set_value(0.71)
    at.number_input(key=f"{result}_baseline_value").set_value(0.52)
    at.text_area(key=f"{result}_evidence_links").input("https://wiki.example.com/run/1\nmy laptop")
    submit(at, "Save result")
    assert "Not a web link" in markdown_text(at)
    at.text_area(key=f"{result}_evidence_links").input("https://wiki.example.com/run/1")
    submit(at, "Save result")

    engine = make_engine(app_db)
    [view] = svc.list_experiments(engine, project.id, TODAY)
    engine.dispose()
    assert view.hours_spent == 2.5
    assert (view.experiment.result_value, view.experiment.baseline_value) == (0.71, 0.52)
    assert view.experiment.evidence_links == ["https://wiki.example.com/run/1"]
    assert at.number_input(key=f"{result}_result_value").value == 0.71  # shown after the save
