"""AppTest: the expert's private form (only that form, drafts survive, submit) and the team page."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.dates import TODAY
from tests.ui.conftest import APP, TIMEOUT
from tests.ui.helpers import click, confirm
from workbench import clock
from workbench.db import make_engine
from workbench.models import SourceKind
from workbench.services import interviews as svc
from workbench.services import projects as project_service
from workbench.services import registers

TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "text", "code")
MESSAGE_ELEMENTS = ("info", "warning", "error", "success", "exception")
WIDGETS = ("text_input", "text_area", "selectbox", "multiselect", "button", "checkbox", "radio")


@pytest.fixture
def seeded(app_db):
    """Two projects; an interview with Dana on the first; the plain token."""
    engine = make_engine(app_db)
    project = project_service.create_project(
        engine,
        data={"name": "Dispatch delays", "problem": "Trucks leave late"},
        actor="Ann",
        today=TODAY,
    )
    project_service.create_project(engine, data={"name": "Secret pricing"}, actor="Bo", today=TODAY)
    link = svc.create_interview(
        engine,
        project_id=project.id,
        expert_name="Dana",
        expert_team="Dispatch",
        template_id="sme_default",
        drop_question_ids=["exceptions", "worries", "success_for_you", "data_used"],
        actor="Ann",
        now=clock.now(),
    )
    yield {"engine": engine, "project": project, "link": link}
    engine.dispose()


def open_link(token: str) -> AppTest:
    """A fresh browser session opening `…/?interview=TOKEN` (no name, no project chosen)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["interview"] = token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything_shown(at: AppTest) -> str:
    """All text the page shows: elements, messages and widget labels, main area and sidebar."""
    parts = []
    for kind in TEXT_ELEMENTS + MESSAGE_ELEMENTS:
        parts += [str(element.value) for element in at.get(kind)]
    for kind in WIDGETS:
        parts += [str(widget.label) for widget in at.get(kind)]
    return "\n".join(parts)


def by_label(widgets, label):
    matches = [w for w in widgets if w.label == label]
    assert matches, f"no widget labelled {label!r}: {[w.label for w in widgets]}"
    return matches[0]


def answer_box(at: AppTest, start: str):
    matches = [w for w in at.text_area if start in w.label]
    assert len(matches) == 1, [w.label for w in at.text_area]
    return matches[0]


def test_the_link_shows_only_the_experts_form(seeded):
    at = open_link(seeded["link"].token)
    assert at.title[0].value == "Teach us how you do it now"
    shown = everything_shown(at)
    assert "Dispatch delays" in shown and "Dana" in shown
    assert len(at.text_area) == 3
    assert "How is this done today?" in at.text_area[0].label
    assert at.text_area[0].help.startswith("Teach us as you would teach a new colleague")
    # nothing else: no sidebar, no project picker, no name box, no page links, no other project
    assert len(at.sidebar.children) == 0
    assert not at.get("page_link")
    assert not [w for w in at.selectbox if w.label == "Project"]
    assert not [w for w in at.text_input if w.label == "Your name"]
    for foreign in ("Secret pricing", "Trucks leave late", "Portfolio", "Charter", "Ann"):
        assert foreign not in shown, foreign


def test_a_bad_token_shows_only_that_the_link_is_not_valid(seeded):
    for token in ("not-a-token", seeded["link"].token + "x"):
        at = open_link(token)
        assert [t.value for t in at.title] == ["This link is not valid."]
        shown = everything_shown(at)
        for foreign in ("Dispatch delays", "Secret pricing", "Dana", "Portfolio"):
            assert foreign not in shown
        assert not at.text_area and not at.button and not at.selectbox and not at.text_input
        assert len(at.sidebar.children) == 0


def test_a_revoked_link_shows_the_same_page(seeded):
    link = seeded["link"]
    svc.revoke_interview(
        seeded["engine"],
        project_id=seeded["project"].id,
        interview_id=link.interview.id,
        expected_version=link.interview.version,
        actor="Ann",
        now=clock.now(),
    )
    at = open_link(link.token)
    assert [t.value for t in at.title] == ["This link is not valid."]
    assert not at.text_area


def test_the_form_saves_a_draft_that_a_fresh_session_shows_then_submits(seeded):
    token, engine = seeded["link"].token, seeded["engine"]
    at = open_link(token)
    answer_box(at, "How is this done today?").input("I check the board at 6am").run()
    assert not at.exception
    assert svc.open_interview_by_token(engine, token, clock.now()).answers == {
        "how_done_today": "I check the board at 6am"
    }
    assert any("Draft saved at" in c.value for c in at.caption)

    again = open_link(token)  # a refresh, or coming back tomorrow
    assert answer_box(again, "How is this done today?").value == "I check the board at 6am"
    answer_box(again, "Which decisions").input("The shift lead, 40 a day")
    submit = by_label(again.button, "Submit answers")
    assert submit.disabled  # needs the confirmation first
    by_label(again.checkbox, again.checkbox[0].label).check().run()
    by_label(again.button, "Submit answers").click().run()
    assert not again.exception
    assert any("Thank you, Dana!" in s.value for s in again.success)
    assert not again.text_area  # read-only now
    assert "I check the board at 6am" in everything_shown(again).replace("\\", "")

    form = svc.open_interview_by_token(engine, token, clock.now())
    assert form.read_only
    assert form.answers == {
        "how_done_today": "I check the board at 6am",
        "decisions": "The shift lead, 40 a day",
    }
    later = open_link(token)
    assert any("Thank you, Dana!" in s.value for s in later.success)
    assert not later.text_area


