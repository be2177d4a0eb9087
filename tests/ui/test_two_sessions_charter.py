"""Two people on the Charter page at once (two AppTest sessions on one database, the second
opened before the first saves): what one saved is never lost or overwritten by the other."""

from tests.dates import TODAY
from tests.ui.helpers import by_label, click, confirm, edit_table
from workbench.db import make_engine
from workbench.domain.lifecycle import Phase
from workbench.services import projects as svc

CHARTER = "pages/team/charter.py"
NOTE = "Note (why now; required when items are open or moving back)"


def seed(url, name="Fraud alerts"):
    engine = make_engine(url)
    project = svc.create_project(engine, data={"name": name}, actor="Seeder", today=TODAY)
    engine.dispose()
    return project


def stored(url, project_id):
    engine = make_engine(url)
    detail = svc.get_project(engine, project_id)
    engine.dispose()
    return detail


def move_phase(at, note="Sponsor agreed"):
    by_label(at.text_input, NOTE).input(note)
    click(at, "Move phase")
    confirm(at)


def test_a_phase_move_on_a_stale_view_is_refused(open_app, app_db):
    """Fault 1: Ann saw Planning; Bo moved to Scoping; Ann's move must not jump two steps."""
    project = seed(app_db)
    ann = open_app(CHARTER, actor="Ann", project=project.id)
    bo = open_app(CHARTER, actor="Bo", project=project.id)
    move_phase(bo)
    assert stored(app_db, project.id).project.phase is Phase.SCOPING

    move_phase(ann, "Let's start")
    assert stored(app_db, project.id).project.phase is Phase.SCOPING
    assert any("changed after you opened it" in e.value for e in ann.error)
    assert len(stored(app_db, project.id).transitions) == 1


def test_two_checklists_keep_each_others_ticks(open_app, app_db):
    """Fault 2: each save sends only the boxes its user changed."""
    project = seed(app_db)
    ann = open_app(CHARTER, actor="Ann", project=project.id)
    bo = open_app(CHARTER, actor="Bo", project=project.id)
    by_label(ann.checkbox, "A target delivery date is set").check()
    click(ann, "Save checklist")
    by_label(bo.checkbox, "The non-ML baseline or heuristic to beat is named").check()
    click(bo, "Save checklist")
    done = stored(app_db, project.id).done_gate_items[Phase.PLANNING]
    assert done == {"delivery_date", "baseline_named"}


def test_unticking_in_one_session_leaves_the_others_new_tick(open_app, app_db):
    project = seed(app_db)
    ann = open_app(CHARTER, actor="Ann", project=project.id)
    by_label(ann.checkbox, "A target delivery date is set").check()
    click(ann, "Save checklist")
    bo = open_app(CHARTER, actor="Bo", project=project.id)
    by_label(ann.checkbox, "The non-ML baseline or heuristic to beat is named").check()
    click(ann, "Save checklist")
    by_label(bo.checkbox, "A target delivery date is set").uncheck()
    click(bo, "Save checklist")
    assert stored(app_db, project.id).done_gate_items[Phase.PLANNING] == {"baseline_named"}


def test_after_a_move_the_form_is_empty_and_a_second_click_moves_nothing(open_app, app_db):
    """Fault 3: the note clears and the target does not silently move on."""
    project = seed(app_db)
    ann = open_app(CHARTER, actor="Ann", project=project.id)
    move_phase(ann)
    assert by_label(ann.text_input, NOTE).value == ""
    assert any(s.value == "Moved to Scoping & research." for s in ann.success)
    click(ann, "Move phase")  # the emptied form: the dialog asks first, nothing moves yet
    assert stored(app_db, project.id).project.phase is Phase.SCOPING
    assert len(stored(app_db, project.id).transitions) == 1


def test_a_move_can_be_undone_from_the_page(open_app, app_db):
    project = seed(app_db)
    ann = open_app(CHARTER, actor="Ann", project=project.id)
    move_phase(ann)
    click(ann, "Undo the move: back to Planning")
    detail = stored(app_db, project.id)
    assert detail.project.phase is Phase.PLANNING
    assert detail.transitions[0].note == "Undo of the move to Scoping & research"
    assert not [b for b in ann.button if b.label.startswith("Undo the move")]


def test_cancelling_the_confirmation_moves_nothing(open_app, app_db):
    project = seed(app_db)
    ann = open_app(CHARTER, actor="Ann", project=project.id)
    by_label(ann.text_input, NOTE).input("maybe")
    click(ann, "Move phase")
    next(b for b in ann.button if b.key.endswith("__cancelled")).click()
    ann.run()
    assert stored(app_db, project.id).project.phase is Phase.PLANNING
    assert by_label(ann.text_input, NOTE).value == "maybe"  # nothing typed is lost


def test_a_stale_criteria_edit_is_refused_and_keeps_the_users_rows(open_app, app_db):
    project = seed(app_db)
    ann = open_app(CHARTER, actor="Ann", project=project.id)
    bo = open_app(CHARTER, actor="Bo", project=project.id)
    by_label(ann.text_input, "Sponsor").input("CFO")
    click(ann, "Save charter")
    edit_table(
        bo,
        "_criteria",
        added=[{"criterion": "Fewer chargebacks", "business_metric": "Chargeback rate"}],
    )
    click(bo, "Save charter")
    assert any("changed after you opened it" in e.value for e in bo.error)
    assert not stored(app_db, project.id).criteria
    assert stored(app_db, project.id).project.sponsor == "CFO"
    # "Keep my edits" takes the newer version as seen; the second save stores Bo's row
    click(bo, "Keep my edits (I have read the newer values)")
    click(bo, "Save charter")
    [criterion] = stored(app_db, project.id).criteria
    assert criterion.criterion == "Fewer chargebacks"
    assert stored(app_db, project.id).project.sponsor == "CFO"  # Bo never touched it
