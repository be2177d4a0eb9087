"""Two people on the Parking lot page at once (two AppTest sessions on one database, the second
opened before the first saves): what one saved is never lost or overwritten by the other, and a
save made on a stale view is refused with the conflict view, the user's edits kept."""

from tests.dates import TODAY
from tests.ui.helpers import by_label, click, confirm, edit_table, editor
from workbench.db import make_engine
from workbench.services import parking_lot as lot
from workbench.services import projects as project_service

PAGE = "pages/team/parking_lot.py"
CRITERION = "Success criterion, against the baseline *"
STALE = "changed after you opened it"


def seed(url, *ideas):
    """A project with these ideas parked (none due), oldest first."""
    engine = make_engine(url)
    project = project_service.create_project(
        engine,
        data={"name": "Ride-time anomalies", "baseline": "Flag rides over 3x the median"},
        actor="Seeder",
        today=TODAY,
    )
    items = [
        lot.add_item(engine, project_id=project.id, data={"idea": idea}, actor="Seeder")
        for idea in ideas
    ]
    engine.dispose()
    return project, items


def stored(url, project_id):
    """The stored ideas by their text."""
    engine = make_engine(url)
    rows = lot.list_items(engine, project_id, TODAY)
    engine.dispose()
    return {row.item.idea: row for row in rows}


def experiments_of(url, project_id):
    engine = make_engine(url)
    from workbench.services import experiments

    listed = experiments.list_experiments(engine, project_id, TODAY)
    engine.dispose()
    return [view.experiment for view in listed]


def save_table(at, **edits):
    edit_table(at, "parking_table", **edits)
    return click(at, "Save changes")


def refused(at) -> bool:
    return any(STALE in e.value for e in at.error)


# --- The table ------------------------------------------------------------------------------


def test_a_stale_edit_of_the_same_row_is_refused_and_keeps_the_users_edit(open_app, app_db):
    """Bo makes 'Driver embeddings' due (so it sorts first); Ann, on her older view, edits that
    same idea. Old page: her edit landed on the row now in her row's place ('Weather features'),
    silently; now it is refused with the conflict view and her edit stays in the table."""
    project, _ = seed(app_db, "Weather features", "Driver embeddings")
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    save_table(bo, edited={1: {"revisit_on": TODAY.isoformat()}})
    assert stored(app_db, project.id)["Driver embeddings"].due

    save_table(ann, edited={1: {"effort": "high"}})
    assert refused(ann)
    ideas = stored(app_db, project.id)
    assert ideas["Driver embeddings"].item.effort == "medium"
    assert ideas["Weather features"].item.effort == "medium"
    assert ann.session_state[editor(ann, "parking_table").key]["edited_rows"] == {
        1: {"effort": "high"}
    }
    # Having read Bo's change, Ann keeps hers: it is stored, and Bo's revisit date stays.
    click(ann, "Keep my edits (I have read the newer values)")
    click(ann, "Save changes")
    driver = stored(app_db, project.id)["Driver embeddings"].item
    assert (driver.effort, driver.revisit_on) == ("high", TODAY)


def test_an_edit_to_another_row_still_saves(open_app, app_db):
    """Old page: Bo's save re-sorted the rows, so Ann's edit of row 1 hit Bo's row and was
    refused as stale; now each row carries the version Ann saw and her row saves."""
    project, _ = seed(app_db, "Weather features", "Driver embeddings")
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    save_table(bo, edited={1: {"revisit_on": TODAY.isoformat()}})

    save_table(ann, edited={0: {"why_deferred": "No weather feed yet"}})
    assert not refused(ann)
    ideas = stored(app_db, project.id)
    assert ideas["Weather features"].item.why_deferred == "No weather feed yet"
    assert ideas["Driver embeddings"].item.why_deferred == ""
    assert ideas["Driver embeddings"].item.revisit_on == TODAY
    assert any(s.value == "Saved 1 changed idea(s)." for s in ann.success)


def test_an_idea_parked_by_someone_else_does_not_break_the_table(open_app, app_db):
    """Old page: a row Ann had not seen had no version, and her save crashed."""
    project, _ = seed(app_db, "Weather features")
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    by_label(bo.text_area, "Idea *").input("Route graph features")
    click(bo, "Park idea")

    save_table(ann, edited={0: {"value": "high"}})
    ideas = stored(app_db, project.id)
    assert ideas["Weather features"].item.value == "high"
    assert ideas["Route graph features"].item.value == "medium"


# --- The park form ----------------------------------------------------------------------------


def test_two_people_parking_at_once_both_keep_their_idea(open_app, app_db):
    """Each add form is its own: Bo's idea does not replace Ann's, and neither is doubled.
    Old page: Ann's table save after Bo's add crashed (the unseen row had no version)."""
    project, _ = seed(app_db, "Weather features")
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    by_label(bo.text_area, "Idea *").input("Route graph features")
    click(bo, "Park idea")
    by_label(ann.text_area, "Idea *").input("Holiday calendar")
    click(ann, "Park idea")
    save_table(ann, edited={0: {"effort": "low"}})
    ideas = stored(app_db, project.id)
    assert sorted(ideas) == ["Holiday calendar", "Route graph features", "Weather features"]
    assert (
        ideas["Holiday calendar"].item.raised_by,
        ideas["Route graph features"].item.raised_by,
    ) == (
        "Ann",
        "Bo",
    )
    assert ideas["Weather features"].item.effort == "low"


# --- Promote to an experiment -----------------------------------------------------------------


def promote(at, criterion="Recall on storm days beats the rule"):
    by_label(at.text_input, CRITERION).input(criterion)
    click(at, "Promote to experiment")
    return confirm(at)


def test_promoting_an_idea_changed_meanwhile_is_refused_and_keeps_the_form(open_app, app_db):
    """Old page: the version was read in the click's own run, so Bo's edit was never noticed
    and Ann promoted the idea as it no longer was."""
    project, _ = seed(app_db, "Weather features")
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    save_table(bo, edited={0: {"why_deferred": "The weather feed costs money"}})

    promote(ann)
    assert refused(ann)
    assert experiments_of(app_db, project.id) == []
    assert stored(app_db, project.id)["Weather features"].item.status == "parked"
    assert by_label(ann.text_input, CRITERION).value == "Recall on storm days beats the rule"


def test_an_idea_promoted_by_someone_else_is_not_promoted_twice(open_app, app_db):
    project, _ = seed(app_db, "Weather features")
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    promote(bo, "Bo's criterion")
    promote(ann)
    assert refused(ann)
    [experiment] = experiments_of(app_db, project.id)
    assert experiment.success_criterion == "Bo's criterion"
    assert by_label(ann.text_input, CRITERION).value == "Recall on storm days beats the rule"


def test_promoting_another_idea_still_works(open_app, app_db):
    project, [weather, _] = seed(app_db, "Weather features", "Driver embeddings")
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    save_table(bo, edited={1: {"effort": "high"}})

    by_label(ann.selectbox, "Parked idea").set_value(weather.id)
    ann.run()
    promote(ann)
    assert not refused(ann)
    [experiment] = experiments_of(app_db, project.id)
    assert (experiment.approach, experiment.parking_lot_item_id) == ("Weather features", weather.id)
    ideas = stored(app_db, project.id)
    assert ideas["Weather features"].item.status == "revived"
    assert ideas["Driver embeddings"].item.effort == "high"
