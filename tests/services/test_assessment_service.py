"""The assessment service against a real database (SQLite and PostgreSQL): answers per rater
(version-checked), saved assessments over time, risks prefilled from readiness gaps, open
questions, and the portfolio's latest scores."""

from datetime import date

import pytest
from sqlalchemy import event

from workbench.domain.assessment import Group, Polarity, Scale, Verdict
from workbench.errors import InvalidInput, StaleEditError
from workbench.models import NoteKind, SourceKind
from workbench.reference.questions import load_question_bank
from workbench.services import assessment as svc
from workbench.services import projects as project_service
from workbench.services import registers

QUESTIONS = load_question_bank()
BY_ID = {q.id: q for q in QUESTIONS}


def favourable(question):
    """The answer most favourable to ML, read from the question's group and polarity."""
    if question.scale is Scale.TEXT:
        return "Discussed in the planning meeting."
    against = question.group in (Group.REASONS_AGAINST, Group.COST)
    high = against == (question.polarity is Polarity.NEGATIVE)
    if question.scale is Scale.YES_NO:
        return high
    return 5 if high else 1


FAVOURABLE = {q.id: favourable(q) for q in QUESTIONS}


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine, data={"name": "Churn model"}, actor="Ann", today=date(2026, 11, 22)
    )


def save(engine, project, rater="Ann", role="Data scientist", answers=None, version=None):
    return svc.save_answers(
        engine,
        project_id=project.id,
        rater=rater,
        role=role,
        answers=answers or {},
        expected_version=version,
        questions=QUESTIONS,
        actor="Lead",
    )


# --- Answers ------------------------------------------------------------------------------------


def test_answers_are_stored_per_rater_without_unknowns_and_logged(engine, project):
    saved = save(
        engine,
        project,
        answers={"too_complex_to_code": 4, "data_loop": False, "errors_intolerable": None},
    )
    assert saved.version == 1
    loaded = svc.load_answers(engine, project_id=project.id, rater="ann")  # name ignores case
    assert loaded.rater == "Ann"
    assert loaded.role == "Data scientist"
    assert dict(loaded.answers) == {"too_complex_to_code": 4, "data_loop": False}
    entry = project_service.list_activity(engine, project.id)[0]
    assert entry.action == "assessment answered"
    assert entry.actor == "Lead"
    assert entry.changes["too_complex_to_code"] == [None, 4]
    assert "Ann (Data scientist) answered 2 of" in entry.summary


def test_changing_answers_bumps_the_version_and_logs_the_change(engine, project):
    first = save(engine, project, answers={"too_complex_to_code": 4})
    second = save(engine, project, answers={"too_complex_to_code": 2}, version=first.version)
    assert second.version == first.version + 1
    entry = project_service.list_activity(engine, project.id)[0]
    assert entry.changes["too_complex_to_code"] == [4, 2]


def test_saving_the_same_answers_again_writes_nothing(engine, project):
    first = save(engine, project, answers={"too_complex_to_code": 4})
    again = save(engine, project, answers={"too_complex_to_code": 4}, version=first.version)
    assert again.version == first.version
    assert len(project_service.list_activity(engine, project.id)) == 2  # created + answered


def test_a_stale_save_from_a_second_tab_is_refused_and_nothing_is_overwritten(engine, project):
    loaded = save(engine, project, answers={"too_complex_to_code": 3})
    # Two tabs opened at version 1; the first saves.
    save(engine, project, answers={"too_complex_to_code": 5}, version=loaded.version)
    with pytest.raises(StaleEditError) as refused:
        save(engine, project, answers={"too_complex_to_code": 1}, version=loaded.version)
    assert refused.value.current.version == 2
    text = BY_ID["too_complex_to_code"].text
    assert refused.value.conflicts[text] == ("strongly disagree", "strongly agree")
    stored = svc.load_answers(engine, project_id=project.id, rater="Ann")
    assert stored.answers["too_complex_to_code"] == 5


def test_a_new_rater_saved_meanwhile_in_another_tab_is_not_overwritten(engine, project):
    save(engine, project, answers={"data_loop": True})
    with pytest.raises(StaleEditError):
        save(engine, project, answers={"data_loop": False}, version=None)
    assert svc.load_answers(engine, project_id=project.id, rater="Ann").answers == {
        "data_loop": True
    }


