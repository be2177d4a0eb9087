"""SME interview templates: the shipped default set, and bad files refused with clear messages."""

from pathlib import Path

import pytest

from workbench.reference.interviews import (
    InvalidInterviewTemplate,
    load_template,
    load_templates,
)

GOOD_QUESTION = """
[[question]]
id = "{id}"
text = "How do you do it today?"
source = "Wilson ch. 3.1.1"
"""


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_the_default_template_asks_the_planning_questions_with_sources():
    templates = load_templates()
    template = templates["sme_default"]
    ids = [q.id for q in template.questions]
    assert ids == [
        "how_done_today",
        "decisions",
        "cost_of_wrong_decision",
        "data_used",
        "exceptions",
        "success_for_you",
        "worries",
    ]
    assert all(q.text and q.help and q.source for q in template.questions)
    by_id = {q.id: q for q in template.questions}
    assert "walk me through the last time" in by_id["how_done_today"].text.lower()
    assert "3.1.1" in by_id["how_done_today"].source
    assert "ch. 3" in by_id["data_used"].source and "Burkov" in by_id["data_used"].source
    assert "ch. 1" in by_id["success_for_you"].source
    assert by_id["how_done_today"].critical and by_id["cost_of_wrong_decision"].critical
    assert not by_id["worries"].critical


def test_a_team_adds_a_template_by_dropping_a_file(tmp_path):
    write(tmp_path, "a.toml", 'id = "ops"\ntitle = "Ops"\n' + GOOD_QUESTION.format(id="today"))
    write(
        tmp_path,
        "b.toml",
        'id = "sales"\ntitle = "Sales"\ndescription = "For sales reps"\n'
        + GOOD_QUESTION.format(id="today")
        + GOOD_QUESTION.format(id="customers").replace("today?", "customers?"),
    )
    templates = load_templates(tmp_path)
    assert list(templates) == ["ops", "sales"]
    assert [q.id for q in templates["sales"].questions] == ["today", "customers"]
    assert templates["sales"].description == "For sales reps"
    assert templates["ops"].questions[0].critical is False


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            'id = "t"\ntitle = "T"\n'
            + GOOD_QUESTION.format(id="today")
            + GOOD_QUESTION.format(id="today"),
            "question 'today': duplicate id (first used by question #1)",
            id="duplicate-question-id",
        ),
        pytest.param(
            'id = "t"\ntitle = "T"\n[[question]]\nid = "today"\nsource = "Wilson"\n',
            "question 'today': missing text",
            id="missing-text",
        ),
        pytest.param(
            'id = "t"\ntitle = "T"\n[[question]]\nid = "today"\ntext = "How?"\n',
            "question 'today': missing source",
            id="missing-source",
        ),
        pytest.param(
            'id = "t"\ntitle = "T"\n[[question]]\nid = "today"\ntext = " "\nsource = "W"\n',
            "question 'today': text is empty",
            id="blank-text",
        ),
        pytest.param(
            'id = "t"\ntitle = "T"\n[[question]]\ntext = "How?"\nsource = "W"\n',
            "question #1: missing id",
            id="missing-id",
        ),
        pytest.param(
            'id = "t"\ntitle = "T"\n'
            + GOOD_QUESTION.format(id="today").replace(
                'source = "', 'critical = "yes"\nsource = "'
            ),
            "question 'today': critical must be true or false",
            id="critical-not-bool",
        ),
        pytest.param(
            'id = "t"\ntitle = "T"\n' + GOOD_QUESTION.format(id="today") + 'hint = "x"\n',
            "question 'today': unknown field 'hint'",
            id="unknown-field",
        ),
        pytest.param('id = "t"\ntitle = "T"\n', "no questions", id="no-questions"),
        pytest.param(
            'title = "T"\n' + GOOD_QUESTION.format(id="today"), "template id", id="missing-id-top"
        ),
        pytest.param('id = "t"\ntitle = [', "not valid TOML", id="bad-toml"),
    ],
)
def test_a_bad_template_is_refused_naming_file_question_and_problem(tmp_path, body, expected):
    path = write(tmp_path, "bad.toml", body)
    with pytest.raises(InvalidInterviewTemplate) as error:
        load_template(path)
    assert isinstance(error.value, ValueError)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        "bad.toml",
        'id = "t"\ntitle = "T"\n'
        '[[question]]\nid = "a"\nsource = "W"\n'
        '[[question]]\nid = "b"\ntext = "How?"\n',
    )
    with pytest.raises(InvalidInterviewTemplate) as error:
        load_template(path)
    assert error.value.problems == ("question 'a': missing text", "question 'b': missing source")


def test_two_files_with_the_same_template_id_are_refused(tmp_path):
    write(tmp_path, "a.toml", 'id = "ops"\ntitle = "Ops"\n' + GOOD_QUESTION.format(id="x"))
    second = write(
        tmp_path, "b.toml", 'id = "ops"\ntitle = "Ops 2"\n' + GOOD_QUESTION.format(id="y")
    )
    with pytest.raises(InvalidInterviewTemplate) as error:
        load_templates(tmp_path)
    assert str(second) in str(error.value)
    assert "template id 'ops' is already used" in str(error.value)


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(InvalidInterviewTemplate, match="no interview templates"):
        load_templates(tmp_path)
