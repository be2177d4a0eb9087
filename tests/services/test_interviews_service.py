"""SME interviews against a real database (SQLite and PostgreSQL): private links and answers."""

import base64
import dataclasses
import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from workbench.errors import InvalidInput, NotFound, StaleEditError
from workbench.models import SourceKind
from workbench.reference.interviews import InterviewQuestion, InterviewTemplate
from workbench.services import interviews as svc
from workbench.services import projects as project_service
from workbench.services import registers

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 22)
ALL_QUESTIONS = [
    "how_done_today",
    "decisions",
    "cost_of_wrong_decision",
    "data_used",
    "exceptions",
    "success_for_you",
    "worries",
]


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine,
        data={"name": "Dispatch delays", "problem": "Trucks leave late", "sponsor": "COO Rita"},
        actor="Ann",
        today=TODAY,
    )


@pytest.fixture
def other_project(engine):
    return project_service.create_project(
        engine,
        data={"name": "Secret pricing", "problem": "Confidential margin plan"},
        actor="Bo",
        today=TODAY,
    )


def make(engine, project_id, name="Dana", **extra):
    return svc.create_interview(
        engine,
        project_id=project_id,
        expert_name=name,
        expert_role=extra.pop("expert_role", "Shift lead"),
        expert_team=extra.pop("expert_team", "Dispatch"),
        template_id=extra.pop("template_id", "sme_default"),
        actor=extra.pop("actor", "Ann"),
        now=extra.pop("now", NOW),
        **extra,
    )


def version_of(engine, project_id, interview_id):
    """The interview's version now: what a user who just opened the page saw."""
    return next(i for i in svc.list_interviews(engine, project_id, now=NOW) if i.id == interview_id)


def team(action, engine, project_id, interview_id, *, actor="Ann", expected_version=None):
    """A team action on a view of the interview as it is now (or as at `expected_version`)."""
    if expected_version is None:
        expected_version = version_of(engine, project_id, interview_id).version
    return action(
        engine,
        project_id=project_id,
        interview_id=interview_id,
        expected_version=expected_version,
        actor=actor,
        now=NOW,
    )


def seen(engine, project_id, answer_id, kind):
    """How many records of `kind` were made from the answer: the version a conversion pins."""
    answer = next(a for a in svc.list_answers(engine, project_id) if a.id == answer_id)
    return len(answer.made(kind))


# --- Tokens ------------------------------------------------------------------------------------


def test_tokens_are_long_random_and_only_their_hash_is_stored(engine, project):
    first = make(engine, project.id)
    second = make(engine, project.id, name="Eli")
    assert first.token != second.token
    for link in (first, second):
        raw = base64.urlsafe_b64decode(link.token + "=" * (-len(link.token) % 4))
        assert len(raw) * 8 >= 128
        assert len(set(link.token)) >= 16  # not a repeated or trivially patterned string
    with engine.connect() as connection:
        stored = {
            row.id: row.token_hash
            for row in connection.execute(text("SELECT id, token_hash FROM interview"))
        }
        dump = " ".join(
            str(value)
            for table in ("interview", "activity")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
            for value in row
        )
    assert stored[first.interview.id] == hashlib.sha256(first.token.encode()).hexdigest()
    assert stored[second.interview.id] == hashlib.sha256(second.token.encode()).hexdigest()
    assert first.token not in dump and second.token not in dump
    assert first.token not in repr(first)


def same_refusal(engine, token, now=NOW):
    with pytest.raises(svc.LinkNotValid) as error:
        svc.open_interview_by_token(engine, token, now)
    return str(error.value)


def test_a_guessed_revoked_or_expired_token_is_refused_with_the_same_message(engine, project):
    revoked = make(engine, project.id, name="Rev")
    team(svc.revoke_interview, engine, project.id, revoked.interview.id)
    expiring = make(engine, project.id, name="Exp", expires_in_days=3)
    valid = make(engine, project.id, name="Ok")
    assert svc.open_interview_by_token(engine, expiring.token, NOW + timedelta(days=2))

    messages = {
        same_refusal(engine, "A" * 43),
        same_refusal(engine, valid.token[:-1] + ("A" if valid.token[-1] != "A" else "B")),
        same_refusal(engine, ""),
        same_refusal(engine, None),
        same_refusal(engine, valid.token * 10),
        same_refusal(engine, revoked.token),
        same_refusal(engine, expiring.token, NOW + timedelta(days=3)),
        same_refusal(engine, hashlib.sha256(valid.token.encode()).hexdigest()),
    }
    assert messages == {"This link is not valid."}
    for action in (svc.save_draft, svc.submit):
        with pytest.raises(svc.LinkNotValid):
            action(engine, revoked.token, {"worries": "x"}, NOW)
    assert svc.open_interview_by_token(engine, valid.token, NOW).expert_name == "Ok"


