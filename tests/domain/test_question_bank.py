"""The question bank file: the real one is complete, and a bad one fails with a clear message."""

from __future__ import annotations

import json
import math
import re
import tomllib

import pytest

from workbench.domain.assessment import (
    HARD_STOPS,
    Group,
    Polarity,
    Rating,
    Scale,
    Verdict,
    assess,
)
from workbench.reference.questions import (
    DEFAULT_QUESTION_BANK_PATH,
    InvalidQuestionBank,
    load_question_bank,
)

REQUIRED_IDS = {
    Group.REASONS_FOR: {
        "too_complex_to_code",
        "constantly_changing",
        "perceptive_problem",
        "unstudied_phenomenon",
        "simple_objective",
        "cost_effective",
    },
    Group.REASONS_AGAINST: {
        "every_decision_explained",
        "errors_intolerable",
        "traditional_software_cheaper",
        "inputs_outputs_enumerable",
        "data_hard_to_get",
    },
    Group.IMPACT: {"replaces_complex_part", "cheap_predictions_valuable"},
    Group.COST: {"problem_difficulty", "data_cost", "accuracy_needed"},
    Group.READINESS: {
        "experienced_talent",
        "leadership_support",
        "data_infrastructure",
        "labels_available",
        "siloed_teams",
        "technically_feasible",
        "business_technical_alignment",
    },
    Group.FRAMING: {
        "output_users",
        "how_done_today",
        "wrong_prediction_cost",
        "simplest_heuristic",
        "data_loop",
        "human_fallback",
    },
}


def _real_tables() -> list[dict]:
    with DEFAULT_QUESTION_BANK_PATH.open("rb") as file:
        return tomllib.load(file)["question"]


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string with \u escapes is a valid TOML basic string
    return repr(value)