def test_a_merge_keeps_the_answers_the_user_did_not_change(engine, project):
    loaded = save(engine, project, answers={"too_complex_to_code": 3, "data_loop": True})
    saved = svc.save_answers(
        engine,
        project_id=project.id,
        rater="Ann",
        role="Data scientist",
        answers={"too_complex_to_code": 5, "data_loop": None},  # None: back to unknown
        expected_version=loaded.version,
        questions=QUESTIONS,
        actor="Lead",
        merge=True,
    )
    save(engine, project, answers={**saved.answers, "siloed_teams": 2}, version=saved.version)
    assert svc.load_answers(engine, project_id=project.id, rater="Ann").answers == {
        "too_complex_to_code": 5,
        "siloed_teams": 2,
    }


def test_a_stale_merge_is_refused_naming_only_the_questions_sent(engine, project):
    loaded = save(engine, project, answers={"too_complex_to_code": 3})
    save(engine, project, answers={"too_complex_to_code": 4}, version=loaded.version)
    with pytest.raises(StaleEditError) as refused:
        svc.save_answers(
            engine,
            project_id=project.id,
            rater="Ann",
            role="Data scientist",
            answers={"data_loop": True},
            expected_version=loaded.version,
            questions=QUESTIONS,
            actor="Lead",
            merge=True,
        )
    assert refused.value.conflicts == {BY_ID["data_loop"].text: ("yes", "unknown")}


