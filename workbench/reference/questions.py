"""Load the "Should we use ML?" question bank from TOML, refusing a bad bank with a clear message.

Every problem is reported as one line "<file>: question '<id>' (or #<n>): <problem>", all of
them at once, so a team editing data/questions.toml can fix the file in one go.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.config import DATA_DIR
from workbench.domain.assessment import HARD_STOPS, InvalidQuestion, Question

DEFAULT_QUESTION_BANK_PATH = DATA_DIR / "questions.toml"
QUESTION_BANK_VARIABLE = "WORKBENCH_QUESTION_BANK"
"""Environment variable naming another question bank file (a team's own copy)."""

REQUIRED_FIELDS = ("id", "text", "group", "scale", "weight", "source")
OPTIONAL_FIELDS = ("help", "critical", "polarity", "mitigation")
_STRING_FIELDS = ("id", "text", "group", "scale", "source", "help", "polarity", "mitigation")


class InvalidQuestionBank(ValueError):
    """The question bank file cannot be used; the message names the file, question and problem."""

    def __init__(self, path: Path, problems: Iterable[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{path}: {problem}" for problem in self.problems))


def question_bank_path() -> Path:
    """The bank to load: $WORKBENCH_QUESTION_BANK when set, else data/questions.toml."""
    return Path(os.environ.get(QUESTION_BANK_VARIABLE) or DEFAULT_QUESTION_BANK_PATH)


def load_question_bank(path: Path | str | None = None) -> tuple[Question, ...]:
    """Read and validate the question bank, in file order.

    path: the TOML file; by default question_bank_path() ($WORKBENCH_QUESTION_BANK, else
    data/questions.toml of this repository).
    Raises InvalidQuestionBank when the file cannot be read or parsed, a question has a missing
    or bad field (unknown group or scale, empty text or source, weight not a finite number
    >= 0, ...), two questions share an id, or a question read by a hard stop is missing.
    """
    path = question_bank_path() if path is None else Path(path)
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except OSError as error:
        raise InvalidQuestionBank(path, [f"cannot read the file ({error.strerror})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidQuestionBank(path, [f"not valid TOML ({error})"]) from None

    problems = [
        f"unknown top-level key {key!r} (expected only [[question]] tables)"
        for key in document
        if key != "question"
    ]
    tables = document.get("question", [])
    if not isinstance(tables, list) or not tables:
        raise InvalidQuestionBank(path, [*problems, "no questions (expected [[question]] tables)"])

    questions: list[Question] = []
    first_index: dict[str, int] = {}
    named = {t["id"] for t in tables if isinstance(t, dict) and isinstance(t.get("id"), str)}
    for number, table in enumerate(tables, start=1):
        label = _label(table, number)
        table_problems = _field_problems(table)
        if table_problems:
            problems.extend(f"{label}: {problem}" for problem in table_problems)
            continue
        try:
            question = Question(**table)
        except InvalidQuestion as error:
            problems.append(f"{label}: {error}")
            continue
        if question.id in first_index:
            problems.append(
                f"{label}: duplicate id (first used by question #{first_index[question.id]})"
            )
            continue
        first_index[question.id] = number
        questions.append(question)

    by_id = {question.id: question for question in questions}
    for stop in HARD_STOPS:
        for question_id in stop.question_ids:
            if question_id not in named:
                problems.append(
                    f"question {question_id!r}: missing, but hard stop {stop.id!r} needs it"
                )
            elif question_id in by_id and not by_id[question_id].scored:
                problems.append(
                    f"question {question_id!r}: hard stop {stop.id!r} needs a scale of"
                    " 'agreement' or 'yes_no', not 'text'"
                )
    if problems:
        raise InvalidQuestionBank(path, problems)
    return tuple(questions)


def _label(table: Any, number: int) -> str:
    if isinstance(table, dict) and isinstance(table.get("id"), str) and table["id"].strip():
        return f"question {table['id']!r}"
    return f"question #{number}"


def _field_problems(table: Any) -> list[str]:
    if not isinstance(table, dict):
        return ["must be a [[question]] table"]
    problems = [f"missing {name}" for name in REQUIRED_FIELDS if name not in table]
    known = REQUIRED_FIELDS + OPTIONAL_FIELDS
    problems += [
        f"unknown field {name!r} (known fields: {', '.join(known)})"
        for name in table
        if name not in known
    ]
    problems += [
        f"{name} must be a string (got {table[name]!r})"
        for name in _STRING_FIELDS
        if name in table and not isinstance(table[name], str)
    ]
    return problems