def _write_bank(path, tables: list[dict]) -> None:
    lines = []
    for table in tables:
        lines.append("[[question]]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in table.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def test_the_real_bank_loads_with_every_required_question_in_its_group():
    questions = load_question_bank()

    by_group = {group: {q.id for q in questions if q.group is group} for group in Group}
    for group, required in REQUIRED_IDS.items():
        assert required <= by_group[group], f"{group}: missing {required - by_group[group]}"
    assert len({q.id for q in questions}) == len(questions)


def test_every_real_question_has_text_help_source_and_a_weight():
    for question in load_question_bank():
        assert question.text.strip(), question.id
        assert question.help.strip(), question.id
        assert re.search(r"ch\.|lecture|canvas|guide|guidebook|checklist", question.source, re.I)
        assert question.weight >= 0


def test_the_real_bank_holds_every_hard_stop_question_as_critical():
    by_id = {q.id: q for q in load_question_bank()}

    for stop in HARD_STOPS:
        for question_id in stop.question_ids:
            assert by_id[question_id].critical, question_id
            assert by_id[question_id].scale is not Scale.TEXT


def test_the_real_bank_scores_framing_text_as_zero_weight():
    framing_text = [q for q in load_question_bank() if q.scale is Scale.TEXT]

    assert framing_text
    assert all(q.group is Group.FRAMING and q.weight == 0 for q in framing_text)


def _favourable(question) -> object:
    """The answer most favourable to ML, read from the question's group and polarity."""
    if question.scale is Scale.TEXT:
        return "Described in the meeting."
    against = question.group in (Group.REASONS_AGAINST, Group.COST)
    high = against == (question.polarity is Polarity.NEGATIVE)
    if question.scale is Scale.YES_NO:
        return high
    return 5 if high else 1


def test_the_real_bank_with_favourable_answers_says_ml_fits():
    questions = load_question_bank()
    answers = {q.id: _favourable(q) for q in questions}

    result = assess([Rating("Ann", "sponsor", answers)], questions)

    assert result.verdict is Verdict.ML_FITS
    assert (result.fit_score, result.impact_score, result.feasibility_score) == (100, 100, 100)
    assert result.conditions == ()
    assert result.open_questions == ()


def test_the_real_bank_with_no_answers_says_not_enough_answers():
    questions = load_question_bank()

    result = assess([], questions)

    assert result.verdict is Verdict.TRY_SIMPLER_FIRST
    assert result.insufficient_answers
    assert len(result.open_questions) == len(questions)


def test_a_path_may_be_given_as_text(tmp_path):
    path = tmp_path / "bank.toml"
    _write_bank(path, _real_tables())

    assert load_question_bank(str(path)) == load_question_bank()


def _with(question_id: str, **changes: object) -> list[dict]:
    return [{**t, **changes} if t["id"] == question_id else t for t in _real_tables()]


def _without(question_id: str, field: str) -> list[dict]:
    return [
        {k: v for k, v in t.items() if k != field} if t["id"] == question_id else t
        for t in _real_tables()
    ]


def _position(question_id: str) -> int:
    return next(i for i, t in enumerate(_real_tables(), start=1) if t["id"] == question_id)


BAD_BANKS = [
    pytest.param(
        [*_real_tables(), _real_tables()[_position("data_loop") - 1]],
        f"question 'data_loop': duplicate id (first used by question #{_position('data_loop')})",
        id="duplicate-id",
    ),
    pytest.param(
        _without("too_complex_to_code", "source"),
        "question 'too_complex_to_code': missing source",
        id="no-source",
    ),
    pytest.param(
        _with("too_complex_to_code", source="  "),
        "question 'too_complex_to_code': source must be a non-empty string",
        id="empty-source",
    ),
    pytest.param(
        _with("too_complex_to_code", weight=-1),
        "question 'too_complex_to_code': weight must be >= 0 (got -1)",
        id="weight-below-zero",
    ),
    pytest.param(
        _with("constantly_changing", weight=math.nan),
        "question 'constantly_changing': weight must be a finite number (got nan)",
        id="weight-nan",
    ),
    pytest.param(
        _with("constantly_changing", weight="heavy"),
        "question 'constantly_changing': weight must be a number (got 'heavy')",
        id="weight-not-a-number",
    ),
    pytest.param(
        _without("perceptive_problem", "text"),
        "question 'perceptive_problem': missing text",
        id="no-text",
    ),
    pytest.param(
        _with("perceptive_problem", group="reasons"),
        "question 'perceptive_problem': unknown group 'reasons' (expected one of: reasons_for,",
        id="unknown-group",
    ),
    pytest.param(
        _with("perceptive_problem", scale="stars"),
        "question 'perceptive_problem': unknown scale 'stars'",
        id="unknown-scale",
    ),
    pytest.param(
        _with("perceptive_problem", wieght=2),
        "question 'perceptive_problem': unknown field 'wieght'",
        id="misspelt-field",
    ),
    pytest.param(
        [{k: v for k, v in t.items() if k != "id" or i != 4} for i, t in enumerate(_real_tables())],
        "question #5: missing id",
        id="no-id",
    ),
    pytest.param(
        [t for t in _real_tables() if t["id"] != "human_fallback"],
        "question 'human_fallback': missing, but hard stop 'intolerable_errors_without_fallback'"
        " needs it",
        id="hard-stop-question-missing",
    ),
    pytest.param(
        _with("human_fallback", scale="text"),
        "question 'human_fallback': hard stop 'intolerable_errors_without_fallback' needs a"
        " scale of 'agreement' or 'yes_no'",
        id="hard-stop-question-not-scored",
    ),
]


@pytest.mark.parametrize(("tables", "message"), BAD_BANKS)
def test_a_bad_bank_names_the_file_the_question_and_the_problem(tmp_path, tables, message):
    path = tmp_path / "questions.toml"
    _write_bank(path, tables)

    with pytest.raises(InvalidQuestionBank) as raised:
        load_question_bank(path)

    assert f"{path}: {message}" in str(raised.value)
    assert raised.value.path == path


def test_every_problem_is_reported_at_once(tmp_path):
    tables = _with("too_complex_to_code", weight=-1)
    del tables[1]["source"]
    path = tmp_path / "questions.toml"
    _write_bank(path, tables)

    with pytest.raises(InvalidQuestionBank) as raised:
        load_question_bank(path)

    assert raised.value.problems == (
        "question 'too_complex_to_code': weight must be >= 0 (got -1)",
        "question 'constantly_changing': missing source",
    )
    assert str(raised.value).splitlines() == [f"{path}: {p}" for p in raised.value.problems]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("[[question]\nid = 1", "not valid TOML", id="not-toml"),
        pytest.param("", "no questions (expected [[question]] tables)", id="empty"),
        pytest.param(
            '[[questions]]\nid = "x"\n',
            "unknown top-level key 'questions'",
            id="misspelt-table",
        ),
    ],
)
def test_an_unusable_file_names_the_file(tmp_path, content, message):
    path = tmp_path / "questions.toml"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(InvalidQuestionBank, match=re.escape(f"{path}: {message}")):
        load_question_bank(path)


def test_a_missing_file_names_the_file(tmp_path):
    path = tmp_path / "nowhere.toml"

    with pytest.raises(InvalidQuestionBank, match=re.escape(f"{path}: cannot read the file")):
        load_question_bank(path)
