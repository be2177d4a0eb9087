"""AppTest: the Should we use ML? page, the Risks page and the portfolio's impact × feasibility."""

import pytest

from tests.dates import TODAY
from tests.ui.helpers import click, edit_table, messages
from workbench.db import make_engine
from workbench.domain.assessment import Group, Polarity, Scale
from workbench.reference.questions import DEFAULT_QUESTION_BANK_PATH, QUESTION_BANK_VARIABLE
from workbench.reference.questions import load_question_bank as load_bank
from workbench.services import assessment as assessment_service
from workbench.services import projects as project_service
from workbench.services import registers

PAGE = "pages/team/assessment.py"
QUESTIONS = load_bank()
BY_ID = {q.id: q for q in QUESTIONS}


def by_label(widgets, label):
    matches = [w for w in widgets if w.label == label]
    assert matches, f"no widget labelled {label!r}"
    return matches[0]


def button(at, label):
    return by_label(at.button, label)


def seed_project(url, name="Churn model"):
    engine = make_engine(url)
    project = project_service.create_project(
        engine, data={"name": name}, actor="Seeder", today=TODAY
    )
    engine.dispose()
    return project


def seed_answers(url, project, answers, rater="Ann", role="Data scientist"):
    engine = make_engine(url)
    saved = assessment_service.save_answers(
        engine,
        project_id=project.id,
        rater=rater,
        role=role,
        answers=answers,
        expected_version=None,
        questions=QUESTIONS,
        actor="Seeder",
    )
    engine.dispose()
    return saved


