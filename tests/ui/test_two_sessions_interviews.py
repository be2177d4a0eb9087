"""Two people on the SME interviews page at once (two AppTest sessions on one database, the
second opened before the first acts): a stale action is refused with the conflict view, and
nothing is applied twice — no second link for one expert, no second conversion of one answer,
no link killed or reopened on a view that no longer holds."""

import pytest

from tests.dates import TODAY
from tests.ui.helpers import by_label, click, confirm
from workbench import clock
from workbench.db import make_engine
from workbench.services import interviews as svc
from workbench.services import projects as project_service
from workbench.services import registers
from workbench.services.interviews import ConversionTarget, InterviewStatus

PAGE = "pages/team/interviews.py"
STALE = "changed after you opened it"


@pytest.fixture
def seeded(app_db):
    """A project with an interview of Dana (Dispatch); yields engine, project and link."""
    engine = make_engine(app_db)
    project = project_service.create_project(
        engine, data={"name": "Dispatch delays"}, actor="Seeder", today=TODAY
    )
    link = svc.create_interview(
        engine,
        project_id=project.id,
        expert_name="Dana",
        expert_team="Dispatch",
        template_id="sme_default",
        actor="Seeder",
        now=clock.now(),
    )
    yield {"engine": engine, "project": project, "link": link}
    engine.dispose()


def both(open_app, seeded):
    pid = seeded["project"].id
    return open_app(PAGE, actor="Ann", project=pid), open_app(PAGE, actor="Bo", project=pid)


def actions(seeded, action):
    entries = project_service.list_activity(seeded["engine"], seeded["project"].id)
    return [e for e in entries if e.action == action]


def errors(at) -> str:
    return "\n".join(e.value for e in at.error)


def link_works(seeded, token) -> bool:
    try:
        svc.open_interview_by_token(seeded["engine"], token, clock.now())
    except svc.LinkNotValid:
        return False
    return True


def new_token(at) -> str:
    [code] = at.code
    return code.value.split("interview=", 1)[1]


def create(at, name, team):
    by_label(at.text_input, "Expert's name *").input(name)
    by_label(at.text_input, "Team").input(team)
    return click(at, "Create interview and link")


def test_two_people_do_not_send_one_expert_two_links(open_app, seeded):
    ann, bo = both(open_app, seeded)
    create(bo, "Eli", "Fleet")
    create(ann, "eli", "fleet")
    assert "Not created: Bo created an interview for Eli (Fleet)" in errors(ann)
    assert ann.dataframe  # the conflict view: Ann's entry beside the one made meanwhile
    assert by_label(ann.text_input, "Expert's name *").value == "eli"  # nothing typed is lost
    assert len(actions(seeded, "interview created")) == 2  # the seed's and Bo's
    # another expert is no clash, and "keep my edits" creates Ann's on purpose
    click(ann, "Keep my edits (I have read the newer values)")
    click(ann, "Create interview and link")
    assert len(actions(seeded, "interview created")) == 3


def test_a_new_link_on_a_stale_view_does_not_kill_the_link_just_sent(open_app, seeded):
    ann, bo = both(open_app, seeded)
    click(bo, "New link")
    bos_link = new_token(bo)
    click(ann, "New link")
    assert STALE in errors(ann)
    assert not ann.code  # no link made
    assert link_works(seeded, bos_link)
    assert len(actions(seeded, "interview link replaced")) == 1
    # Ann's other actions now start from the newer state: her revoke (asked first) applies
    click(ann, "Revoke link")
    confirm(ann)
    assert not link_works(seeded, bos_link)
    assert len(actions(seeded, "interview revoked")) == 1


def test_a_revoke_on_a_stale_view_is_refused(open_app, seeded):
    ann, bo = both(open_app, seeded)
    click(bo, "New link")  # Bo sent Dana a fresh link; Ann still sees the old state
    bos_link = new_token(bo)
    click(ann, "Revoke link")
    confirm(ann)
    assert STALE in errors(ann)
    assert link_works(seeded, bos_link)
    assert not actions(seeded, "interview revoked")


def test_reopening_a_revoked_link_twice_reopens_it_once(open_app, seeded):
    link = seeded["link"]
    svc.revoke_interview(
        seeded["engine"],
        project_id=seeded["project"].id,
        interview_id=link.interview.id,
        expected_version=link.interview.version,
        actor="Seeder",
        now=clock.now(),
    )
    ann, bo = both(open_app, seeded)
    click(bo, "Reopen link")
    assert link_works(seeded, link.token)
    click(ann, "Reopen link")
    assert STALE in errors(ann)
    assert len(actions(seeded, "interview link reopened")) == 1


def test_a_stale_reopen_for_edits_does_not_reopen_a_second_time(open_app, seeded):
    engine, token = seeded["engine"], seeded["link"].token
    svc.submit(engine, token, {"how_done_today": "Board"}, clock.now())
    ann, bo = both(open_app, seeded)
    click(bo, "Reopen for edits")
    svc.submit(engine, token, {"how_done_today": "Board and radio"}, clock.now())  # Dana again
    click(ann, "Reopen for edits")
    assert STALE in errors(ann)
    assert svc.open_interview_by_token(engine, token, clock.now()).status == (
        InterviewStatus.SUBMITTED
    )
    assert len(actions(seeded, "interview reopened")) == 1


def submitted(seeded, text="Dispatchers phone every driver"):
    svc.submit(seeded["engine"], seeded["link"].token, {"how_done_today": text}, clock.now())


def choose(at, target):
    by_label(at.radio, "Turn into").set_value(target).run()
    assert not at.exception
    return at


def test_an_answer_goes_into_the_charter_once(open_app, seeded):
    submitted(seeded)
    ann, bo = both(open_app, seeded)
    choose(ann, ConversionTarget.CHARTER)
    choose(bo, ConversionTarget.CHARTER)
    click(bo, "Turn into charter text")
    click(ann, "Turn into charter text")
    assert STALE in errors(ann)
    project = project_service.get_project(seeded["engine"], seeded["project"].id).project
    assert project.current_process.count("Dispatchers phone every driver") == 1
    assert len(actions(seeded, "answer turned into charter text")) == 1


@pytest.mark.parametrize(
    ("target", "button", "count"),
    [
        pytest.param(
            ConversionTarget.RISK,
            "Turn into risk",
            lambda e, p: len(registers.list_risks(e, p)),
            id="risk",
        ),
        pytest.param(
            ConversionTarget.ASSUMPTION,
            "Turn into assumption",
            lambda e, p: len(registers.list_notes(e, p)),
            id="assumption",
        ),
        pytest.param(
            ConversionTarget.OPEN_QUESTION,
            "Turn into open question",
            lambda e, p: len(registers.list_notes(e, p)),
            id="open-question",
        ),
        pytest.param(
            ConversionTarget.PARKING_LOT,
            "Turn into parking-lot item",
            lambda e, p: len(registers.list_parking_lot(e, p)),
            id="parking-lot",
        ),
    ],
)
def test_an_answer_is_turned_into_one_record_not_two(open_app, seeded, target, button, count):
    submitted(seeded)
    ann, bo = both(open_app, seeded)
    choose(ann, target)
    choose(bo, target)
    click(bo, button)
    click(ann, button)
    assert "Not made: what was made from this answer" in errors(ann)
    assert count(seeded["engine"], seeded["project"].id) == 1
    # Ann's text is still in her form; "keep my edits" then makes hers on purpose
    click(ann, "Keep my edits (I have read the newer values)")
    click(ann, button)  # now it asks first: the answer already made one
    confirm(ann)
    assert count(seeded["engine"], seeded["project"].id) == 2
