"""Two people on the Risks and Should we use ML? pages at once (two AppTest sessions on one
database, the second opened before the first saves), and double clicks: what one saved is never
lost or overwritten by the other, and nothing is added twice."""

from tests.dates import TODAY
from tests.ui.helpers import by_label, click, edit_table, editor, messages
from workbench.db import make_engine
from workbench.reference.questions import load_question_bank
from workbench.services import assessment as assessment_service
from workbench.services import projects as project_service
from workbench.services import registers

RISKS = "pages/team/risks.py"
ASSESSMENT = "pages/team/assessment.py"
QUESTIONS = load_question_bank()
BY_ID = {q.id: q for q in QUESTIONS}
KEEP = "Keep my edits (I have read the newer values)"


def with_engine(url, work):
    engine = make_engine(url)
    try:
        return work(engine)
    finally:
        engine.dispose()


def seed_project(url):
    return with_engine(
        url,
        lambda e: project_service.create_project(
            e, data={"name": "Churn model"}, actor="Seeder", today=TODAY
        ),
    )


def seed_risks(url, project, *titles):
    return [
        with_engine(
            url,
            lambda e, t=title, n=n: registers.create_risk(
                e,
                project_id=project.id,
                data={"title": t, "likelihood": 5 - n, "impact": 3},
                actor="Seeder",
            ),
        )
        for n, title in enumerate(titles)
    ]


def stored_risks(url, project):
    return {r.title: r for r in with_engine(url, lambda e: registers.list_risks(e, project.id))}


def seed_answers(url, project, answers, rater="Ann"):
    return with_engine(
        url,
        lambda e: assessment_service.save_answers(
            e,
            project_id=project.id,
            rater=rater,
            role="Data scientist",
            answers=answers,
            expected_version=None,
            questions=QUESTIONS,
            actor="Seeder",
        ),
    )


def double_click(at, label):
    """Two quick clicks of one button: the second is sent from the page the first was made on
    (before the first click's rerun reached the browser)."""
    next(b for b in at.button if b.label == label).click()
    same_page = at._tree.get_widget_states()
    at.run()
    at._run(same_page)
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- Risks ------------------------------------------------------------------------------------


def test_a_stale_row_refuses_the_whole_register_save_and_keeps_the_users_edits(open_app, app_db):
    """Bo edits risk 1; Ann's save of risk 1 and risk 2 is refused as a whole (nothing written,
    her edits kept); "Keep my edits" then saves only the cells she changed."""
    project = seed_project(app_db)
    first, _ = seed_risks(app_db, project, "Labels are late", "Sponsor leaves")
    ann = open_app(RISKS, actor="Ann", project=project.id)
    bo = open_app(RISKS, actor="Bo", project=project.id)
    edit_table(bo, "_risks", edited={0: {"mitigation": "Weekly label review"}})
    click(bo, "Save risk register")

    edits = {0: {"owner": "Ann"}, 1: {"impact": 5}}
    edit_table(ann, "_risks", edited=edits)
    click(ann, "Save risk register")
    assert any("changed after you opened it" in e.value for e in ann.error)
    conflicts = next(d.value for d in ann.dataframe if "Yours" in d.value.columns)
    assert list(conflicts["What"]) == [f"Risk #{first.id} · Owner"]
    stored = stored_risks(app_db, project)
    assert stored["Labels are late"].owner == ""
    assert (stored["Sponsor leaves"].impact, stored["Sponsor leaves"].version) == (3, 1)
    assert ann.session_state[editor(ann, "_risks").key]["edited_rows"] == edits

    click(ann, KEEP)
    click(ann, "Save risk register")
    stored = stored_risks(app_db, project)
    assert stored["Labels are late"].owner == "Ann"
    assert stored["Labels are late"].mitigation == "Weekly label review"  # Bo's cell kept
    assert stored["Sponsor leaves"].impact == 5