@pytest.mark.parametrize(
    ("rater", "role", "answers", "field"),
    [
        pytest.param("", "Data scientist", {}, "rater", id="no-rater"),
        pytest.param("Ann", "Wizard", {}, "role", id="unknown-role"),
        pytest.param("Ann", "Data scientist", {"too_complex_to_code": 6}, "too_complex_to_code"),
        pytest.param("Ann", "Data scientist", {"data_loop": "maybe"}, "data_loop", id="yes-no"),
        pytest.param("Ann", "Data scientist", {"not_a_question": 3}, "not_a_question"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    engine, project, rater, role, answers, field
):
    with pytest.raises(InvalidInput) as refused:
        save(engine, project, rater=rater, role=role, answers=answers)
    assert field in refused.value.errors
    assert svc.list_ratings(engine, project.id) == []


def test_raters_are_listed_by_name(engine, project):
    save(engine, project, rater="zoe", role="Business sponsor")
    save(engine, project, rater="Ann")
    assert [(r.rater, r.role) for r in svc.list_ratings(engine, project.id)] == [
        ("Ann", "Data scientist"),
        ("zoe", "Business sponsor"),
    ]


# --- The combined result and saved assessments ---------------------------------------------------


def test_the_combined_result_uses_every_rater_and_flags_their_disagreement(engine, project):
    save(engine, project, rater="Ann", answers={"too_complex_to_code": 5})
    save(engine, project, rater="Bo", role="Business sponsor", answers={"too_complex_to_code": 1})
    result = svc.combined_result(svc.list_ratings(engine, project.id), QUESTIONS)
    [disagreement] = result.disagreements
    assert disagreement.question_id == "too_complex_to_code"
    assert {(a.rater, a.role, a.answer) for a in disagreement.answers} == {
        ("Ann", "Data scientist", 5),
        ("Bo", "Business sponsor", 1),
    }


def test_a_bad_weight_is_refused_by_name():
    with pytest.raises(InvalidInput) as refused:
        svc.combined_result([], QUESTIONS, {"too_complex_to_code": -1})
    assert "too_complex_to_code" in refused.value.errors["weights"]


def test_saved_assessments_keep_the_history_oldest_first(engine, project):
    save(engine, project, answers=FAVOURABLE)
    first = svc.save_snapshot(
        engine, project_id=project.id, questions=QUESTIONS, weights=None, actor="Ann"
    )
    save(engine, project, answers={**FAVOURABLE, "inputs_outputs_enumerable": 5}, version=1)
    save(engine, project, rater="Bo", role="Subject-matter expert", answers={"data_loop": True})
    second = svc.save_snapshot(
        engine,
        project_id=project.id,
        questions=QUESTIONS,
        weights={"too_complex_to_code": 3.0},
        actor="Bo",
        note="after the SME interview",
    )
    history = svc.list_snapshots(engine, project.id)
    assert [s.id for s in history] == [first.id, second.id]
    assert [s.verdict for s in history] == [Verdict.ML_FITS, Verdict.TRY_SIMPLER_FIRST]
    assert [s.saved_by for s in history] == ["Ann", "Bo"]
    assert history[0].fit_score == 100
    assert history[1].raters == ("Ann", "Bo")
    assert history[1].hard_stops == ("a lookup table will do",)
    assert history[1].weights["too_complex_to_code"] == 3.0
    assert history[1].weights["constantly_changing"] == BY_ID["constantly_changing"].weight
    assert history[1].note == "after the SME interview"
    assert history[0].saved_at <= history[1].saved_at
    overview = svc.assessment_overview(engine, project.id)
    assert overview.saved_weights["too_complex_to_code"] == 3.0
    entry = project_service.list_activity(engine, project.id)[0]
    assert entry.action == "assessment saved"
    assert entry.changes["verdict"] == ["ml_fits", "try_simpler_first"]
    assert entry.changes["weights"] == {"too_complex_to_code": [1.0, 3.0]}


def test_weights_apply_onto_the_latest_saved_and_a_stale_weight_is_refused(engine, project):
    save(engine, project, answers=FAVOURABLE)
    bank = BY_ID["too_complex_to_code"].weight
    svc.save_snapshot(
        engine,
        project_id=project.id,
        questions=QUESTIONS,
        weights={"too_complex_to_code": 3.0},
        seen_weights={"too_complex_to_code": bank},
        actor="Bo",
    )
    # Ann saw the bank's weights: her change of another weight keeps Bo's 3.0
    svc.save_snapshot(
        engine,
        project_id=project.id,
        questions=QUESTIONS,
        weights={"data_cost": 2.0},
        seen_weights={"data_cost": BY_ID["data_cost"].weight},
        actor="Ann",
    )
    latest = svc.list_snapshots(engine, project.id)[-1]
    assert (latest.weights["too_complex_to_code"], latest.weights["data_cost"]) == (3.0, 2.0)
    # her change of the weight Bo changed meanwhile is refused, nothing saved
    with pytest.raises(StaleEditError) as refused:
        svc.save_snapshot(
            engine,
            project_id=project.id,
            questions=QUESTIONS,
            weights={"too_complex_to_code": 0.5},
            seen_weights={"too_complex_to_code": bank},
            actor="Ann",
        )
    assert refused.value.conflicts == {"too_complex_to_code": (0.5, 3.0)}
    assert refused.value.current.version == 2
    assert len(svc.list_snapshots(engine, project.id)) == 2


def test_an_assessment_without_any_answers_is_not_saved(engine, project):
    with pytest.raises(InvalidInput) as refused:
        svc.save_snapshot(
            engine, project_id=project.id, questions=QUESTIONS, weights=None, actor="Ann"
        )
    assert "Nobody has answered" in refused.value.errors["assessment"]
    assert svc.list_snapshots(engine, project.id) == []


# --- Risks from readiness gaps ------------------------------------------------------------------


def test_readiness_gaps_prefill_risks_once(engine, project):
    save(
        engine,
        project,
        answers={
            "experienced_talent": 1,  # strongly disagree: a gap
            "labels_available": 2,  # disagree: a gap
            "siloed_teams": 5,  # negative polarity: strongly agree is a gap
            "leadership_support": 4,  # fine
            "data_obtainable": False,  # critical yes/no: a gap
            "too_complex_to_code": 1,  # not readiness
        },
    )
    outcome = svc.prefill_risks_from_readiness(
        engine, project_id=project.id, questions=QUESTIONS, actor="Ann"
    )
    assert outcome.already_there == ()
    risks = {r.source_label: r for r in registers.list_risks(engine, project.id)}
    expected = {  # question → (likelihood, impact), worked out by hand from the documented rule
        "experienced_talent": (5, 4),
        "labels_available": (4, 4),
        "siloed_teams": (5, 4),
        "data_obtainable": (5, 5),
    }
    assert len(outcome.created) == len(risks) == 4
    for question_id, levels in expected.items():
        [label] = [label for label in risks if question_id in label]
        risk = risks[label]
        assert (risk.likelihood, risk.impact) == levels, question_id
        assert risk.source_kind is SourceKind.ASSESSMENT
        assert BY_ID[question_id].text in risk.title
        assert risk.mitigation == BY_ID[question_id].mitigation
        assert risk.status.value == "open"
    assert "strongly disagree" in risks[next(k for k in risks if "experienced" in k)].description

    again = svc.prefill_risks_from_readiness(
        engine, project_id=project.id, questions=QUESTIONS, actor="Ann"
    )
    assert again.created == ()
    assert set(again.already_there) == set(expected)
    assert len(registers.list_risks(engine, project.id)) == 4
    added = [
        e for e in project_service.list_activity(engine, project.id) if e.action == "risk added"
    ]
    assert len(added) == 4


def test_prefill_without_gaps_adds_nothing(engine, project):
    save(engine, project, answers=FAVOURABLE)
    outcome = svc.prefill_risks_from_readiness(
        engine, project_id=project.id, questions=QUESTIONS, actor="Ann"
    )
    assert outcome.created == ()
    assert registers.list_risks(engine, project.id) == []


# --- Open questions -----------------------------------------------------------------------------


def test_open_questions_list_critical_unknowns_first_then_recorded_notes(engine, project):
    answered = {q.id: FAVOURABLE[q.id] for q in QUESTIONS}
    for question_id in ("human_fallback", "too_complex_to_code", "output_users"):
        answered.pop(question_id)
    save(engine, project, answers=answered)
    note = registers.create_note(
        engine,
        project_id=project.id,
        data={"kind": NoteKind.OPEN_QUESTION, "text": "Who owns the labels?"},
        actor="Ann",
    )
    resolved = registers.create_note(
        engine,
        project_id=project.id,
        data={"kind": NoteKind.OPEN_QUESTION, "text": "Settled already"},
        actor="Ann",
    )
    registers.set_notes_resolved(engine, project_id=project.id, resolve=[resolved.id], actor="Ann")
    items = svc.open_questions(engine, project_id=project.id, questions=QUESTIONS)
    assert [(i.question_id, i.critical) for i in items[:3]] == [
        ("human_fallback", True),
        ("too_complex_to_code", False),
        ("output_users", False),
    ]
    assert [(i.text, i.note_id) for i in items[3:]] == [("Who owns the labels?", note.id)]


# --- Portfolio ----------------------------------------------------------------------------------


def test_portfolio_scores_take_each_projects_latest_assessment_in_one_query(engine, project):
    other = project_service.create_project(
        engine, data={"name": "Anomaly alerts"}, actor="Ann", today=date(2026, 11, 22)
    )
    never = project_service.create_project(
        engine, data={"name": "Zebra forecasts"}, actor="Ann", today=date(2026, 11, 22)
    )
    save(engine, project, answers={**FAVOURABLE, "cheap_predictions_valuable": 3})
    svc.save_snapshot(engine, project_id=project.id, questions=QUESTIONS, weights=None, actor="A")
    save(engine, project, answers=FAVOURABLE, version=1)
    svc.save_snapshot(engine, project_id=project.id, questions=QUESTIONS, weights=None, actor="A")
    save(engine, other, answers={**FAVOURABLE, "data_obtainable": False})
    svc.save_snapshot(engine, project_id=other.id, questions=QUESTIONS, weights=None, actor="A")

    statements = []

    def count(connection, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        scores = svc.portfolio_scores(engine)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert [(s.name, s.verdict) for s in scores] == [
        ("Anomaly alerts", Verdict.NOT_A_FIT),
        ("Churn model", Verdict.ML_FITS),
        ("Zebra forecasts", None),
    ]
    churn = scores[1]
    assert (churn.impact_score, churn.feasibility_score) == (100, 100)  # the latest, not 1st
    assert scores[2].impact_score is None
    assert scores[2].saved_at is None
    only = svc.portfolio_scores(engine, [never.id, other.id])
    assert [s.project_id for s in only] == [other.id, never.id]