def test_team_page_smoke_creates_an_interview_and_shows_the_link_once(open_app, seeded):
    engine, project = seeded["engine"], seeded["project"]
    at = open_app("pages/team/interviews.py", project=project.id)
    assert at.title[0].value == "SME interviews"
    assert list(at.dataframe[0].value["Expert"]) == ["Dana (Dispatch)"]
    by_label(at.text_input, "Expert's name *").input("Eli")
    by_label(at.text_input, "Team").input("Fleet")
    by_label(at.text_area, "Your own questions (one per line)").input("Which trucks break down?")
    by_label(at.button, "Create interview and link").click().run()
    assert not at.exception
    [code] = at.code
    assert "/?interview=" in code.value
    token = code.value.split("interview=", 1)[1]
    form = svc.open_interview_by_token(engine, token, clock.now())
    assert form.expert_name == "Eli"
    assert form.questions[-1].text == "Which trucks break down?"
    assert list(at.dataframe[0].value["Expert"]) == ["Dana (Dispatch)", "Eli (Fleet)"]
    at.run()
    assert not at.code  # shown once: the app cannot show the token again


def test_team_page_refuses_an_interview_without_an_expert_name(open_app, seeded):
    at = open_app("pages/team/interviews.py", project=seeded["project"].id)
    by_label(at.button, "Create interview and link").click().run()
    assert "Required: who is the expert?" in everything_shown(at)
    assert not at.code
    assert len(svc.list_interviews(seeded["engine"], seeded["project"].id, now=clock.now())) == 1


def test_the_pm_revokes_a_link_and_it_stops_working(open_app, seeded):
    at = open_app("pages/team/interviews.py", project=seeded["project"].id)
    by_label(at.button, "Revoke link").click().run()
    assert open_link(seeded["link"].token).title[0].value == "Teach us how you do it now"
    confirm(at)  # revoking asks first
    assert "no longer works" in everything_shown(at)
    assert [t.value for t in open_link(seeded["link"].token).title] == ["This link is not valid."]

    click(at, "Reopen link")  # the undo: the same link works again, and it is logged
    assert open_link(seeded["link"].token).title[0].value == "Teach us how you do it now"
    entries = project_service.list_activity(seeded["engine"], seeded["project"].id)
    actions = [e.action for e in entries]
    assert actions[:2] == ["interview link reopened", "interview revoked"]


def test_the_pm_turns_an_answer_into_a_risk_that_links_back(open_app, seeded):
    engine, project, token = seeded["engine"], seeded["project"], seeded["link"].token
    svc.submit(
        engine,
        token,
        {"cost_of_wrong_decision": "A missed delay costs a customer"},
        clock.now(),
    )
    [answer] = svc.list_answers(engine, project.id)
    at = open_app("pages/team/interviews.py", project=project.id)
    grid = at.dataframe[1].value
    assert list(grid["Dana (Dispatch)"]) == ["", "", "A missed delay costs a customer"]
    assert "Nothing made from this answer yet." in everything_shown(at)
    by_label(at.radio, "Turn into").set_value(svc.ConversionTarget.RISK).run()
    by_label(at.text_input, "Risk title").input("Missed delays lose customers")
    by_label(at.button, "Turn into risk").click().run()
    assert not at.exception

    [risk] = registers.list_risks(engine, project.id)
    assert risk.title == "Missed delays lose customers"
    assert (risk.source_kind, risk.source_id) == (SourceKind.INTERVIEW, answer.id)
    assert risk.source_label.startswith("Interview with Dana (Dispatch), Q: What does a wrong")
    [made] = svc.list_answers(engine, project.id)[0].derived
    assert made.record_id == risk.id
    shown = everything_shown(at)
    assert f"Risk #{risk.id}: Missed delays lose customers" in shown
    assert project_service.list_activity(engine, project.id)[0].actor == "Ann"


def test_the_pm_adds_an_answer_to_the_charter(open_app, seeded):
    engine, project, token = seeded["engine"], seeded["project"], seeded["link"].token
    svc.submit(engine, token, {"how_done_today": "We phone every driver"}, clock.now())
    at = open_app("pages/team/interviews.py", project=project.id)
    by_label(at.radio, "Turn into").set_value(svc.ConversionTarget.CHARTER).run()
    assert by_label(at.selectbox, "Charter field").value == "current_process"
    by_label(at.button, "Turn into charter text").click().run()
    assert not at.exception
    stored = project_service.get_project(engine, project.id).project
    assert stored.current_process == "We phone every driver — Dana (Dispatch), SME interview"
    assert "Made charter text #" in everything_shown(at)