def test_a_new_link_kills_the_old_one_and_brings_back_a_revoked_interview(engine, project):
    link = make(engine, project.id)
    svc.save_draft(engine, link.token, {"worries": "Late data"}, NOW)
    team(svc.revoke_interview, engine, project.id, link.interview.id)
    fresh = team(svc.rotate_link, engine, project.id, link.interview.id)
    assert fresh.token != link.token
    assert fresh.interview.status == svc.InterviewStatus.DRAFT
    assert fresh.interview.expires_at == NOW + timedelta(days=30)
    same_refusal(engine, link.token)
    assert svc.open_interview_by_token(engine, fresh.token, NOW).answers == {"worries": "Late data"}
    actions = [e.action for e in project_service.list_activity(engine, project.id)]
    assert actions[:2] == ["interview link replaced", "interview revoked"]


# --- A token reaches its own interview and nothing else ---------------------------------------


def test_a_token_reaches_only_its_own_interview_and_the_project_name(
    engine, project, other_project
):
    mine = make(engine, project.id, drop_question_ids=["worries"], extra_questions=["Shifts?"])
    theirs = make(
        engine,
        other_project.id,
        name="Zed",
        expert_team="Pricing",
        drop_question_ids=ALL_QUESTIONS[1:],
        extra_questions=["Which margin?"],
    )
    neighbour = make(engine, project.id, name="Eli")
    svc.save_draft(engine, theirs.token, {"how_done_today": "Spreadsheet of margins"}, NOW)
    svc.save_draft(engine, neighbour.token, {"decisions": "Eli decides routes"}, NOW)
    svc.save_draft(engine, mine.token, {"decisions": "Dana decides at 6am"}, NOW)

    form = svc.open_interview_by_token(engine, mine.token, NOW)
    assert {f.name for f in dataclasses.fields(form)} == {
        "expert_name",
        "project_name",
        "status",
        "questions",
        "answers",
        "submitted_at",
        "expires_at",
    }
    assert form.expert_name == "Dana"
    assert form.project_name == "Dispatch delays"
    assert [q.id for q in form.questions][:6] == ALL_QUESTIONS[:6]
    assert [q.text for q in form.questions][6:] == ["Shifts?"]
    assert form.answers == {"decisions": "Dana decides at 6am"}
    everything = repr(form)
    for foreign in (
        "Secret pricing",
        "Confidential margin plan",
        "Which margin?",
        "Spreadsheet of margins",
        "Eli",
        "Trucks leave late",  # even its own project's charter is not part of the form
        "COO Rita",
        "Ann",  # who created the interview is the team's business
    ):
        assert foreign not in everything, foreign

    with pytest.raises(InvalidInput) as error:
        svc.save_draft(engine, mine.token, {"custom_x": "sneak"}, NOW)
    assert "custom_x" in error.value.errors
    theirs_question = next(
        q.id
        for q in svc.open_interview_by_token(engine, theirs.token, NOW).questions
        if q.id.startswith("custom_")
    )
    with pytest.raises(InvalidInput):
        svc.save_draft(engine, mine.token, {theirs_question: "write into theirs"}, NOW)
    assert svc.open_interview_by_token(engine, theirs.token, NOW).answers == {
        "how_done_today": "Spreadsheet of margins"
    }


# --- Draft, submit, reopen ---------------------------------------------------------------------


