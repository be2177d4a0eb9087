"""Two people on the Cost & value page at once (two AppTest sessions on one database, the second
opened before the first saves): a save or a delete made on a stale view of a scenario is refused
with the conflict view, and nothing anyone typed or saved is lost or duplicated."""

from tests.dates import TODAY
from tests.ui.helpers import by_label, click, confirm, messages
from workbench.db import make_engine
from workbench.services import estimates as svc
from workbench.services import projects as project_service

PAGE = "pages/team/estimates.py"
PRICE = "Price per GPU-hour (USD)"


def seed(url):
    """A project with one saved scenario "Base case" (the page's starter inputs)."""
    engine = make_engine(url)
    project = project_service.create_project(
        engine, data={"name": "Churn model"}, actor="Seeder", today=TODAY
    )
    cost, value = svc.starter_inputs()
    scenario = svc.save_scenario(
        engine,
        project_id=project.id,
        name="Base case",
        cost_inputs=cost.to_dict(),
        value_inputs=value.to_dict(),
        actor="Seeder",
    )
    engine.dispose()
    return project, scenario


def stored(url, project_id):
    engine = make_engine(url)
    scenarios = svc.list_scenarios(engine, project_id)
    log = project_service.list_activity(engine, project_id)
    engine.dispose()
    return scenarios, log


def load(at, scenario_id):
    by_label(at.selectbox, "Saved scenario").set_value(scenario_id).run()
    return click(at, "Load")


def click_in_save_form(at, label):
    """Click `label` of the save form (the delete form may show a button of the same name)."""
    [button] = [b for b in at.button if b.label == label and "_scenario__" in (b.key or "")]
    button.click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def conflict_rows(at):
    """The rows of the conflict view: what differs, yours, saved meanwhile."""
    tables = [d.value for d in at.dataframe if "Saved meanwhile" in list(d.value.columns)]
    assert tables, "no conflict view on the page"
    return {row["What"]: (row["Yours"], row["Saved meanwhile"]) for _, row in tables[0].iterrows()}


def test_a_save_over_a_scenario_saved_meanwhile_is_refused_and_keeps_her_inputs(open_app, app_db):
    """Fault 1: Ann's update is checked against the version she loaded, not the newest one."""
    project, scenario = seed(app_db)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    load(ann, scenario.id)
    load(bo, scenario.id)

    by_label(bo.number_input, PRICE).set_value(3.0).run()
    click(bo, "Update “Base case”")
    assert any(s.value == "Scenario updated." for s in bo.success)

    by_label(ann.number_input, "GPUs").set_value(16.0).run()
    click(ann, "Update “Base case”")
    assert any("changed after you opened it" in e.value for e in ann.error)
    assert any("latest change was by Bo" in e.value for e in ann.error)
    # the conflict view, in the users' words: the input's label, hers beside Bo's
    rows = conflict_rows(ann)
    assert rows[PRICE] == (str(scenario.cost_inputs["price_per_gpu_hour_usd"]), "3.0")
    assert rows["GPUs"] == ("16.0", "8.0")
    [saved], _ = stored(app_db, project.id)
    assert (saved.version, saved.cost_inputs["price_per_gpu_hour_usd"]) == (2, 3.0)
    assert saved.cost_inputs["gpus"] == 8
    assert by_label(ann.number_input, "GPUs").value == 16  # nothing she typed is lost

    # having read Bo's values, Ann keeps hers: the save goes over version 2 and is logged
    click(ann, "Keep my edits (I have read the newer values)")
    click(ann, "Update “Base case”")
    [saved], log = stored(app_db, project.id)
    assert (saved.version, saved.cost_inputs["gpus"]) == (3, 16)
    assert (log[0].actor, log[0].action) == ("Ann", "scenario updated")