def test_a_risk_added_in_the_same_session_joins_the_table_and_keeps_edits(open_app, app_db):
    project = seed_project(app_db)
    seed_risks(app_db, project, "Labels are late")
    ann = open_app(RISKS, actor="Ann", project=project.id)
    edit_table(ann, "_risks", edited={0: {"owner": "Dana"}})
    by_label(ann.text_input, "Risk *").input("Sponsor leaves")
    click(ann, "Add risk")
    # Ann was editing: her edit stays, the table says a row was added
    assert ann.session_state[editor(ann, "_risks").key]["edited_rows"] == {0: {"owner": "Dana"}}
    assert any("1 added" in m for m in messages(ann))
    click(ann, "Save risk register")
    assert stored_risks(app_db, project)["Labels are late"].owner == "Dana"
    # after the save the table shows both rows, and the new one can be edited at once
    titles = list(editor(ann, "_risks").value["title"])
    assert sorted(titles) == ["Labels are late", "Sponsor leaves"]
    edit_table(ann, "_risks", edited={titles.index("Sponsor leaves"): {"owner": "Priya"}})
    click(ann, "Save risk register")
    assert stored_risks(app_db, project)["Sponsor leaves"].owner == "Priya"


def test_the_add_risk_form_clears_and_a_second_click_adds_nothing(open_app, app_db):
    """Fault: the add form kept the previous risk's description and mitigation, and a double
    click added the risk twice."""
    project = seed_project(app_db)
    ann = open_app(RISKS, actor="Ann", project=project.id)
    by_label(ann.text_input, "Risk *").input("Sponsor leaves")
    by_label(ann.text_area, "Description").input("The sponsor moves to another unit.")
    by_label(ann.text_area, "Mitigation").input("Name a second sponsor.")
    double_click(ann, "Add risk")
    added = with_engine(app_db, lambda e: registers.list_risks(e, project.id))
    assert [r.title for r in added] == ["Sponsor leaves"]
    assert by_label(ann.text_input, "Risk *").value == ""
    assert by_label(ann.text_area, "Description").value == ""
    assert by_label(ann.text_area, "Mitigation").value == ""
    by_label(ann.text_input, "Risk *").input("Labels are late")
    click(ann, "Add risk")
    assert stored_risks(app_db, project)["Labels are late"].mitigation == ""


def test_two_quick_prefill_clicks_run_the_prefill_once(open_app, app_db, monkeypatch):
    """Fault: two quick clicks of "Prefill" ran it twice."""
    project = seed_project(app_db)
    seed_answers(app_db, project, {"experienced_talent": 1, "labels_available": 2})
    calls = []
    prefill = assessment_service.prefill_risks_from_readiness

    def counted(*args, **kwargs):
        calls.append(kwargs["project_id"])
        return prefill(*args, **kwargs)

    monkeypatch.setattr(assessment_service, "prefill_risks_from_readiness", counted)
    ann = open_app(RISKS, actor="Ann", project=project.id)
    double_click(ann, "Prefill risks from readiness answers")
    assert calls == [project.id]
    assert len(stored_risks(app_db, project)) == 2


# --- Should we use ML? ------------------------------------------------------------------------

SCORED = [q.id for q in QUESTIONS if q.scored]


def as_rater(at, rater):
    by_label(at.text_input, "Rater's name").input(rater).run()
    return at


def answer(at, question_id, value):
    by_label(at.radio, BY_ID[question_id].text).set_value(value)


def rating(url, project, rater):
    return with_engine(
        url, lambda e: assessment_service.load_answers(e, project_id=project.id, rater=rater)
    )


def snapshots(url, project):
    return with_engine(url, lambda e: assessment_service.list_snapshots(e, project.id))


def edit_weights(at, weights):
    edit_table(
        at, "_weights", edited={SCORED.index(qid): {"weight": w} for qid, w in weights.items()}
    )
    at.run()


def test_a_stale_answers_save_is_refused_and_keep_mine_sends_only_my_answers(open_app, app_db):
    """Bo changes one of Dana's answers; Ann's save (another answer) is refused; after "Keep my
    edits" her save stores her answer and never writes back the one Bo changed."""
    project = seed_project(app_db)
    seed_answers(app_db, project, {"too_complex_to_code": 3}, rater="Dana")
    ann = as_rater(open_app(ASSESSMENT, actor="Ann", project=project.id), "Dana")
    bo = as_rater(open_app(ASSESSMENT, actor="Bo", project=project.id), "Dana")
    answer(bo, "too_complex_to_code", 5)
    click(bo, "Save my answers")

    answer(ann, "data_loop", True)
    click(ann, "Save my answers")
    assert any("changed after you opened it" in e.value for e in ann.error)
    conflicts = next(d.value for d in ann.dataframe if "Yours" in d.value.columns)
    assert conflicts.to_dict("records") == [
        {"What": BY_ID["data_loop"].text, "Yours": "yes", "Saved meanwhile": "unknown"}
    ]
    assert rating(app_db, project, "Dana").answers == {"too_complex_to_code": 5}
    assert by_label(ann.radio, BY_ID["data_loop"].text).value is True  # her answer is kept

    click(ann, KEEP)
    click(ann, "Save my answers")
    assert rating(app_db, project, "Dana").answers == {"too_complex_to_code": 5, "data_loop": True}