def test_a_draft_survives_and_is_logged_as_the_expert(engine, project):
    link = make(engine, project.id)
    form = svc.save_draft(
        engine, link.token, {"how_done_today": "  I check the board  ", "worries": ""}, NOW
    )
    assert form.status == svc.InterviewStatus.DRAFT
    again = svc.open_interview_by_token(engine, link.token, NOW + timedelta(hours=1))
    assert again.answers == {"how_done_today": "I check the board"}
    svc.save_draft(engine, link.token, {"worries": "Nobody trusts it"}, NOW)
    assert svc.open_interview_by_token(engine, link.token, NOW).answers == {
        "how_done_today": "I check the board",
        "worries": "Nobody trusts it",
    }
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.actor, entry.action) == ("SME: Dana", "interview draft saved")
    assert entry.changes["answers changed"] == ["worries"]
    [summary] = svc.list_interviews(engine, project.id, now=NOW)
    assert (summary.status, summary.answered) == (svc.InterviewStatus.DRAFT, 2)


def test_a_bad_answer_stores_nothing_not_even_the_good_ones(engine, project):
    link = make(engine, project.id)
    with pytest.raises(InvalidInput) as error:
        svc.save_draft(
            engine,
            link.token,
            {"how_done_today": "fine", "worries": "x" * (svc.ANSWER_MAX + 1)},
            NOW,
        )
    assert "Too long" in error.value.errors["worries"]
    form = svc.open_interview_by_token(engine, link.token, NOW)
    assert (form.answers, form.status) == ({}, svc.InterviewStatus.SENT)


def test_submit_makes_the_form_read_only_until_the_team_reopens_it(engine, project):
    link = make(engine, project.id)
    with pytest.raises(InvalidInput, match="at least one question"):
        svc.submit(engine, link.token, {}, NOW)
    svc.save_draft(engine, link.token, {"decisions": "Shift lead, 40 a day"}, NOW)
    form = svc.submit(engine, link.token, {"worries": "Holidays"}, NOW + timedelta(hours=1))
    assert form.read_only and form.submitted_at == NOW + timedelta(hours=1)
    assert form.answers == {"decisions": "Shift lead, 40 a day", "worries": "Holidays"}
    for action in (svc.save_draft, svc.submit):
        with pytest.raises(svc.FormIsReadOnly):
            action(engine, link.token, {"worries": "changed"}, NOW)
    assert svc.open_interview_by_token(engine, link.token, NOW).answers["worries"] == "Holidays"
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.actor, entry.action) == ("SME: Dana", "interview submitted")

    team(svc.reopen_interview, engine, project.id, link.interview.id)
    form = svc.save_draft(engine, link.token, {"worries": "Holidays and strikes"}, NOW)
    assert not form.read_only
    assert form.answers["worries"] == "Holidays and strikes"
    with pytest.raises(InvalidInput, match="Only a submitted interview"):
        team(svc.reopen_interview, engine, project.id, link.interview.id)


# --- Creating interviews -----------------------------------------------------------------------


def test_questions_can_be_removed_and_added(engine, project):
    link = make(
        engine,
        project.id,
        drop_question_ids=["worries", "exceptions"],
        extra_questions=[
            "Which trucks break down?",
            "",
            {"text": "Union rules?", "critical": True},
        ],
        expires_in_days=7,
    )
    questions = link.interview.questions
    assert [q.id for q in questions[:5]] == [
        "how_done_today",
        "decisions",
        "cost_of_wrong_decision",
        "data_used",
        "success_for_you",
    ]
    assert [(q.text, q.critical, q.source) for q in questions[5:]] == [
        ("Which trucks break down?", False, "Added by Ann"),
        ("Union rules?", True, "Added by Ann"),
    ]
    assert link.interview.expires_at == NOW + timedelta(days=7)
    assert link.interview.status == svc.InterviewStatus.SENT
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.actor, entry.action) == ("Ann", "interview created")
    assert "Dana (Dispatch)" in entry.summary


def test_bad_interview_input_names_every_field_and_stores_nothing(engine, project):
    with pytest.raises(InvalidInput) as error:
        svc.create_interview(
            engine,
            project_id=project.id,
            expert_name=" ",
            template_id="nope",
            actor="",
            now=NOW,
            expires_in_days=0,
        )
    assert set(error.value.errors) == {"expert_name", "template_id", "actor", "expires_in_days"}
    with pytest.raises(InvalidInput) as error:
        make(engine, project.id, drop_question_ids=ALL_QUESTIONS)
    assert error.value.errors == {"questions": "Keep or add at least one question."}
    with pytest.raises(InvalidInput) as error:
        make(engine, project.id, drop_question_ids=["not_there"])
    assert "not_there" in error.value.errors["questions"]
    assert svc.list_interviews(engine, project.id, now=NOW) == []


