"""AppTest: the Experiments page — decision prompts, the new-experiment form, the culling matrix
and Go/No-Go, work on one experiment — asserting what was stored through the services.
(The Parking lot page has its own tests in test_parking_lot_page.py.)"""

from datetime import timedelta

from tests.dates import TODAY
from tests.ui.helpers import click, confirm, edit_table
from workbench.db import make_engine
from workbench.domain.lifecycle import Phase
from workbench.services import experiments as svc
from workbench.services import parking_lot as lot
from workbench.services import projects as project_service

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


def widget(widgets, form, label):
    """The widget labelled `label` in the form named `form` (any generation of it)."""
    matches = [w for w in widgets if w.label == label and str(w.form_id).startswith(form)]
    assert matches, f"no {label!r} in {form}; there are {[(w.form_id, w.label) for w in widgets]}"
    return matches[0]


def markdown_text(at):
    return " ".join(m.value for m in [*at.subheader, *at.markdown, *at.text])


def texts(at):
    return [m.value for m in [*at.error, *at.warning, *at.success, *at.info]]


def submit(at, label, form=""):
    """Click the button `label` (of the form named `form`) and run the page."""
    buttons = [b for b in at.button if b.label == label and str(b.form_id).startswith(form)]
    assert buttons, f"no button {label!r} in {form!r}"
    buttons[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def stored_views(url, project_id):
    engine = make_engine(url)
    views = svc.list_experiments(engine, project_id, TODAY)
    engine.dispose()
    return {v.experiment.approach: v for v in views}


def decide_in_page(at, experiment_id, decision, reason, *, review=True):
    form = f"decide_{experiment_id}"
    widget(at.radio, form, "Decision").set_value(decision)
    widget(at.text_area, form, "Why? *").input(reason)
    if review:
        for question, answer in zip(svc.RESEARCH_REVIEW_QUESTIONS, REVIEW, strict=True):
            widget(at.text_input, form, question).input(answer)
    submit(at, "Record decision", form)


def add_in_page(at, project_id, approach, **fields):
    form = f"new_experiment_{project_id}"
    widget(at.text_input, form, "Approach *").input(approach)
    widget(at.text_area, form, "Success criterion, against the baseline *").input(
        fields.get("success", "Precision@200 above the rule's 0.52")
    )
    submit(at, "Add experiment", form)


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
    assert any("Decide now" in s.value for s in at.subheader)
    assert "Isolation forest" in markdown_text(at)
    assert "working day(s) overdue" in markdown_text(at)
    submit(at, "Record decision", f"decide_{late.id}")  # nothing chosen
    assert "Choose a decision" in " ".join(texts(at))

    decide_in_page(at, late.id, svc.Decision.EXTEND, "Labels arrive next week", review=False)
    text = " ".join(texts(at))
    assert "Required: the new last working day of the box." in text
    assert "answer the four review questions" in text
    assert widget(at.text_area, f"decide_{late.id}", "Why? *").value == "Labels arrive next week"

    [view] = stored_views(app_db, project.id).values()
    assert view.extensions == ()
    assert view.experiment.status == svc.ExperimentStatus.PROPOSED


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

    go = f"gonogo_{project.id}"
    widget(at.radio, go, "Decision").set_value("Go")
    widget(at.selectbox, go, "MVP approach (Go only)").set_value(forest.id)
    widget(at.text_area, go, "Reasons *").input("Forest beats the rule by 19 points")
    click(at, "Record Go/No-Go")
    assert "from Experimentation" in at.text[-1].value  # the dialog asks before moving
    confirm(at)
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


def test_go_while_candidates_are_open_is_refused_in_its_tab_which_stays_open(open_app, app_db):
    """Fault: the page jumped to the first tab and the refusal only showed on reopening it.
    The tabs are keyed (a rerun keeps the open tab) and the Go/No-Go form shows its refusal."""
    project, [_rule, forest] = seed_project(
        app_db, phase=Phase.EXPERIMENTATION, experiments=["Tuned rule", "Isolation forest"]
    )
    at = open_app(PAGE, project=project.id)
    go = f"gonogo_{project.id}"
    widget(at.selectbox, go, "MVP approach (Go only)").set_value(forest.id)
    widget(at.text_area, go, "Reasons *").input("Forest wins")
    click(at, "Record Go/No-Go")
    confirm(at)
    [tabs] = [node for node in at._tree if getattr(node, "type", "") == "tab_container"]
    assert tabs.proto.id.endswith(f"experiments_{project.id}_tab")
    matrix_tab = next(tab for tab in at.tabs if tab.label == "Culling matrix & Go/No-Go")
    assert any("cull or park the other candidates first" in e.value for e in matrix_tab.error)
    assert widget(at.text_area, go, "Reasons *").value == "Forest wins"  # nothing typed is lost
    engine = make_engine(app_db)
    assert svc.list_go_no_go(engine, project.id) == []
    assert project_service.get_project(engine, project.id).project.phase == Phase.EXPERIMENTATION
    engine.dispose()


def test_new_experiment_form_validates_and_stores(open_app, app_db):
    project, _ = seed_project(app_db)
    at = open_app(PAGE, project=project.id)
    form = f"new_experiment_{project.id}"
    widget(at.text_input, form, "Approach *").input("Isolation forest")
    submit(at, "Add experiment", form)
    assert "say what result would count as success" in " ".join(texts(at))
    widget(at.text_area, form, "Success criterion, against the baseline *").input(
        "Precision@200 above the rule's 0.52"
    )
    submit(at, "Add experiment", form)
    [view] = stored_views(app_db, project.id).values()
    assert view.experiment.approach == "Isolation forest"
    assert (view.experiment.research_days, view.experiment.prototype_days) == (10, 10)


def test_after_an_add_the_form_is_empty_and_the_same_add_again_stores_no_duplicate(
    open_app, app_db
):
    """Fault: the add form kept the last record's values and a second click saved a copy."""
    project, _ = seed_project(app_db)
    at = open_app(PAGE, project=project.id)
    form = f"new_experiment_{project.id}"
    widget(at.date_input, form, "Start date").set_value(TODAY + timedelta(days=7))
    add_in_page(at, project.id, "Isolation forest")
    assert any(s.value == "Added Isolation forest." for s in at.success)
    assert widget(at.text_input, form, "Approach *").value == ""
    assert widget(at.date_input, form, "Start date").value == TODAY
    submit(at, "Add experiment", form)  # the emptied form: refused, nothing stored
    add_in_page(at, project.id, "  isolation FOREST ")  # the same approach once more
    message = widget(at.text_input, form, "Approach *")
    assert message.value == "  isolation FOREST "  # kept for the user to rename
    assert any("already has an experiment named 'Isolation forest'" in e.value for e in at.error)
    assert list(stored_views(app_db, project.id)) == ["Isolation forest"]


def test_three_experiments_added_in_the_session_are_scored_saved_and_still_there(open_app, app_db):
    """Fault: adding three experiments then "Save scores" gave KeyError: 5, and after a reload
    the scores were gone. The matrix is a TableEditor: changed rows only, each with its version."""
    project, _ = seed_project(app_db, phase=Phase.EXPERIMENTATION)
    at = open_app(PAGE, project=project.id)
    for approach in ("Tuned rule", "Isolation forest", "Autoencoder"):
        add_in_page(at, project.id, approach)
    scores = {
        0: {"prediction_quality": 2, "maintainability": 5, "implementation_complexity": 1},
        1: {"prediction_quality": 5, "maintainability": 4, "implementation_complexity": 2},
        2: {"prediction_quality": 4, "maintainability": 1, "implementation_complexity": 5},
    }
    edit_table(
        at,
        f"matrix_{project.id}",
        edited={row: {**cells, "cost_to_run": 1} for row, cells in scores.items()},
    )
    click(at, "Save scores")
    assert any("Saved the scores of 3 experiment(s)." in s.value for s in at.success)
    stored = stored_views(app_db, project.id)
    assert stored["Isolation forest"].experiment.matrix_scores == {
        "prediction_quality": 5,
        "maintainability": 4,
        "implementation_complexity": 2,
        "cost_to_run": 1,
    }
    reopened = open_app(PAGE, project=project.id, actor="Bo")
    ranking = next(d.value for d in reopened.dataframe if "Rank" in d.value.columns)
    assert list(ranking["Approach"]) == ["Isolation forest", "Tuned rule", "Autoencoder"]


def test_a_duplicate_experiment_name_is_refused_under_the_field(open_app, app_db):
    project, _ = seed_project(app_db, experiments=["Isolation forest"], started_days_ago=0)
    at = open_app(PAGE, project=project.id)
    add_in_page(at, project.id, "ISOLATION forest")
    assert any("already has an experiment named" in e.value for e in at.error)
    assert list(stored_views(app_db, project.id)) == ["Isolation forest"]


def test_work_on_one_logs_time_and_checks_evidence_links(open_app, app_db):
    project, [forest] = seed_project(app_db, experiments=["Isolation forest"], started_days_ago=0)
    at = open_app(PAGE, project=project.id)
    widget(at.number_input, f"timelog_{forest.id}", "Hours").set_value(2.5)
    submit(at, "Log time", f"timelog_{forest.id}")
    result = f"result_{forest.id}"
    widget(at.text_input, result, "Metric").input("precision@200")
    widget(at.number_input, result, "Result").set_value(0.71)
    widget(at.number_input, result, "Baseline").set_value(0.52)
    links = widget(at.text_area, result, "Evidence links (one per line)")
    links.input("https://wiki.example.com/run/1\nmy laptop")
    submit(at, "Save result", result)
    assert "Not a web link" in " ".join(texts(at))
    widget(at.text_area, result, "Evidence links (one per line)").input(
        "https://wiki.example.com/run/1"
    )
    submit(at, "Save result", result)

    [view] = stored_views(app_db, project.id).values()
    assert view.hours_spent == 2.5
    assert (view.experiment.result_value, view.experiment.baseline_value) == (0.71, 0.52)
    assert view.experiment.evidence_links == ["https://wiki.example.com/run/1"]
    assert widget(at.number_input, result, "Result").value == 0.71  # shown after the save


def test_status_moves_forward_from_the_work_tab(open_app, app_db):
    project, [forest] = seed_project(app_db, experiments=["Isolation forest"], started_days_ago=0)
    at = open_app(PAGE, project=project.id)
    widget(at.selectbox, f"status_{forest.id}", "Move to status").set_value(
        svc.ExperimentStatus.PROTOTYPING
    )
    submit(at, "Change status", f"status_{forest.id}")
    assert any("is now prototyping" in s.value for s in at.success)
    assert stored_views(app_db, project.id)["Isolation forest"].experiment.status == "prototyping"


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
    assert "1 experiment(s) overdue for a decision in 1 project(s)." in warnings
    assert "1 parked idea(s) due for review in 1 project(s)." in warnings
    flagged = next(d.value for d in at.dataframe if "Overdue" in d.value.columns)
    assert list(flagged["Project"]) == ["Ride-time anomalies"]
    assert list(flagged["Which"]) == ["Isolation forest"]
    at.button(key="portfolio_flags_boxes_open").click()
    at.run()
    assert at.title[0].value == "Experiments"
    assert at.session_state["selected_project_id"] == late.id


def test_many_boxes_due_open_three_forms_and_a_chooser_for_the_rest(open_app, app_db):
    approaches = [f"Candidate {n}" for n in range(1, 7)]
    project, created = seed_project(app_db, experiments=approaches)
    at = open_app(PAGE, project=project.id)
    opened = {str(b.form_id) for b in at.button if b.label == "Record decision"}
    assert len(opened) == 3  # the oldest three; six are due
    assert "6 time box(es) spent" in " ".join(texts(at))
    [chooser] = [s for s in at.selectbox if s.label == "3 more decisions due — open one"]
    assert chooser.value is None
    waiting = [e for e in created if not any(f.startswith(f"decide_{e.id}") for f in opened)]
    chooser.set_value(waiting[0].id).run()
    assert len({str(b.form_id) for b in at.button if b.label == "Record decision"}) == 4

    decide_in_page(at, waiting[0].id, svc.Decision.CULL, "Too slow to score")
    culled = stored_views(app_db, project.id)[waiting[0].approach].experiment
    assert culled.decision == svc.Decision.CULL
    assert "5 time box(es) spent" in " ".join(texts(at))
    [chooser] = [s for s in at.selectbox if s.label == "2 more decisions due — open one"]
    assert chooser.value is None  # the decided one left the chooser
