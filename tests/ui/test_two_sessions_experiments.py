"""Two people on the Experiments page at once (two AppTest sessions on one database, the second
opened before the first saves): every edit form sends the version pinned when it was first shown,
so a save made on a stale view is refused with the conflict view, and the typing is kept."""

from datetime import timedelta

from tests.dates import TODAY, start_for_elapsed
from tests.ui.helpers import click, confirm
from tests.ui.test_experiments_page import PAGE, REVIEW, seed_project, stored_views, submit, widget
from workbench.db import make_engine
from workbench.domain.lifecycle import Phase
from workbench.domain.workdays import add_working_days
from workbench.services import experiments as svc
from workbench.services import projects as project_service

KEEP = "Keep my edits (I have read the newer values)"
LOAD = "Load the newer version (drop my edits)"


def refused_with_conflict_view(at):
    """The one conflict view: the refusal, and the choice to load the newer version or keep."""
    assert any("changed after you opened it" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    labels = {b.label for b in at.button}
    assert {KEEP, LOAD} <= labels


def seed_one(url, *, elapsed=None, started_days_ago=30, phase=Phase.PLANNING):
    """A project with the experiment "Isolation forest" (a 2 + 2 working-day box)."""
    project, [forest] = seed_project(
        url, phase=phase, experiments=["Isolation forest"], started_days_ago=started_days_ago
    )
    if elapsed is not None:
        engine = make_engine(url)
        forest = svc.update_experiment(
            engine,
            experiment_id=forest.id,
            expected_version=forest.version,
            data={"start_date": start_for_elapsed(elapsed)},
            actor="Seeder",
        )
        engine.dispose()
    return project, forest


def stored(url):
    return stored_views(url, *_project_ids(url))["Isolation forest"]


def _project_ids(url):
    engine = make_engine(url)
    ids = [p.id for p in project_service.list_projects(engine)]
    engine.dispose()
    return ids


def test_a_decision_on_a_box_decided_meanwhile_is_refused_and_keeps_the_typing(open_app, app_db):
    project, forest = seed_one(app_db)
    form = f"decide_{forest.id}"
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    widget(bo.radio, form, "Decision").set_value(svc.Decision.CULL)
    widget(bo.text_area, form, "Why? *").input("Too slow")
    for question, answer in zip(svc.RESEARCH_REVIEW_QUESTIONS, REVIEW, strict=True):
        widget(bo.text_input, form, question).input(answer)
    submit(bo, "Record decision", form)
    assert stored(app_db).experiment.decision == "cull"

    widget(ann.radio, form, "Decision").set_value(svc.Decision.EXTEND)
    widget(ann.text_area, form, "Why? *").input("Labels arrive next week")
    new_end = add_working_days(TODAY, 5)
    widget(ann.date_input, form, "New end (extend only)").set_value(new_end)
    for question, answer in zip(svc.RESEARCH_REVIEW_QUESTIONS, REVIEW, strict=True):
        widget(ann.text_input, form, question).input(answer)
    submit(ann, "Record decision", form)
    refused_with_conflict_view(ann)
    assert widget(ann.text_area, form, "Why? *").value == "Labels arrive next week"
    view = stored(app_db)
    assert (view.experiment.decision, view.experiment.decided_by) == ("cull", "Bo")
    assert view.extensions == ()


def test_a_research_review_answered_meanwhile_is_refused_and_keeps_the_answers(open_app, app_db):
    project, forest = seed_one(app_db, elapsed=3)  # research over, the prototype under way
    form = f"review_{forest.id}"
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    for question, answer in zip(svc.RESEARCH_REVIEW_QUESTIONS, REVIEW, strict=True):
        widget(bo.text_input, form, question).input(answer)
    submit(bo, "Save review", form)
    mine = ["Autoencoder", "Rules", "No", "Maybe"]
    for question, answer in zip(svc.RESEARCH_REVIEW_QUESTIONS, mine, strict=True):
        widget(ann.text_input, form, question).input(answer)
    submit(ann, "Save review", form)
    refused_with_conflict_view(ann)
    question = svc.RESEARCH_REVIEW_QUESTIONS[0]
    assert widget(ann.text_input, form, question).value == "Autoencoder"
    assert stored(app_db).experiment.review_answers[question] == REVIEW[0]


def test_a_status_move_on_a_stale_view_is_refused(open_app, app_db):
    project, forest = seed_one(app_db, elapsed=1)
    form = f"status_{forest.id}"
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    widget(bo.selectbox, form, "Move to status").set_value(svc.ExperimentStatus.RESEARCHING)
    submit(bo, "Change status", form)
    widget(ann.selectbox, form, "Move to status").set_value(svc.ExperimentStatus.PROTOTYPING)
    submit(ann, "Change status", form)
    refused_with_conflict_view(ann)
    assert widget(ann.selectbox, form, "Move to status").value == "prototyping"
    assert stored(app_db).experiment.status == "researching"


def test_a_result_saved_meanwhile_is_not_overwritten_by_a_second_click(open_app, app_db):
    project, forest = seed_one(app_db, elapsed=1)
    form = f"result_{forest.id}"
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    widget(bo.text_input, form, "Metric").input("precision@200")
    widget(bo.number_input, form, "Result").set_value(0.6)
    submit(bo, "Save result", form)
    widget(ann.text_input, form, "Metric").input("precision@200")
    widget(ann.number_input, form, "Result").set_value(0.7)
    submit(ann, "Save result", form)
    refused_with_conflict_view(ann)
    submit(ann, "Save result", form)  # clicking again does not overwrite Bo's result
    assert stored(app_db).experiment.result_value == 0.6
    assert widget(ann.number_input, form, "Result").value == 0.7


def test_an_edit_on_a_stale_view_is_refused_then_saves_only_what_was_changed(open_app, app_db):
    project, forest = seed_one(app_db, elapsed=1)
    form = f"edit_{forest.id}"
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    widget(bo.text_input, form, "Owner").input("Mei")
    submit(bo, "Save changes", form)
    widget(ann.text_area, form, "Hypothesis").input("Unusual rides are isolated quickly")
    submit(ann, "Save changes", form)
    refused_with_conflict_view(ann)
    submit(ann, "Save changes", form)  # clicking again is refused again
    assert stored(app_db).experiment.hypothesis == ""
    click(ann, KEEP)
    submit(ann, "Save changes", form)
    saved = stored(app_db).experiment
    assert (saved.hypothesis, saved.owner) == ("Unusual rides are isolated quickly", "Mei")


def test_a_go_on_a_project_moved_by_a_no_go_meanwhile_is_refused(open_app, app_db):
    project, forest = seed_one(app_db, phase=Phase.EXPERIMENTATION, elapsed=1)
    form = f"gonogo_{project.id}"
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    widget(bo.radio, form, "Decision").set_value("No-Go")
    widget(bo.text_area, form, "Reasons *").input("Nothing beats the rule")
    click(bo, "Record Go/No-Go")
    confirm(bo)
    widget(ann.selectbox, form, "MVP approach (Go only)").set_value(forest.id)
    widget(ann.text_area, form, "Reasons *").input("Forest is good enough")
    click(ann, "Record Go/No-Go")
    confirm(ann)
    refused_with_conflict_view(ann)
    assert widget(ann.text_area, form, "Reasons *").value == "Forest is good enough"
    engine = make_engine(app_db)
    decisions = svc.list_go_no_go(engine, project.id)
    phase = project_service.get_project(engine, project.id).project.phase
    engine.dispose()
    assert [(d.go, d.decided_by) for d in decisions] == [(False, "Bo")]
    assert phase is Phase.SCOPING
    assert stored(app_db).experiment.decision is None


def test_a_start_moved_by_someone_else_leaves_an_untouched_form_current(open_app, app_db):
    """A form the user has not touched follows the stored record (nothing of theirs to keep)."""
    project, forest = seed_one(app_db, elapsed=1)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    engine = make_engine(app_db)
    svc.update_experiment(
        engine,
        experiment_id=forest.id,
        expected_version=stored(app_db).experiment.version,
        data={"start_date": TODAY - timedelta(days=1)},
        actor="Bo",
    )
    engine.dispose()
    ann.run()
    form = f"edit_{forest.id}"
    assert widget(ann.date_input, form, "Start date").value == TODAY - timedelta(days=1)
    widget(ann.text_input, form, "Owner").input("Priya")
    submit(ann, "Save changes", form)
    assert stored(app_db).experiment.owner == "Priya"