# --- The team's view ---------------------------------------------------------------------------


def test_answers_side_by_side_and_coverage_of_critical_questions(engine, project):
    dana = make(engine, project.id)
    eli = make(engine, project.id, name="Eli", expert_team="Fleet")
    fay = make(engine, project.id, name="Fay", expert_team="Finance")
    svc.submit(engine, dana.token, {"how_done_today": "Board", "decisions": "Me"}, NOW)
    svc.submit(engine, eli.token, {"how_done_today": "Radio", "data_used": "TMS"}, NOW)
    svc.save_draft(engine, fay.token, {"success_for_you": "Fewer calls"}, NOW)

    rows = svc.answers_side_by_side(engine, project.id)
    assert rows[0] == {
        "Question": rows[0]["Question"],
        "Dana (Dispatch)": "Board",
        "Eli (Fleet)": "Radio",
    }
    assert [r["Dana (Dispatch)"] for r in rows[:4]] == ["Board", "Me", "", ""]
    assert [r["Eli (Fleet)"] for r in rows[:4]] == ["Radio", "", "", "TMS"]

    uncovered = [row.question_id for row in svc.coverage(engine, project.id) if not row.covered]
    assert uncovered == ["cost_of_wrong_decision", "success_for_you"]
    with_drafts = svc.coverage(engine, project.id, include_drafts=True)
    assert [row.question_id for row in with_drafts if not row.covered] == ["cost_of_wrong_decision"]
    how = next(row for row in with_drafts if row.question_id == "how_done_today")
    assert (how.asked_in, how.answered_by) == (3, ("Dana (Dispatch)", "Eli (Fleet)"))
    assert "Fay (Finance)" in svc.answers_side_by_side(engine, project.id, include_drafts=True)[0]


def test_a_critical_question_dropped_everywhere_still_shows_as_uncovered(engine, project):
    templates = {
        "t": InterviewTemplate(
            id="t",
            title="T",
            description="",
            questions=(
                InterviewQuestion(id="a", text="A?", source="S", critical=True),
                InterviewQuestion(id="b", text="B?", source="S", critical=True),
            ),
            path=None,
        )
    }
    link = make(engine, project.id, template_id="t", templates=templates, drop_question_ids=["b"])
    svc.submit(engine, link.token, {"a": "yes"}, NOW)
    rows = svc.coverage(engine, project.id, templates=templates)
    assert [(r.question_id, r.asked_in, r.covered) for r in rows] == [
        ("a", 1, True),
        ("b", 0, False),
    ]


def submitted_answer(engine, project, question="worries", text="Drivers will ignore it"):
    link = make(engine, project.id)
    svc.submit(engine, link.token, {question: text}, NOW)
    [answer] = svc.list_answers(engine, project.id)
    return answer


def test_an_answer_becomes_a_risk_that_links_back(engine, project):
    answer = submitted_answer(engine, project)
    assert answer.expert == "Dana (Dispatch)" and answer.derived == ()
    made = svc.convert_answer(
        engine,
        answer.id,
        project_id=project.id,
        to="risk",
        actor="Ann",
        today=TODAY,
        expected_version=0,
    )
    [risk] = registers.list_risks(engine, project.id)
    assert risk.id == made.record_id
    assert (risk.source_kind, risk.source_id) == (SourceKind.INTERVIEW, answer.id)
    assert risk.title == "Drivers will ignore it"
    assert (
        risk.source_label
        == "Interview with Dana (Dispatch), Q: What worries you about this project?"
    )
    [derived] = svc.list_answers(engine, project.id)[0].derived
    assert (derived.kind, derived.record_id) == (svc.ConversionTarget.RISK, risk.id)