def test_the_pm_makes_a_new_link_when_the_old_one_is_lost(open_app, seeded):
    old = seeded["link"].token
    at = open_app("pages/team/interviews.py", project=seeded["project"].id)
    by_label(at.button, "New link").click().run()
    assert not at.exception
    [code] = at.code
    new = code.value.split("interview=", 1)[1]
    assert new != old
    assert [t.value for t in open_link(old).title] == ["This link is not valid."]
    assert open_link(new).title[0].value == "Teach us how you do it now"


# --- Faults: nothing the expert typed is lost, one submit, one conversion -----------------------


def submit_now(at: AppTest) -> AppTest:
    by_label(at.checkbox, at.checkbox[0].label).check().run()
    by_label(at.button, "Submit answers").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def submitted_entries(seeded) -> list:
    entries = project_service.list_activity(seeded["engine"], seeded["project"].id)
    return [e for e in entries if e.action == "interview submitted"]


def test_a_refused_save_keeps_what_the_expert_typed_in_another_window(seeded):
    """Fault: tab B was open when tab A submitted; B's new words were wiped from the page."""
    token = seeded["link"].token
    first, second = open_link(token), open_link(token)
    answer_box(first, "How is this done today?").input("The depot board")
    submit_now(first)
    answer_box(second, "How is this done today?").input("Radio calls at 5am").run()
    assert not second.exception
    shown = everything_shown(second)
    assert "Radio calls at 5am" in shown  # still on the page, to copy
    assert any("These answers were submitted" in e.value for e in second.error)
    form = svc.open_interview_by_token(seeded["engine"], token, clock.now())
    assert form.answers == {"how_done_today": "The depot board"}  # A's answer stands


def test_a_submit_refused_by_a_revoked_link_keeps_the_experts_words(seeded):
    """Fault: the team revoked the link while the expert typed; submit showed 'not valid' and
    everything typed was gone."""
    token, link = seeded["link"].token, seeded["link"]
    at = open_link(token)
    answer_box(at, "How is this done today?").input("I check the board at 6am").run()
    by_label(at.checkbox, at.checkbox[0].label).check().run()
    svc.revoke_interview(
        seeded["engine"],
        project_id=seeded["project"].id,
        interview_id=link.interview.id,
        expected_version=2,  # the expert's draft made it a draft (version 2)
        actor="Ann",
        now=clock.now(),
    )
    answer_box(at, "Which decisions").input("The shift lead, 40 a day")
    by_label(at.button, "Submit answers").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["This link is not valid."]
    shown = everything_shown(at)
    assert "I check the board at 6am" in shown and "The shift lead, 40 a day" in shown
    assert not submitted_entries(seeded)


def test_a_double_submit_submits_once_and_is_no_error(seeded):
    """Fault: the same answers submitted twice (a second window, a double click) showed an
    error after a successful submit."""
    token = seeded["link"].token
    svc.save_draft(seeded["engine"], token, {"how_done_today": "The depot board"}, clock.now())
    first, second = open_link(token), open_link(token)
    for tab in (first, second):
        by_label(tab.checkbox, tab.checkbox[0].label).check().run()
    by_label(first.button, "Submit answers").click().run()
    by_label(second.button, "Submit answers").click().run()
    assert not second.exception and not second.error
    assert any("Thank you, Dana!" in s.value for s in second.success)
    assert len(submitted_entries(seeded)) == 1


def test_a_second_click_turns_an_answer_into_one_risk_only(open_app, seeded):
    """Fault: after a conversion the form showed the answer again and a second click made a
    second risk from the same answer."""
    engine, project = seeded["engine"], seeded["project"]
    answers = {"cost_of_wrong_decision": "Drivers ignore alerts"}
    svc.submit(engine, seeded["link"].token, answers, clock.now())
    at = open_app("pages/team/interviews.py", project=project.id)
    by_label(at.radio, "Turn into").set_value(svc.ConversionTarget.RISK).run()
    click(at, "Turn into risk")
    assert any(s.value.startswith("Made risk #") for s in at.success)
    click(at, "Turn into risk")  # asks first: this answer already made a risk
    assert len(registers.list_risks(engine, project.id)) == 1
    assert any(b.key and b.key.endswith("__confirmed") for b in at.button)
    confirm(at)  # only an explicit "yes" makes a second one
    assert len(registers.list_risks(engine, project.id)) == 2


def test_the_new_interview_form_is_empty_after_a_save(open_app, seeded):
    engine, project = seeded["engine"], seeded["project"]
    at = open_app("pages/team/interviews.py", project=project.id)
    by_label(at.text_input, "Expert's name *").input("Eli")
    click(at, "Create interview and link")
    assert by_label(at.text_input, "Expert's name *").value == ""
    click(at, "Create interview and link")  # the emptied form: refused, nothing created
    assert "Required: who is the expert?" in everything_shown(at)
    assert len(svc.list_interviews(engine, project.id, now=clock.now())) == 2