def table_with(at, column):
    """The first table of the page that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def verdict(at) -> str:
    """The verdict heading of the banner (the first alert of the page)."""
    alerts = [*at.success, *at.info, *at.warning, *at.error]
    headings = [a.value for a in alerts if a.value.startswith("### ")]
    assert len(headings) == 1, headings
    return headings[0].splitlines()[0].removeprefix("### ")


# All reasons for ML strongly agreed, errors intolerable agreed, the rest of the reasons
# against neutral: fit = 50 + 50 × (5.75 − 1.5) / 11.25 ≈ 68.9 → ML fits (with conditions: the
# human fallback is a critical question left open). With the weight of "errors are
# intolerable" raised to 10: fit = 50 + 50 × (5.75 − 10) / 19.75 ≈ 39.2 → try simpler first.
MIXED = {
    "too_complex_to_code": 5,
    "constantly_changing": 5,
    "perceptive_problem": 5,
    "unstudied_phenomenon": 5,
    "simple_objective": 5,
    "cost_effective": 5,
    "every_decision_explained": 3,
    "errors_intolerable": 5,
    "traditional_software_cheaper": 3,
    "inputs_outputs_enumerable": 3,
    "data_hard_to_get": 3,
}


def test_smoke_shows_the_questionnaire_grouped_with_help_and_sources(open_app, app_db):
    project = seed_project(app_db)
    at = open_app(PAGE, project=project.id)
    assert at.title[0].value == "Should we use ML?"
    assert verdict(at) == "No verdict yet: nobody has answered"  # no verdict before an answer
    assert by_label(at.text_input, "Rater's name").value == "Ann"
    scored = [q for q in QUESTIONS if q.scale is not Scale.TEXT]
    assert len([r for r in at.radio if r.label != "Kind"]) == len(scored)
    assert by_label(at.radio, BY_ID["too_complex_to_code"].text).value == "unknown"
    assert by_label(at.radio, BY_ID["data_loop"].text).options == ["Unknown", "Yes", "No"]
    assert len(at.text_area) == len([q for q in QUESTIONS if q.scale is Scale.TEXT])
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:6] == [
        "Reasons to use ML",
        "Reasons not to use ML",
        "Impact",
        "Cost",
        "Readiness — why ML projects fail",
        "Framing the problem",
    ]
    captions = " ".join(c.value for c in at.caption)
    assert "Source: Burkov, Machine Learning Engineering (2020), ch. 1" in captions
    assert BY_ID["too_complex_to_code"].help in captions


def answer_as(at, rater, role, answers):
    by_label(at.text_input, "Rater's name").input(rater).run()
    by_label(at.selectbox, "Role").select(role)
    for question_id, value in answers.items():
        by_label(at.radio, BY_ID[question_id].text).set_value(value)
    button(at, "Save my answers").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_two_raters_with_opposite_answers_show_the_disagreement(open_app, app_db):
    project = seed_project(app_db)
    at = open_app(PAGE, project=project.id)
    answer_as(at, "Ann", "Data scientist", {"too_complex_to_code": 5, "data_loop": True})
    answer_as(at, "Bob", "Business sponsor", {"too_complex_to_code": 1, "data_loop": True})

    flagged = [w.value for w in at.warning if "disagree strongly" in w.value]
    assert flagged == ["**Raters disagree strongly on 1 question** — settle these before deciding."]
    table = at.table[0].value
    assert list(table.index) == [BY_ID["too_complex_to_code"].text]
    assert table.loc[BY_ID["too_complex_to_code"].text].to_dict() == {
        "Ann (Data scientist)": "strongly agree",
        "Bob (Business sponsor)": "strongly disagree",
    }

    engine = make_engine(app_db)
    stored = {r.rater: dict(r.answers) for r in assessment_service.list_ratings(engine, project.id)}
    engine.dispose()
    assert stored == {
        "Ann": {"too_complex_to_code": 5, "data_loop": True},
        "Bob": {"too_complex_to_code": 1, "data_loop": True},
    }


def test_picking_an_existing_rater_loads_their_answers(open_app, app_db):
    project = seed_project(app_db)
    seed_answers(app_db, project, {"too_complex_to_code": 2}, rater="Dana", role="ML engineer")
    at = open_app(PAGE, project=project.id)
    at.button_group[0].set_value("Dana").run()
    assert by_label(at.text_input, "Rater's name").value == "Dana"
    assert by_label(at.selectbox, "Role").value == "ML engineer"
    assert by_label(at.radio, BY_ID["too_complex_to_code"].text).value == 2


def test_a_stale_save_from_a_second_tab_is_refused_and_shows_the_newer_answers(open_app, app_db):
    project = seed_project(app_db)
    seed_answers(app_db, project, {"too_complex_to_code": 3})
    first, second = open_app(PAGE, project=project.id), open_app(PAGE, project=project.id)
    question = BY_ID["too_complex_to_code"].text
    by_label(first.radio, question).set_value(5)
    button(first, "Save my answers").click()
    first.run()
    by_label(second.radio, question).set_value(1)
    button(second, "Save my answers").click()
    second.run()

    assert any("Not saved" in e.value for e in second.error)
    conflicts = second.dataframe[0].value
    assert list(conflicts["What"]) == [question]
    assert list(conflicts["Yours"]) == ["strongly disagree"]
    assert list(conflicts["Saved meanwhile"]) == ["strongly agree"]
    engine = make_engine(app_db)
    [stored] = assessment_service.list_ratings(engine, project.id)
    engine.dispose()
    assert stored.answers == {"too_complex_to_code": 5}


def weights_row(question_id):
    scored = [q.id for q in QUESTIONS if q.scale is not Scale.TEXT]
    return scored.index(question_id)


def test_editing_a_weight_changes_the_verdict_live_without_saving(open_app, app_db):
    project = seed_project(app_db)
    seed_answers(app_db, project, MIXED)
    at = open_app(PAGE, project=project.id)
    assert verdict(at) == "ML fits with conditions"
    assert by_label(at.metric, "Fit").value == "69"

    edit_table(at, "_weights", edited={weights_row("errors_intolerable"): {"weight": 10.0}})
    at.run()
    assert verdict(at) == "Try a simpler non-ML solution first"
    assert by_label(at.metric, "Fit").value == "39"
    assert any("1 weight(s) edited" in c.value for c in at.caption)
    engine = make_engine(app_db)
    assert assessment_service.list_snapshots(engine, project.id) == []
    engine.dispose()


def test_saving_keeps_the_history(open_app, app_db):
    project = seed_project(app_db)
    seed_answers(app_db, project, MIXED)
    at = open_app(PAGE, project=project.id)
    button(at, "Save assessment").click()
    at.run()
    assert not at.exception
    history = table_with(at, "Verdict")
    assert list(history["Verdict"]) == ["ML fits with conditions"]

    edit_table(at, "_weights", edited={weights_row("errors_intolerable"): {"weight": 10.0}})
    at.run()
    by_label(at.text_input, "Note for the history (optional)").input("errors weigh more")
    button(at, "Save assessment").click()
    at.run()
    assert not at.exception
    history = table_with(at, "Verdict")
    assert list(history["Verdict"]) == [  # newest first
        "Try a simpler non-ML solution first",
        "ML fits with conditions",
    ]
    assert list(history["By"]) == ["Ann", "Ann"]
    assert list(history["Note"]) == ["errors weigh more", ""]
    engine = make_engine(app_db)
    snapshots = assessment_service.list_snapshots(engine, project.id)
    engine.dispose()
    assert [s.weights["errors_intolerable"] for s in snapshots] == [1.5, 10.0]
    # the saved weights are what the page starts from next time
    assert verdict(open_app(PAGE, project=project.id)) == "Try a simpler non-ML solution first"


def test_before_anyone_answered_there_is_nothing_to_save_and_the_page_says_what_to_do(
    open_app, app_db
):
    project = seed_project(app_db)
    at = open_app(PAGE, project=project.id)
    assert not [b for b in at.button if b.label == "Save assessment"]
    assert any("What to do first" in i.value for i in at.info)


def test_unknown_answers_are_listed_as_open_questions_critical_first(open_app, app_db):
    project = seed_project(app_db)
    seed_answers(app_db, project, MIXED)
    at = open_app(PAGE, project=project.id)
    by_label(at.text_input, "Open question or assumption").input("Who pays for labelling?")
    click(at, "Record")
    table = table_with(at, "Open question")
    critical = list(table["Critical"])
    assert critical[0] and not critical[-1]
    assert critical == sorted(critical, reverse=True)
    assert BY_ID["human_fallback"].text in list(table["Open question"])
    assert BY_ID["too_complex_to_code"].text not in list(table["Open question"])
    assert list(table["Open question"])[-1] == "Who pays for labelling?"


# --- A bad question bank ---------------------------------------------------------------------


def _bank_text(old: str = "", new: str = "") -> str:
    """The real bank, with `old` (which must occur once) replaced by `new`."""
    text = DEFAULT_QUESTION_BANK_PATH.read_text(encoding="utf-8")
    if old:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


UNSTUDIED_SOURCE = (
    "weight = 0.75\n"
    'source = "Burkov, Machine Learning Engineering (2020), ch. 1, when to use machine learning"'
)
BAD_BANKS = [
    pytest.param(
        lambda: (
            _bank_text() + '\n[[question]]\nid = "data_loop"\ntext = "Again?"\ngroup = "framing"\n'
            'scale = "yes_no"\nweight = 0\nsource = "Copied by mistake, ch. 1"\n'
        ),
        "question 'data_loop': duplicate id",
        id="duplicate-id",
    ),
    pytest.param(
        lambda: _bank_text(UNSTUDIED_SOURCE, "weight = 0.75"),
        "question 'unstudied_phenomenon': missing source",
        id="missing-source",
    ),
    pytest.param(
        lambda: _bank_text("weight = 1.5\n", "weight = -1.5\n"),
        "question 'errors_intolerable': weight must be >= 0 (got -1.5)",
        id="negative-weight",
    ),
]


@pytest.mark.parametrize(("bank", "problem"), BAD_BANKS)
def test_a_bad_question_bank_stops_the_page_naming_file_question_and_problem(
    open_app, app_db, tmp_path, monkeypatch, bank, problem
):
    path = tmp_path / "team_questions.toml"
    path.write_text(bank(), encoding="utf-8")
    monkeypatch.setenv(QUESTION_BANK_VARIABLE, str(path))
    project = seed_project(app_db)
    at = open_app(PAGE, project=project.id)
    [error] = at.error
    assert str(path) in error.value
    assert problem in error.value
    assert len(at.radio) == 0  # the page stopped before the questionnaire


# --- Risks -------------------------------------------------------------------------------------


def seed_risk(url, project, **data):
    engine = make_engine(url)
    risk = registers.create_risk(
        engine, project_id=project.id, data={"title": "Labels are late", **data}, actor="Seeder"
    )
    engine.dispose()
    return risk


def stored_risks(url, project):
    engine = make_engine(url)
    risks = registers.list_risks(engine, project.id)
    engine.dispose()
    return risks


def test_risks_smoke_without_risks_offers_the_add_form(open_app, app_db):
    project = seed_project(app_db)
    at = open_app("pages/team/risks.py", project=project.id)
    assert at.title[0].value == "Risks"
    assert "No risk recorded yet" in at.info[0].value


def test_risk_register_edit_is_stored(open_app, app_db):
    project = seed_project(app_db)
    seed_risk(app_db, project, likelihood=2, impact=2)
    at = open_app("pages/team/risks.py", project=project.id)
    table = at.data_editor[0].value
    assert list(table["title"]) == ["Labels are late"]
    assert list(table["exposure"]) == [4]
    edit_table(at, "_risks", edited={0: {"owner": "Dana", "likelihood": 4, "status": "mitigating"}})
    click(at, "Save risk register")
    [risk] = stored_risks(app_db, project)
    assert (risk.owner, risk.likelihood, risk.status.value, risk.version) == (
        "Dana",
        4,
        "mitigating",
        2,
    )
    assert list(at.data_editor[0].value["exposure"]) == [8]
    assert "Saved 1 changed risk(s)." in messages(at)


def test_a_stale_risk_edit_is_refused(open_app, app_db):
    project = seed_project(app_db)
    risk = seed_risk(app_db, project)
    at = open_app("pages/team/risks.py", project=project.id)
    engine = make_engine(app_db)
    registers.update_risks(
        engine,
        project_id=project.id,
        rows=[{"id": risk.id, "version": risk.version, "owner": "Lee"}],
        actor="Lee",
    )
    engine.dispose()
    edit_table(at, "_risks", edited={0: {"owner": "Dana"}})
    at.run()
    assert any("Someone changed this table since you opened it" in w for w in messages(at))
    click(at, "Save risk register")
    assert any("Not saved" in e.value for e in at.error)
    conflicts = next(d.value for d in at.dataframe if "Yours" in d.value.columns)
    assert conflicts.to_dict("records") == [
        {"What": f"Risk #{risk.id} · Owner", "Yours": "Dana", "Saved meanwhile": "Lee"}
    ]
    assert stored_risks(app_db, project)[0].owner == "Lee"


def test_add_risk_form_stores_the_risk_and_refuses_an_empty_title(open_app, app_db):
    project = seed_project(app_db)
    at = open_app("pages/team/risks.py", project=project.id)
    click(at, "Add risk")
    assert any("Required" in e.value for e in at.error)
    assert stored_risks(app_db, project) == []
    by_label(at.text_input, "Risk *").input("Sponsor leaves")
    by_label(at.select_slider, "Impact").set_value(5)
    by_label(at.text_input, "Owner").input("Priya")
    click(at, "Add risk")
    [risk] = stored_risks(app_db, project)
    assert (risk.title, risk.impact, risk.likelihood, risk.owner) == (
        "Sponsor leaves",
        5,
        3,
        "Priya",
    )
    assert list(at.data_editor[0].value["title"]) == ["Sponsor leaves"]


def test_prefill_from_readiness_adds_each_gap_once(open_app, app_db):
    project = seed_project(app_db)
    seed_answers(app_db, project, {"experienced_talent": 1, "labels_available": 2})
    at = open_app("pages/team/risks.py", project=project.id)
    click(at, "Prefill risks from readiness answers")
    assert "Added 2 risk(s) from readiness gaps." in messages(at)
    assert len(at.data_editor[0].value) == 2
    click(at, "Prefill risks from readiness answers")
    assert "Added 0 risk(s) from readiness gaps. 2 already in the register." in messages(at)
    assert len(stored_risks(app_db, project)) == 2


# --- Portfolio --------------------------------------------------------------------------------


def _favourable(question):
    if question.scale is Scale.TEXT:
        return "Discussed."
    against = question.group in (Group.REASONS_AGAINST, Group.COST)
    high = against == (question.polarity is Polarity.NEGATIVE)
    if question.scale is Scale.YES_NO:
        return high
    return 5 if high else 1


def test_portfolio_lists_unassessed_projects_and_opens_a_project_from_the_chart_list(
    open_app, app_db
):
    assessed = seed_project(app_db, "Assessed one")
    seed_project(app_db, "Not yet")
    seed_answers(app_db, assessed, {q.id: _favourable(q) for q in QUESTIONS})
    engine = make_engine(app_db)
    assessment_service.save_snapshot(
        engine, project_id=assessed.id, questions=QUESTIONS, weights=None, actor="Ann"
    )
    engine.dispose()
    at = open_app()
    assert at.subheader[0].value == "Impact × feasibility"
    assert any(  # the unassessed projects are listed beside the chart
        "Not yet" in list(d.value.get("Project", [])) for d in at.dataframe
    )
    by_label(at.selectbox, "Open project…").select(assessed.id).run()
    assert not at.exception
    assert at.title[0].value == "Should we use ML?"
    assert verdict(at) == "ML fits"


def test_portfolio_without_any_assessment_says_the_chart_is_empty(open_app, app_db):
    seed_project(app_db, "Fresh")
    at = open_app()
    assert any("No project has a saved assessment yet" in i.value for i in at.info)