@pytest.mark.parametrize(
    ("target", "lister"),
    [
        pytest.param("assumption", lambda e, p: registers.list_notes(e, p), id="assumption"),
        pytest.param("open question", lambda e, p: registers.list_notes(e, p), id="open-question"),
        pytest.param(
            "parking lot", lambda e, p: registers.list_parking_lot(e, p), id="parking-lot"
        ),
    ],
)
def test_an_answer_becomes_a_note_or_parked_idea_that_links_back(engine, project, target, lister):
    answer = submitted_answer(engine, project)
    svc.convert_answer(
        engine,
        answer.id,
        project_id=project.id,
        to=target,
        actor="Ann",
        today=TODAY,
        text="Drivers may ignore alerts",
        expected_version=0,
    )
    [record] = lister(engine, project.id)
    assert (record.source_kind, record.source_id) == (SourceKind.INTERVIEW, answer.id)
    assert "Drivers may ignore alerts" in (getattr(record, "text", None) or record.idea)
    assert [d.kind.value for d in svc.list_answers(engine, project.id)[0].derived] == [target]


def test_an_answer_becomes_charter_text_through_a_logged_version_checked_edit(engine, project):
    answer = submitted_answer(engine, project, "how_done_today", "Dispatchers watch a board")
    svc.convert_answer(
        engine,
        answer.id,
        project_id=project.id,
        to="charter",
        charter_field="current_process",
        actor="Ann",
        today=TODAY,
        expected_version=project.version,
    )
    stored = project_service.get_project(engine, project.id).project
    assert stored.current_process == "Dispatchers watch a board — Dana (Dispatch), SME interview"
    assert stored.version == project.version + 1
    svc.convert_answer(
        engine,
        answer.id,
        project_id=project.id,
        to="charter",
        charter_field="current_process",
        actor="Ann",
        today=TODAY,
        text="Second note",
        expected_version=project.version + 1,
    )
    stored = project_service.get_project(engine, project.id).project
    assert stored.current_process.endswith(
        "SME interview\n\nSecond note — Dana (Dispatch), SME interview"
    )
    link, edit = project_service.list_activity(engine, project.id)[:2]
    assert edit.action == "charter edited"
    assert link.action == "answer turned into charter text"
    assert link.changes["answer_id"] == answer.id and link.changes["field"] == "current_process"
    assert [d.kind for d in svc.list_answers(engine, project.id)[0].derived] == [
        svc.ConversionTarget.CHARTER,
        svc.ConversionTarget.CHARTER,
    ]
    with pytest.raises(StaleEditError):
        svc.convert_answer(
            engine,
            answer.id,
            project_id=project.id,
            to="charter",
            actor="Ann",
            today=TODAY,
            expected_version=project.version,
        )


def test_converting_refuses_bad_input_and_answers_of_other_projects(engine, project, other_project):
    answer = submitted_answer(engine, project)

    def convert(to, project_id=project.id, **extra):
        return svc.convert_answer(
            engine,
            answer.id,
            project_id=project_id,
            to=to,
            actor="Ann",
            today=TODAY,
            expected_version=extra.pop("expected_version", 0),
            **extra,
        )

    with pytest.raises(InvalidInput) as error:
        convert("risk", text=" ")
    assert "text" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        convert("poem")
    assert "to" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        convert("charter", charter_field="name", expected_version=project.version)
    assert "charter_field" in error.value.errors
    with pytest.raises(NotFound):
        convert("risk", project_id=other_project.id)
    assert registers.list_risks(engine, project.id) == []
    assert registers.list_risks(engine, other_project.id) == []


def test_team_actions_stay_within_their_project(engine, project, other_project):
    link = make(engine, project.id)
    with pytest.raises(NotFound):
        team(svc.revoke_interview, engine, other_project.id, link.interview.id, expected_version=1)
    assert svc.list_interviews(engine, other_project.id, now=NOW) == []
    assert svc.open_interview_by_token(engine, link.token, NOW).status == svc.InterviewStatus.SENT


@pytest.mark.parametrize(
    ("page_url", "expected"),
    [
        pytest.param(
            "https://wb.example.com/interviews", "https://wb.example.com/?interview=T", id="host"
        ),
        pytest.param(
            "http://h:8501/team/interviews/", "http://h:8501/team/?interview=T", id="base-path"
        ),
        pytest.param(None, "http://127.0.0.1:8501/?interview=T", id="no-url"),
    ],
)
def test_the_link_points_at_the_app_root(page_url, expected):
    assert svc.interview_url(page_url, "T") == expected