def test_loading_the_newer_version_shows_what_was_saved_meanwhile(open_app, app_db):
    project, scenario = seed(app_db)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    load(ann, scenario.id)
    load(bo, scenario.id)
    by_label(bo.number_input, PRICE).set_value(3.0).run()
    click(bo, "Update “Base case”")
    by_label(ann.number_input, "GPUs").set_value(16.0).run()
    click(ann, "Update “Base case”")

    click_in_save_form(ann, "Load the newer version (drop my edits)")
    assert by_label(ann.number_input, PRICE).value == 3.0
    assert by_label(ann.number_input, "GPUs").value == 8
    assert not [d for d in ann.dataframe if "Saved meanwhile" in list(d.value.columns)]
    by_label(ann.number_input, "Epochs").set_value(2.0).run()
    click(ann, "Update “Base case”")
    [saved], _ = stored(app_db, project.id)
    assert (
        saved.version,
        saved.cost_inputs["epochs"],
        saved.cost_inputs["price_per_gpu_hour_usd"],
    ) == (3, 2.0, 3.0)


def test_save_as_new_twice_from_one_rendered_form_creates_one_scenario(open_app, app_db):
    """Fault 1: a second click on the same rendered form (a double click) saves nothing more
    and refuses nothing: that generation of the form has saved already."""
    project, _ = seed(app_db)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    by_label(ann.text_input, "Scenario name").input("Spot GPUs")
    by_label(ann.text_input, "Notes").input("what spot instances cost")
    save = next(b for b in ann.button if b.label == "Save as new scenario")
    save.click().run()  # runs the page from this rendered form
    save.click().run()  # the same rendered form again
    assert not ann.exception

    scenarios, log = stored(app_db, project.id)
    assert [s.name for s in scenarios] == ["Base case", "Spot GPUs"]
    assert [e.action for e in log].count("scenario saved") == 2  # the seed's and Ann's
    assert not any("already has a scenario" in m for m in messages(ann))
    assert not any("already has a scenario" in m.value for m in ann.markdown)
    assert any("Editing **Spot GPUs**" in i.value for i in ann.info)


def test_a_delete_on_a_stale_view_is_refused_and_deletes_nothing(open_app, app_db):
    """Fault 2: Ann picked the scenario before Bo edited it; her delete must not remove Bo's
    just-saved edit."""
    project, scenario = seed(app_db)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    by_label(ann.selectbox, "Saved scenario").set_value(scenario.id).run()
    load(bo, scenario.id)
    by_label(bo.text_input, "Notes").input("spot prices from March")
    click(bo, "Update “Base case”")

    ann.run()
    assert any("Someone changed this since you opened it" in w.value for w in ann.warning)
    click(ann, "Delete")
    confirm(ann)
    assert any("changed after you opened it" in e.value for e in ann.error)
    [kept], log = stored(app_db, project.id)
    assert (kept.notes, kept.version) == ("spot prices from March", 2)
    assert "scenario deleted" not in [e.action for e in log]


def test_a_scenario_deleted_meanwhile_can_still_be_saved_as_new(open_app, app_db):
    project, scenario = seed(app_db)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    load(ann, scenario.id)
    by_label(bo.selectbox, "Saved scenario").set_value(scenario.id).run()
    click(bo, "Delete")
    confirm(bo)

    by_label(ann.number_input, PRICE).set_value(2.0).run()
    assert any("was deleted meanwhile" in w.value for w in ann.warning)
    assert not [b for b in ann.button if b.label.startswith("Update")]
    by_label(ann.text_input, "Scenario name").input("Base case again")
    click(ann, "Save as new scenario")
    [saved], _ = stored(app_db, project.id)
    assert (saved.name, saved.cost_inputs["price_per_gpu_hour_usd"]) == ("Base case again", 2.0)


def test_the_notice_of_a_newer_save_loads_it_without_a_refused_save(open_app, app_db):
    project, scenario = seed(app_db)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    load(ann, scenario.id)
    load(bo, scenario.id)
    by_label(bo.number_input, PRICE).set_value(3.0).run()
    click(bo, "Update “Base case”")

    ann.run()
    assert any("Someone changed this since you opened it" in w.value for w in ann.warning)
    click_in_save_form(ann, "Load the newer version (drop my edits)")
    assert by_label(ann.number_input, PRICE).value == 3.0
    by_label(ann.number_input, "GPUs").set_value(16.0).run()
    click(ann, "Update “Base case”")
    [saved], _ = stored(app_db, project.id)
    assert (saved.version, saved.cost_inputs["gpus"]) == (3, 16)
    assert saved.cost_inputs["price_per_gpu_hour_usd"] == 3.0  # Bo's price is kept