def test_a_weight_saved_meanwhile_is_not_overwritten(open_app, app_db):
    """Bo saves an assessment with a new weight; Ann's save of another value for that weight is
    refused (nothing saved); her change of another weight keeps Bo's."""
    project = seed_project(app_db)
    seed_answers(app_db, project, {"too_complex_to_code": 5, "data_loop": True})
    ann = open_app(ASSESSMENT, actor="Ann", project=project.id)
    bo = open_app(ASSESSMENT, actor="Bo", project=project.id)
    edit_weights(bo, {"errors_intolerable": 10.0})
    click(bo, "Save assessment")
    assert [s.weights["errors_intolerable"] for s in snapshots(app_db, project)] == [10.0]

    edit_weights(ann, {"errors_intolerable": 0.5, "data_cost": 2.0})
    assert any("Someone changed this table" in m for m in messages(ann))
    click(ann, "Save assessment")
    assert any("changed after you opened it" in e.value for e in ann.error)
    assert len(snapshots(app_db, project)) == 1

    click(ann, "Load the newer version (drop my edits)")
    edit_weights(ann, {"data_cost": 2.0})
    click(ann, "Save assessment")
    latest = snapshots(app_db, project)[-1]
    assert (latest.weights["errors_intolerable"], latest.weights["data_cost"]) == (10.0, 2.0)
    assert latest.saved_by == "Ann"


def test_save_assessment_twice_quickly_saves_one_assessment(open_app, app_db):
    """Fault: a double click on "Save assessment" saved two entries in the history."""
    project = seed_project(app_db)
    seed_answers(app_db, project, {"too_complex_to_code": 5})
    ann = open_app(ASSESSMENT, actor="Ann", project=project.id)
    by_label(ann.text_input, "Note for the history (optional)").input("After the kickoff")
    double_click(ann, "Save assessment")
    assert [s.note for s in snapshots(app_db, project)] == ["After the kickoff"]
    assert by_label(ann.text_input, "Note for the history (optional)").value == ""


def test_the_note_form_clears_and_a_second_click_records_nothing(open_app, app_db):
    """Fault: a double click on the open-question form recorded the question twice."""
    project = seed_project(app_db)
    ann = open_app(ASSESSMENT, actor="Ann", project=project.id)
    by_label(ann.radio, "Kind").set_value("assumption")
    by_label(ann.text_input, "Open question or assumption").input("Labels are reliable")
    double_click(ann, "Record")
    notes = with_engine(app_db, lambda e: registers.list_notes(e, project.id))
    assert [(n.kind.value, n.text) for n in notes] == [("assumption", "Labels are reliable")]
    assert by_label(ann.text_input, "Open question or assumption").value == ""
    assert by_label(ann.radio, "Kind").value == "open question"


def test_two_people_resolving_different_notes_keep_each_others(open_app, app_db):
    """Each save sends only the notes its user ticked or unticked."""
    project = seed_project(app_db)
    for text in ("Who labels the data?", "Who pays?"):
        with_engine(
            app_db,
            lambda e, t=text: registers.create_note(
                e, project_id=project.id, data={"kind": "open question", "text": t}, actor="Cy"
            ),
        )
    ann = open_app(ASSESSMENT, actor="Ann", project=project.id)
    bo = open_app(ASSESSMENT, actor="Bo", project=project.id)
    edit_table(ann, "_notes", edited={0: {"resolved": True}})
    click(ann, "Save resolved notes")
    edit_table(bo, "_notes", edited={1: {"resolved": True}})
    click(bo, "Save resolved notes")
    notes = with_engine(app_db, lambda e: registers.list_notes(e, project.id))
    assert [n.resolved for n in notes] == [True, True]
    open_items = list(editor(bo, "_notes").value["resolved"])
    assert open_items == [True, True]