# --- Versions pinned by the page: a stale action is refused, nothing is applied twice ---------


def test_a_stale_link_action_is_refused_and_changes_nothing(engine, project):
    link = make(engine, project.id)
    seen_version = link.interview.version
    fresh = team(svc.rotate_link, engine, project.id, link.interview.id, actor="Bo")
    for action in (svc.rotate_link, svc.revoke_interview):
        with pytest.raises(StaleEditError) as error:
            team(action, engine, project.id, link.interview.id, expected_version=seen_version)
        assert error.value.current.version == seen_version + 1
    assert svc.open_interview_by_token(engine, fresh.token, NOW).expert_name == "Dana"
    actions = [e.action for e in project_service.list_activity(engine, project.id)]
    assert actions.count("interview link replaced") == 1
    assert "interview revoked" not in actions


def test_a_revoke_is_undone_by_reopening_the_same_link_in_the_state_it_had(engine, project):
    link = make(engine, project.id)
    svc.submit(engine, link.token, {"worries": "Holidays"}, NOW)
    team(svc.reopen_interview, engine, project.id, link.interview.id)  # back to draft
    team(svc.revoke_interview, engine, project.id, link.interview.id)
    same_refusal(engine, link.token)
    summary = team(svc.reopen_link, engine, project.id, link.interview.id)
    assert summary.status == svc.InterviewStatus.DRAFT  # as before the revoke, from the log
    assert svc.open_interview_by_token(engine, link.token, NOW).answers == {"worries": "Holidays"}
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.action, entry.changes["status"]) == (
        "interview link reopened",
        ["revoked", "draft"],
    )
    with pytest.raises(InvalidInput, match="not revoked"):
        team(svc.reopen_link, engine, project.id, link.interview.id)


def test_an_expired_revoked_link_cannot_be_reopened(engine, project):
    link = make(engine, project.id, expires_in_days=1)
    team(svc.revoke_interview, engine, project.id, link.interview.id)
    with pytest.raises(InvalidInput, match="make a new link"):
        svc.reopen_link(
            engine,
            project_id=project.id,
            interview_id=link.interview.id,
            expected_version=version_of(engine, project.id, link.interview.id).version,
            actor="Ann",
            now=NOW + timedelta(days=2),
        )


def test_a_second_interview_for_the_same_expert_made_meanwhile_is_refused(engine, project):
    seen_up_to = svc.newest_interview_id(svc.list_interviews(engine, project.id, now=NOW))
    make(engine, project.id, actor="Bo", expected_version=seen_up_to)
    with pytest.raises(svc.MadeMeanwhile) as error:
        make(engine, project.id, name=" dana ", expected_version=seen_up_to)
    assert isinstance(error.value, StaleEditError)
    assert "Bo created an interview for Dana (Dispatch)" in str(error.value)
    make(engine, project.id, name="Eli", expected_version=seen_up_to)  # another expert: fine
    make(engine, project.id, name="Dana", expected_version=error.value.current.version)
    assert len(svc.list_interviews(engine, project.id, now=NOW)) == 3


def test_an_answer_made_into_a_risk_meanwhile_is_not_made_again(engine, project):
    answer = submitted_answer(engine, project)

    def convert(expected_version):
        return svc.convert_answer(
            engine,
            answer.id,
            project_id=project.id,
            to="risk",
            actor="Ann",
            today=TODAY,
            expected_version=expected_version,
        )

    convert(seen(engine, project.id, answer.id, "risk"))
    with pytest.raises(svc.MadeMeanwhile) as error:
        convert(0)  # a view from before that risk
    assert error.value.current.version == 1
    assert len(registers.list_risks(engine, project.id)) == 1
    convert(error.value.current.version)  # on purpose, having seen the first one
    assert len(registers.list_risks(engine, project.id)) == 2


def test_submitting_the_same_answers_again_is_one_submit(engine, project):
    link = make(engine, project.id)
    svc.submit(engine, link.token, {"worries": "Holidays"}, NOW)
    again = svc.submit(engine, link.token, {"worries": "Holidays "}, NOW + timedelta(minutes=1))
    assert again.read_only and again.submitted_at == NOW
    actions = [e.action for e in project_service.list_activity(engine, project.id)]
    assert actions.count("interview submitted") == 1
